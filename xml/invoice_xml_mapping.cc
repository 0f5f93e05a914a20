#include "xml/invoice_xml_mapping.h"

#include <libxml/tree.h>

#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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
  }
}

// Field path component → XML element name tables for FieldPathToXPath().
struct NamePair {
  absl::string_view field;
  absl::string_view element;
};

constexpr NamePair kGeneral[] = {
    {"version", "PBan"},          {"invoice_name", "THDon"},  {"template_code", "KHMSHDon"},
    {"symbol", "KHHDon"},         {"number", "SHDon"},        {"issue_date", "NLap"},
    {"currency", "DVTTe"},        {"exchange_rate", "TGia"},  {"payment_method", "HTTToan"},
    {"provider_tax_code", "MSTTCGP"},
};
constexpr NamePair kRelated[] = {
    {"relation", "TCHDon"},      {"original_kind", "LHDCLQuan"}, {"template_code", "KHMSHDCLQuan"},
    {"symbol", "KHHDCLQuan"},    {"number", "SHDCLQuan"},        {"issue_date", "NLHDCLQuan"},
    {"note", "GChu"},
};
constexpr NamePair kOtherInfo[] = {
    {"field", "TTruong"}, {"data_type", "KDLieu"}, {"value", "DLieu"}};
constexpr NamePair kParty[] = {
    {"name", "Ten"},           {"tax_code", "MST"},        {"address", "DChi"},
    {"phone", "SDThoai"},      {"email", "DCTDTu"},        {"bank_account", "STKNHang"},
    {"bank_name", "TNHang"},   {"personal_name", "HVTNMHang"}, {"citizen_id", "CCCDan"},
    {"passport", "SHChieu"},   {"customer_code", "MKHang"},
};
constexpr NamePair kLine[] = {
    {"nature", "TChat"},          {"line_no", "STT"},         {"item_code", "MHHDVu"},
    {"name", "THHDVu"},           {"unit", "DVTinh"},         {"quantity", "SLuong"},
    {"unit_price", "DGia"},       {"discount_rate", "TLCKhau"}, {"discount_amount", "STCKhau"},
    {"amount", "ThTien"},         {"vat_rate", "TSuat"},
};
constexpr NamePair kSummary[] = {
    {"vat_rate", "TSuat"}, {"taxable_amount", "ThTien"}, {"tax_amount", "TThue"}};
constexpr NamePair kTotals[] = {
    {"total_before_tax", "TgTCThue"},       {"total_tax", "TgTThue"},
    {"total_trade_discount", "TTCKTMai"},   {"total_payable", "TgTTTBSo"},
    {"total_payable_in_words", "TgTTTBChu"},
};

template <size_t N>
const absl::string_view* Lookup(const NamePair (&table)[N], absl::string_view field) {
  for (const NamePair& p : table) {
    if (p.field == field) return &p.element;
  }
  return nullptr;
}

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
  Writer::Leaf(tt, "NLap", inv.issue_date());
  Writer::Leaf(tt, "DVTTe", inv.currency());
  Writer::Leaf(tt, "TGia", inv.exchange_rate());
  Writer::Leaf(tt, "HTTToan", inv.payment_method());
  Writer::Leaf(tt, "MSTTCGP", inv.provider_tax_code());
  if (inv.has_related()) {
    const v1::RelatedInvoice& r = inv.related();
    xmlNode* rel = Writer::Group(tt, "TTHDLQuan");
    Writer::Number(rel, "TCHDon", static_cast<uint64_t>(r.relation()));
    Writer::Number(rel, "LHDCLQuan", r.original_kind());
    Writer::Leaf(rel, "KHMSHDCLQuan", r.template_code());
    Writer::Leaf(rel, "KHHDCLQuan", r.symbol());
    Writer::Number(rel, "SHDCLQuan", r.number());
    Writer::Leaf(rel, "NLHDCLQuan", r.issue_date());
    Writer::Leaf(rel, "GChu", r.note());
  }
  if (inv.other_info_size() > 0) {
    xmlNode* other = Writer::Group(tt, "TTKhac");
    for (const v1::OtherInfo& o : inv.other_info()) {
      xmlNode* t = Writer::Group(other, "TTin");
      Writer::Leaf(t, "TTruong", o.field());
      Writer::Leaf(t, "KDLieu", o.data_type());
      Writer::Leaf(t, "DLieu", o.value());
    }
  }

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
  Writer::Leaf(totals, "TTCKTMai", t.total_trade_discount());
  Writer::Leaf(totals, "TgTTTBSo", t.total_payable());
  Writer::Leaf(totals, "TgTTTBChu", t.total_payable_in_words());

  xmlNode* signatures = Writer::Group(root, "DSCKS");
  Writer::Group(signatures, "NBan");
  Writer::Group(signatures, "NMua");
  Writer::Group(signatures, "CQT");
  Writer::Group(signatures, "CCKSKhac");
  return xmlutil::Serialize(doc.get());
}

std::string FieldPathToXPath(absl::string_view field_path) {
  static constexpr absl::string_view kDl = "HDon/DLHDon";
  static constexpr absl::string_view kTt = "HDon/DLHDon/TTChung";
  static constexpr absl::string_view kNd = "HDon/DLHDon/NDHDon";
  if (field_path.empty()) return std::string(kDl);
  if (field_path == "code") return "HDon/MCCQT";  // a cash-register invoice's own code
  const std::vector<absl::string_view> parts = absl::StrSplit(field_path, '.');
  absl::string_view head;
  int index = -1;
  if (!SplitIndex(parts[0], &head, &index)) return std::string(field_path);
  const absl::string_view* element = nullptr;
  auto sub = [&](auto& table, absl::string_view prefix) -> std::string {
    if (parts.size() == 1) return std::string(prefix);
    if (parts.size() != 2 || (element = Lookup(table, parts[1])) == nullptr) {
      return std::string(field_path);
    }
    return absl::StrCat(prefix, "/", *element);
  };
  if (parts.size() == 1 && index < 0 && (element = Lookup(kGeneral, head)) != nullptr) {
    return absl::StrCat(kTt, "/", *element);
  }
  if (head == "related" && index < 0) return sub(kRelated, absl::StrCat(kTt, "/TTHDLQuan"));
  if (head == "other_info") {
    if (index < 0) return parts.size() == 1 ? absl::StrCat(kTt, "/TTKhac") : std::string(field_path);
    return sub(kOtherInfo, absl::StrCat(kTt, "/TTKhac/TTin[", index + 1, "]"));
  }
  if (head == "seller" && index < 0) return sub(kParty, absl::StrCat(kNd, "/NBan"));
  if (head == "buyer" && index < 0) return sub(kParty, absl::StrCat(kNd, "/NMua"));
  if (head == "lines") {
    if (index < 0) return parts.size() == 1 ? absl::StrCat(kNd, "/DSHHDVu") : std::string(field_path);
    return sub(kLine, absl::StrCat(kNd, "/DSHHDVu/HHDVu[", index + 1, "]"));
  }
  if (head == "totals" && index < 0) {
    if (parts.size() == 1) return absl::StrCat(kNd, "/TToan");
    absl::string_view second;
    int second_index = -1;
    if (!SplitIndex(parts[1], &second, &second_index)) return std::string(field_path);
    if (second == "rate_summaries") {
      const std::string base =
          second_index < 0 ? absl::StrCat(kNd, "/TToan/THTTLTSuat")
                           : absl::StrCat(kNd, "/TToan/THTTLTSuat/LTSuat[", second_index + 1, "]");
      if (parts.size() == 2) return base;
      if (parts.size() == 3 && second_index >= 0 &&
          (element = Lookup(kSummary, parts[2])) != nullptr) {
        return absl::StrCat(base, "/", *element);
      }
      return std::string(field_path);
    }
    if (parts.size() == 2 && second_index < 0 && (element = Lookup(kTotals, second)) != nullptr) {
      return absl::StrCat(kNd, "/TToan/", *element);
    }
  }
  return std::string(field_path);
}

}  // namespace einvoice
