# Helpers of the container files, inspection, view and Ctrl+C tests, dot-sourced in their BeforeAll after
# TestSupport.psm1 is imported: running containers made with the docker CLI, and shell scripts run in them.

<# A container of the base image running `sleep 300` (or -Command), labelled for this run; returns its name. #>
function New-TestRunningContainer {
    param([Parameter(Mandatory)][string] $What, [string[]] $Command = @('sleep', '300'))
    $name = New-TestName $What
    $null = Invoke-DockerCli run -d --name $name --label (Get-TestLabel) (Get-TestBaseImage) @Command
    $name
}

<# Runs a shell script in a container through the docker CLI; returns its output as one string. #>
function Invoke-TestExec([string] $Container, [string] $Script) {
    (Invoke-DockerCli exec $Container sh -c $Script) -join "`n"
}
