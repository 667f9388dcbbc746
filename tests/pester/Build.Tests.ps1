# build.ps1 in real pwsh: Build, Docs and Package, and the package installed as any module is: published into a local
# file repository with Publish-PSResource, installed from it with Install-PSResource into a clean module path, imported
# by name, and run against the engine. (build.ps1 -Task Test is what tests/run.sh does, so it is not run from here.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    $script:root = Get-TestRepoRoot
    $script:pwsh = Get-TestPwsh
    $script:build = Join-Path $root 'build.ps1'

    # Runs a script in a new pwsh whose home (and so its module path and PSResourceGet's settings) is the folder given.
    function Invoke-ChildPwsh([string] $Script, [string] $HomeFolder) {
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME }
        try {
            if ($HomeFolder) {
                # .NET answers an empty path for a special folder that does not exist (PSResourceGet would then keep
                # its settings in the current folder), so the folders are made first.
                $null = New-Item -ItemType Directory -Force -Path (Join-Path $HomeFolder '.local/share'), (Join-Path $HomeFolder '.config'), (Join-Path $HomeFolder '.cache')
                $env:HOME = $HomeFolder
                $env:XDG_DATA_HOME = Join-Path $HomeFolder '.local/share'
                $env:XDG_CONFIG_HOME = Join-Path $HomeFolder '.config'
                $env:XDG_CACHE_HOME = Join-Path $HomeFolder '.cache'
            }
            $output = & $pwsh -NoProfile -NonInteractive -Command $Script 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
        }
        finally {
            foreach ($key in $saved.Keys) { Set-Item "env:$key" -Value $saved[$key] }
            $global:LASTEXITCODE = 0
        }
    }
}

AfterAll {
    Remove-TestResource
}

Describe 'build.ps1' {
    It 'Build lays the module out in out/DockerPS' {
        $result = Invoke-ChildPwsh "& '$build' -Task Build"
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        Join-Path $root 'out/DockerPS/DockerPS.psd1' | Should -Exist
        Join-Path $root 'out/DockerPS/bin/DockerPS.dll' | Should -Exist
        Join-Path $root 'out/DockerPS/DockerPS.Loader.dll' | Should -Exist
    }

    It 'Docs makes MAML help with one command for each page in docs/en-US' {
        $result = Invoke-ChildPwsh "& '$build' -Task Docs"
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        [xml] $maml = Get-Content -Raw (Join-Path $root 'out/DockerPS/en-US/DockerPS.dll-Help.xml')
        $commands = $maml.helpItems.command.details.name | ForEach-Object Trim | Sort-Object
        $pages = Get-ChildItem (Join-Path $root 'docs/en-US') -Filter '*-Docker*.md' | ForEach-Object BaseName | Sort-Object
        $commands | Should -Be $pages
        Join-Path $root 'out/DockerPS/en-US/about_DockerPS.help.txt' | Should -Exist
    }

    It 'a bad task is refused before anything runs' {
        $result = Invoke-ChildPwsh "& '$build' -Task Deploy"
        $result.ExitCode | Should -Not -Be 0
        $result.Output -join "`n" | Should -Match 'Task'
    }
}

Describe 'The package' {
    BeforeAll {
        $script:work = New-TestPath package
        $script:homeFolder = Join-Path $work 'home'
        $script:repository = Join-Path $work 'repository'
        $null = New-Item -ItemType Directory -Path $homeFolder, $repository -Force
        $script:version = (Import-PowerShellDataFile (Join-Path $root 'DockerPS.psd1')).ModuleVersion
    }

    It 'Package makes DockerPS.<version>.nupkg with the whole module in it' {
        $result = Invoke-ChildPwsh "& '$build' -Task Package -OutputPath '$work'"
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        $script:nupkg = Join-Path $work "DockerPS.$version.nupkg"
        $nupkg | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
        try {
            $entries = $zip.Entries.FullName
        }
        finally {
            $zip.Dispose()
        }
        $shipped = Get-ChildItem -Recurse -File (Join-Path $root 'out/DockerPS') |
            ForEach-Object { [System.IO.Path]::GetRelativePath((Join-Path $root 'out/DockerPS'), $_.FullName).Replace('\', '/') }
        foreach ($file in $shipped) { $entries | Should -Contain $file }
        $entries | Should -Contain 'DockerPS.nuspec'
    }

    It 'is accepted by Publish-PSResource, installed by Install-PSResource into a clean module path, and works imported by name' {
        $image = Get-TestBaseImage
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name DockerPSTestLocal -Uri '$repository' -Trusted
Publish-PSResource -NupkgPath '$nupkg' -Repository DockerPSTestLocal
if (Get-Module -ListAvailable DockerPS) { throw 'DockerPS is already on the module path' }
'store=' + [Environment]::GetFolderPath('LocalApplicationData')
Install-PSResource -Name DockerPS -Repository DockerPSTestLocal -Scope CurrentUser -TrustRepository
Import-Module DockerPS
'base=' + (Get-Module DockerPS).ModuleBase
'version=' + (Get-Module DockerPS).Version
'id=' + (Get-DockerImage -Name '$image' | Select-Object -First 1).Id
'cmdlets=' + (Get-Command -Module DockerPS).Count
"@
        $result = Invoke-ChildPwsh $script -HomeFolder $homeFolder
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        Join-Path $repository "DockerPS.$version.nupkg" | Should -Exist
        $values = @{}
        foreach ($line in $result.Output -match '^\w+=') { $pair = $line.Split('=', 2); $values[$pair[0]] = $pair[1] }
        $values.base | Should -BeLike "$homeFolder*"
        $values.store | Should -BeLike "$homeFolder*" -Because 'PSResourceGet keeps its repositories under the home given'
        $values.version | Should -Be $version
        $values.id | Should -Be (Invoke-DockerCli image inspect --format '{{.Id}}' $image)
        [int] $values.cmdlets | Should -Be (Import-PowerShellDataFile (Join-Path $root 'DockerPS.psd1')).CmdletsToExport.Count
    }
}
