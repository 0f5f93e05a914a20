// einvoice_micro_bench: Google Benchmark micro benchmarks of the submit path's parts
// (validation, record encoding, signing, the store). See benchmarks/README.md.
#include "benchmark/benchmark.h"

BENCHMARK_MAIN();
