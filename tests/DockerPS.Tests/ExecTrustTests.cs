using System.Formats.Tar;
using System.Management.Automation;

namespace DockerPS.Tests;

/// <summary>
/// Commands in containers can be trusted: $LASTEXITCODE is what the docker CLI would give when the command never ran, a
/// piped container is acted on at its own engine (two engines, one container name on both), and piped lines are the
/// command's standard input.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ExecTrustTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly EngineFixture engine;

    public ExecTrustTests(EngineFixture engine) => this.engine = engine;

    // ---- $LASTEXITCODE when the command never ran: the docker CLI's status for the same case is the truth ----

    [Theory]
    [InlineData("nosuchbinary", "ExecCommandNotFound")]
    [InlineData("/etc/passwd", "ExecCommandNotInvokable")]
    [InlineData("/tmp", "ExecCommandNotInvokable")]
    public void Exec_CommandThatCannotStart_SetsTheEnginesExitCode_AndAnErrorOfItsOwn_NotOutput(string command, string errorId)
    {
        string name = RunningContainer();
        int cli = Shell.Run("docker", "exec", name, command).ExitCode;
        Assert.Equal(126, cli); // engine 20.10 records 126 for any exec that could not start

        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Set("cmd", command);
        var result = ps.Run("$global:LASTEXITCODE = 0; Invoke-DockerExec $n $cmd");
        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(name, error.TargetObject);
        Assert.Contains(command, error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(cli, ps.Get("LASTEXITCODE"));
    }

    [Fact]
    public void Exec_ThatTheEngineRefuses_SetsOne_AsDockerExecDoes()
    {
        string running = RunningContainer();
        string created = engine.NewName("created");
        Shell.Docker("create", "--name", created, "--label", engine.Label, EngineFixture.BaseImage, "true");
        string missing = engine.NewName("missing");
        string noEngine = "unix://" + engine.NewPath("no-engine.sock");

        var cases = new (string Script, string[] Cli, string ErrorId)[]
        {
            ($"Invoke-DockerExec {missing} true", new[] { "exec", missing, "true" }, "ContainerNotFound"),
            ($"Invoke-DockerExec {created} true", new[] { "exec", created, "true" }, "ContainerNotRunning"),
            ($"Invoke-DockerExec -DockerHost {noEngine} {running} true", new[] { "-H", noEngine, "exec", running, "true" }, "DockerHostUnreachable"),
        };
        foreach (var (script, cli, errorId) in cases)
        {
            int expected = Shell.Run("docker", cli).ExitCode;
            Assert.Equal(1, expected);
            AssertExit(script, expected, errorId);
        }
    }

    [Fact]
    public void Run_AndExec_ThatRan_SetTheCommandsOwnExitCode()
    {
        string name = RunningContainer();
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Run("$global:LASTEXITCODE = 0; Invoke-DockerExec $n sh, -c, 'exit 126'");
        Assert.Equal(Shell.Run("docker", "exec", name, "sh", "-c", "exit 126").ExitCode, ps.Get("LASTEXITCODE"));
        Assert.Equal(126, ps.Get("LASTEXITCODE"));
        var ran = ps.Run("$global:LASTEXITCODE = 0; Invoke-DockerContainer dockerps-test/busybox -Label $label -Remove -Command sh, -c, 'exit 127'");
        Assert.Empty(ran.Errors);
        Assert.Equal(127, ps.Get("LASTEXITCODE"));
    }

    // ---- A piped container is acted on at the engine it came from ----

    [Fact]
    public void PipedContainer_FromTheSecondEngine_IsExecutedCopiedExportedCommittedAndRenamedThere()
    {
        var (name, other) = Twins();
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Set("other", other.Uri);
        ps.Run("$c = Get-DockerContainer -DockerHost $other -Name $n").AssertNoErrors();

        // Ground truth first: the same name is a different container on each engine.
        Assert.Equal("second-twin", other.Docker("exec", name, "hostname"));
        Assert.Equal("main-twin", Shell.Docker("exec", name, "hostname"));

        var exec = ps.Run("$c | Invoke-DockerExec -Command hostname");
        exec.AssertNoErrors();
        Assert.Equal("second-twin", Assert.Single(exec.Output).BaseObject);

        string copied = engine.NewPath("twin.txt");
        ps.Set("copied", copied);
        ps.Run("$c | Copy-DockerContainerItem -Path /twin.txt -Destination $copied").AssertNoErrors();
        Assert.Equal("second", File.ReadAllText(copied).Trim());

        string exported = engine.NewPath("twin.tar");
        ps.Set("exported", exported);
        ps.Run("$c | Export-DockerContainer -Path $exported").AssertNoErrors();
        Assert.Equal("second", TarFileText(exported, "twin.txt"));

        string repository = $"dockerps-test/twin-{engine.RunId}";
        ps.Set("repo", repository);
        var image = ps.Run("$c | ConvertTo-DockerImage -Repository $repo -Tag committed -Change \"LABEL $label\"");
        image.AssertNoErrors();
        Assert.Equal(other.Uri, Assert.Single(image.Objects<DockerImage>()).DockerHost.ToString());
        Assert.True(other.DockerSucceeds("image", "inspect", repository + ":committed"));
        Assert.False(EngineFixture.ImageExists(repository + ":committed"));

        string renamed = engine.NewName("renamed");
        ps.Set("renamed", renamed);
        ps.Run("$c | Rename-DockerContainer -NewName $renamed").AssertNoErrors();
        Assert.True(other.DockerSucceeds("container", "inspect", renamed));
        Assert.False(other.DockerSucceeds("container", "inspect", name));
        Assert.True(EngineFixture.ContainerExists(name));
        Assert.False(EngineFixture.ContainerExists(renamed));
    }

    [Fact]
    public void PipedContainer_FromTheSecondEngine_IsConnectedLoggedAndSuspendedThere()
    {
        var (name, other) = Twins();
        string network = engine.NewName("net");
        other.Docker("network", "create", "--label", engine.Label, network);
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Set("net", network);
        ps.Set("other", other.Uri);
        ps.Run("$c = Get-DockerContainer -DockerHost $other -Name $n").AssertNoErrors();

        ps.Run("$c | Connect-DockerNetwork -Network $net").AssertNoErrors();
        Assert.Contains(network, other.Docker("container", "inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", name));
        ps.Run("$c | Disconnect-DockerNetwork -Network $net").AssertNoErrors();
        Assert.DoesNotContain(network, other.Docker("container", "inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", name));

        var log = ps.Run("$c | Get-DockerContainerLog -Raw");
        log.AssertNoErrors();
        Assert.Equal(new object[] { "second-twin" }, log.Output.Select(o => o.BaseObject));

        ps.Run("$c | Suspend-DockerContainer").AssertNoErrors();
        Assert.Equal("true", other.Docker("container", "inspect", "--format", "{{.State.Paused}}", name));
        Assert.Equal("false", Shell.Docker("container", "inspect", "--format", "{{.State.Paused}}", name));
        ps.Run("$c | Resume-DockerContainer").AssertNoErrors();
        Assert.Equal("false", other.Docker("container", "inspect", "--format", "{{.State.Paused}}", name));
    }

    [Fact]
    public void PipedContainer_FromTheSecondEngine_IsEnteredThere()
    {
        var (name, other) = Twins();
        using var terminal = new ContainerInteractiveTests.TmuxSession(engine, $"Get-DockerContainer -DockerHost {other.Uri} -Name {name} | Enter-DockerContainer");
        terminal.WaitFor("/ #");
        terminal.Type("echo on-$(hostname)-$((6*7))");
        terminal.WaitFor("on-second-twin-42");
        terminal.Type("exit 4");
        terminal.WaitFor("host exit code 4");
    }

    [Fact]
    public void PipedVolume_FromTheSecondEngine_IsBackedUpRestoredAndRemovedThere()
    {
        engine.EnsureBaseImage();
        SecondEngine other = engine.Second;
        string volume = engine.NewName("vol");
        foreach (var (where, docker) in new (string, Func<string[], string>)[] { ("main", Shell.Docker), ("second", other.Docker) })
        {
            docker(new[] { "volume", "create", "--label", engine.Label, volume });
            docker(new[] { "run", "--rm", "--label", engine.Label, "-v", volume + ":/data", EngineFixture.BaseImage, "sh", "-c", $"echo {where} > /data/where.txt" });
        }

        using var ps = new PsSession(engine);
        ps.Set("v", volume);
        ps.Set("other", other.Uri);
        string archive = engine.NewPath("volume.tar");
        ps.Set("archive", archive);
        ps.Run("$vol = Get-DockerVolume -DockerHost $other -Name $v").AssertNoErrors();
        ps.Run("$vol | Backup-DockerVolume -Path $archive").AssertNoErrors();
        Assert.Equal("second", TarFileText(archive, "volume/where.txt"));

        // Restored into the piped volume, on its own engine: the main engine's volume of the same name keeps its file.
        other.Docker("run", "--rm", "--label", engine.Label, "-v", volume + ":/data", EngineFixture.BaseImage, "sh", "-c", "echo changed > /data/where.txt");
        ps.Run("$vol | Restore-DockerVolume -Path $archive -Force").AssertNoErrors();
        Func<Func<string[], string>, string> fileIn = docker =>
            docker(new[] { "run", "--rm", "--label", engine.Label, "-v", volume + ":/data", EngineFixture.BaseImage, "cat", "/data/where.txt" });
        Assert.Equal("second", fileIn(other.Docker));
        Assert.Equal("main", fileIn(Shell.Docker));

        ps.Run("$vol | Remove-DockerVolume -Force").AssertNoErrors();
        Assert.False(other.DockerSucceeds("volume", "inspect", volume));
        Assert.True(Shell.DockerSucceeds("volume", "inspect", volume));
    }

    // ---- Piped lines are standard input ----

    [Fact]
    public void PipedLines_ToExecWithANamedContainer_AreTheCommandsStandardInput()
    {
        string name = RunningContainer();
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var result = ps.Run("'a', 'b', 3 | Invoke-DockerExec -Container $n -Command sh, -c, 'cat > /tmp/stdin.txt; cat /tmp/stdin.txt'");
        result.AssertNoErrors();
        Assert.Equal(new object[] { "a", "b", "3" }, result.Output.Select(o => o.BaseObject));
        Assert.Equal("a\nb\n3", Shell.Docker("exec", name, "cat", "/tmp/stdin.txt"));
        Assert.Equal(0, ps.Get("LASTEXITCODE"));

        // One run for all the lines, as for a native command, also when nothing is piped.
        var empty = ps.Run("@() | Invoke-DockerExec $n sh, -c, 'cat; echo end'");
        empty.AssertNoErrors();
        Assert.Equal(new object[] { "end" }, empty.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void PipedObjectsNamingAContainer_AreTheTarget_NotStandardInput()
    {
        string name = RunningContainer();
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var byProperty = ps.Run("[pscustomobject]@{ Name = $n } | Invoke-DockerExec -Command sh, -c, 'cat; hostname'");
        byProperty.AssertNoErrors();
        Assert.Equal(Shell.Docker("exec", name, "hostname"), Assert.Single(byProperty.Output).BaseObject);

        var byObject = ps.Run("Get-DockerContainer -Name $n | Invoke-DockerExec -Command sh, -c, 'cat; echo done' -Input 'given'");
        byObject.AssertNoErrors();
        Assert.Equal(new object[] { "given", "done" }, byObject.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Help_StatesTheExitCodes_AndWhichPipelineInputIsStandardInput()
    {
        foreach (string cmdlet in new[] { "Invoke-DockerExec", "Invoke-DockerContainer" })
        {
            using var ps = new PsSession(engine);
            ps.Run($"Get-Help {cmdlet} -Full | Out-Default").AssertNoErrors();
            string help = ps.Rendered;
            Assert.Contains("125", help, StringComparison.Ordinal);
            Assert.Contains("126", help, StringComparison.Ordinal);
            Assert.Contains("127", help, StringComparison.Ordinal);
            Assert.Contains("standard input", help, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Runs the script after setting $LASTEXITCODE to 0; asserts the code and the one error's id.</summary>
    private void AssertExit(string script, int expected, string errorId)
    {
        using var ps = new PsSession(engine);
        ErrorRecord error;
        try
        {
            var result = ps.Run("$global:LASTEXITCODE = 0; " + script);
            error = Assert.Single(result.Errors);
        }
        catch (RuntimeException terminating)
        {
            error = terminating.ErrorRecord;
        }

        Assert.True(errorId == error.FullyQualifiedErrorId.Split(',')[0], $"{script}: error {error.FullyQualifiedErrorId}: {error}");
        Assert.True(expected.Equals(ps.Get("LASTEXITCODE")), $"{script}: $LASTEXITCODE is {ps.Get("LASTEXITCODE")}, docker gives {expected}");
    }

    private string RunningContainer()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("exec");
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "600");
        return name;
    }

    /// <summary>A running container of one name on both engines, each telling which engine it is on.</summary>
    private (string Name, SecondEngine Other) Twins()
    {
        engine.EnsureBaseImage();
        SecondEngine other = engine.Second;
        string name = engine.NewName("twin");
        foreach (var (where, docker) in new (string, Func<string[], string>)[] { ("main", Shell.Docker), ("second", other.Docker) })
        {
            docker(new[]
            {
                "run", "-d", "--name", name, "--label", engine.Label, "--hostname", where + "-twin", EngineFixture.BaseImage,
                "sh", "-c", $"echo {where} > /twin.txt; hostname; sleep 600",
            });
        }

        return (name, other);
    }

    private static string TarFileText(string tarPath, string entryName)
    {
        using var reader = new TarReader(File.OpenRead(tarPath));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') == entryName && entry.DataStream != null)
            {
                return new StreamReader(entry.DataStream).ReadToEnd().Trim();
            }
        }

        throw new InvalidOperationException($"{entryName} is not in {tarPath}");
    }
}
