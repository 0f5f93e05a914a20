// Tax codes (MST) and citizen id numbers, per the domain brief §2.
//
// A tax code is one of:
//   - 10 digits "PPSSSSSSSC": province PP (not "00"), sequence SSSSSSS (not "0000000"), check
//     digit C = 10 − (Σ dᵢ·wᵢ mod 11) over digits 1–9 with weights 31 29 23 19 17 13 7 5 3;
//     a remainder of 0 makes the number invalid (no digit can be computed);
//   - the same 10 digits + "-" + a 3-digit branch number (not "000");
//   - a 12-digit personal id number (individuals and household businesses since July 2025),
//     accepted as is: no check digit.
//
// Pure functions; thread-safe.
#ifndef EINVOICE_RULES_TAX_CODE_H_
#define EINVOICE_RULES_TAX_CODE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace einvoice {

// What is wrong with a tax code; kOk if nothing. When several things are wrong the first in
// this order is reported: format, province, sequence, check digit, branch.
enum class TaxCodeProblem {
  kOk,
  // Not 10 digits, 10 digits + "-" + 3 digits, or 12 digits.
  kBadFormat,
  // Province part (digits 1–2) is "00", or (a 12-digit personal id) digits 1–3 are "000".
  kBadProvince,
  // Sequence part (digits 3–9) is "0000000".
  kBadSequence,
  // Digit 10 is not the check digit of digits 1–9 (or digits 1–9 have none: remainder 0).
  kBadCheckDigit,
  // Branch part is "000".
  kBadBranch,
};

// Which kind of tax code a valid code is.
enum class TaxCodeKind {
  kEnterprise,  // 10 digits
  kBranch,      // 10 digits + "-" + 3 digits
  kPersonalId,  // 12 digits
};

// Checks `tax_code` (exactly as written: no trimming).
TaxCodeProblem CheckTaxCode(absl::string_view tax_code);

// The kind of a code for which CheckTaxCode() returns kOk; nullopt otherwise.
std::optional<TaxCodeKind> ClassifyTaxCode(absl::string_view tax_code);

// English description of a problem, e.g. "check digit does not match".
absl::string_view TaxCodeProblemDescription(TaxCodeProblem problem);
// The same in Vietnamese.
absl::string_view TaxCodeProblemDescriptionVi(TaxCodeProblem problem);

// The check digit ('0'..'9') for the first 9 digits of a tax code; nullopt if `first_nine`
// is not exactly 9 digits or its weighted sum is divisible by 11 (no valid code exists).
std::optional<char> TaxCodeCheckDigit(absl::string_view first_nine);

// `first_nine` followed by its check digit: a valid 10-digit tax code for synthetic data
// (tests, generators). nullopt when TaxCodeCheckDigit() is nullopt or the province or
// sequence part is all zeros.
std::optional<std::string> CompleteTaxCode(absl::string_view first_nine);

// True if `id` is a citizen id card number (CCCD): exactly 12 ASCII digits.
bool IsValidCitizenId(absl::string_view id);

}  // namespace einvoice

#endif  // EINVOICE_RULES_TAX_CODE_H_
