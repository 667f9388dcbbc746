# Helpers of the error and isolation tests (BadInput, Errors and Isolation .Tests.ps1): objects
# whose ids share a first digit, a free port, programs of the machine, and a TLS-only listener and engine.
# Dot-source it in BeforeAll, after importing TestSupport.psm1.

$script:ModuleManifest = Get-TestModuleManifest

<#
Calls -Make (which makes one object and returns Name and Id) until two ids share their first hex digit; returns that
digit as Prefix, and the two as First and Second.
#>
function New-TestPairSharingAFirstDigit([Parameter(Mandatory)][scriptblock] $Make) {
    $byDigit = @{}
    for ($i = 0; $i -lt 17; $i++) {
        $made = & $Make
        $digit = $made.Id.Substring(0, 1)
        if ($byDigit.ContainsKey($digit)) {
            return [pscustomobject]@{ Prefix = $digit; First = $byDigit[$digit]; Second = $made }
        }
        $byDigit[$digit] = $made
    }
    throw 'Seventeen ids cannot all start with different hex digits.'
}

<# A TCP port on 127.0.0.1 that nothing listens on. #>
function Get-TestFreePort {
    $probe = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $probe.Start()
    try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
}

<#
Runs a program of the machine (openssl, ip…: the first argument) with the other arguments as they are, and throws with
its standard error when it fails. A plain function, so -out and -subj reach the program untouched.
#>
function Invoke-TestNative {
    $FilePath, $ArgumentList = $args
    $errFile = New-TestPath 'native.err'
    try {
        $out = & $FilePath @ArgumentList 2>$errFile
        if ($LASTEXITCODE -ne 0) {
            throw "$FilePath $($ArgumentList -join ' ') failed ($LASTEXITCODE): $(Get-Content -Raw -LiteralPath $errFile)"
        }
        $out
    }
    finally {
        $global:LASTEXITCODE = 0
        Remove-Item -LiteralPath $errFile -ErrorAction SilentlyContinue
    }
}

<#
A TLS server on 127.0.0.1 that speaks nothing else (the certificate and key are PEM files), and counts the connections
that did not start with a handshake. Has Port and PlainRequests; Dispose() stops it.
#>
function Start-TestTlsOnlyListener {
    param([Parameter(Mandatory)][string] $Certificate, [Parameter(Mandatory)][string] $Key)
    if (-not ('DockerPSTest.TlsOnlyListener' -as [type])) {
        Add-Type -TypeDefinition @'
using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace DockerPSTest
{
    public sealed class TlsOnlyListener : IDisposable
    {
        private readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly X509Certificate2 certificate;
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly Task accepting;
        private int plainRequests;

        public TlsOnlyListener(string certificatePem, string keyPem)
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePem, keyPem);
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
            try { accepting.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            stop.Dispose();
            certificate.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(stop.Token); }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException) { return; }

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
                        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException || ex is IOException || ex is SocketException) { }
                    }
                });
            }
        }
    }
}
'@
    }
    [DockerPSTest.TlsOnlyListener]::new($Certificate, $Key)
}

<#
A dockerd that speaks only TLS (--tlsverify, certificates made here with openssl), in a network namespace of its own
reached through a veth pair; its own data and exec roots, no bridge and no iptables rules. Returns Endpoint
(tcp://address:2376); Stop-TestTlsEngine stops it and removes the namespace.
#>
function Start-TestTlsEngine {
    $folder = New-TestPath 'tls-engine'
    $null = New-Item -ItemType Directory -Path $folder
    $id = (Get-TestRunId).Substring(0, 6)
    $block = (Get-Random -Maximum 64) * 4
    $subnet = "10.254.$(Get-Random -Maximum 256)."
    $address = "$subnet$($block + 2)"
    $engine = [pscustomobject]@{
        Endpoint = "tcp://${address}:2376"
        Folder   = $folder
        Netns    = "dockerps-tls-$(Get-TestRunId)"
        Process  = $null
    }
    $in = { param($name) Join-Path $folder $name }
    try {
        Invoke-TestNative openssl req -x509 -newkey rsa:2048 -nodes -keyout (& $in ca-key.pem) -out (& $in ca.pem) -days 1 -subj '/CN=DockerPS test engine CA' | Out-Null
        Invoke-TestNative openssl req -newkey rsa:2048 -nodes -keyout (& $in key.pem) -out (& $in server.csr) -subj "/CN=$address" | Out-Null
        Set-Content -LiteralPath (& $in san.cnf) -Value "subjectAltName=IP:$address"
        Invoke-TestNative openssl x509 -req -in (& $in server.csr) -CA (& $in ca.pem) -CAkey (& $in ca-key.pem) -CAcreateserial -out (& $in cert.pem) -days 1 -extfile (& $in san.cnf) | Out-Null
        Set-Content -LiteralPath (& $in daemon.json) -Value '{}'

        $link = "dpt$id"
        Invoke-TestNative ip netns add $engine.Netns
        Invoke-TestNative ip link add "${link}h" type veth peer name "${link}n"
        Invoke-TestNative ip link set "${link}n" netns $engine.Netns
        Invoke-TestNative ip addr add "$subnet$($block + 1)/30" dev "${link}h"
        Invoke-TestNative ip link set "${link}h" up
        Invoke-TestNative ip netns exec $engine.Netns ip addr add "$address/30" dev "${link}n"
        Invoke-TestNative ip netns exec $engine.Netns ip link set "${link}n" up

        # nsenter switches only the network namespace, so the daemon still sees the host's cgroups; exec keeps its pid.
        $start = [System.Diagnostics.ProcessStartInfo]::new('bash')
        $start.UseShellExecute = $false
        $start.ArgumentList.Add('-c')
        $start.ArgumentList.Add("exec nsenter --net=/run/netns/$($engine.Netns) dockerd --config-file '$(& $in daemon.json)' --bridge=none --iptables=false " +
            "--ip-forward=false --ip-masq=false -H $($engine.Endpoint) --tlsverify --tlscacert '$(& $in ca.pem)' --tlscert '$(& $in cert.pem)' " +
            "--tlskey '$(& $in key.pem)' --data-root '$(& $in data)' --exec-root '$(& $in exec)' --pidfile '$(& $in docker.pid)' > '$(& $in dockerd.log)' 2>&1")
        $engine.Process = [System.Diagnostics.Process]::Start($start)

        $log = & $in dockerd.log
        $waited = [System.Diagnostics.Stopwatch]::StartNew()
        while (-not ((Test-Path -LiteralPath $log) -and (Get-Content -Raw -LiteralPath $log) -match 'API listen on')) {
            if ($engine.Process.HasExited -or $waited.Elapsed.TotalSeconds -gt 60) {
                throw "The TLS engine did not start: $(Get-Content -Raw -LiteralPath $log -ErrorAction SilentlyContinue)"
            }
            Start-Sleep -Milliseconds 200
        }
        $engine
    }
    catch {
        Stop-TestTlsEngine $engine
        throw
    }
}

function Stop-TestTlsEngine([Parameter(Mandatory)] $Engine) {
    if ($Engine.Process) {
        if (-not $Engine.Process.HasExited) {
            $null = & kill -TERM $Engine.Process.Id
            if (-not $Engine.Process.WaitForExit(20000)) {
                $Engine.Process.Kill($true)
                $Engine.Process.WaitForExit()
            }
        }
        $Engine.Process.Dispose()
        $Engine.Process = $null
    }
    # Deleting the namespace deletes its end of the veth pair, and with it the host's end.
    $null = & ip netns del $Engine.Netns 2>&1
    $global:LASTEXITCODE = 0
    Remove-Item -Recurse -Force -LiteralPath $Engine.Folder -ErrorAction SilentlyContinue
}
