# Get-DockerContainerLog (docker logs) and Wait-DockerContainer (docker wait) in real pwsh: log lines as objects,
# -Tail/-Since/-Until, -Follow and Ctrl+C, several containers labelled, exit statuses, conditions and time-outs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Streams.Support.ps1')
    $script:label = Get-TestLabel

    <# The messages of the log lines a Get-DockerContainerLog command returns, failing on any error. #>
    function Get-TestLogMessage([Parameter(Mandatory)][scriptblock] $Command) {
        $written = @(& $Command 2>&1)
        $written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
        $written | ForEach-Object { $_ | Should -BeOfType DockerPS.DockerContainerLogEntry }
        @($written | ForEach-Object Message)
    }

    <#
    Starts Wait-DockerContainer -Condition $Condition on container $Name in a PowerShell of its own and returns it (see
    Start-TestPipeline) once the wait is under way: it has said what it waits for.
    #>
    function Start-TestWait([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Condition) {
        $pipeline = Start-TestPipeline -Parameter @{ n = $Name; condition = $Condition } -Script 'param($n, $condition) Wait-DockerContainer $n -Condition $condition -Verbose'
        try {
            Wait-TestCondition { $pipeline.PowerShell.Streams.Verbose.Count -gt 0 } $pipeline 'the wait was under way'
        }
        catch {
            Remove-TestPipeline $pipeline
            throw
        }
        $pipeline
    }

    <# Waits for a wait from Start-TestWait to end by itself, as it must within $Patience, and returns what it wrote. #>
    function Complete-TestWait([Parameter(Mandatory)] $Pipeline, [Parameter(Mandatory)][string] $Because) {
        $Pipeline.Handle.AsyncWaitHandle.WaitOne($Patience) | Should -BeTrue -Because $Because
        @($Pipeline.PowerShell.EndInvoke($Pipeline.Handle))
    }
}

AfterAll {
    Remove-TestResource
}

Describe 'Get-DockerContainerLog' {
    It 'returns objects with the container, stream, timestamp and message' {
        $n = Invoke-TestContainerToEnd -What 'logs' -Command sh, -c, 'echo out1; echo err1 >&2; echo out2'
        $before = [DateTime]::UtcNow.AddMinutes(-5)
        $entries = Get-DockerContainerLog -Name $n -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $entries.Count | Should -Be 3
        foreach ($entry in $entries) {
            $entry | Should -BeOfType DockerPS.DockerContainerLogEntry
            $entry.Container | Should -Be $n
            $entry.Timestamp.Kind | Should -Be 'Utc'
            $entry.Timestamp | Should -BeGreaterThan $before
            $entry.Timestamp | Should -BeLessThan ([DateTime]::UtcNow.AddMinutes(1))
        }
        ($entries | Where-Object Stream -EQ StdOut).Message | Should -Be @('out1', 'out2')
        @($entries | Where-Object Stream -EQ StdErr).Message | Should -Be @('err1')

        # The docker CLI's own split of the streams.
        (Get-DockerCliResult logs $n).Output | Should -Be @('out1', 'out2')
        (Get-DockerCliResult logs $n).Error | Should -Be 'err1'

        $raw = Get-DockerContainerLog -Name $n -Raw -Timestamps -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $raw.Count | Should -Be 3
        foreach ($line in $raw) {
            $line | Should -BeOfType string
            $line | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (out1|out2|err1)$'
        }
    }

    It '-Tail, -Since and -Until pick the lines' {
        $n = Invoke-TestContainerToEnd -What 'tail' -Command sh, -c, 'echo 1; echo 2; echo 3; sleep 1; echo 4; echo 5'
        Get-TestLogMessage { Get-DockerContainerLog $n -Tail 2 } | Should -Be @('4', '5')
        Get-TestLogMessage { Get-DockerContainerLog $n -Tail all } | Should -Be @('1', '2', '3', '4', '5')
        Get-TestLogMessage { Get-DockerContainerLog $n -Tail 0 } | Should -BeNullOrEmpty

        $fourth = (Get-DockerContainerLog $n | Where-Object Message -EQ '4').Timestamp
        Get-TestLogMessage { Get-DockerContainerLog $n -Since $fourth } | Should -Be @('4', '5')
        Get-TestLogMessage { Get-DockerContainerLog $n -Until $fourth.AddMilliseconds(-1) } | Should -Be @('1', '2', '3')
        Get-TestLogMessage { Get-DockerContainerLog $n -Since ([TimeSpan]::FromHours(1)) } | Should -Be @('1', '2', '3', '4', '5')
        Get-TestLogMessage { Get-DockerContainerLog $n -Until '1h' } | Should -BeNullOrEmpty
        Invoke-DockerCli logs --tail 2 $n | Should -Be @('4', '5')
    }

    It '-Follow receives new lines as they are written, and Ctrl+C ends it within a second' {
        $n = New-TestContainer -What 'follow' -Command sh, -c, 'echo first; while [ ! -f /tmp/go ]; do sleep 0.1; done; echo second; sleep 300'
        $seen = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $pipeline = Start-TestPipeline -Parameter @{ n = $n; seen = $seen } -Script @'
param($n, $seen)
Get-DockerContainerLog $n -Follow | ForEach-Object { $seen.Enqueue($_.Message) }
'@
        try {
            Wait-TestCondition { $seen.ToArray() -contains 'first' } $pipeline 'the existing line arrived'
            $seen.ToArray() | Should -Not -Contain 'second'
            $null = Invoke-DockerCli exec $n touch /tmp/go
            Wait-TestCondition { $seen.ToArray() -contains 'second' } $pipeline 'the new line arrived while following'

            $null = Assert-TestPipelineStops $pipeline
            Get-DockerContainerState $n | Should -Be 'running'
        }
        finally {
            Remove-TestPipeline $pipeline
        }
    }

    It '-Follow ends when the container stops' {
        $n = New-TestContainer -What 'followend' -Command sh, -c, 'echo a; sleep 1; echo b'
        Get-TestLogMessage { Get-DockerContainerLog $n -Follow } | Should -Be @('a', 'b')
        Get-DockerContainerState $n | Should -Be 'exited'
    }

    It 'labels the lines of two piped containers' {
        $a = Invoke-TestContainerToEnd -What 'labela' -Command sh, -c, 'echo from-a'
        $b = Invoke-TestContainerToEnd -What 'labelbb' -Command sh, -c, 'echo from-b; echo more-b'
        $entries = Get-DockerContainer -Name $a, $b | Get-DockerContainerLog -ErrorVariable err
        $err | Should -BeNullOrEmpty
        @($entries | Where-Object Container -EQ $a).Message | Should -Be @('from-a')
        @($entries | Where-Object Container -EQ $b).Message | Should -Be @('from-b', 'more-b')

        $width = [Math]::Max($a.Length, $b.Length)
        $raw = Get-DockerContainer -Name $a, $b | Get-DockerContainerLog -Raw
        $raw | Should -Contain "$($a.PadRight($width)) | from-a"
        $raw | Should -Contain "$($b.PadRight($width)) | more-b"

        $shown = Get-DockerContainer -Name $a, $b | Get-DockerContainerLog | Out-String -Width 160
        $shown | Should -Match ([regex]::Escape("$($a.PadRight($width)) | from-a"))
        $shown | Should -Match ([regex]::Escape("$($b.PadRight($width)) | from-b"))

        $single = Get-DockerContainerLog $a | Out-String -Width 160
        $single.Replace("`r", '') | Should -Match "`nfrom-a`n"
    }

    It 'gives the lines of a container with a terminal on standard output' {
        $n = New-TestName 'ttylogs'
        $null = Invoke-DockerCli run -t --name $n --label $label (Get-TestBaseImage) sh -c 'echo out; echo err >&2'
        $entries = Get-DockerContainerLog $n -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $entries.Message | Should -Be @('out', 'err')
        $entries | ForEach-Object { $_.Stream | Should -Be ([DockerPS.LogStream]::StdOut) }
    }
}

Describe 'Wait-DockerContainer' {
    It 'returns the exit code of each container' {
        $running = New-TestContainer -What 'waitrun' -Command sh, -c, 'sleep 1; exit 7'
        $exited = Invoke-TestContainerToEnd -What 'waitexited' -Command sh, -c, 'exit 3'
        $statuses = Wait-DockerContainer -Name $running, $exited -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $statuses | Should -BeOfType DockerPS.DockerContainerExitStatus
        $statuses.Container | Should -Be @($running, $exited)
        $statuses.ExitCode | Should -Be @(7, 3)
        $statuses | ForEach-Object { $_.Error | Should -BeNullOrEmpty }
        Get-DockerContainerState $running | Should -Be 'exited'
        Invoke-DockerCli container inspect --format '{{.State.ExitCode}}' $running $exited | Should -Be @('7', '3')

        $shown = Wait-DockerContainer -Name $running, $exited | Out-String -Width 160
        $shown | Should -Match 'CONTAINER\s+EXIT CODE\s+ERROR'
        $shown | Should -Match "$running\s+7\s"
    }

    It '-Condition NextExit waits for the next run of a stopped container' {
        # The first run exits 2; the next one 9.
        $n = Invoke-TestContainerToEnd -What 'nextexit' -Command sh, -c, 'test -f /tmp/ran && exit 9; touch /tmp/ran; exit 2'
        $pipeline = Start-TestWait $n NextExit
        try {
            Start-Sleep -Milliseconds 300
            $pipeline.Handle.IsCompleted | Should -BeFalse -Because 'the run that had already exited must not end the wait'
            $null = Invoke-DockerCli start $n
            $status = Complete-TestWait $pipeline 'the wait saw the next exit'
            $status.Count | Should -Be 1
            $status[0].ExitCode | Should -Be 9
            Invoke-DockerCli container inspect --format '{{.State.ExitCode}}' $n | Should -Be '9'
        }
        finally {
            Remove-TestPipeline $pipeline
        }
    }

    It '-Condition NextExit of a running container returns when it is killed' {
        $n = New-TestContainer -What 'nextkill' -Command sleep, 300
        $pipeline = Start-TestWait $n NextExit
        try {
            $null = Invoke-DockerCli kill $n
            $status = Complete-TestWait $pipeline 'the wait saw the exit'
            $status.Count | Should -Be 1
            $status[0].ExitCode | Should -Be 137
            $status[0].Container | Should -Be $n
            Invoke-DockerCli container inspect --format '{{.State.ExitCode}}' $n | Should -Be '137'
        }
        finally {
            Remove-TestPipeline $pipeline
        }
    }

    It '-Condition Removed returns when the container is removed' {
        $n = New-TestContainer -What 'removed' -Command sleep, 300
        $pipeline = Start-TestWait $n Removed
        try {
            Start-Sleep -Milliseconds 300
            $pipeline.Handle.IsCompleted | Should -BeFalse -Because 'the container is still there'
            $null = Invoke-DockerCli rm -f $n
            $status = Complete-TestWait $pipeline 'the wait saw the removal'
            $status.Count | Should -Be 1
            $status[0].ExitCode | Should -Be 137
            Test-DockerContainer $n | Should -BeFalse
        }
        finally {
            Remove-TestPipeline $pipeline
        }
    }

    It '-Timeout is an OperationTimeout error, the container untouched, and the pipeline goes on' {
        $running = New-TestContainer -What 'waittimeout' -Command sleep, 300
        $exited = Invoke-TestContainerToEnd -What 'waitdone' -Command sh, -c, 'exit 5'
        $statuses = Wait-DockerContainer -Name $running, $exited -Timeout 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'ContainerWaitTimeout,DockerPS.Cmdlets.Container.WaitDockerContainerCommand'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err[0].TargetObject | Should -Be $running
        @($statuses).Count | Should -Be 1
        $statuses.ExitCode | Should -Be 5
        Get-DockerContainerState $running | Should -Be 'running'

        $statuses = Wait-DockerContainer -Name $running -Condition NextExit -Timeout ([TimeSpan]::FromMilliseconds(300)) -ErrorVariable err -ErrorAction SilentlyContinue
        $statuses | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerWaitTimeout,*'
        Get-DockerContainerState $running | Should -Be 'running'
    }

    It 'Ctrl+C during a wait for <_> ends it within a second' -ForEach 'NotRunning', 'Removed' {
        $n = New-TestContainer -What 'waitstop' -Command sleep, 300
        $pipeline = Start-TestWait $n $_
        try {
            Start-Sleep -Milliseconds 200
            $pipeline.Handle.IsCompleted | Should -BeFalse -Because 'the wait must not end by itself'
            $null = Assert-TestPipelineStops $pipeline
            Get-DockerContainerState $n | Should -Be 'running'
        }
        finally {
            Remove-TestPipeline $pipeline
        }
    }
}

Describe 'An unknown container is ContainerNotFound, and the pipeline goes on' {
    BeforeAll {
        $script:known = Invoke-TestContainerToEnd -What 'known' -Command sh, -c, 'echo here; exit 6'
    }

    It 'Get-DockerContainerLog' {
        $entries = Get-DockerContainerLog -Name dockerps-test-no-such-container, $known -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'ContainerNotFound,DockerPS.Cmdlets.Container.GetDockerContainerLogCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'dockerps-test-no-such-container'
        @($entries).Count | Should -Be 1
        $entries.Message | Should -Be 'here'
        Test-DockerContainer 'dockerps-test-no-such-container' | Should -BeFalse
    }

    It 'Wait-DockerContainer' {
        $statuses = 'dockerps-test-no-such-container', $known | ForEach-Object { [pscustomobject]@{ Name = $_ } } |
            Wait-DockerContainer -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @($statuses).Count | Should -Be 1
        $statuses.ExitCode | Should -Be 6
    }
}

Describe 'Bad arguments are refused before anything runs' {
    BeforeAll {
        $script:done = Invoke-TestContainerToEnd -What 'badargs' -Command sh, -c, 'echo x'
    }

    It 'Get-DockerContainerLog -Tail many: a validation error naming ''all''' {
        { Get-DockerContainerLog $done -Tail many } | Should -Throw -ErrorId 'ParameterArgumentValidationError,DockerPS.Cmdlets.Container.GetDockerContainerLogCommand' -ExpectedMessage "*'all'*"
    }

    It 'Get-DockerContainerLog -Since 90s: InvalidTimeArgument, and no lines' {
        $result = Invoke-TestScript 'param($n) Get-DockerContainerLog $n -Since 90s' @{ n = $done }
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTimeArgument,*'
        $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $result.Output | Should -BeNullOrEmpty
    }

    It 'Wait-DockerContainer -Timeout 0: InvalidTimeArgument' {
        $result = Invoke-TestScript 'param($n) Wait-DockerContainer $n -Timeout 0' @{ n = $done }
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTimeArgument,*'
        $result.Output | Should -BeNullOrEmpty
    }
}
