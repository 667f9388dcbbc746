namespace DockerPS.Tests;

[Collection(EngineCollection.Name)]
public sealed class ContainerPipelineTests
{
    private readonly EngineFixture engine;

    public ContainerPipelineTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void NewStartExec_Pipeline_ReturnsExitCodeAndBothStreams()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("exec");
        ps.Set("n", name);
        var result = ps.Run("Get-DockerImage dockerps-test/busybox | New-DockerContainer -Name $n -Command sleep, 300 | Start-DockerContainer -PassThru | Invoke-DockerExec -Command sh, -c, 'echo out; echo err >&2; exit 3' -PassThru");
        result.AssertNoErrors();
        var exec = Assert.Single(result.Objects<DockerExecResult>());
        Assert.Equal(3, exec.ExitCode);
        Assert.Equal("out", exec.StdOut);
        Assert.Equal("err", exec.StdErr);
        Assert.Equal(name, exec.Container.Name);
        Assert.Equal("running", EngineFixture.ContainerState(name));
        Assert.Equal(3, ps.Get("LASTEXITCODE"));
    }

    [Fact]
    public void StopAndRemove_Pipeline_LeavesNoContainer()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("stop");
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", name);

        var stopped = ps.Run("Get-DockerContainer -Name $n | Stop-DockerContainer -Timeout 1 -PassThru");
        stopped.AssertNoErrors();
        var container = Assert.Single(stopped.Objects<DockerContainer>());
        Assert.Equal(ContainerState.Exited, container.State);
        Assert.Equal("exited", EngineFixture.ContainerState(name));

        ps.Run("Get-DockerContainer -Name $n | Stop-DockerContainer -PassThru | Remove-DockerContainer -Confirm:$false").AssertNoErrors();
        Assert.False(EngineFixture.ContainerExists(name));
        Assert.Empty(ps.Run("Get-DockerContainer -Name $n -ErrorAction SilentlyContinue").Output);
    }

    [Fact]
    public void Exec_StreamsStdoutToPipeline_StderrToErrorStream_AndSetsLastExitCode()
    {
        string name = StartSleeper("stream");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var result = ps.Run("Invoke-DockerExec -Container $n -Command sh, -c, 'echo one; echo two; echo bad >&2; exit 7'");
        Assert.Equal(new[] { "one", "two" }, result.Output.Select(o => o.BaseObject).Cast<string>());
        var error = Assert.Single(result.Errors);
        Assert.Equal("ExecStandardError", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("bad", error.Exception.Message);
        Assert.Equal(7, ps.Get("LASTEXITCODE"));
    }

    [Fact]
    public void Exec_InputGoesToStdin_WithEnvironmentUserAndWorkingDirectory()
    {
        string name = StartSleeper("stdin");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var result = ps.Run("Invoke-DockerExec $n -Command sh, -c, 'cat; echo $GREETING; id -u; pwd' -Input 'line 1', 'line 2' -Environment @{GREETING='hello there'} -User nobody -WorkingDirectory /tmp");
        result.AssertNoErrors();
        Assert.Equal(new[] { "line 1", "line 2", "hello there", "65534", "/tmp" }, result.Output.Select(o => o.BaseObject).Cast<string>());
        Assert.Equal(0, ps.Get("LASTEXITCODE"));
    }

    [Fact]
    public void NewContainer_AppliesPortsVolumesEnvironmentLabelsAndSettings()
    {
        engine.EnsureBaseImage();
        string bindDir = Directory.CreateDirectory(engine.NewPath("bind")).FullName;
        File.WriteAllText(Path.Combine(bindDir, "hello.txt"), "from the host");
        using var ps = new PsSession(engine);
        string name = engine.NewName("settings");
        ps.Set("n", name);
        ps.Set("bind", bindDir);
        var created = ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $n -Command sh, -c, 'sleep 300' -Environment @{A='1'}, 'B=two' -Label @{ 'dockerps.test.run' = $runId; tier = 'web' } -Port '127.0.0.1:18080:80', '127.0.0.1::81', '5000/udp' -Volume \"${bind}:/hostdir:ro\", '/anon' -WorkingDirectory /tmp -User nobody -Hostname box1");
        created.AssertNoErrors();
        var container = Assert.Single(created.Objects<DockerContainer>());
        Assert.Equal(ContainerState.Created, container.State);
        Assert.Equal("web", container.Labels["tier"]);

        string Inspect(string format) => Shell.Docker("container", "inspect", "--format", format, name);
        Assert.Contains("A=1", Inspect("{{json .Config.Env}}"));
        Assert.Contains("B=two", Inspect("{{json .Config.Env}}"));
        Assert.Equal("/tmp", Inspect("{{.Config.WorkingDir}}"));
        Assert.Equal("nobody", Inspect("{{.Config.User}}"));
        Assert.Equal("box1", Inspect("{{.Config.Hostname}}"));
        string ports = Inspect("{{json .HostConfig.PortBindings}}");
        Assert.Contains("\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18080\"}]", ports);
        Assert.Contains("\"81/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}]", ports);
        Assert.Contains("5000/udp", Inspect("{{json .Config.ExposedPorts}}"));
        Assert.Contains($"{bindDir}:/hostdir:ro", Inspect("{{json .HostConfig.Binds}}"));
        Assert.Contains("/anon", Inspect("{{json .Config.Volumes}}"));

        var started = ps.Run("Start-DockerContainer -Name $n -PassThru");
        started.AssertNoErrors();
        var running = Assert.Single(started.Objects<DockerContainer>());
        Assert.Equal(ContainerState.Running, running.State);
        var published = running.Ports.Single(p => p.PrivatePort == 80);
        Assert.Equal(18080, published.PublicPort);
        Assert.Equal("127.0.0.1", published.HostIP);
        Assert.True(running.Ports.Single(p => p.PrivatePort == 81).PublicPort > 0);
        var read = ps.Run("Invoke-DockerExec $n cat, /hostdir/hello.txt");
        read.AssertNoErrors();
        Assert.Equal("from the host", Assert.Single(read.Output).BaseObject);
        var write = ps.Run("Invoke-DockerExec $n sh, -c, 'echo x > /hostdir/new.txt' -ErrorAction SilentlyContinue");
        Assert.NotEqual(0, ps.Get("LASTEXITCODE"));
        Assert.False(File.Exists(Path.Combine(bindDir, "new.txt")), "the read-only bind refused the write");
    }

    [Fact]
    public void GetDockerContainer_ListsAllByDefault_AndFiltersByStatusAndLabel()
    {
        string running = StartSleeper("running");
        string stopped = engine.NewName("created");
        Shell.Docker("create", "--name", stopped, "--label", engine.Label, "--label", "role=idle", EngineFixture.BaseImage, "true");
        using var ps = new PsSession(engine);
        var all = ps.Run("Get-DockerContainer").Objects<DockerContainer>().Select(c => c.Name).ToList();
        Assert.Contains(running, all);
        Assert.Contains(stopped, all);

        var onlyRunning = ps.Run("Get-DockerContainer -Status Running").Objects<DockerContainer>().ToList();
        Assert.Contains(onlyRunning, c => c.Name == running);
        Assert.DoesNotContain(onlyRunning, c => c.Name == stopped);
        Assert.All(onlyRunning, c => Assert.Equal(ContainerState.Running, c.State));

        var labelled = ps.Run("Get-DockerContainer -Label role=idle").Objects<DockerContainer>().ToList();
        Assert.Equal(stopped, Assert.Single(labelled, c => c.Name.StartsWith("dockerps-test-" + engine.RunId, StringComparison.Ordinal)).Name);

        var wildcard = ps.Run($"Get-DockerContainer -Name 'dockerps-test-{engine.RunId}-runn*'").Objects<DockerContainer>().ToList();
        Assert.Equal(running, Assert.Single(wildcard).Name);
        Assert.Equal("dockerps-test/busybox:latest", wildcard[0].Image.Replace("dockerps-test/busybox", "dockerps-test/busybox:latest", StringComparison.Ordinal).Replace(":latest:latest", ":latest", StringComparison.Ordinal));

        var byProperty = ps.Run($"[pscustomobject]@{{ Name = '{running}' }} | Stop-DockerContainer -Timeout 1 -PassThru");
        byProperty.AssertNoErrors();
        Assert.Equal(ContainerState.Exited, Assert.Single(byProperty.Objects<DockerContainer>()).State);
    }

    private string StartSleeper(string what)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        return name;
    }
}
