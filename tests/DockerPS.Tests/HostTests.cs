using System.Management.Automation;

namespace DockerPS.Tests;

[Collection(EngineCollection.Name)]
public sealed class HostTests
{
    private readonly EngineFixture engine;

    public HostTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Objects_CarryTheirHost_WithTheNegotiatedApiVersion()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        var image = Assert.Single(ps.Run("Get-DockerImage dockerps-test/busybox").Objects<DockerImage>());
        string engineApi = Shell.Docker("version", "--format", "{{.Server.APIVersion}}");
        Assert.Equal(Version.Parse(engineApi), image.DockerHost.ApiVersion);
        Assert.Equal(Shell.Docker("version", "--format", "{{.Server.Version}}"), image.DockerHost.EngineVersion);
        Assert.Equal(DockerHostSource.Default, image.DockerHost.Source);

        // -DockerHost takes a URI string, a bare socket path, or a DockerHost object.
        ps.Set("h", image.DockerHost);
        foreach (string host in new[] { "'unix:///var/run/docker.sock'", "/var/run/docker.sock", "$h" })
        {
            var result = ps.Run($"Get-DockerImage dockerps-test/busybox -DockerHost {host}");
            result.AssertNoErrors();
            Assert.Equal(image.Id, Assert.Single(result.Objects<DockerImage>()).Id);
        }

        var bad = ps.Run("Get-DockerImage -DockerHost 'ftp://example'");
        Assert.StartsWith("CannotConvertArgument", Assert.Single(bad.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("ftp", bad.Errors[0].Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostObject_StaysAsMade_WhileResultsShowTheNegotiatedEngine()
    {
        engine.EnsureBaseImage();
        using var ps = new PsSession(engine);
        var result = ps.Run("$h = [DockerPS.DockerHost]'unix:///var/run/docker.sock'; Get-DockerImage dockerps-test/busybox -DockerHost $h; $h");
        result.AssertNoErrors();
        var image = Assert.Single(result.Objects<DockerImage>());
        var made = Assert.Single(result.Objects<DockerHost>());

        // The connection negotiated with the engine; the caller's object was not written to.
        Assert.Null(made.ApiVersion);
        Assert.Null(made.EngineVersion);
        Assert.Null(made.OSType);
        Assert.Equal(Version.Parse(Shell.Docker("version", "--format", "{{.Server.APIVersion}}")), image.DockerHost.ApiVersion);
        Assert.Equal(Shell.Docker("version", "--format", "{{.Server.Os}}"), image.DockerHost.OSType);
        Assert.Equal(DockerHostSource.Parameter, image.DockerHost.Source);
        Assert.Equal(made, image.DockerHost);

        // Nothing outside the module can change a host: every property is read-only.
        Assert.All(typeof(DockerHost).GetProperties(), p => Assert.Null(p.SetMethod));
    }

    [Fact]
    public void DockerHostEnvironmentVariable_ChoosesTheDefaultEngine()
    {
        string? before = Environment.GetEnvironmentVariable("DOCKER_HOST");
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", "unix:///tmp/dockerps-env-missing.sock");
            using var ps = new PsSession(engine);
            var result = ps.Run("Get-DockerContainer");
            var error = Assert.Single(result.Errors);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("/tmp/dockerps-env-missing.sock", error.Exception.Message, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable("DOCKER_HOST", "unix:///var/run/docker.sock");
            var works = ps.Run("Get-DockerContainer");
            works.AssertNoErrors();
            Assert.All(works.Objects<DockerContainer>(), c => Assert.Equal(DockerHostSource.Environment, c.DockerHost.Source));
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", before);
        }
    }

    [Fact]
    public void TlsFromTheEnvironment_IsRefusedClearly_NotSpokenInPlainText()
    {
        string? host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        string? verify = Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY");
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", "tcp://127.0.0.1:2376");
            Environment.SetEnvironmentVariable("DOCKER_TLS_VERIFY", "1");
            using var ps = new PsSession(engine);
            var error = Assert.Single(ps.Run("Get-DockerImage").Errors);
            Assert.Equal("DockerTlsVerifyNotSupported", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
            Assert.Contains("DOCKER_TLS_VERIFY", error.Exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", host);
            Environment.SetEnvironmentVariable("DOCKER_TLS_VERIFY", verify);
        }
    }
}
