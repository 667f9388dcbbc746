# Helpers of the container files, inspection, view and Ctrl+C tests, dot-sourced in their BeforeAll after
# TestSupport.psm1 is imported: images made from a fresh busybox root file system, pipelines run in a runspace of their
# own (to see their progress records, or to stop them as Ctrl+C does), and error ids.

<#
Imports a fresh busybox root file system (/bin, /etc, /tmp, /data; a new image id each time) as -Reference, labelled
for this run, with -ExtraMiB of random bytes in /data/random.bin; returns the image id (sha256:…).
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
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
cat /proc/sys/kernel/random/uuid > "$root/etc/build-id"
if [ "$extra" -gt 0 ]; then head -c "$((extra * 1048576))" /dev/urandom > "$root/data/random.bin"; fi
tar -C "$root" -cf - . | docker import --change "LABEL $label" --change 'CMD ["sh"]' - "$ref" >/dev/null
docker image inspect --format '{{.Id}}' "$ref"
'@
    $id = & bash -c $script bash $Reference (Get-TestLabel) $ExtraMiB
    if ($LASTEXITCODE -ne 0) { throw "The image $Reference could not be made." }
    $global:LASTEXITCODE = 0
    "$id".Trim()
}

<# An image with 192 MiB of random bytes in /data/random.bin, for transfers long enough to be stopped. #>
function Initialize-TestBigImage {
    $reference = 'dockerps-big/data:latest'
    if (-not (Test-DockerImage $reference)) {
        $null = New-TestRootfsImage -Reference $reference -ExtraMiB 192
    }
    $reference
}

<# A container of the base image running `sleep 300` (or -Command), labelled for this run; returns its name. #>
function New-TestRunningContainer {
    param([Parameter(Mandatory)][string] $What, [string[]] $Command = @('sleep', '300'))
    $name = New-TestName $What
    $null = Invoke-DockerCli run -d --name $name --label (Get-TestLabel) (Get-TestBaseImage) @Command
    $name
}

<# Runs a shell script in a container through the docker CLI; returns its output as one string. #>
function Invoke-TestExec([string] $Container, [string] $Script) {
    (Invoke-DockerCli exec $Container sh -c $Script) -join "`n"
}

<#
A PowerShell of its own (a new runspace with DockerPS imported and -Variable set), as a second console would be.
Start-TestPipeline starts -Script there without waiting (stop it with .Stop(), as Ctrl+C does); Invoke-TestPipeline
runs it to the end and returns Output, Errors and Progress (the progress records, which a console only draws).
#>
function Start-TestPipeline {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Variable = @{})
    $manifest = Join-Path (Get-TestRepoRoot) 'out/DockerPS/DockerPS.psd1'
    $ps = [powershell]::Create()
    $null = $ps.AddScript('param($manifest) Import-Module $manifest -ErrorAction Stop').AddArgument($manifest)
    $null = $ps.Invoke()
    if ($ps.HadErrors) { throw "DockerPS did not import: $($ps.Streams.Error)" }
    $ps.Commands.Clear()
    foreach ($name in $Variable.Keys) {
        $ps.Runspace.SessionStateProxy.SetVariable($name, $Variable[$name])
    }
    $null = $ps.AddScript($Script)
    [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
}

function Invoke-TestPipeline {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Variable = @{})
    $started = Start-TestPipeline -Script $Script -Variable $Variable
    $ps = $started.PowerShell
    try {
        $output = $ps.EndInvoke($started.Handle)
        [pscustomobject]@{
            Output   = @($output | ForEach-Object { $_ })
            Errors   = @($ps.Streams.Error)
            Progress = @($ps.Streams.Progress)
        }
    }
    finally {
        $ps.Runspace.Dispose()
        $ps.Dispose()
    }
}

<# Waits (polling every 10 ms, at most -Seconds) until -Condition holds; throws if it never does or -Pending ends first. #>
function Wait-TestCondition {
    param([Parameter(Mandatory)][scriptblock] $Condition, [Parameter(Mandatory)][string] $Because, [int] $Seconds = 60, [System.IAsyncResult] $Pending)
    $waited = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (& $Condition)) {
        if ($Pending -and $Pending.IsCompleted) { throw "It ended before it could be stopped: $Because" }
        if ($waited.Elapsed.TotalSeconds -gt $Seconds) { throw "Not after $Seconds s: $Because" }
        Start-Sleep -Milliseconds 10
    }
}

<# Stops a started pipeline as Ctrl+C does; returns how long Stop() took, in milliseconds. #>
function Stop-TestPipeline($Started) {
    $stopping = [System.Diagnostics.Stopwatch]::StartNew()
    $Started.PowerShell.Stop()
    $stopping.Stop()
    $stopping.Elapsed.TotalMilliseconds
}

<# The error ids of error records (FullyQualifiedErrorId before the first comma). #>
function Get-TestErrorId {
    param([Parameter(ValueFromPipeline)] $ErrorRecord)
    process { if ($ErrorRecord) { "$($ErrorRecord.FullyQualifiedErrorId)".Split(',')[0] } }
}
