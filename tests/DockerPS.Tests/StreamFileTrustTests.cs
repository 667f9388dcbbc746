using System.Globalization;
using System.Management.Automation;
using System.Net.Sockets;

namespace DockerPS.Tests;

/// <summary>
/// What the stream and file cmdlets hand back matches what the engine and the docker CLI hold: long log lines whole,
/// log times to the nanosecond, file owners and link times kept, Dockerfiles found as docker build finds them, and a
/// broken engine connection told as such, with nothing left behind.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class StreamFileTrustTests
{
    private readonly EngineFixture engine;

    public StreamFileTrustTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Logs_ALineLongerThan16KiB_ComesBackWhole_AsDockerLogsPrintsIt()
    {
        string name = RunToEnd("longline", "sh", "-c", "head -c 40000 /dev/zero | tr '\\0' x; echo; echo short");
        string[] cli = Shell.Docker("logs", name).Split('\n');
        Assert.Equal(new[] { 40000, 5 }, cli.Select(l => l.Length));

        // The engine itself stores the long line as partial messages, each with its own time.
        string[] cliStamped = Shell.Docker("logs", "-t", name).Split('\n');
        Assert.True(cliStamped[0].Length > 40031, "the engine no longer splits long lines: " + cliStamped[0].Length);
        string firstStamp = cliStamped[0][..cliStamped[0].IndexOf(' ')];
        string secondStamp = cliStamped[1][..cliStamped[1].IndexOf(' ')];

        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var objects = ps.Run("Get-DockerContainerLog $n");
        objects.AssertNoErrors();
        Assert.Equal(cli, objects.Objects<DockerContainerLogEntry>().Select(e => e.Message));

        var stampedObjects = ps.Run("Get-DockerContainerLog $n -Timestamps");
        stampedObjects.AssertNoErrors();
        var entries = stampedObjects.Objects<DockerContainerLogEntry>().ToList();
        Assert.Equal(cli, entries.Select(e => e.Message));
        Assert.Equal(new[] { firstStamp, secondStamp }, entries.Select(e => e.ToString().Split(' ')[0]));

        var raw = ps.Run("Get-DockerContainerLog $n -Raw");
        raw.AssertNoErrors();
        Assert.Equal(cli, raw.Output.Select(o => (string)o.BaseObject));

        var rawStamped = ps.Run("Get-DockerContainerLog $n -Raw -Timestamps");
        rawStamped.AssertNoErrors();
        Assert.Equal(new[] { firstStamp + " " + cli[0], secondStamp + " " + cli[1] }, rawStamped.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void Logs_SinceAndUntil_KeepNanoseconds_AndTakeUnixSeconds_AsDockerLogsDoes()
    {
        string name = RunToEnd("logtimes", "sh", "-c", "echo one; sleep 1; echo two; sleep 1; echo three");
        string[] stamps = Shell.Docker("logs", "-t", name).Split('\n').Select(l => l[..l.IndexOf(' ')]).ToArray();
        Assert.Equal(3, stamps.Length);
        string twoStamp = stamps[1];
        string twoUnix = UnixText(twoStamp);
        string justBeforeTwo = UnixText(twoStamp, nanosecondsLater: -1);
        string justAfterTwo = UnixText(twoStamp, nanosecondsLater: 1);

        using var ps = new PsSession(engine);
        ps.Set("n", name);
        foreach (var (args, expected) in new[]
        {
            // A time copied from -Timestamps output takes its own line in, as the CLI does.
            ($"--until {twoStamp}", new[] { "one", "two" }),
            ($"--since {twoStamp}", new[] { "two", "three" }),
            ($"--until {twoUnix}", new[] { "one", "two" }),
            ($"--until {justBeforeTwo}", new[] { "one" }),
            ($"--since {justAfterTwo}", new[] { "three" }),
            ($"--since {twoUnix} --until {twoUnix}", new[] { "two" }),
        })
        {
            string[] cliArgs = args.Split(' ');
            Assert.Equal(expected, Shell.Docker(new[] { "logs" }.Concat(cliArgs).Append(name).ToArray()).Split('\n'));
            string script = "Get-DockerContainerLog $n -Raw " + string.Join(' ', cliArgs.Select(a => a.StartsWith("--") ? "-" + char.ToUpper(a[2]) + a[3..] : $"'{a}'"));
            var result = ps.Run(script);
            result.AssertNoErrors();
            Assert.True(expected.SequenceEqual(result.Output.Select(o => (string)o.BaseObject)), $"{script} gave {string.Join(",", result.Output)}");
        }

        // Unquoted Unix seconds are numbers to PowerShell; they mean what they mean to docker logs.
        Assert.Equal(3, ps.Run("Get-DockerContainerLog $n -Raw -Since 1700000000").Output.Count);
        Assert.Empty(ps.Run("Get-DockerContainerLog $n -Raw -Until 1700000000.123456789").Output);
        Assert.Equal(new[] { "InvalidTimeArgument" }, ps.Run("Get-DockerContainerLog $n -Since 7d").ErrorIds);
    }

    [Theory]
    [InlineData("Save")]
    [InlineData("Export")]
    public void SaveAndExport_WhenTheEngineConnectionBreaks_SayTheEngineBroke_AndLeaveNoFile(string verb)
    {
        engine.EnsureBigImage();
        string folder = Path.Combine(engine.WorkDir, "broken-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        string archive = Path.Combine(folder, "out.tar");
        string name = engine.NewName("cut");
        if (verb == "Export")
        {
            Shell.Docker("create", "--name", name, "--label", engine.Label, EngineFixture.BigImage);
        }

        using var proxy = new CuttingProxy(Path.Combine(folder, "engine.sock"), cutAfterBytes: 8 << 20);
        using var ps = new PsSession(engine);
        ps.Set("archive", archive);
        ps.Set("proxy", proxy.Uri);
        ps.Set("n", name);
        var result = ps.Run(verb == "Save"
            ? $"Save-DockerImage -Name {EngineFixture.BigImage} -Path $archive -DockerHost $proxy"
            : "Export-DockerContainer -Name $n -Path $archive -DockerHost $proxy");

        Assert.True(proxy.Cut, "the proxy never cut the stream");
        var error = Assert.Single(result.Errors);
        Assert.Equal("EngineConnectionBroken", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ReadError, error.CategoryInfo.Category);
        Assert.Contains("closed the connection after", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("the partial file was removed", error.Exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(archive));
        Assert.Equal(new[] { "engine.sock" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Backup_WhenTheEngineConnectionBreaks_SaysSo_AndTheNextBackupRemovesTheHelperLeftBehind()
    {
        engine.EnsureBaseImage();
        string volume = engine.NewName("cutvol");
        Shell.Docker("volume", "create", "--label", engine.Label, volume);
        Shell.Docker("run", "--rm", "-v", volume + ":/data", EngineFixture.BaseImage, "sh", "-c", "head -c 25000000 /dev/urandom > /data/big");
        string folder = Path.Combine(engine.WorkDir, "broken-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        string archive = Path.Combine(folder, "backup.tar");
        string helperFilter = "label=dockerps.helper.volume=" + volume;

        using var ps = new PsSession(engine);
        ps.Set("v", volume);
        ps.Set("archive", archive);
        using (var proxy = new CuttingProxy(Path.Combine(folder, "engine.sock"), cutAfterBytes: 8 << 20))
        {
            ps.Set("proxy", proxy.Uri);
            var broken = ps.Run("Backup-DockerVolume -Name $v -Path $archive -DockerHost $proxy");
            Assert.True(proxy.Cut, "the proxy never cut the stream");
            Assert.Equal("EngineConnectionBroken", Assert.Single(broken.ErrorIds));
            Assert.Contains(broken.Warnings, w => w.Contains("helper container", StringComparison.Ordinal));
        }

        Assert.False(File.Exists(archive));
        Assert.Empty(Directory.GetFileSystemEntries(folder));

        // The engine "died" before the helper could go: it stays, never started, found by its label.
        string leftover = Shell.Docker("ps", "-a", "--filter", helperFilter, "--format", "{{.Names}} {{.Status}}");
        Assert.Matches(@"^dockerps-volume-helper-\w+ Created$", leftover);
        ps.Run("Clear-DockerContainer -Label \"dockerps.helper.volume=$v\" -WhatIf").AssertNoErrors();
        Assert.Contains(leftover.Split(' ')[0], ps.Rendered, StringComparison.Ordinal);

        ps.Run("Backup-DockerVolume -Name $v -Path $archive").AssertNoErrors();
        Assert.True(new FileInfo(archive).Length > 25_000_000);
        Assert.Equal(string.Empty, Shell.Docker("ps", "-a", "--filter", helperFilter, "--format", "{{.Names}}"));
    }

    [Fact]
    public void CopyToContainer_KeepsEachFilesOwner_AsDockerCpDoes()
    {
        engine.EnsureBaseImage();
        string tree = Path.Combine(engine.WorkDir, "owned-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        File.WriteAllText(Path.Combine(tree, "sub", "file.txt"), "hello");
        File.CreateSymbolicLink(Path.Combine(tree, "sub", "link"), "file.txt");
        Shell.Run("chown", "-R", "1234:2345", tree);
        Shell.Run("chown", "-h", "3456:4567", Path.Combine(tree, "sub", "link"));
        Shell.Run("chown", "4321:5432", Path.Combine(tree, "sub", "file.txt"));

        string byCli = engine.NewName("cpcli");
        string byModule = engine.NewName("cpmod");
        Shell.Docker("create", "--name", byCli, "--label", engine.Label, EngineFixture.BaseImage);
        Shell.Docker("create", "--name", byModule, "--label", engine.Label, EngineFixture.BaseImage);
        Shell.Docker("cp", tree, byCli + ":/tmp/tree");
        using var ps = new PsSession(engine);
        ps.Set("c", byModule);
        ps.Set("tree", tree);
        ps.Run("Copy-DockerContainerItem -Container $c -Path $tree -Destination /tmp/tree -ToContainer").AssertNoErrors();

        var cli = Owners(byCli);
        Assert.Equal("1234/2345", cli["tmp/tree/sub/"]);
        Assert.Equal("4321/5432", cli["tmp/tree/sub/file.txt"]);
        Assert.Equal("3456/4567", cli["tmp/tree/sub/link"]);
        Assert.Equal(cli, Owners(byModule));
    }

    [Fact]
    public void CopyFromContainer_GivesSymbolicLinksTheirOwnTime_AsDockerCpDoes()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("linktime");
        Shell.Docker("run", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sh", "-c",
            "mkdir /src && echo x > /src/target && touch -d '2020-02-03 04:05:06' /src/target && ln -s target /src/link && touch -h -d '2021-03-04 05:06:07' /src/link");
        string byCli = Path.Combine(engine.WorkDir, "cli-" + Guid.NewGuid().ToString("N")[..6]);
        string byModule = Path.Combine(engine.WorkDir, "mod-" + Guid.NewGuid().ToString("N")[..6]);
        Shell.Docker("cp", name + ":/src", byCli);
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Set("dest", byModule);
        ps.Run("Copy-DockerContainerItem -Container $n -Path /src -Destination $dest").AssertNoErrors();

        string LinkTime(string folder) => Shell.Run("stat", "-c", "%Y", Path.Combine(folder, "link")).StdOut;
        string TargetTime(string folder) => Shell.Run("stat", "-L", "-c", "%Y", Path.Combine(folder, "link")).StdOut;
        Assert.Equal(DateTimeOffset.Parse("2021-03-04T05:06:07Z", CultureInfo.InvariantCulture).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), LinkTime(byCli));
        Assert.Equal(LinkTime(byCli), LinkTime(byModule));
        Assert.Equal(TargetTime(byCli), TargetTime(byModule));
        Assert.Equal("target", new FileInfo(Path.Combine(byModule, "link")).LinkTarget);
    }

    [Fact]
    public void Build_ReadsARelativeDockerfileFromTheCurrentLocation_AndTakesOneOutsideTheContext_AsDockerBuildF()
    {
        engine.EnsureBaseImage();
        string top = Directory.CreateDirectory(engine.NewPath("dfroot")).FullName;
        string context = Directory.CreateDirectory(Path.Combine(top, "ctx")).FullName;
        string elsewhere = Directory.CreateDirectory(Path.Combine(top, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(context, "app.txt"), "app\n");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {EngineFixture.BaseImage}\nRUN echo the context one > /which\n");
        File.WriteAllText(Path.Combine(elsewhere, "Build.Dockerfile"), $"FROM {EngineFixture.BaseImage}\nCOPY . /ctx/\nRUN echo the outside one > /which\n");
        string cliTag = $"dockerps-trust/outside-cli:{engine.RunId}";
        string moduleTag = $"dockerps-trust/outside-mod:{engine.RunId}";
        string insideTag = $"dockerps-trust/inside-mod:{engine.RunId}";
        using var images = new BuiltImages(cliTag, moduleTag, insideTag);
        var cli = Shell.Run("env", "DOCKER_BUILDKIT=0", "docker", "build", "-q", "--label", engine.Label, "-t", cliTag, "-f", Path.Combine(elsewhere, "Build.Dockerfile"), context);
        Assert.True(cli.ExitCode == 0, cli.StdErr);

        using var ps = new PsSession(engine);
        ps.Set("top", top);
        ps.Set("elsewhere", elsewhere);
        ps.Set("tag", moduleTag);
        ps.Set("insideTag", insideTag);

        // PowerShell's location, not the process's folder, is what a relative -Dockerfile is read from.
        var built = ps.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($elsewhere); Build-DockerImage -Path ../ctx -Dockerfile Build.Dockerfile -Tag $tag -Label @{ 'dockerps.test.run' = $runId }");
        built.AssertNoErrors();
        Assert.Single(built.Objects<DockerImage>());
        Assert.NotEqual(elsewhere, Directory.GetCurrentDirectory());

        string Which(string tag) => Shell.Docker("run", "--rm", "--label", engine.Label, tag, "cat", "/which");
        string Copied(string tag) => Shell.Docker("run", "--rm", "--label", engine.Label, tag, "ls", "-a", "/ctx");
        Assert.Equal("the outside one", Which(cliTag));
        Assert.Equal(Which(cliTag), Which(moduleTag));
        Assert.Equal(".\n..\nDockerfile\napp.txt", Copied(cliTag));
        Assert.Equal(Copied(cliTag), Copied(moduleTag));

        // A relative path that leads into the context is the context's own Dockerfile.
        var inside = ps.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($top); Build-DockerImage -Path ctx -Dockerfile ctx/Dockerfile -Tag $insideTag -Label @{ 'dockerps.test.run' = $runId }");
        inside.AssertNoErrors();
        Assert.Equal("the context one", Which(insideTag));

        var missing = ps.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($top); Build-DockerImage -Path ctx -Dockerfile Build.Dockerfile");
        Assert.Equal("BuildContextNotFound", Assert.Single(missing.ErrorIds));
        Assert.Contains(Path.Combine(top, "Build.Dockerfile"), missing.Errors[0].Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnusedBuildArguments_AreWarnings()
    {
        engine.EnsureBaseImage();
        string context = Directory.CreateDirectory(engine.NewPath("unusedarg")).FullName;
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {EngineFixture.BaseImage}\nARG USED\nRUN echo $USED > /used\n");
        string cliTag = $"dockerps-trust/unused-cli:{engine.RunId}";
        string moduleTag = $"dockerps-trust/unused-mod:{engine.RunId}";
        using var images = new BuiltImages(cliTag, moduleTag);
        var cli = Shell.Run("env", "DOCKER_BUILDKIT=0", "docker", "build", "-t", cliTag, "--label", engine.Label, "--build-arg", "USED=1", "--build-arg", "NOT_USED=2", context);
        Assert.Contains("[Warning] One or more build-args [NOT_USED] were not consumed", cli.StdOut + cli.StdErr, StringComparison.Ordinal);

        using var ps = new PsSession(engine);
        ps.Set("ctx", context);
        ps.Set("tag", moduleTag);
        var built = ps.Run("Build-DockerImage -Path $ctx -Tag $tag -BuildArg @{ USED = '1'; NOT_USED = '2' } -Label @{ 'dockerps.test.run' = $runId } -InformationVariable info; $info | ForEach-Object { [string]$_.MessageData }");
        built.AssertNoErrors();
        Assert.Equal("One or more build-args [NOT_USED] were not consumed", Assert.Single(built.Warnings));
        Assert.DoesNotContain(built.Output.Select(o => o.BaseObject).OfType<string>(), l => l.Contains("were not consumed", StringComparison.Ordinal));
    }

    /// <summary>Images a test builds, removed when it ends, so that they never count in other tests' image lists.</summary>
    private sealed class BuiltImages(params string[] tags) : IDisposable
    {
        public void Dispose() => Shell.Run("docker", new[] { "rmi", "-f" }.Concat(tags).ToArray());
    }

    /// <summary>Numeric owner of every entry below /tmp of a container, as the engine's export shows it.</summary>
    private static Dictionary<string, string> Owners(string container)
    {
        string tar = Path.Combine(Path.GetTempPath(), "owners-" + Guid.NewGuid().ToString("N")[..6] + ".tar");
        try
        {
            Shell.Docker("export", "-o", tar, container);
            return Shell.Run("tar", "--numeric-owner", "-tvf", tar).StdOut.Split('\n')
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 6 && f[5].StartsWith("tmp/tree", StringComparison.Ordinal))
                .ToDictionary(f => f[5], f => f[1]);
        }
        finally
        {
            File.Delete(tar);
        }
    }

    /// <summary>An engine time ("2026-01-02T03:04:05.123456789Z") as Unix seconds with nine digits, moved by some nanoseconds.</summary>
    private static string UnixText(string stamp, int nanosecondsLater = 0)
    {
        int dot = stamp.IndexOf('.');
        long seconds = DateTimeOffset.Parse(stamp[..dot] + "Z", CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        long nanos = long.Parse(stamp[(dot + 1)..^1].PadRight(9, '0'), CultureInfo.InvariantCulture) + nanosecondsLater;
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000;
        }

        return $"{seconds + nanos / 1_000_000_000}.{nanos % 1_000_000_000:D9}";
    }

    private string RunToEnd(string what, params string[] command)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker(new[] { "run", "--name", name, "--label", engine.Label, EngineFixture.BaseImage }.Concat(command).ToArray());
        return name;
    }

    /// <summary>
    /// A Unix socket in front of the engine's that passes bytes both ways, and cuts both sides once a reply has
    /// carried some megabytes: from then on it takes connections and closes them at once, as a dead engine would.
    /// </summary>
    private sealed class CuttingProxy : IDisposable
    {
        private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly long cutAfterBytes;
        private readonly string path;
        private volatile bool cut;

        public CuttingProxy(string path, long cutAfterBytes)
        {
            this.path = path;
            this.cutAfterBytes = cutAfterBytes;
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(16);
            _ = Task.Run(AcceptAsync);
        }

        public string Uri => "unix://" + path;

        public bool Cut => cut;

        public void Dispose()
        {
            listener.Dispose();
            File.Delete(path);
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync();
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
                {
                    return;
                }

                if (cut)
                {
                    client.Dispose();
                    continue;
                }

                _ = Task.Run(() => ForwardAsync(client));
            }
        }

        private async Task ForwardAsync(Socket client)
        {
            using var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await upstream.ConnectAsync(new UnixDomainSocketEndPoint("/var/run/docker.sock"));
            using var both = new CancellationTokenSource();
            Task requests = PumpAsync(client, upstream, long.MaxValue, both.Token);
            Task replies = PumpAsync(upstream, client, cutAfterBytes, both.Token);
            await Task.WhenAny(requests, replies);
            both.Cancel();
            client.Dispose();
        }

        private async Task PumpAsync(Socket from, Socket to, long limit, CancellationToken ct)
        {
            var buffer = new byte[65536];
            long total = 0;
            try
            {
                while (true)
                {
                    int read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                    if (read == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        await Task.Delay(Timeout.Infinite, ct);
                    }

                    total += read;
                    if (total > limit)
                    {
                        cut = true;
                        return;
                    }

                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
                }
            }
            catch (Exception ex) when (ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
            {
                // One side went: the forwarding ends.
            }
        }
    }
}
