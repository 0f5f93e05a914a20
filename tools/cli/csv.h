// CSV for spreadsheets, as RFC 4180 describes it (`--output csv`; docs/cli.md "CSV"):
//
//   - a header row, then one record per row, every record with as many fields as the header;
//   - fields separated by ',' and every record, the last one included, ended by CRLF ("\r\n"),
//     the RFC's line end and what spreadsheets write themselves;
//   - a field is enclosed in double quotes when it contains a comma, a double quote, CR or LF,
//     each double quote inside doubled (`a "b"` -> `"a ""b"""`); any other field is written as
//     it is (a line break inside a quoted field stays as given);
//   - bytes pass through unchanged: UTF-8 in, UTF-8 out, and no byte order mark;
//   - a field that a spreadsheet would run as a formula -- it starts with '=', '+', '-', '@',
//     TAB or CR -- and is not a plain decimal number ("-1500.25") gets a leading apostrophe
//     ("'=HYPERLINK(...)"): names on invoices come from taxpayers, and an officer opening the
//     file must not run what they wrote (CWE-1236). Decimals therefore come out exactly as
//     given, negative ones included.
//
// Callers pass money and quantities as the decimal strings they are (never through a double).
// Pure functions and a plain value type; thread-compatible.
#ifndef EINVOICE_TOOLS_CLI_CSV_H_
#define EINVOICE_TOOLS_CLI_CSV_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace einvoice::cli {

// The line end of every record.
inline constexpr absl::string_view kCsvLineEnd = "\r\n";

// One field, neutralised and quoted as above.
std::string CsvField(absl::string_view value);

// One record: the fields joined by ',' and ended by kCsvLineEnd. A record of one empty field
// is written `""` (an empty line would read as no record).
std::string CsvRecord(const std::vector<std::string>& fields);

// A whole CSV document: the header, then the rows.
class CsvTable {
 public:
  // REQUIRES: !headers.empty().
  explicit CsvTable(std::vector<std::string> headers);

  // Adds a row; missing fields are empty, extra fields are dropped (every record has as many
  // fields as the header, as RFC 4180 wants).
  void AddRow(std::vector<std::string> fields);
  size_t row_count() const { return rows_.size(); }

  // The header record, then one record per row. Only the header when there are no rows.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_CSV_H_
