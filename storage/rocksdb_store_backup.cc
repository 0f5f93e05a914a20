#include "storage/rocksdb_store_backup.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/utilities/checkpoint.h"
#include "storage/rocksdb_status.h"

namespace einvoice {
namespace {

// True when `path` is `root` or below it (both canonical).
bool IsWithin(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

}  // namespace

RocksDbStoreBackup::RocksDbStoreBackup(std::shared_ptr<RocksDbDatabase> db) : db_(std::move(db)) {}

absl::Status RocksDbStoreBackup::Backup(const std::string& dir) {
  const std::filesystem::path target(dir);
  if (!target.is_absolute()) {
    return absl::InvalidArgumentError(
        absl::StrCat("backup directory \"", dir, "\": an absolute path on the server is needed"));
  }
  std::error_code error;
  // The live data directory (the database's parent: it also holds the token) is no place for
  // a copy: a backup there dies with the disk it protects against, and could shadow files.
  const std::filesystem::path live =
      std::filesystem::weakly_canonical(std::filesystem::path(db_->options().path), error)
          .parent_path();
  const std::filesystem::path wanted = std::filesystem::weakly_canonical(target, error);
  if (!error && IsWithin(wanted, live)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "backup directory ", dir, " is inside the data directory ", live.string(),
        ": choose a directory elsewhere (another disk, ideally)"));
  }
  error.clear();
  absl::MutexLock lock(&mu_);
  if (std::filesystem::exists(target, error) && !std::filesystem::is_empty(target, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat("backup directory ", dir, " exists and is not empty"));
  }
  std::filesystem::create_directories(target, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  std::filesystem::permissions(target, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, error);
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db_->db(), &raw);
  if (!s.ok()) return FromRocksDb(s, "starting a checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  const std::string db_dir = (target / "db").string();
  // log_size_for_flush 0: memtables are always flushed first, so the copy needs no WAL replay.
  s = checkpoint->CreateCheckpoint(db_dir, /*log_size_for_flush=*/0);
  if (!s.ok()) {
    std::filesystem::remove_all(db_dir, error);  // RocksDB leaves a .tmp directory at worst
    return FromRocksDb(s, absl::StrCat("writing the checkpoint to ", db_dir));
  }
  return absl::OkStatus();
}

}  // namespace einvoice
