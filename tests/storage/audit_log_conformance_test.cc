// The AuditLog conformance suite: RocksDbAuditLog (on a fresh temp dir, WAL synced) and
// InMemoryAuditLog must both pass every test. RocksDB-only: the log survives a reopen.
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/audit_log.h"
#include "storage/rocksdb_audit_log.h"
#include "storage/rocksdb_database.h"
#include "tests/storage/support/in_memory_stores.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace einvoice::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

RocksDbOptions OptionsIn(const TempDir& dir) {
  RocksDbOptions options;
  options.path = dir.Sub("db");
  options.block_cache_bytes = 8 << 20;
  options.write_buffer_bytes = 4 << 20;
  return options;
}

class LogHarness {
 public:
  virtual ~LogHarness() = default;
  virtual AuditLog& log() = 0;
};

class InMemoryHarness final : public LogHarness {
 public:
  AuditLog& log() override { return log_; }

 private:
  InMemoryAuditLog log_;
};

class RocksDbHarness final : public LogHarness {
 public:
  RocksDbHarness() {
    absl::StatusOr<std::shared_ptr<RocksDbDatabase>> db = RocksDbDatabase::Open(OptionsIn(dir_));
    if (!db.ok()) {
      ADD_FAILURE() << db.status();
      return;
    }
    log_ = std::make_unique<RocksDbAuditLog>(*db);
  }
  AuditLog& log() override { return *log_; }

 private:
  TempDir dir_;
  std::unique_ptr<RocksDbAuditLog> log_;
};

using HarnessFactory = std::function<std::unique_ptr<LogHarness>()>;

class AuditLogConformanceTest : public ::testing::TestWithParam<HarnessFactory> {
 protected:
  void SetUp() override { harness_ = GetParam()(); }
  AuditLog& log() { return harness_->log(); }
  std::unique_ptr<LogHarness> harness_;
};

TEST_P(AuditLogConformanceTest, EmptyLogHasNoLastAndNoEntries) {
  ASSERT_OK_AND_ASSIGN(std::optional<AuditLogEntry> last, log().Last());
  EXPECT_FALSE(last.has_value());
  ASSERT_OK_AND_ASSIGN(std::vector<AuditLogEntry> entries, log().ReadAfter(0, 10));
  EXPECT_THAT(entries, IsEmpty());
}

TEST_P(AuditLogConformanceTest, AppendsAreReadBackInSequenceOrderByteIdentical) {
  const std::string binary("\x00\x01\xff record", 10);
  ASSERT_OK(log().Append({1, "first"}));
  ASSERT_OK(log().Append({2, binary}));
  ASSERT_OK(log().Append({3, ""}));
  ASSERT_OK_AND_ASSIGN(std::optional<AuditLogEntry> last, log().Last());
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, (AuditLogEntry{3, ""}));
  ASSERT_OK_AND_ASSIGN(std::vector<AuditLogEntry> all, log().ReadAfter(0, 10));
  EXPECT_THAT(all, ElementsAre(AuditLogEntry{1, "first"}, AuditLogEntry{2, binary},
                               AuditLogEntry{3, ""}));
}

TEST_P(AuditLogConformanceTest, ReadAfterPagesByLimit) {
  for (uint64_t i = 1; i <= 300; ++i) ASSERT_OK(log().Append({i, absl::StrCat("r", i)}));
  ASSERT_OK_AND_ASSIGN(std::vector<AuditLogEntry> page, log().ReadAfter(255, 2));
  EXPECT_THAT(page, ElementsAre(AuditLogEntry{256, "r256"}, AuditLogEntry{257, "r257"}));
  ASSERT_OK_AND_ASSIGN(std::vector<AuditLogEntry> tail, log().ReadAfter(299, 10));
  EXPECT_THAT(tail, ElementsAre(AuditLogEntry{300, "r300"}));
  ASSERT_OK_AND_ASSIGN(std::vector<AuditLogEntry> none, log().ReadAfter(300, 10));
  EXPECT_THAT(none, IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::vector<AuditLogEntry> beyond, log().ReadAfter(UINT64_MAX, 10));
  EXPECT_THAT(beyond, IsEmpty());
}

TEST_P(AuditLogConformanceTest, NeverOverwritesAnEntry) {
  ASSERT_OK(log().Append({1, "original"}));
  EXPECT_THAT(log().Append({1, "forged"}), StatusIs(absl::StatusCode::kAlreadyExists));
  ASSERT_OK_AND_ASSIGN(std::vector<AuditLogEntry> all, log().ReadAfter(0, 10));
  EXPECT_THAT(all, ElementsAre(AuditLogEntry{1, "original"}));
}

TEST_P(AuditLogConformanceTest, SequenceZeroIsRefused) {
  EXPECT_THAT(log().Append({0, "x"}), StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(std::optional<AuditLogEntry> last, log().Last());
  EXPECT_FALSE(last.has_value());
}

TEST_P(AuditLogConformanceTest, ConcurrentAppendsOfOneSequenceStoreExactlyOne) {
  constexpr int kThreads = 8;
  std::vector<absl::Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { results[t] = log().Append({7, absl::StrCat("writer", t)}); });
  }
  for (std::thread& thread : threads) thread.join();
  int stored = 0;
  for (const absl::Status& status : results) {
    if (status.ok()) {
      ++stored;
    } else {
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kAlreadyExists));
    }
  }
  EXPECT_EQ(stored, 1);
}

INSTANTIATE_TEST_SUITE_P(
    Implementations, AuditLogConformanceTest,
    ::testing::Values(HarnessFactory([] { return std::make_unique<InMemoryHarness>(); }),
                      HarnessFactory([] { return std::make_unique<RocksDbHarness>(); })),
    [](const ::testing::TestParamInfo<HarnessFactory>& info) {
      return info.index == 0 ? std::string("InMemory") : std::string("RocksDb");
    });

TEST(RocksDbAuditLogTest, SurvivesReopen) {
  TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(OptionsIn(dir)));
    RocksDbAuditLog log(db);
    ASSERT_OK(log.Append({1, "one"}));
    ASSERT_OK(log.Append({2, "two"}));
  }
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(OptionsIn(dir)));
  RocksDbAuditLog log(db);
  ASSERT_OK_AND_ASSIGN(std::optional<AuditLogEntry> last, log.Last());
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, (AuditLogEntry{2, "two"}));
}

}  // namespace
}  // namespace einvoice::testing
