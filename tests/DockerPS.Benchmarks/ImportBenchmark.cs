using System.Globalization;

namespace DockerPS.Benchmarks;

/// <summary>
/// How long Import-Module DockerPS takes in a fresh real pwsh 7.6.9 (the goal is 150 ms at most): the module as shipped
/// (loader, private load context, type names) beside a copy of it whose manifest imports bin/DockerPS.dll by path, as
/// before the isolation (same formats, types and help), so the cost of the isolation shows as a ratio. Each import runs
/// in a new pwsh process, as a user's first import. The first Import-Module of a pwsh process also pays for PowerShell's
/// own module machinery, whatever the module: an empty script module is timed too, and each variant's own cost is its
/// time less that baseline.
/// </summary>
internal static class ImportBenchmark
{
    private const double GoalMs = 150;

    public static async Task RunAsync(string manifest, string workDir, int runs, CancellationToken ct)
    {
        Report.Heading($"5. Import-Module in a fresh pwsh 7.6.9 ({runs} process(es) per variant, alternating)");
        string pwsh = (await Proc.RunAsync("bash", [Path.Combine(Repo.Root(), "tests", "tools", "install-pwsh.sh")], ct)).StdOut.Trim();
        string direct = NotIsolatedCopy(manifest, workDir);
        string empty = EmptyModule(workDir);
        var shipped = new List<double>();
        var plain = new List<double>();
        var baseline = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            shipped.Add(await ImportMsAsync(pwsh, manifest, ct));
            plain.Add(await ImportMsAsync(pwsh, direct, ct));
            baseline.Add(await ImportMsAsync(pwsh, empty, ct));
        }

        double shippedMedian = Median(shipped);
        double plainMedian = Median(plain);
        double baselineMedian = Median(baseline);
        Console.WriteLine($"  DockerPS.psd1 as shipped (isolated)              median {Report.Ms(shippedMedian)} ms, min {Report.Ms(shipped.Min())} ms, own {Report.Ms(shippedMedian - baselineMedian)} ms");
        Console.WriteLine($"  a copy importing bin/DockerPS.dll by path        median {Report.Ms(plainMedian)} ms, min {Report.Ms(plain.Min())} ms, own {Report.Ms(plainMedian - baselineMedian)} ms");
        Console.WriteLine($"  an empty script module (PowerShell's own share)  median {Report.Ms(baselineMedian)} ms, min {Report.Ms(baseline.Min())} ms");
        Console.WriteLine($"SUMMARY import: {Report.Ms(shippedMedian)} ms (goal <= {GoalMs.ToString(CultureInfo.InvariantCulture)} ms: {(shippedMedian <= GoalMs ? "met" : "MISSED")}), isolated/direct {Report.Ratio(shippedMedian / plainMedian)}, DockerPS's own {Report.Ms(shippedMedian - baselineMedian)} ms");
    }

    /// <summary>A module with one empty function: what any first import costs.</summary>
    private static string EmptyModule(string workDir)
    {
        string folder = Path.Combine(workDir, "import-empty", "Empty");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Empty.psm1"), "function Get-Nothing {}\n");
        File.WriteAllText(Path.Combine(folder, "Empty.psd1"), "@{ RootModule = 'Empty.psm1'; ModuleVersion = '1.0.0'; FunctionsToExport = 'Get-Nothing' }\n");
        return Path.Combine(folder, "Empty.psd1");
    }

    /// <summary>The module folder copied, with a manifest whose RootModule is bin/DockerPS.dll and no loader.</summary>
    private static string NotIsolatedCopy(string manifest, string workDir)
    {
        string copy = Path.Combine(workDir, "import-not-isolated", "DockerPS");
        CopyFolder(Path.GetDirectoryName(manifest)!, copy);
        string copied = Path.Combine(copy, "DockerPS.psd1");
        var lines = File.ReadAllLines(copied)
            .Where(l => !l.TrimStart().StartsWith("NestedModules", StringComparison.Ordinal))
            .Select(l => l.TrimStart().StartsWith("RootModule", StringComparison.Ordinal) ? "    RootModule = 'bin/DockerPS.dll'" : l);
        File.WriteAllLines(copied, lines);
        return copied;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }

        foreach (string folder in Directory.GetDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }

    private static async Task<double> ImportMsAsync(string pwsh, string module, CancellationToken ct)
    {
        string script = $"$w = [System.Diagnostics.Stopwatch]::StartNew(); Import-Module '{module.Replace("'", "''", StringComparison.Ordinal)}' -ErrorAction Stop; $w.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)";
        ProcessResult result = await Proc.RunAsync(pwsh, ["-NoProfile", "-NonInteractive", "-Command", script], ct);
        return result.ExitCode == 0 && double.TryParse(result.StdOut.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double ms)
            ? ms
            : throw new BenchmarkException($"Import-Module {module} failed in pwsh ({result.ExitCode}): {result.StdErr}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
