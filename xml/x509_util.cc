#include "xml/x509_util.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace einvoice::x509 {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

absl::Time ToTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return absl::InfinitePast();
  return absl::FromTimeT(timegm(&tm));
}

bool TokenAfterPrefix(absl::string_view value, absl::string_view prefix,
                      absl::string_view expected) {
  for (size_t at = value.find(prefix); at != absl::string_view::npos;
       at = value.find(prefix, at + 1)) {
    size_t end = at + prefix.size();
    while (end < value.size() &&
           (absl::ascii_isdigit(static_cast<unsigned char>(value[end])) || value[end] == '-')) {
      ++end;
    }
    if (value.substr(at + prefix.size(), end - at - prefix.size()) == expected) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const ParsedCertificate>> ParsedCertificate::Parse(
    absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert == nullptr || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    ERR_clear_error();
    return absl::InvalidArgumentError("not a DER X.509 certificate");
  }
  CertificateInfo info;
  info.not_before = ToTime(X509_get0_notBefore(cert.get()));
  info.not_after = ToTime(X509_get0_notAfter(cert.get()));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (BIO* bio = BIO_new(BIO_s_mem())) {
    X509_NAME_print_ex(bio, subject, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    if (len > 0) info.subject.assign(data, static_cast<size_t>(len));
    BIO_free(bio);
  }
  for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
    ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, value);
    if (len >= 0) {
      info.subject_values.emplace_back(reinterpret_cast<const char*>(utf8),
                                       static_cast<size_t>(len));
      OPENSSL_free(utf8);
    }
  }
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  if (key == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError("certificate has an unreadable public key");
  }
  unsigned char* spki = nullptr;
  const int spki_len = i2d_PUBKEY(key, &spki);
  if (spki_len > 0) {
    info.public_key_der.assign(reinterpret_cast<const char*>(spki), static_cast<size_t>(spki_len));
    OPENSSL_free(spki);
  }
  if (EVP_PKEY_is_a(key, "RSA")) {
    info.key_type = KeyType::kRsa;
  } else if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {0};
    size_t group_len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group), &group_len) == 1 &&
        (absl::string_view(group) == "prime256v1" || absl::string_view(group) == "P-256")) {
      info.key_type = KeyType::kEcP256;
    }
  }
  ERR_clear_error();
  return std::shared_ptr<const ParsedCertificate>(
      new ParsedCertificate(std::string(der), cert.release(), std::move(info)));
}

ParsedCertificate::ParsedCertificate(std::string der, x509_st* x509, CertificateInfo info)
    : der_(std::move(der)), x509_(x509), info_(std::move(info)) {}

ParsedCertificate::~ParsedCertificate() { X509_free(x509_); }

absl::StatusOr<CertificateInfo> ReadCertificate(absl::string_view der) {
  absl::StatusOr<std::shared_ptr<const ParsedCertificate>> parsed = ParsedCertificate::Parse(der);
  if (!parsed.ok()) return parsed.status();
  return (*parsed)->info();
}

bool SubjectNamesTaxCode(const CertificateInfo& certificate, absl::string_view tax_code) {
  if (tax_code.empty()) return false;
  const bool personal = tax_code.size() == 12;
  for (const std::string& value : certificate.subject_values) {
    if (TokenAfterPrefix(value, "MST:", tax_code)) return true;
    if (personal && TokenAfterPrefix(value, "CCCD:", tax_code)) return true;
  }
  return false;
}

}  // namespace einvoice::x509
