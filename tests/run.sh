#!/usr/bin/env bash
# Runs every test: starts the engine if needed, builds the module, runs the xunit suite (pure C# units and what still
# hosts the PowerShell engine in-process), then installs real pwsh 7.6.9 and Pester 5.9.1 into ignored folders of the
# repo when missing and runs the Pester suite (tests/pester) in pwsh against the same engine. The last line sums both:
# "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/engine/start-engine.sh
dotnet build -c Release tests/DockerPS.Tests -nologo -v q
pwsh=$(bash tests/tools/install-pwsh.sh)
store=$(bash tests/tools/fetch-packages.sh)

log=$(mktemp)
set +e
dotnet test tests/DockerPS.Tests -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee "$log"
xunit_status=${PIPESTATUS[0]}
"$pwsh" -NoProfile -NonInteractive -File tests/pester/Run.ps1 -PesterManifest "$store/pester/5.9.1/tools/Pester.psd1" 2>&1 | tee -a "$log"
pester_status=${PIPESTATUS[0]}
set -e

# The runners' summary lines: xunit's "Passed: N", "Failed: N", "Skipped: N"; Pester's "Pester: N passed, N failed, N skipped".
count() { grep -E "^\s+$1: +[0-9]+\s*$" "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0; }
pester() { grep -E '^Pester: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$log" | tail -1 | grep -Eo "[0-9]+ $1" | grep -Eo '[0-9]+' || echo 0; }
xunit_passed=$(count Passed); xunit_failed=$(count Failed); xunit_skipped=$(count Skipped)
pester_passed=$(pester passed); pester_failed=$(pester failed); pester_skipped=$(pester skipped)
rm -f "$log"
# A runner that stopped before its summary counts as a failure, so the closing line never says "0 failed" falsely.
[ "$xunit_status" -ne 0 ] && [ "$xunit_failed" -eq 0 ] && xunit_failed=1
[ "$pester_status" -ne 0 ] && [ "$pester_failed" -eq 0 ] && pester_failed=1
echo "xunit: $xunit_passed passed, $xunit_failed failed, $xunit_skipped skipped; Pester: $pester_passed passed, $pester_failed failed, $pester_skipped skipped"
echo "$((xunit_passed + pester_passed)) passed, $((xunit_failed + pester_failed)) failed"
[ "$xunit_status" -eq 0 ] && [ "$pester_status" -eq 0 ]
