// Invoice symbols (KHHDon), per the domain brief §2: 6 characters `C YY L XX`.
//   1st   'C' = invoice with a tax-authority code; 'K' = without (this service cannot code it)
//   2–3   last two digits of the issue date's year
//   4th   kind letter: T D L M N B G H X
//   5–6   upper-case letters or digits chosen by the seller
// Examples: "C25TQD", "C26THH", "C26TAA".
//
// Pure functions; thread-safe.
#ifndef EINVOICE_RULES_INVOICE_SYMBOL_H_
#define EINVOICE_RULES_INVOICE_SYMBOL_H_

#include <optional>

#include "absl/strings/string_view.h"

namespace einvoice {

// What is wrong with a symbol's grammar; kOk if nothing. Checked in this order.
enum class SymbolProblem {
  kOk,
  // Not exactly 6 characters.
  kBadLength,
  // First character 'K': an invoice without a tax-authority code; cannot be coded here.
  kNotCoded,
  // First character neither 'C' nor 'K'.
  kBadFirstLetter,
  // Characters 2–3 are not digits.
  kBadYear,
  // Character 4 is not one of T D L M N B G H X.
  kBadKind,
  // Characters 5–6 are not upper-case ASCII letters or digits.
  kBadSuffix,
};

// Checks the grammar of a symbol of a coded ('C') invoice.
SymbolProblem CheckInvoiceSymbol(absl::string_view symbol);

// The 2-digit year (0..99) of a symbol whose characters 2–3 are digits; nullopt otherwise.
std::optional<int> SymbolYear(absl::string_view symbol);

// True if `symbol`'s year matches `issue_year` (compared modulo 100).
bool SymbolYearMatches(absl::string_view symbol, int issue_year);

// True for a well-formed symbol whose kind letter (character 4) is 'M': an invoice made by a
// cash register, which the seller codes itself and sends afterwards as cash-register data
// (message 206), never as a request for a code.
bool IsCashRegisterSymbol(absl::string_view symbol);

// Whether a well-formed symbol's kind letter (character 4) goes with `template_code` ("1".."7"),
// where QĐ1450 / Circular 78 tie the two (20312 symbol.template_mismatch otherwise):
//   N, B (delivery notes: internal transfer, consignment)  <=> template 6
//   template 3 or 4 (public-asset, national-reserve sale)   =>  D
//   M (cash register)                                        =>  template 1 or 2
// Every other pair is accepted: T, L, G, H, X and D go with any template that does not require
// another letter (D is also the letter of template 1/2 invoices with simplified contents).
// True when either argument is malformed (their own rules report that).
bool SymbolKindFitsTemplate(absl::string_view symbol, absl::string_view template_code);

// English / Vietnamese description of a problem.
absl::string_view SymbolProblemDescription(SymbolProblem problem);
absl::string_view SymbolProblemDescriptionVi(SymbolProblem problem);

}  // namespace einvoice

#endif  // EINVOICE_RULES_INVOICE_SYMBOL_H_
