# Helpers of ContainerLifecycle.Tests.ps1 and ContainerPipeline.Tests.ps1, dot-sourced in their BeforeAll after
# TestSupport.psm1 is imported. Containers are made with the docker CLI, so what a test starts from never depends on
# the module under test.

<# Runs (or with -Created, only creates) a labelled busybox container with the docker CLI; returns its name. #>
function New-TestContainer {
    param(
        [Parameter(Mandatory)][string] $What,
        # The shell script the container runs (sh -c); busybox sleep as PID 1 by default, which ignores SIGTERM.
        [string] $Script,
        [switch] $Created,
        # More docker create/run options (labels, --hostname…), before the image.
        [string[]] $Option = @(),
        [string] $DockerHost,
        [string] $Name = (New-TestName $What)
    )
    [string[]] $prefix = if ($DockerHost) { '-H', $DockerHost } else { @() }
    [string[]] $verb = if ($Created) { 'create' } else { 'run', '-d' }
    [string[]] $command = if ($Script) { 'sh', '-c', $Script } else { 'sleep', '300' }
    $null = Invoke-DockerCli @prefix @verb --name $Name --label (Get-TestLabel) @Option (Get-TestBaseImage) @command
    $Name
}

<# A container's fields as docker inspect --format renders them (ground truth). #>
function Get-TestInspect([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Format, [string] $DockerHost) {
    [string[]] $prefix = if ($DockerHost) { '-H', $DockerHost } else { @() }
    (Invoke-DockerCli @prefix container inspect --format $Format $Name) -join "`n"
}

<#
Calls $Read until $Until (given the value as its parameter) is true, and returns the value: for states the engine
reaches in its own time. Throws with the last value (or error) after $TimeoutSeconds.
#>
function Wait-TestValue {
    param([Parameter(Mandatory)][scriptblock] $Read, [Parameter(Mandatory)][scriptblock] $Until, [int] $TimeoutSeconds = 60)
    $waited = [System.Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        $value = $null
        $failure = $null
        try { $value = & $Read } catch { $failure = $_ }
        if (-not $failure -and (& $Until $value)) {
            return $value
        }
        if ($waited.Elapsed.TotalSeconds -gt $TimeoutSeconds) {
            throw "Still not there after $TimeoutSeconds s: $(if ($failure) { $failure } else { $value | Out-String })"
        }
        Start-Sleep -Milliseconds 100
    }
}

<# The error id an ErrorRecord was raised with (its FullyQualifiedErrorId up to the command name). #>
function Get-TestErrorId([Parameter(ValueFromPipeline)][System.Management.Automation.ErrorRecord] $Record) {
    process { $Record.FullyQualifiedErrorId.Split(',')[0] }
}

<# The engine's events of one kind since a time, for filters such as label=… or container=… (ground truth). #>
function Get-TestEngineEvent {
    param([Parameter(Mandatory)][datetime] $Since, [Parameter(Mandatory)][string] $Event, [string[]] $Filter = @())
    $filters = @('--filter', "event=$Event") + @($Filter | ForEach-Object { '--filter', $_ })
    $sinceText = [System.DateTimeOffset]::new($Since.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000
    $untilText = [System.DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000 + 1
    @(Invoke-DockerCli events --since ('{0:F3}' -f $sinceText) --until ('{0:F3}' -f $untilText) @filters --format '{{.Actor.Attributes.name}}') |
        Where-Object { $_ }
}

<#
Host output (What if: lines, tables) of a script block, as the user sees it in the console: a transcript of it,
without the transcript's own header and footer lines.
#>
function Get-TestHostOutput([Parameter(Mandatory)][scriptblock] $ScriptBlock) {
    $path = New-TestPath 'transcript.txt'
    $null = Start-Transcript -LiteralPath $path -UseMinimalHeader
    try { & $ScriptBlock | Out-Host }
    finally { $null = Stop-Transcript }
    $lines = Get-Content -LiteralPath $path
    ($lines | Where-Object { $_ -notmatch '^\*{10,}$|^PowerShell transcript (start|end)$|^(Start|End) time: \d+$' }) -join "`n"
}

<#
Removes what one test made, containers first (with their anonymous volumes), then volumes and networks they used; for
a test's finally block, so a volume or network in use by its containers does not outlive the run.
#>
function Remove-TestObject {
    param([string[]] $Container = @(), [string[]] $Volume = @(), [string[]] $Network = @(), [string] $DockerHost)
    [string[]] $prefix = if ($DockerHost) { '-H', $DockerHost } else { @() }
    if ($Container) { $null = Get-DockerCliResult @prefix rm -f -v @Container }
    if ($Volume) { $null = Get-DockerCliResult @prefix volume rm -f @Volume }
    if ($Network) { $null = Get-DockerCliResult @prefix network rm @Network }
}
