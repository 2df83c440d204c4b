#!/usr/bin/env bash
# Builds the self-contained Native AOT xsend into artifacts/xsend/ and fails on any
# trim/AOT (or other) warning. Prints the binary's path.
#   scripts/publish.sh --install   also installs it as /usr/local/bin/xsend, with xsend(1)
#   scripts/publish.sh --install --sendxmpp
#                                  and the symlink /usr/local/bin/sendxmpp -> xsend: sendxmpp 1.24's
#                                  command line and ~/.sendxmpprc (README, "Replacing sendxmpp")
set -euo pipefail
cd "$(dirname "$0")/.."
install=false
sendxmpp=false
for arg in "$@"; do
  case "$arg" in
    --install) install=true ;;
    --sendxmpp) sendxmpp=true ;;
    *) echo "usage: scripts/publish.sh [--install [--sendxmpp]]" >&2; exit 64 ;;
  esac
done
$sendxmpp && ! $install && { echo "publish: --sendxmpp needs --install" >&2; exit 64; }

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
cp docs/xsend.1 artifacts/xsend/xsend.1
if $install; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo install -m 755 artifacts/xsend/xsend /usr/local/bin/xsend
  $sudo install -D -m 644 docs/xsend.1 /usr/local/share/man/man1/xsend.1
  echo "publish: installed /usr/local/bin/xsend and xsend(1)" >&2
  if $sendxmpp; then
    # Never replace a real program: only a missing name or an existing symlink.
    if [ -e /usr/local/bin/sendxmpp ] && [ ! -L /usr/local/bin/sendxmpp ]; then
      echo "publish: /usr/local/bin/sendxmpp exists and is not a symlink; left alone" >&2
      exit 1
    fi
    $sudo ln -sfn xsend /usr/local/bin/sendxmpp
    echo "publish: /usr/local/bin/sendxmpp -> xsend (ahead of /usr/bin/sendxmpp in PATH)" >&2
  fi
fi
echo "$PWD/artifacts/xsend/xsend"
