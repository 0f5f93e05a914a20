// What an offline consistency check of a store reports, and what it needs from the domain to
// read a stored record (RecordInspector). The RocksDB walk is storage/rocksdb_store_check.h;
// the domain's inspector is domain/stored_invoice_check.h. Plain values.
#ifndef EINVOICE_STORAGE_STORE_CHECK_H_
#define EINVOICE_STORAGE_STORE_CHECK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "einvoice/v1/invoice_authority.pb.h"

namespace einvoice {

// What the store's indexes should say about one record, as read from the record itself.
struct RecordFacts {
  // Empty when the record is genuine; else what is wrong (then the fields below may be empty).
  std::string problem;
  // The authority code inside the record.
  std::string authority_code;
  v1::InvoiceKey key;
  std::string buyer_tax_code;
  absl::CivilDay issue_date;
  // 32 raw bytes (as in InvoiceRef).
  std::string content_sha256;
};

// Reads one stored record (`bytes`, stored under `code`). Supplied by the domain.
using RecordInspector = std::function<RecordFacts(absl::string_view code, absl::string_view bytes)>;

struct StoreCheckReport {
  uint64_t records = 0;
  uint64_t invoice_keys = 0;
  uint64_t idempotency_keys = 0;
  uint64_t seller_index = 0;
  uint64_t buyer_index = 0;
  // Entries of the warning index (each must name a stored record).
  uint64_t warning_index = 0;
  uint64_t issued_counted = 0;
  // What is wrong, one line each ("record 00AB…: no seller index entry").
  std::vector<std::string> problems;
  // Problems found in all (problems holds at most max_problems of them).
  uint64_t problem_count = 0;
  bool ok() const { return problem_count == 0; }
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_STORE_CHECK_H_
