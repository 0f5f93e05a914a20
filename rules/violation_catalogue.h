// The violation catalogue: every kind of problem the service reports about a submitted
// invoice, with its 5-digit code, stable rule name and messages (Vietnamese as the authority
// writes them, and English). docs/violations.md documents each entry and how to fix it; a test
// keeps the two in step.
//
// Code groups:
//   20000  more violations than a rejection lists (the summary LimitViolations() appends)
//   20001  format errors (required, length, pattern, decimal, code list, uniqueness); the rule
//          name says which, the detail names the value
//   201xx  seller registration and status            (reserved: checked by domain/)
//   202xx  tax codes
//   203xx  template code, symbol, number
//   204xx  dates
//   205xx  currency and VAT rates
//   206xx  uniqueness and idempotency                 (reserved: checked by domain/)
//   207xx  amounts and totals arithmetic
//   208xx  related invoice (replacements, adjustments)
//
// Constants only; thread-safe.
#ifndef EINVOICE_RULES_VIOLATION_CATALOGUE_H_
#define EINVOICE_RULES_VIOLATION_CATALOGUE_H_

#include "rules/violation.h"

namespace einvoice {

// ---- 20000: the summary of violations not listed ----------------------------------------------
inline constexpr ViolationType kMoreViolations{
    "20000", "violations.more", "Hóa đơn còn lỗi khác không được liệt kê",
    "The invoice has more violations than are listed"};

// ---- 20001: format errors -------------------------------------------------------------------
inline constexpr ViolationType kFormatRequired{
    "20001", "format.required", "Sai định dạng dữ liệu", "Invalid data format"};
inline constexpr ViolationType kFormatMaxLength{
    "20001", "format.max_length", "Sai định dạng dữ liệu", "Invalid data format"};
inline constexpr ViolationType kFormatPattern{
    "20001", "format.pattern", "Sai định dạng dữ liệu", "Invalid data format"};
inline constexpr ViolationType kFormatDecimal{
    "20001", "format.decimal", "Sai định dạng dữ liệu", "Invalid data format"};
inline constexpr ViolationType kFormatCodeList{
    "20001", "format.code_list", "Sai định dạng dữ liệu", "Invalid data format"};
inline constexpr ViolationType kFormatUnique{
    "20001", "format.unique", "Sai định dạng dữ liệu", "Invalid data format"};

// ---- 201xx: seller (RESERVED: reported by domain/ from the seller registry) -----------------
inline constexpr ViolationType kSellerNotRegistered{
    "20101", "seller.not_registered",
    "Người bán chưa đăng ký sử dụng hóa đơn điện tử có mã của cơ quan thuế",
    "The seller is not registered to use e-invoices with a tax authority code"};
inline constexpr ViolationType kSellerNotActive{
    "20102", "seller.not_active",
    "Người bán đang tạm ngừng hoặc đã ngừng sử dụng hóa đơn điện tử có mã của cơ quan thuế",
    "The seller's use of e-invoices with a tax authority code is suspended or stopped"};

// ---- 202xx: tax codes ------------------------------------------------------------------------
inline constexpr ViolationType kTaxCodeCheckDigit{
    "20201", "tax_code.check_digit", "Mã số thuế không hợp lệ: sai chữ số kiểm tra",
    "Invalid tax code: wrong check digit"};
inline constexpr ViolationType kTaxCodeProvince{
    "20202", "tax_code.province", "Mã số thuế không hợp lệ: mã tỉnh không được là 00",
    "Invalid tax code: the province part must not be 00 (000 for a personal id)"};
inline constexpr ViolationType kTaxCodeSequence{
    "20203", "tax_code.sequence", "Mã số thuế không hợp lệ: số thứ tự không được là 0000000",
    "Invalid tax code: the sequence part must not be 0000000"};
inline constexpr ViolationType kTaxCodeBranch{
    "20204", "tax_code.branch",
    "Mã số thuế không hợp lệ: mã đơn vị phụ thuộc không được là 000",
    "Invalid tax code: the branch number must not be 000"};

// ---- 203xx: template code, symbol, number ---------------------------------------------------
inline constexpr ViolationType kTemplateCodeUnknown{
    "20301", "template_code.unknown", "Ký hiệu mẫu số hóa đơn không hợp lệ (từ 1 đến 7)",
    "Unknown invoice template code (1 to 7)"};
inline constexpr ViolationType kSymbolNotCoded{
    "20302", "symbol.not_coded",
    "Ký hiệu hóa đơn bắt đầu bằng K là hóa đơn không có mã của cơ quan thuế, không cấp mã",
    "A symbol starting with K denotes an invoice without a tax authority code; it cannot be "
    "coded"};
inline constexpr ViolationType kSymbolFormat{
    "20303", "symbol.format", "Ký hiệu hóa đơn không đúng định dạng",
    "Invalid invoice symbol"};
inline constexpr ViolationType kSymbolKind{
    "20304", "symbol.kind", "Ký tự thứ 4 của ký hiệu hóa đơn không thuộc loại hóa đơn quy định",
    "Character 4 of the invoice symbol is not a known invoice kind"};
inline constexpr ViolationType kSymbolYearMismatch{
    "20305", "symbol.year_mismatch", "Năm trên ký hiệu hóa đơn không khớp với năm lập hóa đơn",
    "The year in the invoice symbol does not match the issue date's year"};
inline constexpr ViolationType kSymbolCashRegister{
    "20307", "symbol.cash_register",
    "Hóa đơn khởi tạo từ máy tính tiền (ký hiệu có chữ M) gửi dữ liệu theo thông điệp 206, "
    "không đề nghị cấp mã từng hóa đơn",
    "A cash-register invoice (symbol kind letter M) is sent as cash-register data (message "
    "206), not as a request for a code"};
inline constexpr ViolationType kNumberOutOfRange{
    "20306", "number.out_of_range", "Số hóa đơn phải từ 1 đến 99 999 999",
    "The invoice number must be between 1 and 99 999 999"};

// ---- 204xx: dates ----------------------------------------------------------------------------
inline constexpr ViolationType kDateInvalid{
    "20401", "date.invalid", "Ngày không hợp lệ (định dạng YYYY-MM-DD, phải là ngày có thật)",
    "Invalid date (YYYY-MM-DD, a real calendar date)"};
inline constexpr ViolationType kIssueDateInFuture{
    "20402", "issue_date.future", "Ngày lập hóa đơn lớn hơn ngày hiện tại",
    "The issue date is in the future (Vietnam time)"};
inline constexpr ViolationType kIssueDateBeforeEinvoices{
    "20403", "issue_date.too_early",
    "Ngày lập hóa đơn trước năm 2018, trước khi có hóa đơn điện tử có mã của cơ quan thuế",
    "The issue date is before 2018, before e-invoices with a tax authority code existed"};

// ---- 205xx: currency and VAT rates -----------------------------------------------------------
inline constexpr ViolationType kCurrencyInvalid{
    "20501", "currency.invalid",
    "Mã đơn vị tiền tệ không hợp lệ (3 chữ cái in hoa theo ISO 4217)",
    "Invalid currency code (3 upper-case letters, ISO 4217)"};
inline constexpr ViolationType kExchangeRateRequired{
    "20502", "exchange_rate.required", "Thiếu tỷ giá đối với hóa đơn không dùng đồng Việt Nam",
    "An exchange rate is required when the currency is not VND"};
inline constexpr ViolationType kExchangeRateNotPositive{
    "20503", "exchange_rate.not_positive", "Tỷ giá phải lớn hơn 0",
    "The exchange rate must be greater than 0"};
inline constexpr ViolationType kVatRateUnknown{
    "20504", "vat_rate.unknown",
    "Thuế suất không hợp lệ (0%, 5%, 8%, 10%, KCT, KKKNT hoặc KHAC:AB.CD%)",
    "Unknown VAT rate (0%, 5%, 8%, 10%, KCT, KKKNT or KHAC:AB.CD%)"};
inline constexpr ViolationType kVatRateReducedExpired{
    "20505", "vat_rate.reduced_rate_expired",
    "Thuế suất 8% chỉ áp dụng cho hóa đơn lập trong thời gian giảm thuế GTGT "
    "(01/02/2022–31/12/2022, 01/07/2023–31/12/2026)",
    "The reduced 8% VAT rate applies only to invoices issued while the VAT reduction was in "
    "force (2022-02-01 to 2022-12-31, 2023-07-01 to 2026-12-31)"};

// ---- 206xx: uniqueness (RESERVED: reported by domain/ from the invoice store) ---------------
inline constexpr ViolationType kDuplicateInvoice{
    "20609", "invoice.duplicate",
    "Bộ MST, ký hiệu mẫu số, ký hiệu và số hóa đơn không duy nhất",
    "The set of seller tax code, template code, symbol and invoice number is not unique"};
inline constexpr ViolationType kIdempotencyKeyConflict{
    "20611", "invoice.idempotency_key_conflict",
    "Khóa chống gửi trùng (idempotency key) đã được dùng cho một hóa đơn khác",
    "The idempotency key was already used for a different invoice"};
inline constexpr ViolationType kIdempotencyKeyTooLong{
    "20612", "invoice.idempotency_key_too_long",
    "Khóa chống gửi trùng (idempotency key) dài quá 128 ký tự",
    "The idempotency key is longer than 128 characters"};

// ---- 207xx: amounts and totals ---------------------------------------------------------------
inline constexpr ViolationType kLineAmountMismatch{
    "20701", "line.amount_mismatch",
    "Thành tiền không bằng số lượng nhân đơn giá trừ số tiền chiết khấu",
    "The line amount is not quantity × unit price − discount amount"};
inline constexpr ViolationType kNegativeAmount{
    "20702", "amount.negative", "Giá trị âm chỉ được dùng trên hóa đơn điều chỉnh",
    "Negative values are allowed only on adjustment invoices"};
inline constexpr ViolationType kDiscountRateRange{
    "20703", "line.discount_rate_range", "Tỷ lệ chiết khấu phải từ 0 đến 100",
    "The discount rate must be between 0 and 100"};
inline constexpr ViolationType kRateSummaryMissing{
    "20704", "totals.rate_summary_missing", "Thiếu dòng tổng hợp cho thuế suất",
    "No summary for a VAT rate used by the lines"};
inline constexpr ViolationType kRateSummaryExtra{
    "20705", "totals.rate_summary_extra",
    "Dòng tổng hợp theo thuế suất không có hàng hóa, dịch vụ nào",
    "A VAT rate summary for a rate no line uses"};
inline constexpr ViolationType kRateSummaryDuplicate{
    "20706", "totals.rate_summary_duplicate", "Trùng dòng tổng hợp theo thuế suất",
    "More than one summary for the same VAT rate"};
inline constexpr ViolationType kRateTaxableMismatch{
    "20707", "totals.rate_taxable_mismatch",
    "Tổng thành tiền chưa thuế theo thuế suất không đúng",
    "The taxable amount of a VAT rate summary is not the sum of its lines"};
inline constexpr ViolationType kRateTaxMismatch{
    "20708", "totals.rate_tax_mismatch", "Tiền thuế theo thuế suất không đúng",
    "The tax amount of a VAT rate summary is not taxable amount × rate"};
inline constexpr ViolationType kTotalBeforeTaxMismatch{
    "20709", "totals.total_before_tax_mismatch", "Tổng tiền chưa thuế không đúng",
    "The total before tax is not the sum of the line amounts"};
inline constexpr ViolationType kTotalTaxMismatch{
    "20710", "totals.total_tax_mismatch", "Tổng tiền thuế không đúng",
    "The total tax is not the sum of the per-rate tax amounts"};
inline constexpr ViolationType kTotalTradeDiscountMismatch{
    "20711", "totals.total_trade_discount_mismatch",
    "Tổng tiền chiết khấu thương mại không đúng",
    "The total trade discount is not the sum of the trade-discount lines"};
inline constexpr ViolationType kTotalPayableMismatch{
    "20712", "totals.total_payable_mismatch",
    "Tổng tiền thanh toán không bằng tổng tiền chưa thuế cộng tổng tiền thuế",
    "The total payable is not total before tax + total tax"};
inline constexpr ViolationType kAmountOutOfRange{
    "20713", "amount.out_of_range", "Giá trị vượt quá giới hạn cho phép",
    "A value or computed amount is too large"};
inline constexpr ViolationType kAmountInWordsMissing{
    "20714", "totals.amount_in_words_missing", "Thiếu tổng tiền thanh toán bằng chữ",
    "The total payable in words is missing"};
inline constexpr ViolationType kUnitPriceMissing{
    "20715", "line.unit_price_missing", "Thiếu đơn giá của hàng hóa, dịch vụ có số lượng",
    "A line with a quantity has no unit price"};

// ---- 208xx: related invoice -----------------------------------------------------------------
inline constexpr ViolationType kRelatedIncomplete{
    "20801", "related.incomplete", "Thiếu thông tin hóa đơn liên quan",
    "The related invoice information is incomplete"};
inline constexpr ViolationType kRelatedDateAfterInvoice{
    "20802", "related.date_after_invoice",
    "Ngày lập hóa đơn liên quan sau ngày lập hóa đơn này",
    "The related invoice is dated after this invoice"};

// Every entry above, in code order.
inline constexpr const ViolationType* kAllViolationTypes[] = {
    &kMoreViolations,
    &kFormatRequired,
    &kFormatMaxLength,
    &kFormatPattern,
    &kFormatDecimal,
    &kFormatCodeList,
    &kFormatUnique,
    &kSellerNotRegistered,
    &kSellerNotActive,
    &kTaxCodeCheckDigit,
    &kTaxCodeProvince,
    &kTaxCodeSequence,
    &kTaxCodeBranch,
    &kTemplateCodeUnknown,
    &kSymbolNotCoded,
    &kSymbolFormat,
    &kSymbolKind,
    &kSymbolYearMismatch,
    &kNumberOutOfRange,
    &kSymbolCashRegister,
    &kDateInvalid,
    &kIssueDateInFuture,
    &kIssueDateBeforeEinvoices,
    &kCurrencyInvalid,
    &kExchangeRateRequired,
    &kExchangeRateNotPositive,
    &kVatRateUnknown,
    &kVatRateReducedExpired,
    &kDuplicateInvoice,
    &kIdempotencyKeyConflict,
    &kIdempotencyKeyTooLong,
    &kLineAmountMismatch,
    &kNegativeAmount,
    &kDiscountRateRange,
    &kRateSummaryMissing,
    &kRateSummaryExtra,
    &kRateSummaryDuplicate,
    &kRateTaxableMismatch,
    &kRateTaxMismatch,
    &kTotalBeforeTaxMismatch,
    &kTotalTaxMismatch,
    &kTotalTradeDiscountMismatch,
    &kTotalPayableMismatch,
    &kAmountOutOfRange,
    &kAmountInWordsMissing,
    &kUnitPriceMissing,
    &kRelatedIncomplete,
    &kRelatedDateAfterInvoice,
};

}  // namespace einvoice

#endif  // EINVOICE_RULES_VIOLATION_CATALOGUE_H_
