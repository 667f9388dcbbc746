namespace DockerPS.Tests;

[Collection(EngineCollection.Name)]
public sealed class ImagePipelineTests
{
    private readonly EngineFixture engine;

    public ImagePipelineTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void SaveRemoveImport_RoundTrip_GivesBackTheSameImageIds()
    {
        // Images that running containers use survive even a forced removal (as with docker rmi -f): start clean.
        engine.RemoveRunContainers();
        engine.EnsureBaseImage();
        string secondId = engine.ImportRootfs("dockerps-test/second:v1", 0);
        using var ps = new PsSession(engine);
        string archive = engine.NewPath("images.tar");
        ps.Set("archive", archive);

        // One object per reference: the pipeline saves, removes and loads back exactly the references it selected.
        var listed = ps.Run("Get-DockerImage -Name 'dockerps-test/*'");
        listed.AssertNoErrors();
        var rows = listed.Objects<DockerImage>().ToList();
        var before = rows.Select(i => (i.Reference!, i.Id)).OrderBy(r => r).ToArray();
        Assert.Contains(("dockerps-test/second:v1", secondId), before);
        Assert.True(before.Select(r => r.Id).Distinct().Count() >= 2);

        ps.Run("Get-DockerImage -Name 'dockerps-test/*' | Save-DockerImage -Path $archive").AssertNoErrors();
        Assert.True(new FileInfo(archive).Length > 1_000_000, "the archive holds the busybox layers");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(archive)!, "*.partial"));

        ps.Run("Get-DockerImage -Name 'dockerps-test/*' | Remove-DockerImage -Force").AssertNoErrors();
        foreach (var (reference, _) in before)
        {
            Assert.False(EngineFixture.ImageExists(reference), $"{reference} was removed");
        }

        // An image goes with its last reference; one that another repository still names stays.
        foreach (var image in rows.GroupBy(i => i.Id))
        {
            bool allSelected = image.First().RepoTags.All(t => before.Any(r => r.Item1 == t));
            Assert.Equal(!allSelected, EngineFixture.ImageExists(image.Key));
        }

        var imported = ps.Run("Import-DockerImage -Path $archive");
        imported.AssertNoErrors();
        var after = imported.Objects<DockerImage>().Select(i => (i.Reference!, i.Id)).OrderBy(r => r).ToArray();
        Assert.Equal(before, after);
        Assert.All(before, r => Assert.Equal(r.Id, EngineFixture.ImageId(r.Item1)));
    }

    [Fact]
    public void SaveCompressed_IsGzip_AndLoadsBack()
    {
        string id = engine.ImportRootfs("dockerps-test/gz:1", 0);
        using var ps = new PsSession(engine);
        string archive = engine.NewPath("images.tar.gz");
        ps.Set("archive", archive);
        ps.Run("Save-DockerImage -Name dockerps-test/gz:1 -Path $archive -Compress").AssertNoErrors();
        using (var f = File.OpenRead(archive))
        {
            Assert.Equal(0x1f, f.ReadByte());
            Assert.Equal(0x8b, f.ReadByte());
        }

        ps.Run("Remove-DockerImage -Name dockerps-test/gz:1 -Force").AssertNoErrors();
        Assert.False(EngineFixture.ImageExists(id));
        var loaded = ps.Run("Import-DockerImage -Path $archive");
        loaded.AssertNoErrors();
        Assert.Equal(id, Assert.Single(loaded.Objects<DockerImage>()).Id);
        Assert.True(EngineFixture.ImageExists("dockerps-test/gz:1"));
    }

    [Fact]
    public void SavedArchive_MatchesTheEnginesOwnSave_ByteForByte()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string ours = engine.NewPath("ours.tar");
        string theirs = engine.NewPath("theirs.tar");
        ps.Set("archive", ours);
        ps.Run($"Save-DockerImage -Name {EngineFixture.BaseImage} -Path $archive").AssertNoErrors();
        Shell.Docker("save", "-o", theirs, EngineFixture.BaseImage);
        Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(ours));
    }

    [Fact]
    public void ImportFileSystem_FromAnExportedContainer_RunsInANewContainer()
    {
        engine.EnsureBaseImage();
        string source = engine.NewName("src");
        Shell.Docker("create", "--name", source, "--label", engine.Label, EngineFixture.BaseImage, "sh");
        // Put a marker into the container's filesystem, then export it with the engine.
        string marker = engine.NewPath("marker.txt");
        File.WriteAllText(marker, "exported " + engine.RunId);
        Shell.Docker("cp", marker, source + ":/marker.txt");
        string tarball = engine.NewPath("fs.tar");
        Shell.Docker("export", "-o", tarball, source);

        using var ps = new PsSession(engine);
        ps.Set("tarball", tarball);
        ps.Set("n", engine.NewName("fromfs"));
        var imported = ps.Run("Import-DockerImage -FileSystemPath $tarball -Repository dockerps-test/fromfs -Tag v2 -Change \"LABEL $label\", 'CMD [\"sh\"]' -Message 'from a tarball'");
        imported.AssertNoErrors();
        var image = Assert.Single(imported.Objects<DockerImage>());
        Assert.Equal(new[] { "dockerps-test/fromfs:v2" }, image.RepoTags);
        Assert.Equal(image.Id, EngineFixture.ImageId("dockerps-test/fromfs:v2"));

        var run = ps.Run("Get-DockerImage dockerps-test/fromfs:v2 | New-DockerContainer -Name $n -Command sleep, 60 | Start-DockerContainer -PassThru | Invoke-DockerExec -Command cat, /marker.txt");
        run.AssertNoErrors();
        Assert.Equal("exported " + engine.RunId, Assert.Single(run.Output).BaseObject);
    }
}
