// Proof that the TSan run can fail (scripts/check-sanitizers.sh): built only with
// EINVOICE_SANITIZE=thread, with the absl annotations of tsan_absl_sync.cc.
//   tsan_selftest clean  data guarded by absl::Mutex, Await, CondVar and Notification: no report
//   tsan_selftest race   the same plus one unguarded counter: TSan must report it (exit 66)
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

int main(int argc, char** argv) {
  const bool race = argc > 1 && std::string(argv[1]) == "race";
  absl::Mutex mu;
  int guarded = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 1000; ++j) {
        absl::MutexLock lock(&mu);
        ++guarded;
      }
    });
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(+[](int* n) { return *n == 4000; }, &guarded));
  }
  for (std::thread& t : threads) t.join();

  int handed_over = 0;
  absl::Notification ready;
  std::thread producer([&] {
    handed_over = 42;
    ready.Notify();
  });
  ready.WaitForNotification();
  handed_over += 1;
  producer.join();

  absl::CondVar cv;
  bool flag = false;
  int payload = 0;
  std::thread signaller([&] {
    payload = 7;
    absl::MutexLock lock(&mu);
    flag = true;
    cv.Signal();
  });
  {
    absl::MutexLock lock(&mu);
    while (!flag) cv.Wait(&mu);
  }
  payload += 1;
  signaller.join();

  if (race) {
    int unguarded = 0;
    std::thread a([&] { ++unguarded; });
    std::thread b([&] { ++unguarded; });
    a.join();
    b.join();
  }
  return guarded == 4000 && handed_over == 43 && payload == 8 ? 0 : 1;
}
