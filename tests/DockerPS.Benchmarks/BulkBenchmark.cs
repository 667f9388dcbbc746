using System.Diagnostics;
using System.Globalization;

namespace DockerPS.Benchmarks;

internal sealed record BulkResult(double RemoveOverCli, double StopOverCli, long PeakRssKib);

/// <summary>Section 3: acting on many containers at once through the pipeline, against the docker CLI on the same ids.</summary>
internal static class BulkBenchmark
{
    private const int RemoveCount = 200;
    private const int StopCount = 50;

    public static async Task<BulkResult> RunAsync(PsEngine ps, string image, string runId, CancellationToken ct)
    {
        // Peak RSS of this process from here on: clear_refs 5 resets the high-water mark (Linux).
        File.WriteAllText("/proc/self/clear_refs", "5");

        string psSet = await MakeAsync(RemoveCount, image, runId, "rm-ps", running: false, ct);
        double psRemove = Time(() => ps.Invoke(p => p.AddScript($"Get-DockerContainer -Label 'dockerps-bench.set={psSet}' | Remove-DockerContainer -Force")));
        string[] cliIds = await IdsAsync(await MakeAsync(RemoveCount, image, runId, "rm-cli", running: false, ct), ct);
        double cliRemove = await TimeAsync(() => Engine.DockerAsync(ct, ["rm", "-f", .. cliIds]));

        // A sleep that ends on SIGTERM, so a stop measures the calls and not the engine's 10-second wait.
        string psStopSet = await MakeAsync(StopCount, image, runId, "stop-ps", running: true, ct);
        double psStop = Time(() => ps.Invoke(p => p.AddScript($"Get-DockerContainer -Label 'dockerps-bench.set={psStopSet}' | Stop-DockerContainer")));
        string[] stopIds = await IdsAsync(await MakeAsync(StopCount, image, runId, "stop-cli", running: true, ct), ct);
        double cliStop = await TimeAsync(() => Engine.DockerAsync(ct, ["stop", .. stopIds]));
        long peak = PeakRssKib();

        Console.WriteLine();
        var table = new Table("variant", "seconds", "cmdlet / CLI", "goal");
        table.Add($"Get-DockerContainer | Remove-DockerContainer -Force ({RemoveCount})", Report.Seconds(psRemove), Report.Ratio(psRemove / cliRemove), "<= 0.50x");
        table.Add($"docker rm -f <same {RemoveCount} ids>", Report.Seconds(cliRemove), string.Empty, string.Empty);
        table.Add($"Get-DockerContainer | Stop-DockerContainer ({StopCount} running)", Report.Seconds(psStop), Report.Ratio(psStop / cliStop), "<= 0.60x");
        table.Add($"docker stop <same {StopCount} ids>", Report.Seconds(cliStop), string.Empty, string.Empty);
        table.Print();
        Console.WriteLine($"  peak RSS of the benchmark process during the bulk runs: {Report.MibFromKib(peak)} MiB");
        return new BulkResult(psRemove / cliRemove, psStop / cliStop, peak);
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        long start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Makes a labelled set of containers (also under the run's label, so the cleanup finds leftovers).</summary>
    private static async Task<string> MakeAsync(int count, string image, string runId, string what, bool running, CancellationToken ct)
    {
        string set = $"{runId}-{what}";
        Report.Status($"{(running ? "starting" : "creating")} {count} containers for {what}");
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"dockerps-bench-{set}-{i:D3}");
            string[] command = running ? ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"] : ["sh"];
            await Engine.DockerAsync(token, [running ? "run" : "create", .. running ? new[] { "-d" } : [],
                "--label", $"{Engine.LabelKey}={runId}", "--label", $"dockerps-bench.set={set}", "--name", name, image, .. command]);
        });
        return set;
    }

    private static async Task<string[]> IdsAsync(string set, CancellationToken ct) =>
        (await Engine.DockerAsync(ct, "ps", "-aq", "--filter", $"label=dockerps-bench.set={set}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static long PeakRssKib()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line == null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
