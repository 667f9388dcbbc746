# Enter-DockerContainer (docker exec -it, docker attach) in a real terminal: real pwsh runs in a tmux session, which
# the tests type into and read from as a person at a terminal would. Without a terminal, it says so at once.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Streams.Support.ps1')
    $script:label = Get-TestLabel
}

AfterAll {
    Remove-TestResource
}

Describe 'Enter-DockerContainer in a real terminal' {
    It 'runs a shell that follows the terminal''s size, passes Ctrl+C to the container, and sets $LASTEXITCODE' {
        $n = New-TestContainer -What 'tty' -Command sleep, 300
        $terminal = New-TestTerminal "Enter-DockerContainer $n"
        try {
            Wait-TestTerminal $terminal '/ #'
            Send-TestTerminalLine $terminal 'echo typed-$((6*7)); stty size; tty'
            Wait-TestTerminal $terminal 'typed-42'
            Wait-TestTerminal $terminal '30 100'
            Wait-TestTerminal $terminal '/dev/pts/'

            Resize-TestTerminal $terminal -Width 90 -Height 25
            Send-TestTerminalLine $terminal 'stty size'
            Wait-TestTerminal $terminal '25 90'

            # Ctrl+C goes to the program in the container, not to the cmdlet.
            Send-TestTerminalLine $terminal 'echo sleep$((1+2))ing; sleep 300'
            Wait-TestTerminal $terminal 'sleep3ing'
            Send-TestTerminalKey $terminal 'C-c'
            Send-TestTerminalLine $terminal 'echo still-$((1+1))'
            Wait-TestTerminal $terminal 'still-2'

            Send-TestTerminalLine $terminal 'exit 5'
            Wait-TestTerminal $terminal 'LASTEXITCODE=5'
            Wait-TestTerminal $terminal 'pwsh exit code 5'
            Get-DockerContainerState $n | Should -Be 'running'
        }
        finally {
            Remove-TestTerminal $terminal
        }
    }

    It '-Attach joins the main process, and detaches with Ctrl+P Ctrl+Q leaving $LASTEXITCODE alone' {
        $n = New-TestContainer -What 'attach' -Option '-i', '-t' -Command sh
        $terminal = New-TestTerminal "Enter-DockerContainer $n -Attach -Verbose"
        try {
            Send-TestTerminalLine $terminal 'echo attached-$((2*3)) > /tmp/mark; cat /tmp/mark'
            Wait-TestTerminal $terminal 'attached-6'
            Send-TestTerminalKey $terminal 'C-p', 'C-q'
            Wait-TestTerminal $terminal "Detached from container '$n'"
            Wait-TestTerminal $terminal 'LASTEXITCODE=99'
        }
        finally {
            Remove-TestTerminal $terminal
        }
        Get-DockerContainerState $n | Should -Be 'running'
        Invoke-DockerCli exec $n cat /tmp/mark | Should -Be 'attached-6'

        $terminal = New-TestTerminal "Enter-DockerContainer $n -Attach"
        try {
            Send-TestTerminalLine $terminal 'exit 3'
            Wait-TestTerminal $terminal 'LASTEXITCODE=3'
            Wait-TestTerminal $terminal 'pwsh exit code 3'
        }
        finally {
            Remove-TestTerminal $terminal
        }
        Get-DockerContainerState $n | Should -Be 'exited'
        Invoke-DockerCli container inspect --format '{{.State.ExitCode}}' $n | Should -Be '3'
    }

    Context 'with a container piped from a second engine' {
        BeforeAll {
            $script:other = Get-TestSecondEngine
        }

        AfterAll {
            Remove-TestResource -DockerHost $other
        }

        It 'enters the container there' {
            # One name on both engines, each container with its engine in its hostname.
            $n = New-TestName 'twin'
            $null = New-TestContainer -What 'twin' -Name $n -Option '--hostname', 'main-twin' -Command sleep, 600
            $null = New-TestContainer -What 'twin' -Name $n -DockerHost $other -Option '--hostname', 'second-twin' -Command sleep, 600
            Invoke-DockerCli -H $other exec $n hostname | Should -Be 'second-twin'

            $terminal = New-TestTerminal "Get-DockerContainer -DockerHost $other -Name $n | Enter-DockerContainer"
            try {
                Wait-TestTerminal $terminal '/ #'
                Send-TestTerminalLine $terminal 'echo on-$(hostname)-$((6*7))'
                Wait-TestTerminal $terminal 'on-second-twin-42'
                Send-TestTerminalLine $terminal 'exit 4'
                Wait-TestTerminal $terminal 'LASTEXITCODE=4'
            }
            finally {
                Remove-TestTerminal $terminal
            }
            Invoke-DockerCli container inspect --format '{{range .ExecIDs}}{{.}}{{end}}' $n | Should -BeNullOrEmpty
        }
    }
}

Describe 'Enter-DockerContainer without a terminal' {
    It 'fails at once, saying where to run it, and the script goes on' {
        $n = New-TestContainer -What 'enter' -Command sleep, 300
        # A child pwsh whose output is captured: no terminal.
        $lines = (Invoke-TestPwsh -ImportModule @"
`$ErrorActionPreference = 'SilentlyContinue'
`$watch = [System.Diagnostics.Stopwatch]::StartNew()
`$Error.Clear()
Enter-DockerContainer $n
'after'
`$err = @(`$Error)
[pscustomobject]@{
    Count    = `$err.Count
    Id       = `$err[0].FullyQualifiedErrorId
    Category = "`$(`$err[0].CategoryInfo.Category)"
    Target   = `$err[0].TargetObject
    Message  = `$err[0].Exception.Message
    Seconds  = `$watch.Elapsed.TotalSeconds
} | ConvertTo-Json -Compress
"@).Output
        $lines[0] | Should -Be 'after'
        $found = $lines[1] | ConvertFrom-Json
        $found.Count | Should -Be 1
        $found.Id | Should -Be 'InteractiveConsoleRequired,DockerPS.Cmdlets.Container.EnterDockerContainerCommand'
        $found.Category | Should -Be 'InvalidOperation'
        $found.Target | Should -Be 'Enter-DockerContainer'
        $found.Message | Should -BeLike '*interactive pwsh console*'
        $found.Seconds | Should -BeLessThan 5
        $lines.Count | Should -Be 2
        Invoke-DockerCli container inspect --format '{{range .ExecIDs}}{{.}}{{end}}' $n | Should -BeNullOrEmpty
    }

    It '-Attach with -Command is ConflictingParameters' {
        $n = New-TestContainer -What 'enter' -Command sleep, 300
        { Enter-DockerContainer $n -Attach -Command sh } |
            Should -Throw -ErrorId 'ConflictingParameters,DockerPS.Cmdlets.Container.EnterDockerContainerCommand'
        Invoke-DockerCli container inspect --format '{{range .ExecIDs}}{{.}}{{end}}' $n | Should -BeNullOrEmpty
    }
}
