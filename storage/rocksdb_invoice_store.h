// RocksDbInvoiceStore: the production InvoiceStore, over a RocksDbDatabase.
//
// Inserts use group commit. InsertAsync() enqueues the request in a bounded queue (blocking
// while it is full) and returns; Insert() is InsertAsync() plus a wait. One committer thread
// takes every pending request (at most
// max_batch_size), checks each one's idempotency key, invoice key and authority code against
// the database and against the requests accepted earlier in the same batch, writes all
// accepted ones in ONE WriteBatch (record, invoice key, idempotency key, seller and buyer
// index entries, issued count) with one WAL sync, then wakes each caller with its own result.
// Because one thread does all check-then-write work, two requests sharing a key can never
// both win, and one fsync is shared by up to max_batch_size invoices. If the write fails,
// every accepted request of that batch gets UNAVAILABLE and none of it is visible. The
// committer then hands the batch to a completer thread, which runs the callbacks in queue
// order while the committer starts on the next batch: no caller's thread is parked through
// an fsync, and the hand-off costs one wake-up per batch rather than one per invoice.
//
// Reads (GetByCode, FindBy*, Search, CountsByDay) go straight to RocksDB from the caller's
// thread and see every acknowledged Insert.
//
// Thread-safety: every method may be called concurrently from any thread, except from an
// InsertAsync() callback: Insert() there would wait for its own thread. The destructor
// commits the requests already queued and runs their callbacks, then joins both threads; no
// call may be in progress or start once it runs.
#ifndef EINVOICE_STORAGE_ROCKSDB_INVOICE_STORE_H_
#define EINVOICE_STORAGE_ROCKSDB_INVOICE_STORE_H_

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "storage/invoice_store.h"
#include "storage/rocksdb_database.h"

namespace einvoice {

struct RocksDbInvoiceStoreOptions {
  // Most inserts committed by one WriteBatch (one WAL sync). Default: 512.
  size_t max_batch_size = 512;
  // Most inserts waiting for the committer; further callers block until there is
  // room. Default: 4096.
  size_t max_queued = 4096;
};

class RocksDbInvoiceStore final : public InvoiceStore {
 public:
  // Starts the committer thread. Durable writes sync the WAL iff db->options().sync_writes.
  // REQUIRES: db != nullptr, options.max_batch_size >= 1, options.max_queued >= 1.
  explicit RocksDbInvoiceStore(std::shared_ptr<RocksDbDatabase> db,
                               RocksDbInvoiceStoreOptions options = {});
  ~RocksDbInvoiceStore() override;

  RocksDbInvoiceStore(const RocksDbInvoiceStore&) = delete;
  RocksDbInvoiceStore& operator=(const RocksDbInvoiceStore&) = delete;

  // InvoiceStore. Insert() also returns INVALID_ARGUMENT for an invoice that cannot be
  // encoded (see keys::EncodeNewInvoice) and INTERNAL if the authority code is already
  // stored for another record (a code issued twice; the stored record is never overwritten).
  absl::StatusOr<InsertResult> Insert(const NewInvoice& invoice) override;
  void InsertAsync(NewInvoice invoice, InsertCallback done) override;
  absl::StatusOr<std::optional<std::string>> GetByCode(
      absl::string_view authority_code) override;
  absl::StatusOr<std::optional<InvoiceRef>> FindByKey(const v1::InvoiceKey& key) override;
  absl::StatusOr<std::optional<InvoiceRef>> FindByIdempotencyKey(
      absl::string_view seller_tax_code, absl::string_view idempotency_key) override;
  absl::StatusOr<SearchPage> Search(const SearchQuery& query) override;
  absl::StatusOr<std::string> GreatestAuthorityCode() override;
  absl::Status CountRejection(absl::CivilDay day, const std::vector<std::string>& rules) override;
  absl::StatusOr<std::vector<DayCount>> CountsByDay(absl::CivilDay from,
                                                    absl::CivilDay to) override;

 private:
  struct Request;

  void CommitLoop();
  void CompleteLoop();
  void CommitBatch(const std::vector<Request*>& batch);
  absl::StatusOr<std::optional<InvoiceRef>> GetRef(ColumnFamily column_family, const std::string& key);

  const std::shared_ptr<RocksDbDatabase> db_;
  const RocksDbInvoiceStoreOptions options_;

  absl::Mutex mu_;
  absl::CondVar has_work_;   // queue_ non-empty or stopping_
  absl::CondVar has_space_;  // queue_.size() < max_queued
  std::deque<std::unique_ptr<Request>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  absl::Mutex completion_mu_;
  absl::CondVar has_completions_;  // completions_ non-empty or completer_stopping_
  std::vector<std::unique_ptr<Request>> completions_ ABSL_GUARDED_BY(completion_mu_);
  bool completer_stopping_ ABSL_GUARDED_BY(completion_mu_) = false;

  std::thread committer_;
  std::thread completer_;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_ROCKSDB_INVOICE_STORE_H_
