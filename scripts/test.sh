#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, integration, end-to-end), the
# layering check, and a short smoke run of the benchmark harness.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-layering.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"${EINVOICE_JOBS:-2}" --timeout 600
