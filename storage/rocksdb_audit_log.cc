#include "storage/rocksdb_audit_log.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_status.h"

namespace einvoice {
namespace {

absl::StatusOr<AuditLogEntry> EntryAt(const rocksdb::Iterator& it) {
  absl::StatusOr<uint64_t> sequence =
      keys::DecodeAuditKey(absl::string_view(it.key().data(), it.key().size()));
  if (!sequence.ok()) return sequence.status();
  return AuditLogEntry{*sequence, it.value().ToString()};
}

}  // namespace

RocksDbAuditLog::RocksDbAuditLog(std::shared_ptr<RocksDbDatabase> db) : db_(std::move(db)) {}

absl::Status RocksDbAuditLog::Append(const AuditLogEntry& entry) {
  if (entry.sequence == 0) return absl::InvalidArgumentError("audit sequence 0 is not valid");
  const std::string key = keys::AuditKey(entry.sequence);
  absl::MutexLock lock(&append_mu_);
  std::string existing;
  const rocksdb::Status found =
      db_->db()->Get(rocksdb::ReadOptions(), db_->handle(ColumnFamily::kAudit), key, &existing);
  if (found.ok()) {
    return absl::AlreadyExistsError(
        absl::StrCat("audit record ", entry.sequence, " is already stored"));
  }
  if (!found.IsNotFound()) return FromRocksDb(found, "reading the audit log");
  rocksdb::WriteOptions write_options;
  write_options.sync = db_->options().sync_writes;
  rocksdb::WriteBatch batch;
  batch.Put(db_->handle(ColumnFamily::kAudit), key, entry.record).PermitUncheckedError();
  return db_->Write(write_options, &batch, "appending to the audit log");
}

absl::StatusOr<std::optional<AuditLogEntry>> RocksDbAuditLog::Last() {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->handle(ColumnFamily::kAudit)));
  it->SeekToLast();
  if (!it->Valid()) {
    if (!it->status().ok()) return FromRocksDb(it->status(), "reading the audit log");
    return std::optional<AuditLogEntry>();
  }
  absl::StatusOr<AuditLogEntry> entry = EntryAt(*it);
  if (!entry.ok()) return entry.status();
  return std::optional<AuditLogEntry>(*std::move(entry));
}

absl::StatusOr<std::vector<AuditLogEntry>> RocksDbAuditLog::ReadAfter(uint64_t after,
                                                                      size_t limit) {
  std::vector<AuditLogEntry> entries;
  if (after == UINT64_MAX) return entries;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->handle(ColumnFamily::kAudit)));
  for (it->Seek(keys::AuditKey(after + 1)); it->Valid() && entries.size() < limit; it->Next()) {
    absl::StatusOr<AuditLogEntry> entry = EntryAt(*it);
    if (!entry.ok()) return entry.status();
    entries.push_back(*std::move(entry));
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "reading the audit log");
  return entries;
}

}  // namespace einvoice
