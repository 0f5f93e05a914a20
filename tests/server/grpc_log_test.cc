// gRPC's own log lines reach the service's logger, throttled: a flood of them (what a peer
// opening connections with bad handshakes causes) yields a bounded number of lines, the next
// of which counts the dropped ones.
#include "server/grpc_log.h"

#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpc/support/log.h"
#include "gtest/gtest.h"

namespace einvoice {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(GrpcLogTest, GrpcErrorsAreRoutedAndThrottled) {
  absl::Mutex mu;
  std::vector<std::string> lines;
  RouteGrpcLogs(5, [&](LogLevel level, absl::string_view line) {
    absl::MutexLock lock(&mu);
    EXPECT_EQ(level, LogLevel::kError);
    lines.emplace_back(line);
  });
  gpr_log_verbosity_init();  // what grpc_init() does: errors are logged by default
  ASSERT_TRUE(gpr_should_log(GPR_LOG_SEVERITY_ERROR));
  for (int i = 0; i < 10'000; ++i) gpr_log(GPR_ERROR, "Handshake failed %d", i);
  {
    absl::MutexLock lock(&mu);
    ASSERT_THAT(lines, SizeIs(5));
    EXPECT_THAT(lines[0], HasSubstr("grpc: "));
    EXPECT_THAT(lines[0], HasSubstr("Handshake failed 0"));
  }
  RouteGrpcLogs(1000, LogLine);  // back to stderr for the rest of the suite
}

}  // namespace
}  // namespace einvoice
