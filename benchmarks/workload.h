// Workload: the realistic request mix einvoice-bench sends.
//
// Sellers: `sellers` synthetic tax codes (province 98, computed check digit) derived from the
// run's seed, so two runs with different seeds never collide on one data directory. Each
// (seller, symbol) has a counter: invoice numbers increase per seller and symbol.
//
// Invoices: 1–20 lines, VAT rates drawn per line from the mix seen on real invoices (about
// 63 % 0 %, 17 % KCT, 16 % 8 %, 4 % 10 %), now and then a discount, a trade-discount line or
// a note line; totals from rules' FillTotals() so they add up; issued today (Vietnam time).
//
// The mix: a share of replays (an accepted invoice sent again: expect OK + replay and the
// byte-identical original answer), conflicting duplicates (an accepted invoice's key with
// other content: expect ALREADY_EXISTS), invalid invoices (totals off by one: expect
// INVALID_ARGUMENT), lookups by authority code and searches by seller; the rest are new
// invoices (expect OK, not a replay). Ops that need an accepted invoice fall back to a new
// submission until one exists.
//
// XML: `xml_pct` of the new invoices are sent as the official XML (QĐ1450 HDon, from
// InvoiceToXml) signed by the seller with XMLDSig (ECDSA P-256, SigningTime = when signed),
// kind kXml. Each seller then has a certificate "UID=MST:<tax code>" from a throwaway test CA
// (tests/xml/support, the same seller-side signing the XML tests use), to be registered with
// the seller. Signing costs the client ~1.5 ms of CPU per invoice (more than the server
// spends on a protobuf submission), so PresignXml() signs a pool before the measured window;
// NextNew() takes from it and signs inline only when it runs dry (counted in
// xml_signing_stats()). Replays of an XML invoice resend the same bytes; conflicts
// with one are sent as protobuf (one uniqueness space); invalid invoices are protobuf.
//
// Thread-safety: Next(), NextNew(), Accepted() and the accessors may be called from any
// thread; PresignXml() before the load starts.
#ifndef EINVOICE_BENCHMARKS_WORKLOAD_H_
#define EINVOICE_BENCHMARKS_WORKLOAD_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "einvoice/v1/invoice_authority.pb.h"
#include "einvoice/v1/tax_officer.pb.h"

namespace einvoice::testing {
class TestCa;
struct TestCredential;
}  // namespace einvoice::testing

namespace einvoice::bench {

// kNew: a new protobuf invoice; kXml: a new seller-signed XML invoice; kCashRegister: a batch
// of `cash_register_batch` new cash-register invoices (SubmitCashRegisterInvoices).
enum class OpKind { kNew, kReplay, kConflict, kInvalid, kLookup, kSearch, kXml, kCashRegister };
inline constexpr int kOpKindCount = 8;
const char* OpKindName(OpKind kind);

struct WorkloadOptions {
  uint64_t seed = 1;
  int sellers = 200;
  // Percentages of all ops (the rest are new invoices). Sum <= 100.
  double replay_pct = 0;
  double conflict_pct = 0;
  double invalid_pct = 0;
  double lookup_pct = 0;
  double search_pct = 0;
  // Share of the new invoices (kNew + kXml) sent as seller-signed XML.
  double xml_pct = 0;
  // Against the null server only (it checks nothing): cycle through the presigned XML
  // invoices instead of signing more, so the ceiling measures gRPC, not the signing.
  bool reuse_xml = false;
  // Share of ops that are cash-register batches, and the invoices per batch (1..1000). Each
  // invoice has the run's cash-register symbol (kind letter M) and a code
  // "M1-YY-<5 chars of seed and seller>-<number>", unique per run.
  double cash_register_pct = 0;
  int cash_register_batch = 100;
  // Share of submissions carrying an idempotency key.
  double idempotency_pct = 50;
  // Accepted invoices kept for replays, conflicts and lookups.
  size_t recent_capacity = 8192;
};

// One request to send, and what the answer must be.
struct Op {
  OpKind kind = OpKind::kNew;
  v1::SubmitInvoiceRequest submit;    // kNew, kXml, kReplay, kConflict, kInvalid
  v1::GetInvoiceRequest get;          // kLookup
  v1::SearchInvoicesRequest search;   // kSearch
  v1::SubmitCashRegisterInvoicesRequest cash_register;  // kCashRegister
  // kReplay: the original answer (must come back byte-identical). kLookup: the stored
  // invoice (must come back byte-identical).
  std::shared_ptr<const v1::AuthenticatedInvoice> expected;
  // kXml (and a replay of one): the invoice the XML was made from.
  std::shared_ptr<const v1::Invoice> xml_source;
};

// Tiny deterministic generator (SplitMix64).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t Range(uint64_t lo, uint64_t hi) { return lo + Next() % (hi - lo + 1); }
  double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }

 private:
  uint64_t state_;
};

// A synthetic valid 10-digit tax code, "98" + 7 digits from (seed, n) + check digit.
std::string BenchTaxCode(uint64_t seed, uint64_t n);

// A valid invoice with a realistic line count, VAT mix and totals (see file comment).
v1::Invoice MakeInvoice(Rng& rng, const std::string& seller_tax_code, absl::string_view symbol,
                        uint32_t number, absl::CivilDay issue_day);

// Seller-side XML signing statistics (see the file comment).
struct XmlSigningStats {
  uint64_t presigned = 0;      // signed by PresignXml()
  uint64_t signed_inline = 0;  // signed on the load's threads because the pool ran dry
  double sign_cpu_seconds = 0; // thread CPU time spent building + signing, both kinds
};

class Workload {
 public:
  // Issues the sellers' certificates when options.xml_pct > 0.
  explicit Workload(const WorkloadOptions& options);
  ~Workload();

  const std::vector<std::string>& seller_tax_codes() const { return sellers_; }
  // The certificate (DER) seller `i` signs XML with: to register with the seller. Empty when
  // the workload sends no XML.
  std::string seller_certificate_der(size_t i) const;
  absl::CivilDay issue_day() const { return issue_day_; }

  // Signs `count` new XML invoices ahead on `threads` threads (a no-op without XML). Call
  // before the load starts. Errors if xmlsec cannot sign.
  absl::Status PresignXml(uint64_t count, int threads);
  XmlSigningStats xml_signing_stats() const;

  // The next op of the mix.
  Op Next();
  // A new, valid invoice submission (bypassing the mix): XML with probability xml_pct.
  Op NextNew();
  // Records an accepted new invoice (kNew or kXml `op`) for later replays, conflicts and
  // lookups.
  void Accepted(const Op& op, std::shared_ptr<const v1::AuthenticatedInvoice> invoice);
  size_t accepted_known() const;

 private:
  // A batch of new cash-register invoices of one seller (kCashRegister).
  Op MakeCashRegister(Rng& rng);
  struct Recent {
    v1::SubmitInvoiceRequest request;
    std::shared_ptr<const v1::AuthenticatedInvoice> invoice;
    std::shared_ptr<const v1::Invoice> xml_source;
  };
  struct SellerState {
    absl::Mutex mu;
    uint32_t next_number = 1;
  };
  bool PickRecent(Rng& rng, Recent* out);
  uint64_t ThreadSeed();
  Rng& ThreadRng();
  // A new protobuf invoice, or a new XML invoice signed now.
  absl::StatusOr<Op> MakeNew(Rng& rng, bool xml);
  // Turns the protobuf kNew `op` of seller `seller` into a signed kXml op.
  absl::Status SignXml(Op& op, size_t seller);

  const WorkloadOptions options_;
  const absl::CivilDay issue_day_;
  std::string symbol_;
  std::string cash_register_symbol_;  // symbol_ with kind letter M
  std::vector<std::string> sellers_;
  std::vector<std::unique_ptr<SellerState>> seller_state_;
  std::atomic<uint64_t> counter_{0};
  std::atomic<uint64_t> rng_streams_{0};

  // XML only: the test CA and one credential per seller (index as sellers_).
  std::unique_ptr<testing::TestCa> ca_;
  std::vector<testing::TestCredential> credentials_;
  mutable absl::Mutex xml_mu_;
  std::vector<Op> presigned_ ABSL_GUARDED_BY(xml_mu_);  // taken from the back
  size_t reuse_next_ ABSL_GUARDED_BY(xml_mu_) = 0;      // reuse_xml: the next one to copy
  XmlSigningStats xml_stats_ ABSL_GUARDED_BY(xml_mu_);

  mutable absl::Mutex mu_;
  std::vector<Recent> recent_ ABSL_GUARDED_BY(mu_);
  size_t recent_next_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace einvoice::bench

#endif  // EINVOICE_BENCHMARKS_WORKLOAD_H_
