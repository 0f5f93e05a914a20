#include "tests/signer/support/softhsm_token.h"

#include "common/status_macros.h"
#include "signer/softhsm_config.h"
#include "signer/token_setup.h"

namespace einvoice::testing {

absl::StatusOr<std::unique_ptr<SoftHsmToken>> SoftHsmToken::Create(const std::string& label,
                                                                   const std::string& user_pin,
                                                                   const std::string& so_pin) {
  std::unique_ptr<SoftHsmToken> token(new SoftHsmToken(label, user_pin, so_pin));
  RETURN_IF_ERROR(ConfigureSoftHsm(token->dir()));
  RETURN_IF_ERROR(InitializeTokenIfAbsent(kModulePath, label, so_pin, user_pin));
  return token;
}

Pkcs11SignerOptions SoftHsmToken::options() const {
  Pkcs11SignerOptions options;
  options.module_path = kModulePath;
  options.token_label = label_;
  options.pin = user_pin_;
  return options;
}

}  // namespace einvoice::testing
