// RocksDB-only behaviour of the store: what survives a reopen, the format-version guard, and
// what callers see when the WAL write fails.
#include <atomic>
#include <filesystem>
#include <latch>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_invoice_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace einvoice::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

const absl::CivilDay kDay(2026, 3, 14);

TEST(RocksDbInvoiceStoreTest, ReopenFindsEverything) {
  TempDir dir;
  const NewInvoice a = MakeInvoice(1, kSellerA, 1, kDay, kBuyerX, "idem-a");
  const NewInvoice b = MakeInvoice(2, kSellerA, 2, kDay + 1, "");
  {
    ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(SmallOptions(dir.Sub("db"))));
    RocksDbInvoiceStore store(db);
    for (const NewInvoice* invoice : {&a, &b}) {
      ASSERT_OK_AND_ASSIGN(InsertResult result, store.Insert(*invoice));
      ASSERT_EQ(result.conflict, InsertConflict::kNone);
    }
    ASSERT_OK(store.CountRejection(kDay, {}));
  }
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(SmallOptions(dir.Sub("db"))));
  RocksDbInvoiceStore store(db);
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> record, store.GetByCode(a.authority_code));
  EXPECT_THAT(record, Optional(a.authenticated_invoice));
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> by_key, store.FindByKey(b.key));
  EXPECT_THAT(by_key, Optional(RefOf(b)));
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> by_idem,
                       store.FindByIdempotencyKey(kSellerA, "idem-a"));
  EXPECT_THAT(by_idem, Optional(RefOf(a)));
  SearchQuery query;
  query.tax_code = kSellerA;
  ASSERT_OK_AND_ASSIGN(SearchPage page, store.Search(query));
  EXPECT_THAT(page.authenticated_invoices,
              ::testing::ElementsAre(a.authenticated_invoice, b.authenticated_invoice));
  ASSERT_OK_AND_ASSIGN(std::string greatest, store.GreatestAuthorityCode());
  EXPECT_EQ(greatest, b.authority_code);
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> counts, store.CountsByDay(kDay, kDay + 1));
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].issued, 1u);
  EXPECT_EQ(counts[0].rejected, 1u);
  EXPECT_EQ(counts[1].issued, 1u);
  // A conflict is still detected after the reopen.
  ASSERT_OK_AND_ASSIGN(InsertResult again, store.Insert(MakeInvoice(3, kSellerA, 1, kDay)));
  EXPECT_EQ(again.conflict, InsertConflict::kInvoiceKey);
  EXPECT_EQ(again.existing, RefOf(a));
}

TEST(RocksDbInvoiceStoreTest, DestructorCommitsQueuedInsertsAndRunsTheirCallbacks) {
  TempDir dir;
  constexpr int kInvoices = 100;
  absl::Mutex mu;
  std::vector<int> calls(kInvoices, 0);
  std::vector<absl::StatusOr<InsertResult>> results(kInvoices, absl::UnknownError("not run"));
  {
    ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(SmallOptions(dir.Sub("db"))));
    RocksDbInvoiceStoreOptions options;
    options.max_batch_size = 8;  // many batches still queued when the destructor starts
    RocksDbInvoiceStore store(db, options);
    for (int i = 0; i < kInvoices; ++i) {
      store.InsertAsync(MakeInvoice(i, kSellerA, 1 + i, kDay),
                        [&, i](absl::StatusOr<InsertResult> result) {
                          absl::MutexLock lock(&mu);
                          ++calls[i];
                          results[i] = std::move(result);
                        });
    }
  }  // no waiting: the destructor must finish the work and answer every caller
  for (int i = 0; i < kInvoices; ++i) {
    EXPECT_EQ(calls[i], 1) << i;
    ASSERT_OK(results[i]) << i;
    EXPECT_EQ(results[i]->conflict, InsertConflict::kNone) << i;
  }
  // Every acknowledged insert is there after a reopen.
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(SmallOptions(dir.Sub("db"))));
  RocksDbInvoiceStore store(db);
  for (int i = 0; i < kInvoices; ++i) {
    ASSERT_OK_AND_ASSIGN(std::optional<std::string> record, store.GetByCode(CodeFor(i)));
    EXPECT_TRUE(record.has_value()) << i;
  }
}

TEST(RocksDbDatabaseTest, RefusesAnotherFormatVersionClearly) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  { ASSERT_OK(RocksDbDatabase::Open(SmallOptions(path)).status()); }
  {
    // What a future build would have left behind.
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    for (const std::string& name : RocksDbDatabase::ColumnFamilyNames()) {
      descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, descriptors, &handles, &raw).ok());
    rocksdb::ColumnFamilyHandle* meta = nullptr;
    for (size_t i = 0; i < descriptors.size(); ++i) {
      if (descriptors[i].name == "meta") meta = handles[i];
    }
    ASSERT_NE(meta, nullptr);
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), meta, "format_version", "2").ok());
    for (auto* handle : handles) ASSERT_TRUE(raw->DestroyColumnFamilyHandle(handle).ok());
    delete raw;
  }
  EXPECT_THAT(RocksDbDatabase::Open(SmallOptions(path)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("storage format version 2; this build reads only version 1")));
}

TEST(RocksDbDatabaseTest, RefusesUnknownColumnFamilies) {
  TempDir dir;
  const std::string path = dir.Sub("db");
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, path, &raw).ok());
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    ASSERT_TRUE(raw->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "mystery", &handle).ok());
    ASSERT_TRUE(raw->DestroyColumnFamilyHandle(handle).ok());
    delete raw;
  }
  EXPECT_THAT(RocksDbDatabase::Open(SmallOptions(path)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("mystery")));
}

TEST(RocksDbDatabaseTest, OpenErrors) {
  EXPECT_THAT(RocksDbDatabase::Open(RocksDbOptions{}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(SmallOptions(dir.Sub("db"))));
  // Locked by the first instance.
  EXPECT_THAT(RocksDbDatabase::Open(SmallOptions(dir.Sub("db"))),
              StatusIs(absl::StatusCode::kUnavailable));
}

// Every file under `dir` with its size and modification time.
std::map<std::string, std::pair<uintmax_t, std::filesystem::file_time_type>> Snapshot(
    const std::string& dir) {
  std::map<std::string, std::pair<uintmax_t, std::filesystem::file_time_type>> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[entry.path().string()] = {entry.file_size(), entry.last_write_time()};
    }
  }
  return files;
}

// A read-only open (what `einvoice admin check` does) reads everything, changes no file, is
// refused while a server holds the database, and cannot write.
TEST(RocksDbDatabaseTest, ReadOnlyOpenChangesNothingAndRespectsTheLock) {
  TempDir dir;
  const NewInvoice invoice = MakeInvoice(1, kSellerA, 1, kDay);
  RocksDbOptions read_only = SmallOptions(dir.Sub("db"));
  read_only.read_only = true;
  EXPECT_THAT(RocksDbDatabase::Open(read_only), StatusIs(absl::StatusCode::kNotFound));
  {
    ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(SmallOptions(dir.Sub("db"))));
    RocksDbInvoiceStore store(db);
    ASSERT_OK(store.Insert(invoice).status());  // in the WAL only: no flush yet
    EXPECT_THAT(RocksDbDatabase::Open(read_only), StatusIs(absl::StatusCode::kUnavailable));
  }
  const auto before = Snapshot(dir.path());
  {
    ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(read_only));
    RocksDbInvoiceStore store(db);
    ASSERT_OK_AND_ASSIGN(std::optional<std::string> record, store.GetByCode(CodeFor(1)));
    EXPECT_THAT(record, Optional(invoice.authenticated_invoice));
    EXPECT_FALSE(store.Insert(MakeInvoice(2, kSellerA, 2, kDay)).ok());
    // Two readers at once are not allowed either: the lock is held while open.
    EXPECT_THAT(RocksDbDatabase::Open(read_only), StatusIs(absl::StatusCode::kUnavailable));
  }
  EXPECT_EQ(Snapshot(dir.path()), before);
  // Released on close: a server can open it again.
  ASSERT_OK(RocksDbDatabase::Open(SmallOptions(dir.Sub("db"))).status());
}

// Fails every append to a write-ahead log while `fail` is set: with an I/O error, or (with
// `disk_full`) as a full disk does (ENOSPC).
class FailingWalFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  explicit FailingWalFileSystem(std::shared_ptr<std::atomic<bool>> fail, bool disk_full = false)
      : FileSystemWrapper(rocksdb::FileSystem::Default()),
        fail_(std::move(fail)),
        disk_full_(disk_full) {}
  const char* Name() const override { return "FailingWalFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, result, dbg);
    if (s.ok() && name.size() > 4 && name.substr(name.size() - 4) == ".log") {
      *result = std::make_unique<FailingFile>(std::move(*result), fail_, disk_full_);
    }
    return s;
  }

 private:
  class FailingFile final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    FailingFile(std::unique_ptr<rocksdb::FSWritableFile> file,
                std::shared_ptr<std::atomic<bool>> fail, bool disk_full)
        : FSWritableFileOwnerWrapper(std::move(file)),
          fail_(std::move(fail)),
          disk_full_(disk_full) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (*fail_) return Failure();
      return target()->Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (*fail_) return Failure();
      return target()->Append(data, options, info, dbg);
    }

   private:
    rocksdb::IOStatus Failure() const {
      return disk_full_ ? rocksdb::IOStatus::NoSpace("injected: no space left on device")
                        : rocksdb::IOStatus::IOError("injected WAL append failure");
    }
    std::shared_ptr<std::atomic<bool>> fail_;
    const bool disk_full_;
  };

  std::shared_ptr<std::atomic<bool>> fail_;
  const bool disk_full_;
};

TEST(RocksDbInvoiceStoreTest, FailedWalWriteAcknowledgesNothing) {
  TempDir dir;
  auto fail = std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<rocksdb::Env> env =
      rocksdb::NewCompositeEnv(std::make_shared<FailingWalFileSystem>(fail));
  const NewInvoice before = MakeInvoice(1, kSellerA, 1, kDay);
  constexpr int kThreads = 8;
  {
    RocksDbOptions options = SmallOptions(dir.Sub("db"));
    options.env = env.get();
    ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(options));
    RocksDbInvoiceStore store(db);
    ASSERT_OK_AND_ASSIGN(InsertResult ok, store.Insert(before));
    ASSERT_EQ(ok.conflict, InsertConflict::kNone);

    *fail = true;
    std::vector<absl::StatusOr<InsertResult>> results(kThreads, absl::UnknownError("not run"));
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        // Pairs share an invoice key, so some are refused because of a batch-mate.
        const NewInvoice invoice = MakeInvoice(100 + i, kSellerA, 10 + i / 2, kDay);
        start.arrive_and_wait();
        results[i] = store.Insert(invoice);
      });
    }
    for (std::thread& t : threads) t.join();
    for (int i = 0; i < kThreads; ++i) {
      EXPECT_THAT(results[i], StatusIs(absl::StatusCode::kUnavailable)) << i;
      ASSERT_OK_AND_ASSIGN(std::optional<std::string> record, store.GetByCode(CodeFor(100 + i)));
      EXPECT_FALSE(record.has_value());
    }
    SearchQuery query;
    query.tax_code = kSellerA;
    ASSERT_OK_AND_ASSIGN(SearchPage page, store.Search(query));
    EXPECT_EQ(page.authenticated_invoices.size(), 1u);
    ASSERT_OK_AND_ASSIGN(std::vector<DayCount> counts, store.CountsByDay(kDay, kDay));
    ASSERT_EQ(counts.size(), 1u);
    EXPECT_EQ(counts[0].issued, 1u);
  }
  // After a restart the failed invoices are still absent and the earlier one is there.
  *fail = false;
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(SmallOptions(dir.Sub("db"))));
  RocksDbInvoiceStore store(db);
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> record, store.GetByCode(before.authority_code));
  EXPECT_THAT(record, Optional(before.authenticated_invoice));
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_OK_AND_ASSIGN(std::optional<std::string> failed, store.GetByCode(CodeFor(100 + i)));
    EXPECT_FALSE(failed.has_value()) << i;
  }
  ASSERT_OK_AND_ASSIGN(InsertResult retry, store.Insert(MakeInvoice(100, kSellerA, 10, kDay)));
  EXPECT_EQ(retry.conflict, InsertConflict::kNone);
}

// Below the free-space watermark writes are refused before RocksDB meets a full disk; once
// space returns the same open store accepts them again (no restart), and nothing written while
// it was short is there. Reads go on throughout.
TEST(RocksDbInvoiceStoreTest, WritesPauseBelowTheWatermarkAndResumeWhenSpaceReturns) {
  TempDir dir;
  auto free_bytes = std::make_shared<std::atomic<uint64_t>>(uint64_t{1} << 30);
  RocksDbOptions options = SmallOptions(dir.Sub("db"));
  options.min_free_bytes = uint64_t{256} << 20;
  options.free_bytes = [free_bytes]() -> absl::StatusOr<uint64_t> { return free_bytes->load(); };
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(options));
  RocksDbInvoiceStore store(db);
  ASSERT_OK(store.Insert(MakeInvoice(1, kSellerA, 1, kDay)).status());

  *free_bytes = uint64_t{100} << 20;
  EXPECT_THAT(store.Insert(MakeInvoice(2, kSellerA, 2, kDay)),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("nearly full (100 MiB free")));
  EXPECT_THAT(store.CountRejection(kDay, {}), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> first, store.GetByCode(CodeFor(1)));
  EXPECT_TRUE(first.has_value());
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> second, store.GetByCode(CodeFor(2)));
  EXPECT_FALSE(second.has_value());

  *free_bytes = uint64_t{300} << 20;
  ASSERT_OK_AND_ASSIGN(InsertResult retried, store.Insert(MakeInvoice(2, kSellerA, 2, kDay)));
  EXPECT_EQ(retried.conflict, InsertConflict::kNone);
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> counts, store.CountsByDay(kDay, kDay));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].issued, 2u);
  EXPECT_EQ(counts[0].rejected, 0u);
}

// Fails creating table files (a flush's output) while `fail` is set, as a full disk does.
class FailingTableFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  explicit FailingTableFileSystem(std::shared_ptr<std::atomic<bool>> fail)
      : FileSystemWrapper(rocksdb::FileSystem::Default()), fail_(std::move(fail)) {}
  const char* Name() const override { return "FailingTableFileSystem"; }
  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    if (*fail_ && name.size() > 4 && name.substr(name.size() - 4) == ".sst") {
      return rocksdb::IOStatus::NoSpace("injected: no space left on device");
    }
    return target()->NewWritableFile(name, options, result, dbg);
  }

 private:
  std::shared_ptr<std::atomic<bool>> fail_;
};

// A flush fails (the disk is full when RocksDB writes a table file): RocksDB stops writes;
// once the disk is back the next write resumes the database and succeeds, without a restart.
TEST(RocksDbInvoiceStoreTest, ABackgroundFlushFailureIsRecoveredOnTheNextWrite) {
  TempDir dir;
  auto fail = std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<rocksdb::Env> env =
      rocksdb::NewCompositeEnv(std::make_shared<FailingTableFileSystem>(fail));
  RocksDbOptions options = SmallOptions(dir.Sub("db"));
  options.env = env.get();
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(options));
  RocksDbInvoiceStore store(db);
  ASSERT_OK(store.Insert(MakeInvoice(1, kSellerA, 1, kDay)).status());

  *fail = true;
  rocksdb::FlushOptions flush;
  EXPECT_FALSE(db->db()->Flush(flush, db->handle(ColumnFamily::kRecords)).ok());
  EXPECT_THAT(store.Insert(MakeInvoice(2, kSellerA, 2, kDay)),
              StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> first, store.GetByCode(CodeFor(1)));
  EXPECT_TRUE(first.has_value());

  *fail = false;
  ASSERT_OK_AND_ASSIGN(InsertResult retried, store.Insert(MakeInvoice(2, kSellerA, 2, kDay)));
  EXPECT_EQ(retried.conflict, InsertConflict::kNone);
  ASSERT_OK(store.Insert(MakeInvoice(3, kSellerA, 3, kDay)).status());
}

// After a write-ahead-log write failed, RocksDB 7.8 cannot resume: writes stay refused, with a
// message saying a restart is needed, even once the disk is back; reads go on.
TEST(RocksDbInvoiceStoreTest, AFailedLogWriteRefusesWritesUntilARestart) {
  TempDir dir;
  auto fail = std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<rocksdb::Env> env =
      rocksdb::NewCompositeEnv(std::make_shared<FailingWalFileSystem>(fail));
  RocksDbOptions options = SmallOptions(dir.Sub("db"));
  options.env = env.get();
  {
    ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(options));
    RocksDbInvoiceStore store(db);
    ASSERT_OK(store.Insert(MakeInvoice(1, kSellerA, 1, kDay)).status());
    *fail = true;
    EXPECT_THAT(store.Insert(MakeInvoice(2, kSellerA, 2, kDay)),
                StatusIs(absl::StatusCode::kUnavailable));
    *fail = false;
    EXPECT_THAT(store.Insert(MakeInvoice(2, kSellerA, 2, kDay)),
                StatusIs(absl::StatusCode::kUnavailable, HasSubstr("restarted")));
    ASSERT_OK_AND_ASSIGN(std::optional<std::string> first, store.GetByCode(CodeFor(1)));
    EXPECT_TRUE(first.has_value());
  }
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(options));
  RocksDbInvoiceStore store(db);
  ASSERT_OK(store.Insert(MakeInvoice(2, kSellerA, 2, kDay)).status());
}

}  // namespace
}  // namespace einvoice::testing
