// RocksDbSigningKeyRegistry: SigningKeyRegistry over the `signing_keys` column family of a
// RocksDbDatabase (key: key id bytes; value: serialized v1::SigningKey).
//
// Put() is one synced write (when db->options().sync_writes); the last Put for a key id
// wins. Thread-safety: every method may be called concurrently from any thread.
#ifndef EINVOICE_STORAGE_ROCKSDB_SIGNING_KEY_REGISTRY_H_
#define EINVOICE_STORAGE_ROCKSDB_SIGNING_KEY_REGISTRY_H_

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/rocksdb_database.h"
#include "storage/signing_key_registry.h"

namespace einvoice {

class RocksDbSigningKeyRegistry final : public SigningKeyRegistry {
 public:
  // REQUIRES: db != nullptr.
  explicit RocksDbSigningKeyRegistry(std::shared_ptr<RocksDbDatabase> db);

  // SigningKeyRegistry. List(): DATA_LOSS if a stored record does not parse. PutAll():
  // INVALID_ARGUMENT for an empty key id (nothing is written).
  absl::StatusOr<std::vector<v1::SigningKey>> List() override;
  absl::Status PutAll(const std::vector<v1::SigningKey>& keys) override;

 private:
  const std::shared_ptr<RocksDbDatabase> db_;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_ROCKSDB_SIGNING_KEY_REGISTRY_H_
