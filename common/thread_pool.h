// ThreadPool: a fixed set of worker threads draining a bounded FIFO queue of tasks.
//
// Used to keep disk and HSM work off gRPC's callback threads. The queue is bounded so that an
// overload turns into a prompt RESOURCE_EXHAUSTED instead of unbounded memory growth.
//
// Thread-safety: TrySubmit() may be called from any thread. The destructor stops accepting
// tasks, runs the ones already queued, and joins the workers; it must not be called from a
// worker.
#ifndef EINVOICE_COMMON_THREAD_POOL_H_
#define EINVOICE_COMMON_THREAD_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace einvoice {

class ThreadPool {
 public:
  // REQUIRES: threads >= 1, max_queued >= 1.
  ThreadPool(size_t threads, size_t max_queued);
  ~ThreadPool();

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `task`; false (and `task` not run) when the queue is full or shutting down.
  [[nodiscard]] bool TrySubmit(std::function<void()> task);

  size_t threads() const { return workers_.size(); }

 private:
  void WorkerLoop();

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace einvoice

#endif  // EINVOICE_COMMON_THREAD_POOL_H_
