namespace DockerPS.Tests.Infrastructure;

/// <summary>
/// Real pwsh 7.6.9 (the PowerShell dotnet tool, installed into tests/tools/pwsh by tests/tools/install-pwsh.sh when
/// missing) and the NuGet packages the tests load beside DockerPS (tests/tools/fetch-packages.sh). Scripts run in a child
/// pwsh process of their own, as a user's session would: what one loads cannot leak into another.
/// </summary>
public sealed class RealPwsh
{
    public RealPwsh()
    {
        string tools = Path.Combine(EngineFixture.FindRepoRoot(), "tests", "tools");
        PwshPath = Setup(Path.Combine(tools, "install-pwsh.sh"));
        PackageStore = Setup(Path.Combine(tools, "fetch-packages.sh"));
    }

    public string PwshPath { get; }

    /// <summary>The NuGet packages folder: id (lower case)/version/lib/…</summary>
    public string PackageStore { get; }

    /// <summary>The path of a package's assembly for the runtime pwsh 7.6.9 would pick (or the given framework folder).</summary>
    public string PackageAssembly(string id, string version, string framework) =>
        Path.Combine(PackageStore, id.ToLowerInvariant(), version, "lib", framework, id + ".dll");

    /// <summary>
    /// Runs a script in a new pwsh process. <paramref name="variables"/> are set first, as single-quoted strings.
    /// Returns the exit code, and the output as lines.
    /// </summary>
    public (int ExitCode, string[] Output, string Errors) Run(string script, IReadOnlyDictionary<string, string> variables)
    {
        string file = Path.Combine(Path.GetTempPath(), $"dockerps-pwsh-{Guid.NewGuid():N}.ps1");
        string prelude = string.Concat(variables.Select(v => $"${v.Key} = '{v.Value.Replace("'", "''", StringComparison.Ordinal)}'\n"));
        File.WriteAllText(file, prelude + script);
        try
        {
            var (code, stdout, stderr) = Shell.Run(PwshPath, "-NoProfile", "-NonInteractive", "-File", file);
            return (code, stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Setup(string script)
    {
        var (code, stdout, stderr) = Shell.Run("bash", script);
        if (code != 0)
        {
            throw new InvalidOperationException($"{script} failed ({code}): {stderr}");
        }

        return stdout.Split('\n').Last().Trim();
    }
}
