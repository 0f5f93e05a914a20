#include "rules/violation.h"

#include "absl/strings/str_cat.h"
#include "rules/violation_catalogue.h"

namespace einvoice {
namespace {

// "message: detail", the detail cut to kMaxViolationDetailBytes at a character boundary.
std::string WithDetail(absl::string_view message, absl::string_view detail) {
  if (detail.empty()) return std::string(message);
  if (detail.size() <= kMaxViolationDetailBytes) return absl::StrCat(message, ": ", detail);
  size_t cut = kMaxViolationDetailBytes;
  while (cut > 0 && (static_cast<unsigned char>(detail[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(message, ": ", detail.substr(0, cut), "\xE2\x80\xA6");  // …
}

}  // namespace

Violation MakeViolation(const ViolationType& type, absl::string_view field,
                        absl::string_view detail) {
  return MakeViolation(type, field, detail, detail);
}

Violation MakeViolation(const ViolationType& type, absl::string_view field,
                        absl::string_view detail_vi, absl::string_view detail_en) {
  Violation v;
  v.code = std::string(type.code);
  v.rule = std::string(type.rule);
  v.field = std::string(field.substr(0, kMaxViolationDetailBytes));
  v.message_vi = WithDetail(type.message_vi, detail_vi);
  v.message_en = WithDetail(type.message_en, detail_en);
  v.hint_vi = std::string(type.hint_vi);
  v.hint_en = std::string(type.hint_en);
  return v;
}

void LimitViolations(std::vector<Violation>& violations, size_t max) {
  if (violations.size() <= max) return;
  const size_t more = violations.size() - max;
  // The summary is as severe as the most severe of those it stands for.
  Severity severity = Severity::kWarn;
  for (size_t i = max; i < violations.size(); ++i) {
    if (violations[i].severity == Severity::kReject) severity = Severity::kReject;
  }
  violations.resize(max);
  violations.push_back(MakeViolation(kMoreViolations, "", absl::StrCat("còn ", more, " lỗi khác"),
                                     absl::StrCat(more, " more")));
  violations.back().severity = severity;
}

v1::Violation ToProto(const Violation& violation) {
  v1::Violation out;
  out.set_code(violation.code);
  out.set_rule(violation.rule);
  out.set_field(violation.field);
  out.set_message(violation.message_vi);
  out.set_message_en(violation.message_en);
  out.set_severity(violation.severity == Severity::kWarn ? v1::VIOLATION_SEVERITY_WARNING
                                                         : v1::VIOLATION_SEVERITY_REJECT);
  out.set_hint(violation.hint_vi);
  out.set_hint_en(violation.hint_en);
  return out;
}

Violation FromProto(const v1::Violation& violation) {
  Violation out;
  out.code = violation.code();
  out.rule = violation.rule();
  out.field = violation.field();
  out.message_vi = violation.message();
  out.message_en = violation.message_en();
  out.severity = violation.severity() == v1::VIOLATION_SEVERITY_WARNING ? Severity::kWarn
                                                                        : Severity::kReject;
  out.hint_vi = violation.hint();
  out.hint_en = violation.hint_en();
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
