#!/usr/bin/env bash
# scripts/check-layering.sh refuses an upward or sideways include and a third-party library
# outside its layers, and accepts the allowed ones: run against a scratch repository.
set -euo pipefail
script=$(cd "$(dirname "$0")/../.." && pwd)/scripts/check-layering.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q .
mkdir -p scripts domain storage server
cp "$script" scripts/
expect() {  # expect EXIT_CODE MESSAGE_FRAGMENT
  set +e
  out=$(scripts/check-layering.sh 2>&1)
  code=$?
  set -e
  if [ "$code" != "$1" ] || ! grep -qF -- "$2" <<<"$out"; then
    echo "FAILED: expected exit $1 and '$2', got exit $code:"; echo "$out"; exit 1
  fi
}
printf '#include "domain/a.h"\n#include "storage/invoice_store.h"\n' > domain/ok.cc
printf '#include "domain/a.h"\n#include "server/x.h"\n' > server/ok.cc
git add -A
expect 0 "layering: ok"
printf '#include "server/grpc_status.h"\n' > domain/up.cc            # upward
git add -A
expect 1 'domain/up.cc:1 includes "server/grpc_status.h"'
git rm -q -f domain/up.cc
printf '#include "storage/rocksdb_database.h"\n' > domain/impl.cc    # an implementation
git add -A
expect 1 'domain/impl.cc:1 includes "storage/rocksdb_database.h"'
git rm -q -f domain/impl.cc
printf '#include "domain/caller.h"\n' > storage/side.h                # sideways/upward
git add -A
expect 1 'storage/side.h:1 includes "domain/caller.h"'
git rm -q -f storage/side.h
printf '#include <rocksdb/db.h>\n' > domain/lib.cc                    # a library
git add -A
expect 1 "RocksDB included outside"
echo "check-layering: 5 cases passed"
