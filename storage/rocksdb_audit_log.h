// RocksDbAuditLog: AuditLog over the `audit` column family of a RocksDbDatabase (key: the
// sequence as u64 big-endian, so byte order is sequence order; value: the record bytes).
//
// Append() is one synced write (when db->options().sync_writes), after checking under a mutex
// that the sequence is free: the log never overwrites. Thread-safety: every method may be
// called concurrently from any thread.
#ifndef EINVOICE_STORAGE_ROCKSDB_AUDIT_LOG_H_
#define EINVOICE_STORAGE_ROCKSDB_AUDIT_LOG_H_

#include <memory>
#include <optional>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "storage/audit_log.h"
#include "storage/rocksdb_database.h"

namespace einvoice {

class RocksDbAuditLog final : public AuditLog {
 public:
  // REQUIRES: db != nullptr.
  explicit RocksDbAuditLog(std::shared_ptr<RocksDbDatabase> db);

  // AuditLog. Last()/ReadAfter(): DATA_LOSS for a stored key that is not 8 bytes.
  absl::Status Append(const AuditLogEntry& entry) override;
  absl::StatusOr<std::optional<AuditLogEntry>> Last() override;
  absl::StatusOr<std::vector<AuditLogEntry>> ReadAfter(uint64_t after, size_t limit) override;

 private:
  const std::shared_ptr<RocksDbDatabase> db_;
  absl::Mutex append_mu_;  // makes check-then-write atomic
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_ROCKSDB_AUDIT_LOG_H_
