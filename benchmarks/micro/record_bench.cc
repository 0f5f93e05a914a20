// Record encoding: the deterministic invoice serialization and fingerprint, the signed record,
// the store's key/index encoding, and the AuthenticatedInvoice envelope.
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "benchmarks/workload.h"
#include "domain/authentication_record.h"
#include "einvoice/v1/authentication.pb.h"
#include "storage/key_encoding.h"

namespace einvoice::bench {
namespace {

v1::Invoice TypicalInvoice() {
  Rng rng(11);
  return MakeInvoice(rng, BenchTaxCode(1, 1), "C26TAA", 1, absl::CivilDay(2026, 11, 20));
}

void BM_InvoiceFingerprint(benchmark::State& state) {
  const v1::Invoice invoice = TypicalInvoice();
  for (auto _ : state) benchmark::DoNotOptimize(InvoiceFingerprint(invoice));
  state.SetLabel(absl::StrCat(invoice.lines_size(), " lines"));
}
BENCHMARK(BM_InvoiceFingerprint);

void BM_BuildSignedRecord(benchmark::State& state) {
  const v1::Invoice invoice = TypicalInvoice();
  const std::string code = "00" + std::string(32, 'B');
  const std::string key_id(64, 'a');
  const absl::Time now = absl::Now();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string record = BuildSignedRecord(code, now, key_id, invoice);
    bytes = record.size();
    benchmark::DoNotOptimize(record);
  }
  state.SetLabel(absl::StrCat(bytes, " bytes"));
}
BENCHMARK(BM_BuildSignedRecord);

void BM_EncodeNewInvoice(benchmark::State& state) {
  const v1::Invoice invoice = TypicalInvoice();
  NewInvoice record;
  record.authority_code = "00" + std::string(32, 'C');
  v1::AuthenticatedInvoice authenticated;
  authenticated.set_signed_record(BuildSignedRecord(record.authority_code, absl::Now(),
                                                    std::string(64, 'a'), invoice));
  authenticated.set_signature(std::string(71, 'x'));
  record.authenticated_invoice = authenticated.SerializeAsString();
  record.content_sha256 = InvoiceFingerprint(invoice);
  record.key.set_seller_tax_code(invoice.seller().tax_code());
  record.key.set_template_code("1");
  record.key.set_symbol("C26TAA");
  record.key.set_number(1);
  record.idempotency_key = "bench-1";
  record.buyer_tax_code = invoice.buyer().tax_code();
  record.issue_date = absl::CivilDay(2026, 11, 20);
  record.issued_day = absl::CivilDay(2026, 11, 21);
  for (auto _ : state) {
    absl::StatusOr<keys::EncodedInvoice> e = keys::EncodeNewInvoice(record);
    if (!e.ok()) state.SkipWithError(std::string(e.status().message()).c_str());
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_EncodeNewInvoice);

void BM_ParseAuthenticatedInvoice(benchmark::State& state) {
  v1::AuthenticatedInvoice authenticated;
  authenticated.set_signed_record(BuildSignedRecord("00" + std::string(32, 'D'), absl::Now(),
                                                    std::string(64, 'a'), TypicalInvoice()));
  authenticated.set_signature(std::string(71, 'x'));
  const std::string bytes = authenticated.SerializeAsString();
  for (auto _ : state) {
    v1::AuthenticatedInvoice parsed;
    benchmark::DoNotOptimize(parsed.ParseFromString(bytes));
  }
}
BENCHMARK(BM_ParseAuthenticatedInvoice);

}  // namespace
}  // namespace einvoice::bench
