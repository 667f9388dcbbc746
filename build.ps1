#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, documents and packages DockerPS.
.DESCRIPTION
    Build (default): lays the module out in out/DockerPS (manifest, entry script and loader, bin/, formats, types and
    en-US help).
    Test: runs every test as CI does (tests/run.sh: the engine, xunit and the Pester suite in pwsh 7.6.9); on other
    systems, with an engine already answering, the xunit suite and then the Pester suite.
    Docs: makes the MAML help (out/DockerPS/en-US) from the markdown pages in docs/en-US.
    Package: builds in Release, checks the manifest and makes DockerPS.<version>.nupkg (in out/, or -OutputPath), the
    package Publish-PSResource -NupkgPath puts into a repository and Install-PSResource installs from it.
.PARAMETER Task
    Build, Test, Docs or Package.
.PARAMETER Configuration
    Debug or Release (Package always builds Release).
.PARAMETER OutputPath
    Package only: the folder the .nupkg is written to (made when missing); out/ by default.
.EXAMPLE
    ./build.ps1 -Task Package -OutputPath ./artifacts
    Publish-PSResource -NupkgPath ./artifacts/DockerPS.0.1.0.nupkg -Repository MyRepository
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [string] $OutputPath = (Join-Path $PSScriptRoot 'out')
)

$ErrorActionPreference = 'Stop'
$moduleFolder = Join-Path $PSScriptRoot 'out/DockerPS'

# A plain function, so that the program's own switches (-c, -v…) reach it untouched.
function Invoke-Native {
    $command, $arguments = $args
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "$command $($arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build([string] $Configuration) {
    Invoke-Native dotnet build (Join-Path $PSScriptRoot 'src/DockerPS') -c $Configuration -nologo -v q
    Write-Information "Module laid out in $moduleFolder" -InformationAction Continue
}

switch ($Task) {
    'Build' {
        Invoke-Build $Configuration
    }
    'Test' {
        if ($IsLinux) {
            Invoke-Native bash (Join-Path $PSScriptRoot 'tests/run.sh')
        }
        else {
            # Elsewhere the tests expect an engine that already answers on the default socket or pipe.
            Invoke-Build $Configuration
            Invoke-Native dotnet test (Join-Path $PSScriptRoot 'tests/DockerPS.Tests') -c $Configuration --logger 'console;verbosity=normal'
            Invoke-Native (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'tests/pester/Run.ps1')
        }
    }
    'Docs' {
        Invoke-Native dotnet build (Join-Path $PSScriptRoot 'src/DockerPS.HelpGen') -c $Configuration -nologo -v q
        Invoke-Native dotnet run --project (Join-Path $PSScriptRoot 'src/DockerPS.HelpGen') -c $Configuration --no-build -- (Join-Path $PSScriptRoot 'docs/en-US') (Join-Path $moduleFolder 'en-US')
        Write-Information "Help made in $(Join-Path $moduleFolder 'en-US')" -InformationAction Continue
    }
    'Package' {
        Invoke-Build Release
        $null = Test-ModuleManifest -Path (Join-Path $moduleFolder 'DockerPS.psd1')
        $null = New-Item -ItemType Directory -Force -Path $OutputPath
        $version = (Import-PowerShellDataFile (Join-Path $moduleFolder 'DockerPS.psd1')).ModuleVersion
        $package = Join-Path $OutputPath "DockerPS.$version.nupkg"
        Remove-Item -LiteralPath $package -ErrorAction Ignore
        Compress-PSResource -Path $moduleFolder -DestinationPath $OutputPath
        if (-not (Test-Path -LiteralPath $package)) { throw "Compress-PSResource did not make $package" }
        Write-Information "Package: $package" -InformationAction Continue
        Get-Item -LiteralPath $package
    }
}
