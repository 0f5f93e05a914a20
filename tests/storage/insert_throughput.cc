// storage_insert_throughput: measures RocksDbInvoiceStore::Insert throughput (durable, group
// commit) with N concurrent callers. Not a test; for README numbers and regressions.
//   storage_insert_throughput [threads=64] [inserts_per_thread=200] [sync=1] [dir]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_invoice_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/testing/temp_dir.h"

int main(int argc, char** argv) {
  using namespace einvoice;
  if (argc > 1 && std::string(argv[1]) == "--help") {
    std::printf("usage: %s [threads=64] [inserts_per_thread=200] [sync=1] [dir]\n", argv[0]);
    return 0;
  }
  const int threads = argc > 1 ? std::atoi(argv[1]) : 64;
  const int per_thread = argc > 2 ? std::atoi(argv[2]) : 200;
  const bool sync = argc > 3 ? std::atoi(argv[3]) != 0 : true;
  testing::TempDir temp;
  RocksDbOptions options;
  options.path = argc > 4 ? std::string(argv[4]) : temp.Sub("db");
  options.sync_writes = sync;
  absl::StatusOr<std::shared_ptr<RocksDbDatabase>> db = RocksDbDatabase::Open(options);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  RocksDbInvoiceStore store(*db);
  std::latch start(threads + 1);
  std::vector<std::thread> workers;
  std::vector<int> errors(threads, 0);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<NewInvoice> invoices;
      for (int j = 0; j < per_thread; ++j) {
        const uint32_t n = static_cast<uint32_t>(t * per_thread + j);
        invoices.push_back(testing::MakeInvoice(n + 1, testing::kSellerA, n + 1,
                                                absl::CivilDay(2026, 3, 14), testing::kBuyerX,
                                                absl::StrCat("k", n)));
      }
      start.arrive_and_wait();
      for (const NewInvoice& invoice : invoices) {
        absl::StatusOr<InsertResult> r = store.Insert(invoice);
        if (!r.ok() || r->conflict != InsertConflict::kNone) ++errors[t];
      }
    });
  }
  start.arrive_and_wait();
  const auto begin = std::chrono::steady_clock::now();
  for (std::thread& w : workers) w.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  int total_errors = 0;
  for (int e : errors) total_errors += e;
  const int total = threads * per_thread;
  std::printf("threads=%d inserts=%d sync=%d seconds=%.3f inserts/s=%.0f errors=%d\n", threads,
              total, sync ? 1 : 0, seconds, total / seconds, total_errors);
  return total_errors == 0 ? 0 : 1;
}
