using System.Diagnostics;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace DockerPS.Tests;

/// <summary>Volumes against the real engine: the data workflow, backup and restore, prune, and bad input.</summary>
[Collection(EngineCollection.Name)]
public sealed class VolumeTests
{
    /// <summary>Lists every entry of /data with name, mode, owner, type and size, link targets and content checksums.</summary>
    private const string ListingScript =
        "cd /data && find . | sort | while read f; do stat -c '%n %a %u:%g %F %s %h' \"$f\"; " +
        "if [ -L \"$f\" ]; then echo \"-> $(readlink \"$f\")\"; elif [ -f \"$f\" ]; then md5sum \"$f\"; fi; done";

    private readonly EngineFixture engine;

    public VolumeTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void VolumeWorkflow_DataOutlivesTheContainer_AndASecondContainerSeesIt()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string volume = NewVolumeName("notes");
        string writer = engine.NewName("writer");
        ps.Set("v", volume);
        ps.Set("w", writer);

        var created = ps.Run("New-DockerVolume -Name $v -Label $label");
        created.AssertNoErrors();
        var made = Assert.Single(created.Objects<DockerVolume>());
        Assert.Equal("local", made.Driver);
        Assert.False(made.IsAnonymous);
        Assert.Equal(engine.RunId, made.Labels[EngineFixture.LabelKey]);
        Assert.True(made.Created > DateTime.UtcNow.AddMinutes(-5) && made.Created.Kind == DateTimeKind.Utc, made.Created.ToString("o"));
        Assert.Equal($"{Shell.Docker("info", "--format", "{{.DockerRootDir}}")}/volumes/{volume}/_data", made.Mountpoint);

        ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $w -Label $label -Volume \"${v}:/data\" -Command sh, -c, 'echo persisted > /data/note.txt' | Start-DockerContainer").AssertNoErrors();
        Assert.Equal("0", Shell.Docker("wait", writer));
        var used = Assert.Single(ps.Run("Get-DockerVolume -Name $v").Objects<DockerVolume>());
        Assert.Equal(new[] { writer }, used.UsedBy);
        Assert.DoesNotContain(ps.Run("Get-DockerVolume -Dangling -Label $label").Objects<DockerVolume>(), v => v.Name == volume);

        ps.Run("Remove-DockerContainer -Name $w -Force").AssertNoErrors();
        var kept = Assert.Single(ps.Run("Get-DockerVolume -Name $v").Objects<DockerVolume>());
        Assert.Empty(kept.UsedBy);
        Assert.Contains(ps.Run("Get-DockerVolume -Dangling -Label $label").Objects<DockerVolume>(), v => v.Name == volume);

        string reader = engine.NewName("reader");
        Assert.Equal("persisted", Shell.Docker("run", "--rm", "--name", reader, "--label", engine.Label, "-v", $"{volume}:/data:ro", EngineFixture.BaseImage, "cat", "/data/note.txt"));

        string memory = NewVolumeName("tmpfs");
        ps.Set("t", memory);
        var tmpfs = Assert.Single(ps.Run("New-DockerVolume $t -Driver local -DriverOption @{ type = 'tmpfs'; device = 'tmpfs'; o = 'size=1m' } -Label $label").Objects<DockerVolume>());
        Assert.Equal("tmpfs", tmpfs.Options["type"]);
        Assert.Equal("size=1m", Shell.Docker("volume", "inspect", "--format", "{{index .Options \"o\"}}", memory));
        Assert.Contains("tmpfs", Shell.Docker("run", "--rm", "--label", engine.Label, "-v", $"{memory}:/data", EngineFixture.BaseImage, "sh", "-c", "grep ' /data ' /proc/mounts"), StringComparison.Ordinal);
    }

    [Fact]
    public void RemoveContainer_RemoveVolumes_RemovesOnlyTheAnonymousVolume()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string named = NewVolumeName("keep");
        string container = engine.NewName("twovols");
        ps.Set("v", named);
        ps.Set("c", container);
        ps.Run("New-DockerVolume -Name $v -Label $label | Out-Null; New-DockerContainer -Image dockerps-test/busybox -Name $c -Label $label -Volume \"${v}:/named\", '/anonymous' -Command true").AssertNoErrors();
        string anonymous = Shell.Docker("container", "inspect", "--format", "{{range .Mounts}}{{if eq .Destination \"/anonymous\"}}{{.Name}}{{end}}{{end}}", container);
        Assert.Matches("^[0-9a-f]{64}$", anonymous);
        var listed = ps.Run($"Get-DockerVolume -Name {anonymous}").Objects<DockerVolume>().Single();
        Assert.True(listed.IsAnonymous);
        Assert.Equal(new[] { container }, listed.UsedBy);

        ps.Run("Get-DockerContainer -Name $c | Remove-DockerContainer -RemoveVolumes -Force").AssertNoErrors();
        Assert.False(EngineFixture.ContainerExists(container));
        Assert.False(Shell.DockerSucceeds("volume", "inspect", anonymous), "the anonymous volume went with its container");
        Assert.True(Shell.DockerSucceeds("volume", "inspect", named), "the named volume stayed");
    }

    [Fact]
    public void BackupRemoveRestore_FilesModesOwnersAndLinksMatchByteForByte_WithNothingStarted()
    {
        string volume = NewVolumeName("source");
        Shell.Docker("volume", "create", "--label", engine.Label, volume);
        Fill(volume,
            "mkdir -p /data/conf/empty /data/bin && head -c 300000 /dev/urandom > /data/bin/blob && echo 'port=5432' > /data/conf/app.conf" +
            " && printf 'no newline' > /data/plain && : > /data/zero && ln -s conf/app.conf /data/current && ln -s /nowhere /data/dangling" +
            " && ln /data/bin/blob /data/bin/hardlink && mkfifo /data/pipe" +
            " && chown 1234:5678 /data/conf/app.conf && chmod 640 /data/conf/app.conf && chown -h 42:43 /data/current" +
            " && chmod 4755 /data/bin/blob && chmod 700 /data/conf/empty && chown 99:98 /data && chmod 750 /data");
        string before = Listing(volume);
        Assert.Contains("./conf/app.conf 640 1234:5678 regular file 10 1", before, StringComparison.Ordinal);
        Assert.Contains("./bin/blob 4755 0:0 regular file 300000 2", before, StringComparison.Ordinal);
        Assert.Contains("-> conf/app.conf", before, StringComparison.Ordinal);

        using var ps = new PsSession(engine);
        string plain = engine.NewPath("volume.tar");
        string compressed = engine.NewPath("volume.tar.gz");
        ps.Set("v", volume);
        ps.Set("plain", plain);
        ps.Set("gz", compressed);
        string since = Shell.Docker("system", "info", "--format", "{{json .SystemTime}}").Trim('"');
        var backup = ps.Run("Backup-DockerVolume -Name $v -Path $plain -PassThru; Get-DockerVolume -Name $v | Backup-DockerVolume -Path $gz -Compress");
        backup.AssertNoErrors();
        Assert.Empty(backup.Warnings);
        Assert.Equal(plain, Assert.Single(backup.Objects<FileInfo>()).FullName);
        var entries = Shell.Run("tar", "-tvf", plain).StdOut;
        Assert.Contains("volume/conf/app.conf", entries, StringComparison.Ordinal);
        Assert.Contains("1234/5678", entries, StringComparison.Ordinal);
        Assert.Equal(0x1f, File.ReadAllBytes(compressed)[0]);

        // Nothing ran: the helpers were created and destroyed, never started, and none is left.
        string actions = Shell.Docker("events", "--since", since, "--until", Shell.Docker("system", "info", "--format", "{{json .SystemTime}}").Trim('"'),
            "--filter", "type=container", "--filter", $"label=dockerps.helper.volume={volume}", "--format", "{{.Action}}");
        Assert.Contains("create", actions, StringComparison.Ordinal);
        Assert.Contains("destroy", actions, StringComparison.Ordinal);
        Assert.DoesNotContain("start", actions, StringComparison.Ordinal);
        Assert.Empty(Shell.Docker("ps", "-aq", "--filter", $"label=dockerps.helper.volume={volume}"));
        Assert.Equal("volume", Shell.Docker("image", "inspect", "--format", "{{index .Config.Labels \"dockerps.helper\"}}", "dockerps/volume-helper:1"));

        ps.Run("Remove-DockerVolume -Name $v -Force").AssertNoErrors();
        Assert.False(Shell.DockerSucceeds("volume", "inspect", volume));

        string restored = NewVolumeName("restored");
        string fromGzip = NewVolumeName("fromgzip");
        ps.Set("r", restored);
        ps.Set("g", fromGzip);
        ps.Set("file", new FileInfo(plain));
        var restore = ps.Run("$file | Restore-DockerVolume -Name $r -Label $label -PassThru; Restore-DockerVolume $gz $g -Label $label");
        restore.AssertNoErrors();
        var volumeBack = Assert.Single(restore.Objects<DockerVolume>());
        Assert.Equal(restored, volumeBack.Name);
        Assert.Equal(engine.RunId, volumeBack.Labels[EngineFixture.LabelKey]);
        Assert.Equal(before, Listing(restored));
        Assert.Equal(before, Listing(fromGzip));
        Assert.Empty(Shell.Docker("ps", "-aq", "--filter", $"label=dockerps.helper.volume={restored}"));
    }

    [Fact]
    public void Restore_IntoAnEmptyVolume_Works_ANonEmptyOneNeedsForce_AndForceKeepsOtherFiles()
    {
        string source = NewVolumeName("src");
        Shell.Docker("volume", "create", "--label", engine.Label, source);
        Fill(source, "echo new > /data/a && mkdir /data/dir && echo inner > /data/dir/b");
        using var ps = new PsSession(engine);
        string archive = engine.NewPath("small.tar");
        ps.Set("s", source);
        ps.Set("archive", archive);
        ps.Run("Backup-DockerVolume $s $archive").AssertNoErrors();

        string empty = NewVolumeName("empty");
        ps.Set("e", empty);
        ps.Run("New-DockerVolume $e -Label $label | Out-Null").AssertNoErrors();
        ps.Run("Restore-DockerVolume -Path $archive -Name $e").AssertNoErrors();
        Assert.Equal("new", Read(empty, "a"));

        string busy = NewVolumeName("busy");
        Shell.Docker("volume", "create", "--label", engine.Label, busy);
        Fill(busy, "echo old > /data/a && echo mine > /data/extra");
        ps.Set("b", busy);
        var refused = ps.Run("Restore-DockerVolume -Path $archive -Name $b");
        var error = Assert.Single(refused.Errors);
        Assert.Equal("VolumeNotEmpty", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal(busy, error.TargetObject);
        Assert.Equal("old", Read(busy, "a"));

        ps.Run("Restore-DockerVolume -Path $archive -Name $b -Force").AssertNoErrors();
        Assert.Equal("new", Read(busy, "a"));
        Assert.Equal("inner", Read(busy, "dir/b"));
        Assert.Equal("mine", Read(busy, "extra"));
    }

    [Fact]
    public void Backup_OfAVolumeARunningContainerUses_WarnsAndStillWritesTheArchive()
    {
        engine.EnsureBaseImage();
        string volume = NewVolumeName("live");
        string runner = engine.NewName("live");
        Shell.Docker("volume", "create", "--label", engine.Label, volume);
        Shell.Docker("run", "-d", "--name", runner, "--label", engine.Label, "-v", $"{volume}:/data", EngineFixture.BaseImage, "sh", "-c", "echo live > /data/f; sleep 300");
        using var ps = new PsSession(engine);
        string archive = engine.NewPath("live.tar");
        ps.Set("v", volume);
        ps.Set("archive", archive);
        var result = ps.Run("Backup-DockerVolume -Name $v -Path $archive");
        result.AssertNoErrors();
        string warning = Assert.Single(result.Warnings);
        Assert.Contains(runner, warning, StringComparison.Ordinal);
        Assert.Contains("running", warning, StringComparison.Ordinal);
        Assert.Contains("volume/f", Shell.Run("tar", "-tf", archive).StdOut, StringComparison.Ordinal);
        Assert.Equal("running", EngineFixture.ContainerState(runner));
    }

    [Fact]
    public void ClearDockerVolume_WhatIfListsNamedAndAnonymousWithBytes_AndThePruneReports()
    {
        engine.EnsureBaseImage();
        string only = $"dockerps.test.clear={Guid.NewGuid():N}";
        string named = NewVolumeName("prunable");
        string inUse = NewVolumeName("inuse");
        Shell.Docker("volume", "create", "--label", engine.Label, "--label", only, named);
        Shell.Docker("volume", "create", "--label", engine.Label, "--label", only, inUse);
        string anonymous = Shell.Docker("volume", "create", "--label", engine.Label, "--label", only);
        Fill(named, "head -c 5000 /dev/urandom > /data/blob");
        Shell.Docker("create", "--name", engine.NewName("holder"), "--label", engine.Label, "-v", $"{inUse}:/data", EngineFixture.BaseImage, "true");

        using var ps = new PsSession(engine);
        ps.Set("only", only);
        var preview = ps.Run("Clear-DockerVolume -Label $only -WhatIf");
        preview.AssertNoErrors();
        Assert.Empty(preview.Output);
        string rendered = ps.Rendered;
        Assert.Contains($"on target \"{named} (named volume, 5kB)\"", rendered, StringComparison.Ordinal);
        Assert.Contains($"on target \"{anonymous} (anonymous volume, 0B)\"", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain(inUse, rendered, StringComparison.Ordinal);
        Assert.Matches(@"2 unused volume\(s\), named and anonymous alike, on .*, freeing 5kB \(5,000 bytes\)", rendered);
        string warning = Assert.Single(preview.Warnings);
        Assert.Contains("Engine API 1.41", warning, StringComparison.Ordinal);
        Assert.Contains("named volumes as well as anonymous ones", warning, StringComparison.Ordinal);
        Assert.Contains(named, warning, StringComparison.Ordinal);
        Assert.True(Shell.DockerSucceeds("volume", "inspect", named), "-WhatIf removed nothing");

        var pruned = ps.Run("Clear-DockerVolume -Label $only -Force");
        pruned.AssertNoErrors();
        var report = Assert.Single(pruned.Objects<DockerPruneResult>());
        Assert.Equal("Volume", report.Kind);
        Assert.Equal(new[] { anonymous, named }.OrderBy(n => n), report.Deleted.OrderBy(n => n));
        Assert.Equal(5000, report.SpaceReclaimed);
        Assert.Contains(named, Assert.Single(pruned.Warnings), StringComparison.Ordinal);
        Assert.False(Shell.DockerSucceeds("volume", "inspect", named));
        Assert.True(Shell.DockerSucceeds("volume", "inspect", inUse), "the volume a container uses stayed");
    }

    [Fact]
    public void BadInput_EachErrorHasItsIdCategoryAndTarget_AndNothingIsLost()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string volume = NewVolumeName("bad");
        string user = engine.NewName("user");
        Shell.Docker("volume", "create", "--label", engine.Label, volume);
        Shell.Docker("create", "--name", user, "--label", engine.Label, "-v", $"{volume}:/data", EngineFixture.BaseImage, "true");
        ps.Set("v", volume);

        AssertError(ps.Run("Get-DockerVolume -Name dockerps-test-no-such-volume"), "VolumeNotFound", ErrorCategory.ObjectNotFound, "dockerps-test-no-such-volume");

        var inUse = ps.Run("Remove-DockerVolume -Name $v -Force");
        var inUseError = AssertError(inUse, "VolumeInUse", ErrorCategory.ResourceUnavailable, volume);
        Assert.Contains(user, inUseError.Exception.Message, StringComparison.Ordinal);
        Assert.True(Shell.DockerSucceeds("volume", "inspect", volume), "a volume in use stays");

        string doomed = NewVolumeName("doomed");
        Shell.Docker("volume", "create", "--label", engine.Label, doomed);
        ps.Set("d", doomed);
        var mixed = ps.Run("Remove-DockerVolume -Name dockerps-test-no-such-volume, $d -Force");
        AssertError(mixed, "VolumeNotFound", ErrorCategory.ObjectNotFound, "dockerps-test-no-such-volume");
        Assert.False(Shell.DockerSucceeds("volume", "inspect", doomed), "the next volume was still removed");

        AssertError(ps.Run("New-DockerVolume -Name $v -Label $label"), "VolumeExists", ErrorCategory.ResourceExists, volume);

        string archive = engine.NewPath("none.tar");
        ps.Set("archive", archive);
        AssertError(ps.Run("Backup-DockerVolume -Name dockerps-test-no-such-volume -Path $archive"), "VolumeNotFound", ErrorCategory.ObjectNotFound, "dockerps-test-no-such-volume");
        Assert.False(File.Exists(archive));
        File.WriteAllText(archive, "precious");
        AssertError(ps.Run("Backup-DockerVolume -Name $v -Path $archive"), "ArchiveDestinationInvalid", ErrorCategory.ResourceExists, archive);
        Assert.Equal("precious", File.ReadAllText(archive));

        // Files that are not volume backups: each refused before anything is made.
        string notTar = engine.NewPath("notes.txt");
        File.WriteAllText(notTar, string.Join('\n', Enumerable.Repeat("this is not a tar archive", 100)));
        string otherTar = engine.NewPath("other.tar");
        string otherDir = Directory.CreateDirectory(engine.NewPath("other")).FullName;
        File.WriteAllText(Path.Combine(otherDir, "x"), "x");
        Shell.Run("tar", "-C", otherDir, "-cf", otherTar, ".");
        string truncated = engine.NewPath("truncated.tar");
        ps.Run("Backup-DockerVolume -Name $v -Path $archive -Force").AssertNoErrors();
        byte[] whole = File.ReadAllBytes(archive);
        File.WriteAllBytes(truncated, whole[..(whole.Length / 2)]);
        foreach (string bad in new[] { notTar, otherTar, truncated })
        {
            string target = NewVolumeName("never");
            ps.Set("bad", bad);
            ps.Set("t", target);
            var refused = ps.Run("Restore-DockerVolume -Path $bad -Name $t -Label $label");
            var error = AssertError(refused, "InvalidVolumeBackup", ErrorCategory.InvalidData, bad);
            Assert.Contains("Nothing was changed", error.Exception.Message, StringComparison.Ordinal);
            Assert.False(Shell.DockerSucceeds("volume", "inspect", target), $"no volume was made for {Path.GetFileName(bad)}");
        }

        ps.Set("missing", engine.NewPath("missing.tar"));
        AssertError(ps.Run("Restore-DockerVolume -Path $missing -Name $v"), "ArchiveNotFound", ErrorCategory.ObjectNotFound, null);
        Assert.Empty(Shell.Docker("ps", "-aq", "--filter", $"label=dockerps.helper.volume={volume}"));
    }

    [Fact]
    public void CtrlC_DuringBackupAndRestore_EndsWithinASecond_AndLeavesNothingHalfDone()
    {
        engine.EnsureBaseImage();
        string volume = NewVolumeName("big");
        Shell.Docker("volume", "create", "--label", engine.Label, volume);
        Fill(volume, "head -c 268435456 /dev/urandom > /data/big.bin");
        using var ps = new PsSession(engine);
        string archive = engine.NewPath("big.tar");
        ps.Set("v", volume);
        ps.Set("archive", archive);

        StopOnceProgressShows(ps, "Backup-DockerVolume -Name $v -Path $archive", "Backing up volume");
        Assert.False(File.Exists(archive), "no archive at -Path");
        Assert.Empty(Directory.GetFiles(engine.WorkDir, "*big.tar*.partial"));
        Assert.Empty(Shell.Docker("ps", "-aq", "--filter", $"label=dockerps.helper.volume={volume}"));

        ps.Run("Backup-DockerVolume -Name $v -Path $archive").AssertNoErrors();
        string target = NewVolumeName("halfway");
        ps.Set("t", target);
        StopOnceProgressShows(ps, "Restore-DockerVolume -Path $archive -Name $t -Label $label", "Restoring volume");
        Assert.False(Shell.DockerSucceeds("volume", "inspect", target), "the new volume went again: no partial restore passes for whole");
        Assert.Empty(Shell.Docker("ps", "-aq", "--filter", $"label=dockerps.helper.volume={target}"));
    }

    private static void StopOnceProgressShows(PsSession ps, string script, string activity)
    {
        int seen = ps.Host.ProgressRecords.Count(p => p.Activity == activity && p.RecordType == ProgressRecordType.Processing);
        using var pipeline = ps.Start(script, out var pending);
        var waited = Stopwatch.StartNew();
        while (ps.Host.ProgressRecords.Count(p => p.Activity == activity && p.RecordType == ProgressRecordType.Processing) == seen)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"{activity}: no progress");
            Assert.False(pending.IsCompleted, $"{activity} finished before it could be stopped");
            Thread.Sleep(10);
        }

        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"{activity}: Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
    }

    private static ErrorRecord AssertError(PsSession.Result result, string id, ErrorCategory category, object? target)
    {
        var error = Assert.Single(result.Errors);
        Assert.Equal(id, error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(category, error.CategoryInfo.Category);
        if (target != null)
        {
            Assert.Equal(target, error.TargetObject);
        }

        return error;
    }

    private string NewVolumeName(string what) => engine.NewName("vol-" + what);

    /// <summary>Runs a shell script in a throwaway container with the volume at /data.</summary>
    private void Fill(string volume, string script)
    {
        engine.EnsureBaseImage();
        Shell.Docker("run", "--rm", "--label", engine.Label, "-v", $"{volume}:/data", EngineFixture.BaseImage, "sh", "-c", script);
    }

    private string Listing(string volume) =>
        Shell.Docker("run", "--rm", "--label", engine.Label, "-v", $"{volume}:/data:ro", EngineFixture.BaseImage, "sh", "-c", ListingScript);

    private string Read(string volume, string file) =>
        Shell.Docker("run", "--rm", "--label", engine.Label, "-v", $"{volume}:/data:ro", EngineFixture.BaseImage, "cat", "/data/" + file);
}
