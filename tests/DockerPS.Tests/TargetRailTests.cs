using System.Diagnostics;
using System.Management.Automation;

namespace DockerPS.Tests;

/// <summary>The target rail: many piped items act concurrently, yet each is asked, reported and written as one.</summary>
[Collection(EngineCollection.Name)]
public sealed class TargetRailTests
{
    private readonly EngineFixture engine;

    public TargetRailTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Remove_SixtyPipedContainers_WithThrottleLimit8_RemovesThemAll()
    {
        string batch = NewBatch();
        MakeContainers(batch, 60, running: false);
        using var ps = new PsSession(engine);
        ps.Set("l", batch);

        ps.Run("Get-DockerContainer -Label $l | Remove-DockerContainer -Force -ThrottleLimit 8").AssertNoErrors();

        Assert.Empty(Ids(batch));
    }

    [Fact]
    public void Stop_SixtyPipedContainers_WithThrottleLimit8_StopsThemAll_AndPassThruKeepsInputOrder()
    {
        string batch = NewBatch();
        string[] names = MakeContainers(batch, 60, running: true).Reverse().ToArray();
        using var ps = new PsSession(engine);
        ps.Set("names", names);

        var result = ps.Run("$names | ForEach-Object { [pscustomobject]@{ Name = $_ } } | Stop-DockerContainer -Timeout 1 -ThrottleLimit 8 -PassThru");

        result.AssertNoErrors();
        Assert.Equal(names, result.Objects<DockerContainer>().Select(c => c.Name));
        Assert.All(names, n => Assert.Equal("exited", EngineFixture.ContainerState(n)));
    }

    [Fact]
    public void Remove_MissingItems_AreNonTerminatingErrors_AndTheRestGoOn()
    {
        string batch = NewBatch();
        string[] real = MakeContainers(batch, 12, running: false);
        string[] missing = { engine.NewName("gone1"), engine.NewName("gone2"), engine.NewName("gone3") };
        string[] mixed = real.Take(4).Concat(missing.Take(1)).Concat(real.Skip(4).Take(4)).Concat(missing.Skip(1)).Concat(real.Skip(8)).ToArray();
        using var ps = new PsSession(engine);
        ps.Set("names", mixed);

        var result = ps.Run("Remove-DockerContainer -Name $names -Force -ThrottleLimit 8");

        Assert.Equal(Enumerable.Repeat("ContainerNotFound", 3), result.ErrorIds);
        Assert.Equal(missing, result.Errors.Select(e => e.TargetObject));
        Assert.Empty(Ids(batch));
    }

    [Fact]
    public void WhatIf_OnABulkRemoveAndStop_TouchesNothing()
    {
        string batch = NewBatch();
        string[] names = MakeContainers(batch, 10, running: true);
        using var ps = new PsSession(engine);
        ps.Set("l", batch);

        ps.Run("Get-DockerContainer -Label $l | Stop-DockerContainer -ThrottleLimit 8 -WhatIf").AssertNoErrors();
        ps.Run("Get-DockerContainer -Label $l | Remove-DockerContainer -Force -ThrottleLimit 8 -WhatIf").AssertNoErrors();

        Assert.All(names, n => Assert.Equal("running", EngineFixture.ContainerState(n)));
    }

    [Fact]
    public void CtrlC_InTheMiddleOfABulkStop_ReturnsWithinASecond_AndLeavesEachStoppedOrUntouched()
    {
        string batch = NewBatch();
        string[] names = MakeContainers(batch, 24, running: true);
        using var ps = new PsSession(engine);
        ps.Set("l", batch);

        // busybox sleep as PID 1 ignores SIGTERM, so each stop waits out its -Timeout: the first eight are in flight.
        using var pipeline = ps.Start("Get-DockerContainer -Label $l | Stop-DockerContainer -Timeout 30 -ThrottleLimit 8", out var pending);
        Thread.Sleep(1500);
        Assert.False(pending.IsCompleted, "the stop ended before it could be interrupted");

        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
        Assert.Empty(pipeline.Streams.Error);
        Assert.All(names, n => Assert.Contains(EngineFixture.ContainerState(n), new[] { "running", "exited" }));
        Assert.Contains(names, n => EngineFixture.ContainerState(n) == "running");
    }

    private string NewBatch() => engine.NewName("rail");

    private string[] Ids(string batch) =>
        Shell.Docker("ps", "-aq", "--filter", $"label={batch}").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string[] MakeContainers(string batch, int count, bool running)
    {
        engine.EnsureBaseImage();
        string[] names = Enumerable.Range(0, count).Select(i => $"{batch}-{i:D2}").ToArray();
        Parallel.ForEach(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, name =>
            Shell.Docker(running ? "run" : "create", running ? "-d" : "--rm=false", "--name", name, "--label", engine.Label, "--label", batch,
                EngineFixture.BaseImage, "sleep", "300"));
        return names;
    }
}
