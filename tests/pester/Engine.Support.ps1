# Helpers of Volumes, Networks, Hosts and StreamsAndFiles .Tests.ps1, dot-sourced in their BeforeAll after
# TestSupport.psm1 is imported: volumes and networks made and read with the docker CLI, the engine's clock, and a socket in front of the engine's that cuts the connection halfway.

$script:NextSubnet = Get-Random -Minimum 0 -Maximum 200

<# The engine's clock (docker system info), as docker events --since/--until take it. #>
function Get-TestEngineTime {
    "$(Invoke-DockerCli system info --format '{{json .SystemTime}}')".Trim('"')
}

function Test-DockerVolume([Parameter(Mandatory)][string] $Name) {
    (Get-DockerCliResult volume inspect $Name).ExitCode -eq 0
}

function Test-DockerNetwork([Parameter(Mandatory)][string] $Name) {
    (Get-DockerCliResult network inspect $Name).ExitCode -eq 0
}

<# A volume name of this run (the cleanup finds the volumes by label; the tests label every volume they make). #>
function New-TestVolumeName([Parameter(Mandatory)][string] $What) {
    New-TestName "vol-$What"
}

<# A labelled volume made with the docker CLI (more `docker volume create` options in -Option); returns its name. #>
function New-TestVolume {
    param([Parameter(Mandatory)][string] $What, [string[]] $Option = @())
    $name = New-TestVolumeName $What
    $null = Invoke-DockerCli volume create --label (Get-TestLabel) @Option $name
    $name
}

<# Runs a shell script in a throwaway busybox container with the volume at /data; returns its output as one string. #>
function Invoke-TestVolumeScript([Parameter(Mandatory)][string] $Volume, [Parameter(Mandatory)][string] $Script, [switch] $ReadOnly) {
    $mount = if ($ReadOnly) { "${Volume}:/data:ro" } else { "${Volume}:/data" }
    (Invoke-DockerCli run --rm --label (Get-TestLabel) -v $mount (Get-TestBaseImage) sh -c $Script) -join "`n"
}

<# Every entry of a volume with name, mode, owner, type, size and link count, link targets and content checksums. #>
function Get-TestVolumeListing([Parameter(Mandatory)][string] $Volume) {
    Invoke-TestVolumeScript -ReadOnly $Volume ("cd /data && find . | sort | while read f; do stat -c '%n %a %u:%g %F %s %h' `"`$f`"; " +
        "if [ -L `"`$f`" ]; then echo `"-> `$(readlink `"`$f`")`"; elif [ -f `"`$f`" ]; then md5sum `"`$f`"; fi; done")
}

<# One file's text in a volume, read by a busybox container. #>
function Get-TestVolumeFile([Parameter(Mandatory)][string] $Volume, [Parameter(Mandatory)][string] $File) {
    Invoke-TestVolumeScript -ReadOnly $Volume "cat '/data/$File'"
}

<# The names of the volume helper containers of a volume, as the engine lists them (by their label). #>
function Get-TestVolumeHelper([Parameter(Mandatory)][string] $Volume) {
    @(Invoke-DockerCli ps -aq --filter "label=dockerps.helper.volume=$Volume") | Where-Object { $_ }
}

<# A /24 prefix such as "10.213.17" that no other network of this run uses (10.213.0.0/16 has no route off the machine). #>
function New-TestSubnetPrefix {
    $script:NextSubnet++
    "10.213.$(1 + ($script:NextSubnet % 250))"
}

<# Pings once from a container, by name or address, with the docker CLI; returns ping's exit code. #>
function Invoke-TestPing([Parameter(Mandatory)][string] $From, [Parameter(Mandatory)][string] $To) {
    (Get-DockerCliResult exec $From ping -c1 -W1 $To).ExitCode
}

if (-not ('DockerPSTest.CuttingProxy' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace DockerPSTest
{
    /// <summary>
    /// A Unix socket in front of the engine's that passes bytes both ways, and cuts both sides once a reply has
    /// carried some bytes: from then on it takes connections and closes them at once, as a dead engine would.
    /// </summary>
    public sealed class CuttingProxy : IDisposable
    {
        private readonly Socket listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly long cutAfterBytes;
        private readonly string path;
        private volatile bool cut;

        public CuttingProxy(string path, long cutAfterBytes)
        {
            this.path = path;
            this.cutAfterBytes = cutAfterBytes;
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(16);
            _ = Task.Run(AcceptAsync);
        }

        public string Uri => "unix://" + path;

        public bool Cut => cut;

        public void Dispose()
        {
            listener.Dispose();
            File.Delete(path);
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync();
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
                {
                    return;
                }

                if (cut)
                {
                    client.Dispose();
                    continue;
                }

                _ = Task.Run(() => ForwardAsync(client));
            }
        }

        private async Task ForwardAsync(Socket client)
        {
            using var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await upstream.ConnectAsync(new UnixDomainSocketEndPoint("/var/run/docker.sock"));
            using var both = new CancellationTokenSource();
            Task requests = PumpAsync(client, upstream, long.MaxValue, both.Token);
            Task replies = PumpAsync(upstream, client, cutAfterBytes, both.Token);
            await Task.WhenAny(requests, replies);
            both.Cancel();
            client.Dispose();
        }

        private async Task PumpAsync(Socket from, Socket to, long limit, CancellationToken ct)
        {
            var buffer = new byte[65536];
            long total = 0;
            try
            {
                while (true)
                {
                    int read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                    if (read == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        await Task.Delay(Timeout.Infinite, ct);
                    }

                    total += read;
                    if (total > limit)
                    {
                        cut = true;
                        return;
                    }

                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
                }
            }
            catch (Exception ex) when (ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
            {
                // One side went: the forwarding ends.
            }
        }
    }
}
'@
}
