using System.Management.Automation;
using System.Text.Json;

namespace DockerPS.Tests;

/// <summary>The create parameters reach the engine, and Get-DockerContainer -Detailed and its filters show them back.</summary>
[Collection(EngineCollection.Name)]
public sealed class ContainerDetailTests
{
    private readonly EngineFixture engine;

    public ContainerDetailTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void CreateSettings_ReachTheEngine_AndDetailedShowsThemAsTypedProperties()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("detailed");
        ps.Set("n", name);
        var created = ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $n -Label $label, 'tier=db' -Entrypoint sh -Command '-c', 'cat /etc/resolv.conf; exit 5' " +
            "-Environment @{ MODE = 'test' } -WorkingDirectory /tmp -User nobody -Hostname box7 -Dns 10.0.0.2, fd00::53 -DnsSearch example.com " +
            "-Memory '48m' -Cpus 0.5 -Port '127.0.0.1::8080', '127.0.0.1:18443:443/udp' -RestartPolicy No");
        created.AssertNoErrors();
        string Inspect(string format) => Shell.Docker("inspect", "--format", format, name);
        Assert.Equal("50331648 500000000", Inspect("{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}"));
        Assert.Equal("[10.0.0.2 fd00::53] [example.com] no", Inspect("{{.HostConfig.Dns}} {{.HostConfig.DnsSearch}} {{.HostConfig.RestartPolicy.Name}}"));

        // Before it ever ran: the configured port bindings, no start or finish time.
        var fresh = Assert.Single(ps.Run("Get-DockerContainer -Name $n -Detailed").Objects<DockerContainer>());
        Assert.True(fresh.HasDetails);
        Assert.Null(fresh.StartedAt);
        Assert.Null(fresh.FinishedAt);
        Assert.Equal(new[] { "127.0.0.1:18443:443/udp", "127.0.0.1::8080/tcp" }, fresh.HostConfig!.PortBindings.Select(p => p.ToString()));
        Assert.Equal("18443", fresh.HostConfig.PortBindings[0].HostPort);
        Assert.Null(fresh.HostConfig.PortBindings[1].HostPort);

        var output = ps.Run("Start-DockerContainer -Name $n");
        output.AssertNoErrors();
        Assert.Equal("5", Shell.Docker("wait", name));
        string resolv = Shell.Docker("logs", name);
        Assert.Contains("nameserver 10.0.0.2", resolv, StringComparison.Ordinal);
        Assert.Contains("search example.com", resolv, StringComparison.Ordinal);

        var result = ps.Run("Get-DockerContainer -Name $n -Detailed");
        result.AssertNoErrors();
        var c = Assert.Single(result.Objects<DockerContainer>());
        Assert.Equal(ContainerState.Exited, c.State);
        Assert.Equal(5, c.ExitCode);
        Assert.Equal(DateTimeKind.Utc, c.StartedAt!.Value.Kind);
        // A command this short can end before the engine records its start: both times are only checked as recent.
        Assert.Equal(DateTimeKind.Utc, c.FinishedAt!.Value.Kind);
        Assert.True(DateTime.UtcNow - c.StartedAt.Value < TimeSpan.FromMinutes(5), $"started at {c.StartedAt:o}");
        Assert.True(DateTime.UtcNow - c.FinishedAt.Value < TimeSpan.FromMinutes(5), $"finished at {c.FinishedAt:o}");
        Assert.False(c.OomKilled);
        Assert.Null(c.Error);
        Assert.Null(c.Pid);
        Assert.Null(c.Health);
        Assert.Equal(0L, c.RestartCount);

        DockerContainerConfig config = c.Config!;
        Assert.Equal(new[] { "sh" }, config.Entrypoint);
        Assert.Equal(new[] { "-c", "cat /etc/resolv.conf; exit 5" }, config.Cmd);
        Assert.Contains("MODE=test", config.Env);
        Assert.Equal("/tmp", config.WorkingDirectory);
        Assert.Equal("nobody", config.User);
        Assert.Equal("box7", config.Hostname);
        Assert.Equal("db", config.Labels["tier"]);
        Assert.Equal(new[] { "443/udp", "8080/tcp" }, config.ExposedPorts);

        DockerContainerHostConfig host = c.HostConfig!;
        Assert.Equal(ContainerRestartPolicy.No, host.RestartPolicy);
        Assert.Equal(48L << 20, host.Memory);
        Assert.Equal(0.5, host.Cpus);
        Assert.Equal(new[] { "10.0.0.2", "fd00::53" }, host.Dns);
        Assert.Equal(new[] { "example.com" }, host.DnsSearch);
        Assert.Equal("default", host.NetworkMode);
        Assert.Equal("bridge", Assert.Single(c.NetworkSettings!).Network);

        // Without -Detailed the inspect data stays out, and the default table is the docker ps one.
        var plain = Assert.Single(ps.Run("Get-DockerContainer -Name $n").Objects<DockerContainer>());
        Assert.False(plain.HasDetails);
        Assert.Null(plain.Config);
        ps.Run("Get-DockerContainer -Name $n -Detailed | Out-Default").AssertNoErrors();
        Assert.Matches(@"CONTAINER ID\s+NAMES\s+STATUS\s+IMAGE\s+COMMAND\s+CREATED\s+PORTS", ps.Rendered);
    }

    [Fact]
    public void HealthCheck_ShellAndExecForms_AndNoHealthCheck_ShowInTheHealthState()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string failing = engine.NewName("unhealthy");
        string passing = engine.NewName("healthy");
        string none = engine.NewName("nocheck");
        ps.Set("failing", failing);
        ps.Set("passing", passing);
        ps.Set("none", none);
        ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $failing -Label $label -Command sleep, 300 " +
            "-HealthCheckCommand 'echo probe says no; exit 1' -HealthCheckInterval '200ms' -HealthCheckTimeout '00:00:05' -HealthCheckRetries 2 -HealthCheckStartPeriod '100ms' | Start-DockerContainer").AssertNoErrors();
        ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $passing -Label $label -Command sleep, 300 " +
            "-HealthCheckCommand test, -d, /tmp -HealthCheckInterval ([timespan]::FromMilliseconds(200)) | Start-DockerContainer").AssertNoErrors();
        ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $none -Label $label -Command sleep, 300 -NoHealthCheck").AssertNoErrors();

        using (var health = JsonDocument.Parse(Shell.Docker("inspect", "--format", "{{json .Config.Healthcheck}}", failing)))
        {
            JsonElement h = health.RootElement;
            Assert.Equal(new[] { "CMD-SHELL", "echo probe says no; exit 1" }, h.GetProperty("Test").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(200_000_000, h.GetProperty("Interval").GetInt64());
            Assert.Equal(5_000_000_000, h.GetProperty("Timeout").GetInt64());
            Assert.Equal(100_000_000, h.GetProperty("StartPeriod").GetInt64());
            Assert.Equal(2, h.GetProperty("Retries").GetInt64());
        }


        Assert.Equal("[\"CMD\",\"test\",\"-d\",\"/tmp\"]", Shell.Docker("inspect", "--format", "{{json .Config.Healthcheck.Test}}", passing));

        var sick = ContainerLifecycleTests.Eventually(
            () => Assert.Single(ps.Run("Get-DockerContainer -Name $failing -Detailed").Objects<DockerContainer>()),
            c => c.Health?.Status == ContainerHealthStatus.Unhealthy);
        Assert.True(sick.Health!.FailingStreak >= 2, $"failing streak {sick.Health.FailingStreak}");
        Assert.Contains(sick.Health.Log, p => p.ExitCode == 1 && p.Output.Contains("probe says no", StringComparison.Ordinal) && p.End >= p.Start);
        ContainerHealthCheck check = sick.Config!.HealthCheck!;
        Assert.Equal(TimeSpan.FromMilliseconds(200), check.Interval);
        Assert.Equal(TimeSpan.FromSeconds(5), check.Timeout);
        Assert.Equal(2, check.Retries);

        var well = ContainerLifecycleTests.Eventually(
            () => Assert.Single(ps.Run("Get-DockerContainer -Name $passing -Detailed").Objects<DockerContainer>()),
            c => c.Health?.Status == ContainerHealthStatus.Healthy);
        Assert.Equal(0, well.Health!.FailingStreak);

        var off = Assert.Single(ps.Run("Get-DockerContainer -Name $none -Detailed").Objects<DockerContainer>());
        Assert.Equal(new[] { "NONE" }, off.Config!.HealthCheck!.Test);
        Assert.Null(off.Health);
    }

    [Fact]
    public void TabCompletion_OffersRestartPoliciesSignalsAndContainerNamesForLinks()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("completed");
        Shell.Docker("create", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "true");
        using var ps = new PsSession(engine);
        List<string> Complete(string input)
        {
            using var powershell = PowerShell.Create();
            powershell.Runspace = ps.Runspace;
            return CommandCompletion.CompleteInput(input, input.Length, null, powershell).CompletionMatches.Select(m => m.CompletionText).ToList();
        }

        Assert.Equal(new[] { "No", "Always", "UnlessStopped", "OnFailure" }, Complete("New-DockerContainer -Image x -RestartPolicy "));
        Assert.Equal(new[] { "UnlessStopped" }, Complete("Update-DockerContainer -Name x -RestartPolicy un"));
        Assert.Equal(new[] { "TERM", "TRAP", "TSTP", "TTIN", "TTOU" }.Order(), Complete("Stop-DockerContainer -Name x -Signal t").Order());
        Assert.Equal(new[] { "SIGUSR1", "SIGUSR2" }, Complete("Stop-DockerContainer -Name x -Signal SIGUS"));
        Assert.Contains(name, Complete($"New-DockerContainer -Image x -Link dockerps-test-{engine.RunId}-compl"));
        Assert.Contains(name, Complete($"Rename-DockerContainer -Container dockerps-test-{engine.RunId}-compl"));
    }

    [Fact]
    public void GetDockerContainer_FiltersByAncestor_AndByStatusWithDetails()
    {
        string image = $"dockerps-test/ancestor-{engine.RunId}:1";
        engine.ImportRootfs(image, 0, "CMD [\"sh\"]");
        string child = engine.NewName("child");
        string other = engine.NewName("other");
        Shell.Docker("create", "--name", child, "--label", engine.Label, image, "true");
        Shell.Docker("create", "--name", other, "--label", engine.Label, EngineFixture.BaseImage, "true");
        using var ps = new PsSession(engine);
        ps.Set("image", image);

        var byAncestor = ps.Run("Get-DockerContainer -Ancestor $image");
        byAncestor.AssertNoErrors();
        Assert.Equal(child, Assert.Single(byAncestor.Objects<DockerContainer>()).Name);

        var both = ps.Run("Get-DockerContainer -Ancestor $image, dockerps-test/busybox -Status Created -Label $label -Detailed").Objects<DockerContainer>().ToList();
        Assert.Contains(both, c => c.Name == child && c.HasDetails);
        Assert.Contains(both, c => c.Name == other && c.HasDetails);
        Assert.All(both, c => Assert.Equal(ContainerState.Created, c.State));

        Assert.Empty(ps.Run("Get-DockerContainer -Ancestor $image -Status Running").Output);
        Assert.Empty(ps.Run($"Get-DockerContainer -Network dockerps-test-no-such-network-{engine.RunId}").Output);
        Assert.Empty(ps.Run($"Get-DockerContainer -Volume dockerps-test-no-such-volume-{engine.RunId}").Output);
    }
}
