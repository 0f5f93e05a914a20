#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds, runs and tests with -- only those that
# are missing, so a prepared machine pays nothing. Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  protobuf-compiler libprotobuf-dev protobuf-compiler-grpc libgrpc++-dev grpc-proto
  libabsl-dev libssl-dev openssl librocksdb-dev
  softhsm2 libp11-kit-dev
  libxml2-dev libxmlsec1-dev xmlsec1
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  python3-grpcio python3-protobuf  # the Python example client and its test (examples/python)
  clang libclang-rt-14-dev  # thread-safety analysis, sanitizers, libFuzzer (check-sanitizers.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
