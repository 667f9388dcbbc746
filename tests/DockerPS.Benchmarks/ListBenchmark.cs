using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace DockerPS.Benchmarks;

internal sealed record ListResult(double CmdletOverRaw, double CmdletOverCli);

/// <summary>Section 1: listing all containers, warm, through the cmdlet, the raw API and the CLI.</summary>
internal static class ListBenchmark
{
    private sealed record Variant(string Name, Func<CancellationToken, Task<int>> Call)
    {
        public Samples Samples { get; } = new();

        public int Items { get; set; }
    }

    public static async Task<ListResult> RunAsync(PsEngine ps, int iterations, CancellationToken ct)
    {
        using HttpClient http = Engine.CreateSocketClient();
        var cmdlet = new Variant("Get-DockerContainer (hosted engine)", _ => Task.FromResult(
            ps.Invoke(p => p.AddCommand("Get-DockerContainer")).Count));

        // What a user at a prompt waits for: the objects rendered as the module's table view (what the host would print,
        // at a 120-column console's width), as docker ps prints text.
        var rendered = new Variant("Get-DockerContainer | Out-String", _ =>
        {
            var text = ps.Invoke(p => p.AddCommand("Get-DockerContainer").AddCommand("Out-String").AddParameter("Width", 120));
            return Task.FromResult(CountTableRows(string.Concat(text.Select(o => o?.ToString()))));
        });

        var raw = new Variant("GET /containers/json?all=1 (socket)", async token =>
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("containers/json?all=1", UriKind.Relative), token);
            response.EnsureSuccessStatusCode();

            // Parsed as well as read, since the cmdlet's time includes turning the JSON into objects too.
            await using Stream body = await response.Content.ReadAsStreamAsync(token);
            using JsonDocument json = await JsonDocument.ParseAsync(body, cancellationToken: token);
            return json.RootElement.GetArrayLength();
        });

        var cli = new Variant("docker ps -a (process)", async token =>
        {
            ProcessResult result = await Proc.RunAsync("docker", ["ps", "-a"], token);
            return result.ExitCode == 0
                ? CountTableRows(result.StdOut)
                : throw new BenchmarkException("docker ps -a failed: " + result.StdErr.Trim());
        });

        Variant[] variants = [cmdlet, rendered, raw, cli];
        foreach (Variant v in variants)
        {
            // Warm-up, untimed: JIT, the module's engine connection, the HTTP connection pool, the CLI's binary in cache.
            v.Items = await v.Call(ct);
        }

        Report.Status($"warm; timing {iterations} calls of each, interleaved so that engine load drifts hit all alike");
        for (int i = 0; i < iterations; i++)
        {
            for (int k = 0; k < variants.Length; k++)
            {
                ct.ThrowIfCancellationRequested();
                Variant v = variants[(i + k) % variants.Length];
                long start = Stopwatch.GetTimestamp();
                v.Items = await v.Call(ct);
                v.Samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        Console.WriteLine();
        var table = new Table("variant", "median ms", "p90 ms", "min ms", "containers");
        foreach (Variant v in variants)
        {
            table.Add(v.Name, Report.Ms(v.Samples.Median), Report.Ms(v.Samples.P90), Report.Ms(v.Samples.Min), Report.Int(v.Items));
        }

        table.Print();
        Console.WriteLine();
        var ratios = new Table("ratio (lower is faster for the cmdlet)", "median", "p90");
        AddRatio(ratios, "Get-DockerContainer / raw API", cmdlet, raw);
        AddRatio(ratios, "Get-DockerContainer / docker ps -a", cmdlet, cli);
        AddRatio(ratios, "... | Out-String / docker ps -a", rendered, cli);
        ratios.Print();
        if (variants.Select(v => v.Items).Distinct().Count() > 1)
        {
            Console.WriteLine("  note: the variants saw different container counts; something else is creating or removing containers on this engine.");
        }

        return new ListResult(cmdlet.Samples.Median / raw.Samples.Median, cmdlet.Samples.Median / cli.Samples.Median);
    }

    private static void AddRatio(Table table, string name, Variant a, Variant b) =>
        table.Add(name, Report.Ratio(a.Samples.Median / b.Samples.Median), Report.Ratio(a.Samples.P90 / b.Samples.P90));

    /// <summary>Lines of a rendered table that are neither blank, nor the header, nor its underline.</summary>
    private static int CountTableRows(string? text)
    {
        string[] lines = (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool underlined = lines.Length > 1 && lines[1].All(c => c is '-' or ' ');
        return Math.Max(0, lines.Length - (underlined ? 2 : 1));
    }

    /// <summary>Creates labelled, never-started containers so the lists have something to show.</summary>
    public static async Task CreateContainersAsync(int count, string image, string runId, CancellationToken ct)
    {
        // A few at a time: the engine serialises much of container creation anyway.
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"dockerps-bench-{runId}-{i:D2}");
            await Engine.DockerAsync(token, "create", "--label", $"{Engine.LabelKey}={runId}", "--name", name, image, "sh");
        });
    }
}
