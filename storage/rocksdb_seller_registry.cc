#include "storage/rocksdb_seller_registry.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_status.h"
#include "storage/seller_listing.h"

namespace einvoice {

RocksDbSellerRegistry::RocksDbSellerRegistry(std::shared_ptr<RocksDbDatabase> db)
    : db_(std::move(db)) {}

absl::StatusOr<std::optional<v1::Seller>> RocksDbSellerRegistry::Get(
    absl::string_view tax_code) {
  if (absl::Status s = keys::ValidateTaxCode(tax_code); !s.ok()) return s;
  rocksdb::PinnableSlice value;
  const rocksdb::Status s =
      db_->db()->Get(rocksdb::ReadOptions(), db_->handle(ColumnFamily::kSellers),
                     rocksdb::Slice(tax_code.data(), tax_code.size()), &value);
  if (s.IsNotFound()) return std::optional<v1::Seller>();
  if (!s.ok()) return FromRocksDb(s, "reading seller");
  v1::Seller seller;
  if (!seller.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat("stored seller ", tax_code, " does not parse"));
  }
  return std::optional<v1::Seller>(std::move(seller));
}

absl::Status RocksDbSellerRegistry::Put(const v1::Seller& seller) {
  if (absl::Status s = keys::ValidateTaxCode(seller.tax_code()); !s.ok()) return s;
  std::string value;
  if (!seller.SerializeToString(&value)) return absl::InternalError("serializing seller");
  rocksdb::WriteOptions write_options;
  write_options.sync = db_->options().sync_writes;
  rocksdb::WriteBatch batch;
  batch.Put(db_->handle(ColumnFamily::kSellers), seller.tax_code(), value)
      .PermitUncheckedError();
  return db_->Write(write_options, &batch, "storing seller");
}

absl::StatusOr<SellerPage> RocksDbSellerRegistry::List(const SellerListQuery& query) {
  absl::StatusOr<SellerListing> listing = SellerListing::Start(query);
  if (!listing.ok()) return listing.status();
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->handle(ColumnFamily::kSellers)));
  if (listing->resume_after().empty()) {
    it->SeekToFirst();
  } else {
    // The smallest key greater than the last one read.
    std::string start = listing->resume_after();
    start.push_back('\0');
    it->Seek(start);
  }
  for (; it->Valid(); it->Next()) {
    absl::StatusOr<bool> more = listing->Offer(
        absl::string_view(it->key().data(), it->key().size()),
        absl::string_view(it->value().data(), it->value().size()));
    if (!more.ok()) return more.status();
    if (!*more) break;
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "listing sellers");
  return std::move(*listing).Finish();
}

}  // namespace einvoice
