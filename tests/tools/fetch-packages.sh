#!/usr/bin/env bash
# Fetches the packages of tests/tools/packages/TestPackages.csproj from NuGet into tests/tools/packages/store and prints
# that folder. Safe to run twice, and quick when they are already there (restored since the project last changed).
set -euo pipefail
dir="$(cd "$(dirname "$0")/packages" && pwd)"
store="$dir/store"
if [ ! -d "$store" ] || [ ! "$dir/obj/project.assets.json" -nt "$dir/TestPackages.csproj" ]; then
    dotnet restore "$dir/TestPackages.csproj" --packages "$store" -nologo -v q >&2
fi
echo "$store"
