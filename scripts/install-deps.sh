#!/usr/bin/env bash
# Installs, from Debian's packages, what o2c needs and this machine lacks.
#   install-deps.sh          build and run
#   install-deps.sh --test   also what the tests need (GoogleTest, PostgreSQL server,
#                            clang's fuzzing runtime, poppler and zbar for PDF checks,
#                            node and npm for the Stripe signer, aiosmtpd as the SMTP
#                            server the e-mail tests send to, hledger to read the
#                            ledger export)
# Runs as root (or through sudo when available). Installs nothing that is present.
set -euo pipefail

packages=(g++ cmake make pkg-config libsqlite3-dev libpq-dev libssl-dev
          nlohmann-json3-dev libcpp-httplib-dev libcli11-dev
          libcairo2-dev libpango1.0-dev libqrencode-dev fonts-dejavu-core)
# The UBL e-invoice renderer builds its XML with pugixml.
packages+=(libpugixml-dev)
# Outgoing e-mail (SMTP) and webhooks (HTTPS) go through libcurl.
packages+=(libcurl4-openssl-dev)
# The o2c program allocates through mimalloc (large bank statements, see docs/decisions.md).
packages+=(libmimalloc-dev)
# The web console's charts: Chart.js 3.9.1, embedded into the binary at build time.
packages+=(libjs-chart.js)
if [ "${1:-}" = "--test" ]; then
  packages+=(libgtest-dev postgresql clang-14 libclang-rt-14-dev poppler-utils zbar-tools)
  # The browser suite (tests/browser) drives Debian's Chromium through playwright-core.
  packages+=(chromium)
  # The UBL conformance test runs ../shared/conformance/validate-ubl.sh: XSD with
  # xmllint, the EN 16931 Schematron with Saxon-HE on a JRE, its report read by python3.
  packages+=(libxml2-utils libsaxonhe-java default-jre-headless python3)
  # The Stripe webhook test signs with the official `stripe` npm package
  # (scripts/install-stripe-signer.sh). A node from elsewhere (with its own
  # npm) is fine: Debian's are installed only when the commands are missing.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
  # The notification tests receive e-mail with a real SMTP server on loopback
  # (tests/e2e/smtp/sink.py, run by /usr/bin/python3).
  packages+=(python3-aiosmtpd)
  # The ledger export is checked by reading it with hledger (tests/e2e/journal_test.cpp).
  packages+=(hledger)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "run as root, or install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
# The tests start their own throwaway PostgreSQL; keep the package's
# maintainer scripts from starting a system-wide server as a side effect.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  added_policy=1
fi
cleanup() { if [ "$added_policy" = 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
