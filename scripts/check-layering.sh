#!/usr/bin/env bash
# Keeps the layers honest: gRPC only in server/ tools/ tests/ benchmarks/, RocksDB only in
# storage/ (and tests/benchmarks), OpenSSL and PKCS#11 only in signer/ (and tests).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
check() {  # check PATTERN ALLOWED_DIRS_REGEX WHAT
  local hits
  hits=$(git ls-files '*.h' '*.cc' | grep -vE "^($2)/" | xargs grep -lE "$1" 2>/dev/null || true)
  if [ -n "$hits" ]; then
    echo "layering: $3 included outside $2:" >&2
    echo "$hits" | sed 's/^/  /' >&2
    status=1
  fi
}
check '#include [<"](grpcpp|grpc)/' 'server|tools|tests|benchmarks' 'gRPC'
check '#include [<"]rocksdb/' 'storage|tests|benchmarks' 'RocksDB'
check '#include [<"](openssl/|p11-kit|pkcs11)' 'signer|xml|tests|benchmarks' 'OpenSSL/PKCS#11'
if [ $status -eq 0 ]; then echo "layering: ok"; fi
exit $status
