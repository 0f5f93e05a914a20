#include "common/log_throttle.h"

#include <optional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"

namespace einvoice {
namespace {

using ::einvoice::testing::FakeClock;
using ::testing::Optional;

TEST(LogThrottleTest, LetsThroughTheBudgetThenDropsAndCounts) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  LogThrottle throttle(10, &clock);
  int admitted = 0;
  for (int i = 0; i < 10'000; ++i) admitted += throttle.Admit().has_value();
  EXPECT_EQ(admitted, 10);
  // A minute later the budget is back, and the first line says how many were dropped.
  clock.Set(clock.Now() + absl::Minutes(1));
  EXPECT_THAT(throttle.Admit(), Optional(uint64_t{9'990}));
  EXPECT_THAT(throttle.Admit(), Optional(uint64_t{0}));
}

TEST(LogThrottleTest, RefillsGraduallyNeverBeyondOneMinutesWorth) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  LogThrottle throttle(60, &clock);  // one a second
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(throttle.Admit().has_value());
  EXPECT_FALSE(throttle.Admit().has_value());
  clock.Set(clock.Now() + absl::Seconds(1));
  EXPECT_TRUE(throttle.Admit().has_value());
  EXPECT_FALSE(throttle.Admit().has_value());
  clock.Set(clock.Now() + absl::Hours(5));  // a quiet night saves up only one minute
  int admitted = 0;
  for (int i = 0; i < 1000; ++i) admitted += throttle.Admit().has_value();
  EXPECT_EQ(admitted, 60);
}

}  // namespace
}  // namespace einvoice
