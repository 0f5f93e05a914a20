#include "domain/invoice_verifier.h"

#include "absl/strings/str_cat.h"
#include "domain/authentication_record.h"
#include "domain/authority_code.h"
#include "rules/cash_register_code.h"
#include "google/protobuf/util/message_differencer.h"
#include "signer/signature_verifier.h"

namespace einvoice {

InvoiceVerification VerifyAuthenticatedInvoice(const v1::AuthenticatedInvoice& invoice,
                                               const std::vector<v1::SigningKey>& keys) {
  InvoiceVerification result;
  auto problem = [&](std::string text) { result.problems.push_back(std::move(text)); };

  absl::StatusOr<v1::AuthenticationRecord> record = ParseSignedRecord(invoice.signed_record());
  if (!record.ok()) {
    problem(std::string(record.status().message()));
  } else {
    result.record = *record;
    if (!IsWellFormedAuthorityCode(record->authority_code()) &&
        !IsCashRegisterCode(record->authority_code())) {
      problem(absl::StrCat("authority code \"", record->authority_code(), "\" is malformed"));
    }
    if (record->authority_code() != invoice.authority_code()) {
      problem("authority_code differs between the envelope and the signed record");
    }
    if (record->key_id() != invoice.key_id()) {
      problem("key_id differs between the envelope and the signed record");
    }
    if (!google::protobuf::util::MessageDifferencer::Equals(record->issued_at(),
                                                            invoice.issued_at())) {
      problem("issued_at differs between the envelope and the signed record");
    }
  }

  const v1::SigningKey* key = nullptr;
  for (const v1::SigningKey& candidate : keys) {
    if (candidate.key_id() == invoice.key_id()) key = &candidate;
  }
  if (key == nullptr) {
    problem(absl::StrCat("unknown signing key \"", invoice.key_id(), "\""));
  } else {
    absl::StatusOr<KeyAlgorithm> algorithm = ParseKeyAlgorithm(key->algorithm());
    if (!algorithm.ok()) {
      problem(absl::StrCat("key ", key->key_id(), ": ", algorithm.status().message()));
    } else {
      absl::StatusOr<bool> verified = VerifySignature(*algorithm, key->public_key_der(),
                                                      invoice.signed_record(),
                                                      invoice.signature());
      if (!verified.ok()) {
        problem(absl::StrCat("key ", key->key_id(), ": ", verified.status().message()));
      } else if (!*verified) {
        problem("the signature does not verify with the authority's key");
      } else {
        result.signature_valid = true;
      }
    }
    if (record.ok()) {
      const absl::Time issued_at = FromTimestamp(record->issued_at());
      if (key->has_not_before() && issued_at < FromTimestamp(key->not_before())) {
        problem("the invoice was issued before its signing key became active");
      }
      if (key->has_retired_at() && issued_at >= FromTimestamp(key->retired_at())) {
        problem("the invoice was issued after its signing key was retired");
      }
    }
  }
  result.valid = result.problems.empty() && result.signature_valid;
  return result;
}

}  // namespace einvoice
