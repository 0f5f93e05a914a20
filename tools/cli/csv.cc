#include "tools/cli/csv.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace einvoice::cli {
namespace {

// "-?D+(.D+)?": what a spreadsheet reads as a number and nothing else.
bool IsPlainDecimal(absl::string_view value) {
  if (!value.empty() && value.front() == '-') value.remove_prefix(1);
  const size_t point = value.find('.');
  const absl::string_view whole = value.substr(0, point);
  const absl::string_view fraction =
      point == absl::string_view::npos ? absl::string_view("0") : value.substr(point + 1);
  auto digits = [](absl::string_view part) {
    if (part.empty()) return false;
    for (char c : part) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
  };
  return digits(whole) && digits(fraction);
}

bool StartsFormula(absl::string_view value) {
  if (value.empty()) return false;
  switch (value.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return !IsPlainDecimal(value);
    default:
      return false;
  }
}

}  // namespace

std::string CsvField(absl::string_view value) {
  std::string text = StartsFormula(value) ? absl::StrCat("'", value) : std::string(value);
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  // A lone empty field would make an empty line, which readers skip as no record at all.
  if (fields.size() == 1 && fields[0].empty()) return absl::StrCat("\"\"", kCsvLineEnd);
  std::string record;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) record.push_back(',');
    record += CsvField(fields[i]);
  }
  absl::StrAppend(&record, kCsvLineEnd);
  return record;
}

CsvTable::CsvTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void CsvTable::AddRow(std::vector<std::string> fields) {
  fields.resize(headers_.size());
  rows_.push_back(std::move(fields));
}

std::string CsvTable::Render() const {
  std::string out = CsvRecord(headers_);
  for (const std::vector<std::string>& row : rows_) out += CsvRecord(row);
  return out;
}

}  // namespace einvoice::cli
