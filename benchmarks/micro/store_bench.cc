// The store's write path (RocksDbInvoiceStore::Insert: group commit, synced or not, 1..64
// concurrent callers) and read paths (GetByCode, FindByKey) on a store of 100 000 invoices.
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "benchmarks/workload.h"
#include "domain/authentication_record.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_invoice_store.h"

namespace einvoice::bench {
namespace {

std::string CodeOf(uint64_t n) { return absl::StrFormat("01%032X", n); }

NewInvoice MakeRecord(uint64_t n, const std::string& record_bytes) {
  NewInvoice r;
  r.authority_code = CodeOf(n);
  r.authenticated_invoice = record_bytes;
  r.content_sha256 = std::string(32, static_cast<char>(n));
  r.key.set_seller_tax_code(BenchTaxCode(5, n % 1000));
  r.key.set_template_code("1");
  r.key.set_symbol("C26TAA");
  r.key.set_number(static_cast<uint32_t>(n / 1000 + 1));
  r.idempotency_key = (n % 2 == 0) ? absl::StrCat("k", n) : "";
  r.buyer_tax_code = BenchTaxCode(6, n % 5000);
  r.issue_date = absl::CivilDay(2026, 11, 20);
  r.issued_day = absl::CivilDay(2026, 11, 21);
  return r;
}

std::string TypicalRecordBytes() {
  Rng rng(5);
  v1::AuthenticatedInvoice a;
  a.set_authority_code(CodeOf(0));
  a.set_signed_record(BuildSignedRecord(CodeOf(0), absl::Now(), std::string(64, 'a'),
                                        MakeInvoice(rng, BenchTaxCode(5, 0), "C26TAA", 1,
                                                    absl::CivilDay(2026, 11, 20))));
  a.set_signature(std::string(71, 's'));
  return a.SerializeAsString();
}

struct Store {
  std::string dir;
  std::shared_ptr<RocksDbDatabase> db;
  std::unique_ptr<RocksDbInvoiceStore> store;
  std::atomic<uint64_t> next{0};
  std::string record;
};

std::unique_ptr<Store> OpenStore(bool sync) {
  auto s = std::make_unique<Store>();
  char pattern[] = "/tmp/einvoice_store_bench.XXXXXX";
  s->dir = mkdtemp(pattern);
  RocksDbOptions options;
  options.path = s->dir + "/db";
  options.sync_writes = sync;
  absl::StatusOr<std::shared_ptr<RocksDbDatabase>> db = RocksDbDatabase::Open(options);
  if (!db.ok()) return nullptr;
  s->db = *db;
  s->store = std::make_unique<RocksDbInvoiceStore>(s->db);
  s->record = TypicalRecordBytes();
  return s;
}

void CloseStore(std::unique_ptr<Store>& s) {
  if (!s) return;
  const std::string dir = s->dir;
  s->store.reset();
  s->db.reset();
  s.reset();
  std::filesystem::remove_all(dir);
}

std::unique_ptr<Store> g_write_store;

void BM_StoreInsert(benchmark::State& state) {
  const bool sync = state.range(0) != 0;
  if (state.thread_index() == 0) g_write_store = OpenStore(sync);
  // Google Benchmark starts all threads' loops together after thread 0's setup.
  for (auto _ : state) {
    if (!g_write_store) {
      state.SkipWithError("cannot open store");
      break;
    }
    const uint64_t n = g_write_store->next.fetch_add(1);
    absl::StatusOr<InsertResult> r = g_write_store->store->Insert(MakeRecord(n, g_write_store->record));
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  // Every thread has left the loop (Google Benchmark waits at its end): safe to close.
  if (state.thread_index() == 0) CloseStore(g_write_store);
}
BENCHMARK(BM_StoreInsert)
    ->ArgName("sync")
    ->Arg(1)
    ->Threads(1)->Threads(8)->Threads(64)
    ->UseRealTime()
    ->MinTime(1.0);
BENCHMARK(BM_StoreInsert)->ArgName("sync")->Arg(0)->Threads(1)->Threads(64)->UseRealTime();

std::unique_ptr<Store> g_read_store;
constexpr uint64_t kReadRows = 100000;

Store* ReadStore() {
  static Store* store = [] {
    g_read_store = OpenStore(false);
    if (!g_read_store) return static_cast<Store*>(nullptr);
    std::vector<std::thread> writers;
    for (int t = 0; t < 16; ++t) {
      writers.emplace_back([t] {
        for (uint64_t n = t; n < kReadRows; n += 16) {
          (void)g_read_store->store->Insert(MakeRecord(n, g_read_store->record));
        }
      });
    }
    for (auto& w : writers) w.join();
    return g_read_store.get();
  }();
  return store;
}

void BM_StoreGetByCode(benchmark::State& state) {
  Store* s = ReadStore();
  if (s == nullptr) {
    state.SkipWithError("cannot open store");
    return;
  }
  Rng rng(static_cast<uint64_t>(state.thread_index()) + 1);
  for (auto _ : state) {
    absl::StatusOr<std::optional<std::string>> r = s->store->GetByCode(CodeOf(rng.Range(0, kReadRows - 1)));
    if (!r.ok() || !r->has_value()) state.SkipWithError("lookup failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StoreGetByCode)->Threads(1)->Threads(2)->UseRealTime();

void BM_StoreFindByKey(benchmark::State& state) {
  Store* s = ReadStore();
  if (s == nullptr) {
    state.SkipWithError("cannot open store");
    return;
  }
  Rng rng(static_cast<uint64_t>(state.thread_index()) + 7);
  std::vector<v1::InvoiceKey> keys;
  for (int i = 0; i < 4096; ++i) keys.push_back(MakeRecord(rng.Range(0, kReadRows - 1), "").key);
  size_t i = 0;
  for (auto _ : state) {
    absl::StatusOr<std::optional<InvoiceRef>> found = s->store->FindByKey(keys[i++ % keys.size()]);
    if (!found.ok() || !found->has_value()) state.SkipWithError("lookup failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StoreFindByKey)->Threads(1)->UseRealTime();

}  // namespace
}  // namespace einvoice::bench
