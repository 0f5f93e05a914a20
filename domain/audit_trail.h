// AuditTrail: writes the audit records (proto/einvoice/v1/audit.proto) and chains them: record
// N+1 carries SHA-256 of record N's bytes as stored, record 1 carries 32 zero bytes, so
// editing, removing or reordering a stored record breaks the chain at that point
// (AuditChainChecker finds it; `einvoice audit verify` runs it on what the server sends).
// Deleting the newest records leaves a shorter valid chain: keep the head's sequence and hash
// somewhere else to catch that (docs/security.md).
//
// What gets recorded is AccessControl's decision (domain/access_control.h): every call that
// used an officer's or administrator's right, and every denied call.
//
// Thread-safety: Record() and List() may be called concurrently; Record() calls are
// serialised (one chain). AuditChainChecker is thread-compatible.
#ifndef EINVOICE_DOMAIN_AUDIT_TRAIL_H_
#define EINVOICE_DOMAIN_AUDIT_TRAIL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "domain/caller.h"
#include "einvoice/v1/audit.pb.h"
#include "einvoice/v1/authority_admin.pb.h"
#include "storage/audit_log.h"

namespace einvoice {

// An operation as the audit trail names it.
struct Operation {
  // The rpc: "TaxOfficer.SetSellerStatus".
  std::string name;
  // What it is about: "seller 0100109106".
  std::string target;
};

// Longest `target` and `status_message` kept in a record, in bytes; longer ones are cut (at a
// UTF-8 character boundary) and end in "…".
inline constexpr size_t kMaxAuditTextBytes = 512;

// `text` made fit for a record: valid UTF-8 without control characters, at most
// kMaxAuditTextBytes. Bytes that are not valid UTF-8 and C0 controls become \xNN; C1 controls,
// U+2028/2029 and the bidirectional controls become \u{XXXX}; a backslash becomes \\ (so
// escapes cannot be forged). Pure.
std::string AuditText(absl::string_view text);

class AuditTrail {
 public:
  // Continues the chain stored in `log`. DATA_LOSS if its last record does not parse;
  // UNAVAILABLE if it cannot be read. REQUIRES: the pointers outlive the trail.
  static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(AuditLog* log, const Clock* clock);

  // Appends one record, durably, before returning. UNAVAILABLE (or the log's error) if it
  // cannot be written; the chain is then unchanged and the next record takes the same number.
  absl::Status Record(const Caller& caller, const Operation& operation,
                      const absl::Status& outcome);

  // The last record's sequence (0 for none) and lower-case hex SHA-256 (of 32 zero bytes for
  // none): what `einvoice audit verify --expect` takes.
  std::string HeadForLog();

  // One page of the trail (the rpc's contract, proto/einvoice/v1/authority_admin.proto). No
  // access check: callers check (AdminOperations). INVALID_ARGUMENT for a malformed day or
  // fingerprint; DATA_LOSS if a stored record does not parse while filtering.
  absl::StatusOr<v1::ListAuditRecordsResponse> List(const v1::ListAuditRecordsRequest& request);

 private:
  AuditTrail(AuditLog* log, const Clock* clock, uint64_t last_sequence, std::string last_sha256);

  AuditLog* const log_;
  const Clock* const clock_;
  absl::Mutex mu_;
  uint64_t last_sequence_ ABSL_GUARDED_BY(mu_);
  std::string last_sha256_ ABSL_GUARDED_BY(mu_);
};

// Checks a chain read in order from record 1, one record's stored bytes at a time.
class AuditChainChecker {
 public:
  // OK if `record` continues the chain. Otherwise DATA_LOSS naming the first broken link
  // ("record 7: previous_sha256 does not match record 6"), and the same error from every
  // later call.
  absl::Status Add(absl::string_view record);
  // Records accepted so far (the sequence of the last good one).
  uint64_t checked() const { return last_sequence_; }
  // SHA-256 of the last good record (32 zero bytes before the first).
  const std::string& head_sha256() const { return last_sha256_; }

 private:
  uint64_t last_sequence_ = 0;
  std::string last_sha256_ = std::string(32, '\0');
  absl::Status broken_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_AUDIT_TRAIL_H_
