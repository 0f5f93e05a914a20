// RunOnPool: runs a unary handler's work on a bounded pool instead of a gRPC callback thread
// and finishes the call with the grpc::Status the work returns. A full pool finishes the call
// at once with RESOURCE_EXHAUSTED; a call the client has already abandoned is not worked on.
// RunOnPoolAsync: the same for work that completes later, on another thread (a submission
// waiting for its durable write): the pool thread is free as soon as the work is handed on.
// RunForCaller / RunForCallerAsync: the same, first passing the call gate (on the rpc thread:
// no I/O): the caller is identified and metered, and handed to the work; a refused call is
// finished at once (UNAUTHENTICATED, or RESOURCE_EXHAUSTED with RetryInfo).
#ifndef EINVOICE_SERVER_RUN_ON_POOL_H_
#define EINVOICE_SERVER_RUN_ON_POOL_H_

#include <optional>
#include <utility>

#include "common/thread_pool.h"
#include "domain/caller.h"
#include "grpcpp/grpcpp.h"
#include "server/call_gate.h"
#include "server/grpc_status.h"

namespace einvoice {

// What a full queue asks clients to wait before retrying (google.rpc.RetryInfo).
inline constexpr absl::Duration kOverloadRetryDelay = absl::Milliseconds(200);

// `work` is a callable taking a `finish` callable; it runs at most once, on `pool`, and must
// see to it that finish(grpc::Status) is called exactly once, from any thread. `finish` is
// cheap to copy.
template <typename Work>
grpc::ServerUnaryReactor* RunOnPoolAsync(ThreadPool* pool, grpc::CallbackServerContext* context,
                                         Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued = pool->TrySubmit([reactor, context, work = std::move(work)]() mutable {
    if (context->IsCancelled()) {  // deadline passed or client gone while queued
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled before processing"));
      return;
    }
    work([reactor](grpc::Status status) { reactor->Finish(std::move(status)); });
  });
  if (!queued) {
    reactor->Finish(OverloadedStatus("the server is overloaded; retry with backoff",
                                     kOverloadRetryDelay));
  }
  return reactor;
}

// `work` is a callable returning grpc::Status; it runs at most once, on `pool`.
template <typename Work>
grpc::ServerUnaryReactor* RunOnPool(ThreadPool* pool, grpc::CallbackServerContext* context,
                                    Work work) {
  return RunOnPoolAsync(pool, context, [work = std::move(work)](auto finish) mutable {
    finish(work());
  });
}

// `work` is a callable taking (const Caller&, finish); see RunOnPoolAsync.
template <typename Work>
grpc::ServerUnaryReactor* RunForCallerAsync(CallGate* gate, ThreadPool* pool,
                                            grpc::CallbackServerContext* context, Work work) {
  std::optional<Caller> caller;
  if (grpc::Status admitted = gate->Admit(*context, &caller); !admitted.ok()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(std::move(admitted));
    return reactor;
  }
  return RunOnPoolAsync(pool, context,
                        [caller = *std::move(caller), work = std::move(work)](auto finish) mutable {
                          work(caller, std::move(finish));
                        });
}

// `work` is a callable taking (const Caller&) and returning grpc::Status; see RunOnPool.
template <typename Work>
grpc::ServerUnaryReactor* RunForCaller(CallGate* gate, ThreadPool* pool,
                                       grpc::CallbackServerContext* context, Work work) {
  return RunForCallerAsync(gate, pool, context,
                           [work = std::move(work)](const Caller& caller, auto finish) mutable {
                             finish(work(caller));
                           });
}

}  // namespace einvoice

#endif  // EINVOICE_SERVER_RUN_ON_POOL_H_
