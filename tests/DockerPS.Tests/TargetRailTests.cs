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

    [Fact]
    public void RemoveImage_TwentyPipedReferencesOfTwoImages_RemovesEveryReference_AndBothImagesGoWithTheirLast()
    {
        string batch = NewBatch();
        string[] ids = { CommitImage(batch, "a"), CommitImage(batch, "b") };
        string[] references = Enumerable.Range(0, 20).Select(i => $"{batch}-{(i % 2 == 0 ? "a" : "b")}:t{i:D2}").ToArray();
        Parallel.ForEach(references, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            r => Shell.Docker("tag", ids[r.Contains("-a:") ? 0 : 1], r));
        using var ps = new PsSession(engine);
        ps.Set("refs", references);

        ps.Run("Get-DockerImage -Name $refs | Remove-DockerImage -Confirm:$false").AssertNoErrors();

        Assert.All(references, r => Assert.False(EngineFixture.ImageExists(r), $"{r} is still there"));
        Assert.All(ids, id => Assert.False(EngineFixture.ImageExists(id), $"image {id} was left without a reference"));
        Assert.True(EngineFixture.ImageExists(EngineFixture.BaseImage));
    }

    [Fact]
    public void AddImageTag_TwentyImages_WithThrottleLimit8_TagsEach_AndPassThruKeepsInputOrder()
    {
        string batch = NewBatch();
        string id = CommitImage(batch, "src");
        string[] sources = Enumerable.Range(0, 20).Select(i => $"{batch}-src:s{i:D2}").Reverse().ToArray();
        foreach (string source in sources)
        {
            Shell.Docker("tag", id, source);
        }

        using var ps = new PsSession(engine);
        ps.Set("sources", sources);
        ps.Set("target", $"{batch}-copy:one");

        try
        {
            var result = ps.Run("Add-DockerImageTag -Name $sources -Target $target -ThrottleLimit 8 -PassThru");

            result.AssertNoErrors();
            Assert.Equal(Enumerable.Repeat($"{batch}-copy:one", 20), result.Objects<DockerImage>().Select(i => i.Reference));
            Assert.Equal(id, EngineFixture.ImageId($"{batch}-copy:one"));
        }
        finally
        {
            // A child of the base image left behind would keep the base image through other tests' removals.
            Shell.Run("docker", "rmi", "-f", id);
        }
    }

    [Fact]
    public void RemoveVolume_ThirtyNamesWithOneInUseAndOneMissing_RemovesTheRest_AndReportsThoseTwoInPlace()
    {
        string batch = NewBatch();
        string[] volumes = Enumerable.Range(0, 30).Select(i => $"{batch}-v{i:D2}").ToArray();
        Parallel.ForEach(volumes, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            v => Shell.Docker("volume", "create", "--label", engine.Label, v));
        engine.EnsureBaseImage();
        Shell.Docker("create", "--name", $"{batch}-user", "--label", engine.Label, "-v", $"{volumes[7]}:/data", EngineFixture.BaseImage, "true");
        string missing = $"{batch}-gone";
        string[] asked = volumes.Take(20).Append(missing).Concat(volumes.Skip(20)).ToArray();
        using var ps = new PsSession(engine);
        ps.Set("names", asked);

        var result = ps.Run("Remove-DockerVolume -Name $names -Force -ThrottleLimit 8");

        Assert.Equal(new[] { "VolumeInUse", "VolumeNotFound" }, result.ErrorIds);
        Assert.Equal(new[] { volumes[7], missing }, result.Errors.Select(e => e.TargetObject));
        string[] left = Shell.Docker("volume", "ls", "-q", "--filter", $"name={batch}-v").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { volumes[7] }, left);
    }

    [Fact]
    public void RemoveNetwork_TwelvePipedNetworks_WithThrottleLimit8_RemovesThemAll()
    {
        string batch = NewBatch();
        string[] networks = Enumerable.Range(0, 12).Select(i => $"{batch}-n{i:D2}").ToArray();
        foreach (string network in networks)
        {
            Shell.Docker("network", "create", "--label", engine.Label, network);
        }

        using var ps = new PsSession(engine);
        ps.Set("names", networks);

        ps.Run("Get-DockerNetwork -Name $names | Remove-DockerNetwork -Force -ThrottleLimit 8").AssertNoErrors();

        Assert.Empty(Shell.Docker("network", "ls", "-q", "--filter", $"name={batch}-n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>An image of its own (a new config over the base image's layers), labelled for clean-up.</summary>
    private string CommitImage(string batch, string what)
    {
        engine.EnsureBaseImage();
        string container = $"{batch}-{what}-src";
        Shell.Docker("create", "--name", container, "--label", engine.Label, EngineFixture.BaseImage, "true");
        string id = Shell.Docker("commit", "--change", $"LABEL {engine.Label}", "--change", $"LABEL rail={batch}-{what}", container).Trim();
        Shell.Docker("rm", container);
        return id;
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
