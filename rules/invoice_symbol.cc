#include "rules/invoice_symbol.h"


namespace einvoice {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpperOrDigit(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z'); }

}  // namespace

SymbolProblem CheckInvoiceSymbol(absl::string_view symbol) {
  if (symbol.size() != 6) return SymbolProblem::kBadLength;
  if (symbol[0] == 'K') return SymbolProblem::kNotCoded;
  if (symbol[0] != 'C') return SymbolProblem::kBadFirstLetter;
  if (!IsDigit(symbol[1]) || !IsDigit(symbol[2])) return SymbolProblem::kBadYear;
  if (absl::string_view("TDLMNBGHX").find(symbol[3]) == absl::string_view::npos) {
    return SymbolProblem::kBadKind;
  }
  if (!IsUpperOrDigit(symbol[4]) || !IsUpperOrDigit(symbol[5])) return SymbolProblem::kBadSuffix;
  return SymbolProblem::kOk;
}

std::optional<int> SymbolYear(absl::string_view symbol) {
  if (symbol.size() < 3 || !IsDigit(symbol[1]) || !IsDigit(symbol[2])) return std::nullopt;
  return (symbol[1] - '0') * 10 + (symbol[2] - '0');
}

bool SymbolKindFitsTemplate(absl::string_view symbol, absl::string_view template_code) {
  if (CheckInvoiceSymbol(symbol) != SymbolProblem::kOk || template_code.size() != 1 ||
      template_code[0] < '1' || template_code[0] > '7') {
    return true;
  }
  const char kind = symbol[3];
  const char tmpl = template_code[0];
  const bool delivery_note = kind == 'N' || kind == 'B';
  if (delivery_note != (tmpl == '6')) return false;
  if ((tmpl == '3' || tmpl == '4') && kind != 'D') return false;
  if (kind == 'M' && tmpl != '1' && tmpl != '2') return false;
  return true;
}

bool IsCashRegisterSymbol(absl::string_view symbol) {
  return CheckInvoiceSymbol(symbol) == SymbolProblem::kOk && symbol[3] == 'M';
}

bool SymbolYearMatches(absl::string_view symbol, int issue_year) {
  const std::optional<int> year = SymbolYear(symbol);
  return year.has_value() && *year == ((issue_year % 100) + 100) % 100;
}

absl::string_view SymbolProblemDescription(SymbolProblem problem) {
  switch (problem) {
    case SymbolProblem::kOk:
      return "valid";
    case SymbolProblem::kBadLength:
      return "must be exactly 6 characters";
    case SymbolProblem::kNotCoded:
      return "'K' symbols are invoices without a tax-authority code";
    case SymbolProblem::kBadFirstLetter:
      return "first character must be 'C'";
    case SymbolProblem::kBadYear:
      return "characters 2-3 must be the last two digits of the year";
    case SymbolProblem::kBadKind:
      return "character 4 must be one of T, D, L, M, N, B, G, H, X";
    case SymbolProblem::kBadSuffix:
      return "characters 5-6 must be upper-case letters or digits";
  }
  return "unknown problem";
}

absl::string_view SymbolProblemDescriptionVi(SymbolProblem problem) {
  switch (problem) {
    case SymbolProblem::kOk:
      return "hợp lệ";
    case SymbolProblem::kBadLength:
      return "ký hiệu phải gồm đúng 6 ký tự";
    case SymbolProblem::kNotCoded:
      return "ký hiệu bắt đầu bằng 'K' là hóa đơn không có mã của cơ quan thuế";
    case SymbolProblem::kBadFirstLetter:
      return "ký tự đầu tiên phải là 'C'";
    case SymbolProblem::kBadYear:
      return "ký tự thứ 2-3 phải là hai chữ số cuối của năm lập hóa đơn";
    case SymbolProblem::kBadKind:
      return "ký tự thứ 4 phải là một trong T, D, L, M, N, B, G, H, X";
    case SymbolProblem::kBadSuffix:
      return "ký tự thứ 5-6 phải là chữ in hoa hoặc chữ số";
  }
  return "lỗi không xác định";
}

}  // namespace einvoice
