// Internal to xml/: a certificate parsed once and kept with its OpenSSL object, for xmlsec
// (what is read from it, CertificateInfo, comes from signer/x509_certificate.h).
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
#include "signer/x509_certificate.h"

namespace einvoice::x509 {

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

}  // namespace einvoice::x509

#endif  // EINVOICE_XML_X509_UTIL_H_
