#include "xml/tvan_exchange.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "domain/cash_register_batch.h"
#include "rules/signature_violations.h"
#include "rules/tax_code.h"
#include "xml/invoice_dom.h"
#include "xml/qd1450_format.h"
#include "xml/seller_signature.h"
#include "xml/tvan_envelope.h"

namespace einvoice {
namespace {

// MLoi of the technical receipt's own errors (ours; the 999 lists them with a description).
constexpr absl::string_view kUnreadableMessage = "10001";
constexpr absl::string_view kUnsupportedType = "10002";
constexpr absl::string_view kMissingPayload = "10003";
constexpr absl::string_view kTemporarilyUnavailable = "10004";

// An outcome that is no verdict on the invoice: the sender should resend the same message later.
bool IsOutage(absl::StatusCode code) {
  return code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kResourceExhausted ||
         code == absl::StatusCode::kInternal || code == absl::StatusCode::kDataLoss ||
         code == absl::StatusCode::kCancelled;
}

// What the notices name an invoice by, as the seller wrote it.
InvalidCashRegisterInvoice NamedAs(const v1::Invoice& invoice) {
  InvalidCashRegisterInvoice entry;
  entry.template_code = invoice.template_code();
  entry.symbol = invoice.symbol();
  entry.number = invoice.number() == 0 ? "" : absl::StrCat(invoice.number());
  return entry;
}

std::vector<std::string> OnlyReceipt(const TDiepHeader& header, absl::Time now,
                                     absl::string_view code, std::string description) {
  const TechnicalError error{std::string(code), std::move(description)};
  return {BuildReceipt999(header, now, {&error, 1})};
}

}  // namespace

TvanExchange::TvanExchange(InvoiceAuthenticator* authenticator, SellerRegistry* sellers,
                           AccessControl* access, SigningKeyManager* keys, Signer* signer,
                           SellerSignatureOptions signature_options, Executor continue_on)
    : signature_options_(std::move(signature_options)),
      continue_on_(std::move(continue_on)),
      authenticator_(authenticator),
      sellers_(sellers),
      access_(access),
      keys_(keys),
      signer_(signer) {}

// One message being answered: the tree it was parsed into, and what was read from it. Shared
// by the steps that run before and after the store's writes.
struct TvanExchange::Message {
  TDiepDocument tdiep;
  size_t size = 0;
  absl::Time now;
  // 200: the HDon, read from its own copy of the payload (coding adds to it).
  std::unique_ptr<InvoiceDocument> invoice;
  // 206: every HDon, read where it sits in the envelope (null for one that is not an HDon,
  // with the reason in `unreadable`), and each one's entry in the notice once it is known to
  // be invalid.
  std::vector<std::unique_ptr<InvoiceDocument>> invoices;
  std::vector<absl::Status> unreadable;
  std::vector<std::optional<InvalidCashRegisterInvoice>> invalid;
  NoticeDetails details;
};

AuthoritySigningKey TvanExchange::NoticeKey() {
  const SigningKeyManager::SigningStamp stamp = keys_->Stamp();
  return AuthoritySigningKey{signer_, stamp.key_id, stamp.certificate_der, stamp.issued_at};
}

void TvanExchange::Continue(std::function<void()> task) const {
  if (continue_on_) {
    continue_on_(std::move(task));
  } else {
    task();
  }
}

TvanExchange::Answers TvanExchange::Exchange(const Caller& caller, absl::string_view message,
                                             absl::Time now, const Abandoned& abandoned) {
  Answers answers;
  absl::Notification answered;
  ExchangeAsync(
      caller, message, now,
      [&](Answers result) {
        answers = std::move(result);
        answered.Notify();
      },
      abandoned);
  answered.WaitForNotification();
  return answers;
}

void TvanExchange::ExchangeAsync(const Caller& caller, absl::string_view raw, absl::Time now,
                                 AnswerCallback done, Abandoned abandoned) {
  absl::StatusOr<TDiepDocument> parsed = ParseTDiepDocument(raw);
  if (!parsed.ok()) {
    std::move(done)(OnlyReceipt(TDiepHeader{}, now, kUnreadableMessage,
                                absl::StrCat("TDiep: ", parsed.status().message())));
    return;
  }
  auto message = std::make_shared<Message>();
  message->tdiep = *std::move(parsed);
  message->size = raw.size();
  message->now = now;
  const TDiepHeader& header = message->tdiep.header;
  if (header.type != "200" && header.type != "206") {
    std::move(done)(OnlyReceipt(header, now, kUnsupportedType,
                                absl::StrCat("MLTDiep ", header.type,
                                             " is not accepted here (only 200 and 206)")));
    return;
  }
  if (message->tdiep.payloads.empty()) {
    std::move(done)(OnlyReceipt(header, now, kMissingPayload, "DLieu holds no HDon"));
    return;
  }
  if (header.type == "206") {
    CashRegisterData(caller, std::move(message), std::move(done), abandoned);
  } else {
    CodeRequest(caller, std::move(message), std::move(done), abandoned);
  }
}

void TvanExchange::CodeRequest(const Caller& caller, std::shared_ptr<Message> message,
                               AnswerCallback done, const Abandoned& abandoned) {
  const TDiepHeader& header = message->tdiep.header;
  // The HDon in a tree of its own: coding adds MCCQT and the authority's signature to it, and
  // the coded invoice is that tree as a document (its signatures verify outside the envelope).
  absl::StatusOr<XmlDocPtr> copy = StandaloneCopy(message->tdiep.payloads.front());
  if (!copy.ok()) {
    std::move(done)(OnlyReceipt(header, message->now, kTemporarilyUnavailable,
                                absl::StrCat("temporarily unavailable, resend later: ",
                                             copy.status().message())));
    return;
  }
  xmlNode* hdon = xmlDocGetRootElement(copy->get());
  absl::StatusOr<std::unique_ptr<InvoiceDocument>> invoice =
      ReadInvoiceDocument(*std::move(copy), hdon, message->size,
                          InvoiceDocumentReader::Purpose::kCodeRequest, signature_options_);
  // The answer is built where the outcome arrives: on this thread for a refusal, after the
  // durable write for a code -- then on the executor, which may sign a notice.
  auto answer = [this, message, done = std::move(done)](SubmitOutcome outcome) mutable {
    auto shared_done = std::make_shared<AnswerCallback>(std::move(done));
    auto outcome_box = std::make_shared<SubmitOutcome>(std::move(outcome));
    Continue([this, message, shared_done, outcome_box] {
      std::move (*shared_done)(AnswerCodeRequest(*message, std::move(*outcome_box)));
    });
  };
  if (!invoice.ok()) {  // DLieu holds something other than an HDon
    authenticator_->RefuseUnreadable(caller, "XML invoice", invoice.status(),
                                     UnreadableXmlViolation(invoice.status()), std::move(answer));
    return;
  }
  message->invoice = *std::move(invoice);
  authenticator_->SubmitDocumentAsync(caller, *message->invoice, header.message_id,
                                      std::move(answer), abandoned);
}

TvanExchange::Answers TvanExchange::AnswerCodeRequest(const Message& message,
                                                      SubmitOutcome outcome) {
  const TDiepHeader& header = message.tdiep.header;
  const absl::Time now = message.now;
  const absl::StatusCode code = outcome.status.code();
  if (code == absl::StatusCode::kPermissionDenied) return outcome.status;
  if (IsOutage(code)) {
    return OnlyReceipt(header, now, kTemporarilyUnavailable,
                       absl::StrCat("temporarily unavailable, resend later: ",
                                    outcome.status.message()));
  }
  std::vector<std::string> answers = {BuildReceipt999(header, now, {})};
  if (outcome.status.ok()) {
    if (outcome.accepted.coded_xml().empty()) {
      // Coded earlier from a structured submission: there is no coded XML to send.
      return OnlyReceipt(header, now, kUnsupportedType,
                         absl::StrCat("already coded from structured data as ",
                                      outcome.accepted.authority_code(),
                                      "; fetch it with GetInvoice"));
    }
    std::vector<Violation> warnings;
    for (const v1::Violation& warning : outcome.accepted.warnings()) {
      warnings.push_back(FromProto(warning));
    }
    absl::StatusOr<std::string> coded =
        BuildCodedInvoice202(header, outcome.accepted.coded_xml(), warnings);
    if (!coded.ok()) {
      return OnlyReceipt(header, now, kTemporarilyUnavailable,
                         absl::StrCat("building the 202: ", coded.status().message()));
    }
    answers.push_back(*std::move(coded));
    return answers;
  }
  NoticeDetails details;
  details.checked_at = now;
  if (message.invoice != nullptr) {  // the notice names the invoice as the seller wrote it
    const v1::Invoice& named = message.invoice->invoice();
    details.seller_name = named.seller().name();
    details.seller_tax_code = named.seller().tax_code();
    details.template_code = named.template_code();
    details.symbol = named.symbol();
    details.number = named.number() == 0 ? "" : absl::StrCat(named.number());
    details.issue_date = named.issue_date();
  }
  absl::StatusOr<std::string> notice =
      BuildNotEligible204(header, details, outcome.violations, NoticeKey());
  if (!notice.ok()) {
    // The verdict stands (nothing was stored), but it cannot be sent unsigned: resend later.
    return OnlyReceipt(header, now, kTemporarilyUnavailable,
                       absl::StrCat("signing the 204: ", notice.status().message()));
  }
  answers.push_back(*std::move(notice));
  return answers;
}

void TvanExchange::CashRegisterData(const Caller& caller, std::shared_ptr<Message> message,
                                    AnswerCallback done, const Abandoned& abandoned) {
  const TDiepHeader& header = message->tdiep.header;
  const absl::Time now = message->now;
  const size_t count = message->tdiep.payloads.size();
  if (count > kMaxCashRegisterBatch) {
    std::move(done)(OnlyReceipt(header, now, kUnreadableMessage,
                                absl::StrCat("DLieu holds ", count, " HDon; at most ",
                                             kMaxCashRegisterBatch, " per message")));
    return;
  }
  // Whose data it is (TTChung/MST), and may the caller send it: before anything is checked.
  const Operation operation{"InvoiceAuthority.ExchangeMessage",
                            absl::StrCat("cash-register data of ", header.tax_code.substr(0, 64))};
  std::optional<v1::Seller> seller;
  if (CheckTaxCode(header.tax_code) == TaxCodeProblem::kOk) {
    absl::StatusOr<std::optional<v1::Seller>> found = sellers_->Get(header.tax_code);
    if (!found.ok()) {
      std::move(done)(OnlyReceipt(header, now, kTemporarilyUnavailable,
                                  absl::StrCat("temporarily unavailable, resend later: ",
                                               found.status().message())));
      return;
    }
    seller = *std::move(found);
    if (absl::Status allowed =
            access_->AuthorizeSubmission(caller, header.tax_code, seller, operation);
        !allowed.ok()) {
      std::move(done)(std::move(allowed));
      return;
    }
  } else if (absl::Status allowed = access_->AuthorizeSubmitter(caller, operation);
             !allowed.ok()) {
    std::move(done)(std::move(allowed));
    return;
  }

  // Each HDon read where it sits in the envelope, as the seller's register wrote it.
  message->invoices.resize(count);
  message->unreadable.resize(count);
  message->invalid.resize(count);
  for (size_t i = 0; i < count; ++i) {
    absl::StatusOr<std::unique_ptr<InvoiceDocument>> invoice = ReadInvoiceDocument(
        nullptr, message->tdiep.payloads[i], 0, InvoiceDocumentReader::Purpose::kCashRegister,
        signature_options_);
    if (invoice.ok()) {
      message->invoices[i] = *std::move(invoice);
    } else {
      message->unreadable[i] = invoice.status();
    }
  }
  auto invalid_entry = [&](size_t i) {
    return message->invoices[i] != nullptr ? NamedAs(message->invoices[i]->invoice())
                                           : InvalidCashRegisterInvoice{};
  };
  message->details.checked_at = now;
  message->details.seller_tax_code = header.tax_code;
  if (seller.has_value()) message->details.seller_name = seller->name();  // not the sender's

  // The taxpayer's signature over DLieu, with a certificate registered for the seller. Without
  // it nothing is received: every invoice is listed with what is wrong with the signature.
  static const google::protobuf::RepeatedPtrField<std::string> kNoCertificates;
  const auto& registered = seller.has_value() ? seller->certificates_der() : kNoCertificates;
  const SellerSignatureResult signature = VerifyMessageSignatureIn(
      message->tdiep.doc.get(),
      [&](const std::string& der) {
        return std::find(registered.begin(), registered.end(), der) != registered.end();
      },
      now, signature_options_);
  std::vector<CashRegisterItem> items;
  std::vector<size_t> item_of;  // the HDon of each item
  // A refusal decided here, before the authenticator sees the invoice: counted like its own.
  auto refuse = [&](size_t i, InvalidCashRegisterInvoice entry) {
    authenticator_->CountRefused(entry.violations);
    message->invalid[i] = std::move(entry);
  };
  for (size_t i = 0; i < count; ++i) {
    if (!signature.ok()) {
      InvalidCashRegisterInvoice entry = invalid_entry(i);
      entry.violations = signature.violations;
      refuse(i, std::move(entry));
      continue;
    }
    if (message->invoices[i] == nullptr) {
      InvalidCashRegisterInvoice entry;
      entry.violations.push_back(UnreadableXmlViolation(message->unreadable[i]));
      refuse(i, std::move(entry));
      continue;
    }
    // The message is signed for one seller (TTChung/MST): an invoice of another seller in it
    // would be received without its seller's signature.
    const std::string& seller_of = message->invoices[i]->invoice().seller().tax_code();
    if (seller_of != header.tax_code) {
      InvalidCashRegisterInvoice entry = invalid_entry(i);
      entry.violations.push_back(MakeViolation(
          kSellerCertificateTaxCode, "HDon/DLHDon/NDHDon/NBan/MST",
          absl::StrCat("MST người bán ", seller_of.substr(0, 64), ", thông điệp ký cho ",
                       header.tax_code.substr(0, 64)),
          absl::StrCat("seller ", seller_of.substr(0, 64), ", message signed for ",
                       header.tax_code.substr(0, 64))));
      refuse(i, std::move(entry));
      continue;
    }
    CashRegisterItem item;
    // Scoped to the seller by the store; the sender's code keeps two T-VANs' message ids apart.
    item.idempotency_key = absl::StrCat(header.sender.substr(0, 20), "/",
                                        header.message_id.substr(0, 96), "#", i + 1);
    item.document = message->invoices[i].get();
    items.push_back(std::move(item));
    item_of.push_back(i);
  }

  // The notice once every invoice is written (or refused), built and signed on the executor.
  auto shared_done = std::make_shared<AnswerCallback>(std::move(done));
  auto answer = [this, message, shared_done,
                 item_of = std::move(item_of)](std::vector<SubmitOutcome> outcomes) mutable {
    auto outcomes_box = std::make_shared<std::vector<SubmitOutcome>>(std::move(outcomes));
    Continue([this, message, shared_done, item_of, outcomes_box] {
      const TDiepHeader& header = message->tdiep.header;
      std::vector<SubmitOutcome>& outcomes = *outcomes_box;
      for (size_t k = 0; k < outcomes.size(); ++k) {
        const absl::StatusCode code = outcomes[k].status.code();
        if (IsOutage(code)) {
          // No verdict on that invoice: the whole message is sent again later (what was
          // received is then answered as received, once).
          std::move(*shared_done)(OnlyReceipt(header, message->now, kTemporarilyUnavailable,
                                              absl::StrCat("temporarily unavailable, resend later: ",
                                                           outcomes[k].status.message())));
          return;
        }
        if (code == absl::StatusCode::kPermissionDenied) {
          std::move(*shared_done)(outcomes[k].status);
          return;
        }
        if (outcomes[k].status.ok()) continue;
        const size_t i = item_of[k];
        InvalidCashRegisterInvoice entry = NamedAs(message->invoices[i]->invoice());
        entry.violations = std::move(outcomes[k].violations);
        if (entry.violations.empty()) {
          entry.violations.push_back(UnreadableXmlViolation(outcomes[k].status));
        }
        message->invalid[i] = std::move(entry);
      }
      // In the message's order; a notice every T-VAN can take: a few reasons per invoice, then
      // how many more (fixing those and resending shows the next ones).
      std::vector<InvalidCashRegisterInvoice> invalid;
      for (std::optional<InvalidCashRegisterInvoice>& entry : message->invalid) {
        if (!entry.has_value()) continue;
        LimitViolations(entry->violations, kMaxNoticeReasonsPerInvoice);
        invalid.push_back(*std::move(entry));
      }
      absl::StatusOr<std::string> notice = BuildCashRegisterNotice204(
          header, message->details, message->tdiep.payloads.size(), invalid, NoticeKey());
      if (!notice.ok()) {
        std::move(*shared_done)(OnlyReceipt(header, message->now, kTemporarilyUnavailable,
                                            absl::StrCat("signing the 204: ",
                                                         notice.status().message())));
        return;
      }
      std::move(*shared_done)(std::vector<std::string>{
          BuildReceipt999(header, message->now, {}), *std::move(notice)});
    });
  };
  ReceiveCashRegisterBatchAsync(*authenticator_, caller, items, std::move(answer), abandoned);
}

}  // namespace einvoice
