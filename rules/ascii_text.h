// Character-class checks on ASCII text that several rules share (tax codes, cash-register
// codes). Pure functions; thread-safe.
#ifndef EINVOICE_RULES_ASCII_TEXT_H_
#define EINVOICE_RULES_ASCII_TEXT_H_

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace einvoice {

// True if every character of `s` is an ASCII digit (also for "": callers check lengths).
inline bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace einvoice

#endif  // EINVOICE_RULES_ASCII_TEXT_H_
