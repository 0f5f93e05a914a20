// ValidateInvoice: checks an invoice's own content against the format and the rules of the
// domain brief (§1, §2, §4) and reports every problem found, each as a catalogue violation
// (rules/violation_catalogue.h, docs/violations.md) with the path of the offending field
// ("seller.tax_code", "lines[2].amount", "totals.rate_summaries[0].tax_amount").
//
// What it does NOT check: the seller's registration and status, uniqueness of the invoice
// key, idempotency keys and signatures — those need the registry/store and belong to domain/.
//
// Cascades are avoided: each broken thing yields exactly one violation. When a field cannot be
// parsed its format violation is reported and the arithmetic that depends on it is skipped;
// totals are compared with what the lines (as written) imply, never with other totals that
// may themselves be wrong.
//
// Rounding tolerances: a line amount may differ from quantity × unit_price − discount_amount
// by one currency unit (1 VND, 0.01 for other currencies); a rate summary's tax from
// taxable × rate by one unit per line at that rate; total_tax from Σ taxable × rate by one unit
// per line. Sums of amounts and total_payable = total_before_tax + total_tax + Σ fees are
// exact: fees (`totals.fees`, DSLPhi/LPhi, QĐ1450 v2.1.0) are collected on top of the goods,
// services and VAT, so they count in the total payable.
//
// A delivery note (template 6: symbol letter N, internal transfer, or B, consignment) carries no
// VAT either: as for template 2, but a rate written on a line is not checked (that rule is not
// one of its template). Its seller and buyer may carry the delivery elements (transfer order,
// contract, dispatcher, transporter, means of transport, receiver), which no other template
// may (20001 format.pattern); the buyer's tax code is checked as on any invoice (an internal
// transfer's receiver is often the seller's own branch, `<MST>-001`).
//
// A sales invoice (template 2, sellers on the direct method) carries no VAT: its lines have no
// vat_rate (20311 if one does), it has no rate summaries, its total_tax may be omitted (and is
// 0 if given), and total_payable = total_before_tax (+ Σ fees).
//
// The v2.1.0 elements that carry no arithmetic (a line's tax_amount and amount_after_tax,
// totals.total_not_taxable and total_other, the TTKhac entries everywhere, the list and
// entrusted-issuer fields) are checked for shape only: lengths, decimals, dates, 0/1 flags.
//
// Pure function of its arguments; thread-safe.
#ifndef EINVOICE_RULES_INVOICE_VALIDATOR_H_
#define EINVOICE_RULES_INVOICE_VALIDATOR_H_

#include <vector>

#include "absl/time/civil_time.h"
#include "einvoice/v1/invoice.pb.h"
#include "rules/violation.h"

namespace einvoice {

// Every violation found in `invoice`, in field order; empty if it is valid. `today_in_vietnam`
// is the current calendar day in Vietnam (VietnamDay(clock.Now())): issue dates after it are
// rejected, today is accepted.
std::vector<Violation> ValidateInvoice(const v1::Invoice& invoice,
                                       absl::CivilDay today_in_vietnam);

// How the invoice reached the authority, which decides one symbol rule: a request for a code
// (message 200, SubmitInvoice) may not carry a cash-register symbol (20307
// symbol.cash_register); cash-register data (message 206) must (20308
// symbol.not_cash_register). Every other rule is the same.
enum class Intake { kCodeRequest, kCashRegister };
std::vector<Violation> ValidateInvoice(const v1::Invoice& invoice,
                                       absl::CivilDay today_in_vietnam, Intake intake);

// Maximum lengths (in characters, i.e. Unicode code points) of the free-text fields, from the
// brief's tables and invoice.proto.
inline constexpr int kMaxInvoiceNameLength = 100;
inline constexpr int kMaxPartyNameLength = 400;
inline constexpr int kMaxAddressLength = 400;
inline constexpr int kMaxLineNameLength = 500;
inline constexpr int kMaxOtherInfoValueLength = 500;
inline constexpr uint32_t kMaxInvoiceNumber = 99999999;
// The earliest issue date accepted: e-invoices with a tax authority code began in 2018
// (Decree 119/2018/NĐ-CP).
inline constexpr absl::CivilDay kFirstIssueDate(2018, 1, 1);
// Most lines per invoice (`lines`, DSHHDVu/HHDVu). Beyond it only the count is reported.
inline constexpr int kMaxLines = 10000;
// Most per-rate summaries and most TTKhac entries.
inline constexpr int kMaxRateSummaries = 100;
inline constexpr int kMaxOtherInfo = 100;
// TTKhac/TTin: field name and data type lengths.
inline constexpr int kMaxOtherInfoFieldLength = 100;
inline constexpr int kMaxOtherInfoTypeLength = 50;
// Most fees (`totals.fees`, DSLPhi/LPhi) and the length of a fee's name (TLPhi).
inline constexpr int kMaxFees = 100;
inline constexpr int kMaxFeeNameLength = 100;

}  // namespace einvoice

#endif  // EINVOICE_RULES_INVOICE_VALIDATOR_H_
