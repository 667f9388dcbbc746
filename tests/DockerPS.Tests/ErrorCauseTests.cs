using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace DockerPS.Tests;

/// <summary>Every error names its real cause, with its own id, and advises the parameter that was really given.</summary>
[Collection(EngineCollection.Name)]
public sealed class ErrorCauseTests
{
    private readonly EngineFixture engine;

    public ErrorCauseTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void AmbiguousContainerIdPrefix_IsContainerIdAmbiguous_AndNamesTheMatches()
    {
        engine.EnsureBaseImage();
        var (prefix, first, second) = TwoSharingAFirstDigit(() =>
        {
            string name = engine.NewName("prefix");
            return (name, Shell.Docker("create", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300"));
        });
        using var ps = new PsSession(engine);
        foreach (string command in new[] { $"Stop-DockerContainer -Id {prefix}", $"Remove-DockerContainer -Id {prefix} -Force" })
        {
            ErrorRecord error = Assert.Single(ps.Run(command).Errors);
            Assert.Equal("ContainerIdAmbiguous", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(prefix, error.TargetObject);
            Assert.Contains($"'{prefix}'", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains($"{first.Id[..12]} ({first.Name})", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains($"{second.Id[..12]} ({second.Name})", error.Exception.Message, StringComparison.Ordinal);
        }

        Assert.True(EngineFixture.ContainerExists(first.Id));
        Assert.True(EngineFixture.ContainerExists(second.Id));
    }

    [Fact]
    public void AmbiguousImageIdPrefix_IsImageIdAmbiguous_NotImageNotFound()
    {
        engine.EnsureBaseImage();
        string source = engine.NewName("commit-source");
        Shell.Docker("create", "--name", source, "--label", engine.Label, EngineFixture.BaseImage, "true");
        var (prefix, first, second) = TwoSharingAFirstDigit(() =>
        {
            // Each commit gets its own config, so its own id; the run's label lets the fixture remove it.
            string reference = $"dockerps-test/prefix:{engine.RunId}-{Guid.NewGuid().ToString("N")[..6]}";
            string id = Shell.Docker("commit", "--change", $"LABEL {engine.Label}", "--change", $"LABEL unique={Guid.NewGuid():N}", source, reference);
            return (reference, id.Replace("sha256:", string.Empty, StringComparison.Ordinal));
        });
        using var ps = new PsSession(engine);
        ErrorRecord error = Assert.Single(ps.Run($"Remove-DockerImage -Id {prefix} -Force").Errors);
        Assert.Equal("ImageIdAmbiguous", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(prefix, error.TargetObject);
        Assert.Contains($"{first.Id[..12]} ({first.Name})", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains($"{second.Id[..12]} ({second.Name})", error.Exception.Message, StringComparison.Ordinal);
        Assert.True(EngineFixture.ImageExists(first.Name));
        Assert.True(EngineFixture.ImageExists(second.Name));

        // A hex name that matches no image at all is still not found.
        Assert.Equal("ImageNotFound", Assert.Single(ps.Run("Remove-DockerImage -Id fedcba9876543210fedc -Force").ErrorIds));
    }

    [Fact]
    public void AmbiguousNetworkIdPrefix_IsNetworkIdAmbiguous_AndNamesTheMatches()
    {
        var (prefix, first, second) = TwoSharingAFirstDigit(() =>
        {
            string name = engine.NewName("prefix-net");
            return (name, Shell.Docker("network", "create", "--internal", "--label", engine.Label, name));
        });
        using var ps = new PsSession(engine);
        ErrorRecord error = Assert.Single(ps.Run($"Remove-DockerNetwork -Id {prefix} -Confirm:$false").Errors);
        Assert.Equal("NetworkIdAmbiguous", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains($"{first.Id[..12]} ({first.Name})", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains($"{second.Id[..12]} ({second.Name})", error.Exception.Message, StringComparison.Ordinal);
        Assert.True(Shell.DockerSucceeds("network", "inspect", first.Name));
        Assert.True(Shell.DockerSucceeds("network", "inspect", second.Name));
    }

    [Fact]
    public void UnknownNetworkDriver_IsRefusedBeforeTheEngineWaitsForAPlugin_ListingTheEngineDrivers()
    {
        string name = engine.NewName("driverless");
        string driver = "dockerps-no-such-driver-" + engine.RunId;
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ErrorRecord error = Assert.Single(ps.Run($"New-DockerNetwork -Name $n -Driver {driver} -Label $label").Errors);
        Assert.Equal("NetworkDriverNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(driver, error.TargetObject);
        Assert.Contains($"no network driver '{driver}'", error.Exception.Message, StringComparison.Ordinal);
        foreach (string known in Shell.Docker("info", "--format", "{{range .Plugins.Network}}{{.}} {{end}}").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Contains(known, error.Exception.Message, StringComparison.Ordinal);
        }

        Assert.False(Shell.DockerSucceeds("network", "inspect", name));

        // The engine was never asked: it logs each wait for a plugin it cannot find (15 s of them).
        string log = Environment.GetEnvironmentVariable("DOCKERPS_ENGINE_LOG") ?? "/var/log/dockerps-dockerd.log";
        Assert.True(File.Exists(log), $"the engine log {log} is where start-engine.sh writes it");
        Assert.DoesNotContain($"Unable to locate plugin: {driver}", File.ReadAllText(log), StringComparison.Ordinal);
    }

    [Fact]
    public void RenameToATakenName_AdvisesNewName()
    {
        engine.EnsureBaseImage();
        string first = engine.NewName("rename-first");
        string second = engine.NewName("rename-second");
        Shell.Docker("create", "--name", first, "--label", engine.Label, EngineFixture.BaseImage, "true");
        Shell.Docker("create", "--name", second, "--label", engine.Label, EngineFixture.BaseImage, "true");
        using var ps = new PsSession(engine);
        ErrorRecord error = Assert.Single(ps.Run($"Rename-DockerContainer -Container {first} -NewName {second}").Errors);
        Assert.Equal("ContainerNameInUse", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("another -NewName", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-Name,", error.Exception.Message, StringComparison.Ordinal);
        Assert.True(EngineFixture.ContainerExists(first));

        // New-DockerContainer names its own parameter.
        ErrorRecord create = Assert.Single(ps.Run($"New-DockerContainer -Image {EngineFixture.BaseImage} -Name {second} -Label $label").Errors);
        Assert.Equal("ContainerNameInUse", create.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("another -Name,", create.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PullWithAWrongCredential_SaysTheGivenCredentialWasRefused()
    {
        var registries = engine.Registries();
        engine.EnsureBaseImage();
        string registry = registries["AUTH_REGISTRY"];
        string remote = $"{registry}/dockerps-test/credential:{engine.RunId}";
        Shell.Docker("tag", EngineFixture.BaseImage, remote);
        using var ps = new PsSession(engine);
        ps.Set("remote", remote);
        ps.Set("user", registries["AUTH_USER"]);
        ps.Set("password", File.ReadAllText(registries["AUTH_PASSWORD_FILE"]).Trim());
        const string Credential = "function New-TestCredential([string] $secret) { $s = [Security.SecureString]::new(); $secret.ToCharArray() | ForEach-Object { $s.AppendChar($_) }; [pscredential]::new($user, $s) }; ";
        string? config = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        try
        {
            // No docker CLI login may stand in for the missing credential below.
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", Directory.CreateDirectory(engine.NewPath("emptycfg")).FullName);
            ps.Run(Credential + "Publish-DockerImage -Name $remote -Credential (New-TestCredential $password)").AssertNoErrors();
            Shell.Docker("rmi", remote);

            ErrorRecord error = Assert.Single(ps.Run(Credential + "Request-DockerImage -Name $remote -Credential (New-TestCredential 'not-the-password')").Errors);
            Assert.Equal("RegistryCredentialRefused", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Equal(remote, error.TargetObject);
            Assert.Contains($"the credential of '{registries["AUTH_USER"]}' given with -Credential", error.Exception.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("or pass -Credential", error.Exception.Message, StringComparison.Ordinal);
            Assert.False(EngineFixture.ImageExists(remote));

            // Push says the same; with no credential at all, the advice is to give one.
            Shell.Docker("tag", EngineFixture.BaseImage, remote);
            ErrorRecord push = Assert.Single(ps.Run(Credential + "Publish-DockerImage -Name $remote -Credential (New-TestCredential 'not-the-password')").Errors);
            Assert.Equal("RegistryCredentialRefused", push.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("given with -Credential", push.Exception.Message, StringComparison.Ordinal);
            ErrorRecord none = Assert.Single(ps.Run("Publish-DockerImage -Name $remote").Errors);
            Assert.Equal("RegistryAccessDenied", none.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("or pass -Credential", none.Exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", config);
            Shell.Run("docker", "rmi", remote);
        }
    }

    [Fact]
    public void SaveOfAMissingImage_WarnsThatItWasNotFound_NotThatNoneWasGiven()
    {
        string path = engine.NewPath("missing.tar");
        using var ps = new PsSession(engine);
        ps.Set("p", path);
        var result = ps.Run("Save-DockerImage -Name dockerps-test/no-such-image:1 -Path $p");
        Assert.Equal("ImageNotFound", Assert.Single(result.ErrorIds));
        string warning = Assert.Single(result.Warnings);
        Assert.Contains("could be found", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("no image was given", warning, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void SizesTooLargeForTheEngine_SayTooLarge_WithTheMaximum()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("huge");
        string existing = engine.NewName("limited");
        Shell.Docker("create", "--name", existing, "--label", engine.Label, "--memory", "64m", EngineFixture.BaseImage, "true");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        ps.Set("e", existing);
        foreach (string command in new[]
        {
            $"New-DockerContainer -Image {EngineFixture.BaseImage} -Name $n -Label $label -Memory 99999PB",
            "Update-DockerContainer -Name $e -Memory '99999p'",
            "Update-DockerContainer -Name $e -MemorySwap 99999PB",
            "Update-DockerContainer -Name $e -MemoryReservation 99999999TB",
        })
        {
            ErrorRecord error = Assert.Single(ps.Run(command).Errors);
            Assert.Equal("SizeTooLarge", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("too large", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Exception.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("at least one byte", error.Exception.Message, StringComparison.Ordinal);
        }

        Assert.False(EngineFixture.ContainerExists(name));
        Assert.Equal((64L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), Shell.Docker("inspect", "--format", "{{.HostConfig.Memory}}", existing));
    }

    [Fact]
    public void HostNameThatDoesNotResolve_IsDockerHostNameNotResolved_InOneSentence()
    {
        // A label over 63 characters: the resolver refuses the name itself, so no query leaves the machine.
        string host = new string('x', 70) + ".invalid";
        using var ps = new PsSession(engine);
        ErrorRecord error = Assert.Single(ps.Run($"Get-DockerContainer -DockerHost tcp://{host}:2375").Errors);
        Assert.Equal("DockerHostNameNotResolved", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains($"'{host}' did not resolve", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PortWithNothingListening_IsUnreachable_SayingNothingListens()
    {
        int port = FreePort();
        using var ps = new PsSession(engine);
        ErrorRecord error = Assert.Single(ps.Run($"Get-DockerImage -DockerHost tcp://127.0.0.1:{port}").Errors);
        Assert.Equal("DockerHostUnreachable", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("Nothing accepts connections", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusedPrompt_IsPowerShellsOwnError_FromEveryCmdlet()
    {
        // The session's host refuses prompts as pwsh -NonInteractive does: with PSInvalidOperationException.
        engine.EnsureBaseImage();
        string container = engine.NewName("prompted");
        Shell.Docker("create", "--name", container, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        string volume = engine.NewName("prompted-vol");
        Shell.Docker("volume", "create", "--label", engine.Label, volume);
        string network = engine.NewName("prompted-net");
        Shell.Docker("network", "create", "--internal", "--label", engine.Label, network);
        string image = $"dockerps-test/prompted:{engine.RunId}";
        Shell.Docker("tag", EngineFixture.BaseImage, image);
        using var ps = new PsSession(engine);
        foreach (string command in new[]
        {
            $"Remove-DockerContainer -Name {container}",
            $"Start-DockerContainer -Name {container} -Confirm",
            $"Rename-DockerContainer -Container {container} -NewName x{container} -Confirm",
            $"Remove-DockerImage -Name {image}",
            $"Remove-DockerVolume -Name {volume}",
            $"Remove-DockerNetwork -Name {network}",
            $"Connect-DockerNetwork -Network {network} -Container {container} -Confirm",
        })
        {
            ErrorRecord error = Assert.Single(ps.Run(command).Errors);
            Assert.IsType<PSInvalidOperationException>(error.Exception);
            Assert.StartsWith("InvalidOperation,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        }

        Assert.Equal("created", EngineFixture.ContainerState(container));
        Assert.True(EngineFixture.ImageExists(image));
        Assert.True(Shell.DockerSucceeds("volume", "inspect", volume));
        Assert.DoesNotContain(network, Shell.Docker("inspect", "--format", "{{json .NetworkSettings.Networks}}", container), StringComparison.Ordinal);
        Shell.Docker("rmi", image);
    }

    [Fact]
    public void EngineThatSpeaksOnlyTls_IsDockerHostRequiresTls()
    {
        // The TLS registry is a Go HTTPS server too: it answers plain HTTP with a 400, as dockerd does.
        string goTls = engine.Registries()["AUTH_REGISTRY"];

        // A bare TLS listener just drops a connection that does not start with a handshake.
        string certificate = engine.NewPath("tls-cert.pem");
        string key = engine.NewPath("tls-key.pem");
        var (code, _, stderr) = Shell.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "1", "-subj", "/CN=127.0.0.1");
        Assert.True(code == 0, stderr);
        using var serverCertificate = X509Certificate2.CreateFromPemFile(certificate, key);
        using var listener = new TlsOnlyListener(serverCertificate);

        // And a real engine with --tlsverify, in a network namespace of its own.
        using var tlsEngine = new TlsEngine(engine);

        using var ps = new PsSession(engine);
        foreach (string endpoint in new[] { tlsEngine.Endpoint, $"tcp://{goTls}", $"tcp://127.0.0.1:{listener.Port}" })
        {
            ErrorRecord error = Assert.Single(ps.Run($"Get-DockerContainer -DockerHost {endpoint}").Errors);
            Assert.Equal("DockerHostRequiresTls", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Equal(endpoint, error.TargetObject);
            Assert.Contains("speaks only TLS", error.Exception.Message, StringComparison.Ordinal);
        }

        Assert.True(listener.PlainRequests > 0, "the module spoke plain HTTP to the TLS listener first");
    }

    [Fact]
    public void TlsVerifyInTheEnvironment_NeverSpeaksPlainHttpToAnExplicitTcpHost()
    {
        string? verify = Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_TLS_VERIFY", "1");
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var ps = new PsSession(engine);
            ErrorRecord error = Assert.Single(ps.Run($"Get-DockerContainer -DockerHost tcp://127.0.0.1:{port}").Errors);
            Assert.Equal("DockerTlsVerifyNotSupported", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("DOCKER_TLS_VERIFY", error.Exception.Message, StringComparison.Ordinal);
            Assert.False(listener.Pending(), "nothing connected to the tcp:// host");

            // The unix socket has no TLS to ask for: it still works.
            ps.Run("Get-DockerContainer -DockerHost unix:///var/run/docker.sock").AssertNoErrors();
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_TLS_VERIFY", verify);
            listener.Stop();
        }
    }

    /// <summary>Makes objects until two share the first hex digit of their ids: that digit, and the two (name, id).</summary>
    private static (string Prefix, (string Name, string Id) First, (string Name, string Id) Second) TwoSharingAFirstDigit(Func<(string Name, string Id)> make)
    {
        var byDigit = new Dictionary<char, (string Name, string Id)>();
        for (int i = 0; i < 17; i++)
        {
            var made = make();
            if (byDigit.TryGetValue(made.Id[0], out var earlier))
            {
                return (made.Id[..1], earlier, made);
            }

            byDigit[made.Id[0]] = made;
        }

        throw new InvalidOperationException("Seventeen ids cannot all start with different hex digits.");
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>
    /// A dockerd that speaks only TLS (--tlsverify, certificates made by openssl here), in a network namespace made here
    /// and reached through a veth pair; its own data and exec roots, no bridge and no iptables rules.
    /// </summary>
    private sealed class TlsEngine : IDisposable
    {
        private readonly string folder;
        private readonly string netns;
        private Process? daemon;

        public TlsEngine(EngineFixture engine)
        {
            folder = Directory.CreateDirectory(engine.NewPath("tls-engine")).FullName;
            netns = "dockerps-tls-" + engine.RunId;
            int block = Random.Shared.Next(0, 64) * 4;
            string subnet = $"10.254.{Random.Shared.Next(0, 256)}.";
            string address = subnet + (block + 2);
            Endpoint = $"tcp://{address}:2376";
            try
            {
                Start(engine.RunId[..6], subnet, block, address);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public string Endpoint { get; }

        public void Dispose()
        {
            if (daemon != null)
            {
                if (!daemon.HasExited)
                {
                    Shell.Run("kill", "-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    if (!daemon.WaitForExit(TimeSpan.FromSeconds(20)))
                    {
                        daemon.Kill(true);
                        daemon.WaitForExit();
                    }
                }

                daemon.Dispose();
                daemon = null;
            }

            // Deleting the namespace deletes its end of the veth pair, and with it the host's end.
            Shell.Run("ip", "netns", "del", netns);
            try
            {
                Directory.Delete(folder, true);
            }
            catch (IOException)
            {
                // The fixture's temporary folder goes at the end of the run.
            }
        }

        private void Start(string id, string subnet, int block, string address)
        {
            Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", In("ca-key.pem"), "-out", In("ca.pem"), "-days", "1", "-subj", "/CN=DockerPS test engine CA");
            Run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", In("key.pem"), "-out", In("server.csr"), "-subj", $"/CN={address}");
            File.WriteAllText(In("san.cnf"), $"subjectAltName=IP:{address}\n");
            Run("openssl", "x509", "-req", "-in", In("server.csr"), "-CA", In("ca.pem"), "-CAkey", In("ca-key.pem"), "-CAcreateserial", "-out", In("cert.pem"), "-days", "1", "-extfile", In("san.cnf"));
            File.WriteAllText(In("daemon.json"), "{}");

            string link = "dpt" + id;
            Run("ip", "netns", "add", netns);
            Run("ip", "link", "add", link + "h", "type", "veth", "peer", "name", link + "n");
            Run("ip", "link", "set", link + "n", "netns", netns);
            Run("ip", "addr", "add", $"{subnet}{block + 1}/30", "dev", link + "h");
            Run("ip", "link", "set", link + "h", "up");
            Run("ip", "netns", "exec", netns, "ip", "addr", "add", $"{address}/30", "dev", link + "n");
            Run("ip", "netns", "exec", netns, "ip", "link", "set", link + "n", "up");

            // nsenter switches only the network namespace, so the daemon still sees the host's cgroups; exec keeps its pid.
            var start = new ProcessStartInfo("bash") { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"exec nsenter --net=/run/netns/{netns} dockerd --config-file '{In("daemon.json")}' --bridge=none --iptables=false " +
                $"--ip-forward=false --ip-masq=false -H {Endpoint} --tlsverify --tlscacert '{In("ca.pem")}' --tlscert '{In("cert.pem")}' " +
                $"--tlskey '{In("key.pem")}' --data-root '{In("data")}' --exec-root '{In("exec")}' --pidfile '{In("docker.pid")}' > '{In("dockerd.log")}' 2>&1");
            daemon = Process.Start(start)!;

            var waited = Stopwatch.StartNew();
            while (!File.Exists(In("dockerd.log")) || !File.ReadAllText(In("dockerd.log")).Contains("API listen on", StringComparison.Ordinal))
            {
                if (daemon.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException("The TLS engine did not start:\n" + (File.Exists(In("dockerd.log")) ? File.ReadAllText(In("dockerd.log")) : string.Empty));
                }

                Thread.Sleep(200);
            }
        }

        private static void Run(string file, params string[] args)
        {
            var (code, _, stderr) = Shell.Run(file, args);
            if (code != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {stderr}");
            }
        }

        private string In(string name) => Path.Combine(folder, name);
    }

    /// <summary>A TLS server on 127.0.0.1 that speaks nothing else, and counts the connections that did not start with a handshake.</summary>
    private sealed class TlsOnlyListener : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly X509Certificate2 certificate;
        private readonly CancellationTokenSource stop = new();
        private readonly Task accepting;
        private int plainRequests;

        public TlsOnlyListener(X509Certificate2 certificate)
        {
            this.certificate = certificate;
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            accepting = Task.Run(AcceptAsync);
        }

        public int Port { get; }

        public int PlainRequests => Volatile.Read(ref plainRequests);

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            try
            {
                accepting.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The accept loop ends with the listener.
            }

            stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (client)
                    using (var tls = new SslStream(client.GetStream()))
                    {
                        try
                        {
                            // A TLS connection opens with a handshake record (0x16); anything else is plain text.
                            var first = new byte[1];
                            if (await client.Client.ReceiveAsync(first, SocketFlags.Peek) == 1 && first[0] != 0x16)
                            {
                                Interlocked.Increment(ref plainRequests);
                            }

                            await tls.AuthenticateAsServerAsync(certificate);
                        }
                        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException || ex is IOException || ex is SocketException)
                        {
                            // Plain HTTP, or the module's probe refusing the test certificate: either way the connection ends here.
                        }
                    }
                });
            }
        }
    }
}
