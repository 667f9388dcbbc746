namespace DockerPS.Tests;

/// <summary>Save-DockerImage, Export-DockerContainer and Backup-DockerVolume refuse a bad destination the same way.</summary>
[Collection(EngineCollection.Name)]
public sealed class ArchiveDestinationTests
{
    private readonly EngineFixture engine;

    public ArchiveDestinationTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void ExistingFileFolderOrMissingFolder_EndsEachArchiveCmdlet_WithOneId_AndWritesNothing()
    {
        engine.EnsureBaseImage();
        string container = engine.NewName("archive-dest");
        Shell.Docker("container", "create", "--label", engine.Label, "--name", container, EngineFixture.BaseImage, "true");
        string volume = engine.NewName("archive-dest");
        Shell.Docker("volume", "create", "--label", engine.Label, volume);
        string existing = engine.NewPath("keep.tar");
        File.WriteAllText(existing, "keep me");
        using var ps = new PsSession(engine);
        ps.Set("n", container);
        ps.Set("v", volume);
        ps.Set("image", EngineFixture.BaseImage);

        foreach (string path in new[] { existing, engine.WorkDir, Path.Combine(engine.WorkDir, "no-such-folder", "a.tar") })
        {
            ps.Set("archive", path);
            // A terminating error is caught by try/catch; a non-terminating one would let 'went on' through.
            var result = ps.Run(
                "foreach ($write in { Save-DockerImage -Name $image -Path $archive }, { Export-DockerContainer $n $archive }, { Backup-DockerVolume -Name $v -Path $archive }) {" +
                " try { & $write -ErrorAction Continue; 'went on' } catch { $_.FullyQualifiedErrorId.Split(',')[0] + ':' + $_.TargetObject } }");
            Assert.Equal(Enumerable.Repeat("ArchiveDestinationInvalid:" + path, 3), result.Output.Select(o => o.ToString()));
        }

        Assert.Equal("keep me", File.ReadAllText(existing));
        Assert.False(Directory.Exists(Path.Combine(engine.WorkDir, "no-such-folder")));
        Assert.Empty(Directory.GetFiles(engine.WorkDir, "*.partial"));
        // Backup-DockerVolume was refused before it made its helper container on the engine.
        Assert.Equal(string.Empty, Shell.Docker("container", "ls", "-a", "-q", "--filter", "volume=" + volume));
    }
}
