#include "benchmarks/workload.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "rules/tax_code.h"
#include "rules/totals_calculator.h"
#include "rules/vat_rate.h"
#include "tests/xml/support/seller_signing.h"
#include "tests/xml/support/test_pki.h"

namespace einvoice::bench {
namespace {

constexpr absl::string_view kItems[] = {
    "Văn phòng phẩm (thử nghiệm tải)",      "Dịch vụ vận chuyển hàng hóa (thử nghiệm)",
    "Thiết bị điện gia dụng (thử nghiệm)",  "Bản quyền phần mềm kế toán (thử nghiệm)",
    "Thực phẩm đóng gói (thử nghiệm)",      "Dịch vụ tư vấn thuế (thử nghiệm)",
    "Nước uống đóng chai 500ml (thử nghiệm)", "Sách giáo khoa lớp 5 (thử nghiệm)"};
constexpr absl::string_view kUnits[] = {"Cái", "Thùng", "Kg", "Lần", "Bộ", "Chai", "Cuốn"};

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The VAT mix seen on real invoices: ~63 % 0 %, 17 % KCT, 16 % 8 %, 4 % 10 %.
std::string PickRate(Rng& rng, bool reduced_allowed) {
  const uint64_t r = rng.Range(0, 99);
  if (r < 63) return "0%";
  if (r < 80) return "KCT";
  if (r < 96) return reduced_allowed ? "8%" : "10%";
  return "10%";
}

}  // namespace

const char* OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kNew: return "new";
    case OpKind::kReplay: return "replay";
    case OpKind::kConflict: return "conflict";
    case OpKind::kInvalid: return "invalid";
    case OpKind::kLookup: return "lookup";
    case OpKind::kSearch: return "search";
    case OpKind::kXml: return "xml";
    case OpKind::kCashRegister: return "cash-register";
  }
  return "?";
}

std::string BenchTaxCode(uint64_t seed, uint64_t n) {
  Rng rng(seed * 1000003 + n);
  for (;;) {
    const std::string nine = absl::StrFormat("98%07d", 1 + rng.Range(0, 9999998));
    if (std::optional<std::string> code = CompleteTaxCode(nine)) return *code;
  }
}

v1::Invoice MakeInvoice(Rng& rng, const std::string& seller_tax_code, absl::string_view symbol,
                        uint32_t number, absl::CivilDay issue_day) {
  v1::Invoice inv;
  inv.set_version("2.1.0");
  inv.set_invoice_name("Hóa đơn giá trị gia tăng");
  inv.set_template_code("1");
  inv.set_symbol(std::string(symbol));
  inv.set_number(number);
  inv.set_issue_date(FormatDay(issue_day));
  inv.set_currency("VND");
  inv.set_payment_method("TM/CK");

  v1::Party* seller = inv.mutable_seller();
  seller->set_name(absl::StrCat("Công ty TNHH Thử Nghiệm Tải ", seller_tax_code));
  seller->set_tax_code(seller_tax_code);
  seller->set_address("Số 1 Đường Thử Nghiệm, Phường Mẫu, Thành phố Thử");
  seller->set_phone("0240000000");
  seller->set_email("hoadon@example.invalid");

  v1::Party* buyer = inv.mutable_buyer();
  const uint64_t buyer_kind = rng.Range(0, 9);
  if (buyer_kind < 7) {  // a business buyer with a tax code
    buyer->set_name("Công ty Cổ phần Người Mua Thử Nghiệm");
    buyer->set_tax_code(BenchTaxCode(0xB0B, rng.Range(0, 99999)));
    buyer->set_address("Số 2 Đường Ví Dụ, Phường Mẫu, Thành phố Thử");
  } else {  // a retail buyer without one
    buyer->set_personal_name("Nguyễn Văn Thử");
  }

  const bool reduced_allowed = issue_day <= kReducedRateLastDay;
  const int line_count = static_cast<int>(rng.Range(1, 20));
  std::string last_rate;
  for (int i = 0; i < line_count; ++i) {
    v1::LineItem* line = inv.add_lines();
    line->set_nature(v1::LINE_NATURE_GOODS_OR_SERVICE);
    line->set_line_no(static_cast<uint32_t>(i + 1));
    line->set_item_code(absl::StrCat("SP", rng.Range(100, 99999)));
    line->set_name(std::string(kItems[rng.Range(0, std::size(kItems) - 1)]));
    line->set_unit(std::string(kUnits[rng.Range(0, std::size(kUnits) - 1)]));
    const uint64_t quantity = rng.Range(1, 100);
    const uint64_t price = rng.Range(10, 50000) * 100;  // 1 000 .. 5 000 000 VND
    line->set_quantity(absl::StrCat(quantity));
    line->set_unit_price(absl::StrCat(price));
    if (rng.Range(0, 9) == 0) line->set_discount_amount(absl::StrCat(price / 10));
    last_rate = PickRate(rng, reduced_allowed);
    line->set_vat_rate(last_rate);
  }
  const uint64_t extra = rng.Range(0, 19);
  if (extra == 0) {
    v1::LineItem* line = inv.add_lines();
    line->set_nature(v1::LINE_NATURE_TRADE_DISCOUNT);
    line->set_line_no(static_cast<uint32_t>(line_count + 1));
    line->set_name("Chiết khấu thương mại (thử nghiệm)");
    line->set_amount("100");
    line->set_vat_rate(last_rate);
  } else if (extra == 1) {
    v1::LineItem* line = inv.add_lines();
    line->set_nature(v1::LINE_NATURE_NOTE);
    line->set_name("Ghi chú: hàng giao tại kho người mua");
  }
  if (!FillTotals(&inv).ok()) std::abort();  // cannot happen with these bounds
  return inv;
}

Workload::Workload(const WorkloadOptions& options)
    : options_(options),
      // Yesterday in Vietnam: never "in the future" for the server, whatever the clocks say.
      issue_day_(VietnamDay(absl::Now()) - 1) {
  Rng rng(options.seed);
  const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  symbol_ = absl::StrFormat("C%02dT%c%c", issue_day_.year() % 100, alphabet[rng.Range(0, 23)],
                            alphabet[rng.Range(0, 23)]);
  cash_register_symbol_ = symbol_;
  cash_register_symbol_[3] = 'M';
  for (uint64_t i = 0; sellers_.size() < static_cast<size_t>(options.sellers); ++i) {
    std::string code = BenchTaxCode(options.seed, i);
    // Two sellers sharing a tax code would share invoice numbers: skip repeats.
    if (std::find(sellers_.begin(), sellers_.end(), code) != sellers_.end()) continue;
    sellers_.push_back(std::move(code));
    seller_state_.push_back(std::make_unique<SellerState>());
  }
  if (options.xml_pct > 0) {
    ca_ = std::make_unique<testing::TestCa>();
    const absl::Time now = absl::Now();
    for (const std::string& code : sellers_) {
      credentials_.push_back(ca_->IssueSellerCertificate(
          code, now - absl::Hours(24), now + absl::Hours(24 * 365), testing::TestKeyType::kEcP256,
          absl::StrCat("Công ty TNHH Thử Nghiệm Tải ", code)));
    }
  }
}

Workload::~Workload() = default;

std::string Workload::seller_certificate_der(size_t i) const {
  return i < credentials_.size() ? credentials_[i].certificate_der : std::string();
}

XmlSigningStats Workload::xml_signing_stats() const {
  absl::MutexLock lock(&xml_mu_);
  return xml_stats_;
}

uint64_t Workload::ThreadSeed() {
  return options_.seed * 7919 + rng_streams_.fetch_add(1, std::memory_order_relaxed);
}

size_t Workload::accepted_known() const {
  absl::MutexLock lock(&mu_);
  return recent_.size();
}

void Workload::Accepted(const Op& op, std::shared_ptr<const v1::AuthenticatedInvoice> invoice) {
  Recent recent{op.submit, std::move(invoice), op.xml_source};
  absl::MutexLock lock(&mu_);
  if (recent_.size() < options_.recent_capacity) {
    recent_.push_back(std::move(recent));
  } else {
    recent_[recent_next_] = std::move(recent);
    recent_next_ = (recent_next_ + 1) % recent_.size();
  }
}

bool Workload::PickRecent(Rng& rng, Recent* out) {
  absl::MutexLock lock(&mu_);
  if (recent_.empty()) return false;
  *out = recent_[rng.Range(0, recent_.size() - 1)];
  return true;
}

Rng& Workload::ThreadRng() {
  thread_local std::unique_ptr<Rng> rng;
  if (!rng) rng = std::make_unique<Rng>(ThreadSeed());
  return *rng;
}

absl::StatusOr<Op> Workload::MakeNew(Rng& rng, bool xml) {
  const uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
  const size_t s = static_cast<size_t>(n % sellers_.size());
  uint32_t number;
  {
    absl::MutexLock lock(&seller_state_[s]->mu);
    number = seller_state_[s]->next_number++;
  }
  Op op;
  op.kind = OpKind::kNew;
  *op.submit.mutable_invoice() = MakeInvoice(rng, sellers_[s], symbol_, number, issue_day_);
  if (rng.Unit() * 100 < options_.idempotency_pct) {
    op.submit.set_idempotency_key(absl::StrCat("bench-", options_.seed, "-", n));
  }
  if (xml) {
    if (absl::Status signed_ok = SignXml(op, s); !signed_ok.ok()) return signed_ok;
  }
  return op;
}

Op Workload::MakeCashRegister(Rng& rng) {
  const uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
  const size_t s = static_cast<size_t>(n % sellers_.size());
  // The register's 5 characters: from the seed and the seller, so runs do not collide.
  static constexpr char kBase36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  uint64_t tag = (options_.seed * 1000003 + s) % 60466176;  // 36^5
  std::string register_id(5, '0');
  for (int i = 4; i >= 0; --i, tag /= 36) register_id[i] = kBase36[tag % 36];
  const int batch = std::clamp(options_.cash_register_batch, 1, 1000);
  Op op;
  op.kind = OpKind::kCashRegister;
  for (int i = 0; i < batch; ++i) {
    uint32_t number;
    {
      absl::MutexLock lock(&seller_state_[s]->mu);
      number = seller_state_[s]->next_number++;
    }
    v1::CashRegisterInvoice* item = op.cash_register.add_invoices();
    *item->mutable_invoice() =
        MakeInvoice(rng, sellers_[s], cash_register_symbol_, number, issue_day_);
    item->mutable_invoice()->set_template_code("1");
    item->set_code(absl::StrFormat("M1-%02d-%s-%011u", issue_day_.year() % 100, register_id,
                                   number));
  }
  return op;
}

absl::Status Workload::SignXml(Op& op, size_t seller) {
  const double cpu_before = ThreadCpuSeconds();
  auto source = std::make_shared<v1::Invoice>(std::move(*op.submit.mutable_invoice()));
  testing::SellerSignOptions sign_options;
  sign_options.signing_time = absl::Now();
  absl::StatusOr<std::string> xml =
      testing::SignedInvoiceXml(*source, credentials_[seller], sign_options);
  if (!xml.ok()) return xml.status();
  op.kind = OpKind::kXml;
  op.submit.set_invoice_xml(*std::move(xml));
  op.xml_source = std::move(source);
  const double cpu = ThreadCpuSeconds() - cpu_before;
  absl::MutexLock lock(&xml_mu_);
  xml_stats_.sign_cpu_seconds += cpu;
  return absl::OkStatus();
}

absl::Status Workload::PresignXml(uint64_t count, int threads) {
  if (credentials_.empty() || count == 0) return absl::OkStatus();
  std::vector<Op> ops(count);
  std::atomic<uint64_t> next{0};
  absl::Mutex error_mu;
  absl::Status error;
  std::vector<std::thread> workers;
  for (int t = 0; t < std::max(1, threads); ++t) {
    workers.emplace_back([&] {
      Rng& rng = ThreadRng();
      for (uint64_t i; (i = next.fetch_add(1)) < count;) {
        absl::StatusOr<Op> op = MakeNew(rng, true);
        if (!op.ok()) {
          absl::MutexLock lock(&error_mu);
          if (error.ok()) error = op.status();
          next = count;
          return;
        }
        ops[i] = *std::move(op);
      }
    });
  }
  for (std::thread& w : workers) w.join();
  if (!error.ok()) return error;
  std::reverse(ops.begin(), ops.end());  // taken from the back: oldest first
  absl::MutexLock lock(&xml_mu_);
  xml_stats_.presigned += count;
  for (Op& op : ops) presigned_.push_back(std::move(op));
  return absl::OkStatus();
}

Op Workload::NextNew() {
  Rng& rng = ThreadRng();
  const bool xml = !credentials_.empty() && rng.Unit() * 100 < options_.xml_pct;
  if (xml) {
    absl::MutexLock lock(&xml_mu_);
    if (options_.reuse_xml && !presigned_.empty()) {
      return presigned_[reuse_next_++ % presigned_.size()];
    }
    if (!presigned_.empty()) {
      Op op = std::move(presigned_.back());
      presigned_.pop_back();
      return op;
    }
    ++xml_stats_.signed_inline;
  }
  absl::StatusOr<Op> op = MakeNew(rng, xml);
  if (!op.ok()) {  // xmlsec failing on a document it signed before: give up loudly
    std::fprintf(stderr, "einvoice-bench: signing XML: %s\n", op.status().ToString().c_str());
    std::abort();
  }
  return *std::move(op);
}

Op Workload::Next() {
  thread_local std::unique_ptr<Rng> rng;
  if (!rng) rng = std::make_unique<Rng>(ThreadSeed() ^ 0x5555);
  double r = rng->Unit() * 100;
  OpKind kind = OpKind::kNew;
  for (auto [k, pct] : {std::pair{OpKind::kReplay, options_.replay_pct},
                        std::pair{OpKind::kConflict, options_.conflict_pct},
                        std::pair{OpKind::kInvalid, options_.invalid_pct},
                        std::pair{OpKind::kLookup, options_.lookup_pct},
                        std::pair{OpKind::kSearch, options_.search_pct},
                        std::pair{OpKind::kCashRegister, options_.cash_register_pct}}) {
    if (r < pct) {
      kind = k;
      break;
    }
    r -= pct;
  }
  switch (kind) {
    case OpKind::kNew:
    case OpKind::kXml:
      return NextNew();
    case OpKind::kCashRegister:
      return MakeCashRegister(*rng);
    case OpKind::kInvalid: {
      Op op = *MakeNew(*rng, false);  // protobuf: cannot fail
      op.kind = OpKind::kInvalid;
      // What the real authority refuses most (domain brief: 20001, a buyer's citizen id that
      // is not 12 digits); wrong arithmetic would only warn under the default profile.
      op.submit.mutable_invoice()->mutable_buyer()->set_citizen_id("0123456789");
      op.submit.clear_idempotency_key();
      return op;
    }
    case OpKind::kSearch: {
      Op op;
      op.kind = OpKind::kSearch;
      op.search.set_seller_tax_code(sellers_[rng->Range(0, sellers_.size() - 1)]);
      op.search.set_page_size(20);
      return op;
    }
    case OpKind::kReplay:
    case OpKind::kConflict:
    case OpKind::kLookup: {
      Recent recent;
      if (!PickRecent(*rng, &recent)) return NextNew();
      Op op;
      op.kind = kind;
      if (kind == OpKind::kLookup) {
        op.get.set_authority_code(recent.invoice->authority_code());
        op.expected = std::move(recent.invoice);
      } else if (kind == OpKind::kReplay) {
        op.submit = std::move(recent.request);  // an XML one resends the same bytes
        op.expected = std::move(recent.invoice);
        op.xml_source = std::move(recent.xml_source);
      } else {
        op.submit = std::move(recent.request);
        // The key of an XML invoice, sent as protobuf: one uniqueness space for both.
        if (recent.xml_source) *op.submit.mutable_invoice() = *recent.xml_source;
        op.submit.clear_idempotency_key();
        op.submit.mutable_invoice()->mutable_buyer()->set_name(
            "Công ty Khác (trùng số hóa đơn, thử nghiệm)");
      }
      return op;
    }
  }
  return NextNew();
}

}  // namespace einvoice::bench
