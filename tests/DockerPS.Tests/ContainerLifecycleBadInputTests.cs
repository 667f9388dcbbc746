using System.Diagnostics;
using System.Management.Automation;

namespace DockerPS.Tests;

/// <summary>Every lifecycle cmdlet's bad input: its own id, category and target, and nothing else lost.</summary>
[Collection(EngineCollection.Name)]
public sealed class ContainerLifecycleBadInputTests
{
    private const string Missing = "dockerps-test-no-such-container";
    private readonly EngineFixture engine;

    public ContainerLifecycleBadInputTests(EngineFixture engine) => this.engine = engine;

    [Theory]
    [InlineData("Stop-DockerContainer -Force -PassThru", "exited")]
    [InlineData("Stop-DockerContainer -Signal KILL -PassThru", null)]
    [InlineData("Restart-DockerContainer -Timeout 0 -PassThru", "running")]
    [InlineData("Suspend-DockerContainer -PassThru", "paused")]
    [InlineData("Update-DockerContainer -Memory 64MB -PassThru", "running")]
    public void UnknownContainer_IsContainerNotFound_AndThePipelineGoesOn(string command, string? stateAfter)
    {
        string name = StartSleeper("survivor");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var result = ps.Run($"'{Missing}', $n | ForEach-Object {{ [pscustomobject]@{{ Name = $_ }} }} | {command}");
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("ContainerNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(Missing, error.TargetObject);
        Assert.Equal(name, Assert.Single(result.Objects<DockerContainer>()).Name);
        if (stateAfter != null)
        {
            Assert.Equal(stateAfter, EngineFixture.ContainerState(name));
        }
    }

    [Fact]
    public void UnknownContainer_OnResumeRenameAndDetailed_IsContainerNotFound()
    {
        string name = StartSleeper("paused");
        Shell.Docker("pause", name);
        using var ps = new PsSession(engine);
        ps.Set("n", name);

        var resume = ps.Run($"Resume-DockerContainer -Name {Missing}, $n -PassThru");
        Assert.Equal("ContainerNotFound", Assert.Single(resume.ErrorIds));
        Assert.Equal(ContainerState.Running, Assert.Single(resume.Objects<DockerContainer>()).State);

        string renamed = engine.NewName("renamed");
        ps.Set("renamed", renamed);
        var rename = ps.Run($"[pscustomobject]@{{ Name = '{Missing}'; NewName = 'x' }}, [pscustomobject]@{{ Name = $n; NewName = $renamed }} | Rename-DockerContainer -PassThru");
        ErrorRecord error = Assert.Single(rename.Errors);
        Assert.Equal("ContainerNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(Missing, error.TargetObject);
        Assert.Equal(renamed, Assert.Single(rename.Objects<DockerContainer>()).Name);

        var detailed = ps.Run($"Get-DockerContainer -Name {Missing}, $renamed -Detailed");
        Assert.Equal("ContainerNotFound", Assert.Single(detailed.ErrorIds));
        Assert.True(Assert.Single(detailed.Objects<DockerContainer>()).HasDetails);
    }

    [Fact]
    public void RenameToATakenName_IsResourceExists_AndBothKeepTheirNames()
    {
        string first = StartSleeper("first");
        string second = StartSleeper("second");
        using var ps = new PsSession(engine);
        ps.Set("first", first);
        ps.Set("second", second);
        var result = ps.Run("Rename-DockerContainer -Container $first -NewName $second");
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("ContainerNameInUse", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal(first, error.TargetObject);
        Assert.True(EngineFixture.ContainerExists(first));
        Assert.True(EngineFixture.ContainerExists(second));
        Assert.NotEqual(Shell.Docker("inspect", "--format", "{{.Id}}", first), Shell.Docker("inspect", "--format", "{{.Id}}", second));
    }

    [Theory]
    [InlineData("-RestartPolicy Sometimes", "InvalidRestartPolicy", "Sometimes")]
    [InlineData("-RestartPolicy 'on-failure:x'", "InvalidRestartPolicy", "on-failure:x")]
    [InlineData("-RestartPolicy Always -MaximumRetryCount 3", "InvalidRestartPolicy", "Always")]
    [InlineData("-RestartPolicy 'on-failure:2' -MaximumRetryCount 3", "InvalidRestartPolicy", "on-failure:2")]
    [InlineData("-MaximumRetryCount 3", "InvalidRestartPolicy", 3)]
    [InlineData("-RestartPolicy Always -AutoRemove", "ConflictingParameters", "Always")]
    [InlineData("-Memory '12x'", "InvalidMemorySpecification", "12x")]
    [InlineData("-Memory 0", "InvalidMemorySpecification", 0)]
    [InlineData("-Link 'db:alias:extra'", "InvalidLinkSpecification", "db:alias:extra")]
    [InlineData("-Link 'db:bad alias'", "InvalidLinkSpecification", "db:bad alias")]
    [InlineData("-Dns 10.0.2", "InvalidDnsSpecification", "10.0.2")]
    [InlineData("-DnsSearch 'bad domain'", "InvalidDnsSpecification", "bad domain")]
    [InlineData("-NetworkAlias web", "InvalidNetworkAlias", "web")]
    [InlineData("-Network bridge -NetworkAlias web", "InvalidNetworkAlias", "web")]
    [InlineData("-NoHealthCheck -HealthCheckCommand true", "InvalidHealthCheck", "NoHealthCheck")]
    [InlineData("-HealthCheckInterval '0s'", "InvalidHealthCheck", "00:00:00")]
    public void BadCreateValue_IsAParameterError_NamingThePart_AndCreatesNothing(string parameters, string errorId, object target)
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("never");
        ps.Set("n", name);
        var result = ps.Run($"New-DockerContainer -Image dockerps-test/busybox -Name $n -Label $label -Port '127.0.0.1::80' {parameters}");
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(target.ToString(), error.TargetObject is TimeSpan span ? span.ToString() : error.TargetObject?.ToString());
        Assert.Empty(result.Output);
        Assert.False(EngineFixture.ContainerExists(name));
    }

    [Theory]
    [InlineData("-HealthCheckInterval 30")]
    [InlineData("-HealthCheckTimeout 'soon'")]
    [InlineData("-Cpus 0")]
    [InlineData("-HealthCheckRetries 0")]
    public void BadlyTypedCreateValue_IsRefusedAtBinding_AndCreatesNothing(string parameters)
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("never");
        ps.Set("n", name);
        var result = ps.Run($"New-DockerContainer -Image dockerps-test/busybox -Name $n -Label $label {parameters}");
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
        Assert.False(EngineFixture.ContainerExists(name));
    }

    [Fact]
    public void BadStopAndUpdateValues_AreParameterErrors_AndChangeNothing()
    {
        string name = StartSleeper("untouched");
        using var ps = new PsSession(engine);
        ps.Set("n", name);

        void AssertRefused(string script, string errorId, object? target)
        {
            var result = ps.Run(script);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(target?.ToString(), error.TargetObject?.ToString());
            Assert.Equal("running", EngineFixture.ContainerState(name));
        }

        AssertRefused("Stop-DockerContainer -Name $n -Signal SIGBOGUS", "InvalidSignal", "SIGBOGUS");
        AssertRefused("Stop-DockerContainer -Name $n -Signal 99", "InvalidSignal", "99");
        AssertRefused("Stop-DockerContainer -Name $n -Signal HUP -Force", "ConflictingParameters", "Force");
        AssertRefused("Stop-DockerContainer -Name $n -Signal HUP -Timeout 5", "ConflictingParameters", "Signal");
        AssertRefused("Update-DockerContainer -Name $n", "NothingToUpdate", null);
        AssertRefused("Update-DockerContainer -Name $n -RestartPolicy sometimes", "InvalidRestartPolicy", "sometimes");
        AssertRefused("Update-DockerContainer -Name $n -Memory '1.5q'", "InvalidMemorySpecification", "1.5q");
        AssertRefused("Update-DockerContainer -Name $n -MemorySwap -2", "InvalidMemorySpecification", -2);
        AssertRefused("Clear-DockerContainer -Label $label -Until 7d -Force", "InvalidFilter", 7m);
        Assert.Equal("no 0", Shell.Docker("inspect", "--format", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.Memory}}", name));
    }

    [Fact]
    public void ActionsThatDoNotFitTheState_SayWhy()
    {
        engine.EnsureBaseImage();
        string created = engine.NewName("created");
        Shell.Docker("create", "--name", created, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", created);

        void AssertState(string script, string errorId)
        {
            var result = ps.Run(script);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Equal(created, error.TargetObject);
            Assert.Contains("Start-DockerContainer", error.Exception.Message, StringComparison.Ordinal);
            Assert.Equal("created", EngineFixture.ContainerState(created));
        }

        AssertState("Suspend-DockerContainer -Name $n", "ContainerNotRunning");
        AssertState("Get-DockerContainer -Name $n | Resume-DockerContainer", "ContainerNotPaused");
        AssertState("Stop-DockerContainer -Name $n -Signal HUP", "ContainerNotRunning");

        // Stopping it is what was asked and it is already so: no error.
        ps.Run("Stop-DockerContainer -Name $n -Force").AssertNoErrors();
        ps.Run("Stop-DockerContainer -Name $n").AssertNoErrors();
    }

    [Fact]
    public void CtrlC_DuringARestartWithALongTimeout_EndsWithinASecond()
    {
        // busybox sleep as PID 1 ignores SIGTERM, so the restart would wait the whole timeout.
        string name = StartSleeper("slowrestart");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        using var pipeline = ps.Start("Restart-DockerContainer -Name $n -Timeout 120", out var pending);
        Thread.Sleep(500);
        Assert.False(pending.IsCompleted, "the restart ended by itself");
        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
    }

    private string StartSleeper(string what)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        return name;
    }
}
