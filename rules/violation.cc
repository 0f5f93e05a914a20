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

Violation MakeViolation(const ViolationType& type, absl::string_view field,
                        absl::string_view detail_vi, absl::string_view detail_en) {
  Violation v;
  v.code = std::string(type.code);
  v.rule = std::string(type.rule);
  v.field = std::string(field);
  v.message_vi = detail_vi.empty() ? std::string(type.message_vi)
                                   : absl::StrCat(type.message_vi, ": ", detail_vi);
  v.message_en = detail_en.empty() ? std::string(type.message_en)
                                   : absl::StrCat(type.message_en, ": ", detail_en);
  return v;
}

v1::Violation ToProto(const Violation& violation) {
  v1::Violation out;
  out.set_code(violation.code);
  out.set_rule(violation.rule);
  out.set_field(violation.field);
  out.set_message(violation.message_vi);
  out.set_message_en(violation.message_en);
  return out;
}

void AppendToProto(const std::vector<Violation>& violations,
                   google::protobuf::RepeatedPtrField<v1::Violation>* out) {
  for (const Violation& v : violations) *out->Add() = ToProto(v);
}

std::string DebugString(const Violation& violation) {
  return absl::StrCat(violation.code, " ", violation.rule, " at ",
                      violation.field.empty() ? "(invoice)" : violation.field, ": ",
                      violation.message_en);
}

}  // namespace einvoice
