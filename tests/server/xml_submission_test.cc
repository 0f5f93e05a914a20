// In-process gRPC tests of XML submissions (QĐ1450 with XMLDSig) and the T-VAN exchange.
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "signer/digest.h"
#include "tests/server/server_fixture.h"
#include "tests/xml/support/seller_signing.h"
#include "tests/xml/support/test_pki.h"
#include "tests/xml/support/xmlsec1_cli.h"
#include "xml/safe_xml.h"
#include "xml/tvan_envelope.h"
#include "xml/xml_verifier.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::ServerFixture;
using ::einvoice::testing::SignedInvoiceXml;
using ::einvoice::testing::TestCa;
using ::einvoice::testing::TestCredential;
using ::testing::Contains;
using ::testing::SizeIs;
using ::testing::StartsWith;

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

class XmlSubmissionTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    Configure();
    StartServer();
    seller_ = ca_.IssueSellerCertificate(BaselineInvoice().seller().tax_code(), Day(2026, 1, 1),
                                         Day(2027, 12, 31));
    v1::RegisterSellerRequest request;
    request.set_tax_code(BaselineInvoice().seller().tax_code());
    request.set_name("Công ty TNHH Thử Nghiệm");
    request.add_certificates_der(seller_.certificate_der);
    v1::Seller seller;
    grpc::ClientContext context;
    ASSERT_TRUE(officer_->RegisterSeller(&context, request, &seller).ok());
  }

  // Tests may change options_ here, before the server starts.
  virtual void Configure() {}

  std::string SignedXml(const v1::Invoice& invoice, const TestCredential& credential,
                        const testing::SellerSignOptions& sign_options = {}) {
    absl::StatusOr<std::string> xml = SignedInvoiceXml(invoice, credential, sign_options);
    EXPECT_TRUE(xml.ok()) << xml.status();
    return xml.value_or("");
  }

  grpc::Status SubmitXml(const std::string& xml, v1::SubmitInvoiceResponse* response) {
    v1::SubmitInvoiceRequest request;
    request.set_invoice_xml(xml);
    grpc::ClientContext context;
    return authority_->SubmitInvoice(&context, request, response);
  }

  XmlVerifyOptions TrustTheAuthority() {
    v1::GetSigningKeysResponse keys;
    grpc::ClientContext context;
    EXPECT_TRUE(authority_->GetSigningKeys(&context, {}, &keys).ok());
    XmlVerifyOptions options;
    for (const v1::SigningKey& key : keys.keys()) {
      EXPECT_FALSE(key.certificate_der().empty());
      options.authority_certificates_der.push_back(key.certificate_der());
    }
    options.now = clock_.Now();
    return options;
  }

  TestCa ca_;
  TestCredential seller_;
};

TEST_F(XmlSubmissionTest, AcceptsASignedInvoiceAndReturnsTheCodedXml) {
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = SubmitXml(SignedXml(BaselineInvoice(), seller_), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::AuthenticatedInvoice& accepted = response.accepted();
  ASSERT_FALSE(accepted.coded_xml().empty());
  absl::StatusOr<XmlVerifyReport> report = VerifyInvoiceXml(accepted.coded_xml(), TrustTheAuthority());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok()) << report->Summary();
  EXPECT_NE(accepted.coded_xml().find(accepted.authority_code()), std::string::npos);
  // The structured record is the mapped invoice: the same as the protobuf form.
  v1::AuthenticationRecord record;
  ASSERT_TRUE(record.ParseFromString(accepted.signed_record()));
  EXPECT_EQ(record.invoice().SerializeAsString(), BaselineInvoice().SerializeAsString());
}

TEST_F(XmlSubmissionTest, RealShapesAreCodedWithWarningsNamedByXPath) {
  // Coded by the real authority (domain brief §7): no total in words, all lines not subject to
  // VAT with an empty rate summary. The default `authority` profile codes them and says why.
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_totals()->clear_total_payable_in_words();
  for (v1::LineItem& line : *invoice.mutable_lines()) line.set_vat_rate("KCT");
  invoice.mutable_totals()->clear_rate_summaries();
  invoice.mutable_totals()->set_total_tax("0");
  invoice.mutable_totals()->set_total_payable(invoice.totals().total_before_tax());
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = SubmitXml(SignedXml(invoice, seller_), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::AuthenticatedInvoice& accepted = response.accepted();
  std::vector<std::string> warned;
  for (const v1::Violation& warning : accepted.warnings()) {
    EXPECT_EQ(warning.severity(), v1::VIOLATION_SEVERITY_WARNING);
    EXPECT_EQ(warning.field().rfind("HDon/", 0), 0u) << warning.field();  // an XPath
    warned.push_back(warning.rule());
  }
  EXPECT_THAT(warned, ::testing::UnorderedElementsAre("totals.rate_summary_missing",
                                                      "totals.amount_in_words_missing"));
  // The coded XML is signed and intact; the warnings are beside it, not in it.
  absl::StatusOr<XmlVerifyReport> report = VerifyInvoiceXml(accepted.coded_xml(), TrustTheAuthority());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok()) << report->Summary();
  // GetInvoice returns the warnings with the record.
  v1::GetInvoiceRequest get;
  get.set_authority_code(accepted.authority_code());
  v1::AuthenticatedInvoice fetched;
  grpc::ClientContext context;
  ASSERT_TRUE(authority_->GetInvoice(&context, get, &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), accepted.SerializeAsString());
}

// QĐ1450 v2.1.0 end to end: a seller-signed HDon using every element the standard defines is
// coded (SubmitInvoice with invoice_xml); the coded XML holds the seller's DLHDon byte for
// byte, both signatures verify, and the structured record carries every element too.
TEST_F(XmlSubmissionTest, EveryV210ElementIsCodedWithBothSignaturesIntact) {
  const v1::Invoice invoice = testing::FullV210Invoice();
  const std::string xml = SignedXml(invoice, seller_);
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = SubmitXml(xml, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::AuthenticatedInvoice& accepted = response.accepted();
  EXPECT_EQ(accepted.warnings_size(), 0);
  const std::string& coded = accepted.coded_xml();
  const auto dlhdon = [](const std::string& s) {
    const size_t a = s.find("<DLHDon");
    return s.substr(a, s.find("</DLHDon>", a) + 9 - a);
  };
  EXPECT_EQ(dlhdon(coded), dlhdon(xml));
  EXPECT_NE(coded.find("<DSLPhi><LPhi><TLPhi>Phí bảo vệ môi trường</TLPhi>"), std::string::npos);
  EXPECT_NE(coded.find("<TTHHDTrung>"), std::string::npos);
  absl::StatusOr<XmlVerifyReport> report = VerifyInvoiceXml(coded, TrustTheAuthority());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok()) << report->Summary();
  v1::AuthenticationRecord record;
  ASSERT_TRUE(record.ParseFromString(accepted.signed_record()));
  EXPECT_EQ(record.invoice().SerializeAsString(), invoice.SerializeAsString());
}

TEST_F(XmlSubmissionTest, ADuplicateXmlSubmissionIsReplayedByteForByte) {
  const std::string xml = SignedXml(BaselineInvoice(), seller_);
  v1::SubmitInvoiceResponse first, second;
  ASSERT_TRUE(SubmitXml(xml, &first).ok());
  clock_.Advance(absl::Minutes(5));
  ASSERT_TRUE(SubmitXml(xml, &second).ok());
  EXPECT_TRUE(second.replay());
  EXPECT_EQ(second.accepted().SerializeAsString(), first.accepted().SerializeAsString());
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(XmlSubmissionTest, TheSameInvoiceAsXmlAndAsProtobufGetsOneCode) {
  v1::SubmitInvoiceResponse as_xml, as_proto;
  ASSERT_TRUE(SubmitXml(SignedXml(BaselineInvoice(), seller_), &as_xml).ok());
  ASSERT_TRUE(Submit(BaselineInvoice(), &as_proto).ok());
  EXPECT_TRUE(as_proto.replay());
  EXPECT_EQ(as_proto.accepted().authority_code(), as_xml.accepted().authority_code());
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(XmlSubmissionTest, AnAmountTamperedAfterSigningIsRejected) {
  std::string xml = SignedXml(BaselineInvoice(), seller_);
  const std::string payable = BaselineInvoice().totals().total_payable();
  const size_t at = xml.find("<TgTTTBSo>" + payable + "</TgTTTBSo>");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 10 + payable.size(), "<TgTTTBSo>1");  // keeps well-formedness
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = SubmitXml(xml, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const v1::Rejection rejection = RejectionOf(status);
  std::vector<std::string> codes;
  for (const auto& violation : rejection.violations()) codes.push_back(violation.code());
  EXPECT_THAT(codes, Contains(StartsWith("209")));  // the seller's signature no longer holds
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(XmlSubmissionTest, ACertificateOfAnotherSellerIsRejected) {
  const TestCredential other =
      ca_.IssueSellerCertificate("0101243150", Day(2026, 1, 1), Day(2027, 12, 31));
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = SubmitXml(SignedXml(BaselineInvoice(), other), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(RejectionOf(status).violations().empty());
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(XmlSubmissionTest, AnXmlBombIsRefusedWithNothingStored) {
  const std::string bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE HDon [<!ENTITY a \"aaaaaaaaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
      "]><HDon><DLHDon>&c;</DLHDon></HDon>";
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = SubmitXml(bomb, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const v1::Rejection rejection = RejectionOf(status);
  ASSERT_THAT(rejection.violations(), SizeIs(1));
  EXPECT_EQ(rejection.violations(0).code(), "20001");
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(XmlSubmissionTest, RsaSha1SellerSignaturesAreAcceptedByDefault) {
  testing::SellerSignOptions sha1;
  sha1.rsa_sha1 = true;
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = SubmitXml(SignedXml(BaselineInvoice(), seller_, sha1), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// The document is read once (domain/invoice_document.h): mapping, format checks, the seller's
// signature and the coded XML all work on one parsed tree.
TEST_F(XmlSubmissionTest, AnXmlSubmissionIsParsedOnce) {
  const std::string xml = SignedXml(BaselineInvoice(), seller_);
  v1::Invoice other = BaselineInvoice();
  other.set_number(2);
  std::string tampered = SignedXml(other, seller_);
  tampered.replace(tampered.find("<ThTien>850000</ThTien>"), 23, "<ThTien>950000</ThTien>");

  uint64_t before = SafeXmlParseCount();
  v1::SubmitInvoiceResponse accepted;
  ASSERT_TRUE(SubmitXml(xml, &accepted).ok());
  ASSERT_FALSE(accepted.accepted().coded_xml().empty());
  EXPECT_EQ(SafeXmlParseCount() - before, 1u) << "coded";

  before = SafeXmlParseCount();
  v1::SubmitInvoiceResponse replayed;
  ASSERT_TRUE(SubmitXml(xml, &replayed).ok());
  EXPECT_TRUE(replayed.replay());
  EXPECT_EQ(SafeXmlParseCount() - before, 1u) << "replayed";

  before = SafeXmlParseCount();
  v1::SubmitInvoiceResponse refused;
  EXPECT_EQ(SubmitXml(tampered, &refused).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(SafeXmlParseCount() - before, 1u) << "refused (signature)";
}

class RsaSha1RefusedTest : public XmlSubmissionTest {
 protected:
  void Configure() override { options_.allow_rsa_sha1 = false; }
};

TEST_F(RsaSha1RefusedTest, TheSwitchRefusesRsaSha1) {
  testing::SellerSignOptions sha1;
  sha1.rsa_sha1 = true;
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = SubmitXml(SignedXml(BaselineInvoice(), seller_, sha1), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const v1::Rejection rejection = RejectionOf(status);
  std::vector<std::string> codes;
  for (const auto& violation : rejection.violations()) codes.push_back(violation.code());
  EXPECT_THAT(codes, Contains("20904"));
  // RSA-SHA256 still passes.
  v1::SubmitInvoiceResponse accepted;
  EXPECT_TRUE(SubmitXml(SignedXml(BaselineInvoice(), seller_), &accepted).ok());
}

// A type-200 T-VAN message carrying `hdon_xml`.
std::string Message200(const std::string& hdon_xml, const std::string& message_id) {
  std::string body = hdon_xml;
  if (body.rfind("<?xml", 0) == 0) body = body.substr(body.find("?>") + 2);
  return absl::StrCat(
      "<TDiep><TTChung><PBan>2.1.0</PBan><MNGui>V0101243150</MNGui><MNNhan>TCT</MNNhan>"
      "<MLTDiep>200</MLTDiep><MTDiep>",
      message_id, "</MTDiep><MTDTChieu></MTDTChieu><MST>", BaselineInvoice().seller().tax_code(),
      "</MST><SLuong>1</SLuong></TTChung><DLieu>", body, "</DLieu></TDiep>");
}

TEST_F(XmlSubmissionTest, TvanExchangeAnswers999Then202) {
  v1::ExchangeMessageRequest request;
  request.set_message(Message200(SignedXml(BaselineInvoice(), seller_),
                                 "V0101243150" + std::string(32, 'A')));
  v1::ExchangeMessageResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(authority_->ExchangeMessage(&context, request, &response).ok());
  ASSERT_THAT(response.messages(), SizeIs(2));
  ASSERT_OK_AND_ASSIGN(TDiepMessage receipt, ParseTDiep(response.messages(0)));
  EXPECT_EQ(receipt.header.type, "999");
  ASSERT_OK_AND_ASSIGN(TDiepMessage coded, ParseTDiep(response.messages(1)));
  EXPECT_EQ(coded.header.type, "202");
  EXPECT_EQ(coded.header.reply_to, "V0101243150" + std::string(32, 'A'));
  absl::StatusOr<XmlVerifyReport> report = VerifyInvoiceXml(coded.payload_xml, TrustTheAuthority());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok()) << report->Summary();
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(XmlSubmissionTest, TvanExchangeAnswers999Then204ForAnIneligibleInvoice) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_buyer()->set_citizen_id("12345");  // not 12 digits
  v1::ExchangeMessageRequest request;
  request.set_message(Message200(SignedXml(invoice, seller_), "V0101243150" + std::string(32, 'B')));
  v1::ExchangeMessageResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(authority_->ExchangeMessage(&context, request, &response).ok());
  ASSERT_THAT(response.messages(), SizeIs(2));
  ASSERT_OK_AND_ASSIGN(TDiepMessage notice, ParseTDiep(response.messages(1)));
  EXPECT_EQ(notice.header.type, "204");
  EXPECT_NE(response.messages(1).find("HDon/DLHDon/NDHDon/NMua/CCCDan"), std::string::npos);
  EXPECT_EQ(store_.size(), 0u);
  // Signed by the authority's active key, as a T-VAN checks it: xmlsec1 trusting only the
  // certificate the server publishes.
  const std::string& xml = response.messages(1);
  const std::string tct_id = xml.substr(xml.find("Id=\"Tct-") + 4, 36);
  const testing::XmlSec1Result cli = testing::XmlSec1Verify(
      xml, tct_id, testing::CertificateDerToPem(TrustTheAuthority().authority_certificates_der.at(0)));
  EXPECT_EQ(cli.exit_code, 0) << cli.output << "\n" << xml;
}

TEST_F(XmlSubmissionTest, TvanExchangeCodesAWrongTotalAndThe202SaysSo) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_totals()->set_total_payable("2374000");  // 500 short: the authority profile warns
  v1::ExchangeMessageRequest request;
  request.set_message(Message200(SignedXml(invoice, seller_), "V0101243150" + std::string(32, 'C')));
  v1::ExchangeMessageResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(authority_->ExchangeMessage(&context, request, &response).ok());
  ASSERT_THAT(response.messages(), SizeIs(2));
  ASSERT_OK_AND_ASSIGN(TDiepMessage coded, ParseTDiep(response.messages(1)));
  EXPECT_EQ(coded.header.type, "202");
  EXPECT_THAT(response.messages(1), ::testing::HasSubstr("<DSCBao><CBao><MLoi>20712</MLoi>"));
  absl::StatusOr<XmlVerifyReport> report = VerifyInvoiceXml(coded.payload_xml, TrustTheAuthority());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok()) << report->Summary();
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(XmlSubmissionTest, ATvanCodeRequestIsParsedOnce) {
  v1::Invoice bad = BaselineInvoice();
  bad.mutable_buyer()->set_citizen_id("12345");
  const std::string refused_message =
      Message200(SignedXml(bad, seller_), "V0101243150" + std::string(32, '7'));
  const std::string coded_message =
      Message200(SignedXml(BaselineInvoice(), seller_), "V0101243150" + std::string(32, '8'));
  auto exchange = [&](const std::string& message) {
    v1::ExchangeMessageRequest request;
    request.set_message(message);
    v1::ExchangeMessageResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(authority_->ExchangeMessage(&context, request, &response).ok());
    return response;
  };

  uint64_t before = SafeXmlParseCount();
  v1::ExchangeMessageResponse refused = exchange(refused_message);
  ASSERT_THAT(refused.messages(), SizeIs(2));
  EXPECT_THAT(refused.messages(1), ::testing::HasSubstr("<MLTDiep>204</MLTDiep>"));
  EXPECT_EQ(SafeXmlParseCount() - before, 1u) << "the message, once";

  before = SafeXmlParseCount();
  v1::ExchangeMessageResponse coded = exchange(coded_message);
  ASSERT_THAT(coded.messages(), SizeIs(2));
  EXPECT_THAT(coded.messages(1), ::testing::HasSubstr("<MLTDiep>202</MLTDiep>"));
  // The message once; then the 202 reads back the coded invoice it carries (the authority's
  // own bytes, as a replay sends them from the store).
  EXPECT_EQ(SafeXmlParseCount() - before, 2u);
}

TEST_F(XmlSubmissionTest, TvanExchangeRefusesOtherMessageTypesWithA999) {
  v1::ExchangeMessageRequest request;
  request.set_message("<TDiep><TTChung><MLTDiep>100</MLTDiep></TTChung><DLieu/></TDiep>");
  v1::ExchangeMessageResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(authority_->ExchangeMessage(&context, request, &response).ok());
  ASSERT_THAT(response.messages(), SizeIs(1));
  EXPECT_NE(response.messages(0).find("MLoi"), std::string::npos);
}

TEST_F(XmlSubmissionTest, OnlyTheTvanTheSellerNamedExchangesItsMessages) {
  v1::ExchangeMessageRequest request;
  request.set_message(Message200(SignedXml(BaselineInvoice(), seller_),
                                 "V0101243150" + std::string(32, 'B')));
  auto exchange_as = [&](const std::string& who, v1::ExchangeMessageResponse* response) {
    grpc::ClientContext context;
    testing::AsCaller(context, who);
    return authority_->ExchangeMessage(&context, request, response);
  };
  v1::ExchangeMessageResponse denied;
  EXPECT_EQ(exchange_as("taxpayer:0101243150", &denied).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(denied.messages(), SizeIs(0));
  EXPECT_EQ(store_.size(), 0u);

  v1::SetSellerTvanRequest name;
  name.set_tax_code(BaselineInvoice().seller().tax_code());
  name.set_tvan_tax_code("0101243150");
  v1::Seller seller;
  grpc::ClientContext context;
  ASSERT_TRUE(officer_->SetSellerTvan(&context, name, &seller).ok());
  v1::ExchangeMessageResponse coded;
  ASSERT_TRUE(exchange_as("taxpayer:0101243150", &coded).ok());
  ASSERT_THAT(coded.messages(), SizeIs(2));
  ASSERT_OK_AND_ASSIGN(TDiepMessage answer, ParseTDiep(coded.messages(1)));
  EXPECT_EQ(answer.header.type, "202");
}

TEST_F(XmlSubmissionTest, XmlSignedWithARevokedCertificateIsRefused) {
  v1::SubmitInvoiceResponse before;
  ASSERT_TRUE(SubmitXml(SignedXml(BaselineInvoice(), seller_), &before).ok());
  v1::RevokeSellerCertificateRequest revoke;
  revoke.set_tax_code(BaselineInvoice().seller().tax_code());
  revoke.set_fingerprint(absl::BytesToHexString(Sha256(seller_.certificate_der)));
  revoke.set_reason("khóa bị lộ");
  v1::Seller seller;
  grpc::ClientContext context;
  ASSERT_TRUE(officer_->RevokeSellerCertificate(&context, revoke, &seller).ok());
  v1::Invoice next = BaselineInvoice();
  next.set_number(2);
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = SubmitXml(SignedXml(next, seller_), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const v1::Rejection rejection = RejectionOf(status);
  std::vector<std::string> codes;
  for (const auto& violation : rejection.violations()) codes.push_back(violation.code());
  EXPECT_THAT(codes, Contains("20905"));
  // What it signed before the revocation still verifies.
  absl::StatusOr<XmlVerifyReport> report =
      VerifyInvoiceXml(before.accepted().coded_xml(), TrustTheAuthority());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok()) << report->Summary();
}

TEST_F(XmlSubmissionTest, AnXmlSubmissionStillNeedsTheCallerToBeTheSeller) {
  // The seller's own XMLDSig is valid, but the caller is someone else: refused.
  v1::SubmitInvoiceRequest request;
  request.set_invoice_xml(SignedXml(BaselineInvoice(), seller_));
  v1::SubmitInvoiceResponse response;
  grpc::ClientContext context;
  testing::AsCaller(context, "taxpayer:0101243150");
  EXPECT_EQ(authority_->SubmitInvoice(&context, request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext own;
  testing::AsCaller(own, "taxpayer:" + BaselineInvoice().seller().tax_code());
  EXPECT_TRUE(authority_->SubmitInvoice(&own, request, &response).ok());
}


// ---- 206: cash-register data ------------------------------------------------------------------

namespace cash {

std::string Code(uint32_t number) { return absl::StrFormat("M1-26-ABCDE-%011u", number); }

testing::CashRegisterEntry Entry(uint32_t number) {
  testing::CashRegisterEntry entry;
  entry.invoice = BaselineInvoice();
  entry.invoice.set_symbol("C26MAA");
  entry.invoice.set_number(number);
  entry.code = Code(number);
  return entry;
}

// The notice's DLTBao/LTBao and every LHDMTTien/DSLDo/LDo/MTLoi.
struct Notice {
  std::string kind;
  std::vector<std::string> reasons;
};

Notice Read204(const std::string& xml) {
  Notice notice;
  absl::StatusOr<XmlDocPtr> doc = ParseXmlSafely(xml);
  EXPECT_TRUE(doc.ok());
  if (!doc.ok()) return notice;
  xmlNode* dl = xmlutil::FirstChild(
      xmlutil::FirstChild(xmlutil::FirstChild(xmlDocGetRootElement(doc->get()), "DLieu"), "TBao"),
      "DLTBao");
  notice.kind = xmlutil::Text(xmlutil::FirstChild(dl, "LTBao"));
  xmlNode* list = xmlutil::FirstChild(xmlutil::FirstChild(dl, "LHDMTTien"), "DSLDo");
  for (xmlNode* ldo : xmlutil::ChildElements(list)) {
    notice.reasons.push_back(xmlutil::Text(xmlutil::FirstChild(ldo, "MTLoi")));
  }
  return notice;
}

}  // namespace cash

class CashRegisterMessageTest : public XmlSubmissionTest {
 protected:
  v1::ExchangeMessageResponse Exchange(const std::string& message) {
    v1::ExchangeMessageRequest request;
    request.set_message(message);
    v1::ExchangeMessageResponse response;
    grpc::ClientContext context;
    const grpc::Status status = authority_->ExchangeMessage(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  std::string Message(const std::vector<testing::CashRegisterEntry>& entries,
                      const TestCredential& signer, const std::string& id) {
    absl::StatusOr<std::string> message = testing::SignedCashRegisterMessage(
        entries, signer, "V0101243150", BaselineInvoice().seller().tax_code(), id);
    EXPECT_TRUE(message.ok()) << message.status();
    return message.value_or("");
  }
  // The 204 checked with xmlsec1 against the authority's published certificate.
  void ExpectSignedByTheAuthority(const std::string& xml) {
    const std::string tct_id = xml.substr(xml.find("Id=\"Tct-") + 4, 36);
    const testing::XmlSec1Result cli = testing::XmlSec1Verify(
        xml, tct_id,
        testing::CertificateDerToPem(TrustTheAuthority().authority_certificates_der.at(0)));
    EXPECT_EQ(cli.exit_code, 0) << cli.output << "\n" << xml;
  }
};

TEST_F(CashRegisterMessageTest, ValidInvalidAndDuplicateInvoicesAreListedInA204Of7) {
  testing::CashRegisterEntry bad_id = cash::Entry(2);
  bad_id.invoice.mutable_buyer()->set_citizen_id("12345");
  testing::CashRegisterEntry same_key = cash::Entry(1);  // number 1 again, another code
  same_key.code = cash::Code(4);
  const std::string message =
      Message({cash::Entry(1), bad_id, cash::Entry(3), same_key}, seller_,
              "V0101243150" + std::string(32, 'D'));
  const v1::ExchangeMessageResponse response = Exchange(message);
  ASSERT_THAT(response.messages(), SizeIs(2));
  ASSERT_OK_AND_ASSIGN(TDiepMessage receipt, ParseTDiep(response.messages(0)));
  EXPECT_EQ(receipt.header.type, "999");
  ASSERT_OK_AND_ASSIGN(TDiepMessage notice, ParseTDiep(response.messages(1)));
  EXPECT_EQ(notice.header.type, "204");
  const cash::Notice read = cash::Read204(response.messages(1));
  EXPECT_EQ(read.kind, "7");
  ASSERT_THAT(read.reasons, SizeIs(2));
  EXPECT_THAT(read.reasons[0], StartsWith("1;C26MAA;2;Sai định dạng dữ liệu"));
  EXPECT_EQ(read.reasons[1],
            "1;C26MAA;1;Bộ MST, ký hiệu mẫu số, ký hiệu và số hóa đơn không duy nhất");
  ExpectSignedByTheAuthority(response.messages(1));
  EXPECT_EQ(store_.size(), 2u);

  // Found under the seller's code.
  v1::GetInvoiceRequest get;
  get.set_authority_code(cash::Code(3));
  v1::AuthenticatedInvoice fetched;
  grpc::ClientContext context;
  ASSERT_TRUE(authority_->GetInvoice(&context, get, &fetched).ok());
  EXPECT_EQ(fetched.authority_code(), cash::Code(3));

  // The same message again: the same verdicts, nothing received twice.
  const v1::ExchangeMessageResponse again = Exchange(message);
  ASSERT_THAT(again.messages(), SizeIs(2));
  EXPECT_EQ(cash::Read204(again.messages(1)).reasons, read.reasons);
  EXPECT_EQ(store_.size(), 2u);
}

TEST_F(CashRegisterMessageTest, AllValidIsA204Of2) {
  const v1::ExchangeMessageResponse response =
      Exchange(Message({cash::Entry(1), cash::Entry(2)}, seller_,
                       "V0101243150" + std::string(32, 'E')));
  ASSERT_THAT(response.messages(), SizeIs(2));
  const cash::Notice read = cash::Read204(response.messages(1));
  EXPECT_EQ(read.kind, "2");
  EXPECT_THAT(read.reasons, SizeIs(0));
  EXPECT_THAT(response.messages(1), ::testing::HasSubstr("<SLuong>2</SLuong>"));
  ExpectSignedByTheAuthority(response.messages(1));
  EXPECT_EQ(store_.size(), 2u);
}

TEST_F(CashRegisterMessageTest, WithoutTheSellersSignatureNothingIsReceived) {
  // Signed with a certificate the seller never registered.
  const TestCredential stranger = ca_.IssueSellerCertificate(
      BaselineInvoice().seller().tax_code(), Day(2026, 1, 1), Day(2027, 12, 31));
  const v1::ExchangeMessageResponse response = Exchange(
      Message({cash::Entry(1), cash::Entry(2)}, stranger, "V0101243150" + std::string(32, 'F')));
  ASSERT_THAT(response.messages(), SizeIs(2));
  const cash::Notice read = cash::Read204(response.messages(1));
  EXPECT_EQ(read.kind, "7");
  ASSERT_THAT(read.reasons, SizeIs(2));  // both invoices, each with the signature's problem
  EXPECT_THAT(read.reasons[0], StartsWith("1;C26MAA;1;"));
  EXPECT_EQ(store_.size(), 0u);

  // Changed after signing: refused the same way.
  std::string tampered = Message({cash::Entry(1)}, seller_, "V0101243150" + std::string(32, '1'));
  tampered.replace(tampered.find("<ThTien>850000</ThTien>"), 23, "<ThTien>950000</ThTien>");
  const v1::ExchangeMessageResponse changed = Exchange(tampered);
  ASSERT_THAT(changed.messages(), SizeIs(2));
  EXPECT_EQ(cash::Read204(changed.messages(1)).kind, "7");
  EXPECT_THAT(changed.messages(1), ::testing::HasSubstr("<MLoi>20902</MLoi>"));
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(CashRegisterMessageTest, AnotherSellersInvoiceIsNotReceivedUnderThisSellersSignature) {
  // The message is signed for the baseline seller; one invoice names another seller (which
  // the caller, the local operator, could otherwise submit for).
  testing::CashRegisterEntry foreign = cash::Entry(2);
  foreign.invoice.mutable_seller()->set_tax_code("0100047516");
  const v1::ExchangeMessageResponse response = Exchange(
      Message({cash::Entry(1), foreign}, seller_, "V0101243150" + std::string(32, '3')));
  ASSERT_THAT(response.messages(), SizeIs(2));
  const cash::Notice read = cash::Read204(response.messages(1));
  EXPECT_EQ(read.kind, "7");
  ASSERT_THAT(read.reasons, SizeIs(1));
  EXPECT_THAT(read.reasons[0], StartsWith("1;C26MAA;2;"));
  EXPECT_THAT(response.messages(1), ::testing::HasSubstr("<MLoi>20906</MLoi>"));
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(CashRegisterMessageTest, A206IsParsedOnceWhateverItCarries) {
  testing::CashRegisterEntry bad_id = cash::Entry(2);
  bad_id.invoice.mutable_buyer()->set_citizen_id("12345");
  const std::string message = Message({cash::Entry(1), bad_id, cash::Entry(3)}, seller_,
                                      "V0101243150" + std::string(32, '4'));
  const uint64_t before = SafeXmlParseCount();
  const v1::ExchangeMessageResponse response = Exchange(message);
  EXPECT_EQ(SafeXmlParseCount() - before, 1u);
  ASSERT_THAT(response.messages(), SizeIs(2));
  EXPECT_EQ(cash::Read204(response.messages(1)).kind, "7");
  EXPECT_EQ(store_.size(), 2u);
}

TEST_F(CashRegisterMessageTest, TheNoticeListsInvalidInvoicesInTheMessagesOrder) {
  // The first is refused by the rules (after the batch is written), the second before it (not
  // the message's seller): the notice still lists them as the message has them.
  testing::CashRegisterEntry bad_id = cash::Entry(1);
  bad_id.invoice.mutable_buyer()->set_citizen_id("12345");
  testing::CashRegisterEntry foreign = cash::Entry(2);
  foreign.invoice.mutable_seller()->set_tax_code("0100047516");
  const v1::ExchangeMessageResponse response = Exchange(
      Message({bad_id, foreign, cash::Entry(3)}, seller_, "V0101243150" + std::string(32, '5')));
  ASSERT_THAT(response.messages(), SizeIs(2));
  const cash::Notice read = cash::Read204(response.messages(1));
  ASSERT_THAT(read.reasons, SizeIs(2));
  EXPECT_THAT(read.reasons[0], StartsWith("1;C26MAA;1;Sai định dạng dữ liệu"));
  EXPECT_THAT(read.reasons[1], StartsWith("1;C26MAA;2;"));
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(CashRegisterMessageTest, OnlyTheSellerOrItsTvanSends) {
  v1::ExchangeMessageRequest request;
  request.set_message(Message({cash::Entry(1)}, seller_, "V0101243150" + std::string(32, '2')));
  v1::ExchangeMessageResponse response;
  grpc::ClientContext context;
  testing::AsCaller(context, "taxpayer:0101243150");
  EXPECT_EQ(authority_->ExchangeMessage(&context, request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(store_.size(), 0u);
}

}  // namespace
}  // namespace einvoice
