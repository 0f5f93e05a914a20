// A minimal line logger to stderr (Debian 12's Abseil has no absl/log).
// Thread-safe: each line is formatted first and written with one write(2).
// Never log key material or PINs.
#ifndef EINVOICE_COMMON_LOGGING_H_
#define EINVOICE_COMMON_LOGGING_H_

#include "absl/strings/string_view.h"

#include "absl/strings/str_cat.h"

namespace einvoice {

enum class LogLevel { kInfo, kWarning, kError };

// Writes "<UTC time> <level> <message>\n" to stderr.
void LogLine(LogLevel level, absl::string_view message);

// LOG_INFO("listening on ", address);
template <typename... Args>
void LogInfo(const Args&... args) { LogLine(LogLevel::kInfo, absl::StrCat(args...)); }
template <typename... Args>
void LogWarning(const Args&... args) { LogLine(LogLevel::kWarning, absl::StrCat(args...)); }
template <typename... Args>
void LogError(const Args&... args) { LogLine(LogLevel::kError, absl::StrCat(args...)); }

}  // namespace einvoice

#endif  // EINVOICE_COMMON_LOGGING_H_
