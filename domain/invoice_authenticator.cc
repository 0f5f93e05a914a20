#include "domain/invoice_authenticator.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/limits.h"
#include "common/logging.h"
#include "signer/digest.h"
#include "domain/authentication_record.h"
#include "rules/cash_register_code.h"
#include "rules/invoice_validator.h"
#include "rules/tax_code.h"
#include "rules/violation_catalogue.h"
#include "domain/structured_invoice.h"

namespace einvoice {
namespace {

// Room in a stored invoice for what signing adds to the record: the envelope's code, time,
// key id and signature (what a coded document adds is its own CodedSizeBound()).
constexpr size_t kEnvelopeAllowance = 1024;

SubmitOutcome Failure(absl::Status status) {
  SubmitOutcome outcome;
  outcome.status = std::move(status);
  return outcome;
}

// Store and signer errors become UNAVAILABLE (retryable) unless they are already a more
// specific code a client should see.
absl::Status AsOutage(const absl::Status& status, absl::string_view what) {
  const absl::StatusCode code = status.code();
  if (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kResourceExhausted ||
      code == absl::StatusCode::kDataLoss) {
    return absl::Status(code, absl::StrCat(what, ": ", status.message()));
  }
  return absl::UnavailableError(absl::StrCat(what, ": ", status.message()));
}

// How the audit trail names a submission (whichever rpc carried it: unary, stream, T-VAN).
Operation SubmitOperation(std::string target) {
  return Operation{"InvoiceAuthority.SubmitInvoice", std::move(target)};
}

// The distinct rules of `violations` at `severity`, for the per-rule statistics and the
// warning index (the 20000 summary is not a rule of the invoice).
std::vector<std::string> RulesOf(const std::vector<Violation>& violations, Severity severity) {
  std::vector<std::string> rules;
  for (const Violation& v : violations) {
    if (v.severity != severity || v.rule == kMoreViolations.rule) continue;
    if (std::find(rules.begin(), rules.end(), v.rule) == rules.end()) rules.push_back(v.rule);
  }
  return rules;
}

v1::InvoiceKey KeyOf(const v1::Invoice& invoice) {
  v1::InvoiceKey key;
  key.set_seller_tax_code(invoice.seller().tax_code());
  key.set_template_code(invoice.template_code());
  key.set_symbol(invoice.symbol());
  key.set_number(invoice.number());
  return key;
}

}  // namespace

// A coded, signed invoice ready for the store.
struct InvoiceAuthenticator::Prepared {
  v1::AuthenticatedInvoice accepted;
  NewInvoice record;
};

template <typename SubmitFn>
SubmitOutcome InvoiceAuthenticator::Wait(SubmitFn submit) {
  SubmitOutcome result;
  absl::Notification done;
  submit([&result, &done](SubmitOutcome outcome) {
    result = std::move(outcome);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

InvoiceAuthenticator::InvoiceAuthenticator(InvoiceStore* store, SellerRegistry* sellers,
                                           SigningKeyManager* keys, Signer* signer,
                                           AuthorityCodeGenerator* codes, AccessControl* access,
                                           const Clock* clock, Options options)
    : store_(store),
      sellers_(sellers),
      keys_(keys),
      signer_(signer),
      codes_(codes),
      access_(access),
      clock_(clock),
      options_(std::move(options)) {}

InvoiceAuthenticator::InvoiceAuthenticator(InvoiceStore* store, SellerRegistry* sellers,
                                           SigningKeyManager* keys, Signer* signer,
                                           AuthorityCodeGenerator* codes, AccessControl* access,
                                           const Clock* clock)
    : InvoiceAuthenticator(store, sellers, keys, signer, codes, access, clock, Options()) {}

SubmitOutcome InvoiceAuthenticator::Submit(const Caller& caller, const v1::Invoice& invoice,
                                           absl::string_view idempotency_key) {
  return Wait([&](SubmitCallback done) {
    SubmitAsync(caller, invoice, idempotency_key, std::move(done));
  });
}

void InvoiceAuthenticator::SubmitAsync(const Caller& caller, const v1::Invoice& invoice,
                                       absl::string_view idempotency_key, SubmitCallback done,
                                       Abandoned abandoned) {
  StructuredInvoice document(&invoice);
  Authenticate(caller, document, idempotency_key, abandoned, std::move(done));
}

SubmitOutcome InvoiceAuthenticator::SubmitCashRegister(const Caller& caller,
                                                       const v1::Invoice& invoice,
                                                       absl::string_view seller_code,
                                                       absl::string_view idempotency_key) {
  return Wait([&](SubmitCallback done) {
    SubmitCashRegisterAsync(caller, invoice, seller_code, idempotency_key, std::move(done));
  });
}

void InvoiceAuthenticator::SubmitCashRegisterAsync(const Caller& caller,
                                                   const v1::Invoice& invoice,
                                                   absl::string_view seller_code,
                                                   absl::string_view idempotency_key,
                                                   SubmitCallback done, Abandoned abandoned) {
  StructuredInvoice document(&invoice, seller_code);
  AuthenticateCashRegister(caller, document, idempotency_key, abandoned, std::move(done));
}

void InvoiceAuthenticator::SubmitCashRegisterDocumentAsync(const Caller& caller,
                                                           InvoiceDocument& document,
                                                           absl::string_view idempotency_key,
                                                           SubmitCallback done,
                                                           Abandoned abandoned) {
  AuthenticateCashRegister(caller, document, idempotency_key, abandoned, std::move(done));
}

void InvoiceAuthenticator::AuthenticateCashRegister(const Caller& caller,
                                                    InvoiceDocument& document,
                                                    absl::string_view idempotency_key,
                                                    const Abandoned& abandoned,
                                                    SubmitCallback done) {
  if (document.carried_code().empty()) {
    // The code is what makes it cash-register data: without one it would be coded here.
    if (absl::Status allowed =
            access_->AuthorizeSubmitter(caller, SubmitOperation("cash-register invoice"));
        !allowed.ok()) {
      std::move(done)(Failure(std::move(allowed)));
      return;
    }
    SubmitOutcome outcome = Failure(absl::InvalidArgumentError("code: required"));
    outcome.violations = document.Explain({MakeViolation(kFormatRequired, "code")});
    CountRejection(outcome.violations);
    std::move(done)(std::move(outcome));
    return;
  }
  Authenticate(caller, document, idempotency_key, abandoned, std::move(done));
}

SubmitOutcome InvoiceAuthenticator::SubmitXml(const Caller& caller, absl::string_view xml,
                                              absl::string_view idempotency_key) {
  return Wait([&](SubmitCallback done) {
    SubmitXmlAsync(caller, xml, idempotency_key, std::move(done));
  });
}

void InvoiceAuthenticator::SubmitXmlAsync(const Caller& caller, absl::string_view xml,
                                          absl::string_view idempotency_key,
                                          SubmitCallback done, Abandoned abandoned) {
  if (absl::Status allowed = access_->AuthorizeSubmitter(caller, SubmitOperation("XML invoice"));
      !allowed.ok()) {
    std::move(done)(Failure(std::move(allowed)));
    return;
  }
  if (options_.xml_reader == nullptr) {
    std::move(done)(Failure(absl::UnimplementedError("XML submissions are not configured")));
    return;
  }
  absl::StatusOr<std::unique_ptr<InvoiceDocument>> document =
      options_.xml_reader->Read(xml, InvoiceDocumentReader::Purpose::kCodeRequest);
  if (!document.ok()) {  // refused outright: DOCTYPE, too big or deep, not well-formed, not HDon
    std::move(done)(
        Unreadable(document.status(), options_.xml_reader->Unreadable(document.status())));
    return;
  }
  Authenticate(caller, **document, idempotency_key, abandoned, std::move(done));
}

void InvoiceAuthenticator::RefuseUnreadable(const Caller& caller, absl::string_view what,
                                            const absl::Status& status, Violation violation,
                                            SubmitCallback done) {
  if (absl::Status allowed =
          access_->AuthorizeSubmitter(caller, SubmitOperation(std::string(what)));
      !allowed.ok()) {
    std::move(done)(Failure(std::move(allowed)));
    return;
  }
  std::move(done)(Unreadable(status, std::move(violation)));
}

SubmitOutcome InvoiceAuthenticator::Unreadable(const absl::Status& status, Violation violation) {
  SubmitOutcome outcome = Failure(absl::InvalidArgumentError(
      absl::StrCat("the document cannot be read: ", status.message())));
  outcome.violations.push_back(std::move(violation));
  CountRejection(outcome.violations);
  return outcome;
}

void InvoiceAuthenticator::SubmitDocumentAsync(const Caller& caller, InvoiceDocument& document,
                                               absl::string_view idempotency_key,
                                               SubmitCallback done, Abandoned abandoned) {
  Authenticate(caller, document, idempotency_key, abandoned, std::move(done));
}

void InvoiceAuthenticator::Authenticate(const Caller& caller, InvoiceDocument& document,
                                        absl::string_view idempotency_key,
                                        const Abandoned& abandoned, SubmitCallback done) {
  std::variant<SubmitOutcome, Prepared> prepared =
      Prepare(caller, document, idempotency_key, abandoned);
  if (SubmitOutcome* outcome = std::get_if<SubmitOutcome>(&prepared)) {
    std::move(done)(std::move(*outcome));
    return;
  }
  Prepared& ready = std::get<Prepared>(prepared);
  std::string fingerprint = ready.record.content_sha256;  // the submission's identity
  // Nothing below waits: the store calls back once the write is durable (or refused).
  store_->InsertAsync(
      std::move(ready.record),
      [this, accepted = std::move(ready.accepted), fingerprint = std::move(fingerprint),
       done = std::move(done)](absl::StatusOr<InsertResult> inserted) mutable {
        std::move(done)(Stored(std::move(inserted), std::move(accepted), fingerprint));
      });
}

std::variant<SubmitOutcome, InvoiceAuthenticator::Prepared> InvoiceAuthenticator::Prepare(
    const Caller& caller, InvoiceDocument& document, absl::string_view idempotency_key,
    const Abandoned& abandoned) {
  const v1::Invoice& invoice = document.invoice();
  const absl::string_view cash_register_code = document.carried_code();
  const bool cash_register = !cash_register_code.empty();
  // Between stages: stop the work nobody waits for any more.
  auto gone = [&abandoned](absl::string_view before) -> std::optional<SubmitOutcome> {
    if (!abandoned || !abandoned()) return std::nullopt;
    return Failure(absl::CancelledError(
        absl::StrCat("the caller gave up before ", before, "; nothing was stored")));
  };
  if (idempotency_key.size() > kMaxIdempotencyKeyLength) {
    SubmitOutcome outcome = Failure(absl::InvalidArgumentError(absl::StrCat(
        "idempotency_key: at most ", kMaxIdempotencyKeyLength, " characters")));
    outcome.violations.push_back(MakeViolation(
        kIdempotencyKeyTooLong, "idempotency_key",
        absl::StrCat(idempotency_key.size(), " > ", kMaxIdempotencyKeyLength)));
    CountRejection(outcome.violations);
    return outcome;
  }
  // A document is bounded when it is read; the mapped invoice of a structured one is what
  // arrived.
  if (invoice.ByteSizeLong() > kMaxInvoiceBytes) {
    return TooLarge("the invoice", invoice.ByteSizeLong(), kMaxInvoiceBytes);
  }
  const v1::InvoiceKey key = KeyOf(invoice);
  const std::string& seller_tax_code = key.seller_tax_code();

  // A seller tax code that is not a tax code names nobody: nothing can be stored under it, so
  // there is no one to authorise and nothing to replay; validation refuses it below
  // (INVALID_ARGUMENT with its violation, never an outage).
  const bool names_a_seller = CheckTaxCode(seller_tax_code) == TaxCodeProblem::kOk;
  const Operation operation = SubmitOperation(
      absl::StrCat("invoice key ", seller_tax_code, "/", key.template_code(), "/", key.symbol(),
                   "/", key.number()));

  // The seller's registration: who may submit for it (its T-VAN), then whether it may obtain
  // codes.
  std::optional<v1::Seller> seller;
  if (names_a_seller) {
    absl::StatusOr<std::optional<v1::Seller>> found = sellers_->Get(seller_tax_code);
    if (!found.ok()) return Failure(AsOutage(found.status(), "reading the seller registry"));
    seller = *std::move(found);
    if (absl::Status allowed =
            access_->AuthorizeSubmission(caller, seller_tax_code, seller, operation);
        !allowed.ok()) {
      return Failure(std::move(allowed));
    }
  } else if (absl::Status allowed = access_->AuthorizeSubmitter(caller, operation); !allowed.ok()) {
    return Failure(std::move(allowed));
  }
  const std::string fingerprint = InvoiceFingerprint(invoice);
  // What makes two submissions the same (a replay): the content, and for a cash-register
  // invoice also the seller's code -- the same content under another code is another invoice.
  const std::string identity =
      cash_register ? Sha256(absl::StrCat("einvoice/cash-register\n", cash_register_code, "\n",
                                          fingerprint))
                    : fingerprint;

  // Replays first: a retry must get its original answer even if the rules or the seller's
  // status have changed since. A key the store cannot even hold (a template or symbol of
  // hundreds of bytes) was never stored: INVALID_ARGUMENT from a lookup means "not there", and
  // validation says what is wrong with it.
  auto lookup_failed = [](const absl::Status& status) {
    return !status.ok() && status.code() != absl::StatusCode::kInvalidArgument;
  };
  if (names_a_seller && !idempotency_key.empty()) {
    absl::StatusOr<std::optional<InvoiceRef>> found =
        store_->FindByIdempotencyKey(key.seller_tax_code(), idempotency_key);
    if (lookup_failed(found.status())) {
      return Failure(AsOutage(found.status(), "reading the idempotency index"));
    }
    if (found.ok() && found->has_value()) {
      return Resolve(kIdempotencyKeyConflict, "idempotency_key", **found, identity);
    }
  }
  if (names_a_seller) {
    absl::StatusOr<std::optional<InvoiceRef>> found = store_->FindByKey(key);
    if (lookup_failed(found.status())) {
      return Failure(AsOutage(found.status(), "reading the invoice index"));
    }
    if (found.ok() && found->has_value()) {
      return Resolve(kDuplicateInvoice, "number", **found, identity);
    }
  }
  if (cash_register && IsCashRegisterCode(cash_register_code)) {
    // A new key under a code already on file: another invoice holds the code.
    absl::StatusOr<std::optional<std::string>> taken = store_->GetByCode(cash_register_code);
    if (lookup_failed(taken.status())) {
      return Failure(AsOutage(taken.status(), "reading the invoice records"));
    }
    if (taken.ok() && taken->has_value()) {
      return Conflict(kCashRegisterCodeTaken, "code",
                      InvoiceRef{std::string(cash_register_code), ""});
    }
  }

  if (std::optional<SubmitOutcome> stop = gone("validation")) return *std::move(stop);
  // Validation: the invoice's own content, then the seller's registration.
  const absl::Time now = clock_->Now();
  std::vector<Violation> violations = ValidateInvoice(
      invoice, VietnamDay(now), cash_register ? Intake::kCashRegister : Intake::kCodeRequest);
  if (cash_register) {
    for (Violation& v : CheckCashRegisterCode(cash_register_code, invoice, "code")) {
      violations.push_back(std::move(v));
    }
  }
  // The form's own problems, and the rule violations named in its terms (XPaths for XML).
  violations = document.Explain(std::move(violations));
  bool seller_problem = false;
  if (names_a_seller) {
    if (!seller.has_value()) {
      violations.push_back(MakeViolation(kSellerNotRegistered, "seller.tax_code", seller_tax_code));
      seller_problem = true;
    } else if (seller->status() != v1::SELLER_STATUS_ACTIVE) {
      violations.push_back(MakeViolation(
          kSellerNotActive, "seller.tax_code",
          absl::StrCat(seller_tax_code, " (", v1::SellerStatus_Name(seller->status()), ")")));
      seller_problem = true;
    }
    // The seller's signature the document carries (none on structured data, which the
    // caller's certificate vouches for, nor on cash-register data, whose message is signed as
    // a whole and checked by the T-VAN exchange).
    if (seller.has_value()) {
      for (Violation& violation : document.CheckSellerSignature(*seller, now)) {
        violations.push_back(std::move(violation));
      }
    }
  }
  // The rule profile decides what refuses the invoice and what only warns.
  options_.rule_profile.Apply(violations);
  const auto warnings_begin = std::stable_partition(
      violations.begin(), violations.end(),
      [](const Violation& v) { return v.severity == Severity::kReject; });
  const size_t rejecting = static_cast<size_t>(warnings_begin - violations.begin());
  if (rejecting > 0) {
    // A bad invoice is INVALID_ARGUMENT whatever the seller's state; only a valid invoice
    // from an unregistered or inactive seller is FAILED_PRECONDITION.
    const bool only_seller = seller_problem && rejecting == 1;
    LimitViolations(violations, kMaxReportedViolations);
    SubmitOutcome outcome = Failure(
        only_seller ? absl::FailedPreconditionError(violations.front().message_en)
                    : absl::InvalidArgumentError(absl::StrCat(
                          "the invoice has ", rejecting, " violation(s); first: ",
                          violations.front().field, ": ", violations.front().message_en)));
    outcome.violations = std::move(violations);
    CountRejection(outcome.violations);
    return outcome;
  }
  std::vector<Violation> warnings = std::move(violations);  // all of them warn
  LimitViolations(warnings, kMaxReportedViolations);

  if (std::optional<SubmitOutcome> stop = gone("signing")) return *std::move(stop);
  // Code, sign, store.
  const SigningKeyManager::SigningStamp stamp = keys_->Stamp();
  // A cash-register invoice keeps the seller's code; the authority signs what it received.
  const std::string code = cash_register ? std::string(cash_register_code) : codes_->Next();
  v1::AuthenticatedInvoice authenticated;
  authenticated.set_authority_code(code);
  *authenticated.mutable_issued_at() = ToTimestamp(stamp.issued_at);
  authenticated.set_key_id(stamp.key_id);
  authenticated.set_signed_record(
      BuildSignedRecord(code, stamp.issued_at, stamp.key_id, invoice, fingerprint));
  AppendToProto(warnings, authenticated.mutable_warnings());  // beside the record, not signed
  for (v1::Violation& warning : *authenticated.mutable_warnings()) {  // stored without hints
    warning.clear_hint();
    warning.clear_hint_en();
  }
  // The coded form of a document (the coded XML) answers a request for a code; a
  // cash-register invoice was coded by the seller, and nothing is sent back but the record.
  const size_t coded_bound = cash_register ? 0 : document.CodedSizeBound();
  // Whoever may fetch it must be able to receive it (kMaxStoredInvoiceBytes); known closely
  // enough before the HSM is asked: the record, the coded document, and room for signatures.
  if (const size_t estimate = authenticated.ByteSizeLong() + coded_bound + kEnvelopeAllowance;
      estimate > kMaxStoredInvoiceBytes) {
    return TooLarge("the coded invoice", estimate, kMaxStoredInvoiceBytes);
  }
  absl::StatusOr<std::string> signature = signer_->Sign(stamp.key_id, authenticated.signed_record());
  if (!signature.ok()) return Failure(AsOutage(signature.status(), "signing"));
  authenticated.set_signature(*std::move(signature));
  // The coded document, for forms that have one (the coded XML of an XML submission).
  if (coded_bound > 0) {
    if (std::optional<SubmitOutcome> stop = gone("the coded document")) return *std::move(stop);
    absl::StatusOr<std::string> coded = document.Code(
        CodingStamp{code, stamp.issued_at, stamp.key_id, stamp.certificate_der, signer_});
    if (!coded.ok()) {
      return Failure(coded.status().code() == absl::StatusCode::kUnavailable
                         ? AsOutage(coded.status(), "signing the coded document")
                         : absl::InternalError(absl::StrCat("coding the document: ",
                                                            coded.status().message())));
    }
    authenticated.set_coded_xml(*std::move(coded));
  }

  NewInvoice record;
  record.authority_code = code;
  record.authenticated_invoice = authenticated.SerializeAsString();
  if (record.authenticated_invoice.size() > kMaxStoredInvoiceBytes) {  // the estimate was low
    return TooLarge("the coded invoice", record.authenticated_invoice.size(),
                    kMaxStoredInvoiceBytes);
  }
  record.content_sha256 = identity;
  record.cash_register = cash_register;
  record.key = key;
  record.idempotency_key = std::string(idempotency_key);
  record.buyer_tax_code = invoice.buyer().tax_code();
  if (!ParseDay(invoice.issue_date(), &record.issue_date)) {
    return Failure(absl::InternalError("a validated invoice has an unparseable issue date"));
  }
  record.issued_day = VietnamDay(stamp.issued_at);
  record.warning_rules = RulesOf(warnings, Severity::kWarn);
  if (std::optional<SubmitOutcome> stop = gone("the store write")) return *std::move(stop);
  return Prepared{std::move(authenticated), std::move(record)};
}

SubmitOutcome InvoiceAuthenticator::TooLarge(absl::string_view what, size_t size, size_t max) {
  SubmitOutcome outcome = Failure(absl::InvalidArgumentError(
      absl::StrCat(what, " is ", size, " bytes; at most ", max)));
  outcome.violations.push_back(MakeViolation(
      kFormatMaxLength, "", absl::StrCat("hóa đơn ", size, " byte, tối đa ", max),
      absl::StrCat(what, " is ", size, " bytes, at most ", max)));
  CountRejection(outcome.violations);
  return outcome;
}

SubmitOutcome InvoiceAuthenticator::Stored(absl::StatusOr<InsertResult> inserted,
                                           v1::AuthenticatedInvoice accepted,
                                           absl::string_view fingerprint) {
  if (!inserted.ok()) return Failure(AsOutage(inserted.status(), "storing the invoice"));
  switch (inserted->conflict) {
    case InsertConflict::kNone: {
      SubmitOutcome outcome;
      outcome.accepted = std::move(accepted);
      AttachWarningHints(outcome.accepted);
      return outcome;
    }
    // A concurrent submission won the race: answer as if this one had arrived after it.
    case InsertConflict::kIdempotencyKey:
      return Resolve(kIdempotencyKeyConflict, "idempotency_key", inserted->existing, fingerprint);
    case InsertConflict::kInvoiceKey:
      return Resolve(kDuplicateInvoice, "number", inserted->existing, fingerprint);
    case InsertConflict::kInvoiceCode:
      if (IsCashRegisterCode(accepted.authority_code())) {  // a racing invoice took it first
        return Conflict(kCashRegisterCodeTaken, "code", inserted->existing);
      }
      // The generator never repeats a code (it resumes above the greatest stored one).
      return Failure(absl::InternalError(absl::StrCat(
          "authority code ", accepted.authority_code(),
          " is already stored for another invoice; refusing to overwrite it")));
  }
  return Failure(absl::InternalError("unknown insert outcome"));
}

SubmitOutcome InvoiceAuthenticator::Resolve(const ViolationType& type, absl::string_view field,
                                            const InvoiceRef& existing,
                                            absl::string_view fingerprint) {
  if (existing.content_sha256 == fingerprint) return Replay(existing);
  return Conflict(type, field, existing);
}

SubmitOutcome InvoiceAuthenticator::Replay(const InvoiceRef& ref) {
  absl::StatusOr<std::optional<std::string>> stored = store_->GetByCode(ref.authority_code);
  if (!stored.ok()) return Failure(AsOutage(stored.status(), "reading the stored invoice"));
  if (!stored->has_value()) {
    return Failure(absl::DataLossError(
        absl::StrCat("index names ", ref.authority_code, " but no record is stored")));
  }
  SubmitOutcome outcome;
  if (!outcome.accepted.ParseFromString(**stored)) {
    return Failure(absl::DataLossError(
        absl::StrCat("stored record ", ref.authority_code, " does not parse")));
  }
  AttachWarningHints(outcome.accepted);
  outcome.replay = true;
  return outcome;
}

SubmitOutcome InvoiceAuthenticator::Conflict(const ViolationType& type, absl::string_view field,
                                             const InvoiceRef& existing) {
  SubmitOutcome outcome = Failure(absl::AlreadyExistsError(
      absl::StrCat(type.message_en, ": authority code ", existing.authority_code)));
  outcome.violations.push_back(
      MakeViolation(type, field, absl::StrCat("MCCQT ", existing.authority_code)));
  outcome.existing_authority_code = existing.authority_code;
  CountRejection(outcome.violations);
  return outcome;
}

void InvoiceAuthenticator::CountRejection(const std::vector<Violation>& violations) {
  if (absl::Status counted = store_->CountRejection(VietnamDay(clock_->Now()),
                                                    RulesOf(violations, Severity::kReject));
      !counted.ok()) {
    LogWarning("could not count a rejection: ", counted.message());
  }
}

}  // namespace einvoice
