// RocksDbSellerRegistry: SellerRegistry over the `sellers` column family of a
// RocksDbDatabase (key: tax code bytes; value: serialized v1::Seller).
//
// Put() is one synced write (when db->options().sync_writes); the last Put for a tax code
// wins. Thread-safety: every method may be called concurrently from any thread.
#ifndef EINVOICE_STORAGE_ROCKSDB_SELLER_REGISTRY_H_
#define EINVOICE_STORAGE_ROCKSDB_SELLER_REGISTRY_H_

#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/rocksdb_database.h"
#include "storage/seller_registry.h"

namespace einvoice {

class RocksDbSellerRegistry final : public SellerRegistry {
 public:
  // REQUIRES: db != nullptr.
  explicit RocksDbSellerRegistry(std::shared_ptr<RocksDbDatabase> db);

  // SellerRegistry. DATA_LOSS if a stored record does not parse; INVALID_ARGUMENT for an
  // empty tax code or one containing a NUL byte. List() reads one RocksDB iterator (a
  // consistent view of the registry) from just after the page token's tax code.
  absl::StatusOr<std::optional<v1::Seller>> Get(absl::string_view tax_code) override;
  absl::Status Put(const v1::Seller& seller) override;
  absl::StatusOr<SellerPage> List(const SellerListQuery& query) override;

 private:
  const std::shared_ptr<RocksDbDatabase> db_;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_ROCKSDB_SELLER_REGISTRY_H_
