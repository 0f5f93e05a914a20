// Token provisioning with plain PKCS#11 (works with any module; used at first start and by
// tests). Thread-safety: safe to call from any thread, but provisioning the same token from
// two threads or processes at once is not supported.
#ifndef EINVOICE_SIGNER_TOKEN_SETUP_H_
#define EINVOICE_SIGNER_TOKEN_SETUP_H_

#include <string>

#include "absl/status/status.h"

namespace einvoice {

// Makes sure a token labelled `label` exists in the module at `module_path`:
//  - if one does, returns OK without touching it (the PINs are not checked);
//  - otherwise initialises the first slot whose token is not yet initialised
//    (C_InitToken with `so_pin` and `label`), then logs in as SO and sets the user PIN
//    (C_InitPIN with `user_pin`).
// INVALID_ARGUMENT if `label` is empty or longer than 32 bytes, or a PIN is empty;
// FAILED_PRECONDITION if no uninitialised slot is free; UNAVAILABLE if the module cannot be
// loaded or a PKCS#11 call fails with an outage code (the message names the call and the CKR
// code, never a PIN).
absl::Status InitializeTokenIfAbsent(const std::string& module_path, const std::string& label,
                                     const std::string& so_pin, const std::string& user_pin);

}  // namespace einvoice

#endif  // EINVOICE_SIGNER_TOKEN_SETUP_H_
