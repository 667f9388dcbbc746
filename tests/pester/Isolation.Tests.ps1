# DockerPS beside another module's copy of one of its dependencies, each in a real pwsh 7.6.9 process of its own: its
# dependencies load in its private load context, so neither order breaks DockerPS or the other copy; the module folder
# holds what that needs and nothing PowerShell already provides; and a dependency that cannot be loaded is an error
# that says so.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Errors.Support.ps1')
    $script:logging = 'Microsoft.Extensions.Logging.Abstractions'
    $script:moduleFolder = Split-Path $ModuleManifest
    $script:packageStore = "$(@(& bash (Join-Path (Get-TestRepoRoot) 'tests/tools/fetch-packages.sh'))[-1])".Trim()
    if ($LASTEXITCODE -ne 0) { throw 'The test packages could not be fetched from NuGet.' }

    # Loads the other copy as a module would, then uses its own types.
    $script:useOtherCopy = @'
function Use-OtherCopy {
    Add-Type -LiteralPath $other
    $type = [Microsoft.Extensions.Logging.Abstractions.NullLogger]
    "other-version=$($type.Assembly.GetName().Version)"
    "other-context=$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($type.Assembly) -eq [System.Runtime.Loader.AssemblyLoadContext]::Default)"
    "other-works=$($type::Instance.IsEnabled([Microsoft.Extensions.Logging.LogLevel]::Critical))|$([Microsoft.Extensions.Logging.EventId]::new(7, 'seven').Name)"
}
'@

    # A pipeline a user writes: objects of one cmdlet bound to the next, a type literal and a format view.
    $script:runPipeline = @'
$started = Get-DockerImage -Name $image | New-DockerContainer -Name $name -Label $label -Command sleep, 60 | Start-DockerContainer -PassThru
"id=$($started.Id)"
"typed=$($started -is [DockerPS.DockerContainer])"
"view=$((Get-DockerContainer -Name $name | Format-Table | Out-String) -match [regex]::Escape($name))"
"module-logging=$([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.GetType().Name -eq 'ModuleLoadContext' } | ForEach-Object Assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Logging.Abstractions' } | ForEach-Object { $_.GetName().Version })"
'@

    function ConvertTo-TestSaid([string[]] $Lines) {
        $said = @{}
        foreach ($line in $Lines | Where-Object { $_.Contains('=') }) {
            $at = $line.IndexOf('=')
            $said[$line.Substring(0, $at)] = $line.Substring($at + 1)
        }
        $said
    }
}

AfterAll {
    Remove-TestResource
}

Describe 'Another module''s copy of Microsoft.Extensions.Logging.Abstractions' {
    It '<Version> (<Framework>) loaded <When> importing DockerPS: a real pipeline works, and so do the other copy''s types' -ForEach @(
        @{ Version = '6.0.0'; Framework = 'net6.0'; When = 'before'; OtherFirst = $true }
        @{ Version = '10.0.15'; Framework = 'net10.0'; When = 'before'; OtherFirst = $true }
        @{ Version = '6.0.0'; Framework = 'net6.0'; When = 'after'; OtherFirst = $false }
        @{ Version = '10.0.15'; Framework = 'net10.0'; When = 'after'; OtherFirst = $false }
    ) {
        $name = New-TestName 'isolation'
        $other = Join-Path $packageStore "$($logging.ToLowerInvariant())/$Version/lib/$Framework/$logging.dll"
        $other | Should -Exist
        $body = if ($OtherFirst) {
            "Use-OtherCopy`nImport-Module `$manifest`n$runPipeline"
        }
        else {
            "Import-Module `$manifest`n$runPipeline`nUse-OtherCopy`n`"after=`$((Get-DockerContainer -Name `$name).Id)`""
        }
        $child = Invoke-TestPwsh -Script ("`$ErrorActionPreference = 'Stop'`n$useOtherCopy`n$body") -Variable @{
            other    = $other
            manifest = $ModuleManifest
            image    = Get-TestBaseImage
            name     = $name
            label    = Get-TestLabel
        }
        $child.ExitCode | Should -Be 0 -Because "pwsh said: $($child.Error) $($child.Output -join "`n")"
        $said = ConvertTo-TestSaid $child.Output

        # The engine's own account of the container the pipeline made and started.
        $id = Invoke-DockerCli container inspect --format '{{.Id}}' $name
        $said['id'] | Should -Be $id
        Get-DockerContainerState $name | Should -Be 'running'
        $said['typed'] | Should -Be 'True'
        $said['view'] | Should -Be 'True'

        # Each copy of the dependency serves its own user: DockerPS its 8.0 in its context, the other module its own.
        $said['module-logging'] | Should -Be '8.0.0.0'
        ([version]$said['other-version']).Major | Should -Be ([version]$Version).Major
        $said['other-context'] | Should -Be 'True'
        $said['other-works'] | Should -Be 'False|seven'
        if (-not $OtherFirst) {
            $said['after'] | Should -Be $id
        }
    }
}

Describe 'The module folder' {
    It 'holds the loader, the module and its dependencies in bin, and nothing PowerShell provides' {
        $bin = Join-Path $moduleFolder 'bin'
        Join-Path $moduleFolder 'DockerPS.psm1' | Should -Exist
        Join-Path $moduleFolder 'DockerPS.Loader.dll' | Should -Exist
        @(Get-ChildItem -LiteralPath $moduleFolder -Filter '*.dll' -File).Name | Should -Be @('DockerPS.Loader.dll')
        Join-Path $bin 'DockerPS.dll' | Should -Exist
        Join-Path $bin 'Docker.DotNet.dll' | Should -Exist
        Join-Path $bin "$logging.dll" | Should -Exist

        # What real pwsh provides: its own folder and the .NET runtime it runs on.
        $where = Invoke-TestPwsh -Script '$PSHOME; [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()'
        $where.ExitCode | Should -Be 0 -Because $where.Error
        $where.Output.Count | Should -Be 2
        $provided = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($file in Get-ChildItem -LiteralPath $where.Output -Filter '*.dll' -File) { $null = $provided.Add($file.Name) }
        $provided.Contains('System.Management.Automation.dll') | Should -BeTrue
        $provided.Contains('System.Text.Json.dll') | Should -BeTrue

        $everything = (Get-ChildItem -LiteralPath $moduleFolder -Filter '*.dll' -File -Recurse).Name
        $everything | Where-Object { $_ -like 'System.Management.Automation*' -or $_ -like 'Microsoft.PowerShell.*' } | Should -BeNullOrEmpty
        (Get-ChildItem -LiteralPath $bin -Filter '*.dll' -File).Name | Where-Object { $provided.Contains($_) } | Should -BeNullOrEmpty

        # bin/compat holds only what Windows PowerShell 5.1 lacks and pwsh has; pwsh 7.6.9 takes none of it.
        $compat = (Get-ChildItem -LiteralPath (Join-Path $bin 'compat') -Filter '*.dll' -File).Name
        $compat | Should -Not -BeNullOrEmpty
        $compat | Where-Object { -not $provided.Contains($_) } | Should -BeNullOrEmpty
    }

    It 'is where pwsh loads DockerPS from: the loader in the default context, everything else from bin in the module''s context' {
        $child = Invoke-TestPwsh -Variable @{ manifest = $ModuleManifest; module = $moduleFolder } -Script @'
$ErrorActionPreference = 'Stop'
Import-Module $manifest
$null = Get-DockerImage
foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies()) {
    if (-not $a.IsDynamic -and $a.Location.StartsWith($module)) {
        "$([System.IO.Path]::GetRelativePath($module, $a.Location))|$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($a).GetType().Name)"
    }
}
'@
        $child.ExitCode | Should -Be 0 -Because $child.Error
        $used = $child.Output
        $used | Should -Contain 'DockerPS.Loader.dll|DefaultAssemblyLoadContext'
        $used | Should -Contain 'bin/DockerPS.dll|ModuleLoadContext'
        $used | Should -Contain 'bin/Docker.DotNet.dll|ModuleLoadContext'
        foreach ($line in $used | Where-Object { -not $_.StartsWith('DockerPS.Loader.dll') }) {
            $line | Should -BeLikeExactly 'bin/*|ModuleLoadContext'
            $line | Should -Not -BeLikeExactly '*compat*'
        }
    }
}

Describe 'Importing DockerPS again in the same pwsh' {
    It 'keeps every cmdlet exported and working, after Import-Module -Force and after Remove-Module' {
        $expected = @((Import-PowerShellDataFile $ModuleManifest).CmdletsToExport).Count
        $name = New-TestName 'reimport'
        $label = Get-TestLabel
        $child = Invoke-TestPwsh -Variable @{ manifest = $ModuleManifest; name = $name; label = $label } -Script @'
$ErrorActionPreference = 'Stop'
Import-Module $manifest
"first=$((Get-Module DockerPS).ExportedCmdlets.Count)"
Import-Module $manifest -Force
"forced=$((Get-Module DockerPS).ExportedCmdlets.Count)"
Remove-Module DockerPS
Import-Module $manifest
"again=$((Get-Module DockerPS).ExportedCmdlets.Count)"
"modules=$(@(Get-Module DockerPS).Count)"
$key, $value = $label -split '=', 2
$volume = New-DockerVolume -Name $name -Label @{ $key = $value }
"typed=$($volume -is [DockerPS.DockerVolume])"
'@
        $child.ExitCode | Should -Be 0 -Because $child.Error
        $child.Output | Should -Contain "first=$expected"
        $child.Output | Should -Contain "forced=$expected"
        $child.Output | Should -Contain "again=$expected"
        $child.Output | Should -Contain 'modules=1'
        $child.Output | Should -Contain 'typed=True'
        # The engine has the volume the re-imported module made.
        $key, $value = $label -split '=', 2
        Invoke-DockerCli volume inspect --format ('{{ index .Labels "' + $key + '" }}') $name | Should -Be $value
    }
}

Describe 'A dependency that cannot be loaded' {
    It 'is DockerPSAssemblyLoadFailed naming it when it is <_>, not an engine that did not answer' -ForEach 'missing', 'damaged' {
        $how = $_
        # A copy of the module with one dependency missing, or not an assembly at all.
        $copy = Join-Path (Split-Path (New-TestPath 'anchor')) "module-$how-$([guid]::NewGuid().ToString('N').Substring(0, 6))/DockerPS"
        $null = New-Item -ItemType Directory -Path (Split-Path $copy)
        Copy-Item -LiteralPath $moduleFolder -Destination $copy -Recurse
        $broken = if ($how -eq 'missing') { $logging } else { 'Docker.DotNet.Unix' }
        $file = Join-Path $copy "bin/$broken.dll"
        $version = [System.Reflection.AssemblyName]::GetAssemblyName($file).Version.ToString()
        if ($how -eq 'missing') {
            Remove-Item -LiteralPath $file
        }
        else {
            [System.IO.File]::WriteAllBytes($file, [byte[]]::new(4096))
        }

        $child = Invoke-TestPwsh -Variable @{ manifest = Join-Path $copy 'DockerPS.psd1' } -Script @'
Import-Module $manifest -ErrorAction Stop
try { Get-DockerImage -ErrorAction Stop; 'no error' }
catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category; $_.TargetObject; $_.Exception.Message }
'@
        $child.ExitCode | Should -Be 0 -Because $child.Error
        $child.Output[0] | Should -BeExactly 'DockerPSAssemblyLoadFailed,DockerPS.Cmdlets.Image.GetDockerImageCommand'
        $child.Output[1] | Should -BeExactly 'ResourceUnavailable'
        $child.Output[2] | Should -BeLikeExactly "$broken, Version=$version*"
        $message = $child.Output[3..($child.Output.Count - 1)] -join ' '
        $message | Should -BeLikeExactly "*could not load the assembly $broken, version $version*"
        $message | Should -BeLikeExactly "*it looked in $(Join-Path $copy 'bin')*"
        if ($how -eq 'missing') {
            $message | Should -BeLikeExactly "*there is no $broken.dll there*"
        }
        else {
            $message | Should -BeLikeExactly "*$file is there but could not be loaded*"
        }

        # The engine was fine all along.
        (Get-DockerCliResult version).ExitCode | Should -Be 0
    }
}
