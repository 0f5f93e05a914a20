// Validation and invoice generation: what the submit path spends before signing.
#include "benchmark/benchmark.h"
#include "benchmarks/workload.h"
#include "common/clock.h"
#include "absl/time/clock.h"
#include "rules/invoice_validator.h"
#include "rules/totals_calculator.h"

namespace einvoice::bench {
namespace {

v1::Invoice InvoiceWithLines(int lines) {
  Rng rng(1);
  for (;;) {  // draw until the generator gives the wanted line count
    v1::Invoice inv = MakeInvoice(rng, BenchTaxCode(1, 1), "C26TAA", 1, absl::CivilDay(2026, 11, 20));
    int goods = 0;
    for (const auto& line : inv.lines()) goods += line.nature() == v1::LINE_NATURE_GOODS_OR_SERVICE;
    if (goods == lines && inv.lines_size() == lines) return inv;
  }
}

void BM_ValidateInvoice(benchmark::State& state) {
  const v1::Invoice invoice = InvoiceWithLines(static_cast<int>(state.range(0)));
  const absl::CivilDay today(2026, 11, 22);
  for (auto _ : state) {
    std::vector<Violation> v = ValidateInvoice(invoice, today);
    if (!v.empty()) state.SkipWithError("generated invoice is invalid");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_ValidateInvoice)->Arg(1)->Arg(5)->Arg(20);

void BM_FillTotals(benchmark::State& state) {
  v1::Invoice invoice = InvoiceWithLines(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(FillTotals(&invoice));
  }
}
BENCHMARK(BM_FillTotals)->Arg(1)->Arg(5)->Arg(20);

// The harness's own cost per invoice (client side).
void BM_MakeInvoice(benchmark::State& state) {
  Rng rng(3);
  const std::string seller = BenchTaxCode(1, 1);
  uint32_t n = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(MakeInvoice(rng, seller, "C26TAA", n++, absl::CivilDay(2026, 11, 20)));
  }
}
BENCHMARK(BM_MakeInvoice);

}  // namespace
}  // namespace einvoice::bench
