#include "tests/signer/support/fake_signer.h"

#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "signer/digest.h"

namespace einvoice::testing {
namespace {

std::string DrainErrors() {
  std::string out;
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    absl::StrAppend(&out, out.empty() ? "" : "; ", buffer);
  }
  return out;
}

}  // namespace

struct FakeSigner::Key {
  ~Key() { EVP_PKEY_free(pkey); }
  EVP_PKEY* pkey = nullptr;
  PublicKey public_key;
};

FakeSigner::FakeSigner() {
  absl::StatusOr<PublicKey> key = GenerateKey(KeyAlgorithm::kEcdsaP256Sha256);
  if (!key.ok()) std::abort();  // OpenSSL cannot make a P-256 key: nothing sensible to do
  default_key_ = *std::move(key);
}

FakeSigner::~FakeSigner() = default;

absl::StatusOr<std::vector<PublicKey>> FakeSigner::ListKeys() {
  absl::MutexLock lock(&mu_);
  std::vector<PublicKey> out;
  for (const auto& key : keys_) out.push_back(key->public_key);
  return out;
}

absl::StatusOr<PublicKey> FakeSigner::GenerateKey(KeyAlgorithm algorithm) {
  auto key = std::make_unique<Key>();
  switch (algorithm) {
    case KeyAlgorithm::kEcdsaP256Sha256:
      key->pkey = EVP_EC_gen("P-256");
      break;
    case KeyAlgorithm::kRsa3072Sha256:
      key->pkey = EVP_RSA_gen(3072);  // public exponent 65537
      break;
    case KeyAlgorithm::kEd25519:
      key->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
    default:
      return absl::UnimplementedError(absl::StrCat("FakeSigner cannot make ",
                                                   KeyAlgorithmName(algorithm), " keys"));
  }
  if (key->pkey == nullptr) return absl::InternalError("key generation: " + DrainErrors());
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key->pkey, &der);
  if (len <= 0) return absl::InternalError("i2d_PUBKEY: " + DrainErrors());
  key->public_key.public_key_der.assign(reinterpret_cast<const char*>(der), len);
  OPENSSL_free(der);
  key->public_key.key_id = KeyIdOf(key->public_key.public_key_der);
  key->public_key.algorithm = algorithm;
  PublicKey result = key->public_key;
  absl::MutexLock lock(&mu_);
  keys_.push_back(std::move(key));
  return result;
}

absl::StatusOr<std::string> FakeSigner::Sign(absl::string_view key_id, absl::string_view data) {
  std::function<void()> hook;
  {
    absl::MutexLock lock(&mu_);
    ++sign_calls_;
    hook = hook_;
  }
  if (hook) hook();
  EVP_PKEY* pkey = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (fail_remaining_ > 0) {
      --fail_remaining_;
      return fail_status_;
    }
    for (const auto& key : keys_) {
      if (key->public_key.key_id == key_id) pkey = key->pkey;
    }
  }
  if (pkey == nullptr) {
    return absl::NotFoundError(absl::StrCat("FakeSigner has no key \"", key_id, "\""));
  }
  // Keys are never removed, so `pkey` stays valid without the lock; OpenSSL allows concurrent
  // signing with one EVP_PKEY.
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t size = 0;
  std::string signature;
  bool ok = ctx != nullptr &&
            EVP_DigestSignInit(ctx, nullptr,
                               EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519 ? nullptr
                                                                              : EVP_sha256(),
                               nullptr, pkey) == 1 &&
            EVP_DigestSign(ctx, nullptr, &size,
                           reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  if (ok) {
    signature.resize(size);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size,
                        reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    signature.resize(size);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return absl::InternalError("EVP_DigestSign: " + DrainErrors());
  return signature;
}

void FakeSigner::FailNext(int n, absl::Status status) {
  absl::MutexLock lock(&mu_);
  fail_remaining_ = n;
  fail_status_ = std::move(status);
}

int FakeSigner::sign_calls() const {
  absl::MutexLock lock(&mu_);
  return sign_calls_;
}

void FakeSigner::SetSignHook(std::function<void()> hook) {
  absl::MutexLock lock(&mu_);
  hook_ = std::move(hook);
}

}  // namespace einvoice::testing
