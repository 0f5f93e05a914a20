#include "signer/softhsm_config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace einvoice {

absl::Status ConfigureSoftHsm(const std::string& dir) {
  const std::string tokens = absl::StrCat(dir, "/tokens");
  const std::string config = absl::StrCat(dir, "/softhsm2.conf");
  std::error_code error;
  std::filesystem::create_directories(tokens, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create SoftHSM token directory ", tokens, ": ", error.message()));
  }
  {
    std::ofstream out(config, std::ios::trunc);
    out << "# Written by einvoice ConfigureSoftHsm().\n"
        << "directories.tokendir = " << tokens << "\n"
        << "objectstore.backend = file\n"
        << "log.level = ERROR\n"
        << "slots.removable = false\n";
    out.close();
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", config));
  }
  if (::setenv("SOFTHSM2_CONF", config.c_str(), /*overwrite=*/1) != 0) {
    return absl::InternalError("setenv(SOFTHSM2_CONF) failed");
  }
  return absl::OkStatus();
}

}  // namespace einvoice
