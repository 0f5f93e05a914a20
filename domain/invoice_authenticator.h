// InvoiceAuthenticator: the authentication path for one submitted invoice --
// authorise the caller -> replay check -> validate -> check the seller -> issue the code ->
// sign -> store.
//
// Who may submit: the invoice's seller (the caller's certificate names its tax code) or the
// T-VAN the seller registered, and the local operator (AccessControl). Anyone else gets
// PERMISSION_DENIED before anything is looked up -- not even a replay is answered -- and the
// denial is recorded in the audit trail; it is not counted as a rejected invoice.
//
// Invoices arrive as structured data (Submit) or as a document in another form, read once
// through the InvoiceDocument port (domain/invoice_document.h): the official signed XML
// (SubmitXml, read by Options::xml_reader; or SubmitDocumentAsync with a document the T-VAN
// exchange read out of its message). Every form is mapped to the same v1::Invoice, checked by
// the same rule set, and keyed and fingerprinted the same way, so one invoice sent in both
// forms gets one code. The document adds its own format problems, its seller's signature
// check and, on acceptance, its coded form (the coded XML, message 202, signed by the
// authority's key), stored with the record so replays return it byte for byte. The workflow
// itself has one path for every form and knows nothing of XML.
//
// Exactly-once: a resubmission (same seller idempotency key, or the same invoice content
// under the same seller/template/symbol/number) returns the stored original, byte-identical to
// the first answer, flagged as a replay, forever -- with the warnings it was coded with, even
// if the rule profile has changed since (their hints come from the catalogue in force). A
// different invoice under a taken key is rejected with 20609
// (or 20611 for a reused idempotency key) naming the existing code. Racing submissions of one
// key are decided by the store's atomic insert: exactly one code is stored and acknowledged.
//
// Size: a protobuf invoice of more than kMaxInvoiceBytes (common/limits.h) is refused, as is one
// whose coded form would exceed kMaxStoredInvoiceBytes (what every client can fetch back).
//
// Rule profile (Options::rule_profile): violations of rules that reject refuse the invoice
// (listed first in the rejection, the warnings after them); violations of rules that only warn
// are coded and kept in AuthenticatedInvoice.warnings, beside the signed record. Rejections are
// counted per rule, warnings per rule and indexed for officers' searches, in the store.
//
// Nothing is stored and no code is acknowledged unless validation, signing and the durable
// store write all succeed. Codes generated for submissions that then fail are simply never
// used (codes are unique, not gap-free).
//
// Blocking: Submit() waits for the signer and the durable store write; call it from a worker
// pool, never from an RPC thread. SubmitAsync() waits for the signer (and the store's reads)
// but not for the durable write: the outcome is delivered to a callback once the write is
// durable, so a pool thread is free for the next invoice while an fsync is in flight.
// Thread-safety: every method may be called concurrently.
#ifndef EINVOICE_DOMAIN_INVOICE_AUTHENTICATOR_H_
#define EINVOICE_DOMAIN_INVOICE_AUTHENTICATOR_H_

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"
#include "domain/access_control.h"
#include "domain/authority_code.h"
#include "domain/caller.h"
#include "domain/invoice_document.h"
#include "domain/rule_profile.h"
#include "domain/signing_key_manager.h"
#include "einvoice/v1/authentication.pb.h"
#include "einvoice/v1/invoice.pb.h"
#include "rules/violation.h"
#include "signer/signer.h"
#include "storage/invoice_store.h"
#include "storage/seller_registry.h"

namespace einvoice {

// The result of one submission.
struct SubmitOutcome {
  // OK (accepted or replayed), INVALID_ARGUMENT (bad invoice), FAILED_PRECONDITION (seller not
  // registered or not active), ALREADY_EXISTS (conflicting duplicate), PERMISSION_DENIED (the
  // caller may not submit for this seller), CANCELLED (abandoned by the caller: nothing
  // stored), UNAVAILABLE (signer or store outage; nothing
  // stored, safe to retry), RESOURCE_EXHAUSTED (the store is overloaded; safe to retry),
  // DATA_LOSS (a stored record does not parse), INTERNAL (a bug).
  absl::Status status;
  // Set when status is OK.
  v1::AuthenticatedInvoice accepted;
  // True when `accepted` is the stored answer to an earlier submission.
  bool replay = false;
  // Every problem found, for rejections: those that reject first, then the warnings. (An
  // accepted invoice's warnings are in accepted.warnings.)
  std::vector<Violation> violations;
  // For ALREADY_EXISTS: the code already on file.
  std::string existing_authority_code;
};

// Receives the outcome of one SubmitAsync()/SubmitXmlAsync(); called exactly once, either on
// the calling thread before the call returns or on the store's completion thread (see
// InvoiceStore::InsertAsync: it must be quick and must not wait for another submission).
using SubmitCallback = absl::AnyInvocable<void(SubmitOutcome) &&>;

// Asked between the stages of a submission (before validation, before the HSM signs, before
// the coded XML is built, before the store write): true once nobody waits for the answer any
// more (the caller's deadline passed or it cancelled). Empty = never.
using Abandoned = std::function<bool()>;

// Maximum length of a client idempotency key.
inline constexpr size_t kMaxIdempotencyKeyLength = 128;

class InvoiceAuthenticator {
 public:
  struct Options {
    // Reads XML submissions (SubmitXml); null: SubmitXml answers UNIMPLEMENTED. Not owned;
    // must outlive the authenticator. The server wires xml/'s Qd1450InvoiceReader.
    const InvoiceDocumentReader* xml_reader = nullptr;
    // What each rule does: reject, warn (coded, the problem kept beside the record in
    // AuthenticatedInvoice.warnings) or off. Default: what the real authority enforces.
    RuleProfile rule_profile = RuleProfile::Authority();
  };

  // REQUIRES: every pointer outlives the authenticator.
  InvoiceAuthenticator(InvoiceStore* store, SellerRegistry* sellers, SigningKeyManager* keys,
                       Signer* signer, AuthorityCodeGenerator* codes, AccessControl* access,
                       const Clock* clock, Options options);
  // With the default Options.
  InvoiceAuthenticator(InvoiceStore* store, SellerRegistry* sellers, SigningKeyManager* keys,
                       Signer* signer, AuthorityCodeGenerator* codes, AccessControl* access,
                       const Clock* clock);

  SubmitOutcome Submit(const Caller& caller, const v1::Invoice& invoice,
                       absl::string_view idempotency_key);
  // Submit() delivering its outcome to `done`. The arguments need only live until this
  // returns. Once `abandoned` says so, the work stops at the next stage with CANCELLED:
  // nothing signed after that point, nothing stored.
  void SubmitAsync(const Caller& caller, const v1::Invoice& invoice,
                   absl::string_view idempotency_key, SubmitCallback done,
                   Abandoned abandoned = {});

  // A cash-register invoice: made and coded by the seller's cash-register software, under
  // `seller_code` (rules/cash_register_code.h: "M1-26-ABCDE-00000000001"), and sent
  // afterwards (message 206, SubmitCashRegisterInvoices). The same authorisation, rule set,
  // profile and uniqueness space as Submit(), with three differences: the symbol must be a
  // cash-register one (20308, where Submit refuses it with 20307); the code must fit the
  // invoice (20309 malformed, 20310 template/year) and be free (20613, naming the holder in
  // existing_authority_code); and no code is issued -- the seller's code is the invoice's
  // code, and the authority signs the record of what it received and when. A resend of the
  // same invoice under the same code is a replay; the same key with other content or another
  // code is 20609. Counted apart from coded invoices (DayCount::cash_register).
  // INVALID_ARGUMENT (20001 at "code") when `seller_code` is empty; otherwise as Submit().
  SubmitOutcome SubmitCashRegister(const Caller& caller, const v1::Invoice& invoice,
                                   absl::string_view seller_code,
                                   absl::string_view idempotency_key);
  void SubmitCashRegisterAsync(const Caller& caller, const v1::Invoice& invoice,
                               absl::string_view seller_code, absl::string_view idempotency_key,
                               SubmitCallback done, Abandoned abandoned = {});

  // SubmitCashRegisterAsync() for a document read with Purpose::kCashRegister (an HDon of a
  // 206 message): the code is its carried_code(), format problems and rule violations are
  // reported in the document's terms (XPaths), and no per-invoice signature is checked (the
  // message's is). A document without a code is INVALID_ARGUMENT (format.required, explained
  // by the document). `document` need only live until this returns.
  void SubmitCashRegisterDocumentAsync(const Caller& caller, InvoiceDocument& document,
                                       absl::string_view idempotency_key, SubmitCallback done,
                                       Abandoned abandoned = {});

  // `xml` is a seller-signed HDon, read once by Options::xml_reader. On acceptance
  // `accepted.coded_xml` holds the coded invoice. UNIMPLEMENTED without a reader.
  SubmitOutcome SubmitXml(const Caller& caller, absl::string_view xml,
                          absl::string_view idempotency_key);
  // SubmitXml() delivering its outcome to `done`; the arguments need only live until this
  // returns. `abandoned` as for SubmitAsync.
  void SubmitXmlAsync(const Caller& caller, absl::string_view xml,
                      absl::string_view idempotency_key, SubmitCallback done,
                      Abandoned abandoned = {});

  // A document an adapter could not read at all (`status` from its reader, `violation` the
  // reader's Unreadable(status)): INVALID_ARGUMENT listing the violation, counted like any
  // rejection -- once the caller is authorised to submit at all (else PERMISSION_DENIED,
  // audited). `what` names the form in the audit trail ("XML invoice").
  void RefuseUnreadable(const Caller& caller, absl::string_view what, const absl::Status& status,
                        Violation violation, SubmitCallback done);

  // Counts a refusal an adapter decided itself (the invoices of a 206 whose message signature
  // fails, or that name another seller) in today's statistics, per rule, like any rejection:
  // what officers see of what goes wrong includes it. Failures are logged, not returned.
  void CountRefused(const std::vector<Violation>& violations) { CountRejection(violations); }

  // A request for a code in a document already read (Purpose::kCodeRequest; the T-VAN
  // exchange reads the HDon out of its 200 message). As SubmitXmlAsync; on acceptance
  // `accepted.coded_xml` holds document.Code(). `document` need only live until this returns.
  void SubmitDocumentAsync(const Caller& caller, InvoiceDocument& document,
                           absl::string_view idempotency_key, SubmitCallback done,
                           Abandoned abandoned = {});

 private:
  // `document.carried_code()` non-empty: a cash-register invoice under that seller-made code.
  void Authenticate(const Caller& caller, InvoiceDocument& document,
                    absl::string_view idempotency_key, const Abandoned& abandoned,
                    SubmitCallback done);
  // The outcome for an unreadable document (counted).
  SubmitOutcome Unreadable(const absl::Status& status, Violation violation);
  // A cash-register document: refused when it carries no code, else Authenticate().
  void AuthenticateCashRegister(const Caller& caller, InvoiceDocument& document,
                                absl::string_view idempotency_key, const Abandoned& abandoned,
                                SubmitCallback done);
  // Everything up to the store write: a final outcome (denial, replay, rejection, outage), or
  // the signed invoice ready to store.
  struct Prepared;
  std::variant<SubmitOutcome, Prepared> Prepare(const Caller& caller, InvoiceDocument& document,
                                                absl::string_view idempotency_key,
                                                const Abandoned& abandoned);
  // The outcome of storing `prepared`.
  SubmitOutcome Stored(absl::StatusOr<InsertResult> inserted, v1::AuthenticatedInvoice accepted,
                       absl::string_view fingerprint);
  // Runs a submission through `submit` and waits for its outcome.
  template <typename SubmitFn>
  static SubmitOutcome Wait(SubmitFn submit);
  // The stored answer for a resubmission; `ref` names it.
  SubmitOutcome Replay(const InvoiceRef& ref);
  // A rejection for a conflicting duplicate of `existing`.
  SubmitOutcome Conflict(const ViolationType& type, absl::string_view field,
                         const InvoiceRef& existing);
  // Resolves a found index entry: a replay when the content matches, else a conflict.
  SubmitOutcome Resolve(const ViolationType& type, absl::string_view field,
                        const InvoiceRef& existing, absl::string_view fingerprint);
  // An invoice (or its coded form) over a size limit: INVALID_ARGUMENT with a
  // format.max_length violation, counted.
  SubmitOutcome TooLarge(absl::string_view what, size_t size, size_t max);
  // Counts a rejection for today's statistics, and each distinct rule that refused it;
  // failures are logged, not returned.
  void CountRejection(const std::vector<Violation>& violations);

  InvoiceStore* const store_;
  SellerRegistry* const sellers_;
  SigningKeyManager* const keys_;
  Signer* const signer_;
  AuthorityCodeGenerator* const codes_;
  AccessControl* const access_;
  const Clock* const clock_;
  const Options options_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_INVOICE_AUTHENTICATOR_H_
