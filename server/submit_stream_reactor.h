// SubmitStreamReactor: one SubmitInvoices stream. Each request read is handed to the submit
// pool, whose processor delivers the response later from any thread (after the durable write);
// each result is written back as soon as it is ready (completion order, matched by
// client_reference).
//
// Flow control: at most `max_outstanding` requests of the stream are being processed or
// waiting to be written, and at most `max_unwritten_bytes` of answers wait to be written (a
// client that sends fast and reads slowly). At either limit the reactor stops reading, so
// gRPC's transport window pushes back on the client instead of the server buffering without
// bound: a stream holds at most `max_unwritten_bytes` plus the answers to the requests already
// in flight (at most `max_outstanding`). Each time reading stops for want of unwritten-byte
// room, `on_paused` (if set) is called with the bytes waiting, outside the lock: the seam for
// metrics and for tests that hold a slow reader to its budget. The stream finishes (OK) once
// the client has half-closed and every response has been written.
//
// Lifetime: created by the service per call; deletes itself in OnDone(), which gRPC calls
// only after Finish(), which this class calls only once no work is in flight.
#ifndef EINVOICE_SERVER_SUBMIT_STREAM_REACTOR_H_
#define EINVOICE_SERVER_SUBMIT_STREAM_REACTOR_H_

#include <deque>
#include <functional>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "common/thread_pool.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"

namespace einvoice {

class SubmitStreamReactor final
    : public grpc::ServerBidiReactor<v1::SubmitInvoiceRequest, v1::SubmitInvoiceResponse> {
 public:
  // Processes one request and calls its second argument exactly once with the response, on
  // any thread; the request need only live until the processor returns.
  using Processor = std::function<void(const v1::SubmitInvoiceRequest&,
                                       absl::AnyInvocable<void(v1::SubmitInvoiceResponse) &&>)>;

  // Told the bytes waiting to be written each time the stream stops reading because of them.
  using PauseObserver = std::function<void(size_t unwritten_bytes)>;

  // REQUIRES: max_outstanding >= 1; `pool` outlives the stream. `on_paused` may be empty.
  SubmitStreamReactor(size_t max_outstanding, size_t max_unwritten_bytes, ThreadPool* pool,
                      Processor processor, PauseObserver on_paused = nullptr);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override;

 private:
  // What to do after a state change, decided under the lock and done outside it.
  struct Actions {
    bool read = false;
    const v1::SubmitInvoiceResponse* write = nullptr;
    bool finish = false;
    std::optional<size_t> paused_at;  // reading stopped for the byte budget, with this many
  };
  Actions NextActions() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Run(const Actions& actions);
  void Complete(v1::SubmitInvoiceResponse response);

  const size_t max_outstanding_;
  const size_t max_unwritten_bytes_;
  ThreadPool* const pool_;
  const Processor processor_;
  const PauseObserver on_paused_;

  v1::SubmitInvoiceRequest request_;  // the read buffer; one read at a time
  absl::Mutex mu_;
  size_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<v1::SubmitInvoiceResponse> to_write_ ABSL_GUARDED_BY(mu_);
  std::deque<size_t> to_write_sizes_ ABSL_GUARDED_BY(mu_);  // bytes of each of to_write_
  size_t unwritten_bytes_ ABSL_GUARDED_BY(mu_) = 0;          // their sum
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool paused_ ABSL_GUARDED_BY(mu_) = false;  // reading held back by the byte budget
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool writes_broken_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_SUBMIT_STREAM_REACTOR_H_
