// ScopedLeakCheckOff: while one is alive, LeakSanitizer ignores what this thread allocates.
// Only for a third-party library's known leak that a suppression cannot name: SoftHSM 2.6.1
// keeps the EdDSA parameters it decodes in C_SignInit, and its stack reaches the sanitizer
// only as far as OpenSSL (no frame pointers), so scripts/sanitizers/lsan.supp's
// `leak:libsofthsm2.so` cannot match it. Put it in the tests that sign with Ed25519 on
// SoftHSM; every other signer path stays leak-checked by the other tests. A no-op without
// AddressSanitizer.
#ifndef EINVOICE_TESTS_TESTING_LEAK_CHECK_H_
#define EINVOICE_TESTS_TESTING_LEAK_CHECK_H_

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define EINVOICE_TESTING_HAVE_LSAN 1
#endif
#endif

namespace einvoice::testing {

class ScopedLeakCheckOff {
 public:
#ifdef EINVOICE_TESTING_HAVE_LSAN
  ScopedLeakCheckOff() { __lsan_disable(); }
  ~ScopedLeakCheckOff() { __lsan_enable(); }
#else
  ScopedLeakCheckOff() {}   // user-provided: a guard object is not an unused variable
  ~ScopedLeakCheckOff() {}
#endif
  ScopedLeakCheckOff(const ScopedLeakCheckOff&) = delete;
  ScopedLeakCheckOff& operator=(const ScopedLeakCheckOff&) = delete;
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_TESTING_LEAK_CHECK_H_
