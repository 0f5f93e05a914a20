#include "xml/qd1450_format.h"

#include <libxml/tree.h>

#include <map>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "rules/violation_catalogue.h"
#include "xml/invoice_dom.h"
#include "xml/invoice_xml_mapping.h"
#include "xml/safe_xml.h"

namespace einvoice {
namespace {

using xmlutil::ChildElements;
using xmlutil::HasChildElements;
using xmlutil::Name;
using xmlutil::Text;


enum class Kind { kLeaf, kGroup, kAny };

// One allowed child element of a group.
struct Spec {
  absl::string_view name;
  Kind kind = Kind::kLeaf;
  bool repeated = false;
  bool required = false;
  // Rule field path (prefix) whose violations a missing required element already explains.
  absl::string_view field = {};
  // Defined only for delivery notes (template 6); on another template a 20001 at its XPath.
  bool delivery_note = false;
};

// QĐ1450 v2.1.0 element sets. Every element listed is mapped to a field of the Invoice
// (docs/xml.md has the table), except the signatures under DSCKS and DLQRCode, which are
// no part of the invoice data; any other name is an error.
constexpr Spec kHDon[] = {
    {"DLHDon", Kind::kGroup, false, true, "*"},
    {"MCCQT", Kind::kLeaf},
    {"DLQRCode", Kind::kLeaf},
    {"DSCKS", Kind::kGroup},
};
constexpr Spec kDLHDon[] = {
    {"TTChung", Kind::kGroup, false, true, "*"},
    {"NDHDon", Kind::kGroup, false, true, "*"},
    {"TTKhac", Kind::kGroup},
};
constexpr Spec kTTChung[] = {
    {"PBan"},          {"THDon"},         {"KHMSHDon"},      {"KHHDon"},
    {"SHDon"},         {"MHSo"},          {"NLap"},          {"HDDCKPTQuan"},
    {"SBKe"},          {"NBKe"},          {"DVTTe"},         {"TGia"},
    {"HTTToan"},       {"MSTTCGP"},       {"MSTDVNUNLHDon"}, {"TDVNUNLHDon"},
    {"DCDVNUNLHDon"},  {"HDCTTChinh"},    {"TTHDLQuan", Kind::kGroup},
    {"TTKhac", Kind::kGroup},
};
constexpr Spec kTTHDLQuan[] = {
    {"TCHDon"},     {"LHDCLQuan"},  {"KHMSHDCLQuan"}, {"KHHDCLQuan"}, {"SHDCLQuan"},
    {"NLHDCLQuan"}, {"SBKCLQuan"},  {"NBKCLQuan"},    {"GChu"},
};
// TTKhac (and TTHHDTrung, read the same way): repeated key/value entries.
constexpr Spec kTTKhac[] = {{"TTin", Kind::kGroup, true}};
constexpr Spec kTTin[] = {{"TTruong"}, {"KDLieu"}, {"DLieu"}};
constexpr Spec kNDHDon[] = {
    {"NBan", Kind::kGroup, false, true, "seller"},
    {"NMua", Kind::kGroup, false, true, "buyer"},
    {"DSHHDVu", Kind::kGroup, false, true, "lines"},
    {"TToan", Kind::kGroup, false, true, "totals"},
    {"TTKhac", Kind::kGroup},
};
constexpr Spec kNBan[] = {
    {"Ten"},    {"MST"},     {"DChi"},  {"SDThoai"}, {"DCTDTu"},  {"STKNHang"},
    {"TNHang"}, {"Fax"},     {"Website"}, {"MCHang"}, {"TCHang"},
    // Delivery notes (template 6).
    {.name = "LDDNBo", .delivery_note = true},    {.name = "HDKTSo", .delivery_note = true},
    {.name = "HDKTNgay", .delivery_note = true},  {.name = "HVTNXHang", .delivery_note = true},
    {.name = "TNVChuyen", .delivery_note = true}, {.name = "PTVChuyen", .delivery_note = true},
    {"TTKhac", Kind::kGroup},
};
constexpr Spec kNMua[] = {
    {"Ten"},      {"MST"},     {"DChi"},    {"MKHang"},   {"SDThoai"},
    {"DCTDTu"},   {"HVTNMHang"}, {"STKNHang"}, {"TNHang"}, {"CCCDan"},
    {"SHChieu"},  {"MDVQHNSach"},
    {.name = "HVTNNHang", .delivery_note = true},  // delivery notes (template 6)
    {"TTKhac", Kind::kGroup},
};
constexpr Spec kDSHHDVu[] = {{"HHDVu", Kind::kGroup, true}};
constexpr Spec kHHDVu[] = {
    {"TChat"},   {"STT"},      {"MHHDVu"},  {"THHDVu"}, {"DVTinh"}, {"SLuong"},
    {"DGia"},    {"TLCKhau"},  {"STCKhau"}, {"ThTien"}, {"TSuat"},  {"TThue"},
    {"TSThue"},  {"TTHHDTrung", Kind::kGroup}, {"TTKhac", Kind::kGroup},
};
constexpr Spec kTToan[] = {
    {"THTTLTSuat", Kind::kGroup}, {"TgTCThue"},  {"TgTThue"},  {"TGTKCThue"},
    {"TGTKhac"},                  {"DSLPhi", Kind::kGroup},    {"TTCKTMai"},
    {"TgTTTBSo"},                 {"TgTTTBChu"}, {"TTKhac", Kind::kGroup},
};
constexpr Spec kTHTTLTSuat[] = {{"LTSuat", Kind::kGroup, true}};
constexpr Spec kLTSuat[] = {{"TSuat"}, {"ThTien"}, {"TThue"}};
constexpr Spec kDSLPhi[] = {{"LPhi", Kind::kGroup, true}};
constexpr Spec kLPhi[] = {{"TLPhi"}, {"TPhi"}};
constexpr Spec kDSCKS[] = {
    {"NBan", Kind::kAny}, {"NMua", Kind::kAny}, {"CQT", Kind::kAny}, {"CCKSKhac", Kind::kAny}};

// The children of one group, by name, after checking them against the group's specs.
class Children {
 public:
  xmlNode* One(absl::string_view name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second.front();
  }
  const std::vector<xmlNode*>& All(absl::string_view name) const {
    static const std::vector<xmlNode*> kNone;
    auto it = by_name_.find(name);
    return it == by_name_.end() ? kNone : it->second;
  }
  void Add(absl::string_view name, xmlNode* node) { by_name_[name].push_back(node); }

 private:
  std::map<absl::string_view, std::vector<xmlNode*>> by_name_;
};

class Reader {
 public:
  explicit Reader(const InvoiceXmlOptions& options) : options_(options) {}

  InvoiceXml Read(xmlNode* root) && {
    const std::string hdon = "HDon";
    Children top = Check(root, hdon, kHDon, /*ordered=*/true);
    if (xmlNode* code = top.One("MCCQT")) {
      if (!options_.allow_authority_parts && !options_.cash_register) {
        Report(kFormatPattern, hdon + "/MCCQT", "hóa đơn gửi cấp mã không được có mã của cơ quan thuế",
               "an invoice submitted for coding must not carry an authority code");
      }
      out_.authority_code = Text(code);
      out_.authority_code_id = xmlutil::Attribute(code, "Id");
    } else if (options_.cash_register) {
      Report(kFormatRequired, hdon + "/MCCQT",
             "thiếu mã hóa đơn do máy tính tiền tạo",
             "cash-register data must carry the code the register made");
      Suppress("code");  // the authenticator's "code: required" is this same problem
    }
    if (xmlNode* dscks = top.One("DSCKS")) {
      Children signatures = Check(dscks, hdon + "/DSCKS", kDSCKS, /*ordered=*/true);
      if (!options_.allow_authority_parts && HasChildElements(signatures.One("CQT"))) {
        Report(kFormatPattern, hdon + "/DSCKS/CQT",
               "hóa đơn gửi cấp mã không được có chữ ký của cơ quan thuế",
               "an invoice submitted for coding must not carry the authority's signature");
      }
    }
    xmlNode* dl = top.One("DLHDon");
    if (dl == nullptr) return std::move(out_);
    const std::string dl_path = hdon + "/DLHDon";
    out_.dlhdon_id = xmlutil::Attribute(dl, "Id");
    if (out_.dlhdon_id.empty() && !options_.cash_register) {
      Report(kFormatRequired, dl_path, "thiếu thuộc tính Id (được chữ ký số tham chiếu)",
             "missing the Id attribute (referenced by the signatures)");
    }
    Children d = Check(dl, dl_path, kDLHDon, /*ordered=*/true);
    if (xmlNode* tt = d.One("TTChung")) ReadGeneral(tt, dl_path + "/TTChung");
    if (xmlNode* nd = d.One("NDHDon")) ReadContent(nd, dl_path + "/NDHDon");
    ReadOtherInfo(d, dl_path, "document_other_info", out_.invoice.mutable_document_other_info());
    return std::move(out_);
  }

 private:
  void Report(const ViolationType& type, const std::string& xpath, absl::string_view vi,
              absl::string_view en) {
    out_.violations.push_back(MakeViolation(type, xpath, vi, en));
  }
  void Suppress(absl::string_view field) { out_.reported_fields.emplace_back(field); }

  // Checks the element children of `node` (at `xpath`) against `specs`.
  Children Check(xmlNode* node, const std::string& xpath, absl::Span<const Spec> specs,
                 bool ordered) {
    Children children;
    std::map<absl::string_view, int> counts;
    int last_position = -1;
    for (xmlNode* c = node->children; c != nullptr; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        const std::string text = c->content != nullptr ? reinterpret_cast<const char*>(c->content) : "";
        if (!absl::StripAsciiWhitespace(text).empty()) {
          Report(kFormatPattern, xpath, "có văn bản ngoài các phần tử con",
                 "text outside the child elements");
        }
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      const absl::string_view name = Name(c);
      int position = -1;
      for (size_t i = 0; i < specs.size(); ++i) {
        if (specs[i].name == name) position = static_cast<int>(i);
      }
      const std::string child_path = absl::StrCat(xpath, "/", name);
      if (position < 0 || c->ns != nullptr) {
        Report(kFormatPattern, child_path, "phần tử không thuộc định dạng hóa đơn",
               "element not part of the invoice format");
        continue;
      }
      const Spec& spec = specs[position];
      // The template is known: TTChung is read before NDHDon.
      if (spec.delivery_note && out_.invoice.template_code() != "6") {
        Report(kFormatPattern, child_path,
               "phần tử không thuộc định dạng của mẫu số hóa đơn này (chỉ có ở phiếu xuất kho, "
               "mẫu số 6)",
               "element not defined for this template (only delivery notes, template 6, carry "
               "it)");
        continue;
      }
      const int count = ++counts[spec.name];
      if (count > 1 && !spec.repeated) {
        Report(kFormatUnique, child_path, "phần tử xuất hiện nhiều lần",
               "element appears more than once");
        continue;
      }
      if (ordered && position < last_position) {
        Report(kFormatPattern, child_path,
               absl::StrCat("sai thứ tự phần tử (phải đứng trước ", specs[last_position].name, ")"),
               absl::StrCat("element out of order (must come before ", specs[last_position].name,
                            ")"));
      }
      last_position = std::max(last_position, position);
      children.Add(spec.name, c);
    }
    for (const Spec& spec : specs) {
      if (spec.required && counts[spec.name] == 0) {
        Report(kFormatRequired, absl::StrCat(xpath, "/", spec.name), "thiếu phần tử bắt buộc",
               "missing required element");
        if (!spec.field.empty()) Suppress(spec.field);
      }
    }
    return children;
  }

  // The text of leaf `name` ("" if absent). A leaf with element children is reported and
  // read as "" (its field suppressed).
  std::string Leaf(const Children& children, absl::string_view name, const std::string& xpath,
                   absl::string_view field) {
    xmlNode* node = children.One(name);
    if (node == nullptr) return {};
    if (HasChildElements(node)) {
      Report(kFormatPattern, absl::StrCat(xpath, "/", name), "phải là giá trị, không chứa phần tử con",
             "must hold a value, not child elements");
      Suppress(field);
      return {};
    }
    return Text(node);
  }

  // An unsigned integer leaf of at most `max_digits` digits without leading zeros
  // (0 if absent). Malformed: reported (format.pattern) and suppressed, 0 returned.
  uint32_t Integer(const Children& children, absl::string_view name, const std::string& xpath,
                   absl::string_view field, int max_digits) {
    const std::string text = Leaf(children, name, xpath, field);
    if (text.empty()) return 0;
    bool ok = text.size() <= static_cast<size_t>(max_digits) && (text == "0" || text[0] != '0');
    for (char c : text) ok = ok && absl::ascii_isdigit(static_cast<unsigned char>(c));
    uint32_t value = 0;
    if (ok) ok = absl::SimpleAtoi(text, &value);
    if (!ok) {
      Report(kFormatPattern, absl::StrCat(xpath, "/", name),
             absl::StrCat("phải là số nguyên không âm, tối đa ", max_digits,
                          " chữ số, không có số 0 ở đầu: \"", text.substr(0, 20), "\""),
             absl::StrCat("must be a non-negative integer of at most ", max_digits,
                          " digits without leading zeros: \"", text.substr(0, 20), "\""));
      Suppress(field);
      return 0;
    }
    return value;
  }

  // The `TTKhac` child of a group (at `xpath`) as key/value entries appended to `out`; field
  // paths `<field>[i].field` etc. `container` is the element holding the TTin entries
  // (TTKhac, or TTHHDTrung for a line's special goods).
  void ReadOtherInfo(const Children& parent, const std::string& xpath, absl::string_view field,
                     google::protobuf::RepeatedPtrField<v1::OtherInfo>* out,
                     absl::string_view container = "TTKhac") {
    xmlNode* other = parent.One(container);
    if (other == nullptr) return;
    const std::string p = absl::StrCat(xpath, "/", container);
    Children o = Check(other, p, kTTKhac, /*ordered=*/false);
    int i = 0;
    for (xmlNode* t : o.All("TTin")) {
      const std::string tp = absl::StrCat(p, "/TTin[", i + 1, "]");
      const std::string at = absl::StrCat(field, "[", i, "]");
      Children tc = Check(t, tp, kTTin, /*ordered=*/false);
      v1::OtherInfo* info = out->Add();
      info->set_field(Leaf(tc, "TTruong", tp, at + ".field"));
      info->set_data_type(Leaf(tc, "KDLieu", tp, at + ".data_type"));
      info->set_value(Leaf(tc, "DLieu", tp, at + ".value"));
      ++i;
    }
  }

  void ReadGeneral(xmlNode* tt, const std::string& xpath) {
    Children c = Check(tt, xpath, kTTChung, /*ordered=*/false);
    v1::Invoice& inv = out_.invoice;
    inv.set_version(Leaf(c, "PBan", xpath, "version"));
    inv.set_invoice_name(Leaf(c, "THDon", xpath, "invoice_name"));
    inv.set_template_code(Leaf(c, "KHMSHDon", xpath, "template_code"));
    inv.set_symbol(Leaf(c, "KHHDon", xpath, "symbol"));
    if (c.One("SHDon") == nullptr) {
      Report(kFormatRequired, xpath + "/SHDon", "thiếu số hóa đơn", "missing invoice number");
      Suppress("number");
    } else {
      inv.set_number(Integer(c, "SHDon", xpath, "number", 8));
    }
    inv.set_issue_date(Leaf(c, "NLap", xpath, "issue_date"));
    inv.set_currency(Leaf(c, "DVTTe", xpath, "currency"));
    inv.set_exchange_rate(Leaf(c, "TGia", xpath, "exchange_rate"));
    inv.set_payment_method(Leaf(c, "HTTToan", xpath, "payment_method"));
    inv.set_provider_tax_code(Leaf(c, "MSTTCGP", xpath, "provider_tax_code"));
    inv.set_dossier_code(Leaf(c, "MHSo", xpath, "dossier_code"));
    inv.set_non_tariff_zone(Leaf(c, "HDDCKPTQuan", xpath, "non_tariff_zone"));
    inv.set_list_number(Leaf(c, "SBKe", xpath, "list_number"));
    inv.set_list_date(Leaf(c, "NBKe", xpath, "list_date"));
    inv.set_issuer_tax_code(Leaf(c, "MSTDVNUNLHDon", xpath, "issuer_tax_code"));
    inv.set_issuer_name(Leaf(c, "TDVNUNLHDon", xpath, "issuer_name"));
    inv.set_issuer_address(Leaf(c, "DCDVNUNLHDon", xpath, "issuer_address"));
    inv.set_hdcttchinh(Leaf(c, "HDCTTChinh", xpath, "hdcttchinh"));
    if (xmlNode* rel = c.One("TTHDLQuan")) {
      const std::string p = xpath + "/TTHDLQuan";
      Children r = Check(rel, p, kTTHDLQuan, /*ordered=*/false);
      v1::RelatedInvoice* related = inv.mutable_related();
      const std::string kind = Leaf(r, "TCHDon", p, "related.relation");
      if (kind == "1") {
        related->set_relation(v1::RELATION_KIND_REPLACEMENT);
      } else if (kind == "2") {
        related->set_relation(v1::RELATION_KIND_ADJUSTMENT);
      } else if (!kind.empty()) {
        Report(kFormatCodeList, p + "/TCHDon", "tính chất hóa đơn phải là 1 (thay thế) hoặc 2 (điều chỉnh)",
               "must be 1 (replacement) or 2 (adjustment)");
        Suppress("related.relation");
      }
      related->set_original_kind(Integer(r, "LHDCLQuan", p, "related.original_kind", 2));
      related->set_template_code(Leaf(r, "KHMSHDCLQuan", p, "related.template_code"));
      related->set_symbol(Leaf(r, "KHHDCLQuan", p, "related.symbol"));
      related->set_number(Integer(r, "SHDCLQuan", p, "related.number", 8));
      related->set_issue_date(Leaf(r, "NLHDCLQuan", p, "related.issue_date"));
      related->set_list_number(Leaf(r, "SBKCLQuan", p, "related.list_number"));
      related->set_list_date(Leaf(r, "NBKCLQuan", p, "related.list_date"));
      related->set_note(Leaf(r, "GChu", p, "related.note"));
    }
    ReadOtherInfo(c, xpath, "other_info", inv.mutable_other_info());
  }

  void ReadParty(xmlNode* node, const std::string& xpath, absl::string_view field, bool buyer,
                 v1::Party* party) {
    Children c = Check(node, xpath, buyer ? absl::Span<const Spec>(kNMua) : kNBan,
                       /*ordered=*/false);
    auto f = [&](absl::string_view name) { return absl::StrCat(field, ".", name); };
    party->set_name(Leaf(c, "Ten", xpath, f("name")));
    party->set_tax_code(Leaf(c, "MST", xpath, f("tax_code")));
    party->set_address(Leaf(c, "DChi", xpath, f("address")));
    party->set_phone(Leaf(c, "SDThoai", xpath, f("phone")));
    party->set_email(Leaf(c, "DCTDTu", xpath, f("email")));
    party->set_bank_account(Leaf(c, "STKNHang", xpath, f("bank_account")));
    party->set_bank_name(Leaf(c, "TNHang", xpath, f("bank_name")));
    if (buyer) {
      party->set_personal_name(Leaf(c, "HVTNMHang", xpath, f("personal_name")));
      party->set_citizen_id(Leaf(c, "CCCDan", xpath, f("citizen_id")));
      party->set_passport(Leaf(c, "SHChieu", xpath, f("passport")));
      party->set_customer_code(Leaf(c, "MKHang", xpath, f("customer_code")));
      party->set_budget_unit_code(Leaf(c, "MDVQHNSach", xpath, f("budget_unit_code")));
      party->set_receiver_name(Leaf(c, "HVTNNHang", xpath, f("receiver_name")));
    } else {
      party->set_transfer_order(Leaf(c, "LDDNBo", xpath, f("transfer_order")));
      party->set_contract_number(Leaf(c, "HDKTSo", xpath, f("contract_number")));
      party->set_contract_date(Leaf(c, "HDKTNgay", xpath, f("contract_date")));
      party->set_dispatcher_name(Leaf(c, "HVTNXHang", xpath, f("dispatcher_name")));
      party->set_transporter_name(Leaf(c, "TNVChuyen", xpath, f("transporter_name")));
      party->set_transport_means(Leaf(c, "PTVChuyen", xpath, f("transport_means")));
      party->set_fax(Leaf(c, "Fax", xpath, f("fax")));
      party->set_website(Leaf(c, "Website", xpath, f("website")));
      party->set_store_code(Leaf(c, "MCHang", xpath, f("store_code")));
      party->set_store_name(Leaf(c, "TCHang", xpath, f("store_name")));
    }
    ReadOtherInfo(c, xpath, f("other_info"), party->mutable_other_info());
  }

  void ReadContent(xmlNode* nd, const std::string& xpath) {
    Children c = Check(nd, xpath, kNDHDon, /*ordered=*/true);
    v1::Invoice& inv = out_.invoice;
    if (xmlNode* n = c.One("NBan")) {
      ReadParty(n, xpath + "/NBan", "seller", /*buyer=*/false, inv.mutable_seller());
    }
    if (xmlNode* n = c.One("NMua")) {
      ReadParty(n, xpath + "/NMua", "buyer", /*buyer=*/true, inv.mutable_buyer());
    }
    if (xmlNode* list = c.One("DSHHDVu")) {
      const std::string p = xpath + "/DSHHDVu";
      Children lines = Check(list, p, kDSHHDVu, /*ordered=*/false);
      int i = 0;
      for (xmlNode* h : lines.All("HHDVu")) {
        const std::string lp = absl::StrCat(p, "/HHDVu[", i + 1, "]");
        auto f = [&](absl::string_view name) { return absl::StrCat("lines[", i, "].", name); };
        Children l = Check(h, lp, kHHDVu, /*ordered=*/false);
        v1::LineItem* line = inv.add_lines();
        const std::string nature = Leaf(l, "TChat", lp, f("nature"));
        if (nature.empty()) {
          Report(kFormatRequired, lp + "/TChat", "thiếu tính chất hàng hóa, dịch vụ",
                 "missing line nature");
          Suppress(f("nature"));
        } else if (nature.size() == 1 && nature[0] >= '1' && nature[0] <= '5') {
          line->set_nature(static_cast<v1::LineNature>(nature[0] - '0'));
        } else {
          Report(kFormatCodeList, lp + "/TChat", "tính chất phải từ 1 đến 5",
                 "the nature must be 1 to 5");
          Suppress(f("nature"));
        }
        line->set_line_no(Integer(l, "STT", lp, f("line_no"), 9));
        line->set_item_code(Leaf(l, "MHHDVu", lp, f("item_code")));
        line->set_name(Leaf(l, "THHDVu", lp, f("name")));
        line->set_unit(Leaf(l, "DVTinh", lp, f("unit")));
        line->set_quantity(Leaf(l, "SLuong", lp, f("quantity")));
        line->set_unit_price(Leaf(l, "DGia", lp, f("unit_price")));
        line->set_discount_rate(Leaf(l, "TLCKhau", lp, f("discount_rate")));
        line->set_discount_amount(Leaf(l, "STCKhau", lp, f("discount_amount")));
        line->set_amount(Leaf(l, "ThTien", lp, f("amount")));
        line->set_vat_rate(Leaf(l, "TSuat", lp, f("vat_rate")));
        line->set_tax_amount(Leaf(l, "TThue", lp, f("tax_amount")));
        line->set_amount_after_tax(Leaf(l, "TSThue", lp, f("amount_after_tax")));
        ReadOtherInfo(l, lp, f("special_goods"), line->mutable_special_goods(), "TTHHDTrung");
        ReadOtherInfo(l, lp, f("other_info"), line->mutable_other_info());
        ++i;
      }
    }
    if (xmlNode* totals_node = c.One("TToan")) {
      const std::string p = xpath + "/TToan";
      Children t = Check(totals_node, p, kTToan, /*ordered=*/false);
      v1::Totals* totals = inv.mutable_totals();
      if (xmlNode* by_rate = t.One("THTTLTSuat")) {
        const std::string rp = p + "/THTTLTSuat";
        Children rates = Check(by_rate, rp, kTHTTLTSuat, /*ordered=*/false);
        int i = 0;
        for (xmlNode* r : rates.All("LTSuat")) {
          const std::string sp = absl::StrCat(rp, "/LTSuat[", i + 1, "]");
          auto f = [&](absl::string_view name) {
            return absl::StrCat("totals.rate_summaries[", i, "].", name);
          };
          Children s = Check(r, sp, kLTSuat, /*ordered=*/false);
          v1::RateSummary* summary = totals->add_rate_summaries();
          summary->set_vat_rate(Leaf(s, "TSuat", sp, f("vat_rate")));
          summary->set_taxable_amount(Leaf(s, "ThTien", sp, f("taxable_amount")));
          summary->set_tax_amount(Leaf(s, "TThue", sp, f("tax_amount")));
          ++i;
        }
      }
      totals->set_total_before_tax(Leaf(t, "TgTCThue", p, "totals.total_before_tax"));
      totals->set_total_tax(Leaf(t, "TgTThue", p, "totals.total_tax"));
      totals->set_total_not_taxable(Leaf(t, "TGTKCThue", p, "totals.total_not_taxable"));
      totals->set_total_other(Leaf(t, "TGTKhac", p, "totals.total_other"));
      if (xmlNode* fee_list = t.One("DSLPhi")) {
        const std::string fp = p + "/DSLPhi";
        Children fees = Check(fee_list, fp, kDSLPhi, /*ordered=*/false);
        int i = 0;
        for (xmlNode* node : fees.All("LPhi")) {
          const std::string lp = absl::StrCat(fp, "/LPhi[", i + 1, "]");
          const std::string at = absl::StrCat("totals.fees[", i, "]");
          Children fc = Check(node, lp, kLPhi, /*ordered=*/false);
          v1::Fee* fee = totals->add_fees();
          fee->set_name(Leaf(fc, "TLPhi", lp, at + ".name"));
          fee->set_amount(Leaf(fc, "TPhi", lp, at + ".amount"));
          ++i;
        }
      }
      totals->set_total_trade_discount(Leaf(t, "TTCKTMai", p, "totals.total_trade_discount"));
      totals->set_total_payable(Leaf(t, "TgTTTBSo", p, "totals.total_payable"));
      totals->set_total_payable_in_words(Leaf(t, "TgTTTBChu", p, "totals.total_payable_in_words"));
      ReadOtherInfo(t, p, "totals.other_info", totals->mutable_other_info());
    }
    ReadOtherInfo(c, xpath, "content_other_info", inv.mutable_content_other_info());
  }

  const InvoiceXmlOptions& options_;
  InvoiceXml out_;
};

}  // namespace

absl::StatusOr<InvoiceXml> ReadInvoiceNode(xmlNode* hdon, const InvoiceXmlOptions& options) {
  if (!xmlutil::IsElement(hdon, "HDon")) {
    return absl::InvalidArgumentError(
        absl::StrCat("the root element must be HDon (no namespace), not ", Name(hdon)));
  }
  return Reader(options).Read(hdon);
}

absl::StatusOr<InvoiceXml> ParseInvoiceXml(absl::string_view xml,
                                           const InvoiceXmlOptions& options) {
  absl::StatusOr<XmlDocPtr> doc = ParseXmlSafely(xml);
  if (!doc.ok()) return doc.status();
  return ReadInvoiceNode(xmlDocGetRootElement(doc->get()), options);
}

Violation UnreadableXmlViolation(const absl::Status& status) {
  return MakeViolation(kFormatPattern, "HDon",
                       absl::StrCat("không đọc được tài liệu XML: ", status.message()),
                       absl::StrCat("unreadable XML document: ", status.message()));
}

std::vector<Violation> MergeRuleViolations(const InvoiceXml& parsed,
                                           std::vector<Violation> rule_violations,
                                           size_t* lookups) {
  // A field is covered when it, or a prefix of it ending before a '.' or '[', was reported
  // (or "*" was): a hash lookup per prefix, so the merge is linear in the violations and the
  // reported fields (comparing every pair cost 40 s on 258 KB of empty lines).
  const absl::flat_hash_set<absl::string_view> reported(parsed.reported_fields.begin(),
                                                        parsed.reported_fields.end());
  const bool everything = reported.contains("*");
  size_t count = 0;
  auto contains = [&](absl::string_view field) {
    ++count;
    return reported.contains(field);
  };
  auto covered = [&](absl::string_view field) {
    if (everything || contains(field)) return true;
    for (size_t i = 0; i < field.size(); ++i) {
      if ((field[i] == '.' || field[i] == '[') && contains(field.substr(0, i))) return true;
    }
    return false;
  };
  std::vector<Violation> out = parsed.violations;
  for (Violation& v : rule_violations) {
    if (covered(v.field)) continue;
    v.field = FieldPathToXPath(v.field);
    out.push_back(std::move(v));
  }
  if (lookups != nullptr) *lookups = count;
  return out;
}

}  // namespace einvoice
