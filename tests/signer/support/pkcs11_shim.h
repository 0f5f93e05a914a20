// A counting, fault-injecting PKCS#11 module for tests: a shared library (target
// einvoice_pkcs11_shim) whose C_GetFunctionList hands out SoftHSM2's function list with a few
// entries wrapped. Point Pkcs11SignerOptions::module_path at it (see Pkcs11ShimPath()) and the
// signer talks to SoftHSM through it; the test reads what happened, and injects failures,
// through Pkcs11Shim::Get(). TESTS ONLY.
//
// Wrapped: C_OpenSession, C_CloseSession (counted), C_CopyObject (counted, per (session,
// source object); can be made to answer an injected code instead of copying), C_SignInit
// (counted, split by whether the key is a copy made through the shim), C_FindObjectsInit /
// C_FindObjects / C_FindObjectsFinal (can reorder the results). Everything else goes straight
// to SoftHSM.
//
// Thread-safety: the counters and knobs are atomics or mutex-guarded; any thread may use them.
#ifndef EINVOICE_TESTS_SIGNER_SUPPORT_PKCS11_SHIM_H_
#define EINVOICE_TESTS_SIGNER_SUPPORT_PKCS11_SHIM_H_

#include <p11-kit/pkcs11.h>

#include <atomic>
#include <cstdint>

namespace einvoice::testing {

// The state shared between the shim library and the test (one instance per process, inside
// the shim; the test reaches it with dlopen + dlsym on the same path the signer loads).
struct Pkcs11ShimState {
  // C_CopyObject answers `copy_result` without copying while `copy_result_times` != 0
  // (decremented per call when positive; negative means forever). CKR_OK: copy normally.
  std::atomic<CK_RV> copy_result{CKR_OK};
  std::atomic<int> copy_result_times{0};
  // C_FindObjects returns session objects before token objects (PKCS#11 leaves the order to
  // the module; SoftHSM happens to list token objects first).
  std::atomic<bool> session_objects_first{false};

  std::atomic<int64_t> sessions_opened{0};  // successful C_OpenSession
  std::atomic<int64_t> sessions_closed{0};  // successful C_CloseSession
  std::atomic<int64_t> copy_calls{0};       // every C_CopyObject call
  std::atomic<int64_t> copies_made{0};      // C_CopyObject that returned CKR_OK
  // A copy made of the same source object on a session that already had one through the shim
  // (the signer must copy each key at most once per session).
  std::atomic<int64_t> duplicate_copies{0};
  // Copies whose source was itself a session object (the signer must only copy token keys).
  std::atomic<int64_t> copies_of_session_objects{0};
  std::atomic<int64_t> sign_inits{0};            // C_SignInit that returned CKR_OK
  std::atomic<int64_t> sign_inits_with_copy{0};  // ... on a key copied through the shim
  std::atomic<int64_t> sign_inits_failed{0};     // C_SignInit that did not

  // The real (SoftHSM) function list, for test code that must not be counted.
  CK_FUNCTION_LIST* real = nullptr;

  // No injected faults, the module's own search order. Tests share one shim per process.
  void ResetFaults() {
    copy_result = CKR_OK;
    copy_result_times = 0;
    session_objects_first = false;
  }

  void ResetCounters() {
    sessions_opened = 0;
    sessions_closed = 0;
    copy_calls = 0;
    copies_made = 0;
    duplicate_copies = 0;
    copies_of_session_objects = 0;
    sign_inits = 0;
    sign_inits_with_copy = 0;
    sign_inits_failed = 0;
  }
};

// The exported accessor's name and type (extern "C" in the shim).
inline constexpr char kPkcs11ShimStateSymbol[] = "einvoice_pkcs11_shim_state";
using Pkcs11ShimStateFn = Pkcs11ShimState* (*)();

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_SIGNER_SUPPORT_PKCS11_SHIM_H_
