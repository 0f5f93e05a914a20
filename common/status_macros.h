// Early-return helpers for absl::Status / absl::StatusOr, which Debian 12's Abseil lacks.
// Header-only; no state, so thread-safe.
#ifndef EINVOICE_COMMON_STATUS_MACROS_H_
#define EINVOICE_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define EINVOICE_CONCAT_INNER_(a, b) a##b
#define EINVOICE_CONCAT_(a, b) EINVOICE_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                            \
  do {                                                   \
    ::absl::Status einvoice_status_ = (expr);            \
    if (!einvoice_status_.ok()) return einvoice_status_; \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, F());` declares/assigns `x` from a StatusOr or returns its error.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  EINVOICE_ASSIGN_OR_RETURN_IMPL_(EINVOICE_CONCAT_(einvoice_statusor_, __LINE__), lhs, rexpr)

#define EINVOICE_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                     \
  if (!statusor.ok()) return std::move(statusor).status();     \
  lhs = std::move(statusor).value()

#endif  // EINVOICE_COMMON_STATUS_MACROS_H_
