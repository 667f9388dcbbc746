# Containers through pipelines, as a user writes them: one cmdlet's objects piped into the next, objects from a second
# engine acted on at that engine, and the per-item rail: many piped items acted on side by side (-ThrottleLimit), yet
# each asked, reported and written as one, -PassThru in input order, -WhatIf, and Ctrl+C in the middle of a bulk stop.
# Ground truth comes from the docker CLI.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Lifecycle.Support.ps1')
    $script:label = Get-TestLabel

    <# A label of one test's own, for its batch of containers, images, volumes or networks. #>
    function New-TestBatch { New-TestName 'rail' }

    <# $Count labelled busybox containers named <batch>-NN, made side by side with the docker CLI; returns the names. #>
    function New-TestBatchContainer([string] $Batch, [int] $Count, [switch] $Running) {
        $names = 0..($Count - 1) | ForEach-Object { '{0}-{1:D2}' -f $Batch, $_ }
        $runLabel = Get-TestLabel
        $image = Get-TestBaseImage
        $failed = $names | ForEach-Object -ThrottleLimit 8 -Parallel {
            [string[]] $verb = if ($using:Running) { 'run', '-d' } else { 'create' }
            $null = & docker @verb --name $_ --label $using:runLabel --label $using:Batch $using:image sleep 300 2>&1
            if ($LASTEXITCODE -ne 0) { $_ }
        }
        if ($failed) { throw "docker could not make $($failed -join ', ')" }
        $names
    }

    <# The ids of the containers that carry the batch label (ground truth). #>
    function Get-TestBatchId([string] $Batch) { @(Invoke-DockerCli ps -aq --filter "label=$Batch") | Where-Object { $_ } }

    <# An image of its own (a new config over the base image's layers), labelled for the cleanup; returns its id. #>
    function New-TestCommittedImage([string] $Batch, [string] $What) {
        $container = "$Batch-$What-src"
        $null = Invoke-DockerCli create --name $container --label $label (Get-TestBaseImage) true
        $id = "$(Invoke-DockerCli commit --change "LABEL $label" --change "LABEL rail=$Batch-$What" $container)".Trim()
        $null = Invoke-DockerCli rm $container
        $id
    }
}

AfterAll {
    if ($script:secondEngine) { Remove-TestResource -DockerHost $script:secondEngine }
    Remove-TestResource
}

Describe 'Piping containers from cmdlet to cmdlet' {
    It 'Get-DockerImage | New- | Start- | Invoke-DockerExec -PassThru gives the exit code and both streams' {
        $name = New-TestName 'exec'
        $exec = Get-DockerImage dockerps-test/busybox -ErrorAction Stop | New-DockerContainer -Name $name -Command sleep, 300 -ErrorAction Stop |
            Start-DockerContainer -PassThru -ErrorAction Stop |
            Invoke-DockerExec -Command sh, -c, 'echo out; echo err >&2; exit 3' -PassThru -ErrorAction Stop
        $exec | Should -HaveCount 1
        $exec | Should -BeOfType ([DockerPS.DockerExecResult])
        $exec.ExitCode | Should -Be 3
        $LASTEXITCODE | Should -Be 3
        $exec.StdOut | Should -BeExactly 'out'
        $exec.StdErr | Should -BeExactly 'err'
        $exec.Container.Name | Should -Be $name
        Get-DockerContainerState $name | Should -Be 'running'
        Get-TestInspect $name '{{.Config.Image}} {{join .Config.Cmd " "}}' | Should -Be 'dockerps-test/busybox:latest sleep 300'
    }

    It 'Get- | Stop- | Remove-DockerContainer leaves no container' {
        $name = New-TestContainer 'stop'
        $stopped = Get-DockerContainer -Name $name | Stop-DockerContainer -Timeout 1 -PassThru -ErrorAction Stop
        $stopped | Should -HaveCount 1
        $stopped.State | Should -Be ([DockerPS.ContainerState]::Exited)
        Get-DockerContainerState $name | Should -Be 'exited'

        Get-DockerContainer -Name $name | Stop-DockerContainer -PassThru | Remove-DockerContainer -Confirm:$false -ErrorAction Stop
        Test-DockerContainer $name | Should -BeFalse
        Get-DockerContainer -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Invoke-DockerExec streams stdout to the pipeline, stderr to the error stream, and sets $LASTEXITCODE' {
        $name = New-TestContainer 'stream'
        $out = Invoke-DockerExec -Container $name -Command sh, -c, 'echo one; echo two; echo bad >&2; exit 7' -ErrorVariable err -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Be 7
        $out | Should -BeExactly 'one', 'two'
        $err | Should -HaveCount 1
        $err[0] | Get-TestErrorId | Should -Be 'ExecStandardError'
        $err[0].Exception.Message | Should -BeExactly 'bad'
    }

    It 'Invoke-DockerExec -Input goes to stdin, with -Environment, -User and -WorkingDirectory' {
        $name = New-TestContainer 'stdin'
        $out = Invoke-DockerExec $name -Command sh, -c, 'cat; echo $GREETING; id -u; pwd' -Input 'line 1', 'line 2' -Environment @{ GREETING = 'hello there' } -User nobody -WorkingDirectory /tmp -ErrorAction Stop
        $LASTEXITCODE | Should -Be 0
        $out | Should -BeExactly 'line 1', 'line 2', 'hello there', '65534', '/tmp'
        # Piped lines are stdin too.
        'piped 1', 'piped 2' | Invoke-DockerExec $name -Command cat -ErrorAction Stop | Should -BeExactly 'piped 1', 'piped 2'
    }

    It 'New-DockerContainer applies ports, volumes, environment, labels and settings' {
        $bind = New-TestPath 'bind'
        $null = New-Item -ItemType Directory -Path $bind
        Set-Content -LiteralPath (Join-Path $bind 'hello.txt') -Value 'from the host' -NoNewline
        $name = New-TestName 'settings'
        $created = New-DockerContainer -Image dockerps-test/busybox -Name $name -Command sh, -c, 'sleep 300' -Environment @{ A = '1' }, 'B=two' `
            -Label @{ 'dockerps.test.run' = (Get-TestRunId); tier = 'web' } -Port '127.0.0.1:18080:80', '127.0.0.1::81', '5000/udp' `
            -Volume "${bind}:/hostdir:ro", '/anon' -WorkingDirectory /tmp -User nobody -Hostname box1 -ErrorAction Stop
        $created | Should -HaveCount 1
        $created.State | Should -Be ([DockerPS.ContainerState]::Created)
        $created.Labels['tier'] | Should -Be 'web'

        $env = Get-TestInspect $name '{{json .Config.Env}}' | ConvertFrom-Json
        $env | Should -Contain 'A=1'
        $env | Should -Contain 'B=two'
        Get-TestInspect $name '{{.Config.WorkingDir}}|{{.Config.User}}|{{.Config.Hostname}}|{{index .Config.Labels "tier"}}' | Should -Be '/tmp|nobody|box1|web'
        $ports = Get-TestInspect $name '{{json .HostConfig.PortBindings}}'
        $ports | Should -BeLike '*"80/tcp":`[{"HostIp":"127.0.0.1","HostPort":"18080"}`]*'
        $ports | Should -BeLike '*"81/tcp":`[{"HostIp":"127.0.0.1","HostPort":""}`]*'
        Get-TestInspect $name '{{json .Config.ExposedPorts}}' | Should -BeLike '*5000/udp*'
        Get-TestInspect $name '{{json .HostConfig.Binds}}' | ConvertFrom-Json | Should -Contain "${bind}:/hostdir:ro"
        Get-TestInspect $name '{{json .Config.Volumes}}' | Should -BeLike '*"/anon"*'

        $running = Start-DockerContainer -Name $name -PassThru -ErrorAction Stop
        $running.State | Should -Be ([DockerPS.ContainerState]::Running)
        $published = @($running.Ports | Where-Object PrivatePort -EQ 80)
        $published | Should -HaveCount 1
        $published[0].PublicPort | Should -Be 18080
        $published[0].HostIP | Should -Be '127.0.0.1'
        @($running.Ports | Where-Object PrivatePort -EQ 81)[0].PublicPort | Should -BeGreaterThan 0
        Invoke-DockerExec $name cat, /hostdir/hello.txt -ErrorAction Stop | Should -BeExactly 'from the host'
        Invoke-DockerExec $name sh, -c, 'echo x > /hostdir/new.txt' -ErrorAction SilentlyContinue
        $LASTEXITCODE | Should -Not -Be 0
        Join-Path $bind 'new.txt' | Should -Not -Exist -Because 'the read-only bind refused the write'
    }

    It 'Get-DockerContainer lists all by default, and filters by status, label and name' {
        $running = New-TestContainer 'running'
        $stopped = New-TestContainer 'created' -Created -Script true -Option '--label', 'role=idle'

        $all = (Get-DockerContainer -ErrorAction Stop).Name
        $all | Should -Contain $running
        $all | Should -Contain $stopped
        $all.Count | Should -Be @(Invoke-DockerCli ps -aq).Count

        $onlyRunning = Get-DockerContainer -Status Running -ErrorAction Stop
        $onlyRunning.Name | Should -Contain $running
        $onlyRunning.Name | Should -Not -Contain $stopped
        $onlyRunning | Where-Object State -NE ([DockerPS.ContainerState]::Running) | Should -BeNullOrEmpty

        $labelled = Get-DockerContainer -Label role=idle -ErrorAction Stop | Where-Object Name -Like "dockerps-test-$(Get-TestRunId)-*"
        $labelled | Should -HaveCount 1
        $labelled.Name | Should -Be $stopped

        $wildcard = Get-DockerContainer -Name "dockerps-test-$(Get-TestRunId)-runn*" -ErrorAction Stop
        $wildcard | Should -HaveCount 1
        $wildcard.Name | Should -Be $running
        $wildcard.Image | Should -BeIn 'dockerps-test/busybox', 'dockerps-test/busybox:latest'

        $byProperty = [pscustomobject]@{ Name = $running } | Stop-DockerContainer -Timeout 1 -PassThru -ErrorAction Stop
        $byProperty.State | Should -Be ([DockerPS.ContainerState]::Exited)
        Get-DockerContainerState $running | Should -Be 'exited'
    }
}

Describe 'A container piped from a second engine' {
    BeforeAll {
        $script:secondEngine = Get-TestSecondEngine
    }

    It 'is stopped, started, restarted, updated and removed there, and its twin on the first engine is untouched' {
        # The same name on both engines: a container of each.
        $name = New-TestName 'twin'
        $null = New-TestContainer -Name $name -What 'twin' -Option '--hostname', 'main-twin'
        $null = New-TestContainer -Name $name -What 'twin' -Option '--hostname', 'second-twin' -DockerHost $secondEngine
        try {
            $mainStarted = Get-TestInspect $name '{{.State.StartedAt}}'
            $mainId = Get-TestInspect $name '{{.Id}}'

            $c = Get-DockerContainer -DockerHost $secondEngine -Name $name -ErrorAction Stop
            $c | Should -HaveCount 1
            $c.Id | Should -Be (Get-TestInspect $name '{{.Id}}' -DockerHost $secondEngine)

            $stopped = $c | Stop-DockerContainer -Force -PassThru -ErrorAction Stop
            $stopped.ExitCode | Should -Be 137
            "$($stopped.DockerHost)" | Should -Be $secondEngine
            Get-TestInspect $name '{{.State.Status}}' -DockerHost $secondEngine | Should -Be 'exited'
            Get-TestInspect $name '{{.State.Status}} {{.State.StartedAt}}' | Should -Be "running $mainStarted"

            $c | Start-DockerContainer -ErrorAction Stop
            Get-TestInspect $name '{{.State.Status}}' -DockerHost $secondEngine | Should -Be 'running'
            $secondStarted = Get-TestInspect $name '{{.State.StartedAt}}' -DockerHost $secondEngine

            $c | Restart-DockerContainer -Timeout 0 -ErrorAction Stop
            Get-TestInspect $name '{{.State.StartedAt}}' -DockerHost $secondEngine | Should -Not -Be $secondStarted
            Get-TestInspect $name '{{.State.StartedAt}}' | Should -Be $mainStarted

            $c | Update-DockerContainer -Memory 64MB -ErrorAction Stop
            Get-TestInspect $name '{{.HostConfig.Memory}}' -DockerHost $secondEngine | Should -Be '67108864'
            Get-TestInspect $name '{{.HostConfig.Memory}}' | Should -Be '0'

            $c | Remove-DockerContainer -Force -ErrorAction Stop
            (Get-DockerCliResult -H $secondEngine container inspect $name).ExitCode | Should -Not -Be 0
            Get-TestInspect $name '{{.Id}} {{.State.Status}} {{.State.StartedAt}}' | Should -Be "$mainId running $mainStarted"
        }
        finally {
            Remove-TestResource -DockerHost $secondEngine
        }
    }
}

Describe 'The per-item rail' {
    Context 'many piped containers' {
        It 'Remove-DockerContainer -ThrottleLimit 8 removes sixty piped containers' {
            $batch = New-TestBatch
            $null = New-TestBatchContainer $batch 60
            @(Get-TestBatchId $batch) | Should -HaveCount 60

            Get-DockerContainer -Label $batch | Remove-DockerContainer -Force -ThrottleLimit 8 -ErrorAction Stop

            Get-TestBatchId $batch | Should -BeNullOrEmpty
        }

        It 'Stop-DockerContainer -ThrottleLimit 8 stops sixty, and -PassThru keeps the input order' {
            $batch = New-TestBatch
            $names = New-TestBatchContainer $batch 60 -Running
            [array]::Reverse($names)

            $stopped = $names | ForEach-Object { [pscustomobject]@{ Name = $_ } } | Stop-DockerContainer -Timeout 1 -ThrottleLimit 8 -PassThru -ErrorAction Stop

            $stopped.Name | Should -Be $names
            $states = Invoke-DockerCli inspect --format '{{.Name}} {{.State.Status}}' @names
            $states | Should -Be ($names | ForEach-Object { "/$_ exited" })
        }

        It 'names that are not there are non-terminating errors in their place, and the rest go on' {
            $batch = New-TestBatch
            $real = New-TestBatchContainer $batch 12
            $missing = (New-TestName 'gone1'), (New-TestName 'gone2'), (New-TestName 'gone3')
            $mixed = @($real[0..3]) + $missing[0] + @($real[4..7]) + $missing[1..2] + @($real[8..11])

            Remove-DockerContainer -Name $mixed -Force -ThrottleLimit 8 -ErrorVariable err -ErrorAction SilentlyContinue

            @($err | Get-TestErrorId) | Should -Be @('ContainerNotFound', 'ContainerNotFound', 'ContainerNotFound')
            $err.TargetObject | Should -Be $missing
            $err | ForEach-Object { $_.CategoryInfo.Category } | Should -Be @('ObjectNotFound', 'ObjectNotFound', 'ObjectNotFound')
            Get-TestBatchId $batch | Should -BeNullOrEmpty
        }

        It '-WhatIf on a bulk stop and remove touches nothing, and says what each would do' {
            $batch = New-TestBatch
            $names = New-TestBatchContainer $batch 10 -Running
            $ids = Get-TestBatchId $batch

            $rendered = (Invoke-TestWithHost {
                Get-DockerContainer -Label $batch | Stop-DockerContainer -ThrottleLimit 8 -WhatIf -ErrorAction Stop
                Get-DockerContainer -Label $batch | Remove-DockerContainer -Force -ThrottleLimit 8 -WhatIf -ErrorAction Stop
            }).Host

            foreach ($name in $names) {
                $rendered | Should -BeLike "*What if: Performing the operation `"Stop container`" on target `"$name`"*"
                $rendered | Should -Match "What if: Performing the operation `"Remove container`" on target `"$([regex]::Escape($name))"
            }
            Get-TestBatchId $batch | Sort-Object | Should -Be ($ids | Sort-Object)
            Invoke-DockerCli inspect --format '{{.State.Status}}' @names | Should -Be (@('running') * 10)
        }

        It 'Ctrl+C in the middle of a bulk stop returns within a second, and leaves each stopped or untouched' {
            $batch = New-TestBatch
            $names = New-TestBatchContainer $batch 24 -Running
            $since = [datetime]::UtcNow
            # busybox sleep as PID 1 ignores SIGTERM, so each stop waits out its -Timeout: the first eight are in flight.
            $pipeline = Start-TestPipeline -Script 'param($Batch) Get-DockerContainer -Label $Batch | Stop-DockerContainer -Timeout 30 -ThrottleLimit 8' -Parameter @{ Batch = $batch }
            try {
                # Under way: the engine has sent eight of them their SIGTERM.
                $null = Wait-TestValue -TimeoutSeconds 30 -Read { Get-TestEngineEvent -Since $since -Event kill -Filter "label=$batch" } -Until { param($e) @($e).Count -ge 8 }
                Start-Sleep -Milliseconds 300
                $pipeline.Handle.IsCompleted | Should -BeFalse -Because 'the stop ended before it could be interrupted'

                $null = Assert-TestPipelineStops $pipeline
                $pipeline.PowerShell.Streams.Error.Count | Should -Be 0
                $states = Invoke-DockerCli inspect --format '{{.State.Status}}' @names
                $states | Should -HaveCount 24
                $states | Where-Object { $_ -notin 'running', 'exited' } | Should -BeNullOrEmpty
                $states | Should -Contain 'running'
                # No stop was begun past the eight in flight when Ctrl+C came.
                @(Get-TestEngineEvent -Since $since -Event kill -Filter "label=$batch" | Sort-Object -Unique).Count | Should -BeLessOrEqual 8
            }
            finally {
                Remove-TestPipeline $pipeline
            }
        }
    }

    Context 'many piped images, volumes and networks' {
        It 'Remove-DockerImage removes twenty piped references of two images, and both images go with their last' {
            $batch = New-TestBatch
            $ids = (New-TestCommittedImage $batch 'a'), (New-TestCommittedImage $batch 'b')
            $references = 0..19 | ForEach-Object { '{0}-{1}:t{2:D2}' -f $batch, ('a', 'b')[$_ % 2], $_ }
            foreach ($reference in $references) {
                $null = Invoke-DockerCli tag $ids[[int]($reference -like "$batch-b:*")] $reference
            }

            Get-DockerImage -Name $references | Remove-DockerImage -Confirm:$false -ErrorAction Stop

            foreach ($reference in $references) { Test-DockerImage $reference | Should -BeFalse -Because "$reference was piped" }
            foreach ($id in $ids) { Test-DockerImage $id | Should -BeFalse -Because "image $id was left without a reference" }
            Test-DockerImage (Get-TestBaseImage) | Should -BeTrue
        }

        It 'Add-DockerImageTag -ThrottleLimit 8 tags from twenty sources, and -PassThru keeps the input order' {
            $batch = New-TestBatch
            $id = New-TestCommittedImage $batch 'src'
            try {
                $sources = 19..0 | ForEach-Object { '{0}-src:s{1:D2}' -f $batch, $_ }
                foreach ($source in $sources) { $null = Invoke-DockerCli tag $id $source }

                $tagged = Add-DockerImageTag -Name $sources -Target "$batch-copy:one" -ThrottleLimit 8 -PassThru -ErrorAction Stop

                $tagged | Should -HaveCount 20
                $tagged.Reference | Should -Be (@("$batch-copy:one") * 20)
                Invoke-DockerCli image inspect --format '{{.Id}}' "$batch-copy:one" | Should -Be $id
            }
            finally {
                # A child of the base image left behind would keep the base image through other tests' removals.
                $null = Get-DockerCliResult rmi -f $id
            }
            Test-DockerImage $id | Should -BeFalse
        }

        It 'Remove-DockerVolume -ThrottleLimit 8 removes thirty but one in use and one missing, reported in place' {
            $batch = New-TestBatch
            $volumes = 0..29 | ForEach-Object { '{0}-v{1:D2}' -f $batch, $_ }
            $runLabel = Get-TestLabel
            $failed = $volumes | ForEach-Object -ThrottleLimit 8 -Parallel {
                $null = & docker volume create --label $using:runLabel $_ 2>&1
                if ($LASTEXITCODE -ne 0) { $_ }
            }
            $failed | Should -BeNullOrEmpty
            $null = Invoke-DockerCli create --name "$batch-user" --label $label -v "$($volumes[7]):/data" (Get-TestBaseImage) true
            $gone = "$batch-gone"
            $asked = @($volumes[0..19]) + $gone + @($volumes[20..29])

            Remove-DockerVolume -Name $asked -Force -ThrottleLimit 8 -ErrorVariable err -ErrorAction SilentlyContinue

            @($err | Get-TestErrorId) | Should -Be @('VolumeInUse', 'VolumeNotFound')
            $err.TargetObject | Should -Be @($volumes[7], $gone)
            @(Invoke-DockerCli volume ls -q --filter "name=$batch-v") | Should -Be @($volumes[7])
            Remove-TestResource
        }

        It 'Remove-DockerNetwork -ThrottleLimit 8 removes twelve piped networks' {
            $batch = New-TestBatch
            $networks = 0..11 | ForEach-Object { '{0}-n{1:D2}' -f $batch, $_ }
            foreach ($network in $networks) { $null = Invoke-DockerCli network create --label $label $network }
            @(Invoke-DockerCli network ls -q --filter "name=$batch-n") | Should -HaveCount 12

            Get-DockerNetwork -Name $networks | Remove-DockerNetwork -Force -ThrottleLimit 8 -ErrorAction Stop

            Invoke-DockerCli network ls -q --filter "name=$batch-n" | Should -BeNullOrEmpty
        }
    }
}
