#include "signer/openssl_util.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"

namespace einvoice::internal {
namespace {

struct OsslParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct OsslParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};

}  // namespace

std::string DrainOpenSslErrors() {
  std::string out;
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    if (!out.empty()) out += "; ";
    out += buffer;
  }
  return out;
}

absl::Status OpenSslError(absl::string_view what) {
  std::string errors = DrainOpenSslErrors();
  return absl::InternalError(
      absl::StrCat(what, ": ", errors.empty() ? "unknown OpenSSL error" : errors));
}

absl::StatusOr<EvpPkeyPtr> ParsePublicKeyDer(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* end = p + der.size();
  EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (key == nullptr) {
    std::string errors = DrainOpenSslErrors();
    return absl::InvalidArgumentError(
        absl::StrCat("public key is not a DER SubjectPublicKeyInfo: ", errors));
  }
  if (p != end) {
    DrainOpenSslErrors();
    return absl::InvalidArgumentError("public key has trailing bytes after the DER structure");
  }
  return key;
}

bool IsP256Key(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group[64];
  size_t len = 0;
  bool ok = EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                           &len) == 1;
  DrainOpenSslErrors();
  return ok && absl::string_view(group, len) == "prime256v1";
}

bool IsRsa3072Key(EVP_PKEY* key) {
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) == 3072;
}

absl::StatusOr<std::string> RsaSpkiFromModulus(absl::string_view modulus,
                                               absl::string_view public_exponent) {
  if (modulus.empty() || public_exponent.empty()) {
    return absl::InvalidArgumentError("RSA modulus or public exponent is empty");
  }
  struct BnFree {
    void operator()(BIGNUM* b) const { BN_free(b); }
  };
  std::unique_ptr<BIGNUM, BnFree> n(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(modulus.data()),
                static_cast<int>(modulus.size()), nullptr));
  std::unique_ptr<BIGNUM, BnFree> e(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(public_exponent.data()),
                static_cast<int>(public_exponent.size()), nullptr));
  if (n == nullptr || e == nullptr) return OpenSslError("BN_bin2bn");
  std::unique_ptr<OSSL_PARAM_BLD, OsslParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return OpenSslError("OSSL_PARAM_BLD");
  }
  std::unique_ptr<OSSL_PARAM, OsslParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (params == nullptr) return OpenSslError("OSSL_PARAM_BLD_to_param");
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return OpenSslError("EVP_PKEY_fromdata_init");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    std::string errors = DrainOpenSslErrors();
    return absl::InvalidArgumentError(
        absl::StrCat("modulus and exponent are not a valid RSA public key: ", errors));
  }
  EvpPkeyPtr key(raw);
  return SpkiOf(key.get());
}

bool IsEd25519Key(EVP_PKEY* key) { return EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519; }

absl::StatusOr<std::string> Ed25519SpkiFromRaw(absl::string_view raw) {
  if (raw.size() != 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 public key is ", raw.size(), " bytes, not 32"));
  }
  EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
  if (key == nullptr) return OpenSslError("EVP_PKEY_new_raw_public_key(ED25519)");
  return SpkiOf(key.get());
}

absl::StatusOr<std::string> SpkiOf(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  if (len <= 0) return OpenSslError("i2d_PUBKEY");
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

absl::StatusOr<std::string> P256SpkiFromPoint(absl::string_view point) {
  if (point.size() != 65 || point[0] != 0x04) {
    return absl::InvalidArgumentError(absl::StrCat(
        "EC point is not an uncompressed P-256 point (", point.size(), " bytes)"));
  }
  std::unique_ptr<OSSL_PARAM_BLD, OsslParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (bld == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return OpenSslError("OSSL_PARAM_BLD");
  }
  std::unique_ptr<OSSL_PARAM, OsslParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (params == nullptr) return OpenSslError("OSSL_PARAM_BLD_to_param");
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return OpenSslError("EVP_PKEY_fromdata_init");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    std::string errors = DrainOpenSslErrors();
    return absl::InvalidArgumentError(
        absl::StrCat("EC point is not a valid P-256 public key: ", errors));
  }
  EvpPkeyPtr key(raw);
  return SpkiOf(key.get());
}

absl::StatusOr<std::string> RawEcdsaToDer(absl::string_view raw) {
  if (raw.empty() || raw.size() % 2 != 0) {
    return absl::InternalError(
        absl::StrCat("raw ECDSA signature has odd or zero length ", raw.size()));
  }
  const size_t half = raw.size() / 2;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(bytes, static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(bytes + half, static_cast<int>(half), nullptr);
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (r == nullptr || s == nullptr || sig == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return OpenSslError("ECDSA_SIG_set0");
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return OpenSslError("i2d_ECDSA_SIG");
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace einvoice::internal
