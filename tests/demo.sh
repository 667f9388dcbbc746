#!/usr/bin/env bash
# Starts the engine if needed, makes a local busybox image, builds the module, installs real pwsh 7.6.9 into
# tests/tools/pwsh when missing, and runs docs/examples/quickstart.ps1 in pwsh with the module imported from out/DockerPS.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/engine/start-engine.sh
bash tests/engine/make-busybox-image.sh dockerps-demo/busybox:latest
dotnet build -c Release src/DockerPS -nologo -v q
pwsh=$(bash tests/tools/install-pwsh.sh)
exec "$pwsh" -NoProfile -NonInteractive -Command \
    'Import-Module ./out/DockerPS/DockerPS.psd1 -ErrorAction Stop; & ./docs/examples/quickstart.ps1; exit $LASTEXITCODE'
