# The module as a user meets it: manifest, exports, help, format views and tab completion, in real pwsh.

BeforeDiscovery {
    $manifest = Join-Path $PSScriptRoot '../../out/DockerPS/DockerPS.psd1'
    $script:cmdletNames = (Import-PowerShellDataFile $manifest).CmdletsToExport
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    $script:manifest = Join-Path (Get-TestRepoRoot) 'out/DockerPS/DockerPS.psd1'
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

AfterAll {
    Remove-TestResource
}

Describe 'The manifest' {
    It 'passes Test-ModuleManifest, and its version is the assembly''s' {
        $module = Test-ModuleManifest -Path $manifest -ErrorAction Stop
        $assembly = [DockerPS.DockerImage].Assembly
        $assembly.Location | Should -Be (Join-Path (Split-Path $manifest) 'bin/DockerPS.dll')
        $version = $assembly.GetName().Version
        $module.Version | Should -Be ([version]::new($version.Major, $version.Minor, $version.Build))
        $module.CompatiblePSEditions | Should -Contain 'Desktop'
        $module.CompatiblePSEditions | Should -Contain 'Core'
        $module.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'exports exactly the cmdlets the assembly defines, and the imported module has them all' {
        $inAssembly = [DockerPS.DockerImage].Assembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" } | Sort-Object
        $inAssembly.Count | Should -BeGreaterThan 40
        (Test-ModuleManifest -Path $manifest).ExportedCmdlets.Keys | Sort-Object | Should -Be $inAssembly
        (Get-Module DockerPS).ExportedCmdlets.Keys | Sort-Object | Should -Be $inAssembly
        (Import-PowerShellDataFile $manifest).CmdletsToExport | Sort-Object | Should -Be $inAssembly
    }

    It 'has the metadata a gallery package needs' {
        $data = Import-PowerShellDataFile $manifest
        $data.Description | Should -Not -BeNullOrEmpty
        $data.Author | Should -Not -BeNullOrEmpty
        $psData = $data.PrivateData.PSData
        $psData.Tags | Should -Contain 'Docker'
        $psData.ProjectUri | Should -Match '^https://'
        $psData.LicenseUri | Should -Match '^https://'
        $psData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }
}

Describe 'Help of <_>' -ForEach $cmdletNames {
    BeforeAll {
        $name = $_
        $command = Get-Command $name -Module DockerPS
        $help = Get-Help $name -Full
        $page = Join-Path (Get-TestRepoRoot) "docs/en-US/$name.md"
    }

    It 'has a markdown page in docs/en-US' {
        $page | Should -Exist
    }

    It 'has a synopsis of its own' {
        "$($help.Synopsis)".Trim() | Should -Not -BeNullOrEmpty
        # Without a synopsis of its own, Get-Help shows the syntax line instead.
        "$($help.Synopsis)" | Should -Not -Match "^$([regex]::Escape($name)) \[-"
    }

    It 'documents every parameter, and no parameter it lacks' {
        $own = $command.Parameters.Keys | Where-Object { $_ -notin $common }
        $documented = @($help.parameters.parameter | ForEach-Object name)
        foreach ($parameter in $own) {
            $parameter | Should -BeIn $documented -Because "Get-Help $name -Full should describe -$parameter"
            ($help.parameters.parameter | Where-Object name -EQ $parameter).description.Text | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
        foreach ($parameter in $documented | Where-Object { $_ -notin $common }) {
            $command.Parameters.Keys | Should -Contain $parameter -Because "the help of $name documents -$parameter"
        }
    }

    It 'has an example that calls it' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        $examples[0].code | Should -Match ([regex]::Escape($name))
    }
}

Describe 'Format views' {
    It 'exist for every DockerPS type a cmdlet declares as its output' {
        $types = Get-Command -Module DockerPS | ForEach-Object OutputType | ForEach-Object Type |
            Where-Object { $_ -and $_.Namespace -like 'DockerPS*' } | Sort-Object FullName -Unique
        $types.Count | Should -BeGreaterThan 10
        foreach ($type in $types) {
            Get-FormatData -TypeName $type.FullName | Should -Not -BeNullOrEmpty -Because "$($type.FullName) is written by a cmdlet"
        }
    }

    It 'render the docker CLI''s columns over real values' {
        $name = New-TestName fmt
        $null = Invoke-DockerCli run -d --name $name --label (Get-TestLabel) -p 127.0.0.1::80 (Get-TestBaseImage) sleep 300
        $imageId = Invoke-DockerCli image inspect --format '{{.Id}}' (Get-TestBaseImage)
        $id = (Invoke-DockerCli container inspect --format '{{.Id}}' $name).Substring(0, 12)

        $images = Get-DockerImage dockerps-test/busybox | Out-String -Width 200
        $images | Should -Match 'REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE'
        $images | Should -Match "dockerps-test/busybox\s+latest\s+$($imageId.Substring(7, 12))\s+\S.* ago\s+\d+(\.\d+)?MB"

        $containers = Get-DockerContainer -Name $name | Out-String -Width 200
        $containers | Should -Match 'CONTAINER ID\s+NAMES\s+STATUS\s+IMAGE\s+COMMAND\s+CREATED\s+PORTS'
        $containers | Should -Match "$id\s+$name\s+Up .*dockerps-test/busyb\S*\s+`"sleep 300`"\s+\S.*127\.0\.0\.1:\d+->80/tcp"

        # The columns are text; the objects underneath keep real values.
        $container = Get-DockerContainer -Name $name
        $container.Created | Should -BeOfType [datetime]
        $container.State | Should -Be ([DockerPS.ContainerState]::Running)
        $container.Ports[0].PublicPort | Should -BeGreaterThan 0
    }
}

Describe 'Tab completion' {
    It 'offers image and container names from the engine' {
        $name = New-TestName complete
        $null = Invoke-DockerCli create --name $name --label (Get-TestLabel) (Get-TestBaseImage) true
        Get-TestCompletion 'Get-DockerImage dockerps-test/bu' | Should -Contain 'dockerps-test/busybox:latest'
        Get-TestCompletion 'New-DockerContainer -Image dockerps-test/bu' | Should -Contain 'dockerps-test/busybox:latest'
        $prefix = $name.Substring(0, $name.Length - 3)
        Get-TestCompletion "Stop-DockerContainer -Name $prefix" | Should -Be @($name)
        Get-TestCompletion "Invoke-DockerExec -Container $prefix" | Should -Contain $name
    }

    It 'offers nothing, without an error, when no engine answers' {
        $Error.Clear()
        Get-TestCompletion 'Get-DockerImage -DockerHost unix:///tmp/dockerps-no-such.sock -Name dock' | Should -BeNullOrEmpty
    }

    It 'is attached to every parameter that takes the name of an existing <_>' -ForEach 'Container', 'Image', 'Volume', 'Network' {
        $noun = $_
        # Names that do not exist yet (new containers, images to pull) and mount specifications (name:/path) aside.
        $notExisting = 'New-DockerContainer -Volume', 'Invoke-DockerContainer -Volume', 'Invoke-DockerContainer -Name', 'Request-DockerImage -Name', 'Find-DockerImage -Name'
        $missing = foreach ($command in Get-Command -Module DockerPS) {
            foreach ($parameter in $command.Parameters.Values) {
                $takesNames = $parameter.ParameterType -in [string], [string[]] -and "$($command.Name) -$($parameter.Name)" -notin $notExisting -and (
                    $parameter.Name -eq $noun -or ($parameter.Name -eq 'Name' -and $command.Noun -eq "Docker$noun" -and $command.Verb -ne 'New'))
                if ($takesNames -and -not ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] })) {
                    "$($command.Name) -$($parameter.Name)"
                }
            }
        }
        $missing | Should -BeNullOrEmpty
    }
}
