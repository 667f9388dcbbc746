using System.Diagnostics;

namespace DockerPS.Tests;

/// <summary>
/// Enter-DockerContainer in a real terminal: the project's console host runs in a tmux session, which the test types
/// into and reads from, as a person at a terminal would.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ContainerInteractiveTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly EngineFixture engine;

    public ContainerInteractiveTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Enter_InARealTerminal_RunsAShell_FollowsTheTerminalSize_AndReturnsItsExitCode()
    {
        string name = StartSleeper("tty");
        using var terminal = new TmuxSession(engine, $"Enter-DockerContainer {name}");

        terminal.WaitFor("/ #");
        terminal.Type("echo typed-$((6*7)); stty size; tty");
        terminal.WaitFor("typed-42");
        terminal.WaitFor("30 100");
        terminal.WaitFor("/dev/pts/");

        terminal.Resize(90, 25);
        terminal.Type("stty size");
        terminal.WaitFor("25 90");

        // Ctrl+C goes to the program in the container, not to the cmdlet.
        terminal.Type("echo sleep$((1+2))ing; sleep 300");
        terminal.WaitFor("sleep3ing");
        terminal.Keys("C-c");
        terminal.Type("echo still-$((1+1))");
        terminal.WaitFor("still-2");

        terminal.Type("exit 5");
        terminal.WaitFor("host exit code 5");
        Assert.Equal("running", EngineFixture.ContainerState(name));
    }

    [Fact]
    public void Enter_Attach_JoinsTheMainProcess_AndDetachesWithCtrlPCtrlQ()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("attach");
        Shell.Docker("run", "-d", "-i", "-t", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sh");
        using (var terminal = new TmuxSession(engine, $"Enter-DockerContainer {name} -Attach"))
        {
            terminal.Type("echo attached-$((2*3)) > /tmp/mark; cat /tmp/mark");
            terminal.WaitFor("attached-6");
            terminal.Keys("C-p", "C-q");
            terminal.WaitFor("host exit code 0");
        }

        Assert.Equal("running", EngineFixture.ContainerState(name));
        Assert.Equal("attached-6", Shell.Docker("exec", name, "cat", "/tmp/mark"));

        using (var terminal = new TmuxSession(engine, $"Enter-DockerContainer {name} -Attach"))
        {
            terminal.Type("exit 3");
            terminal.WaitFor("host exit code 3");
        }

        Assert.Equal("exited", EngineFixture.ContainerState(name));
    }

    private string StartSleeper(string what)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        return name;
    }

    /// <summary>A detached tmux session of 100 x 30 running the DockerPS console host with one command.</summary>
    internal sealed class TmuxSession : IDisposable
    {
        private readonly string session;

        public TmuxSession(EngineFixture engine, string command)
        {
            if (Shell.Run("sh", "-c", "command -v tmux").ExitCode != 0)
            {
                throw new InvalidOperationException("These tests drive a real terminal with tmux: install it (apt-get install tmux).");
            }

            session = "dockerps-" + engine.RunId + "-" + Guid.NewGuid().ToString("N")[..6];
            string host = Path.Combine(AppContext.BaseDirectory, "DockerPS.Host.dll");
            string script = $"dotnet '{host}' -Module '{engine.ModuleManifest}' -Command '{command}'; echo \"host exit code $?\"; sleep 600";
            var (code, _, error) = Shell.Run("tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", script);
            if (code != 0)
            {
                throw new InvalidOperationException("tmux did not start: " + error);
            }
        }

        /// <summary>Types a line and Enter.</summary>
        public void Type(string line)
        {
            Shell.Run("tmux", "send-keys", "-t", session, "-l", line);
            Keys("Enter");
        }

        public void Keys(params string[] keys) => Shell.Run("tmux", new[] { "send-keys", "-t", session }.Concat(keys).ToArray());

        public void Resize(int width, int height) =>
            Shell.Run("tmux", "resize-window", "-t", session, "-x", width.ToString(), "-y", height.ToString());

        /// <summary>Waits until the screen shows the text.</summary>
        public void WaitFor(string text)
        {
            var waited = Stopwatch.StartNew();
            string screen;
            while (!(screen = Shell.Run("tmux", "capture-pane", "-p", "-t", session).StdOut).Contains(text, StringComparison.Ordinal))
            {
                Assert.True(waited.Elapsed < Patience, $"the terminal never showed '{text}'. It shows:\n{screen}");
                Thread.Sleep(100);
            }
        }

        public void Dispose() => Shell.Run("tmux", "kill-session", "-t", session);
    }
}
