# Helpers of Images, ImageArchives and Registry .Tests.ps1, dot-sourced in their BeforeAll after TestSupport.psm1 is
# imported: images made from a fresh busybox root file system, the engine's view of an image (ids, tags, children of
# the base image), host output (What if: lines) as the console shows it, pipelines in a runspace of their own (to see
# their progress records, or to stop them as Ctrl+C does), and error checks.

$script:ModuleManifest = Join-Path (Get-TestRepoRoot) 'out/DockerPS/DockerPS.psd1'

<#
Imports a fresh busybox root file system (/bin, /etc with a random build-id, /tmp, /data; a new image id each time) as
-Reference, labelled for this run (so the cleanup removes it), with -ExtraBytes random bytes in /data/random.bin and
the Dockerfile instructions of -Change; returns the image id (sha256:…).
#>
function New-TestRootfsImage {
    param([Parameter(Mandatory)][string] $Reference, [long] $ExtraBytes = 0, [string[]] $Change = @())
    $script = @'
set -euo pipefail
ref=$1; extra=$2; shift 2
busybox=$(command -v busybox)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/data"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
printf '%s' "$(cat /proc/sys/kernel/random/uuid)" > "$root/etc/build-id"
if [ "$extra" -gt 0 ]; then head -c "$extra" /dev/urandom > "$root/data/random.bin"; fi
tar -C "$root" -cf - . | docker import "$@" - "$ref" >/dev/null
docker image inspect --format '{{.Id}}' "$ref"
'@
    $changes = @('--change', "LABEL $(Get-TestLabel)") + @($Change | ForEach-Object { '--change'; $_ })
    $id = & bash -c $script bash $Reference $ExtraBytes @changes
    if ($LASTEXITCODE -ne 0) { throw "The image $Reference could not be made." }
    $global:LASTEXITCODE = 0
    "$id".Trim()
}

<# An image with 192 MiB of random bytes in /data/random.bin, for transfers long enough to be stopped. #>
function Initialize-TestBigImage {
    $reference = 'dockerps-big/data:latest'
    if (-not (Test-DockerImage $reference)) {
        $null = New-TestRootfsImage -Reference $reference -ExtraBytes (192MB)
    }
    $reference
}

<# A repository name of this run (lowercase, unique to the run). #>
function Get-TestRepository([Parameter(Mandatory)][string] $What) {
    "dockerps-test/$What-$(Get-TestRunId)"
}

<# The engine's id of an image (sha256:…), by reference or id. #>
function Get-TestImageId([Parameter(Mandatory)][string] $Reference) {
    "$(Invoke-DockerCli image inspect --format '{{.Id}}' $Reference)".Trim()
}

<# The engine's tags of an image (docker image inspect .RepoTags), sorted. #>
function Get-TestRepoTag([Parameter(Mandatory)][string] $Reference) {
    @(Invoke-DockerCli image inspect --format '{{json .RepoTags}}' $Reference | ConvertFrom-Json) | Where-Object { $_ } | Sort-Object
}

<# The engine's repository digests of an image (docker image inspect .RepoDigests). #>
function Get-TestRepoDigest([Parameter(Mandatory)][string] $Reference) {
    @(Invoke-DockerCli image inspect --format '{{json .RepoDigests}}' $Reference | ConvertFrom-Json) | Where-Object { $_ }
}

<#
One image under two tags of "<What>-mine" and one tag each of two other repositories ("<What>-base", "<What>-other");
returns Id, Mine and Others (the references, sorted).
#>
function New-TestSharedImage([Parameter(Mandatory)][string] $What) {
    $mine = @("$(Get-TestRepository "$What-mine"):1", "$(Get-TestRepository "$What-mine"):2")
    $others = @("$(Get-TestRepository "$What-base"):1", "$(Get-TestRepository "$What-other"):2")
    $id = New-TestRootfsImage -Reference $mine[0]
    foreach ($tag in @($mine[1]) + $others) {
        $null = Invoke-DockerCli tag $mine[0] $tag
    }
    Get-TestRepoTag $id | Should -Be (@($mine + $others) | Sort-Object)
    [pscustomobject]@{ Id = $id; Mine = $mine; Others = $others }
}

<# The ids of every image on the engine, intermediate ones too. #>
function Get-TestAllImageId {
    @(Invoke-DockerCli image ls -a -q --no-trunc) | Where-Object { $_ } | Sort-Object -Unique
}

<#
Removes the images that are on the engine now but were not in -Before (ids from Get-TestAllImageId): what a build or a
commit left, intermediate images included, so that no child of the base image stays behind.
#>
function Remove-TestNewImage([AllowEmptyCollection()][string[]] $Before) {
    $new = @(Get-TestAllImageId | Where-Object { $_ -notin $Before })
    if ($new) { $null = Get-DockerCliResult rmi -f @new }
}

<# The ids of the images whose parent is the base image (children left by builds and commits). #>
function Get-TestBaseImageChild {
    $base = Get-TestImageId (Get-TestBaseImage)
    foreach ($id in Get-TestAllImageId) {
        if ("$(Invoke-DockerCli image inspect --format '{{.Parent}}' $id)".Trim() -eq $base) { $id }
    }
}

<# The error ids of error records (FullyQualifiedErrorId before the first comma). #>
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
Runs a script block as a console user would and returns what came of it: Output (the objects), Errors (the records),
and Host, the text the console showed (What if: lines, tables) from a transcript, without its header and footer.
#>
function Invoke-TestWithHost {
    param([Parameter(Mandatory)][scriptblock] $ScriptBlock)
    $path = New-TestPath 'transcript.txt'
    $null = Start-Transcript -LiteralPath $path -UseMinimalHeader
    try {
        $all = @(& $ScriptBlock 2>&1)
    }
    finally {
        $null = Stop-Transcript
    }
    $lines = Get-Content -LiteralPath $path | Where-Object { $_ -notmatch '^\*{10,}$|^PowerShell transcript (start|end)$|^(Start|End) time: \d+$' }
    [pscustomobject]@{
        Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        Host   = $lines -join "`n"
    }
}

<#
A PowerShell of its own (a new runspace with DockerPS imported and -Variable set), as a second console would be.
Start-TestPipeline starts -Script there without waiting (stop it with Stop-TestPipeline, as Ctrl+C does);
Invoke-TestPipeline runs it to the end and returns Output, Errors and Progress (the records a console only draws).
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

function Invoke-TestPipeline {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Variable = @{})
    $started = Start-TestPipeline -Script $Script -Variable $Variable
    try {
        $output = $started.PowerShell.EndInvoke($started.Handle)
        [pscustomobject]@{
            Output   = @($output | ForEach-Object { $_ })
            Errors   = @($started.PowerShell.Streams.Error)
            Progress = @($started.PowerShell.Streams.Progress)
        }
    }
    finally {
        Remove-TestPipeline $started
    }
}

<# Waits (polling every few ms, at most -Seconds) until -Condition holds; throws if it never does or the pipeline ends first. #>
function Wait-TestCondition {
    param([Parameter(Mandatory)][scriptblock] $Condition, [Parameter(Mandatory)] $Started, [Parameter(Mandatory)][string] $Because, [int] $Seconds = 60)
    $waited = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (& $Condition)) {
        if ($Started.Handle.IsCompleted) {
            $errors = $Started.PowerShell.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" }
            throw "It ended ($($Started.PowerShell.InvocationStateInfo.State)) before it could be stopped: $Because. Errors: $($errors -join '; ')"
        }
        if ($waited.Elapsed.TotalSeconds -gt $Seconds) { throw "Not after $Seconds s: $Because" }
        Start-Sleep -Milliseconds 2
    }
}

<# Stops a started pipeline as Ctrl+C does; returns how long Stop() took. #>
function Stop-TestPipeline([Parameter(Mandatory)] $Started) {
    $stopping = [System.Diagnostics.Stopwatch]::StartNew()
    $Started.PowerShell.Stop()
    $stopping.Stop()
    $stopping.Elapsed
}

function Remove-TestPipeline([Parameter(Mandatory)] $Started) {
    $Started.PowerShell.Runspace.Dispose()
    $Started.PowerShell.Dispose()
}
