# Shared set-up of the Pester suite: the module under test from the build output, a run id that labels and names
# everything the tests make on the engine, ground truth from the docker CLI, and the cleanup. Each *.Tests.ps1 file
# imports this module in its BeforeAll and calls Remove-TestResource in its AfterAll.

Set-StrictMode -Version Latest

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:LabelKey = 'dockerps.test.run'
$script:RunId = if ($env:DOCKERPS_TEST_RUN_ID) { $env:DOCKERPS_TEST_RUN_ID } else { [guid]::NewGuid().ToString('N').Substring(0, 8) }
$script:BaseImage = 'dockerps-test/busybox:latest'
$script:WorkDir = $null

function Get-TestRepoRoot { $script:RepoRoot }

function Get-TestRunId { $script:RunId }

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
    $path = & bash (Join-Path $script:RepoRoot 'tests/tools/install-pwsh.sh')
    if ($LASTEXITCODE -ne 0) { throw 'pwsh 7.6.9 could not be installed.' }
    "$path".Trim()
}

<#
Imports DockerPS from the build output (out/DockerPS) and makes sure the busybox test image exists. Call it in every
file's BeforeAll.
#>
function Initialize-DockerPSTest {
    $manifest = Join-Path $script:RepoRoot 'out/DockerPS/DockerPS.psd1'
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
    $images = @(Invoke-DockerCli @prefix images -q --no-trunc --filter $label | Where-Object { $_ } | Sort-Object -Unique)
    if ($images) { $null = Get-DockerCliResult @prefix rmi -f @images }
    foreach ($kind in 'volume', 'network') {
        $ids = @(Invoke-DockerCli @prefix $kind ls -q --filter $label | Where-Object { $_ })
        if ($ids) { $null = Get-DockerCliResult @prefix $kind rm @ids }
    }
    if ($script:WorkDir -and (Test-Path $script:WorkDir)) {
        Remove-Item -Recurse -Force -LiteralPath $script:WorkDir -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function *-*
