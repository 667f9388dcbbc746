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
# One plain closing line with the counts.
summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -1 || true)
rm -f "$log"
if [ -n "$summary" ]; then
  failed=$(echo "$summary" | sed -E 's/.*Failed: +([0-9]+).*/\1/')
  passed=$(echo "$summary" | sed -E 's/.*Passed: +([0-9]+).*/\1/')
  skipped=$(echo "$summary" | sed -E 's/.*Skipped: +([0-9]+).*/\1/')
  echo "$passed passed, $failed failed, $skipped skipped"
fi
exit "$status"
