// Violation: one problem found in a submitted invoice, as reported to clients
// (v1::Violation). ViolationType is one entry of the catalogue in docs/violations.md.
// Plain values; thread-compatible.
#ifndef EINVOICE_RULES_VIOLATION_H_
#define EINVOICE_RULES_VIOLATION_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "einvoice/v1/violation.pb.h"

namespace einvoice {

// One entry of the violation catalogue.
struct ViolationType {
  // 5-digit code: 20001 for format errors, 20609 for duplicates, the rest ours.
  absl::string_view code;
  // Stable machine name, e.g. "seller.tax_code.check_digit".
  absl::string_view rule;
  // The message in Vietnamese, as the authority writes it.
  absl::string_view message_vi;
  // The same in English.
  absl::string_view message_en;
  // How to fix it, in Vietnamese and in English (the English text is the "how to fix" column of
  // docs/violations.md and docs/xml.md; a test keeps them equal).
  absl::string_view hint_vi;
  absl::string_view hint_en;
};

// What a violation does to the invoice; a rule profile (domain/rule_profile.h) decides it per
// rule. kOff violations are dropped, never reported.
enum class Severity { kReject, kWarn, kOff };

struct Violation {
  std::string code;
  std::string rule;
  // Path of the field, e.g. "lines[2].amount"; empty for the invoice as a whole.
  std::string field;
  std::string message_vi;
  std::string message_en;
  // How to fix it (the catalogue entry's hints).
  std::string hint_vi;
  std::string hint_en;
  // Set by the rule profile; what the checks report is kReject until a profile says otherwise.
  Severity severity = Severity::kReject;

  friend bool operator==(const Violation&, const Violation&) = default;
};

// Longest detail kept in a message (and longest field path), in bytes: a detail that echoes a
// submitted value is cut there (at a UTF-8 character boundary, ending in "…"), so one
// violation stays small whatever was sent.
inline constexpr size_t kMaxViolationDetailBytes = 256;

// Most violations one rejection lists; the rest are summarised (LimitViolations).
inline constexpr size_t kMaxReportedViolations = 100;

// A violation of `type` at `field`; a non-empty `detail` is appended to both messages
// after ": " (details name values, e.g. "expected 1 200 000, got 1 100 000").
Violation MakeViolation(const ViolationType& type, absl::string_view field,
                        absl::string_view detail = {});

// As above with a detail in each language: `detail_vi` is appended to the Vietnamese
// message, `detail_en` to the English one (each only when non-empty).
Violation MakeViolation(const ViolationType& type, absl::string_view field,
                        absl::string_view detail_vi, absl::string_view detail_en);

// Keeps the first `max` violations and, when there were more, appends one `violations.more`
// (20000) saying how many were left out, with severity kReject if any of those did, else kWarn.
void LimitViolations(std::vector<Violation>& violations, size_t max);

// The wire form (v1::Violation: code, rule, field, message, message_en, severity, hint,
// hint_en).
v1::Violation ToProto(const Violation& violation);
// The inverse of ToProto (UNSPECIFIED severity reads as kReject).
Violation FromProto(const v1::Violation& violation);
void AppendToProto(const std::vector<Violation>& violations,
                   google::protobuf::RepeatedPtrField<v1::Violation>* out);

// "20001 format.required at seller.name: ..." (English), for logs and test failures.
std::string DebugString(const Violation& violation);

}  // namespace einvoice

#endif  // EINVOICE_RULES_VIOLATION_H_
