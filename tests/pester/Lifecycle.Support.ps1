# Helpers of ContainerLifecycle.Tests.ps1 and ContainerPipeline.Tests.ps1, dot-sourced in their BeforeAll after
# TestSupport.psm1 is imported: a container's fields as docker inspect shows them, and the engine's events.

<# A container's fields as docker inspect --format renders them (ground truth). #>
function Get-TestInspect([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Format, [string] $DockerHost) {
    [string[]] $prefix = if ($DockerHost) { '-H', $DockerHost } else { @() }
    (Invoke-DockerCli @prefix container inspect --format $Format $Name) -join "`n"
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
