#include "signer/token_setup.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "signer/pkcs11_module.h"

namespace einvoice {
namespace {

CK_UTF8CHAR* Utf8(const std::string& s) {
  return reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(s.data()));
}

absl::StatusOr<std::vector<CK_SLOT_ID>> AllSlots(CK_FUNCTION_LIST* f) {
  std::vector<CK_SLOT_ID> slots;
  for (;;) {
    CK_ULONG count = 0;
    RETURN_IF_ERROR(CkrToStatus(f->C_GetSlotList(CK_TRUE, nullptr, &count), "C_GetSlotList"));
    slots.resize(count);
    CK_RV rv = f->C_GetSlotList(CK_TRUE, slots.data(), &count);
    if (rv == CKR_BUFFER_TOO_SMALL) continue;
    RETURN_IF_ERROR(CkrToStatus(rv, "C_GetSlotList"));
    slots.resize(count);
    return slots;
  }
}

}  // namespace

absl::Status InitializeTokenIfAbsent(const std::string& module_path, const std::string& label,
                                     const std::string& so_pin, const std::string& user_pin) {
  if (label.empty() || label.size() > 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("token label must be 1 to 32 bytes, got ", label.size()));
  }
  if (so_pin.empty() || user_pin.empty()) {
    return absl::InvalidArgumentError("SO PIN and user PIN must not be empty");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<Pkcs11Module> module, Pkcs11Module::Load(module_path));
  CK_FUNCTION_LIST* f = module->functions();

  absl::StatusOr<CK_SLOT_ID> existing = FindSlotByTokenLabel(f, label);
  if (existing.ok()) return absl::OkStatus();
  if (!absl::IsNotFound(existing.status())) return existing.status();

  ASSIGN_OR_RETURN(std::vector<CK_SLOT_ID> slots, AllSlots(f));
  bool initialized = false;
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info;
    if (f->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    if ((info.flags & CKF_TOKEN_INITIALIZED) != 0) continue;
    CK_UTF8CHAR padded[32];
    std::fill(std::begin(padded), std::end(padded), ' ');
    std::copy(label.begin(), label.end(), padded);
    RETURN_IF_ERROR(CkrToStatus(f->C_InitToken(slot, Utf8(so_pin), so_pin.size(), padded),
                                absl::StrCat("C_InitToken(\"", label, "\")")));
    initialized = true;
    break;
  }
  if (!initialized) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no uninitialised PKCS#11 slot to create token \"", label, "\" in ", module_path));
  }

  // Some modules (SoftHSM) move the new token to another slot id: look it up again.
  ASSIGN_OR_RETURN(CK_SLOT_ID slot, FindSlotByTokenLabel(f, label));
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  RETURN_IF_ERROR(CkrToStatus(
      f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session),
      "C_OpenSession"));
  absl::Status status = CkrToStatus(f->C_Login(session, CKU_SO, Utf8(so_pin), so_pin.size()),
                                    "C_Login(SO)");
  if (status.ok()) {
    status = CkrToStatus(f->C_InitPIN(session, Utf8(user_pin), user_pin.size()), "C_InitPIN");
    (void)f->C_Logout(session);
  }
  (void)f->C_CloseSession(session);
  return status;
}

}  // namespace einvoice
