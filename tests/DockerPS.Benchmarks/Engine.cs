using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Net.Sockets;

namespace DockerPS.Benchmarks;

/// <summary>The local engine: its socket, the docker CLI, and the images the benchmark is made of.</summary>
internal static class Engine
{
    public const string SocketPath = "/var/run/docker.sock";

    /// <summary>The API version pinned for the raw calls: the oldest the module supports, which the engine here speaks.</summary>
    public const string ApiVersion = "v1.41";

    public const string LabelKey = "dockerps.bench";
    public const string SizeLabelKey = "dockerps.bench.size-mib";

    /// <summary>
    /// An HTTP client that reaches the engine over its Unix socket. Connections are pooled, so after the first call
    /// a request costs what the engine and HTTP cost, not a connect.
    /// </summary>
    public static HttpClient CreateSocketClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        // The host name is never resolved (the callback ignores it); it only fills the Host header.
        return new HttpClient(handler) { BaseAddress = new Uri($"http://docker/{ApiVersion}/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public static async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            using HttpClient client = CreateSocketClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using HttpResponseMessage response = await client.GetAsync(new Uri("/_ping", UriKind.Relative), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Starts the engine with the repository's script when nothing answers on the socket.</summary>
    public static async Task EnsureRunningAsync(string repoRoot, CancellationToken ct)
    {
        if (await PingAsync(ct))
        {
            return;
        }

        Report.Status("no engine answers on " + SocketPath + "; starting one with tests/engine/start-engine.sh");
        ProcessResult started = await Proc.RunAsync("bash", [Path.Combine(repoRoot, "tests", "engine", "start-engine.sh")], ct);
        if (started.ExitCode != 0 || !await PingAsync(ct))
        {
            throw new BenchmarkException($"No Docker engine answers on {SocketPath} and starting one failed:\n{started.StdOut}\n{started.StdErr}");
        }
    }

    /// <summary>
    /// Writes the page cache's dirty pages to disk, untimed, before a timed run: otherwise the writeback of the file the
    /// previous variant wrote (half a gigabyte) lands inside the next variant's time.
    /// </summary>
    public static Task FlushWritesAsync(CancellationToken ct) => Proc.RunAsync("sync", [], ct);

    /// <summary>Runs the docker CLI; a failure is an exception carrying its error output.</summary>
    public static async Task<string> DockerAsync(CancellationToken ct, params string[] args)
    {
        ProcessResult result = await Proc.RunAsync("docker", args, ct);
        if (result.ExitCode != 0)
        {
            throw new BenchmarkException($"docker {string.Join(' ', args)} failed ({result.ExitCode}): {result.StdErr.Trim()}");
        }

        return result.StdOut.Trim();
    }

    /// <summary>The image's size label when it exists, -1 when it exists without one, null when it does not exist.</summary>
    public static async Task<int?> ImageSizeLabelAsync(string reference, CancellationToken ct)
    {
        ProcessResult result = await Proc.RunAsync("docker", ["image", "inspect", "--format", $"{{{{index .Config.Labels \"{SizeLabelKey}\"}}}}", reference], ct);
        if (result.ExitCode != 0)
        {
            return null;
        }

        return int.TryParse(result.StdOut.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int mib) ? mib : -1;
    }

    public static async Task<long> ImageSizeAsync(string reference, CancellationToken ct) =>
        long.Parse(await DockerAsync(ct, "image", "inspect", "--format", "{{.Size}}", reference), CultureInfo.InvariantCulture);

    /// <summary>
    /// Makes sure a busybox image with <paramref name="randomMib"/> MiB of random data exists under
    /// <paramref name="reference"/>, reusing one an earlier run left when its size matches. Returns whether it was reused.
    /// </summary>
    public static async Task<bool> EnsureImageAsync(string reference, int randomMib, string runId, string workDir, CancellationToken ct)
    {
        int? existing = await ImageSizeLabelAsync(reference, ct);
        if (existing == randomMib)
        {
            return true;
        }

        if (existing != null)
        {
            // Same name, other size (or not ours): untag it so the new import takes the name.
            await DockerAsync(ct, "rmi", "-f", reference);
        }

        await ImportBusyboxAsync(reference, randomMib, runId, workDir, ct);
        return false;
    }

    /// <summary>
    /// Imports a busybox root filesystem (plus a random file) as an image. The tar is written straight into
    /// docker import's standard input, so no rootfs folder or tarball lands on disk besides the random file.
    /// </summary>
    private static async Task ImportBusyboxAsync(string reference, int randomMib, string runId, string workDir, CancellationToken ct)
    {
        string busybox = File.Exists("/bin/busybox") ? "/bin/busybox" : "/usr/bin/busybox";
        if (!File.Exists(busybox))
        {
            throw new BenchmarkException("busybox is not installed (/bin/busybox or /usr/bin/busybox); the test images are made from it.");
        }

        ProcessResult applets = await Proc.RunAsync(busybox, ["--list"], ct);
        string randomFile = Path.Combine(workDir, "random-" + Guid.NewGuid().ToString("N")[..8] + ".bin");
        try
        {
            if (randomMib > 0)
            {
                await WriteRandomFileAsync(randomFile, randomMib, ct);
            }

            var start = new ProcessStartInfo("docker")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[]
            {
                "import",
                "--change", $"LABEL {LabelKey}={runId}",
                "--change", $"LABEL {SizeLabelKey}={randomMib.ToString(CultureInfo.InvariantCulture)}",
                "--change", "CMD [\"sh\"]",
                "-", reference,
            })
            {
                start.ArgumentList.Add(arg);
            }

            using Process import = Process.Start(start) ?? throw new BenchmarkException("could not start docker import");
            using var killOnCancel = ct.Register(() => Proc.TryKill(import));
            Task<string> stdout = import.StandardOutput.ReadToEndAsync(CancellationToken.None);
            Task<string> stderr = import.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await using (Stream input = import.StandardInput.BaseStream)
                await using (var tar = new TarWriter(input, TarEntryFormat.Pax, leaveOpen: true))
                {
                    await WriteRootfsAsync(tar, busybox, applets.StdOut, randomMib > 0 ? randomFile : null, ct);
                }
            }
            catch (IOException)
            {
                // docker import stopped reading (it failed or was killed); its exit code and error text say why.
            }

            await import.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            if (import.ExitCode != 0)
            {
                throw new BenchmarkException($"docker import {reference} failed ({import.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}");
            }
        }
        finally
        {
            File.Delete(randomFile);
        }
    }

    private static async Task WriteRootfsAsync(TarWriter tar, string busybox, string appletList, string? randomFile, CancellationToken ct)
    {
        foreach (string dir in new[] { "bin/", "etc/", "tmp/", "data/" })
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = Mode755 }, ct);
        }

        await using (FileStream binary = File.OpenRead(busybox))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = Mode755, DataStream = binary }, ct);
        }

        foreach (string applet in appletList.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (applet != "busybox")
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox", Mode = Mode755 }, ct);
            }
        }

        await WriteTextAsync(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n", ct);
        await WriteTextAsync(tar, "etc/group", "root:x:0:\nnogroup:x:65534:\n", ct);

        // A unique file, so that even the data-less image gets an id of its own rather than sharing one.
        await WriteTextAsync(tar, "etc/build-id", Guid.NewGuid().ToString() + "\n", ct);
        if (randomFile != null)
        {
            await using FileStream data = File.OpenRead(randomFile);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "data/random.bin") { Mode = Mode644, DataStream = data }, ct);
        }
    }

    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static async Task WriteTextAsync(TarWriter tar, string name, string text, CancellationToken ct)
    {
        using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = Mode644, DataStream = data }, ct);
    }

    /// <summary>Random, so that neither the engine nor the file system can compress or share the data.</summary>
    private static async Task WriteRandomFileAsync(string path, int mib, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        var buffer = new byte[1 << 20];
        for (int i = 0; i < mib; i++)
        {
            Random.Shared.NextBytes(buffer);
            await file.WriteAsync(buffer, ct);
        }
    }
}
