using System.Diagnostics;
using System.Globalization;

namespace DockerPS.Benchmarks;

internal sealed record LoadResult(double ThroughputCmdletOverCli, bool SameImage);

/// <summary>
/// Section 3: loading one image archive through Import-DockerImage and through docker load -i. Before every load the
/// image is removed, so that each variant makes the engine write the whole layer again, as on a machine that lacks it.
/// </summary>
internal static class LoadBenchmark
{
    private const string CmdletName = "Import-DockerImage -Path (hosted engine)";
    private const string CliName = "docker load -i (process)";

    public static async Task<LoadResult> RunAsync(PsEngine ps, string reference, int runs, string workDir, CancellationToken ct)
    {
        string archive = Path.Combine(workDir, "load.tar");
        string id = await Engine.DockerAsync(ct, "image", "inspect", "--format", "{{.Id}}", reference);
        Report.Status($"writing the archive to load with docker save -o (untimed)");
        await Engine.DockerAsync(ct, "save", "-o", archive, reference);
        long bytes = new FileInfo(archive).Length;

        var cmdlet = new Samples();
        var cli = new Samples();
        bool sameImage = true;
        try
        {
            for (int r = 0; r < runs; r++)
            {
                Report.Status(string.Create(CultureInfo.InvariantCulture, $"loading {reference} ({Report.Mib(bytes)} MiB archive), round {r + 1} of {runs}"));
                for (int k = 0; k < 2; k++)
                {
                    // Rotated, as the saves are, so that neither variant always meets the page cache first.
                    bool useCmdlet = (r + k) % 2 == 0;
                    await Engine.DockerAsync(ct, "rmi", reference);
                    await Engine.FlushWritesAsync(ct);
                    long start = Stopwatch.GetTimestamp();
                    if (useCmdlet)
                    {
                        ps.Invoke(p => p.AddCommand("Import-DockerImage").AddParameter("Path", archive));
                    }
                    else
                    {
                        await Engine.DockerAsync(ct, "load", "-i", archive);
                    }

                    double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    (useCmdlet ? cmdlet : cli).Add(seconds);
                    sameImage &= await Engine.DockerAsync(ct, "image", "inspect", "--format", "{{.Id}}", reference) == id;
                }
            }
        }
        finally
        {
            // An interrupted round may have removed the image without loading it back: the next run makes it again.
            File.Delete(archive);
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Archive of {Report.Mib(bytes)} MiB, image removed before each load, median of {runs} run(s) each:"));
        var table = new Table("variant", "load s", "min-max s", "MiB/s", "throughput / docker load", "goal");
        table.Add(CmdletName, Report.Seconds(cmdlet.Median), Spread(cmdlet), Report.F1(bytes / 1048576.0 / cmdlet.Median), Report.Ratio(cli.Median / cmdlet.Median), ">= 0.95x");
        table.Add(CliName, Report.Seconds(cli.Median), Spread(cli), Report.F1(bytes / 1048576.0 / cli.Median), string.Empty, string.Empty);
        table.Print();
        Console.WriteLine("  load s: from the call to the image being there (for docker load: the whole process, start-up included), each after an untimed sync.");
        Console.WriteLine(sameImage
            ? $"  every load gave back {id[..19]} under {reference}."
            : $"  a load did NOT give back {id[..19]} under {reference}.");
        return new LoadResult(cli.Median / cmdlet.Median, sameImage);
    }

    private static string Spread(Samples samples) => $"{Report.Seconds(samples.Min)}-{Report.Seconds(samples.Max)}";
}
