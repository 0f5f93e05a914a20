#include "signer/pkcs11_module.h"

#include <dlfcn.h>

#include <map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

namespace einvoice {
namespace {

// One entry per loaded path. Guarded by RegistryMutex(); the count of live Pkcs11Module
// objects decides when C_Finalize runs. Loading and finalising under the same mutex means a
// Load() can never observe a module halfway through C_Finalize.
struct LoadedModule {
  void* handle = nullptr;
  CK_FUNCTION_LIST* functions = nullptr;
  int users = 0;
  bool initialized = false;        // C_Initialize succeeded (by us or by someone else)
  bool initialized_by_us = false;  // ... by us, so we call C_Finalize
};

absl::Mutex& RegistryMutex() {
  static absl::Mutex* mu = new absl::Mutex();
  return *mu;
}

// C_Initialize for `entry` unless it is initialised already.
absl::Status EnsureInitialized(const std::string& path, LoadedModule& entry)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(RegistryMutex()) {
  if (entry.initialized) return absl::OkStatus();
  CK_C_INITIALIZE_ARGS args = {};
  args.flags = CKF_OS_LOCKING_OK;
  CK_RV rv = entry.functions->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    return absl::UnavailableError(
        absl::StrCat("PKCS#11 module ", path, ": C_Initialize failed: ", CkrName(rv)));
  }
  entry.initialized = true;
  entry.initialized_by_us = rv == CKR_OK;
  return absl::OkStatus();
}

void Finalize(LoadedModule& entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(RegistryMutex()) {
  // Errors are ignored: there is nobody to report them to, and the next initialisation will
  // say whether the module is usable.
  if (entry.initialized_by_us) (void)entry.functions->C_Finalize(nullptr);
  entry.initialized = false;
  entry.initialized_by_us = false;
}

std::map<std::string, LoadedModule>& Registry() ABSL_EXCLUSIVE_LOCKS_REQUIRED(RegistryMutex()) {
  static auto* registry = new std::map<std::string, LoadedModule>();
  return *registry;
}

}  // namespace

absl::StatusOr<std::shared_ptr<Pkcs11Module>> Pkcs11Module::Load(const std::string& path) {
  absl::MutexLock lock(&RegistryMutex());
  LoadedModule& entry = Registry()[path];
  if (entry.handle == nullptr) {
    entry.handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (entry.handle == nullptr) {
      const char* error = ::dlerror();
      Registry().erase(path);
      return absl::UnavailableError(absl::StrCat("cannot load PKCS#11 module ", path, ": ",
                                                 error != nullptr ? error : "dlopen failed"));
    }
    auto get_function_list =
        reinterpret_cast<CK_C_GetFunctionList>(::dlsym(entry.handle, "C_GetFunctionList"));
    CK_RV rv = get_function_list == nullptr ? CKR_FUNCTION_NOT_SUPPORTED
                                            : get_function_list(&entry.functions);
    if (rv != CKR_OK || entry.functions == nullptr) {
      ::dlclose(entry.handle);
      Registry().erase(path);
      return absl::UnavailableError(absl::StrCat("PKCS#11 module ", path,
                                                 ": C_GetFunctionList failed: ", CkrName(rv)));
    }
  }
  // Also after a failed Reinitialize() left a module with users uninitialised.
  absl::Status status = EnsureInitialized(path, entry);
  if (!status.ok()) return status;
  ++entry.users;
  return std::shared_ptr<Pkcs11Module>(new Pkcs11Module(path, entry.functions));
}

absl::Status Pkcs11Module::Reinitialize() {
  absl::MutexLock lock(&RegistryMutex());
  LoadedModule& entry = Registry()[path_];
  if (entry.users != 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "PKCS#11 module ", path_, " has ", entry.users, " users; not re-initialising it"));
  }
  Finalize(entry);
  return EnsureInitialized(path_, entry);
}

Pkcs11Module::~Pkcs11Module() {
  absl::MutexLock lock(&RegistryMutex());
  auto it = Registry().find(path_);
  if (it == Registry().end()) return;
  LoadedModule& entry = it->second;
  if (--entry.users > 0) return;
  Finalize(entry);
  // The entry stays (the library is RTLD_NODELETE anyway) so a later Load() reuses the same
  // function list.
}

std::string CkrName(CK_RV rv) {
#define EINVOICE_CKR_CASE(name) \
  case name:                    \
    return #name;
  switch (rv) {
    EINVOICE_CKR_CASE(CKR_OK)
    EINVOICE_CKR_CASE(CKR_CANCEL)
    EINVOICE_CKR_CASE(CKR_HOST_MEMORY)
    EINVOICE_CKR_CASE(CKR_SLOT_ID_INVALID)
    EINVOICE_CKR_CASE(CKR_GENERAL_ERROR)
    EINVOICE_CKR_CASE(CKR_FUNCTION_FAILED)
    EINVOICE_CKR_CASE(CKR_ARGUMENTS_BAD)
    EINVOICE_CKR_CASE(CKR_NO_EVENT)
    EINVOICE_CKR_CASE(CKR_NEED_TO_CREATE_THREADS)
    EINVOICE_CKR_CASE(CKR_CANT_LOCK)
    EINVOICE_CKR_CASE(CKR_ATTRIBUTE_READ_ONLY)
    EINVOICE_CKR_CASE(CKR_ATTRIBUTE_SENSITIVE)
    EINVOICE_CKR_CASE(CKR_ATTRIBUTE_TYPE_INVALID)
    EINVOICE_CKR_CASE(CKR_ATTRIBUTE_VALUE_INVALID)
    EINVOICE_CKR_CASE(CKR_ACTION_PROHIBITED)
    EINVOICE_CKR_CASE(CKR_DATA_INVALID)
    EINVOICE_CKR_CASE(CKR_DATA_LEN_RANGE)
    EINVOICE_CKR_CASE(CKR_DEVICE_ERROR)
    EINVOICE_CKR_CASE(CKR_DEVICE_MEMORY)
    EINVOICE_CKR_CASE(CKR_DEVICE_REMOVED)
    EINVOICE_CKR_CASE(CKR_ENCRYPTED_DATA_INVALID)
    EINVOICE_CKR_CASE(CKR_ENCRYPTED_DATA_LEN_RANGE)
    EINVOICE_CKR_CASE(CKR_FUNCTION_CANCELED)
    EINVOICE_CKR_CASE(CKR_FUNCTION_NOT_PARALLEL)
    EINVOICE_CKR_CASE(CKR_FUNCTION_NOT_SUPPORTED)
    EINVOICE_CKR_CASE(CKR_KEY_HANDLE_INVALID)
    EINVOICE_CKR_CASE(CKR_KEY_SIZE_RANGE)
    EINVOICE_CKR_CASE(CKR_KEY_TYPE_INCONSISTENT)
    EINVOICE_CKR_CASE(CKR_KEY_NOT_NEEDED)
    EINVOICE_CKR_CASE(CKR_KEY_CHANGED)
    EINVOICE_CKR_CASE(CKR_KEY_NEEDED)
    EINVOICE_CKR_CASE(CKR_KEY_INDIGESTIBLE)
    EINVOICE_CKR_CASE(CKR_KEY_FUNCTION_NOT_PERMITTED)
    EINVOICE_CKR_CASE(CKR_KEY_NOT_WRAPPABLE)
    EINVOICE_CKR_CASE(CKR_KEY_UNEXTRACTABLE)
    EINVOICE_CKR_CASE(CKR_MECHANISM_INVALID)
    EINVOICE_CKR_CASE(CKR_MECHANISM_PARAM_INVALID)
    EINVOICE_CKR_CASE(CKR_OBJECT_HANDLE_INVALID)
    EINVOICE_CKR_CASE(CKR_OPERATION_ACTIVE)
    EINVOICE_CKR_CASE(CKR_OPERATION_NOT_INITIALIZED)
    EINVOICE_CKR_CASE(CKR_PIN_INCORRECT)
    EINVOICE_CKR_CASE(CKR_PIN_INVALID)
    EINVOICE_CKR_CASE(CKR_PIN_LEN_RANGE)
    EINVOICE_CKR_CASE(CKR_PIN_EXPIRED)
    EINVOICE_CKR_CASE(CKR_PIN_LOCKED)
    EINVOICE_CKR_CASE(CKR_SESSION_CLOSED)
    EINVOICE_CKR_CASE(CKR_SESSION_COUNT)
    EINVOICE_CKR_CASE(CKR_SESSION_HANDLE_INVALID)
    EINVOICE_CKR_CASE(CKR_SESSION_PARALLEL_NOT_SUPPORTED)
    EINVOICE_CKR_CASE(CKR_SESSION_READ_ONLY)
    EINVOICE_CKR_CASE(CKR_SESSION_EXISTS)
    EINVOICE_CKR_CASE(CKR_SESSION_READ_ONLY_EXISTS)
    EINVOICE_CKR_CASE(CKR_SESSION_READ_WRITE_SO_EXISTS)
    EINVOICE_CKR_CASE(CKR_SIGNATURE_INVALID)
    EINVOICE_CKR_CASE(CKR_SIGNATURE_LEN_RANGE)
    EINVOICE_CKR_CASE(CKR_TEMPLATE_INCOMPLETE)
    EINVOICE_CKR_CASE(CKR_TEMPLATE_INCONSISTENT)
    EINVOICE_CKR_CASE(CKR_TOKEN_NOT_PRESENT)
    EINVOICE_CKR_CASE(CKR_TOKEN_NOT_RECOGNIZED)
    EINVOICE_CKR_CASE(CKR_TOKEN_WRITE_PROTECTED)
    EINVOICE_CKR_CASE(CKR_UNWRAPPING_KEY_SIZE_RANGE)
    EINVOICE_CKR_CASE(CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT)
    EINVOICE_CKR_CASE(CKR_USER_ALREADY_LOGGED_IN)
    EINVOICE_CKR_CASE(CKR_USER_NOT_LOGGED_IN)
    EINVOICE_CKR_CASE(CKR_USER_PIN_NOT_INITIALIZED)
    EINVOICE_CKR_CASE(CKR_USER_TYPE_INVALID)
    EINVOICE_CKR_CASE(CKR_USER_ANOTHER_ALREADY_LOGGED_IN)
    EINVOICE_CKR_CASE(CKR_USER_TOO_MANY_TYPES)
    EINVOICE_CKR_CASE(CKR_WRAPPED_KEY_INVALID)
    EINVOICE_CKR_CASE(CKR_WRAPPED_KEY_LEN_RANGE)
    EINVOICE_CKR_CASE(CKR_WRAPPING_KEY_HANDLE_INVALID)
    EINVOICE_CKR_CASE(CKR_WRAPPING_KEY_SIZE_RANGE)
    EINVOICE_CKR_CASE(CKR_WRAPPING_KEY_TYPE_INCONSISTENT)
    EINVOICE_CKR_CASE(CKR_RANDOM_SEED_NOT_SUPPORTED)
    EINVOICE_CKR_CASE(CKR_RANDOM_NO_RNG)
    EINVOICE_CKR_CASE(CKR_DOMAIN_PARAMS_INVALID)
    EINVOICE_CKR_CASE(CKR_CURVE_NOT_SUPPORTED)
    EINVOICE_CKR_CASE(CKR_BUFFER_TOO_SMALL)
    EINVOICE_CKR_CASE(CKR_SAVED_STATE_INVALID)
    EINVOICE_CKR_CASE(CKR_INFORMATION_SENSITIVE)
    EINVOICE_CKR_CASE(CKR_STATE_UNSAVEABLE)
    EINVOICE_CKR_CASE(CKR_CRYPTOKI_NOT_INITIALIZED)
    EINVOICE_CKR_CASE(CKR_CRYPTOKI_ALREADY_INITIALIZED)
    EINVOICE_CKR_CASE(CKR_MUTEX_BAD)
    EINVOICE_CKR_CASE(CKR_MUTEX_NOT_LOCKED)
    EINVOICE_CKR_CASE(CKR_NEW_PIN_MODE)
    EINVOICE_CKR_CASE(CKR_NEXT_OTP)
    EINVOICE_CKR_CASE(CKR_EXCEEDED_MAX_ITERATIONS)
    EINVOICE_CKR_CASE(CKR_FIPS_SELF_TEST_FAILED)
    EINVOICE_CKR_CASE(CKR_LIBRARY_LOAD_FAILED)
    EINVOICE_CKR_CASE(CKR_PIN_TOO_WEAK)
    EINVOICE_CKR_CASE(CKR_PUBLIC_KEY_INVALID)
    EINVOICE_CKR_CASE(CKR_FUNCTION_REJECTED)
    default:
      break;
  }
#undef EINVOICE_CKR_CASE
  if (rv >= CKR_VENDOR_DEFINED) {
    return absl::StrFormat("CKR_VENDOR_DEFINED+0x%x", rv - CKR_VENDOR_DEFINED);
  }
  return absl::StrFormat("CKR_0x%x", rv);
}

bool IsOutage(CK_RV rv) {
  switch (rv) {
    case CKR_DEVICE_REMOVED:
    case CKR_DEVICE_ERROR:
    case CKR_DEVICE_MEMORY:
    case CKR_HOST_MEMORY:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_TOKEN_NOT_RECOGNIZED:
    case CKR_SLOT_ID_INVALID:
    case CKR_SESSION_CLOSED:
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_SESSION_COUNT:
    case CKR_GENERAL_ERROR:
    case CKR_FUNCTION_FAILED:
    case CKR_CRYPTOKI_NOT_INITIALIZED:
    case CKR_USER_NOT_LOGGED_IN:
    case CKR_USER_PIN_NOT_INITIALIZED:
    case CKR_PIN_INCORRECT:
    case CKR_PIN_LOCKED:
    case CKR_PIN_EXPIRED:
      return true;
    default:
      return rv >= CKR_VENDOR_DEFINED;
  }
}

absl::Status CkrToStatus(CK_RV rv, absl::string_view operation) {
  if (rv == CKR_OK) return absl::OkStatus();
  std::string message = absl::StrCat(operation, ": ", CkrName(rv));
  if (IsOutage(rv)) return absl::UnavailableError(message);
  switch (rv) {
    case CKR_MECHANISM_INVALID:
    case CKR_FUNCTION_NOT_SUPPORTED:
    case CKR_CURVE_NOT_SUPPORTED:
      return absl::UnimplementedError(message);
    case CKR_KEY_HANDLE_INVALID:
    case CKR_OBJECT_HANDLE_INVALID:
      return absl::NotFoundError(message);
    default:
      return absl::InternalError(message);
  }
}

std::string TrimmedTokenLabel(const CK_TOKEN_INFO& info) {
  absl::string_view label(reinterpret_cast<const char*>(info.label), sizeof(info.label));
  while (!label.empty() && (label.back() == ' ' || label.back() == '\0')) label.remove_suffix(1);
  return std::string(label);
}

absl::StatusOr<CK_SLOT_ID> FindSlotByTokenLabel(CK_FUNCTION_LIST* functions,
                                                absl::string_view label) {
  std::vector<CK_SLOT_ID> slots;
  CK_ULONG count = 0;
  // The list can grow between the two calls; retry on CKR_BUFFER_TOO_SMALL.
  for (;;) {
    CK_RV rv = functions->C_GetSlotList(CK_TRUE, nullptr, &count);
    if (rv != CKR_OK) return CkrToStatus(rv, "C_GetSlotList");
    slots.resize(count);
    rv = functions->C_GetSlotList(CK_TRUE, slots.data(), &count);
    if (rv == CKR_BUFFER_TOO_SMALL) continue;
    if (rv != CKR_OK) return CkrToStatus(rv, "C_GetSlotList");
    slots.resize(count);
    break;
  }
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info;
    // A slot whose token vanished in between is simply not a match.
    if (functions->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) continue;
    if (TrimmedTokenLabel(info) == label) return slot;
  }
  return absl::NotFoundError(absl::StrCat("no PKCS#11 token labelled \"", label, "\""));
}

}  // namespace einvoice
