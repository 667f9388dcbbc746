using System.Diagnostics;

namespace DockerPS.Tests.Infrastructure;

/// <summary>Runs programs for test setup and for checking results independently of the module (tar, mkfifo).</summary>
public static class Shell
{
    public static (int ExitCode, string StdOut, string StdErr) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 5 minutes");
        }

        return (process.ExitCode, stdout.Result.Trim(), stderr.Result.Trim());
    }
}
