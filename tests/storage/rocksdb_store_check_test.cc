// The offline store check (CheckRocksDbStore) and the online backup (RocksDbStoreBackup):
// a consistent store passes; each kind of damage -- a record or index entry removed, an index
// entry pointing nowhere, a record the inspector rejects, counters that do not add up -- is
// reported; a backup taken while the store is written opens, passes the check and holds every
// record acknowledged before it started.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_invoice_store.h"
#include "storage/rocksdb_store_backup.h"
#include "storage/rocksdb_store_check.h"
#include "tests/storage/store_test_util.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace einvoice::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::CivilDay kDay(2026, 3, 14);

// Reads records the way the domain's inspector would, from the facts the test inserted.
class FakeInspector {
 public:
  void Know(const NewInvoice& invoice) { known_[invoice.authenticated_invoice] = invoice; }
  void Reject(const std::string& code) { rejected_code_ = code; }

  RecordInspector inspector() {
    return [this](absl::string_view code, absl::string_view bytes) {
      RecordFacts facts;
      auto it = known_.find(std::string(bytes));
      if (it == known_.end()) {
        facts.problem = "unknown bytes";
        return facts;
      }
      if (code == rejected_code_) {
        facts.problem = "signature does not verify";
        return facts;
      }
      const NewInvoice& invoice = it->second;
      facts.authority_code = invoice.authority_code;
      facts.key = invoice.key;
      facts.buyer_tax_code = invoice.buyer_tax_code;
      facts.issue_date = invoice.issue_date;
      facts.content_sha256 = invoice.content_sha256;
      return facts;
    };
  }

 private:
  std::map<std::string, NewInvoice> known_;
  std::string rejected_code_;
};

class StoreCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(db_, RocksDbDatabase::Open(SmallOptions(dir_.Sub("db"))));
    store_ = std::make_unique<RocksDbInvoiceStore>(db_);
    invoices_ = {MakeInvoice(1, kSellerA, 1, kDay, kBuyerX, "idem-1"),
                 MakeInvoice(2, kSellerA, 2, kDay + 1, ""),
                 MakeInvoice(3, kSellerB, 1, kDay + 2, kBuyerY, "idem-3")};
    for (const NewInvoice& invoice : invoices_) {
      ASSERT_OK_AND_ASSIGN(InsertResult result, store_->Insert(invoice));
      ASSERT_EQ(result.conflict, InsertConflict::kNone);
      inspector_.Know(invoice);
    }
  }

  StoreCheckReport Check(size_t max_problems = 100) {
    return CheckRocksDbStore(*db_, inspector_.inspector(), max_problems);
  }

  void Delete(ColumnFamily cf, const std::string& key) {
    ASSERT_TRUE(db_->db()->Delete(rocksdb::WriteOptions(), db_->handle(cf), key).ok());
  }
  void Put(ColumnFamily cf, const std::string& key, const std::string& value) {
    ASSERT_TRUE(db_->db()->Put(rocksdb::WriteOptions(), db_->handle(cf), key, value).ok());
  }

  TempDir dir_;
  std::shared_ptr<RocksDbDatabase> db_;
  std::unique_ptr<RocksDbInvoiceStore> store_;
  std::vector<NewInvoice> invoices_;
  FakeInspector inspector_;
};

TEST_F(StoreCheckTest, ConsistentStorePasses) {
  const StoreCheckReport report = Check();
  EXPECT_TRUE(report.ok());
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_EQ(report.records, 3u);
  EXPECT_EQ(report.invoice_keys, 3u);
  EXPECT_EQ(report.idempotency_keys, 2u);
  EXPECT_EQ(report.seller_index, 3u);
  EXPECT_EQ(report.buyer_index, 2u);  // invoice 2 has no buyer tax code
  EXPECT_EQ(report.issued_counted, 3u);
}

TEST_F(StoreCheckTest, MissingInvoiceKeyEntryIsReported) {
  ASSERT_OK_AND_ASSIGN(std::string key, keys::InvoiceKeyKey(invoices_[0].key));
  Delete(ColumnFamily::kInvoiceKeys, key);
  const StoreCheckReport report = Check();
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(report.problems,
              ElementsAre(AllOf(HasSubstr(invoices_[0].authority_code),
                                HasSubstr("no invoice key entry"))));
}

TEST_F(StoreCheckTest, InvoiceKeyEntryNamingAnotherRecordIsReported) {
  ASSERT_OK_AND_ASSIGN(std::string key, keys::InvoiceKeyKey(invoices_[0].key));
  ASSERT_OK_AND_ASSIGN(std::string ref, keys::EncodeRef(RefOf(invoices_[1])));
  Put(ColumnFamily::kInvoiceKeys, key, ref);
  const StoreCheckReport report = Check();
  EXPECT_THAT(report.problems, ElementsAre(HasSubstr("its invoice key entry names " +
                                                     invoices_[1].authority_code)));
}

TEST_F(StoreCheckTest, MissingPartyIndexEntriesAreReported) {
  ASSERT_OK_AND_ASSIGN(std::string seller_key,
                       keys::PartyIndexKey(kSellerB, kDay + 2, invoices_[2].authority_code));
  ASSERT_OK_AND_ASSIGN(std::string buyer_key,
                       keys::PartyIndexKey(kBuyerX, kDay, invoices_[0].authority_code));
  Delete(ColumnFamily::kBySeller, seller_key);
  Delete(ColumnFamily::kByBuyer, buyer_key);
  const StoreCheckReport report = Check();
  EXPECT_EQ(report.problem_count, 2u);
  EXPECT_THAT(report.problems, Contains(HasSubstr("no seller index entry")));
  EXPECT_THAT(report.problems, Contains(HasSubstr("no buyer index entry")));
}

TEST_F(StoreCheckTest, LostRecordIsReportedByEveryIndexAndTheCounters) {
  Delete(ColumnFamily::kRecords, invoices_[0].authority_code);
  const StoreCheckReport report = Check();
  EXPECT_EQ(report.records, 2u);
  // Its invoice key, idempotency key, seller and buyer entries dangle; the counters disagree.
  EXPECT_THAT(report.problems, Contains(AllOf(HasSubstr("invoice key entry"),
                                              HasSubstr("which has no record"))));
  EXPECT_THAT(report.problems, Contains(AllOf(HasSubstr("idempotency entry"),
                                              HasSubstr("which has no record"))));
  EXPECT_THAT(report.problems, Contains(HasSubstr("seller index entry for " +
                                                  std::string(kSellerA))));
  EXPECT_THAT(report.problems, Contains(HasSubstr("buyer index entry for " +
                                                  std::string(kBuyerX))));
  EXPECT_THAT(report.problems, Contains(HasSubstr("count 3 issued invoices; 2 are stored")));
  EXPECT_EQ(report.problem_count, 5u);
}

TEST_F(StoreCheckTest, RecordTheInspectorRejectsIsReported) {
  inspector_.Reject(invoices_[1].authority_code);
  const StoreCheckReport report = Check();
  EXPECT_THAT(report.problems, ElementsAre(AllOf(HasSubstr(invoices_[1].authority_code),
                                                 HasSubstr("signature does not verify"))));
}

TEST_F(StoreCheckTest, RecordUnderAnotherCodeIsReported) {
  Put(ColumnFamily::kRecords, CodeFor(99), invoices_[0].authenticated_invoice);
  const StoreCheckReport report = Check();
  EXPECT_THAT(report.problems, Contains(HasSubstr("record " + CodeFor(99) +
                                                  " holds authority code " +
                                                  invoices_[0].authority_code)));
  EXPECT_FALSE(report.ok());
}

TEST_F(StoreCheckTest, MalformedEntriesAreReported) {
  Put(ColumnFamily::kBySeller, "garbage", "");
  Put(ColumnFamily::kIdempotency, "also garbage", "not a ref");
  const StoreCheckReport report = Check();
  EXPECT_THAT(report.problems, Contains(HasSubstr("seller index entry")));
  EXPECT_THAT(report.problems, Contains(HasSubstr("idempotency entry")));
  EXPECT_EQ(report.problem_count, 2u);
}

TEST_F(StoreCheckTest, ProblemsBeyondTheLimitAreCountedNotKept) {
  for (int i = 0; i < 10; ++i) Put(ColumnFamily::kBySeller, "garbage" + std::to_string(i), "");
  const StoreCheckReport report = Check(/*max_problems=*/4);
  EXPECT_EQ(report.problems.size(), 4u);
  EXPECT_EQ(report.problem_count, 10u);
}

// ---- backups ----

TEST_F(StoreCheckTest, BackupWhileWritingOpensPassesAndHoldsEverythingAcknowledged) {
  RocksDbStoreBackup backup(db_);
  std::atomic<bool> stop{false};
  std::atomic<bool> writer_done{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (uint32_t n = 100; n < 400 && !stop.load(); ++n) {
      NewInvoice invoice = MakeInvoice(n, kSellerB, n, kDay);
      inspector_.Know(invoice);  // before the insert: the check reads with this map
      if (!store_->Insert(invoice).ok()) break;
      written.fetch_add(1);
    }
    writer_done = true;
  });
  // Let the writer get under way, so the copy races real writes.
  while (written.load() < 20 && !writer_done.load()) std::this_thread::yield();
  const int acknowledged_before = 3 + written.load();
  TempDir backups;  // outside the data directory, as the backup insists
  const std::string target = backups.Sub("einvoice-backup");
  const absl::Status status = backup.Backup(target);
  stop = true;
  writer.join();
  ASSERT_OK(status);

  ASSERT_OK_AND_ASSIGN(auto copy, RocksDbDatabase::Open(SmallOptions(target + "/db")));
  const StoreCheckReport report = CheckRocksDbStore(*copy, inspector_.inspector());
  EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
  EXPECT_GE(report.records, static_cast<uint64_t>(acknowledged_before));
  RocksDbInvoiceStore restored(copy);
  for (const NewInvoice& invoice : invoices_) {
    ASSERT_OK_AND_ASSIGN(std::optional<std::string> bytes,
                         restored.GetByCode(invoice.authority_code));
    EXPECT_EQ(bytes, invoice.authenticated_invoice);
  }
}

TEST_F(StoreCheckTest, BackupDirectoryMustBeAbsoluteEmptyAndOutsideTheData) {
  RocksDbStoreBackup backup(db_);
  EXPECT_THAT(backup.Backup("relative/dir"), StatusIs(absl::StatusCode::kInvalidArgument));
  // The data directory (the database's parent) and anything under it.
  EXPECT_THAT(backup.Backup(dir_.path()), StatusIs(absl::StatusCode::kInvalidArgument,
                                                   HasSubstr("inside the data directory")));
  EXPECT_THAT(backup.Backup(dir_.Sub("db") + "/copy"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  TempDir other;
  std::ofstream(other.Sub("something")) << "x";
  EXPECT_THAT(backup.Backup(other.path()), StatusIs(absl::StatusCode::kFailedPrecondition));
  // Nothing was written anywhere it was refused.
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("db") + "/copy"));
  EXPECT_FALSE(std::filesystem::exists(other.Sub("db")));
  // An existing empty directory is fine, and gets mode 0700.
  TempDir empty;
  ASSERT_OK(backup.Backup(empty.path()));
  EXPECT_TRUE(std::filesystem::exists(empty.Sub("db") + "/CURRENT"));
  EXPECT_EQ(std::filesystem::status(empty.path()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);
}

}  // namespace
}  // namespace einvoice::testing
