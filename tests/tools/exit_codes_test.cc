#include "tools/cli/exit_codes.h"

#include "gtest/gtest.h"

namespace einvoice::cli {
namespace {

TEST(ExitCodeTest, NumbersAreStable) {
  // Scripts depend on these values (docs/cli.md).
  EXPECT_EQ(kExitOk, 0);
  EXPECT_EQ(kExitUsage, 1);
  EXPECT_EQ(kExitNotFound, 2);
  EXPECT_EQ(kExitRejected, 3);
  EXPECT_EQ(kExitVerificationFailed, 4);
  EXPECT_EQ(kExitUnavailable, 5);
  EXPECT_EQ(kExitOther, 6);
}

TEST(ExitCodeTest, MapsStatusCodes) {
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kOk), kExitOk);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kNotFound), kExitNotFound);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInvalidArgument), kExitRejected);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kAlreadyExists), kExitRejected);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kFailedPrecondition), kExitRejected);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kOutOfRange), kExitRejected);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnavailable), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kDeadlineExceeded), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kResourceExhausted), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInternal), kExitOther);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kDataLoss), kExitOther);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kPermissionDenied), kExitDenied);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnauthenticated), kExitDenied);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnknown), kExitOther);
}

}  // namespace
}  // namespace einvoice::cli
