// TvanExchange: the authority's side of the T-VAN exchange for one `TDiep` message -- the
// adapter between the official XML messages and the domain's submit workflow, next to the gRPC
// adapter that carries them (server/: ExchangeMessage).
//
// A message is parsed once (ParseTDiepDocument): its header, its message signature and its
// invoices are read from that one tree, each HDon becoming an InvoiceDocument
// (domain/invoice_document.h, xml/qd1450_invoice_reader.h) handed to the InvoiceAuthenticator.
//
// A type 200 message (an invoice to code) is answered with a 999 technical receipt and then a
// 202 (the coded invoice, with the warnings it was coded with) or a 204 (notice 01/TB-KTDL,
// LTBao 1, one LDo per error, signed by the authority's active key through the Signer).
// A type 206 message (cash-register data: 1..1000 HDon in DLieu, each carrying the code the
// seller's register made in MCCQT, the whole DLieu signed by the taxpayer in TDiep/CKSNNT) is
// answered with a 999 and a 204: LTBao 2 when every invoice was received, LTBao 7 listing
// each invalid one (LHDMTTien), in the message's order. The message signature must be valid and
// made with a certificate registered for the seller (TTChung/MST), else every invoice is listed
// with the signature's violations and none is received; an invoice of another seller than
// TTChung/MST is listed with 20906 (the message's signature is not its seller's). Each invoice
// goes through InvoiceAuthenticator::SubmitCashRegisterDocumentAsync with
// "<MNGui>/<MTDiep>#<n>" as its idempotency key, so a resent message is answered the same way
// without receiving anything twice.
// Anything the authority cannot take in (unreadable envelope, other message types, an empty
// payload, an outage, a signer that cannot sign the notice) gets a 999 that lists the technical
// error and nothing else.
//
// The request's MTDiep is the idempotency key, so a T-VAN that resends a message after a
// timeout gets the same code back.
//
// The caller must be the invoice's seller or the T-VAN the seller registered (as for
// InvoiceAuthenticator): otherwise PERMISSION_DENIED and no answer message.
//
// Threads: ExchangeAsync() reads, checks and signs on the calling thread (a worker pool's),
// and never waits for a durable write: the answer is built once the store has written the
// invoices, by a task handed to the `continue_on` executor (the same pool), and delivered to the
// callback there. Exchange() is the same, waiting. Thread-safe.
#ifndef EINVOICE_XML_TVAN_EXCHANGE_H_
#define EINVOICE_XML_TVAN_EXCHANGE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/caller.h"
#include "domain/invoice_authenticator.h"
#include "domain/signing_key_manager.h"
#include "signer/signer.h"
#include "storage/seller_registry.h"
#include "xml/authority_signing_key.h"
#include "xml/seller_signature.h"
#include "xml/tvan_envelope.h"

namespace einvoice {

// Reasons a 206's 204 lists per invalid invoice, then one saying how many more: 1000 invalid
// invoices still make a notice of about 2 MB.
inline constexpr size_t kMaxNoticeReasonsPerInvoice = 3;

class TvanExchange {
 public:
  // The answers, in order: the 999 first, then the 202 or 204 when the message was processed;
  // or PERMISSION_DENIED (recorded in the audit trail) when the caller may not submit for the
  // invoice's (the 206's TTChung/MST) seller.
  using Answers = absl::StatusOr<std::vector<std::string>>;
  using AnswerCallback = absl::AnyInvocable<void(Answers) &&>;
  // Runs `task` exactly once, on a thread that may wait for the HSM (a worker pool; when its
  // queue is full, where it is). Empty: where the store completed the last write.
  using Executor = std::function<void(std::function<void()> task)>;

  // REQUIRES: the pointers outlive the exchange.
  // `signature_options`: how a 206's message signature and a 200's invoice signature are
  // checked.
  TvanExchange(InvoiceAuthenticator* authenticator, SellerRegistry* sellers,
               AccessControl* access, SigningKeyManager* keys, Signer* signer,
               SellerSignatureOptions signature_options = {}, Executor continue_on = {});

  // Answers `message`; `done` is called exactly once, possibly before this returns. `now`
  // dates the receipt and the notice. `message` need only live until this returns. Once
  // `abandoned` says so, a 206's invoices not yet prepared are not received (the answer, if
  // anyone reads it, is a 999 10004 asking to resend).
  void ExchangeAsync(const Caller& caller, absl::string_view message, absl::Time now,
                     AnswerCallback done, Abandoned abandoned = {});
  // ExchangeAsync(), waiting for the answers.
  Answers Exchange(const Caller& caller, absl::string_view message, absl::Time now,
                   const Abandoned& abandoned = {});

 private:
  struct Message;
  void CodeRequest(const Caller& caller, std::shared_ptr<Message> message,
                   AnswerCallback done, const Abandoned& abandoned);
  void CashRegisterData(const Caller& caller, std::shared_ptr<Message> message,
                        AnswerCallback done, const Abandoned& abandoned);
  // Answers a 200 from the authenticator's outcome.
  Answers AnswerCodeRequest(const Message& message, SubmitOutcome outcome);
  // Runs `task` through continue_on_ (or here).
  void Continue(std::function<void()> task) const;
  // The active key, to sign a notice with.
  AuthoritySigningKey NoticeKey();

  const SellerSignatureOptions signature_options_;
  const Executor continue_on_;
  InvoiceAuthenticator* const authenticator_;
  SellerRegistry* const sellers_;
  AccessControl* const access_;
  SigningKeyManager* const keys_;
  Signer* const signer_;
};

}  // namespace einvoice

#endif  // EINVOICE_XML_TVAN_EXCHANGE_H_
