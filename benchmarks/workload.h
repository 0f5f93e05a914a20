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
// Thread-safety: Next(), Accepted() and the accessors may be called from any thread.
#ifndef EINVOICE_BENCHMARKS_WORKLOAD_H_
#define EINVOICE_BENCHMARKS_WORKLOAD_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "einvoice/v1/invoice_authority.pb.h"
#include "einvoice/v1/tax_officer.pb.h"

namespace einvoice::bench {

enum class OpKind { kNew, kReplay, kConflict, kInvalid, kLookup, kSearch };
inline constexpr int kOpKindCount = 6;
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
  // Share of submissions carrying an idempotency key.
  double idempotency_pct = 50;
  // Accepted invoices kept for replays, conflicts and lookups.
  size_t recent_capacity = 8192;
};

// One request to send, and what the answer must be.
struct Op {
  OpKind kind = OpKind::kNew;
  v1::SubmitInvoiceRequest submit;    // kNew, kReplay, kConflict, kInvalid
  v1::GetInvoiceRequest get;          // kLookup
  v1::SearchInvoicesRequest search;   // kSearch
  // kReplay: the original answer (must come back byte-identical). kLookup: the stored
  // invoice (must come back byte-identical).
  std::shared_ptr<const v1::AuthenticatedInvoice> expected;
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

class Workload {
 public:
  explicit Workload(const WorkloadOptions& options);

  const std::vector<std::string>& seller_tax_codes() const { return sellers_; }
  absl::CivilDay issue_day() const { return issue_day_; }

  // The next op of the mix.
  Op Next();
  // A new, valid invoice submission (bypassing the mix).
  Op NextNew();
  // Records an accepted new invoice for later replays, conflicts and lookups.
  void Accepted(const v1::SubmitInvoiceRequest& request,
                std::shared_ptr<const v1::AuthenticatedInvoice> invoice);
  size_t accepted_known() const;

 private:
  struct Recent {
    v1::SubmitInvoiceRequest request;
    std::shared_ptr<const v1::AuthenticatedInvoice> invoice;
  };
  struct SellerState {
    absl::Mutex mu;
    uint32_t next_number = 1;
  };
  bool PickRecent(Rng& rng, Recent* out);
  uint64_t ThreadSeed();

  const WorkloadOptions options_;
  const absl::CivilDay issue_day_;
  std::string symbol_;
  std::vector<std::string> sellers_;
  std::vector<std::unique_ptr<SellerState>> seller_state_;
  std::atomic<uint64_t> counter_{0};
  std::atomic<uint64_t> rng_streams_{0};

  mutable absl::Mutex mu_;
  std::vector<Recent> recent_ ABSL_GUARDED_BY(mu_);
  size_t recent_next_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace einvoice::bench

#endif  // EINVOICE_BENCHMARKS_WORKLOAD_H_
