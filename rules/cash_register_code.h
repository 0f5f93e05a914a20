// The code a cash register's software gives each invoice it makes (Decree 123 art. 11, Circular
// 78): sellers with registered cash registers code their own invoices and send them to the
// authority afterwards (message 206), so for these invoices the seller's code is the invoice's
// code -- where every other invoice carries the authority's MCCQT.
//
// Grammar, 23 characters: M<template>-<YY>-<5 letters/digits>-<11 digits>
//   M              fixed: made by a cash register
//   <template>     one digit 1..6: the invoice's template code (KHMSHDon)
//   <YY>           the last two digits of the year the invoice was issued
//   <5 …>          upper-case letters or digits naming the seller's software / register
//   <11 digits>    the register's running number
// e.g. "M1-26-ABCDE-00000000001". docs/violations.md (20309, 20310).
//
// Pure functions; thread-safe.
#ifndef EINVOICE_RULES_CASH_REGISTER_CODE_H_
#define EINVOICE_RULES_CASH_REGISTER_CODE_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "einvoice/v1/invoice.pb.h"
#include "rules/violation.h"

namespace einvoice {

inline constexpr size_t kCashRegisterCodeLength = 23;

// True when `code` follows the grammar above (shape only).
bool IsCashRegisterCode(absl::string_view code);

// The problems of `code` as the code of `invoice`, reported at `field`: 20309
// cash_register.code_format when it does not follow the grammar (nothing more is checked),
// else 20310 cash_register.code_mismatch when its template digit is not the invoice's
// template_code or its year is not the issue date's (an unreadable issue date is left to
// ValidateInvoice). Empty when the code fits the invoice.
std::vector<Violation> CheckCashRegisterCode(absl::string_view code, const v1::Invoice& invoice,
                                             absl::string_view field);

}  // namespace einvoice

#endif  // EINVOICE_RULES_CASH_REGISTER_CODE_H_
