#!/usr/bin/env bash
# The checks a normal build cannot make, with clang (Debian's clang 14 and its runtimes):
#   1. clang's thread-safety analysis: every ABSL_GUARDED_BY / ABSL_EXCLUSIVE_LOCKS_REQUIRED
#      annotation is checked, warnings are errors (the top-level CMakeLists adds
#      -Wthread-safety for clang);
#   2. the unit and integration tests under AddressSanitizer + UndefinedBehaviorSanitizer
#      (leaks included; scripts/sanitizers/lsan.supp lists third-party ones);
#   3. the tests whose threads meet in our code (domain, storage, signer, caches) under
#      ThreadSanitizer, in ./build-tsan. Debian's absl is not instrumented, so
#      tests/testing/tsan_absl_sync.cc tells TSan what absl::Mutex does, and
#      scripts/sanitizers/tsan.supp leaves out what happens inside absl and RocksDB themselves;
#      tsan_selftest first proves a deliberate race is still reported. The gRPC tests are not
#      run under TSan: gRPC hands messages between its threads inside uninstrumented code
#      (byte buffers, combiners), which TSan reports by the hundred;
#   4. every libFuzzer target in fuzz/ for EINVOICE_FUZZ_SECONDS (default 60) each, from its
#      seed corpus in fuzz/corpus/ (new inputs go to a scratch directory, not the repository).
#      A crash stops the script; its input is written to build-sanitize/fuzz-crashes/.
# Builds into ./build-sanitize (-O1: about 15 minutes on 2 cores from scratch) and ./build-tsan
# (about 8 more).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${EINVOICE_JOBS:-2}
fuzz_seconds=${EINVOICE_FUZZ_SECONDS:-60}

CC=clang CXX=clang++ cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
  -DEINVOICE_SANITIZE=address,undefined -DEINVOICE_FUZZ=ON -DEINVOICE_BUILD_BENCHMARKS=OFF \
  >/dev/null
cmake --build build-sanitize -j"$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/scripts/sanitizers/lsan.supp
ctest --test-dir build-sanitize -L 'unit|integration' --output-on-failure -j"$jobs" --timeout 600

tsan_tests=(domain/domain_test storage/invoice_store_conformance_test
  storage/rocksdb_invoice_store_test storage/rocksdb_store_check_test
  storage/audit_log_conformance_test storage/registry_test signer/signer_fake_signer_test
  signer/signer_pkcs11_test xml/xml_certificate_cache_test common/common_test)
CC=clang CXX=clang++ cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
  -DEINVOICE_SANITIZE=thread -DEINVOICE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-tsan -j"$jobs" --target tsan_selftest \
  $(for t in "${tsan_tests[@]}"; do basename "$t"; done)
export TSAN_OPTIONS="suppressions=$PWD/scripts/sanitizers/tsan.supp halt_on_error=1 exitcode=66"
build-tsan/tests/testing/tsan_selftest clean
status=0
build-tsan/tests/testing/tsan_selftest race 2>/dev/null || status=$?
if [ "$status" -ne 66 ]; then
  echo "ThreadSanitizer did not report the deliberate race (exit $status)" >&2
  exit 1
fi
for t in "${tsan_tests[@]}"; do
  echo "TSan: $t" >&2
  (cd build-tsan/tests/"$(dirname "$t")" && ./"$(basename "$t")" --gtest_brief=1)
done

crashes=$PWD/build-sanitize/fuzz-crashes
mkdir -p "$crashes"
for fuzzer in build-sanitize/fuzz/fuzz_*; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer")
  scratch=$(mktemp -d)
  echo "fuzzing $name for ${fuzz_seconds}s" >&2
  "$fuzzer" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/$name-" "$scratch" "fuzz/corpus/$name" 2>&1 | tail -n 12
  rm -rf "$scratch"
done
echo "sanitizers: ok"
