// SigningKeyRegistry: the lifecycle of the authority's signing keys (which key is active,
// when each began and stopped signing), stored as v1::SigningKey records. The private keys
// themselves live only in the token; this holds public keys and dates.
//
// Implementations: RocksDbSigningKeyRegistry, and InMemorySigningKeyRegistry for tests.
// Thread-safety: every method may be called concurrently from any thread.
#ifndef EINVOICE_STORAGE_SIGNING_KEY_REGISTRY_H_
#define EINVOICE_STORAGE_SIGNING_KEY_REGISTRY_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "einvoice/v1/invoice_authority.pb.h"

namespace einvoice {

class SigningKeyRegistry {
 public:
  virtual ~SigningKeyRegistry() = default;

  // Every key ever registered, in key_id order.
  virtual absl::StatusOr<std::vector<v1::SigningKey>> List() = 0;

  // Creates or replaces the record for key.key_id(), durably.
  virtual absl::Status Put(const v1::SigningKey& key) { return PutAll({key}); }

  // Creates or replaces several records in one atomic, durable write: a rotation retires the
  // old key and activates the new one together, so a crash never leaves zero or two active.
  virtual absl::Status PutAll(const std::vector<v1::SigningKey>& keys) = 0;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_SIGNING_KEY_REGISTRY_H_
