#include "storage/rocksdb_signing_key_registry.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/rocksdb_status.h"

namespace einvoice {

RocksDbSigningKeyRegistry::RocksDbSigningKeyRegistry(std::shared_ptr<RocksDbDatabase> db)
    : db_(std::move(db)) {}

absl::StatusOr<std::vector<v1::SigningKey>> RocksDbSigningKeyRegistry::List() {
  std::vector<v1::SigningKey> result;
  std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(
      rocksdb::ReadOptions(), db_->handle(ColumnFamily::kSigningKeys)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::SigningKey& key = result.emplace_back();
    if (!key.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("stored signing key ", it->key().ToString(), " does not parse"));
    }
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "listing signing keys");
  return result;
}

absl::Status RocksDbSigningKeyRegistry::PutAll(const std::vector<v1::SigningKey>& keys) {
  rocksdb::WriteBatch batch;
  for (const v1::SigningKey& key : keys) {
    if (key.key_id().empty()) return absl::InvalidArgumentError("signing key id is empty");
    std::string value;
    if (!key.SerializeToString(&value)) return absl::InternalError("serializing signing key");
    const rocksdb::Status added =
        batch.Put(db_->handle(ColumnFamily::kSigningKeys), key.key_id(), value);
    if (!added.ok()) return FromRocksDb(added, "batching signing keys");
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = db_->options().sync_writes;
  return db_->Write(write_options, &batch, "storing signing keys");
}

}  // namespace einvoice
