#include "signer/certificate_builder.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"

namespace einvoice {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

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

absl::Status Fail(absl::string_view what) {
  return absl::InternalError(absl::StrCat("certificate builder: ", what, ": ", DrainErrors()));
}

// A DER TLV with `tag` around `content`.
std::string Tlv(unsigned char tag, absl::string_view content) {
  std::string out(1, static_cast<char>(tag));
  const size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<char>(n));
  } else {
    std::string len;
    for (size_t v = n; v > 0; v >>= 8) len.insert(len.begin(), static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>(0x80 | len.size()));
    out += len;
  }
  out.append(content.data(), content.size());
  return out;
}

absl::Status AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return Fail(absl::StrCat("extension ", OBJ_nid2sn(nid)));
  const int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (ok != 1) return Fail("X509_add_ext");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> BuildSelfSignedCertificate(Signer& signer, const PublicKey& key,
                                                       absl::string_view common_name,
                                                       absl::Time not_before,
                                                       absl::Time not_after) {
  // The signature algorithm: its NID, the parameters of its AlgorithmIdentifier, and the DER
  // AlgorithmIdentifier itself; and the key type it needs.
  int signature_nid = NID_undef;
  int signature_parameter_type = V_ASN1_UNDEF;
  absl::string_view signature_algorithm_der;
  const char* key_type = nullptr;
  switch (key.algorithm) {
    case KeyAlgorithm::kEcdsaP256Sha256:
      // SEQUENCE { OID 1.2.840.10045.4.3.2 } (ecdsa-with-SHA256, no parameters).
      signature_nid = NID_ecdsa_with_SHA256;
      signature_algorithm_der = absl::string_view(
          "\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02", 12);
      key_type = "EC";
      break;
    case KeyAlgorithm::kRsa3072Sha256:
      // SEQUENCE { OID 1.2.840.113549.1.1.11, NULL } (sha256WithRSAEncryption).
      signature_nid = NID_sha256WithRSAEncryption;
      signature_parameter_type = V_ASN1_NULL;
      signature_algorithm_der = absl::string_view(
          "\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b\x05\x00", 15);
      key_type = "RSA";
      break;
    default:
      return absl::UnimplementedError(
          absl::StrCat("certificates are built for ECDSA P-256 and RSA-3072 keys only, not ",
                       KeyAlgorithmName(key.algorithm)));
  }
  if (common_name.empty()) return absl::InvalidArgumentError("empty common name");
  if (not_after <= not_before) return absl::InvalidArgumentError("not_after <= not_before");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(key.public_key_der.data());
  std::unique_ptr<EVP_PKEY, EvpPkeyFree> pkey(
      d2i_PUBKEY(nullptr, &p, static_cast<long>(key.public_key_der.size())));
  if (pkey == nullptr || !EVP_PKEY_is_a(pkey.get(), key_type)) {
    DrainErrors();
    return absl::InvalidArgumentError(
        absl::StrCat("public key is not a DER ", key_type, " SubjectPublicKeyInfo"));
  }

  X509Ptr cert(X509_new());
  if (cert == nullptr || X509_set_version(cert.get(), 2) != 1) return Fail("X509_new");
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof(serial)) != 1) return Fail("RAND_bytes");
  serial[0] = static_cast<unsigned char>((serial[0] & 0x7F) | 0x01);  // positive, 16 bytes
  BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  const bool serial_ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  if (!serial_ok) return Fail("serial number");
  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), absl::ToTimeT(not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), absl::ToTimeT(not_after)) == nullptr) {
    return Fail("validity");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn(common_name);
  if (X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("VN"), 2, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.data()),
                                 static_cast<int>(cn.size()), -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1) {
    return Fail("subject name");
  }
  if (X509_set_pubkey(cert.get(), pkey.get()) != 1) return Fail("X509_set_pubkey");
  for (auto [nid, value] : {std::pair{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                            std::pair{NID_key_usage,
                                      "critical,digitalSignature,nonRepudiation,keyCertSign"},
                            std::pair{NID_subject_key_identifier, "hash"},
                            std::pair{NID_authority_key_identifier, "keyid:always"}}) {
    if (absl::Status s = AddExtension(cert.get(), nid, value); !s.ok()) return s;
  }
  // The TBSCertificate's own signature AlgorithmIdentifier. OpenSSL sets it only while
  // signing with a key it holds, so set it directly.
  X509_ALGOR* tbs_alg = const_cast<X509_ALGOR*>(X509_get0_tbs_sigalg(cert.get()));
  if (X509_ALGOR_set0(tbs_alg, OBJ_nid2obj(signature_nid), signature_parameter_type, nullptr) !=
      1) {
    return Fail("signature algorithm");
  }
  unsigned char* tbs = nullptr;
  const int tbs_len = i2d_re_X509_tbs(cert.get(), &tbs);
  if (tbs_len <= 0) return Fail("i2d_re_X509_tbs");
  const std::string tbs_der(reinterpret_cast<const char*>(tbs), static_cast<size_t>(tbs_len));
  OPENSSL_free(tbs);

  absl::StatusOr<std::string> signature = signer.Sign(key.key_id, tbs_der);
  if (!signature.ok()) return signature.status();

  // The signature is the BIT STRING's content as is: DER Ecdsa-Sig-Value, or the RSA block.
  const std::string der =
      Tlv(0x30, absl::StrCat(tbs_der, signature_algorithm_der,
                             Tlv(0x03, absl::StrCat(std::string(1, '\0'), *signature))));

  // Self-check: it parses, and verifies under its own key.
  const unsigned char* q = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr parsed(d2i_X509(nullptr, &q, static_cast<long>(der.size())));
  if (parsed == nullptr || q != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return Fail("the assembled certificate does not parse");
  }
  if (X509_verify(parsed.get(), pkey.get()) != 1) {
    DrainErrors();
    return absl::InternalError(
        "certificate builder: the signature does not verify under the key (wrong key id?)");
  }
  return der;
}

}  // namespace einvoice
