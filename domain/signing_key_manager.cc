#include "domain/signing_key_manager.h"

#include <algorithm>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "domain/authentication_record.h"
#include "signer/certificate_builder.h"
#include "signer/x509_certificate.h"

namespace einvoice {
namespace {

bool IsActive(const v1::SigningKey& key) { return key.has_not_before() && !key.has_retired_at(); }

// The authority's certificates are self-signed by default and valid for ten years; a key is
// normally rotated long before.
constexpr absl::Duration kCertificateValidity = absl::Hours(24 * 3653);
constexpr absl::Duration kCertificateBackdate = absl::Hours(1);  // tolerate clock skew

PublicKey PublicKeyOf(const v1::SigningKey& record) {
  PublicKey key;
  key.key_id = record.key_id();
  key.public_key_der = record.public_key_der();
  if (absl::StatusOr<KeyAlgorithm> algorithm = ParseKeyAlgorithm(record.algorithm());
      algorithm.ok()) {
    key.algorithm = *algorithm;
  }
  return key;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SigningKeyManager>> SigningKeyManager::Create(
    Signer* signer, SigningKeyRegistry* registry, const Clock* clock, Options options) {
  auto manager = absl::WrapUnique(new SigningKeyManager(signer, registry, clock));
  absl::MutexLock lock(&manager->mu_);
  RETURN_IF_ERROR(manager->Load());
  if (manager->active_key_id_.empty()) {
    if (!options.create_key_if_none) {
      return absl::FailedPreconditionError(
          "no active signing key: generate and activate one (einvoice keys generate; einvoice "
          "keys activate KEY_ID), or start einvoiced once with --create_signing_key");
    }
    ASSIGN_OR_RETURN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
    ASSIGN_OR_RETURN(v1::SigningKey record, manager->NewKeyRecord(key));
    *record.mutable_not_before() = ToTimestamp(manager->NextTime());
    RETURN_IF_ERROR(registry->Put(record));
    LogInfo("generated and activated signing key ", key.key_id);
    RETURN_IF_ERROR(manager->Load());
  }
  // The active key must be one the token holds, or every submission would fail.
  ASSIGN_OR_RETURN(std::vector<PublicKey> held, signer->ListKeys());
  const std::string active = manager->active_key_id_;  // read under the lock (above)
  const bool present = std::any_of(held.begin(), held.end(),
                                   [&active](const PublicKey& k) { return k.key_id == active; });
  if (!present) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the active signing key ", active,
        " is not in the signer's token (wrong token or PIN configuration?)"));
  }
  RETURN_IF_ERROR(manager->IssueMissingCertificates());
  return manager;
}

SigningKeyManager::SigningKeyManager(Signer* signer, SigningKeyRegistry* registry,
                                     const Clock* clock)
    : signer_(signer), registry_(registry), clock_(clock) {}

absl::Status SigningKeyManager::Load() {
  ASSIGN_OR_RETURN(std::vector<v1::SigningKey> keys, registry_->List());
  std::string active;
  for (const v1::SigningKey& key : keys) {
    if (!IsActive(key)) continue;
    if (!active.empty()) {
      return absl::DataLossError(absl::StrCat("two signing keys are active: ", active, " and ",
                                              key.key_id()));
    }
    active = key.key_id();
    // Never hand out an issue time before the active key's start.
    last_time_ = std::max(last_time_, FromTimestamp(key.not_before()));
  }
  keys_ = std::move(keys);
  active_key_id_ = std::move(active);
  active_certificate_der_.clear();
  if (const v1::SigningKey* key = Find(active_key_id_); key != nullptr) {
    active_certificate_der_ = key->certificate_der();
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SigningKey> SigningKeyManager::NewKeyRecord(const PublicKey& key) {
  v1::SigningKey record;
  record.set_key_id(key.key_id);
  record.set_algorithm(std::string(KeyAlgorithmName(key.algorithm)));
  record.set_public_key_der(key.public_key_der);
  const absl::Time now = clock_->Now();
  absl::StatusOr<std::string> certificate = BuildSelfSignedCertificate(
      *signer_, key, absl::StrCat("CQT e-invoice authority ", key.key_id.substr(0, 16)),
      now - kCertificateBackdate, now + kCertificateValidity);
  // Ed25519 keys get no X.509 certificate (XML signatures cannot use them); they still sign
  // authentication records. Any other failure is real.
  if (certificate.ok()) {
    record.set_certificate_der(*std::move(certificate));
  } else if (certificate.status().code() != absl::StatusCode::kUnimplemented) {
    return certificate.status();
  }
  return record;
}

absl::Status SigningKeyManager::IssueMissingCertificates() {
  std::vector<v1::SigningKey> updated;
  for (const v1::SigningKey& key : keys_) {
    if (!key.certificate_der().empty() || key.has_retired_at()) continue;
    ASSIGN_OR_RETURN(v1::SigningKey fresh, NewKeyRecord(PublicKeyOf(key)));
    if (fresh.certificate_der().empty()) continue;  // an algorithm without certificates
    v1::SigningKey with_certificate = key;
    with_certificate.set_certificate_der(fresh.certificate_der());
    updated.push_back(std::move(with_certificate));
  }
  if (updated.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(registry_->PutAll(updated));
  return Load();
}

absl::Time SigningKeyManager::NextTime() {
  const absl::Time now = TruncateIssueTime(clock_->Now());
  last_time_ = std::max(now, last_time_);
  return last_time_;
}

v1::SigningKey* SigningKeyManager::Find(absl::string_view key_id) {
  for (v1::SigningKey& key : keys_) {
    if (key.key_id() == key_id) return &key;
  }
  return nullptr;
}

SigningKeyManager::SigningStamp SigningKeyManager::Stamp() {
  absl::MutexLock lock(&mu_);
  return SigningStamp{active_key_id_, NextTime(), active_certificate_der_};
}

std::vector<v1::SigningKey> SigningKeyManager::Keys() const {
  absl::MutexLock lock(&mu_);
  std::vector<v1::SigningKey> keys = keys_;
  const std::string active = active_key_id_;
  std::stable_sort(keys.begin(), keys.end(), [&active](const v1::SigningKey& a,
                                                       const v1::SigningKey& b) {
    const bool a_active = a.key_id() == active, b_active = b.key_id() == active;
    if (a_active != b_active) return a_active;
    return FromTimestamp(a.not_before()) > FromTimestamp(b.not_before());
  });
  return keys;
}

absl::StatusOr<v1::SigningKey> SigningKeyManager::GenerateKey(KeyAlgorithm algorithm) {
  ASSIGN_OR_RETURN(PublicKey key, signer_->GenerateKey(algorithm));
  ASSIGN_OR_RETURN(v1::SigningKey record, NewKeyRecord(key));
  absl::MutexLock lock(&mu_);
  RETURN_IF_ERROR(registry_->Put(record));
  keys_.push_back(record);
  return record;
}

absl::StatusOr<v1::SigningKey> SigningKeyManager::Activate(absl::string_view key_id) {
  ASSIGN_OR_RETURN(std::vector<PublicKey> held, signer_->ListKeys());
  absl::MutexLock lock(&mu_);
  v1::SigningKey* key = Find(key_id);
  if (key == nullptr) return absl::NotFoundError(absl::StrCat("no signing key ", key_id));
  if (key->has_retired_at()) {
    return absl::FailedPreconditionError(absl::StrCat("signing key ", key_id, " is retired"));
  }
  if (key_id == active_key_id_) return *key;
  if (std::none_of(held.begin(), held.end(), [&](const PublicKey& k) { return k.key_id == key_id; })) {
    return absl::FailedPreconditionError(
        absl::StrCat("signing key ", key_id, " is not in the signer's token"));
  }
  // Strictly after every issue time handed out under the old key.
  const absl::Time switch_time = NextTime() + absl::Microseconds(1);
  last_time_ = switch_time;
  v1::SigningKey activated = *key;
  *activated.mutable_not_before() = ToTimestamp(switch_time);
  std::vector<v1::SigningKey> changed = {activated};
  v1::SigningKey* previous = Find(active_key_id_);
  if (previous != nullptr) {
    changed.push_back(*previous);
    *changed.back().mutable_retired_at() = ToTimestamp(switch_time);
  }
  // One atomic write: never zero or two active keys on disk, whatever happens.
  RETURN_IF_ERROR(registry_->PutAll(changed));
  *key = changed[0];
  if (previous != nullptr) *previous = changed[1];
  active_key_id_ = std::string(key_id);
  active_certificate_der_ = key->certificate_der();
  LogInfo("activated signing key ", key_id);
  return activated;
}

absl::StatusOr<v1::SigningKey> SigningKeyManager::ImportCertificate(
    absl::string_view key_id, absl::string_view certificate_der) {
  ASSIGN_OR_RETURN(x509::CertificateInfo certificate, x509::ReadCertificate(certificate_der));
  absl::MutexLock lock(&mu_);
  v1::SigningKey* key = Find(key_id);
  if (key == nullptr) return absl::NotFoundError(absl::StrCat("no signing key ", key_id));
  if (key->has_retired_at()) {
    return absl::FailedPreconditionError(absl::StrCat("signing key ", key_id, " is retired"));
  }
  if (certificate.public_key_der != key->public_key_der()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the certificate is for another public key, not for ", key_id));
  }
  if (certificate.not_after <= clock_->Now()) {
    return absl::InvalidArgumentError("the certificate has expired");
  }
  v1::SigningKey updated = *key;
  updated.set_certificate_der(std::string(certificate_der));
  RETURN_IF_ERROR(registry_->Put(updated));
  *key = updated;
  if (key_id == active_key_id_) active_certificate_der_ = key->certificate_der();
  LogInfo("imported a certificate for signing key ", key_id, ": ", certificate.subject);
  return updated;
}

absl::StatusOr<v1::SigningKey> SigningKeyManager::Retire(absl::string_view key_id) {
  absl::MutexLock lock(&mu_);
  v1::SigningKey* key = Find(key_id);
  if (key == nullptr) return absl::NotFoundError(absl::StrCat("no signing key ", key_id));
  if (key_id == active_key_id_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "signing key ", key_id, " is active: activate its successor, which retires it"));
  }
  if (key->has_retired_at()) return *key;
  v1::SigningKey retired = *key;
  *retired.mutable_retired_at() = ToTimestamp(NextTime());
  RETURN_IF_ERROR(registry_->Put(retired));
  *key = retired;
  return retired;
}

}  // namespace einvoice
