#include "domain/tvan_exchange.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "xml/invoice_xml_mapping.h"
#include "xml/qd1450_format.h"
#include "xml/tvan_envelope.h"

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

TvanExchange::TvanExchange(InvoiceAuthenticator* authenticator, SigningKeyManager* keys,
                           Signer* signer)
    : authenticator_(authenticator), keys_(keys), signer_(signer) {}

absl::StatusOr<std::vector<std::string>> TvanExchange::Exchange(const Caller& caller,
                                                                absl::string_view message,
                                                                absl::Time now) {
  absl::StatusOr<TDiepMessage> parsed = ParseTDiep(message);
  if (!parsed.ok()) {
    return OnlyReceipt(TDiepHeader{}, now, kUnreadableMessage,
                       absl::StrCat("TDiep: ", parsed.status().message()));
  }
  const TDiepHeader& header = parsed->header;
  if (header.type != "200") {
    return OnlyReceipt(header, now, kUnsupportedType,
                       absl::StrCat("MLTDiep ", header.type, " is not accepted here (only 200)"));
  }
  if (parsed->payload_xml.empty()) {
    return OnlyReceipt(header, now, kMissingPayload, "DLieu holds no HDon");
  }

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
  const SigningKeyManager::SigningStamp stamp = keys_->Stamp();
  const AuthoritySigningKey key{signer_, stamp.key_id, stamp.certificate_der, stamp.issued_at};
  absl::StatusOr<std::string> notice = BuildNotEligible204(header, details, outcome.violations, key);
  if (!notice.ok()) {
    // The verdict stands (nothing was stored), but it cannot be sent unsigned: resend later.
    return OnlyReceipt(header, now, kTemporarilyUnavailable,
                       absl::StrCat("signing the 204: ", notice.status().message()));
  }
  answers.push_back(*std::move(notice));
  return answers;
}

}  // namespace einvoice
