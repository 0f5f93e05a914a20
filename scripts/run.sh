#!/usr/bin/env bash
# Installs what is missing, builds, and runs the server with its embedded defaults:
# RocksDB in ./data/db and a SoftHSM2 token in ./data/hsm, created on first start.
# Extra arguments go to einvoiced (see `build/server/einvoiced --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/server/einvoiced --listen=127.0.0.1:50051 --data_dir=data "$@"
