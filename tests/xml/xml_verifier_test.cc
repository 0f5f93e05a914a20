// Offline verification of XML invoices: ours and the real authority's layout; which part fails.
#include "xml/xml_verifier.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "signer/certificate_builder.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/signer/support/fake_signer.h"
#include "tests/testing/status_matchers.h"
#include "tests/xml/support/seller_signing.h"
#include "tests/xml/support/test_pki.h"
#include "xml/coded_invoice.h"
#include "xml/invoice_xml_mapping.h"
#include "rules/signature_violations.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::FakeSigner;
using ::einvoice::testing::StatusIs;
using ::einvoice::testing::TestCa;
using ::einvoice::testing::TestCredential;
using ::einvoice::testing::TestKeyType;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kCode[] = "00FE2FCA280CF74806BE839368A7C4AE25";

absl::Time Vn(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::FixedTimeZone(7 * 3600));
}
const absl::Time kNow = Vn(2026, 11, 22, 9, 0);

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

class XmlVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seller_ = ca_.IssueSellerCertificate(BaselineSellerTaxCode(), Vn(2026, 1, 1), Vn(2028, 1, 1));
    absl::StatusOr<std::string> xml = testing::SignedInvoiceXml(BaselineInvoice(), seller_);
    ASSERT_OK(xml);
    seller_xml_ = *xml;
    absl::StatusOr<std::string> cert = BuildSelfSignedCertificate(
        signer_, signer_.default_key(), "Cơ quan thuế thử nghiệm", Vn(2026, 1, 1), Vn(2030, 1, 1));
    ASSERT_OK(cert);
    authority_cert_ = *cert;
    absl::StatusOr<std::string> coded =
        BuildCodedInvoiceXml(seller_xml_, kCode, Vn(2026, 11, 20, 10, 1), signer_,
                             signer_.default_key().key_id, authority_cert_);
    ASSERT_OK(coded);
    coded_ = *coded;
  }

  XmlVerifyOptions Trusting() const {
    XmlVerifyOptions options;
    options.authority_certificates_der = {authority_cert_};
    options.now = kNow;
    return options;
  }

  TestCa ca_;
  TestCredential seller_;
  std::string seller_xml_;
  FakeSigner signer_;
  std::string authority_cert_;
  std::string coded_;
};

TEST_F(XmlVerifierTest, OurCodedInvoiceVerifies) {
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report, VerifyInvoiceXml(coded_, Trusting()));
  EXPECT_TRUE(report.ok()) << report.Summary();
  EXPECT_TRUE(report.coded);
  EXPECT_EQ(report.authority_code, kCode);
  EXPECT_EQ(report.authority_signing_time, Vn(2026, 11, 20, 10, 1));
  EXPECT_EQ(report.seller_signing_time, Vn(2026, 11, 20, 10, 0));
  EXPECT_THAT(report.seller_certificate_subject, HasSubstr(BaselineSellerTaxCode()));
  EXPECT_THAT(report.Summary(), HasSubstr("authority signature: VALID"));
}

TEST_F(XmlVerifierTest, TrustedPublicKeyIsEnough) {
  XmlVerifyOptions options;
  options.authority_public_keys_der = {signer_.default_key().public_key_der};
  options.now = kNow;
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report, VerifyInvoiceXml(coded_, options));
  EXPECT_TRUE(report.ok()) << report.Summary();
}

// A coded invoice in the real authority's layout (RSA-SHA256 3072-bit, three references, no
// transforms), made with xmlsec1 rather than our builder.
TEST_F(XmlVerifierTest, RealAuthorityLayoutVerifies) {
  const TestCredential tct = ca_.IssueSellerCertificate("0100000000", Vn(2026, 1, 1),
                                                        Vn(2030, 1, 1), TestKeyType::kRsa3072,
                                                        "Tổng cục Thuế thử nghiệm");
  ASSERT_OK_AND_ASSIGN(std::string coded, testing::CodeLikeRealAuthority(
                                              seller_xml_, kCode, tct, Vn(2026, 11, 20, 10, 1)));
  XmlVerifyOptions options;
  options.authority_certificates_der = {tct.certificate_der};
  options.now = kNow;
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report, VerifyInvoiceXml(coded, options));
  EXPECT_TRUE(report.ok()) << report.Summary() << coded;
  EXPECT_EQ(report.authority_signing_time, Vn(2026, 11, 20, 10, 1));
  // Tampering with its code is caught by the signature.
  ASSERT_OK_AND_ASSIGN(report, VerifyInvoiceXml(Replace(coded, kCode, "00FE2FCA280CF74806BE839368A7C4AE26"),
                                                options));
  EXPECT_TRUE(report.seller_signature_valid);
  EXPECT_TRUE(report.authority_code_valid);
  EXPECT_FALSE(report.authority_signature_valid);
}

TEST_F(XmlVerifierTest, UncodedInvoice) {
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report, VerifyInvoiceXml(seller_xml_, Trusting()));
  EXPECT_TRUE(report.ok());
  EXPECT_FALSE(report.coded);
  EXPECT_THAT(report.Summary(), HasSubstr("not coded"));
}

TEST_F(XmlVerifierTest, TamperedAmountFailsBothSignatures) {
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report,
                       VerifyInvoiceXml(Replace(coded_, "<ThTien>850000</ThTien>",
                                                "<ThTien>950000</ThTien>"),
                                        Trusting()));
  EXPECT_FALSE(report.ok());
  EXPECT_FALSE(report.seller_signature_valid);
  ASSERT_EQ(report.seller_problems.size(), 1u);
  EXPECT_EQ(report.seller_problems[0].code, kSellerSignatureInvalid.code);
  EXPECT_TRUE(report.authority_code_valid);
  EXPECT_FALSE(report.authority_signature_valid);
  EXPECT_THAT(report.authority_signature_problem, HasSubstr("DLHDon-1"));
  EXPECT_THAT(report.Summary(), HasSubstr("seller signature: INVALID"));
}

TEST_F(XmlVerifierTest, TamperedCodeFailsOnlyTheAuthoritySignature) {
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report,
                       VerifyInvoiceXml(Replace(coded_, kCode, "00FE2FCA280CF74806BE839368A7C4AE26"),
                                        Trusting()));
  EXPECT_TRUE(report.seller_signature_valid);
  EXPECT_TRUE(report.authority_code_valid);
  EXPECT_FALSE(report.authority_signature_valid);
}

TEST_F(XmlVerifierTest, MalformedCode) {
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report,
                       VerifyInvoiceXml(Replace(coded_, kCode, "00fe2fca280cf74806be839368a7c4ae25"),
                                        Trusting()));
  EXPECT_FALSE(report.authority_code_valid);
  EXPECT_THAT(report.authority_code_problem, HasSubstr("34 upper-case"));
}

TEST_F(XmlVerifierTest, UntrustedAuthorityKey) {
  FakeSigner impostor;
  ASSERT_OK_AND_ASSIGN(std::string cert,
                       BuildSelfSignedCertificate(impostor, impostor.default_key(),
                                                  "Cơ quan thuế thử nghiệm", Vn(2026, 1, 1),
                                                  Vn(2030, 1, 1)));
  ASSERT_OK_AND_ASSIGN(std::string forged,
                       BuildCodedInvoiceXml(seller_xml_, kCode, kNow, impostor,
                                            impostor.default_key().key_id, cert));
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report, VerifyInvoiceXml(forged, Trusting()));
  EXPECT_FALSE(report.authority_signature_valid);
  EXPECT_THAT(report.authority_signature_problem, HasSubstr("not a trusted"));
  ASSERT_OK_AND_ASSIGN(report, VerifyInvoiceXml(coded_, XmlVerifyOptions{}));
  EXPECT_THAT(report.authority_signature_problem, HasSubstr("no trusted"));
}

TEST_F(XmlVerifierTest, CodeWithoutAuthoritySignature) {
  const std::string xml = Replace(seller_xml_, "</DLHDon>", "</DLHDon><MCCQT Id=\"c\">" +
                                                                std::string(kCode) + "</MCCQT>");
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report, VerifyInvoiceXml(xml, Trusting()));
  EXPECT_TRUE(report.coded);
  EXPECT_TRUE(report.authority_code_valid);
  EXPECT_FALSE(report.authority_signature_valid);
  EXPECT_THAT(report.authority_signature_problem, HasSubstr("no authority signature"));
}

TEST_F(XmlVerifierTest, UnreadableDocument) {
  EXPECT_THAT(VerifyInvoiceXml("<HDon", Trusting()), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace einvoice
