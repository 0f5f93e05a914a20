// AuditTrail and AuditChainChecker: records are numbered without gaps and chained by SHA-256;
// any edit, removal or reordering of a stored record is found at its first broken link; a
// failed write leaves the chain intact; listing pages and filters; the record bytes are pinned.
#include "domain/audit_trail.h"

#include <memory>
#include <thread>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/access_policy.h"
#include "domain/authentication_record.h"
#include "gmock/gmock.h"
#include "signer/digest.h"
#include "tests/storage/support/in_memory_stores.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::FakeClock;
using ::einvoice::testing::InMemoryAuditLog;
using ::einvoice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override { trail_ = *AuditTrail::Open(&log_, &clock_); }

  Caller WithFingerprint(char c, const std::string& tax_code = "") {
    return Caller::WithCertificate({std::string(64, c), "CN=x", tax_code, absl::InfiniteFuture()},
                                   AccessPolicy());
  }

  void RecordN(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_OK(trail_->Record(WithFingerprint('a' + i % 3), {"TaxOfficer.GetStats", "stats"},
                               absl::OkStatus()));
      clock_.Advance(absl::Hours(8));
    }
  }

  // Runs the checker over every stored record; the first error, or OK.
  absl::Status CheckStoredChain() {
    AuditChainChecker checker;
    for (const AuditLogEntry& entry : log_.Entries()) {
      if (absl::Status s = checker.Add(entry.record); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  v1::AuditRecord Stored(uint64_t sequence) {
    v1::AuditRecord record;
    for (const AuditLogEntry& entry : log_.Entries()) {
      if (entry.sequence == sequence) record.ParseFromString(entry.record);
    }
    return record;
  }

  // 2026-11-22 10:00 Vietnam time.
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 11, 22, 10, 0, 0), VietnamTimeZone())};
  InMemoryAuditLog log_;
  std::unique_ptr<AuditTrail> trail_;
};

TEST_F(AuditTrailTest, RecordsAreNumberedAndChained) {
  RecordN(5);
  EXPECT_OK(CheckStoredChain());
  EXPECT_EQ(Stored(1).previous_sha256(), std::string(32, '\0'));
  for (uint64_t i = 1; i <= 5; ++i) EXPECT_EQ(Stored(i).sequence(), i);
  const std::string first = log_.Entries().front().record;
  EXPECT_EQ(Stored(2).previous_sha256(), Sha256(first));
}

TEST_F(AuditTrailTest, RecordHoldsWhoWhatAndTheOutcome) {
  ASSERT_OK(trail_->Record(WithFingerprint('c', "0100109106"),
                           {"TaxOfficer.SetSellerStatus", "seller 0100109106"},
                           absl::PermissionDeniedError("needs an officer")));
  const v1::AuditRecord record = Stored(1);
  EXPECT_EQ(record.caller().fingerprint(), std::string(64, 'c'));
  EXPECT_EQ(record.caller().subject(), "CN=x");
  EXPECT_EQ(record.caller().tax_code(), "0100109106");
  EXPECT_EQ(record.caller().role(), v1::CALLER_ROLE_TAXPAYER);
  EXPECT_EQ(record.operation(), "TaxOfficer.SetSellerStatus");
  EXPECT_EQ(record.target(), "seller 0100109106");
  EXPECT_EQ(record.status_code(), 7);
  EXPECT_EQ(record.status_message(), "needs an officer");
  EXPECT_EQ(FromTimestamp(record.time()), clock_.Now());
}

TEST_F(AuditTrailTest, AReopenedTrailContinuesTheChain) {
  RecordN(3);
  trail_ = *AuditTrail::Open(&log_, &clock_);
  RecordN(2);
  EXPECT_OK(CheckStoredChain());
  EXPECT_EQ(Stored(5).sequence(), 5u);
}

TEST_F(AuditTrailTest, AnEditedRecordBreaksTheChainAtTheNextOne) {
  RecordN(6);
  v1::AuditRecord edited = Stored(3);
  edited.set_status_code(0);
  edited.set_target("something else");
  log_.TamperForTest(3, edited.SerializeAsString());
  EXPECT_THAT(CheckStoredChain(),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("record 4: previous_sha256 does not match record 3")));
}

TEST_F(AuditTrailTest, ARemovedRecordIsFound) {
  RecordN(6);
  log_.TamperForTest(4, std::nullopt);
  EXPECT_THAT(CheckStoredChain(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("record 4: found sequence 5")));
}

TEST_F(AuditTrailTest, AForgedFirstRecordIsFound) {
  RecordN(2);
  v1::AuditRecord forged = Stored(1);
  forged.set_previous_sha256(std::string(32, '\x01'));
  log_.TamperForTest(1, forged.SerializeAsString());
  EXPECT_THAT(CheckStoredChain(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("record 1: previous_sha256")));
}

TEST_F(AuditTrailTest, TheCheckerStaysBrokenOnceBroken) {
  AuditChainChecker checker;
  EXPECT_THAT(checker.Add("\xff\xff garbage"), StatusIs(absl::StatusCode::kDataLoss));
  RecordN(1);
  EXPECT_THAT(checker.Add(log_.Entries().front().record),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("record 1")));
  EXPECT_EQ(checker.checked(), 0u);
}

TEST_F(AuditTrailTest, AFailedWriteLeavesTheChainIntact) {
  RecordN(2);
  log_.FailNextAppends(1, absl::UnavailableError("disk gone"));
  EXPECT_THAT(trail_->Record(WithFingerprint('a'), {"op", "t"}, absl::OkStatus()),
              StatusIs(absl::StatusCode::kUnavailable));
  RecordN(2);
  EXPECT_OK(CheckStoredChain());
  EXPECT_THAT(log_.Entries(), SizeIs(4));
}

TEST_F(AuditTrailTest, ConcurrentRecordsFormOneUnbrokenChain) {
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_OK(trail_->Record(WithFingerprint('a' + t % 6), {"op", absl::StrCat(t, "/", i)},
                                 absl::OkStatus()));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(log_.Entries(), SizeIs(kThreads * kEach));
  EXPECT_OK(CheckStoredChain());
}

TEST_F(AuditTrailTest, ListPagesInSequenceOrder) {
  RecordN(5);
  v1::ListAuditRecordsRequest request;
  request.set_page_size(2);
  ASSERT_OK_AND_ASSIGN(v1::ListAuditRecordsResponse page, trail_->List(request));
  EXPECT_THAT(page.records(), SizeIs(2));
  EXPECT_EQ(page.last_sequence(), 2u);
  EXPECT_TRUE(page.more());
  request.set_after_sequence(4);
  ASSERT_OK_AND_ASSIGN(v1::ListAuditRecordsResponse last, trail_->List(request));
  EXPECT_THAT(last.records(), SizeIs(1));
  EXPECT_EQ(last.last_sequence(), 5u);
  EXPECT_FALSE(last.more());
  // Records come exactly as stored, so the chain can be checked from them.
  EXPECT_EQ(last.records(0), log_.Entries()[4].record);
}

TEST_F(AuditTrailTest, ListFiltersByCallerAndDay) {
  RecordN(9);  // callers a, b, c, a, b, c, ...; every 8 hours from 2026-11-22 10:00
  v1::ListAuditRecordsRequest request;
  request.set_caller_fingerprint(std::string(64, 'b'));
  ASSERT_OK_AND_ASSIGN(v1::ListAuditRecordsResponse by_caller, trail_->List(request));
  ASSERT_THAT(by_caller.records(), SizeIs(3));
  for (const std::string& bytes : by_caller.records()) {
    v1::AuditRecord record;
    ASSERT_TRUE(record.ParseFromString(bytes));
    EXPECT_EQ(record.caller().fingerprint(), std::string(64, 'b'));
  }
  v1::ListAuditRecordsRequest by_day;
  by_day.set_from_day("2026-11-23");
  by_day.set_to_day("2026-11-23");
  ASSERT_OK_AND_ASSIGN(v1::ListAuditRecordsResponse day, trail_->List(by_day));
  EXPECT_THAT(day.records(), SizeIs(3));  // 02:00, 10:00, 18:00 on the 23rd
  by_day.set_from_day("23/11/2026");
  EXPECT_THAT(trail_->List(by_day), StatusIs(absl::StatusCode::kInvalidArgument));
  request.set_caller_fingerprint("short");
  EXPECT_THAT(trail_->List(request), StatusIs(absl::StatusCode::kInvalidArgument));
  request.set_caller_fingerprint(std::string(64, 'B'));  // fingerprints are lower-case
  EXPECT_THAT(trail_->List(request), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AuditTextTest, KeepsVietnameseAndEscapesControlAndInvalidBytes) {
  EXPECT_EQ(AuditText("seller Công ty Thử"), "seller Công ty Thử");
  EXPECT_EQ(AuditText(std::string("a\0b\nc\x7f", 6)), "a\\x00b\\x0Ac\\x7F");
  EXPECT_EQ(AuditText("\xff\xc3"), "\\xFF\\xC3");          // invalid, truncated sequence
  EXPECT_EQ(AuditText("\xed\xa0\x80"), "\\xED\\xA0\\x80");  // a UTF-16 surrogate
}

TEST(AuditTextTest, InvisibleControlsAndBackslashesCannotForgeALine) {
  EXPECT_EQ(AuditText("a\\x0Ab"), "a\\\\x0Ab");                  // a literal backslash
  EXPECT_EQ(AuditText("x\xC2\x85y"), "x\\u{85}y");                // C1 "next line"
  EXPECT_EQ(AuditText("\xE2\x80\xA8"), "\\u{2028}");             // line separator
  EXPECT_EQ(AuditText("exe.\xE2\x80\xAEtxt"), "exe.\\u{202E}txt");  // right-to-left override
  EXPECT_EQ(AuditText("\xE2\x81\xA6"), "\\u{2066}");             // left-to-right isolate
}

TEST(AuditTextTest, CutsLongTextAtACharacterBoundary) {
  const std::string fits(kMaxAuditTextBytes, 'x');
  EXPECT_EQ(AuditText(fits), fits);
  std::string long_text;
  for (int i = 0; i < 400; ++i) long_text += "ữ";  // 3 bytes each
  const std::string cut = AuditText(long_text);
  EXPECT_LE(cut.size(), kMaxAuditTextBytes);
  EXPECT_TRUE(absl::EndsWith(cut, "\xE2\x80\xA6"));
  EXPECT_EQ((cut.size() - 3) % 3, 0u);  // only whole characters before the ellipsis
}

// The stored bytes of a record (docs/security.md, "Audit records"): a change here breaks
// every chain already on disk.
TEST(AuditRecordGoldenTest, BytesArePinned) {
  InMemoryAuditLog log;
  FakeClock clock(absl::FromUnixSeconds(1795000000));
  std::unique_ptr<AuditTrail> trail = *AuditTrail::Open(&log, &clock);
  const Caller caller = Caller::WithCertificate(
      {std::string(64, 'a'), "UID=MST:0100109106,CN=A", "0100109106", absl::InfiniteFuture()},
      AccessPolicy());
  ASSERT_OK(trail->Record(caller, {"TaxOfficer.GetSeller", "seller 0100109106"},
                          absl::PermissionDeniedError("no")));
  auto repeat = [](absl::string_view hex, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) absl::StrAppend(&out, hex);
    return out;
  };
  EXPECT_EQ(absl::BytesToHexString(log.Entries().front().record),
            absl::StrCat("0801",                                  // 1 sequence 1
                         "1206", "08c08df6d706",                  // 2 time {seconds 1795000000}
                         "1a69",                                  // 3 caller, 105 bytes:
                         "0a40", repeat("61", 64),                //   1 fingerprint "a…a"
                         "1217", "5549443d4d53543a303130303130393130362c434e3d41",  // 2 subject
                         "1a0a", "30313030313039313036",          //   3 tax code
                         "2002",                                  //   4 role TAXPAYER
                         "2214", "5461784f6666696365722e47657453656c6c6572",  // 4 operation
                         "2a11", "73656c6c657220", "30313030313039313036",   // 5 target
                         "3007",                                  // 6 status code 7
                         "3a02", "6e6f",                          // 7 status message "no"
                         "4220", repeat("00", 32)));              // 8 previous_sha256
}

}  // namespace
}  // namespace einvoice
