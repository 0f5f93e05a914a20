#!/usr/bin/env bash
# scripts/crash-test.sh [N]: N (default 20) cycles of kill -9 under load against the real
# einvoiced (tests/e2e/crash_cycles.cc): after every kill, `einvoice admin check` on the data
# directory; calls in flight at a kill are resubmitted with their idempotency keys; at the end
# every acknowledged code must be served and verify, and each invoice key have one code.
# Builds into ./build first (scripts/build.sh). Prints the figures; exits non-zero on a loss.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-20}
scripts/build.sh >/dev/null
cmake --build build --target crash_cycles -j"${EINVOICE_JOBS:-2}" >/dev/null
exec build/tests/e2e/crash_cycles --cycles "$cycles" \
  --einvoiced build/server/einvoiced --cli build/tools/einvoice
