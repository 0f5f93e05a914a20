// RouteGrpcLogs: gRPC's own log lines (gpr_log: failed TLS handshakes, malformed HTTP/2, ...)
// go through the service's logger, at most `lines_per_minute` of them (LogThrottle), with a
// count of those dropped. A peer can make gRPC log once per connection it opens; unthrottled,
// that is a way to fill the disk and bury real errors.
//
// Thread-safety: call once at start-up, before the server starts; the routing is process-wide
// and thread-safe afterwards.
#ifndef EINVOICE_SERVER_GRPC_LOG_H_
#define EINVOICE_SERVER_GRPC_LOG_H_

#include <functional>

#include "absl/strings/string_view.h"
#include "common/logging.h"

namespace einvoice {

using LogSink = std::function<void(LogLevel, absl::string_view)>;

// `sink` receives the lines let through ("grpc: <file>:<line> <message>"); default: LogLine.
void RouteGrpcLogs(int lines_per_minute, LogSink sink = LogLine);

}  // namespace einvoice

#endif  // EINVOICE_SERVER_GRPC_LOG_H_
