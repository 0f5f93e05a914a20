// AuditLog: the append-only log of audit records (who did what through an officer or admin
// right, and every denied call). Records are opaque bytes here: domain/audit_trail.h decides
// what they hold and chains them with SHA-256; this interface only keeps them in order and
// never changes or removes one.
//
// Implementations: RocksDbAuditLog, and InMemoryAuditLog for tests (tests/storage/support/).
// Both pass tests/storage/audit_log_conformance_test.cc.
// Thread-safety: every method may be called concurrently from any thread.
#ifndef EINVOICE_STORAGE_AUDIT_LOG_H_
#define EINVOICE_STORAGE_AUDIT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace einvoice {

struct AuditLogEntry {
  // 1, 2, 3, ... without gaps.
  uint64_t sequence = 0;
  // A serialized v1::AuditRecord, stored and returned byte-identical.
  std::string record;

  friend bool operator==(const AuditLogEntry&, const AuditLogEntry&) = default;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // Stores `entry` durably (synced) before returning. INVALID_ARGUMENT for sequence 0;
  // ALREADY_EXISTS if an entry with that sequence is stored (nothing is overwritten);
  // UNAVAILABLE if the write fails. Sequences must be appended in order without gaps: the
  // caller (AuditTrail) serialises appends and knows the next number.
  virtual absl::Status Append(const AuditLogEntry& entry) = 0;

  // The entry with the greatest sequence, or nullopt when the log is empty.
  virtual absl::StatusOr<std::optional<AuditLogEntry>> Last() = 0;

  // Up to `limit` entries with sequence > `after`, in sequence order. REQUIRES: limit >= 1.
  virtual absl::StatusOr<std::vector<AuditLogEntry>> ReadAfter(uint64_t after,
                                                               size_t limit) = 0;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_AUDIT_LOG_H_
