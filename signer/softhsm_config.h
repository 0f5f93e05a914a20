// SoftHSM2 configuration: the only SoftHSM-specific code in the project. Everything else talks
// plain PKCS#11 and works with any module.
//
// Thread-safety: NOT thread-safe; it calls setenv(). Call it at start-up (or at the start of a
// test) before any other thread runs and, crucially, BEFORE the SoftHSM module is initialised
// (before the first Pkcs11Module::Load / Pkcs11Signer::Open / InitializeTokenIfAbsent in the
// process, or after every user has released it): SoftHSM reads SOFTHSM2_CONF only in
// C_Initialize.
#ifndef EINVOICE_SIGNER_SOFTHSM_CONFIG_H_
#define EINVOICE_SIGNER_SOFTHSM_CONFIG_H_

#include <string>

#include "absl/status/status.h"

namespace einvoice {

// Creates `dir`/tokens, writes `dir`/softhsm2.conf (tokens in `dir`/tokens, file object store,
// log level ERROR, non-removable slots) and points SOFTHSM2_CONF at it. Overwrites an existing
// config file; never touches existing tokens. UNAVAILABLE if the directory or file cannot be
// written.
absl::Status ConfigureSoftHsm(const std::string& dir);

}  // namespace einvoice

#endif  // EINVOICE_SIGNER_SOFTHSM_CONFIG_H_
