#!/usr/bin/env bash
# Installs the e2e tests' Stripe signer (tests/e2e/stripe: the official
# `stripe` npm package at the version its package-lock.json pins) into DIR,
# outside the source tree: install-stripe-signer.sh DIR
# Run by CTest before the e2e suites (tests/CMakeLists.txt). Fails, loudly,
# when npm cannot install it: the webhook tests must not pass by skipping.
set -euo pipefail
src="$(cd "$(dirname "$0")/../tests/e2e/stripe" && pwd)"
dir="${1:?usage: install-stripe-signer.sh DIR}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "install-stripe-signer: $tool is missing (scripts/install-deps.sh --test installs it)" >&2; exit 1; }
done
# Already installed from this very lock file: nothing to fetch (works offline).
if [ -f "$dir/node_modules/stripe/package.json" ] && cmp -s "$src/package-lock.json" "$dir/package-lock.json"; then
  cp "$src/sign.js" "$dir/sign.js"
  exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$src/sign.js" "$dir/"
if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error); then
  echo "install-stripe-signer: npm ci failed in $dir: the Stripe webhook e2e tests cannot run" >&2
  exit 1
fi
node -e "require('$dir/node_modules/stripe')" || { echo "install-stripe-signer: stripe does not load" >&2; exit 1; }
echo "install-stripe-signer: stripe $(node -p "require('$dir/node_modules/stripe/package.json').version") in $dir"
