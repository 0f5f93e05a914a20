#include "benchmarks/load_driver.h"

#include <chrono>
#include <deque>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace einvoice::bench {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::chrono::system_clock::time_point DeadlineIn(absl::Duration d) {
  return std::chrono::system_clock::now() + absl::ToChronoNanoseconds(d);
}

bool IsRejection(int code) {
  return code == grpc::StatusCode::INVALID_ARGUMENT || code == grpc::StatusCode::ALREADY_EXISTS ||
         code == grpc::StatusCode::FAILED_PRECONDITION;
}

bool SameInvoice(const v1::AuthenticatedInvoice& a, const v1::AuthenticatedInvoice& b) {
  return a.authority_code() == b.authority_code() && a.signed_record() == b.signed_record() &&
         a.signature() == b.signature() && a.key_id() == b.key_id() &&
         a.coded_xml() == b.coded_xml();
}

}  // namespace

void Reservoir::Offer(std::shared_ptr<const v1::AuthenticatedInvoice> invoice) {
  absl::MutexLock lock(&mu_);
  ++offered_;
  if (sample_.size() < capacity_) {
    sample_.push_back(std::move(invoice));
    return;
  }
  const uint64_t j = rng_.Range(0, offered_ - 1);
  if (j < capacity_) sample_[j] = std::move(invoice);
}

std::vector<std::shared_ptr<const v1::AuthenticatedInvoice>> Reservoir::Take() {
  absl::MutexLock lock(&mu_);
  return std::move(sample_);
}

uint64_t Reservoir::offered() const {
  absl::MutexLock lock(&mu_);
  return offered_;
}

std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(
    const std::string& target, int n, const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < n; ++i) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    // Distinct args and a local subchannel pool: each channel gets its own connection.
    args.SetInt("einvoice.bench.channel", i);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(grpc::CreateCustomChannel(target, credentials, args));
  }
  return channels;
}

struct LoadDriver::Call {
  Op op;
  int64_t intended_ns = 0;
  int slot = 0;
  grpc::ClientContext ctx;
  v1::SubmitInvoiceResponse submit_response;
  v1::AuthenticatedInvoice get_response;
  v1::SearchInvoicesResponse search_response;
  v1::SubmitCashRegisterInvoicesResponse cash_register_response;
};

// One SubmitInvoices stream: writes queued submissions one at a time, matches responses to
// calls by client_reference.
class LoadDriver::StreamWorker final
    : public grpc::ClientBidiReactor<v1::SubmitInvoiceRequest, v1::SubmitInvoiceResponse> {
 public:
  StreamWorker(LoadDriver* driver, v1::InvoiceAuthority::Stub* stub, absl::Duration lifetime)
      : driver_(driver) {
    context_.set_deadline(DeadlineIn(lifetime));
    stub->async()->SubmitInvoices(&context_, this);
    StartRead(&response_);
    StartCall();
  }

  // False if the stream is dead (the caller then sends the op unary).
  bool Send(Call* call) {
    bool start = false;
    {
      absl::MutexLock lock(&mu_);
      if (dead_ || close_wanted_) return false;
      const uint64_t id = next_id_++;
      call->op.submit.set_client_reference(absl::StrCat(id));
      pending_.emplace(id, call);
      queue_.push_back(&call->op.submit);
      if (!writing_) {
        writing_ = true;
        write_ = *queue_.front();
        queue_.pop_front();
        start = true;
      }
    }
    if (start) StartWrite(&write_);
    return true;
  }

  void Close() {
    bool done;
    {
      absl::MutexLock lock(&mu_);
      close_wanted_ = true;
      done = ReadyToCloseLocked();
    }
    if (done) StartWritesDone();
  }

  void WaitDone() { finished_.WaitForNotification(); }

  void OnWriteDone(bool ok) override {
    bool start = false;
    bool done = false;
    {
      absl::MutexLock lock(&mu_);
      if (!ok) {
        writing_ = false;
        queue_.clear();
        dead_ = true;
      } else if (!queue_.empty()) {
        write_ = *queue_.front();
        queue_.pop_front();
        start = true;
      } else {
        writing_ = false;
        done = ReadyToCloseLocked();
      }
    }
    if (start) StartWrite(&write_);
    if (done) StartWritesDone();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows
    Call* call = nullptr;
    uint64_t id = 0;
    bool done = false;
    {
      absl::MutexLock lock(&mu_);
      if (absl::SimpleAtoi(response_.client_reference(), &id)) {
        auto it = pending_.find(id);
        if (it != pending_.end()) {
          call = it->second;
          pending_.erase(it);
        }
      }
      done = ReadyToCloseLocked();
    }
    v1::SubmitInvoiceResponse response = std::move(response_);
    response_.Clear();
    StartRead(&response_);
    if (done) StartWritesDone();
    if (call != nullptr) {
      const int code = response.has_rejected() ? response.rejected().status_code() : 0;
      driver_->Complete(call, code, &response, nullptr);
    }
  }

  void OnDone(const grpc::Status& status) override {
    absl::flat_hash_map<uint64_t, Call*> orphans;
    {
      absl::MutexLock lock(&mu_);
      dead_ = true;
      orphans.swap(pending_);
    }
    const int code = status.ok() ? grpc::StatusCode::UNKNOWN : status.error_code();
    for (auto& [id, call] : orphans) driver_->Complete(call, code, nullptr, nullptr);
    finished_.Notify();
  }

 private:
  bool ReadyToCloseLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (close_wanted_ && !writes_done_ && !writing_ && pending_.empty() && !dead_) {
      writes_done_ = true;
      return true;
    }
    return false;
  }

  LoadDriver* const driver_;
  grpc::ClientContext context_;
  v1::SubmitInvoiceResponse response_;
  v1::SubmitInvoiceRequest write_;
  absl::Notification finished_;
  absl::Mutex mu_;
  std::deque<const v1::SubmitInvoiceRequest*> queue_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, Call*> pending_ ABSL_GUARDED_BY(mu_);
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool close_wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool writes_done_ ABSL_GUARDED_BY(mu_) = false;
  bool dead_ ABSL_GUARDED_BY(mu_) = false;
};

LoadDriver::LoadDriver(std::vector<std::shared_ptr<grpc::Channel>> channels, Workload* workload,
                       Reservoir* accepted, const DriverOptions& options)
    : channels_(std::move(channels)),
      workload_(workload),
      accepted_(accepted),
      options_(options),
      measured_stats_(std::make_unique<RunStats>()) {
  for (const auto& channel : channels_) {
    authority_.push_back(v1::InvoiceAuthority::NewStub(channel));
    officer_.push_back(v1::TaxOfficer::NewStub(channel));
  }
}

LoadDriver::~LoadDriver() = default;

void LoadDriver::StartOp(Op op, int64_t intended_ns, int slot) {
  const int phase = phase_.load();
  if (phase == 1) warmup_stats_.RecordSent(op.kind);
  if (phase == 2) measured_stats_->RecordSent(op.kind);
  {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
  }
  Call* call = new Call;
  call->op = std::move(op);
  call->intended_ns = intended_ns;
  call->slot = slot;
  const bool is_submit = call->op.kind != OpKind::kLookup && call->op.kind != OpKind::kSearch &&
                         call->op.kind != OpKind::kCashRegister;
  if (options_.stream && is_submit && !streams_.empty()) {
    if (streams_[static_cast<size_t>(slot) % streams_.size()]->Send(call)) return;
  }
  StartUnary(call);
}

void LoadDriver::StartUnary(Call* call) {
  const size_t c = static_cast<size_t>(call->slot) % channels_.size();
  call->ctx.set_deadline(DeadlineIn(options_.rpc_timeout));
  switch (call->op.kind) {
    case OpKind::kLookup:
      authority_[c]->async()->GetInvoice(&call->ctx, &call->op.get, &call->get_response,
                                         [this, call](grpc::Status s) {
                                           Complete(call, s.error_code(), nullptr,
                                                    s.ok() ? &call->get_response : nullptr);
                                         });
      return;
    case OpKind::kSearch:
      officer_[c]->async()->SearchInvoices(&call->ctx, &call->op.search, &call->search_response,
                                           [this, call](grpc::Status s) {
                                             Complete(call, s.error_code(), nullptr, nullptr);
                                           });
      return;
    case OpKind::kCashRegister:
      authority_[c]->async()->SubmitCashRegisterInvoices(
          &call->ctx, &call->op.cash_register, &call->cash_register_response,
          [this, call](grpc::Status s) { Complete(call, s.error_code(), nullptr, nullptr); });
      return;
    default:
      authority_[c]->async()->SubmitInvoice(
          &call->ctx, &call->op.submit, &call->submit_response, [this, call](grpc::Status s) {
            Complete(call, s.error_code(), s.ok() ? &call->submit_response : nullptr, nullptr);
          });
      return;
  }
}

Outcome LoadDriver::Evaluate(const Call& call, int code, const v1::SubmitInvoiceResponse* submit,
                             const v1::AuthenticatedInvoice* got) {
  const bool ok = code == grpc::StatusCode::OK;
  if (!options_.check_outcomes) return ok || IsRejection(code) ? Outcome::kExpected : Outcome::kError;
  switch (call.op.kind) {
    case OpKind::kNew:
    case OpKind::kXml:
      if (ok) {
        // A protobuf submission gets no coded XML; an XML one must.
        const bool xml = call.op.kind == OpKind::kXml;
        return submit != nullptr && submit->has_accepted() && !submit->replay() &&
                       submit->accepted().coded_xml().empty() != xml
                   ? Outcome::kExpected
                   : Outcome::kUnexpected;
      }
      return IsRejection(code) ? Outcome::kUnexpected : Outcome::kError;
    case OpKind::kReplay:
      if (ok) {
        return submit != nullptr && submit->replay() && submit->has_accepted() &&
                       call.op.expected != nullptr &&
                       SameInvoice(submit->accepted(), *call.op.expected)
                   ? Outcome::kExpected
                   : Outcome::kUnexpected;
      }
      return IsRejection(code) ? Outcome::kUnexpected : Outcome::kError;
    case OpKind::kConflict:
      if (code == grpc::StatusCode::ALREADY_EXISTS) return Outcome::kExpected;
      return ok || IsRejection(code) ? Outcome::kUnexpected : Outcome::kError;
    case OpKind::kInvalid:
      if (code == grpc::StatusCode::INVALID_ARGUMENT) return Outcome::kExpected;
      return ok || IsRejection(code) ? Outcome::kUnexpected : Outcome::kError;
    case OpKind::kLookup:
      if (ok) {
        return got != nullptr && call.op.expected != nullptr && SameInvoice(*got, *call.op.expected)
                   ? Outcome::kExpected
                   : Outcome::kUnexpected;
      }
      return code == grpc::StatusCode::NOT_FOUND ? Outcome::kUnexpected : Outcome::kError;
    case OpKind::kSearch:
      return ok ? Outcome::kExpected : Outcome::kError;
    case OpKind::kCashRegister: {
      // Every invoice of the batch received for the first time, in order.
      if (!ok) return IsRejection(code) ? Outcome::kUnexpected : Outcome::kError;
      const auto& results = call.cash_register_response.results();
      if (results.size() != call.op.cash_register.invoices_size()) return Outcome::kUnexpected;
      for (int i = 0; i < results.size(); ++i) {
        if (!results[i].received() || results[i].replay() ||
            results[i].code() != call.op.cash_register.invoices(i).code()) {
          return Outcome::kUnexpected;
        }
      }
      return Outcome::kExpected;
    }
  }
  return Outcome::kError;
}

void LoadDriver::Complete(Call* call, int code, const v1::SubmitInvoiceResponse* submit,
                          const v1::AuthenticatedInvoice* got) {
  const int64_t now = NowNs();
  const Outcome outcome = Evaluate(*call, code, submit, got);
  const int phase = phase_.load();
  const bool is_new = call->op.kind == OpKind::kNew || call->op.kind == OpKind::kXml;
  if (outcome == Outcome::kExpected && is_new && submit != nullptr && submit->has_accepted()) {
    auto invoice = std::make_shared<const v1::AuthenticatedInvoice>(submit->accepted());
    if (options_.check_outcomes) accepted_->Offer(invoice);
    workload_->Accepted(call->op, std::move(invoice));
    if (phase == 0) prefill_accepted_.fetch_add(1);
  }
  if (phase == 1) warmup_stats_.Record(call->op.kind, code, outcome, now - call->intended_ns);
  if (phase == 2) measured_stats_->Record(call->op.kind, code, outcome, now - call->intended_ns);
  const int slot = call->slot;
  delete call;
  // The next op of this slot starts before this one stops counting as in flight: once
  // in_flight_ reaches 0, RunPhases may return and the driver (its stubs and channels) be
  // destroyed, so nothing here may touch `this` after the decrement. (Starting it after the
  // decrement let a late completion call a destroyed stub: a rare crash at the end of a run.)
  if (options_.rate > 0 && phase != 0) {
    // Open loop: the pacer starts ops.
  } else if (phase == 0) {
    // Prefill: a fixed number of new invoices.
    uint64_t left = prefill_left_.load();
    while (left > 0 && !prefill_left_.compare_exchange_weak(left, left - 1)) {
    }
    if (left > 0) StartOp(workload_->NextNew(), NowNs(), slot);
  } else if (phase < 3 && phase_.load() < 3) {
    StartOp(workload_->Next(), NowNs(), slot);
  }
  absl::MutexLock lock(&mu_);
  --in_flight_;
}

void LoadDriver::Pacer() {
  const double interval_ns = 1e9 / options_.rate;
  const int64_t t0 = NowNs();
  for (uint64_t i = 0;; ++i) {
    const int64_t intended = t0 + static_cast<int64_t>(static_cast<double>(i) * interval_ns);
    for (;;) {
      if (phase_.load() == 3) return;
      const int64_t now = NowNs();
      if (now >= intended) break;
      const int64_t wait = intended - now;
      if (wait > 50'000) std::this_thread::sleep_for(std::chrono::nanoseconds(wait - 20'000));
    }
    {
      absl::MutexLock lock(&mu_);
      const int limit = options_.concurrency;
      auto has_slot = [this, limit]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return in_flight_ < limit;
      };
      while (!mu_.AwaitWithTimeout(absl::Condition(&has_slot), absl::Milliseconds(100))) {
        if (phase_.load() == 3) return;
      }
    }
    if (phase_.load() == 3) return;
    if (NowNs() - intended > 1'000'000 && phase_.load() == 2) late_starts_.fetch_add(1);
    StartOp(workload_->Next(), intended, static_cast<int>(i % 1'000'000));
  }
}

void LoadDriver::WaitIdle() {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; };
  mu_.AwaitWithTimeout(absl::Condition(&idle), options_.rpc_timeout + absl::Seconds(5));
}

void LoadDriver::RunPhases(absl::Duration warmup, absl::Duration duration, uint64_t max_requests,
                           const Progress& progress, bool prefill_only, uint64_t prefill_count,
                           PhaseResult* result) {
  measured_stats_ = std::make_unique<RunStats>();
  late_starts_ = 0;
  if (options_.stream) {
    for (auto& stub : authority_) {
      streams_.push_back(new StreamWorker(this, stub.get(), warmup + duration + absl::Minutes(5)));
    }
  }
  std::thread pacer;
  if (prefill_only) {
    phase_ = 0;
    prefill_accepted_ = 0;
    const uint64_t first = std::min<uint64_t>(prefill_count, static_cast<uint64_t>(options_.concurrency));
    prefill_left_ = prefill_count - first;
    for (uint64_t slot = 0; slot < first; ++slot) {
      StartOp(workload_->NextNew(), NowNs(), static_cast<int>(slot));
    }
    WaitIdle();
  } else {
    phase_ = warmup > absl::ZeroDuration() ? 1 : 2;
    if (phase_ == 2 && on_window_start) on_window_start();
    const absl::Time begin = absl::Now();
    absl::Time window_start = phase_ == 2 ? begin : absl::InfiniteFuture();
    if (options_.rate > 0) {
      pacer = std::thread([this] { Pacer(); });
    } else {
      for (int slot = 0; slot < options_.concurrency; ++slot) {
        StartOp(workload_->Next(), NowNs(), slot);
      }
    }
    absl::Time next_progress = begin + absl::Seconds(1);
    for (;;) {
      absl::SleepFor(absl::Milliseconds(20));
      const absl::Time now = absl::Now();
      if (phase_ == 1 && now - begin >= warmup) {
        if (on_window_start) on_window_start();
        window_start = absl::Now();
        phase_ = 2;
      }
      if (phase_ == 2) {
        const bool time_up = now - window_start >= duration;
        const bool count_up = max_requests > 0 && measured_stats_->completed() >= max_requests;
        if (time_up || count_up) {
          phase_ = 3;
          result->seconds = absl::ToDoubleSeconds(absl::Now() - window_start);
          if (on_window_end) on_window_end();
          break;
        }
      }
      if (progress && now >= next_progress) {
        next_progress += absl::Seconds(1);
        if (phase_ == 1) {
          progress("warmup", absl::ToDoubleSeconds(now - begin), warmup_stats_.Take());
        } else if (now - window_start >= absl::Milliseconds(100)) {
          progress("run", absl::ToDoubleSeconds(now - window_start), measured_stats_->Take());
        }
      }
    }
    if (pacer.joinable()) pacer.join();
    WaitIdle();
  }
  phase_ = 3;
  for (StreamWorker* s : streams_) s->Close();
  for (StreamWorker* s : streams_) {
    s->WaitDone();
    delete s;
  }
  streams_.clear();
  result->stats = measured_stats_->Take();
  result->late_starts = late_starts_.load();
}

uint64_t LoadDriver::Prefill(uint64_t count) {
  if (count == 0) return 0;
  PhaseResult ignored;
  RunPhases(absl::ZeroDuration(), absl::ZeroDuration(), 0, nullptr, true, count, &ignored);
  return prefill_accepted_.load();
}

PhaseResult LoadDriver::Run(absl::Duration warmup, absl::Duration duration, uint64_t max_requests,
                            const Progress& progress) {
  PhaseResult result;
  RunPhases(warmup, duration, max_requests, progress, false, 0, &result);
  return result;
}

}  // namespace einvoice::bench
