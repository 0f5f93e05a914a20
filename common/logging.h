// A minimal line logger to stderr (Debian 12's Abseil has no absl/log): LogInfo, LogWarning
// and LogError take any arguments absl::StrCat takes. gRPC's own lines are routed here too,
// throttled (server/grpc_log.h).
// Thread-safe: each line is formatted first and written with one write(2).
// Never log key material, PINs or invoice content.
#ifndef EINVOICE_COMMON_LOGGING_H_
#define EINVOICE_COMMON_LOGGING_H_

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace einvoice {

enum class LogLevel { kInfo, kWarning, kError };

// Writes "<UTC time> <level> <message>\n" to stderr.
void LogLine(LogLevel level, absl::string_view message);

// LogInfo("serving on ", address, ":", port);
template <typename... Args>
void LogInfo(const Args&... args) { LogLine(LogLevel::kInfo, absl::StrCat(args...)); }
template <typename... Args>
void LogWarning(const Args&... args) { LogLine(LogLevel::kWarning, absl::StrCat(args...)); }
template <typename... Args>
void LogError(const Args&... args) { LogLine(LogLevel::kError, absl::StrCat(args...)); }

}  // namespace einvoice

#endif  // EINVOICE_COMMON_LOGGING_H_
