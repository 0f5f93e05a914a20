// Reading certificates: identity facts (fingerprint, serial, issuer, UID tax code), the
// tax-code tests for XML signatures (any attribute) and for registration and TLS identity
// (the UID attribute only), and PEM to DER exactly as sent.
#include "signer/x509_certificate.h"

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "signer/digest.h"
#include "tests/testing/status_matchers.h"
#include "tests/xml/support/test_pki.h"

namespace einvoice::x509 {
namespace {

using ::einvoice::testing::StatusIs;
using ::einvoice::testing::TestCa;
using ::einvoice::testing::TestCertificateSpec;
using ::testing::HasSubstr;

CertificateInfo Info(std::vector<std::string> subject_values, std::vector<std::string> uids) {
  CertificateInfo info;
  info.subject_values = std::move(subject_values);
  info.uid_values = std::move(uids);
  return info;
}

TEST(X509CertificateTest, ReadsIdentityFacts) {
  TestCa ca;
  TestCertificateSpec spec;
  spec.tax_code = "0100109106-001";
  const auto credential = ca.IssueCertificate(spec);
  ASSERT_OK_AND_ASSIGN(CertificateInfo info, ReadCertificate(credential.certificate_der));
  EXPECT_EQ(info.fingerprint, absl::BytesToHexString(Sha256(credential.certificate_der)));
  EXPECT_THAT(info.subject, HasSubstr("UID=MST:0100109106-001"));
  EXPECT_THAT(info.issuer, HasSubstr("CA thử nghiệm"));
  EXPECT_FALSE(info.serial_hex.empty());
  EXPECT_EQ(UidTaxCode(info), "0100109106-001");
  EXPECT_EQ(info.key_type, KeyType::kEcP256);
}

TEST(X509CertificateTest, PemToDerKeepsTheBytesAsSent) {
  TestCa ca;
  const auto credential = ca.IssueCertificate(TestCertificateSpec());
  ASSERT_OK_AND_ASSIGN(std::string der,
                       PemCertificateToDer("junk before\n" + credential.certificate_pem));
  EXPECT_EQ(der, credential.certificate_der);
  EXPECT_THAT(PemCertificateToDer("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PemCertificateToDer(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(X509CertificateTest, TaxCodeTokensAreWholeTokens) {
  EXPECT_TRUE(SubjectNamesTaxCode(Info({"Công ty A MST:0100109106"}, {}), "0100109106"));
  EXPECT_FALSE(SubjectNamesTaxCode(Info({"XMST:0100109106"}, {}), "0100109106"));
  EXPECT_FALSE(SubjectNamesTaxCode(Info({"MST:0100109106-001"}, {}), "0100109106"));
  EXPECT_FALSE(SubjectNamesTaxCode(Info({"MST:0100109106"}, {}), "0100109106-001"));
  EXPECT_TRUE(SubjectNamesTaxCode(Info({"CCCD:001099012345"}, {}), "001099012345"));
}

TEST(X509CertificateTest, RegistrationAndIdentityReadTheUidOnly) {
  EXPECT_TRUE(UidNamesTaxCode(Info({}, {"MST:0100109106"}), "0100109106"));
  EXPECT_FALSE(UidNamesTaxCode(Info({"OU=MST:0100109106"}, {"MST:0101243150"}), "0100109106"));
  EXPECT_TRUE(UidNamesTaxCode(Info({}, {"CCCD:001099012345"}), "001099012345"));
  EXPECT_FALSE(UidNamesTaxCode(Info({}, {"CCCD:0100109106"}), "0100109106"));  // 10 digits
  EXPECT_EQ(UidTaxCode(Info({}, {"MST:0100109106", "MST:0101243150"})), std::nullopt);
  EXPECT_EQ(UidTaxCode(Info({"MST:0100109106"}, {})), std::nullopt);  // not in a UID
}

}  // namespace
}  // namespace einvoice::x509
