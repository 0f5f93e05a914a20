#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, integration, end-to-end, three
# kill -9 cycles), the layering check, a short smoke run of the benchmark harness; then the
# clang checks: thread-safety analysis, the unit and integration tests under ASan+UBSan, and
# every fuzz target for a bounded time (scripts/check-sanitizers.sh). About 22 minutes on 2
# cores from scratch; EINVOICE_SKIP_SANITIZERS=1 skips the clang part for a quick local run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-layering.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"${EINVOICE_JOBS:-2}" --timeout 600
if [ "${EINVOICE_SKIP_SANITIZERS:-0}" != 1 ]; then
  scripts/check-sanitizers.sh
fi
