#!/usr/bin/env bash
# Command 2 of the README (and what CI runs): install what is missing, build,
# and run every test:
#   1. Release build: unit tests, the store suite and the HTTP end-to-end
#      suite on SQLite and on a throwaway PostgreSQL cluster (started and
#      removed by the run itself, on loopback).
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build: the same suites.
#   3. libFuzzer targets for the parsers of outside input, briefly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
jobs=$(nproc 2>/dev/null || echo 2)
summary=()
total_pass=0
total_fail=0
failures_file=$(mktemp)
trap 'rm -f "$failures_file"' EXIT

run_ctest() {  # run_ctest LABEL BUILD_DIR [ctest args...]
  local label=$1 dir=$2
  shift 2
  local log xml
  log=$(mktemp)
  xml="$dir/gtest-results"  # written by each test (tests/CMakeLists.txt)
  rm -rf "$xml"
  set +e
  (cd "$dir" && ctest --output-on-failure -j"$jobs" "$@") 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  local line pass fail
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  fail=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
  local all
  all=$(echo "$line" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
  pass=$(( ${all:-0} - ${fail:-0} ))
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + ${fail:-0}))
  # Count the GoogleTest cases too (from each binary's <testsuites tests= failures= disabled=>).
  local cases="0 cases"
  if compgen -G "$xml/*.xml" >/dev/null; then
    cases=$(grep -h -m1 -oE '<testsuites tests="[0-9]+" failures="[0-9]+" disabled="[0-9]+"' "$xml"/*.xml \
      | sed -E 's/.*tests="([0-9]+)" failures="([0-9]+)" disabled="([0-9]+)"/\1 \2 \3/' \
      | awk '{t+=$1; f+=$2; d+=$3} END {printf "%d GoogleTest cases, %d failed, %d disabled", t, f, d}')
    cases="$cases, $(cat "$xml"/*.xml | grep -c 'result="skipped"' || true) skipped (engine-specific)"
  fi
  summary+=("$label: $line; $cases")
  # The failed cases with their first message line, repeated at the very end
  # of the run (a CI log is often read from its tail).
  if compgen -G "$xml/*.xml" >/dev/null; then
    local f
    for f in "$xml"/*.xml; do
      awk -v suite="$label/$(basename "$f" .xml)" '
        /<testcase / { match($0, /name="[^"]*"/); n = substr($0, RSTART + 6, RLENGTH - 7);
                       match($0, /classname="[^"]*"/); c = substr($0, RSTART + 11, RLENGTH - 12) }
        /<failure message=/ { m = $0; sub(/.*<failure message="/, "", m); sub(/".*/, "", m);
                              printf "FAILED %s %s.%s: %s\n", suite, c, n, substr(m, 1, 300) }
      ' "$f" >>"$failures_file"
    done
  fi
  rm -f "$log"
  [ "$rc" = 0 ] || { [ "$fail" != 0 ] || total_fail=$((total_fail + 1)); }
  return 0
}

echo "== 1. Release build and tests"
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Release -DO2C_TESTS=ON >/dev/null
cmake --build build/test -j"$jobs"
run_ctest release build/test

echo "== 2. ASan + UBSan build and tests"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DO2C_SANITIZE=ON -DO2C_TESTS=ON >/dev/null
cmake --build build/asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_ctest sanitizers build/asan

echo "== 3. Fuzz targets (${FUZZ_SECONDS:=15} s each)"
if FUZZ_SECONDS=$FUZZ_SECONDS bash scripts/fuzz.sh; then
  summary+=("fuzz: every target ran ${FUZZ_SECONDS} s without a crash")
  total_pass=$((total_pass + 1))
else
  summary+=("fuzz: a target crashed (see above)")
  total_fail=$((total_fail + 1))
fi

echo
echo "== Summary"
printf '%s\n' "${summary[@]}"
[ -s "$failures_file" ] && cat "$failures_file"
echo "tests: $total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
