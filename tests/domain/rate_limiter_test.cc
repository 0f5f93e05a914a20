// RateLimiter: a token bucket per certificate, the local operator unlimited, memory bounded.
#include "domain/rate_limiter.h"

#include <string>

#include "gmock/gmock.h"
#include "tests/domain/domain_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::DomainFixture;
using ::einvoice::testing::FakeClock;

class RateLimiterTest : public DomainFixture {};

TEST_F(RateLimiterTest, ABurstThenTheRateAndEachCallerHasItsOwnBucket) {
  RateLimiter limiter({.rate = 10, .burst = 3}, &clock_);
  const Caller seller = TaxpayerCaller("0100109106", 'a');
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Admit(seller), std::nullopt) << i;
  const std::optional<absl::Duration> wait = limiter.Admit(seller);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, absl::Milliseconds(100));  // one token at 10 a second
  // Another caller is not held back by the first one's burst.
  EXPECT_EQ(limiter.Admit(TaxpayerCaller("0101243150", 'c')), std::nullopt);
  clock_.Advance(absl::Milliseconds(100));
  EXPECT_EQ(limiter.Admit(seller), std::nullopt);
  EXPECT_TRUE(limiter.Admit(seller).has_value());
  clock_.Advance(absl::Hours(1));  // refills to the burst, not beyond
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Admit(seller), std::nullopt) << i;
  EXPECT_TRUE(limiter.Admit(seller).has_value());
}

TEST_F(RateLimiterTest, ACostTakesThatManyTokensAndNeverMoreThanTheBurst) {
  RateLimiter limiter({.rate = 10, .burst = 5}, &clock_);
  const Caller seller = TaxpayerCaller("0100109106", 'a');
  EXPECT_EQ(limiter.Admit(seller, 3), std::nullopt);
  const std::optional<absl::Duration> wait = limiter.Admit(seller, 3);  // 2 left
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, absl::Milliseconds(100));  // one more token
  clock_.Advance(absl::Seconds(1));           // full again
  // A batch larger than the burst costs a full bucket: possible, and then nothing is left.
  EXPECT_EQ(limiter.Admit(seller, 1000), std::nullopt);
  EXPECT_TRUE(limiter.Admit(seller).has_value());
}

TEST_F(RateLimiterTest, TheLocalOperatorAndAZeroRateAreNotLimited) {
  RateLimiter limiter({.rate = 1, .burst = 1}, &clock_);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Admit(local_operator_), std::nullopt);
  RateLimiter off({.rate = 0}, &clock_);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(off.Admit(TaxpayerCaller("0100109106")), std::nullopt);
  EXPECT_EQ(off.tracked(), 0u);
}

TEST_F(RateLimiterTest, MemoryIsBoundedByMaxCallers) {
  RateLimiter limiter({.rate = 1, .burst = 2, .max_callers = 4}, &clock_);
  auto caller = [](int i) {
    return Caller::WithCertificate(
        {std::string(63, 'a') + static_cast<char>('0' + i), "CN=x", "0100109106",
         absl::InfiniteFuture()},
        AccessPolicy());
  };
  for (int i = 0; i < 4; ++i) ASSERT_EQ(limiter.Admit(caller(i)), std::nullopt);
  // Full of busy callers: a fifth is let through unmetered, not tracked.
  EXPECT_EQ(limiter.Admit(caller(4)), std::nullopt);
  EXPECT_EQ(limiter.tracked(), 4u);
  // Once the others have refilled they are dropped, and the newcomer is tracked.
  clock_.Advance(absl::Seconds(5));
  EXPECT_EQ(limiter.Admit(caller(5)), std::nullopt);
  EXPECT_EQ(limiter.tracked(), 1u);
}

}  // namespace
}  // namespace einvoice
