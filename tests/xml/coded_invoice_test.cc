// The coded invoice (message 202): the seller's HDon unchanged + MCCQT + the authority's
// XMLDSig, checked by the xmlsec1 command-line tool and by our own code.
#include "xml/coded_invoice.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "signer/certificate_builder.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/signer/support/fake_signer.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/xml/support/seller_signing.h"
#include "tests/xml/support/test_pki.h"
#include "tests/xml/support/xmlsec1_cli.h"
#include "xml/qd1450_format.h"
#include "xml/safe_xml.h"
#include "xml/seller_signature.h"
#include "xml/xmldsig.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::FakeSigner;
using ::einvoice::testing::StatusIs;
using ::einvoice::testing::TestCa;
using ::einvoice::testing::TestCredential;
using ::einvoice::testing::XmlSec1Result;
using ::einvoice::testing::XmlSec1Verify;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

constexpr char kCode[] = "00FE2FCA280CF74806BE839368A7C4AE25";

absl::Time Vn(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::FixedTimeZone(7 * 3600));
}

class CodedInvoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seller_ = ca_.IssueSellerCertificate(BaselineSellerTaxCode(), Vn(2026, 1, 1), Vn(2028, 1, 1));
    absl::StatusOr<std::string> xml = testing::SignedInvoiceXml(BaselineInvoice(), seller_);
    ASSERT_OK(xml);
    seller_xml_ = *xml;
    const absl::Time now = absl::Now();
    absl::StatusOr<std::string> cert =
        BuildSelfSignedCertificate(signer_, signer_.default_key(), "Cơ quan thuế thử nghiệm",
                                   now - absl::Hours(24), now + absl::Hours(24 * 365));
    ASSERT_OK(cert);
    authority_cert_ = *cert;
  }

  absl::StatusOr<std::string> Code(const std::string& seller_xml) {
    return BuildCodedInvoiceXml(seller_xml, kCode, Vn(2026, 11, 20, 10, 1), signer_,
                                signer_.default_key().key_id, authority_cert_);
  }

  // The CQT signature's Id in `coded`.
  static std::string SignatureId(const std::string& coded) {
    const size_t at = coded.find("Id=\"Tct-");
    return at == std::string::npos ? "" : coded.substr(at + 4, 36);
  }

  TestCa ca_;
  TestCredential seller_;
  std::string seller_xml_;
  FakeSigner signer_;
  std::string authority_cert_;
};

TEST_F(CodedInvoiceTest, XmlSec1CliAcceptsTheAuthoritySignature) {
  ASSERT_OK_AND_ASSIGN(std::string coded, Code(seller_xml_));
  const XmlSec1Result cli = XmlSec1Verify(coded, SignatureId(coded),
                                      testing::CertificateDerToPem(authority_cert_));
  EXPECT_EQ(cli.exit_code, 0) << cli.output << "\n" << coded;
  EXPECT_THAT(cli.output, HasSubstr("OK"));
  EXPECT_THAT(cli.output, HasSubstr("SignedInfo References (ok/all): 3/3"));
}

TEST_F(CodedInvoiceTest, XmlSec1CliStillAcceptsTheSellerSignature) {
  ASSERT_OK_AND_ASSIGN(std::string coded, Code(seller_xml_));
  const XmlSec1Result cli =
      XmlSec1Verify(coded, "NBan-Sig", ca_.certificate_pem(), "2026-11-20 10:00:00");
  EXPECT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_THAT(cli.output, HasSubstr("SignedInfo References (ok/all): 2/2"));
}

TEST_F(CodedInvoiceTest, XmlSec1CliRejectsATamperedCode) {
  ASSERT_OK_AND_ASSIGN(std::string coded, Code(seller_xml_));
  std::string tampered = coded;
  tampered.replace(tampered.find(kCode), 34, "00AE2FCA280CF74806BE839368A7C4AE25");
  const XmlSec1Result cli = XmlSec1Verify(tampered, SignatureId(coded),
                                      testing::CertificateDerToPem(authority_cert_));
  EXPECT_NE(cli.exit_code, 0) << cli.output;
  // And a signature by another key (a certificate the CLI does not trust).
  FakeSigner other;
  ASSERT_OK_AND_ASSIGN(std::string other_cert,
                       BuildSelfSignedCertificate(other, other.default_key(), "Not CQT",
                                                  absl::Now() - absl::Hours(1),
                                                  absl::Now() + absl::Hours(24)));
  ASSERT_OK_AND_ASSIGN(std::string forged,
                       BuildCodedInvoiceXml(seller_xml_, kCode, absl::Now(), other,
                                            other.default_key().key_id, other_cert));
  EXPECT_NE(XmlSec1Verify(forged, SignatureId(forged),
                          testing::CertificateDerToPem(authority_cert_)).exit_code, 0);
}

TEST_F(CodedInvoiceTest, OwnVerifierAcceptsIt) {
  ASSERT_OK_AND_ASSIGN(std::string coded, Code(seller_xml_));
  ASSERT_OK_AND_ASSIGN(XmlDocPtr doc, ParseXmlSafely(coded));
  ASSERT_OK(xmldsig::RegisterIds(doc.get()));
  xmlNode* sig = xmldsig::ElementById(doc.get(), SignatureId(coded));
  ASSERT_NE(sig, nullptr);
  EXPECT_OK(xmldsig::Verify(doc.get(), sig, authority_cert_,
                            {.signature_methods = {xmldsig::kEcdsaSha256}}));
}

TEST_F(CodedInvoiceTest, LayoutLikeTheAuthority) {
  ASSERT_OK_AND_ASSIGN(std::string coded, Code(seller_xml_));
  ASSERT_OK_AND_ASSIGN(XmlDocPtr doc, ParseXmlSafely(coded));
  ASSERT_OK(xmldsig::RegisterIds(doc.get()));
  xmlNode* root = xmlDocGetRootElement(doc.get());
  std::vector<std::string> top;
  for (xmlNode* c : xmlutil::ChildElements(root)) top.emplace_back(xmlutil::Name(c));
  EXPECT_THAT(top, ::testing::ElementsAre("DLHDon", "MCCQT", "DSCKS"));
  xmlNode* mccqt = xmlutil::FirstChild(root, "MCCQT");
  EXPECT_EQ(xmlutil::Text(mccqt), kCode);
  EXPECT_THAT(xmlutil::Attribute(mccqt, "Id"), MatchesRegex("Id-[0-9A-F]{32}"));
  std::vector<std::string> signers;
  for (xmlNode* c : xmlutil::ChildElements(xmlutil::FirstChild(root, "DSCKS"))) {
    signers.emplace_back(xmlutil::Name(c));
  }
  EXPECT_THAT(signers, ::testing::ElementsAre("NBan", "NMua", "CQT", "CCKSKhac"));
  xmlNode* sig = xmlutil::FirstChildNs(
      xmlutil::FirstChild(xmlutil::FirstChild(root, "DSCKS"), "CQT"), "Signature", xmldsig::kNs);
  ASSERT_NE(sig, nullptr);
  ASSERT_OK_AND_ASSIGN(xmldsig::SignatureLayout layout, xmldsig::ReadLayout(sig));
  EXPECT_THAT(layout.id, MatchesRegex("Tct-[0-9A-F]{32}"));
  EXPECT_EQ(layout.c14n_method, xmldsig::kC14n10);
  EXPECT_EQ(layout.signature_method, xmldsig::kEcdsaSha256);
  ASSERT_EQ(layout.references.size(), 3u);
  EXPECT_EQ(layout.references[0].uri, "#DLHDon-1");
  EXPECT_EQ(layout.references[1].uri, "#" + xmlutil::Attribute(mccqt, "Id"));
  EXPECT_THAT(layout.references[2].uri, MatchesRegex("#SigningTime-[0-9A-F]{32}"));
  for (const auto& ref : layout.references) {
    EXPECT_THAT(ref.transforms, IsEmpty());
    EXPECT_EQ(ref.digest_method, xmldsig::kSha256);
  }
  ASSERT_EQ(layout.certificates_der.size(), 1u);
  EXPECT_EQ(layout.certificates_der[0], authority_cert_);
  EXPECT_THAT(layout.subject_name, HasSubstr("CN=Cơ quan thuế thử nghiệm"));
  xmlNode* object = xmldsig::ElementById(doc.get(), layout.references[2].uri.substr(1));
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(xmldsig::FindSigningTime(object), "2026-11-20T10:01:00");
  // XMLDSig ECDSA signature value: r || s, 64 bytes.
  EXPECT_EQ(xmldsig::Base64Decode(xmlutil::Text(xmlutil::FirstChildNs(sig, "SignatureValue",
                                                                      xmldsig::kNs)))->size(),
            64u);
}

TEST_F(CodedInvoiceTest, SellerPartUnchanged) {
  ASSERT_OK_AND_ASSIGN(std::string coded, Code(seller_xml_));
  // The seller's signed data and signature are byte-identical in the output...
  const auto slice = [](const std::string& s, const std::string& from, const std::string& to) {
    const size_t a = s.find(from);
    return s.substr(a, s.find(to, a) + to.size() - a);
  };
  EXPECT_EQ(slice(coded, "<DLHDon", "</DLHDon>"), slice(seller_xml_, "<DLHDon", "</DLHDon>"));
  EXPECT_EQ(slice(coded, "<NBan><Signature", "</NBan>"),
            slice(seller_xml_, "<NBan><Signature", "</NBan>"));
  // ...so the seller's signature still verifies, and the invoice still maps to the same data.
  EXPECT_THAT(VerifySellerSignature(coded, std::vector<std::string>{seller_.certificate_der},
                                    Vn(2026, 11, 22))
                  .violations,
              IsEmpty());
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(coded, {.allow_authority_parts = true}));
  EXPECT_THAT(parsed.violations, IsEmpty());
  EXPECT_EQ(parsed.authority_code, kCode);
}

// QĐ1450 v2.1.0: a seller-signed HDon using every element the standard defines is coded with
// each element byte for byte where the seller put it, and both signatures verify (the
// authority's with xmlsec1 3/3, the seller's with xmlsec1 2/2 and our own check).
TEST_F(CodedInvoiceTest, EveryV210ElementSurvivesByteForByte) {
  const v1::Invoice invoice = testing::FullV210Invoice();
  ASSERT_OK_AND_ASSIGN(std::string seller_xml, testing::SignedInvoiceXml(invoice, seller_));
  ASSERT_OK_AND_ASSIGN(std::string coded, Code(seller_xml));
  const auto slice = [](const std::string& s, const std::string& from, const std::string& to) {
    const size_t a = s.find(from);
    return s.substr(a, s.find(to, a) + to.size() - a);
  };
  EXPECT_EQ(slice(coded, "<DLHDon", "</DLHDon>"), slice(seller_xml, "<DLHDon", "</DLHDon>"));
  for (const char* element :
       {"<MHSo>HS-2026-0001</MHSo>", "<HDDCKPTQuan>1</HDDCKPTQuan>", "<SBKe>BK-01/11</SBKe>",
        "<NBKe>2026-11-20</NBKe>", "<TDVNUNLHDon>Đơn vị nhận ủy nhiệm thử nghiệm</TDVNUNLHDon>",
        "<DCDVNUNLHDon>", "<MSTDVNUNLHDon>", "<HDCTTChinh>0</HDCTTChinh>",
        "<SBKCLQuan>BK-ĐC-01</SBKCLQuan>", "<NBKCLQuan>2026-11-15</NBKCLQuan>",
        "<Fax>0240000001</Fax>", "<Website>https://thu-nghiem.example.invalid</Website>",
        "<MCHang>CH-01</MCHang>", "<TCHang>Cửa hàng thử nghiệm số 1</TCHang>",
        "<MDVQHNSach>1234567</MDVQHNSach>", "<TThue>68000</TThue>", "<TSThue>918000</TSThue>",
        "<TTHHDTrung><TTin><TTruong>Số khung</TTruong>", "<TGTKCThue>136500</TGTKCThue>",
        "<TGTKhac>0</TGTKhac>",
        "<DSLPhi><LPhi><TLPhi>Phí bảo vệ môi trường</TLPhi><TPhi>20000</TPhi></LPhi>",
        "<TLPhi>Lệ phí &amp; phụ thu</TLPhi>", "<DLieu>CN&lt;1&gt;</DLieu>",
        "<DLieu>HĐ-01</DLieu>", "<DLieu>L-2026-11</DLieu>", "<DLieu>2026-12-20</DLieu>",
        "<DLieu>thử nghiệm</DLieu>", "<DLieu>1.0 &gt; 0.9</DLieu></TTin></TTKhac></DLHDon>"}) {
    EXPECT_THAT(coded, HasSubstr(element));
  }
  const XmlSec1Result authority = XmlSec1Verify(coded, SignatureId(coded),
                                                testing::CertificateDerToPem(authority_cert_));
  EXPECT_EQ(authority.exit_code, 0) << authority.output;
  EXPECT_THAT(authority.output, HasSubstr("SignedInfo References (ok/all): 3/3"));
  const XmlSec1Result seller =
      XmlSec1Verify(coded, "NBan-Sig", ca_.certificate_pem(), "2026-11-20 10:00:00");
  EXPECT_EQ(seller.exit_code, 0) << seller.output;
  EXPECT_THAT(seller.output, HasSubstr("SignedInfo References (ok/all): 2/2"));
  EXPECT_THAT(VerifySellerSignature(coded, std::vector<std::string>{seller_.certificate_der},
                                    Vn(2026, 11, 22))
                  .violations,
              IsEmpty());
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(coded, {.allow_authority_parts = true}));
  EXPECT_THAT(parsed.violations, IsEmpty());
  EXPECT_EQ(parsed.invoice.SerializeAsString(), invoice.SerializeAsString());
}

// A delivery note (template 6) keeps its party elements byte for byte, both signatures intact.
TEST_F(CodedInvoiceTest, DeliveryNoteElementsSurviveByteForByte) {
  ASSERT_OK_AND_ASSIGN(std::string seller_xml,
                       testing::SignedInvoiceXml(testing::DeliveryNoteInvoice(), seller_));
  ASSERT_OK_AND_ASSIGN(std::string coded, Code(seller_xml));
  const size_t from = seller_xml.find("<DLHDon");
  const std::string dlhdon =
      seller_xml.substr(from, seller_xml.find("</DLHDon>") + 9 - from);
  EXPECT_THAT(coded, HasSubstr(dlhdon));
  EXPECT_THAT(coded, HasSubstr("<LDDNBo>LĐĐ-2026/11-01</LDDNBo>"));
  EXPECT_THAT(coded, HasSubstr("<HVTNNHang>Phạm Văn Nhận</HVTNNHang>"));
  EXPECT_EQ(XmlSec1Verify(coded, SignatureId(coded),
                          testing::CertificateDerToPem(authority_cert_)).exit_code,
            0);
  EXPECT_EQ(
      XmlSec1Verify(coded, "NBan-Sig", ca_.certificate_pem(), "2026-11-20 10:00:00").exit_code,
      0);
}

TEST_F(CodedInvoiceTest, RefusesAnAlreadyCodedInvoice) {
  ASSERT_OK_AND_ASSIGN(std::string coded, Code(seller_xml_));
  EXPECT_THAT(Code(coded), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("MCCQT")));
}

TEST_F(CodedInvoiceTest, CertificateMustBeForTheKey) {
  ASSERT_OK_AND_ASSIGN(PublicKey other, signer_.GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  EXPECT_THAT(BuildCodedInvoiceXml(seller_xml_, kCode, absl::Now(), signer_, other.key_id,
                                   authority_cert_),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(signer_.sign_calls(), 1);  // only the certificate's own signature
}

TEST_F(CodedInvoiceTest, SignerOutagePassesThrough) {
  signer_.FailNext(1, absl::UnavailableError("token unreachable"));
  EXPECT_THAT(Code(seller_xml_), StatusIs(absl::StatusCode::kUnavailable));
}

// The authority's RSA-3072 key (RSA-SHA256, for compatibility with the real authority's
// signatures): same structure, rsa-sha256 SignatureMethod, accepted by xmlsec1 and by our
// own verifier.
TEST_F(CodedInvoiceTest, RsaAuthorityKeyXmlSec1CliAcceptsTheSignature) {
  ASSERT_OK_AND_ASSIGN(PublicKey rsa, signer_.GenerateKey(KeyAlgorithm::kRsa3072Sha256));
  const absl::Time now = absl::Now();
  ASSERT_OK_AND_ASSIGN(std::string rsa_cert,
                       BuildSelfSignedCertificate(signer_, rsa, "Cơ quan thuế thử nghiệm RSA",
                                                  now - absl::Hours(24),
                                                  now + absl::Hours(24 * 365)));
  ASSERT_OK_AND_ASSIGN(std::string coded,
                       BuildCodedInvoiceXml(seller_xml_, kCode, Vn(2026, 11, 20, 10, 1), signer_,
                                            rsa.key_id, rsa_cert));
  EXPECT_THAT(coded, HasSubstr(absl::StrCat("<SignatureMethod Algorithm=\"",
                                            xmldsig::kRsaSha256, "\"/>")));
  const XmlSec1Result cli =
      XmlSec1Verify(coded, SignatureId(coded), testing::CertificateDerToPem(rsa_cert));
  EXPECT_EQ(cli.exit_code, 0) << cli.output << "\n" << coded;
  EXPECT_THAT(cli.output, HasSubstr("OK"));
  EXPECT_THAT(cli.output, HasSubstr("SignedInfo References (ok/all): 3/3"));
  // Not under another certificate.
  EXPECT_NE(XmlSec1Verify(coded, SignatureId(coded),
                          testing::CertificateDerToPem(authority_cert_))
                .exit_code,
            0);

  ASSERT_OK_AND_ASSIGN(XmlDocPtr doc, ParseXmlSafely(coded));
  ASSERT_OK(xmldsig::RegisterIds(doc.get()));
  xmlNode* sig = xmldsig::ElementById(doc.get(), SignatureId(coded));
  ASSERT_NE(sig, nullptr);
  EXPECT_OK(
      xmldsig::Verify(doc.get(), sig, rsa_cert, {.signature_methods = {xmldsig::kRsaSha256}}));
  // The seller's signature is untouched.
  EXPECT_EQ(
      XmlSec1Verify(coded, "NBan-Sig", ca_.certificate_pem(), "2026-11-20 10:00:00").exit_code,
      0);
}

}  // namespace
}  // namespace einvoice
