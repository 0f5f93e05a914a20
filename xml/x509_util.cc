#include "xml/x509_util.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <memory>
#include <utility>

namespace einvoice::x509 {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

}  // namespace

absl::StatusOr<std::shared_ptr<const ParsedCertificate>> ParsedCertificate::Parse(
    absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert == nullptr || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    ERR_clear_error();
    return absl::InvalidArgumentError("not a DER X.509 certificate");
  }
  absl::StatusOr<CertificateInfo> info = DescribeCertificate(cert.get(), der);
  if (!info.ok()) return info.status();
  return std::shared_ptr<const ParsedCertificate>(
      new ParsedCertificate(std::string(der), cert.release(), *std::move(info)));
}

ParsedCertificate::ParsedCertificate(std::string der, x509_st* x509, CertificateInfo info)
    : der_(std::move(der)), x509_(x509), info_(std::move(info)) {}

ParsedCertificate::~ParsedCertificate() { X509_free(x509_); }

}  // namespace einvoice::x509
