namespace DockerPS.Benchmarks;

/// <summary>Where the repository and the built module are.</summary>
internal static class Repo
{
    public const string BuildCommand = "dotnet build -c Release src/DockerPS";

    public static string Root()
    {
        // From the program's folder first (dotnet run puts it under the repository), then from where it was started.
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DockerPS.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src", "DockerPS")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new BenchmarkException("Cannot find the repository root (the folder with DockerPS.psd1 and src/DockerPS) above "
            + AppContext.BaseDirectory + " or " + Environment.CurrentDirectory);
    }

    public static string ModuleManifest(string root) => Path.Combine(root, "out", "DockerPS", "DockerPS.psd1");

    /// <summary>The built module's manifest; an error naming the build command when it is not there.</summary>
    public static string FindModuleManifest()
    {
        string manifest = ModuleManifest(Root());
        return File.Exists(manifest)
            ? manifest
            : throw new BenchmarkException($"The module is not built at {manifest}. Run `{BuildCommand}` from the repository root first.");
    }

    /// <summary>Builds the module when out/DockerPS is missing; an existing build is left alone (others may be using it).</summary>
    public static async Task<string> EnsureModuleBuiltAsync(CancellationToken ct)
    {
        string root = Root();
        string manifest = ModuleManifest(root);
        if (File.Exists(manifest))
        {
            return manifest;
        }

        Report.Status($"out/DockerPS is missing; building it: {BuildCommand}");
        ProcessResult build = await Proc.RunAsync("dotnet", ["build", "-c", "Release", Path.Combine(root, "src", "DockerPS"), "-nologo", "-v", "quiet"], ct);
        if (build.ExitCode != 0 || !File.Exists(manifest))
        {
            throw new BenchmarkException($"Building the module failed; run `{BuildCommand}` from {root} and fix what it reports, then run the benchmark again.\n"
                + build.StdOut.Trim() + "\n" + build.StdErr.Trim());
        }

        return manifest;
    }
}
