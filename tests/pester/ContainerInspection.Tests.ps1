# Looking into containers against the real engine: Get-DockerContainerChange (docker diff), Get-DockerContainerProcess
# (docker top), Get-DockerContainerStats (docker stats), and Get-DockerContainer -Detailed (docker inspect) with the
# create settings it shows back, its filters, and tab completion of container settings.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
}

AfterAll {
    Remove-TestResource
}

Describe 'Get-DockerContainerChange' {
    It 'reports added, changed and deleted files as docker diff does' {
        $n = New-TestContainer 'diff'
        $null = Invoke-TestExec $n "echo new > /tmp/added.txt && echo 'extra:x:1:1::/:/bin/sh' >> /etc/passwd && rm /etc/group"

        $result = Get-DockerContainerChange -Name $n -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $result | Should -BeOfType [DockerPS.DockerContainerChange]
        $kinds = @{}
        foreach ($change in $result) { $kinds[$change.Path] = $change.Kind }
        $kinds['/tmp/added.txt'] | Should -Be ([DockerPS.ContainerChangeKind]::Added)
        $kinds['/tmp'] | Should -Be ([DockerPS.ContainerChangeKind]::Changed)
        $kinds['/etc/passwd'] | Should -Be ([DockerPS.ContainerChangeKind]::Changed)
        $kinds['/etc'] | Should -Be ([DockerPS.ContainerChangeKind]::Changed)
        $kinds['/etc/group'] | Should -Be ([DockerPS.ContainerChangeKind]::Deleted)
        $result.Container | Sort-Object -Unique | Should -Be $n

        # The same lines docker diff prints, one object per line.
        [string[]] $cli = Invoke-DockerCli diff $n | ForEach-Object Trim | Where-Object { $_ }
        [string[]] $mine = $result | ForEach-Object ToString
        [array]::Sort($cli, [StringComparer]::Ordinal)
        [array]::Sort($mine, [StringComparer]::Ordinal)
        $cli.Count | Should -BeGreaterOrEqual 5
        $mine | Should -Be $cli

        $deleted = Get-DockerContainer -Name $n | Get-DockerContainerChange -Kind Deleted -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $deleted | Should -HaveCount 1
        $deleted.Path | Should -Be '/etc/group'

        Get-DockerContainerChange $n -Kind Deleted | Out-String -Width 160 |
            Should -Match 'CONTAINER\s+KIND\s+PATH\s+[-\s]+dockerps-test\S+\s+Deleted\s+/etc/group'
    }
}

Describe 'Get-DockerContainerProcess' {
    It 'lists the running command with the host''s process id' {
        $n = New-TestContainer 'top'
        $processId = [int](Invoke-DockerCli container inspect --format '{{.State.Pid}}' $n)

        $process = Get-DockerContainerProcess -Name $n -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $process | Should -HaveCount 1
        $process | Should -BeOfType [DockerPS.DockerContainerProcess]
        $process.Command | Should -Be 'sleep 300'
        $process.ProcessId | Should -Be $processId
        $process.ParentProcessId | Should -BeGreaterThan 0
        $process.User | Should -Be 'root'
        $process.CpuTime | Should -Be ([timespan]::Zero)
        $process.Container | Should -Be $n
        $process.Titles | Should -Be @('UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD')
        $process.Columns['CMD'] | Should -Be 'sleep 300'
        # docker top shows the same process.
        (Invoke-DockerCli top $n)[1] | Should -Match "^root\s+$processId\s+\d+\s+.*\s+sleep 300$"

        # Other ps options: their columns are kept, and the known ones still typed.
        $custom = Get-DockerContainer -Name $n | Get-DockerContainerProcess -Arguments '-o pid,ppid,comm,rss' -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $custom | Should -HaveCount 1
        $custom.Titles | Should -Be @('PID', 'PPID', 'COMMAND', 'RSS')
        $custom.Command | Should -Be 'sleep'
        $custom.ProcessId | Should -Be $processId
        [long]$custom.Columns['RSS'] | Should -BeGreaterThan 0

        Get-DockerContainerProcess $n | Out-String -Width 160 |
            Should -Match "CONTAINER\s+UID\s+PID\s+PPID\s+STIME\s+TTY\s+TIME\s+CMD\s+[-\s]+dockerps-test\S+\s+root\s+$processId\s+\d+\s+\S+\s+\?\s+00:00:00\s+sleep 300"
    }

    It 'reports a stopped or unknown container as an error, and the pipeline goes on; a paused one still has its processes' {
        $running = New-TestContainer 'top-ok'
        $stopped = New-TestName 'top-stopped'
        $null = Invoke-DockerCli create --name $stopped --label (Get-TestLabel) (Get-TestBaseImage) sleep 300

        $result = Get-DockerContainerProcess -Name 'dockerps-test-no-such-container', $stopped, $running -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerNotFound', 'ContainerNotRunning')
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'dockerps-test-no-such-container'
        $err[1].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err[1].TargetObject | Should -Be $stopped
        $result | Should -HaveCount 1
        $result.Container | Should -Be $running

        # A paused container's processes are still there, frozen.
        $null = Invoke-DockerCli pause $running
        Get-DockerContainerState $running | Should -Be 'paused'
        $paused = Get-DockerContainerProcess $running -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $paused | Should -HaveCount 1
        $paused.Command | Should -Be 'sleep 300'
    }
}

Describe 'Get-DockerContainerStats' {
    It 'takes a snapshot with plausible numbers, and CPU from two samples' {
        $idle = New-TestContainer 'stats-idle'
        $busy = New-TestContainer 'stats-busy' -Command sh, -c, 'while :; do :; done'

        $result = Get-DockerContainerStats -Name $idle, $busy -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $result | Should -HaveCount 2
        $result | Should -BeOfType [DockerPS.DockerContainerStats]
        $stats = @{}
        foreach ($s in $result) { $stats[$s.Container] = $s }
        $stats.Keys | Sort-Object | Should -Be (@($idle, $busy) | Sort-Object)
        foreach ($s in $result) {
            $s.MemoryUsage | Should -BeGreaterThan 0 -Because 'memory is in use'
            $s.MemoryLimit | Should -BeGreaterOrEqual $s.MemoryUsage -Because 'the limit is above the use'
            $s.MemoryPercent | Should -BeGreaterOrEqual 0.0
            $s.MemoryPercent | Should -BeLessOrEqual 100.0
            $s.Pids | Should -BeGreaterOrEqual 1 -Because 'the main process runs'
            $s.OnlineCpus | Should -BeGreaterOrEqual 1
            $s.Read | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(-2))
            $s.Read | Should -BeLessThan ([datetime]::UtcNow.AddMinutes(1))
            $s.NetworkReceived | Should -BeGreaterOrEqual 0
            $s.NetworkSent | Should -BeGreaterOrEqual 0
            $s.BlockRead | Should -BeGreaterOrEqual 0
            $s.BlockWritten | Should -BeGreaterOrEqual 0
        }

        # With one sample only, the busy loop would get its whole lifetime's share of CPU since the host booted.
        $stats[$busy].CpuPercent | Should -BeGreaterThan 10
        $stats[$idle].CpuPercent | Should -BeLessThan 5
        $stats[$busy].CpuTime | Should -BeGreaterThan ([timespan]::Zero)
        $stats[$idle].ContainerId | Should -Be (Invoke-DockerCli container inspect --format '{{.Id}}' $idle)

        $shortId = [regex]::Escape($stats[$idle].ShortId)
        Get-DockerContainerStats $idle | Out-String -Width 200 |
            Should -Match "CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE / LIMIT\s+MEM %\s+NET I/O\s+BLOCK I/O\s+PIDS\s+[-\s]+$shortId\s+dockerps-test\S+\s+\d+\.\d\d%\s+[\d.]+[KMG]?i?B / [\d.]+[KMGT]iB\s+\d+\.\d\d%\s+\S+ / \S+\s+\S+ / \S+\s+1"
    }

    It 'measures the running containers without names, all that match with -All, and reports unknown names' {
        $running = New-TestContainer 'stats-all'
        $stopped = New-TestName 'stats-stopped'
        $null = Invoke-DockerCli create --name $stopped --label (Get-TestLabel) (Get-TestBaseImage) sleep 300

        $all = @(Get-DockerContainerStats).Container
        $all | Should -Contain $running
        $all | Should -Not -Contain $stopped

        $matched = Get-DockerContainerStats -Name "dockerps-test-$(Get-TestRunId)-stats-*" -All -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $matched.Container | Should -Contain $running
        $matched.Container | Should -Contain $stopped
        ($matched | Where-Object Container -EQ $stopped).Pids | Should -Be 0

        $piped = Get-DockerContainer -Name $running | Get-DockerContainerStats -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $piped | Should -HaveCount 1
        $piped.Pids | Should -BeGreaterOrEqual 1

        $missing = Get-DockerContainerStats -Name dockerps-test-no-such-container, $running -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerNotFound')
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $missing | Should -HaveCount 1
        $missing.Container | Should -Be $running
    }

    It 'keeps writing snapshots with -Stream until Ctrl+C, which ends it within a second' {
        $n = New-TestContainer 'stats-stream'
        $sink = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $started = Start-TestPipeline 'Get-DockerContainerStats -Name $n -Stream | ForEach-Object { $sink.Enqueue($_) }' -Variable @{ n = $n; sink = $sink }
        try {
            Wait-TestCondition { $sink.Count -ge 2 } -Seconds 30 -Pipeline $started -Because 'the stream writes two snapshots'

            $null = Assert-TestPipelineStops $started
        }
        finally {
            Remove-TestPipeline $started
        }

        $snapshots = @($sink.ToArray() | ForEach-Object { $_ })
        $snapshots | Should -BeOfType [DockerPS.DockerContainerStats]
        $snapshots.Container | Sort-Object -Unique | Should -Be $n
        $snapshots[1].Read | Should -BeGreaterThan $snapshots[0].Read -Because 'each snapshot is a new sample'
    }
}

Describe 'Get-DockerContainer -Detailed' {
    It 'shows the create settings that reached the engine as typed properties' {
        $n = New-TestName 'detailed'
        New-DockerContainer -Image dockerps-test/busybox -Name $n -Label (Get-TestLabel), 'tier=db' -Entrypoint sh -Command '-c', 'cat /etc/resolv.conf; exit 5' `
            -Environment @{ MODE = 'test' } -WorkingDirectory /tmp -User nobody -Hostname box7 -Dns 10.0.0.2, fd00::53 -DnsSearch example.com `
            -Memory '48m' -Cpus 0.5 -Port '127.0.0.1::8080', '127.0.0.1:18443:443/udp' -RestartPolicy No -ErrorVariable err -WarningAction SilentlyContinue | Out-Null
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli inspect --format '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}' $n | Should -Be '50331648 500000000'
        Invoke-DockerCli inspect --format '{{.HostConfig.Dns}} {{.HostConfig.DnsSearch}} {{.HostConfig.RestartPolicy.Name}}' $n | Should -Be '[10.0.0.2 fd00::53] [example.com] no'

        # Before it ever ran: the configured port bindings, no start or finish time.
        $fresh = Get-DockerContainer -Name $n -Detailed
        $fresh | Should -HaveCount 1
        $fresh.HasDetails | Should -BeTrue
        $fresh.StartedAt | Should -BeNullOrEmpty
        $fresh.FinishedAt | Should -BeNullOrEmpty
        @($fresh.HostConfig.PortBindings | ForEach-Object ToString) | Should -Be @('127.0.0.1:18443:443/udp', '127.0.0.1::8080/tcp')
        $fresh.HostConfig.PortBindings[0].HostPort | Should -Be '18443'
        $fresh.HostConfig.PortBindings[1].HostPort | Should -BeNullOrEmpty

        Start-DockerContainer -Name $n -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli wait $n | Should -Be '5'
        $resolv = (Invoke-DockerCli logs $n) -join "`n"
        $resolv | Should -Match 'nameserver 10\.0\.0\.2'
        $resolv | Should -Match 'search example\.com'

        $c = Get-DockerContainer -Name $n -Detailed -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $c | Should -HaveCount 1
        $c | Should -BeOfType [DockerPS.DockerContainer]
        $c.State | Should -Be ([DockerPS.ContainerState]::Exited)
        $c.ExitCode | Should -Be 5
        $c.StartedAt.Kind | Should -Be 'Utc'
        # A command this short can end before the engine records its start: both times are only checked as recent.
        $c.FinishedAt.Kind | Should -Be 'Utc'
        ([datetime]::UtcNow - $c.StartedAt).TotalMinutes | Should -BeLessThan 5
        ([datetime]::UtcNow - $c.FinishedAt).TotalMinutes | Should -BeLessThan 5
        $c.OomKilled | Should -BeFalse
        $c.Error | Should -BeNullOrEmpty
        $c.Pid | Should -BeNullOrEmpty
        $c.Health | Should -BeNullOrEmpty
        $c.RestartCount | Should -Be 0

        $config = $c.Config
        $config.Entrypoint | Should -Be @('sh')
        $config.Cmd | Should -Be @('-c', 'cat /etc/resolv.conf; exit 5')
        $config.Env | Should -Contain 'MODE=test'
        $config.WorkingDirectory | Should -Be '/tmp'
        $config.User | Should -Be 'nobody'
        $config.Hostname | Should -Be 'box7'
        $config.Labels['tier'] | Should -Be 'db'
        $config.ExposedPorts | Should -Be @('443/udp', '8080/tcp')

        $hostConfig = $c.HostConfig
        $hostConfig.RestartPolicy | Should -Be ([DockerPS.ContainerRestartPolicy]::No)
        $hostConfig.Memory | Should -Be (48L -shl 20)
        $hostConfig.Cpus | Should -Be 0.5
        $hostConfig.Dns | Should -Be @('10.0.0.2', 'fd00::53')
        $hostConfig.DnsSearch | Should -Be @('example.com')
        $hostConfig.NetworkMode | Should -Be 'default'
        $c.NetworkSettings | Should -HaveCount 1
        $c.NetworkSettings.Network | Should -Be 'bridge'

        # Without -Detailed the inspect data stays out, and the default table is the docker ps one.
        $plain = Get-DockerContainer -Name $n
        $plain | Should -HaveCount 1
        $plain.HasDetails | Should -BeFalse
        $plain.Config | Should -BeNullOrEmpty
        Get-DockerContainer -Name $n -Detailed | Out-String -Width 160 | Should -Match 'CONTAINER ID\s+NAMES\s+STATUS\s+IMAGE\s+COMMAND\s+CREATED\s+PORTS'
    }

    It 'shows health checks (shell form, exec form, none) in the health state' {
        $failing = New-TestName 'unhealthy'
        $passing = New-TestName 'healthy'
        $none = New-TestName 'nocheck'
        New-DockerContainer -Image dockerps-test/busybox -Name $failing -Label (Get-TestLabel) -Command sleep, 300 `
            -HealthCheckCommand 'echo probe says no; exit 1' -HealthCheckInterval '200ms' -HealthCheckTimeout '00:00:05' -HealthCheckRetries 2 -HealthCheckStartPeriod '100ms' -WarningAction SilentlyContinue |
            Start-DockerContainer -ErrorVariable err
        $err | Should -BeNullOrEmpty
        New-DockerContainer -Image dockerps-test/busybox -Name $passing -Label (Get-TestLabel) -Command sleep, 300 `
            -HealthCheckCommand test, -d, /tmp -HealthCheckInterval ([timespan]::FromMilliseconds(200)) -WarningAction SilentlyContinue | Start-DockerContainer -ErrorVariable err
        $err | Should -BeNullOrEmpty
        New-DockerContainer -Image dockerps-test/busybox -Name $none -Label (Get-TestLabel) -Command sleep, 300 -NoHealthCheck -ErrorVariable err -WarningAction SilentlyContinue | Out-Null
        $err | Should -BeNullOrEmpty

        $health = Invoke-DockerCli inspect --format '{{json .Config.Healthcheck}}' $failing | ConvertFrom-Json
        $health.Test | Should -Be @('CMD-SHELL', 'echo probe says no; exit 1')
        $health.Interval | Should -Be 200000000
        $health.Timeout | Should -Be 5000000000
        $health.StartPeriod | Should -Be 100000000
        $health.Retries | Should -Be 2
        Invoke-DockerCli inspect --format '{{json .Config.Healthcheck.Test}}' $passing | Should -Be '["CMD","test","-d","/tmp"]'

        $sick = Wait-TestValue { Get-DockerContainer -Name $failing -Detailed } { param($c) "$($c.Health.Status)" -eq 'Unhealthy' }
        $sick | Should -HaveCount 1
        $sick.Health.FailingStreak | Should -BeGreaterOrEqual 2
        $sick.Health.Log | Where-Object { $_.ExitCode -eq 1 -and $_.Output -like '*probe says no*' -and $_.End -ge $_.Start } | Should -Not -BeNullOrEmpty
        $check = $sick.Config.HealthCheck
        $check.Interval | Should -Be ([timespan]::FromMilliseconds(200))
        $check.Timeout | Should -Be ([timespan]::FromSeconds(5))
        $check.Retries | Should -Be 2
        Invoke-DockerCli inspect --format '{{.State.Health.Status}}' $failing | Should -Be 'unhealthy'

        $well = Wait-TestValue { Get-DockerContainer -Name $passing -Detailed } { param($c) "$($c.Health.Status)" -eq 'Healthy' }
        $well.Health.FailingStreak | Should -Be 0
        Invoke-DockerCli inspect --format '{{.State.Health.Status}}' $passing | Should -Be 'healthy'

        $off = Get-DockerContainer -Name $none -Detailed
        $off | Should -HaveCount 1
        $off.Config.HealthCheck.Test | Should -Be @('NONE')
        $off.Health | Should -BeNullOrEmpty
    }

    It 'filters by ancestor image, and by status with details' {
        $image = "dockerps-test/ancestor-$(Get-TestRunId):1"
        $null = New-TestRootfsImage -Reference $image
        $child = New-TestName 'child'
        $other = New-TestName 'other'
        $null = Invoke-DockerCli create --name $child --label (Get-TestLabel) $image true
        $null = Invoke-DockerCli create --name $other --label (Get-TestLabel) (Get-TestBaseImage) true

        $byAncestor = Get-DockerContainer -Ancestor $image -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $byAncestor | Should -HaveCount 1
        $byAncestor.Name | Should -Be $child

        $both = @(Get-DockerContainer -Ancestor $image, dockerps-test/busybox -Status Created -Label (Get-TestLabel) -Detailed)
        $both | Where-Object { $_.Name -eq $child -and $_.HasDetails } | Should -HaveCount 1
        $both | Where-Object { $_.Name -eq $other -and $_.HasDetails } | Should -HaveCount 1
        $both.State | Sort-Object -Unique | Should -Be ([DockerPS.ContainerState]::Created)

        Get-DockerContainer -Ancestor $image -Status Running | Should -BeNullOrEmpty
        Get-DockerContainer -Network "dockerps-test-no-such-network-$(Get-TestRunId)" | Should -BeNullOrEmpty
        Get-DockerContainer -Volume "dockerps-test-no-such-volume-$(Get-TestRunId)" | Should -BeNullOrEmpty
    }
}

Describe 'Tab completion of container settings' {
    It 'offers restart policies, signals, and container names for links' {
        $n = New-TestName 'completed'
        $null = Invoke-DockerCli create --name $n --label (Get-TestLabel) (Get-TestBaseImage) true

        Get-TestCompletion 'New-DockerContainer -Image x -RestartPolicy ' | Should -Be @('No', 'Always', 'UnlessStopped', 'OnFailure')
        Get-TestCompletion 'Update-DockerContainer -Name x -RestartPolicy un' | Should -Be @('UnlessStopped')
        Get-TestCompletion 'Stop-DockerContainer -Name x -Signal t' | Sort-Object | Should -Be @('TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU')
        Get-TestCompletion 'Stop-DockerContainer -Name x -Signal SIGUS' | Should -Be @('SIGUSR1', 'SIGUSR2')
        Get-TestCompletion "New-DockerContainer -Image x -Link dockerps-test-$(Get-TestRunId)-compl" | Should -Contain $n
        Get-TestCompletion "Rename-DockerContainer -Container dockerps-test-$(Get-TestRunId)-compl" | Should -Contain $n
    }
}
