#!/usr/bin/env bash
# Starts the engine if needed, makes a local busybox image, builds the module and runs docs/examples/quickstart.ps1
# in the PowerShell engine (through the project's console host, since pwsh may be missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/engine/start-engine.sh
bash tests/engine/make-busybox-image.sh dockerps-demo/busybox:latest
dotnet build -c Release src/DockerPS.Host -nologo -v q
exec dotnet src/DockerPS.Host/bin/Release/net10.0/DockerPS.Host.dll -File docs/examples/quickstart.ps1
