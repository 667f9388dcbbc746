using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace DockerPS.Benchmarks;

internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed);

/// <summary>Runs programs: the docker CLI, the benchmark's own child processes, and reads /proc memory figures.</summary>
internal static class Proc
{
    /// <summary>
    /// Runs a program to its end and returns its output and wall time (from start to exit). Cancelling kills it,
    /// so Ctrl+C never leaves a half-finished save running behind the benchmark.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, CancellationToken ct, Action<Process>? whileRunning = null)
    {
        ct.ThrowIfCancellationRequested();
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

        var watch = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new BenchmarkException($"could not start {file}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        whileRunning?.Invoke(process);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw;
        }

        watch.Stop();
        return new ProcessResult(process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    public static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }
        catch (Win32Exception)
        {
            // It is exiting; nothing left to stop.
        }
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in KiB (VmHWM is the peak resident set), or null when unreadable.</summary>
    public static long? StatusKib(string pid, string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    string value = line[(field.Length + 1)..].Trim();
                    int space = value.IndexOf(' ', StringComparison.Ordinal);
                    return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process ended between polls.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to read.
        }

        return null;
    }

    /// <summary>How to start this same program again, whether it runs as its own executable or under dotnet.</summary>
    public static (string File, List<string> Args) Self()
    {
        string processPath = Environment.ProcessPath ?? throw new BenchmarkException("cannot tell which executable is running");
        var args = new List<string>();
        if (Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            args.Add(typeof(Proc).Assembly.Location);
        }

        return (processPath, args);
    }
}

/// <summary>A failure the benchmark explains in one message, without a stack trace.</summary>
internal sealed class BenchmarkException : Exception
{
    public BenchmarkException()
    {
    }

    public BenchmarkException(string message)
        : base(message)
    {
    }

    public BenchmarkException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
