#include "domain/authority_code.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::FakeClock;
using ::einvoice::testing::StatusIs;

const absl::Time kNow = absl::FromUnixMillis(1795000000000);  // 2026-11-18

TEST(AuthorityCodeTest, HasTheGrammarOfTheRealAuthority) {
  FakeClock clock(kNow);
  ASSERT_OK_AND_ASSIGN(auto generator, AuthorityCodeGenerator::Create("00", &clock, ""));
  const std::string code = generator->Next();
  EXPECT_EQ(code.size(), 34u);
  EXPECT_TRUE(IsWellFormedAuthorityCode(code)) << code;
  EXPECT_EQ(code.substr(0, 2), "00");
  // The first 12 hex digits of the id are the time in milliseconds.
  EXPECT_EQ(std::stoull(code.substr(2, 12), nullptr, 16), 1795000000000ull);
}

TEST(AuthorityCodeTest, UsesTheConfiguredPrefix) {
  FakeClock clock(kNow);
  ASSERT_OK_AND_ASSIGN(auto generator, AuthorityCodeGenerator::Create("1F", &clock, ""));
  EXPECT_EQ(generator->Next().substr(0, 2), "1F");
}

TEST(AuthorityCodeTest, RejectsABadPrefix) {
  FakeClock clock(kNow);
  EXPECT_THAT(AuthorityCodeGenerator::Create("0", &clock, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(AuthorityCodeGenerator::Create("0g", &clock, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(AuthorityCodeGenerator::Create("ab", &clock, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AuthorityCodeTest, RejectsAMalformedSeed) {
  FakeClock clock(kNow);
  EXPECT_THAT(AuthorityCodeGenerator::Create("00", &clock, "00ABC"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AuthorityCodeTest, StrictlyIncreasingWithinOneMillisecond) {
  FakeClock clock(kNow);  // the clock never moves
  ASSERT_OK_AND_ASSIGN(auto generator, AuthorityCodeGenerator::Create("00", &clock, ""));
  std::string previous = generator->Next();
  for (int i = 0; i < 10000; ++i) {
    std::string next = generator->Next();
    ASSERT_LT(previous, next);
    previous = next;
  }
}

TEST(AuthorityCodeTest, NeverReissuesAfterRestartEvenIfTheClockWentBack) {
  FakeClock clock(kNow);
  ASSERT_OK_AND_ASSIGN(auto before, AuthorityCodeGenerator::Create("00", &clock, ""));
  const std::string last_before_restart = before->Next();
  clock.Set(kNow - absl::Hours(24));  // the clock was set back a day
  ASSERT_OK_AND_ASSIGN(auto after,
                       AuthorityCodeGenerator::Create("00", &clock, last_before_restart));
  EXPECT_GT(after->Next(), last_before_restart);
}

TEST(AuthorityCodeTest, IgnoresASeedOfAnotherIssuingSystem) {
  FakeClock clock(kNow);
  const std::string other = "FF" + std::string(32, 'F');
  ASSERT_OK_AND_ASSIGN(auto generator, AuthorityCodeGenerator::Create("00", &clock, other));
  EXPECT_EQ(generator->Next().substr(0, 2), "00");
}

TEST(AuthorityCodeTest, ConcurrentCallersGetDistinctCodes) {
  FakeClock clock(kNow);
  ASSERT_OK_AND_ASSIGN(auto generator, AuthorityCodeGenerator::Create("00", &clock, ""));
  std::vector<std::vector<std::string>> per_thread(8);
  std::vector<std::thread> threads;
  for (auto& codes : per_thread) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) codes.push_back(generator->Next());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& codes : per_thread) all.insert(codes.begin(), codes.end());
  EXPECT_EQ(all.size(), 8u * 2000u);
}

TEST(AuthorityCodeTest, WellFormedness) {
  EXPECT_TRUE(IsWellFormedAuthorityCode("00FE2FCA280CF74806BE839368A7C4AE25"));
  EXPECT_FALSE(IsWellFormedAuthorityCode("00fe2fca280cf74806be839368a7c4ae25"));
  EXPECT_FALSE(IsWellFormedAuthorityCode("00FE2FCA280CF74806BE839368A7C4AE2"));
  EXPECT_FALSE(IsWellFormedAuthorityCode("M1-25-B1B37-00000000085"));
}

}  // namespace
}  // namespace einvoice
