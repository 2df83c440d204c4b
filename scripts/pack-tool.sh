#!/usr/bin/env bash
# Packs xsend as a .NET tool into nupkg/, installs it into a scratch tool path and runs it,
# so the "dotnet tool install" route is checked, not assumed.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf nupkg
dotnet pack src/XSend.Cli/XSend.Cli.csproj -c Release -o nupkg -nologo >/dev/null
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
dotnet tool install --tool-path "$tools" --add-source ./nupkg xsend >/dev/null
version=$("$tools/xsend" --version)
echo "pack-tool: nupkg/$(ls nupkg) installs and runs (xsend $version)" >&2
