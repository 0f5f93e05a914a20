#include "xml/tvan_envelope.h"

#include <libxml/tree.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "signer/digest.h"
#include "xml/authority_signature.h"
#include "xml/invoice_dom.h"
#include "xml/safe_xml.h"
#include "xml/xmldsig.h"

namespace einvoice {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

xmlNode* Leaf(xmlNode* parent, const char* name, const std::string& text) {
  return xmlNewTextChild(parent, nullptr, X(name), X(text.c_str()));
}

// A new TDiep answering `request` with type `type`; returns the document and its DLieu.
XmlDocPtr NewAnswer(const TDiepHeader& request, absl::string_view type,
                    absl::string_view message_id, xmlNode** dlieu) {
  InitXmlLibrary();
  XmlDocPtr doc(xmlNewDoc(X("1.0")));
  xmlNode* root = xmlNewNode(nullptr, X("TDiep"));
  xmlDocSetRootElement(doc.get(), root);
  xmlNode* tt = xmlNewChild(root, nullptr, X("TTChung"), nullptr);
  Leaf(tt, "PBan", request.version.empty() ? "2.1.0" : request.version);
  Leaf(tt, "MNGui", "TCT");
  Leaf(tt, "MNNhan", request.sender);
  Leaf(tt, "MLTDiep", std::string(type));
  Leaf(tt, "MTDiep", message_id.empty() ? NewAuthorityMessageId() : std::string(message_id));
  Leaf(tt, "MTDTChieu", request.message_id);
  Leaf(tt, "MST", request.tax_code);
  Leaf(tt, "SLuong", "1");
  *dlieu = xmlNewChild(root, nullptr, X("DLieu"), nullptr);
  return doc;
}

}  // namespace

absl::StatusOr<TDiepDocument> ParseTDiepDocument(absl::string_view xml) {
  absl::StatusOr<XmlDocPtr> doc = ParseXmlSafely(xml);
  if (!doc.ok()) return doc.status();
  xmlNode* root = xmlDocGetRootElement(doc->get());
  if (!xmlutil::IsElement(root, "TDiep")) {
    return absl::InvalidArgumentError("the root element must be TDiep");
  }
  xmlNode* tt = xmlutil::FirstChild(root, "TTChung");
  if (tt == nullptr) return absl::InvalidArgumentError("TDiep has no TTChung");
  auto text = [&](const char* name) { return xmlutil::Text(xmlutil::FirstChild(tt, name)); };
  TDiepDocument out;
  out.header.version = text("PBan");
  out.header.sender = text("MNGui");
  out.header.receiver = text("MNNhan");
  out.header.type = text("MLTDiep");
  out.header.message_id = text("MTDiep");
  out.header.reply_to = text("MTDTChieu");
  out.header.tax_code = text("MST");
  out.header.count = text("SLuong");
  for (const auto& [value, name] : {std::pair{&out.header.sender, "MNGui"},
                                    std::pair{&out.header.type, "MLTDiep"},
                                    std::pair{&out.header.message_id, "MTDiep"}}) {
    if (value->empty()) return absl::InvalidArgumentError(absl::StrCat("TTChung has no ", name));
  }
  xmlNode* dlieu = xmlutil::FirstChild(root, "DLieu");
  out.data_id = xmlutil::Attribute(dlieu, "Id");
  out.payloads = xmlutil::ChildElements(dlieu);
  out.doc = *std::move(doc);
  return out;
}

absl::StatusOr<XmlDocPtr> StandaloneCopy(const xmlNode* node) {
  XmlDocPtr standalone(xmlNewDoc(X("1.0")));
  xmlNode* copy = standalone == nullptr
                      ? nullptr
                      : xmlDocCopyNode(const_cast<xmlNode*>(node), standalone.get(), 1);
  if (copy == nullptr) return absl::ResourceExhaustedError("cannot copy the DLieu payload");
  xmlDocSetRootElement(standalone.get(), copy);
  return standalone;
}

absl::StatusOr<TDiepMessage> ParseTDiep(absl::string_view xml) {
  absl::StatusOr<TDiepDocument> parsed = ParseTDiepDocument(xml);
  if (!parsed.ok()) return parsed.status();
  TDiepMessage out;
  out.header = std::move(parsed->header);
  out.data_id = std::move(parsed->data_id);
  for (const xmlNode* payload : parsed->payloads) {
    absl::StatusOr<XmlDocPtr> standalone = StandaloneCopy(payload);
    if (!standalone.ok()) return standalone.status();
    out.payloads.push_back(xmlutil::Serialize(standalone->get()));
  }
  if (!out.payloads.empty()) out.payload_xml = out.payloads.front();
  return out;
}

std::string NoticeNumber(absl::string_view hex_id) {
  // The first 48 bits of the notice's random id, as 12 decimal digits.
  uint64_t value = 0;
  if (!absl::SimpleHexAtoi(hex_id.substr(0, 12), &value)) value = 0;
  return absl::StrFormat("%012u", value % 1000000000000ULL);
}

std::string NoticeReason(const Violation& violation) {
  // "message\nXPath : detail", as the real authority writes MTLoi. The violation's Vietnamese
  // text is the catalogue message, then ": " and the detail when there is one.
  absl::string_view text = violation.message_vi;
  absl::string_view message = text;
  absl::string_view detail;
  if (const size_t colon = text.find(": "); colon != text.npos) {
    message = text.substr(0, colon);
    detail = text.substr(colon + 2);
  }
  if (violation.field.empty()) return std::string(text);
  return absl::StrCat(message, "\n", violation.field, " : ", detail.empty() ? message : detail);
}

std::string NewAuthorityMessageId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();  // no randomness: cannot continue
  return absl::StrCat("TCT", absl::AsciiStrToUpper(absl::BytesToHexString(absl::string_view(
                                 reinterpret_cast<const char*>(bytes), sizeof(bytes)))));
}

std::string BuildReceipt999(const TDiepHeader& request, absl::Time received_at,
                            absl::Span<const TechnicalError> errors,
                            absl::string_view message_id) {
  xmlNode* dlieu = nullptr;
  XmlDocPtr doc = NewAnswer(request, "999", message_id, &dlieu);
  xmlNode* tbao = xmlNewChild(dlieu, nullptr, X("TBao"), nullptr);
  Leaf(tbao, "MTDiep", request.message_id);
  Leaf(tbao, "MNGui", request.sender);
  Leaf(tbao, "NNhan", xmldsig::FormatDateTime(received_at));
  Leaf(tbao, "TTTNhan", errors.empty() ? "0" : "1");
  if (!errors.empty()) {
    xmlNode* list = xmlNewChild(tbao, nullptr, X("DSLDo"), nullptr);
    for (const TechnicalError& e : errors) {
      xmlNode* ldo = xmlNewChild(list, nullptr, X("LDo"), nullptr);
      Leaf(ldo, "MLoi", e.code);
      Leaf(ldo, "MTa", e.description);
    }
  }
  return xmlutil::Serialize(doc.get());
}

absl::StatusOr<std::string> BuildCodedInvoice202(const TDiepHeader& request,
                                                 absl::string_view coded_invoice_xml,
                                                 absl::Span<const Violation> warnings,
                                                 absl::string_view message_id) {
  absl::StatusOr<XmlDocPtr> coded = ParseXmlSafely(coded_invoice_xml);
  if (!coded.ok()) return coded.status();
  xmlNode* hdon = xmlDocGetRootElement(coded->get());
  if (!xmlutil::IsElement(hdon, "HDon")) {
    return absl::InvalidArgumentError("the coded invoice's root element must be HDon");
  }
  xmlNode* dlieu = nullptr;
  XmlDocPtr doc = NewAnswer(request, "202", message_id, &dlieu);
  xmlNode* copy = xmlDocCopyNode(hdon, doc.get(), 1);
  if (copy == nullptr) return absl::ResourceExhaustedError("cannot copy the coded invoice");
  xmlAddChild(dlieu, copy);
  if (!warnings.empty()) {
    xmlNode* list = xmlNewChild(xmlDocGetRootElement(doc.get()), nullptr, X("DSCBao"), nullptr);
    for (const Violation& v : warnings) {
      xmlNode* warning = xmlNewChild(list, nullptr, X("CBao"), nullptr);
      Leaf(warning, "MLoi", v.code);
      Leaf(warning, "MTLoi", NoticeReason(v));
      Leaf(warning, "HDXLy", HowToFix(v.code));
    }
  }
  return xmlutil::Serialize(doc.get());
}

std::string HowToFix(absl::string_view code) {
  if (code == "20001") return "Kiểm tra lại định dạng dữ liệu";
  if (absl::StartsWith(code, "209")) return "Kiểm tra lại chữ ký số và chứng thư số của người bán";
  if (absl::StartsWith(code, "201")) return "Kiểm tra lại tình trạng đăng ký sử dụng hóa đơn";
  if (absl::StartsWith(code, "202")) return "Kiểm tra lại mã số thuế";
  if (code == "20609") return "Kiểm tra lại ký hiệu mẫu số, ký hiệu và số hóa đơn";
  if (absl::StartsWith(code, "207")) return "Kiểm tra lại số tiền trên hóa đơn";
  return "Kiểm tra lại dữ liệu hóa đơn";
}

namespace {

// A 204 notice up to its DLTBao/SLuong: returns the document; `*tbao` and `*dltbao` receive
// the nodes the caller fills in. DLTBao's Id is random ("Id-<32 hex>"); the number So comes
// from it.
XmlDocPtr NewNotice204(const TDiepHeader& request, const NoticeDetails& details,
                       absl::string_view message_id, absl::string_view answered,
                       size_t invoice_count, xmlNode** tbao, xmlNode** dltbao) {
  xmlNode* dlieu = nullptr;
  XmlDocPtr doc = NewAnswer(request, "204", message_id, &dlieu);
  *tbao = xmlNewChild(dlieu, nullptr, X("TBao"), nullptr);
  xmlNode* dl = xmlNewChild(*tbao, nullptr, X("DLTBao"), nullptr);
  const std::string id = NewAuthorityMessageId().substr(3);  // 32 hex digits
  xmlNewProp(dl, X("Id"), X(absl::StrCat("Id-", id).c_str()));
  const std::string sent_at = xmldsig::FormatDateTime(details.checked_at);
  Leaf(dl, "PBan", request.version.empty() ? "2.1.0" : request.version);
  Leaf(dl, "MSo", "01/TB-KTDL");
  Leaf(dl, "Ten", "Thông báo về việc kết quả kiểm tra dữ liệu hóa đơn điện tử");
  Leaf(dl, "So", NoticeNumber(id));
  Leaf(dl, "DDanh", details.place);
  Leaf(dl, "NTBao", sent_at.substr(0, 10));
  Leaf(dl, "MST", details.seller_tax_code.empty() ? request.tax_code : details.seller_tax_code);
  Leaf(dl, "TNNT", details.seller_name);
  Leaf(dl, "TGGui", sent_at);
  Leaf(dl, "LTBao", details.notice_kind);
  Leaf(dl, "CCu", std::string(answered));
  Leaf(dl, "MGDDTu", request.message_id);
  Leaf(dl, "SLuong", absl::StrCat(invoice_count));
  *dltbao = dl;
  return doc;
}

// TBao/DSCKS/CQT holding the authority's signature over DLTBao; the serialized notice.
absl::StatusOr<std::string> SignNotice(xmlDoc* doc, xmlNode* tbao, xmlNode* dltbao,
                                       const AuthoritySigningKey& key) {
  xmlNode* dscks = xmlNewChild(tbao, nullptr, X("DSCKS"), nullptr);
  xmlNode* cqt = xmlNewChild(dscks, nullptr, X("CQT"), nullptr);
  xmldsig::InitXmlSec();
  if (absl::Status ids = xmldsig::RegisterIds(doc); !ids.ok()) return ids;
  // Stable per notice: derived from DLTBao's random Id.
  const std::string h = Sha256(absl::StrCat("einvoice/notice/ids\n",
                                            xmlutil::Attribute(dltbao, "Id")));
  const AuthoritySignatureIds ids{AuthorityId("Tct-", h), AuthorityId("SigningTime-", h.substr(16))};
  xmlNode* const signed_elements[] = {dltbao};
  if (absl::Status s = AppendAuthoritySignature(doc, cqt, signed_elements, key, ids); !s.ok()) {
    return s;
  }
  return xmlutil::Serialize(doc);
}

}  // namespace

absl::StatusOr<std::string> BuildNotEligible204(const TDiepHeader& request,
                                                const NoticeDetails& details,
                                                absl::Span<const Violation> violations,
                                                const AuthoritySigningKey& key,
                                                absl::string_view message_id) {
  xmlNode* tbao = nullptr;
  xmlNode* dl = nullptr;
  XmlDocPtr doc = NewNotice204(request, details, message_id,
                               "Thông điệp chuyển dữ liệu hóa đơn điện tử để được cấp mã đến CQT",
                               1, &tbao, &dl);
  // One invoice per 200 message: its identifiers and every reason it was not coded.
  xmlNode* invoice = xmlNewChild(dl, nullptr, X("LCMa"), nullptr);
  Leaf(invoice, "KHMSHDon", details.template_code);
  Leaf(invoice, "KHHDon", details.symbol);
  Leaf(invoice, "SHDon", details.number);
  Leaf(invoice, "NLap", details.issue_date);
  xmlNode* list = xmlNewChild(invoice, nullptr, X("DSLDo"), nullptr);
  for (const Violation& v : violations) {
    xmlNode* ldo = xmlNewChild(list, nullptr, X("LDo"), nullptr);
    Leaf(ldo, "MLoi", v.code);
    Leaf(ldo, "MTLoi", NoticeReason(v));
    Leaf(ldo, "HDXLy", HowToFix(v.code));
  }
  return SignNotice(doc.get(), tbao, dl, key);
}

absl::StatusOr<std::string> BuildCashRegisterNotice204(
    const TDiepHeader& request, const NoticeDetails& details, size_t invoice_count,
    absl::Span<const InvalidCashRegisterInvoice> invalid, const AuthoritySigningKey& key,
    absl::string_view message_id) {
  NoticeDetails notice = details;
  // LTBao 2: the data is valid; 7: some invoices are not.
  notice.notice_kind = std::string(invalid.empty() ? "2" : "7");
  xmlNode* tbao = nullptr;
  xmlNode* dl = nullptr;
  XmlDocPtr doc = NewNotice204(
      request, notice, message_id,
      "Thông điệp chuyển dữ liệu hóa đơn điện tử khởi tạo từ máy tính tiền đến cơ quan thuế",
      invoice_count, &tbao, &dl);
  if (!invalid.empty()) {
    xmlNode* list = xmlNewChild(xmlNewChild(dl, nullptr, X("LHDMTTien"), nullptr), nullptr,
                                X("DSLDo"), nullptr);
    for (const InvalidCashRegisterInvoice& invoice : invalid) {
      for (const Violation& v : invoice.violations) {
        xmlNode* ldo = xmlNewChild(list, nullptr, X("LDo"), nullptr);
        Leaf(ldo, "MLoi", v.code);
        // "template;symbol;number;message", the message being the catalogue's (no detail).
        absl::string_view message = v.message_vi;
        if (const size_t colon = message.find(": "); colon != message.npos) {
          message = message.substr(0, colon);
        }
        Leaf(ldo, "MTLoi", absl::StrCat(invoice.template_code, ";", invoice.symbol, ";",
                                        invoice.number, ";", message));
        Leaf(ldo, "HDXLy", HowToFix(v.code));
      }
    }
  }
  return SignNotice(doc.get(), tbao, dl, key);
}

}  // namespace einvoice
