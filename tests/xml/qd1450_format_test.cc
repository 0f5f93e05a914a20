// Safe parsing, format checks and mapping of XML invoices (QĐ1450 HDon).
#include "xml/qd1450_format.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "rules/invoice_validator.h"
#include "rules/violation_catalogue.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "xml/invoice_xml_mapping.h"
#include "xml/safe_xml.h"

namespace einvoice {

void PrintTo(const Violation& v, std::ostream* os) { *os << DebugString(v); }

namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::kBaselineToday;
using ::einvoice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

MATCHER_P2(Violates, type, field, "") {
  return arg.code == type.code && arg.rule == type.rule && arg.field == field &&
         !arg.message_vi.empty() && !arg.message_en.empty();
}

// Every violation of `xml`: the XML checks plus the structured rules, merged.
std::vector<Violation> Check(const std::string& xml) {
  absl::StatusOr<InvoiceXml> parsed = ParseInvoiceXml(xml);
  EXPECT_OK(parsed);
  if (!parsed.ok()) return {};
  return MergeRuleViolations(*parsed, ValidateInvoice(parsed->invoice, kBaselineToday));
}

std::string BaselineXml() { return InvoiceToXml(BaselineInvoice(), "DLHDon-1"); }

// `xml` with the one occurrence of `from` replaced by `to` (fails if not exactly one).
std::string Replace(std::string xml, const std::string& from, const std::string& to) {
  const size_t at = xml.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(xml.find(from, at + 1), std::string::npos) << from;
  if (at == std::string::npos) return xml;
  return xml.replace(at, from.size(), to);
}

TEST(InvoiceXmlTest, BaselineRoundTripsAndIsValid) {
  const std::string xml = BaselineXml();
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(xml));
  EXPECT_THAT(parsed.violations, IsEmpty());
  EXPECT_EQ(parsed.dlhdon_id, "DLHDon-1");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed.invoice, BaselineInvoice()))
      << parsed.invoice.DebugString();
  EXPECT_THAT(Check(xml), IsEmpty());
}

TEST(InvoiceXmlTest, RandomInvoicesRoundTrip) {
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    v1::Invoice invoice = testing::RandomValidInvoice(seed);
    ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(InvoiceToXml(invoice, "data")));
    EXPECT_THAT(parsed.violations, IsEmpty()) << seed;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed.invoice, invoice))
        << seed;
  }
}

TEST(InvoiceXmlTest, RelatedInvoiceAndOtherInfoRoundTrip) {
  v1::Invoice invoice = BaselineInvoice();
  v1::RelatedInvoice* r = invoice.mutable_related();
  r->set_relation(v1::RELATION_KIND_ADJUSTMENT);
  r->set_original_kind(1);
  r->set_template_code("1");
  r->set_symbol("C26TAA");
  r->set_number(7);
  r->set_issue_date("2026-11-01");
  r->set_note("Điều chỉnh <giảm> & \"tăng\"");
  v1::OtherInfo* o = invoice.add_other_info();
  o->set_field("Ghi chú");
  o->set_data_type("string");
  o->set_value("a & b");
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(InvoiceToXml(invoice, "d")));
  EXPECT_THAT(parsed.violations, IsEmpty());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed.invoice, invoice))
      << parsed.invoice.DebugString();
}

// The authority's own example: a malformed citizen id is reported at its exact XPath.
TEST(InvoiceXmlTest, MalformedCitizenIdReportedAtItsXPath) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_buyer()->set_citizen_id("0123456");
  const std::vector<Violation> violations = Check(InvoiceToXml(invoice, "d"));
  ASSERT_THAT(violations, ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/NDHDon/NMua/CCCDan")));
  EXPECT_THAT(violations[0].message_vi, HasSubstr("Sai định dạng dữ liệu"));
  EXPECT_THAT(violations[0].message_vi, HasSubstr("CCCD"));
}

TEST(InvoiceXmlTest, MalformedDecimalReportedOnceAtItsXPath) {
  const std::string xml =
      Replace(BaselineXml(), "<DGia>1200000</DGia><ThTien>1200000</ThTien>",
              "<DGia>1200000</DGia><ThTien>1,200,000</ThTien>");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatDecimal,
                                               "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[2]/ThTien")));
}

TEST(InvoiceXmlTest, TooManyDecimalsRejected) {
  const std::string xml =
      Replace(BaselineXml(), "<DGia>85000</DGia>", "<DGia>85000.0000001</DGia>");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatDecimal,
                                               "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[1]/DGia")));
}

TEST(InvoiceXmlTest, NonNumericInvoiceNumberIsOneFormatViolation) {
  const std::string xml = Replace(BaselineXml(), "<SHDon>1</SHDon>", "<SHDon>01</SHDon>");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/TTChung/SHDon")));
}

TEST(InvoiceXmlTest, MissingInvoiceNumber) {
  const std::string xml = Replace(BaselineXml(), "<SHDon>1</SHDon>", "");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatRequired, "HDon/DLHDon/TTChung/SHDon")));
}

TEST(InvoiceXmlTest, BadLineNature) {
  std::string xml = BaselineXml();
  xml.replace(xml.find("<TChat>1</TChat>"), 16, "<TChat>9</TChat>");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatCodeList,
                                               "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[1]/TChat")));
}

TEST(InvoiceXmlTest, InvalidDateReportedAtNLap) {
  const std::string xml =
      Replace(BaselineXml(), "<NLap>2026-11-20</NLap>", "<NLap>20/11/2026</NLap>");
  const std::vector<Violation> violations = Check(xml);
  ASSERT_FALSE(violations.empty());
  EXPECT_THAT(violations[0], Violates(kDateInvalid, "HDon/DLHDon/TTChung/NLap"));
}

TEST(InvoiceXmlTest, UnknownElement) {
  const std::string xml = Replace(BaselineXml(), "<DVTTe>VND</DVTTe>",
                                  "<DVTTe>VND</DVTTe><Foo>1</Foo>");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/TTChung/Foo")));
}

TEST(InvoiceXmlTest, ListNumberIsMappedWhereverItStands) {
  // Order inside TTChung is not enforced (producers differ); the value is kept.
  const std::string xml = Replace(BaselineXml(), "<DVTTe>VND</DVTTe>",
                                  "<DVTTe>VND</DVTTe><SBKe>12</SBKe>");
  EXPECT_THAT(Check(xml), IsEmpty());
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(xml));
  EXPECT_EQ(parsed.invoice.list_number(), "12");
}

// ---- QĐ1450 v2.1.0: every element kept --------------------------------------------------------

using ::einvoice::testing::FullV210Invoice;

TEST(InvoiceXmlV210Test, EveryElementRoundTrips) {
  const v1::Invoice invoice = FullV210Invoice();
  const std::string xml = InvoiceToXml(invoice, "DLHDon-1");
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(xml));
  EXPECT_THAT(parsed.violations, IsEmpty());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed.invoice, invoice))
      << parsed.invoice.DebugString();
  EXPECT_THAT(Check(xml), IsEmpty());
  // And the XML written back is the same document.
  EXPECT_EQ(InvoiceToXml(parsed.invoice, "DLHDon-1"), xml);
}

// The writer puts each element where the standard does (what sellers' software produces).
TEST(InvoiceXmlV210Test, ElementsWrittenInTheOfficialOrder) {
  const std::string xml = InvoiceToXml(FullV210Invoice(), "DLHDon-1");
  auto in_order = [&](std::vector<std::string> names) {
    size_t last = 0;
    for (const std::string& name : names) {
      const size_t at = xml.find("<" + name + ">", last);
      ASSERT_NE(at, std::string::npos) << name << " missing or out of order in\n" << xml;
      last = at;
    }
  };
  in_order({"TTChung", "PBan", "SHDon", "MHSo", "NLap", "HDDCKPTQuan", "SBKe", "NBKe", "DVTTe",
            "HTTToan", "MSTDVNUNLHDon", "TDVNUNLHDon", "DCDVNUNLHDon", "HDCTTChinh",
            "TTHDLQuan", "NLHDCLQuan", "SBKCLQuan", "NBKCLQuan", "GChu", "TTKhac", "NDHDon"});
  in_order({"NBan", "DCTDTu", "Fax", "Website", "MCHang", "TCHang", "TTKhac", "NMua",
            "HVTNMHang", "MDVQHNSach", "TTKhac", "DSHHDVu"});
  in_order({"HHDVu", "TSuat", "TThue", "TSThue", "TTKhac", "HHDVu", "TSuat", "TTHHDTrung",
            "TTin", "TTin", "TToan"});
  in_order({"TToan", "THTTLTSuat", "TgTCThue", "TgTThue", "TGTKCThue", "TGTKhac", "DSLPhi",
            "LPhi", "TLPhi", "TPhi", "LPhi", "TTCKTMai", "TgTTTBSo", "TgTTTBChu", "TTKhac",
            "TTKhac", "DSCKS"});
  // DLHDon/TTKhac closes DLHDon, after NDHDon.
  EXPECT_NE(xml.find("</NDHDon><TTKhac>"), std::string::npos);
  EXPECT_NE(xml.find("</TTKhac></DLHDon>"), std::string::npos);
}

// An element the standard does not define stays a 20001 at its XPath, in the new groups too.
TEST(InvoiceXmlV210Test, UndefinedElementsStillRefused) {
  const std::string full = InvoiceToXml(FullV210Invoice(), "DLHDon-1");
  EXPECT_THAT(Check(Replace(full, "<TLPhi>Lệ phí &amp; phụ thu</TLPhi>",
                            "<TLPhi>Lệ phí &amp; phụ thu</TLPhi><MPhi>1</MPhi>")),
              ElementsAre(Violates(kFormatPattern,
                                   "HDon/DLHDon/NDHDon/TToan/DSLPhi/LPhi[2]/MPhi")));
  EXPECT_THAT(Check(Replace(full, "<TTHHDTrung>", "<TTHHDTrung><SKhung>1</SKhung>")),
              ElementsAre(Violates(kFormatPattern,
                                   "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[2]/TTHHDTrung/SKhung")));
  EXPECT_THAT(Check(Replace(full, "<MCHang>", "<MCuaHang>x</MCuaHang><MCHang>")),
              ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/NDHDon/NBan/MCuaHang")));
  // A buyer-only element on the seller and a seller-only one on the buyer are not defined.
  EXPECT_THAT(Check(Replace(full, "<MCHang>", "<MDVQHNSach>1234567</MDVQHNSach><MCHang>")),
              ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/NDHDon/NBan/MDVQHNSach")));
  EXPECT_THAT(Check(Replace(full, "<MDVQHNSach>", "<Fax>1</Fax><MDVQHNSach>")),
              ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/NDHDon/NMua/Fax")));
  // TTin is the only child of a TTKhac.
  EXPECT_THAT(Check(Replace(full, "</TTKhac></DLHDon>", "<Ghi>1</Ghi></TTKhac></DLHDon>")),
              ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/TTKhac/Ghi")));
}

// Rule violations on the new fields are reported at their XPaths.
TEST(InvoiceXmlV210Test, RuleViolationsOnNewFieldsNamedByXPath) {
  const std::string full = InvoiceToXml(FullV210Invoice(), "DLHDon-1");
  EXPECT_THAT(Check(Replace(full, "<MDVQHNSach>1234567</MDVQHNSach>",
                            "<MDVQHNSach>123</MDVQHNSach>")),
              ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/NDHDon/NMua/MDVQHNSach")));
  EXPECT_THAT(Check(Replace(full, "<TPhi>5000</TPhi>", "<TPhi>5,000</TPhi>")),
              ElementsAre(Violates(kFormatDecimal,
                                   "HDon/DLHDon/NDHDon/TToan/DSLPhi/LPhi[2]/TPhi")));
  EXPECT_THAT(Check(Replace(full, "<NBKCLQuan>2026-11-15</NBKCLQuan>",
                            "<NBKCLQuan>15/11/2026</NBKCLQuan>")),
              ElementsAre(Violates(kDateInvalid,
                                   "HDon/DLHDon/TTChung/TTHDLQuan/NBKCLQuan")));
  EXPECT_THAT(Check(Replace(full, "<HDCTTChinh>0</HDCTTChinh>", "<HDCTTChinh>2</HDCTTChinh>")),
              ElementsAre(Violates(kFormatCodeList, "HDon/DLHDon/TTChung/HDCTTChinh")));
  EXPECT_THAT(Check(Replace(full, "<TGTKCThue>136500</TGTKCThue>",
                            "<TGTKCThue>1 36500</TGTKCThue>")),
              ElementsAre(Violates(kFormatDecimal, "HDon/DLHDon/NDHDon/TToan/TGTKCThue")));
  // A fee changed without the total: the payable total is wrong (a warning under the default
  // profile, decided in domain/), at TgTTTBSo.
  EXPECT_THAT(Check(Replace(full, "<TPhi>5000</TPhi>", "<TPhi>6000</TPhi>")),
              ElementsAre(Violates(kTotalPayableMismatch, "HDon/DLHDon/NDHDon/TToan/TgTTTBSo")));
  // Special goods on a line that is not nature 5.
  std::string ordinary = full;
  const size_t second_line = ordinary.find("<HHDVu><TChat>5</TChat>");
  ASSERT_NE(second_line, std::string::npos);
  ordinary.replace(second_line, 23, "<HHDVu><TChat>1</TChat>");
  EXPECT_THAT(Check(ordinary),
              ElementsAre(Violates(kFormatPattern,
                                   "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[2]/TTHHDTrung")));
}

// ---- template 6: delivery notes -------------------------------------------------------------

TEST(InvoiceXmlDeliveryNoteTest, RoundTripsWithItsPartyElements) {
  const v1::Invoice note = testing::DeliveryNoteInvoice();
  const std::string xml = InvoiceToXml(note, "DLHDon-1");
  for (const char* element : {"<LDDNBo>", "<HDKTSo>", "<HDKTNgay>2026-01-15</HDKTNgay>",
                              "<HVTNXHang>", "<TNVChuyen>", "<PTVChuyen>", "<HVTNNHang>"}) {
    EXPECT_THAT(xml, HasSubstr(element));
  }
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(xml));
  EXPECT_THAT(parsed.violations, IsEmpty());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed.invoice, note))
      << parsed.invoice.DebugString();
  EXPECT_THAT(Check(xml), IsEmpty());
}

// On any other template a delivery element is not defined: one 20001 at its XPath saying so
// (the element is not mapped, so the rule on the field does not report it again).
TEST(InvoiceXmlDeliveryNoteTest, DeliveryElementsRefusedOnOtherTemplates) {
  const std::vector<Violation> seller = Check(Replace(
      BaselineXml(), "<DCTDTu>hoadon@example.invalid</DCTDTu>",
      "<DCTDTu>hoadon@example.invalid</DCTDTu><LDDNBo>LĐĐ-01</LDDNBo>"));
  ASSERT_THAT(seller, ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/NDHDon/NBan/LDDNBo")));
  EXPECT_THAT(seller[0].message_en, HasSubstr("not defined for this template"));
  EXPECT_THAT(Check(Replace(BaselineXml(), "</NMua>", "<HVTNNHang>Nhận</HVTNNHang></NMua>")),
              ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/NDHDon/NMua/HVTNNHang")));
  // The same element on the buyer of a delivery note is not defined at all.
  EXPECT_THAT(Check(Replace(InvoiceToXml(testing::DeliveryNoteInvoice(), "d"), "</NMua>",
                            "<LDDNBo>x</LDDNBo></NMua>")),
              ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/NDHDon/NMua/LDDNBo")));
  // And the protobuf form gets the same rule, reported at the same XPath.
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_seller()->set_transfer_order("LĐĐ-01");
  const std::vector<Violation> structured = ValidateInvoice(invoice, kBaselineToday);
  ASSERT_EQ(structured.size(), 1u);
  EXPECT_EQ(structured[0].rule, seller[0].rule);
  EXPECT_EQ(FieldPathToXPath(structured[0].field), seller[0].field);
}

TEST(InvoiceXmlDeliveryNoteTest, RuleViolationsNamedByXPath) {
  const std::string xml = InvoiceToXml(testing::DeliveryNoteInvoice(), "d");
  EXPECT_THAT(Check(Replace(xml, "<HDKTNgay>2026-01-15</HDKTNgay>",
                            "<HDKTNgay>15/01/2026</HDKTNgay>")),
              ElementsAre(Violates(kDateInvalid, "HDon/DLHDon/NDHDon/NBan/HDKTNgay")));
  EXPECT_EQ(FieldPathToXPath("seller.transfer_order"), "HDon/DLHDon/NDHDon/NBan/LDDNBo");
  EXPECT_EQ(FieldPathToXPath("seller.contract_number"), "HDon/DLHDon/NDHDon/NBan/HDKTSo");
  EXPECT_EQ(FieldPathToXPath("seller.contract_date"), "HDon/DLHDon/NDHDon/NBan/HDKTNgay");
  EXPECT_EQ(FieldPathToXPath("seller.dispatcher_name"), "HDon/DLHDon/NDHDon/NBan/HVTNXHang");
  EXPECT_EQ(FieldPathToXPath("seller.transporter_name"), "HDon/DLHDon/NDHDon/NBan/TNVChuyen");
  EXPECT_EQ(FieldPathToXPath("seller.transport_means"), "HDon/DLHDon/NDHDon/NBan/PTVChuyen");
  EXPECT_EQ(FieldPathToXPath("buyer.receiver_name"), "HDon/DLHDon/NDHDon/NMua/HVTNNHang");
}

TEST(InvoiceXmlV210Test, FieldPathToXPathForEveryNewField) {
  const std::pair<const char*, const char*> kPaths[] = {
      {"dossier_code", "HDon/DLHDon/TTChung/MHSo"},
      {"non_tariff_zone", "HDon/DLHDon/TTChung/HDDCKPTQuan"},
      {"list_number", "HDon/DLHDon/TTChung/SBKe"},
      {"list_date", "HDon/DLHDon/TTChung/NBKe"},
      {"issuer_tax_code", "HDon/DLHDon/TTChung/MSTDVNUNLHDon"},
      {"issuer_name", "HDon/DLHDon/TTChung/TDVNUNLHDon"},
      {"issuer_address", "HDon/DLHDon/TTChung/DCDVNUNLHDon"},
      {"hdcttchinh", "HDon/DLHDon/TTChung/HDCTTChinh"},
      {"related.list_number", "HDon/DLHDon/TTChung/TTHDLQuan/SBKCLQuan"},
      {"related.list_date", "HDon/DLHDon/TTChung/TTHDLQuan/NBKCLQuan"},
      {"seller.fax", "HDon/DLHDon/NDHDon/NBan/Fax"},
      {"seller.website", "HDon/DLHDon/NDHDon/NBan/Website"},
      {"seller.store_code", "HDon/DLHDon/NDHDon/NBan/MCHang"},
      {"seller.store_name", "HDon/DLHDon/NDHDon/NBan/TCHang"},
      {"seller.other_info[0].field", "HDon/DLHDon/NDHDon/NBan/TTKhac/TTin[1]/TTruong"},
      {"buyer.budget_unit_code", "HDon/DLHDon/NDHDon/NMua/MDVQHNSach"},
      {"buyer.other_info[2].value", "HDon/DLHDon/NDHDon/NMua/TTKhac/TTin[3]/DLieu"},
      {"buyer.other_info", "HDon/DLHDon/NDHDon/NMua/TTKhac"},
      {"lines[0].tax_amount", "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[1]/TThue"},
      {"lines[0].amount_after_tax", "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[1]/TSThue"},
      {"lines[1].special_goods", "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[2]/TTHHDTrung"},
      {"lines[1].special_goods[1].data_type",
       "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[2]/TTHHDTrung/TTin[2]/KDLieu"},
      {"lines[4].other_info[0].value",
       "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[5]/TTKhac/TTin[1]/DLieu"},
      {"totals.total_not_taxable", "HDon/DLHDon/NDHDon/TToan/TGTKCThue"},
      {"totals.total_other", "HDon/DLHDon/NDHDon/TToan/TGTKhac"},
      {"totals.fees", "HDon/DLHDon/NDHDon/TToan/DSLPhi"},
      {"totals.fees[1]", "HDon/DLHDon/NDHDon/TToan/DSLPhi/LPhi[2]"},
      {"totals.fees[1].name", "HDon/DLHDon/NDHDon/TToan/DSLPhi/LPhi[2]/TLPhi"},
      {"totals.fees[0].amount", "HDon/DLHDon/NDHDon/TToan/DSLPhi/LPhi[1]/TPhi"},
      {"totals.other_info[0].field", "HDon/DLHDon/NDHDon/TToan/TTKhac/TTin[1]/TTruong"},
      {"content_other_info[0].value", "HDon/DLHDon/NDHDon/TTKhac/TTin[1]/DLieu"},
      {"document_other_info[3].data_type", "HDon/DLHDon/TTKhac/TTin[4]/KDLieu"},
      {"document_other_info", "HDon/DLHDon/TTKhac"},
      // Malformed or unknown paths come back unchanged.
      {"totals.fees.name", "totals.fees.name"},
      {"seller[0].name", "seller[0].name"},
      {"lines[0].special_goods.field", "lines[0].special_goods.field"},
      {"totals.total_payable.x", "totals.total_payable.x"},
  };
  for (const auto& [field, xpath] : kPaths) EXPECT_EQ(FieldPathToXPath(field), xpath) << field;
}

TEST(InvoiceXmlTest, RepeatedElement) {
  const std::string xml = Replace(BaselineXml(), "<DVTTe>VND</DVTTe>",
                                  "<DVTTe>VND</DVTTe><DVTTe>USD</DVTTe>");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatUnique, "HDon/DLHDon/TTChung/DVTTe")));
}

TEST(InvoiceXmlTest, ElementOrderMatters) {
  // NMua before NBan.
  std::string xml = BaselineXml();
  const size_t nban = xml.find("<NBan>");
  const size_t nmua = xml.find("<NMua>");
  const size_t nmua_end = xml.find("</NMua>") + 7;
  const std::string buyer = xml.substr(nmua, nmua_end - nmua);
  xml.erase(nmua, nmua_end - nmua);
  xml.insert(nban, buyer);
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/NDHDon/NBan")));
}

TEST(InvoiceXmlTest, MissingSellerIsOneViolation) {
  std::string xml = BaselineXml();
  const size_t from = xml.find("<NBan>");
  xml.erase(from, xml.find("</NBan>") + 7 - from);
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatRequired, "HDon/DLHDon/NDHDon/NBan")));
}

TEST(InvoiceXmlTest, MissingDlhdonId) {
  const std::string xml = Replace(BaselineXml(), "<DLHDon Id=\"DLHDon-1\">", "<DLHDon>");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatRequired, "HDon/DLHDon")));
}

TEST(InvoiceXmlTest, LeafWithChildElements) {
  const std::string xml = Replace(BaselineXml(), "<DVTTe>VND</DVTTe>", "<DVTTe><a/></DVTTe>");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatPattern, "HDon/DLHDon/TTChung/DVTTe")));
}

TEST(InvoiceXmlTest, AuthorityPartsRefusedInASubmission) {
  const std::string xml = Replace(BaselineXml(), "</DLHDon>",
                                  "</DLHDon><MCCQT Id=\"c\">00ABCDEF</MCCQT>");
  EXPECT_THAT(Check(xml), ElementsAre(Violates(kFormatPattern, "HDon/MCCQT")));
  ASSERT_OK_AND_ASSIGN(InvoiceXml coded,
                       ParseInvoiceXml(xml, {.allow_authority_parts = true}));
  EXPECT_THAT(coded.violations, IsEmpty());
  EXPECT_EQ(coded.authority_code, "00ABCDEF");
  EXPECT_EQ(coded.authority_code_id, "c");
}

TEST(InvoiceXmlTest, CashRegisterDataCarriesTheSellersCodeAndNoAuthoritySignature) {
  InvoiceXmlOptions cash_register;
  cash_register.cash_register = true;
  // The register's code in MCCQT is the invoice's code; DLHDon needs no Id.
  const std::string coded = Replace(Replace(BaselineXml(), "</DLHDon>",
                                            "</DLHDon><MCCQT>M1-26-ABCDE-00000000001</MCCQT>"),
                                    "<DLHDon Id=\"DLHDon-1\">", "<DLHDon>");
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(coded, cash_register));
  EXPECT_EQ(parsed.authority_code, "M1-26-ABCDE-00000000001");
  // Without MCCQT: required.
  ASSERT_OK_AND_ASSIGN(InvoiceXml uncoded, ParseInvoiceXml(BaselineXml(), cash_register));
  EXPECT_THAT(uncoded.violations, ElementsAre(Violates(kFormatRequired, "HDon/MCCQT")));
  EXPECT_EQ(FieldPathToXPath("code"), "HDon/MCCQT");
}

TEST(InvoiceXmlTest, TotalsErrorSameVerdictAsProtobuf) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_totals()->set_total_tax("190000");
  const std::vector<Violation> structured = ValidateInvoice(invoice, kBaselineToday);
  const std::vector<Violation> from_xml = Check(InvoiceToXml(invoice, "d"));
  ASSERT_EQ(structured.size(), from_xml.size());
  for (size_t i = 0; i < structured.size(); ++i) {
    EXPECT_EQ(structured[i].code, from_xml[i].code);
    EXPECT_EQ(structured[i].rule, from_xml[i].rule);
    EXPECT_EQ(FieldPathToXPath(structured[i].field), from_xml[i].field);
  }
  EXPECT_EQ(from_xml[0].field, "HDon/DLHDon/NDHDon/TToan/TgTThue");
}

TEST(InvoiceXmlTest, FieldPathToXPath) {
  EXPECT_EQ(FieldPathToXPath("buyer.citizen_id"), "HDon/DLHDon/NDHDon/NMua/CCCDan");
  EXPECT_EQ(FieldPathToXPath("seller.tax_code"), "HDon/DLHDon/NDHDon/NBan/MST");
  EXPECT_EQ(FieldPathToXPath("lines[2].amount"), "HDon/DLHDon/NDHDon/DSHHDVu/HHDVu[3]/ThTien");
  EXPECT_EQ(FieldPathToXPath("lines"), "HDon/DLHDon/NDHDon/DSHHDVu");
  EXPECT_EQ(FieldPathToXPath("totals.rate_summaries[0].tax_amount"),
            "HDon/DLHDon/NDHDon/TToan/THTTLTSuat/LTSuat[1]/TThue");
  EXPECT_EQ(FieldPathToXPath("totals.total_payable"), "HDon/DLHDon/NDHDon/TToan/TgTTTBSo");
  EXPECT_EQ(FieldPathToXPath("related.issue_date"), "HDon/DLHDon/TTChung/TTHDLQuan/NLHDCLQuan");
  EXPECT_EQ(FieldPathToXPath("other_info[1].value"), "HDon/DLHDon/TTChung/TTKhac/TTin[2]/DLieu");
  EXPECT_EQ(FieldPathToXPath("symbol"), "HDon/DLHDon/TTChung/KHHDon");
  EXPECT_EQ(FieldPathToXPath(""), "HDon/DLHDon");
  EXPECT_EQ(FieldPathToXPath("nonsense.path"), "nonsense.path");
}

// ---- Safe parsing -----------------------------------------------------------------------------

TEST(SafeXmlTest, BillionLaughsRefused) {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  std::string prev = "lol";
  for (int i = 1; i <= 9; ++i) {
    const std::string name = absl::StrCat("lol", i);
    absl::StrAppend(&bomb, "<!ENTITY ", name, " \"");
    for (int k = 0; k < 10; ++k) absl::StrAppend(&bomb, "&", prev, ";");
    absl::StrAppend(&bomb, "\">\n");
    prev = name;
  }
  absl::StrAppend(&bomb, "]>\n<HDon><DLHDon Id=\"d\">&lol9;</DLHDon></HDon>");
  EXPECT_THAT(ParseXmlSafely(bomb), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("DOCTYPE")));
  EXPECT_THAT(ParseInvoiceXml(bomb), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SafeXmlTest, ExternalFileEntityRefusedAndNotRead) {
  testing::TempDir dir;
  const std::string secret_path = dir.Sub("secret.txt");
  std::ofstream(secret_path) << "TOP-SECRET-CONTENT";
  const std::string xml = absl::StrCat(
      "<?xml version=\"1.0\"?><!DOCTYPE HDon [<!ENTITY x SYSTEM \"file://", secret_path,
      "\">]><HDon><DLHDon Id=\"d\"><TTChung><THDon>&x;</THDon></TTChung></DLHDon></HDon>");
  absl::StatusOr<InvoiceXml> parsed = ParseInvoiceXml(xml);
  EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("DOCTYPE")));
  EXPECT_THAT(std::string(parsed.status().message()), ::testing::Not(HasSubstr("TOP-SECRET")));
}

// An external entity and an external DTD pointing at a local TCP listener: refused, and the
// listener never sees a connection.
TEST(SafeXmlTest, NetworkEntityRefusedNothingFetched) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string url = absl::StrCat("http://127.0.0.1:", ntohs(addr.sin_port), "/x");

  const std::string entity = absl::StrCat(
      "<?xml version=\"1.0\"?><!DOCTYPE HDon [<!ENTITY x SYSTEM \"", url,
      "\">]><HDon><DLHDon Id=\"d\">&x;</DLHDon></HDon>");
  const std::string dtd = absl::StrCat("<?xml version=\"1.0\"?><!DOCTYPE HDon SYSTEM \"", url,
                                       "\"><HDon><DLHDon Id=\"d\"/></HDon>");
  const std::string parameter = absl::StrCat(
      "<?xml version=\"1.0\"?><!DOCTYPE HDon [<!ENTITY % p SYSTEM \"", url,
      "\"> %p;]><HDon/>");
  for (const std::string& xml : {entity, dtd, parameter}) {
    EXPECT_THAT(ParseInvoiceXml(xml), StatusIs(absl::StatusCode::kInvalidArgument)) << xml;
  }
  ASSERT_EQ(fcntl(listener, F_SETFL, O_NONBLOCK), 0);
  EXPECT_LT(accept(listener, nullptr, nullptr), 0) << "the parser connected to the listener";
  close(listener);
}

TEST(SafeXmlTest, TooDeepRefused) {
  std::string xml;
  for (int i = 0; i < 100; ++i) xml += "<a>";
  for (int i = 0; i < 100; ++i) xml += "</a>";
  EXPECT_THAT(ParseXmlSafely(xml), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deeper")));
  EXPECT_OK(ParseXmlSafely(xml, {.max_depth = 100}));
}

TEST(SafeXmlTest, TooLargeRefused) {
  std::string xml = "<HDon>" + std::string(2 * 1024 * 1024, ' ') + "</HDon>";
  EXPECT_THAT(ParseXmlSafely(xml), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too large")));
}

TEST(SafeXmlTest, NotWellFormedRefusedWithLine) {
  EXPECT_THAT(ParseXmlSafely("<HDon>\n<DLHDon></HDon>"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
  EXPECT_THAT(ParseInvoiceXml("<NotAnInvoice/>"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("HDon")));
}

TEST(SafeXmlTest, NonUtf8EncodingRefused) {
  EXPECT_THAT(ParseXmlSafely("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><HDon/>"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("UTF-8")));
  EXPECT_OK(ParseXmlSafely("<?xml version=\"1.0\" encoding=\"utf-8\"?><HDon/>"));
}

TEST(SafeXmlTest, UnreadableXmlViolation) {
  const Violation v = UnreadableXmlViolation(absl::InvalidArgumentError("boom"));
  EXPECT_EQ(v.code, "20001");
  EXPECT_EQ(v.field, "HDon");
  EXPECT_THAT(v.message_vi, HasSubstr("boom"));
}

// Issue #10's attacks on the XML path: each refused or answered in work linear in its size.

TEST(SafeXmlTest, AHundredThousandAttributesAreRefusedBeforeLibxml2SeesThem) {
  std::string xml = "<HDon";
  for (int i = 0; i < 100000; ++i) absl::StrAppend(&xml, " a", i, "=\"\"");
  xml += "/>";
  // libxml2 never says this: the refusal comes from the scan that runs before it.
  EXPECT_THAT(ParseXmlSafely(xml), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("more than 32 attributes")));
}

TEST(SafeXmlTest, AttributesAreCountedPerElementAndQuotedMarkupIsNotCounted) {
  std::string xml = "<HDon";
  for (int i = 0; i < 32; ++i) absl::StrAppend(&xml, " a", i, "='x'");
  xml += "><b c=\"1=2>3\" d='==' /></HDon>";
  EXPECT_OK(ParseXmlSafely(xml));  // 32 on HDon, 2 on b: '=' and '>' inside values ignored
  EXPECT_THAT(ParseXmlSafely(xml, {.max_attributes = 31}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("more than 31")));
}

TEST(SafeXmlTest, TooManyElementsRefusedAndNonElementMarkupNotCounted) {
  std::string xml = "<HDon><!-- <x/><x/> --><![CDATA[<y/><y/>]]><?pi <z/> ?>";
  for (int i = 0; i < 9; ++i) xml += "<a></a>";
  xml += "</HDon>";
  EXPECT_OK(ParseXmlSafely(xml, {.max_elements = 10}));
  EXPECT_THAT(ParseXmlSafely(xml, {.max_elements = 9}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("more than 9 elements")));
}

TEST(InvoiceXmlTest, TwoHundredFiftyKilobytesOfEmptyLinesAreMergedInLinearWork) {
  std::string empty_lines;
  while (empty_lines.size() < 258 * 1024) empty_lines += "<HHDVu/>";
  std::string xml = BaselineXml();
  const size_t begin = xml.find("<DSHHDVu>") + 9;
  const size_t end = xml.find("</DSHHDVu>");
  ASSERT_NE(end, std::string::npos);
  xml.replace(begin, end - begin, empty_lines);
  ASSERT_OK_AND_ASSIGN(InvoiceXml parsed, ParseInvoiceXml(xml));
  std::vector<Violation> rules = ValidateInvoice(parsed.invoice, kBaselineToday);
  // The bound: one lookup per field path and one per '.'/'[' in it.
  size_t bound = 0;
  for (const Violation& v : rules) {
    bound += 1;
    for (char c : v.field) bound += (c == '.' || c == '[');
  }
  size_t lookups = 0;
  const std::vector<Violation> merged = MergeRuleViolations(parsed, std::move(rules), &lookups);
  EXPECT_LE(lookups, bound);
  EXPECT_GT(parsed.reported_fields.size(), 30000u);  // a pairwise merge would do ~10^9 compares
  EXPECT_FALSE(merged.empty());
}

}  // namespace
}  // namespace einvoice
