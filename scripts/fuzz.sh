#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ straight from the sources they need
# (no CMake, no database, no httplib) and runs each one for a fixed time.
#
#   FUZZ_SECONDS=30      time per target
#   FUZZ_TARGETS="a b"   only these targets (default: all of them)
#   FUZZ_BUILD_DIR=dir   where binaries, logs and crash artifacts go
#                        (default: build-fuzz in the repository)
#
# Exits non-zero if a target fails to build or finds a crash; the crashing
# input is kept under $FUZZ_BUILD_DIR/artifacts/<target>/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-30}"
BUILD_DIR="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
read -r -a TARGETS <<<"${FUZZ_TARGETS:-money_parse_fuzz json_body_fuzz cursor_fuzz csv_fuzz stripe_signature_fuzz camt_fuzz mt940_fuzz bank_csv_fuzz}"
CXX="${FUZZ_CXX:-clang++-14}"

log() { printf '[fuzz] %s\n' "$*" >&2; }

apt_install() {
  if [[ $(id -u) -ne 0 ]]; then
    log "missing: $* (run as root, or install them yourself)"
    exit 2
  fi
  log "installing: $*"
  # The package lists of a fresh image may be absent or stale: refresh only
  # when the first attempt fails, so a warm machine needs no network.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

# A link test is the only reliable sign that the fuzzer runtime is present:
# clang-14 itself installs fine without libclang-rt-14-dev.
fuzzer_links() {
  local probe
  probe="$(mktemp -d)"
  printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' \
    >"$probe/p.cpp"
  local ok=0
  "$CXX" -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" >/dev/null 2>&1 || ok=1
  rm -rf "$probe"
  return $ok
}

ensure_toolchain() {
  local need=()
  command -v "$CXX" >/dev/null 2>&1 || need+=(clang-14)
  [[ -f /usr/include/nlohmann/json.hpp ]] || need+=(nlohmann-json3-dev)
  if ((${#need[@]})); then apt_install "${need[@]}" libclang-rt-14-dev; fi
  if ! fuzzer_links; then
    apt_install libclang-rt-14-dev
    fuzzer_links || { log "$CXX cannot link -fsanitize=fuzzer even with libclang-rt-14-dev"; exit 2; }
  fi
}

# Only what each target needs: the point is that the parsers stand alone.
# All of src/core, because it is dependency-free by design (the o2c_core
# library) and a helper moved into a new core file must not break this.
sources_for() {
  local core
  read -r -a core <<<"$(cd "$ROOT" && echo src/core/*.cpp)"
  case "$1" in
    money_parse_fuzz) echo "${core[@]}" ;;
    json_body_fuzz) echo "${core[*]} src/domain/masterdata/fields.cpp src/domain/masterdata/rules.cpp src/http/json_io.cpp" ;;
    cursor_fuzz) echo "src/http/json_io.cpp" ;;
    csv_fuzz) echo "src/formats/csv/csv.cpp" ;;
    stripe_signature_fuzz) echo "src/security/stripe_signature.cpp src/security/crypto.cpp" ;;
    camt_fuzz) echo "${core[*]} src/formats/bank/statement.cpp src/formats/bank/camt.cpp" ;;
    mt940_fuzz) echo "${core[*]} src/formats/bank/statement.cpp src/formats/bank/mt940.cpp" ;;
    bank_csv_fuzz) echo "${core[*]} src/formats/bank/statement.cpp src/formats/bank/csv_statement.cpp src/formats/csv/csv.cpp" ;;
    *) log "unknown target $1"; exit 2 ;;
  esac
}

build() {
  local target="$1" srcs
  read -r -a srcs <<<"$(sources_for "$target")"
  log "building $target"
  # -fno-sanitize-recover: undefined behaviour must stop the run like a crash,
  # not scroll past in the log.
  (cd "$ROOT" && "$CXX" -std=c++20 -g -O1 -Wall -Wextra \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
    -I src "fuzz/$target.cpp" "${srcs[@]}" -o "$BUILD_DIR/$target" $(libs_for "$target"))
}

# Libraries beyond the C++ runtime: the HMAC of the signature check is OpenSSL's,
# the camt reader's XML parser is pugixml.
libs_for() {
  case "$1" in
    stripe_signature_fuzz) echo "-lcrypto" ;;
    camt_fuzz) echo "-lpugixml" ;;
    *) echo "" ;;
  esac
}

run() {
  local target="$1" work corpus_copy artifacts status=0
  work="$(mktemp -d)"
  corpus_copy="$work/corpus"
  artifacts="$BUILD_DIR/artifacts/$target"
  mkdir -p "$corpus_copy" "$artifacts"
  # A copy, so the corpus in the repository only ever holds the hand-picked seeds.
  cp -r "$ROOT/fuzz/corpus/$target/." "$corpus_copy/"
  local dict=()
  [[ -f "$ROOT/fuzz/$target.dict" ]] && dict=(-dict="$ROOT/fuzz/$target.dict")
  log "running $target for ${SECONDS_PER_TARGET}s"
  "$BUILD_DIR/$target" -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$artifacts/" "$corpus_copy" >"$BUILD_DIR/$target.log" 2>&1 || status=$?
  rm -rf "$work"

  local runs
  runs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$BUILD_DIR/$target.log" | grep -Eo '[0-9]+$' | tail -n1 || true)"
  [[ -n "$runs" ]] || runs="$(grep -Eo '^#[0-9]+' "$BUILD_DIR/$target.log" | tail -n1 | tr -d '#' || true)"
  if ((status == 0)); then
    printf '%-18s ok     %12s execs in %ss\n' "$target" "${runs:-?}" "$SECONDS_PER_TARGET"
  else
    printf '%-18s CRASH  %12s execs before it (exit %d); log %s\n' "$target" "${runs:-?}" "$status" \
      "$BUILD_DIR/$target.log"
    # The target's own message, the sanitizer's verdict and the reproducer; the stack is in the log.
    grep -E '^(==[0-9]+==ERROR|SUMMARY|[a-z_]+_fuzz:|  [a-z])|Test unit written' \
      "$BUILD_DIR/$target.log" | head -n 20 | sed 's/^/    /'
  fi
  return "$status"
}

main() {
  ensure_toolchain
  mkdir -p "$BUILD_DIR"
  local target failed=0
  for target in "${TARGETS[@]}"; do
    build "$target" || { log "build of $target failed"; exit 1; }
  done
  for target in "${TARGETS[@]}"; do
    run "$target" || failed=1
  done
  exit "$failed"
}

main "$@"
