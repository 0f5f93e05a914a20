#include "signer/x509_certificate.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "signer/digest.h"

namespace einvoice::x509 {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

absl::Time ToTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return absl::InfinitePast();
  return absl::FromTimeT(timegm(&tm));
}

std::string NameToString(const X509_NAME* name) {
  std::string out;
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr) return out;
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  if (len > 0) out.assign(data, static_cast<size_t>(len));
  return out;
}

std::string SerialHex(const ASN1_INTEGER* serial) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
  if (bn == nullptr) return "";
  char* hex = BN_bn2hex(bn);
  std::string out = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

// The run of digits and '-' right after `prefix` at `at`.
absl::string_view TaxCodeToken(absl::string_view value, size_t at, absl::string_view prefix) {
  size_t end = at + prefix.size();
  while (end < value.size() &&
         (absl::ascii_isdigit(static_cast<unsigned char>(value[end])) || value[end] == '-')) {
    ++end;
  }
  return value.substr(at + prefix.size(), end - at - prefix.size());
}

// True if `value` holds `prefix` + `expected` as a whole token: the prefix at the start or
// after a character that is not a letter or digit ("XMST:" is not "MST:"), and `expected`
// running to the next character that is neither a digit nor '-'.
bool TokenAfterPrefix(absl::string_view value, absl::string_view prefix,
                      absl::string_view expected) {
  for (size_t at = value.find(prefix); at != absl::string_view::npos;
       at = value.find(prefix, at + 1)) {
    if (at > 0 && absl::ascii_isalnum(static_cast<unsigned char>(value[at - 1]))) continue;
    if (TaxCodeToken(value, at, prefix) == expected) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<CertificateInfo> DescribeCertificate(x509_st* cert, absl::string_view der) {
  CertificateInfo info;
  info.not_before = ToTime(X509_get0_notBefore(cert));
  info.not_after = ToTime(X509_get0_notAfter(cert));
  const X509_NAME* subject = X509_get_subject_name(cert);
  info.subject = NameToString(subject);
  info.issuer = NameToString(X509_get_issuer_name(cert));
  info.serial_hex = SerialHex(X509_get0_serialNumber(cert));
  info.fingerprint = absl::BytesToHexString(Sha256(der));
  for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, i);
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(entry);
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, value);
    if (len < 0) continue;
    std::string text(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
    if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry)) == NID_userId) info.uid_values.push_back(text);
    info.subject_values.push_back(std::move(text));
  }
  EVP_PKEY* key = X509_get0_pubkey(cert);
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
  return info;
}

absl::StatusOr<CertificateInfo> ReadCertificate(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert == nullptr || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    ERR_clear_error();
    return absl::InvalidArgumentError("not a DER X.509 certificate");
  }
  return DescribeCertificate(cert.get(), der);
}

absl::StatusOr<std::string> PemCertificateToDer(absl::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return absl::ResourceExhaustedError("out of memory reading a PEM block");
  // The block's bytes as they are (not a re-encoding), so the fingerprint is of what was sent.
  while (true) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
      ERR_clear_error();
      return absl::InvalidArgumentError("no PEM certificate");
    }
    const bool is_certificate = absl::string_view(name) == "CERTIFICATE";
    std::string der(reinterpret_cast<const char*>(data), static_cast<size_t>(len));
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    if (!is_certificate) continue;
    if (absl::Status parsed = ReadCertificate(der).status(); !parsed.ok()) return parsed;
    return der;
  }
}

absl::Status CheckCertificateMatchesKey(absl::string_view certificate_chain_pem,
                                        absl::string_view private_key_pem) {
  std::unique_ptr<BIO, BioFree> cert_bio(
      BIO_new_mem_buf(certificate_chain_pem.data(), static_cast<int>(certificate_chain_pem.size())));
  std::unique_ptr<BIO, BioFree> key_bio(
      BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
  if (cert_bio == nullptr || key_bio == nullptr) {
    return absl::ResourceExhaustedError("out of memory reading PEM");
  }
  std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (cert == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError("the TLS certificate file holds no PEM certificate");
  }
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        "the TLS key file holds no readable (unencrypted PEM) private key");
  }
  const bool match = X509_check_private_key(cert.get(), key) == 1;
  EVP_PKEY_free(key);
  ERR_clear_error();
  if (!match) {
    return absl::InvalidArgumentError("the TLS certificate is not for the TLS private key");
  }
  return absl::OkStatus();
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

bool UidNamesTaxCode(const CertificateInfo& certificate, absl::string_view tax_code) {
  if (tax_code.empty()) return false;
  for (const std::string& value : certificate.uid_values) {
    const absl::string_view uid = value;
    if (absl::StartsWith(uid, "MST:") && TaxCodeToken(uid, 0, "MST:") == tax_code) return true;
    if (tax_code.size() == 12 && absl::StartsWith(uid, "CCCD:") &&
        TaxCodeToken(uid, 0, "CCCD:") == tax_code) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> UidTaxCode(const CertificateInfo& certificate) {
  std::optional<std::string> found;
  for (const std::string& value : certificate.uid_values) {
    if (!absl::StartsWith(value, "MST:")) continue;
    const absl::string_view token = TaxCodeToken(value, 0, "MST:");
    if (token.empty()) continue;
    if (found.has_value() && *found != token) return std::nullopt;  // two holders: ambiguous
    found = std::string(token);
  }
  return found;
}

}  // namespace einvoice::x509
