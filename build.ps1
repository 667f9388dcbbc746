#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests, documents and packages DockerPS.
.DESCRIPTION
    A thin wrapper over dotnet for pwsh users; CI and the README's Linux commands call dotnet and bash directly.
.PARAMETER Task
    Build (default): lays the module out in out/DockerPS.
    Test: builds, starts the test engine when needed (Linux, as root) and runs the xunit suite.
    Docs: regenerates the MAML help in out/DockerPS/en-US from docs/en-US.
    Package: builds in Release and zips out/DockerPS into out/DockerPS-<version>.zip.
.PARAMETER Configuration
    Debug or Release.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

switch ($Task) {
    'Build' {
        Invoke-Dotnet build src/DockerPS -c $Configuration -nologo
        Write-Host "Module laid out in $(Join-Path $PSScriptRoot 'out/DockerPS')"
    }
    'Test' {
        if ($IsLinux) {
            & bash tests/run.sh
            if ($LASTEXITCODE -ne 0) { throw "tests failed ($LASTEXITCODE)" }
        }
        else {
            # Elsewhere the tests expect an engine that already answers on the default socket.
            Invoke-Dotnet test tests/DockerPS.Tests -c $Configuration --logger 'console;verbosity=normal'
        }
    }
    'Docs' {
        Invoke-Dotnet build src/DockerPS.HelpGen -c $Configuration -nologo
        Invoke-Dotnet run --project src/DockerPS.HelpGen -c $Configuration --no-build -- docs/en-US out/DockerPS/en-US
    }
    'Package' {
        Invoke-Dotnet build src/DockerPS -c Release -nologo
        $version = (Import-PowerShellDataFile ./DockerPS.psd1).ModuleVersion
        $zip = Join-Path $PSScriptRoot "out/DockerPS-$version.zip"
        Compress-Archive -Path (Join-Path $PSScriptRoot 'out/DockerPS') -DestinationPath $zip -Force
        Write-Host "Package: $zip"
    }
}
