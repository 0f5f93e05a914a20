// LoadDriver: sends a Workload's ops to a server over gRPC's callback API and measures them.
//
// Closed loop (rate == 0): `concurrency` ops in flight at all times, spread over the channels;
// each completion starts the next op. Open loop (rate > 0): a pacer starts op i at its
// intended time start + i/rate; latency is measured from that intended time, so time spent
// waiting for a free slot (at most `concurrency` in flight) or in the client counts as
// latency (no coordinated omission).
//
// Unary mode sends each op as its own rpc. Stream mode sends submissions over one
// SubmitInvoices stream per channel (matched by client_reference); lookups and searches stay
// unary.
//
// Phases: prefill (optional, new invoices only, not measured), warm-up (not counted), the
// measured window (bounded by duration and optionally by a count of completions), then a drain
// in which nothing new starts and nothing is counted.
//
// Thread-safety: Run() from one thread at a time; callbacks run on gRPC's threads.
#ifndef EINVOICE_BENCHMARKS_LOAD_DRIVER_H_
#define EINVOICE_BENCHMARKS_LOAD_DRIVER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "benchmarks/stats.h"
#include "benchmarks/workload.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "einvoice/v1/tax_officer.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace einvoice::bench {

// Keeps a uniform sample of at most `capacity` accepted invoices (all of them when fewer).
class Reservoir {
 public:
  explicit Reservoir(size_t capacity) : capacity_(capacity) {}
  void Offer(std::shared_ptr<const v1::AuthenticatedInvoice> invoice);
  std::vector<std::shared_ptr<const v1::AuthenticatedInvoice>> Take();
  uint64_t offered() const;

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::vector<std::shared_ptr<const v1::AuthenticatedInvoice>> sample_ ABSL_GUARDED_BY(mu_);
  uint64_t offered_ ABSL_GUARDED_BY(mu_) = 0;
  Rng rng_ ABSL_GUARDED_BY(mu_){42};
};

struct DriverOptions {
  int concurrency = 64;
  double rate = 0;  // ops/s; 0 = closed loop
  bool stream = false;
  absl::Duration rpc_timeout = absl::Seconds(30);
  // False against the null server: its canned answers are not checked.
  bool check_outcomes = true;
};

struct PhaseResult {
  RunStats::Snapshot stats;
  double seconds = 0;
  uint64_t late_starts = 0;  // open loop: ops started > 1 ms after their intended time
};

// Makes `n` channels to `target`, each with its own TCP connection, over `credentials`
// (mutual TLS or plaintext).
std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(
    const std::string& target, int n, const std::shared_ptr<grpc::ChannelCredentials>& credentials);

class LoadDriver {
 public:
  LoadDriver(std::vector<std::shared_ptr<grpc::Channel>> channels, Workload* workload,
             Reservoir* accepted, const DriverOptions& options);
  ~LoadDriver();

  // Submits `count` new invoices (closed loop, not measured) so that replays, conflicts and
  // lookups have accepted invoices to work on. Returns how many were accepted.
  uint64_t Prefill(uint64_t count);

  // Warm-up, then the measured window (ends after `duration` or `max_requests` completions,
  // whichever is first; 0 = no count bound). `progress` is called about once a second with
  // the seconds elapsed in the window and the stats so far (phase name "warmup"/"run").
  using Progress = std::function<void(const char* phase, double seconds,
                                      const RunStats::Snapshot& so_far)>;
  PhaseResult Run(absl::Duration warmup, absl::Duration duration, uint64_t max_requests,
                  const Progress& progress);

  // Called at the start and end of the measured window (for CPU accounting).
  std::function<void()> on_window_start;
  std::function<void()> on_window_end;

 private:
  struct Call;
  class StreamWorker;
  friend class StreamWorker;

  void StartOp(Op op, int64_t intended_ns, int slot);
  void StartUnary(Call* call);
  // Evaluates an answer; records it in the current phase's stats; starts the next op (closed
  // loop) or frees the slot (open loop).
  void Complete(Call* call, int code, const v1::SubmitInvoiceResponse* submit,
                const v1::AuthenticatedInvoice* got);
  Outcome Evaluate(const Call& call, int code, const v1::SubmitInvoiceResponse* submit,
                   const v1::AuthenticatedInvoice* got);
  void RunPhases(absl::Duration warmup, absl::Duration duration, uint64_t max_requests,
                 const Progress& progress, bool prefill_only, uint64_t prefill_count,
                 PhaseResult* result);
  void Pacer();
  void WaitIdle();

  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<v1::InvoiceAuthority::Stub>> authority_;
  std::vector<std::unique_ptr<v1::TaxOfficer::Stub>> officer_;
  Workload* const workload_;
  Reservoir* const accepted_;
  const DriverOptions options_;
  std::vector<StreamWorker*> streams_;

  // 0 prefill, 1 warm-up, 2 measured, 3 draining (nothing new starts).
  std::atomic<int> phase_{3};
  std::atomic<bool> prefill_only_{false};
  std::atomic<uint64_t> prefill_left_{0};
  std::atomic<uint64_t> prefill_accepted_{0};
  RunStats warmup_stats_;
  std::unique_ptr<RunStats> measured_stats_;
  std::atomic<uint64_t> late_starts_{0};

  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace einvoice::bench

#endif  // EINVOICE_BENCHMARKS_LOAD_DRIVER_H_
