#include "xml/invoice_xml_mapping.h"

#include <libxml/tree.h>

#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"
#include "xml/safe_xml.h"

namespace einvoice {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

class Writer {
 public:
  // Appends <name>text</name> under `parent` if `text` is not empty.
  static void Leaf(xmlNode* parent, const char* name, const std::string& text) {
    if (text.empty()) return;
    xmlNewTextChild(parent, nullptr, X(name), X(text.c_str()));
  }
  static void Number(xmlNode* parent, const char* name, uint64_t value) {
    if (value == 0) return;
    Leaf(parent, name, absl::StrCat(value));
  }
  static xmlNode* Group(xmlNode* parent, const char* name) {
    return xmlNewChild(parent, nullptr, X(name), nullptr);
  }
};

// `group/TTin*` for `infos` (nothing when empty); `group` is TTKhac or TTHHDTrung.
void WriteOtherInfo(xmlNode* parent, const char* group,
                    const google::protobuf::RepeatedPtrField<v1::OtherInfo>& infos) {
  if (infos.empty()) return;
  xmlNode* other = Writer::Group(parent, group);
  for (const v1::OtherInfo& o : infos) {
    xmlNode* t = Writer::Group(other, "TTin");
    Writer::Leaf(t, "TTruong", o.field());
    Writer::Leaf(t, "KDLieu", o.data_type());
    Writer::Leaf(t, "DLieu", o.value());
  }
}

void WriteParty(xmlNode* parent, const char* name, const v1::Party& p, bool buyer) {
  xmlNode* node = Writer::Group(parent, name);
  Writer::Leaf(node, "Ten", p.name());
  Writer::Leaf(node, "MST", p.tax_code());
  Writer::Leaf(node, "DChi", p.address());
  if (buyer) Writer::Leaf(node, "MKHang", p.customer_code());
  Writer::Leaf(node, "SDThoai", p.phone());
  Writer::Leaf(node, "DCTDTu", p.email());
  if (buyer) Writer::Leaf(node, "HVTNMHang", p.personal_name());
  Writer::Leaf(node, "STKNHang", p.bank_account());
  Writer::Leaf(node, "TNHang", p.bank_name());
  if (buyer) {
    Writer::Leaf(node, "CCCDan", p.citizen_id());
    Writer::Leaf(node, "SHChieu", p.passport());
    Writer::Leaf(node, "MDVQHNSach", p.budget_unit_code());
    Writer::Leaf(node, "HVTNNHang", p.receiver_name());
  } else {
    Writer::Leaf(node, "Fax", p.fax());
    Writer::Leaf(node, "Website", p.website());
    Writer::Leaf(node, "MCHang", p.store_code());
    Writer::Leaf(node, "TCHang", p.store_name());
    Writer::Leaf(node, "LDDNBo", p.transfer_order());
    Writer::Leaf(node, "HDKTSo", p.contract_number());
    Writer::Leaf(node, "HDKTNgay", p.contract_date());
    Writer::Leaf(node, "HVTNXHang", p.dispatcher_name());
    Writer::Leaf(node, "TNVChuyen", p.transporter_name());
    Writer::Leaf(node, "PTVChuyen", p.transport_means());
  }
  WriteOtherInfo(node, "TTKhac", p.other_info());
}

// How rule field paths (proto field names) map to elements, for FieldPathToXPath(). A step is
// one field: the element path it maps to below its parent's element, and for a repeated field
// the repeated element inside it (the field's [i] selects `item[i+1]`).
struct Step {
  absl::string_view field;
  absl::string_view element;
  absl::string_view item = {};
  absl::Span<const Step> children = {};
};

constexpr Step kOtherInfoSteps[] = {
    {"field", "TTruong"}, {"data_type", "KDLieu"}, {"value", "DLieu"}};
constexpr Step kRelatedSteps[] = {
    {"relation", "TCHDon"},         {"original_kind", "LHDCLQuan"},
    {"template_code", "KHMSHDCLQuan"}, {"symbol", "KHHDCLQuan"},
    {"number", "SHDCLQuan"},        {"issue_date", "NLHDCLQuan"},
    {"list_number", "SBKCLQuan"},   {"list_date", "NBKCLQuan"},
    {"note", "GChu"},
};
constexpr Step kPartySteps[] = {
    {"name", "Ten"},           {"tax_code", "MST"},        {"address", "DChi"},
    {"phone", "SDThoai"},      {"email", "DCTDTu"},        {"bank_account", "STKNHang"},
    {"bank_name", "TNHang"},   {"personal_name", "HVTNMHang"}, {"citizen_id", "CCCDan"},
    {"passport", "SHChieu"},   {"customer_code", "MKHang"},  {"fax", "Fax"},
    {"website", "Website"},    {"store_code", "MCHang"},     {"store_name", "TCHang"},
    {"budget_unit_code", "MDVQHNSach"}, {"transfer_order", "LDDNBo"},
    {"contract_number", "HDKTSo"},      {"contract_date", "HDKTNgay"},
    {"dispatcher_name", "HVTNXHang"},   {"transporter_name", "TNVChuyen"},
    {"transport_means", "PTVChuyen"},   {"receiver_name", "HVTNNHang"},
    {"other_info", "TTKhac", "TTin", kOtherInfoSteps},
};
constexpr Step kLineSteps[] = {
    {"nature", "TChat"},          {"line_no", "STT"},         {"item_code", "MHHDVu"},
    {"name", "THHDVu"},           {"unit", "DVTinh"},         {"quantity", "SLuong"},
    {"unit_price", "DGia"},       {"discount_rate", "TLCKhau"}, {"discount_amount", "STCKhau"},
    {"amount", "ThTien"},         {"vat_rate", "TSuat"},      {"tax_amount", "TThue"},
    {"amount_after_tax", "TSThue"},
    {"special_goods", "TTHHDTrung", "TTin", kOtherInfoSteps},
    {"other_info", "TTKhac", "TTin", kOtherInfoSteps},
};
constexpr Step kSummarySteps[] = {
    {"vat_rate", "TSuat"}, {"taxable_amount", "ThTien"}, {"tax_amount", "TThue"}};
constexpr Step kFeeSteps[] = {{"name", "TLPhi"}, {"amount", "TPhi"}};
constexpr Step kTotalsSteps[] = {
    {"rate_summaries", "THTTLTSuat", "LTSuat", kSummarySteps},
    {"total_before_tax", "TgTCThue"},
    {"total_tax", "TgTThue"},
    {"total_not_taxable", "TGTKCThue"},
    {"total_other", "TGTKhac"},
    {"fees", "DSLPhi", "LPhi", kFeeSteps},
    {"total_trade_discount", "TTCKTMai"},
    {"total_payable", "TgTTTBSo"},
    {"total_payable_in_words", "TgTTTBChu"},
    {"other_info", "TTKhac", "TTin", kOtherInfoSteps},
};
// Below HDon/DLHDon.
constexpr Step kInvoiceSteps[] = {
    {"version", "TTChung/PBan"},
    {"invoice_name", "TTChung/THDon"},
    {"template_code", "TTChung/KHMSHDon"},
    {"symbol", "TTChung/KHHDon"},
    {"number", "TTChung/SHDon"},
    {"dossier_code", "TTChung/MHSo"},
    {"issue_date", "TTChung/NLap"},
    {"non_tariff_zone", "TTChung/HDDCKPTQuan"},
    {"list_number", "TTChung/SBKe"},
    {"list_date", "TTChung/NBKe"},
    {"currency", "TTChung/DVTTe"},
    {"exchange_rate", "TTChung/TGia"},
    {"payment_method", "TTChung/HTTToan"},
    {"provider_tax_code", "TTChung/MSTTCGP"},
    {"issuer_tax_code", "TTChung/MSTDVNUNLHDon"},
    {"issuer_name", "TTChung/TDVNUNLHDon"},
    {"issuer_address", "TTChung/DCDVNUNLHDon"},
    {"hdcttchinh", "TTChung/HDCTTChinh"},
    {"related", "TTChung/TTHDLQuan", {}, kRelatedSteps},
    {"other_info", "TTChung/TTKhac", "TTin", kOtherInfoSteps},
    {"seller", "NDHDon/NBan", {}, kPartySteps},
    {"buyer", "NDHDon/NMua", {}, kPartySteps},
    {"lines", "NDHDon/DSHHDVu", "HHDVu", kLineSteps},
    {"totals", "NDHDon/TToan", {}, kTotalsSteps},
    {"content_other_info", "NDHDon/TTKhac", "TTin", kOtherInfoSteps},
    {"document_other_info", "TTKhac", "TTin", kOtherInfoSteps},
};

// Splits "lines[2]" into ("lines", 2); index -1 when there is none. False if malformed.
bool SplitIndex(absl::string_view part, absl::string_view* name, int* index) {
  const size_t open = part.find('[');
  if (open == absl::string_view::npos) {
    *name = part;
    *index = -1;
    return true;
  }
  if (part.back() != ']') return false;
  *name = part.substr(0, open);
  return absl::SimpleAtoi(part.substr(open + 1, part.size() - open - 2), index) && *index >= 0;
}

}  // namespace

std::string InvoiceToXml(const v1::Invoice& inv, absl::string_view dlhdon_id) {
  InitXmlLibrary();
  XmlDocPtr doc(xmlNewDoc(X("1.0")));
  xmlNode* root = xmlNewNode(nullptr, X("HDon"));
  xmlDocSetRootElement(doc.get(), root);
  xmlNode* dl = Writer::Group(root, "DLHDon");
  const std::string id(dlhdon_id);
  xmlNewProp(dl, X("Id"), X(id.c_str()));

  xmlNode* tt = Writer::Group(dl, "TTChung");
  Writer::Leaf(tt, "PBan", inv.version());
  Writer::Leaf(tt, "THDon", inv.invoice_name());
  Writer::Leaf(tt, "KHMSHDon", inv.template_code());
  Writer::Leaf(tt, "KHHDon", inv.symbol());
  Writer::Number(tt, "SHDon", inv.number());
  Writer::Leaf(tt, "MHSo", inv.dossier_code());
  Writer::Leaf(tt, "NLap", inv.issue_date());
  Writer::Leaf(tt, "HDDCKPTQuan", inv.non_tariff_zone());
  Writer::Leaf(tt, "SBKe", inv.list_number());
  Writer::Leaf(tt, "NBKe", inv.list_date());
  Writer::Leaf(tt, "DVTTe", inv.currency());
  Writer::Leaf(tt, "TGia", inv.exchange_rate());
  Writer::Leaf(tt, "HTTToan", inv.payment_method());
  Writer::Leaf(tt, "MSTTCGP", inv.provider_tax_code());
  Writer::Leaf(tt, "MSTDVNUNLHDon", inv.issuer_tax_code());
  Writer::Leaf(tt, "TDVNUNLHDon", inv.issuer_name());
  Writer::Leaf(tt, "DCDVNUNLHDon", inv.issuer_address());
  Writer::Leaf(tt, "HDCTTChinh", inv.hdcttchinh());
  if (inv.has_related()) {
    const v1::RelatedInvoice& r = inv.related();
    xmlNode* rel = Writer::Group(tt, "TTHDLQuan");
    Writer::Number(rel, "TCHDon", static_cast<uint64_t>(r.relation()));
    Writer::Number(rel, "LHDCLQuan", r.original_kind());
    Writer::Leaf(rel, "KHMSHDCLQuan", r.template_code());
    Writer::Leaf(rel, "KHHDCLQuan", r.symbol());
    Writer::Number(rel, "SHDCLQuan", r.number());
    Writer::Leaf(rel, "NLHDCLQuan", r.issue_date());
    Writer::Leaf(rel, "SBKCLQuan", r.list_number());
    Writer::Leaf(rel, "NBKCLQuan", r.list_date());
    Writer::Leaf(rel, "GChu", r.note());
  }
  WriteOtherInfo(tt, "TTKhac", inv.other_info());

  xmlNode* nd = Writer::Group(dl, "NDHDon");
  WriteParty(nd, "NBan", inv.seller(), /*buyer=*/false);
  WriteParty(nd, "NMua", inv.buyer(), /*buyer=*/true);
  xmlNode* lines = Writer::Group(nd, "DSHHDVu");
  for (const v1::LineItem& l : inv.lines()) {
    xmlNode* h = Writer::Group(lines, "HHDVu");
    Writer::Number(h, "TChat", static_cast<uint64_t>(l.nature()));
    Writer::Number(h, "STT", l.line_no());
    Writer::Leaf(h, "MHHDVu", l.item_code());
    Writer::Leaf(h, "THHDVu", l.name());
    Writer::Leaf(h, "DVTinh", l.unit());
    Writer::Leaf(h, "SLuong", l.quantity());
    Writer::Leaf(h, "DGia", l.unit_price());
    Writer::Leaf(h, "TLCKhau", l.discount_rate());
    Writer::Leaf(h, "STCKhau", l.discount_amount());
    Writer::Leaf(h, "ThTien", l.amount());
    Writer::Leaf(h, "TSuat", l.vat_rate());
    Writer::Leaf(h, "TThue", l.tax_amount());
    Writer::Leaf(h, "TSThue", l.amount_after_tax());
    WriteOtherInfo(h, "TTHHDTrung", l.special_goods());
    WriteOtherInfo(h, "TTKhac", l.other_info());
  }
  const v1::Totals& t = inv.totals();
  xmlNode* totals = Writer::Group(nd, "TToan");
  if (t.rate_summaries_size() > 0) {
    xmlNode* by_rate = Writer::Group(totals, "THTTLTSuat");
    for (const v1::RateSummary& s : t.rate_summaries()) {
      xmlNode* r = Writer::Group(by_rate, "LTSuat");
      Writer::Leaf(r, "TSuat", s.vat_rate());
      Writer::Leaf(r, "ThTien", s.taxable_amount());
      Writer::Leaf(r, "TThue", s.tax_amount());
    }
  }
  Writer::Leaf(totals, "TgTCThue", t.total_before_tax());
  Writer::Leaf(totals, "TgTThue", t.total_tax());
  Writer::Leaf(totals, "TGTKCThue", t.total_not_taxable());
  Writer::Leaf(totals, "TGTKhac", t.total_other());
  if (t.fees_size() > 0) {
    xmlNode* fees = Writer::Group(totals, "DSLPhi");
    for (const v1::Fee& f : t.fees()) {
      xmlNode* fee = Writer::Group(fees, "LPhi");
      Writer::Leaf(fee, "TLPhi", f.name());
      Writer::Leaf(fee, "TPhi", f.amount());
    }
  }
  Writer::Leaf(totals, "TTCKTMai", t.total_trade_discount());
  Writer::Leaf(totals, "TgTTTBSo", t.total_payable());
  Writer::Leaf(totals, "TgTTTBChu", t.total_payable_in_words());
  WriteOtherInfo(totals, "TTKhac", t.other_info());
  WriteOtherInfo(nd, "TTKhac", inv.content_other_info());

  WriteOtherInfo(dl, "TTKhac", inv.document_other_info());

  xmlNode* signatures = Writer::Group(root, "DSCKS");
  Writer::Group(signatures, "NBan");
  Writer::Group(signatures, "NMua");
  Writer::Group(signatures, "CQT");
  Writer::Group(signatures, "CCKSKhac");
  return xmlutil::Serialize(doc.get());
}

std::string FieldPathToXPath(absl::string_view field_path) {
  std::string xpath = "HDon/DLHDon";
  if (field_path.empty()) return xpath;
  if (field_path == "code") return "HDon/MCCQT";  // a cash-register invoice's own code
  const std::vector<absl::string_view> parts = absl::StrSplit(field_path, '.');
  absl::Span<const Step> steps = kInvoiceSteps;
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::string_view name;
    int index = -1;
    if (!SplitIndex(parts[i], &name, &index)) return std::string(field_path);
    const Step* step = nullptr;
    for (const Step& s : steps) {
      if (s.field == name) step = &s;
    }
    if (step == nullptr) return std::string(field_path);
    absl::StrAppend(&xpath, "/", step->element);
    const bool last = i + 1 == parts.size();
    if (step->item.empty()) {
      if (index >= 0) return std::string(field_path);  // not a repeated field
    } else if (index >= 0) {
      absl::StrAppend(&xpath, "/", step->item, "[", index + 1, "]");
    } else if (!last) {
      return std::string(field_path);  // a field of a repeated element needs its index
    }
    steps = step->children;
    if (!last && steps.empty()) return std::string(field_path);
  }
  return xpath;
}

}  // namespace einvoice
