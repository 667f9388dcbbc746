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

<# The engine's events of one kind since a time, for filters such as label=… or container=… (ground truth). #>
function Get-TestEngineEvent {
    param([Parameter(Mandatory)][datetime] $Since, [Parameter(Mandatory)][string] $Event, [string[]] $Filter = @())
    $filters = @('--filter', "event=$Event") + @($Filter | ForEach-Object { '--filter', $_ })
    $sinceText = [System.DateTimeOffset]::new($Since.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000
    $untilText = [System.DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000 + 1
    @(Invoke-DockerCli events --since ('{0:F3}' -f $sinceText) --until ('{0:F3}' -f $untilText) @filters --format '{{.Actor.Attributes.name}}') |
        Where-Object { $_ }
}
