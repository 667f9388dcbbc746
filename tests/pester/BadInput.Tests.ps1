# Bad input to the cmdlets, in real pwsh: unknown names, images in use, -WhatIf, archives that cannot be written or
# read, an engine that is not there, and parameters that cannot be right. Each error carries its id, category, target
# and words; the engine (through the docker CLI) shows that nothing else changed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Errors.Support.ps1')
    $script:label = Get-TestLabel
    $script:image = Get-TestBaseImage
    $script:runId = Get-TestRunId
}

AfterAll {
    Remove-TestResource
}

Describe 'An unknown name is ObjectNotFound, and the pipeline goes on' {
    It 'Remove-DockerImage reports the unknown image and still removes the next one; Get-DockerImage still gets the next one' {
        $doomed = "dockerps-test/doomed:$runId"
        $null = New-TestRootfsImage $doomed
        $null = Remove-DockerImage -Name dockerps-test/no-such-image:1, $doomed -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'ImageNotFound,DockerPS.Cmdlets.Image.RemoveDockerImageCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -BeExactly 'dockerps-test/no-such-image:1'
        Test-DockerImage $doomed | Should -BeFalse -Because 'the next item was still removed'

        $images = Get-DockerImage -Name dockerps-test/no-such-image:1, $image -ErrorVariable getErr -ErrorAction SilentlyContinue
        @($getErr | Get-TestErrorId) | Should -Be @('ImageNotFound')
        @($images).Count | Should -Be 1
        $images | Should -BeOfType DockerPS.DockerImage
        $images.Id | Should -Be (Invoke-DockerCli image inspect --format '{{.Id}}' $image)
    }

    It 'Stop-DockerContainer reports the unknown container and still stops the next one; exec and create name what is missing' {
        $name = New-TestName 'survivor'
        $null = Invoke-DockerCli run -d --name $name --label $label $image sleep 300
        $stopped = 'dockerps-test-no-such-container', $name | ForEach-Object { [pscustomobject]@{ Name = $_ } } |
            Stop-DockerContainer -Timeout 1 -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0] | Get-TestErrorId | Should -BeExactly 'ContainerNotFound'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -BeExactly 'dockerps-test-no-such-container'
        @($stopped).Count | Should -Be 1
        $stopped | Should -BeOfType DockerPS.DockerContainer
        $stopped.Name | Should -BeExactly $name
        Get-DockerContainerState $name | Should -Be 'exited'

        Invoke-DockerExec -Container dockerps-test-no-such-container -Command true -ErrorVariable execErr -ErrorAction SilentlyContinue
        @($execErr | Get-TestErrorId) | Should -Be @('ContainerNotFound')

        Invoke-DockerExec -Container $name -Command true -ErrorVariable notRunning -ErrorAction SilentlyContinue
        @($notRunning | Get-TestErrorId) | Should -Be @('ContainerNotRunning')

        $x = New-TestName 'x'
        New-DockerContainer -Image dockerps-test/no-such-image:9 -Name $x -ErrorVariable createErr -ErrorAction SilentlyContinue
        $createErr.Count | Should -Be 1
        $createErr[0] | Get-TestErrorId | Should -BeExactly 'ImageNotFound'
        $createErr[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Test-DockerContainer $x | Should -BeFalse
    }
}

Describe 'Removing what is in use, or only asking what would be removed' {
    It 'Remove-DockerImage without -Force on an image a container uses is ResourceUnavailable, and the image stays' {
        $reference = "dockerps-test/inuse:$runId"
        $id = New-TestRootfsImage $reference
        $name = New-TestName 'user'
        $null = Invoke-DockerCli create --name $name --label $label $reference true
        Get-DockerImage $reference | Remove-DockerImage -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0] | Get-TestErrorId | Should -BeExactly 'ImageInUse'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err[0].Exception.Message | Should -BeLikeExactly '*Force*'
        Invoke-DockerCli image inspect --format '{{.Id}}' $reference | Should -Be $id
        Test-DockerContainer $name | Should -BeTrue
    }

    It '-WhatIf on Remove-DockerImage and Remove-DockerContainer changes nothing, and says what it would do' {
        $reference = "dockerps-test/whatif:$runId"
        $id = New-TestRootfsImage $reference
        $name = New-TestName 'whatif'
        $null = Invoke-DockerCli create --name $name --label $label $image true
        # In a pwsh of its own, whose console shows the What if: lines.
        $child = Invoke-TestPwsh -Variable @{ manifest = $ModuleManifest; reference = $reference; n = $name } -Script @'
$ErrorActionPreference = 'Stop'
Import-Module $manifest
Get-DockerImage $reference | Remove-DockerImage -Force -WhatIf
Get-DockerContainer -Name $n | Remove-DockerContainer -Force -WhatIf
Remove-DockerContainer -Name $n -WhatIf
'@
        $child.ExitCode | Should -Be 0 -Because $child.Error
        $child.Error | Should -BeNullOrEmpty
        $child.Output | Should -Contain "What if: Performing the operation `"Untag, then delete image $($id.Substring(7, 12)) (no reference left)`" on target `"$reference`"."
        @($child.Output | Where-Object { $_ -like 'What if:*' -and $_ -like "*$name*" }).Count | Should -Be 2
        Invoke-DockerCli image inspect --format '{{.Id}}' $reference | Should -Be $id
        Test-DockerContainer $name | Should -BeTrue

        # And in this session too.
        Get-DockerImage $reference | Remove-DockerImage -Force -WhatIf -ErrorVariable err
        Remove-DockerContainer -Name $name -Force -WhatIf -ErrorVariable +err
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli image inspect --format '{{.Id}}' $reference | Should -Be $id
        Test-DockerContainer $name | Should -BeTrue
    }
}

Describe 'Save-DockerImage writes a whole archive or none' {
    It 'with an unknown image among the names, it reports that image, warns, and leaves no file' {
        $archive = New-TestPath 'unknown.tar'
        Save-DockerImage -Name $image, dockerps-test/no-such-image:1 -Path $archive -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0] | Get-TestErrorId | Should -BeExactly 'ImageNotFound'
        $err[0].TargetObject | Should -BeExactly 'dockerps-test/no-such-image:1'
        @($warn | Where-Object { "$_" -clike '*No archive was written*' }).Count | Should -BeGreaterThan 0
        $archive | Should -Not -Exist
        Get-ChildItem -LiteralPath (Split-Path $archive) -Filter '*.partial' | Should -BeNullOrEmpty
    }

    It 'a path in a missing folder, a folder, or a file without -Force is ArchiveDestinationInvalid and writes nothing' {
        $folder = Split-Path (New-TestPath 'anchor')
        $missing = Join-Path $folder "no-such-folder-$runId/images.tar"
        $err = { Save-DockerImage -Name $image -Path $missing } | Should -Throw -PassThru
        $err | Get-TestErrorId | Should -BeExactly 'ArchiveDestinationInvalid'
        $err.CategoryInfo.Category | Should -Be 'WriteError'
        $err.TargetObject | Should -BeExactly $missing
        Split-Path $missing | Should -Not -Exist

        # A folder is not a file to write to, and an existing file needs -Force.
        $folderErr = { Save-DockerImage -Name $image -Path $folder } | Should -Throw -PassThru
        $folderErr | Get-TestErrorId | Should -BeExactly 'ArchiveDestinationInvalid'
        Test-Path -LiteralPath $folder -PathType Container | Should -BeTrue

        $existing = New-TestPath 'existing.tar'
        Set-Content -LiteralPath $existing -Value 'keep me' -NoNewline
        $existsErr = { Save-DockerImage -Name $image -Path $existing } | Should -Throw -PassThru
        $existsErr | Get-TestErrorId | Should -BeExactly 'ArchiveDestinationInvalid'
        $existsErr.CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content -Raw -LiteralPath $existing | Should -BeExactly 'keep me'

        Save-DockerImage -Name $image -Path $existing -Force -ErrorVariable forceErr
        $forceErr | Should -BeNullOrEmpty
        (Get-Item -LiteralPath $existing).Length | Should -BeGreaterThan 1000000
        # The engine reads the archive back as the image.
        (Invoke-DockerCli load -i $existing) -join "`n" | Should -BeLike "*$image*"
        Get-ChildItem -LiteralPath $folder -Filter '*.partial' | Should -BeNullOrEmpty
    }
}

Describe 'Import-DockerImage of what is not a whole image archive' {
    It 'a truncated archive or a text file is ImageLoadFailed (InvalidData) and loads no image; a missing file is ArchiveNotFound' {
        $reference = "dockerps-test/trunc:$runId"
        $id = New-TestRootfsImage $reference
        $whole = New-TestPath 'whole.tar'
        $null = Invoke-DockerCli save -o $whole $reference
        $null = Invoke-DockerCli rmi $reference
        Test-DockerImage $id | Should -BeFalse
        $truncated = New-TestPath 'truncated.tar'
        Copy-Item -LiteralPath $whole -Destination $truncated
        $stream = [System.IO.File]::OpenWrite($truncated)
        try { $stream.SetLength([math]::Floor($stream.Length / 2)) } finally { $stream.Dispose() }
        $text = New-TestPath 'notes.txt'
        Set-Content -LiteralPath $text -Value 'this is not an image archive'

        foreach ($file in $truncated, $text) {
            $out = Import-DockerImage -Path $file -ErrorVariable err -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0] | Get-TestErrorId | Should -BeExactly 'ImageLoadFailed'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $err[0].TargetObject | Should -BeExactly $file
        }
        Test-DockerImage $id | Should -BeFalse
        Test-DockerImage $reference | Should -BeFalse

        # A tarball that is not a filesystem is refused by the engine itself: that reply is an error too.
        $never = "dockerps-test/never:$runId"
        $fsErr = { $script:fs = Import-DockerImage -FileSystemPath $text -Repository $never } | Should -Throw -PassThru
        $fsErr | Get-TestErrorId | Should -BeExactly 'ImageImportFailed'
        $script:fs | Should -BeNullOrEmpty
        Test-DockerImage $never | Should -BeFalse

        $missing = Join-Path (Split-Path $text) "missing-$runId.tar"
        Import-DockerImage -Path $missing -ErrorVariable missingErr -ErrorAction SilentlyContinue
        @($missingErr | Get-TestErrorId) | Should -Be @('ArchiveNotFound')
    }
}

Describe 'An engine socket that is not there' {
    It 'is a terminating ConnectionError that says where it looked; the next statement still runs' {
        $run = Invoke-TestScript "Get-DockerImage -DockerHost unix:///tmp/dockerps-no-such.sock; 'after'"
        $run.Errors.Count | Should -Be 1
        $run.Errors[0] | Get-TestErrorId | Should -BeExactly 'DockerHostUnreachable'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $run.Errors[0].Exception.Message | Should -BeLikeExactly '*/tmp/dockerps-no-such.sock*'
        $run.Output | Should -Be @('after')
    }

    It 'stops the cmdlet at the first of several names instead of failing each' {
        $run = Invoke-TestScript 'Remove-DockerContainer -Name a, b, c -Force -DockerHost unix:///tmp/dockerps-no-such.sock'
        @($run.Errors | Get-TestErrorId) | Should -Be @('DockerHostUnreachable')
    }

    It 'is caught by try/catch with -ErrorAction Stop' {
        $caught = try { Get-DockerContainer -DockerHost /tmp/dockerps-no-such.sock -ErrorAction Stop; 'no error' } catch { $_ }
        $caught | Should -BeOfType System.Management.Automation.ErrorRecord
        $caught.FullyQualifiedErrorId | Should -BeLikeExactly 'DockerHostUnreachable,*'
    }
}

Describe 'New-DockerContainer refuses a bad port, volume or environment variable before anything is created' {
    It '<Parameter> <Value> is <Id> (InvalidArgument) naming "<Part>"' -ForEach @(
        @{ Parameter = 'Port'; Value = 'abc:80'; Id = 'InvalidPortSpecification'; Part = 'abc' }
        @{ Parameter = 'Port'; Value = '8080:70000'; Id = 'InvalidPortSpecification'; Part = '70000' }
        @{ Parameter = 'Port'; Value = '80/icmp'; Id = 'InvalidPortSpecification'; Part = 'icmp' }
        @{ Parameter = 'Port'; Value = '1.2.3:80:80'; Id = 'InvalidPortSpecification'; Part = '1.2.3' }
        @{ Parameter = 'Port'; Value = '8000-8002:80-81'; Id = 'InvalidPortSpecification'; Part = 'differ in length' }
        @{ Parameter = 'Volume'; Value = 'data:relative/path'; Id = 'InvalidVolumeSpecification'; Part = 'relative/path' }
        @{ Parameter = 'Volume'; Value = '/a:/b:bogus'; Id = 'InvalidVolumeSpecification'; Part = 'bogus' }
        @{ Parameter = 'Environment'; Value = '=value'; Id = 'InvalidEnvironmentVariable'; Part = '=value' }
    ) {
        $name = New-TestName 'bad'
        $settings = @{ $Parameter = $Value }
        # A statement-terminating error: the user's script stops at this command.
        $err = { New-DockerContainer -Image $image -Name $name @settings } | Should -Throw -PassThru
        $err | Get-TestErrorId | Should -BeExactly $Id
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLikeExactly "*$([WildcardPattern]::Escape($Part))*"
        Test-DockerContainer $name | Should -BeFalse -Because "nothing was created for -$Parameter $Value"
    }

    It 'a name that is taken is ContainerNameInUse (ResourceExists)' {
        $taken = New-TestName 'taken'
        $id = Invoke-DockerCli create --name $taken --label $label $image true
        New-DockerContainer -Image $image -Name $taken -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerNameInUse')
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Invoke-DockerCli container inspect --format '{{.Id}}' $taken | Should -Be $id
    }
}
