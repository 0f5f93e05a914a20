#include "server/backends.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "signer/pkcs11_signer.h"
#include "signer/softhsm_config.h"
#include "signer/token_setup.h"
#include "storage/rocksdb_audit_log.h"
#include "storage/rocksdb_store_backup.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_invoice_store.h"
#include "storage/rocksdb_seller_registry.h"
#include "storage/rocksdb_signing_key_registry.h"

namespace einvoice {
namespace {

class ProductionBackends final : public Backends {
 public:
  ServerBackends view() override {
    return ServerBackends{store.get(),  sellers.get(), signing_keys.get(), audit_log.get(),
                          signer.get(), &clock,        backup.get()};
  }

  SystemClock clock;
  std::shared_ptr<RocksDbDatabase> database;
  std::unique_ptr<RocksDbInvoiceStore> store;
  std::unique_ptr<RocksDbSellerRegistry> sellers;
  std::unique_ptr<RocksDbSigningKeyRegistry> signing_keys;
  std::unique_ptr<RocksDbAuditLog> audit_log;
  std::unique_ptr<RocksDbStoreBackup> backup;
  std::unique_ptr<Pkcs11Signer> signer;
};

absl::StatusOr<std::string> RandomPin() {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  std::string bytes(16, '\0');
  if (!urandom.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return absl::UnavailableError("cannot read /dev/urandom");
  }
  return absl::BytesToHexString(bytes);
}

// Returns the PIN stored in `path`, creating it (mode 0600) with a random PIN if absent.
absl::StatusOr<std::string> ReadOrCreatePin(const std::string& path) {
  if (std::filesystem::exists(path)) return ReadPinFile(path);
  ASSIGN_OR_RETURN(std::string pin, RandomPin());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot create ", path));
  const std::string line = pin + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return pin;
}

}  // namespace

absl::StatusOr<std::string> ReadPinFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read PIN file ", path));
  std::stringstream contents;
  contents << file.rdbuf();
  std::string pin(absl::StripTrailingAsciiWhitespace(contents.str()));
  if (pin.empty()) return absl::InvalidArgumentError(absl::StrCat("PIN file ", path, " is empty"));
  return pin;
}

// Creates `dir` if missing and makes it mode 0700 (directories made by older versions were
// 0755).
absl::Status PrivateDirectory(const std::string& dir, absl::string_view what) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (!error) {
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, error);
  }
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot create ", what, " ", dir, " (mode 0700): ",
                                               error.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Backends>> OpenBackends(const BackendOptions& options) {
  auto backends = std::make_unique<ProductionBackends>();
  RETURN_IF_ERROR(PrivateDirectory(options.data_dir, "data directory"));

  RocksDbOptions db_options;
  db_options.path = options.data_dir + "/db";
  db_options.min_free_bytes = options.min_free_disk_bytes;
  ASSIGN_OR_RETURN(backends->database, RocksDbDatabase::Open(db_options));
  backends->store = std::make_unique<RocksDbInvoiceStore>(backends->database);
  backends->sellers = std::make_unique<RocksDbSellerRegistry>(backends->database);
  backends->signing_keys = std::make_unique<RocksDbSigningKeyRegistry>(backends->database);
  backends->audit_log = std::make_unique<RocksDbAuditLog>(backends->database);
  backends->backup = std::make_unique<RocksDbStoreBackup>(backends->database);

  Pkcs11SignerOptions signer_options;
  signer_options.module_path = options.hsm_module;
  signer_options.token_label = options.hsm_token_label;
  signer_options.sessions = options.hsm_sessions;
  signer_options.session_key_copies = options.hsm_session_key_copies;
  signer_options.pin = options.hsm_pin;
  if (options.embedded_softhsm) {
    const std::string hsm_dir = options.data_dir + "/hsm";
    RETURN_IF_ERROR(ConfigureSoftHsm(hsm_dir));
    const std::string pin_dir = options.pin_dir.empty() ? hsm_dir : options.pin_dir;
    if (pin_dir != hsm_dir) {
      RETURN_IF_ERROR(PrivateDirectory(pin_dir, "PIN directory"));
      // PINs a development run left next to the token move out of the data directory.
      for (const char* name : {"user.pin", "so.pin"}) {
        const std::string legacy = absl::StrCat(hsm_dir, "/", name);
        const std::string moved = absl::StrCat(pin_dir, "/", name);
        if (std::filesystem::exists(legacy) && !std::filesystem::exists(moved)) {
          std::error_code error;
          std::filesystem::rename(legacy, moved, error);
          if (error) {
            return absl::UnavailableError(absl::StrCat("cannot move ", legacy, " to ", pin_dir,
                                                       ": ", error.message()));
          }
          LogInfo("moved ", legacy, " out of the data directory, to ", moved);
        }
      }
    }
    if (signer_options.pin.empty()) {
      ASSIGN_OR_RETURN(signer_options.pin, ReadOrCreatePin(pin_dir + "/user.pin"));
    }
    ASSIGN_OR_RETURN(std::string so_pin, ReadOrCreatePin(pin_dir + "/so.pin"));
    RETURN_IF_ERROR(InitializeTokenIfAbsent(options.hsm_module, options.hsm_token_label, so_pin,
                                            signer_options.pin));
  } else if (signer_options.pin.empty()) {
    return absl::InvalidArgumentError(
        "no HSM PIN: pass --hsm_pin_file or set EINVOICE_HSM_PIN");
  }
  ASSIGN_OR_RETURN(backends->signer, Pkcs11Signer::Open(signer_options));
  LogInfo("signer: PKCS#11 module ", options.hsm_module, ", token \"", options.hsm_token_label,
          "\", ", options.hsm_sessions, " sessions");
  return backends;
}

}  // namespace einvoice
