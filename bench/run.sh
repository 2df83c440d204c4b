#!/usr/bin/env bash
# The benchmark: xsend against sendxmpp (Perl), go-sendxmpp (Go) and xmppc (C), all sending
# to the same throwaway Prosody on loopback. Prints a table and writes CSV files and an SVG
# chart to bench/results/.
#
#   bash bench/run.sh [--runs N] [--bulk N] [--update-readme]
#
#   --runs N          timed single-shot runs per tool, after one warm-up (default 20)
#   --bulk N          alerts in the bulk run (default 1000)
#   --update-readme   also replace the table between the bench markers in README.md
#
# Needs root (or sudo) once, to install the peers from Debian. When it can, it runs the
# measurement in a private network namespace (unshare --net) holding only a loopback
# interface: nothing can reach beyond 127.0.0.1/::1 (xmppc has no server option and looks up
# SRV records; in the namespace that lookup fails at once and it falls back to localhost:5222).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20 bulk=1000 update_readme=false
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --bulk) bulk=$2; shift 2 ;;
    --update-readme) update_readme=true; shift ;;
    *) echo "bench: unknown argument '$1' (see the header of $0)" >&2; exit 64 ;;
  esac
done
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 1 && "$runs" -le 1000 ]] || { echo "bench: --runs must be 1-1000" >&2; exit 64; }
[[ "$bulk" =~ ^[0-9]+$ && "$bulk" -ge 1 && "$bulk" -le 100000 ]] || { echo "bench: --bulk must be 1-100000" >&2; exit 64; }

scripts/install-deps.sh
missing=()
for pair in sendxmpp:sendxmpp go-sendxmpp:go-sendxmpp xmppc:xmppc python3:python3 time:/usr/bin/time unshare:util-linux ip:iproute2; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "bench: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "bench: building xsend (Native AOT)" >&2
xsend=$(scripts/publish.sh)

args=(--xsend "$xsend" --runs "$runs" --bulk "$bulk" --out bench/results)
$update_readme && args+=(--readme README.md)

if [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then
  echo "bench: measuring in a private network namespace (loopback only)" >&2
  exec unshare --net bash bench/measure.sh "${args[@]}" --netns
fi
echo "bench: no private network namespace (needs root); measuring on the host's loopback" >&2
exec bash bench/measure.sh "${args[@]}"
