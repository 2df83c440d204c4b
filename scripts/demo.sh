#!/usr/bin/env bash
# The main job, end to end, on a fresh Debian 12 machine with the .NET 10 SDK:
# installs Prosody if missing, starts a throwaway local server with demo accounts,
# builds the Native AOT xsend, sends "报警" and shows that it arrived.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
echo "== building xsend (Native AOT)"
xsend=$(scripts/publish.sh)
ls -l "$xsend"

port=$(scripts/prosody-sandbox.sh free-port)

dir=$(mktemp -d /tmp/xsend-demo.XXXXXX)
trap 'scripts/prosody-sandbox.sh stop "$dir"; rm -rf "$dir"' EXIT
alerts_pw=$(openssl rand -hex 12)
ops_pw=$(openssl rand -hex 12)
echo "== starting a throwaway Prosody on 127.0.0.1:$port with accounts alerts@xsend.test and ops@xsend.test"
scripts/prosody-sandbox.sh start "$dir" "$port" xsend.test "alerts:$alerts_pw" "ops:$ops_pw"

umask 077
for account in alerts ops; do
  pw_var="${account}_pw"
  printf '%s\n' "${!pw_var}" > "$dir/$account.password"
  cat > "$dir/$account.json" <<JSON
{
  "Account": {
    "Jid": "$account@xsend.test",
    "PasswordFile": "$dir/$account.password",
    "Server": "127.0.0.1:$port",
    "CaFile": "$dir/ca.pem"
  }
}
JSON
done

echo "== sending: xsend ops@xsend.test \"报警 磁盘满 on $(hostname)\""
"$xsend" --config "$dir/alerts.json" -v ops@xsend.test "报警 磁盘满 on $(hostname)"
echo "   exit code: $?"

echo "== reading it as ops@xsend.test: xsend listen --count 1"
"$xsend" listen --config "$dir/ops.json" --count 1 --timeout 10
echo "== it arrived. Install with: sudo install -m 755 $xsend /usr/local/bin/xsend"
