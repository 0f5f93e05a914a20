// SoftHsmToken: a throwaway SoftHSM2 token in a fresh TempDir, for tests. TESTS ONLY.
//
//   ASSERT_OK_AND_ASSIGN(auto token, SoftHsmToken::Create());
//   ASSERT_OK_AND_ASSIGN(auto signer, Pkcs11Signer::Open(token->options()));
//
// Create() writes a SoftHSM config into the temp dir, points SOFTHSM2_CONF at it (see
// signer/softhsm_config.h) and creates the token with InitializeTokenIfAbsent. Because
// SoftHSM reads SOFTHSM2_CONF only when it is initialised, only one SoftHsmToken may be in use
// per process at a time, and every signer of a previous one must be destroyed first. ctest runs
// each TEST in its own process, so this holds naturally.
//
// Thread-compatible: create and destroy it on the test's main thread.
#ifndef EINVOICE_TESTS_SIGNER_SUPPORT_SOFTHSM_TOKEN_H_
#define EINVOICE_TESTS_SIGNER_SUPPORT_SOFTHSM_TOKEN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "signer/pkcs11_signer.h"
#include "tests/testing/temp_dir.h"

namespace einvoice::testing {

class SoftHsmToken {
 public:
  static constexpr char kModulePath[] = "/usr/lib/softhsm/libsofthsm2.so";

  static absl::StatusOr<std::unique_ptr<SoftHsmToken>> Create(
      const std::string& label = "einvoice", const std::string& user_pin = "1234",
      const std::string& so_pin = "5678");

  // Options for a Pkcs11Signer on this token (module, label, user PIN; default sessions).
  Pkcs11SignerOptions options() const;

  const std::string& label() const { return label_; }
  const std::string& user_pin() const { return user_pin_; }
  const std::string& so_pin() const { return so_pin_; }
  // The temp dir holding softhsm2.conf and tokens/.
  const std::string& dir() const { return dir_.path(); }
  // SoftHSM's token directory (directories.tokendir); each token is a subdirectory.
  std::string tokens_dir() const { return dir_.Sub("tokens"); }

 private:
  SoftHsmToken(std::string label, std::string user_pin, std::string so_pin)
      : label_(std::move(label)), user_pin_(std::move(user_pin)), so_pin_(std::move(so_pin)) {}

  TempDir dir_;
  const std::string label_;
  const std::string user_pin_;
  const std::string so_pin_;
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_SIGNER_SUPPORT_SOFTHSM_TOKEN_H_
