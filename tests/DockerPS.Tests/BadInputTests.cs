using System.Management.Automation;

namespace DockerPS.Tests;

[Collection(EngineCollection.Name)]
public sealed class BadInputTests
{
    private readonly EngineFixture engine;

    public BadInputTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void UnknownImage_IsObjectNotFound_AndThePipelineGoesOn()
    {
        engine.ImportRootfs("dockerps-test/doomed:1", 0);
        using var ps = new PsSession(engine);
        var result = ps.Run("Remove-DockerImage -Name dockerps-test/no-such-image:1, dockerps-test/doomed:1 -Force");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ImageNotFound,DockerPS.Cmdlets.Image.RemoveDockerImageCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("dockerps-test/no-such-image:1", error.TargetObject);
        Assert.False(EngineFixture.ImageExists("dockerps-test/doomed:1"), "the next item was still removed");

        var get = ps.Run("Get-DockerImage -Name dockerps-test/no-such-image:1, dockerps-test/busybox");
        Assert.Equal("ImageNotFound", Assert.Single(get.ErrorIds));
        Assert.Single(get.Objects<DockerImage>());
    }

    [Fact]
    public void UnknownContainer_IsObjectNotFound_AndThePipelineGoesOn()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("survivor");
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var result = ps.Run("'dockerps-test-no-such-container', $n | ForEach-Object { [pscustomobject]@{ Name = $_ } } | Stop-DockerContainer -Timeout 1 -PassThru");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ContainerNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("dockerps-test-no-such-container", error.TargetObject);
        Assert.Equal(name, Assert.Single(result.Objects<DockerContainer>()).Name);
        Assert.Equal("exited", EngineFixture.ContainerState(name));

        var exec = ps.Run("Invoke-DockerExec -Container dockerps-test-no-such-container -Command true");
        Assert.Equal("ContainerNotFound", Assert.Single(exec.ErrorIds));

        var notRunning = ps.Run("Invoke-DockerExec -Container $n -Command true");
        Assert.Equal("ContainerNotRunning", Assert.Single(notRunning.ErrorIds));

        var create = ps.Run("New-DockerContainer -Image dockerps-test/no-such-image:9 -Name x");
        var createError = Assert.Single(create.Errors);
        Assert.Equal("ImageNotFound", createError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, createError.CategoryInfo.Category);
    }

    [Fact]
    public void ImageInUse_WithoutForce_IsResourceUnavailable_AndTheImageStays()
    {
        string id = engine.ImportRootfs("dockerps-test/inuse:1", 0);
        string name = engine.NewName("user");
        Shell.Docker("create", "--name", name, "--label", engine.Label, "dockerps-test/inuse:1", "true");
        using var ps = new PsSession(engine);
        var result = ps.Run("Get-DockerImage dockerps-test/inuse:1 | Remove-DockerImage -Confirm:$false");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ImageInUse", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("Force", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(id, EngineFixture.ImageId("dockerps-test/inuse:1"));
        Assert.True(EngineFixture.ContainerExists(name));
    }

    [Fact]
    public void WhatIf_OnRemove_ChangesNothing()
    {
        string id = engine.ImportRootfs("dockerps-test/whatif:1", 0);
        string name = engine.NewName("whatif");
        Shell.Docker("create", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "true");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Run("Get-DockerImage dockerps-test/whatif:1 | Remove-DockerImage -Force -WhatIf").AssertNoErrors();
        ps.Run("Get-DockerContainer -Name $n | Remove-DockerContainer -Force -WhatIf").AssertNoErrors();
        ps.Run("Remove-DockerContainer -Name $n -WhatIf").AssertNoErrors();
        Assert.Equal(id, EngineFixture.ImageId("dockerps-test/whatif:1"));
        Assert.True(EngineFixture.ContainerExists(name));
        Assert.Contains($"What if: Performing the operation \"Untag, then delete image {id.Substring(7, 12)} (no reference left)\" on target \"dockerps-test/whatif:1\"", ps.Rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveOfUnknownImage_LeavesNoFile()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string archive = engine.NewPath("unknown.tar");
        ps.Set("archive", archive);
        var result = ps.Run("Save-DockerImage -Name dockerps-test/busybox, dockerps-test/no-such-image:1 -Path $archive");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ImageNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("dockerps-test/no-such-image:1", error.TargetObject);
        Assert.Contains(result.Warnings, w => w.Contains("No archive was written", StringComparison.Ordinal));
        Assert.False(File.Exists(archive));
        Assert.Empty(Directory.GetFiles(engine.WorkDir, "*.partial"));
    }

    [Fact]
    public void SaveToAnUnwritablePath_IsAnError_AndLeavesNoFile()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string missingFolder = Path.Combine(engine.WorkDir, "no-such-folder", "images.tar");
        ps.Set("archive", missingFolder);
        var result = ps.Run("Save-DockerImage -Name dockerps-test/busybox -Path $archive");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ArchiveDestinationInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        Assert.Equal(missingFolder, error.TargetObject);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missingFolder)));

        // A folder is not a file to write to, and an existing file needs -Force.
        ps.Set("archive", engine.WorkDir);
        Assert.Equal("ArchiveDestinationInvalid", Assert.Single(ps.Run("Save-DockerImage -Name dockerps-test/busybox -Path $archive").ErrorIds));
        string existing = engine.NewPath("existing.tar");
        File.WriteAllText(existing, "keep me");
        ps.Set("archive", existing);
        var exists = ps.Run("Save-DockerImage -Name dockerps-test/busybox -Path $archive");
        Assert.Equal("ArchiveDestinationInvalid", Assert.Single(exists.ErrorIds));
        Assert.Equal(ErrorCategory.ResourceExists, exists.Errors[0].CategoryInfo.Category);
        Assert.Equal("keep me", File.ReadAllText(existing));
        ps.Run("Save-DockerImage -Name dockerps-test/busybox -Path $archive -Force").AssertNoErrors();
        Assert.True(new FileInfo(existing).Length > 1_000_000);
        Assert.Empty(Directory.GetFiles(engine.WorkDir, "*.partial"));
    }

    [Fact]
    public void ImportOfTruncatedOrNonArchiveFile_IsAnError_AndClaimsNoImage()
    {
        string id = engine.ImportRootfs("dockerps-test/trunc:1", 0);
        string whole = engine.NewPath("whole.tar");
        Shell.Docker("save", "-o", whole, "dockerps-test/trunc:1");
        Shell.Docker("rmi", "dockerps-test/trunc:1");
        byte[] bytes = File.ReadAllBytes(whole);
        string truncated = engine.NewPath("truncated.tar");
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        string text = engine.NewPath("notes.txt");
        File.WriteAllText(text, "this is not an image archive\n");

        using var ps = new PsSession(engine);
        foreach (string file in new[] { truncated, text })
        {
            ps.Set("archive", file);
            var result = ps.Run("Import-DockerImage -Path $archive");
            Assert.Empty(result.Output);
            var error = Assert.Single(result.Errors);
            Assert.Equal("ImageLoadFailed", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Equal(file, error.TargetObject);
        }

        Assert.False(EngineFixture.ImageExists(id));

        // A tarball that is not a filesystem is refused by the engine itself: that reply is an error too.
        ps.Set("archive", text);
        var fs = ps.Run("Import-DockerImage -FileSystemPath $archive -Repository dockerps-test/never");
        Assert.Empty(fs.Output);
        Assert.Equal("ImageImportFailed", Assert.Single(fs.ErrorIds));
        Assert.False(EngineFixture.ImageExists("dockerps-test/never"));

        ps.Set("archive", Path.Combine(engine.WorkDir, "missing.tar"));
        Assert.Equal("ArchiveNotFound", Assert.Single(ps.Run("Import-DockerImage -Path $archive").ErrorIds));
    }

    [Fact]
    public void MissingSocket_IsATerminatingConnectionError_SayingWhereItLooked()
    {
        using var ps = new PsSession(engine);
        var result = ps.Run("Get-DockerImage -DockerHost unix:///tmp/dockerps-no-such.sock; 'after'");
        var error = Assert.Single(result.Errors);
        Assert.Equal("DockerHostUnreachable", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("/tmp/dockerps-no-such.sock", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("after", Assert.Single(result.Output).BaseObject);

        // Terminating: with several names, the cmdlet stops at the first instead of failing each.
        var many = ps.Run("Remove-DockerContainer -Name a, b, c -Force -DockerHost unix:///tmp/dockerps-no-such.sock");
        Assert.Equal("DockerHostUnreachable", Assert.Single(many.ErrorIds));

        var stopOnError = ps.Run("try { Get-DockerContainer -DockerHost /tmp/dockerps-no-such.sock -ErrorAction Stop } catch { 'caught ' + $_.FullyQualifiedErrorId }");
        Assert.StartsWith("caught DockerHostUnreachable", (string)Assert.Single(stopOnError.Output).BaseObject, StringComparison.Ordinal);
    }

    [Fact]
    public void BadPortVolumeOrEnvironment_IsAParameterError_BeforeAnythingIsCreated()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        var cases = new (string Args, string Id, string Part)[]
        {
            ("-Port 'abc:80'", "InvalidPortSpecification", "abc"),
            ("-Port '8080:70000'", "InvalidPortSpecification", "70000"),
            ("-Port '80/icmp'", "InvalidPortSpecification", "icmp"),
            ("-Port '1.2.3:80:80'", "InvalidPortSpecification", "1.2.3"),
            ("-Port '8000-8002:80-81'", "InvalidPortSpecification", "differ in length"),
            ("-Volume 'data:relative/path'", "InvalidVolumeSpecification", "relative/path"),
            ("-Volume '/a:/b:bogus'", "InvalidVolumeSpecification", "bogus"),
            ("-Environment '=value'", "InvalidEnvironmentVariable", "=value"),
        };
        foreach (var (args, id, part) in cases)
        {
            string name = engine.NewName("bad");
            ps.Set("n", name);
            var result = ps.Run($"New-DockerContainer -Image dockerps-test/busybox -Name $n {args}");
            var error = Assert.Single(result.Errors);
            Assert.Equal(id, error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(part, error.Exception.Message, StringComparison.Ordinal);
            Assert.False(EngineFixture.ContainerExists(name), $"nothing was created for {args}");
        }

        string taken = engine.NewName("taken");
        Shell.Docker("create", "--name", taken, "--label", engine.Label, EngineFixture.BaseImage, "true");
        ps.Set("n", taken);
        var duplicate = ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $n");
        Assert.Equal("ContainerNameInUse", Assert.Single(duplicate.ErrorIds));
        Assert.Equal(ErrorCategory.ResourceExists, duplicate.Errors[0].CategoryInfo.Category);
    }
}
