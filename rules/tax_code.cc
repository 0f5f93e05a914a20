#include "rules/tax_code.h"

#include "absl/strings/ascii.h"
#include "rules/ascii_text.h"

namespace einvoice {
namespace {

bool AllZeros(absl::string_view s) { return s.find_first_not_of('0') == absl::string_view::npos; }

}  // namespace

std::optional<char> TaxCodeCheckDigit(absl::string_view first_nine) {
  static constexpr int kWeights[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
  if (first_nine.size() != 9 || !AllDigits(first_nine)) return std::nullopt;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (first_nine[i] - '0') * kWeights[i];
  const int remainder = sum % 11;
  if (remainder == 0) return std::nullopt;
  return static_cast<char>('0' + (10 - remainder));
}

TaxCodeProblem CheckTaxCode(absl::string_view tax_code) {
  if (tax_code.size() == 12 && AllDigits(tax_code)) {
    // A personal id starts with the 3-digit province code of its registration (001-096).
    return tax_code.substr(0, 3) == "000" ? TaxCodeProblem::kBadProvince : TaxCodeProblem::kOk;
  }
  absl::string_view main = tax_code;
  absl::string_view branch;
  if (tax_code.size() == 14 && tax_code[10] == '-') {
    main = tax_code.substr(0, 10);
    branch = tax_code.substr(11);
    if (!AllDigits(branch)) return TaxCodeProblem::kBadFormat;
  } else if (tax_code.size() != 10) {
    return TaxCodeProblem::kBadFormat;
  }
  if (!AllDigits(main)) return TaxCodeProblem::kBadFormat;
  if (AllZeros(main.substr(0, 2))) return TaxCodeProblem::kBadProvince;
  if (AllZeros(main.substr(2, 7))) return TaxCodeProblem::kBadSequence;
  const std::optional<char> check = TaxCodeCheckDigit(main.substr(0, 9));
  if (!check.has_value() || *check != main[9]) return TaxCodeProblem::kBadCheckDigit;
  if (!branch.empty() && AllZeros(branch)) return TaxCodeProblem::kBadBranch;
  return TaxCodeProblem::kOk;
}

std::optional<TaxCodeKind> ClassifyTaxCode(absl::string_view tax_code) {
  if (CheckTaxCode(tax_code) != TaxCodeProblem::kOk) return std::nullopt;
  switch (tax_code.size()) {
    case 10:
      return TaxCodeKind::kEnterprise;
    case 14:
      return TaxCodeKind::kBranch;
    default:
      return TaxCodeKind::kPersonalId;
  }
}

absl::string_view TaxCodeProblemDescription(TaxCodeProblem problem) {
  switch (problem) {
    case TaxCodeProblem::kOk:
      return "valid";
    case TaxCodeProblem::kBadFormat:
      return "must be 10 digits, 10 digits + '-' + 3 digits, or a 12-digit personal id";
    case TaxCodeProblem::kBadProvince:
      return "province part must not be 00 (000 for a 12-digit personal id)";
    case TaxCodeProblem::kBadSequence:
      return "sequence part must not be 0000000";
    case TaxCodeProblem::kBadCheckDigit:
      return "check digit does not match";
    case TaxCodeProblem::kBadBranch:
      return "branch number must not be 000";
  }
  return "unknown problem";
}

absl::string_view TaxCodeProblemDescriptionVi(TaxCodeProblem problem) {
  switch (problem) {
    case TaxCodeProblem::kOk:
      return "hợp lệ";
    case TaxCodeProblem::kBadFormat:
      return "phải gồm 10 chữ số, 10 chữ số + '-' + 3 chữ số, hoặc số định danh cá nhân 12 "
             "chữ số";
    case TaxCodeProblem::kBadProvince:
      return "mã tỉnh không được là 00 (000 với số định danh cá nhân 12 chữ số)";
    case TaxCodeProblem::kBadSequence:
      return "số thứ tự không được là 0000000";
    case TaxCodeProblem::kBadCheckDigit:
      return "chữ số kiểm tra không đúng";
    case TaxCodeProblem::kBadBranch:
      return "mã đơn vị phụ thuộc không được là 000";
  }
  return "lỗi không xác định";
}

std::optional<std::string> CompleteTaxCode(absl::string_view first_nine) {
  const std::optional<char> check = TaxCodeCheckDigit(first_nine);
  if (!check.has_value()) return std::nullopt;
  std::string code = std::string(first_nine) + *check;
  if (CheckTaxCode(code) != TaxCodeProblem::kOk) return std::nullopt;
  return code;
}

bool IsValidCitizenId(absl::string_view id) { return id.size() == 12 && AllDigits(id); }

}  // namespace einvoice
