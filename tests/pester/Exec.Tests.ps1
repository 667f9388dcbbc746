# Invoke-DockerExec (docker exec) in real pwsh, and the trust a user puts in commands in containers: $LASTEXITCODE as
# docker exec sets it (also when the command never ran), piped lines as standard input, and a piped container, volume
# or image acted on at its own engine (two engines, one name on both).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Streams.Support.ps1')
    $script:label = Get-TestLabel
    $script:image = Get-TestBaseImage

    <# A running container of this run. #>
    function New-TestRunningContainer { New-TestContainer -What 'exec' -Command sleep, 600 }

    <# A running container of one name on both engines, each telling which engine it is on (hostname, /twin.txt). #>
    function New-TestTwin([Parameter(Mandatory)][string] $Other) {
        $name = New-TestName 'twin'
        foreach ($where in 'main', 'second') {
            $engine = if ($where -eq 'second') { $Other } else { $null }
            $null = New-TestContainer -What 'twin' -Name $name -DockerHost $engine -Option '--hostname', "$where-twin" `
                -Command sh, -c, "echo $where > /twin.txt; hostname; sleep 600"
        }
        $name
    }
}

AfterAll {
    Remove-TestResource
}

Describe 'Invoke-DockerExec sets $LASTEXITCODE as docker exec does' {
    BeforeAll {
        $script:running = New-TestRunningContainer
    }

    It 'a command that cannot start (<Command>): the engine''s exit code, and an error of its own (<ErrorId>), no output' -ForEach @(
        @{ Command = 'nosuchbinary'; ErrorId = 'ExecCommandNotFound' }
        @{ Command = '/etc/passwd'; ErrorId = 'ExecCommandNotInvokable' }
        @{ Command = '/tmp'; ErrorId = 'ExecCommandNotInvokable' }
    ) {
        $cli = Get-DockerCliResult exec $running $Command
        $cli.ExitCode | Should -Be 126 -Because 'engine 20.10 records 126 for any exec that could not start'

        $global:LASTEXITCODE = 0
        $out = Invoke-DockerExec $running $Command -ErrorVariable err -ErrorAction SilentlyContinue
        $code = $global:LASTEXITCODE
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $err[0].TargetObject | Should -Be $running
        $err[0].Exception.Message | Should -BeLike "*$Command*"
        $code | Should -Be $cli.ExitCode
    }

    It 'the engine refuses (<ErrorId>): 1, as docker exec gives' -ForEach @(
        @{ Case = 'missing'; ErrorId = 'ContainerNotFound' }
        @{ Case = 'created'; ErrorId = 'ContainerNotRunning' }
        @{ Case = 'no engine'; ErrorId = 'DockerHostUnreachable' }
    ) {
        switch ($Case) {
            'missing' {
                $missing = New-TestName 'missing'
                $cli = Get-DockerCliResult exec $missing true
                $script = 'param($missing) $global:LASTEXITCODE = 0; Invoke-DockerExec $missing true'
            }
            'created' {
                $created = New-TestName 'created'
                $null = Invoke-DockerCli create --name $created --label $label $image true
                $cli = Get-DockerCliResult exec $created true
                $script = 'param($created) $global:LASTEXITCODE = 0; Invoke-DockerExec $created true'
            }
            'no engine' {
                $noEngine = 'unix://' + (New-TestPath 'no-engine.sock')
                $cli = Get-DockerCliResult -H $noEngine exec $running true
                $script = 'param($noEngine, $running) $global:LASTEXITCODE = 0; Invoke-DockerExec -DockerHost $noEngine $running true'
            }
        }
        $cli.ExitCode | Should -Be 1 -Because "docker exec gives 1 ($($cli.Error))"

        $result = Invoke-TestScript $script @{ missing = $missing; created = $created; noEngine = $noEngine; running = $running }
        $result.Errors.Count | Should -Be 1 -Because "one error: $($result.Errors -join '; ')"
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $result.Output | Should -BeNullOrEmpty
        $result.LastExitCode | Should -Be $cli.ExitCode
    }

    It 'a command that ran: its own exit code, in exec as in run' {
        $global:LASTEXITCODE = 0
        Invoke-DockerExec $running sh, -c, 'exit 126' -ErrorVariable err
        $code = $global:LASTEXITCODE
        $err | Should -BeNullOrEmpty
        $code | Should -Be (Get-DockerCliResult exec $running sh -c 'exit 126').ExitCode
        $code | Should -Be 126

        $global:LASTEXITCODE = 0
        Invoke-DockerContainer dockerps-test/busybox -Label $label -Remove -Command sh, -c, 'exit 127' -ErrorVariable err
        $code = $global:LASTEXITCODE
        $err | Should -BeNullOrEmpty
        $code | Should -Be 127
    }
}

Describe 'Invoke-DockerExec takes piped lines as standard input' {
    BeforeAll {
        $script:running = New-TestRunningContainer
    }

    It 'gives lines piped with a named container to the command, all in one run' {
        $global:LASTEXITCODE = 9
        $out = 'a', 'b', 3 | Invoke-DockerExec -Container $running -Command sh, -c, 'cat > /tmp/stdin.txt; cat /tmp/stdin.txt' -ErrorVariable err
        $code = $global:LASTEXITCODE
        $err | Should -BeNullOrEmpty
        $out | Should -Be @('a', 'b', '3')
        Invoke-DockerCli exec $running cat /tmp/stdin.txt | Should -Be @('a', 'b', '3')
        $code | Should -Be 0

        # One run for all the lines, as for a native command, also when nothing is piped.
        $out = @() | Invoke-DockerExec $running sh, -c, 'cat; echo end' -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $out | Should -Be @('end')
    }

    It 'takes piped objects naming a container as the target, not as standard input' {
        $out = [pscustomobject]@{ Name = $running } | Invoke-DockerExec -Command sh, -c, 'cat; hostname' -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $out | Should -Be @(Invoke-DockerCli exec $running hostname)

        $out = Get-DockerContainer -Name $running | Invoke-DockerExec -Command sh, -c, 'cat; echo done' -Input 'given' -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $out | Should -Be @('given', 'done')
    }
}

Describe 'Objects piped from a second engine are acted on there' {
    BeforeAll {
        $script:other = Get-TestSecondEngine
    }

    AfterAll {
        Remove-TestResource -DockerHost $other
    }

    It 'a container: executed, copied, exported, committed and renamed there' {
        $n = New-TestTwin $other
        $c = Get-DockerContainer -DockerHost $other -Name $n -ErrorAction Stop

        # Ground truth first: the same name is a different container on each engine.
        Invoke-DockerCli -H $other exec $n hostname | Should -Be 'second-twin'
        Invoke-DockerCli exec $n hostname | Should -Be 'main-twin'

        $c | Invoke-DockerExec -Command hostname -ErrorVariable err | Should -Be @('second-twin')
        $err | Should -BeNullOrEmpty

        $copied = New-TestPath 'twin.txt'
        $c | Copy-DockerContainerItem -Path /twin.txt -Destination $copied -ErrorVariable err
        $err | Should -BeNullOrEmpty
        (Get-Content -Raw -LiteralPath $copied).Trim() | Should -Be 'second'

        $exported = New-TestPath 'twin.tar'
        $c | Export-DockerContainer -Path $exported -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Get-TestTarFileText $exported 'twin.txt' | Should -Be 'second'

        $repository = "dockerps-test/twin-$(Get-TestRunId)"
        try {
            $committed = $c | ConvertTo-DockerImage -Repository $repository -Tag committed -Change "LABEL $label" -ErrorVariable err
            $err | Should -BeNullOrEmpty
            @($committed).Count | Should -Be 1
            $committed.DockerHost.ToString() | Should -Be $other
            (Get-DockerCliResult -H $other image inspect "${repository}:committed").ExitCode | Should -Be 0
            Test-DockerImage "${repository}:committed" | Should -BeFalse
        }
        finally {
            # A child of the base image: it goes at once.
            $null = Get-DockerCliResult -H $other rmi -f "${repository}:committed"
        }

        $renamed = New-TestName 'renamed'
        $c | Rename-DockerContainer -NewName $renamed -ErrorVariable err
        $err | Should -BeNullOrEmpty
        (Get-DockerCliResult -H $other container inspect $renamed).ExitCode | Should -Be 0
        (Get-DockerCliResult -H $other container inspect $n).ExitCode | Should -Not -Be 0
        Test-DockerContainer $n | Should -BeTrue
        Test-DockerContainer $renamed | Should -BeFalse
    }

    It 'a container: connected, logged and suspended there' {
        $n = New-TestTwin $other
        $network = New-TestName 'net'
        $null = Invoke-DockerCli -H $other network create --label $label $network
        $c = Get-DockerContainer -DockerHost $other -Name $n -ErrorAction Stop
        $networksOf = { Invoke-DockerCli -H $other container inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' $n }

        $c | Connect-DockerNetwork -Network $network -ErrorVariable err
        $err | Should -BeNullOrEmpty
        & $networksOf | Should -Match ([regex]::Escape($network))
        $c | Disconnect-DockerNetwork -Network $network -ErrorVariable err
        $err | Should -BeNullOrEmpty
        & $networksOf | Should -Not -Match ([regex]::Escape($network))

        $c | Get-DockerContainerLog -Raw -ErrorVariable err | Should -Be @('second-twin')
        $err | Should -BeNullOrEmpty

        $c | Suspend-DockerContainer -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli -H $other container inspect --format '{{.State.Paused}}' $n | Should -Be 'true'
        Invoke-DockerCli container inspect --format '{{.State.Paused}}' $n | Should -Be 'false'
        $c | Resume-DockerContainer -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli -H $other container inspect --format '{{.State.Paused}}' $n | Should -Be 'false'
    }

    It 'a volume: backed up, restored and removed there' {
        $volume = New-TestName 'vol'
        foreach ($where in 'main', 'second') {
            $hostArgs = if ($where -eq 'second') { @('-H', $other) } else { @() }
            $null = Invoke-DockerCli @hostArgs volume create --label $label $volume
            $null = Invoke-DockerCli @hostArgs run --rm --label $label -v "${volume}:/data" $image sh -c "echo $where > /data/where.txt"
        }
        $fileIn = {
            param([string[]] $HostArgs)
            Invoke-DockerCli @HostArgs run --rm --label $label -v "${volume}:/data" $image cat /data/where.txt
        }

        $vol = Get-DockerVolume -DockerHost $other -Name $volume -ErrorAction Stop
        $archive = New-TestPath 'volume.tar'
        $vol | Backup-DockerVolume -Path $archive -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Get-TestTarFileText $archive 'volume/where.txt' | Should -Be 'second'

        # Restored into the piped volume, on its own engine: the main engine's volume of the same name keeps its file.
        $null = Invoke-DockerCli -H $other run --rm --label $label -v "${volume}:/data" $image sh -c 'echo changed > /data/where.txt'
        $vol | Restore-DockerVolume -Path $archive -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        & $fileIn '-H', $other | Should -Be 'second'
        & $fileIn | Should -Be 'main'

        $vol | Remove-DockerVolume -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        (Get-DockerCliResult -H $other volume inspect $volume).ExitCode | Should -Not -Be 0
        (Get-DockerCliResult volume inspect $volume).ExitCode | Should -Be 0
    }
}

Describe 'Help of Invoke-DockerExec' {
    It 'states the exit codes, and which pipeline input is standard input' {
        $help = Get-Help Invoke-DockerExec -Full | Out-String
        $help | Should -Match '125'
        $help | Should -Match '126'
        $help | Should -Match '127'
        $help | Should -Match 'standard input'
    }
}
