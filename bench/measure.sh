#!/usr/bin/env bash
# Called by bench/run.sh (possibly inside `unshare --net`): starts the benchmark's Prosody
# for the domain "localhost" on port 5222 (xmppc cannot be told another port), then hands
# over to bench/harness.py. Arguments are passed through to the harness.
set -euo pipefail
cd "$(dirname "$0")/.."

port=5222
if [ "${*: -1}" = "--netns" ]; then
  set -- "${@:1:$#-1}"
  ip link set lo up
else
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: 127.0.0.1:$port is taken; xmppc can only reach port $port, so free it (or run as root)" >&2
    exit 69
  fi
fi

source bench/server.sh
dir=$(mktemp -d /tmp/xsend-bench.XXXXXX)
trap 'bench_server_stop "$dir"; rm -rf "$dir"' EXIT
bench_server_start "$dir" "$port" bench sink bulk-xsend bulk-go-sendxmpp bulk-sendxmpp bulk-xmppc

python3 bench/harness.py --dir "$dir" --port "$port" "$@"
