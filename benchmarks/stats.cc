#include "benchmarks/stats.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"

namespace einvoice::bench {

int Histogram::BucketOf(uint64_t v) {
  if (v < kSub) return static_cast<int>(v);
  const int exp = 63 - std::countl_zero(v);  // >= 6
  const int shift = exp - 6;
  const int sub = static_cast<int>((v >> shift) & (kSub - 1));
  return std::min(kBuckets - 1, (exp - 5) * kSub + sub);
}

uint64_t Histogram::BucketMid(int b) {
  if (b < kSub) return static_cast<uint64_t>(b);
  const int exp = b / kSub + 5;
  const int shift = exp - 6;
  const uint64_t sub = static_cast<uint64_t>(b % kSub);
  const uint64_t low = (uint64_t{1} << exp) | (sub << shift);
  return low + ((uint64_t{1} << shift) >> 1);
}

void Histogram::Record(int64_t nanos) {
  const uint64_t v = nanos < 0 ? 0 : static_cast<uint64_t>(nanos);
  ++buckets_[BucketOf(v)];
  ++count_;
  sum_ += v;
  max_ = std::max(max_, v);
}

void Histogram::Merge(const Histogram& other) {
  for (int i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

double Histogram::QuantileMs(double q) const {
  if (count_ == 0) return 0;
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(q * count_ + 0.5));
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return static_cast<double>(std::min(BucketMid(i), max_)) / 1e6;
  }
  return MaxMs();
}

void RunStats::RecordSent(OpKind kind) {
  absl::MutexLock lock(&mu_);
  ++s_.kinds[static_cast<int>(kind)].sent;
}

void RunStats::Record(OpKind kind, int grpc_code, Outcome outcome, int64_t latency_nanos) {
  absl::MutexLock lock(&mu_);
  s_.latency.Record(latency_nanos);
  ++s_.completed;
  ++s_.status_counts[grpc_code];
  KindCounts& k = s_.kinds[static_cast<int>(kind)];
  switch (outcome) {
    case Outcome::kExpected: ++k.expected; break;
    case Outcome::kUnexpected:
      ++k.unexpected;
      ++s_.unexpected;
      break;
    case Outcome::kError:
      ++k.errors;
      ++s_.error_counts[grpc_code];
      break;
  }
}

RunStats::Snapshot RunStats::Take() const {
  absl::MutexLock lock(&mu_);
  return s_;
}

uint64_t RunStats::completed() const {
  absl::MutexLock lock(&mu_);
  return s_.completed;
}

std::string GrpcCodeName(int code) {
  static const char* const kNames[] = {
      "OK",        "CANCELLED",         "UNKNOWN",         "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",  "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  if (code >= 0 && code < static_cast<int>(std::size(kNames))) return kNames[code];
  return absl::StrCat("CODE_", code);
}

}  // namespace einvoice::bench
