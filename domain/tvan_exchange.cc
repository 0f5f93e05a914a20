#include "domain/tvan_exchange.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/cash_register_batch.h"
#include "rules/tax_code.h"
#include "xml/invoice_xml_mapping.h"
#include "xml/qd1450_format.h"
#include "xml/seller_signature.h"
#include "xml/tvan_envelope.h"
#include "xml/xml_violations.h"

namespace einvoice {
namespace {

// MLoi of the technical receipt's own errors (ours; the 999 lists them with a description).
constexpr absl::string_view kUnreadableMessage = "10001";
constexpr absl::string_view kUnsupportedType = "10002";
constexpr absl::string_view kMissingPayload = "10003";
constexpr absl::string_view kTemporarilyUnavailable = "10004";

std::vector<std::string> OnlyReceipt(const TDiepHeader& header, absl::Time now,
                                     absl::string_view code, std::string description) {
  const TechnicalError error{std::string(code), std::move(description)};
  return {BuildReceipt999(header, now, {&error, 1})};
}

}  // namespace

TvanExchange::TvanExchange(InvoiceAuthenticator* authenticator, SellerRegistry* sellers,
                           AccessControl* access, SigningKeyManager* keys, Signer* signer,
                           SellerSignatureOptions signature_options)
    : signature_options_(std::move(signature_options)),
      authenticator_(authenticator),
      sellers_(sellers),
      access_(access),
      keys_(keys),
      signer_(signer) {}

AuthoritySigningKey TvanExchange::NoticeKey() {
  const SigningKeyManager::SigningStamp stamp = keys_->Stamp();
  return AuthoritySigningKey{signer_, stamp.key_id, stamp.certificate_der, stamp.issued_at};
}

absl::StatusOr<std::vector<std::string>> TvanExchange::Exchange(const Caller& caller,
                                                                absl::string_view message,
                                                                absl::Time now,
                                                                const Abandoned& abandoned) {
  absl::StatusOr<TDiepMessage> parsed = ParseTDiep(message);
  if (!parsed.ok()) {
    return OnlyReceipt(TDiepHeader{}, now, kUnreadableMessage,
                       absl::StrCat("TDiep: ", parsed.status().message()));
  }
  const TDiepHeader& header = parsed->header;
  if (header.type != "200" && header.type != "206") {
    return OnlyReceipt(header, now, kUnsupportedType,
                       absl::StrCat("MLTDiep ", header.type,
                                    " is not accepted here (only 200 and 206)"));
  }
  if (parsed->payload_xml.empty()) {
    return OnlyReceipt(header, now, kMissingPayload, "DLieu holds no HDon");
  }
  if (header.type == "206") return CashRegisterData(caller, message, *parsed, now, abandoned);
  return CodeRequest(caller, *parsed, now);
}

absl::StatusOr<std::vector<std::string>> TvanExchange::CodeRequest(const Caller& caller,
                                                                   const TDiepMessage& message,
                                                                   absl::Time now) {
  const TDiepHeader& header = message.header;
  const TDiepMessage* parsed = &message;
  SubmitOutcome outcome = authenticator_->SubmitXml(caller, parsed->payload_xml, header.message_id);
  const absl::StatusCode code = outcome.status.code();
  if (code == absl::StatusCode::kPermissionDenied) return outcome.status;
  if (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kResourceExhausted ||
      code == absl::StatusCode::kInternal || code == absl::StatusCode::kDataLoss) {
    // Not a verdict on the invoice: the sender should resend the same message later.
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
  // The notice names the invoice as the seller wrote it (parsed again: rejections only).
  if (absl::StatusOr<InvoiceXml> invoice = ParseInvoiceXml(parsed->payload_xml); invoice.ok()) {
    const v1::Invoice& named = invoice->invoice;
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

absl::StatusOr<std::vector<std::string>> TvanExchange::CashRegisterData(
    const Caller& caller, absl::string_view raw, const TDiepMessage& message, absl::Time now,
    const Abandoned& abandoned) {
  const TDiepHeader& header = message.header;
  if (message.payloads.size() > kMaxCashRegisterBatch) {
    return OnlyReceipt(header, now, kUnreadableMessage,
                       absl::StrCat("DLieu holds ", message.payloads.size(),
                                    " HDon; at most ", kMaxCashRegisterBatch, " per message"));
  }
  // Whose data it is (TTChung/MST), and may the caller send it: before anything is checked.
  const Operation operation{"InvoiceAuthority.ExchangeMessage",
                            absl::StrCat("cash-register data of ", header.tax_code.substr(0, 64))};
  std::optional<v1::Seller> seller;
  if (CheckTaxCode(header.tax_code) == TaxCodeProblem::kOk) {
    absl::StatusOr<std::optional<v1::Seller>> found = sellers_->Get(header.tax_code);
    if (!found.ok()) {
      return OnlyReceipt(header, now, kTemporarilyUnavailable,
                         absl::StrCat("temporarily unavailable, resend later: ",
                                      found.status().message()));
    }
    seller = *std::move(found);
    RETURN_IF_ERROR(access_->AuthorizeSubmission(caller, header.tax_code, seller, operation));
  } else {
    RETURN_IF_ERROR(access_->AuthorizeSubmitter(caller, operation));
  }

  // Each HDon as the seller's register wrote it: identifiers for the notice, the invoice.
  std::vector<absl::StatusOr<InvoiceXml>> invoices;
  invoices.reserve(message.payloads.size());
  for (const std::string& payload : message.payloads) {
    InvoiceXmlOptions options;
    options.cash_register = true;
    invoices.push_back(ParseInvoiceXml(payload, options));
  }
  auto invalid_entry = [](const absl::StatusOr<InvoiceXml>& invoice) {
    InvalidCashRegisterInvoice entry;
    if (invoice.ok()) {
      entry.template_code = invoice->invoice.template_code();
      entry.symbol = invoice->invoice.symbol();
      entry.number = invoice->invoice.number() == 0 ? "" : absl::StrCat(invoice->invoice.number());
    }
    return entry;
  };
  NoticeDetails details;
  details.checked_at = now;
  details.seller_tax_code = header.tax_code;
  if (seller.has_value()) details.seller_name = seller->name();  // not what the sender wrote
  std::vector<InvalidCashRegisterInvoice> invalid;

  // The taxpayer's signature over DLieu, with a certificate registered for the seller. Without
  // it nothing is received: every invoice is listed with what is wrong with the signature.
  static const google::protobuf::RepeatedPtrField<std::string> kNoCertificates;
  const SellerSignatureResult signature = VerifyMessageSignature(
      raw, seller.has_value() ? seller->certificates_der() : kNoCertificates, now,
      signature_options_);
  if (!signature.ok()) {
    for (const absl::StatusOr<InvoiceXml>& invoice : invoices) {
      InvalidCashRegisterInvoice entry = invalid_entry(invoice);
      entry.violations = signature.violations;
      invalid.push_back(std::move(entry));
    }
  } else {
    std::vector<CashRegisterItem> items;
    std::vector<size_t> item_of;  // index into `invoices` of each item
    for (size_t i = 0; i < invoices.size(); ++i) {
      if (!invoices[i].ok()) {
        InvalidCashRegisterInvoice entry;
        entry.violations.push_back(UnreadableXmlViolation(invoices[i].status()));
        invalid.push_back(std::move(entry));
        continue;
      }
      // The message is signed for one seller (TTChung/MST): an invoice of another seller in it
      // would be received without its seller's signature.
      if (invoices[i]->invoice.seller().tax_code() != header.tax_code) {
        InvalidCashRegisterInvoice entry = invalid_entry(invoices[i]);
        const std::string detail_vi =
            absl::StrCat("MST người bán ", invoices[i]->invoice.seller().tax_code().substr(0, 64),
                         ", thông điệp ký cho ", header.tax_code.substr(0, 64));
        const std::string detail_en =
            absl::StrCat("seller ", invoices[i]->invoice.seller().tax_code().substr(0, 64),
                         ", message signed for ", header.tax_code.substr(0, 64));
        entry.violations.push_back(MakeViolation(
            kSellerCertificateTaxCode, "HDon/DLHDon/NDHDon/NBan/MST", detail_vi, detail_en));
        invalid.push_back(std::move(entry));
        continue;
      }
      CashRegisterItem item;
      // Scoped to the seller by the store; the sender's code keeps two T-VANs' message ids apart.
      item.idempotency_key = absl::StrCat(header.sender.substr(0, 20), "/",
                                          header.message_id.substr(0, 96), "#", i + 1);
      item.xml = &*invoices[i];
      item.xml_text = message.payloads[i];
      items.push_back(std::move(item));
      item_of.push_back(i);
    }
    std::vector<SubmitOutcome> outcomes =
        ReceiveCashRegisterBatch(*authenticator_, caller, items, abandoned);
    for (size_t k = 0; k < outcomes.size(); ++k) {
      const absl::StatusCode code = outcomes[k].status.code();
      if (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kResourceExhausted ||
          code == absl::StatusCode::kInternal || code == absl::StatusCode::kDataLoss ||
          code == absl::StatusCode::kCancelled) {
        // No verdict on that invoice: the whole message is sent again later (what was received
        // is then answered as received, once).
        return OnlyReceipt(header, now, kTemporarilyUnavailable,
                           absl::StrCat("temporarily unavailable, resend later: ",
                                        outcomes[k].status.message()));
      }
      if (code == absl::StatusCode::kPermissionDenied) return outcomes[k].status;
      if (outcomes[k].status.ok()) continue;
      InvalidCashRegisterInvoice entry = invalid_entry(invoices[item_of[k]]);
      entry.violations = std::move(outcomes[k].violations);
      if (entry.violations.empty()) {
        entry.violations.push_back(UnreadableXmlViolation(outcomes[k].status));
      }
      invalid.push_back(std::move(entry));
    }
  }
  // A notice every T-VAN can take: a few reasons per invoice, then how many more (fixing
  // those and resending shows the next ones).
  for (InvalidCashRegisterInvoice& entry : invalid) {
    LimitViolations(entry.violations, kMaxNoticeReasonsPerInvoice);
  }
  absl::StatusOr<std::string> notice = BuildCashRegisterNotice204(
      header, details, message.payloads.size(), invalid, NoticeKey());
  if (!notice.ok()) {
    return OnlyReceipt(header, now, kTemporarilyUnavailable,
                       absl::StrCat("signing the 204: ", notice.status().message()));
  }
  return std::vector<std::string>{BuildReceipt999(header, now, {}), *std::move(notice)};
}

}  // namespace einvoice
