#include "rules/violation.h"

#include "absl/strings/str_cat.h"

namespace einvoice {

Violation MakeViolation(const ViolationType& type, absl::string_view field,
                        absl::string_view detail) {
  Violation v;
  v.code = std::string(type.code);
  v.rule = std::string(type.rule);
  v.field = std::string(field);
  v.message_vi = detail.empty() ? std::string(type.message_vi)
                                : absl::StrCat(type.message_vi, ": ", detail);
  v.message_en = detail.empty() ? std::string(type.message_en)
                                : absl::StrCat(type.message_en, ": ", detail);
  return v;
}

}  // namespace einvoice
