#include "rules/cash_register_code.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "rules/ascii_text.h"
#include "rules/violation_catalogue.h"

namespace einvoice {
namespace {

bool AllUpperOrDigits(absl::string_view s) {
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (!absl::ascii_isdigit(u) && !absl::ascii_isupper(u)) return false;
  }
  return true;
}

}  // namespace

bool IsCashRegisterCode(absl::string_view code) {
  // M T - Y Y - S S S S S - N N N N N N N N N N N
  // 0 1 2 3 4 5 6       10 11 12                22
  return code.size() == kCashRegisterCodeLength && code[0] == 'M' && code[1] >= '1' &&
         code[1] <= '6' && code[2] == '-' && AllDigits(code.substr(3, 2)) && code[5] == '-' &&
         AllUpperOrDigits(code.substr(6, 5)) && code[11] == '-' && AllDigits(code.substr(12));
}

std::vector<Violation> CheckCashRegisterCode(absl::string_view code, const v1::Invoice& invoice,
                                             absl::string_view field) {
  std::vector<Violation> out;
  if (!IsCashRegisterCode(code)) {
    // Echo at most a code's length of what was sent.
    out.push_back(MakeViolation(kCashRegisterCodeFormat, field,
                                absl::StrCat("\"", code.substr(0, kCashRegisterCodeLength),
                                             code.size() > kCashRegisterCodeLength ? "…" : "",
                                             "\"")));
    return out;
  }
  if (absl::string_view(invoice.template_code()) != code.substr(1, 1)) {
    out.push_back(MakeViolation(
        kCashRegisterCodeMismatch, field,
        absl::StrCat("mẫu số trong mã ", code.substr(1, 1), ", mẫu số hóa đơn ",
                     invoice.template_code().substr(0, 8)),
        absl::StrCat("template ", code.substr(1, 1), " in the code, invoice template ",
                     invoice.template_code().substr(0, 8))));
    return out;
  }
  // issue_date is YYYY-MM-DD when readable; its year's last two digits are characters 2-3.
  const std::string& date = invoice.issue_date();
  if (date.size() == 10 && date[4] == '-' && AllDigits(date.substr(0, 4)) &&
      absl::string_view(date).substr(2, 2) != code.substr(3, 2)) {
    out.push_back(MakeViolation(
        kCashRegisterCodeMismatch, field,
        absl::StrCat("năm trong mã ", code.substr(3, 2), ", năm lập ", date.substr(0, 4)),
        absl::StrCat("year ", code.substr(3, 2), " in the code, issued in ", date.substr(0, 4))));
  }
  return out;
}

}  // namespace einvoice
