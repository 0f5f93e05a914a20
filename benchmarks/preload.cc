// einvoice-preload: fills a data directory's store with N realistic coded invoices, fast, so
// that einvoice-bench can measure a server that starts from a large store.
//
//   einvoice-preload --data_dir=DIR --count=10000000 [--threads=64] [--sellers=10000]
//
// Run it before starting einvoiced on DIR (RocksDB allows one process). Records go through
// the storage library (RocksDbInvoiceStore::Insert, so every index entry is written exactly as
// the server writes it) with the WAL sync off -- a bulk load, never a serving setting -- and
// many concurrent callers so the group committer writes 512 invoices per batch.
//
// Before exiting it flushes every column family's memtable and waits until RocksDB has no
// flush or compaction pending or running, so that a server started on DIR measures a settled
// store instead of compacting the bulk load's tail (printed: how long that took). RocksDB is
// reached through RocksDbDatabase::db() (storage/ has no flush/wait call; benchmarks/ may
// include RocksDB, see scripts/check-layering.sh).
//
// What is realistic: invoices from the same generator as the harness (1–20 lines, the real VAT
// mix, totals that add up), 10 000 sellers with increasing numbers, buyers, half with an
// idempotency key, authority codes issued over the past 30 days in time order, the signed
// record built by the domain code. What is not: the signature is a placeholder of the right
// size (71 bytes) -- preloaded invoices are never verified; the harness verifies only the
// invoices it submits itself.
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmarks/workload.h"
#include "common/clock.h"
#include "domain/authentication_record.h"
#include "domain/authority_code.h"
#include "rocksdb/db.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_invoice_store.h"

ABSL_FLAG(std::string, data_dir, "", "einvoiced's --data_dir (the store is DATA_DIR/db).");
ABSL_FLAG(uint64_t, count, 1000000, "Invoices to add.");
ABSL_FLAG(int, threads, 64, "Concurrent Insert callers (the group commit batches across them).");
ABSL_FLAG(int, sellers, 10000, "Distinct sellers.");
ABSL_FLAG(uint64_t, seed, 99, "Workload seed (use a different one for each preload of a store).");

namespace einvoice::bench {
namespace {

// Issue times spread over the past 30 days, advancing with every code.
class PastClock final : public Clock {
 public:
  explicit PastClock(uint64_t count)
      : start_(absl::Now() - absl::Hours(24 * 30)),
        step_(absl::Hours(24 * 29) / static_cast<double>(count == 0 ? 1 : count)) {}
  absl::Time Now() const override {
    return start_ + step_ * static_cast<double>(ticks_.fetch_add(1, std::memory_order_relaxed));
  }

 private:
  const absl::Time start_;
  const absl::Duration step_;
  mutable std::atomic<uint64_t> ticks_{0};
};

// Flushes every column family's memtable (waiting for the flushes), then waits until no flush
// or compaction is pending or running in any column family.
absl::Status FlushAndWaitForCompactions(const RocksDbDatabase& database) {
  rocksdb::DB* db = database.db();
  std::vector<rocksdb::ColumnFamilyHandle*> handles = {db->DefaultColumnFamily()};
  for (int cf = 0; cf < kColumnFamilyCount; ++cf) {
    handles.push_back(database.handle(static_cast<ColumnFamily>(cf)));
  }
  rocksdb::FlushOptions flush;
  flush.wait = true;
  flush.allow_write_stall = true;
  if (rocksdb::Status s = db->Flush(flush, handles); !s.ok()) {
    return absl::InternalError(absl::StrCat("flushing the memtables: ", s.ToString()));
  }
  // RocksDB 7.8 has no DB::WaitForCompact(): poll its properties.
  for (;;) {
    uint64_t busy = 0;
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      for (const std::string* property : {&rocksdb::DB::Properties::kCompactionPending,
                                          &rocksdb::DB::Properties::kMemTableFlushPending}) {
        uint64_t value = 0;
        if (db->GetIntProperty(handle, *property, &value)) busy += value;
      }
    }
    for (const std::string* property : {&rocksdb::DB::Properties::kNumRunningCompactions,
                                        &rocksdb::DB::Properties::kNumRunningFlushes}) {
      uint64_t value = 0;
      if (db->GetIntProperty(*property, &value)) busy += value;
    }
    if (busy == 0) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(100));
  }
}

int Main() {
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (data_dir.empty()) {
    std::fprintf(stderr, "einvoice-preload: --data_dir is required\n");
    return 2;
  }
  const uint64_t count = absl::GetFlag(FLAGS_count);
  const int threads = std::max(1, absl::GetFlag(FLAGS_threads));
  const int sellers = std::max(1, absl::GetFlag(FLAGS_sellers));
  const uint64_t seed = absl::GetFlag(FLAGS_seed);

  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  RocksDbOptions options;
  options.path = data_dir + "/db";
  options.sync_writes = false;
  options.write_buffer_bytes = size_t{128} << 20;
  absl::StatusOr<std::shared_ptr<RocksDbDatabase>> db = RocksDbDatabase::Open(options);
  if (!db.ok()) {
    std::fprintf(stderr, "einvoice-preload: %s\n", db.status().ToString().c_str());
    return 1;
  }
  auto store = std::make_unique<RocksDbInvoiceStore>(*db);
  absl::StatusOr<std::string> greatest = store->GreatestAuthorityCode();
  PastClock clock(count);
  absl::StatusOr<std::unique_ptr<AuthorityCodeGenerator>> codes =
      AuthorityCodeGenerator::Create("00", &clock, greatest.ok() ? *greatest : "");
  if (!codes.ok()) {
    std::fprintf(stderr, "einvoice-preload: %s\n", codes.status().ToString().c_str());
    return 1;
  }

  // Templates: realistic invoices; each record takes one and gets its own seller, number,
  // buyer and code.
  std::vector<std::string> seller_codes;
  {
    std::set<std::string> seen;  // distinct codes: two sellers sharing one would collide
    for (uint64_t i = 0; seller_codes.size() < static_cast<size_t>(sellers); ++i) {
      std::string code = BenchTaxCode(seed, i);
      if (seen.insert(code).second) seller_codes.push_back(std::move(code));
    }
  }
  const absl::CivilDay day = VietnamDay(absl::Now()) - 1;
  std::vector<v1::Invoice> templates;
  {
    Rng rng(seed);
    for (int i = 0; i < 512; ++i) templates.push_back(MakeInvoice(rng, seller_codes[0], "C26TPL", 1, day));
  }
  const std::string symbol = absl::StrCat("C", day.year() % 100, "TPL");
  const std::string key_id(64, 'a');

  std::atomic<uint64_t> next{0}, failed{0};
  const absl::Time begin = absl::Now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      Rng rng(seed * 131 + static_cast<uint64_t>(t));
      for (;;) {
        const uint64_t n = next.fetch_add(1);
        if (n >= count) return;
        v1::Invoice invoice = templates[rng.Range(0, templates.size() - 1)];
        const size_t s = static_cast<size_t>(n % static_cast<uint64_t>(sellers));
        invoice.mutable_seller()->set_tax_code(seller_codes[s]);
        invoice.set_symbol(symbol);
        invoice.set_number(static_cast<uint32_t>(n / static_cast<uint64_t>(sellers) + 1));
        if (invoice.buyer().tax_code().empty() == false) {
          invoice.mutable_buyer()->set_tax_code(BenchTaxCode(0xB0B, rng.Range(0, 99999)));
        }
        const std::string code = (*codes)->Next();
        const absl::Time issued = TruncateIssueTime(clock.Now());
        v1::AuthenticatedInvoice authenticated;
        authenticated.set_authority_code(code);
        *authenticated.mutable_issued_at() = ToTimestamp(issued);
        authenticated.set_key_id(key_id);
        authenticated.set_signed_record(BuildSignedRecord(code, issued, key_id, invoice));
        authenticated.set_signature(std::string(71, '\x30'));
        NewInvoice record;
        record.authority_code = code;
        record.authenticated_invoice = authenticated.SerializeAsString();
        record.content_sha256 = InvoiceFingerprint(invoice);
        record.key.set_seller_tax_code(invoice.seller().tax_code());
        record.key.set_template_code(invoice.template_code());
        record.key.set_symbol(invoice.symbol());
        record.key.set_number(invoice.number());
        if (n % 2 == 0) record.idempotency_key = absl::StrCat("preload-", seed, "-", n);
        record.buyer_tax_code = invoice.buyer().tax_code();
        record.issue_date = day;
        record.issued_day = VietnamDay(issued);
        absl::StatusOr<InsertResult> r = store->Insert(record);
        if (!r.ok() || r->conflict != InsertConflict::kNone) failed.fetch_add(1);
      }
    });
  }
  std::thread progress([&] {
    while (next.load() < count) {
      absl::SleepFor(absl::Seconds(5));
      const double s = absl::ToDoubleSeconds(absl::Now() - begin);
      const uint64_t done = std::min(next.load(), count);
      std::fprintf(stderr, "einvoice-preload: %llu / %llu  (%.0f/s)\n",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(count),
                   static_cast<double>(done) / s);
    }
  });
  for (std::thread& w : workers) w.join();
  progress.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - begin);
  std::printf("einvoice-preload: %llu invoices in %.1f s (%.0f/s), %llu failed\n",
              static_cast<unsigned long long>(count), seconds, static_cast<double>(count) / seconds,
              static_cast<unsigned long long>(failed.load()));
  std::fflush(stdout);
  const absl::Time settle_begin = absl::Now();
  store.reset();
  absl::Status settled = FlushAndWaitForCompactions(**db);
  const double settle_seconds = absl::ToDoubleSeconds(absl::Now() - settle_begin);
  db->reset();
  if (!settled.ok()) {
    std::fprintf(stderr, "einvoice-preload: %s\n", settled.ToString().c_str());
    return 1;
  }
  std::printf("einvoice-preload: memtables flushed and compactions finished in %.1f s\n",
              settle_seconds);
  return failed.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace einvoice::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return einvoice::bench::Main();
}
