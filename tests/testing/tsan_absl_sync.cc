// ThreadSanitizer annotations for Debian's absl synchronization primitives.
//
// Debian's libabsl_synchronization is not built with -fsanitize=thread, so ThreadSanitizer
// cannot see the happens-before edges absl::Mutex, absl::CondVar and absl::Notification create
// (they block on futexes and spin on atomics inside the uninstrumented library) and reports
// every access guarded by them as a race. Linked into a TSan test executable (only then: see
// tests/CMakeLists.txt), this file defines the public entry points of those classes itself;
// the dynamic linker binds every caller to these definitions — ours and gRPC's, which locks
// through absl::Mutex too — and each forwards to the library's own (dlsym RTLD_NEXT) and tells
// ThreadSanitizer what happened: an unlock (or the start of a wait) releases the mutex, a lock
// (or the end of a wait) acquires it, Notify releases the notification and a wait for it
// acquires it. Races on data not guarded by these primitives are reported as before
// (scripts/check-sanitizers.sh runs a deliberate race to prove it).
//
// The mangled names pin absl's Debian ABI (inline namespace debian3, LTS 20220623); a name
// that is missing stops the process at its first use rather than run unannotated.
#include <dlfcn.h>

#include <cstdlib>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

extern "C" void AnnotateHappensBefore(const char* file, int line, const volatile void* addr);
extern "C" void AnnotateHappensAfter(const char* file, int line, const volatile void* addr);

namespace {

template <typename F>
F Real(const char* mangled) {
  void* symbol = dlsym(RTLD_NEXT, mangled);
  if (symbol == nullptr) std::abort();  // absl's ABI changed: update the names above
  return reinterpret_cast<F>(symbol);
}

void Release(const volatile void* sync) { AnnotateHappensBefore(__FILE__, __LINE__, sync); }
void Acquire(const volatile void* sync) { AnnotateHappensAfter(__FILE__, __LINE__, sync); }

// A waiter's condition is evaluated inside absl, with the mutex held, by the waiting thread or
// by whichever thread unlocks: before the wait has "acquired" in TSan's eyes. Each condition is
// wrapped so that its evaluation acquires the mutex first and releases it after, which orders
// it after the writes it reads and before whatever the waiter does next. (This file is built
// without instrumentation, so absl reading the wrapper itself is not reported.)
struct AnnotatedCondition {
  const absl::Condition* condition;
  const absl::Mutex* mu;
  bool Eval() const {
    Acquire(mu);
    const bool met = condition->Eval();
    Release(mu);
    return met;
  }
};

// Notification::HasBeenNotified() is inline: an acquire load of the flag that follows the
// Mutex. Releasing the flag's address too makes that load an acquire TSan understands.
const void* NotifiedFlag(const absl::Notification* n) {
  static_assert(sizeof(absl::Notification) == sizeof(absl::Mutex) + sizeof(void*));
  return reinterpret_cast<const char*>(n) + sizeof(absl::Mutex);
}

}  // namespace

#define EINVOICE_REAL(signature, mangled) static const auto real = Real<signature>(mangled)

namespace absl {

void Mutex::Lock() {
  EINVOICE_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex4LockEv");
  real(this);
  Acquire(this);
}

void Mutex::Unlock() {
  EINVOICE_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex6UnlockEv");
  Release(this);
  real(this);
}

void Mutex::ReaderLock() {
  EINVOICE_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex10ReaderLockEv");
  real(this);
  Acquire(this);
}

void Mutex::ReaderUnlock() {
  EINVOICE_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex12ReaderUnlockEv");
  Release(this);
  real(this);
}

bool Mutex::TryLock() {
  EINVOICE_REAL(bool (*)(Mutex*), "_ZN4absl7debian35Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) Acquire(this);
  return locked;
}

bool Mutex::ReaderTryLock() {
  EINVOICE_REAL(bool (*)(Mutex*), "_ZN4absl7debian35Mutex13ReaderTryLockEv");
  const bool locked = real(this);
  if (locked) Acquire(this);
  return locked;
}

void Mutex::LockWhen(const Condition& cond) {
  EINVOICE_REAL(void (*)(Mutex*, const Condition&),
                "_ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE");
  const AnnotatedCondition wrapped{&cond, this};
  real(this, absl::Condition(&wrapped, &AnnotatedCondition::Eval));
  Acquire(this);
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  EINVOICE_REAL(void (*)(Mutex*, const Condition&),
                "_ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE");
  const AnnotatedCondition wrapped{&cond, this};
  real(this, absl::Condition(&wrapped, &AnnotatedCondition::Eval));
  Acquire(this);
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  EINVOICE_REAL(bool (*)(Mutex*, const Condition&, Duration),
                "_ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const AnnotatedCondition wrapped{&cond, this};
  const bool met = real(this, absl::Condition(&wrapped, &AnnotatedCondition::Eval), timeout);
  Acquire(this);
  return met;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  EINVOICE_REAL(bool (*)(Mutex*, const Condition&, Time),
                "_ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const AnnotatedCondition wrapped{&cond, this};
  const bool met = real(this, absl::Condition(&wrapped, &AnnotatedCondition::Eval), deadline);
  Acquire(this);
  return met;
}

void Mutex::Await(const Condition& cond) {
  EINVOICE_REAL(void (*)(Mutex*, const Condition&),
                "_ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE");
  const AnnotatedCondition wrapped{&cond, this};
  Release(this);
  real(this, absl::Condition(&wrapped, &AnnotatedCondition::Eval));
  Acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  EINVOICE_REAL(bool (*)(Mutex*, const Condition&, Duration),
                "_ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const AnnotatedCondition wrapped{&cond, this};
  Release(this);
  const bool met = real(this, absl::Condition(&wrapped, &AnnotatedCondition::Eval), timeout);
  Acquire(this);
  return met;
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  EINVOICE_REAL(bool (*)(Mutex*, const Condition&, Time),
                "_ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const AnnotatedCondition wrapped{&cond, this};
  Release(this);
  const bool met = real(this, absl::Condition(&wrapped, &AnnotatedCondition::Eval), deadline);
  Acquire(this);
  return met;
}

void CondVar::Wait(Mutex* mu) {
  EINVOICE_REAL(void (*)(CondVar*, Mutex*), "_ZN4absl7debian37CondVar4WaitEPNS0_5MutexE");
  Release(mu);
  real(this, mu);
  Acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  EINVOICE_REAL(bool (*)(CondVar*, Mutex*, Duration),
                "_ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  Release(mu);
  const bool timed_out = real(this, mu, timeout);
  Acquire(mu);
  return timed_out;
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  EINVOICE_REAL(bool (*)(CondVar*, Mutex*, Time),
                "_ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  Release(mu);
  const bool timed_out = real(this, mu, deadline);
  Acquire(mu);
  return timed_out;
}

void Notification::Notify() {
  EINVOICE_REAL(void (*)(Notification*), "_ZN4absl7debian312Notification6NotifyEv");
  Release(this);
  Release(NotifiedFlag(this));
  real(this);
}

void Notification::WaitForNotification() const {
  EINVOICE_REAL(void (*)(const Notification*),
                "_ZNK4absl7debian312Notification19WaitForNotificationEv");
  real(this);
  Acquire(this);
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  EINVOICE_REAL(bool (*)(const Notification*, Duration),
                "_ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  const bool notified = real(this, timeout);
  Acquire(this);
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  EINVOICE_REAL(bool (*)(const Notification*, Time),
                "_ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  const bool notified = real(this, deadline);
  Acquire(this);
  return notified;
}

}  // namespace absl
