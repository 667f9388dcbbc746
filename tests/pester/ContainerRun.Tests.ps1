# Invoke-DockerContainer (docker run) in real pwsh: output streamed as it comes, standard error as errors,
# $LASTEXITCODE as docker run sets it (also when the command never ran), standard input, -Detach, -Remove, -Tty, Ctrl+C.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Streams.Support.ps1')
    $script:label = Get-TestLabel
    $script:image = Get-TestBaseImage
}

AfterAll {
    Remove-TestResource
}

Describe 'Invoke-DockerContainer runs a command and streams what it writes' {
    It 'writes standard output to the pipeline, standard error as errors, and sets $LASTEXITCODE' {
        $n = New-TestName 'run'
        $out = Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Command sh, -c, 'echo one; echo bad >&2; echo two; exit 3' -ErrorVariable err -ErrorAction SilentlyContinue
        $code = $global:LASTEXITCODE
        $out | Should -Be @('one', 'two')
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'ContainerStandardError,DockerPS.Cmdlets.Container.InvokeDockerContainerCommand'
        $err[0].CategoryInfo.Category | Should -Be 'FromStdErr'
        $err[0].TargetObject | Should -Be $n
        $err[0].Exception.Message | Should -Be 'bad'
        $code | Should -Be 3
        Get-DockerContainerState $n | Should -Be 'exited'
        Invoke-DockerCli container inspect --format '{{.State.ExitCode}}' $n | Should -Be '3'
    }

    It '-PassThru returns one result with both streams, the exit code and the duration' {
        $n = New-TestName 'passthru'
        $run = Get-DockerImage dockerps-test/busybox | Invoke-DockerContainer -Name $n -Label $label -Command sh, -c, 'echo out1; echo out2; echo err >&2; exit 4' -PassThru -ErrorVariable err
        $code = $global:LASTEXITCODE
        $err | Should -BeNullOrEmpty
        @($run).Count | Should -Be 1
        $run | Should -BeOfType DockerPS.DockerExecResult
        $run.ExitCode | Should -Be 4
        $run.StdOut | Should -BeExactly "out1`nout2"
        $run.StdErr | Should -BeExactly 'err'
        $run.Container.Name | Should -Be $n
        $run.Container.State | Should -Be ([DockerPS.ContainerState]::Exited)
        $run.Command | Should -Be @('sh', '-c', 'echo out1; echo out2; echo err >&2; exit 4')
        $run.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $code | Should -Be 4
        Invoke-DockerCli container inspect --format '{{.State.ExitCode}}' $n | Should -Be '4'
    }

    It '-Detach returns the started container at once' {
        $n = New-TestName 'detach'
        $container = Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Command sleep, 300 -Detach -ErrorVariable err
        $err | Should -BeNullOrEmpty
        @($container).Count | Should -Be 1
        $container | Should -BeOfType DockerPS.DockerContainer
        $container.Name | Should -Be $n
        $container.State | Should -Be ([DockerPS.ContainerState]::Running)
        Get-DockerContainerState $n | Should -Be 'running'
    }

    It '-Remove leaves no container and keeps the exit code' {
        $n = New-TestName 'rm'
        $out = Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Remove -Command sh, -c, 'echo bye; exit 2' -ErrorVariable err
        $code = $global:LASTEXITCODE
        $err | Should -BeNullOrEmpty
        $out | Should -Be @('bye')
        $code | Should -Be 2
        Test-DockerContainer $n | Should -BeFalse -Because 'the container was removed'
    }

    It '-Input goes to standard input, which is then closed' {
        $n = New-TestName 'stdin'
        $out = Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Input 'line 1', '', 'line 3' -Command sh, -c, 'cat; echo end' -ErrorVariable err
        $code = $global:LASTEXITCODE
        $err | Should -BeNullOrEmpty
        $out | Should -Be @('line 1', '', 'line 3', 'end')
        $code | Should -Be 0
        Invoke-DockerCli logs $n | Should -Be @('line 1', '', 'line 3', 'end')
    }

    It '-Tty gives raw output, both streams on standard output' {
        $n = New-TestName 'tty'
        $out = Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Tty -Command sh, -c, 'echo out; echo err >&2; exit 1' -ErrorVariable err
        $code = $global:LASTEXITCODE
        $err | Should -BeNullOrEmpty
        $out | Should -Be @('out', 'err')
        $code | Should -Be 1
        Invoke-DockerCli container inspect --format '{{.Config.Tty}} {{.State.ExitCode}}' $n | Should -Be 'true 1'
    }

    It 'streams output as it comes, and Ctrl+C with -Remove ends within a second, leaving no container' {
        $n = New-TestName 'rmstop'
        $seen = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $pipeline = Start-TestPipeline -Parameter @{ n = $n; label = $label; seen = $seen } -Script @'
param($n, $label, $seen)
Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Remove -Command sh, -c, 'echo started; sleep 300' | ForEach-Object { $seen.Enqueue($_) }
'@
        try {
            Wait-TestCondition { $seen.ToArray() -contains 'started' } $pipeline 'the first line arrived while the container ran'
            Get-DockerContainerState $n | Should -Be 'running'
            $null = Assert-TestPipelineStops $pipeline
            Test-DockerContainer $n | Should -BeFalse -Because 'Ctrl+C must not leave the -Remove container behind'
        }
        finally {
            Remove-TestPipeline $pipeline
        }
    }
}

Describe 'Invoke-DockerContainer takes piped lines as standard input' {
    It 'gives lines piped with a named image to the container, and sets $LASTEXITCODE' {
        $n = New-TestName 'stdin'
        $global:LASTEXITCODE = 0
        $out = 'x', 'y' | Invoke-DockerContainer -Image dockerps-test/busybox -Name $n -Label $label -Command sh, -c, 'cat; exit 5' -ErrorVariable err
        $code = $global:LASTEXITCODE
        $err | Should -BeNullOrEmpty
        $out | Should -Be @('x', 'y')
        $code | Should -Be 5
        Invoke-DockerCli logs $n | Should -Be @('x', 'y')
        Invoke-DockerCli container inspect --format '{{.State.ExitCode}}' $n | Should -Be '5'
    }

    It '-Interactive with no input closes standard input, and returns' {
        $n = New-TestName 'interactive'
        $pipeline = Start-TestPipeline -Parameter @{ n = $n; label = $label } -Script @'
param($n, $label)
$global:LASTEXITCODE = 9
Invoke-DockerContainer -Image dockerps-test/busybox -Name $n -Label $label -Interactive -Command sh, -c, 'cat; echo closed'
$global:LASTEXITCODE
'@
        try {
            if (-not $pipeline.Handle.AsyncWaitHandle.WaitOne($Patience)) {
                $null = Stop-TestPipeline $pipeline
                throw 'Invoke-DockerContainer -Interactive without -Input did not return: standard input was left open.'
            }
            $out = $pipeline.PowerShell.EndInvoke($pipeline.Handle)
            $pipeline.PowerShell.Streams.Error | Should -BeNullOrEmpty
            $out[0] | Should -Be 'closed'
            $out[1] | Should -Be 0 -Because '$LASTEXITCODE is the exit code of the command'
            $out.Count | Should -Be 2
            Invoke-DockerCli container inspect --format '{{.Config.OpenStdin}}' $n | Should -Be 'true'
            Invoke-DockerCli container inspect --format '{{.State.Status}} {{.State.ExitCode}}' $n | Should -Be 'exited 0'
        }
        finally {
            Remove-TestPipeline $pipeline
        }
    }
}

Describe 'Invoke-DockerContainer sets $LASTEXITCODE as docker run does' {
    BeforeAll {
        $script:taken = New-TestContainer -What 'exec' -Command sleep, 600
        $script:noEngine = 'unix://' + (New-TestPath 'no-engine.sock')
        $script:missingImage = "dockerps-test/missing-$(Get-TestRunId):none"
    }

    It 'the command ran: its own exit code' {
        $global:LASTEXITCODE = 0
        Invoke-DockerContainer dockerps-test/busybox -Label $label -Remove -Command sh, -c, 'exit 127' -ErrorVariable err
        $code = $global:LASTEXITCODE
        $err | Should -BeNullOrEmpty
        $code | Should -Be (Get-DockerCliResult run --rm --label $label $image sh -c 'exit 127').ExitCode
        $code | Should -Be 127
    }

    It 'the command never ran (<ErrorId>): docker run''s <Code>, and an error of its own' -ForEach @(
        @{ Case = 'nosuchbinary'; Code = 127; ErrorId = 'ContainerCommandNotFound' }
        @{ Case = '/etc/passwd'; Code = 126; ErrorId = 'ContainerCommandNotInvokable' }
        @{ Case = 'name in use'; Code = 125; ErrorId = 'ContainerNameInUse' }
        @{ Case = 'missing image'; Code = 125; ErrorId = 'ImageNotFound' }
        @{ Case = 'no engine'; Code = 125; ErrorId = 'DockerHostUnreachable' }
    ) {
        $parameter = @{ image = $image; label = $label; taken = $taken; missingImage = $missingImage; noEngine = $noEngine; case = $Case }
        switch ($Case) {
            'name in use' {
                $cli = Get-DockerCliResult run --name $taken $image true
                $script = 'param($image, $taken) $global:LASTEXITCODE = 0; Invoke-DockerContainer $image -Name $taken -Command true'
            }
            'missing image' {
                $cli = Get-DockerCliResult run --pull never $missingImage true
                $script = 'param($missingImage) $global:LASTEXITCODE = 0; Invoke-DockerContainer $missingImage -Command true'
            }
            'no engine' {
                $cli = Get-DockerCliResult -H $noEngine run $image true
                $script = 'param($noEngine, $image) $global:LASTEXITCODE = 0; Invoke-DockerContainer -DockerHost $noEngine $image -Command true'
            }
            default {
                $cli = Get-DockerCliResult run --rm --label $label $image $Case
                $script = 'param($image, $label, $case) $global:LASTEXITCODE = 0; Invoke-DockerContainer $image -Label $label -Remove -Command $case'
            }
        }
        $cli.ExitCode | Should -Be $Code -Because "docker run gives $Code ($($cli.Error))"

        $result = Invoke-TestScript $script $parameter
        $result.Output | Should -BeNullOrEmpty
        $result.Errors.Count | Should -Be 1 -Because "one error: $($result.Errors -join '; ')"
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $result.LastExitCode | Should -Be $cli.ExitCode
    }

    It 'parameters docker run would refuse as flags: 125, ConflictingParameters' {
        $n = New-TestName 'never'
        $global:LASTEXITCODE = 0
        { Invoke-DockerContainer $image -Name $n -Detach -PassThru } |
            Should -Throw -ErrorId 'ConflictingParameters,DockerPS.Cmdlets.Container.InvokeDockerContainerCommand'
        $global:LASTEXITCODE | Should -Be 125
        Test-DockerContainer $n | Should -BeFalse
    }
}

Describe 'Invoke-DockerContainer refuses bad arguments before anything runs' {
    It '-Detach with -Input is ConflictingParameters, and nothing is created' {
        $n = New-TestName 'never'
        { Invoke-DockerContainer dockerps-test/busybox -Name $n -Label $label -Detach -Input 'x' } |
            Should -Throw -ErrorId 'ConflictingParameters,DockerPS.Cmdlets.Container.InvokeDockerContainerCommand'
        Test-DockerContainer $n | Should -BeFalse -Because 'nothing was created'
    }

    It '-WhatIf says what it would run, and creates nothing' {
        $n = New-TestName 'never'
        $shown = (Invoke-TestPwsh -ImportModule "Invoke-DockerContainer dockerps-test/busybox -Name '$n' -Label '$label' -Command true -WhatIf").Output
        $shown | Should -Contain "What if: Performing the operation `"Run container`" on target `"'$n' from image 'dockerps-test/busybox'`"."
        Test-DockerContainer $n | Should -BeFalse -Because '-WhatIf created nothing'
    }

    It 'an image that does not exist is ImageNotFound, and the script goes on' {
        $result = Invoke-TestScript 'param($label) Invoke-DockerContainer dockerps-test/no-such-image:1 -Label $label -Command true; ''after''' @{ label = $label }
        $result.Output | Should -Be @('after')
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        $result.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Test-DockerImage 'dockerps-test/no-such-image:1' | Should -BeFalse
    }
}

Describe 'Invoke-DockerContainer with an image piped from a second engine' {
    BeforeAll {
        $script:other = Get-TestSecondEngine
    }

    AfterAll {
        Remove-TestResource -DockerHost $other
    }

    It 'runs the container there' {
        $n = New-TestName 'run-second'
        $out = Get-DockerImage -DockerHost $other -Name dockerps-test/busybox | Invoke-DockerContainer -Name $n -Label $label -Command sh, -c, 'echo ran' -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $out | Should -Be @('ran')
        Invoke-DockerCli -H $other container inspect --format '{{.State.Status}}' $n | Should -Be 'exited'
        Test-DockerContainer $n | Should -BeFalse
    }
}

Describe 'Help of Invoke-DockerContainer' {
    It 'states the exit codes, and which pipeline input is standard input' {
        $help = Get-Help Invoke-DockerContainer -Full | Out-String
        $help | Should -Match '125'
        $help | Should -Match '126'
        $help | Should -Match '127'
        $help | Should -Match 'standard input'
    }
}
