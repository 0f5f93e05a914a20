#!/usr/bin/env bash
# The checks a normal build cannot make, with clang (Debian's clang 14 and its runtimes):
#   1. clang's thread-safety analysis: every ABSL_GUARDED_BY / ABSL_EXCLUSIVE_LOCKS_REQUIRED
#      annotation is checked, warnings are errors (the top-level CMakeLists adds
#      -Wthread-safety for clang);
#   2. the unit and integration tests under AddressSanitizer + UndefinedBehaviorSanitizer
#      (leaks included; scripts/sanitizers/lsan.supp lists third-party ones);
#   3. every libFuzzer target in fuzz/ for EINVOICE_FUZZ_SECONDS (default 60) each, from its
#      seed corpus in fuzz/corpus/ (new inputs go to a scratch directory, not the repository).
#      A crash stops the script; its input is written to build-sanitize/fuzz-crashes/.
# Builds into ./build-sanitize (-O1: about 15 minutes on 2 cores from scratch).
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
