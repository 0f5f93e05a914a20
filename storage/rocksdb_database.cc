#include "storage/rocksdb_database.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "rocksdb/cache.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/listener.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_status.h"

namespace einvoice {
namespace {

constexpr std::array<absl::string_view, kColumnFamilyCount> kNames = {
    "records",   "invoice_keys", "idempotency", "by_seller", "by_buyer",
    "sellers",   "signing_keys", "stats",       "meta",      "audit",
    "by_warning",
};

// stats values: 8-byte little-endian counters; a merge operand is an increment in the same
// encoding and merging adds (mod 2^64). Associative, so RocksDB may combine operands freely.
class CounterAddOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing_value,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    uint64_t sum = 0;
    if (existing_value != nullptr) {
      absl::StatusOr<uint64_t> existing =
          keys::DecodeCounter(absl::string_view(existing_value->data(), existing_value->size()));
      if (!existing.ok()) return false;  // Reported by RocksDB as Corruption.
      sum = *existing;
    }
    absl::StatusOr<uint64_t> add = keys::DecodeCounter(absl::string_view(value.data(),
                                                                         value.size()));
    if (!add.ok()) return false;
    *new_value = keys::EncodeCounter(sum + *add);
    return true;
  }
  // Persisted in the OPTIONS file; never rename.
  const char* Name() const override { return "einvoice.CounterAdd"; }
};

rocksdb::CompressionType PreferredCompression() {
  const std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  for (rocksdb::CompressionType type : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
    if (std::find(supported.begin(), supported.end(), type) != supported.end()) return type;
  }
  return rocksdb::kNoCompression;
}

rocksdb::ColumnFamilyOptions CfOptions(ColumnFamily cf, const RocksDbOptions& options,
                                       const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf_options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.format_version = 5;
  const bool point_lookups = cf == ColumnFamily::kRecords || cf == ColumnFamily::kInvoiceKeys ||
                             cf == ColumnFamily::kIdempotency || cf == ColumnFamily::kSellers;
  if (point_lookups) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(options.bloom_bits_per_key));
    table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  }
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.level_compaction_dynamic_level_bytes = true;
  cf_options.compression = PreferredCompression();
  const bool write_heavy = cf == ColumnFamily::kRecords || cf == ColumnFamily::kInvoiceKeys ||
                           cf == ColumnFamily::kIdempotency || cf == ColumnFamily::kBySeller ||
                           cf == ColumnFamily::kByBuyer || cf == ColumnFamily::kByWarning;
  cf_options.write_buffer_size = write_heavy ? options.write_buffer_bytes : size_t{4} << 20;
  if (cf == ColumnFamily::kStats) {
    cf_options.merge_operator = std::make_shared<CounterAddOperator>();
  }
  return cf_options;
}

absl::Status CheckFormatVersion(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta,
                                rocksdb::ColumnFamilyHandle* records, bool existed,
                                const RocksDbOptions& options) {
  std::string value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), meta,
                              rocksdb::Slice(keys::kFormatVersionKey.data(),
                                             keys::kFormatVersionKey.size()),
                              &value);
  if (s.ok()) {
    uint32_t version = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), version);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("database at ", options.path, " has an unreadable format version \"",
                       absl::CEscape(value), "\"; this build reads only version ",
                       keys::kFormatVersion));
    }
    if (version != keys::kFormatVersion) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database at ", options.path, " has storage format version ", version,
          "; this build reads only version ", keys::kFormatVersion,
          " (refusing to open it rather than misread it)"));
    }
    return absl::OkStatus();
  }
  if (!s.IsNotFound()) return FromRocksDb(s, "reading format version");
  if (existed) {
    // A database without a version: only acceptable if it holds no invoices (for example
    // one whose first open was interrupted before the version was written).
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), records));
    it->SeekToFirst();
    if (it->Valid()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database at ", options.path, " holds invoices but no format version"));
    }
    if (!it->status().ok()) return FromRocksDb(it->status(), "checking empty database");
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocksDb(
      db->Put(write_options, meta,
              rocksdb::Slice(keys::kFormatVersionKey.data(), keys::kFormatVersionKey.size()),
              absl::StrCat(keys::kFormatVersion)),
      "writing format version");
}

}  // namespace

// What RocksDB reported about disk errors (its listener runs on RocksDB's threads).
struct RocksDbDatabase::DiskErrors {
  // A write-ahead-log write failed: RocksDB 7.8 cannot resume from that (the log writer keeps
  // its error; Debian's build asserts on the next append), so writes stay refused until a
  // restart, which replays the log up to the last complete record.
  std::atomic<bool> wal_failed{false};
  // A background flush, compaction or manifest write failed: Resume() can recover.
  std::atomic<bool> background_failed{false};
};

namespace {

// The LOCK file of a database opened read-only, released on scope exit unless Release()d.
struct ReadOnlyLock {
  rocksdb::Env* env;
  rocksdb::FileLock* lock = nullptr;
  ~ReadOnlyLock() {
    if (lock != nullptr) env->UnlockFile(lock).PermitUncheckedError();
  }
  rocksdb::FileLock* Release() { return std::exchange(lock, nullptr); }
};

// Records background errors for Write(), logs them, and turns RocksDB's own recovery thread
// off: recovery happens on the next write instead, synchronously, so it is deterministic.
class DiskErrorListener final : public rocksdb::EventListener {
 public:
  explicit DiskErrorListener(std::shared_ptr<RocksDbDatabase::DiskErrors> errors)
      : errors_(std::move(errors)) {}
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) override {
    const bool wal = reason == rocksdb::BackgroundErrorReason::kWriteCallback ||
                     reason == rocksdb::BackgroundErrorReason::kMemTable;
    (wal ? errors_->wal_failed : errors_->background_failed).store(true);
    LogWarning("storage: disk error (", wal ? "write-ahead log" : "background flush/compaction",
               "), writes refused until it is resolved: ", error->ToString());
  }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason reason, rocksdb::Status error,
                            bool* auto_recovery) override {
    error.PermitUncheckedError();
    *auto_recovery = false;
  }

 private:
  const std::shared_ptr<RocksDbDatabase::DiskErrors> errors_;
};

}  // namespace

absl::string_view RocksDbDatabase::ColumnFamilyName(ColumnFamily cf) {
  return kNames[static_cast<int>(cf)];
}

std::vector<std::string> RocksDbDatabase::ColumnFamilyNames() {
  std::vector<std::string> names;
  for (absl::string_view name : kNames) names.emplace_back(name);
  return names;
}

absl::StatusOr<std::shared_ptr<RocksDbDatabase>> RocksDbDatabase::Open(
    const RocksDbOptions& options) {
  if (options.path.empty()) return absl::InvalidArgumentError("RocksDbOptions.path is empty");

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = false;
  db_options.max_background_jobs = options.max_background_jobs;
  db_options.max_total_wal_size = options.max_total_wal_bytes;
  db_options.bytes_per_sync = 1 << 20;
  db_options.enable_pipelined_write = true;
  db_options.keep_log_file_num = 10;
  if (options.env != nullptr) db_options.env = options.env;
  rocksdb::Env* env = db_options.env;

  const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(options.block_cache_bytes);

  // Which column families exist already? Unknown ones mean another program (or a newer
  // build) wrote this database: refuse rather than guess.
  const bool existed = env->FileExists(options.path + "/CURRENT").ok();
  ReadOnlyLock read_only_lock{env};
  if (options.read_only) {
    if (!existed) return absl::NotFoundError(absl::StrCat("no database at ", options.path));
    // RocksDB's read-only open takes no lock; take it ourselves so that a database a server
    // is writing is refused rather than read while files change under the reader.
    rocksdb::Status locked = env->LockFile(options.path + "/LOCK", &read_only_lock.lock);
    if (!locked.ok()) {
      return absl::UnavailableError(absl::StrCat("database at ", options.path,
                                                 " is locked by another process: ",
                                                 locked.ToString()));
    }
  }
  std::vector<std::string> existing;
  if (existed) {
    rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, options.path, &existing);
    if (!s.ok()) return FromRocksDb(s, absl::StrCat("listing column families of ", options.path));
    for (const std::string& name : existing) {
      if (name == rocksdb::kDefaultColumnFamilyName) continue;
      if (std::find(kNames.begin(), kNames.end(), name) == kNames.end()) {
        return absl::FailedPreconditionError(
            absl::StrCat("database at ", options.path, " has unknown column family \"", name,
                         "\"; it was not written by this build"));
      }
    }
  } else {
    existing = ColumnFamilyNames();
    existing.push_back(rocksdb::kDefaultColumnFamilyName);
    db_options.create_missing_column_families = true;
  }

  auto cf_of = [](const std::string& name) -> int {
    auto it = std::find(kNames.begin(), kNames.end(), name);
    return it == kNames.end() ? -1 : static_cast<int>(it - kNames.begin());
  };

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : existing) {
    const int index = cf_of(name);
    descriptors.emplace_back(name, index < 0 ? rocksdb::ColumnFamilyOptions()
                                             : CfOptions(static_cast<ColumnFamily>(index),
                                                         options, cache));
  }

  auto disk_errors = std::make_shared<DiskErrors>();
  db_options.listeners.push_back(std::make_shared<DiskErrorListener>(disk_errors));

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status s =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, options.path, descriptors, &handles, &raw_db)
          : rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw_db);
  if (!s.ok()) return FromRocksDb(s, absl::StrCat("opening database at ", options.path));

  std::shared_ptr<RocksDbDatabase> db(new RocksDbDatabase());
  db->options_ = options;
  db->db_ = raw_db;
  db->env_ = env;
  db->read_only_lock_ = read_only_lock.Release();
  db->disk_errors_ = std::move(disk_errors);
  for (size_t i = 0; i < descriptors.size(); ++i) {
    const int index = cf_of(descriptors[i].name);
    if (index < 0) {
      db->default_handle_ = handles[i];
    } else {
      db->handles_[index] = handles[i];
    }
  }

  if (options.read_only) {
    for (int i = 0; i < kColumnFamilyCount; ++i) {
      if (db->handles_[i] == nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            "database at ", options.path, " lacks column family ", kNames[i],
            " (written by an older build): let the server open it once first"));
      }
    }
  }
  // Check the version before changing anything else in an existing database.
  const bool has_meta = db->handles_[static_cast<int>(ColumnFamily::kMeta)] != nullptr;
  const bool has_records = db->handles_[static_cast<int>(ColumnFamily::kRecords)] != nullptr;
  if (has_meta && has_records) {
    absl::Status version = CheckFormatVersion(raw_db, db->handle(ColumnFamily::kMeta),
                                              db->handle(ColumnFamily::kRecords), existed,
                                              options);
    if (!version.ok()) return version;
  }

  // Create column families an older, compatible database lacks.
  for (int i = 0; i < kColumnFamilyCount; ++i) {
    if (db->handles_[i] != nullptr) continue;
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    s = raw_db->CreateColumnFamily(CfOptions(static_cast<ColumnFamily>(i), options, cache),
                                   std::string(kNames[i]), &handle);
    if (!s.ok()) return FromRocksDb(s, absl::StrCat("creating column family ", kNames[i]));
    db->handles_[i] = handle;
  }
  if (!has_meta || !has_records) {
    absl::Status version = CheckFormatVersion(raw_db, db->handle(ColumnFamily::kMeta),
                                              db->handle(ColumnFamily::kRecords), existed,
                                              options);
    if (!version.ok()) return version;
  }
  return db;
}

absl::StatusOr<uint64_t> RocksDbDatabase::FreeBytes() const {
  if (options_.free_bytes) return options_.free_bytes();
  struct statvfs stats;
  if (::statvfs(options_.path.c_str(), &stats) != 0) {
    return absl::UnavailableError(absl::StrCat("statvfs ", options_.path, " failed"));
  }
  return static_cast<uint64_t>(stats.f_bavail) * stats.f_frsize;
}

absl::Status RocksDbDatabase::Write(const rocksdb::WriteOptions& options,
                                    rocksdb::WriteBatch* batch, absl::string_view context) const {
  // The disk is kept from filling: past the watermark, writes are refused before RocksDB sees
  // a full disk (which it could not recover from if the log write is what failed).
  if (options_.min_free_bytes > 0) {
    absl::StatusOr<uint64_t> free = FreeBytes();
    if (free.ok() && *free < options_.min_free_bytes) {
      return absl::UnavailableError(absl::StrCat(
          context, ": the disk is nearly full (", *free >> 20, " MiB free, writes need ",
          options_.min_free_bytes >> 20, " MiB): free space; writes resume by themselves"));
    }
  }
  if (disk_errors_->wal_failed.load()) {
    return absl::UnavailableError(absl::StrCat(
        context, ": a write-ahead-log write failed earlier (disk I/O error); writes are "
                 "refused until the server is restarted on a sound disk (reads go on)"));
  }
  if (disk_errors_->background_failed.load()) {
    absl::MutexLock lock(&resume_mu_);
    if (disk_errors_->background_failed.load()) {
      const rocksdb::Status resumed = db_->Resume();
      if (!resumed.ok()) {
        return absl::UnavailableError(absl::StrCat(
            context, ": the database stopped after a disk error and cannot resume yet: ",
            resumed.ToString()));
      }
      disk_errors_->background_failed.store(false);
      LogInfo("storage: resumed writing after a disk error");
    }
  }
  const rocksdb::Status s = db_->Write(options, batch);
  if (s.ok()) return absl::OkStatus();
  if (s.IsIOError() || s.IsNoSpace()) {
    return absl::UnavailableError(absl::StrCat(context, ": ", s.ToString()));
  }
  return FromRocksDb(s, context);
}

RocksDbDatabase::~RocksDbDatabase() {
  if (db_ == nullptr) return;
  // No FlushWAL(true) here: unsynced writes (rejection counts) are already in the OS page
  // cache, and after a failed WAL write Debian's librocksdb (built with assertions) aborts in
  // SyncWAL.
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  if (default_handle_ != nullptr) {
    db_->DestroyColumnFamilyHandle(default_handle_).PermitUncheckedError();
  }
  db_->Close().PermitUncheckedError();
  delete db_;
  if (read_only_lock_ != nullptr) env_->UnlockFile(read_only_lock_).PermitUncheckedError();
}

}  // namespace einvoice
