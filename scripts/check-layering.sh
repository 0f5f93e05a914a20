#!/usr/bin/env bash
# Keeps the layers honest (docs/architecture.md): every project include of every source file
# must be one its folder may use, and the third-party libraries stay where they belong. An
# upward or sideways include fails CI with the file, the line and the rule.
#
#   layer        may include (project)                                   third-party
#   common/      common/                                                  absl
#   signer/      common/ signer/                                          + OpenSSL, PKCS#11
#   storage/     common/ storage/ einvoice/ (messages)                   + RocksDB
#   rules/       common/ rules/ einvoice/
#   domain/      common/ rules/ signer/ domain/ einvoice/, and the storage/ interfaces
#                (not storage/rocksdb_*); documents come through its InvoiceDocument port
#   xml/         common/ rules/ signer/ domain/ xml/ einvoice/, and the storage/ interfaces
#                (the XML adapter: the port's reader, the T-VAN exchange)
#                                                                       + libxml2, xmlsec, OpenSSL
#   server/      everything below it (the composition root, backends.cc, may open RocksDB)
#   tools/       common/ rules/ signer/ xml/ domain/ tools/ einvoice/ grpc/  + gRPC, and
#                storage/ (`einvoice admin check` opens a stopped server's database itself)
#   benchmarks/, tests/, fuzz/: anything
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

allowed_prefixes() {  # the project include prefixes a folder may use
  case $1 in
    common) echo "common/" ;;
    signer) echo "common/ signer/" ;;
    storage) echo "common/ storage/ einvoice/" ;;
    rules) echo "common/ rules/ einvoice/" ;;
    domain) echo "common/ rules/ signer/ domain/ einvoice/ storage/" ;;
    xml) echo "common/ rules/ signer/ domain/ xml/ einvoice/ storage/" ;;
    server) echo "common/ rules/ signer/ xml/ domain/ storage/ server/ einvoice/ google/rpc/ grpc/" ;;
    tools) echo "common/ rules/ signer/ xml/ domain/ storage/ tools/ einvoice/ google/rpc/ grpc/" ;;
    *) echo "*" ;;
  esac
}
# Project includes (google/rpc/ is our copy of the gRPC error model; google/protobuf/ is the
# protobuf library, free wherever messages are).
project_dirs="common|signer|storage|rules|xml|domain|server|tools|benchmarks|tests|fuzz|einvoice|google/rpc|grpc"

while IFS= read -r file; do
  folder=${file%%/*}
  allowed=$(allowed_prefixes "$folder")
  [ "$allowed" = "*" ] && continue
  while IFS=: read -r line include; do
    [ -n "$include" ] || continue
    ok=0
    for prefix in $allowed; do
      case $include in "$prefix"*) ok=1 ;; esac
    done
    # domain/ and xml/ see storage only through its interfaces.
    if [[ $folder == domain || $folder == xml ]] && [[ $include == storage/rocksdb_* ]]; then
      ok=0
    fi
    if [ $ok -eq 0 ]; then
      echo "layering: $file:$line includes \"$include\", which $folder/ may not use" >&2
      status=1
    fi
  done < <(grep -nE "^#include \"($project_dirs)/" "$file" | sed -E 's/^([0-9]+):#include "([^"]+)".*/\1:\2/')
done < <(git ls-files '*.h' '*.cc')

check() {  # check PATTERN ALLOWED_DIRS_REGEX WHAT: a third-party library outside its layers
  local hits
  hits=$(git ls-files '*.h' '*.cc' | grep -vE "^($2)/" | xargs grep -lE "$1" 2>/dev/null || true)
  if [ -n "$hits" ]; then
    echo "layering: $3 included outside $2:" >&2
    echo "$hits" | sed 's/^/  /' >&2
    status=1
  fi
}
check '#include [<"](grpcpp|grpc)/' 'server|tools|tests|benchmarks|fuzz' 'gRPC'
check '#include [<"]rocksdb/' 'storage|tests|benchmarks' 'RocksDB'
check '#include [<"](openssl/|p11-kit|pkcs11)' 'signer|xml|tests|benchmarks' 'OpenSSL/PKCS#11'
check '#include [<"](libxml/|xmlsec/)' 'xml|tests|benchmarks' 'libxml2/xmlsec'
# The link dependencies follow the layers too: domain/ never links the XML adapter (nor,
# through it, libxml2 or xmlsec).
if grep -qE 'einvoice_xml|LIBXML2|XMLSEC' domain/CMakeLists.txt; then
  echo "layering: domain/CMakeLists.txt links the XML adapter or an XML library" >&2
  status=1
fi
if [ $status -eq 0 ]; then echo "layering: ok"; fi
exit $status
