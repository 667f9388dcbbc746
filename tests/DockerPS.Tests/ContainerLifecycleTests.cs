using System.Diagnostics;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace DockerPS.Tests;

/// <summary>The lifecycle verbs and the scenarios from the docker notes users carry around, as pipelines.</summary>
[Collection(EngineCollection.Name)]
public sealed class ContainerLifecycleTests
{
    /// <summary>Exits 143 on SIGTERM and 42 on SIGUSR1, which a shell as PID 1 only does with traps.</summary>
    private const string Trapper = "trap 'exit 143' TERM; trap 'exit 42' USR1; while true; do sleep 1; done";

    private readonly EngineFixture engine;

    public ContainerLifecycleTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void StopAllRunning_ThenRemoveAllStopped_AsPipelines()
    {
        // Only this test's containers carry the run's label while it runs.
        engine.RemoveRunContainers();
        string first = Run("all-a", Trapper);
        string second = Run("all-b", Trapper);
        string created = engine.NewName("all-created");
        Shell.Docker("create", "--name", created, "--label", engine.Label, EngineFixture.BaseImage, "true");
        using var ps = new PsSession(engine);

        var stopped = ps.Run("Get-DockerContainer -Status Running -Label $label | Stop-DockerContainer -PassThru");
        stopped.AssertNoErrors();
        Assert.Contains(stopped.Objects<DockerContainer>(), c => c.Name == first && c.ExitCode == 143);
        Assert.Contains(stopped.Objects<DockerContainer>(), c => c.Name == second && c.ExitCode == 143);
        Assert.Empty(Shell.Docker("ps", "-q", "--filter", $"label={engine.Label}"));

        ps.Run("Get-DockerContainer -Status Exited, Created -Label $label | Remove-DockerContainer -Force").AssertNoErrors();
        Assert.Empty(Shell.Docker("ps", "-aq", "--filter", $"label={engine.Label}"));
        Assert.False(EngineFixture.ContainerExists(created));
    }

    [Fact]
    public async Task Httpd_PublishedOnLoopback_ServesThePage_ThroughThePortOnTheContainerObject()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("httpd");
        string token = Guid.NewGuid().ToString("N");
        ps.Set("n", name);
        ps.Set("page", $"mkdir -p /www && echo 'page {token}' > /www/index.html && exec httpd -f -p 8080 -h /www");
        var started = ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $n -Label $label -Port '127.0.0.1::8080' -Command sh, -c, $page | Start-DockerContainer -PassThru");
        started.AssertNoErrors();
        var container = Assert.Single(started.Objects<DockerContainer>());
        ContainerPort published = Assert.Single(container.Ports, p => p.PrivatePort == 8080);
        Assert.Equal("127.0.0.1", published.HostIP);
        Assert.NotNull(published.PublicPort);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string body = await Eventually(() => http.GetStringAsync(new Uri($"http://127.0.0.1:{published.PublicPort}/index.html")));
        Assert.Equal($"page {token}\n", body);
    }

    [Fact]
    public void LinkAndNetworkAlias_ResolveBetweenTwoContainers_OnAUserNetwork()
    {
        engine.EnsureBaseImage();
        string network = engine.NewName("net");
        Shell.Docker("network", "create", "--label", engine.Label, network);
        try
        {
            using var ps = new PsSession(engine);
            string server = engine.NewName("server");
            string client = engine.NewName("client");
            ps.Set("net", network);
            ps.Set("server", server);
            ps.Set("client", client);
            ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $server -Label $label -Network $net -NetworkAlias web-alias, www-alias " +
                "-Command sh, -c, 'mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 8080 -h /www' | Start-DockerContainer").AssertNoErrors();
            ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $client -Label $label -Network $net -Link \"${server}:linkedweb\" " +
                "-Command sleep, 300 | Start-DockerContainer").AssertNoErrors();

            var detailed = ps.Run("Get-DockerContainer -Network $net -Detailed");
            detailed.AssertNoErrors();
            var both = detailed.Objects<DockerContainer>().ToList();
            Assert.Equal(new[] { client, server }.Order(), both.Select(c => c.Name).Order());
            ContainerNetworkEndpoint serverEndpoint = Assert.Single(both.Single(c => c.Name == server).NetworkSettings!);
            Assert.Equal(network, serverEndpoint.Network);
            Assert.Contains("web-alias", serverEndpoint.Aliases);
            Assert.Contains("www-alias", serverEndpoint.Aliases);
            Assert.NotNull(serverEndpoint.IPAddress);
            Assert.NotNull(serverEndpoint.Gateway);
            Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", serverEndpoint.MacAddress!);
            ContainerNetworkEndpoint clientEndpoint = Assert.Single(both.Single(c => c.Name == client).NetworkSettings!);
            Assert.Contains(clientEndpoint.Links, l => l.Contains(server, StringComparison.Ordinal) && l.Contains("linkedweb", StringComparison.Ordinal));

            // Both names resolve to the server, and reach it, from inside the client only.
            foreach (string alias in new[] { "linkedweb", "web-alias", "www-alias" })
            {
                ps.Set("alias", alias);
                var lookup = ps.Run("Invoke-DockerExec -Container $client -Command nslookup, $alias");
                Assert.Contains($"Address: {serverEndpoint.IPAddress}", lookup.Output.Select(o => o.ToString()));
                var fetched = Eventually(() => ps.Run("Invoke-DockerExec -Container $client -Command sh, -c, \"printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc $alias 8080\"")
                    .Output.Select(o => o.ToString()).ToList(), lines => lines.Contains("served"));
                Assert.Contains("HTTP/1.1 200 OK", fetched);
            }

            // The pane through the format view: one row per network, with the aliases.
            ps.Run("(Get-DockerContainer -Name $server -Detailed).NetworkSettings | Out-Default").AssertNoErrors();
            Assert.Matches(@"NETWORK\s+IP ADDRESS\s+GATEWAY\s+MAC ADDRESS\s+ALIASES", ps.Rendered);
            Assert.Contains($"{serverEndpoint.IPAddress}/{serverEndpoint.IPPrefixLength}", ps.Rendered, StringComparison.Ordinal);
        }
        finally
        {
            engine.RemoveRunContainers();
            Shell.Docker("network", "rm", network);
        }
    }

    [Fact]
    public void NamedVolume_SharedByTwoContainers_SeesTheSameFiles()
    {
        engine.EnsureBaseImage();
        string volume = engine.NewName("vol");
        Shell.Docker("volume", "create", "--label", engine.Label, volume);
        try
        {
            using var ps = new PsSession(engine);
            string writer = engine.NewName("writer");
            string reader = engine.NewName("reader");
            ps.Set("vol", volume);
            ps.Set("writer", writer);
            ps.Set("reader", reader);
            ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $writer -Label $label -Volume \"${vol}:/shared\" -Command sleep, 300 | Start-DockerContainer").AssertNoErrors();
            ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $reader -Label $label -Volume \"${vol}:/data:ro\" -Command sleep, 300 | Start-DockerContainer").AssertNoErrors();

            ps.Run("Invoke-DockerExec $writer sh, -c, 'echo written by the writer > /shared/note.txt'").AssertNoErrors();
            var read = ps.Run("Invoke-DockerExec $reader cat, /data/note.txt");
            read.AssertNoErrors();
            Assert.Equal("written by the writer", Assert.Single(read.Output).BaseObject);
            ps.Run("Invoke-DockerExec $reader sh, -c, 'echo no > /data/other.txt' -ErrorAction SilentlyContinue");
            Assert.NotEqual(0, ps.Get("LASTEXITCODE"));

            var users = ps.Run("Get-DockerContainer -Volume $vol");
            users.AssertNoErrors();
            Assert.Equal(new[] { reader, writer }.Order(), users.Objects<DockerContainer>().Select(c => c.Name).Order());
            ContainerMount mount = Assert.Single(users.Objects<DockerContainer>().Single(c => c.Name == reader).Mounts);
            Assert.Equal("volume", mount.Type);
            Assert.Equal(volume, mount.Name);
            Assert.Equal("/data", mount.Destination);
            Assert.False(mount.ReadWrite);
            Assert.True(users.Objects<DockerContainer>().Single(c => c.Name == writer).Mounts.Single().ReadWrite);

            ps.Run("(Get-DockerContainer -Name $reader -Detailed).Mounts | Out-Default").AssertNoErrors();
            Assert.Matches(@"TYPE\s+SOURCE\s+DESTINATION\s+MODE\s+RW", ps.Rendered);
            Assert.Matches($@"volume\s+{Regex.Escape(volume)}\s+/data\s+ro\s+False", ps.Rendered);
        }
        finally
        {
            engine.RemoveRunContainers();
            Shell.Docker("volume", "rm", volume);
        }
    }

    [Fact]
    public void ReadOnlyBindMount_AndReadOnlyRoot_RefuseWrites()
    {
        engine.EnsureBaseImage();
        string folder = Directory.CreateDirectory(engine.NewPath("ro-bind")).FullName;
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "kept");
        using var ps = new PsSession(engine);
        string name = engine.NewName("readonly");
        ps.Set("n", name);
        ps.Set("folder", folder);
        ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $n -Label $label -Volume \"${folder}:/ro:ro\" -ReadOnly -Command sleep, 300 | Start-DockerContainer").AssertNoErrors();

        var bindWrite = ps.Run("Invoke-DockerExec $n sh, -c, 'echo x > /ro/new.txt'");
        Assert.NotEqual(0, ps.Get("LASTEXITCODE"));
        Assert.Contains(bindWrite.Errors, e => e.Exception.Message.Contains("Read-only file system", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(folder, "new.txt")));
        Assert.Equal("kept", Assert.Single(ps.Run("Invoke-DockerExec $n cat, /ro/keep.txt").Output).BaseObject);

        var rootWrite = ps.Run("Invoke-DockerExec $n touch, /new-file");
        Assert.NotEqual(0, ps.Get("LASTEXITCODE"));
        Assert.Contains(rootWrite.Errors, e => e.Exception.Message.Contains("Read-only file system", StringComparison.Ordinal));

        var container = Assert.Single(ps.Run("Get-DockerContainer -Name $n -Detailed").Objects<DockerContainer>());
        ContainerMount bind = Assert.Single(container.Mounts);
        Assert.Equal("bind", bind.Type);
        Assert.Equal(folder, bind.Source);
        Assert.False(bind.ReadWrite);
        Assert.True(container.HostConfig!.ReadOnlyRootFilesystem);
        Assert.Equal($"{folder}:/ro:ro", Assert.Single(container.HostConfig.Binds));
    }

    [Fact]
    public void Stop_Kill_AndSignal_LeaveTheirExitCodes()
    {
        string stopped = Run("term", Trapper);
        string killed = Run("kill", Trapper);
        string signalled = Run("usr1", Trapper);
        using var ps = new PsSession(engine);
        ps.Set("stopped", stopped);
        ps.Set("killed", killed);
        ps.Set("signalled", signalled);

        var term = ps.Run("Stop-DockerContainer -Name $stopped -Timeout 30 -PassThru");
        term.AssertNoErrors();
        Assert.Equal(143, Assert.Single(term.Objects<DockerContainer>()).ExitCode);

        var kill = ps.Run("Get-DockerContainer -Name $killed | Stop-DockerContainer -Force -PassThru");
        kill.AssertNoErrors();
        var killedContainer = Assert.Single(kill.Objects<DockerContainer>());
        Assert.Equal(ContainerState.Exited, killedContainer.State);
        Assert.Equal(137, killedContainer.ExitCode);
        Assert.Equal("137", Shell.Docker("inspect", "--format", "{{.State.ExitCode}}", killed));

        ps.Run("Stop-DockerContainer -Name $signalled -Signal usr1").AssertNoErrors();
        Assert.Equal("42", Shell.Docker("wait", signalled));
        var detailed = Assert.Single(ps.Run("Get-DockerContainer -Name $signalled -Detailed").Objects<DockerContainer>());
        Assert.Equal(42, detailed.ExitCode);
        Assert.False(detailed.OomKilled);

        // Stopping or killing what is already stopped is no error; it says so.
        var again = ps.Run("Stop-DockerContainer -Name $stopped, $killed -Force -Verbose -PassThru");
        again.AssertNoErrors();
        Assert.Equal(new int?[] { 143, 137 }, again.Objects<DockerContainer>().Select(c => c.ExitCode));
    }

    [Fact]
    public void RestartPolicyOnFailure2_ShowsInTheRestartCount()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("onfailure");
        ps.Set("n", name);
        ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $n -Label $label -RestartPolicy 'on-failure:2' -Command sh, -c, 'exit 3' | Start-DockerContainer").AssertNoErrors();

        DockerContainer container = Eventually(
            () => Assert.Single(ps.Run("Get-DockerContainer -Name $n -Detailed").Objects<DockerContainer>()),
            c => c.State == ContainerState.Exited && c.RestartCount == 2);
        Assert.Equal(3, container.ExitCode);
        Assert.Equal(ContainerRestartPolicy.OnFailure, container.HostConfig!.RestartPolicy);
        Assert.Equal(2, container.HostConfig.MaximumRetryCount);
        Assert.Equal("2", Shell.Docker("inspect", "--format", "{{.RestartCount}}", name));
        Assert.NotNull(container.StartedAt);
        Assert.NotNull(container.FinishedAt);

        // The enum form with a separate count says the same.
        string other = engine.NewName("onfailure-enum");
        ps.Set("other", other);
        ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $other -Label $label -RestartPolicy OnFailure -MaximumRetryCount 1 -Command sh, -c, 'exit 1' | Start-DockerContainer").AssertNoErrors();
        Eventually(() => Shell.Docker("inspect", "--format", "{{.State.Status}} {{.RestartCount}}", other), s => s == "exited 1");
        Assert.Equal("on-failure 1", Shell.Docker("inspect", "--format", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", other));
    }

    [Fact]
    public void RestartSuspendResumeRenameUpdate_AreSeenByTheEngine()
    {
        string name = Run("verbs", Trapper);
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        string Inspect(string who, string format) => Shell.Docker("inspect", "--format", format, who);

        string startedBefore = Inspect(name, "{{.State.StartedAt}}");
        ps.Run("Restart-DockerContainer -Name $n -WhatIf").AssertNoErrors();
        Assert.Equal(startedBefore, Inspect(name, "{{.State.StartedAt}}"));
        var restarted = ps.Run("Get-DockerContainer -Name $n | Restart-DockerContainer -Timeout 30 -PassThru");
        restarted.AssertNoErrors();
        Assert.Equal(ContainerState.Running, Assert.Single(restarted.Objects<DockerContainer>()).State);
        Assert.NotEqual(startedBefore, Inspect(name, "{{.State.StartedAt}}"));

        var suspended = ps.Run("Suspend-DockerContainer -Name $n -PassThru");
        suspended.AssertNoErrors();
        Assert.Equal(ContainerState.Paused, Assert.Single(suspended.Objects<DockerContainer>()).State);
        Assert.Equal("paused", EngineFixture.ContainerState(name));
        ps.Run("Suspend-DockerContainer -Name $n").AssertNoErrors();
        Assert.Equal("paused", EngineFixture.ContainerState(name));

        var resumed = ps.Run("Get-DockerContainer -Name $n | Resume-DockerContainer -PassThru");
        resumed.AssertNoErrors();
        Assert.Equal(ContainerState.Running, Assert.Single(resumed.Objects<DockerContainer>()).State);
        Assert.Equal("running", EngineFixture.ContainerState(name));
        ps.Run("Resume-DockerContainer -Name $n").AssertNoErrors();

        // A memory limit alone gets as much swap again, as on create; later ones within the swap limit keep it.
        ps.Run("Update-DockerContainer -Name $n -Memory 32MB").AssertNoErrors();
        Assert.Equal("33554432 67108864", Inspect(name, "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}"));
        var updated = ps.Run("Update-DockerContainer -Name $n -RestartPolicy UnlessStopped -Memory 64MB -MemorySwap '256m' -Cpus 0.5 -PidsLimit 100 -PassThru");
        updated.AssertNoErrors();
        Assert.Equal(name, Assert.Single(updated.Objects<DockerContainer>()).Name);
        Assert.Equal("unless-stopped 67108864 268435456 500000000 100", Inspect(name, "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}"));
        ps.Run("Update-DockerContainer -Name $n -Memory '96m' -RestartPolicy on-failure:4").AssertNoErrors();
        var host = Assert.Single(ps.Run("Get-DockerContainer -Name $n -Detailed").Objects<DockerContainer>()).HostConfig!;
        Assert.Equal(96L << 20, host.Memory);
        Assert.Equal(256L << 20, host.MemorySwap);
        Assert.Equal(0.5, host.Cpus);
        Assert.Equal(ContainerRestartPolicy.OnFailure, host.RestartPolicy);
        Assert.Equal(4, host.MaximumRetryCount);
        Assert.Equal(100, host.PidsLimit);

        string newName = engine.NewName("renamed");
        ps.Set("newName", newName);
        var renamed = ps.Run("Get-DockerContainer -Name $n | Rename-DockerContainer -NewName $newName -PassThru");
        renamed.AssertNoErrors();
        Assert.Equal(newName, Assert.Single(renamed.Objects<DockerContainer>()).Name);
        Assert.True(EngineFixture.ContainerExists(newName));
        Assert.False(EngineFixture.ContainerExists(name));

        // Names from CSV-like rows: the old name by property, the new one too.
        string third = engine.NewName("renamed-again");
        ps.Set("third", third);
        ps.Run("[pscustomobject]@{ Name = $newName; NewName = $third } | Rename-DockerContainer").AssertNoErrors();
        Assert.True(EngineFixture.ContainerExists(third));

        // A script block makes each piped container's new name from the old one.
        ps.Run("Get-DockerContainer -Name $third | Rename-DockerContainer -NewName { $_.Name + '-v2' }").AssertNoErrors();
        Assert.True(EngineFixture.ContainerExists(third + "-v2"));
    }

    [Fact]
    public void ClearDockerContainer_WhatIfListsWhatWouldGoAndTheBytes_ThenThePruneFreesThem()
    {
        engine.EnsureBaseImage();
        string pruneLabel = $"dockerps.test.prune={Guid.NewGuid():N}";
        string Labelled(string what, string command, bool start)
        {
            string name = engine.NewName(what);
            var args = new List<string> { start ? "run" : "create" };
            if (start)
            {
                args.Add("-d");
            }

            args.AddRange(new[] { "--name", name, "--label", engine.Label, "--label", pruneLabel, EngineFixture.BaseImage, "sh", "-c", command });
            Shell.Docker(args.ToArray());
            return name;
        }

        string small = Labelled("prune-small", "head -c 300000 /dev/zero > /tmp/small", start: true);
        string big = Labelled("prune-big", "head -c 700000 /dev/zero > /tmp/big", start: true);
        string neverStarted = Labelled("prune-created", "true", start: false);
        string running = Labelled("prune-running", "sleep 300", start: true);
        Eventually(() => Shell.Docker("inspect", "--format", "{{.State.Status}}", small, big), s => s == "exited\nexited");
        long sizeOf(string name) => long.Parse(Shell.Docker("inspect", "--size", "--format", "{{.SizeRw}}", name));
        long expected = sizeOf(small) + sizeOf(big) + sizeOf(neverStarted);
        Assert.True(expected >= 1_000_000, $"the containers wrote {expected} bytes");

        using var ps = new PsSession(engine);
        ps.Set("pruneLabel", pruneLabel);
        ps.Run("Clear-DockerContainer -Label $label, $pruneLabel -WhatIf").AssertNoErrors();
        string rendered = ps.Rendered;
        foreach (string gone in new[] { small, big, neverStarted })
        {
            Assert.Matches($"What if: Performing the operation \"Remove container\" on target \"{Regex.Escape(gone)} \\([0-9a-f]{{12}}, (exited|created), frees [0-9.]+k?B\\)\"", rendered);
        }

        Assert.DoesNotContain(running, rendered, StringComparison.Ordinal);
        Match total = Regex.Match(rendered, @"on target ""3 stopped containers on .*, freeing .* \(([\d,]+) bytes\)""");
        Assert.True(total.Success, rendered);
        Assert.Equal(expected, long.Parse(total.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal)));
        Assert.True(EngineFixture.ContainerExists(small) && EngineFixture.ContainerExists(big) && EngineFixture.ContainerExists(neverStarted), "-WhatIf removed nothing");

        // None of them is older than an hour.
        var older = Assert.Single(ps.Run("Clear-DockerContainer -Label $label, $pruneLabel -Until '1h' -Force").Objects<DockerPruneResult>());
        Assert.Empty(older.Deleted);
        Assert.Equal(0, older.SpaceReclaimed);
        Assert.True(EngineFixture.ContainerExists(small));

        string[] ids = new[] { small, big, neverStarted }.Select(n => Shell.Docker("inspect", "--format", "{{.Id}}", n)).ToArray();
        var pruned = ps.Run("Clear-DockerContainer -Label $label, $pruneLabel -Force");
        pruned.AssertNoErrors();
        DockerPruneResult report = Assert.Single(pruned.Objects<DockerPruneResult>());
        Assert.Equal("Container", report.Kind);
        Assert.Equal(expected, report.SpaceReclaimed);
        Assert.Equal(ids.Order(), report.Deleted.Order());
        Assert.False(EngineFixture.ContainerExists(small) || EngineFixture.ContainerExists(big) || EngineFixture.ContainerExists(neverStarted));
        Assert.Equal("running", EngineFixture.ContainerState(running));
    }

    private string Run(string what, string script)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sh", "-c", script);
        return name;
    }

    /// <summary>Retries until the value is what the test waits for (a state the engine reaches in its own time).</summary>
    internal static T Eventually<T>(Func<T> read, Func<T, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            T value = read();
            if (done(value))
            {
                return value;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new Xunit.Sdk.XunitException($"Still not there after a minute: {value}");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>Retries a call that fails until a server is up.</summary>
    private static async Task<T> Eventually<T>(Func<Task<T>> read)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await read();
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }
}
