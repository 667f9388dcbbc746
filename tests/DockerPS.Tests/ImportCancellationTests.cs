using System.Diagnostics;
using System.Management.Automation;

namespace DockerPS.Tests;

/// <summary>Ctrl+C during Import-DockerImage -Path leaves the engine as it was before the load.</summary>
[Collection(EngineCollection.Name)]
public sealed class ImportCancellationTests
{
    private readonly EngineFixture engine;

    public ImportCancellationTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void CtrlC_WhileTheArchiveGoesUp_LoadsNothing()
    {
        var (id, reference, archive) = ArchiveOfANewImage("mid", kept: null);
        // The first progress record comes with the first bytes read; later ones at most four times a second, and a fast
        // upload can be over between two of them: stop at the first one.
        var (stopAt, _) = StopLoad(archive, p => p.PercentComplete >= 0 && p.PercentComplete < 90, TimeSpan.FromSeconds(1));

        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.False(EngineFixture.ImageExists(id), $"the load stopped at {stopAt}% left image {id}");
        Assert.False(EngineFixture.ImageExists(reference), $"the load stopped at {stopAt}% left {reference}");
    }

    [Fact]
    public void CtrlC_AfterTheWholeArchiveWasSent_PutsBackOnlyWhatTheLoadChanged()
    {
        // The archive also names a reference that exists before the load, on another image: the load moves it, and the
        // stop must move it back, keeping that other image.
        string keptReference = $"dockerps-test/loadstop-kept-{engine.RunId}:v1";
        string otherId = engine.ImportRootfs(keptReference, 0);
        var (id, reference, archive) = ArchiveOfANewImage("late", keptReference);
        Assert.Equal(otherId, EngineFixture.ImageId(keptReference));

        var (_, stopped) = StopLoad(archive, p => p.StatusDescription.Contains("the engine is loading it", StringComparison.Ordinal), TimeSpan.FromSeconds(6));
        Assert.True(stopped, "the load ended before it could be stopped");

        // Whatever the engine still had to do after the stop is done by now.
        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.False(EngineFixture.ImageExists(reference), $"the stopped load left {reference}");
        Assert.False(EngineFixture.ImageExists(id), $"the stopped load left image {id}");
        Assert.Equal(otherId, EngineFixture.ImageId(keptReference));
    }

    /// <summary>A new image with a large layer, saved (with <paramref name="kept"/> too, if given) and then removed.</summary>
    private (string Id, string Reference, string Archive) ArchiveOfANewImage(string what, string? kept)
    {
        string reference = $"dockerps-test/loadstop-{what}-{engine.RunId}:v1";
        string id = engine.ImportRootfs(reference, extraBytes: 160L << 20);
        string archive = engine.NewPath($"loadstop-{what}.tar");
        string? keptBefore = kept == null ? null : EngineFixture.ImageId(kept);
        if (kept != null)
        {
            Shell.Docker("tag", reference, kept);
            Shell.Docker("save", "-o", archive, reference, kept);
            Shell.Docker("tag", keptBefore!, kept);
        }
        else
        {
            Shell.Docker("save", "-o", archive, reference);
        }

        Shell.Docker("rmi", reference);
        Assert.False(EngineFixture.ImageExists(id));
        return (id, reference, archive);
    }

    /// <summary>Starts the load, stops it at the first progress record that matches, and checks the stop took under a second.</summary>
    private (int Percent, bool Stopped) StopLoad(string archive, Func<ProgressRecord, bool> when, TimeSpan within)
    {
        using var ps = new PsSession(engine);
        ps.Set("archive", archive);
        using var pipeline = ps.Start("Import-DockerImage -Path $archive", out var pending);
        var waited = Stopwatch.StartNew();
        ProgressRecord? seen;
        while ((seen = ps.Host.ProgressRecords.Where(p => p.Activity == "Loading images").LastOrDefault(when)) == null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the load never reported progress");
            Assert.False(pending.IsCompleted, "the load finished before it could be stopped");
            Thread.Sleep(2);
        }

        bool running = !pending.IsCompleted;
        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Console.WriteLine($"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(stopping.Elapsed < within, $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        return (seen.PercentComplete, running && pipeline.InvocationStateInfo.State == PSInvocationState.Stopped);
    }
}
