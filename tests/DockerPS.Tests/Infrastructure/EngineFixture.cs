using System.Net.Sockets;
using System.Text;

namespace DockerPS.Tests.Infrastructure;

/// <summary>
/// The real engine for the whole run: starts it when needed, builds the busybox test images, and removes everything
/// the run created (by label and by name prefix) at the end, even after failures.
/// </summary>
public sealed class EngineFixture : IDisposable
{
    public const string LabelKey = "dockerps.test.run";
    public const string BaseImage = "dockerps-test/busybox:latest";
    public const string BigImage = "dockerps-big/data:latest";

    private readonly object gate = new();

    public EngineFixture()
    {
        RunId = Guid.NewGuid().ToString("N")[..8];
        RepoRoot = FindRepoRoot();
        ModuleManifest = Path.Combine(RepoRoot, "out", "DockerPS", "DockerPS.psd1");
        if (!File.Exists(ModuleManifest))
        {
            throw new InvalidOperationException($"The module is not built at {ModuleManifest}: run dotnet build src/DockerPS first.");
        }

        WorkDir = Directory.CreateTempSubdirectory("dockerps-test-").FullName;
        EnsureEngine();

        // Leftovers of crashed earlier runs go too, unless other runs share the engine right now.
        RemoveLeftovers(all: Environment.GetEnvironmentVariable("DOCKERPS_TEST_SHARED_ENGINE") != "1");
        EnsureBaseImage();
    }

    public string RunId { get; }

    public string RepoRoot { get; }

    public string ModuleManifest { get; }

    public string WorkDir { get; }

    /// <summary>The label every test resource carries, as key=value.</summary>
    public string Label => $"{LabelKey}={RunId}";

    /// <summary>A container name unique to this run; the cleanup finds it by prefix.</summary>
    public string NewName(string what) => $"dockerps-test-{RunId}-{what}-{Guid.NewGuid().ToString("N")[..6]}";

    public string NewPath(string fileName) => Path.Combine(WorkDir, Guid.NewGuid().ToString("N")[..6] + "-" + fileName);

    /// <summary>Makes sure the busybox test image exists (a test may have removed it) and returns its id.</summary>
    public string EnsureBaseImage()
    {
        lock (gate)
        {
            if (!Shell.DockerSucceeds("image", "inspect", BaseImage))
            {
                ImportRootfs(BaseImage, extraBytes: 0, "CMD [\"sh\"]");
            }

            return ImageId(BaseImage);
        }
    }

    /// <summary>An image with a large random file inside, for streaming and Ctrl+C tests.</summary>
    public string EnsureBigImage()
    {
        lock (gate)
        {
            if (!Shell.DockerSucceeds("image", "inspect", BigImage))
            {
                ImportRootfs(BigImage, extraBytes: 192L << 20, "CMD [\"sh\"]");
            }

            return ImageId(BigImage);
        }
    }

    /// <summary>Imports a fresh busybox rootfs (a new image id each time) under the given reference.</summary>
    public string ImportRootfs(string reference, long extraBytes, params string[] changes)
    {
        string rootfs = Path.Combine(WorkDir, "rootfs-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        Directory.CreateDirectory(Path.Combine(rootfs, "tmp"));
        Directory.CreateDirectory(Path.Combine(rootfs, "data"));
        string busybox = File.Exists("/bin/busybox") ? "/bin/busybox" : "/usr/bin/busybox";
        File.Copy(busybox, Path.Combine(rootfs, "bin", "busybox"));
        foreach (string applet in Shell.Run(busybox, "--list").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (applet != "busybox")
            {
                File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet.Trim()), "busybox");
            }
        }

        File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "build-id"), Guid.NewGuid().ToString());
        if (extraBytes > 0)
        {
            using var big = File.Create(Path.Combine(rootfs, "data", "random.bin"));
            var buffer = new byte[1 << 20];
            for (long written = 0; written < extraBytes; written += buffer.Length)
            {
                Random.Shared.NextBytes(buffer);
                big.Write(buffer);
            }
        }

        string tar = rootfs + ".tar";
        var (code, _, err) = Shell.Run("tar", "-C", rootfs, "-cf", tar, ".");
        if (code != 0)
        {
            throw new InvalidOperationException("tar failed: " + err);
        }

        var args = new List<string> { "import", "--change", $"LABEL {LabelKey}={RunId}" };
        foreach (string change in changes)
        {
            args.Add("--change");
            args.Add(change);
        }

        args.Add(tar);
        args.Add(reference);
        Shell.Docker(args.ToArray());
        Directory.Delete(rootfs, true);
        File.Delete(tar);
        return ImageId(reference);
    }

    private IReadOnlyDictionary<string, string>? registries;

    /// <summary>
    /// The two local registries (open on 127.0.0.1:5000; TLS and basic auth on 127.0.0.1:5443), started on first use:
    /// OPEN_REGISTRY, AUTH_REGISTRY, AUTH_USER, AUTH_PASSWORD_FILE, CA_CERT.
    /// </summary>
    public IReadOnlyDictionary<string, string> Registries()
    {
        lock (gate)
        {
            if (registries == null)
            {
                var (code, stdout, stderr) = Shell.Run("bash", Path.Combine(RepoRoot, "tests", "engine", "start-registry.sh"));
                if (code != 0)
                {
                    throw new InvalidOperationException("The test registries did not start: " + stderr);
                }

                registries = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(l => l.Split('=', 2))
                    .Where(p => p.Length == 2)
                    .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
            }

            return registries;
        }
    }

    /// <summary>Removes the containers earlier tests of this run left, so their images can really be removed.</summary>
    public void RemoveRunContainers()
    {
        var ids = Shell.Run("docker", "ps", "-aq", "--filter", $"label={Label}").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Concat(Shell.Run("docker", "ps", "-aq", "--filter", $"name=dockerps-test-{RunId}-").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Distinct()
            .ToArray();
        if (ids.Length > 0)
        {
            Shell.Docker(new[] { "rm", "-f" }.Concat(ids.Select(i => i.Trim())).ToArray());
        }
    }

    public static string ImageId(string reference) => Shell.Docker("image", "inspect", "--format", "{{.Id}}", reference);

    public static bool ImageExists(string reference) => Shell.DockerSucceeds("image", "inspect", reference);

    public static bool ContainerExists(string name) => Shell.DockerSucceeds("container", "inspect", name);

    public static string ContainerState(string name) => Shell.Docker("container", "inspect", "--format", "{{.State.Status}}", name);

    private SecondEngine? second;

    /// <summary>A second engine for tests with two engines, started on first use; what the run made there goes too.</summary>
    public SecondEngine Second
    {
        get
        {
            lock (gate)
            {
                return second ??= new SecondEngine(this);
            }
        }
    }

    public void Dispose()
    {
        RemoveLeftovers(all: false);
        if (second != null)
        {
            RemoveLeftovers(all: false, second.Uri);
        }

        try
        {
            Directory.Delete(WorkDir, true);
        }
        catch (IOException)
        {
            // Leftover files in the temp folder are harmless.
        }
    }

    /// <summary>Removes what this run (or, at start, any earlier test run) made, on the main engine or the one given.</summary>
    internal void RemoveLeftovers(bool all, string? dockerHost = null)
    {
        (int ExitCode, string StdOut, string StdErr) Docker(params string[] args) =>
            Shell.Run("docker", dockerHost == null ? args : new[] { "-H", dockerHost }.Concat(args).ToArray());

        string labelFilter = all ? $"label={LabelKey}" : $"label={Label}";
        string nameFilter = all ? "name=dockerps-test-" : $"name=dockerps-test-{RunId}-";
        var containers = new HashSet<string>();
        foreach (string filter in new[] { labelFilter, nameFilter })
        {
            foreach (string id in Docker("ps", "-aq", "--filter", filter).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                containers.Add(id.Trim());
            }
        }

        if (containers.Count > 0)
        {
            Docker(new[] { "rm", "-f", "-v" }.Concat(containers).ToArray());
        }

        var images = Docker("images", "-q", "--no-trunc", "--filter", labelFilter).StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Distinct().ToArray();
        if (images.Length > 0)
        {
            Docker(new[] { "rmi", "-f" }.Concat(images).ToArray());
        }

        foreach (string kind in new[] { "volume", "network" })
        {
            var ids = Docker(kind, "ls", "-q", "--filter", labelFilter).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0)
            {
                Docker(new[] { kind, "rm" }.Concat(ids.Select(s => s.Trim())).ToArray());
            }
        }
    }

    private void EnsureEngine()
    {
        if (Ping())
        {
            return;
        }

        var (code, stdout, stderr) = Shell.Run("bash", Path.Combine(RepoRoot, "tests", "engine", "start-engine.sh"));
        if (code != 0 || !Ping())
        {
            throw new InvalidOperationException($"No Docker engine answers on /var/run/docker.sock and starting one failed:\n{stdout}\n{stderr}");
        }
    }

    private static bool Ping()
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint("/var/run/docker.sock"));
            socket.Send(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
            var buffer = new byte[256];
            int read = socket.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DockerPS.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (the folder with DockerPS.psd1) above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "Engine";
}
