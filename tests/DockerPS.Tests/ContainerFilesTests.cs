using System.Diagnostics;
using System.Management.Automation;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace DockerPS.Tests;

/// <summary>Copy-DockerContainerItem (cp) and Export-DockerContainer (export) against the real engine.</summary>
[UnsupportedOSPlatform("windows")] // File modes and symbolic links as checked here are Unix notions.
[Collection(EngineCollection.Name)]
public sealed class ContainerFilesTests
{
    private const string LongName = "a-folder-name-long-enough-that-its-path-cannot-fit-the-hundred-bytes-of-a-plain-tar-header-field-0123456789";

    // Every entry below the current folder: folders with their mode, links with their target, files with mode and md5.
    private const string ListTree =
        "find . | sort | while read -r f; do " +
        "if [ -L \"$f\" ]; then echo \"$f l $(readlink \"$f\")\"; " +
        "elif [ -d \"$f\" ]; then echo \"$f d $(stat -c %a \"$f\")\"; " +
        "else echo \"$f f $(stat -c %a \"$f\") $(md5sum < \"$f\" | cut -d ' ' -f 1)\"; fi; done";

    private readonly EngineFixture engine;

    public ContainerFilesTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Copy_AFolderOutAndIntoAnotherContainer_KeepsFilesLinksModesAndEmptyFolders()
    {
        string source = Run("cp-source");
        Exec(source, "mkdir -p /src/tree/sub/deeper /src/tree/empty /src/tree/" + LongName +
            " && head -c 300000 /dev/urandom > /src/tree/sub/deeper/random.bin" +
            " && printf 'hello\\n' > /src/tree/hello.txt && chmod 640 /src/tree/hello.txt" +
            " && printf '#!/bin/sh\\necho run\\n' > /src/tree/sub/run.sh && chmod 755 /src/tree/sub/run.sh" +
            " && chmod 750 /src/tree/sub && chmod 700 /src/tree/empty" +
            " && ln -s sub/run.sh /src/tree/link-to-run" +
            " && echo deep > /src/tree/" + LongName + "/file-with-a-long-path.txt");
        string expected = Exec(source, "cd /src/tree && " + ListTree);
        string local = Directory.CreateDirectory(engine.NewPath("cp-out")).FullName;
        using var ps = new PsSession(engine);
        ps.Set("src", source);
        ps.Set("local", local);

        // Into an existing folder: the folder goes inside it, under its own name.
        var copied = ps.Run("Copy-DockerContainerItem -Container $src -Path /src/tree -Destination $local -PassThru");
        copied.AssertNoErrors();
        var tree = Assert.IsType<DirectoryInfo>(Assert.Single(copied.Output).BaseObject);
        Assert.Equal(Path.Combine(local, "tree"), tree.FullName);
        Assert.Equal(expected, ListLocal(tree.FullName));
        Assert.Equal("sub/run.sh", new FileInfo(Path.Combine(tree.FullName, "link-to-run")).LinkTarget);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(tree.FullName, "empty")));
        Assert.Equal(new[] { "tree" }, Directory.GetFileSystemEntries(local).Select(Path.GetFileName));
        Assert.Contains(ps.Host.ProgressRecords, p => p.Activity == "Copying from a container");

        // Back into another container, at a path that does not exist yet: the folder takes that name.
        string target = Run("cp-target");
        ps.Set("dst", target);
        ps.Set("tree", tree.FullName);
        var back = ps.Run("Get-DockerContainer -Name $dst | Copy-DockerContainerItem -Path $tree -Destination /restored -ToContainer -PassThru");
        back.AssertNoErrors();
        var info = Assert.Single(back.Objects<DockerContainerPathInfo>());
        Assert.Equal("/restored", info.Path);
        Assert.True(info.IsDirectory);
        Assert.Equal(target, info.Container);
        Assert.Equal(expected, Exec(target, "cd /restored && " + ListTree));
        Assert.Equal("run", Exec(target, "/restored/link-to-run"));

        // A folder's contents ("/.") are poured into an existing folder.
        ps.Run("Copy-DockerContainerItem $dst \"$tree/.\" /tmp -ToContainer").AssertNoErrors();
        Assert.Equal("hello", Exec(target, "cat /tmp/hello.txt"));
        Assert.Equal("run", Exec(target, "/tmp/sub/run.sh"));
        string contents = Directory.CreateDirectory(engine.NewPath("cp-contents")).FullName;
        ps.Set("contents", contents);
        ps.Run("Copy-DockerContainerItem $src /src/tree/. $contents").AssertNoErrors();
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(contents, "hello.txt")));
        Assert.True(Directory.Exists(Path.Combine(contents, "sub", "deeper")));
        Assert.Empty(Directory.GetFileSystemEntries(local, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public void Copy_ASingleFileBothWays_KeepsOrTakesTheName()
    {
        string name = Run("cp-file");
        Exec(name, "printf 'first line\\nsecond line\\n' > /data/notes.txt");
        string local = Directory.CreateDirectory(engine.NewPath("cp-file")).FullName;
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Set("local", local);

        // Into a folder: the file keeps its name. To a new path: it takes that name. Onto a file: it replaces it.
        ps.Run("Copy-DockerContainerItem $n /data/notes.txt $local").AssertNoErrors();
        Assert.Equal("first line\nsecond line\n", File.ReadAllText(Path.Combine(local, "notes.txt")));
        string renamed = Path.Combine(local, "renamed.txt");
        ps.Set("renamed", renamed);
        var passThru = ps.Run("Copy-DockerContainerItem $n /data/notes.txt $renamed -PassThru");
        passThru.AssertNoErrors();
        Assert.Equal(renamed, Assert.IsType<FileInfo>(Assert.Single(passThru.Output).BaseObject).FullName);
        File.WriteAllText(renamed, "old content that is longer than the new one");
        ps.Run("Copy-DockerContainerItem $n /data/notes.txt $renamed").AssertNoErrors();
        Assert.Equal("first line\nsecond line\n", File.ReadAllText(renamed));

        // The other way: into a folder, to a new name, and over an existing file.
        File.WriteAllText(renamed, "from the host\n");
        ps.Run("Copy-DockerContainerItem $n $renamed /tmp -ToContainer").AssertNoErrors();
        Assert.Equal("from the host", Exec(name, "cat /tmp/renamed.txt"));
        ps.Run("Copy-DockerContainerItem $n $renamed /tmp/other.txt -ToContainer").AssertNoErrors();
        Assert.Equal("from the host", Exec(name, "cat /tmp/other.txt"));
        ps.Run("Copy-DockerContainerItem $n $renamed /data/notes.txt -ToContainer").AssertNoErrors();
        Assert.Equal("from the host", Exec(name, "cat /data/notes.txt"));
        Assert.Equal(new[] { "notes.txt", "renamed.txt" }, Directory.GetFileSystemEntries(local).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Copy_BadInput_HasItsOwnErrors_AndLeavesNothingBehind()
    {
        string name = Run("cp-bad");
        Exec(name, "mkdir -p /data/folder && echo x > /data/folder/file");
        string local = Directory.CreateDirectory(engine.NewPath("cp-bad")).FullName;
        string file = Path.Combine(local, "a-file.txt");
        File.WriteAllText(file, "keep me");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Set("local", local);
        ps.Set("file", file);

        var missingInContainer = ps.Run("Copy-DockerContainerItem $n /data/no-such-thing $local");
        var error = Assert.Single(missingInContainer.Errors);
        Assert.Equal("ContainerPathNotFound", missingInContainer.ErrorIds.Single());
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("/data/no-such-thing", error.TargetObject);

        string missingLocal = Path.Combine(local, "no-such-thing");
        ps.Set("missing", missingLocal);
        var missingHere = ps.Run("Copy-DockerContainerItem $n $missing /tmp -ToContainer");
        Assert.Equal("LocalPathNotFound", missingHere.ErrorIds.Single());
        Assert.Equal(ErrorCategory.ObjectNotFound, missingHere.Errors[0].CategoryInfo.Category);
        Assert.Equal(missingLocal, missingHere.Errors[0].TargetObject);

        var unknown = ps.Run("Copy-DockerContainerItem dockerps-test-no-such-container /data $local");
        Assert.Equal("ContainerNotFound", unknown.ErrorIds.Single());
        Assert.Equal("dockerps-test-no-such-container", unknown.Errors[0].TargetObject);

        var relative = ps.Run("Copy-DockerContainerItem $n data/folder $local");
        Assert.Equal("InvalidContainerPath", relative.ErrorIds.Single());
        Assert.Equal(ErrorCategory.InvalidArgument, relative.Errors[0].CategoryInfo.Category);

        var folderOntoFile = ps.Run("Copy-DockerContainerItem $n /data/folder $file");
        Assert.Equal("CopyDestinationInvalid", folderOntoFile.ErrorIds.Single());
        Assert.Equal(ErrorCategory.InvalidArgument, folderOntoFile.Errors[0].CategoryInfo.Category);
        Assert.Equal("keep me", File.ReadAllText(file));

        var noParent = ps.Run("Copy-DockerContainerItem $n $file /no/such/folder/x -ToContainer");
        Assert.Equal("CopyDestinationInvalid", noParent.ErrorIds.Single());
        Assert.Equal(ErrorCategory.ObjectNotFound, noParent.Errors[0].CategoryInfo.Category);
        Assert.Equal($"{name}:/no/such/folder", noParent.Errors[0].TargetObject);

        // A file cannot replace a folder in the container, nor a folder a file (the engine refuses, nothing changes).
        Directory.CreateDirectory(Path.Combine(local, "src", "file"));
        ps.Set("clash", Path.Combine(local, "src", "."));
        var clash = ps.Run("Copy-DockerContainerItem $n $clash /data/folder -ToContainer");
        Assert.Equal("CopyConflict", clash.ErrorIds.Single());
        Assert.Equal(ErrorCategory.ResourceExists, clash.Errors[0].CategoryInfo.Category);
        Assert.Equal("x", Exec(name, "cat /data/folder/file"));

        var whatIf = ps.Run("Copy-DockerContainerItem $n /data/folder $local -WhatIf");
        whatIf.AssertNoErrors();
        Assert.Equal(new[] { "a-file.txt", "src" }, Directory.GetFileSystemEntries(local).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void CtrlC_DuringACopyOutOfABigContainer_EndsWithinASecond_AndLeavesNothingBehind()
    {
        engine.EnsureBigImage();
        string name = engine.NewName("cp-big");
        Shell.Docker("create", "--name", name, "--label", engine.Label, EngineFixture.BigImage);
        string local = Directory.CreateDirectory(engine.NewPath("cp-big")).FullName;
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Set("dest", Path.Combine(local, "copied.bin"));
        using var pipeline = ps.Start("Copy-DockerContainerItem $n /data/random.bin $dest", out var pending);

        var waited = Stopwatch.StartNew();
        while (!ps.Host.ProgressRecords.Any(p => p.Activity == "Copying from a container" && p.RecordType == ProgressRecordType.Processing))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the copy never reported progress");
            Assert.False(pending.IsCompleted, "the copy finished before it could be stopped");
            Thread.Sleep(10);
        }

        Assert.NotEmpty(Directory.GetDirectories(local, "*.partial"));
        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
        Assert.Empty(Directory.GetFileSystemEntries(local));
    }

    [Fact]
    public void Export_WritesTheContainersFileSystem_AsDockerExportDoes()
    {
        string name = Run("export");
        string marker = Guid.NewGuid().ToString();
        Exec(name, $"echo {marker} > /data/marker.txt && rm /etc/group");
        string archive = engine.NewPath("export.tar");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Set("archive", archive);

        var result = ps.Run("Get-DockerContainer -Name $n | Export-DockerContainer -Path $archive -PassThru");
        result.AssertNoErrors();
        Assert.Equal(archive, Assert.IsType<FileInfo>(Assert.Single(result.Output).BaseObject).FullName);
        Assert.Equal(marker, Shell.Run("tar", "-xOf", archive, "data/marker.txt").StdOut);
        var (_, listing, _) = Shell.Run("tar", "-tf", archive);
        var (_, cliListing, _) = Shell.Run("sh", "-c", $"docker export {name} | tar -t");
        Assert.Equal(cliListing.Split('\n').Order(StringComparer.Ordinal), listing.Split('\n').Order(StringComparer.Ordinal));
        Assert.DoesNotContain("etc/group", listing.Split('\n'));
        Assert.Contains(ps.Host.ProgressRecords, p => p.Activity == "Exporting a container" && p.RecordType == ProgressRecordType.Completed);

        string compressed = engine.NewPath("export.tar.gz");
        ps.Set("compressed", compressed);
        ps.Run("Export-DockerContainer $n $compressed -Compress").AssertNoErrors();
        byte[] head = File.ReadAllBytes(compressed)[..2];
        Assert.Equal(new byte[] { 0x1f, 0x8b }, head);
        Assert.Equal(marker, Shell.Run("tar", "-xzOf", compressed, "data/marker.txt").StdOut);
        Assert.Empty(Directory.GetFiles(engine.WorkDir, "*.partial"));
    }

    [Fact]
    public void Export_BadInput_IsAnError_AndLeavesNoFile()
    {
        string name = Run("export-bad");
        using var ps = new PsSession(engine);
        ps.Set("n", name);

        string unknownArchive = engine.NewPath("unknown.tar");
        ps.Set("archive", unknownArchive);
        var unknown = ps.Run("Export-DockerContainer dockerps-test-no-such-container $archive");
        Assert.Equal("ContainerNotFound", unknown.ErrorIds.Single());
        Assert.Equal(ErrorCategory.ObjectNotFound, unknown.Errors[0].CategoryInfo.Category);
        Assert.False(File.Exists(unknownArchive));

        string noFolder = Path.Combine(engine.WorkDir, "no-such-folder", "export.tar");
        ps.Set("archive", noFolder);
        var unwritable = ps.Run("Export-DockerContainer $n $archive");
        Assert.Equal("ArchiveDestinationInvalid", unwritable.ErrorIds.Single());
        Assert.Equal(ErrorCategory.WriteError, unwritable.Errors[0].CategoryInfo.Category);
        Assert.Equal(noFolder, unwritable.Errors[0].TargetObject);
        Assert.False(Directory.Exists(Path.GetDirectoryName(noFolder)));

        ps.Set("archive", engine.WorkDir);
        Assert.Equal("ArchiveDestinationInvalid", ps.Run("Export-DockerContainer $n $archive").ErrorIds.Single());

        string existing = engine.NewPath("existing-export.tar");
        File.WriteAllText(existing, "keep me");
        ps.Set("archive", existing);
        var exists = ps.Run("Export-DockerContainer $n $archive");
        Assert.Equal("ArchiveDestinationInvalid", exists.ErrorIds.Single());
        Assert.Equal(ErrorCategory.ResourceExists, exists.Errors[0].CategoryInfo.Category);
        Assert.Equal("keep me", File.ReadAllText(existing));
        ps.Run("Export-DockerContainer $n $archive -Force").AssertNoErrors();
        Assert.True(new FileInfo(existing).Length > 1_000_000);

        ps.Run("Export-DockerContainer $n $archive -Force -WhatIf").AssertNoErrors();
        Assert.Empty(Directory.GetFiles(engine.WorkDir, "*.partial"));
    }

    [Fact]
    public void CtrlC_DuringExportOfABigContainer_EndsWithinASecond_AndKeepsThePathAsItWas()
    {
        engine.EnsureBigImage();
        string name = engine.NewName("export-big");
        Shell.Docker("create", "--name", name, "--label", engine.Label, EngineFixture.BigImage);
        using var ps = new PsSession(engine);
        ps.Set("n", name);

        // No file at a new path, and an existing file (replaced only when whole, with -Force) left untouched.
        string fresh = engine.NewPath("big-export.tar");
        string existing = engine.NewPath("old-export.tar");
        File.WriteAllText(existing, "the old archive");
        foreach ((string path, string force) in new[] { (fresh, string.Empty), (existing, " -Force") })
        {
            ps.Set("archive", path);
            int before = ps.Host.ProgressRecords.Count;
            using var pipeline = ps.Start("Export-DockerContainer $n $archive" + force, out var pending);
            var waited = Stopwatch.StartNew();
            while (!ps.Host.ProgressRecords.Skip(before).Any(p => p.Activity == "Exporting a container" && p.RecordType == ProgressRecordType.Processing))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the export never reported progress");
                Assert.False(pending.IsCompleted, "the export finished before it could be stopped");
                Thread.Sleep(10);
            }

            Assert.NotEmpty(Directory.GetFiles(engine.WorkDir, "*.partial"));
            var stopping = Stopwatch.StartNew();
            pipeline.Stop();
            stopping.Stop();
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
            Assert.Empty(Directory.GetFiles(engine.WorkDir, "*.partial"));
        }

        Assert.False(File.Exists(fresh), "no file at -Path");
        Assert.Equal("the old archive", File.ReadAllText(existing));
    }

    /// <summary>The same listing as <see cref="ListTree"/>, made from this machine's copy.</summary>
    private static string ListLocal(string root)
    {
        var lines = new List<string>();
        foreach (string path in new[] { root }.Concat(Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)))
        {
            string relative = path == root ? "." : "./" + Path.GetRelativePath(root, path).Replace('\\', '/');
            var info = new FileInfo(path);
            if (info.LinkTarget != null)
            {
                lines.Add($"{relative} l {info.LinkTarget}");
            }
            else if (Directory.Exists(path))
            {
                lines.Add($"{relative} d {Octal(File.GetUnixFileMode(path))}");
            }
            else
            {
                lines.Add($"{relative} f {Octal(File.GetUnixFileMode(path))} {Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(path)))}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);

    private static string Exec(string container, string script) => Shell.Docker("exec", container, "sh", "-c", script);

    private string Run(string what)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        return name;
    }
}
