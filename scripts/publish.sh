#!/usr/bin/env bash
# Builds the self-contained Native AOT xsend into artifacts/xsend/ and fails on any
# trim/AOT (or other) warning. Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."

rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
log=$(mktemp)
if ! dotnet publish src/XSend.Cli/XSend.Cli.csproj -c Release -r "$rid" -o artifacts/xsend -nologo >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
# TreatWarningsAsErrors already fails the build; this also catches ILC's own output.
if grep -E "warning (IL|CS|NU)[0-9]+" "$log" >&2; then
  echo "publish: warnings above; the AOT build must be warning-free" >&2
  exit 1
fi
rm -f "$log" artifacts/xsend/*.dbg artifacts/xsend/*.pdb
echo "$PWD/artifacts/xsend/xsend"
