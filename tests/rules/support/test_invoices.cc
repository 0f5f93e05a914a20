#include "tests/rules/support/test_invoices.h"

#include <cstdlib>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/clock.h"
#include "rules/tax_code.h"
#include "rules/totals_calculator.h"
#include "rules/vat_rate.h"

namespace einvoice::testing {
namespace {

// SplitMix64: tiny, portable, deterministic.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform-enough in [lo, hi].
  uint64_t Range(uint64_t lo, uint64_t hi) { return lo + Next() % (hi - lo + 1); }

 private:
  uint64_t state_;
};

v1::LineItem Line(uint32_t no, absl::string_view name, absl::string_view unit,
                  absl::string_view quantity, absl::string_view price, absl::string_view rate) {
  v1::LineItem line;
  line.set_nature(v1::LINE_NATURE_GOODS_OR_SERVICE);
  line.set_line_no(no);
  line.set_item_code(absl::StrCat("SP", no));
  line.set_name(std::string(name));
  line.set_unit(std::string(unit));
  line.set_quantity(std::string(quantity));
  line.set_unit_price(std::string(price));
  line.set_vat_rate(std::string(rate));
  return line;
}

}  // namespace

std::string SyntheticTaxCode(uint32_t n) {
  // Walk forward from n until the check digit exists (remainder != 0): at most a few steps.
  for (uint32_t k = n % 1000000;; ++k) {
    const std::string nine = absl::StrFormat("99%07d", 1000000 + k % 9000000);
    if (std::optional<std::string> code = CompleteTaxCode(nine)) return *code;
  }
}

std::string BaselineSellerTaxCode() { return SyntheticTaxCode(123456); }
std::string BaselineBuyerTaxCode() { return SyntheticTaxCode(654321); }

v1::Invoice BaselineInvoice() {
  v1::Invoice inv;
  inv.set_version("2.1.0");
  inv.set_invoice_name("Hóa đơn giá trị gia tăng");
  inv.set_template_code("1");
  inv.set_symbol("C26TAA");
  inv.set_number(1);
  inv.set_issue_date("2026-11-20");
  inv.set_currency("VND");
  inv.set_payment_method("TM/CK");

  v1::Party* seller = inv.mutable_seller();
  seller->set_name("Công ty TNHH Thử Nghiệm Hóa Đơn Điện Tử");
  seller->set_tax_code(BaselineSellerTaxCode());
  seller->set_address("Số 1 Đường Thử Nghiệm, Phường Mẫu, Thành phố Thử");
  seller->set_phone("0240000000");
  seller->set_email("hoadon@example.invalid");

  v1::Party* buyer = inv.mutable_buyer();
  buyer->set_name("Công ty Cổ phần Người Mua Thử Nghiệm");
  buyer->set_tax_code(BaselineBuyerTaxCode());
  buyer->set_address("Số 2 Đường Ví Dụ, Phường Mẫu, Thành phố Thử");
  buyer->set_personal_name("Nguyễn Văn Thử");

  *inv.add_lines() = Line(1, "Giấy in A4 (thử nghiệm)", "Thùng", "10", "85000", "8%");
  inv.mutable_lines(0)->set_amount("850000");
  *inv.add_lines() = Line(2, "Dịch vụ bảo trì (thử nghiệm)", "Lần", "1", "1200000", "10%");
  inv.mutable_lines(1)->set_amount("1200000");
  *inv.add_lines() = Line(3, "Sách giáo khoa (thử nghiệm)", "Cuốn", "3", "45500", "KCT");
  inv.mutable_lines(2)->set_amount("136500");

  v1::Totals* totals = inv.mutable_totals();
  auto summary = [&](absl::string_view rate, absl::string_view taxable, absl::string_view tax) {
    v1::RateSummary* s = totals->add_rate_summaries();
    s->set_vat_rate(std::string(rate));
    s->set_taxable_amount(std::string(taxable));
    s->set_tax_amount(std::string(tax));
  };
  summary("8%", "850000", "68000");
  summary("10%", "1200000", "120000");
  summary("KCT", "136500", "0");
  totals->set_total_before_tax("2186500");
  totals->set_total_tax("188000");
  totals->set_total_trade_discount("0");
  totals->set_total_payable("2374500");
  totals->set_total_payable_in_words("Hai triệu ba trăm bảy mươi tư nghìn năm trăm đồng");
  return inv;
}

v1::Invoice FullV210Invoice() {
  v1::Invoice inv = BaselineInvoice();
  auto info = [](auto* list, absl::string_view field, absl::string_view value) {
    v1::OtherInfo* o = list->Add();
    o->set_field(std::string(field));
    o->set_data_type("string");
    o->set_value(std::string(value));
  };
  inv.set_dossier_code("HS-2026-0001");
  inv.set_non_tariff_zone("1");
  inv.set_list_number("BK-01/11");
  inv.set_list_date("2026-11-20");
  inv.set_issuer_tax_code(SyntheticTaxCode(777));
  inv.set_issuer_name("Đơn vị nhận ủy nhiệm thử nghiệm");
  inv.set_issuer_address("Số 3 Đường Ủy Nhiệm, Thành phố Thử");
  inv.set_hdcttchinh("0");
  v1::RelatedInvoice* related = inv.mutable_related();
  related->set_relation(v1::RELATION_KIND_ADJUSTMENT);
  related->set_original_kind(1);
  related->set_template_code("1");
  related->set_symbol("C26TAA");
  related->set_number(7);
  related->set_issue_date("2026-11-01");
  related->set_list_number("BK-ĐC-01");
  related->set_list_date("2026-11-15");
  related->set_note("Điều chỉnh theo bảng kê <01> & \"đính kèm\"");
  info(inv.mutable_other_info(), "Ghi chú chung", "a & b");

  v1::Party* seller = inv.mutable_seller();
  seller->set_fax("0240000001");
  seller->set_website("https://thu-nghiem.example.invalid");
  seller->set_store_code("CH-01");
  seller->set_store_name("Cửa hàng thử nghiệm số 1");
  info(seller->mutable_other_info(), "Mã chi nhánh", "CN<1>");
  v1::Party* buyer = inv.mutable_buyer();
  buyer->set_budget_unit_code("1234567");
  info(buyer->mutable_other_info(), "Mã hợp đồng", "HĐ-01");

  v1::LineItem* first = inv.mutable_lines(0);
  first->set_tax_amount("68000");
  first->set_amount_after_tax("918000");
  info(first->mutable_other_info(), "Lô hàng", "L-2026-11");
  // A special-goods line (nature 5) with its details; it joins the 10% group.
  v1::LineItem* special = inv.mutable_lines(1);
  special->set_nature(v1::LINE_NATURE_SPECIAL);
  info(special->mutable_special_goods(), "Số khung", "RLHJC4510AY000001");
  info(special->mutable_special_goods(), "Số máy", "JC45E-0000001");

  v1::Totals* totals = inv.mutable_totals();
  totals->set_total_not_taxable("136500");
  totals->set_total_other("0");
  v1::Fee* fee = totals->add_fees();
  fee->set_name("Phí bảo vệ môi trường");
  fee->set_amount("20000");
  fee = totals->add_fees();
  fee->set_name("Lệ phí & phụ thu");
  fee->set_amount("5000");
  totals->set_total_payable("2399500");
  totals->set_total_payable_in_words("Hai triệu ba trăm chín mươi chín nghìn năm trăm đồng");
  info(totals->mutable_other_info(), "Hạn thanh toán", "2026-12-20");
  info(inv.mutable_content_other_info(), "Nội dung", "thử nghiệm");
  info(inv.mutable_document_other_info(), "Phiên bản phần mềm", "1.0 > 0.9");
  return inv;
}

v1::Invoice DeliveryNoteInvoice() {
  v1::Invoice inv = BaselineInvoice();
  inv.set_invoice_name("Phiếu xuất kho kiêm vận chuyển nội bộ");
  inv.set_template_code("6");
  inv.set_symbol("C26NAA");
  for (v1::LineItem& line : *inv.mutable_lines()) line.clear_vat_rate();
  v1::Totals* totals = inv.mutable_totals();
  totals->clear_rate_summaries();
  totals->clear_total_tax();
  totals->set_total_payable(totals->total_before_tax());
  totals->set_total_payable_in_words("Hai triệu một trăm tám mươi sáu nghìn năm trăm đồng");
  v1::Party* seller = inv.mutable_seller();
  seller->set_transfer_order("LĐĐ-2026/11-01");
  seller->set_contract_number("HĐKT-01/2026");
  seller->set_contract_date("2026-01-15");
  seller->set_dispatcher_name("Trần Thị Xuất");
  seller->set_transporter_name("Lê Văn Chở");
  seller->set_transport_means("Xe tải 99C-000.01");
  v1::Party* buyer = inv.mutable_buyer();
  buyer->set_name("Chi nhánh Thử Nghiệm số 1");
  buyer->set_tax_code(BaselineSellerTaxCode() + "-001");
  buyer->set_receiver_name("Phạm Văn Nhận");
  return inv;
}

v1::Invoice RandomValidInvoice(uint64_t seed, const RandomInvoiceOptions& options) {
  Rng rng(seed);
  v1::Invoice inv = BaselineInvoice();
  inv.clear_lines();
  inv.clear_totals();
  inv.set_issue_date(FormatDay(options.issue_day));
  inv.set_symbol(absl::StrFormat("C%02d%s%s", options.issue_day.year() % 100, "T",
                                 options.symbol_suffix));
  inv.set_number(options.number != 0 ? options.number
                                     : static_cast<uint32_t>(rng.Range(1, 99999999)));
  inv.mutable_seller()->set_tax_code(options.seller_tax_code.empty()
                                         ? SyntheticTaxCode(static_cast<uint32_t>(seed % 1000))
                                         : options.seller_tax_code);
  inv.mutable_buyer()->set_tax_code(SyntheticTaxCode(static_cast<uint32_t>(rng.Range(0, 999999))));

  const bool reduced_allowed = options.issue_day <= kReducedRateLastDay;
  auto pick_rate = [&]() -> std::string {
    const uint64_t r = rng.Range(0, 99);
    if (r < 40) return reduced_allowed ? "8%" : "10%";
    if (r < 75) return "10%";
    if (r < 85) return "KCT";
    if (r < 93) return "0%";
    if (r < 98) return "5%";
    return "KKKNT";
  };
  static constexpr absl::string_view kItems[] = {
      "Văn phòng phẩm thử nghiệm", "Dịch vụ vận chuyển thử nghiệm", "Thiết bị điện thử nghiệm",
      "Phần mềm thử nghiệm",       "Thực phẩm đóng gói thử nghiệm", "Dịch vụ tư vấn thử nghiệm"};
  const int line_count = static_cast<int>(rng.Range(1, 20));
  std::string last_rate;
  for (int i = 0; i < line_count; ++i) {
    const std::string rate = pick_rate();
    const uint64_t quantity = rng.Range(1, 100);
    const uint64_t price = rng.Range(10, 50000) * 100;  // 1 000 .. 5 000 000 VND
    v1::LineItem line = Line(static_cast<uint32_t>(i + 1), kItems[rng.Range(0, 5)], "Cái",
                             absl::StrCat(quantity), absl::StrCat(price), rate);
    if (rng.Range(0, 9) == 0) line.set_discount_amount(absl::StrCat(price / 10));
    *inv.add_lines() = std::move(line);
    last_rate = rate;
  }
  // Occasionally a trade discount on the last rate used, or a note line.
  const uint64_t extra = rng.Range(0, 9);
  if (extra == 0) {
    v1::LineItem line;
    line.set_nature(v1::LINE_NATURE_TRADE_DISCOUNT);
    line.set_line_no(static_cast<uint32_t>(line_count + 1));
    line.set_name("Chiết khấu thương mại thử nghiệm");
    line.set_amount("100");
    line.set_vat_rate(last_rate);
    *inv.add_lines() = std::move(line);
  } else if (extra == 1) {
    v1::LineItem line;
    line.set_nature(v1::LINE_NATURE_NOTE);
    line.set_name("Ghi chú: hàng giao tại kho người mua");
    *inv.add_lines() = std::move(line);
  }
  if (!FillTotals(&inv).ok()) std::abort();  // cannot happen with these bounds
  return inv;
}

}  // namespace einvoice::testing
