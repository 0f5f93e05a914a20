// StoreBackup: a consistent copy of everything the service stores -- invoices, indexes, the
// seller and signing-key registries, statistics and the audit trail -- taken while the server
// runs (`einvoice admin backup DIR`, AuthorityAdmin.BackupStore). The HSM token is not in it:
// it has its own procedure (docs/operations.md).
//
// Implementation: RocksDbStoreBackup (a RocksDB checkpoint: hard links where the file system
// allows, so a backup costs little space until the live database compacts).
// Thread-safety: Backup() may run while the store is written; the copy is one consistent
// point in time.
#ifndef EINVOICE_STORAGE_STORE_BACKUP_H_
#define EINVOICE_STORAGE_STORE_BACKUP_H_

#include <string>

#include "absl/status/status.h"

namespace einvoice {

class StoreBackup {
 public:
  virtual ~StoreBackup() = default;
  // Writes the copy into `dir`/db, a database directory that opens like the live one (copy it
  // to a data directory's db/ to restore). `dir` must not exist yet, or be an empty directory
  // (FAILED_PRECONDITION otherwise); INVALID_ARGUMENT for a relative path or one inside the
  // live data directory; UNAVAILABLE if the
  // copy cannot be written (nothing half-written is left behind).
  virtual absl::Status Backup(const std::string& dir) = 0;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_STORE_BACKUP_H_
