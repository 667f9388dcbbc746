<#
.SYNOPSIS
    Runs the Pester suite (tests/pester/*.Tests.ps1) with Pester 5.9.1 against the real engine.
.DESCRIPTION
    tests/run.sh calls this after the xunit suite; run it alone with
    `tests/tools/pwsh/pwsh -File tests/pester/Run.ps1 [-Path <file>...] [-FullName '*wildcard*']`.
    Pester comes from the NuGet package that tests/tools/fetch-packages.sh restores (its tools/ folder is the module).
    Its last line reads "Pester: N passed, N failed, N skipped"; the exit code is 1 when a test failed.
#>
[CmdletBinding()]
param(
    # Test files or folders; all of tests/pester by default.
    [string[]] $Path = $PSScriptRoot,

    # Only tests whose full name (Describe, Context and It names joined by dots) matches one of these wildcards.
    [string[]] $FullName,

    # The Pester module's manifest; found through tests/tools/fetch-packages.sh when not given.
    [string] $PesterManifest
)

$ErrorActionPreference = 'Stop'
# pwsh -File passes "a,b" as one string: lists are split here.
$Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
$FullName = @($FullName | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
if (-not $PesterManifest) {
    $store = & bash (Join-Path $PSScriptRoot '../tools/fetch-packages.sh')
    if ($LASTEXITCODE -ne 0) { throw 'The test packages could not be fetched from NuGet.' }
    $PesterManifest = Join-Path $store 'pester/5.9.1/tools/Pester.psd1'
}
Import-Module $PesterManifest -ErrorAction Stop

# One run id for every file, so the cleanup at the end finds everything the run made.
if (-not $env:DOCKERPS_TEST_RUN_ID) {
    $env:DOCKERPS_TEST_RUN_ID = [guid]::NewGuid().ToString('N').Substring(0, 8)
}
Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
if ($env:DOCKERPS_TEST_SHARED_ENGINE -ne '1') {
    # Leftovers of crashed earlier runs, unless other runs share the engine right now.
    Remove-TestResource -All
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
if ($FullName.Count) { $configuration.Filter.FullName = $FullName }

try {
    $result = Invoke-Pester -Configuration $configuration
}
finally {
    Remove-TestResource
}

# The failures again at the end, where a log's tail shows them.
foreach ($test in $result.Failed) {
    "FAILED: $($test.ExpandedPath)"
    foreach ($errorRecord in $test.ErrorRecord) { "    $($errorRecord.Exception.Message -replace '\s*\n\s*', ' ')" }
}
foreach ($block in @($result.FailedBlocks) + @($result.FailedContainers)) {
    "FAILED (set-up): $(if ($block.ExpandedPath) { $block.ExpandedPath } else { $block.Item })"
    foreach ($errorRecord in $block.ErrorRecord) { "    $($errorRecord.Exception.Message -replace '\s*\n\s*', ' ')" }
}
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
"Pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount) skipped"  # tests left out by -FullName are not counted
exit ([int]($failed -gt 0 -or $result.Result -ne 'Passed'))
