#!/usr/bin/env bash
# Runs every test on a Debian 12 machine with the .NET 10 SDK:
#   1. installs Prosody, ejabberd and the AOT toolchain if missing,
#   2. publishes the Native AOT xsend (must be warning-free) and checks the .NET tool package,
#   3. runs the unit tests and the integration tests (a real Prosody and a real ejabberd on
#      loopback) against that binary,
#   4. prints "tests: N passed, N failed", counted from the TRX results,
#   5. runs a short fuzzing pass (scripts/fuzz.sh, 10 s per target): a new crash fails the run;
#      where afl-fuzz cannot run it is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
XSEND_BIN=$(scripts/publish.sh)
export XSEND_BIN
echo "test: using $XSEND_BIN ($("$XSEND_BIN" --version))" >&2
scripts/pack-tool.sh

results=artifacts/test-results
rm -rf "$results"
set +e
dotnet test XSend.sln -c Release -nologo --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?
set -e

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

echo "tests: $passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi

# A short coverage-guided pass over every fuzz target; new crashes land in the corpus.
set +e
scripts/fuzz.sh all 10
fuzz=$?
set -e
if [ "$fuzz" -eq 77 ]; then
  echo "test: fuzzing skipped (afl-fuzz cannot run here)" >&2
elif [ "$fuzz" -ne 0 ]; then
  echo "test: the fuzzer found a new crash (added to tests/XSend.Fuzz/corpus; see above)" >&2
  exit 1
fi
