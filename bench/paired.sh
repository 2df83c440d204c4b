#!/usr/bin/env bash
# A paired benchmark of two commits: builds the Native AOT xsend of each into a temporary
# directory, starts one throwaway Prosody on 127.0.0.1, and times N single-shot sends of each
# to a live recipient, interleaved (A, B, A, B, ...), so that both see the same machine load.
# Prints both medians, their difference in ms and whether it is within 1 ms; writes
# bench/results/paired.md and paired.csv (every pair's times).
#
#   bash bench/paired.sh [--base REV] [--head REV] [--runs N] [--keep DIR] [--a-binary PATH] [--b-binary PATH]
#
#   --base REV        A, the baseline (default 09f58bd: main before the #13 redesign of the core)
#   --head REV        B, the candidate (default: the working tree as it is, uncommitted changes included)
#   --runs N          timed pairs after one warm-up pair, 1-1000 (default 30)
#   --keep DIR        also keep the two binaries, as DIR/A-xsend and DIR/B-xsend
#   --a-binary PATH   use this binary as A instead of building --base (e.g. one kept before);
#   --b-binary PATH   the same for B (the labels then still name --base and --head)
#
# Each commit is exported with `git archive` (the working tree with `git ls-files`) and built
# with its own scripts/publish.sh, so either side may be any commit that has that script. The
# server and the timing are the main benchmark's (bench/server.sh, bench/harness.py). Runs on
# the host's loopback (no root needed); run it on a quiet machine: the result is a difference
# of a few ms between medians of about 20 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

base=09f58bd head="" runs=30 keep="" a="" b=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --head) head=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --a-binary) a=$(realpath "$2"); shift 2 ;;
    --b-binary) b=$(realpath "$2"); shift 2 ;;
    *) echo "bench: unknown argument '$1' (see the header of $0)" >&2; exit 64 ;;
  esac
done
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 1 && "$runs" -le 1000 ]] || { echo "bench: --runs must be 1-1000" >&2; exit 64; }
for rev in "$base" ${head:+"$head"}; do
  git rev-parse --verify --quiet "$rev^{commit}" >/dev/null || { echo "bench: '$rev' is not a commit" >&2; exit 64; }
done
for binary in ${a:+"$a"} ${b:+"$b"}; do
  [ -x "$binary" ] || { echo "bench: '$binary' is not an executable" >&2; exit 64; }
done
label_a=$(git rev-parse --short "$base")
label_b=$(git rev-parse --short "${head:-HEAD}")
[ -n "$head" ] || { git diff --quiet HEAD && label_b+=" (working tree, clean)" || label_b+=" + uncommitted changes"; }

scripts/install-deps.sh
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 69; }

source bench/server.sh
dir=$(mktemp -d /tmp/xsend-paired.XXXXXX)
trap 'bench_server_stop "$dir"; rm -rf "$dir"' EXIT

# build NAME [REV]: exports REV (or the working tree) to $dir/NAME-src and publishes it; prints the binary.
build() {
  local name=$1 rev=${2:-} src="$dir/$1-src"
  mkdir -p "$src"
  if [ -n "$rev" ]; then
    git archive "$rev" | tar -x -C "$src"
  else
    # A file deleted but not yet committed is still listed: skipped, as it is gone.
    git ls-files -z --cached --others --exclude-standard \
      | xargs -0 -r tar -c --no-recursion --ignore-failed-read 2>/dev/null | tar -x -C "$src"
  fi
  echo "bench: building $name (${rev:-the working tree}) in $src" >&2
  local binary
  binary=$("$src/scripts/publish.sh" | tail -1)
  mkdir -p "$dir/$name"
  cp "$binary" "$dir/$name/xsend"
  rm -rf "$src"
  echo "$dir/$name/xsend"
}
[ -n "$a" ] || a=$(build A "$base")
[ -n "$b" ] || b=$(build B "$head")
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  [ "$a" -ef "$keep/A-xsend" ] || cp "$a" "$keep/A-xsend"
  [ "$b" -ef "$keep/B-xsend" ] || cp "$b" "$keep/B-xsend"
  echo "bench: kept the binaries as $keep/A-xsend ($label_a) and $keep/B-xsend ($label_b)" >&2
fi

# Any free port on loopback: this benchmark needs no fixed one.
port=$(scripts/prosody-sandbox.sh free-port)
bench_server_start "$dir" "$port" bench sink

python3 bench/paired.py --dir "$dir" --port "$port" --a "$a" --b "$b" --label-a "$label_a" --label-b "$label_b" \
  --runs "$runs" --out bench/results
