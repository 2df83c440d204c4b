#!/usr/bin/env bash
# Runs every test on a Debian 12 machine with the .NET 10 SDK:
#   1. installs Prosody, ejabberd and the AOT toolchain if missing,
#   2. publishes the Native AOT xsend (must be warning-free) and checks the .NET tool package,
#   3. runs a short fuzzing pass (scripts/fuzz.sh, 10 s per target); a new crash joins the
#      corpus, which the unit tests replay; where afl-fuzz cannot run it is skipped with a note,
#   4. runs the unit tests and the integration tests (a real Prosody and a real ejabberd on
#      loopback) against that binary,
#   5. ends with "tests: N passed, N failed", counted from the TRX results.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
XSEND_BIN=$(scripts/publish.sh)
export XSEND_BIN
XSEND_SERVE_BIN="$(dirname "$(dirname "$XSEND_BIN")")/xsend-serve/xsend-serve"
export XSEND_SERVE_BIN
echo "test: using $XSEND_BIN ($("$XSEND_BIN" --version))" >&2
scripts/pack-tool.sh

# A short coverage-guided pass over every fuzz target, before the tests: a new crash lands in
# the corpus, which the unit tests replay, so it is counted as a failed test below.
set +e
scripts/fuzz.sh all 10
fuzz=$?
set -e
fuzz_broken=0
if [ "$fuzz" -eq 77 ]; then
  echo "test: fuzzing skipped (afl-fuzz cannot run here)" >&2
elif [ "$fuzz" -ne 0 ]; then
  echo "test: the fuzzing pass failed (a new crash is in tests/XSend.Fuzz/corpus, or see artifacts/fuzz/*.log)" >&2
  fuzz_broken=1
fi

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
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ] || [ "$fuzz_broken" -ne 0 ]; then
  exit 1
fi

