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
//   203xx  template code, symbol, number, cash-register codes
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
    "The invoice has more violations than are listed",
    "Sửa các lỗi đã liệt kê rồi gửi lại để xem các lỗi còn lại, hoặc gửi qua SubmitInvoices "
    "để nhận tối đa 100 lỗi một lần.",
    "Fix the violations listed and submit again to see the rest, or submit through "
    "`SubmitInvoices` to get up to 100 at once."};

// ---- 20001: format errors -------------------------------------------------------------------
inline constexpr ViolationType kFormatRequired{
    "20001", "format.required", "Sai định dạng dữ liệu", "Invalid data format",
    "Bổ sung dữ liệu bắt buộc còn thiếu tại trường đã nêu.",
    "Fill in the field. Required: `version`, `invoice_name`, `template_code`, `symbol`, "
    "`issue_date`, `currency`, `seller.name/tax_code/address`, `buyer.name` when the buyer "
    "has a tax code, at least one line, each line's `name`, and (except note lines) `amount` "
    "and `vat_rate`; `totals` with `total_before_tax`, `total_tax`, `total_payable` (a "
    "missing `unit_price` and a missing `total_payable_in_words` have rules of their own, "
    "20715 and 20714); each rate summary's `vat_rate`, `taxable_amount`, `tax_amount`."};
inline constexpr ViolationType kFormatMaxLength{
    "20001", "format.max_length", "Sai định dạng dữ liệu", "Invalid data format",
    "Rút ngắn nội dung: độ dài tính theo ký tự, không theo byte.",
    "Shorten the text. Limits are in characters (not bytes): `invoice_name` 100, party "
    "`name`/`address`/`bank_name` 400, `phone` 20, `email` 50, `bank_account` 30, "
    "`personal_name` 100, `passport` 20, `customer_code` 50, `payment_method` 50, "
    "`provider_tax_code` 14, line `name` 500, `item_code`/`unit` 50, `other_info[i].value` "
    "500, `related.note` 255."};
inline constexpr ViolationType kFormatPattern{
    "20001", "format.pattern", "Sai định dạng dữ liệu", "Invalid data format",
    "Mã số thuế gồm 10 chữ số, 10 chữ số kèm '-' và 3 chữ số (đơn vị phụ thuộc), hoặc 12 chữ "
    "số định danh cá nhân; số CCCD gồm đúng 12 chữ số.",
    "Tax code: 10 digits, 10 digits + `-` + 3 digits (branch), or a 12-digit personal id. "
    "Citizen id (CCCD): exactly 12 digits."};
inline constexpr ViolationType kFormatDecimal{
    "20001", "format.decimal", "Sai định dạng dữ liệu", "Invalid data format",
    "Ghi số dạng -123456.789: dấu '.' ngăn phần thập phân, tối đa 6 chữ số thập phân và 21 "
    "chữ số, không dùng dấu '+', số mũ, khoảng trắng hay dấu phân cách hàng nghìn.",
    "Write the number as `-123456.789`: `.` as decimal separator, at most 6 decimals and 21 "
    "digits, no `+`, exponent, spaces or thousands separators."};
inline constexpr ViolationType kFormatCodeList{
    "20001", "format.code_list", "Sai định dạng dữ liệu", "Invalid data format",
    "Dùng giá trị trong danh mục: phiên bản 2.0.0, 2.0.1 hoặc 2.1.0; tính chất dòng từ 1 đến "
    "5.",
    "`version` is `2.0.0`, `2.0.1` or `2.1.0`; a line's nature is 1 (goods/service), 2 "
    "(promotion), 3 (trade discount), 4 (note) or 5 (special goods)."};
inline constexpr ViolationType kFormatUnique{
    "20001", "format.unique", "Sai định dạng dữ liệu", "Invalid data format",
    "Đánh số thứ tự dòng 1, 2, 3… không trùng nhau (hoặc để trống trên mọi dòng).",
    "Number lines 1, 2, 3… without repeats (or leave `line_no` at 0 on every line)."};

// ---- 201xx: seller (RESERVED: reported by domain/ from the seller registry) -----------------
inline constexpr ViolationType kSellerNotRegistered{
    "20101", "seller.not_registered",
    "Người bán chưa đăng ký sử dụng hóa đơn điện tử có mã của cơ quan thuế",
    "The seller is not registered to use e-invoices with a tax authority code",
    "Đăng ký sử dụng hóa đơn điện tử có mã (mẫu 01/ĐKTĐ-HĐĐT) và chờ cơ quan thuế chấp nhận.",
    "Register for coded e-invoices (form 01/ĐKTĐ-HĐĐT) and wait for acceptance."};
inline constexpr ViolationType kSellerNotActive{
    "20102", "seller.not_active",
    "Người bán đang tạm ngừng hoặc đã ngừng sử dụng hóa đơn điện tử có mã của cơ quan thuế",
    "The seller's use of e-invoices with a tax authority code is suspended or stopped",
    "Liên hệ cơ quan thuế quản lý để khôi phục việc sử dụng hóa đơn điện tử.",
    "Contact the tax office managing the seller to restore the registration."};

// ---- 202xx: tax codes ------------------------------------------------------------------------
inline constexpr ViolationType kTaxCodeCheckDigit{
    "20201", "tax_code.check_digit", "Mã số thuế không hợp lệ: sai chữ số kiểm tra",
    "Invalid tax code: wrong check digit",
    "Kiểm tra lỗi gõ nhầm: chữ số thứ 10 là chữ số kiểm tra của 9 chữ số đầu.",
    "Check for a typo. Digit 10 must be `10 − (Σ dᵢ·wᵢ mod 11)` with weights 31 29 23 19 17 "
    "13 7 5 3 over digits 1–9 (e.g. `0100047516`)."};
inline constexpr ViolationType kTaxCodeProvince{
    "20202", "tax_code.province", "Mã số thuế không hợp lệ: mã tỉnh không được là 00",
    "Invalid tax code: the province part must not be 00 (000 for a personal id)",
    "Hai chữ số đầu là mã tỉnh, không được là 00; số định danh cá nhân bắt đầu bằng mã tỉnh "
    "3 chữ số khác 000.",
    "Digits 1–2 are a province code and are never `00`; a 12-digit personal id starts with a "
    "3-digit province code, never `000` (so `000000000000` is no tax code); check the code."};
inline constexpr ViolationType kTaxCodeSequence{
    "20203", "tax_code.sequence", "Mã số thuế không hợp lệ: số thứ tự không được là 0000000",
    "Invalid tax code: the sequence part must not be 0000000",
    "Các chữ số từ 3 đến 9 không được đều là 0; kiểm tra lại mã số thuế.",
    "Digits 3–9 are never all zeros; check the code."};
inline constexpr ViolationType kTaxCodeBranch{
    "20204", "tax_code.branch",
    "Mã số thuế không hợp lệ: mã đơn vị phụ thuộc không được là 000",
    "Invalid tax code: the branch number must not be 000",
    "Mã đơn vị phụ thuộc từ -001 đến -999; trụ sở chính dùng mã 10 chữ số.",
    "A branch suffix is `-001`…`-999`; use the 10-digit code for the head office."};

// ---- 203xx: template code, symbol, number ---------------------------------------------------
inline constexpr ViolationType kTemplateCodeUnknown{
    "20301", "template_code.unknown", "Ký hiệu mẫu số hóa đơn không hợp lệ (từ 1 đến 7)",
    "Unknown invoice template code (1 to 7)",
    "Dùng ký hiệu mẫu số từ 1 đến 7 (1 hóa đơn GTGT, 2 hóa đơn bán hàng, …).",
    "Use `1` VAT invoice, `2` sales invoice, `3` public-asset sale, `4` national-reserve "
    "sale, `5` other (stamps, tickets, cards), `6` documents managed as invoices, `7` "
    "commercial invoice."};
inline constexpr ViolationType kSymbolNotCoded{
    "20302", "symbol.not_coded",
    "Ký hiệu hóa đơn bắt đầu bằng K là hóa đơn không có mã của cơ quan thuế, không cấp mã",
    "A symbol starting with K denotes an invoice without a tax authority code; it cannot be "
    "coded",
    "Chỉ gửi hóa đơn ký hiệu C để cấp mã; hóa đơn ký hiệu K gửi dữ liệu cho cơ quan thuế, "
    "không cấp mã.",
    "Send only `C…` invoices for coding; `K…` invoices are sent to the authority as data, "
    "not coded."};
inline constexpr ViolationType kSymbolFormat{
    "20303", "symbol.format", "Ký hiệu hóa đơn không đúng định dạng",
    "Invalid invoice symbol",
    "Ký hiệu gồm 6 ký tự: C, hai số cuối của năm, chữ cái loại hóa đơn, hai chữ cái in hoa "
    "hoặc chữ số.",
    "Six characters `C YY L XX`: `C`, two year digits, a kind letter, two upper-case letters "
    "or digits (e.g. `C26TAA`). The detail names the bad part."};
inline constexpr ViolationType kSymbolKind{
    "20304", "symbol.kind", "Ký tự thứ 4 của ký hiệu hóa đơn không thuộc loại hóa đơn quy định",
    "Character 4 of the invoice symbol is not a known invoice kind",
    "Ký tự thứ 4 là một trong T D L M N B G H X.",
    "Use one of `T D L M N B G H X` as the 4th character."};
inline constexpr ViolationType kSymbolYearMismatch{
    "20305", "symbol.year_mismatch", "Năm trên ký hiệu hóa đơn không khớp với năm lập hóa đơn",
    "The year in the invoice symbol does not match the issue date's year",
    "Ký tự 2–3 là hai số cuối năm lập hóa đơn: hóa đơn năm 2027 dùng C27….",
    "Characters 2–3 are the last two digits of `issue_date`'s year: a 2027 invoice uses "
    "`C27…`."};
inline constexpr ViolationType kSymbolCashRegister{
    "20307", "symbol.cash_register",
    "Hóa đơn khởi tạo từ máy tính tiền (ký hiệu có chữ M) gửi dữ liệu theo thông điệp 206, "
    "không đề nghị cấp mã từng hóa đơn",
    "A cash-register invoice (symbol kind letter M) is sent as cash-register data (message "
    "206), not as a request for a code",
    "Hóa đơn khởi tạo từ máy tính tiền mang mã do phần mềm của người bán tạo (M1-26-…) và "
    "gửi dữ liệu theo lô bằng thông điệp 206; chỉ gửi hóa đơn có chữ loại khác để cấp mã.",
    "A cash register's invoices carry the code the seller's software made (`M1-26-…`) and "
    "reach the authority afterwards, in batches, as cash-register data. Send invoices with "
    "any other kind letter (T, D, L, N, B, G, H, X) for a code."};
inline constexpr ViolationType kSymbolNotCashRegister{
    "20308", "symbol.not_cash_register",
    "Dữ liệu hóa đơn khởi tạo từ máy tính tiền phải có ký hiệu với chữ M",
    "Cash-register data must carry a symbol with kind letter M",
    "Chỉ gửi theo thông điệp 206 hóa đơn khởi tạo từ máy tính tiền (ký hiệu C26M…); hóa đơn "
    "khác gửi để cấp mã.",
    "Send as cash-register data only invoices from a cash register (symbol `C26M…`); send "
    "the others for a code."};
inline constexpr ViolationType kCashRegisterCodeFormat{
    "20309", "cash_register.code_format",
    "Mã hóa đơn khởi tạo từ máy tính tiền không đúng định dạng",
    "The cash-register invoice code is malformed",
    "Mã gồm 23 ký tự M<mẫu số>-<hai số cuối năm>-<5 chữ cái in hoa hoặc chữ số>-<11 chữ số>, "
    "ví dụ M1-26-ABCDE-00000000001.",
    "23 characters `M<template>-<YY>-<5 upper-case letters or digits>-<11 digits>`, e.g. "
    "`M1-26-ABCDE-00000000001`."};
inline constexpr ViolationType kCashRegisterCodeMismatch{
    "20310", "cash_register.code_mismatch",
    "Mã hóa đơn khởi tạo từ máy tính tiền không khớp với mẫu số hoặc năm lập hóa đơn",
    "The cash-register invoice code does not match the invoice's template or issue year",
    "Ký tự thứ 2 của mã là mẫu số của hóa đơn, ký tự 4–5 là hai số cuối năm lập.",
    "The code's 2nd character is the invoice's `template_code`, characters 4–5 the last two "
    "digits of `issue_date`'s year."};
inline constexpr ViolationType kSalesInvoiceVatRate{
    "20311", "line.sales_invoice_vat_rate",
    "Hóa đơn bán hàng (mẫu số 2) không ghi thuế suất thuế GTGT",
    "A sales invoice (template 2) carries no VAT rate",
    "Bỏ thuế suất ở các dòng của hóa đơn bán hàng; hóa đơn có thuế GTGT dùng mẫu số 1.",
    "Leave `vat_rate` empty on every line of a template 2 invoice (and give no rate "
    "summaries); an invoice with VAT uses template 1."};
inline constexpr ViolationType kSymbolTemplateMismatch{
    "20312", "symbol.template_mismatch",
    "Ký hiệu hóa đơn không phù hợp với ký hiệu mẫu số hóa đơn",
    "The invoice symbol's kind letter does not go with the template code",
    "Chữ N hoặc B (phiếu xuất kho) chỉ dùng với mẫu số 6 và mẫu số 6 dùng chữ N hoặc B; mẫu số 3 "
    "và 4 (bán tài sản công, hàng dự trữ quốc gia) dùng chữ D; chữ M (máy tính tiền) chỉ dùng "
    "với mẫu số 1 hoặc 2.",
    "Kind letter `N` or `B` (delivery notes) goes only with template 6, and template 6 uses `N` "
    "or `B`; templates 3 and 4 (public-asset and national-reserve sales) use `D`; `M` (cash "
    "register) goes only with template 1 or 2."};
inline constexpr ViolationType kNumberOutOfRange{
    "20306", "number.out_of_range", "Số hóa đơn phải từ 1 đến 99 999 999",
    "The invoice number must be between 1 and 99 999 999",
    "Số hóa đơn bắt đầu từ 1 mỗi năm theo mẫu số và ký hiệu, tối đa 8 chữ số.",
    "Numbers start at 1 each calendar year per template and symbol and have at most 8 digits."};

// ---- 204xx: dates ----------------------------------------------------------------------------
inline constexpr ViolationType kDateInvalid{
    "20401", "date.invalid", "Ngày không hợp lệ (định dạng YYYY-MM-DD, phải là ngày có thật)",
    "Invalid date (YYYY-MM-DD, a real calendar date)",
    "Ghi ngày dạng 2026-11-20 và là ngày có thật.",
    "Write the date as `2026-11-20`; it must exist (no 30 February)."};
inline constexpr ViolationType kIssueDateInFuture{
    "20402", "issue_date.future", "Ngày lập hóa đơn lớn hơn ngày hiện tại",
    "The issue date is in the future (Vietnam time)",
    "Ngày lập hóa đơn không được sau ngày hiện tại (giờ Việt Nam, GMT+7).",
    "Date the invoice today or earlier, in Vietnam time (GMT+7)."};
inline constexpr ViolationType kIssueDateBeforeEinvoices{
    "20403", "issue_date.too_early",
    "Ngày lập hóa đơn trước năm 2018, trước khi có hóa đơn điện tử có mã của cơ quan thuế",
    "The issue date is before 2018, before e-invoices with a tax authority code existed",
    "Kiểm tra lại ngày (năm 1926 hay 0001 là gõ nhầm); hóa đơn trước năm 2018 không cấp mã.",
    "Check the date (a year like 1926 or 0001 is a typo); an invoice from before 2018 cannot "
    "be coded."};

// ---- 205xx: currency and VAT rates -----------------------------------------------------------
inline constexpr ViolationType kCurrencyInvalid{
    "20501", "currency.invalid",
    "Mã đơn vị tiền tệ không hợp lệ (3 chữ cái in hoa theo ISO 4217)",
    "Invalid currency code (3 upper-case letters, ISO 4217)",
    "Dùng mã tiền tệ ISO 4217 viết hoa: VND, USD, EUR.",
    "Use the ISO 4217 code in capitals: `VND`, `USD`, `EUR`."};
inline constexpr ViolationType kExchangeRateRequired{
    "20502", "exchange_rate.required", "Thiếu tỷ giá đối với hóa đơn không dùng đồng Việt Nam",
    "An exchange rate is required when the currency is not VND",
    "Ghi tỷ giá quy đổi ra đồng Việt Nam (tối đa 7 chữ số phần nguyên, 2 chữ số thập phân).",
    "Give the exchange rate to VND (decimal 7,2), e.g. `25400.50`."};
inline constexpr ViolationType kExchangeRateNotPositive{
    "20503", "exchange_rate.not_positive", "Tỷ giá phải lớn hơn 0",
    "The exchange rate must be greater than 0",
    "Ghi tỷ giá thực tế, lớn hơn 0.",
    "Give the actual rate."};
inline constexpr ViolationType kVatRateUnknown{
    "20504", "vat_rate.unknown",
    "Thuế suất không hợp lệ (0%, 5%, 8%, 10%, KCT, KKKNT hoặc KHAC:AB.CD%)",
    "Unknown VAT rate (0%, 5%, 8%, 10%, KCT, KKKNT or KHAC:AB.CD%)",
    "Dùng đúng một trong các giá trị 0%, 5%, 8%, 10%, KCT, KKKNT; thuế suất khác ghi "
    "KHAC:5.26%.",
    "Use exactly one of the official strings; another rate is written `KHAC:5.26%`."};
inline constexpr ViolationType kVatRateReducedExpired{
    "20505", "vat_rate.reduced_rate_expired",
    "Thuế suất 8% chỉ áp dụng cho hóa đơn lập trong thời gian giảm thuế GTGT "
    "(01/02/2022–31/12/2022, 01/07/2023–31/12/2026)",
    "The reduced 8% VAT rate applies only to invoices issued while the VAT reduction was in "
    "force (2022-02-01 to 2022-12-31, 2023-07-01 to 2026-12-31)",
    "Ngoài thời gian giảm thuế GTGT, dùng thuế suất 10%.",
    "Use the standard 10% rate for invoices issued outside those windows (from 2027, and in "
    "the first half of 2023). The invoice's own issue date decides, so invoices issued "
    "inside a window stay valid however late they are submitted."};

// ---- 206xx: uniqueness (RESERVED: reported by domain/ from the invoice store) ---------------
inline constexpr ViolationType kDuplicateInvoice{
    "20609", "invoice.duplicate",
    "Bộ MST, ký hiệu mẫu số, ký hiệu và số hóa đơn không duy nhất",
    "The set of seller tax code, template code, symbol and invoice number is not unique",
    "Đã có hóa đơn khác cùng mã số thuế, mẫu số, ký hiệu và số (mã CQT ở "
    "existing_authority_code): dùng số hóa đơn tiếp theo, hoặc lập hóa đơn thay thế/điều "
    "chỉnh.",
    "Another invoice already holds this seller/template/symbol/number (its code is in "
    "`existing_authority_code`); use the next number."};
inline constexpr ViolationType kIdempotencyKeyConflict{
    "20611", "invoice.idempotency_key_conflict",
    "Khóa chống gửi trùng (idempotency key) đã được dùng cho một hóa đơn khác",
    "The idempotency key was already used for a different invoice",
    "Dùng khóa mới cho mỗi hóa đơn khác nhau; chỉ dùng lại khóa khi gửi lại đúng hóa đơn đó.",
    "Use a new key for each different invoice; reuse a key only to retry the same invoice."};
inline constexpr ViolationType kCashRegisterCodeTaken{
    "20613", "cash_register.code_taken",
    "Mã hóa đơn khởi tạo từ máy tính tiền đã được dùng cho hóa đơn khác",
    "The cash-register invoice code is already used by another invoice",
    "Mỗi hóa đơn mang một mã riêng do phần mềm bán hàng tạo; kiểm tra bộ đếm của máy tính "
    "tiền (mã đã có ở existing_authority_code).",
    "Each invoice carries its own code from the cash-register software; check its counter "
    "(the invoice holding the code is in `existing_authority_code`)."};
inline constexpr ViolationType kIdempotencyKeyTooLong{
    "20612", "invoice.idempotency_key_too_long",
    "Khóa chống gửi trùng (idempotency key) dài quá 128 ký tự",
    "The idempotency key is longer than 128 characters",
    "Dùng khóa tối đa 128 ký tự (một UUID là đủ).",
    "Use a key of at most 128 characters (a UUID fits)."};

// ---- 207xx: amounts and totals ---------------------------------------------------------------
inline constexpr ViolationType kLineAmountMismatch{
    "20701", "line.amount_mismatch",
    "Thành tiền không bằng số lượng nhân đơn giá trừ số tiền chiết khấu",
    "The line amount is not quantity × unit price − discount amount",
    "Tính lại thành tiền = số lượng × đơn giá − số tiền chiết khấu (sai lệch tối đa 1 đồng).",
    "Recompute `amount = quantity × unit_price − discount_amount` (±1 VND, ±0.01 other "
    "currencies)."};
inline constexpr ViolationType kNegativeAmount{
    "20702", "amount.negative", "Giá trị âm chỉ được dùng trên hóa đơn điều chỉnh",
    "Negative values are allowed only on adjustment invoices",
    "Dùng giá trị dương; để giảm một hóa đơn đã lập, lập hóa đơn điều chỉnh.",
    "Use positive values; to reduce an earlier invoice issue an adjustment invoice "
    "(`related.relation = ADJUSTMENT`)."};
inline constexpr ViolationType kDiscountRateRange{
    "20703", "line.discount_rate_range", "Tỷ lệ chiết khấu phải từ 0 đến 100",
    "The discount rate must be between 0 and 100",
    "Ghi tỷ lệ chiết khấu là phần trăm từ 0 đến 100.",
    "Give the discount as a percentage between 0 and 100."};
inline constexpr ViolationType kRateSummaryMissing{
    "20704", "totals.rate_summary_missing", "Thiếu dòng tổng hợp cho thuế suất",
    "No summary for a VAT rate used by the lines",
    "Thêm một dòng tổng hợp cho mỗi thuế suất các dòng hàng sử dụng.",
    "Add one summary per VAT rate used by the lines (the detail names the rate)."};
inline constexpr ViolationType kRateSummaryExtra{
    "20705", "totals.rate_summary_extra",
    "Dòng tổng hợp theo thuế suất không có hàng hóa, dịch vụ nào",
    "A VAT rate summary for a rate no line uses",
    "Bỏ dòng tổng hợp này, hoặc sửa thuế suất của các dòng hàng.",
    "Remove the summary, or fix the lines' rates."};
inline constexpr ViolationType kRateSummaryDuplicate{
    "20706", "totals.rate_summary_duplicate", "Trùng dòng tổng hợp theo thuế suất",
    "More than one summary for the same VAT rate",
    "Gộp các dòng tổng hợp thành một dòng cho mỗi thuế suất.",
    "Merge the summaries into one per rate."};
inline constexpr ViolationType kRateTaxableMismatch{
    "20707", "totals.rate_taxable_mismatch",
    "Tổng thành tiền chưa thuế theo thuế suất không đúng",
    "The taxable amount of a VAT rate summary is not the sum of its lines",
    "Cộng thành tiền các dòng có thuế suất đó, trừ các dòng chiết khấu thương mại.",
    "Sum the amounts of the lines at that rate, subtracting trade-discount lines (nature 3)."};
inline constexpr ViolationType kRateTaxMismatch{
    "20708", "totals.rate_tax_mismatch", "Tiền thuế theo thuế suất không đúng",
    "The tax amount of a VAT rate summary is not taxable amount × rate",
    "Tiền thuế = thành tiền chưa thuế × thuế suất, làm tròn đến đồng.",
    "`tax = taxable × rate`, rounded half away from zero to whole VND (cents otherwise); ±1 "
    "unit per line at that rate is tolerated."};
inline constexpr ViolationType kTotalBeforeTaxMismatch{
    "20709", "totals.total_before_tax_mismatch", "Tổng tiền chưa thuế không đúng",
    "The total before tax is not the sum of the line amounts",
    "Cộng thành tiền các dòng hàng, trừ dòng chiết khấu thương mại, bỏ qua dòng ghi chú.",
    "Sum the line amounts, subtracting trade-discount lines and ignoring note lines."};
inline constexpr ViolationType kTotalTaxMismatch{
    "20710", "totals.total_tax_mismatch", "Tổng tiền thuế không đúng",
    "The total tax is not the sum of the per-rate tax amounts",
    "Cộng tiền thuế của các thuế suất.",
    "Sum the per-rate taxes (±1 unit per line tolerated)."};
inline constexpr ViolationType kTotalTradeDiscountMismatch{
    "20711", "totals.total_trade_discount_mismatch",
    "Tổng tiền chiết khấu thương mại không đúng",
    "The total trade discount is not the sum of the trade-discount lines",
    "Cộng thành tiền các dòng chiết khấu thương mại (tính chất 3), hoặc để trống.",
    "Sum the amounts of the nature-3 lines, or leave the field empty."};
inline constexpr ViolationType kTotalPayableMismatch{
    "20712", "totals.total_payable_mismatch",
    "Tổng tiền thanh toán không bằng tổng tiền chưa thuế cộng tổng tiền thuế",
    "The total payable is not total before tax + total tax",
    "Tổng tiền thanh toán = tổng tiền chưa thuế + tổng tiền thuế + các khoản phí (DSLPhi).",
    "`total_payable = total_before_tax + total_tax + Σ fees[].amount` (the fees, DSLPhi/LPhi, "
    "count in the total payable), exactly."};
inline constexpr ViolationType kAmountOutOfRange{
    "20713", "amount.out_of_range", "Giá trị vượt quá giới hạn cho phép",
    "A value or computed amount is too large",
    "Kiểm tra lại số lượng và đơn giá: giá trị quá lớn để là thật.",
    "Amounts beyond 10^27 cannot be real; check quantity and unit price."};
inline constexpr ViolationType kAmountInWordsMissing{
    "20714", "totals.amount_in_words_missing", "Thiếu tổng tiền thanh toán bằng chữ",
    "The total payable in words is missing",
    "Ghi tổng tiền thanh toán bằng chữ (TgTTTBChu).",
    "Write the total payable in words (`TgTTTBChu`), in Vietnamese."};
inline constexpr ViolationType kUnitPriceMissing{
    "20715", "line.unit_price_missing", "Thiếu đơn giá của hàng hóa, dịch vụ có số lượng",
    "A line with a quantity has no unit price",
    "Ghi đơn giá (DGia) cho mọi dòng có số lượng, hoặc bỏ cả hai.",
    "Give the unit price (`DGia`) of every line that has a quantity, or leave both out."};

// ---- 208xx: related invoice -----------------------------------------------------------------
inline constexpr ViolationType kRelatedIncomplete{
    "20801", "related.incomplete", "Thiếu thông tin hóa đơn liên quan",
    "The related invoice information is incomplete",
    "Ghi đủ loại (thay thế hay điều chỉnh) và mẫu số, ký hiệu, số, ngày lập của hóa đơn gốc.",
    "Give the relation (replacement or adjustment) and the original invoice's template code, "
    "symbol, number and issue date."};
inline constexpr ViolationType kRelatedDateAfterInvoice{
    "20802", "related.date_after_invoice",
    "Ngày lập hóa đơn liên quan sau ngày lập hóa đơn này",
    "The related invoice is dated after this invoice",
    "Hóa đơn gốc phải lập trước hoặc cùng ngày với hóa đơn thay thế/điều chỉnh; kiểm tra "
    "ngày lập hóa đơn liên quan.",
    "The original must be dated on or before the replacement/adjustment; check "
    "`related.issue_date`."};

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
    &kSymbolNotCashRegister,
    &kCashRegisterCodeFormat,
    &kCashRegisterCodeMismatch,
    &kSalesInvoiceVatRate,
    &kSymbolTemplateMismatch,
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
    &kCashRegisterCodeTaken,
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
