#include "tools/cli/invoice_view.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "signer/digest.h"

namespace einvoice::cli {
namespace {

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string PartyLine(const v1::Party& party) {
  if (party.tax_code().empty()) return OrDash(party.name());
  return party.name().empty() ? party.tax_code() : absl::StrCat(party.tax_code(), "  ", party.name());
}

}  // namespace

std::string LineNatureName(v1::LineNature nature) {
  switch (nature) {
    case v1::LINE_NATURE_GOODS_OR_SERVICE:
      return "goods";
    case v1::LINE_NATURE_PROMOTION:
      return "promotion";
    case v1::LINE_NATURE_TRADE_DISCOUNT:
      return "discount";
    case v1::LINE_NATURE_NOTE:
      return "note";
    case v1::LINE_NATURE_SPECIAL:
      return "special";
    default:
      return "?";
  }
}

std::optional<v1::AuthenticationRecord> DecodeRecord(const v1::AuthenticatedInvoice& invoice) {
  v1::AuthenticationRecord record;
  if (!record.ParseFromString(invoice.signed_record())) return std::nullopt;
  return record;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp, bool is_set) {
  if (!is_set) return "-";
  const absl::Time time =
      absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S +07", time, VietnamTimeZone());
}

std::string InvoiceLabel(const v1::Invoice& invoice) {
  return absl::StrCat(invoice.template_code(), invoice.symbol(), "/", invoice.number());
}

Table InvoiceSummaryTable() {
  Table table({"code", "issue date", "seller", "buyer", "symbol/number", "total payable"});
  table.SetMaxWidth(3, 30);
  table.AlignRight(5);
  return table;
}

std::vector<std::string> InvoiceSummaryRow(const v1::AuthenticatedInvoice& invoice) {
  std::optional<v1::AuthenticationRecord> record = DecodeRecord(invoice);
  if (!record.has_value()) return {invoice.authority_code(), "?", "?", "?", "?", "?"};
  const v1::Invoice& inv = record->invoice();
  const std::string buyer =
      inv.buyer().tax_code().empty() ? OrDash(inv.buyer().name()) : inv.buyer().tax_code();
  return {invoice.authority_code(),
          inv.issue_date(),
          inv.seller().tax_code(),
          buyer,
          InvoiceLabel(inv),
          absl::StrCat(inv.totals().total_payable(), " ", inv.currency())};
}

std::string InvoiceDetails(const v1::AuthenticatedInvoice& invoice) {
  std::vector<std::pair<std::string, std::string>> head = {
      {"Authority code", invoice.authority_code()},
      {"Issued at", FormatTimestamp(invoice.issued_at(), invoice.has_issued_at())},
      {"Signing key", invoice.key_id()},
  };
  std::optional<v1::AuthenticationRecord> record = DecodeRecord(invoice);
  if (!record.has_value()) {
    head.push_back({"Invoice", "(signed record does not parse)"});
    return RenderKeyValues(head);
  }
  const v1::Invoice& inv = record->invoice();
  head.push_back({"Invoice", absl::StrCat(InvoiceLabel(inv), "  ", inv.invoice_name())});
  head.push_back({"Issue date", inv.issue_date()});
  std::string currency = inv.currency();
  if (!inv.exchange_rate().empty()) absl::StrAppend(&currency, " (rate ", inv.exchange_rate(), ")");
  head.push_back({"Currency", currency});
  if (!inv.payment_method().empty()) head.push_back({"Payment", inv.payment_method()});
  head.push_back({"Seller", PartyLine(inv.seller())});
  head.push_back({"Buyer", PartyLine(inv.buyer())});
  if (inv.has_related()) {
    const v1::RelatedInvoice& related = inv.related();
    head.push_back(
        {related.relation() == v1::RELATION_KIND_ADJUSTMENT ? "Adjusts" : "Replaces",
         absl::StrCat(related.template_code(), related.symbol(), "/", related.number(), " of ",
                      related.issue_date())});
  }
  std::string out = RenderKeyValues(head);

  Table lines({"no", "kind", "item", "unit", "quantity", "unit price", "discount", "amount", "VAT"});
  lines.SetMaxWidth(2, 40);
  for (size_t c : {0, 4, 5, 6, 7}) lines.AlignRight(c);
  for (const v1::LineItem& line : inv.lines()) {
    lines.AddRow({line.line_no() == 0 ? "" : absl::StrCat(line.line_no()), LineNatureName(line.nature()),
                  line.name(), line.unit(), line.quantity(), line.unit_price(),
                  line.discount_amount(), line.amount(), line.vat_rate()});
  }
  absl::StrAppend(&out, "\n", lines.Render());

  const v1::Totals& totals = inv.totals();
  Table rates({"VAT rate", "taxable", "tax"});
  rates.AlignRight(1);
  rates.AlignRight(2);
  for (const v1::RateSummary& rate : totals.rate_summaries()) {
    rates.AddRow({rate.vat_rate(), rate.taxable_amount(), rate.tax_amount()});
  }
  absl::StrAppend(&out, "\n", rates.Render(), "\n");
  std::vector<std::pair<std::string, std::string>> sums = {
      {"Total before tax", totals.total_before_tax()},
      {"Total VAT", totals.total_tax()},
  };
  if (!totals.total_trade_discount().empty() && totals.total_trade_discount() != "0") {
    sums.push_back({"Trade discount", totals.total_trade_discount()});
  }
  sums.push_back({"Total payable", absl::StrCat(totals.total_payable(), " ", inv.currency())});
  sums.push_back({"In words", totals.total_payable_in_words()});
  absl::StrAppend(&out, RenderKeyValues(sums));
  return out;
}

std::string SellerStatusName(v1::SellerStatus status) {
  switch (status) {
    case v1::SELLER_STATUS_ACTIVE:
      return "active";
    case v1::SELLER_STATUS_SUSPENDED:
      return "suspended";
    case v1::SELLER_STATUS_STOPPED:
      return "stopped";
    default:
      return "unspecified";
  }
}

std::string SellerDetails(const v1::Seller& seller) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Tax code", seller.tax_code()},
      {"Name", seller.name()},
      {"Status", SellerStatusName(seller.status())},
      {"Registered at", FormatTimestamp(seller.registered_at(), seller.has_registered_at())},
      {"Updated at", FormatTimestamp(seller.updated_at(), seller.has_updated_at())},
      {"T-VAN", seller.tvan_tax_code().empty() ? "-" : seller.tvan_tax_code()},
      {"Certificates", absl::StrCat(seller.certificates_der_size())},
  };
  // Certificates are named by their SHA-256 fingerprint (what `seller cert revoke` takes).
  for (int i = 0; i < seller.certificates_der_size(); ++i) {
    rows.push_back({absl::StrCat("  #", i + 1),
                    absl::BytesToHexString(Sha256(seller.certificates_der(i)))});
  }
  if (seller.revoked_certificates_size() > 0) {
    rows.push_back({"Revoked", absl::StrCat(seller.revoked_certificates_size())});
    for (const v1::RevokedCertificate& revoked : seller.revoked_certificates()) {
      rows.push_back({absl::StrCat("  ", FormatTimestamp(revoked.revoked_at())),
                      absl::StrCat(absl::BytesToHexString(Sha256(revoked.certificate_der())),
                                   "  ", revoked.reason())});
    }
  }
  return RenderKeyValues(rows);
}

Table SellerSummaryTable() {
  Table table({"tax code", "name", "status", "T-VAN", "certificates", "registered at"});
  table.SetMaxWidth(1, 40);
  table.AlignRight(4);
  return table;
}

std::vector<std::string> SellerSummaryRow(const v1::Seller& seller) {
  return {seller.tax_code(),
          seller.name(),
          SellerStatusName(seller.status()),
          OrDash(seller.tvan_tax_code()),
          absl::StrCat(seller.certificates_der_size()),
          FormatTimestamp(seller.registered_at(), seller.has_registered_at())};
}

namespace {

std::string KeysTableOf(const google::protobuf::RepeatedPtrField<v1::SigningKey>& keys) {
  Table table({"key id", "algorithm", "state", "not before", "retired at"});
  for (const v1::SigningKey& key : keys) {
    const char* state = key.has_retired_at() ? "retired"
                        : key.has_not_before() ? "active"
                                               : "pending";
    table.AddRow({key.key_id(), key.algorithm(), state,
                  key.has_not_before() ? FormatTimestamp(key.not_before()) : "-",
                  key.has_retired_at() ? FormatTimestamp(key.retired_at()) : "-"});
  }
  return table.Render();
}

}  // namespace

std::string KeysTable(const v1::GetSigningKeysResponse& keys) { return KeysTableOf(keys.keys()); }

std::string KeysTable(const v1::ListSigningKeysResponse& keys) { return KeysTableOf(keys.keys()); }

}  // namespace einvoice::cli
