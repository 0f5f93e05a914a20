// Latency histogram and run counters for einvoice-bench.
//
// Histogram: log-linear buckets (64 per power of two) over nanoseconds, so any percentile is
// within 1.6 % of the true value, in constant memory, with no sorting at the end.
//
// Thread-safety: Histogram is not thread-safe (one per recorder, merged); RunStats is.
#ifndef EINVOICE_BENCHMARKS_STATS_H_
#define EINVOICE_BENCHMARKS_STATS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "benchmarks/workload.h"

namespace einvoice::bench {

class Histogram {
 public:
  void Record(int64_t nanos);
  void Merge(const Histogram& other);
  uint64_t count() const { return count_; }
  // The value at quantile q in [0, 1], in milliseconds (0 when empty).
  double QuantileMs(double q) const;
  double MaxMs() const { return static_cast<double>(max_) / 1e6; }
  double MeanMs() const { return count_ == 0 ? 0 : static_cast<double>(sum_) / count_ / 1e6; }

 private:
  static constexpr int kSub = 64;  // buckets per power of two
  static constexpr int kBuckets = 64 * kSub;
  static int BucketOf(uint64_t v);
  static uint64_t BucketMid(int b);
  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t max_ = 0;
};

// What came back for one op.
enum class Outcome {
  kExpected,    // what the op was built to get (accepted, replay, rejection of the right kind)
  kUnexpected,  // an answer, but the wrong one (e.g. a new invoice rejected, a replay not flagged)
  kError,       // a status the op did not expect (UNAVAILABLE, DEADLINE_EXCEEDED, ...)
};

struct KindCounts {
  uint64_t sent = 0;
  uint64_t expected = 0;
  uint64_t unexpected = 0;
  uint64_t errors = 0;
};

// Everything measured in one phase (warm-up or measured window).
class RunStats {
 public:
  void Record(OpKind kind, int grpc_code, Outcome outcome, int64_t latency_nanos);
  void RecordSent(OpKind kind);

  struct Snapshot {
    Histogram latency;
    std::array<KindCounts, kOpKindCount> kinds{};
    std::map<int, uint64_t> status_counts;  // every answer, by gRPC code
    std::map<int, uint64_t> error_counts;   // answers of Outcome::kError, by gRPC code
    uint64_t completed = 0;
    uint64_t unexpected = 0;
  };
  Snapshot Take() const;
  uint64_t completed() const;

 private:
  mutable absl::Mutex mu_;
  Snapshot s_ ABSL_GUARDED_BY(mu_);
};

// "OK", "UNAVAILABLE", ... for a gRPC status code number.
std::string GrpcCodeName(int code);

}  // namespace einvoice::bench

#endif  // EINVOICE_BENCHMARKS_STATS_H_
