// What `--output csv` prints for invoices and sellers: the columns, named in snake_case (a
// stable interface for spreadsheets and scripts, listed in docs/cli.md), and one row per
// invoice, invoice line or seller. The invoice is read out of `signed_record`, as in
// invoice_view.h. Money and quantities are the invoice's decimal strings, untouched; times are
// Vietnam time as "YYYY-MM-DD HH:MM:SS" (what spreadsheets read as a date and time), empty
// when unset. Pure functions; thread-safe.
#ifndef EINVOICE_TOOLS_CLI_CSV_VIEWS_H_
#define EINVOICE_TOOLS_CLI_CSV_VIEWS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "einvoice/v1/authentication.pb.h"
#include "einvoice/v1/tax_officer.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "tools/cli/csv.h"

namespace einvoice::cli {

// "2026-11-22 17:03:01" (Vietnam time); "" when !is_set.
std::string CsvTimestamp(const google::protobuf::Timestamp& timestamp, bool is_set);

// `search`: authority_code, issued_at, issue_date, seller_tax_code, seller_name,
// buyer_tax_code, buyer_name, template_code, symbol, number, currency, exchange_rate,
// total_before_tax, total_tax, total_trade_discount, total_payable, warnings.
CsvTable InvoiceCsvTable();
// One row of InvoiceCsvTable(). `warnings` holds the distinct rules the invoice was coded
// with warnings for, separated by ';'. When the signed record does not parse, the invoice's
// own fields are filled in and every field of the record is "?" (as in the table).
std::vector<std::string> InvoiceCsvRow(const v1::AuthenticatedInvoice& invoice);

// `get`: one row per line of the invoice: authority_code, line_no, nature, item_code, name,
// unit, quantity, unit_price, discount_rate, discount_amount, amount, vat_rate, currency.
// The code comes first so that several invoices' lines can be put in one sheet. DATA_LOSS if
// the signed record does not parse (there are no lines to show).
absl::StatusOr<std::string> InvoiceLinesCsv(const v1::AuthenticatedInvoice& invoice);

// `seller list`: tax_code, name, status, tvan_tax_code, certificates (in force),
// revoked_certificates, registered_at, updated_at.
CsvTable SellerCsvTable();
std::vector<std::string> SellerCsvRow(const v1::Seller& seller);

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_CSV_VIEWS_H_
