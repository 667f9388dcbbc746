using System.Diagnostics;
using System.Globalization;

namespace DockerPS.Benchmarks;

/// <summary>
/// One save, alone in its own process, so that the process's peak resident set (VmHWM) belongs to that save and
/// nothing else the benchmark did. The parent reads the one result line this prints.
/// </summary>
internal static class Child
{
    public const string Argument = "--child";
    public const string SaveCmdlet = "save-cmdlet";
    public const string SaveRaw = "save-raw";
    public const string ResultPrefix = "BENCH-RESULT";

    /// <summary>Same buffer as the module's copy loop, so the raw variant differs only in what sits around the copy.</summary>
    private const int CopyBuffer = 1 << 17;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 3 || (args[0] != SaveCmdlet && args[0] != SaveRaw))
        {
            await Console.Error.WriteLineAsync($"usage: {Argument} {SaveCmdlet}|{SaveRaw} <image> <path>");
            return 64;
        }

        string image = args[1], path = args[2];
        try
        {
            (TimeSpan elapsed, long before) = args[0] == SaveCmdlet
                ? SaveWithCmdlet(image, path)
                : await SaveWithRawApiAsync(image, path);
            long peak = Proc.StatusKib("self", "VmHWM") ?? -1;
            long bytes = new FileInfo(path).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{ResultPrefix} seconds={elapsed.TotalSeconds:R} bytes={bytes} hwm_before_kib={before} hwm_kib={peak}"));
            return 0;
        }
        catch (Exception ex) when (ex is BenchmarkException or HttpRequestException or IOException)
        {
            await Console.Error.WriteLineAsync($"{args[0]} failed: {ex.Message}");
            return 1;
        }
    }

    private static (TimeSpan Elapsed, long HwmBefore) SaveWithCmdlet(string image, string path)
    {
        using var engine = new PsEngine(Repo.FindModuleManifest());

        // One engine call first, so the timed part is the save and not the module's first connection.
        engine.Invoke(ps => ps.AddCommand("Get-DockerImage"));
        long before = Proc.StatusKib("self", "VmHWM") ?? -1;
        var watch = Stopwatch.StartNew();
        engine.Invoke(ps => ps.AddCommand("Save-DockerImage").AddParameter("Name", new[] { image }).AddParameter("Path", path));
        return (watch.Elapsed, before);
    }

    private static async Task<(TimeSpan Elapsed, long HwmBefore)> SaveWithRawApiAsync(string image, string path)
    {
        using HttpClient client = Engine.CreateSocketClient();
        using (HttpResponseMessage ping = await client.GetAsync(new Uri("_ping", UriKind.Relative)))
        {
            ping.EnsureSuccessStatusCode();
        }

        long before = Proc.StatusKib("self", "VmHWM") ?? -1;
        var watch = Stopwatch.StartNew();
        using HttpResponseMessage response = await client.GetAsync(
            new Uri("images/get?names=" + Uri.EscapeDataString(image), UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkException($"GET /images/get answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await using (Stream body = await response.Content.ReadAsStreamAsync())
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await body.CopyToAsync(file, CopyBuffer);
        }

        return (watch.Elapsed, before);
    }

    /// <summary>The numbers from a child's result line.</summary>
    public static Dictionary<string, string> ParseResult(string stdout)
    {
        string? line = stdout.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal))
            ?? throw new BenchmarkException("the child printed no result line: " + stdout.Trim());
        return line[ResultPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
    }
}
