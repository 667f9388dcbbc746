namespace DockerPS.Tests.Infrastructure;

/// <summary>
/// A second engine (tests/engine/start-second-engine.sh: its own dockerd in a network namespace of its own), for the
/// rule that a piped object is acted on at the engine it came from. Started on first use and left running, like the
/// main one; it gets the busybox test image, and the fixture removes what the run made on it at the end.
/// </summary>
public sealed class SecondEngine
{
    internal SecondEngine(EngineFixture engine)
    {
        var (code, stdout, stderr) = Shell.Run("bash", Path.Combine(engine.RepoRoot, "tests", "engine", "start-second-engine.sh"));
        if (code != 0)
        {
            throw new InvalidOperationException("The second engine did not start: " + stderr);
        }

        Uri = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Trim();
        engine.RemoveLeftovers(all: Environment.GetEnvironmentVariable("DOCKERPS_TEST_SHARED_ENGINE") != "1", Uri);

        // The very image of the main engine (same id and run label), so the tests can compare the two engines.
        engine.EnsureBaseImage();
        var (saved, _, error) = Shell.Run("bash", "-c",
            $"set -o pipefail; docker save {EngineFixture.BaseImage} | docker -H {Uri} load -q");
        if (saved != 0)
        {
            throw new InvalidOperationException("The test image could not be put on the second engine: " + error);
        }
    }

    /// <summary>The engine's address, unix:///… .</summary>
    public string Uri { get; }

    /// <summary>Runs the docker CLI against this engine and returns its output; a failure is an exception.</summary>
    public string Docker(params string[] args) => Shell.Docker(new[] { "-H", Uri }.Concat(args).ToArray());

    /// <summary>True when the docker CLI succeeds against this engine.</summary>
    public bool DockerSucceeds(params string[] args) => Shell.DockerSucceeds(new[] { "-H", Uri }.Concat(args).ToArray());
}
