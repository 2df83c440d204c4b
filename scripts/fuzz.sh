#!/usr/bin/env bash
# Coverage-guided fuzzing of xsend's parsers with SharpFuzz and AFL++.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     default: all targets, 60 s each
#
# Targets (tests/XSend.Fuzz/FuzzTargets.cs): stream-reader, client, scram, config, outbox.
# Builds tests/XSend.Fuzz (incrementally), copies it to artifacts/fuzz/bin, instruments XSend.Xmpp.dll and xsend.dll with
# the sharpfuzz local tool (.config/dotnet-tools.json), and runs afl-fuzz on each target for
# SECONDS, one target at a time, starting from tests/XSend.Fuzz/corpus/TARGET with the token
# dictionary tests/XSend.Fuzz/dictionaries/{xmpp,scram,json}.dict. Every new crash
# (or input past the 10 s bound) is copied into that corpus folder as crash-SHA1, where the unit
# tests (Fuzzing/FuzzCorpusTests) replay it from then on, and is replayed once here to print the
# exception.
#
# Exit: 0 no new crash; 1 new crashes (listed, and added to the corpus); 64 usage;
# 77 afl-fuzz cannot run here (not installed, or it refused to start): nothing was fuzzed.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-all}
seconds=${2:-60}
targets=(stream-reader client scram config outbox)
if [ "$target" != all ] && [[ ! " ${targets[*]} " =~ " $target " ]]; then
  echo "usage: scripts/fuzz.sh [all|${targets[*]// /|}] [SECONDS]" >&2
  exit 64
fi
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "fuzz: SECONDS must be a positive whole number" >&2; exit 64; }
[ "$target" = all ] || targets=("$target")

if ! command -v afl-fuzz >/dev/null; then
  echo "fuzz: skipped: afl-fuzz is not installed (apt-get install afl++, or scripts/install-deps.sh)" >&2
  exit 77
fi

out=artifacts/fuzz
bin=$out/bin
rm -rf "$bin"
dotnet tool restore >/dev/null
mkdir -p "$out"
dotnet build tests/XSend.Fuzz -c Release -nologo -v q >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
cp -r tests/XSend.Fuzz/bin/Release/net10.0 "$bin"
# In place: afl-fuzz then sees which branches of our code an input reached.
for dll in XSend.Xmpp.dll xsend.dll; do
  dotnet tool run sharpfuzz "$bin/$dll" >/dev/null
done

# Containers: no CPU frequency governor, core dumps may go to a helper, cores are shared.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
# The target is `dotnet`, not an afl-instrumented binary; SharpFuzz speaks the fork-server protocol.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_FORKSRV_INIT_TMOUT=30000

new=()
for t in "${targets[@]}"; do
  dir=$out/$t
  rm -rf "$dir"
  echo "fuzz: $t for ${seconds}s" >&2
  case $t in
    stream-reader|client) dict=xmpp ;;
    scram) dict=scram ;;
    *) dict=json ;;
  esac
  # -t 12000: the target reports anything past its own 10 s bound as a crash first.
  # -m none: the .NET runtime reserves far more virtual memory than afl's default limit.
  set +e
  afl-fuzz -i "tests/XSend.Fuzz/corpus/$t" -o "$dir" -x "tests/XSend.Fuzz/dictionaries/$dict.dict" \
    -V "$seconds" -t 12000 -m none \
    -- dotnet "$bin/XSend.Fuzz.dll" "$t" >"$dir.log" 2>&1
  status=$?
  set -e
  stats=$dir/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    if [ "$status" -ne 0 ]; then
      echo "fuzz: skipped: afl-fuzz could not start on $t (exit $status):" >&2
      grep -E "PROGRAM ABORT|SYSTEM ERROR|Location" "$dir.log" | sed 's/\x1b\[[0-9;]*m//g' >&2 || tail -n 5 "$dir.log" >&2
      exit 77
    fi
  fi
  if [ -f "$stats" ]; then
    execs=$(sed -n 's/^execs_done *: *//p' "$stats")
    paths=$(sed -n 's/^corpus_count *: *//p' "$stats")
    echo "fuzz: $t: $execs runs, $paths inputs in the queue" >&2
  fi
  shopt -s nullglob
  for crash in "$dir"/default/crashes/id:*; do
    name=crash-$(sha1sum "$crash" | cut -c1-16)
    dest=tests/XSend.Fuzz/corpus/$t/$name
    [ -e "$dest" ] && continue
    cp "$crash" "$dest"
    new+=("$dest")
    echo "fuzz: NEW CRASH $dest" >&2
    # Replayed with the uninstrumented build: instrumented code needs afl-fuzz's shared memory.
    dotnet tests/XSend.Fuzz/bin/Release/net10.0/XSend.Fuzz.dll "$t" "$dest" | head -n 20 >&2 || true
  done
  shopt -u nullglob
  if [ "$status" -ne 0 ]; then
    echo "fuzz: afl-fuzz exited $status on $t; see $dir.log" >&2
    exit 1
  fi
done

if [ ${#new[@]} -gt 0 ]; then
  echo "fuzz: ${#new[@]} new crash(es), added to the corpus: ${new[*]}" >&2
  exit 1
fi
echo "fuzz: no new crashes" >&2
