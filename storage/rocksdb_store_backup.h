// RocksDbStoreBackup: StoreBackup as a RocksDB checkpoint of the one database behind the store
// and the registries (rocksdb::Checkpoint: memtables flushed, live SST files hard-linked or
// copied, MANIFEST and OPTIONS copied).
//
// Thread-safety: Backup() may be called from any thread, concurrently with writes; concurrent
// backups are serialised.
#ifndef EINVOICE_STORAGE_ROCKSDB_STORE_BACKUP_H_
#define EINVOICE_STORAGE_ROCKSDB_STORE_BACKUP_H_

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "storage/rocksdb_database.h"
#include "storage/store_backup.h"

namespace einvoice {

class RocksDbStoreBackup final : public StoreBackup {
 public:
  // REQUIRES: db != nullptr.
  explicit RocksDbStoreBackup(std::shared_ptr<RocksDbDatabase> db);

  absl::Status Backup(const std::string& dir) override;

 private:
  const std::shared_ptr<RocksDbDatabase> db_;
  absl::Mutex mu_;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_ROCKSDB_STORE_BACKUP_H_
