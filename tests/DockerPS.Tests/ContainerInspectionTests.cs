using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;

namespace DockerPS.Tests;

/// <summary>Get-DockerContainerProcess (top), Get-DockerContainerStats (stats) and Get-DockerContainerChange (diff) against the real engine.</summary>
[Collection(EngineCollection.Name)]
public sealed class ContainerInspectionTests
{
    private readonly EngineFixture engine;

    public ContainerInspectionTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Change_AfterAddingChangingAndDeletingFiles_ReportsEachKindAsDockerDiffDoes()
    {
        string name = Run("diff", "sleep", "300");
        Shell.Docker("exec", name, "sh", "-c", "echo new > /data/added.txt && echo 'extra:x:1:1::/:/bin/sh' >> /etc/passwd && rm /etc/group");
        using var ps = new PsSession(engine);
        ps.Set("n", name);

        var result = ps.Run("Get-DockerContainerChange -Name $n");
        result.AssertNoErrors();
        var changes = result.Objects<DockerContainerChange>().ToDictionary(c => c.Path, c => c.Kind);
        Assert.Equal(ContainerChangeKind.Added, changes["/data/added.txt"]);
        Assert.Equal(ContainerChangeKind.Changed, changes["/data"]);
        Assert.Equal(ContainerChangeKind.Changed, changes["/etc/passwd"]);
        Assert.Equal(ContainerChangeKind.Changed, changes["/etc"]);
        Assert.Equal(ContainerChangeKind.Deleted, changes["/etc/group"]);
        Assert.All(result.Objects<DockerContainerChange>(), c => Assert.Equal(name, c.Container));

        // The same lines docker diff prints, one object per line.
        var cli = Shell.Docker("diff", name).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).OrderBy(l => l, StringComparer.Ordinal);
        Assert.Equal(cli, result.Objects<DockerContainerChange>().Select(c => c.ToString()).OrderBy(l => l, StringComparer.Ordinal));

        var deleted = ps.Run("Get-DockerContainer -Name $n | Get-DockerContainerChange -Kind Deleted");
        deleted.AssertNoErrors();
        Assert.Equal("/etc/group", Assert.Single(deleted.Objects<DockerContainerChange>()).Path);

        ps.Run("Get-DockerContainerChange $n -Kind Deleted | Out-Default").AssertNoErrors();
        Assert.Matches(@"CONTAINER\s+KIND\s+PATH\s+[-\s]+dockerps-test\S+\s+Deleted\s+/etc/group", ps.Rendered);
    }

    [Fact]
    public void Process_ListsTheRunningCommand_WithTheHostPid()
    {
        string name = Run("top", "sleep", "300");
        string pid = Shell.Docker("container", "inspect", "--format", "{{.State.Pid}}", name);
        using var ps = new PsSession(engine);
        ps.Set("n", name);

        var result = ps.Run("Get-DockerContainerProcess -Name $n");
        result.AssertNoErrors();
        var process = Assert.Single(result.Objects<DockerContainerProcess>());
        Assert.Equal("sleep 300", process.Command);
        Assert.Equal(int.Parse(pid), process.ProcessId);
        Assert.True(process.ParentProcessId > 0);
        Assert.Equal("root", process.User);
        Assert.Equal(TimeSpan.Zero, process.CpuTime);
        Assert.Equal(name, process.Container);
        Assert.Equal(new[] { "UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD" }, process.Titles);
        Assert.Equal("sleep 300", process.Columns["CMD"]);

        // Other ps options: their columns are kept, and the known ones still typed.
        var custom = Assert.Single(ps.Run("Get-DockerContainer -Name $n | Get-DockerContainerProcess -Arguments '-o pid,ppid,comm,rss'").Objects<DockerContainerProcess>());
        Assert.Equal(new[] { "PID", "PPID", "COMMAND", "RSS" }, custom.Titles);
        Assert.Equal("sleep", custom.Command);
        Assert.Equal(process.ProcessId, custom.ProcessId);
        Assert.True(long.Parse(custom.Columns["RSS"]) > 0);

        ps.Run("Get-DockerContainerProcess $n | Out-Default").AssertNoErrors();
        Assert.Matches($@"CONTAINER\s+UID\s+PID\s+PPID\s+STIME\s+TTY\s+TIME\s+CMD\s+[-\s]+dockerps-test\S+\s+root\s+{pid}\s+\d+\s+\S+\s+\?\s+00:00:00\s+sleep 300", ps.Rendered);
    }

    [Fact]
    public void Process_OfAStoppedOrUnknownContainer_IsAnError_AndThePipelineGoesOn()
    {
        string running = Run("top-ok", "sleep", "300");
        string stopped = engine.NewName("top-stopped");
        Shell.Docker("create", "--name", stopped, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("names", new[] { "dockerps-test-no-such-container", stopped, running });

        var result = ps.Run("Get-DockerContainerProcess -Name $names");
        Assert.Equal(new[] { "ContainerNotFound", "ContainerNotRunning" }, result.ErrorIds);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
        Assert.Equal("dockerps-test-no-such-container", result.Errors[0].TargetObject);
        Assert.Equal(ErrorCategory.InvalidOperation, result.Errors[1].CategoryInfo.Category);
        Assert.Equal(stopped, result.Errors[1].TargetObject);
        Assert.Equal(running, Assert.Single(result.Objects<DockerContainerProcess>()).Container);

        // A paused container's processes are still there, frozen.
        Shell.Docker("pause", running);
        ps.Set("n", running);
        var paused = ps.Run("Get-DockerContainerProcess $n");
        paused.AssertNoErrors();
        Assert.Equal("sleep 300", Assert.Single(paused.Objects<DockerContainerProcess>()).Command);
    }

    [Fact]
    public void Stats_Snapshot_HasPlausibleNumbers_AndCpuFromTwoSamples()
    {
        string idle = Run("stats-idle", "sleep", "300");
        string busy = Run("stats-busy", "sh", "-c", "while :; do :; done");
        using var ps = new PsSession(engine, width: 200);
        ps.Set("names", new[] { idle, busy });

        var result = ps.Run("Get-DockerContainerStats -Name $names");
        result.AssertNoErrors();
        var stats = result.Objects<DockerContainerStats>().ToDictionary(s => s.Container);
        Assert.Equal(2, stats.Count);
        foreach (DockerContainerStats s in stats.Values)
        {
            Assert.True(s.MemoryUsage > 0, "memory in use");
            Assert.True(s.MemoryLimit >= s.MemoryUsage, "a limit above the use");
            Assert.InRange(s.MemoryPercent, 0.0, 100.0);
            Assert.True(s.Pids >= 1, "at least the main process");
            Assert.True(s.OnlineCpus >= 1);
            Assert.InRange(s.Read, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(1));
            Assert.True(s.NetworkReceived >= 0 && s.NetworkSent >= 0 && s.BlockRead >= 0 && s.BlockWritten >= 0);
        }

        // With one sample only, the busy loop would get its whole lifetime's share of CPU since the host booted.
        Assert.True(stats[busy].CpuPercent > 10, $"busy CPU {stats[busy].CpuPercent}");
        Assert.True(stats[idle].CpuPercent < 5, $"idle CPU {stats[idle].CpuPercent}");
        Assert.True(stats[busy].CpuTime > TimeSpan.Zero);
        Assert.Equal(Shell.Docker("container", "inspect", "--format", "{{.Id}}", idle), stats[idle].ContainerId);

        ps.Run("Get-DockerContainerStats $names[0] | Out-Default").AssertNoErrors();
        Assert.Matches($@"CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE / LIMIT\s+MEM %\s+NET I/O\s+BLOCK I/O\s+PIDS\s+[-\s]+{stats[idle].ShortId}\s+dockerps-test\S+\s+\d+\.\d\d%\s+[\d.]+[KMG]?i?B / [\d.]+[KMGT]iB\s+\d+\.\d\d%\s+\S+ / \S+\s+\S+ / \S+\s+1", ps.Rendered);
    }

    [Fact]
    public void Stats_WithoutNames_MeasuresRunningContainers_AndUnknownNamesAreErrors()
    {
        string running = Run("stats-all", "sleep", "300");
        string stopped = engine.NewName("stats-stopped");
        Shell.Docker("create", "--name", stopped, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("prefix", $"dockerps-test-{engine.RunId}-stats-*");

        var all = ps.Run("Get-DockerContainerStats").Objects<DockerContainerStats>().Select(s => s.Container).ToList();
        Assert.Contains(running, all);
        Assert.DoesNotContain(stopped, all);

        var matched = ps.Run("Get-DockerContainerStats -Name $prefix -All");
        matched.AssertNoErrors();
        var names = matched.Objects<DockerContainerStats>().Select(s => s.Container).ToList();
        Assert.Contains(running, names);
        Assert.Contains(stopped, names);
        Assert.Equal(0, matched.Objects<DockerContainerStats>().Single(s => s.Container == stopped).Pids);

        ps.Set("n", running);
        var piped = ps.Run("Get-DockerContainer -Name $n | Get-DockerContainerStats");
        piped.AssertNoErrors();
        Assert.True(Assert.Single(piped.Objects<DockerContainerStats>()).Pids >= 1);

        var missing = ps.Run("Get-DockerContainerStats -Name dockerps-test-no-such-container, $n");
        Assert.Equal("ContainerNotFound", Assert.Single(missing.ErrorIds));
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.Errors[0].CategoryInfo.Category);
        Assert.Equal(running, Assert.Single(missing.Objects<DockerContainerStats>()).Container);
    }

    [Fact]
    public void Stats_Stream_KeepsWritingSnapshots_UntilCtrlC_WhichEndsItWithinASecond()
    {
        string name = Run("stats-stream", "sleep", "300");
        using var ps = new PsSession(engine);
        var sink = new ConcurrentQueue<object>();
        ps.Set("n", name);
        ps.Set("sink", sink);
        using var pipeline = ps.Start("Get-DockerContainerStats -Name $n -Stream | ForEach-Object { $sink.Enqueue($_) }", out var pending);

        var waited = Stopwatch.StartNew();
        while (sink.Count < 2)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the stream did not write two snapshots");
            Assert.False(pending.IsCompleted, "the stream ended by itself");
            Thread.Sleep(20);
        }

        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);

        var snapshots = sink.Select(o => (DockerContainerStats)(o is PSObject wrapped ? wrapped.BaseObject : o)).ToList();
        Assert.All(snapshots, s => Assert.Equal(name, s.Container));
        Assert.True(snapshots[1].Read > snapshots[0].Read, "each snapshot is a new sample");
    }

    private string Run(string what, params string[] command)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker(new[] { "run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage }.Concat(command).ToArray());
        return name;
    }
}
