// What the service needs to know about an X.509 certificate, read with OpenSSL (this header
// stays OpenSSL-free: OpenSSL's X509 is only forward-declared). Used for sellers' registered
// certificates (domain/seller_admin.h), callers' TLS client certificates
// (domain/caller.h) and the XML signature checks (xml/x509_util.h).
//
// Pure functions; thread-safe. Nothing here checks a chain or a date: callers decide what a
// certificate must satisfy for their use.
#ifndef EINVOICE_SIGNER_X509_CERTIFICATE_H_
#define EINVOICE_SIGNER_X509_CERTIFICATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

struct x509_st;  // OpenSSL's X509

namespace einvoice::x509 {

enum class KeyType { kRsa, kEcP256, kOther };

struct CertificateInfo {
  absl::Time not_before;
  absl::Time not_after;
  // Subject and issuer as RFC 2253 strings ("CN=...,O=...,C=VN"), UTF-8.
  std::string subject;
  std::string issuer;
  // Every value of every subject attribute, UTF-8 (where "MST:0100109106" lives).
  std::vector<std::string> subject_values;
  // The values of the subject's UID attributes (OID 0.9.2342.19200300.100.1.1), UTF-8: the
  // Vietnamese convention puts "MST:<tax code>" there.
  std::vector<std::string> uid_values;
  // Serial number, upper-case hex without leading zeros ("0" for zero).
  std::string serial_hex;
  // Lower-case hex SHA-256 of the DER certificate: how policies name a certificate.
  std::string fingerprint;
  // DER SubjectPublicKeyInfo.
  std::string public_key_der;
  KeyType key_type = KeyType::kOther;
};

// Parses a DER certificate (trailing bytes refused). INVALID_ARGUMENT if it is not one.
absl::StatusOr<CertificateInfo> ReadCertificate(absl::string_view der);

// The same for a certificate OpenSSL has already parsed from `der` (xml/ keeps the X509 for
// xmlsec). INVALID_ARGUMENT if its public key is unreadable.
absl::StatusOr<CertificateInfo> DescribeCertificate(x509_st* certificate, absl::string_view der);

// OK if the first certificate of `certificate_chain_pem` certifies the public half of
// `private_key_pem` (a TLS server's pair). INVALID_ARGUMENT naming which part is unreadable or
// that they do not match. Never puts key material in the message.
absl::Status CheckCertificateMatchesKey(absl::string_view certificate_chain_pem,
                                        absl::string_view private_key_pem);

// The DER of the first "-----BEGIN CERTIFICATE-----" block of `pem`. INVALID_ARGUMENT if
// there is none or it does not decode.
absl::StatusOr<std::string> PemCertificateToDer(absl::string_view pem);

// True if some subject attribute value names `tax_code` as "MST:<tax_code>" (a whole token:
// "MST:" at the start of the value or after a character that is not a letter or digit, and the
// token after it running to the next character that is neither a digit nor '-', equal to
// `tax_code` exactly: a parent company's certificate does not cover a branch "-001", nor the
// other way round). For a 12-digit personal id, "CCCD:<id>" is accepted too. What the XML
// seller-signature check accepts (real CAs differ in which attribute they use).
bool SubjectNamesTaxCode(const CertificateInfo& certificate, absl::string_view tax_code);

// Stricter: a subject UID attribute is "MST:<tax_code>" (or, for a 12-digit personal id,
// "CCCD:<id>"), the token read as above. What seller registration requires, since a caller's
// TLS identity is read from the same attribute (UidTaxCode).
bool UidNamesTaxCode(const CertificateInfo& certificate, absl::string_view tax_code);

// The tax code a certificate identifies its holder by: the token after "MST:" in the subject's
// UID attribute (`UID=MST:0100109106-001`), as SubjectNamesTaxCode reads it. nullopt when no
// UID value starts with "MST:" or when two UID values name different tax codes (ambiguous).
std::optional<std::string> UidTaxCode(const CertificateInfo& certificate);

}  // namespace einvoice::x509

#endif  // EINVOICE_SIGNER_X509_CERTIFICATE_H_
