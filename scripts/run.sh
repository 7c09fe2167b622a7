#!/usr/bin/env bash
# Command 1 of the README: install what is missing, build in Release, and run
# `o2c serve` on an embedded SQLite file with the demo company (on a new file,
# its last 180 business days are simulated first: about 10 s).
#   O2C_DB (default ./o2c.db), O2C_PORT (default 8080); extra arguments go to `o2c serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DO2C_TESTS=OFF >/dev/null
cmake --build build/release -j"$jobs" --target o2c
exec build/release/o2c serve --db "${O2C_DB:-o2c.db}" --port "${O2C_PORT:-8080}" --demo "$@"
