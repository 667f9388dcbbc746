# Shared set-up of the Pester suite: the module under test from the build output, a run id that labels and names
# everything the tests make on the engine, ground truth from the docker CLI, the helpers more than one area uses
# (containers and images of this run, error checks, host output, child pwsh and runspaces, pipelines stopped as Ctrl+C
# does), and the cleanup. Each *.Tests.ps1 file imports this module in its BeforeAll and calls Remove-TestResource in
# its AfterAll (with -DockerHost for the second engine); helpers of one area stay in its <Area>.Support.ps1.

Set-StrictMode -Version Latest

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:LabelKey = 'dockerps.test.run'
$script:RunId = if ($env:DOCKERPS_TEST_RUN_ID) { $env:DOCKERPS_TEST_RUN_ID } else { [guid]::NewGuid().ToString('N').Substring(0, 8) }
$script:BaseImage = 'dockerps-test/busybox:latest'
$script:WorkDir = $null
$script:Pwsh = $null
$script:ModuleManifest = Join-Path $script:RepoRoot 'out/DockerPS/DockerPS.psd1'

function Get-TestRepoRoot { $script:RepoRoot }

function Get-TestRunId { $script:RunId }

<# The manifest of the module under test, in the build output (out/DockerPS/DockerPS.psd1). #>
function Get-TestModuleManifest { $script:ModuleManifest }

<# The label every resource a test makes carries (key=value), for -Label parameters and docker --label. #>
function Get-TestLabel { "$script:LabelKey=$script:RunId" }

<# The label as a hashtable, for the module's -Label parameters. #>
function Get-TestLabelTable { @{ $script:LabelKey = $script:RunId } }

<# The busybox image every test builds on (made from the machine's static busybox; no registry). #>
function Get-TestBaseImage { $script:BaseImage }

<# A name unique to this run; the cleanup finds containers by its prefix. #>
function New-TestName([Parameter(Mandatory)][string] $What) {
    "dockerps-test-$script:RunId-$What-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
}

<# A path in this run's own temporary folder (removed by Remove-TestResource). #>
function New-TestPath([Parameter(Mandatory)][string] $FileName) {
    if (-not $script:WorkDir) {
        $script:WorkDir = Join-Path ([System.IO.Path]::GetTempPath()) "dockerps-pester-$script:RunId"
    }
    $null = New-Item -ItemType Directory -Force -Path $script:WorkDir
    Join-Path $script:WorkDir ("$([guid]::NewGuid().ToString('N').Substring(0, 6))-$FileName")
}

<#
The docker CLI, the suite's ground truth. Get-DockerCliResult runs it and returns ExitCode, Output (stdout lines) and
Error (stderr); Invoke-DockerCli returns the stdout lines and throws with stderr when docker fails. Both take docker's
arguments as they are (plain functions, so -aq and --filter reach docker untouched).
#>
function Get-DockerCliResult {
    $errFile = [System.IO.Path]::GetTempFileName()
    try {
        $out = & docker @args 2>$errFile
        $code = $LASTEXITCODE
        $err = Get-Content -Raw -LiteralPath $errFile
    }
    finally {
        Remove-Item -LiteralPath $errFile -ErrorAction SilentlyContinue
    }
    # The CLI's exit code must not leak into the tests' own $LASTEXITCODE checks.
    $global:LASTEXITCODE = 0
    [pscustomobject]@{ ExitCode = $code; Output = @($out | ForEach-Object { "$_".TrimEnd() }); Error = "$err".Trim() }
}

function Invoke-DockerCli {
    $result = Get-DockerCliResult @args
    if ($result.ExitCode -ne 0) {
        throw "docker $($args -join ' ') failed ($($result.ExitCode)): $($result.Error)"
    }
    $result.Output
}

function Test-DockerImage([Parameter(Mandatory)][string] $Reference) {
    (Get-DockerCliResult image inspect $Reference).ExitCode -eq 0
}

function Test-DockerContainer([Parameter(Mandatory)][string] $Name) {
    (Get-DockerCliResult container inspect $Name).ExitCode -eq 0
}

<# The engine's state of a container: created, running, paused, exited… #>
function Get-DockerContainerState([Parameter(Mandatory)][string] $Name) {
    Invoke-DockerCli container inspect --format '{{.State.Status}}' $Name
}

<# The real pwsh 7.6.9 of tests/tools/pwsh (installed when missing), for tests that start a pwsh of their own. #>
function Get-TestPwsh {
    if (-not $script:Pwsh) {
        $lines = & bash (Join-Path $script:RepoRoot 'tests/tools/install-pwsh.sh')
        if ($LASTEXITCODE -ne 0) { throw 'pwsh 7.6.9 could not be installed.' }
        $global:LASTEXITCODE = 0
        $script:Pwsh = "$(@($lines)[-1])".Trim()
    }
    $script:Pwsh
}

<#
Imports DockerPS from the build output (out/DockerPS) and makes sure the busybox test image exists. Call it in every
file's BeforeAll.
#>
function Initialize-DockerPSTest {
    $manifest = $script:ModuleManifest
    if (-not (Test-Path $manifest)) {
        throw "The module is not built at $manifest`: run dotnet build src/DockerPS first."
    }
    Import-Module $manifest -Global -ErrorAction Stop
    if (-not (Test-DockerImage $script:BaseImage)) {
        & bash (Join-Path $script:RepoRoot 'tests/engine/make-busybox-image.sh') $script:BaseImage | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "The test image $script:BaseImage could not be made." }
    }
}

<# The local registries (open on 127.0.0.1:5000; TLS and basic auth on 127.0.0.1:5443), started on first use. #>
function Get-TestRegistry {
    $lines = & bash (Join-Path $script:RepoRoot 'tests/engine/start-registry.sh')
    if ($LASTEXITCODE -ne 0) { throw 'The test registries did not start.' }
    $registry = @{}
    foreach ($line in $lines) {
        $pair = "$line".Split('=', 2)
        if ($pair.Count -eq 2) { $registry[$pair[0].Trim()] = $pair[1].Trim() }
    }
    $registry
}

$script:SecondEngine = $null

<#
A second engine (its own dockerd on a socket of its own, in a network namespace of its own), started on first use,
with the test image loaded into it; returns its URI (unix:///…) for -DockerHost and docker -H. Remove-TestResource
-DockerHost <uri> cleans it.
#>
function Get-TestSecondEngine {
    if (-not $script:SecondEngine) {
        $lines = & bash (Join-Path $script:RepoRoot 'tests/engine/start-second-engine.sh')
        if ($LASTEXITCODE -ne 0) { throw 'The second engine did not start.' }
        $uri = "$(@($lines)[-1])".Trim()
        & bash -c "set -o pipefail; docker save $script:BaseImage | docker -H $uri load -q" | Out-Null
        if ($LASTEXITCODE -ne 0) { throw 'The test image could not be put on the second engine.' }
        $script:SecondEngine = $uri
    }
    $script:SecondEngine
}

<# A folder of its own in the run's temporary folder; returns its full path. #>
function New-TestFolder([Parameter(Mandatory)][string] $What) {
    (New-Item -ItemType Directory -Path (New-TestPath $What)).FullName
}

<#
Runs (or with -Created, only creates) a busybox container of this run with the docker CLI, labelled for the cleanup,
and returns its name: -Command is what it runs (busybox sleep 300 as PID 1 by default, which ignores SIGTERM), or
-Script, a shell script (sh -c). -Option holds more docker run/create options (-t, -i, --hostname, labels…), before
the image; -DockerHost another engine's URI (docker -H); -Name the name, a new test name by default.
#>
function New-TestContainer {
    param(
        [Parameter(Mandatory)][string] $What,
        [string[]] $Command = @('sleep', '300'),
        [string] $Script,
        [switch] $Created,
        [string[]] $Option = @(),
        [string] $DockerHost,
        [string] $Name
    )
    if (-not $Name) { $Name = New-TestName $What }
    [string[]] $prefix = if ($DockerHost) { '-H', $DockerHost } else { @() }
    [string[]] $verb = if ($Created) { 'create' } else { 'run', '-d' }
    if ($Script) { $Command = 'sh', '-c', $Script }
    $null = Invoke-DockerCli @prefix @verb --name $Name --label (Get-TestLabel) @Option (Get-TestBaseImage) @Command
    $Name
}

<# Runs a container of this run to its end with the docker CLI (whatever its exit code) and returns its name. #>
function Invoke-TestContainerToEnd {
    param([Parameter(Mandatory)][string] $What, [Parameter(Mandatory)][string[]] $Command)
    $name = New-TestContainer -What $What -Command $Command
    $null = Get-DockerCliResult wait $name
    $name
}

<#
Calls -Read until -Until (given the value as its parameter) is true, and returns the value: for states the engine
reaches in its own time. An error of -Read counts as not yet. Throws with the last value (or error) after
-TimeoutSeconds.
#>
function Wait-TestValue {
    param([Parameter(Mandatory)][scriptblock] $Read, [Parameter(Mandatory)][scriptblock] $Until, [int] $TimeoutSeconds = 60)
    $waited = [System.Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        $value = $null
        $failure = $null
        try { $value = & $Read } catch { $failure = $_ }
        if (-not $failure -and (& $Until $value)) {
            return $value
        }
        if ($waited.Elapsed.TotalSeconds -gt $TimeoutSeconds) {
            throw "Still not there after $TimeoutSeconds s: $(if ($failure) { $failure } else { $value | Out-String })"
        }
        Start-Sleep -Milliseconds 100
    }
}

<# What tab completion offers for the input line (the cursor at its end): the completion texts. #>
function Get-TestCompletion([Parameter(Mandatory)][string] $InputLine) {
    @((TabExpansion2 -inputScript $InputLine -cursorColumn $InputLine.Length).CompletionMatches | ForEach-Object CompletionText)
}

<# Runs a shell script in a container through the docker CLI; returns its output as one string. #>
function Invoke-TestExec([Parameter(Mandatory)][string] $Container, [Parameter(Mandatory)][string] $Script) {
    (Invoke-DockerCli exec $Container sh -c $Script) -join "`n"
}

<# The error id of an ErrorRecord (its FullyQualifiedErrorId before the first comma); takes records from the pipeline. #>
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
messages), Errors (the records), and Host, the text the console showed (What if: lines, tables) from a transcript,
without the transcript's own header and footer lines.
#>
function Invoke-TestWithHost {
    param([Parameter(Mandatory)][scriptblock] $ScriptBlock)
    $path = New-TestPath 'transcript.txt'
    $null = Start-Transcript -LiteralPath $path -UseMinimalHeader
    try {
        $all = @(& $ScriptBlock 2>&1 3>&1)
    }
    finally {
        $null = Stop-Transcript
    }
    $lines = Get-Content -LiteralPath $path | Where-Object { $_ -notmatch '^\*{10,}$|^PowerShell transcript (start|end)$|^(Start|End) time: \d+$' }
    [pscustomobject]@{
        Output   = @($all | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] })
        Warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        Errors   = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        Host     = $lines -join "`n"
    }
}

<#
Runs script text in a runspace of its own with DockerPS imported, as a script runs (an error, terminating or not, ends
only its own statement), and returns Output, Errors (the error stream's records) and LastExitCode (the session's
$LASTEXITCODE afterwards, $null when nothing set it). -Parameter values reach the script's param block.
#>
function Invoke-TestScript {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Parameter = @{})
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript("Import-Module -Name '$script:ModuleManifest' -ErrorAction Stop").AddStatement()
        $null = $ps.AddScript($Script).AddParameters($Parameter)
        $output = $ps.Invoke()
        [pscustomobject]@{
            Output       = @($output | ForEach-Object { $_ })
            Errors       = @($ps.Streams.Error)
            LastExitCode = $ps.Runspace.SessionStateProxy.GetVariable('LASTEXITCODE')
        }
    }
    finally {
        $ps.Dispose()
    }
}

<#
Runs a script in a new pwsh -NonInteractive process (real pwsh 7.6.9, output redirected, so no console), as a user's
session of its own: what it loads cannot leak into another. -Variable values are set first, as strings; -ImportModule
imports DockerPS before the script. Returns ExitCode, Output (the non-empty lines of standard output, trimmed: what
the script wrote and what the host showed, What if: lines included) and Error (standard error).
#>
function Invoke-TestPwsh {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Variable = @{}, [switch] $ImportModule)
    $file = New-TestPath 'child.ps1'
    $prelude = foreach ($key in $Variable.Keys) { "`$$key = '$("$($Variable[$key])".Replace("'", "''"))'" }
    if ($ImportModule) { $prelude = @($prelude) + "Import-Module -Name '$script:ModuleManifest' -ErrorAction Stop" }
    Set-Content -LiteralPath $file -Value (@($prelude) + $Script)
    $errFile = New-TestPath 'child.err'
    try {
        $out = & (Get-TestPwsh) -NoProfile -NonInteractive -File $file 2>$errFile
        $code = $LASTEXITCODE
        $global:LASTEXITCODE = 0
        [pscustomobject]@{
            ExitCode = $code
            Output   = @($out | ForEach-Object { "$_".Trim() } | Where-Object { $_ })
            Error    = (Get-Content -Raw -LiteralPath $errFile) -as [string]
        }
    }
    finally {
        Remove-Item -LiteralPath $file, $errFile -ErrorAction SilentlyContinue
    }
}

<#
A PowerShell of its own (a new runspace with DockerPS imported), as a second console would be. Start-TestPipeline
starts -Script there without waiting, with -Variable set in the runspace and -Parameter passed to the script's param
block; it returns PowerShell and Handle (the IAsyncResult). Wait-TestCondition waits until the work is under way,
Stop-TestPipeline stops it as Ctrl+C does, Remove-TestPipeline disposes of it. Invoke-TestPipeline runs a script there
to its end and returns Output, Errors and Progress (the progress records, which a console only draws).
#>
function Start-TestPipeline {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Variable = @{}, [hashtable] $Parameter = @{})
    $ps = [powershell]::Create()
    $null = $ps.AddScript('param($manifest) Import-Module $manifest -ErrorAction Stop').AddArgument($script:ModuleManifest)
    $null = $ps.Invoke()
    if ($ps.HadErrors) { throw "DockerPS did not import: $($ps.Streams.Error)" }
    $ps.Commands.Clear()
    foreach ($name in $Variable.Keys) {
        $ps.Runspace.SessionStateProxy.SetVariable($name, $Variable[$name])
    }
    $null = $ps.AddScript($Script).AddParameters($Parameter)
    [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
}

function Invoke-TestPipeline {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Variable = @{}, [hashtable] $Parameter = @{})
    $started = Start-TestPipeline -Script $Script -Variable $Variable -Parameter $Parameter
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

<#
Waits (polling every 5 ms, at most -Seconds) until -Condition holds; throws if it never does, or if -Pipeline (from
Start-TestPipeline) ends first.
#>
function Wait-TestCondition {
    param(
        [Parameter(Mandatory)][scriptblock] $Condition,
        $Pipeline,
        [Parameter(Mandatory)][string] $Because,
        [int] $Seconds = 60
    )
    $waited = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (& $Condition)) {
        if ($Pipeline -and $Pipeline.Handle.IsCompleted) {
            $errors = $Pipeline.PowerShell.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" }
            throw "It ended ($($Pipeline.PowerShell.InvocationStateInfo.State)) before it could be stopped: $Because. Errors: $($errors -join '; ')"
        }
        if ($waited.Elapsed.TotalSeconds -gt $Seconds) { throw "Not after $Seconds s: $Because" }
        Start-Sleep -Milliseconds 5
    }
}

<# Whether a started pipeline has written a progress record (not a completed one) of the activity. #>
function Test-TestProgress([Parameter(Mandatory)] $Pipeline, [Parameter(Mandatory)][string] $Activity) {
    $records = $Pipeline.PowerShell.Streams.Progress
    for ($i = 0; $i -lt $records.Count; $i++) {
        if ($records[$i].Activity -eq $Activity -and $records[$i].RecordType -eq 'Processing') { return $true }
    }
    $false
}

<# Stops a started pipeline as Ctrl+C does; returns how long Stop() took (a TimeSpan). #>
function Stop-TestPipeline([Parameter(Mandatory)] $Pipeline) {
    $stopping = [System.Diagnostics.Stopwatch]::StartNew()
    $Pipeline.PowerShell.Stop()
    $stopping.Stop()
    $stopping.Elapsed
}

<#
Stops a started pipeline as Ctrl+C does and asserts what Ctrl+C must give: Stop() returned within -Within (a second by
default) and the pipeline ended as stopped, not as completed or failed. Returns how long Stop() took.
#>
function Assert-TestPipelineStops([Parameter(Mandatory)] $Pipeline, [timespan] $Within = [timespan]::FromSeconds(1)) {
    $took = Stop-TestPipeline $Pipeline
    $took | Should -BeLessThan $Within -Because "Stop took $([int]$took.TotalMilliseconds) ms"
    $Pipeline.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
    $took
}

function Remove-TestPipeline([Parameter(Mandatory)] $Pipeline) {
    $Pipeline.PowerShell.Runspace.Dispose()
    $Pipeline.PowerShell.Dispose()
}

<#
Imports a fresh busybox root file system (/bin, /etc with a random build-id, /tmp, /data; a new image id each time) as
-Reference, labelled for this run (so the cleanup removes it), with CMD ["sh"], -ExtraBytes random bytes in
/data/random.bin and the Dockerfile instructions of -Change; returns the image id (sha256:…).
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
    $changes = @('--change', "LABEL $(Get-TestLabel)", '--change', 'CMD ["sh"]') + @($Change | ForEach-Object { '--change'; $_ })
    $id = & bash -c $script bash $Reference $ExtraBytes @changes
    if ($LASTEXITCODE -ne 0) { throw "The image $Reference could not be made." }
    $global:LASTEXITCODE = 0
    "$id".Trim()
}

<# An image of this run with 192 MiB of random bytes in /data/random.bin, for transfers long enough to be stopped. #>
function Initialize-TestBigImage {
    $reference = 'dockerps-big/data:latest'
    if (-not (Test-DockerImage $reference)) {
        $null = New-TestRootfsImage -Reference $reference -ExtraBytes (192MB)
    }
    $reference
}


<#
Removes what this run made on the engine: containers by label and by name prefix (with their anonymous volumes),
then images, volumes and networks by label, and the run's temporary folder. -All takes every earlier test run's
leftovers too (the runner does that once before the suite, unless other runs share the engine).
#>
function Remove-TestResource {
    param([switch] $All, [string] $DockerHost)
    $prefix = if ($DockerHost) { @('-H', $DockerHost) } else { @() }
    $label = if ($All) { "label=$script:LabelKey" } else { "label=$(Get-TestLabel)" }
    $name = if ($All) { 'name=dockerps-test-' } else { "name=dockerps-test-$script:RunId-" }
    # Each list in @(): a single id would otherwise be a string, and splatting a string passes its characters.
    $containers = @(@(Invoke-DockerCli @prefix ps -aq --filter $label) + @(Invoke-DockerCli @prefix ps -aq --filter $name) |
        Where-Object { $_ } | Sort-Object -Unique)
    if ($containers) { $null = Get-DockerCliResult @prefix rm -f -v @containers }
    # An image with a child of this run (built or committed from it) goes only once the child has gone: a few rounds.
    for ($round = 0; $round -lt 5; $round++) {
        $images = @(Invoke-DockerCli @prefix images -aq --no-trunc --filter $label | Where-Object { $_ } | Sort-Object -Unique)
        if (-not $images) { break }
        $null = Get-DockerCliResult @prefix rmi -f @images
    }
    foreach ($kind in 'volume', 'network') {
        $ids = @(Invoke-DockerCli @prefix $kind ls -q --filter $label | Where-Object { $_ })
        if ($ids) { $null = Get-DockerCliResult @prefix $kind rm @ids }
    }
    if ($script:WorkDir -and (Test-Path $script:WorkDir)) {
        Remove-Item -Recurse -Force -LiteralPath $script:WorkDir -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function *-*
