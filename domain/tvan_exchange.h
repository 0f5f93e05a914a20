// TvanExchange: the authority's side of the T-VAN exchange for one `TDiep` message.
// A type 200 message (an invoice to code) is answered with a 999 technical receipt and then a
// 202 (the coded invoice, with the warnings it was coded with) or a 204 (notice 01/TB-KTDL,
// LTBao 1, one LDo per error, signed by the authority's active key through the Signer).
// A type 206 message (cash-register data: 1..1000 HDon in DLieu, each carrying the code the
// seller's register made in MCCQT, the whole DLieu signed by the taxpayer in TDiep/CKSNNT) is
// answered with a 999 and a 204: LTBao 2 when every invoice was received, LTBao 7 listing
// each invalid one (LHDMTTien). The message signature must be valid and made with a
// certificate registered for the seller (TTChung/MST), else every invoice is listed with the
// signature's violations and none is received; an invoice of another seller than TTChung/MST
// is listed with 20906 (the message's signature is not its seller's). Each invoice goes through
// InvoiceAuthenticator::SubmitCashRegisterXmlAsync with "<MTDiep>#<n>" as its idempotency
// key, so a resent message is answered the same way without receiving anything twice.
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
// Blocking like InvoiceAuthenticator::SubmitXml; thread-safe.
#ifndef EINVOICE_DOMAIN_TVAN_EXCHANGE_H_
#define EINVOICE_DOMAIN_TVAN_EXCHANGE_H_

#include <string>
#include <vector>

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
  // REQUIRES: the pointers outlive the exchange.
  // `signature_options`: how a 206's message signature is checked (as the authenticator's
  // Options::xml_signature checks an invoice's).
  TvanExchange(InvoiceAuthenticator* authenticator, SellerRegistry* sellers,
               AccessControl* access, SigningKeyManager* keys, Signer* signer,
               SellerSignatureOptions signature_options = {});

  // The answers, in order: the 999 first, then the 202 or 204 when the message was processed.
  // PERMISSION_DENIED (recorded in the audit trail) instead when the caller may not submit
  // for the invoice's (the 206's TTChung/MST) seller. `now` dates the receipt and the notice.
  // Once `abandoned` says so, a 206's invoices not yet prepared are not received (CANCELLED:
  // the answer, if anyone reads it, is a 999 10004 asking to resend).
  absl::StatusOr<std::vector<std::string>> Exchange(const Caller& caller,
                                                    absl::string_view message, absl::Time now,
                                                    const Abandoned& abandoned = {});

 private:
  absl::StatusOr<std::vector<std::string>> CodeRequest(const Caller& caller,
                                                       const TDiepMessage& message,
                                                       absl::Time now);
  absl::StatusOr<std::vector<std::string>> CashRegisterData(const Caller& caller,
                                                            absl::string_view raw,
                                                            const TDiepMessage& message,
                                                            absl::Time now,
                                                            const Abandoned& abandoned);
  // The active key, to sign a notice with.
  AuthoritySigningKey NoticeKey();

  const SellerSignatureOptions signature_options_;
  InvoiceAuthenticator* const authenticator_;
  SellerRegistry* const sellers_;
  AccessControl* const access_;
  SigningKeyManager* const keys_;
  Signer* const signer_;
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_TVAN_EXCHANGE_H_
