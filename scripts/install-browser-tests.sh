#!/usr/bin/env bash
# Installs the browser tests (tests/browser: playwright-core at the version
# its package-lock.json pins, driving Debian's Chromium; no browser download)
# into DIR, outside the source tree: install-browser-tests.sh DIR
# Run by CTest before the browser suite (tests/CMakeLists.txt). Fails, loudly,
# when npm or Chromium is missing: the browser tests must not pass by skipping.
set -euo pipefail
src="$(cd "$(dirname "$0")/../tests/browser" && pwd)"
dir="${1:?usage: install-browser-tests.sh DIR}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "install-browser-tests: $tool is missing (scripts/install-deps.sh --test installs it)" >&2; exit 1; }
done
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium_bin" ] || { echo "install-browser-tests: $chromium_bin is missing (apt-get install chromium; scripts/install-deps.sh --test does)" >&2; exit 1; }
cp "$src"/*.mjs "$dir/"
# Already installed from this very lock file: nothing to fetch (works offline).
if [ -f "$dir/node_modules/playwright-core/package.json" ] && cmp -s "$src/package-lock.json" "$dir/package-lock.json"; then
  exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dir/"
if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error); then
  echo "install-browser-tests: npm ci failed in $dir: the browser tests cannot run" >&2
  exit 1
fi
echo "install-browser-tests: playwright-core $(node -p "require('$dir/node_modules/playwright-core/package.json').version") in $dir, $("$chromium_bin" --version 2>/dev/null || echo chromium)"
