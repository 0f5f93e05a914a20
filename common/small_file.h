// ReadSmallFile: the whole of a configuration file (an access policy, a rule profile, a PEM
// bundle), refusing one larger than a bound so a wrong path (a log, a device) cannot make the
// server read without end.
//
// Errors: NOT_FOUND if the file cannot be opened; INVALID_ARGUMENT if it is larger than
// `max_bytes`. Both name the file. Thread-safe (no shared state).
#ifndef EINVOICE_COMMON_SMALL_FILE_H_
#define EINVOICE_COMMON_SMALL_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace einvoice {

absl::StatusOr<std::string> ReadSmallFile(const std::string& path, size_t max_bytes);

}  // namespace einvoice

#endif  // EINVOICE_COMMON_SMALL_FILE_H_
