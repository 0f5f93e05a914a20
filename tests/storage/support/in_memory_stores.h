// In-memory InvoiceStore, SellerRegistry, SigningKeyRegistry and AuditLog -- FOR TESTS ONLY.
//
// Same semantics as the RocksDB implementations (they pass the same conformance suite, and
// use the same key encodings, so page tokens and validation errors are identical), but
// nothing survives the object. One mutex per object makes every method atomic.
//
// InMemoryInvoiceStore can be told to fail: FailNextInserts(n, status) makes the next n
// Insert() calls return `status` without storing anything, so callers can check that nothing
// is acknowledged when the store fails.
//
// Thread-safety: every method may be called concurrently from any thread.
#ifndef EINVOICE_TESTS_STORAGE_SUPPORT_IN_MEMORY_STORES_H_
#define EINVOICE_TESTS_STORAGE_SUPPORT_IN_MEMORY_STORES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "storage/audit_log.h"
#include "storage/invoice_store.h"
#include "storage/seller_registry.h"
#include "storage/signing_key_registry.h"

namespace einvoice::testing {

class InMemoryInvoiceStore final : public InvoiceStore {
 public:
  InMemoryInvoiceStore() = default;

  absl::StatusOr<InsertResult> Insert(const NewInvoice& invoice) override;
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

  // The next `n` Insert() calls (after validation) return `status` and store nothing.
  // REQUIRES: !status.ok(), n >= 0.
  void FailNextInserts(int n, absl::Status status);
  // Number of invoices stored.
  size_t size() const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::string> records_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> invoice_keys_ ABSL_GUARDED_BY(mu_);  // key → ref bytes
  std::map<std::string, std::string> idempotency_ ABSL_GUARDED_BY(mu_);   // key → ref bytes
  std::set<std::string> by_seller_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> by_buyer_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> by_warning_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> stats_ ABSL_GUARDED_BY(mu_);
  int failures_left_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
};

class InMemorySellerRegistry final : public SellerRegistry {
 public:
  absl::StatusOr<std::optional<v1::Seller>> Get(absl::string_view tax_code) override;
  absl::Status Put(const v1::Seller& seller) override;
  absl::StatusOr<SellerPage> List(const SellerListQuery& query) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, v1::Seller> sellers_ ABSL_GUARDED_BY(mu_);
};

class InMemorySigningKeyRegistry final : public SigningKeyRegistry {
 public:
  absl::StatusOr<std::vector<v1::SigningKey>> List() override;
  absl::Status PutAll(const std::vector<v1::SigningKey>& keys) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, v1::SigningKey> keys_ ABSL_GUARDED_BY(mu_);
};

class InMemoryAuditLog final : public AuditLog {
 public:
  absl::Status Append(const AuditLogEntry& entry) override;
  absl::StatusOr<std::optional<AuditLogEntry>> Last() override;
  absl::StatusOr<std::vector<AuditLogEntry>> ReadAfter(uint64_t after, size_t limit) override;

  // Every stored entry, in sequence order.
  std::vector<AuditLogEntry> Entries();
  // Tests of tamper detection: replaces (or, with nullopt, removes) a stored entry behind the
  // log's back, as someone with access to the disk could.
  void TamperForTest(uint64_t sequence, std::optional<std::string> record);
  // The next `n` Append() calls fail with `status` and store nothing.
  void FailNextAppends(int n, absl::Status status);

 private:
  absl::Mutex mu_;
  std::map<uint64_t, std::string> entries_ ABSL_GUARDED_BY(mu_);
  int failures_left_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_STORAGE_SUPPORT_IN_MEMORY_STORES_H_
