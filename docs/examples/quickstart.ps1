# A first tour of DockerPS against the local engine. Every line returns typed objects; the tables are their
# default views, and each statement is sent to the screen on its own so each type gets its own table.
$name = 'dockerps-demo'
Get-DockerContainer -Name $name -ErrorAction SilentlyContinue | Remove-DockerContainer -Force

"== The images (Get-DockerImage)"
Get-DockerImage 'dockerps-demo/*' | Out-Default

"== Create and start a container from a piped image"
Get-DockerImage dockerps-demo/busybox |
    New-DockerContainer -Name $name -Command sleep, 300 -Port '127.0.0.1::8080' -Environment @{ GREETING = 'hello' } |
    Start-DockerContainer -PassThru | Out-Default

"== Run commands in it (stdout lines stream to the pipeline; `$LASTEXITCODE is set)"
Invoke-DockerExec -Container $name -Command sh, -c, 'echo "$GREETING from $(hostname)"; ls /bin | wc -l'
"exit code: $LASTEXITCODE"
Invoke-DockerExec $name -Command sh, -c, 'echo out; echo err >&2; exit 3' -PassThru | Out-Default

"== Save the image into an archive, streamed and atomic"
$archive = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'dockerps-demo.tar')
Save-DockerImage -Name dockerps-demo/busybox -Path $archive -Force -PassThru | ForEach-Object { "{0}: {1:N0} bytes" -f $_.FullName, $_.Length }

"== Stop and remove it through the pipeline"
Get-DockerContainer -Name 'dockerps-demo*' | Stop-DockerContainer -Timeout 1 -PassThru | Out-Default
Get-DockerContainer -Name $name | Remove-DockerContainer -Force
"containers left named ${name}: $(@(Get-DockerContainer -Name $name -ErrorAction SilentlyContinue).Count)"

# The exit code 3 above was the demonstration's own; the tour itself succeeded.
$global:LASTEXITCODE = 0
