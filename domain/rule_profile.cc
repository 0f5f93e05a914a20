#include "domain/rule_profile.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "einvoice/v1/rule_profile.pb.h"
#include "common/status_macros.h"
#include "domain/json_config.h"
#include "rules/violation_catalogue.h"
#include "rules/signature_violations.h"

namespace einvoice {
namespace {

// The arithmetic the real authority codes anyway (domain brief §7): warnings under `authority`.
constexpr absl::string_view kAuthorityWarnings[] = {
    kLineAmountMismatch.rule,      kRateSummaryMissing.rule,     kRateSummaryExtra.rule,
    kRateSummaryDuplicate.rule,    kRateTaxableMismatch.rule,    kRateTaxMismatch.rule,
    kTotalBeforeTaxMismatch.rule,  kTotalTaxMismatch.rule,       kTotalTradeDiscountMismatch.rule,
    kTotalPayableMismatch.rule,    kAmountInWordsMissing.rule,   kUnitPriceMissing.rule,
};

// What no profile may lower: the answer's own bound, uniqueness and idempotency (one code per
// key), sizes and overflow (what can be stored and fetched), and the seller's registration.
constexpr absl::string_view kFixedRules[] = {
    kMoreViolations.rule,          kDuplicateInvoice.rule,      kIdempotencyKeyConflict.rule,
    kIdempotencyKeyTooLong.rule,   kFormatMaxLength.rule,       kAmountOutOfRange.rule,
    kSellerNotRegistered.rule,     kSellerNotActive.rule,       kCashRegisterCodeTaken.rule,
    // Which intake an invoice belongs to, and a code storage can hold: never lowered.
    kSymbolCashRegister.rule,      kSymbolNotCashRegister.rule, kCashRegisterCodeFormat.rule,
};

absl::flat_hash_map<std::string, Severity> AllRejecting() {
  absl::flat_hash_map<std::string, Severity> severities;
  for (absl::string_view rule : RuleProfile::KnownRules()) {
    severities.emplace(std::string(rule), Severity::kReject);
  }
  return severities;
}

bool ParseSeverity(absl::string_view text, Severity* out) {
  for (Severity s : {Severity::kReject, Severity::kWarn, Severity::kOff}) {
    if (text == SeverityName(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

}  // namespace

absl::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kReject:
      return "reject";
    case Severity::kWarn:
      return "warn";
    case Severity::kOff:
      return "off";
  }
  return "reject";
}

const ViolationType* FindViolationType(absl::string_view rule) {
  for (const ViolationType* type : kAllViolationTypes) {
    if (type->rule == rule) return type;
  }
  for (const ViolationType* type : kAllXmlViolationTypes) {
    if (type->rule == rule) return type;
  }
  return nullptr;
}

void AttachWarningHints(v1::AuthenticatedInvoice& invoice) {
  for (v1::Violation& warning : *invoice.mutable_warnings()) {
    if (const ViolationType* type = FindViolationType(warning.rule()); type != nullptr) {
      warning.set_hint(std::string(type->hint_vi));
      warning.set_hint_en(std::string(type->hint_en));
    }
  }
}

const std::vector<absl::string_view>& RuleProfile::KnownRules() {
  static const auto* const rules = [] {
    auto* all = new std::vector<absl::string_view>;
    for (const ViolationType* type : kAllViolationTypes) all->push_back(type->rule);
    for (const ViolationType* type : kAllXmlViolationTypes) all->push_back(type->rule);
    return all;
  }();
  return *rules;
}

bool RuleProfile::IsFixed(absl::string_view rule) {
  return std::find(std::begin(kFixedRules), std::end(kFixedRules), rule) !=
         std::end(kFixedRules);
}

RuleProfile RuleProfile::Strict() { return RuleProfile("strict", AllRejecting()); }

RuleProfile RuleProfile::Authority() {
  absl::flat_hash_map<std::string, Severity> severities = AllRejecting();
  for (absl::string_view rule : kAuthorityWarnings) severities[rule] = Severity::kWarn;
  return RuleProfile("authority", std::move(severities));
}

absl::StatusOr<RuleProfile> RuleProfile::BuiltIn(absl::string_view name) {
  if (name == "authority") return Authority();
  if (name == "strict") return Strict();
  return absl::NotFoundError(
      absl::StrCat("no built-in rule profile \"", name.substr(0, 40),
                   "\" (authority or strict)"));
}

absl::StatusOr<RuleProfile> RuleProfile::FromJson(absl::string_view json) {
  v1::RuleProfileFile file;
  RETURN_IF_ERROR(ParseJsonConfig(
      json, "rule profile",
      R"({"base": "authority", "rules": {"<rule>": "reject|warn|off", ...}})", &file));
  absl::StatusOr<RuleProfile> profile =
      BuiltIn(file.base().empty() ? absl::string_view("authority") : file.base());
  if (!profile.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("base: ", profile.status().message()));
  }
  for (const auto& [rule, text] : file.rules()) {
    auto known = profile->severities_.find(rule);
    if (known == profile->severities_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rules: \"", rule.substr(0, 80), "\" is not a rule (docs/violations.md lists them)"));
    }
    Severity severity;
    if (!ParseSeverity(text, &severity)) {
      return absl::InvalidArgumentError(absl::StrCat("rules.", rule, ": \"", text.substr(0, 20),
                                                     "\" is not reject, warn or off"));
    }
    if (severity != Severity::kReject && IsFixed(rule)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rules.", rule, ": always rejects (it protects uniqueness, sizes, registration or the intake)"));
    }
    known->second = severity;
  }
  profile->name_ = absl::StrCat(profile->name_, "+file");
  return profile;
}

Severity RuleProfile::SeverityOf(absl::string_view rule) const {
  auto found = severities_.find(rule);
  return found == severities_.end() ? Severity::kReject : found->second;
}

void RuleProfile::Apply(std::vector<Violation>& violations) const {
  for (Violation& violation : violations) violation.severity = SeverityOf(violation.rule);
  violations.erase(std::remove_if(violations.begin(), violations.end(),
                                  [](const Violation& v) { return v.severity == Severity::kOff; }),
                   violations.end());
}

}  // namespace einvoice
