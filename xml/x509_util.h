// Internal to xml/: what the XML checks need to know about an X.509 certificate, read with
// OpenSSL (the header stays OpenSSL-free). Pure functions; thread-safe.
#ifndef EINVOICE_XML_X509_UTIL_H_
#define EINVOICE_XML_X509_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace einvoice::x509 {

enum class KeyType { kRsa, kEcP256, kOther };

struct CertificateInfo {
  absl::Time not_before;
  absl::Time not_after;
  // Subject as an RFC 2253 string ("CN=...,O=...,C=VN"), UTF-8.
  std::string subject;
  // Every value of every subject attribute, UTF-8 (where "MST:0100109106" lives).
  std::vector<std::string> subject_values;
  // DER SubjectPublicKeyInfo.
  std::string public_key_der;
  KeyType key_type = KeyType::kOther;
};

// Parses a DER certificate (trailing bytes refused). INVALID_ARGUMENT if it is not one.
absl::StatusOr<CertificateInfo> ReadCertificate(absl::string_view der);

// True if some subject attribute value names `tax_code` as "MST:<tax_code>" (the token after
// "MST:" runs to the next character that is neither a digit nor '-', and must equal
// `tax_code` exactly: a parent company's certificate does not cover a branch "-001", nor the
// other way round). For a 12-digit personal id, "CCCD:<id>" is accepted too.
bool SubjectNamesTaxCode(const CertificateInfo& certificate, absl::string_view tax_code);

}  // namespace einvoice::x509

#endif  // EINVOICE_XML_X509_UTIL_H_
