// Internal to xml/: what the XML checks need to know about an X.509 certificate, read with
// OpenSSL (the header stays OpenSSL-free: OpenSSL's X509 is only forward-declared).
// Pure functions; thread-safe. ParsedCertificate is immutable once parsed and may be shared
// between threads (xml/certificate_cache.h keeps them).
#ifndef EINVOICE_XML_X509_UTIL_H_
#define EINVOICE_XML_X509_UTIL_H_

#include <memory>
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

// A certificate parsed once: its DER, what the checks read (CertificateInfo) and the OpenSSL
// certificate itself (for xmlsec keys, xmldsig::Verify). Immutable after Parse(); the OpenSSL
// object is only ever read (X509_get_pubkey up-refs its decoded key), so one instance may be
// used by many threads at once. Validity, subject and algorithm checks are the caller's, per
// use: this only saves the parsing.
class ParsedCertificate {
 public:
  // As ReadCertificate() (same errors), keeping the parsed certificate.
  static absl::StatusOr<std::shared_ptr<const ParsedCertificate>> Parse(absl::string_view der);

  ~ParsedCertificate();
  ParsedCertificate(const ParsedCertificate&) = delete;
  ParsedCertificate& operator=(const ParsedCertificate&) = delete;

  const std::string& der() const { return der_; }
  const CertificateInfo& info() const { return info_; }
  // Borrowed; valid as long as this object. Callers must not modify it.
  x509_st* x509() const { return x509_; }

 private:
  ParsedCertificate(std::string der, x509_st* x509, CertificateInfo info);

  const std::string der_;
  x509_st* const x509_;  // owned
  const CertificateInfo info_;
};

// True if some subject attribute value names `tax_code` as "MST:<tax_code>" (the token after
// "MST:" runs to the next character that is neither a digit nor '-', and must equal
// `tax_code` exactly: a parent company's certificate does not cover a branch "-001", nor the
// other way round). For a 12-digit personal id, "CCCD:<id>" is accepted too.
bool SubjectNamesTaxCode(const CertificateInfo& certificate, absl::string_view tax_code);

}  // namespace einvoice::x509

#endif  // EINVOICE_XML_X509_UTIL_H_
