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

    /// <summary>Starts a container of this run with the docker CLI and returns its name.</summary>
    private string StartContainer(string what, params string[] command)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker(new[] { "run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage }.Concat(command).ToArray());
        return name;
    }
}
