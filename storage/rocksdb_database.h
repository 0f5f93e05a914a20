// RocksDbDatabase: the one RocksDB instance behind RocksDbInvoiceStore, RocksDbSellerRegistry,
// RocksDbSigningKeyRegistry and RocksDbAuditLog, with its column families (docs/storage.md
// specifies each one's keys and values byte by byte).
//
// Open() creates the database if missing, checks the format version kept in `meta` and
// refuses a database written in any other version. The object owns the DB handle and column
// family handles; share it with std::shared_ptr between the store and the registries and
// destroy it after them.
//
// This header names RocksDB types only through forward declarations so that modules outside
// storage/ can include it without RocksDB's headers. db() and handle() are for storage/
// implementations only.
//
// Thread-safety: all const methods may be called from any thread; RocksDB's DB is thread-safe.
#ifndef EINVOICE_STORAGE_ROCKSDB_DATABASE_H_
#define EINVOICE_STORAGE_ROCKSDB_DATABASE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/string_view.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
class FileLock;
class WriteBatch;
struct WriteOptions;
}  // namespace rocksdb

namespace einvoice {

struct RocksDbOptions {
  // Directory of the database. Required. Created (with every column family) if missing.
  std::string path;

  // Whether durable writes (invoices, sellers, signing keys) sync the write-ahead log before
  // they are acknowledged. Default: true. false is for tests and benchmarks only: a crash
  // then loses acknowledged invoices. Rejection counts are never synced.
  bool sync_writes = true;

  // Capacity of the LRU block cache shared by all column families (data, index and filter
  // blocks). Default: 256 MiB.
  size_t block_cache_bytes = size_t{256} << 20;

  // Memtable size of each write-heavy column family (records, invoice_keys, idempotency,
  // by_seller, by_buyer). Default: 64 MiB. The small ones use 4 MiB.
  size_t write_buffer_bytes = size_t{64} << 20;

  // Bloom filter bits per key on the point-lookup column families (records, invoice_keys,
  // idempotency, sellers). Default: 10 (about 1% false positives).
  int bloom_bits_per_key = 10;

  // Background flush and compaction threads. Default: 2.
  int max_background_jobs = 2;

  // Upper bound on the write-ahead logs kept alive by column families that are rarely
  // written (sellers, meta); beyond it RocksDB flushes them. Default: 512 MiB.
  size_t max_total_wal_bytes = size_t{512} << 20;

  // Writes are refused (UNAVAILABLE) while the file system holding `path` has less than this
  // many bytes free, and resume by themselves once it has more: RocksDB never meets a full
  // disk mid-write. 0 = no watermark. Default: 256 MiB (room for compactions to finish).
  uint64_t min_free_bytes = uint64_t{256} << 20;

  // Tests only: reports the free bytes instead of statvfs(path). Default: empty = statvfs.
  std::function<absl::StatusOr<uint64_t>()> free_bytes;

  // Opens an existing database without writing anything to it (`einvoice admin check` on a
  // backup or a stopped server's data): NOT_FOUND if there is none, FAILED_PRECONDITION if it
  // lacks a column family; every write fails. Default: false.
  bool read_only = false;

  // Tests only: the Env to use (for example a fault-injecting or in-memory one). Not owned;
  // must outlive the database. Default: nullptr = rocksdb::Env::Default().
  rocksdb::Env* env = nullptr;
};

// The column families. Their names are the on-disk names (see ColumnFamilyName()).
enum class ColumnFamily : int {
  kRecords = 0,   // authority code → serialized v1::AuthenticatedInvoice, byte-identical
  kInvoiceKeys,   // (seller, template, symbol, number) → ref
  kIdempotency,   // (seller, client idempotency key) → ref
  kBySeller,      // (seller tax code, issue date, authority code) → ""
  kByBuyer,       // (buyer tax code, issue date, authority code) → ""
  kSellers,       // tax code → serialized v1::Seller
  kSigningKeys,   // key id → serialized v1::SigningKey
  kStats,         // (day, kind) → uint64 counter, updated by merge (addition)
  kMeta,          // "format_version" → "1"
  kAudit,         // u64 BE sequence → serialized v1::AuditRecord (append-only, hash-chained)
  kByWarning,     // (rule, issue date, authority code) → "": invoices coded with that warning
};
inline constexpr int kColumnFamilyCount = 11;

class RocksDbDatabase {
 public:
  // Opens (or creates) the database at options.path.
  //   INVALID_ARGUMENT     options.path is empty.
  //   FAILED_PRECONDITION  the database has another format version, no format version while
  //                        holding data, or column families this build does not know.
  //   UNAVAILABLE          I/O error, or the database is locked by another process.
  //   DATA_LOSS            corruption detected while opening.
  static absl::StatusOr<std::shared_ptr<RocksDbDatabase>> Open(const RocksDbOptions& options);

  // Closes the database. Unsynced writes (rejection counts) are in the OS page cache by then
  // and survive a process exit, not a power loss.
  ~RocksDbDatabase();
  RocksDbDatabase(const RocksDbDatabase&) = delete;
  RocksDbDatabase& operator=(const RocksDbDatabase&) = delete;

  const RocksDbOptions& options() const { return options_; }

  // Writes `batch` atomically; every storage/ write goes through here. Nothing of a failed
  // batch is acknowledged. How disk trouble is handled:
  //   - below RocksDbOptions::min_free_bytes free, writes are refused before RocksDB runs out
  //     of space, and accepted again once space returns (no restart);
  //   - after a background flush or compaction failed (a full disk, an I/O error), RocksDB
  //     refuses writes until resumed: the next Write() resumes it (DB::Resume) and proceeds if
  //     that works, so the service recovers by itself once the disk does;
  //   - after a write-ahead-log write failed, RocksDB 7.8 cannot resume: writes are refused
  //     until a restart (reads go on).
  // Errors: UNAVAILABLE for all of the above (retry later); others as FromRocksDb maps them.
  // Thread-safe.
  absl::Status Write(const rocksdb::WriteOptions& options, rocksdb::WriteBatch* batch,
                     absl::string_view context) const;

  // For storage/ implementations only (reads; writes go through Write()).
  rocksdb::DB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* handle(ColumnFamily cf) const {
    return handles_[static_cast<int>(cf)];
  }

  // What RocksDB reported about disk errors (storage/rocksdb_database.cc).
  struct DiskErrors;

  // The on-disk name of a column family, e.g. "records".
  static absl::string_view ColumnFamilyName(ColumnFamily cf);
  // Every column family name this build uses, in ColumnFamily order.
  static std::vector<std::string> ColumnFamilyNames();

 private:
  RocksDbDatabase() = default;

  absl::StatusOr<uint64_t> FreeBytes() const;

  RocksDbOptions options_;
  rocksdb::DB* db_ = nullptr;
  // read_only: the LOCK file held while open (RocksDB's read-only open takes none).
  rocksdb::FileLock* read_only_lock_ = nullptr;
  rocksdb::Env* env_ = nullptr;
  // Set by RocksDB's threads (an event listener), read by Write().
  std::shared_ptr<DiskErrors> disk_errors_;
  // Serialises resumes (one at a time; writers meanwhile wait rather than fail).
  mutable absl::Mutex resume_mu_;
  std::array<rocksdb::ColumnFamilyHandle*, kColumnFamilyCount> handles_{};
  rocksdb::ColumnFamilyHandle* default_handle_ = nullptr;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_ROCKSDB_DATABASE_H_
