using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;

namespace DockerPS.Benchmarks;

internal sealed record SaveResult(double TimeCmdletOverRaw, double TimeCmdletOverCli, double CmdletPeakGrowth, bool Streams, bool Identical, bool Plausible);

/// <summary>
/// Section 2: saving an image to a file through the cmdlet, the raw API and the CLI, each in a process of its own
/// so that its peak memory can be read; and the same on a small image, to show the peak does not follow the size.
/// </summary>
internal static class SaveBenchmark
{
    private const string TimeTool = "/usr/bin/time";

    private enum Kind
    {
        Cmdlet,
        Raw,
        Cli,
    }

    private sealed record Run(double Seconds, double ProcessSeconds, long Bytes, long PeakKib, long BeforeKib);

    private sealed class Measured
    {
        public List<Run> Runs { get; } = [];

        public string Sha256 { get; set; } = string.Empty;

        public double MedianSeconds
        {
            get
            {
                var s = new Samples();
                Runs.ForEach(r => s.Add(r.Seconds));
                return s.Median;
            }
        }

        public double MedianProcessSeconds
        {
            get
            {
                var s = new Samples();
                Runs.ForEach(r => s.Add(r.ProcessSeconds));
                return s.Median;
            }
        }

        /// <summary>The highest peak over all runs: a peak is a worst case, so the worst run is the honest figure.</summary>
        public long PeakKib => Runs.Max(r => r.PeakKib);

        public long BeforeKib => Runs.Max(r => r.BeforeKib);

        public long Bytes => Runs[^1].Bytes;
    }

    private static readonly Dictionary<Kind, string> Names = new()
    {
        [Kind.Cmdlet] = "Save-DockerImage (child, hosted engine)",
        [Kind.Raw] = "GET /images/get -> file (child)",
        [Kind.Cli] = "docker save -o (process)",
    };

    public static async Task<SaveResult> RunAsync(
        (string Reference, int Mib) small, (string Reference, int Mib) big, int runs, string workDir, CancellationToken ct)
    {
        bool gnuTime = await HasGnuTimeAsync(ct);
        Report.Status(gnuTime
            ? $"docker save's peak memory: from {TimeTool} -v (maximum resident set size)"
            : $"docker save's peak memory: {TimeTool} -v is not available; polling /proc/<pid>/status VmHWM every 5 ms (a lower bound)");

        var results = new Dictionary<(int Mib, Kind Kind), Measured>();
        var plausible = true;
        var expectedBytes = new Dictionary<int, long>();
        foreach ((string reference, int mib) in new[] { small, big })
        {
            long imageBytes = await Engine.ImageSizeAsync(reference, ct);
            expectedBytes[mib] = imageBytes;
            for (int r = 0; r < runs; r++)
            {
                Report.Status(string.Create(CultureInfo.InvariantCulture, $"saving {reference} ({Report.Mib(imageBytes)} MiB), round {r + 1} of {runs}"));
                var paths = new Dictionary<Kind, string>();
                for (int k = 0; k < 3; k++)
                {
                    // Rotated, so that no variant always runs first (cold caches) or last (warm ones).
                    var kind = (Kind)((r + k) % 3);
                    string path = Path.Combine(workDir, string.Create(CultureInfo.InvariantCulture, $"save-{mib}-{kind.ToString().ToLowerInvariant()}-{r}.tar"));
                    paths[kind] = path;
                    await Engine.FlushWritesAsync(ct);
                    Run run = await SaveOnceAsync(kind, reference, path, gnuTime, ct);
                    if (!results.TryGetValue((mib, kind), out Measured? measured))
                    {
                        results[(mib, kind)] = measured = new Measured();
                    }

                    measured.Runs.Add(run);
                    if (!IsPlausible(run.Bytes, imageBytes))
                    {
                        plausible = false;
                        Report.Status($"{Names[kind]} wrote {run.Bytes} bytes for an image of {imageBytes} bytes: not a plausible archive size");
                    }
                }

                if (r == 0)
                {
                    foreach ((Kind kind, string path) in paths)
                    {
                        results[(mib, kind)].Sha256 = await HashAsync(path, ct);
                    }
                }

                foreach (string path in paths.Values)
                {
                    File.Delete(path);
                }
            }
        }

        return Print(results, small.Mib, big.Mib, expectedBytes, plausible);
    }

    private static SaveResult Print(Dictionary<(int Mib, Kind Kind), Measured> results, int smallMib, int bigMib, Dictionary<int, long> expectedBytes, bool plausible)
    {
        Kind[] kinds = [Kind.Cmdlet, Kind.Raw, Kind.Cli];
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Image with {bigMib} MiB of random data ({Report.Mib(expectedBytes[bigMib])} MiB per docker image inspect), {results[(bigMib, Kind.Cmdlet)].Runs.Count} run(s) each:"));
        var table = new Table("variant", "save s", "min-max s", "MiB/s", "process s", "peak RSS MiB", "peak before save", "archive MiB");
        foreach (Kind kind in kinds)
        {
            Measured m = results[(bigMib, kind)];
            table.Add(Names[kind], Report.Seconds(m.MedianSeconds), $"{Report.Seconds(m.Runs.Min(r => r.Seconds))}-{Report.Seconds(m.Runs.Max(r => r.Seconds))}",
                Report.F1(m.Bytes / 1048576.0 / m.MedianSeconds),
                Report.Seconds(m.MedianProcessSeconds), Report.MibFromKib(m.PeakKib),
                kind == Kind.Cli ? "-" : Report.MibFromKib(m.BeforeKib), Report.Mib(m.Bytes));
        }

        table.Print();
        Console.WriteLine("  save s: median time of the save itself (for docker save: the whole process, start-up included), each after an untimed sync;");
        Console.WriteLine("  process s: the whole process, start-up included; peak RSS: the highest VmHWM over the runs;");
        Console.WriteLine("  peak before save: the child's peak once warm, just before saving (for the cmdlet, mostly the PowerShell engine).");

        Measured cmdlet = results[(bigMib, Kind.Cmdlet)], raw = results[(bigMib, Kind.Raw)], cli = results[(bigMib, Kind.Cli)];
        Console.WriteLine();
        var ratios = new Table("ratio", "save time", "throughput", "goal", "peak RSS");
        ratios.Add("Save-DockerImage / raw API", Report.Ratio(cmdlet.MedianSeconds / raw.MedianSeconds), Report.Ratio(raw.MedianSeconds / cmdlet.MedianSeconds), ">= 0.95x",
            Report.Ratio((double)cmdlet.PeakKib / raw.PeakKib));
        ratios.Add("Save-DockerImage / docker save", Report.Ratio(cmdlet.MedianSeconds / cli.MedianSeconds), Report.Ratio(cli.MedianSeconds / cmdlet.MedianSeconds), string.Empty,
            Report.Ratio((double)cmdlet.PeakKib / cli.PeakKib));
        ratios.Print();

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Streaming check: peak memory at {smallMib} MiB and at {bigMib} MiB of image data ({Report.Ratio((double)expectedBytes[bigMib] / expectedBytes[smallMib])} the data):"));
        var growth = new Table("variant", $"peak @{smallMib} MiB", $"peak @{bigMib} MiB", "growth", "extra MiB", "extra / data added");
        double dataAdded = expectedBytes[bigMib] - expectedBytes[smallMib];
        double cmdletGrowth = double.NaN;
        bool streams = true;
        foreach (Kind kind in kinds)
        {
            long smallPeak = results[(smallMib, kind)].PeakKib, bigPeak = results[(bigMib, kind)].PeakKib;
            double extraBytes = (bigPeak - smallPeak) * 1024.0;
            growth.Add(Names[kind], Report.MibFromKib(smallPeak), Report.MibFromKib(bigPeak), Report.Ratio((double)bigPeak / smallPeak),
                Report.F1(extraBytes / 1048576.0), (extraBytes / dataAdded).ToString("P1", CultureInfo.InvariantCulture));
            if (kind == Kind.Cmdlet)
            {
                cmdletGrowth = (double)bigPeak / smallPeak;

                // Buffering the archive would add about all of the added data; a quarter leaves room for GC and page noise.
                streams = extraBytes < dataAdded / 4;
            }
        }

        growth.Print();
        Console.WriteLine(streams
            ? "  Save-DockerImage streams: its peak memory does not follow the image size."
            : "  Save-DockerImage does NOT stream: its peak memory grew with the image size.");

        Console.WriteLine();
        Console.WriteLine("Archive checks (first run of each size; SHA-256 of the whole file):");
        var checks = new Table("image data", "Save-DockerImage", "raw API", "docker save", "cmdlet = raw", "cmdlet = CLI", "sizes plausible");
        bool identical = true;
        foreach (int mib in new[] { smallMib, bigMib })
        {
            string c = results[(mib, Kind.Cmdlet)].Sha256;
            string r = results[(mib, Kind.Raw)].Sha256;
            string d = results[(mib, Kind.Cli)].Sha256;
            identical &= c == r;
            bool sizesOk = kinds.All(k => results[(mib, k)].Runs.All(run => IsPlausible(run.Bytes, expectedBytes[mib])));
            checks.Add(mib.ToString(CultureInfo.InvariantCulture) + " MiB", c[..16], r[..16], d[..16], c == r ? "yes" : "NO", c == d ? "yes" : "no", sizesOk ? "yes" : "NO");
        }

        checks.Print();
        Console.WriteLine("  plausible: at least the image's size and at most 2% + 8 MiB over it (tar headers and metadata).");
        return new SaveResult(cmdlet.MedianSeconds / raw.MedianSeconds, cmdlet.MedianSeconds / cli.MedianSeconds, cmdletGrowth, streams, identical, plausible);
    }

    private static bool IsPlausible(long archiveBytes, long imageBytes) =>
        archiveBytes >= imageBytes && archiveBytes <= (imageBytes * 1.02) + (8 << 20);

    private static async Task<Run> SaveOnceAsync(Kind kind, string reference, string path, bool gnuTime, CancellationToken ct)
    {
        if (kind == Kind.Cli)
        {
            return await SaveWithCliAsync(reference, path, gnuTime, ct);
        }

        (string self, List<string> args) = Proc.Self();
        args.AddRange([Child.Argument, kind == Kind.Cmdlet ? Child.SaveCmdlet : Child.SaveRaw, reference, path]);
        ProcessResult result = await Proc.RunAsync(self, args, ct);
        if (result.ExitCode != 0)
        {
            throw new BenchmarkException($"{Names[kind]} failed ({result.ExitCode}): {result.StdErr.Trim()} {result.StdOut.Trim()}");
        }

        Dictionary<string, string> values = Child.ParseResult(result.StdOut);
        return new Run(
            double.Parse(values["seconds"], CultureInfo.InvariantCulture),
            result.Elapsed.TotalSeconds,
            long.Parse(values["bytes"], CultureInfo.InvariantCulture),
            long.Parse(values["hwm_kib"], CultureInfo.InvariantCulture),
            long.Parse(values["hwm_before_kib"], CultureInfo.InvariantCulture));
    }

    private static async Task<Run> SaveWithCliAsync(string reference, string path, bool gnuTime, CancellationToken ct)
    {
        ProcessResult result;
        long peakKib;
        if (gnuTime)
        {
            result = await Proc.RunAsync(TimeTool, ["-v", "docker", "save", "-o", path, reference], ct);
            string? line = result.StdErr.Split('\n').FirstOrDefault(l => l.Contains("Maximum resident set size", StringComparison.Ordinal));
            peakKib = line == null ? -1 : long.Parse(line[(line.LastIndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
        }
        else
        {
            long polled = -1;
            Task? poller = null;
            result = await Proc.RunAsync("docker", ["save", "-o", path, reference], ct, process =>
            {
                string pid = process.Id.ToString(CultureInfo.InvariantCulture);
                poller = Task.Run(async () =>
                {
                    // VmHWM only rises, so the last reading before exit is the best this can see.
                    while (!process.HasExited)
                    {
                        polled = Math.Max(polled, Proc.StatusKib(pid, "VmHWM") ?? -1);
                        await Task.Delay(5, CancellationToken.None);
                    }
                }, CancellationToken.None);
            });
            if (poller != null)
            {
                await poller;
            }

            peakKib = polled;
        }

        if (result.ExitCode != 0)
        {
            throw new BenchmarkException($"docker save -o failed ({result.ExitCode}): {result.StdErr.Trim()}");
        }

        double seconds = result.Elapsed.TotalSeconds;
        return new Run(seconds, seconds, new FileInfo(path).Length, peakKib, -1);
    }

    private static async Task<bool> HasGnuTimeAsync(CancellationToken ct)
    {
        if (!File.Exists(TimeTool))
        {
            return false;
        }

        try
        {
            ProcessResult probe = await Proc.RunAsync(TimeTool, ["-v", "true"], ct);
            return probe.ExitCode == 0 && probe.StdErr.Contains("Maximum resident set size", StringComparison.Ordinal);
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}
