#include "tests/xml/support/test_pki.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace einvoice::testing {
namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

std::string Der(X509* cert) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  Check(len > 0);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string Pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  Check(PEM_write_bio_X509(bio, cert) == 1);
  return BioToString(bio);
}

void AddName(X509_NAME* name, const char* field, absl::string_view value) {
  Check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0) == 1);
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr);
  Check(X509_add_ext(cert, ext, -1) == 1);
  X509_EXTENSION_free(ext);
}

X509* NewCertificate(EVP_PKEY* key, absl::Time not_before, absl::Time not_after) {
  X509* cert = X509_new();
  Check(cert != nullptr && X509_set_version(cert, 2) == 1);
  unsigned char serial[16];
  Check(RAND_bytes(serial, sizeof(serial)) == 1);
  serial[0] &= 0x7F;
  BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  Check(BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr);
  BN_free(bn);
  Check(ASN1_TIME_set(X509_getm_notBefore(cert), absl::ToTimeT(not_before)) != nullptr);
  Check(ASN1_TIME_set(X509_getm_notAfter(cert), absl::ToTimeT(not_after)) != nullptr);
  Check(X509_set_pubkey(cert, key) == 1);
  return cert;
}

}  // namespace

struct TestCa::Impl {
  ~Impl() {
    EVP_PKEY_free(key);
    X509_free(cert);
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
};

TestCa::TestCa() : impl_(std::make_unique<Impl>()) {
  impl_->key = EVP_EC_gen("P-256");
  Check(impl_->key != nullptr);
  impl_->cert = NewCertificate(impl_->key, absl::FromCivil(absl::CivilDay(2020, 1, 1), absl::UTCTimeZone()),
                               absl::FromCivil(absl::CivilDay(2040, 1, 1), absl::UTCTimeZone()));
  X509_NAME* name = X509_get_subject_name(impl_->cert);
  AddName(name, "C", "VN");
  AddName(name, "O", "CA thử nghiệm (TEST ONLY)");
  AddName(name, "CN", "CA thử nghiệm hóa đơn (TEST ONLY)");
  Check(X509_set_issuer_name(impl_->cert, name) == 1);
  AddExtension(impl_->cert, impl_->cert, NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(impl_->cert, impl_->cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(impl_->cert, impl_->cert, NID_subject_key_identifier, "hash");
  Check(X509_sign(impl_->cert, impl_->key, EVP_sha256()) > 0);
  certificate_der_ = Der(impl_->cert);
  certificate_pem_ = Pem(impl_->cert);
}

TestCa::~TestCa() = default;

TestCredential TestCa::IssueSellerCertificate(absl::string_view tax_code, absl::Time not_before,
                                              absl::Time not_after, TestKeyType key_type,
                                              absl::string_view org_name) {
  TestCertificateSpec spec;
  spec.common_name = std::string(org_name);
  spec.organisation = std::string(org_name);
  spec.tax_code = std::string(tax_code);
  spec.not_before = not_before;
  spec.not_after = not_after;
  spec.key_type = key_type;
  return IssueCertificate(spec);
}

TestCredential TestCa::IssueCertificate(const TestCertificateSpec& spec) {
  TestCredential out;
  out.key_type = spec.key_type;
  EVP_PKEY* key = spec.key_type == TestKeyType::kEcP256
                      ? EVP_EC_gen("P-256")
                      : EVP_RSA_gen(spec.key_type == TestKeyType::kRsa3072 ? 3072 : 2048);
  Check(key != nullptr);
  X509* cert = NewCertificate(key, spec.not_before, spec.not_after);
  X509_NAME* name = X509_get_subject_name(cert);
  AddName(name, "C", "VN");
  AddName(name, "O", spec.organisation);
  AddName(name, "CN", spec.common_name);
  if (!spec.tax_code.empty()) AddName(name, "UID", absl::StrCat("MST:", spec.tax_code));
  Check(X509_set_issuer_name(cert, X509_get_subject_name(impl_->cert)) == 1);
  AddExtension(cert, impl_->cert, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert, impl_->cert, NID_key_usage, "critical,digitalSignature,nonRepudiation");
  AddExtension(cert, impl_->cert, NID_authority_key_identifier, "keyid:always");
  std::vector<std::string> alt_names;
  for (const std::string& dns : spec.dns_names) alt_names.push_back(absl::StrCat("DNS:", dns));
  for (const std::string& ip : spec.ip_addresses) alt_names.push_back(absl::StrCat("IP:", ip));
  if (!alt_names.empty()) {
    AddExtension(cert, impl_->cert, NID_subject_alt_name, absl::StrJoin(alt_names, ",").c_str());
  }
  Check(X509_sign(cert, impl_->key, EVP_sha256()) > 0);
  out.certificate_der = Der(cert);
  out.certificate_pem = Pem(cert);
  BIO* bio = BIO_new(BIO_s_mem());
  Check(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  out.private_key_pem = BioToString(bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

std::string CertificateDerToPem(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  Check(cert != nullptr);
  std::string pem = Pem(cert);
  X509_free(cert);
  return pem;
}

}  // namespace einvoice::testing
