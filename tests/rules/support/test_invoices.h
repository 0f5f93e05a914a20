// Test invoices shared by the tests (and benchmark workloads): one valid baseline invoice to
// mutate one thing at a time, and a seeded generator of valid invoices.
//
// All parties are synthetic: names say "thử nghiệm" (test), tax codes are made up with a
// computed check digit in province 99 — never a real company's or person's data.
//
// Pure functions; thread-safe.
#ifndef EINVOICE_TESTS_RULES_SUPPORT_TEST_INVOICES_H_
#define EINVOICE_TESTS_RULES_SUPPORT_TEST_INVOICES_H_

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "einvoice/v1/invoice.pb.h"

namespace einvoice::testing {

// The day BaselineInvoice() is issued (2026-11-20) and the "today" that validates it
// (2026-11-22, Vietnam time).
inline constexpr absl::CivilDay kBaselineIssueDay(2026, 11, 20);
inline constexpr absl::CivilDay kBaselineToday(2026, 11, 22);

// A synthetic, valid 10-digit tax code: "99" + 7 digits derived from `n` + check digit.
// Different `n` (0 <= n < 10^6) give different codes; the sequence part is never all zeros.
std::string SyntheticTaxCode(uint32_t n);

// The baseline's seller and buyer tax codes.
std::string BaselineSellerTaxCode();
std::string BaselineBuyerTaxCode();

// One valid invoice: version 2.1.0, template "1", symbol "C26TAA", number 1, issued
// 2026-11-20, VND; three lines — 10 × 85 000 at 8%, 1 × 1 200 000 at 10%, 3 × 45 500 at KCT —
// and the totals that add up (before tax 2 186 500, tax 188 000, payable 2 374 500).
// ValidateInvoice(BaselineInvoice(), kBaselineToday) is empty.
v1::Invoice BaselineInvoice();

// BaselineInvoice() with every element QĐ1450 v2.1.0 defines for a template 1 invoice filled
// in (valid values): the TTChung extras (MHSo, HDDCKPTQuan, SBKe/NBKe, the entrusted issuer,
// HDCTTChinh), a Decree 70 list-based adjustment reference (TTHDLQuan with SBKCLQuan/
// NBKCLQuan), the seller's Fax/Website/MCHang/TCHang, the buyer's MDVQHNSach, a line's
// TThue/TSThue, a special-goods line (nature 5) with TTHHDTrung, TGTKCThue/TGTKhac, two fees
// (DSLPhi/LPhi: total payable 2 374 500 + 25 000 = 2 399 500) and TTKhac entries on DLHDon,
// TTChung, NDHDon, NBan, NMua, HHDVu and TToan. Values contain XML-special characters.
// ValidateInvoice(FullV210Invoice(), kBaselineToday) is empty.
v1::Invoice FullV210Invoice();

// A delivery note (template 6): an internal transfer ("C26NAA") of the baseline's goods to the
// seller's own branch (buyer tax code `<seller>-001`), with every delivery element (transfer
// order, contract number and date, dispatcher, transporter, means of transport, receiver).
// No VAT: lines without rates, no rate summaries or total tax, payable = before tax.
// ValidateInvoice(DeliveryNoteInvoice(), kBaselineToday) is empty.
v1::Invoice DeliveryNoteInvoice();

struct RandomInvoiceOptions {
  // Seller tax code; empty = SyntheticTaxCode(seed % 1000).
  std::string seller_tax_code;
  // Issue date; the symbol's year follows it. 8% lines only when allowed on that day.
  absl::CivilDay issue_day = kBaselineIssueDay;
  // Invoice number; 0 = derived from the seed (1..99 999 999).
  uint32_t number = 0;
  // Symbol suffix (characters 5–6).
  std::string symbol_suffix = "AA";
};

// A valid invoice (1–20 lines, a realistic VAT mix dominated by 8% and 10%, some KCT and 0%,
// occasionally 5%, a trade-discount line or a note line) with totals from FillTotals(). The
// same seed gives the same invoice on every platform.
v1::Invoice RandomValidInvoice(uint64_t seed, const RandomInvoiceOptions& options = {});

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_RULES_SUPPORT_TEST_INVOICES_H_
