#!/usr/bin/env bash
# Installs real pwsh (the PowerShell dotnet tool) into tests/tools/pwsh when missing, and prints the path of pwsh.
# Safe to run twice, and quick when pwsh is already there (no pwsh start, only a look at the tool's store).
set -euo pipefail
version=7.6.9
dir="$(cd "$(dirname "$0")" && pwd)/pwsh"
if [ ! -x "$dir/pwsh" ] || [ ! -d "$dir/.store/powershell/$version" ]; then
    rm -rf "$dir"
    dotnet tool install PowerShell --version "$version" --tool-path "$dir" >&2
fi
echo "$dir/pwsh"
