// RuleProfile: what each rule of the catalogue does to an invoice that breaks it — refuse it
// (reject), code it and record the problem beside it (warn), or nothing (off).
//
// Built-in profiles:
//   authority  (the default) what the real tax authority enforces: format, code lists,
//              identity and registration, signatures, symbol and year, dates, uniqueness
//              reject; arithmetic (line amounts, rate summaries, totals, the amount in words,
//              a missing unit price) warns — the seller answers for its amounts;
//   strict     every rule rejects (this service's behaviour before profiles).
// A profile file (proto/einvoice/v1/rule_profile.proto) overrides rules on top of either.
//
// Some rules cannot be lowered by any profile, because what they protect is not the
// invoice's content but the service's own guarantees (one code per invoice key, bounded
// sizes, a registered seller): kFixedRules. docs/violations.md shows every rule's severity in
// both built-in profiles (a test keeps it in step).
//
// Immutable after construction; thread-safe.
#ifndef EINVOICE_DOMAIN_RULE_PROFILE_H_
#define EINVOICE_DOMAIN_RULE_PROFILE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "einvoice/v1/authentication.pb.h"
#include "rules/violation.h"

namespace einvoice {

class RuleProfile {
 public:
  static RuleProfile Authority();
  static RuleProfile Strict();
  // "authority" or "strict". NOT_FOUND for any other name.
  static absl::StatusOr<RuleProfile> BuiltIn(absl::string_view name);
  // A profile file's contents. INVALID_ARGUMENT (naming the key) for malformed JSON, an unknown
  // base, rule or severity, or a fixed rule set below reject.
  static absl::StatusOr<RuleProfile> FromJson(absl::string_view json);

  // "authority", "strict", or "<base>+file".
  const std::string& name() const { return name_; }
  // kReject for a rule the catalogue does not know (a check added without a severity).
  Severity SeverityOf(absl::string_view rule) const;
  // Sets each violation's severity and removes those that are off.
  void Apply(std::vector<Violation>& violations) const;

  // Every rule name in the catalogues (rules/violation_catalogue.h, rules/signature_violations.h).
  static const std::vector<absl::string_view>& KnownRules();
  // Rules every profile rejects.
  static bool IsFixed(absl::string_view rule);

 private:
  RuleProfile(std::string name, absl::flat_hash_map<std::string, Severity> severities)
      : name_(std::move(name)), severities_(std::move(severities)) {}

  std::string name_;
  absl::flat_hash_map<std::string, Severity> severities_;  // every known rule
};

// "reject", "warn", "off".
absl::string_view SeverityName(Severity severity);

// The catalogue entry of `rule` (rules/violation_catalogue.h, rules/signature_violations.h), or
// nullptr.
const ViolationType* FindViolationType(absl::string_view rule);

// Stored warnings carry no hints (they are the same for every invoice, and an archive of
// billions need not repeat them); answers do. Fills each warning's hint and hint_en from the
// catalogue, so a fresh answer, a replay and a lookup of one invoice are identical.
void AttachWarningHints(v1::AuthenticatedInvoice& invoice);

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_RULE_PROFILE_H_
