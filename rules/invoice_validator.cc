#include "rules/invoice_validator.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/clock.h"
#include "rules/decimal.h"
#include "rules/invoice_symbol.h"
#include "rules/tax_code.h"
#include "rules/totals_calculator.h"
#include "rules/vat_rate.h"
#include "rules/violation_catalogue.h"

namespace einvoice {
namespace {

// Number of Unicode code points in UTF-8 `s` (bytes that are not continuation bytes).
size_t Utf8Length(absl::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool IsTemplateCode(absl::string_view s) { return s.size() == 1 && s[0] >= '1' && s[0] <= '7'; }

// MDVQHNSach: 7 ASCII letters or digits.
bool IsBudgetUnitCode(absl::string_view s) {
  if (s.size() != 7) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsCurrencyCode(absl::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// The result of reading an optional decimal field.
struct DecimalField {
  bool present = false;  // non-empty
  bool ok = false;       // present and parsed (and not rejected by a later check)
  Decimal value;
};

// One VAT rate as used by the lines.
struct RateGroup {
  VatRate rate;
  int line_count = 0;
  bool amounts_ok = true;  // every line at this rate has a parseable amount
  Decimal taxable;
  bool matched = false;  // a summary was found for it
  bool overflow = false;
};

class Validator {
 public:
  Validator(const v1::Invoice& invoice, absl::CivilDay today, Intake intake)
      : invoice_(invoice),
        today_(today),
        intake_(intake),
        // Template 2, a sales invoice: sellers on the direct method, no VAT on the invoice.
        sales_invoice_(invoice.template_code() == "2"),
        // Template 6, delivery notes (internal transfer, consignment): goods moved, not sold;
        // no VAT is charged on them.
        delivery_note_(invoice.template_code() == "6"),
        decimals_(CurrencyDecimals(invoice.currency())),
        unit_(CurrencyUnit(invoice.currency())),
        adjustment_(invoice.has_related() &&
                    invoice.related().relation() == v1::RELATION_KIND_ADJUSTMENT) {}

  std::vector<Violation> Run() && {
    CheckGeneral();
    CheckParty(invoice_.seller(), "seller", /*is_seller=*/true);
    CheckParty(invoice_.buyer(), "buyer", /*is_seller=*/false);
    CheckRelated();
    CheckLines();
    CheckTotals();
    return std::move(violations_);
  }

 private:
  void Report(const ViolationType& type, absl::string_view field, absl::string_view detail_vi = {},
              absl::string_view detail_en = {}) {
    violations_.push_back(MakeViolation(type, field, detail_vi, detail_en));
  }

  // Reports a missing required field; true if present.
  bool Required(absl::string_view value, absl::string_view field) {
    if (!value.empty()) return true;
    Report(kFormatRequired, field, "thiếu dữ liệu bắt buộc", "required field is missing");
    return false;
  }

  // Reports a field longer than `max` characters; true if within.
  // A free-text field: at most `max` characters, and no control characters (NUL, newline,
  // escape...: they have no place on an invoice and let a value forge lines in logs and
  // printouts).
  bool MaxLength(absl::string_view value, size_t max, absl::string_view field) {
    for (char c : value) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
        Report(kFormatPattern, field, "không được chứa ký tự điều khiển",
               "control characters are not allowed");
        return false;
      }
    }
    const size_t length = Utf8Length(value);
    if (length <= max) return true;
    Report(kFormatMaxLength, field, absl::StrCat("tối đa ", max, " ký tự, có ", length),
           absl::StrCat("at most ", max, " characters, got ", length));
    return false;
  }

  // Reads an optional decimal field; reports its format problem.
  DecimalField ReadDecimal(absl::string_view value, absl::string_view field,
                           const DecimalFormat& format = {}) {
    DecimalField out;
    if (value.empty()) return out;
    out.present = true;
    absl::StatusOr<Decimal> parsed = Decimal::Parse(value, format);
    if (!parsed.ok()) {
      Report(kFormatDecimal, field,
             absl::StrCat("số không đúng định dạng (dấu '-' tùy chọn, tối đa ",
                          format.max_digits, " chữ số, tối đa ",
                          std::min(format.max_fraction_digits, Decimal::kFractionDigits),
                          " chữ số sau dấu '.', không dùng dấu phân cách hàng nghìn)"),
             parsed.status().message());
      return out;
    }
    out.ok = true;
    out.value = *parsed;
    return out;
  }

  // Negative values are allowed only on adjustment invoices; reports and marks `f` unusable.
  void NonNegative(DecimalField* f, absl::string_view field) {
    if (!f->ok || adjustment_ || !f->value.is_negative()) return;
    Report(kNegativeAmount, field, absl::StrCat("giá trị ", f->value.ToString()),
           absl::StrCat("value ", f->value.ToString()));
    f->ok = false;
  }

  void Mismatch(const ViolationType& type, absl::string_view field, const Decimal& expected,
                const Decimal& got) {
    Report(type, field,
           absl::StrCat("giá trị đúng ", expected.ToString(), ", giá trị ghi ", got.ToString()),
           absl::StrCat("expected ", expected.ToString(), ", got ", got.ToString()));
  }

  void OutOfRange(absl::string_view field) {
    Report(kAmountOutOfRange, field, "không tính được", "cannot be computed");
  }

  void CheckTaxCodeField(absl::string_view value, absl::string_view field) {
    const TaxCodeProblem problem = CheckTaxCode(value);
    switch (problem) {
      case TaxCodeProblem::kOk:
        return;
      case TaxCodeProblem::kBadFormat:
        Report(kFormatPattern, field, TaxCodeProblemDescriptionVi(problem),
               TaxCodeProblemDescription(problem));
        return;
      case TaxCodeProblem::kBadProvince:
        Report(kTaxCodeProvince, field);
        return;
      case TaxCodeProblem::kBadSequence:
        Report(kTaxCodeSequence, field);
        return;
      case TaxCodeProblem::kBadCheckDigit:
        Report(kTaxCodeCheckDigit, field);
        return;
      case TaxCodeProblem::kBadBranch:
        Report(kTaxCodeBranch, field);
        return;
    }
  }

  // Reads a date field; reports an unreal or malformed date.
  std::optional<absl::CivilDay> ReadDate(absl::string_view value, absl::string_view field) {
    absl::CivilDay day;
    if (ParseDay(value, &day)) return day;
    Report(kDateInvalid, field, absl::StrCat("\"", value.substr(0, 20), "\""),
           absl::StrCat("\"", value.substr(0, 20), "\""));
    return std::nullopt;
  }

  void CheckGeneral() {
    const v1::Invoice& inv = invoice_;
    if (Required(inv.version(), "version") && inv.version() != "2.0.0" &&
        inv.version() != "2.0.1" && inv.version() != "2.1.0") {
      Report(kFormatCodeList, "version", "phải là 2.0.0, 2.0.1 hoặc 2.1.0",
             "must be 2.0.0, 2.0.1 or 2.1.0");
    }
    if (Required(inv.invoice_name(), "invoice_name")) {
      MaxLength(inv.invoice_name(), kMaxInvoiceNameLength, "invoice_name");
    }
    if (Required(inv.template_code(), "template_code") && !IsTemplateCode(inv.template_code())) {
      Report(kTemplateCodeUnknown, "template_code");
    }
    if (Required(inv.issue_date(), "issue_date")) {
      issue_date_ = ReadDate(inv.issue_date(), "issue_date");
      if (issue_date_.has_value() && *issue_date_ > today_) {
        Report(kIssueDateInFuture, "issue_date",
               absl::StrCat("ngày hiện tại ", FormatDay(today_)),
               absl::StrCat("today is ", FormatDay(today_)));
      } else if (issue_date_.has_value() && *issue_date_ < kFirstIssueDate) {
        Report(kIssueDateBeforeEinvoices, "issue_date", FormatDay(*issue_date_));
      }
    }
    if (Required(inv.symbol(), "symbol")) {
      const SymbolProblem problem = CheckInvoiceSymbol(inv.symbol());
      switch (problem) {
        case SymbolProblem::kOk:
          if (issue_date_.has_value() &&
              !SymbolYearMatches(inv.symbol(), static_cast<int>(issue_date_->year()))) {
            Report(kSymbolYearMismatch, "symbol",
                   absl::StrCat("năm lập ", issue_date_->year()),
                   absl::StrCat("issue year ", issue_date_->year()));
          }
          if (!SymbolKindFitsTemplate(inv.symbol(), inv.template_code())) {
            Report(kSymbolTemplateMismatch, "symbol",
                   absl::StrCat("ký tự ", inv.symbol().substr(3, 1), ", mẫu số ",
                                inv.template_code()),
                   absl::StrCat("letter ", inv.symbol().substr(3, 1), ", template ",
                                inv.template_code()));
          }
          if (intake_ == Intake::kCodeRequest && IsCashRegisterSymbol(inv.symbol())) {
            Report(kSymbolCashRegister, "symbol");
          }
          if (intake_ == Intake::kCashRegister && !IsCashRegisterSymbol(inv.symbol())) {
            Report(kSymbolNotCashRegister, "symbol");
          }
          break;
        case SymbolProblem::kNotCoded:
          Report(kSymbolNotCoded, "symbol");
          break;
        case SymbolProblem::kBadKind:
          Report(kSymbolKind, "symbol");
          break;
        default:
          Report(kSymbolFormat, "symbol", SymbolProblemDescriptionVi(problem),
                 SymbolProblemDescription(problem));
          break;
      }
    }
    if (inv.number() < 1 || inv.number() > kMaxInvoiceNumber) {
      Report(kNumberOutOfRange, "number", absl::StrCat("số ", inv.number()),
             absl::StrCat("number ", inv.number()));
    }
    if (Required(inv.currency(), "currency")) {
      if (!IsCurrencyCode(inv.currency())) {
        Report(kCurrencyInvalid, "currency");
      } else if (inv.currency() != "VND" && inv.exchange_rate().empty()) {
        Report(kExchangeRateRequired, "exchange_rate");
      }
    }
    DecimalField rate = ReadDecimal(
        inv.exchange_rate(), "exchange_rate",
        DecimalFormat{.max_digits = 9, .max_integer_digits = 7, .max_fraction_digits = 2});
    if (rate.ok && rate.value.sign() <= 0) Report(kExchangeRateNotPositive, "exchange_rate");
    MaxLength(inv.payment_method(), 50, "payment_method");
    MaxLength(inv.provider_tax_code(), 14, "provider_tax_code");
    CheckOtherInfo(inv.other_info(), "other_info");
    MaxLength(inv.dossier_code(), 20, "dossier_code");
    ZeroOrOne(inv.non_tariff_zone(), "non_tariff_zone");
    MaxLength(inv.list_number(), 50, "list_number");
    if (!inv.list_date().empty()) ReadDate(inv.list_date(), "list_date");
    if (MaxLength(inv.issuer_tax_code(), 14, "issuer_tax_code") &&
        !inv.issuer_tax_code().empty()) {
      CheckTaxCodeField(inv.issuer_tax_code(), "issuer_tax_code");
    }
    MaxLength(inv.issuer_name(), kMaxPartyNameLength, "issuer_name");
    MaxLength(inv.issuer_address(), kMaxAddressLength, "issuer_address");
    ZeroOrOne(inv.hdcttchinh(), "hdcttchinh");
    CheckOtherInfo(inv.content_other_info(), "content_other_info");
    CheckOtherInfo(inv.document_other_info(), "document_other_info");
  }

  // A 0/1 flag: "0", "1" or absent.
  void ZeroOrOne(absl::string_view value, absl::string_view field) {
    if (value.empty() || value == "0" || value == "1") return;
    Report(kFormatCodeList, field, "phải là 0 hoặc 1", "must be 0 or 1");
  }

  // TTKhac/TTin entries (and a line's TTHHDTrung/TTin): at most kMaxOtherInfo, each with its
  // lengths; `field` is the repeated field's path ("other_info", "seller.other_info").
  void CheckOtherInfo(const google::protobuf::RepeatedPtrField<v1::OtherInfo>& infos,
                      absl::string_view field) {
    if (infos.size() > kMaxOtherInfo) {
      Report(kFormatMaxLength, field,
             absl::StrCat("tối đa ", kMaxOtherInfo, " mục, có ", infos.size()),
             absl::StrCat("at most ", kMaxOtherInfo, " entries, got ", infos.size()));
      return;
    }
    for (int i = 0; i < infos.size(); ++i) {
      const v1::OtherInfo& info = infos.Get(i);
      const std::string at = absl::StrCat(field, "[", i, "].");
      MaxLength(info.field(), kMaxOtherInfoFieldLength, absl::StrCat(at, "field"));
      MaxLength(info.data_type(), kMaxOtherInfoTypeLength, absl::StrCat(at, "data_type"));
      MaxLength(info.value(), kMaxOtherInfoValueLength, absl::StrCat(at, "value"));
    }
  }

  void CheckParty(const v1::Party& party, absl::string_view prefix, bool is_seller) {
    auto f = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
    const bool name_required = is_seller || !party.tax_code().empty();
    if (!name_required || Required(party.name(), f("name"))) {
      MaxLength(party.name(), kMaxPartyNameLength, f("name"));
    }
    if (is_seller) {
      if (Required(party.tax_code(), f("tax_code"))) CheckTaxCodeField(party.tax_code(), f("tax_code"));
      if (Required(party.address(), f("address"))) {
        MaxLength(party.address(), kMaxAddressLength, f("address"));
      }
    } else {
      if (!party.tax_code().empty()) CheckTaxCodeField(party.tax_code(), f("tax_code"));
      MaxLength(party.address(), kMaxAddressLength, f("address"));
    }
    MaxLength(party.phone(), 20, f("phone"));
    MaxLength(party.email(), 50, f("email"));
    MaxLength(party.bank_account(), 30, f("bank_account"));
    MaxLength(party.bank_name(), 400, f("bank_name"));
    CheckOtherInfo(party.other_info(), f("other_info"));
    CheckDeliveryNoteParty(party, prefix, is_seller);
    if (is_seller) {
      MaxLength(party.fax(), 20, f("fax"));
      MaxLength(party.website(), 100, f("website"));
      MaxLength(party.store_code(), 50, f("store_code"));
      MaxLength(party.store_name(), 400, f("store_name"));
      return;
    }
    if (!party.budget_unit_code().empty() && !IsBudgetUnitCode(party.budget_unit_code())) {
      Report(kFormatPattern, f("budget_unit_code"),
             "mã đơn vị có quan hệ với ngân sách gồm 7 chữ cái hoặc chữ số",
             "a budget-relationship unit code is exactly 7 letters or digits");
    }
    MaxLength(party.personal_name(), 100, f("personal_name"));
    if (!party.citizen_id().empty() && !IsValidCitizenId(party.citizen_id())) {
      Report(kFormatPattern, f("citizen_id"), "định dạng CCCD không hợp lệ (12 chữ số)",
             "a citizen id is exactly 12 digits");
    }
    MaxLength(party.passport(), 20, f("passport"));
    MaxLength(party.customer_code(), 50, f("customer_code"));
  }

  // The delivery-note elements of a party: only on template 6 ("not defined for this
  // template" otherwise, as the XML form reports it), with their lengths and date.
  void CheckDeliveryNoteParty(const v1::Party& party, absl::string_view prefix, bool is_seller) {
    struct Text {
      const std::string& value;
      const char* name;
      size_t max;
    };
    const Text seller_texts[] = {{party.transfer_order(), "transfer_order", 255},
                                 {party.contract_number(), "contract_number", 255},
                                 {party.dispatcher_name(), "dispatcher_name", 100},
                                 {party.transporter_name(), "transporter_name", 100},
                                 {party.transport_means(), "transport_means", 50}};
    const Text buyer_texts[] = {{party.receiver_name(), "receiver_name", 100}};
    for (const Text& t : is_seller ? absl::Span<const Text>(seller_texts)
                                   : absl::Span<const Text>(buyer_texts)) {
      const std::string field = absl::StrCat(prefix, ".", t.name);
      if (t.value.empty()) continue;
      if (!delivery_note_) {
        NotForThisTemplate(field);
      } else {
        MaxLength(t.value, t.max, field);
      }
    }
    if (is_seller && !party.contract_date().empty()) {
      const std::string field = absl::StrCat(prefix, ".contract_date");
      if (!delivery_note_) {
        NotForThisTemplate(field);
      } else {
        ReadDate(party.contract_date(), field);
      }
    }
  }

  void NotForThisTemplate(absl::string_view field) {
    Report(kFormatPattern, field,
           absl::StrCat("chỉ có ở phiếu xuất kho (mẫu số 6), không thuộc mẫu số ",
                        invoice_.template_code().substr(0, 2)),
           absl::StrCat("not defined for template ", invoice_.template_code().substr(0, 2),
                        " (only delivery notes, template 6, carry it)"));
  }

  void CheckRelated() {
    if (!invoice_.has_related()) return;
    const v1::RelatedInvoice& r = invoice_.related();
    auto missing = [&](absl::string_view field) {
      Report(kRelatedIncomplete, field, "thiếu dữ liệu", "missing");
    };
    if (r.relation() != v1::RELATION_KIND_REPLACEMENT &&
        r.relation() != v1::RELATION_KIND_ADJUSTMENT) {
      missing("related.relation");
    }
    const bool decree_123 = r.original_kind() == 0 || r.original_kind() == 1;
    if (r.template_code().empty()) {
      missing("related.template_code");
    } else if (decree_123 && !IsTemplateCode(r.template_code())) {
      Report(kTemplateCodeUnknown, "related.template_code");
    } else {
      MaxLength(r.template_code(), 11, "related.template_code");
    }
    if (r.symbol().empty()) {
      missing("related.symbol");
    } else {
      MaxLength(r.symbol(), decree_123 ? 6 : 8, "related.symbol");
    }
    if (r.number() == 0) {
      missing("related.number");
    } else if (r.number() > kMaxInvoiceNumber) {
      Report(kNumberOutOfRange, "related.number", absl::StrCat("số ", r.number()),
             absl::StrCat("number ", r.number()));
    }
    if (r.issue_date().empty()) {
      missing("related.issue_date");
    } else {
      const std::optional<absl::CivilDay> day = ReadDate(r.issue_date(), "related.issue_date");
      if (day.has_value() && issue_date_.has_value() && *day > *issue_date_) {
        Report(kRelatedDateAfterInvoice, "related.issue_date",
               absl::StrCat("ngày lập hóa đơn này ", FormatDay(*issue_date_)),
               absl::StrCat("this invoice is dated ", FormatDay(*issue_date_)));
      }
    }
    MaxLength(r.note(), 255, "related.note");
    MaxLength(r.list_number(), 50, "related.list_number");
    if (!r.list_date().empty()) ReadDate(r.list_date(), "related.list_date");
  }

  RateGroup* GroupFor(const VatRate& rate) {
    for (RateGroup& g : groups_) {
      if (g.rate == rate) return &g;
    }
    groups_.emplace_back();
    groups_.back().rate = rate;
    return &groups_.back();
  }

  void CheckLines() {
    if (invoice_.lines_size() == 0) {
      Report(kFormatRequired, "lines", "hóa đơn phải có ít nhất một dòng hàng hóa, dịch vụ",
             "at least one line is required");
      lines_usable_ = false;
      return;
    }
    if (invoice_.lines_size() > kMaxLines) {  // not worth checking line by line
      Report(kFormatMaxLength, "lines",
             absl::StrCat("tối đa ", kMaxLines, " dòng, có ", invoice_.lines_size()),
             absl::StrCat("at most ", kMaxLines, " lines, got ", invoice_.lines_size()));
      lines_usable_ = false;
      return;
    }
    std::set<uint32_t> line_numbers;
    for (int i = 0; i < invoice_.lines_size(); ++i) {
      const v1::LineItem& line = invoice_.lines(i);
      auto f = [&](absl::string_view name) { return absl::StrCat("lines[", i, "].", name); };

      bool nature_ok = true;
      switch (line.nature()) {
        case v1::LINE_NATURE_GOODS_OR_SERVICE:
        case v1::LINE_NATURE_PROMOTION:
        case v1::LINE_NATURE_TRADE_DISCOUNT:
        case v1::LINE_NATURE_NOTE:
        case v1::LINE_NATURE_SPECIAL:
          break;
        default:
          nature_ok = false;
          Report(kFormatCodeList, f("nature"), "tính chất phải từ 1 đến 5",
                 "nature must be 1 to 5");
          break;
      }
      const bool is_note = line.nature() == v1::LINE_NATURE_NOTE;
      if (line.line_no() != 0 && !line_numbers.insert(line.line_no()).second) {
        Report(kFormatUnique, f("line_no"), absl::StrCat("số thứ tự ", line.line_no(), " bị trùng"),
               absl::StrCat("line number ", line.line_no(), " is used twice"));
      }
      MaxLength(line.item_code(), 50, f("item_code"));
      if (Required(line.name(), f("name"))) MaxLength(line.name(), kMaxLineNameLength, f("name"));
      MaxLength(line.unit(), 50, f("unit"));

      DecimalField quantity = ReadDecimal(line.quantity(), f("quantity"));
      DecimalField price = ReadDecimal(line.unit_price(), f("unit_price"));
      DecimalField discount_rate = ReadDecimal(line.discount_rate(), f("discount_rate"));
      DecimalField discount = ReadDecimal(line.discount_amount(), f("discount_amount"));
      DecimalField amount;
      if (is_note || Required(line.amount(), f("amount"))) {
        amount = ReadDecimal(line.amount(), f("amount"));
      }
      DecimalField line_tax = ReadDecimal(line.tax_amount(), f("tax_amount"));
      DecimalField after_tax = ReadDecimal(line.amount_after_tax(), f("amount_after_tax"));
      NonNegative(&line_tax, f("tax_amount"));
      NonNegative(&after_tax, f("amount_after_tax"));
      if (line.special_goods_size() > 0 && line.nature() != v1::LINE_NATURE_SPECIAL) {
        Report(kFormatPattern, f("special_goods"),
               "thông tin hàng hóa đặc trưng chỉ có ở dòng có tính chất 5",
               "special-goods details belong only on a line of nature 5");
      } else {
        CheckOtherInfo(line.special_goods(), f("special_goods"));
      }
      CheckOtherInfo(line.other_info(), f("other_info"));
      NonNegative(&quantity, f("quantity"));
      NonNegative(&price, f("unit_price"));
      NonNegative(&discount, f("discount_amount"));
      NonNegative(&discount_rate, f("discount_rate"));
      if (discount_rate.ok && discount_rate.value > Decimal::FromInt(100)) {
        Report(kDiscountRateRange, f("discount_rate"));
      }
      bool price_ok = price.ok;
      if (quantity.present && !price.present) {
        price_ok = false;
        Report(kUnitPriceMissing, f("unit_price"));
      }

      std::optional<VatRate> rate;
      if (sales_invoice_ && !line.vat_rate().empty()) {
        Report(kSalesInvoiceVatRate, f("vat_rate"),
               absl::StrCat("\"", line.vat_rate().substr(0, 20), "\""),
               absl::StrCat("\"", line.vat_rate().substr(0, 20), "\""));
      } else if (sales_invoice_ || delivery_note_) {
        // No rate, no group: the whole amount is the total before tax, and there is no tax.
        // A delivery note's line rate is not a rule of its template: not checked, not used.
      } else if (is_note ? !line.vat_rate().empty()
                         : Required(line.vat_rate(), f("vat_rate"))) {
        absl::StatusOr<VatRate> parsed = ParseVatRate(line.vat_rate());
        if (!parsed.ok()) {
          Report(kVatRateUnknown, f("vat_rate"),
                 absl::StrCat("\"", line.vat_rate().substr(0, 20), "\""),
                 absl::StrCat("\"", line.vat_rate().substr(0, 20), "\""));
        } else {
          rate = *std::move(parsed);
          if (issue_date_.has_value() && !VatRateAllowedOn(*rate, *issue_date_)) {
            Report(kVatRateReducedExpired, f("vat_rate"),
                   absl::StrCat("ngày lập ", FormatDay(*issue_date_)),
                   absl::StrCat("issued ", FormatDay(*issue_date_)));
          }
        }
      }

      // quantity × unit_price − discount_amount = amount (±1 currency unit).
      if (!is_note && quantity.ok && price_ok && amount.ok && (discount.ok || !discount.present)) {
        absl::StatusOr<Decimal> expected =
            ComputeLineAmount(quantity.value, price.value, discount.value, Decimal::kFractionDigits);
        absl::StatusOr<Decimal> diff =
            expected.ok() ? Decimal::Subtract(*expected, amount.value) : expected;
        if (!diff.ok()) {
          OutOfRange(f("amount"));
        } else if (diff->Abs() > unit_) {
          Mismatch(kLineAmountMismatch, f("amount"), *expected, amount.value);
        }
      }

      // Contributions to the totals.
      if (is_note) continue;
      if (!nature_ok) {
        lines_usable_ = false;
        continue;
      }
      if (!amount.ok) amounts_ok_ = false;
      if (!rate.has_value()) {
        // A sales invoice's lines have no rate by design; the totals are checked without one.
        if (!sales_invoice_ && !delivery_note_) rates_ok_ = false;
      } else {
        RateGroup* g = GroupFor(*rate);
        ++g->line_count;
        if (!amount.ok) {
          g->amounts_ok = false;
        } else if (!g->overflow) {
          const bool trade_discount = line.nature() == v1::LINE_NATURE_TRADE_DISCOUNT;
          absl::StatusOr<Decimal> sum = trade_discount
                                            ? Decimal::Subtract(g->taxable, amount.value)
                                            : Decimal::Add(g->taxable, amount.value);
          if (sum.ok()) {
            g->taxable = *sum;
          } else {
            g->overflow = true;
          }
        }
      }
      if (amount.ok) {
        const bool trade_discount = line.nature() == v1::LINE_NATURE_TRADE_DISCOUNT;
        absl::StatusOr<Decimal> before = trade_discount
                                             ? Decimal::Subtract(before_tax_, amount.value)
                                             : Decimal::Add(before_tax_, amount.value);
        absl::StatusOr<Decimal> discount_sum =
            trade_discount ? Decimal::Add(trade_discount_, amount.value) : trade_discount_;
        if (before.ok() && discount_sum.ok()) {
          before_tax_ = *before;
          trade_discount_ = *discount_sum;
        } else {
          sums_overflow_ = true;
        }
      }
    }
  }

  void CheckTotals() {
    if (!invoice_.has_totals()) {
      Report(kFormatRequired, "totals", "thiếu dữ liệu bắt buộc", "required field is missing");
      return;
    }
    const v1::Totals& t = invoice_.totals();
    const bool sums_ok = lines_usable_ && amounts_ok_ && !sums_overflow_;
    const bool rates_ok = lines_usable_ && rates_ok_;

    // Per-rate summaries.
    bool summary_rates_ok = true;
    if (t.rate_summaries_size() > kMaxRateSummaries) {
      Report(kFormatMaxLength, "totals.rate_summaries",
             absl::StrCat("tối đa ", kMaxRateSummaries, " dòng, có ", t.rate_summaries_size()),
             absl::StrCat("at most ", kMaxRateSummaries, " summaries, got ",
                          t.rate_summaries_size()));
      return;
    }
    for (int j = 0; j < t.rate_summaries_size(); ++j) {
      const v1::RateSummary& s = t.rate_summaries(j);
      auto f = [&](absl::string_view name) {
        return absl::StrCat("totals.rate_summaries[", j, "]", name.empty() ? "" : ".", name);
      };
      std::optional<VatRate> rate;
      if (Required(s.vat_rate(), f("vat_rate"))) {
        absl::StatusOr<VatRate> parsed = ParseVatRate(s.vat_rate());
        if (parsed.ok()) {
          rate = *std::move(parsed);
        } else {
          Report(kVatRateUnknown, f("vat_rate"),
                 absl::StrCat("\"", s.vat_rate().substr(0, 20), "\""),
                 absl::StrCat("\"", s.vat_rate().substr(0, 20), "\""));
        }
      }
      if (!rate.has_value()) summary_rates_ok = false;
      DecimalField taxable;
      if (Required(s.taxable_amount(), f("taxable_amount"))) {
        taxable = ReadDecimal(s.taxable_amount(), f("taxable_amount"));
      }
      DecimalField tax;
      if (Required(s.tax_amount(), f("tax_amount"))) {
        tax = ReadDecimal(s.tax_amount(), f("tax_amount"));
      }
      if (!rate.has_value()) continue;

      RateGroup* group = nullptr;
      for (RateGroup& g : groups_) {
        if (g.rate == *rate) group = &g;
      }
      if (group == nullptr) {
        // Only certain when every line's rate is known.
        if (rates_ok) {
          Report(kRateSummaryExtra, f(""), absl::StrCat("thuế suất ", s.vat_rate()),
                 absl::StrCat("rate ", s.vat_rate()));
        }
        continue;
      }
      if (group->matched) {
        Report(kRateSummaryDuplicate, f(""), absl::StrCat("thuế suất ", s.vat_rate()),
               absl::StrCat("rate ", s.vat_rate()));
        continue;
      }
      group->matched = true;
      const bool group_ok = group->amounts_ok && !group->overflow;
      if (group_ok && taxable.ok && taxable.value != group->taxable) {
        Mismatch(kRateTaxableMismatch, f("taxable_amount"), group->taxable, taxable.value);
      }
      std::optional<Decimal> base;
      if (group_ok) {
        base = group->taxable;
      } else if (taxable.ok) {
        base = taxable.value;
      }
      if (base.has_value() && tax.ok) {
        absl::StatusOr<Decimal> expected = Decimal::Percent(*base, rate->percent, decimals_);
        absl::StatusOr<Decimal> tolerance =
            Decimal::Multiply(unit_, Decimal::FromInt(std::max(group->line_count, 1)));
        absl::StatusOr<Decimal> diff =
            expected.ok() ? Decimal::Subtract(*expected, tax.value) : expected;
        if (!diff.ok() || !tolerance.ok()) {
          OutOfRange(f("tax_amount"));
        } else if (diff->Abs() > *tolerance) {
          Mismatch(kRateTaxMismatch, f("tax_amount"), *expected, tax.value);
        }
      }
    }
    if (rates_ok && summary_rates_ok) {
      for (const RateGroup& g : groups_) {
        if (g.matched) continue;
        Report(kRateSummaryMissing, "totals.rate_summaries",
               absl::StrCat("thuế suất ", g.rate.text), absl::StrCat("rate ", g.rate.text));
      }
    }

    // total_before_tax = Σ line amounts (trade discounts subtracted).
    bool before_given = Required(t.total_before_tax(), "totals.total_before_tax");
    DecimalField before;
    if (before_given) before = ReadDecimal(t.total_before_tax(), "totals.total_before_tax");
    if (sums_ok && before.ok && before.value != before_tax_) {
      Mismatch(kTotalBeforeTaxMismatch, "totals.total_before_tax", before_tax_, before.value);
    }

    // total_tax = Σ taxable × rate, within one unit per line.
    DecimalField tax;
    // A sales invoice need not state its (zero) tax; if it does, it must be 0.
    if (sales_invoice_ || delivery_note_ ? !t.total_tax().empty()
                                         : Required(t.total_tax(), "totals.total_tax")) {
      tax = ReadDecimal(t.total_tax(), "totals.total_tax");
    }
    std::optional<Decimal> accepted_tax;
    if (sums_ok && rates_ok) {
      Decimal computed;
      int lines = 0;
      bool ok = true;
      for (const RateGroup& g : groups_) {
        absl::StatusOr<Decimal> rate_tax = g.overflow
                                               ? absl::OutOfRangeError("overflow")
                                               : Decimal::Percent(g.taxable, g.rate.percent,
                                                                  decimals_);
        absl::StatusOr<Decimal> sum =
            rate_tax.ok() ? Decimal::Add(computed, *rate_tax) : rate_tax;
        if (!sum.ok()) {
          ok = false;
          break;
        }
        computed = *sum;
        lines += g.line_count;
      }
      absl::StatusOr<Decimal> tolerance =
          Decimal::Multiply(unit_, Decimal::FromInt(std::max(lines, 1)));
      if (!ok || !tolerance.ok()) {
        OutOfRange("totals.total_tax");
      } else if (tax.ok) {
        absl::StatusOr<Decimal> diff = Decimal::Subtract(computed, tax.value);
        if (!diff.ok()) {
          OutOfRange("totals.total_tax");
        } else if (diff->Abs() > *tolerance) {
          Mismatch(kTotalTaxMismatch, "totals.total_tax", computed, tax.value);
          accepted_tax = computed;
        } else {
          accepted_tax = tax.value;
        }
      } else {
        accepted_tax = computed;
      }
    }

    // Informative totals (v2.1.0): shape only.
    DecimalField not_taxable = ReadDecimal(t.total_not_taxable(), "totals.total_not_taxable");
    NonNegative(&not_taxable, "totals.total_not_taxable");
    DecimalField other = ReadDecimal(t.total_other(), "totals.total_other");
    NonNegative(&other, "totals.total_other");

    // Fees (DSLPhi/LPhi): collected on top of goods, services and VAT, so they count in the
    // total payable. The check below needs every fee's amount.
    bool fees_ok = true;
    Decimal fees_sum;
    if (t.fees_size() > kMaxFees) {
      Report(kFormatMaxLength, "totals.fees",
             absl::StrCat("tối đa ", kMaxFees, " loại phí, có ", t.fees_size()),
             absl::StrCat("at most ", kMaxFees, " fees, got ", t.fees_size()));
      fees_ok = false;
    } else {
      for (int k = 0; k < t.fees_size(); ++k) {
        const v1::Fee& fee = t.fees(k);
        const std::string at = absl::StrCat("totals.fees[", k, "].");
        if (Required(fee.name(), at + "name")) {
          MaxLength(fee.name(), kMaxFeeNameLength, at + "name");
        }
        DecimalField amount;
        if (Required(fee.amount(), at + "amount")) amount = ReadDecimal(fee.amount(), at + "amount");
        NonNegative(&amount, at + "amount");
        absl::StatusOr<Decimal> sum =
            amount.ok ? Decimal::Add(fees_sum, amount.value) : absl::InvalidArgumentError("");
        if (sum.ok()) {
          fees_sum = *sum;
        } else {
          if (amount.ok) OutOfRange(at + "amount");
          fees_ok = false;
        }
      }
    }

    // total_trade_discount (optional) = Σ trade-discount lines.
    DecimalField discount =
        ReadDecimal(t.total_trade_discount(), "totals.total_trade_discount");
    if (sums_ok && discount.ok && discount.value != trade_discount_) {
      Mismatch(kTotalTradeDiscountMismatch, "totals.total_trade_discount", trade_discount_,
               discount.value);
    }

    // total_payable = total_before_tax + total_tax + Σ fees (exact).
    DecimalField payable;
    if (Required(t.total_payable(), "totals.total_payable")) {
      payable = ReadDecimal(t.total_payable(), "totals.total_payable");
    }
    if (sums_ok && fees_ok && accepted_tax.has_value() && payable.ok) {
      absl::StatusOr<Decimal> taxed = Decimal::Add(before_tax_, *accepted_tax);
      absl::StatusOr<Decimal> expected = taxed.ok() ? Decimal::Add(*taxed, fees_sum) : taxed;
      if (!expected.ok()) {
        OutOfRange("totals.total_payable");
      } else if (*expected != payable.value) {
        Mismatch(kTotalPayableMismatch, "totals.total_payable", *expected, payable.value);
      }
    }
    if (t.total_payable_in_words().empty()) {
      Report(kAmountInWordsMissing, "totals.total_payable_in_words");
    }
    CheckOtherInfo(t.other_info(), "totals.other_info");
  }

  const v1::Invoice& invoice_;
  const absl::CivilDay today_;
  const Intake intake_;
  const bool sales_invoice_;
  const bool delivery_note_;
  const int decimals_;
  const Decimal unit_;
  const bool adjustment_;

  std::vector<Violation> violations_;
  std::optional<absl::CivilDay> issue_date_;

  // Line aggregates (non-note lines).
  bool lines_usable_ = true;  // at least one line, every nature known
  bool amounts_ok_ = true;    // every amount parseable
  bool rates_ok_ = true;      // every rate known
  bool sums_overflow_ = false;
  Decimal before_tax_;
  Decimal trade_discount_;
  std::vector<RateGroup> groups_;
};

}  // namespace

std::vector<Violation> ValidateInvoice(const v1::Invoice& invoice,
                                       absl::CivilDay today_in_vietnam) {
  return ValidateInvoice(invoice, today_in_vietnam, Intake::kCodeRequest);
}

std::vector<Violation> ValidateInvoice(const v1::Invoice& invoice,
                                       absl::CivilDay today_in_vietnam, Intake intake) {
  return Validator(invoice, today_in_vietnam, intake).Run();
}

}  // namespace einvoice
