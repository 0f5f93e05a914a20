#include "server/grpc_log.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/log_throttle.h"
#include "grpc/support/log.h"

namespace einvoice {
namespace {

struct Routing {
  std::unique_ptr<LogThrottle> throttle;
  LogSink sink;
};

SystemClock* RoutingClock() {
  static SystemClock* const clock = new SystemClock();
  return clock;
}

// The routing in force. Replaced only before a server starts (tests replace it per test);
// earlier ones are kept (a gRPC thread may still be inside Route() with one), in a list that
// stays reachable so they are not leaks.
std::atomic<Routing*> current_routing{nullptr};
std::vector<std::unique_ptr<Routing>>* AllRoutings() {
  static auto* const all = new std::vector<std::unique_ptr<Routing>>();
  return all;
}
absl::Mutex routings_mu;

void Route(gpr_log_func_args* args) {
  Routing* routing = current_routing.load(std::memory_order_acquire);
  if (routing == nullptr) return;
  const std::optional<uint64_t> dropped = routing->throttle->Admit();
  if (!dropped.has_value()) return;
  const LogLevel level =
      args->severity == GPR_LOG_SEVERITY_ERROR ? LogLevel::kError : LogLevel::kInfo;
  std::string line = absl::StrCat("grpc: ", args->file, ":", args->line, " ", args->message);
  if (*dropped > 0) absl::StrAppend(&line, " (", *dropped, " earlier gRPC log lines dropped)");
  routing->sink(level, line);
}

}  // namespace

void RouteGrpcLogs(int lines_per_minute, LogSink sink) {
  absl::MutexLock lock(&routings_mu);
  auto routing = std::make_unique<Routing>(
      Routing{std::make_unique<LogThrottle>(lines_per_minute, RoutingClock()), std::move(sink)});
  current_routing.store(routing.get(), std::memory_order_release);
  AllRoutings()->push_back(std::move(routing));
  gpr_set_log_function(Route);
}

}  // namespace einvoice
