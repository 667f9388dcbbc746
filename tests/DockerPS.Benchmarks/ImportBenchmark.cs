using System.Globalization;

namespace DockerPS.Benchmarks;

/// <summary>
/// How long Import-Module DockerPS takes in a fresh real pwsh 7.6.9 (the goal is 150 ms at most): the module as shipped
/// (entry script, loader, private load context, type names) beside bin/DockerPS.dll imported directly, without any of
/// that, so the cost of the isolation shows as a ratio. Each import runs in a new pwsh process, as a user's first import.
/// </summary>
internal static class ImportBenchmark
{
    private const double GoalMs = 150;

    public static async Task RunAsync(string manifest, int runs, CancellationToken ct)
    {
        Report.Heading($"4. Import-Module in a fresh pwsh 7.6.9 ({runs} process(es) per variant, alternating)");
        string pwsh = (await Proc.RunAsync("bash", [Path.Combine(Repo.Root(), "tests", "tools", "install-pwsh.sh")], ct)).StdOut.Trim();
        string direct = Path.Combine(Path.GetDirectoryName(manifest)!, "bin", "DockerPS.dll");
        var shipped = new List<double>();
        var plain = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            shipped.Add(await ImportMsAsync(pwsh, manifest, ct));
            plain.Add(await ImportMsAsync(pwsh, direct, ct));
        }

        double shippedMedian = Median(shipped);
        double plainMedian = Median(plain);
        Console.WriteLine($"  Import-Module DockerPS.psd1 (isolated)    median {Report.Ms(shippedMedian)} ms, min {Report.Ms(shipped.Min())} ms");
        Console.WriteLine($"  Import-Module bin/DockerPS.dll (direct)   median {Report.Ms(plainMedian)} ms, min {Report.Ms(plain.Min())} ms");
        Console.WriteLine($"SUMMARY import: {Report.Ms(shippedMedian)} ms (goal <= {GoalMs.ToString(CultureInfo.InvariantCulture)} ms: {(shippedMedian <= GoalMs ? "met" : "MISSED")}), isolated/direct {Report.Ratio(shippedMedian / plainMedian)}");
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
