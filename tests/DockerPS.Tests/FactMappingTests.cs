using System.Management.Automation;
using System.Net.Sockets;
using DockerPS.Archives;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Tests;

/// <summary>
/// Client's facts become the ErrorRecords users know: each fault its own id, category and target, in the words the
/// engine tests check. Pure C#: the engine cannot be made to give every one of these on demand (an engine too old, a
/// registry that refuses a login).
/// </summary>
public sealed class FactMappingTests
{
    public static TheoryData<string, string, ErrorCategory, string, string> Cases => new()
    {
        { "host too old", ErrorIds.EngineTooOld, ErrorCategory.NotImplemented, "tcp://old:2375", "speaks Engine API 1.40; DockerPS needs 1.41" },
        { "host https", ErrorIds.HostNotSupported, ErrorCategory.NotImplemented, "https://h:2376", "asks for TLS" },
        { "host tls verify", ErrorIds.TlsVerifyNotSupported, ErrorCategory.NotImplemented, "tcp://h:2376", "DOCKER_TLS_VERIFY is set" },
        { "host no socket", ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, "unix:///nope.sock", "No Docker engine socket at /nope.sock" },
        { "host refused", ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, "tcp://h:1", "Nothing accepts connections at tcp://h:1" },
        { "host not an engine", ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, "tcp://h:80", "refused the version request (404: page not found)" },
        { "login refused", ErrorIds.RegistryLoginFailed, ErrorCategory.PermissionDenied, "localhost:5000", "refused the credential of 'ann'" },
        { "push denied with session login", ErrorIds.RegistryCredentialRefused, ErrorCategory.PermissionDenied, "localhost:5000/app:1", "kept by Connect-DockerRegistry" },
        { "pull denied", ErrorIds.RegistryAccessDenied, ErrorCategory.PermissionDenied, "localhost:5000/app:1", "Log in first with Connect-DockerRegistry, or pass -Credential" },
        { "network missing for create", ErrorIds.NetworkNotFound, ErrorCategory.ObjectNotFound, "backend", "pass an existing network to -Network" },
        { "volume in use", ErrorIds.VolumeInUse, ErrorCategory.ResourceUnavailable, "data", "is in use by web, so it was not removed. Remove that container first" },
        { "copy folder missing in container", ErrorIds.CopyDestinationInvalid, ErrorCategory.ObjectNotFound, "web:/missing", "Invoke-DockerExec web mkdir -p /missing" },
        { "build failed", ErrorIds.ImageBuildFailed, ErrorCategory.InvalidResult, "app:1", "failed at Step 2/3: no such file" },
        { "not a backup", ErrorIds.InvalidVolumeBackup, ErrorCategory.InvalidData, "/tmp/b.tar", "is not a volume backup: it is not a whole tar archive: cut short" },
        { "stream broke while writing a file", ErrorIds.EngineConnectionBroken, ErrorCategory.ReadError, "/tmp/i.tar", "Nothing was written at '/tmp/i.tar'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AFact_MapsToItsId_Category_Target_AndWords(string fact, string id, ErrorCategory category, string target, string words)
    {
        DockerPSException mapped = ErrorMapper.ToDockerPSException(Make(fact), "ignored", ResourceKind.Engine);
        Assert.Equal(id, mapped.ErrorId);
        Assert.Equal(category, mapped.Category);
        Assert.Equal(target, mapped.Target);
        Assert.Contains(words, mapped.Message, StringComparison.Ordinal);
    }

    /// <summary>Every fault of every fact has a mapping of its own: none falls through to the catch-all.</summary>
    [Fact]
    public void EveryFault_HasItsOwnMapping_AndKeepsTheSubjectAsTarget()
    {
        var facts = new List<EngineFactException>();
        var inner = new SocketException((int)SocketError.ConnectionRefused);
        facts.AddRange(Enum.GetValues<HostFault>().Select(f => new EngineHostException(f, "tcp://h:1", inner, "no")));
        facts.AddRange(Enum.GetValues<RegistryFault>().Select(f => new RegistryException(f, "r/app:1", "no")));
        facts.AddRange(Enum.GetValues<ObjectFault>().Select(f => new EngineObjectException(f, ResourceKind.Network, "n", "no")));
        facts.AddRange(Enum.GetValues<CopyFault>().Select(f => new CopyException(f, "/p", inner: new IOException("no"))));
        facts.AddRange(Enum.GetValues<ImageStreamFault>().Select(f => new ImageStreamException(f, "i", new[] { "no" })));
        facts.Add(VolumeArchiveException.NotABackup("/b.tar", "no"));
        facts.Add(VolumeArchiveException.RestoreBroken("v", false, new IOException("no")));

        foreach (EngineFactException fact in facts)
        {
            DockerPSException mapped = ErrorMapper.ToDockerPSException(fact, "ignored", ResourceKind.Engine);
            Assert.True(mapped.ErrorId != ErrorIds.EngineError, $"{fact.GetType().Name} {fact.Message} fell through to {mapped.ErrorId}");
            Assert.Equal(fact.Subject, mapped.Target);
            Assert.Equal(fact is EngineHostException, mapped.IsHostFailure);
        }
    }

    [Fact]
    public void OnlyATransportFailure_IsAnEngineThatCannotBeReached()
    {
        const string host = "unix:///var/run/docker.sock";

        // A bug, or an assembly that did not load, keeps its own cause.
        var bug = ErrorMapper.ConnectionFailure(new InvalidOperationException("a bug of ours"), host);
        Assert.NotEqual(ErrorIds.HostUnreachable, bug.ErrorId);
        Assert.Contains("a bug of ours", bug.Message, StringComparison.Ordinal);
        var notLoaded = ErrorMapper.ConnectionFailure(
            new FileNotFoundException("Could not load file or assembly", "Docker.DotNet.Unix, Version=4.3.0.0, Culture=neutral, PublicKeyToken=e628c633e2cf4146"), host);
        Assert.Equal(ErrorIds.AssemblyLoadFailed, notLoaded.ErrorId);

        // A file of the user's that is missing is not an assembly of the module.
        Assert.NotEqual(ErrorIds.AssemblyLoadFailed, ErrorMapper.ToDockerPSException(new FileNotFoundException("missing", "/tmp/images.tar"), "/tmp/images.tar", ResourceKind.Image).ErrorId);

        // The socket still tells an engine that does not listen.
        var refused = ErrorMapper.ConnectionFailure(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)), host);
        Assert.Equal(ErrorIds.HostUnreachable, refused.ErrorId);
        Assert.StartsWith("Nothing accepts connections", refused.Message, StringComparison.Ordinal);
    }

    private static Exception Make(string fact) => fact switch
    {
        "host too old" => new EngineHostException(HostFault.TooOld, "tcp://old:2375") { EngineApi = new Version(1, 40) },
        "host https" => new EngineHostException(HostFault.TlsScheme, "https://h:2376"),
        "host tls verify" => new EngineHostException(HostFault.TlsVerifyAsked, "tcp://h:2376"),
        "host no socket" => new EngineHostException(HostFault.NoSocket, "unix:///nope.sock") { SocketPath = "/nope.sock" },
        "host refused" => new EngineHostException(HostFault.Unreachable, "tcp://h:1", new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))),
        "host not an engine" => new EngineHostException(HostFault.NotAnEngine, "tcp://h:80", null, "page not found") { StatusCode = 404 },
        "login refused" => new RegistryException(RegistryFault.LoginRefused, "localhost:5000", "unauthorized") { Login = Login(RegistryLoginSource.Session) },
        "push denied with session login" => new RegistryException(RegistryFault.Denied, "localhost:5000/app:1", "denied") { Login = Login(RegistryLoginSource.Session) },
        "pull denied" => new RegistryException(RegistryFault.Denied, "localhost:5000/app:1", "denied") { Pull = true },
        "network missing for create" => new EngineObjectException(ObjectFault.MissingForCreate, ResourceKind.Network, "backend", "network backend not found"),
        "volume in use" => new EngineObjectException(ObjectFault.InUse, ResourceKind.Volume, "data", "in use") { Related = new[] { "web" } },
        "copy folder missing in container" => new CopyException(CopyFault.MissingFolder, "/missing", "web"),
        "build failed" => new ImageStreamException(ImageStreamFault.BuildFailed, "app:1", new[] { "no such file." }) { Step = "Step 2/3" },
        "not a backup" => VolumeArchiveException.NotABackup("/tmp/b.tar", "it is not a whole tar archive", new EndOfStreamException("cut short.")),
        _ => new EngineStreamBrokenException(10, new IOException("reset")).WithRemovedFile("/tmp/i.tar"),
    };

    private static RegistryLogin Login(RegistryLoginSource source) =>
        new RegistryLogin("localhost:5000", new System.Net.NetworkCredential("ann", "secret"), source);
}
