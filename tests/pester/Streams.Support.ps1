# Helpers of the run, exec, logs, wait and terminal tests (Run, Exec, Logs and Interactive .Tests.ps1): how long they
# wait, a tar entry's text, and a real terminal (tmux) running real pwsh. Dot-source it in BeforeAll, after importing
# TestSupport.psm1.

$script:Patience = [TimeSpan]::FromSeconds(30)
$script:ModuleManifest = Get-TestModuleManifest

<# Reads one file's text out of a tar archive (names with or without a leading ./). #>
function Get-TestTarFileText {
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][string] $EntryName)
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $reader = [System.Formats.Tar.TarReader]::new($stream)
        while ($entry = $reader.GetNextEntry()) {
            if ($entry.Name.TrimStart('.', '/') -eq $EntryName -and $entry.DataStream) {
                return [System.IO.StreamReader]::new($entry.DataStream).ReadToEnd().Trim()
            }
        }
    }
    finally {
        $stream.Dispose()
    }
    throw "$EntryName is not in $Path"
}

<#
A real terminal: a detached tmux session of 100 x 30 running real pwsh with DockerPS imported and one command. The
script sets $LASTEXITCODE to 99 first, then prints "LASTEXITCODE=<value>" after the command, and pwsh exits with it.
#>
function New-TestTerminal {
    param([Parameter(Mandatory)][string] $Command)
    if (-not (Get-Command tmux -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'These tests drive a real terminal with tmux: install it (apt-get install tmux).'
    }
    $script = New-TestPath 'terminal.ps1'
    Set-Content -LiteralPath $script -Value @"
Import-Module -Name '$script:ModuleManifest' -ErrorAction Stop
`$global:LASTEXITCODE = 99
$Command
"LASTEXITCODE=`$LASTEXITCODE"
exit `$LASTEXITCODE
"@
    $session = "dockerps-$(Get-TestRunId)-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    $shell = "'$(Get-TestPwsh)' -NoProfile -NoLogo -File '$script'; echo `"pwsh exit code `$?`"; sleep 600"
    $null = & tmux new-session -d -s $session -x 100 -y 30 $shell
    if ($LASTEXITCODE -ne 0) { throw 'tmux did not start.' }
    $global:LASTEXITCODE = 0
    [pscustomobject]@{ Session = $session }
}

<# Types a line and Enter into the terminal. #>
function Send-TestTerminalLine([Parameter(Mandatory)] $Terminal, [Parameter(Mandatory)][string] $Line) {
    & tmux send-keys -t $Terminal.Session -l $Line
    & tmux send-keys -t $Terminal.Session Enter
}

<# Presses keys (tmux names: C-c, C-p, Enter…) in the terminal. #>
function Send-TestTerminalKey([Parameter(Mandatory)] $Terminal, [Parameter(Mandatory)][string[]] $Key) {
    & tmux send-keys -t $Terminal.Session @Key
}

function Resize-TestTerminal([Parameter(Mandatory)] $Terminal, [int] $Width, [int] $Height) {
    & tmux resize-window -t $Terminal.Session -x $Width -y $Height
}

<# Waits until the terminal's screen shows the text; fails with the screen after 30 seconds. #>
function Wait-TestTerminal([Parameter(Mandatory)] $Terminal, [Parameter(Mandatory)][string] $Text) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        $screen = (& tmux capture-pane -p -t $Terminal.Session) -join "`n"
        if ($screen.Contains($Text)) { return }
        if ($watch.Elapsed -gt $script:Patience) { throw "The terminal never showed '$Text'. It shows:`n$screen" }
        Start-Sleep -Milliseconds 100
    }
}

function Remove-TestTerminal([Parameter(Mandatory)] $Terminal) {
    & tmux kill-session -t $Terminal.Session 2>$null
    $global:LASTEXITCODE = 0
}
