using System.Globalization;

namespace DockerPS.Tests;

/// <summary>
/// What the stream and file cmdlets hand back matches what the engine and the docker CLI hold: long log lines whole,
/// log times to the nanosecond, file owners and link times kept, Dockerfiles found as docker build finds them, and a
/// broken engine connection told as such, with nothing left behind.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class StreamFileTrustTests
{
    private readonly EngineFixture engine;

    public StreamFileTrustTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Logs_ALineLongerThan16KiB_ComesBackWhole_AsDockerLogsPrintsIt()
    {
        string name = RunToEnd("longline", "sh", "-c", "head -c 40000 /dev/zero | tr '\\0' x; echo; echo short");
        string[] cli = Shell.Docker("logs", name).Split('\n');
        Assert.Equal(new[] { 40000, 5 }, cli.Select(l => l.Length));

        // The engine itself stores the long line as partial messages, each with its own time.
        string[] cliStamped = Shell.Docker("logs", "-t", name).Split('\n');
        Assert.True(cliStamped[0].Length > 40031, "the engine no longer splits long lines: " + cliStamped[0].Length);
        string firstStamp = cliStamped[0][..cliStamped[0].IndexOf(' ')];
        string secondStamp = cliStamped[1][..cliStamped[1].IndexOf(' ')];

        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var objects = ps.Run("Get-DockerContainerLog $n");
        objects.AssertNoErrors();
        Assert.Equal(cli, objects.Objects<DockerContainerLogEntry>().Select(e => e.Message));

        var stampedObjects = ps.Run("Get-DockerContainerLog $n -Timestamps");
        stampedObjects.AssertNoErrors();
        var entries = stampedObjects.Objects<DockerContainerLogEntry>().ToList();
        Assert.Equal(cli, entries.Select(e => e.Message));
        Assert.Equal(new[] { firstStamp, secondStamp }, entries.Select(e => e.ToString().Split(' ')[0]));

        var raw = ps.Run("Get-DockerContainerLog $n -Raw");
        raw.AssertNoErrors();
        Assert.Equal(cli, raw.Output.Select(o => (string)o.BaseObject));

        var rawStamped = ps.Run("Get-DockerContainerLog $n -Raw -Timestamps");
        rawStamped.AssertNoErrors();
        Assert.Equal(new[] { firstStamp + " " + cli[0], secondStamp + " " + cli[1] }, rawStamped.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void Logs_SinceAndUntil_KeepNanoseconds_AndTakeUnixSeconds_AsDockerLogsDoes()
    {
        string name = RunToEnd("logtimes", "sh", "-c", "echo one; sleep 1; echo two; sleep 1; echo three");
        string[] stamps = Shell.Docker("logs", "-t", name).Split('\n').Select(l => l[..l.IndexOf(' ')]).ToArray();
        Assert.Equal(3, stamps.Length);
        string twoStamp = stamps[1];
        string twoUnix = UnixText(twoStamp);
        string justBeforeTwo = UnixText(twoStamp, nanosecondsLater: -1);
        string justAfterTwo = UnixText(twoStamp, nanosecondsLater: 1);

        using var ps = new PsSession(engine);
        ps.Set("n", name);
        foreach (var (args, expected) in new[]
        {
            // A time copied from -Timestamps output takes its own line in, as the CLI does.
            ($"--until {twoStamp}", new[] { "one", "two" }),
            ($"--since {twoStamp}", new[] { "two", "three" }),
            ($"--until {twoUnix}", new[] { "one", "two" }),
            ($"--until {justBeforeTwo}", new[] { "one" }),
            ($"--since {justAfterTwo}", new[] { "three" }),
            ($"--since {twoUnix} --until {twoUnix}", new[] { "two" }),
        })
        {
            string[] cliArgs = args.Split(' ');
            Assert.Equal(expected, Shell.Docker(new[] { "logs" }.Concat(cliArgs).Append(name).ToArray()).Split('\n'));
            string script = "Get-DockerContainerLog $n -Raw " + string.Join(' ', cliArgs.Select(a => a.StartsWith("--") ? "-" + char.ToUpper(a[2]) + a[3..] : $"'{a}'"));
            var result = ps.Run(script);
            result.AssertNoErrors();
            Assert.True(expected.SequenceEqual(result.Output.Select(o => (string)o.BaseObject)), $"{script} gave {string.Join(",", result.Output)}");
        }

        // Unquoted Unix seconds are numbers to PowerShell; they mean what they mean to docker logs.
        Assert.Equal(3, ps.Run("Get-DockerContainerLog $n -Raw -Since 1700000000").Output.Count);
        Assert.Empty(ps.Run("Get-DockerContainerLog $n -Raw -Until 1700000000.123456789").Output);
        Assert.Equal(new[] { "InvalidTimeArgument" }, ps.Run("Get-DockerContainerLog $n -Since 7d").ErrorIds);
    }

    /// <summary>An engine time ("2026-01-02T03:04:05.123456789Z") as Unix seconds with nine digits, moved by some nanoseconds.</summary>
    private static string UnixText(string stamp, int nanosecondsLater = 0)
    {
        int dot = stamp.IndexOf('.');
        long seconds = DateTimeOffset.Parse(stamp[..dot] + "Z", CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        long nanos = long.Parse(stamp[(dot + 1)..^1].PadRight(9, '0'), CultureInfo.InvariantCulture) + nanosecondsLater;
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000;
        }

        return $"{seconds + nanos / 1_000_000_000}.{nanos % 1_000_000_000:D9}";
    }

    private string RunToEnd(string what, params string[] command)
    {
        engine.EnsureBaseImage();
        string name = engine.NewName(what);
        Shell.Docker(new[] { "run", "--name", name, "--label", engine.Label, EngineFixture.BaseImage }.Concat(command).ToArray());
        return name;
    }
}
