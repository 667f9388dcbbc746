# Helpers of Volumes, Networks, Hosts and StreamsAndFiles .Tests.ps1, dot-sourced in their BeforeAll after
# TestSupport.psm1 is imported: error checks, host output (What if: lines, warnings) as the console shows it, pipelines
# in a runspace of their own (for Ctrl+C), volumes and networks made and read with the docker CLI, tab completion, and
# a socket in front of the engine's that cuts the connection halfway.

$script:ModuleManifest = Join-Path (Get-TestRepoRoot) 'out/DockerPS/DockerPS.psd1'
$script:NextSubnet = Get-Random -Minimum 0 -Maximum 200

<# The error id an ErrorRecord was raised with (its FullyQualifiedErrorId up to the command name). #>
function Get-TestErrorId {
    param([Parameter(ValueFromPipeline)] $ErrorRecord)
    process { if ($ErrorRecord) { "$($ErrorRecord.FullyQualifiedErrorId)".Split(',')[0] } }
}

<#
Checks that -ErrorRecord holds exactly one error, with the error id, category and (unless -AnyTarget) target object
given; returns that error.
#>
function Assert-TestError {
    param(
        [AllowNull()][AllowEmptyCollection()][object[]] $ErrorRecord,
        [Parameter(Mandatory)][string] $Id,
        [Parameter(Mandatory)][System.Management.Automation.ErrorCategory] $Category,
        $Target,
        [switch] $AnyTarget
    )
    $records = @($ErrorRecord | Where-Object { $_ })
    $records.Count | Should -Be 1 -Because "one error was expected, not: $($records | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })"
    $record = $records[0]
    $record | Get-TestErrorId | Should -BeExactly $Id
    $record.CategoryInfo.Category | Should -Be $Category
    if (-not $AnyTarget) {
        $record.TargetObject | Should -Be $Target
    }
    $record
}

<#
Runs a script block as a console user would and returns what came of it: Output (the objects), Warnings (their
messages), Errors (the records), and Host, the text the console showed (What if: lines, tables) from a transcript, without the transcript's own header and footer lines.
#>
function Invoke-TestWithHost {
    param([Parameter(Mandatory)][scriptblock] $ScriptBlock)
    $path = New-TestPath 'transcript.txt'
    $null = Start-Transcript -LiteralPath $path -UseMinimalHeader
    try {
        $all = @(& $ScriptBlock 2>&1 3>&1)
        $output = @($all | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] })
        $warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
    }
    finally {
        $null = Stop-Transcript
    }
    $lines = Get-Content -LiteralPath $path | Where-Object { $_ -notmatch '^\*{10,}$|^PowerShell transcript (start|end)$|^(Start|End) time: \d+$' }
    [pscustomobject]@{
        Output   = $output
        Warnings = @($warnings | ForEach-Object Message)
        Errors   = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        Host     = $lines -join "`n"
    }
}

<#
Starts -Script in a PowerShell of its own (a new runspace with DockerPS imported and -Variable set, as a second
console would be) without waiting; stop it with Stop-TestPipeline, as Ctrl+C does.
#>
function Start-TestPipeline {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Variable = @{})
    $ps = [powershell]::Create()
    $null = $ps.AddScript('param($manifest) Import-Module $manifest -ErrorAction Stop').AddArgument($script:ModuleManifest)
    $null = $ps.Invoke()
    if ($ps.HadErrors) { throw "DockerPS did not import: $($ps.Streams.Error)" }
    $ps.Commands.Clear()
    foreach ($name in $Variable.Keys) {
        $ps.Runspace.SessionStateProxy.SetVariable($name, $Variable[$name])
    }
    $null = $ps.AddScript($Script)
    [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
}

<# Waits (every 10 ms, at most -Seconds) until -Condition holds; throws if it never does or the pipeline ends first. #>
function Wait-TestCondition {
    param([Parameter(Mandatory)][scriptblock] $Condition, [Parameter(Mandatory)] $Pipeline, [Parameter(Mandatory)][string] $Because, [int] $Seconds = 60)
    $waited = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (& $Condition)) {
        if ($Pipeline.Handle.IsCompleted) {
            $errors = $Pipeline.PowerShell.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" }
            throw "It ended ($($Pipeline.PowerShell.InvocationStateInfo.State)) before it could be stopped: $Because. Errors: $($errors -join '; ')"
        }
        if ($waited.Elapsed.TotalSeconds -gt $Seconds) { throw "Not after $Seconds s: $Because" }
        Start-Sleep -Milliseconds 10
    }
}

<# Stops a started pipeline as Ctrl+C does; returns how long Stop() took. The runspace is disposed of afterwards. #>
function Stop-TestPipeline {
    param([Parameter(Mandatory)] $Pipeline)
    $stopping = [System.Diagnostics.Stopwatch]::StartNew()
    $Pipeline.PowerShell.Stop()
    $stopping.Stop()
    $stopping.Elapsed
}

function Remove-TestPipeline([Parameter(Mandatory)] $Pipeline) {
    $Pipeline.PowerShell.Runspace.Dispose()
    $Pipeline.PowerShell.Dispose()
}

<# What tab completion offers for the input line (the cursor at its end). #>
function Get-TestCompletion([Parameter(Mandatory)][string] $InputLine) {
    @((TabExpansion2 -inputScript $InputLine -cursorColumn $InputLine.Length).CompletionMatches | ForEach-Object CompletionText)
}

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

<# Runs a container of the base image to its end with the docker CLI; returns its name. #>
function Invoke-TestContainerToEnd {
    param([Parameter(Mandatory)][string] $What, [Parameter(Mandatory)][string[]] $Command)
    $name = New-TestName $What
    $null = Invoke-DockerCli run --name $name --label (Get-TestLabel) (Get-TestBaseImage) @Command
    $name
}

<#
Imports a busybox root file system with -ExtraMiB of random bytes in /data/random.bin as -Reference, labelled for this
run (so the cleanup removes it); returns the image id.
#>
function New-TestRootfsImage {
    param([Parameter(Mandatory)][string] $Reference, [int] $ExtraMiB = 0)
    $script = @'
set -euo pipefail
ref=$1; label=$2; extra=$3
busybox=$(command -v busybox)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/data"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
if [ "$extra" -gt 0 ]; then head -c "$((extra * 1048576))" /dev/urandom > "$root/data/random.bin"; fi
tar -C "$root" -cf - . | docker import --change "LABEL $label" --change 'CMD ["sh"]' - "$ref" >/dev/null
docker image inspect --format '{{.Id}}' "$ref"
'@
    $id = & bash -c $script bash $Reference (Get-TestLabel) $ExtraMiB
    if ($LASTEXITCODE -ne 0) { throw "The image $Reference could not be made." }
    $global:LASTEXITCODE = 0
    "$id".Trim()
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

<#
Removes this run's containers, images, volumes and networks, then calls Remove-TestResource for the rest (the
temporary folder). Remove-TestResource alone splats a lone id as a string, so docker gets its characters: a run that
leaves exactly one image, volume or network of a kind keeps it.
#>
function Remove-EngineTestResource {
    param([string] $DockerHost)
    [string[]] $at = if ($DockerHost) { '-H', $DockerHost } else { @() }
    [string[]] $containers = @(Invoke-DockerCli @at ps -aq --filter "label=$(Get-TestLabel)") +
        @(Invoke-DockerCli @at ps -aq --filter "name=dockerps-test-$(Get-TestRunId)-") | Where-Object { $_ } | Sort-Object -Unique
    if ($containers) { $null = Get-DockerCliResult @at rm -f -v @containers }
    [string[]] $images = @(Invoke-DockerCli @at images -q --no-trunc --filter "label=$(Get-TestLabel)") | Where-Object { $_ } | Sort-Object -Unique
    if ($images) { $null = Get-DockerCliResult @at rmi -f @images }
    foreach ($kind in 'volume', 'network') {
        [string[]] $ids = @(Invoke-DockerCli @at $kind ls -q --filter "label=$(Get-TestLabel)") | Where-Object { $_ }
        if ($ids) { $null = Get-DockerCliResult @at $kind rm @ids }
    }
    Remove-TestResource -DockerHost $DockerHost
}
