// The `einvoice` CLI's exit codes, and how a failure's absl::StatusCode maps to one.
// Scripts rely on these numbers: they are part of the CLI's interface (docs/cli.md). Pure
// functions; thread-safe.
#ifndef EINVOICE_TOOLS_CLI_EXIT_CODES_H_
#define EINVOICE_TOOLS_CLI_EXIT_CODES_H_

#include "absl/status/status.h"

namespace einvoice::cli {

enum ExitCode : int {
  // Success (for `verify`: the invoice is genuine).
  kExitOk = 0,
  // Bad command line: unknown command or option, missing or malformed argument.
  kExitUsage = 1,
  // The server has no such invoice or seller (NOT_FOUND).
  kExitNotFound = 2,
  // The input was refused: an invoice rejected by the server (INVALID_ARGUMENT,
  // ALREADY_EXISTS, FAILED_PRECONDITION), or an input file that cannot be read or parsed.
  kExitRejected = 3,
  // `verify`, `audit verify`, `admin check`: what was checked is NOT sound (an invoice not
  // genuine, a broken audit chain, an inconsistent store).
  kExitVerificationFailed = 4,
  // The server could not be reached or did not answer in time (UNAVAILABLE,
  // DEADLINE_EXCEEDED) or is overloaded (RESOURCE_EXHAUSTED); safe to retry.
  kExitUnavailable = 5,
  // Anything else (INTERNAL, DATA_LOSS, a file that cannot be written...).
  kExitOther = 6,
  // The server refused the caller: its certificate does not allow this (PERMISSION_DENIED), or
  // no client certificate was presented (UNAUTHENTICATED).
  kExitDenied = 7,
};

// The exit code for a failed operation with `code`; kExitOk for OK.
ExitCode ExitCodeFor(absl::StatusCode code);

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_EXIT_CODES_H_
