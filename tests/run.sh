#!/usr/bin/env bash
# Runs every test: starts the engine if needed, builds the module, and runs the xunit suite against the real engine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/engine/start-engine.sh
dotnet build -c Release tests/DockerPS.Tests -nologo -v q
log=$(mktemp)
set +e
dotnet test tests/DockerPS.Tests -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line with the counts, from the runner's summary lines ("Passed: N", "Failed: N", "Skipped: N").
count() { grep -E "^\s+$1: +[0-9]+\s*$" "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
