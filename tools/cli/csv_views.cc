#include "tools/cli/csv_views.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "tools/cli/invoice_view.h"

namespace einvoice::cli {

std::string CsvTimestamp(const google::protobuf::Timestamp& timestamp, bool is_set) {
  if (!is_set) return "";
  const absl::Time time =
      absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, VietnamTimeZone());
}

namespace {

const std::vector<std::string>& InvoiceCsvHeaders() {
  static const auto* const kHeaders = new std::vector<std::string>{
      "authority_code", "issued_at",     "issue_date",       "seller_tax_code",
      "seller_name",    "buyer_tax_code", "buyer_name",      "template_code",
      "symbol",         "number",        "currency",         "exchange_rate",
      "total_before_tax", "total_tax",   "total_trade_discount", "total_payable",
      "warnings"};
  return *kHeaders;
}

}  // namespace

CsvTable InvoiceCsvTable() { return CsvTable(InvoiceCsvHeaders()); }

std::vector<std::string> InvoiceCsvRow(const v1::AuthenticatedInvoice& invoice) {
  std::vector<std::string> warnings;
  for (const v1::Violation& warning : invoice.warnings()) {
    if (std::find(warnings.begin(), warnings.end(), warning.rule()) == warnings.end()) {
      warnings.push_back(warning.rule());
    }
  }
  const std::string issued_at = CsvTimestamp(invoice.issued_at(), invoice.has_issued_at());
  std::optional<v1::AuthenticationRecord> record = DecodeRecord(invoice);
  if (!record.has_value()) {
    std::vector<std::string> row(InvoiceCsvHeaders().size(), "?");
    row.front() = invoice.authority_code();
    row[1] = issued_at;
    row.back() = absl::StrJoin(warnings, ";");
    return row;
  }
  const v1::Invoice& inv = record->invoice();
  const v1::Totals& totals = inv.totals();
  return {invoice.authority_code(),
          issued_at,
          inv.issue_date(),
          inv.seller().tax_code(),
          inv.seller().name(),
          inv.buyer().tax_code(),
          inv.buyer().name().empty() ? inv.buyer().personal_name() : inv.buyer().name(),
          inv.template_code(),
          inv.symbol(),
          absl::StrCat(inv.number()),
          inv.currency(),
          inv.exchange_rate(),
          totals.total_before_tax(),
          totals.total_tax(),
          totals.total_trade_discount(),
          totals.total_payable(),
          absl::StrJoin(warnings, ";")};
}

absl::StatusOr<std::string> InvoiceLinesCsv(const v1::AuthenticatedInvoice& invoice) {
  std::optional<v1::AuthenticationRecord> record = DecodeRecord(invoice);
  if (!record.has_value()) {
    return absl::DataLossError(absl::StrCat("invoice ", invoice.authority_code(),
                                            ": the signed record does not parse"));
  }
  const v1::Invoice& inv = record->invoice();
  CsvTable table({"authority_code", "line_no", "nature", "item_code", "name", "unit", "quantity",
                  "unit_price", "discount_rate", "discount_amount", "amount", "vat_rate",
                  "currency"});
  for (const v1::LineItem& line : inv.lines()) {
    table.AddRow({invoice.authority_code(), line.line_no() == 0 ? "" : absl::StrCat(line.line_no()),
                  LineNatureName(line.nature()), line.item_code(), line.name(), line.unit(),
                  line.quantity(), line.unit_price(), line.discount_rate(), line.discount_amount(),
                  line.amount(), line.vat_rate(), inv.currency()});
  }
  return table.Render();
}

CsvTable SellerCsvTable() {
  return CsvTable({"tax_code", "name", "status", "tvan_tax_code", "certificates",
                   "revoked_certificates", "registered_at", "updated_at"});
}

std::vector<std::string> SellerCsvRow(const v1::Seller& seller) {
  return {seller.tax_code(),
          seller.name(),
          SellerStatusName(seller.status()),
          seller.tvan_tax_code(),
          absl::StrCat(seller.certificates_der_size()),
          absl::StrCat(seller.revoked_certificates_size()),
          CsvTimestamp(seller.registered_at(), seller.has_registered_at()),
          CsvTimestamp(seller.updated_at(), seller.has_updated_at())};
}

}  // namespace einvoice::cli
