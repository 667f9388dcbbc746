# Helpers of the run, exec, logs, wait and terminal tests (Run, Exec, Logs and Interactive .Tests.ps1): containers
# started with the docker CLI, pipelines started in a runspace of their own (for Ctrl+C), a child pwsh with the module
# imported, and a real terminal (tmux) running real pwsh. Dot-source it in BeforeAll, after importing TestSupport.psm1.

$script:Patience = [TimeSpan]::FromSeconds(30)
$script:WithinASecond = [TimeSpan]::FromSeconds(1)
$script:ModuleManifest = Join-Path (Get-TestRepoRoot) 'out/DockerPS/DockerPS.psd1'
$script:Pwsh = $null

<# Starts a container of this run with the docker CLI (docker run -d) and returns its name. #>
function Start-TestContainer {
    param(
        [Parameter(Mandatory)][string] $What,
        [Parameter(Mandatory)][string[]] $Command,
        # docker run options before the image (-t, -i, --hostname…).
        [string[]] $Option = @(),
        # Another engine's URI (docker -H).
        [string] $DockerHost,
        # The name to give it; a new test name by default.
        [string] $Name
    )
    $name = if ($Name) { $Name } else { New-TestName $What }
    $hostArgs = if ($DockerHost) { @('-H', $DockerHost) } else { @() }
    $null = Invoke-DockerCli @hostArgs run -d --name $name --label (Get-TestLabel) @Option (Get-TestBaseImage) @Command
    $name
}

<# Runs a container of this run to its end with the docker CLI and returns its name. #>
function Invoke-TestContainerToEnd {
    param([Parameter(Mandatory)][string] $What, [Parameter(Mandatory)][string[]] $Command)
    $name = Start-TestContainer -What $What -Command $Command
    $null = Get-DockerCliResult wait $name
    $name
}

<#
Starts a script in a runspace of its own with DockerPS imported, without waiting (for Ctrl+C and waits that end
later). -Parameter values reach the script's param block. Returns the [powershell] and the IAsyncResult.
#>
function Start-TestPipeline {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Parameter = @{})
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module -Name '$script:ModuleManifest' -ErrorAction Stop").AddStatement()
    $null = $ps.AddScript($Script).AddParameters($Parameter)
    [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
}

<# Waits until the condition holds, failing when the pipeline ended first or after 30 seconds. #>
function Wait-TestCondition {
    param([Parameter(Mandatory)][scriptblock] $Condition, [Parameter(Mandatory)] $Pipeline, [Parameter(Mandatory)][string] $What)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (& $Condition)) {
        if ($Pipeline.Handle.IsCompleted) {
            $errors = $Pipeline.PowerShell.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" }
            throw "The pipeline ended ($($Pipeline.PowerShell.InvocationStateInfo.State)) before $What. Errors: $($errors -join '; ')"
        }
        if ($watch.Elapsed -gt $script:Patience) { throw "Timed out waiting until $What." }
        Start-Sleep -Milliseconds 20
    }
}

<# Stops the pipeline as Ctrl+C does and returns how long Stop() took. #>
function Stop-TestPipeline {
    param([Parameter(Mandatory)] $Pipeline)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $Pipeline.PowerShell.Stop()
    $watch.Stop()
    $watch.Elapsed
}

<# The path of real pwsh (tests/tools/install-pwsh.sh). #>
function Get-TestPwsh {
    if (-not $script:Pwsh) {
        $script:Pwsh = & bash (Join-Path (Get-TestRepoRoot) 'tests/tools/install-pwsh.sh')
        if ($LASTEXITCODE -ne 0) { throw 'pwsh could not be installed.' }
        $global:LASTEXITCODE = 0
    }
    $script:Pwsh
}

<#
Runs commands in a child pwsh (its output captured, so it has no console) with DockerPS imported; returns what it
wrote to its standard output and error, as lines (what a user of a redirected pwsh sees, -WhatIf lines included).
#>
function Invoke-TestPwsh {
    param([Parameter(Mandatory)][string] $Command)
    $script = New-TestPath 'child.ps1'
    Set-Content -LiteralPath $script -Value "Import-Module -Name '$script:ModuleManifest' -ErrorAction Stop`n$Command"
    $lines = & (Get-TestPwsh) -NoProfile -NonInteractive -File $script 2>&1 | ForEach-Object { "$_" }
    $global:LASTEXITCODE = 0
    $lines
}

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

<#
Runs script text in a runspace of its own with DockerPS imported, as a script runs (an error, terminating or not, ends
only its own statement), and returns Output, Errors (the error stream's records) and LastExitCode (the session's
$LASTEXITCODE afterwards, $null when nothing set it). -Parameter values reach the script's param block.
#>
function Invoke-TestScript {
    param([Parameter(Mandatory)][string] $Script, [hashtable] $Parameter = @{})
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript("Import-Module -Name '$script:ModuleManifest' -ErrorAction Stop").AddStatement()
        $null = $ps.AddScript($Script).AddParameters($Parameter)
        $output = $ps.Invoke()
        [pscustomobject]@{
            Output       = @($output | ForEach-Object { $_ })
            Errors       = @($ps.Streams.Error)
            LastExitCode = $ps.Runspace.SessionStateProxy.GetVariable('LASTEXITCODE')
        }
    }
    finally {
        $ps.Dispose()
    }
}

<#
Removes what this run made on an engine one id at a time (containers by label and name prefix, then images, volumes and
networks by label). Remove-TestResource of TestSupport.psm1 misses a lone resource (a single id, not an array, is
splatted to docker as its characters); call this before it until that is mended.
#>
function Remove-TestLeftover {
    param([string] $DockerHost)
    $prefix = if ($DockerHost) { @('-H', $DockerHost) } else { @() }
    $label = "label=$(Get-TestLabel)"
    $containers = @(@(Invoke-DockerCli @prefix ps -aq --filter $label) + @(Invoke-DockerCli @prefix ps -aq --filter "name=dockerps-test-$(Get-TestRunId)-") |
        Where-Object { $_ } | Sort-Object -Unique)
    foreach ($id in $containers) { $null = Get-DockerCliResult @prefix rm -f -v $id }
    foreach ($id in @(Invoke-DockerCli @prefix images -q --no-trunc --filter $label | Sort-Object -Unique)) {
        if ($id) { $null = Get-DockerCliResult @prefix rmi -f $id }
    }
    foreach ($kind in 'volume', 'network') {
        foreach ($id in @(Invoke-DockerCli @prefix $kind ls -q --filter $label)) {
            if ($id) { $null = Get-DockerCliResult @prefix $kind rm $id }
        }
    }
}
