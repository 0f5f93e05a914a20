// Human-readable views of invoices, sellers and keys for the CLI's tables. The invoice itself
// is read out of `signed_record` (an AuthenticationRecord), the only place an
// AuthenticatedInvoice carries it. Pure functions; thread-safe.
#ifndef EINVOICE_TOOLS_CLI_INVOICE_VIEW_H_
#define EINVOICE_TOOLS_CLI_INVOICE_VIEW_H_

#include <optional>
#include <string>
#include <vector>

#include "einvoice/v1/authentication.pb.h"
#include "einvoice/v1/authority_admin.pb.h"
#include "einvoice/v1/invoice_authority.pb.h"
#include "einvoice/v1/tax_officer.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "tools/cli/table.h"

namespace einvoice::cli {

// The record inside `invoice.signed_record()`; nullopt if it does not parse.
std::optional<v1::AuthenticationRecord> DecodeRecord(const v1::AuthenticatedInvoice& invoice);

// "2026-11-22 17:03:01 +07" (Vietnam time); "-" for an unset timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp, bool is_set = true);

// "goods", "promotion", "discount", "note", "special"; "?" otherwise.
std::string LineNatureName(v1::LineNature nature);

// "1C26TAA/42": template code and symbol as printed on invoices, then the number.
std::string InvoiceLabel(const v1::Invoice& invoice);

// The search table: code, issue date, seller, buyer, symbol/number, total payable.
Table InvoiceSummaryTable();
// One row of InvoiceSummaryTable() (cells show "?" when the record does not parse).
std::vector<std::string> InvoiceSummaryRow(const v1::AuthenticatedInvoice& invoice);

// Everything about one invoice: envelope, parties, lines, per-rate summaries, totals.
std::string InvoiceDetails(const v1::AuthenticatedInvoice& invoice);

// "active", "suspended", "stopped".
std::string SellerStatusName(v1::SellerStatus status);
// One seller as "key  value" lines.
std::string SellerDetails(const v1::Seller& seller);
// The seller list: tax code, name, status, T-VAN, certificates in force, registered at.
Table SellerSummaryTable();
std::vector<std::string> SellerSummaryRow(const v1::Seller& seller);

// The key list: key id, algorithm, not before, retired at / "active".
std::string KeysTable(const v1::GetSigningKeysResponse& keys);
// The same for the operators' list, which also shows pending keys.
std::string KeysTable(const v1::ListSigningKeysResponse& keys);

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_INVOICE_VIEW_H_
