// The T-VAN envelope round trip: 200 → 999 + 202 (coded) / 204 (not eligible).
#include "xml/tvan_envelope.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/invoice_validator.h"
#include "signer/certificate_builder.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/signer/support/fake_signer.h"
#include "tests/testing/status_matchers.h"
#include "tests/xml/support/seller_signing.h"
#include "tests/xml/support/test_pki.h"
#include "tests/xml/support/xmlsec1_cli.h"
#include "xml/coded_invoice.h"
#include "xml/qd1450_format.h"
#include "xml/safe_xml.h"
#include "xml/seller_signature.h"
#include "xml/xml_verifier.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::FakeSigner;
using ::einvoice::testing::StatusIs;
using ::einvoice::testing::XmlSec1Result;
using ::einvoice::testing::XmlSec1Verify;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

constexpr char kCode[] = "00FE2FCA280CF74806BE839368A7C4AE25";
constexpr char kRequestId[] = "V0101243150A1B2C3D4E5F60718293A4B5C6D7E8F";

absl::Time Vn(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::FixedTimeZone(7 * 3600));
}
const absl::Time kNow = Vn(2026, 11, 22, 9, 0);

std::string StripDeclaration(const std::string& xml) {
  return xml.rfind("<?xml", 0) == 0 ? xml.substr(xml.find("?>") + 2) : xml;
}

// A type-200 message from T-VAN "V0101243150" carrying `hdon_xml`.
std::string Message200(const std::string& hdon_xml) {
  return absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<TDiep xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><TTChung><PBan>2.1.0</PBan>"
      "<MNGui>V0101243150</MNGui><MNNhan>TCT</MNNhan><MLTDiep>200</MLTDiep>"
      "<MTDiep>", kRequestId, "</MTDiep><MTDTChieu></MTDTChieu><MST>", BaselineSellerTaxCode(),
      "</MST><SLuong>1</SLuong></TTChung><DLieu>", StripDeclaration(hdon_xml),
      "</DLieu></TDiep>");
}

// Text of `path` (element names separated by '/') from the root of `xml`.
std::string Get(const std::string& xml, std::initializer_list<const char*> path) {
  absl::StatusOr<XmlDocPtr> doc = ParseXmlSafely(xml);
  EXPECT_OK(doc);
  if (!doc.ok()) return "";
  xmlNode* n = xmlDocGetRootElement(doc->get());
  for (const char* name : path) n = xmlutil::FirstChild(n, name);
  return xmlutil::Text(n);
}

class TvanEnvelopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seller_ = ca_.IssueSellerCertificate(BaselineSellerTaxCode(), Vn(2026, 1, 1), Vn(2028, 1, 1));
    absl::StatusOr<std::string> cert = BuildSelfSignedCertificate(
        signer_, signer_.default_key(), "Cơ quan thuế thử nghiệm", Vn(2026, 1, 1), Vn(2030, 1, 1));
    ASSERT_OK(cert);
    authority_cert_ = *cert;
  }

  AuthoritySigningKey AuthorityKey() {
    return AuthoritySigningKey{&signer_, signer_.default_key().key_id, authority_cert_, kNow};
  }

  testing::TestCa ca_;
  testing::TestCredential seller_;
  FakeSigner signer_;
  std::string authority_cert_;
};

TEST_F(TvanEnvelopeTest, Message200To999And202) {
  ASSERT_OK_AND_ASSIGN(std::string hdon, testing::SignedInvoiceXml(BaselineInvoice(), seller_));
  ASSERT_OK_AND_ASSIGN(TDiepMessage in, ParseTDiep(Message200(hdon)));
  EXPECT_EQ(in.header.type, "200");
  EXPECT_EQ(in.header.sender, "V0101243150");
  EXPECT_EQ(in.header.receiver, "TCT");
  EXPECT_EQ(in.header.message_id, kRequestId);
  EXPECT_EQ(in.header.tax_code, BaselineSellerTaxCode());
  EXPECT_EQ(in.header.count, "1");

  // The payload is the seller's HDon: signature intact, same invoice, no violations.
  EXPECT_THAT(VerifySellerSignature(in.payload_xml, std::vector<std::string>{seller_.certificate_der},
                                    kNow).violations,
              IsEmpty());
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(in.payload_xml));
  EXPECT_THAT(MergeRuleViolations(parsed, ValidateInvoice(parsed.invoice, testing::kBaselineToday)),
              IsEmpty());

  // 999.
  const std::string receipt = BuildReceipt999(in.header, kNow, {});
  EXPECT_EQ(Get(receipt, {"TTChung", "MLTDiep"}), "999");
  EXPECT_EQ(Get(receipt, {"TTChung", "MNGui"}), "TCT");
  EXPECT_EQ(Get(receipt, {"TTChung", "MNNhan"}), "V0101243150");
  EXPECT_EQ(Get(receipt, {"TTChung", "MTDTChieu"}), kRequestId);
  EXPECT_THAT(Get(receipt, {"TTChung", "MTDiep"}), MatchesRegex("TCT[0-9A-F]{32}"));
  EXPECT_EQ(Get(receipt, {"DLieu", "TBao", "MTDiep"}), kRequestId);
  EXPECT_EQ(Get(receipt, {"DLieu", "TBao", "TTTNhan"}), "0");
  EXPECT_EQ(Get(receipt, {"DLieu", "TBao", "NNhan"}), "2026-11-22T09:00:00");

  // 202: the coded invoice travels intact inside the envelope.
  ASSERT_OK_AND_ASSIGN(std::string coded,
                       BuildCodedInvoiceXml(in.payload_xml, kCode, kNow, signer_,
                                            signer_.default_key().key_id, authority_cert_));
  ASSERT_OK_AND_ASSIGN(std::string answer, BuildCodedInvoice202(in.header, coded));
  EXPECT_EQ(Get(answer, {"TTChung", "MLTDiep"}), "202");
  EXPECT_EQ(Get(answer, {"TTChung", "MTDTChieu"}), kRequestId);
  EXPECT_NE(Get(answer, {"TTChung", "MTDiep"}), Get(receipt, {"TTChung", "MTDiep"}));
  EXPECT_EQ(Get(answer, {"DLieu", "HDon", "MCCQT"}), kCode);
  ASSERT_OK_AND_ASSIGN(TDiepMessage out, ParseTDiep(answer));
  XmlVerifyOptions trust;
  trust.authority_certificates_der = {authority_cert_};
  trust.now = kNow;
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report, VerifyInvoiceXml(out.payload_xml, trust));
  EXPECT_TRUE(report.ok()) << report.Summary();
  // What a T-VAN runs on the 202 as received: xmlsec1 accepts the authority's signature inside
  // the envelope, and the seller's.
  const std::string tct_id = answer.substr(answer.find("Id=\"Tct-") + 4, 36);
  XmlSec1Result cli = XmlSec1Verify(answer, tct_id, testing::CertificateDerToPem(authority_cert_));
  EXPECT_EQ(cli.exit_code, 0) << cli.output << "\n" << answer;
  cli = XmlSec1Verify(answer, "NBan-Sig", ca_.certificate_pem(), "2026-11-20 10:00:00");
  EXPECT_EQ(cli.exit_code, 0) << cli.output;
  // No warnings, no DSCBao.
  EXPECT_THAT(answer, ::testing::Not(HasSubstr("DSCBao")));
}

TEST_F(TvanEnvelopeTest, The202CarriesTheWarningsOutsideTheCodedInvoice) {
  ASSERT_OK_AND_ASSIGN(std::string hdon, testing::SignedInvoiceXml(BaselineInvoice(), seller_));
  ASSERT_OK_AND_ASSIGN(TDiepMessage in, ParseTDiep(Message200(hdon)));
  ASSERT_OK_AND_ASSIGN(std::string coded,
                       BuildCodedInvoiceXml(in.payload_xml, kCode, kNow, signer_,
                                            signer_.default_key().key_id, authority_cert_));
  Violation warning;
  warning.code = "20712";
  warning.field = "HDon/DLHDon/NDHDon/TToan/TgTTTBSo";
  warning.message_vi = "Tổng tiền thanh toán không đúng: expected 1, got 2";
  warning.severity = Severity::kWarn;
  ASSERT_OK_AND_ASSIGN(std::string answer, BuildCodedInvoice202(in.header, coded, {&warning, 1}));
  EXPECT_EQ(Get(answer, {"DSCBao", "CBao", "MLoi"}), "20712");
  EXPECT_EQ(Get(answer, {"DSCBao", "CBao", "MTLoi"}), NoticeReason(warning));
  EXPECT_EQ(Get(answer, {"DSCBao", "CBao", "HDXLy"}), HowToFix("20712"));
  // The coded invoice is untouched: its signature still verifies.
  const std::string tct_id = answer.substr(answer.find("Id=\"Tct-") + 4, 36);
  const XmlSec1Result cli =
      XmlSec1Verify(answer, tct_id, testing::CertificateDerToPem(authority_cert_));
  EXPECT_EQ(cli.exit_code, 0) << cli.output;
}

TEST_F(TvanEnvelopeTest, Message200To999And204) {
  // Signed, then an amount changed and a malformed citizen id: not eligible.
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_buyer()->set_citizen_id("12345");
  ASSERT_OK_AND_ASSIGN(std::string hdon, testing::SignedInvoiceXml(invoice, seller_));
  hdon.replace(hdon.find("<ThTien>850000</ThTien>"), 23, "<ThTien>950000</ThTien>");
  ASSERT_OK_AND_ASSIGN(TDiepMessage in, ParseTDiep(Message200(hdon)));
  const std::string receipt = BuildReceipt999(in.header, kNow, {});
  EXPECT_EQ(Get(receipt, {"DLieu", "TBao", "TTTNhan"}), "0");

  std::vector<Violation> violations =
      VerifySellerSignature(in.payload_xml, std::vector<std::string>{seller_.certificate_der}, kNow)
          .violations;
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(in.payload_xml));
  for (Violation& v : MergeRuleViolations(parsed, ValidateInvoice(parsed.invoice, testing::kBaselineToday))) {
    violations.push_back(std::move(v));
  }
  ASSERT_GE(violations.size(), 2u);

  NoticeDetails details;
  details.checked_at = kNow;
  details.seller_name = parsed.invoice.seller().name();
  details.template_code = "1";
  details.symbol = "C26TAA";
  details.number = "1";
  details.issue_date = "2026-11-20";
  ASSERT_OK_AND_ASSIGN(const std::string notice,
                       BuildNotEligible204(in.header, details, violations, AuthorityKey()));
  EXPECT_EQ(Get(notice, {"TTChung", "MLTDiep"}), "204");
  EXPECT_EQ(Get(notice, {"TTChung", "MTDTChieu"}), kRequestId);
  EXPECT_EQ(Get(notice, {"DLieu", "TBao", "DLTBao", "MSo"}), "01/TB-KTDL");
  // LTBao 1: not eligible for a code (2 would tell the T-VAN the data is valid).
  EXPECT_EQ(Get(notice, {"DLieu", "TBao", "DLTBao", "LTBao"}), "1");
  EXPECT_EQ(Get(notice, {"DLieu", "TBao", "DLTBao", "SLuong"}), "1");
  EXPECT_THAT(Get(notice, {"DLieu", "TBao", "DLTBao", "So"}), ::testing::MatchesRegex("[0-9]{12}"));
  EXPECT_EQ(Get(notice, {"DLieu", "TBao", "DLTBao", "NTBao"}), "2026-11-22");
  EXPECT_EQ(Get(notice, {"DLieu", "TBao", "DLTBao", "LCMa", "KHHDon"}), "C26TAA");
  EXPECT_EQ(Get(notice, {"DLieu", "TBao", "DLTBao", "LCMa", "SHDon"}), "1");
  EXPECT_EQ(Get(notice, {"DLieu", "TBao", "DLTBao", "MGDDTu"}), kRequestId);
  EXPECT_EQ(Get(notice, {"DLieu", "TBao", "DLTBao", "MST"}), BaselineSellerTaxCode());

  ASSERT_OK_AND_ASSIGN(XmlDocPtr doc, ParseXmlSafely(notice));
  xmlNode* list = xmlutil::FirstChild(
      xmlutil::FirstChild(
          xmlutil::FirstChild(
              xmlutil::FirstChild(xmlutil::FirstChild(xmlDocGetRootElement(doc.get()), "DLieu"),
                                  "TBao"),
              "DLTBao"),
          "LCMa"),
      "DSLDo");
  std::vector<xmlNode*> reasons = xmlutil::ChildElements(list);
  ASSERT_EQ(reasons.size(), violations.size());
  std::vector<std::string> codes;
  for (size_t i = 0; i < reasons.size(); ++i) {
    codes.push_back(xmlutil::Text(xmlutil::FirstChild(reasons[i], "MLoi")));
    EXPECT_EQ(xmlutil::Text(xmlutil::FirstChild(reasons[i], "MTLoi")), NoticeReason(violations[i]));
    EXPECT_FALSE(xmlutil::Text(xmlutil::FirstChild(reasons[i], "HDXLy")).empty());
  }
  EXPECT_THAT(codes, ::testing::Contains("20902"));  // amount changed after signing
  EXPECT_THAT(codes, ::testing::Contains("20001"));  // CCCDan
  // MTLoi as the real authority writes it: message, newline, "XPath : detail".
  EXPECT_THAT(notice, HasSubstr("Sai định dạng dữ liệu\nHDon/DLHDon/NDHDon/NMua/CCCDan : "));
  EXPECT_THAT(notice, HasSubstr("Kiểm tra lại định dạng dữ liệu"));

  // Signed by the authority over DLTBao, with a SigningTime object, as the real notices are;
  // checked by xmlsec1 trusting only the authority's certificate.
  const std::string tct_id = notice.substr(notice.find("Id=\"Tct-") + 4, 36);
  EXPECT_THAT(tct_id, MatchesRegex("Tct-[0-9A-F]{32}"));
  const XmlSec1Result cli =
      XmlSec1Verify(notice, tct_id, testing::CertificateDerToPem(authority_cert_));
  EXPECT_EQ(cli.exit_code, 0) << cli.output << "\n" << notice;
  EXPECT_THAT(cli.output, HasSubstr("SignedInfo References (ok/all): 2/2"));
  const std::string dl_id = notice.substr(notice.find("<DLTBao Id=\"") + 12, 35);
  EXPECT_THAT(dl_id, MatchesRegex("Id-[0-9A-F]{32}"));
  EXPECT_THAT(notice, HasSubstr(absl::StrCat("URI=\"#", dl_id, "\"")));
  EXPECT_THAT(notice, HasSubstr("<SigningTime>2026-11-22T09:00:00</SigningTime>"));
  EXPECT_THAT(notice, HasSubstr("xmldsig-more#ecdsa-sha256"));

  // A changed notice no longer verifies.
  std::string tampered = notice;
  tampered.replace(tampered.find("<LTBao>1</LTBao>"), 16, "<LTBao>2</LTBao>");
  EXPECT_NE(XmlSec1Verify(tampered, tct_id, testing::CertificateDerToPem(authority_cert_))
                .exit_code,
            0);
  // And a key the certificate is not for cannot sign one.
  AuthoritySigningKey wrong = AuthorityKey();
  wrong.key_id = "not-the-key";
  EXPECT_THAT(BuildNotEligible204(in.header, details, violations, wrong),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(NoticeReasonTest, MessageNewlineXPathDetail) {
  Violation v;
  v.code = "20001";
  v.field = "HDon/DLHDon/NDHDon/NMua/CCCDan";
  v.message_vi = "Sai định dạng dữ liệu: định dạng CCCD không hợp lệ";
  EXPECT_EQ(NoticeReason(v),
            "Sai định dạng dữ liệu\nHDon/DLHDon/NDHDon/NMua/CCCDan : định dạng CCCD không hợp lệ");
  v.message_vi = "Hóa đơn chưa có chữ ký số của người bán";  // no detail
  EXPECT_EQ(NoticeReason(v), "Hóa đơn chưa có chữ ký số của người bán\n"
                             "HDon/DLHDon/NDHDon/NMua/CCCDan : Hóa đơn chưa có chữ ký số của người bán");
  v.field.clear();  // the invoice as a whole
  EXPECT_EQ(NoticeReason(v), "Hóa đơn chưa có chữ ký số của người bán");
  EXPECT_EQ(NoticeNumber("0123456789ABCDEF"), "250999896491");  // 0x0123456789AB mod 10^12
}

TEST_F(TvanEnvelopeTest, TechnicalErrorReceipt) {
  TDiepHeader header;
  header.sender = "V0101243150";
  header.message_id = kRequestId;
  const std::vector<TechnicalError> errors = {{"10001", "Không đọc được thông điệp"}};
  const std::string receipt = BuildReceipt999(header, kNow, errors, "TCT0123456789ABCDEF0123456789ABCDEF");
  EXPECT_EQ(Get(receipt, {"TTChung", "MTDiep"}), "TCT0123456789ABCDEF0123456789ABCDEF");
  EXPECT_EQ(Get(receipt, {"DLieu", "TBao", "TTTNhan"}), "1");
  EXPECT_EQ(Get(receipt, {"DLieu", "TBao", "DSLDo", "LDo", "MLoi"}), "10001");
}

TEST_F(TvanEnvelopeTest, MalformedMessages) {
  EXPECT_THAT(ParseTDiep("<HDon/>"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("TDiep")));
  EXPECT_THAT(ParseTDiep("<TDiep><TTChung><MNGui>V</MNGui><MLTDiep>200</MLTDiep></TTChung></TDiep>"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("MTDiep")));
  EXPECT_THAT(ParseTDiep("<!DOCTYPE x [<!ENTITY a \"b\">]><TDiep/>"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("DOCTYPE")));
  EXPECT_THAT(BuildCodedInvoice202(TDiepHeader{}, "<NotHDon/>"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MessageIdTest, Shape) {
  const std::string a = NewAuthorityMessageId();
  EXPECT_THAT(a, MatchesRegex("TCT[0-9A-F]{32}"));
  EXPECT_NE(a, NewAuthorityMessageId());
}

}  // namespace
}  // namespace einvoice
