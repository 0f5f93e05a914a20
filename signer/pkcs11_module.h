// Pkcs11Module: a PKCS#11 module (any vendor's .so) loaded by path, shared by every user in the
// process, plus the CK_RV → absl::Status conversion used by everything that talks PKCS#11.
//
// Internal to signer/ (and its tests): it exposes the standard PKCS#11 header
// (p11-kit/pkcs11.h), which modules outside signer/ must not depend on.
//
// Lifetime: Load() dlopens the module and calls C_GetFunctionList and C_Initialize (with
// CKF_OS_LOCKING_OK) the first time a path is loaded; later Load()s of the same path share it.
// When the last Pkcs11Module for a path is destroyed, C_Finalize is called, so a later Load()
// initialises the module afresh (tests use this to switch SoftHSM configurations within one
// process). If the module was already initialised by someone else in the process
// (CKR_CRYPTOKI_ALREADY_INITIALIZED), it is used as is and never finalised by us. The shared
// object itself stays mapped (RTLD_NODELETE): unloading PKCS#11 modules is a known source of
// crashes in their atexit handlers. See also Reinitialize().
//
// Thread-safety: Load() and destruction are thread-safe. functions() may be called from any
// thread (the module is initialised with CKF_OS_LOCKING_OK).
#ifndef EINVOICE_SIGNER_PKCS11_MODULE_H_
#define EINVOICE_SIGNER_PKCS11_MODULE_H_

#include <p11-kit/pkcs11.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace einvoice {

class Pkcs11Module {
 public:
  // Loads (or shares) the module at `path`. UNAVAILABLE if it cannot be loaded or initialised
  // (the message names the path and, where there is one, the CKR code).
  static absl::StatusOr<std::shared_ptr<Pkcs11Module>> Load(const std::string& path);

  ~Pkcs11Module();
  Pkcs11Module(const Pkcs11Module&) = delete;
  Pkcs11Module& operator=(const Pkcs11Module&) = delete;

  // Finalises and initialises the module again, which is how some modules (SoftHSM after its
  // token storage vanished, several network-HSM clients after a failover) pick a token up
  // again. Only done if this object is the module's only user in the process; every session
  // opened through it is invalidated.
  // REQUIRES: no call into the module through this object is in progress.
  // OK if re-initialised; FAILED_PRECONDITION if the module is shared (nothing done);
  // UNAVAILABLE if C_Initialize fails (a later Reinitialize() tries again).
  absl::Status Reinitialize();

  // The module's function list; valid while this object lives.
  CK_FUNCTION_LIST* functions() const { return functions_; }
  const std::string& path() const { return path_; }

 private:
  Pkcs11Module(std::string path, CK_FUNCTION_LIST* functions)
      : path_(std::move(path)), functions_(functions) {}

  const std::string path_;
  CK_FUNCTION_LIST* const functions_;
};

// "CKR_PIN_INCORRECT"; "CKR_VENDOR_DEFINED+0x12" or "CKR_0x1234" for codes not in the table.
std::string CkrName(CK_RV rv);

// True if `rv` means the token, the module or our login to it is (possibly temporarily) not
// usable: CKR_DEVICE_REMOVED, CKR_DEVICE_ERROR, CKR_TOKEN_NOT_PRESENT, CKR_SESSION_CLOSED,
// CKR_SESSION_HANDLE_INVALID, CKR_GENERAL_ERROR, CKR_FUNCTION_FAILED, CKR_DEVICE_MEMORY,
// CKR_HOST_MEMORY, CKR_CRYPTOKI_NOT_INITIALIZED, CKR_USER_NOT_LOGGED_IN, CKR_PIN_INCORRECT,
// CKR_PIN_LOCKED, CKR_PIN_EXPIRED, CKR_TOKEN_NOT_RECOGNIZED, CKR_SLOT_ID_INVALID and vendor-
// defined codes. A session that saw one of these must be discarded.
bool IsOutage(CK_RV rv);

// OK for CKR_OK. Otherwise a status whose message is "<operation>: <CKR name>":
// UNAVAILABLE for IsOutage() codes; UNIMPLEMENTED for CKR_MECHANISM_INVALID,
// CKR_FUNCTION_NOT_SUPPORTED, CKR_CURVE_NOT_SUPPORTED; NOT_FOUND for CKR_KEY_HANDLE_INVALID and
// CKR_OBJECT_HANDLE_INVALID; INTERNAL for the rest (a bug on our side or in the module).
// Never includes a PIN: `operation` must not contain one.
absl::Status CkrToStatus(CK_RV rv, absl::string_view operation);

// A CK_TOKEN_INFO label without its space padding.
std::string TrimmedTokenLabel(const CK_TOKEN_INFO& info);

// The slot whose (initialised) token is labelled `label`, re-enumerating slots on every call
// (modules such as SoftHSM renumber slots when tokens are added). NOT_FOUND if there is none;
// UNAVAILABLE (via CkrToStatus) if the slot list cannot be read.
absl::StatusOr<CK_SLOT_ID> FindSlotByTokenLabel(CK_FUNCTION_LIST* functions,
                                                absl::string_view label);

}  // namespace einvoice

#endif  // EINVOICE_SIGNER_PKCS11_MODULE_H_
