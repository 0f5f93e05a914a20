#include "signer/pkcs11_signer.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "signer/digest.h"
#include "signer/openssl_util.h"
#include "signer/pkcs11_module.h"

namespace einvoice {
namespace {

static_assert(std::is_same_v<CK_SESSION_HANDLE, unsigned long> &&
                  std::is_same_v<CK_OBJECT_HANDLE, unsigned long>,
              "pkcs11_signer.h mirrors these handle types to keep pkcs11.h out of it");

// DER OBJECT IDENTIFIER 1.2.840.10045.3.1.7 (prime256v1 / secp256r1 / P-256).
constexpr unsigned char kP256Params[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                         0xce, 0x3d, 0x03, 0x01, 0x07};
// DER OBJECT IDENTIFIER 1.3.101.112 (id-Ed25519), the CKA_EC_PARAMS of an Ed25519 key.
constexpr unsigned char kEd25519Params[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
// DER PrintableString "edwards25519": the other CKA_EC_PARAMS form PKCS#11 3.0 allows.
constexpr char kEd25519ParamsName[] = "\x13\x0c" "edwards25519";
constexpr size_t kEd25519SignatureSize = 64;
constexpr char kKeyLabel[] = "einvoice-authority";
constexpr size_t kP256RawSignatureSize = 64;
constexpr CK_ULONG kRsaModulusBits = 3072;
constexpr size_t kRsa3072SignatureSize = kRsaModulusBits / 8;
// 65537, big-endian, as CKA_PUBLIC_EXPONENT wants it.
constexpr unsigned char kRsaPublicExponent[] = {0x01, 0x00, 0x01};

// A public key we can sign with: its algorithm and DER SubjectPublicKeyInfo.
struct KeyMaterial {
  KeyAlgorithm algorithm;
  std::string spki;
};

// The algorithm a private key of PKCS#11 key type `type` signs with; false for key types this
// signer does not use.
bool AlgorithmOfKeyType(CK_KEY_TYPE type, KeyAlgorithm* algorithm) {
  switch (type) {
    case CKK_EC:
      *algorithm = KeyAlgorithm::kEcdsaP256Sha256;
      return true;
    case CKK_RSA:
      *algorithm = KeyAlgorithm::kRsa3072Sha256;
      return true;
    case CKK_EC_EDWARDS:
      *algorithm = KeyAlgorithm::kEd25519;
      return true;
    default:
      return false;
  }
}

// Big-endian unsigned `value` without leading zero bytes.
absl::string_view StripLeadingZeros(absl::string_view value) {
  while (!value.empty() && value.front() == '\0') value.remove_prefix(1);
  return value;
}

bool IsLoginFailure(CK_RV rv) {
  return rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LOCKED || rv == CKR_PIN_EXPIRED ||
         rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE;
}

// "ab12..." → raw bytes; false unless `hex` is exactly 64 lower-case hex digits.
bool DecodeKeyId(absl::string_view hex, std::string* raw) {
  if (hex.size() != 64) return false;
  raw->clear();
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]);
    int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    raw->push_back(static_cast<char>(hi << 4 | lo));
  }
  return true;
}

// The uncompressed point inside CKA_EC_POINT. The standard encoding is a DER OCTET STRING
// wrapping the point; some modules return the bare point, which is accepted too.
absl::StatusOr<std::string> UnwrapEcPoint(const std::string& value) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(value.data());
  ASN1_OCTET_STRING* octets = d2i_ASN1_OCTET_STRING(nullptr, &p, static_cast<long>(value.size()));
  if (octets != nullptr &&
      p == reinterpret_cast<const unsigned char*>(value.data()) + value.size()) {
    std::string point(reinterpret_cast<const char*>(ASN1_STRING_get0_data(octets)),
                      static_cast<size_t>(ASN1_STRING_length(octets)));
    ASN1_OCTET_STRING_free(octets);
    return point;
  }
  ASN1_OCTET_STRING_free(octets);
  internal::DrainOpenSslErrors();
  if (!value.empty() && value[0] == 0x04) return value;
  return absl::InvalidArgumentError("CKA_EC_POINT is neither a DER OCTET STRING nor a point");
}

// The 32-byte Ed25519 public key inside CKA_EC_POINT: a DER OCTET STRING around it (PKCS#11
// 3.0), or the bare 32 bytes (some modules).
absl::StatusOr<std::string> UnwrapEdwardsPoint(const std::string& value) {
  if (value.size() == 32) return value;
  if (value.size() == 34 && value[0] == 0x04 && value[1] == 32) return value.substr(2);
  return absl::InvalidArgumentError(
      absl::StrCat("CKA_EC_POINT of an Ed25519 key has ", value.size(), " bytes"));
}

// The PKCS#11 names of the mechanisms `algorithm` needs: key generation, then signing.
struct Mechanisms {
  CK_MECHANISM_TYPE generate;
  const char* generate_name;
  CK_MECHANISM_TYPE sign;
  const char* sign_name;
};
Mechanisms MechanismsFor(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256Sha256:
      return {CKM_EC_KEY_PAIR_GEN, "CKM_EC_KEY_PAIR_GEN", CKM_ECDSA, "CKM_ECDSA"};
    case KeyAlgorithm::kRsa3072Sha256:
      return {CKM_RSA_PKCS_KEY_PAIR_GEN, "CKM_RSA_PKCS_KEY_PAIR_GEN", CKM_SHA256_RSA_PKCS,
              "CKM_SHA256_RSA_PKCS"};
    case KeyAlgorithm::kEd25519:
      return {CKM_EC_EDWARDS_KEY_PAIR_GEN, "CKM_EC_EDWARDS_KEY_PAIR_GEN", CKM_EDDSA, "CKM_EDDSA"};
  }
  return {CKM_VENDOR_DEFINED, "?", CKM_VENDOR_DEFINED, "?"};
}

}  // namespace

// A borrowed session. Returned to the pool (or closed, if broken) when destroyed.
class Pkcs11Signer::Lease {
 public:
  Lease(Pkcs11Signer* signer, Session session, uint64_t generation)
      : signer_(signer), pooled_(std::move(session)), generation_(generation) {}
  Lease(Lease&& other) noexcept
      : signer_(std::exchange(other.signer_, nullptr)),
        pooled_(std::move(other.pooled_)),
        generation_(other.generation_),
        broken_(other.broken_) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (signer_ != nullptr) signer_->Return(std::move(pooled_), generation_, broken_);
  }

  CK_SESSION_HANDLE session() const { return pooled_.handle; }
  CK_FUNCTION_LIST* f() const { return signer_->module_->functions(); }

  // This session's entry for token key object `key` (see Session::key_copies): true and the
  // copy, CK_INVALID_HANDLE if the token refused it; false if there is no entry yet.
  bool FindCopy(CK_OBJECT_HANDLE key, CK_OBJECT_HANDLE* copy) const {
    for (const auto& [source, made] : pooled_.key_copies) {
      if (source == key) {
        *copy = made;
        return true;
      }
    }
    return false;
  }
  void RememberCopy(CK_OBJECT_HANDLE key, CK_OBJECT_HANDLE copy) {
    pooled_.key_copies.emplace_back(key, copy);
  }
  void ForgetCopy(CK_OBJECT_HANDLE key) {
    std::erase_if(pooled_.key_copies, [key](const auto& entry) { return entry.first == key; });
  }

  // OK, or the status for `rv`; an outage marks the session broken so it is discarded.
  absl::Status Check(CK_RV rv, absl::string_view operation) {
    if (rv != CKR_OK && IsOutage(rv)) broken_ = true;
    return CkrToStatus(rv, operation);
  }

  // Reads one attribute of `object` as bytes.
  absl::StatusOr<std::string> GetAttribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type,
                                           absl::string_view name) {
    CK_ATTRIBUTE attribute = {type, nullptr, 0};
    RETURN_IF_ERROR(Check(f()->C_GetAttributeValue(session(), object, &attribute, 1),
                          absl::StrCat("C_GetAttributeValue(", name, ")")));
    std::string value(attribute.ulValueLen, '\0');
    attribute.pValue = value.data();
    RETURN_IF_ERROR(Check(f()->C_GetAttributeValue(session(), object, &attribute, 1),
                          absl::StrCat("C_GetAttributeValue(", name, ")")));
    value.resize(attribute.ulValueLen);
    return value;
  }

  // Every object matching `attributes`.
  absl::StatusOr<std::vector<CK_OBJECT_HANDLE>> FindObjects(CK_ATTRIBUTE* attributes,
                                                            CK_ULONG count) {
    RETURN_IF_ERROR(
        Check(f()->C_FindObjectsInit(session(), attributes, count), "C_FindObjectsInit"));
    std::vector<CK_OBJECT_HANDLE> found;
    absl::Status status;
    for (;;) {
      CK_OBJECT_HANDLE batch[32];
      CK_ULONG n = 0;
      status = Check(f()->C_FindObjects(session(), batch, 32, &n), "C_FindObjects");
      if (!status.ok() || n == 0) break;
      found.insert(found.end(), batch, batch + n);
    }
    absl::Status final_status = Check(f()->C_FindObjectsFinal(session()), "C_FindObjectsFinal");
    RETURN_IF_ERROR(status);
    RETURN_IF_ERROR(final_status);
    return found;
  }

  // OK if the token behind this session still answers C_GetTokenInfo. Object searches on a
  // token whose storage has vanished may simply come back empty (SoftHSM does this), so an
  // empty answer is only trusted after this check.
  absl::Status CheckToken() {
    CK_SESSION_INFO session_info;
    RETURN_IF_ERROR(Check(f()->C_GetSessionInfo(session(), &session_info), "C_GetSessionInfo"));
    CK_TOKEN_INFO token_info;
    return Check(f()->C_GetTokenInfo(session_info.slotID, &token_info), "C_GetTokenInfo");
  }

  // The mechanisms the token offers (C_GetMechanismList; some modules, SoftHSM among them,
  // hide configured-off mechanisms from the list but not from C_GetMechanismInfo).
  absl::StatusOr<std::vector<CK_MECHANISM_TYPE>> MechanismList() {
    CK_SESSION_INFO session_info;
    RETURN_IF_ERROR(Check(f()->C_GetSessionInfo(session(), &session_info), "C_GetSessionInfo"));
    CK_ULONG count = 0;
    RETURN_IF_ERROR(Check(f()->C_GetMechanismList(session_info.slotID, nullptr, &count),
                          "C_GetMechanismList"));
    std::vector<CK_MECHANISM_TYPE> mechanisms(count);
    RETURN_IF_ERROR(Check(f()->C_GetMechanismList(session_info.slotID, mechanisms.data(), &count),
                          "C_GetMechanismList"));
    mechanisms.resize(count);
    return mechanisms;
  }

  // CKA_KEY_TYPE of `object`.
  absl::StatusOr<CK_KEY_TYPE> KeyType(CK_OBJECT_HANDLE object) {
    CK_KEY_TYPE type = 0;
    CK_ATTRIBUTE attribute = {CKA_KEY_TYPE, &type, sizeof(type)};
    RETURN_IF_ERROR(Check(f()->C_GetAttributeValue(session(), object, &attribute, 1),
                          "C_GetAttributeValue(CKA_KEY_TYPE)"));
    return type;
  }

  // The algorithm and SubjectPublicKeyInfo of public key `object`; INVALID_ARGUMENT if it is
  // not a key this signer uses (EC on another curve, RSA of another size, other key types).
  absl::StatusOr<KeyMaterial> PublicKeyOf(CK_OBJECT_HANDLE object) {
    ASSIGN_OR_RETURN(CK_KEY_TYPE type, KeyType(object));
    switch (type) {
      case CKK_EC: {
        ASSIGN_OR_RETURN(std::string spki, PublicKeySpki(object));
        return KeyMaterial{KeyAlgorithm::kEcdsaP256Sha256, std::move(spki)};
      }
      case CKK_RSA: {
        ASSIGN_OR_RETURN(std::string modulus, GetAttribute(object, CKA_MODULUS, "CKA_MODULUS"));
        const absl::string_view n = StripLeadingZeros(modulus);
        if (n.size() != kRsa3072SignatureSize || (static_cast<unsigned char>(n[0]) & 0x80) == 0) {
          return absl::InvalidArgumentError("RSA public key is not 3072 bits");
        }
        ASSIGN_OR_RETURN(std::string exponent,
                         GetAttribute(object, CKA_PUBLIC_EXPONENT, "CKA_PUBLIC_EXPONENT"));
        ASSIGN_OR_RETURN(std::string spki, internal::RsaSpkiFromModulus(n, exponent));
        return KeyMaterial{KeyAlgorithm::kRsa3072Sha256, std::move(spki)};
      }
      case CKK_EC_EDWARDS: {
        ASSIGN_OR_RETURN(std::string params,
                         GetAttribute(object, CKA_EC_PARAMS, "CKA_EC_PARAMS"));
        if (params != std::string(reinterpret_cast<const char*>(kEd25519Params),
                                  sizeof(kEd25519Params)) &&
            params != std::string(kEd25519ParamsName, sizeof(kEd25519ParamsName) - 1)) {
          return absl::InvalidArgumentError("Edwards public key is not Ed25519");
        }
        ASSIGN_OR_RETURN(std::string ec_point, GetAttribute(object, CKA_EC_POINT, "CKA_EC_POINT"));
        ASSIGN_OR_RETURN(std::string raw, UnwrapEdwardsPoint(ec_point));
        ASSIGN_OR_RETURN(std::string spki, internal::Ed25519SpkiFromRaw(raw));
        return KeyMaterial{KeyAlgorithm::kEd25519, std::move(spki)};
      }
      default:
        return absl::InvalidArgumentError(absl::StrCat("unsupported key type ", type));
    }
  }

  // The P-256 SubjectPublicKeyInfo of public key `object`; NOT_FOUND-free: INVALID_ARGUMENT if
  // it is not a P-256 key.
  absl::StatusOr<std::string> PublicKeySpki(CK_OBJECT_HANDLE object) {
    ASSIGN_OR_RETURN(std::string params, GetAttribute(object, CKA_EC_PARAMS, "CKA_EC_PARAMS"));
    if (params != std::string(reinterpret_cast<const char*>(kP256Params), sizeof(kP256Params))) {
      return absl::InvalidArgumentError("public key is not on P-256");
    }
    ASSIGN_OR_RETURN(std::string ec_point, GetAttribute(object, CKA_EC_POINT, "CKA_EC_POINT"));
    ASSIGN_OR_RETURN(std::string point, UnwrapEcPoint(ec_point));
    return internal::P256SpkiFromPoint(point);
  }

 private:
  Pkcs11Signer* signer_;
  Session pooled_;
  uint64_t generation_;
  bool broken_ = false;
};

absl::StatusOr<std::unique_ptr<Pkcs11Signer>> Pkcs11Signer::Open(
    const Pkcs11SignerOptions& options) {
  if (options.sessions == 0) {
    return absl::InvalidArgumentError("Pkcs11SignerOptions.sessions must be at least 1");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<Pkcs11Module> module, Pkcs11Module::Load(options.module_path));
  std::unique_ptr<Pkcs11Signer> signer(new Pkcs11Signer(std::move(module), options));
  {
    // Open and log in one session now so that a wrong label or PIN fails here.
    ASSIGN_OR_RETURN(Lease lease, signer->Borrow());
  }
  return signer;
}

Pkcs11Signer::Pkcs11Signer(std::shared_ptr<Pkcs11Module> module,
                           const Pkcs11SignerOptions& options)
    : module_(std::move(module)), options_(options) {}

Pkcs11Signer::~Pkcs11Signer() {
  absl::MutexLock lock(&mu_);
  // Closing a session also destroys the key copies made in it.
  for (const Session& session : idle_) (void)module_->functions()->C_CloseSession(session.handle);
  idle_.clear();
}

absl::StatusOr<Pkcs11Signer::Lease> Pkcs11Signer::Borrow() {
  uint64_t generation;
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](Pkcs11Signer* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
          return !s->idle_.empty() || s->open_ < s->options_.sessions;
        },
        this));
    if (!idle_.empty()) {
      Session session = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(session), generation_);
    }
    if (!login_failure_.ok()) return login_failure_;
    if (reinitialize_wanted_ && open_ == 0) {
      // No session of ours is open, and none can be opened while we hold mu_, so no call of
      // ours is in flight. If it fails, opening the session below fails too and asks again.
      reinitialize_wanted_ = false;
      if (options_.reinitialize_module_on_outage) (void)module_->Reinitialize();
    }
    ++open_;  // reserve a place in the pool while opening outside the lock
    generation = generation_;
  }
  absl::StatusOr<SessionHandle> session = OpenSession();
  if (!session.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    if (absl::IsUnavailable(session.status()) && login_failure_.ok()) {
      reinitialize_wanted_ = true;
    }
    return session.status();
  }
  return Lease(this, Session{*session, {}}, generation);
}

absl::StatusOr<Pkcs11Signer::SessionHandle> Pkcs11Signer::OpenSession() {
  CK_FUNCTION_LIST* f = module_->functions();
  absl::StatusOr<CK_SLOT_ID> slot = FindSlotByTokenLabel(f, options_.token_label);
  if (absl::IsNotFound(slot.status())) {
    return absl::UnavailableError(slot.status().message());
  }
  RETURN_IF_ERROR(slot.status());
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  RETURN_IF_ERROR(CkrToStatus(
      f->C_OpenSession(*slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session),
      "C_OpenSession"));
  // Login state belongs to the application, not the session: once any session is logged in,
  // C_Login on another answers CKR_USER_ALREADY_LOGGED_IN.
  CK_RV rv = f->C_Login(session, CKU_USER,
                        reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(options_.pin.data())),
                        options_.pin.size());
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
    absl::Status status = CkrToStatus(rv, absl::StrCat("C_Login to token \"",
                                                       options_.token_label, "\""));
    (void)f->C_CloseSession(session);
    if (IsLoginFailure(rv)) {
      absl::MutexLock lock(&mu_);
      login_failure_ = absl::UnavailableError(
          absl::StrCat(status.message(), " (not retried, to avoid locking the PIN; "
                                         "reopen the signer with the right PIN)"));
      return login_failure_;
    }
    return status;
  }
  return session;
}

void Pkcs11Signer::Return(Session session, uint64_t generation, bool broken) {
  // A closed session takes its key copies with it: the token destroys them, and the Session
  // entries go with `to_close` (freed outside the lock).
  std::vector<Session> to_close;
  {
    absl::MutexLock lock(&mu_);
    if (broken && generation == generation_) {
      // First to notice this outage: the idle sessions are presumably dead too, and object
      // handles may not survive the token coming back.
      ++generation_;
      open_ -= idle_.size();
      to_close.swap(idle_);
      key_handles_.clear();
      copy_refusals_.clear();
      reinitialize_wanted_ = true;
    }
    if (broken || generation != generation_) {
      to_close.push_back(std::move(session));
      --open_;
    } else {
      idle_.push_back(std::move(session));
    }
  }
  // Best effort: the session may already be gone with the token.
  for (const Session& s : to_close) (void)module_->functions()->C_CloseSession(s.handle);
}

absl::StatusOr<Pkcs11Signer::KeyHandle> Pkcs11Signer::FindPrivateKey(Lease& lease,
                                                                     absl::string_view key_id) {
  {
    absl::MutexLock lock(&mu_);
    auto it = key_handles_.find(key_id);
    if (it != key_handles_.end()) return it->second;
  }
  const absl::Status not_found =
      absl::NotFoundError(absl::StrCat("no signing key with id \"", key_id, "\" in token \"",
                                       options_.token_label, "\""));
  std::string raw_id;
  if (!DecodeKeyId(key_id, &raw_id)) return not_found;
  CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE by_id[] = {
      {CKA_CLASS, &private_class, sizeof(private_class)},
      {CKA_TOKEN, &yes, sizeof(yes)},  // not the session copies (ours or another signer's)
      {CKA_SIGN, &yes, sizeof(yes)},
      {CKA_ID, raw_id.data(), raw_id.size()},
  };
  ASSIGN_OR_RETURN(std::vector<CK_OBJECT_HANDLE> found,
                   lease.FindObjects(by_id, std::size(by_id)));
  KeyHandle handle{};
  if (!found.empty()) {
    ASSIGN_OR_RETURN(CK_KEY_TYPE type, lease.KeyType(found.front()));
    if (AlgorithmOfKeyType(type, &handle.algorithm)) {
      handle.object = found.front();
    } else {
      found.clear();  // not a kind of key we sign with: let the listing decide
    }
  }
  if (found.empty()) {
    // Keys made by other tools may carry a different CKA_ID: fall back to the full list,
    // whose key ids are computed from the public keys.
    ASSIGN_OR_RETURN(std::vector<PublicKey> keys, ListKeysWith(lease));
    (void)keys;  // ListKeysWith has checked the token and refreshed key_handles_
    absl::MutexLock lock(&mu_);
    auto it = key_handles_.find(key_id);
    if (it != key_handles_.end()) return it->second;
    return not_found;
  }
  absl::MutexLock lock(&mu_);
  key_handles_[key_id] = handle;
  return handle;
}

absl::StatusOr<Pkcs11Signer::SigningObject> Pkcs11Signer::SigningObjectFor(
    Lease& lease, const KeyHandle& key) {
  const SigningObject token_object{key.object, /*is_copy=*/false};
  if (!options_.session_key_copies) return token_object;
  CK_OBJECT_HANDLE copy = CK_INVALID_HANDLE;
  if (lease.FindCopy(key.object, &copy)) {  // the common case: no lock, no PKCS#11 call
    return copy != CK_INVALID_HANDLE ? SigningObject{copy, /*is_copy=*/true} : token_object;
  }
  {
    absl::MutexLock lock(&mu_);
    if (copy_refusals_.contains(key.object)) {
      lease.RememberCopy(key.object, CK_INVALID_HANDLE);
      return token_object;
    }
  }
  // Only CKA_TOKEN: everything else (CKA_SENSITIVE=TRUE, CKA_EXTRACTABLE=FALSE, CKA_PRIVATE,
  // CKA_ID, ...) is inherited from the token key, and a module may not allow changing it.
  CK_BBOOL no = CK_FALSE;
  CK_ATTRIBUTE session_object[] = {{CKA_TOKEN, &no, sizeof(no)}};
  const CK_RV rv = lease.f()->C_CopyObject(lease.session(), key.object, session_object,
                                           std::size(session_object), &copy);
  if (rv == CKR_OK && copy != CK_INVALID_HANDLE) {
    lease.RememberCopy(key.object, copy);
    return SigningObject{copy, /*is_copy=*/true};
  }
  // An outage is an outage: the session is discarded, the signature fails with UNAVAILABLE.
  if (IsOutage(rv)) return lease.Check(rv, "C_CopyObject(CKA_TOKEN=FALSE)");
  // A stale token handle: C_SignInit on it says so too, and Sign() looks the key up again.
  if (rv == CKR_KEY_HANDLE_INVALID || rv == CKR_OBJECT_HANDLE_INVALID) return token_object;
  // Anything else is the token declining (CKA_COPYABLE=FALSE: CKR_ACTION_PROHIBITED; or
  // CKR_FUNCTION_NOT_SUPPORTED, CKR_TEMPLATE_INCONSISTENT, CKR_ATTRIBUTE_READ_ONLY, ...):
  // sign with the token object, and do not ask again for this key.
  bool first;
  {
    absl::MutexLock lock(&mu_);
    first = copy_refusals_.emplace(key.object, rv).second;
  }
  lease.RememberCopy(key.object, CK_INVALID_HANDLE);
  if (first) {
    LogWarning("signer: token \"", options_.token_label,
               "\" refused a session copy of a signing key (C_CopyObject: ",
               rv == CKR_OK ? "no handle" : CkrName(rv),
               "); signing with the token object, which is slower on some modules");
  }
  return token_object;
}

absl::StatusOr<std::vector<PublicKey>> Pkcs11Signer::ListKeys() {
  ASSIGN_OR_RETURN(Lease lease, Borrow());
  return ListKeysWith(lease);
}

absl::StatusOr<std::vector<PublicKey>> Pkcs11Signer::ListKeysWith(Lease& lease) {
  CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
  CK_OBJECT_CLASS public_class = CKO_PUBLIC_KEY;
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE private_template[] = {
      {CKA_CLASS, &private_class, sizeof(private_class)},
      {CKA_TOKEN, &yes, sizeof(yes)},  // not the session copies (ours or another signer's)
      {CKA_SIGN, &yes, sizeof(yes)},
  };
  ASSIGN_OR_RETURN(std::vector<CK_OBJECT_HANDLE> private_keys,
                   lease.FindObjects(private_template, std::size(private_template)));
  std::vector<PublicKey> keys;
  absl::flat_hash_map<std::string, KeyHandle> handles;
  for (CK_OBJECT_HANDLE private_key : private_keys) {
    ASSIGN_OR_RETURN(CK_KEY_TYPE type, lease.KeyType(private_key));
    KeyAlgorithm algorithm;
    if (!AlgorithmOfKeyType(type, &algorithm)) continue;  // not a kind of key we sign with
    ASSIGN_OR_RETURN(std::string id, lease.GetAttribute(private_key, CKA_ID, "CKA_ID"));
    if (id.empty()) continue;  // no way to pair it with its public key
    CK_ATTRIBUTE public_template[] = {
        {CKA_CLASS, &public_class, sizeof(public_class)},
        {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_ID, id.data(), id.size()},
    };
    ASSIGN_OR_RETURN(std::vector<CK_OBJECT_HANDLE> public_keys,
                     lease.FindObjects(public_template, 3));
    for (CK_OBJECT_HANDLE public_key : public_keys) {
      absl::StatusOr<KeyMaterial> material = lease.PublicKeyOf(public_key);
      // Another curve or RSA size: not ours to use.
      if (absl::IsInvalidArgument(material.status())) continue;
      RETURN_IF_ERROR(material.status());
      if (material->algorithm != algorithm) continue;
      PublicKey key;
      key.key_id = KeyIdOf(material->spki);
      key.algorithm = material->algorithm;
      key.public_key_der = std::move(material->spki);
      handles[key.key_id] = KeyHandle{private_key, key.algorithm};
      keys.push_back(std::move(key));
      break;
    }
  }
  // An outage must not look like an empty token (a caller might then generate a new key).
  RETURN_IF_ERROR(lease.CheckToken());
  absl::MutexLock lock(&mu_);
  for (auto& [key_id, handle] : handles) key_handles_[key_id] = handle;
  return keys;
}

absl::StatusOr<PublicKey> Pkcs11Signer::GenerateKey(KeyAlgorithm algorithm) {
  CK_BBOOL yes = CK_TRUE;
  CK_BBOOL no = CK_FALSE;
  std::string label = kKeyLabel;
  unsigned char ec_params[sizeof(kP256Params)];
  std::copy(std::begin(kP256Params), std::end(kP256Params), ec_params);
  unsigned char ed_params[sizeof(kEd25519Params)];
  std::copy(std::begin(kEd25519Params), std::end(kEd25519Params), ed_params);
  CK_ULONG modulus_bits = kRsaModulusBits;
  unsigned char exponent[sizeof(kRsaPublicExponent)];
  std::copy(std::begin(kRsaPublicExponent), std::end(kRsaPublicExponent), exponent);

  CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  std::vector<CK_ATTRIBUTE> public_template = {
      {CKA_TOKEN, &yes, sizeof(yes)},
      {CKA_VERIFY, &yes, sizeof(yes)},
      {CKA_LABEL, label.data(), label.size()},
  };
  const char* operation = nullptr;
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256Sha256:
      mechanism.mechanism = CKM_EC_KEY_PAIR_GEN;
      public_template.push_back({CKA_EC_PARAMS, ec_params, sizeof(ec_params)});
      operation = "C_GenerateKeyPair(CKM_EC_KEY_PAIR_GEN, P-256)";
      break;
    case KeyAlgorithm::kRsa3072Sha256:
      mechanism.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
      public_template.push_back({CKA_MODULUS_BITS, &modulus_bits, sizeof(modulus_bits)});
      public_template.push_back({CKA_PUBLIC_EXPONENT, exponent, sizeof(exponent)});
      operation = "C_GenerateKeyPair(CKM_RSA_PKCS_KEY_PAIR_GEN, 3072 bits)";
      break;
    case KeyAlgorithm::kEd25519:
      mechanism.mechanism = CKM_EC_EDWARDS_KEY_PAIR_GEN;
      public_template.push_back({CKA_EC_PARAMS, ed_params, sizeof(ed_params)});
      operation = "C_GenerateKeyPair(CKM_EC_EDWARDS_KEY_PAIR_GEN, Ed25519)";
      break;
  }
  CK_ATTRIBUTE private_template[] = {
      {CKA_TOKEN, &yes, sizeof(yes)},
      {CKA_PRIVATE, &yes, sizeof(yes)},
      {CKA_SENSITIVE, &yes, sizeof(yes)},
      {CKA_EXTRACTABLE, &no, sizeof(no)},
      {CKA_SIGN, &yes, sizeof(yes)},
      {CKA_LABEL, label.data(), label.size()},
  };
  ASSIGN_OR_RETURN(Lease lease, Borrow());
  CK_FUNCTION_LIST* f = lease.f();
  // A module that cannot make, or cannot sign with, this kind of key: UNIMPLEMENTED up front,
  // rather than a key that can never be used.
  const Mechanisms needed = MechanismsFor(algorithm);
  const std::string why = absl::StrCat(KeyAlgorithmName(algorithm), " keys in token \"",
                                       options_.token_label, "\"");
  ASSIGN_OR_RETURN(std::vector<CK_MECHANISM_TYPE> offered, lease.MechanismList());
  for (auto [type, name] : {std::pair{needed.generate, needed.generate_name},
                            std::pair{needed.sign, needed.sign_name}}) {
    if (std::find(offered.begin(), offered.end(), type) == offered.end()) {
      return absl::UnimplementedError(
          absl::StrCat("the PKCS#11 module does not support ", name, ", needed for ", why));
    }
  }
  CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE;
  CK_OBJECT_HANDLE private_key = CK_INVALID_HANDLE;
  // CKR_MECHANISM_INVALID (the module lacks the mechanism) becomes UNIMPLEMENTED.
  RETURN_IF_ERROR(lease.Check(
      f->C_GenerateKeyPair(lease.session(), &mechanism, public_template.data(),
                           public_template.size(), private_template,
                           std::size(private_template), &public_key, &private_key),
      operation));
  auto destroy_both = [&] {
    (void)f->C_DestroyObject(lease.session(), private_key);
    (void)f->C_DestroyObject(lease.session(), public_key);
  };
  absl::StatusOr<KeyMaterial> material = lease.PublicKeyOf(public_key);
  if (material.ok() && material->algorithm != algorithm) {
    material = absl::InternalError(absl::StrCat("the token generated a ",
                                                KeyAlgorithmName(material->algorithm),
                                                " key when asked for ",
                                                KeyAlgorithmName(algorithm)));
  }
  if (!material.ok()) {
    destroy_both();
    return material.status();
  }
  std::string id = Sha256(material->spki);
  CK_ATTRIBUTE id_attribute = {CKA_ID, id.data(), id.size()};
  absl::Status status =
      lease.Check(f->C_SetAttributeValue(lease.session(), public_key, &id_attribute, 1),
                  "C_SetAttributeValue(public CKA_ID)");
  if (status.ok()) {
    status = lease.Check(f->C_SetAttributeValue(lease.session(), private_key, &id_attribute, 1),
                         "C_SetAttributeValue(private CKA_ID)");
  }
  if (!status.ok()) {
    destroy_both();
    return status;
  }
  PublicKey key;
  key.key_id = KeyIdOf(material->spki);
  key.algorithm = algorithm;
  key.public_key_der = std::move(material->spki);
  absl::MutexLock lock(&mu_);
  key_handles_[key.key_id] = KeyHandle{private_key, algorithm};
  return key;
}

absl::StatusOr<std::string> Pkcs11Signer::Sign(absl::string_view key_id, absl::string_view data) {
  ASSIGN_OR_RETURN(Lease lease, Borrow());
  CK_FUNCTION_LIST* f = lease.f();
  ASSIGN_OR_RETURN(KeyHandle key, FindPrivateKey(lease, key_id));
  // ECDSA: the token signs SHA-256(data) computed here. RSA: the token hashes the data itself
  // and wraps the digest in a DigestInfo before PKCS#1 v1.5 padding (CKM_SHA256_RSA_PKCS).
  // Ed25519: the token signs the data itself (CKM_EDDSA without parameters: pure Ed25519).
  const bool ecdsa = key.algorithm == KeyAlgorithm::kEcdsaP256Sha256;
  const Mechanisms mechanisms = MechanismsFor(key.algorithm);
  CK_MECHANISM mechanism = {mechanisms.sign, nullptr, 0};
  const absl::string_view mechanism_name = mechanisms.sign_name;
  std::string input = ecdsa ? Sha256(data) : std::string(data);
  CK_RV rv;
  bool copy_dropped = false;
  bool key_looked_up = false;
  for (;;) {
    ASSIGN_OR_RETURN(const SigningObject object, SigningObjectFor(lease, key));
    rv = f->C_SignInit(lease.session(), &mechanism, object.object);
    if (rv != CKR_KEY_HANDLE_INVALID && rv != CKR_OBJECT_HANDLE_INVALID) break;
    if (object.is_copy) lease.ForgetCopy(key.object);
    // A stale copy (destroyed behind our back): make a new one, once.
    if (object.is_copy && !copy_dropped) {
      copy_dropped = true;
      continue;
    }
    if (key_looked_up) break;
    // The cached handle went stale (key deleted, or the module renumbered objects): look again.
    // The key id fixes the public key, hence the algorithm, so the mechanism stays right.
    key_looked_up = true;
    {
      absl::MutexLock lock(&mu_);
      key_handles_.erase(key_id);
    }
    ASSIGN_OR_RETURN(key, FindPrivateKey(lease, key_id));
  }
  RETURN_IF_ERROR(lease.Check(rv, absl::StrCat("C_SignInit(", mechanism_name, ")")));
  std::string raw(1024, '\0');  // enough for ECDSA up to P-521 and RSA up to 8192 bits
  CK_ULONG raw_size = raw.size();
  RETURN_IF_ERROR(lease.Check(
      f->C_Sign(lease.session(), reinterpret_cast<unsigned char*>(input.data()), input.size(),
                reinterpret_cast<unsigned char*>(raw.data()), &raw_size),
      absl::StrCat("C_Sign(", mechanism_name, ")")));
  raw.resize(raw_size);
  if (key.algorithm == KeyAlgorithm::kRsa3072Sha256) {
    if (raw.size() != kRsa3072SignatureSize) {
      return absl::InternalError(absl::StrCat("C_Sign returned ", raw.size(),
                                              " bytes, expected 384 for RSA-3072"));
    }
    return raw;
  }
  if (key.algorithm == KeyAlgorithm::kEd25519) {
    if (raw.size() != kEd25519SignatureSize) {
      return absl::InternalError(
          absl::StrCat("C_Sign returned ", raw.size(), " bytes, expected 64 for Ed25519"));
    }
    return raw;
  }
  if (raw.size() != kP256RawSignatureSize) {
    return absl::InternalError(
        absl::StrCat("C_Sign returned ", raw.size(), " bytes, expected 64 for P-256"));
  }
  return internal::RawEcdsaToDer(raw);
}

absl::Status Pkcs11Signer::Health() {
  ASSIGN_OR_RETURN(Lease lease, Borrow());
  RETURN_IF_ERROR(lease.CheckToken());
  CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
  CK_ATTRIBUTE private_template[] = {{CKA_CLASS, &private_class, sizeof(private_class)}};
  return lease.FindObjects(private_template, 1).status();
}

}  // namespace einvoice
