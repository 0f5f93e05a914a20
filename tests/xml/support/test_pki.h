// Test PKI for XML signature tests: a throwaway test CA and seller certificates carrying
// "MST:<tax code>" in the subject (synthetic tax codes only; names say "thử nghiệm"). Keys are
// generated in process memory with OpenSSL — TESTS ONLY.
//
// Thread-compatible.
#ifndef EINVOICE_TESTS_XML_SUPPORT_TEST_PKI_H_
#define EINVOICE_TESTS_XML_SUPPORT_TEST_PKI_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace einvoice::testing {

enum class TestKeyType { kRsa2048, kRsa3072, kEcP256 };

// A key pair with its certificate.
struct TestCredential {
  TestKeyType key_type = TestKeyType::kRsa2048;
  std::string private_key_pem;  // PKCS#8 PEM, unencrypted
  std::string certificate_der;
  std::string certificate_pem;
};

// What IssueCertificate() puts in a certificate.
struct TestCertificateSpec {
  // Subject "C=VN, O=<organisation>, CN=<common_name>[, UID=MST:<tax_code>]".
  std::string common_name = "thử nghiệm";
  std::string organisation = "Công ty thử nghiệm";
  // Empty: no UID attribute.
  std::string tax_code;
  absl::Time not_before = absl::FromUnixSeconds(1577836800);  // 2020-01-01
  absl::Time not_after = absl::FromUnixSeconds(2208988800);   // 2040-01-01
  // subjectAltName entries (a TLS server certificate); none = no extension.
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  TestKeyType key_type = TestKeyType::kEcP256;
};

class TestCa {
 public:
  // A self-signed EC P-256 CA "CN=CA thử nghiệm hóa đơn (TEST ONLY), C=VN", valid 2020–2040.
  TestCa();
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& certificate_pem() const { return certificate_pem_; }
  const std::string& certificate_der() const { return certificate_der_; }

  // A seller certificate: subject "C=VN, O=<name>, CN=<name>, UID=MST:<tax_code>", valid from
  // `not_before` to `not_after`, signed by this CA. Aborts on an OpenSSL failure.
  TestCredential IssueSellerCertificate(absl::string_view tax_code, absl::Time not_before,
                                        absl::Time not_after,
                                        TestKeyType key_type = TestKeyType::kRsa2048,
                                        absl::string_view name = "Công ty thử nghiệm");

  // Any end-entity certificate signed by this CA (TLS server and client certificates).
  TestCredential IssueCertificate(const TestCertificateSpec& spec);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string certificate_pem_;
  std::string certificate_der_;
};

// DER → PEM ("-----BEGIN CERTIFICATE-----").
std::string CertificateDerToPem(absl::string_view der);

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_XML_SUPPORT_TEST_PKI_H_
