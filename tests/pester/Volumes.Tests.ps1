# Volumes against the real engine, in real pwsh: the data workflow, backup and restore byte for byte, prune, bad input
# and Ctrl+C. Ground truth comes from the docker CLI and from busybox containers that read the volumes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Engine.Support.ps1')
    $label = Get-TestLabel
    $base = Get-TestBaseImage
}

AfterAll {
    Remove-TestResource
}

Describe 'A volume''s data' {
    It 'outlives the container that wrote it, and a second container sees it' {
        $volume = New-TestVolumeName 'notes'
        $writer = New-TestName 'writer'

        $made = @(New-DockerVolume -Name $volume -Label $label)
        $made.Count | Should -Be 1
        $made[0] | Should -BeOfType DockerPS.DockerVolume
        $made[0].Driver | Should -BeExactly 'local'
        $made[0].IsAnonymous | Should -BeFalse
        $made[0].Labels['dockerps.test.run'] | Should -BeExactly (Get-TestRunId)
        $made[0].Created.Kind | Should -Be ([DateTimeKind]::Utc)
        $made[0].Created | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(-5))
        $made[0].Mountpoint | Should -BeExactly "$(Invoke-DockerCli info --format '{{.DockerRootDir}}')/volumes/$volume/_data"

        New-DockerContainer -Image dockerps-test/busybox -Name $writer -Label $label -Volume "${volume}:/data" -Command sh, -c, 'echo persisted > /data/note.txt' |
            Start-DockerContainer -ErrorAction Stop
        Invoke-DockerCli wait $writer | Should -Be '0'
        $used = @(Get-DockerVolume -Name $volume)
        $used.Count | Should -Be 1
        $used[0].UsedBy | Should -Be @($writer)
        (Get-DockerVolume -Dangling -Label $label).Name | Should -Not -Contain $volume

        Remove-DockerContainer -Name $writer -Force -ErrorAction Stop
        $kept = @(Get-DockerVolume -Name $volume)
        $kept.Count | Should -Be 1
        $kept[0].UsedBy | Should -BeNullOrEmpty
        (Get-DockerVolume -Dangling -Label $label).Name | Should -Contain $volume

        Invoke-DockerCli run --rm --name (New-TestName 'reader') --label $label -v "${volume}:/data:ro" $base cat /data/note.txt | Should -BeExactly 'persisted'
    }

    It 'can live in memory: a tmpfs volume made with -DriverOption' {
        $memory = New-TestVolumeName 'tmpfs'
        $tmpfs = @(New-DockerVolume $memory -Driver local -DriverOption @{ type = 'tmpfs'; device = 'tmpfs'; o = 'size=1m' } -Label $label)
        $tmpfs.Count | Should -Be 1
        $tmpfs[0].Options['type'] | Should -BeExactly 'tmpfs'
        Invoke-DockerCli volume inspect --format '{{index .Options "o"}}' $memory | Should -BeExactly 'size=1m'
        Invoke-DockerCli run --rm --label $label -v "${memory}:/data" $base sh -c "grep ' /data ' /proc/mounts" | Should -Match 'tmpfs'
    }
}

Describe 'Remove-DockerContainer -RemoveVolumes' {
    It 'removes the container''s anonymous volume and keeps the named one' {
        $named = New-TestVolumeName 'keep'
        $container = New-TestName 'twovols'
        $null = New-DockerVolume -Name $named -Label $label
        $null = New-DockerContainer -Image dockerps-test/busybox -Name $container -Label $label -Volume "${named}:/named", '/anonymous' -Command true
        $anonymous = Invoke-DockerCli container inspect --format '{{range .Mounts}}{{if eq .Destination "/anonymous"}}{{.Name}}{{end}}{{end}}' $container
        $anonymous | Should -Match '^[0-9a-f]{64}$'
        $listed = @(Get-DockerVolume -Name $anonymous)
        $listed.Count | Should -Be 1
        $listed[0].IsAnonymous | Should -BeTrue
        $listed[0].UsedBy | Should -Be @($container)

        Get-DockerContainer -Name $container | Remove-DockerContainer -RemoveVolumes -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Test-DockerContainer $container | Should -BeFalse
        Test-DockerVolume $anonymous | Should -BeFalse -Because 'the anonymous volume went with its container'
        Test-DockerVolume $named | Should -BeTrue -Because 'the named volume stayed'
    }
}

Describe 'Backup-DockerVolume and Restore-DockerVolume' {
    It 'bring back files, modes, owners and links byte for byte, without starting any container' {
        $volume = New-TestVolume 'source'
        $null = Invoke-TestVolumeScript $volume ("mkdir -p /data/conf/empty /data/bin && head -c 300000 /dev/urandom > /data/bin/blob && echo 'port=5432' > /data/conf/app.conf" +
            " && printf 'no newline' > /data/plain && : > /data/zero && ln -s conf/app.conf /data/current && ln -s /nowhere /data/dangling" +
            " && ln /data/bin/blob /data/bin/hardlink && mkfifo /data/pipe" +
            " && chown 1234:5678 /data/conf/app.conf && chmod 640 /data/conf/app.conf && chown -h 42:43 /data/current" +
            " && chmod 4755 /data/bin/blob && chmod 700 /data/conf/empty && chown 99:98 /data && chmod 750 /data")
        $before = Get-TestVolumeListing $volume
        $before | Should -Match ([regex]::Escape('./conf/app.conf 640 1234:5678 regular file 10 1'))
        $before | Should -Match ([regex]::Escape('./bin/blob 4755 0:0 regular file 300000 2'))
        $before | Should -Match ([regex]::Escape('-> conf/app.conf'))

        $plain = New-TestPath 'volume.tar'
        $compressed = New-TestPath 'volume.tar.gz'
        $since = Get-TestEngineTime
        $backup = @(Backup-DockerVolume -Name $volume -Path $plain -PassThru -WarningVariable warned -ErrorVariable err
            Get-DockerVolume -Name $volume | Backup-DockerVolume -Path $compressed -Compress -WarningVariable +warned -ErrorVariable +err)
        $err | Should -BeNullOrEmpty
        $warned | Should -BeNullOrEmpty
        $backup.Count | Should -Be 1
        $backup[0] | Should -BeOfType System.IO.FileInfo
        $backup[0].FullName | Should -BeExactly $plain
        $entries = (& tar -tvf $plain) -join "`n"
        $entries | Should -Match ([regex]::Escape('volume/conf/app.conf'))
        $entries | Should -Match '1234/5678'
        [System.IO.File]::ReadAllBytes($compressed)[0] | Should -Be 0x1f

        # Nothing ran: the helpers were created and destroyed, never started, and none is left.
        $actions = @(Invoke-DockerCli events --since $since --until (Get-TestEngineTime) --filter type=container --filter "label=dockerps.helper.volume=$volume" --format '{{.Action}}')
        $actions | Should -Contain 'create'
        $actions | Should -Contain 'destroy'
        $actions | Should -Not -Contain 'start'
        Get-TestVolumeHelper $volume | Should -BeNullOrEmpty
        Invoke-DockerCli image inspect --format '{{index .Config.Labels "dockerps.helper"}}' dockerps/volume-helper:1 | Should -BeExactly 'volume'

        Remove-DockerVolume -Name $volume -Force -ErrorAction Stop
        Test-DockerVolume $volume | Should -BeFalse

        $restored = New-TestVolumeName 'restored'
        $fromGzip = New-TestVolumeName 'fromgzip'
        $back = @(Get-Item $plain | Restore-DockerVolume -Name $restored -Label $label -PassThru -ErrorVariable err
            Restore-DockerVolume $compressed $fromGzip -Label $label -ErrorVariable +err)
        $err | Should -BeNullOrEmpty
        $back.Count | Should -Be 1
        $back[0] | Should -BeOfType DockerPS.DockerVolume
        $back[0].Name | Should -BeExactly $restored
        $back[0].Labels['dockerps.test.run'] | Should -BeExactly (Get-TestRunId)
        Get-TestVolumeListing $restored | Should -BeExactly $before
        Get-TestVolumeListing $fromGzip | Should -BeExactly $before
        Get-TestVolumeHelper $restored | Should -BeNullOrEmpty
    }

    It 'restores into an empty volume; a volume with files needs -Force, which keeps the files the archive lacks' {
        $source = New-TestVolume 'src'
        $null = Invoke-TestVolumeScript $source 'echo new > /data/a && mkdir /data/dir && echo inner > /data/dir/b'
        $archive = New-TestPath 'small.tar'
        Backup-DockerVolume $source $archive -ErrorAction Stop

        $empty = New-TestVolumeName 'empty'
        $null = New-DockerVolume $empty -Label $label
        Restore-DockerVolume -Path $archive -Name $empty -ErrorAction Stop
        Get-TestVolumeFile $empty 'a' | Should -BeExactly 'new'

        $busy = New-TestVolume 'busy'
        $null = Invoke-TestVolumeScript $busy 'echo old > /data/a && echo mine > /data/extra'
        Restore-DockerVolume -Path $archive -Name $busy -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id VolumeNotEmpty -Category ResourceExists -Target $busy
        Get-TestVolumeFile $busy 'a' | Should -BeExactly 'old'

        Restore-DockerVolume -Path $archive -Name $busy -Force -ErrorAction Stop
        Get-TestVolumeFile $busy 'a' | Should -BeExactly 'new'
        Get-TestVolumeFile $busy 'dir/b' | Should -BeExactly 'inner'
        Get-TestVolumeFile $busy 'extra' | Should -BeExactly 'mine'
    }

    It 'warns when a running container uses the volume, and still writes the archive' {
        $volume = New-TestVolume 'live'
        $runner = New-TestName 'live'
        $null = Invoke-DockerCli run -d --name $runner --label $label -v "${volume}:/data" $base sh -c 'echo live > /data/f; sleep 300'
        $archive = New-TestPath 'live.tar'

        Backup-DockerVolume -Name $volume -Path $archive -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable err
        $err | Should -BeNullOrEmpty
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match ([regex]::Escape($runner))
        "$($warned[0])" | Should -Match 'running'
        (& tar -tf $archive) | Should -Contain 'volume/f'
        Get-DockerContainerState $runner | Should -BeExactly 'running'
    }
}

Describe 'Clear-DockerVolume' {
    It '-WhatIf lists the named and anonymous unused volumes with their bytes, and the prune reports what went' {
        $only = "dockerps.test.clear=$([guid]::NewGuid().ToString('N'))"
        $named = New-TestVolume 'prunable' -Option '--label', $only
        $inUse = New-TestVolume 'inuse' -Option '--label', $only
        $anonymous = Invoke-DockerCli volume create --label $label --label $only
        $null = Invoke-TestVolumeScript $named 'head -c 5000 /dev/urandom > /data/blob'
        $null = Invoke-DockerCli create --name (New-TestName 'holder') --label $label -v "${inUse}:/data" $base true

        $preview = Invoke-TestWithHost { Clear-DockerVolume -Label $only -WhatIf }
        $preview.Errors | Should -BeNullOrEmpty
        $preview.Output | Should -BeNullOrEmpty
        $preview.Host | Should -Match ([regex]::Escape("on target `"$named (named volume, 5kB)`""))
        $preview.Host | Should -Match ([regex]::Escape("on target `"$anonymous (anonymous volume, 0B)`""))
        $preview.Host | Should -Not -Match $inUse
        $preview.Host | Should -Match '2 unused volume\(s\), named and anonymous alike, on .*, freeing 5kB \(5,000 bytes\)'
        $preview.Warnings.Count | Should -Be 1
        $preview.Warnings[0] | Should -Match 'Engine API 1\.41'
        $preview.Warnings[0] | Should -Match 'named volumes as well as anonymous ones'
        $preview.Warnings[0] | Should -Match $named
        Test-DockerVolume $named | Should -BeTrue -Because '-WhatIf removed nothing'

        $report = @(Clear-DockerVolume -Label $only -Force -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $report.Count | Should -Be 1
        $report[0] | Should -BeOfType DockerPS.DockerPruneResult
        $report[0].Kind | Should -BeExactly 'Volume'
        $report[0].Deleted | Sort-Object | Should -Be (@($anonymous, $named) | Sort-Object)
        $report[0].SpaceReclaimed | Should -Be 5000
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match $named
        Test-DockerVolume $named | Should -BeFalse
        Test-DockerVolume $inUse | Should -BeTrue -Because 'the volume a container uses stayed'
    }
}

Describe 'Volume cmdlets given bad input' {
    BeforeAll {
        $volume = New-TestVolume 'bad'
        $user = New-TestName 'user'
        $null = Invoke-DockerCli create --name $user --label $label -v "${volume}:/data" $base true
        $missing = 'dockerps-test-no-such-volume'
    }

    It 'Get-DockerVolume names a volume that is not there' {
        Get-DockerVolume -Name $missing -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id VolumeNotFound -Category ObjectNotFound -Target $missing
    }

    It 'Remove-DockerVolume keeps a volume in use and says who uses it' {
        Remove-DockerVolume -Name $volume -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $record = Assert-TestError $err -Id VolumeInUse -Category ResourceUnavailable -Target $volume
        $record.Exception.Message | Should -Match $user
        Test-DockerVolume $volume | Should -BeTrue -Because 'a volume in use stays'
    }

    It 'Remove-DockerVolume still removes the next volume after one that is not there' {
        $doomed = New-TestVolume 'doomed'
        Remove-DockerVolume -Name $missing, $doomed -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id VolumeNotFound -Category ObjectNotFound -Target $missing
        Test-DockerVolume $doomed | Should -BeFalse -Because 'the next volume was still removed'
    }

    It 'New-DockerVolume refuses a name that is taken' {
        New-DockerVolume -Name $volume -Label $label -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id VolumeExists -Category ResourceExists -Target $volume
    }

    It 'Backup-DockerVolume writes no file for a missing volume and never overwrites a file without -Force' {
        $archive = New-TestPath 'none.tar'
        Backup-DockerVolume -Name $missing -Path $archive -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id VolumeNotFound -Category ObjectNotFound -Target $missing
        $archive | Should -Not -Exist

        Set-Content -LiteralPath $archive -Value 'precious' -NoNewline
        # A terminating error: nothing of the backup starts.
        $thrown = { Backup-DockerVolume -Name $volume -Path $archive } | Should -Throw -PassThru
        $null = Assert-TestError $thrown -Id ArchiveDestinationInvalid -Category ResourceExists -Target $archive
        Get-Content -Raw -LiteralPath $archive | Should -BeExactly 'precious'
    }

    It 'Restore-DockerVolume refuses <Kind> before it makes anything' -ForEach @(
        @{ Kind = 'a text file' }
        @{ Kind = 'a tar archive that is no volume backup' }
        @{ Kind = 'a truncated backup' }
    ) {
        switch ($Kind) {
            'a text file' {
                $bad = New-TestPath 'notes.txt'
                Set-Content -LiteralPath $bad -Value (@('this is not a tar archive') * 100 -join "`n") -NoNewline
            }
            'a tar archive that is no volume backup' {
                $bad = New-TestPath 'other.tar'
                $other = New-Item -ItemType Directory -Path (New-TestPath 'other')
                Set-Content -LiteralPath (Join-Path $other 'x') -Value 'x' -NoNewline
                & tar -C $other -cf $bad .
                $LASTEXITCODE | Should -Be 0
            }
            'a truncated backup' {
                $whole = New-TestPath 'whole.tar'
                Backup-DockerVolume -Name $volume -Path $whole -ErrorAction Stop
                $bytes = [System.IO.File]::ReadAllBytes($whole)
                $bad = New-TestPath 'truncated.tar'
                [System.IO.File]::WriteAllBytes($bad, $bytes[0..($bytes.Length / 2 - 1)])
            }
        }
        $target = New-TestVolumeName 'never'
        Restore-DockerVolume -Path $bad -Name $target -Label $label -ErrorVariable err -ErrorAction SilentlyContinue
        $record = Assert-TestError $err -Id InvalidVolumeBackup -Category InvalidData -Target $bad
        $record.Exception.Message | Should -Match 'Nothing was changed'
        Test-DockerVolume $target | Should -BeFalse -Because "no volume was made for $Kind"
    }

    It 'Restore-DockerVolume names an archive that is not there, and no helper is left' {
        Restore-DockerVolume -Path (New-TestPath 'missing.tar') -Name $volume -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id ArchiveNotFound -Category ObjectNotFound -AnyTarget
        Get-TestVolumeHelper $volume | Should -BeNullOrEmpty
    }
}

Describe 'Ctrl+C during a volume backup or restore' {
    BeforeAll {
        $volume = New-TestVolume 'big'
        $null = Invoke-TestVolumeScript $volume 'head -c 268435456 /dev/urandom > /data/big.bin'
        $archive = New-TestPath 'big.tar'

        # Starts the script in a console of its own, waits until its progress shows, and stops it as Ctrl+C does.
        function Stop-OnceProgressShows([string] $Script, [string] $Activity, [hashtable] $Variable) {
            $pipeline = Start-TestPipeline -Script $Script -Variable $Variable
            try {
                Wait-TestCondition -Pipeline $pipeline -Because "$Activity shows progress" -Condition {
                    @($pipeline.PowerShell.Streams.Progress | Where-Object { $_.Activity -eq $Activity -and $_.RecordType -eq 'Processing' }).Count -gt 0
                }
                $null = Assert-TestPipelineStops $pipeline
            }
            finally {
                Remove-TestPipeline $pipeline
            }
        }
    }

    It 'ends a backup within a second and leaves no archive, no partial file and no helper' {
        Stop-OnceProgressShows 'Backup-DockerVolume -Name $v -Path $archive' 'Backing up volume' @{ v = $volume; archive = $archive }
        $archive | Should -Not -Exist
        Get-ChildItem -LiteralPath (Split-Path $archive) -Filter '*big.tar*.partial' | Should -BeNullOrEmpty
        Get-TestVolumeHelper $volume | Should -BeNullOrEmpty
    }

    It 'ends a restore within a second and removes the volume it had made' {
        Backup-DockerVolume -Name $volume -Path $archive -ErrorAction Stop
        $target = New-TestVolumeName 'halfway'
        Stop-OnceProgressShows 'Restore-DockerVolume -Path $archive -Name $t -Label $label' 'Restoring volume' @{ archive = $archive; t = $target; label = $label }
        Test-DockerVolume $target | Should -BeFalse -Because 'the new volume went again: no partial restore passes for whole'
        Get-TestVolumeHelper $target | Should -BeNullOrEmpty
    }
}
