using System.Diagnostics;
using System.Management.Automation;

namespace DockerPS.Tests;

[Collection(EngineCollection.Name)]
public sealed class CancellationTests
{
    private static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);
    private readonly EngineFixture engine;

    public CancellationTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void CtrlC_DuringSaveOfALargeImage_EndsWithinASecond_AndLeavesNoFile()
    {
        engine.EnsureBigImage();
        using var ps = new PsSession(engine);
        string archive = engine.NewPath("big.tar");
        ps.Set("archive", archive);
        using var pipeline = ps.Start($"Save-DockerImage -Name {EngineFixture.BigImage} -Path $archive", out var pending);

        // Wait until bytes are flowing into the temporary file.
        var waited = Stopwatch.StartNew();
        while (ps.Host.ProgressRecords.Count(p => p.Activity == "Saving images" && p.RecordType == ProgressRecordType.Processing) == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the save never reported progress");
            Assert.False(pending.IsCompleted, "the save finished before it could be stopped; make the test image larger");
            Thread.Sleep(10);
        }

        Assert.NotEmpty(Directory.GetFiles(engine.WorkDir, "*big.tar*.partial"));
        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < WithinASecond, $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
        Assert.False(File.Exists(archive), "no file at -Path");
        Assert.Empty(Directory.GetFiles(engine.WorkDir, "*.partial"));
    }

    [Fact]
    public void CtrlC_DuringALongExec_EndsTheCall()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("longexec");
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        using var pipeline = ps.Start("Invoke-DockerExec -Container $n -Command sh, -c, 'echo started; sleep 120; echo never'", out var pending);
        var waited = Stopwatch.StartNew();
        while (pipeline.Streams.Error.Count == 0 && !pending.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(3))
        {
            Thread.Sleep(50);
        }

        Assert.False(pending.IsCompleted, "the exec ended by itself");
        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < WithinASecond, $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
    }
}
