using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;

namespace DockerPS.Tests;

/// <summary>docker run, logs and wait as cmdlets: output streamed as it comes, exit codes, conditions, Ctrl+C.</summary>
[Collection(EngineCollection.Name)]
public sealed class ContainerStreamTests
{
    private static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly EngineFixture engine;

    public ContainerStreamTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Run_StreamsStdoutToThePipeline_StderrToTheErrorStream_AndSetsLastExitCode()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("run");
        ps.Set("n", name);
        var result = ps.Run("Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Command sh, -c, 'echo one; echo bad >&2; echo two; exit 3'");
        Assert.Equal(new[] { "one", "two" }, result.Output.Select(o => o.BaseObject).Cast<string>());
        var error = Assert.Single(result.Errors);
        Assert.Equal("ContainerStandardError,DockerPS.Cmdlets.Container.InvokeDockerContainerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.FromStdErr, error.CategoryInfo.Category);
        Assert.Equal(name, error.TargetObject);
        Assert.Equal("bad", error.Exception.Message);
        Assert.Equal(3, ps.Get("LASTEXITCODE"));
        Assert.Equal("exited", EngineFixture.ContainerState(name));
        Assert.Equal("3", Shell.Docker("container", "inspect", "--format", "{{.State.ExitCode}}", name));
    }

    [Fact]
    public void Run_PassThru_ReturnsOneResult_WithBothStreamsExitCodeAndDuration()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("passthru");
        ps.Set("n", name);
        var result = ps.Run("Get-DockerImage dockerps-test/busybox | Invoke-DockerContainer -Name $n -Label $label -Command sh, -c, 'echo out1; echo out2; echo err >&2; exit 4' -PassThru");
        result.AssertNoErrors();
        var run = Assert.Single(result.Objects<DockerExecResult>());
        Assert.Equal(4, run.ExitCode);
        Assert.Equal("out1\nout2", run.StdOut);
        Assert.Equal("err", run.StdErr);
        Assert.Equal(name, run.Container.Name);
        Assert.Equal(ContainerState.Exited, run.Container.State);
        Assert.Equal(new[] { "sh", "-c", "echo out1; echo out2; echo err >&2; exit 4" }, run.Command);
        Assert.True(run.Duration > TimeSpan.Zero);
        Assert.Equal(4, ps.Get("LASTEXITCODE"));
    }

    [Fact]
    public void Run_Detach_ReturnsTheStartedContainerAtOnce()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("detach");
        ps.Set("n", name);
        var result = ps.Run("Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Command sleep, 300 -Detach");
        result.AssertNoErrors();
        var container = Assert.Single(result.Objects<DockerContainer>());
        Assert.Equal(name, container.Name);
        Assert.Equal(ContainerState.Running, container.State);
        Assert.Equal("running", EngineFixture.ContainerState(name));
    }

    [Fact]
    public void Run_Remove_LeavesNoContainer_AndKeepsTheExitCode()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("rm");
        ps.Set("n", name);
        var result = ps.Run("Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Remove -Command sh, -c, 'echo bye; exit 2'");
        result.AssertNoErrors();
        Assert.Equal("bye", Assert.Single(result.Output).BaseObject);
        Assert.Equal(2, ps.Get("LASTEXITCODE"));
        Assert.False(EngineFixture.ContainerExists(name), "the container was removed");
    }

    [Fact]
    public void Run_Input_GoesToStandardInput_WhichIsThenClosed()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("stdin");
        ps.Set("n", name);
        var result = ps.Run("Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Input 'line 1', '', 'line 3' -Command sh, -c, 'cat; echo end'");
        result.AssertNoErrors();
        Assert.Equal(new[] { "line 1", "", "line 3", "end" }, result.Output.Select(o => o.BaseObject).Cast<string>());
        Assert.Equal(0, ps.Get("LASTEXITCODE"));
    }

    [Fact]
    public void Run_Tty_GivesRawOutput_WithBothStreamsOnStandardOutput()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("tty");
        ps.Set("n", name);
        var result = ps.Run("Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Tty -Command sh, -c, 'echo out; echo err >&2; exit 1'");
        result.AssertNoErrors();
        Assert.Equal(new[] { "out", "err" }, result.Output.Select(o => o.BaseObject).Cast<string>());
        Assert.Equal(1, ps.Get("LASTEXITCODE"));
    }

    [Fact]
    public void Run_StreamsOutputAsItComes_AndCtrlCWithRemove_EndsWithinASecond_LeavingNoContainer()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        string name = engine.NewName("rmstop");
        var seen = new ConcurrentQueue<object>();
        ps.Set("n", name);
        ps.Set("seen", seen);
        using var pipeline = ps.Start("Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Remove -Command sh, -c, 'echo started; sleep 300' | ForEach-Object { $seen.Enqueue($_) }", out var pending);

        WaitUntil(() => seen.Contains("started"), pending, "the first line arrived while the container ran");
        Assert.Equal("running", EngineFixture.ContainerState(name));

        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < WithinASecond, $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
        Assert.False(EngineFixture.ContainerExists(name), "Ctrl+C left the -Remove container behind");
    }

    [Fact]
    public void Logs_AreObjects_WithContainerStreamTimestampAndMessage()
    {
        string name = RunToEnd("logs", "sh", "-c", "echo out1; echo err1 >&2; echo out2");
        DateTime before = DateTime.UtcNow.AddMinutes(-5);
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var result = ps.Run("Get-DockerContainerLog -Name $n");
        result.AssertNoErrors();
        var entries = result.Objects<DockerContainerLogEntry>().ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(name, e.Container));
        Assert.All(entries, e => Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind));
        Assert.All(entries, e => Assert.InRange(e.Timestamp, before, DateTime.UtcNow.AddMinutes(1)));
        Assert.Equal(new[] { "out1", "out2" }, entries.Where(e => e.Stream == LogStream.StdOut).Select(e => e.Message));
        Assert.Equal("err1", Assert.Single(entries, e => e.Stream == LogStream.StdErr).Message);

        var raw = ps.Run("Get-DockerContainerLog -Name $n -Raw -Timestamps");
        raw.AssertNoErrors();
        var lines = raw.Output.Select(o => (string)o.BaseObject).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (out1|out2|err1)$", l));
    }

    [Fact]
    public void Logs_Tail_Since_AndUntil_PickTheLines()
    {
        string name = RunToEnd("tail", "sh", "-c", "echo 1; echo 2; echo 3; sleep 1; echo 4; echo 5");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        Assert.Equal(new[] { "4", "5" }, Messages(ps.Run("Get-DockerContainerLog $n -Tail 2")));
        Assert.Equal(new[] { "1", "2", "3", "4", "5" }, Messages(ps.Run("Get-DockerContainerLog $n -Tail all")));
        Assert.Empty(Messages(ps.Run("Get-DockerContainerLog $n -Tail 0")));

        var all = ps.Run("Get-DockerContainerLog $n").Objects<DockerContainerLogEntry>().ToList();
        ps.Set("fourth", all.Single(e => e.Message == "4").Timestamp);
        Assert.Equal(new[] { "4", "5" }, Messages(ps.Run("Get-DockerContainerLog $n -Since $fourth")));
        Assert.Equal(new[] { "1", "2", "3" }, Messages(ps.Run("Get-DockerContainerLog $n -Until $fourth.AddMilliseconds(-1)")));
        Assert.Equal(new[] { "1", "2", "3", "4", "5" }, Messages(ps.Run("Get-DockerContainerLog $n -Since ([TimeSpan]::FromHours(1))")));
        Assert.Empty(Messages(ps.Run("Get-DockerContainerLog $n -Until '1h'")));
    }

    [Fact]
    public void Logs_Follow_ReceivesNewLinesAsTheyAreWritten_AndCtrlCEndsItWithinASecond()
    {
        string name = StartContainer("follow", "sh", "-c", "echo first; while [ ! -f /tmp/go ]; do sleep 0.1; done; echo second; sleep 300");
        using var ps = new PsSession(engine);
        var seen = new ConcurrentQueue<object>();
        ps.Set("n", name);
        ps.Set("seen", seen);
        using var pipeline = ps.Start("Get-DockerContainerLog $n -Follow | ForEach-Object { $seen.Enqueue($_.Message) }", out var pending);

        WaitUntil(() => seen.Contains("first"), pending, "the existing line arrived");
        Assert.DoesNotContain("second", seen);
        Shell.Docker("exec", name, "touch", "/tmp/go");
        WaitUntil(() => seen.Contains("second"), pending, "the new line arrived while following");

        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < WithinASecond, $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
        Assert.Equal("running", EngineFixture.ContainerState(name));
    }

    [Fact]
    public void Logs_Follow_EndsWhenTheContainerStops()
    {
        string name = StartContainer("followend", "sh", "-c", "echo a; sleep 1; echo b");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var result = ps.Run("Get-DockerContainerLog $n -Follow");
        result.AssertNoErrors();
        Assert.Equal(new[] { "a", "b" }, Messages(result));
        Assert.Equal("exited", EngineFixture.ContainerState(name));
    }

    [Fact]
    public void Logs_OfTwoPipedContainers_ComeOutLabelled()
    {
        string first = RunToEnd("labela", "sh", "-c", "echo from-a");
        string second = RunToEnd("labelbb", "sh", "-c", "echo from-b; echo more-b");
        using var ps = new PsSession(engine);
        ps.Set("a", first);
        ps.Set("b", second);
        var result = ps.Run("Get-DockerContainer -Name $a, $b | Get-DockerContainerLog");
        result.AssertNoErrors();
        var entries = result.Objects<DockerContainerLogEntry>().ToList();
        Assert.Equal(new[] { "from-a" }, entries.Where(e => e.Container == first).Select(e => e.Message));
        Assert.Equal(new[] { "from-b", "more-b" }, entries.Where(e => e.Container == second).Select(e => e.Message));

        int width = Math.Max(first.Length, second.Length);
        var raw = ps.Run("Get-DockerContainer -Name $a, $b | Get-DockerContainerLog -Raw").Output.Select(o => (string)o.BaseObject).ToList();
        Assert.Contains($"{first.PadRight(width)} | from-a", raw);
        Assert.Contains($"{second.PadRight(width)} | more-b", raw);

        ps.Run("Get-DockerContainer -Name $a, $b | Get-DockerContainerLog | Out-Default").AssertNoErrors();
        Assert.Contains($"{first.PadRight(width)} | from-a", ps.Rendered, StringComparison.Ordinal);
        Assert.Contains($"{second.PadRight(width)} | from-b", ps.Rendered, StringComparison.Ordinal);

        ps.Run("Get-DockerContainerLog $a | Out-Default").AssertNoErrors();
        Assert.Contains("\nfrom-a\n", ps.Rendered.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Logs_OfATtyContainer_AreLinesOnStandardOutput()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("ttylogs");
        Shell.Docker("run", "-t", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sh", "-c", "echo out; echo err >&2");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var result = ps.Run("Get-DockerContainerLog $n");
        result.AssertNoErrors();
        var entries = result.Objects<DockerContainerLogEntry>().ToList();
        Assert.Equal(new[] { "out", "err" }, entries.Select(e => e.Message));
        Assert.All(entries, e => Assert.Equal(LogStream.StdOut, e.Stream));
    }

    [Fact]
    public void Wait_ReturnsTheExitCode_OfEachContainer()
    {
        string running = StartContainer("waitrun", "sh", "-c", "sleep 1; exit 7");
        string exited = RunToEnd("waitexited", "sh", "-c", "exit 3");
        using var ps = new PsSession(engine);
        ps.Set("r", running);
        ps.Set("x", exited);
        var result = ps.Run("Wait-DockerContainer -Name $r, $x");
        result.AssertNoErrors();
        var statuses = result.Objects<DockerContainerExitStatus>().ToList();
        Assert.Equal(new[] { running, exited }, statuses.Select(s => s.Container));
        Assert.Equal(new long[] { 7, 3 }, statuses.Select(s => s.ExitCode));
        Assert.All(statuses, s => Assert.Null(s.Error));
        Assert.Equal("exited", EngineFixture.ContainerState(running));

        ps.Run("Wait-DockerContainer -Name $r, $x | Out-Default").AssertNoErrors();
        Assert.Matches(@"CONTAINER\s+EXIT CODE\s+ERROR", ps.Rendered);
        Assert.Matches($@"{running}\s+7\s", ps.Rendered);
    }

    [Fact]
    public void Wait_NextExit_WaitsForTheNextRun_OfAStoppedContainer()
    {
        // The first run exits 2; the next one 9.
        string name = RunToEnd("nextexit", "sh", "-c", "test -f /tmp/ran && exit 9; touch /tmp/ran; exit 2");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        using var pipeline = ps.Start("Wait-DockerContainer $n -Condition NextExit -Verbose", out var pending);
        WaitUntil(() => pipeline.Streams.Verbose.Count > 0, pending, "the wait was under way");
        Thread.Sleep(300);
        Assert.False(pending.IsCompleted, "the wait ended on the run that had already exited");
        Shell.Docker("start", name);
        Assert.True(pending.AsyncWaitHandle.WaitOne(Patience), "the wait saw the next exit");
        var status = (DockerContainerExitStatus)Assert.Single(pipeline.EndInvoke(pending)).BaseObject;
        Assert.Equal(9, status.ExitCode);
    }

    [Fact]
    public void Wait_NextExit_OfARunningContainer_ReturnsWhenItIsKilled()
    {
        string name = StartContainer("nextkill", "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        using var pipeline = ps.Start("Wait-DockerContainer $n -Condition NextExit -Verbose", out var pending);
        WaitUntil(() => pipeline.Streams.Verbose.Count > 0, pending, "the wait was under way");
        Shell.Docker("kill", name);
        Assert.True(pending.AsyncWaitHandle.WaitOne(Patience), "the wait saw the exit");
        var status = (DockerContainerExitStatus)Assert.Single(pipeline.EndInvoke(pending)).BaseObject;
        Assert.Equal(137, status.ExitCode);
        Assert.Equal(name, status.Container);
    }

    [Fact]
    public void Wait_Removed_ReturnsWhenTheContainerIsRemoved()
    {
        string name = StartContainer("removed", "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        using var pipeline = ps.Start("Wait-DockerContainer $n -Condition Removed -Verbose", out var pending);
        WaitUntil(() => pipeline.Streams.Verbose.Count > 0, pending, "the wait was under way");
        Thread.Sleep(300);
        Assert.False(pending.IsCompleted, "the wait ended while the container was still there");
        Shell.Docker("rm", "-f", name);
        Assert.True(pending.AsyncWaitHandle.WaitOne(Patience), "the wait saw the removal");
        var status = (DockerContainerExitStatus)Assert.Single(pipeline.EndInvoke(pending)).BaseObject;
        Assert.Equal(137, status.ExitCode);
        Assert.False(EngineFixture.ContainerExists(name));
    }

    [Fact]
    public void Wait_Timeout_IsAnOperationTimeoutError_TheContainerUntouched_AndThePipelineGoesOn()
    {
        string running = StartContainer("waittimeout", "sleep", "300");
        string exited = RunToEnd("waitdone", "sh", "-c", "exit 5");
        using var ps = new PsSession(engine);
        ps.Set("r", running);
        ps.Set("x", exited);
        var result = ps.Run("Wait-DockerContainer -Name $r, $x -Timeout 1");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ContainerWaitTimeout,DockerPS.Cmdlets.Container.WaitDockerContainerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Equal(running, error.TargetObject);
        Assert.Equal(5, Assert.Single(result.Objects<DockerContainerExitStatus>()).ExitCode);
        Assert.Equal("running", EngineFixture.ContainerState(running));

        var span = ps.Run("Wait-DockerContainer -Name $r -Condition NextExit -Timeout ([TimeSpan]::FromMilliseconds(300))");
        Assert.Equal("ContainerWaitTimeout", Assert.Single(span.ErrorIds));
        Assert.Equal("running", EngineFixture.ContainerState(running));
    }

    [Theory]
    [InlineData("NotRunning")]
    [InlineData("Removed")]
    public void CtrlC_DuringWait_EndsWithinASecond(string condition)
    {
        string name = StartContainer("waitstop", "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        using var pipeline = ps.Start($"Wait-DockerContainer $n -Condition {condition} -Verbose", out var pending);
        WaitUntil(() => pipeline.Streams.Verbose.Count > 0, pending, "the wait was under way");
        Thread.Sleep(200);
        Assert.False(pending.IsCompleted, "the wait ended by itself");
        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < WithinASecond, $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
        Assert.Equal("running", EngineFixture.ContainerState(name));
    }

    [Fact]
    public void UnknownContainer_IsContainerNotFound_AndThePipelineGoesOn()
    {
        string name = RunToEnd("known", "sh", "-c", "echo here; exit 6");
        using var ps = new PsSession(engine);
        ps.Set("n", name);

        var logs = ps.Run("Get-DockerContainerLog -Name dockerps-test-no-such-container, $n");
        var error = Assert.Single(logs.Errors);
        Assert.Equal("ContainerNotFound,DockerPS.Cmdlets.Container.GetDockerContainerLogCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("dockerps-test-no-such-container", error.TargetObject);
        Assert.Equal("here", Assert.Single(logs.Objects<DockerContainerLogEntry>()).Message);

        var wait = ps.Run("'dockerps-test-no-such-container', $n | ForEach-Object { [pscustomobject]@{ Name = $_ } } | Wait-DockerContainer");
        Assert.Equal("ContainerNotFound", Assert.Single(wait.ErrorIds));
        Assert.Equal(ErrorCategory.ObjectNotFound, wait.Errors[0].CategoryInfo.Category);
        Assert.Equal(6, Assert.Single(wait.Objects<DockerContainerExitStatus>()).ExitCode);

        var run = ps.Run("Invoke-DockerContainer dockerps-test/no-such-image:1 -Label $label -Command true; 'after'");
        var runError = Assert.Single(run.Errors);
        Assert.Equal("ImageNotFound", runError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, runError.CategoryInfo.Category);
        Assert.Equal("after", Assert.Single(run.Output).BaseObject);
    }

    [Fact]
    public void BadArguments_AreRefusedBeforeAnythingRuns()
    {
        string name = RunToEnd("badargs", "sh", "-c", "echo x");
        using var ps = new PsSession(engine);
        ps.Set("n", name);

        var tail = ps.Run("Get-DockerContainerLog $n -Tail many");
        Assert.Equal("ParameterArgumentValidationError", Assert.Single(tail.ErrorIds));
        Assert.Contains("'all'", tail.Errors[0].Exception.Message, StringComparison.Ordinal);

        var since = ps.Run("Get-DockerContainerLog $n -Since 90s");
        var sinceError = Assert.Single(since.Errors);
        Assert.Equal("InvalidTimeArgument", sinceError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, sinceError.CategoryInfo.Category);
        Assert.Empty(since.Output);

        var timeout = ps.Run("Wait-DockerContainer $n -Timeout 0");
        Assert.Equal("InvalidTimeArgument", Assert.Single(timeout.ErrorIds));

        string detached = engine.NewName("never");
        ps.Set("d", detached);
        var conflict = ps.Run("Invoke-DockerContainer dockerps-test/busybox -Name $d -Label $label -Detach -Input 'x'");
        Assert.Equal("ConflictingParameters", Assert.Single(conflict.ErrorIds));
        Assert.False(EngineFixture.ContainerExists(detached), "nothing was created");

        ps.Run("Invoke-DockerContainer dockerps-test/busybox -Name $d -Label $label -Command true -WhatIf").AssertNoErrors();
        Assert.Contains($"What if: Performing the operation \"Run container\" on target \"'{detached}' from image 'dockerps-test/busybox'\"", ps.Rendered, StringComparison.Ordinal);
        Assert.False(EngineFixture.ContainerExists(detached), "-WhatIf created nothing");
    }

    [Fact]
    public void Enter_InAHostWithoutAConsole_FailsAtOnce_SayingWhereToRunIt()
    {
        string name = StartContainer("enter", "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var watch = Stopwatch.StartNew();
        var result = ps.Run("Enter-DockerContainer $n; 'after'");
        watch.Stop();
        var error = Assert.Single(result.Errors);
        Assert.Equal("InteractiveConsoleRequired,DockerPS.Cmdlets.Container.EnterDockerContainerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("interactive pwsh console", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("after", Assert.Single(result.Output).BaseObject);
        Assert.Equal(string.Empty, Shell.Docker("container", "inspect", "--format", "{{range .ExecIDs}}{{.}}{{end}}", name));

        var conflict = ps.Run("Enter-DockerContainer $n -Attach -Command sh");
        Assert.Equal("ConflictingParameters", Assert.Single(conflict.ErrorIds));
    }

    private static IEnumerable<string> Messages(PsSession.Result result)
    {
        result.AssertNoErrors();
        return result.Objects<DockerContainerLogEntry>().Select(e => e.Message).ToList();
    }

    private static void WaitUntil(Func<bool> condition, IAsyncResult pending, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(pending.IsCompleted, $"the pipeline ended before {what}");
            Assert.True(waited.Elapsed < Patience, $"timed out waiting until {what}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Starts a container of this run with the docker CLI and returns its name.</summary>
    private string StartContainer(string what, params string[] command)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker(new[] { "run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage }.Concat(command).ToArray());
        return name;
    }

    /// <summary>Runs a container of this run to its end with the docker CLI and returns its name.</summary>
    private string RunToEnd(string what, params string[] command)
    {
        string name = StartContainer(what, command);
        Shell.Run("docker", "wait", name);
        return name;
    }
}
