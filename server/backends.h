// The composition root for production: opens the real backends -- RocksDB in the data
// directory and the PKCS#11 signer -- and, in the embedded default, a SoftHSM2 token kept
// under the data directory that is created and initialised on first start.
//
// Data at rest is the service's alone: the data directory is made mode 0700 (so is the PIN
// directory), and files are created 0600 (einvoiced sets its umask to 077 before this).
//
// Thread-safety: OpenBackends() is called once at start-up. The returned objects are
// thread-safe (see each interface).
#ifndef EINVOICE_SERVER_BACKENDS_H_
#define EINVOICE_SERVER_BACKENDS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "server/einvoice_server.h"
#include "signer/signer.h"
#include "storage/invoice_store.h"
#include "storage/seller_registry.h"
#include "storage/signing_key_registry.h"

namespace einvoice {

struct BackendOptions {
  // Where RocksDB (data_dir/db) and, in the embedded default, the SoftHSM2 token
  // (data_dir/hsm) live. Created if missing.
  std::string data_dir = "data";
  // The PKCS#11 module to load.
  std::string hsm_module = "/usr/lib/softhsm/libsofthsm2.so";
  // Label of the token holding the authority's keys.
  std::string hsm_token_label = "einvoice";
  // The token's user PIN. In the embedded default, empty means: use (or on first start
  // create) pin_dir/user.pin.
  std::string hsm_pin;
  // Embedded SoftHSM2 only: where its PIN files (user.pin, so.pin; mode 0600) live. Empty =
  // data_dir/hsm, next to the token (development). einvoiced puts them outside the data
  // directory in production (TLS) mode, so a copy of the data is no use without them.
  std::string pin_dir;
  // Concurrent PKCS#11 sessions (signatures in parallel).
  size_t hsm_sessions = 4;
  // Sign with a session-object copy of each key (see Pkcs11SignerOptions::session_key_copies).
  bool hsm_session_key_copies = true;
  // Writes pause (UNAVAILABLE) while the data directory's file system has less free, and
  // resume by themselves once it has more (RocksDbOptions::min_free_bytes). 0 = never.
  uint64_t min_free_disk_bytes = uint64_t{256} << 20;
  // Keep a SoftHSM2 token under data_dir/hsm and initialise it on first start. Turn off to
  // use a real HSM (or any token provisioned separately).
  bool embedded_softhsm = true;
};

// The opened backends. Owns everything; destroy after the server.
class Backends {
 public:
  virtual ~Backends() = default;
  virtual ServerBackends view() = 0;
};

absl::StatusOr<std::unique_ptr<Backends>> OpenBackends(const BackendOptions& options);

// Reads a PIN from a file (trailing newline ignored). The file should be mode 0600.
absl::StatusOr<std::string> ReadPinFile(const std::string& path);

}  // namespace einvoice

#endif  // EINVOICE_SERVER_BACKENDS_H_
