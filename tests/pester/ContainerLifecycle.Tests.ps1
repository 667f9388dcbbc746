# A container's life as a user drives it: create, start, stop, kill, restart, pause, rename, update, remove and prune,
# the scenarios from the docker notes users carry around, exit codes, and every lifecycle cmdlet's bad input.
# Ground truth comes from the docker CLI.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Lifecycle.Support.ps1')
    $script:label = Get-TestLabel
    # Exits 143 on SIGTERM and 42 on SIGUSR1, which a shell as PID 1 only does with traps.
    $script:trapper = "trap 'exit 143' TERM; trap 'exit 42' USR1; while true; do sleep 1; done"
    $script:missing = 'dockerps-test-no-such-container'
}

AfterAll {
    Remove-TestResource
}

Describe 'Stopping and removing in bulk' {
    It 'Get-DockerContainer -Status Running | Stop-DockerContainer stops them all, then the stopped ones are removed' {
        # A label of this test's own, so only its containers are selected.
        $batch = "dockerps.test.batch=$(New-TestName 'all')"
        $first = New-TestContainer 'all-a' -Script $trapper -Option '--label', $batch
        $second = New-TestContainer 'all-b' -Script $trapper -Option '--label', $batch
        $created = New-TestContainer 'all-created' -Created -Script true -Option '--label', $batch

        $stopped = Get-DockerContainer -Status Running -Label $batch | Stop-DockerContainer -PassThru -ErrorAction Stop
        $stopped | Where-Object { $_.Name -eq $first -and $_.ExitCode -eq 143 } | Should -HaveCount 1
        $stopped | Where-Object { $_.Name -eq $second -and $_.ExitCode -eq 143 } | Should -HaveCount 1
        Invoke-DockerCli ps -q --filter "label=$batch" | Should -BeNullOrEmpty

        Get-DockerContainer -Status Exited, Created -Label $batch | Remove-DockerContainer -Force -ErrorAction Stop
        Invoke-DockerCli ps -aq --filter "label=$batch" | Should -BeNullOrEmpty
        Test-DockerContainer $created | Should -BeFalse
    }
}

Describe 'Scenarios from the docker notes' {
    It 'an httpd published on loopback serves its page through the port on the container object' {
        $name = New-TestName 'httpd'
        $token = [guid]::NewGuid().ToString('N')
        $page = "mkdir -p /www && echo 'page $token' > /www/index.html && exec httpd -f -p 8080 -h /www"
        $started = New-DockerContainer -Image dockerps-test/busybox -Name $name -Label $label -Port '127.0.0.1::8080' -Command sh, -c, $page |
            Start-DockerContainer -PassThru -ErrorAction Stop
        $started | Should -HaveCount 1
        $published = @($started.Ports | Where-Object PrivatePort -EQ 8080)
        $published | Should -HaveCount 1
        $published[0].HostIP | Should -Be '127.0.0.1'
        $published[0].PublicPort | Should -Not -BeNullOrEmpty
        # The engine's own binding says the same port.
        Get-TestInspect $name '{{(index (index .NetworkSettings.Ports "8080/tcp") 0).HostPort}}' | Should -Be "$($published[0].PublicPort)"

        $body = Wait-TestValue -TimeoutSeconds 30 -Read {
            (Invoke-WebRequest -Uri "http://127.0.0.1:$($published[0].PublicPort)/index.html" -TimeoutSec 5).Content
        } -Until { param($content) $null -ne $content }
        $body | Should -BeExactly "page $token`n"
    }

    It 'a link and network aliases resolve between two containers on a user network' {
        $network = New-TestName 'net'
        $null = Invoke-DockerCli network create --label $label $network
        $server = New-TestName 'server'
        $client = New-TestName 'client'
        try {
            New-DockerContainer -Image dockerps-test/busybox -Name $server -Label $label -Network $network -NetworkAlias web-alias, www-alias `
                -Command sh, -c, 'mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 8080 -h /www' |
                Start-DockerContainer -ErrorAction Stop
            New-DockerContainer -Image dockerps-test/busybox -Name $client -Label $label -Network $network -Link "${server}:linkedweb" -Command sleep, 300 |
                Start-DockerContainer -ErrorAction Stop

            $both = Get-DockerContainer -Network $network -Detailed -ErrorAction Stop
            $both.Name | Sort-Object | Should -Be (@($client, $server) | Sort-Object)
            $serverEndpoint = @(($both | Where-Object Name -EQ $server).NetworkSettings)
            $serverEndpoint | Should -HaveCount 1
            $serverEndpoint = $serverEndpoint[0]
            $serverEndpoint.Network | Should -Be $network
            $serverEndpoint.Aliases | Should -Contain 'web-alias'
            $serverEndpoint.Aliases | Should -Contain 'www-alias'
            $serverEndpoint.IPAddress | Should -Be (Get-TestInspect $server "{{(index .NetworkSettings.Networks `"$network`").IPAddress}}")
            $serverEndpoint.Gateway | Should -Be (Get-TestInspect $server "{{(index .NetworkSettings.Networks `"$network`").Gateway}}")
            $serverEndpoint.MacAddress | Should -Match '^([0-9a-f]{2}:){5}[0-9a-f]{2}$'
            $clientEndpoint = @(($both | Where-Object Name -EQ $client).NetworkSettings)
            $clientEndpoint | Should -HaveCount 1
            $clientEndpoint[0].Links | Where-Object { $_.Contains($server) -and $_.Contains('linkedweb') } | Should -Not -BeNullOrEmpty

            # Each name resolves to the server, and reaches it, from inside the client.
            foreach ($alias in 'linkedweb', 'web-alias', 'www-alias') {
                Invoke-DockerExec -Container $client -Command nslookup, $alias | Should -Contain "Address: $($serverEndpoint.IPAddress)"
                $fetched = Wait-TestValue -Read {
                    Invoke-DockerExec -Container $client -Command sh, -c, "printf 'GET /index.html HTTP/1.0\r\n\r\n' | nc $alias 8080" -ErrorAction SilentlyContinue
                } -Until { param($lines) $lines -contains 'served' }
                $fetched | Should -Contain 'HTTP/1.1 200 OK'
            }

            # The pane through the format view: one row per network, with the aliases.
            $rendered = (Get-DockerContainer -Name $server -Detailed).NetworkSettings | Out-String -Width 300
            $rendered | Should -Match 'NETWORK\s+IP ADDRESS\s+GATEWAY\s+MAC ADDRESS\s+ALIASES'
            $rendered | Should -BeLike "*$($serverEndpoint.IPAddress)/$($serverEndpoint.IPPrefixLength)*"
            $rendered | Should -BeLike '*web-alias*'
        }
        finally {
            Remove-TestResource
        }
    }

    It 'a named volume shared by two containers shows both the same files, read-only where asked' {
        $volume = New-TestName 'vol'
        $null = Invoke-DockerCli volume create --label $label $volume
        $writer = New-TestName 'writer'
        $reader = New-TestName 'reader'
        try {
            New-DockerContainer -Image dockerps-test/busybox -Name $writer -Label $label -Volume "${volume}:/shared" -Command sleep, 300 | Start-DockerContainer -ErrorAction Stop
            New-DockerContainer -Image dockerps-test/busybox -Name $reader -Label $label -Volume "${volume}:/data:ro" -Command sleep, 300 | Start-DockerContainer -ErrorAction Stop

            Invoke-DockerExec $writer sh, -c, 'echo written by the writer > /shared/note.txt' -ErrorAction Stop
            Invoke-DockerExec $reader cat, /data/note.txt -ErrorAction Stop | Should -BeExactly 'written by the writer'
            Invoke-DockerExec $reader sh, -c, 'echo no > /data/other.txt' -ErrorAction SilentlyContinue
            $LASTEXITCODE | Should -Not -Be 0
            Invoke-DockerCli run --rm --label $label -v "${volume}:/v" (Get-TestBaseImage) ls /v | Should -Be 'note.txt'

            $users = Get-DockerContainer -Volume $volume -ErrorAction Stop
            $users.Name | Sort-Object | Should -Be (@($reader, $writer) | Sort-Object)
            $mount = @(($users | Where-Object Name -EQ $reader).Mounts)
            $mount | Should -HaveCount 1
            $mount[0].Type | Should -Be 'volume'
            $mount[0].Name | Should -Be $volume
            $mount[0].Destination | Should -Be '/data'
            $mount[0].ReadWrite | Should -BeFalse
            @(($users | Where-Object Name -EQ $writer).Mounts)[0].ReadWrite | Should -BeTrue

            $rendered = (Get-DockerContainer -Name $reader -Detailed).Mounts | Out-String -Width 300
            $rendered | Should -Match 'TYPE\s+SOURCE\s+DESTINATION\s+MODE\s+RW'
            $rendered | Should -Match "volume\s+$([regex]::Escape($volume))\s+/data\s+ro\s+False"
        }
        finally {
            Remove-TestResource
        }
    }

    It 'a read-only bind mount and a read-only root refuse writes' {
        $folder = New-TestPath 'ro-bind'
        $null = New-Item -ItemType Directory -Path $folder
        Set-Content -LiteralPath (Join-Path $folder 'keep.txt') -Value 'kept' -NoNewline
        $name = New-TestName 'readonly'
        New-DockerContainer -Image dockerps-test/busybox -Name $name -Label $label -Volume "${folder}:/ro:ro" -ReadOnly -Command sleep, 300 |
            Start-DockerContainer -ErrorAction Stop

        Invoke-DockerExec $name sh, -c, 'echo x > /ro/new.txt' -ErrorVariable bindWrite -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Not -Be 0
        $bindWrite.Exception.Message | Where-Object { $_.Contains('Read-only file system') } | Should -Not -BeNullOrEmpty
        Join-Path $folder 'new.txt' | Should -Not -Exist
        Invoke-DockerExec $name cat, /ro/keep.txt -ErrorAction Stop | Should -BeExactly 'kept'

        Invoke-DockerExec $name touch, /new-file -ErrorVariable rootWrite -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Not -Be 0
        $rootWrite.Exception.Message | Where-Object { $_.Contains('Read-only file system') } | Should -Not -BeNullOrEmpty
        (Get-DockerCliResult exec $name ls /new-file).ExitCode | Should -Not -Be 0

        $container = Get-DockerContainer -Name $name -Detailed -ErrorAction Stop
        $bind = @($container.Mounts)
        $bind | Should -HaveCount 1
        $bind[0].Type | Should -Be 'bind'
        $bind[0].Source | Should -Be $folder
        $bind[0].ReadWrite | Should -BeFalse
        $container.HostConfig.ReadOnlyRootFilesystem | Should -BeTrue
        $container.HostConfig.Binds | Should -HaveCount 1
        $container.HostConfig.Binds | Should -Be "${folder}:/ro:ro"
        Get-TestInspect $name '{{.HostConfig.ReadonlyRootfs}}' | Should -Be 'true'
    }
}

Describe 'Exit codes of stop, kill and signals' {
    It 'Stop-DockerContainer, -Force and -Signal leave their exit codes' {
        $stopped = New-TestContainer 'term' -Script $trapper
        $killed = New-TestContainer 'kill' -Script $trapper
        $signalled = New-TestContainer 'usr1' -Script $trapper

        $term = Stop-DockerContainer -Name $stopped -Timeout 30 -PassThru -ErrorAction Stop
        $term | Should -HaveCount 1
        $term.ExitCode | Should -Be 143
        Get-TestInspect $stopped '{{.State.ExitCode}}' | Should -Be '143'

        $kill = Get-DockerContainer -Name $killed | Stop-DockerContainer -Force -PassThru -ErrorAction Stop
        $kill | Should -HaveCount 1
        $kill.State | Should -Be ([DockerPS.ContainerState]::Exited)
        $kill.ExitCode | Should -Be 137
        Get-TestInspect $killed '{{.State.ExitCode}}' | Should -Be '137'

        Stop-DockerContainer -Name $signalled -Signal usr1 -ErrorAction Stop
        Invoke-DockerCli wait $signalled | Should -Be '42'
        $detailed = Get-DockerContainer -Name $signalled -Detailed -ErrorAction Stop
        $detailed.ExitCode | Should -Be 42
        $detailed.OomKilled | Should -BeFalse

        # Stopping or killing what is already stopped is no error; it says so.
        $again = Stop-DockerContainer -Name $stopped, $killed -Force -Verbose -PassThru -ErrorAction Stop 4>&1
        $said = ($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $said | Should -Contain "Container '$stopped' was not running."
        $said | Should -Contain "Container '$killed' was not running."
        ($again | Where-Object { $_ -is [DockerPS.DockerContainer] }).ExitCode | Should -Be 143, 137
    }

    It '-Timeout 0 restarts and stops at once, as docker -t 0 does, not after the engine''s default 10 s' {
        # busybox sleep as PID 1 ignores SIGTERM: only the SIGKILL after the timeout ends it.
        $name = New-TestContainer 'timeout0'
        $startedBefore = Get-TestInspect $name '{{.State.StartedAt}}'
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Restart-DockerContainer -Name $name -Timeout 0 -ErrorAction Stop
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        Get-TestInspect $name '{{.State.Status}}' | Should -Be 'running'
        Get-TestInspect $name '{{.State.StartedAt}}' | Should -Not -Be $startedBefore

        $clock.Restart()
        $stopped = Stop-DockerContainer -Name $name -Timeout 0 -PassThru -ErrorAction Stop
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        $stopped.ExitCode | Should -Be 137
        Get-TestInspect $name '{{.State.Status}} {{.State.ExitCode}}' | Should -Be 'exited 137'

        $again = Stop-DockerContainer -Name $name -Timeout 0 -Verbose -ErrorAction Stop 4>&1
        "$again" | Should -BeLike '*was not running*'
        Stop-DockerContainer -Name $missing -Timeout 0 -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerNotFound')
    }

    It 'a restart policy on-failure:2 shows in the restart count' {
        $name = New-TestName 'onfailure'
        New-DockerContainer -Image dockerps-test/busybox -Name $name -Label $label -RestartPolicy 'on-failure:2' -Command sh, -c, 'exit 3' |
            Start-DockerContainer -ErrorAction Stop

        $container = Wait-TestValue -Read { Get-DockerContainer -Name $name -Detailed -ErrorAction Stop } `
            -Until { param($c) $c.State -eq 'Exited' -and $c.RestartCount -eq 2 }
        $container.ExitCode | Should -Be 3
        $container.HostConfig.RestartPolicy | Should -Be ([DockerPS.ContainerRestartPolicy]::OnFailure)
        $container.HostConfig.MaximumRetryCount | Should -Be 2
        Get-TestInspect $name '{{.RestartCount}} {{.State.ExitCode}}' | Should -Be '2 3'
        $container.StartedAt | Should -Not -BeNullOrEmpty
        $container.FinishedAt | Should -Not -BeNullOrEmpty

        # The enum form with a separate count says the same.
        $other = New-TestName 'onfailure-enum'
        New-DockerContainer -Image dockerps-test/busybox -Name $other -Label $label -RestartPolicy OnFailure -MaximumRetryCount 1 -Command sh, -c, 'exit 1' |
            Start-DockerContainer -ErrorAction Stop
        $null = Wait-TestValue -Read { Get-TestInspect $other '{{.State.Status}} {{.RestartCount}}' } -Until { param($s) $s -eq 'exited 1' }
        Get-TestInspect $other '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' | Should -Be 'on-failure 1'
    }
}

Describe 'Restart, suspend, resume, rename and update' {
    It 'each is seen by the engine' {
        $name = New-TestContainer 'verbs' -Script $trapper

        $startedBefore = Get-TestInspect $name '{{.State.StartedAt}}'
        Restart-DockerContainer -Name $name -WhatIf -ErrorAction Stop
        Get-TestInspect $name '{{.State.StartedAt}}' | Should -Be $startedBefore
        $restarted = Get-DockerContainer -Name $name | Restart-DockerContainer -Timeout 30 -PassThru -ErrorAction Stop
        $restarted | Should -HaveCount 1
        $restarted.State | Should -Be ([DockerPS.ContainerState]::Running)
        Get-TestInspect $name '{{.State.StartedAt}}' | Should -Not -Be $startedBefore

        $suspended = Suspend-DockerContainer -Name $name -PassThru -ErrorAction Stop
        $suspended.State | Should -Be ([DockerPS.ContainerState]::Paused)
        Get-DockerContainerState $name | Should -Be 'paused'
        Suspend-DockerContainer -Name $name -ErrorAction Stop
        Get-DockerContainerState $name | Should -Be 'paused'

        $resumed = Get-DockerContainer -Name $name | Resume-DockerContainer -PassThru -ErrorAction Stop
        $resumed.State | Should -Be ([DockerPS.ContainerState]::Running)
        Get-DockerContainerState $name | Should -Be 'running'
        Resume-DockerContainer -Name $name -ErrorAction Stop
        Get-DockerContainerState $name | Should -Be 'running'

        # A memory limit alone gets as much swap again, as on create; later ones within the swap limit keep it.
        Update-DockerContainer -Name $name -Memory 32MB -ErrorAction Stop
        Get-TestInspect $name '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}' | Should -Be '33554432 67108864'
        $updated = Update-DockerContainer -Name $name -RestartPolicy UnlessStopped -Memory 64MB -MemorySwap '256m' -Cpus 0.5 -PidsLimit 100 -PassThru -ErrorAction Stop
        $updated.Name | Should -Be $name
        Get-TestInspect $name '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}' |
            Should -Be 'unless-stopped 67108864 268435456 500000000 100'
        Update-DockerContainer -Name $name -Memory '96m' -RestartPolicy on-failure:4 -ErrorAction Stop
        Get-TestInspect $name '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}} {{.HostConfig.Memory}}' |
            Should -Be 'on-failure 4 100663296'
        $hostConfig = (Get-DockerContainer -Name $name -Detailed -ErrorAction Stop).HostConfig
        $hostConfig.Memory | Should -Be (96MB)
        $hostConfig.MemorySwap | Should -Be (256MB)
        $hostConfig.Cpus | Should -Be 0.5
        $hostConfig.RestartPolicy | Should -Be ([DockerPS.ContainerRestartPolicy]::OnFailure)
        $hostConfig.MaximumRetryCount | Should -Be 4
        $hostConfig.PidsLimit | Should -Be 100

        $newName = New-TestName 'renamed'
        $renamed = Get-DockerContainer -Name $name | Rename-DockerContainer -NewName $newName -PassThru -ErrorAction Stop
        $renamed.Name | Should -Be $newName
        Test-DockerContainer $newName | Should -BeTrue
        Test-DockerContainer $name | Should -BeFalse

        # Names from CSV-like rows: the old name by property, the new one too.
        $third = New-TestName 'renamed-again'
        [pscustomobject]@{ Name = $newName; NewName = $third } | Rename-DockerContainer -ErrorAction Stop
        Test-DockerContainer $third | Should -BeTrue
        Test-DockerContainer $newName | Should -BeFalse

        # A script block makes each piped container's new name from the old one.
        Get-DockerContainer -Name $third | Rename-DockerContainer -NewName { $_.Name + '-v2' } -ErrorAction Stop
        Test-DockerContainer "$third-v2" | Should -BeTrue
        Test-DockerContainer $third | Should -BeFalse
    }
}

Describe 'Clear-DockerContainer' {
    It '-WhatIf lists what would go and the bytes, then the prune frees them' {
        $pruneLabel = "dockerps.test.prune=$([guid]::NewGuid().ToString('N'))"
        $small = New-TestContainer 'prune-small' -Script 'head -c 300000 /dev/zero > /tmp/small' -Option '--label', $pruneLabel
        $big = New-TestContainer 'prune-big' -Script 'head -c 700000 /dev/zero > /tmp/big' -Option '--label', $pruneLabel
        $neverStarted = New-TestContainer 'prune-created' -Created -Script true -Option '--label', $pruneLabel
        $running = New-TestContainer 'prune-running' -Script 'sleep 300' -Option '--label', $pruneLabel
        $null = Wait-TestValue -Read { Invoke-DockerCli inspect --format '{{.State.Status}}' $small $big } -Until { param($s) ($s -join ',') -eq 'exited,exited' }
        $sizes = foreach ($one in $small, $big, $neverStarted) { [long](Invoke-DockerCli inspect --size --format '{{.SizeRw}}' $one) }
        $expected = ($sizes | Measure-Object -Sum).Sum
        $expected | Should -BeGreaterOrEqual 1000000 -Because "the containers wrote $expected bytes"

        $rendered = (Invoke-TestWithHost { Clear-DockerContainer -Label $label, $pruneLabel -WhatIf -ErrorAction Stop }).Host
        foreach ($gone in $small, $big, $neverStarted) {
            $rendered | Should -Match "What if: Performing the operation `"Remove container`" on target `"$([regex]::Escape($gone)) \([0-9a-f]{12}, (exited|created), frees [0-9.]+k?B\)`""
        }
        $rendered | Should -Not -BeLike "*$running*"
        $rendered -match 'on target "3 stopped containers on .*, freeing .* \(([\d,]+) bytes\)"' | Should -BeTrue -Because $rendered
        [long]($Matches[1] -replace ',') | Should -Be $expected
        foreach ($kept in $small, $big, $neverStarted) { Test-DockerContainer $kept | Should -BeTrue -Because '-WhatIf removes nothing' }

        # None of them is older than an hour.
        $older = Clear-DockerContainer -Label $label, $pruneLabel -Until '1h' -Force -ErrorAction Stop
        $older | Should -HaveCount 1
        $older.Deleted | Should -BeNullOrEmpty
        $older.SpaceReclaimed | Should -Be 0
        Test-DockerContainer $small | Should -BeTrue

        $ids = foreach ($one in $small, $big, $neverStarted) { Invoke-DockerCli inspect --format '{{.Id}}' $one }
        $report = Clear-DockerContainer -Label $label, $pruneLabel -Force -ErrorAction Stop
        $report | Should -HaveCount 1
        $report.Kind | Should -Be 'Container'
        $report.SpaceReclaimed | Should -Be $expected
        $report.Deleted | Sort-Object | Should -Be ($ids | Sort-Object)
        foreach ($gone in $small, $big, $neverStarted) { Test-DockerContainer $gone | Should -BeFalse }
        Get-DockerContainerState $running | Should -Be 'running'
    }
}

Describe 'Bad input to the lifecycle cmdlets' {
    Context 'an unknown container among piped ones' {
        It '<Command> says ContainerNotFound for it and goes on with the next' -ForEach @(
            @{ Command = 'Stop-DockerContainer -Force -PassThru'; StateAfter = 'exited' }
            @{ Command = 'Stop-DockerContainer -Signal KILL -PassThru'; StateAfter = $null }
            @{ Command = 'Restart-DockerContainer -Timeout 0 -PassThru'; StateAfter = 'running' }
            @{ Command = 'Suspend-DockerContainer -PassThru'; StateAfter = 'paused' }
            @{ Command = 'Update-DockerContainer -Memory 64MB -PassThru'; StateAfter = 'running' }
        ) {
            $name = New-TestContainer 'survivor'
            $startedBefore = Get-TestInspect $name '{{.State.StartedAt}}'
            $pipeline = [scriptblock]::Create("`$missing, `$name | ForEach-Object { [pscustomobject]@{ Name = `$_ } } | $Command -ErrorVariable err -ErrorAction SilentlyContinue")
            $result = . $pipeline
            $err | Should -HaveCount 1
            $err[0] | Get-TestErrorId | Should -Be 'ContainerNotFound'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be $missing
            $result | Should -HaveCount 1
            $result.Name | Should -Be $name
            if ($StateAfter) {
                Get-DockerContainerState $name | Should -Be $StateAfter
            }
            if ($Command -like 'Restart-*') {
                Get-TestInspect $name '{{.State.StartedAt}}' | Should -Not -Be $startedBefore
            }
            if ($Command -like 'Update-*') {
                Get-TestInspect $name '{{.HostConfig.Memory}}' | Should -Be '67108864'
            }
            if ($Command -like '*KILL*') {
                Invoke-DockerCli wait $name | Should -Be '137'
            }
        }
    }

    It 'Resume-, Rename- and Get-DockerContainer -Detailed say ContainerNotFound for an unknown one and go on' {
        $name = New-TestContainer 'paused'
        $null = Invoke-DockerCli pause $name

        $resumed = Resume-DockerContainer -Name $missing, $name -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerNotFound')
        $resumed | Should -HaveCount 1
        $resumed.State | Should -Be ([DockerPS.ContainerState]::Running)
        Get-DockerContainerState $name | Should -Be 'running'

        $renamed = New-TestName 'renamed'
        $result = [pscustomobject]@{ Name = $missing; NewName = 'x' }, [pscustomobject]@{ Name = $name; NewName = $renamed } |
            Rename-DockerContainer -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0] | Get-TestErrorId | Should -Be 'ContainerNotFound'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be $missing
        $result | Should -HaveCount 1
        $result.Name | Should -Be $renamed
        Test-DockerContainer $renamed | Should -BeTrue
        Test-DockerContainer 'x' | Should -BeFalse

        $detailed = Get-DockerContainer -Name $missing, $renamed -Detailed -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerNotFound')
        $detailed | Should -HaveCount 1
        $detailed.HasDetails | Should -BeTrue
    }

    It 'renaming to a taken name is ContainerNameInUse, and both keep their names' {
        $first = New-TestContainer 'first'
        $second = New-TestContainer 'second'
        $firstId = Get-TestInspect $first '{{.Id}}'
        $secondId = Get-TestInspect $second '{{.Id}}'
        Rename-DockerContainer -Container $first -NewName $second -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0] | Get-TestErrorId | Should -Be 'ContainerNameInUse'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].TargetObject | Should -Be $first
        Get-TestInspect $first '{{.Id}}' | Should -Be $firstId
        Get-TestInspect $second '{{.Id}}' | Should -Be $secondId
        $firstId | Should -Not -Be $secondId
    }

    Context 'a bad value to New-DockerContainer' {
        It '<Parameters> is <ErrorId> naming <Target>, and creates nothing' -ForEach @(
            @{ Parameters = '-RestartPolicy Sometimes'; ErrorId = 'InvalidRestartPolicy'; Target = 'Sometimes' }
            @{ Parameters = "-RestartPolicy 'on-failure:x'"; ErrorId = 'InvalidRestartPolicy'; Target = 'on-failure:x' }
            @{ Parameters = '-RestartPolicy Always -MaximumRetryCount 3'; ErrorId = 'InvalidRestartPolicy'; Target = 'Always' }
            @{ Parameters = "-RestartPolicy 'on-failure:2' -MaximumRetryCount 3"; ErrorId = 'InvalidRestartPolicy'; Target = 'on-failure:2' }
            @{ Parameters = '-MaximumRetryCount 3'; ErrorId = 'InvalidRestartPolicy'; Target = '3' }
            @{ Parameters = '-RestartPolicy Always -AutoRemove'; ErrorId = 'ConflictingParameters'; Target = 'Always' }
            @{ Parameters = "-Memory '12x'"; ErrorId = 'InvalidMemorySpecification'; Target = '12x' }
            @{ Parameters = '-Memory 0'; ErrorId = 'InvalidMemorySpecification'; Target = '0' }
            @{ Parameters = "-Link 'db:alias:extra'"; ErrorId = 'InvalidLinkSpecification'; Target = 'db:alias:extra' }
            @{ Parameters = "-Link 'db:bad alias'"; ErrorId = 'InvalidLinkSpecification'; Target = 'db:bad alias' }
            @{ Parameters = '-Dns 10.0.2'; ErrorId = 'InvalidDnsSpecification'; Target = '10.0.2' }
            @{ Parameters = "-DnsSearch 'bad domain'"; ErrorId = 'InvalidDnsSpecification'; Target = 'bad domain' }
            @{ Parameters = '-NetworkAlias web'; ErrorId = 'InvalidNetworkAlias'; Target = 'web' }
            @{ Parameters = '-Network bridge -NetworkAlias web'; ErrorId = 'InvalidNetworkAlias'; Target = 'web' }
            @{ Parameters = '-NoHealthCheck -HealthCheckCommand true'; ErrorId = 'InvalidHealthCheck'; Target = 'NoHealthCheck' }
            @{ Parameters = "-HealthCheckInterval '0s'"; ErrorId = 'InvalidHealthCheck'; Target = '00:00:00' }
        ) {
            $name = New-TestName 'never'
            $create = [scriptblock]::Create("New-DockerContainer -Image dockerps-test/busybox -Name `$name -Label `$label -Port '127.0.0.1::80' $Parameters")
            $script:result = $null
            $err = { $script:result = . $create } | Should -Throw -PassThru
            $err | Get-TestErrorId | Should -Be $ErrorId
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            "$($err.TargetObject)" | Should -BeExactly $Target
            $script:result | Should -BeNullOrEmpty
            Test-DockerContainer $name | Should -BeFalse
        }

        It '<Parameters> is refused at binding, and creates nothing' -ForEach @(
            @{ Parameters = '-HealthCheckInterval 30' }
            @{ Parameters = "-HealthCheckTimeout 'soon'" }
            @{ Parameters = '-Cpus 0' }
            @{ Parameters = '-HealthCheckRetries 0' }
        ) {
            $name = New-TestName 'never'
            $create = [scriptblock]::Create("New-DockerContainer -Image dockerps-test/busybox -Name `$name -Label `$label $Parameters")
            $err = { . $create } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -PassThru
            $err.Exception.ParameterName | Should -Be ($Parameters -replace '^-(\w+) .*$', '$1')
            Test-DockerContainer $name | Should -BeFalse
        }
    }

    Context 'a bad value to Stop-, Update- or Clear-DockerContainer' {
        BeforeAll {
            $script:untouched = New-TestContainer 'untouched'
        }

        It '<Script> is <ErrorId>, and changes nothing' -ForEach @(
            @{ Script = 'Stop-DockerContainer -Name $untouched -Signal SIGBOGUS'; ErrorId = 'InvalidSignal'; Target = 'SIGBOGUS' }
            @{ Script = 'Stop-DockerContainer -Name $untouched -Signal 99'; ErrorId = 'InvalidSignal'; Target = '99' }
            @{ Script = 'Stop-DockerContainer -Name $untouched -Signal HUP -Force'; ErrorId = 'ConflictingParameters'; Target = 'Force' }
            @{ Script = 'Stop-DockerContainer -Name $untouched -Signal HUP -Timeout 5'; ErrorId = 'ConflictingParameters'; Target = 'Signal' }
            @{ Script = 'Update-DockerContainer -Name $untouched'; ErrorId = 'NothingToUpdate'; Target = '' }
            @{ Script = 'Update-DockerContainer -Name $untouched -RestartPolicy sometimes'; ErrorId = 'InvalidRestartPolicy'; Target = 'sometimes' }
            @{ Script = "Update-DockerContainer -Name `$untouched -Memory '1.5q'"; ErrorId = 'InvalidMemorySpecification'; Target = '1.5q' }
            @{ Script = 'Update-DockerContainer -Name $untouched -MemorySwap -2'; ErrorId = 'InvalidMemorySpecification'; Target = '-2' }
            @{ Script = 'Clear-DockerContainer -Label $label -Until 7d -Force'; ErrorId = 'InvalidFilter'; Target = '7' }
        ) {
            $startedBefore = Get-TestInspect $untouched '{{.State.StartedAt}}'
            $refused = [scriptblock]::Create($Script)
            $err = { . $refused } | Should -Throw -PassThru
            $err | Get-TestErrorId | Should -Be $ErrorId
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            "$($err.TargetObject)" | Should -BeExactly $Target
            Get-DockerContainerState $untouched | Should -Be 'running'
            Get-TestInspect $untouched '{{.State.StartedAt}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.Memory}}' | Should -Be "$startedBefore no 0"
            Test-DockerContainer $untouched | Should -BeTrue
        }
    }

    Context 'an action that does not fit the state' {
        BeforeAll {
            $script:created = New-TestContainer 'created' -Created
        }

        It '<Script> is <ErrorId>, and says to start it' -ForEach @(
            @{ Script = 'Suspend-DockerContainer -Name $created'; ErrorId = 'ContainerNotRunning' }
            @{ Script = 'Get-DockerContainer -Name $created | Resume-DockerContainer'; ErrorId = 'ContainerNotPaused' }
            @{ Script = 'Stop-DockerContainer -Name $created -Signal HUP'; ErrorId = 'ContainerNotRunning' }
        ) {
            $action = [scriptblock]::Create("$Script -ErrorVariable err -ErrorAction SilentlyContinue")
            $null = . $action
            $err | Should -HaveCount 1
            $err[0] | Get-TestErrorId | Should -Be $ErrorId
            $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $err[0].TargetObject | Should -Be $created
            $err[0].Exception.Message | Should -BeLike '*Start-DockerContainer*'
            Get-DockerContainerState $created | Should -Be 'created'
        }

        It 'stopping it is what was asked and it is already so: no error' {
            Stop-DockerContainer -Name $created -Force -ErrorAction Stop
            Stop-DockerContainer -Name $created -ErrorAction Stop
            Get-DockerContainerState $created | Should -Be 'created'
        }
    }
}

Describe 'Ctrl+C during a restart' {
    It 'with a long timeout ends within a second' {
        # busybox sleep as PID 1 ignores SIGTERM, so the restart would wait the whole timeout.
        $name = New-TestContainer 'slowrestart'
        $startedBefore = Get-TestInspect $name '{{.State.StartedAt}}'
        $since = [datetime]::UtcNow
        $pipeline = Start-TestPipeline -Script 'param($Name) Restart-DockerContainer -Name $Name -Timeout 120' -Parameter @{ Name = $name }
        try {
            # Under way: the engine has sent the container its SIGTERM.
            $null = Wait-TestValue -TimeoutSeconds 30 -Read { Get-TestEngineEvent -Since $since -Event kill -Filter "container=$name" } -Until { param($e) @($e).Count -ge 1 }
            Start-Sleep -Milliseconds 300
            $pipeline.Handle.IsCompleted | Should -BeFalse -Because 'the restart ended by itself'

            $null = Assert-TestPipelineStops $pipeline
            $pipeline.PowerShell.Streams.Error.Count | Should -Be 0
            Get-DockerContainerState $name | Should -BeIn 'running', 'exited'
        }
        finally {
            Remove-TestPipeline $pipeline
        }
    }
}
