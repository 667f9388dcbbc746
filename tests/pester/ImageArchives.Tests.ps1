# Image archives as a user makes and loads them, in real pwsh: Save-DockerImage, Import-DockerImage (archives and
# file systems), the destinations every archive cmdlet refuses, and Ctrl+C during a load. Ground truth from the docker
# CLI, the archive's own bytes and the file system.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Images.Support.ps1')
    $label = Get-TestLabel
    $base = Get-TestBaseImage
}

AfterAll {
    Remove-TestResource
}

Describe 'Save-DockerImage and Import-DockerImage' {
    It 'save, remove and import give back the same references and image ids' {
        # Images that running containers use survive even a forced removal (as with docker rmi -f): start clean.
        $containers = @(Invoke-DockerCli ps -aq --filter "label=$label") + @(Invoke-DockerCli ps -aq --filter "name=dockerps-test-$(Get-TestRunId)-") | Where-Object { $_ }
        if ($containers) { $null = Invoke-DockerCli rm -f @containers }
        $secondId = New-TestRootfsImage 'dockerps-test/second:v1'
        $archive = New-TestPath images.tar

        # One object per reference: the pipeline saves, removes and loads back exactly the references it selected.
        $rows = @(Get-DockerImage -Name 'dockerps-test/*' -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $before = @($rows | ForEach-Object { "$($_.Reference) $($_.Id)" }) | Sort-Object
        $before | Should -Contain "dockerps-test/second:v1 $secondId"
        $before | Should -Contain "$base $(Get-TestImageId $base)"
        @($rows.Id | Sort-Object -Unique).Count | Should -BeGreaterOrEqual 2
        $cli = @(Invoke-DockerCli image ls 'dockerps-test/*' --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}') | Sort-Object
        $before | Should -Be $cli

        Get-DockerImage -Name 'dockerps-test/*' | Save-DockerImage -Path $archive -ErrorVariable err
        $err | Should -BeNullOrEmpty
        (Get-Item -LiteralPath $archive).Length | Should -BeGreaterThan 1000000 -Because 'the archive holds the busybox layers'
        Get-ChildItem -LiteralPath (Split-Path $archive) -Filter '*.partial' | Should -BeNullOrEmpty

        Get-DockerImage -Name 'dockerps-test/*' | Remove-DockerImage -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        foreach ($row in $rows) { Test-DockerImage $row.Reference | Should -BeFalse -Because "$($row.Reference) was removed" }

        # An image goes with its last reference; one that another repository still names stays.
        foreach ($image in $rows | Group-Object Id) {
            $allSelected = -not ($image.Group[0].RepoTags | Where-Object { $_ -notin $rows.Reference })
            Test-DockerImage $image.Name | Should -Be (-not $allSelected) -Because "$($image.Name) had the tags $($image.Group[0].RepoTags -join ', ')"
        }

        $imported = @(Import-DockerImage -Path $archive -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        @($imported | ForEach-Object { "$($_.Reference) $($_.Id)" }) | Sort-Object | Should -Be $before
        foreach ($row in $rows) { Get-TestImageId $row.Reference | Should -Be $row.Id }
    }

    It 'saves a gzip archive with -Compress, and it loads back' {
        $reference = "$(Get-TestRepository gz):1"
        $id = New-TestRootfsImage $reference
        $archive = New-TestPath images.tar.gz

        Save-DockerImage -Name $reference -Path $archive -Compress -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $bytes = [System.IO.File]::ReadAllBytes($archive)
        $bytes[0] | Should -Be 0x1f
        $bytes[1] | Should -Be 0x8b
        (& tar -tzf $archive) | Should -Contain 'manifest.json'

        Remove-DockerImage -Name $reference -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Test-DockerImage $id | Should -BeFalse
        $loaded = @(Import-DockerImage -Path $archive -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $loaded.Count | Should -Be 1
        $loaded[0].Id | Should -Be $id
        Get-TestImageId $reference | Should -Be $id
    }

    It 'writes the same bytes as the engine''s own docker save' {
        $ours = New-TestPath ours.tar
        $theirs = New-TestPath theirs.tar
        Save-DockerImage -Name $base -Path $ours -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $null = Invoke-DockerCli save -o $theirs $base
        (Get-FileHash -LiteralPath $ours).Hash | Should -Be (Get-FileHash -LiteralPath $theirs).Hash
        (Get-Item -LiteralPath $ours).Length | Should -Be (Get-Item -LiteralPath $theirs).Length
    }

    It 'imports the file system of an exported container, and it runs in a new container' {
        $source = New-TestName src
        $null = Invoke-DockerCli create --name $source --label $label $base sh
        # Put a marker into the container's file system, then export it with the engine.
        $marker = New-TestPath marker.txt
        Set-Content -LiteralPath $marker -NoNewline -Value "exported $(Get-TestRunId)"
        $null = Invoke-DockerCli cp $marker "${source}:/marker.txt"
        $tarball = New-TestPath fs.tar
        $null = Invoke-DockerCli export -o $tarball $source
        $name = New-TestName fromfs

        $image = @(Import-DockerImage -FileSystemPath $tarball -Repository dockerps-test/fromfs -Tag v2 -Change "LABEL $label", 'CMD ["sh"]' -Message 'from a tarball' -ErrorVariable err)

        $err | Should -BeNullOrEmpty
        $image.Count | Should -Be 1
        $image[0].RepoTags | Should -Be @('dockerps-test/fromfs:v2')
        $image[0].Id | Should -Be (Get-TestImageId dockerps-test/fromfs:v2)
        Invoke-DockerCli image inspect --format '{{.Comment}}|{{json .Config.Cmd}}' dockerps-test/fromfs:v2 | Should -Be 'from a tarball|["sh"]'

        $read = @(Get-DockerImage dockerps-test/fromfs:v2 | New-DockerContainer -Name $name -Command sleep, 60 | Start-DockerContainer -PassThru | Invoke-DockerExec -Command cat, /marker.txt -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $read | Should -Be @("exported $(Get-TestRunId)")
        Invoke-DockerCli container inspect --format '{{.Config.Image}}' $name | Should -Be 'dockerps-test/fromfs:v2'
    }
}

Describe 'Archive destinations' {
    It 'an existing file, a folder or a missing folder ends each archive cmdlet with one id, and nothing is written' {
        $container = New-TestName archive-dest
        $null = Invoke-DockerCli container create --label $label --name $container $base true
        $volume = New-TestName archive-dest
        $null = Invoke-DockerCli volume create --label $label $volume
        $existing = New-TestPath keep.tar
        Set-Content -LiteralPath $existing -NoNewline -Value 'keep me'
        $folder = Split-Path $existing
        $missing = Join-Path $folder 'no-such-folder/a.tar'

        foreach ($archive in $existing, $folder, $missing) {
            $writes = { Save-DockerImage -Name $base -Path $archive }, { Export-DockerContainer $container $archive }, { Backup-DockerVolume -Name $volume -Path $archive }
            # A terminating error is caught by try/catch; a non-terminating one would let 'went on' through.
            $outcome = foreach ($write in $writes) {
                try { & $write -ErrorAction Continue; 'went on' } catch { "$(Get-TestErrorId $_):$($_.TargetObject)" }
            }
            $outcome | Should -Be @(1..3 | ForEach-Object { "ArchiveDestinationInvalid:$archive" })
        }

        Get-Content -Raw -LiteralPath $existing | Should -BeExactly 'keep me'
        Join-Path $folder 'no-such-folder' | Should -Not -Exist
        Get-ChildItem -LiteralPath $folder -Filter '*.partial' | Should -BeNullOrEmpty
        # Backup-DockerVolume was refused before it made its helper container on the engine.
        Invoke-DockerCli container ls -a -q --filter "volume=$volume" | Should -BeNullOrEmpty
    }
}

Describe 'Ctrl+C during Import-DockerImage -Path' {
    BeforeAll {
        <# A new image with a 160 MiB layer, saved (with -Kept too, if given) and then removed; returns Id, Reference, Archive. #>
        function New-TestLoadArchive([string] $What, [string] $Kept) {
            $reference = "dockerps-test/loadstop-$What-$(Get-TestRunId):v1"
            $id = New-TestRootfsImage $reference -ExtraBytes (160MB)
            $archive = New-TestPath "loadstop-$What.tar"
            if ($Kept) {
                $keptBefore = Get-TestImageId $Kept
                $null = Invoke-DockerCli tag $reference $Kept
                $null = Invoke-DockerCli save -o $archive $reference $Kept
                $null = Invoke-DockerCli tag $keptBefore $Kept
            }
            else {
                $null = Invoke-DockerCli save -o $archive $reference
            }
            $null = Invoke-DockerCli rmi $reference
            Test-DockerImage $id | Should -BeFalse
            [pscustomobject]@{ Id = $id; Reference = $reference; Archive = $archive }
        }

        <#
        Starts the load in a console of its own, stops it at the first "Loading images" progress record that -When
        accepts, and checks the stop took less than -Within; returns Percent (of that record) and Stopped (the load
        was still running and ended as stopped).
        #>
        function Stop-TestLoad([string] $Archive, [scriptblock] $When, [timespan] $Within) {
            $started = Start-TestPipeline -Script 'Import-DockerImage -Path $archive' -Variable @{ archive = $Archive }
            try {
                $progress = $started.PowerShell.Streams.Progress
                $box = @{ Seen = $null; Next = 0 }
                Wait-TestCondition -Pipeline $started -Because 'the load reported progress' -Condition {
                    while (-not $box.Seen -and $box.Next -lt $progress.Count) {
                        $record = $progress[$box.Next++]
                        if ($record.Activity -eq 'Loading images' -and ($record | Where-Object $When)) { $box.Seen = $record }
                    }
                    $null -ne $box.Seen
                }
                $running = -not $started.Handle.IsCompleted
                $took = Stop-TestPipeline $started
                Write-Host "Stop took $([int]$took.TotalMilliseconds) ms, at $($box.Seen.PercentComplete)% ($($box.Seen.StatusDescription))"
                $took | Should -BeLessThan $Within -Because "Stop took $([int]$took.TotalMilliseconds) ms"
                [pscustomobject]@{
                    Percent = $box.Seen.PercentComplete
                    Stopped = $running -and $started.PowerShell.InvocationStateInfo.State -eq 'Stopped'
                }
            }
            finally {
                Remove-TestPipeline $started
            }
        }
    }

    It 'while the archive goes up loads nothing' {
        $load = New-TestLoadArchive mid
        # The first progress record comes with the first bytes read; later ones at most four times a second, and a
        # fast upload can be over between two of them: stop at the first one.
        $stop = Stop-TestLoad $load.Archive { $_.PercentComplete -ge 0 -and $_.PercentComplete -lt 90 } ([timespan]::FromSeconds(1))

        Start-Sleep -Seconds 3
        Test-DockerImage $load.Id | Should -BeFalse -Because "the load stopped at $($stop.Percent)% left image $($load.Id)"
        Test-DockerImage $load.Reference | Should -BeFalse -Because "the load stopped at $($stop.Percent)% left $($load.Reference)"
    }

    It 'after the whole archive was sent puts back only what the load changed' {
        # The archive also names a reference that exists before the load, on another image: the load moves it, and
        # the stop must move it back, keeping that other image.
        $kept = "dockerps-test/loadstop-kept-$(Get-TestRunId):v1"
        $otherId = New-TestRootfsImage $kept
        $load = New-TestLoadArchive late -Kept $kept
        Get-TestImageId $kept | Should -Be $otherId

        $stop = Stop-TestLoad $load.Archive { $_.StatusDescription -like '*the engine is loading it*' } ([timespan]::FromSeconds(6))
        $stop.Stopped | Should -BeTrue -Because 'the load ended before it could be stopped'

        # Whatever the engine still had to do after the stop is done by now.
        Start-Sleep -Seconds 3
        Test-DockerImage $load.Reference | Should -BeFalse -Because "the stopped load left $($load.Reference)"
        Test-DockerImage $load.Id | Should -BeFalse -Because "the stopped load left image $($load.Id)"
        Get-TestImageId $kept | Should -Be $otherId
    }
}
