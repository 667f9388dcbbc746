using System.Management.Automation;

namespace DockerPS.Tests;

/// <summary>Build-DockerImage against the engine's classic builder.</summary>
[Collection(EngineCollection.Name)]
public sealed class ImageBuildTests
{
    private readonly EngineFixture engine;

    public ImageBuildTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Build_WithCopyRunEnvArgCmdLabel_HonoursDockerignore_AndReturnsTheImage()
    {
        engine.EnsureBaseImage();
        string context = Directory.CreateDirectory(engine.NewPath("ctx")).FullName;
        File.WriteAllText(Path.Combine(context, "Dockerfile"), string.Join('\n',
            $"FROM {EngineFixture.BaseImage}",
            "ARG V=1",
            "ENV GREETING=hello",
            "LABEL stage=test",
            "COPY app/ /app/",
            "RUN echo \"version $V\" > /app/version && ls /app > /app/listing",
            "CMD [\"cat\", \"/app/version\"]",
            string.Empty));
        Directory.CreateDirectory(Path.Combine(context, "app"));
        File.WriteAllText(Path.Combine(context, "app", "main.sh"), "echo main\n");
        File.WriteAllText(Path.Combine(context, "app", "notes.md"), "kept out\n");
        using (var big = File.Create(Path.Combine(context, "app", "big.bin")))
        {
            big.SetLength(64L << 20);
        }

        File.WriteAllText(Path.Combine(context, ".dockerignore"), "# keep the big file and notes out\napp/big.bin\n**/*.md\n");

        using var ps = new PsSession(engine);
        ps.Set("ctx", context);
        var built = ps.Run("Build-DockerImage -Path $ctx -Tag dockerps-test/built:1 -BuildArg @{ V = '2' } -Label @{ 'dockerps.test.run' = $runId } -Verbose");
        built.AssertNoErrors();
        var image = Assert.Single(built.Objects<DockerImage>());
        Assert.Equal(new[] { "dockerps-test/built:1" }, image.RepoTags);
        Assert.Equal(image.Id, EngineFixture.ImageId("dockerps-test/built:1"));
        Assert.Contains("GREETING=hello", image.Env!);
        Assert.Equal("test", image.Labels["stage"]);
        Assert.Equal(new[] { "cat", "/app/version" }, image.Cmd);
        Assert.Equal("version 2", Shell.Docker("run", "--rm", "--label", engine.Label, "dockerps-test/built:1"));
        Assert.Equal("listing\nmain.sh\nversion", Shell.Docker("run", "--rm", "--label", engine.Label, "dockerps-test/built:1", "cat", "/app/listing"));

        // The context the engine received was small: the 64 MiB file stayed out.
        var informationLines = ps.Run("Build-DockerImage -Path $ctx -Tag dockerps-test/built:2 -InformationVariable info | Out-Null; $info | ForEach-Object { $_.MessageData }");
        informationLines.AssertNoErrors();
        var lines = informationLines.Output.Select(o => o.BaseObject.ToString()!).ToList();
        Assert.Contains(lines, l => l.StartsWith("Step 1/7 : FROM", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Step 6/7 : RUN", StringComparison.Ordinal));
        Assert.Contains(ps.Host.ProgressRecords, p => p.Activity == "Building dockerps-test/built:2" && p.StatusDescription.StartsWith("Step ", StringComparison.Ordinal));
        string verbose = string.Join("\n", ps.Rendered.Split('\n').Where(l => l.StartsWith("VERBOSE: Sending build context", StringComparison.Ordinal)));
        var size = System.Text.RegularExpressions.Regex.Match(verbose, @"\(([\d,]+) bytes\)");
        Assert.True(size.Success, ps.Rendered);
        long bytes = long.Parse(size.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(bytes, 1024, 64 * 1024);
        Assert.NotEqual("0", Shell.Run("docker", "run", "--rm", "--label", engine.Label, "dockerps-test/built:1", "test", "-e", "/app/notes.md").ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Build_WithAFailingRun_IsAnErrorNamingTheStep_AndNoImage()
    {
        engine.EnsureBaseImage();
        string context = Directory.CreateDirectory(engine.NewPath("failctx")).FullName;
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {EngineFixture.BaseImage}\nRUN echo fine\nRUN sh -c 'echo broken >&2; exit 3'\nRUN echo never\n");
        using var ps = new PsSession(engine);
        ps.Set("ctx", context);
        var result = ps.Run("Build-DockerImage -Path $ctx -Tag dockerps-test/broken:1 -Label @{ 'dockerps.test.run' = $runId }");
        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal("ImageBuildFailed", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.True(error.Exception.Message.Contains("Step 3/5 : RUN sh -c 'echo broken >&2; exit 3'", StringComparison.Ordinal), error.Exception.Message);
        Assert.Contains("returned a non-zero code: 3", error.Exception.Message, StringComparison.Ordinal);
        Assert.False(EngineFixture.ImageExists("dockerps-test/broken:1"));

        var missing = ps.Run("Build-DockerImage -Path /tmp/dockerps-no-such-context");
        Assert.Equal("BuildContextNotFound", Assert.Single(missing.ErrorIds));
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.Errors[0].CategoryInfo.Category);
        var noDockerfile = ps.Run("Build-DockerImage -Path $ctx -Dockerfile Nope.Dockerfile");
        Assert.Equal("BuildContextNotFound", Assert.Single(noDockerfile.ErrorIds));
    }
}
