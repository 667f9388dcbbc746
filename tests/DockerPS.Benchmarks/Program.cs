using System.Globalization;
using System.Runtime.InteropServices;

namespace DockerPS.Benchmarks;

/// <summary>
/// Measures DockerPS side by side with the raw Engine API and the docker CLI, in one run, and prints ratios.
/// Not a test: the numbers depend on the machine, so it reports instead of passing or failing on them.
/// </summary>
internal static class Program
{
    private const string BusyboxImage = "dockerps-bench/busybox:latest";
    private const string SmallImage = "dockerps-bench/small:latest";
    private const string BigImage = "dockerps-bench/big:latest";

    private const int ExitOk = 0;
    private const int ExitCheckFailed = 1;
    private const int ExitError = 2;
    private const int ExitUsage = 64;
    private const int ExitInterrupted = 130;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == Child.Argument)
        {
            return await Child.RunAsync(args[1..]);
        }

        Options? options = Options.Parse(args, out string? error);
        if (options == null)
        {
            await Console.Error.WriteLineAsync($"DockerPS.Benchmarks: {error}\n\n{Options.Usage}");
            return ExitUsage;
        }

        if (options.Help)
        {
            Console.WriteLine(Options.Usage);
            return ExitOk;
        }

        using var stop = new CancellationTokenSource();
        int presses = 0;
        void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            // The first Ctrl+C stops the measuring and lets the cleanup run; a second one quits at once.
            if (Interlocked.Increment(ref presses) == 1)
            {
                e.Cancel = true;
                Console.Error.WriteLine("\nInterrupted: stopping and cleaning up (Ctrl+C again quits without cleaning up).");
                stop.Cancel();
            }
        }

        Console.CancelKeyPress += OnCancelKey;

        // A plain kill (SIGTERM, or the terminal closing) gets the same cleanup as Ctrl+C.
        using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopOnSignal);
        using PosixSignalRegistration onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, StopOnSignal);
        void StopOnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        string runId = Guid.NewGuid().ToString("N")[..8];
        string workDir = Directory.CreateTempSubdirectory("dockerps-bench-").FullName;
        try
        {
            return await RunAsync(options, runId, workDir, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitInterrupted;
        }
        catch (BenchmarkException ex)
        {
            await Console.Error.WriteLineAsync("DockerPS.Benchmarks: " + ex.Message);
            return ExitError;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unexpected: the whole exception, since its stack is the only clue; the cleanup still runs.
            await Console.Error.WriteLineAsync("DockerPS.Benchmarks failed: " + ex);
            return ExitError;
        }
        finally
        {
            await CleanUpAsync(options, runId, workDir);
            Console.CancelKeyPress -= OnCancelKey;
        }
    }

    private static async Task<int> RunAsync(Options options, string runId, string workDir, CancellationToken ct)
    {
        Console.WriteLine("DockerPS benchmark" + (options.Quick ? " (--quick: a check that the benchmark works; the numbers mean little)" : string.Empty));
        string manifest = await Repo.EnsureModuleBuiltAsync(ct);
        await Engine.EnsureRunningAsync(Repo.Root(), ct);

        Report.Status("preparing images (busybox root filesystem plus random data, made locally)");
        bool busyboxReused = await Engine.EnsureImageAsync(BusyboxImage, 0, runId, workDir, ct);
        bool smallReused = await Engine.EnsureImageAsync(SmallImage, options.SmallMib, runId, workDir, ct);
        bool bigReused = await Engine.EnsureImageAsync(BigImage, options.SizeMib, runId, workDir, ct);
        Report.Status($"{BusyboxImage} {Made(busyboxReused)}, {SmallImage} {Made(smallReused)}, {BigImage} {Made(bigReused)}");

        Report.Status($"creating {options.Containers} containers labelled {Engine.LabelKey}={runId}");
        await ListBenchmark.CreateContainersAsync(options.Containers, BusyboxImage, runId, ct);

        Report.Status("starting the PowerShell engine and importing the module");
        using var ps = new PsEngine(manifest);
        string configuration = ps.ModuleConfiguration();
        string engineVersion = await Engine.DockerAsync(ct, "version", "--format", "{{.Server.Version}} (API {{.Server.APIVersion}})");
        string cliVersion = await Engine.DockerAsync(ct, "version", "--format", "{{.Client.Version}}");

        Console.WriteLine();
        Console.WriteLine($"run {runId}, {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"engine {engineVersion}, docker CLI {cliVersion}, module {manifest} ({configuration} build)");
        if (!configuration.Equals("Release", StringComparison.OrdinalIgnoreCase))
        {
            Console.WriteLine($"  note: the module is a {configuration} build; for representative numbers run `{Repo.BuildCommand}` first.");
        }

        Report.Heading($"1. List all containers, warm ({options.Iterations} timed calls each, after one untimed)");
        ListResult list = await ListBenchmark.RunAsync(ps, options.Iterations, ct);

        Report.Heading($"2. Save an image to a file ({options.SaveRuns} run(s) per variant and size, each in a fresh process)");
        SaveResult save = await SaveBenchmark.RunAsync((SmallImage, options.SmallMib), (BigImage, options.SizeMib), options.SaveRuns, workDir, ct);

        Report.Heading($"3. Load an image archive ({options.SaveRuns} run(s) per variant, the image removed before each)");
        LoadResult load = await LoadBenchmark.RunAsync(ps, BigImage, options.SaveRuns, workDir, ct);

        Report.Heading($"4. Act on many containers at once: the pipeline against the docker CLI on the same ids");
        BulkResult bulk = await BulkBenchmark.RunAsync(ps, BusyboxImage, runId, ct);
        await ImportBenchmark.RunAsync(manifest, workDir, options.Iterations, ct);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY bulk: remove cmdlet/CLI {Report.Ratio(bulk.RemoveOverCli)}, stop cmdlet/CLI {Report.Ratio(bulk.StopOverCli)}, peak RSS {Report.MibFromKib(bulk.PeakRssKib)} MiB | list: cmdlet/raw {Report.Ratio(list.CmdletOverRaw)}, cmdlet/CLI {Report.Ratio(list.CmdletOverCli)} | "
            + $"save {options.SizeMib} MiB: time cmdlet/raw {Report.Ratio(save.TimeCmdletOverRaw)} (throughput {Report.Ratio(1 / save.TimeCmdletOverRaw)}, goal >= 0.95x), cmdlet/CLI {Report.Ratio(save.TimeCmdletOverCli)} | "
            + $"load: throughput cmdlet/docker load {Report.Ratio(load.ThroughputCmdletOverCli)} (goal >= 0.95x), {(load.SameImage ? "same image" : "DIFFERENT IMAGE")} | "
            + $"cmdlet peak memory {options.SmallMib}->{options.SizeMib} MiB: {Report.Ratio(save.CmdletPeakGrowth)} ({(save.Streams ? "streams" : "DOES NOT STREAM")}) | "
            + $"archive cmdlet = raw: {(save.Identical ? "identical" : "DIFFERENT")} | sizes {(save.Plausible ? "plausible" : "IMPLAUSIBLE")}"));
        return save.Streams && save.Identical && save.Plausible && load.SameImage ? ExitOk : ExitCheckFailed;
    }

    private static string Made(bool reused) => reused ? "reused" : "made";

    /// <summary>Removes what this run made, whatever happened before; never with the run's (maybe cancelled) token.</summary>
    private static async Task CleanUpAsync(Options options, string runId, string workDir)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        CancellationToken ct = timeout.Token;
        var done = new List<string>();
        try
        {
            string[] containers = await ListAsync(ct, "ps", "-aq", "--filter", $"label={Engine.LabelKey}={runId}");
            if (containers.Length > 0)
            {
                await Proc.RunAsync("docker", ["rm", "-f", "-v", .. containers], ct);
                done.Add($"{containers.Length} containers");
            }

            if (!options.KeepImages)
            {
                var images = new List<string>();
                foreach (string reference in new[] { BusyboxImage, SmallImage, BigImage })
                {
                    if (await Engine.ImageSizeLabelAsync(reference, ct) != null)
                    {
                        images.Add(reference);
                    }
                }

                // Also anything this run imported that lost its name on the way (an interrupted re-import, say).
                images.AddRange(await ListAsync(ct, "images", "-q", "--no-trunc", "--filter", $"label={Engine.LabelKey}={runId}"));
                if (images.Count > 0)
                {
                    await Proc.RunAsync("docker", ["rmi", "-f", .. images.Distinct()], ct);
                    done.Add("the benchmark images");
                }
            }
        }
        catch (Exception ex) when (ex is BenchmarkException or OperationCanceledException or IOException)
        {
            await Console.Error.WriteLineAsync($"Cleanup did not finish ({ex.Message}); remove what is left with: docker rm -f $(docker ps -aq --filter label={Engine.LabelKey}={runId})");
        }

        try
        {
            Directory.Delete(workDir, recursive: true);
            done.Add("the temporary folder");
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"Could not delete {workDir}: {ex.Message}");
        }

        Console.WriteLine();
        Console.WriteLine("cleanup: removed " + (done.Count == 0 ? "nothing" : string.Join(", ", done))
            + (options.KeepImages ? " (images kept: --keep-images)" : string.Empty));
    }

    private static async Task<string[]> ListAsync(CancellationToken ct, params string[] args) =>
        (await Engine.DockerAsync(ct, args)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
