#include "server/submit_stream_reactor.h"

#include <utility>

#include "server/submission_response.h"

namespace einvoice {

SubmitStreamReactor::SubmitStreamReactor(size_t max_outstanding, size_t max_unwritten_bytes,
                                         ThreadPool* pool, Processor processor,
                                         PauseObserver on_paused)
    : max_outstanding_(max_outstanding),
      max_unwritten_bytes_(max_unwritten_bytes),
      pool_(pool),
      processor_(std::move(processor)),
      on_paused_(std::move(on_paused)) {
  Actions actions;
  {
    absl::MutexLock lock(&mu_);
    actions = NextActions();
  }
  Run(actions);
}

SubmitStreamReactor::Actions SubmitStreamReactor::NextActions() {
  Actions actions;
  if (finished_) return actions;
  if (!reading_ && !reads_done_ && in_flight_ + to_write_.size() < max_outstanding_) {
    if (unwritten_bytes_ < max_unwritten_bytes_) {
      reading_ = true;
      paused_ = false;
      actions.read = true;
    } else if (!paused_) {
      paused_ = true;
      actions.paused_at = unwritten_bytes_;
    }
  }
  if (!writing_ && !writes_broken_ && !to_write_.empty()) {
    writing_ = true;
    actions.write = &to_write_.front();  // stays put until OnWriteDone pops it
  }
  if (reads_done_ && in_flight_ == 0 && !writing_ && (to_write_.empty() || writes_broken_)) {
    finished_ = true;
    actions.finish = true;
  }
  return actions;
}

void SubmitStreamReactor::Run(const Actions& actions) {
  if (actions.paused_at.has_value() && on_paused_) on_paused_(*actions.paused_at);
  if (actions.write != nullptr) StartWrite(actions.write);
  if (actions.read) StartRead(&request_);
  if (actions.finish) Finish(grpc::Status::OK);
}

void SubmitStreamReactor::OnReadDone(bool ok) {
  Actions actions;
  if (!ok) {  // the client half-closed, or the call is broken
    absl::MutexLock lock(&mu_);
    reading_ = false;
    reads_done_ = true;
    actions = NextActions();
  } else {
    v1::SubmitInvoiceRequest request = std::move(request_);
    request_.Clear();
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      ++in_flight_;
    }
    // The request is moved into the task; the read buffer is free for the next read.
    auto shared = std::make_shared<v1::SubmitInvoiceRequest>(std::move(request));
    const bool queued = pool_->TrySubmit([this, shared] {
      processor_(*shared, [this](v1::SubmitInvoiceResponse response) {
        Complete(std::move(response));
      });
    });
    if (!queued) {
      v1::SubmitInvoiceResponse overloaded = ErrorResponse(
          absl::ResourceExhaustedError("the server is overloaded; retry with backoff"));
      overloaded.set_client_reference(shared->client_reference());
      Complete(std::move(overloaded));
      return;
    }
    absl::MutexLock lock(&mu_);
    actions = NextActions();
  }
  Run(actions);
}

void SubmitStreamReactor::Complete(v1::SubmitInvoiceResponse response) {
  Actions actions;
  {
    absl::MutexLock lock(&mu_);
    --in_flight_;
    if (!writes_broken_) {
      const size_t bytes = response.ByteSizeLong();
      unwritten_bytes_ += bytes;
      to_write_sizes_.push_back(bytes);
      to_write_.push_back(std::move(response));
    }
    actions = NextActions();
  }
  Run(actions);
}

void SubmitStreamReactor::OnWriteDone(bool ok) {
  Actions actions;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    unwritten_bytes_ -= to_write_sizes_.front();
    to_write_sizes_.pop_front();
    to_write_.pop_front();
    if (!ok) {  // the client went away: drop what is left, wait for work in flight
      writes_broken_ = true;
      to_write_.clear();
      to_write_sizes_.clear();
      unwritten_bytes_ = 0;
    }
    actions = NextActions();
  }
  Run(actions);
}

void SubmitStreamReactor::OnDone() { delete this; }

}  // namespace einvoice
