// The seller's XMLDSig on submitted invoices: valid RSA-SHA256 / RSA-SHA1 / ECDSA signatures,
// tampering after signing, certificates that are not the seller's, expired, not registered,
// signing-time rules.
#include "xml/seller_signature.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/testing/status_matchers.h"
#include "tests/xml/support/seller_signing.h"
#include "tests/xml/support/test_pki.h"
#include "xml/invoice_xml_mapping.h"
#include "rules/signature_violations.h"
#include "xml/xmldsig.h"

namespace einvoice {

void PrintTo(const Violation& v, std::ostream* os) { *os << DebugString(v); }

namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::SellerSignOptions;
using ::einvoice::testing::SignedInvoiceXml;
using ::einvoice::testing::TestCa;
using ::einvoice::testing::TestCredential;
using ::einvoice::testing::TestKeyType;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

MATCHER_P(Violates, type, "") { return arg.code == type.code && arg.rule == type.rule; }

absl::Time Vn(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::FixedTimeZone(7 * 3600));
}

// "Now" for these tests: two days after the baseline's issue date.
const absl::Time kNow = Vn(2026, 11, 22, 9, 0);

class SellerSignatureTest : public ::testing::Test {
 protected:
  TestCredential Issue(absl::string_view tax_code, TestKeyType type = TestKeyType::kRsa2048,
                       absl::Time not_before = Vn(2026, 1, 1), absl::Time not_after = Vn(2028, 1, 1)) {
    return ca_.IssueSellerCertificate(tax_code, not_before, not_after, type);
  }
  std::string Sign(const TestCredential& c, const SellerSignOptions& options = {}) {
    absl::StatusOr<std::string> xml = SignedInvoiceXml(BaselineInvoice(), c, options);
    EXPECT_OK(xml);
    return xml.ok() ? *xml : "";
  }
  SellerSignatureResult Verify(const std::string& xml, const TestCredential& registered,
                               const SellerSignatureOptions& options = {}) {
    const std::vector<std::string> certs = {registered.certificate_der};
    return VerifySellerSignature(xml, certs, kNow, options);
  }

  TestCa ca_;
};

TEST_F(SellerSignatureTest, ValidRsaSha256) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  const SellerSignatureResult result = Verify(Sign(seller), seller);
  EXPECT_THAT(result.violations, IsEmpty());
  EXPECT_EQ(result.signature_method, xmldsig::kRsaSha256);
  ASSERT_TRUE(result.signing_time.has_value());
  EXPECT_EQ(*result.signing_time, Vn(2026, 11, 20, 10, 0));
  EXPECT_EQ(result.certificate_der, seller.certificate_der);
  EXPECT_THAT(result.certificate_subject, ::testing::HasSubstr(BaselineSellerTaxCode()));
}

TEST_F(SellerSignatureTest, ValidEcdsa) {
  const TestCredential seller = Issue(BaselineSellerTaxCode(), TestKeyType::kEcP256);
  EXPECT_THAT(Verify(Sign(seller), seller).violations, IsEmpty());
}

TEST_F(SellerSignatureTest, RsaSha1AcceptedUnlessRefused) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  const std::string xml = Sign(seller, {.rsa_sha1 = true});
  EXPECT_THAT(Verify(xml, seller).violations, IsEmpty());
  EXPECT_THAT(Verify(xml, seller, {.allow_rsa_sha1 = false}).violations,
              ElementsAre(Violates(kSellerSignatureAlgorithm)));
}

TEST_F(SellerSignatureTest, TamperedAmountAfterSigning) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  std::string xml = Sign(seller);
  const std::string from = "<ThTien>850000</ThTien>";
  ASSERT_NE(xml.find(from), std::string::npos);
  xml.replace(xml.find(from), from.size(), "<ThTien>950000</ThTien>");
  const SellerSignatureResult result = Verify(xml, seller);
  ASSERT_THAT(result.violations, ElementsAre(Violates(kSellerSignatureInvalid)));
  EXPECT_EQ(result.violations[0].field, "HDon/DSCKS/NBan/Signature");
  EXPECT_THAT(result.violations[0].message_en, ::testing::HasSubstr("DLHDon-1"));
}

TEST_F(SellerSignatureTest, TamperedSigningTime) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  std::string xml = Sign(seller);
  const std::string from = "2026-11-20T10:00:00";
  xml.replace(xml.find(from), from.size(), "2026-11-21T10:00:00");
  EXPECT_THAT(Verify(xml, seller).violations, ElementsAre(Violates(kSellerSignatureInvalid)));
}

TEST_F(SellerSignatureTest, CertificateOfAnotherSeller) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  const TestCredential other = Issue(testing::SyntheticTaxCode(777));
  // Another seller's certificate, not registered for this seller, naming another tax code.
  EXPECT_THAT(Verify(Sign(other), seller).violations,
              UnorderedElementsAre(Violates(kSellerCertificateNotRegistered),
                                   Violates(kSellerCertificateTaxCode)));
  // Even if registered for this seller by mistake, its subject names someone else.
  EXPECT_THAT(Verify(Sign(other), other).violations,
              ElementsAre(Violates(kSellerCertificateTaxCode)));
}

TEST_F(SellerSignatureTest, UnregisteredCertificateOfTheSeller) {
  const TestCredential registered = Issue(BaselineSellerTaxCode());
  const TestCredential unregistered = Issue(BaselineSellerTaxCode());
  const SellerSignatureResult result = Verify(Sign(unregistered), registered);
  ASSERT_THAT(result.violations, ElementsAre(Violates(kSellerCertificateNotRegistered)));
  EXPECT_EQ(result.violations[0].field,
            "HDon/DSCKS/NBan/Signature/KeyInfo/X509Data/X509Certificate");
}

TEST_F(SellerSignatureTest, BranchNeedsItsOwnCertificate) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_seller()->set_tax_code(BaselineSellerTaxCode() + "-001");
  const TestCredential parent = Issue(BaselineSellerTaxCode());
  ASSERT_OK_AND_ASSIGN(std::string xml, SignedInvoiceXml(invoice, parent));
  EXPECT_THAT(Verify(xml, parent).violations, ElementsAre(Violates(kSellerCertificateTaxCode)));
  const TestCredential branch = Issue(BaselineSellerTaxCode() + "-001");
  ASSERT_OK_AND_ASSIGN(xml, SignedInvoiceXml(invoice, branch));
  EXPECT_THAT(Verify(xml, branch).violations, IsEmpty());
}

TEST_F(SellerSignatureTest, ExpiredCertificate) {
  const TestCredential expired =
      Issue(BaselineSellerTaxCode(), TestKeyType::kRsa2048, Vn(2025, 1, 1), Vn(2026, 6, 30));
  EXPECT_THAT(Verify(Sign(expired), expired).violations,
              ElementsAre(Violates(kSellerCertificateNotValidAtSigning)));
}

TEST_F(SellerSignatureTest, CertificateNotYetValid) {
  const TestCredential future =
      Issue(BaselineSellerTaxCode(), TestKeyType::kRsa2048, Vn(2026, 11, 21), Vn(2028, 1, 1));
  EXPECT_THAT(Verify(Sign(future), future).violations,
              ElementsAre(Violates(kSellerCertificateNotValidAtSigning)));
}

TEST_F(SellerSignatureTest, SigningTimeInTheFuture) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  EXPECT_THAT(Verify(Sign(seller, {.signing_time = kNow + absl::Hours(1)}), seller).violations,
              ElementsAre(Violates(kSellerSigningTimeInvalid)));
  // Within the clock skew: fine.
  EXPECT_THAT(Verify(Sign(seller, {.signing_time = kNow + absl::Minutes(2)}), seller).violations,
              IsEmpty());
}

TEST_F(SellerSignatureTest, SignedBeforeIssueDate) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  EXPECT_THAT(Verify(Sign(seller, {.signing_time = Vn(2026, 11, 19, 23, 59)}), seller).violations,
              ElementsAre(Violates(kSellerSigningBeforeIssueDate)));
  // Signed on the issue day (any hour) or later: fine.
  EXPECT_THAT(Verify(Sign(seller, {.signing_time = Vn(2026, 11, 20, 0, 1)}), seller).violations,
              IsEmpty());
}

TEST_F(SellerSignatureTest, SigningTimeMustBeSigned) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  EXPECT_THAT(Verify(Sign(seller, {.reference_signing_time = false}), seller).violations,
              ElementsAre(Violates(kSellerSignatureReferences)));
}

TEST_F(SellerSignatureTest, MissingSignature) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  const SellerSignatureResult result =
      Verify(InvoiceToXml(BaselineInvoice(), "DLHDon-1"), seller);
  ASSERT_THAT(result.violations, ElementsAre(Violates(kSellerSignatureMissing)));
  EXPECT_EQ(result.violations[0].field, "HDon/DSCKS/NBan/Signature");
}

// Signature wrapping: a second element with the DLHDon's Id (e.g. a copy of the signed data
// hidden elsewhere while the real DLHDon is altered) is refused outright.
TEST_F(SellerSignatureTest, DuplicateIdRefused) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  std::string xml = Sign(seller);
  const size_t begin = xml.find("<DLHDon");
  const size_t end = xml.find("</DLHDon>") + 9;
  const std::string copy = xml.substr(begin, end - begin);
  xml.insert(xml.find("<CCKSKhac"), "<CCKSKhac>" + copy + "</CCKSKhac>");
  const SellerSignatureResult result = Verify(xml, seller);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].code, "20001");
  EXPECT_THAT(result.violations[0].message_en, ::testing::HasSubstr("duplicate Id"));
}

TEST_F(SellerSignatureTest, UnreadableDocument) {
  const TestCredential seller = Issue(BaselineSellerTaxCode());
  const SellerSignatureResult result = Verify("<HDon>", seller);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].code, "20001");
}

}  // namespace
}  // namespace einvoice
