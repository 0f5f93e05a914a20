// Signing: raw PKCS#11 C_SignInit + C_Sign on one session versus Pkcs11Signer::Sign (session
// pool, per-session key copies, SHA-256, DER encoding), on a throwaway SoftHSM2 token, 1..N
// threads. BM_Pkcs11SignerSign/session_copies:0 is the signer with
// Pkcs11SignerOptions::session_key_copies off (signing with the token object, as before).
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "signer/digest.h"
#include "signer/pkcs11_module.h"
#include "signer/pkcs11_signer.h"
#include "signer/softhsm_config.h"
#include "signer/token_setup.h"

namespace einvoice::bench {
namespace {

constexpr char kModule[] = "/usr/lib/softhsm/libsofthsm2.so";
constexpr char kLabel[] = "bench";
constexpr char kPin[] = "1234";

// One token and key for the whole binary, and two signers on it: with and without session
// key copies.
struct Token {
  std::string dir;
  std::unique_ptr<Pkcs11Signer> signer;              // session_key_copies = true (default)
  std::unique_ptr<Pkcs11Signer> signer_token_object;  // session_key_copies = false
  std::string key_id;
  std::string error;
};

Token& GetToken() {
  static Token* token = [] {
    auto* t = new Token;
    char pattern[] = "/tmp/einvoice_signer_bench.XXXXXX";
    t->dir = mkdtemp(pattern);
    if (absl::Status s = ConfigureSoftHsm(t->dir); !s.ok()) {
      t->error = s.ToString();
      return t;
    }
    if (absl::Status s = InitializeTokenIfAbsent(kModule, kLabel, "5678", kPin); !s.ok()) {
      t->error = s.ToString();
      return t;
    }
    Pkcs11SignerOptions options;
    options.module_path = kModule;
    options.token_label = kLabel;
    options.pin = kPin;
    options.sessions = 8;
    absl::StatusOr<std::unique_ptr<Pkcs11Signer>> signer = Pkcs11Signer::Open(options);
    if (!signer.ok()) {
      t->error = signer.status().ToString();
      return t;
    }
    t->signer = *std::move(signer);
    options.session_key_copies = false;
    signer = Pkcs11Signer::Open(options);
    if (!signer.ok()) {
      t->error = signer.status().ToString();
      return t;
    }
    t->signer_token_object = *std::move(signer);
    absl::StatusOr<PublicKey> key = t->signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256);
    if (!key.ok()) {
      t->error = key.status().ToString();
      return t;
    }
    t->key_id = key->key_id;
    std::atexit([] { std::filesystem::remove_all(token->dir); });
    return t;
  }();
  return *token;
}

void BM_Pkcs11SignerSign(benchmark::State& state) {
  Token& token = GetToken();
  if (!token.error.empty()) {
    state.SkipWithError(token.error.c_str());
    return;
  }
  Pkcs11Signer& signer = state.range(0) == 1 ? *token.signer : *token.signer_token_object;
  const std::string data(1500, 'r');  // a typical signed record's size
  for (auto _ : state) {
    absl::StatusOr<std::string> signature = signer.Sign(token.key_id, data);
    if (!signature.ok()) {
      state.SkipWithError(signature.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Pkcs11SignerSign)
    ->ArgName("session_copies")
    ->Arg(1)
    ->Arg(0)
    ->Threads(1)
    ->Threads(2)
    ->Threads(4)
    ->UseRealTime();

// The same token operations without the signer: one session per thread, the key handle found
// once, a fixed digest (no SHA-256, no DER encoding, no pool). session_copy:0 signs with the
// token key object; session_copy:1 with a session-object copy of it made once per session
// (C_CopyObject with CKA_TOKEN=FALSE), which is what Pkcs11Signer does by default: SoftHSM2
// re-reads and locks a token object's file on every C_SignInit, not a session object's.
void BM_RawCSign(benchmark::State& state) {
  Token& token = GetToken();
  if (!token.error.empty()) {
    state.SkipWithError(token.error.c_str());
    return;
  }
  absl::StatusOr<std::shared_ptr<Pkcs11Module>> module = Pkcs11Module::Load(kModule);
  if (!module.ok()) {
    state.SkipWithError(module.status().ToString().c_str());
    return;
  }
  CK_FUNCTION_LIST* f = (*module)->functions();
  absl::StatusOr<CK_SLOT_ID> slot = FindSlotByTokenLabel(f, kLabel);
  if (!slot.ok()) {
    state.SkipWithError(slot.status().ToString().c_str());
    return;
  }
  CK_SESSION_HANDLE session;
  if (f->C_OpenSession(*slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session) !=
      CKR_OK) {
    state.SkipWithError("C_OpenSession");
    return;
  }
  CK_RV rv = f->C_Login(session, CKU_USER,
                        reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(kPin)), 4);
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
    state.SkipWithError("C_Login");
    f->C_CloseSession(session);
    return;
  }
  // The token key, not one of the signers' session copies (visible to every session).
  CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
  CK_BBOOL on_token = CK_TRUE;
  CK_ATTRIBUTE query[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_TOKEN, &on_token, sizeof on_token}};
  CK_OBJECT_HANDLE key = 0;
  CK_ULONG found = 0;
  f->C_FindObjectsInit(session, query, 2);
  f->C_FindObjects(session, &key, 1, &found);
  f->C_FindObjectsFinal(session);
  if (found != 1) {
    state.SkipWithError("no private key");
    f->C_CloseSession(session);
    return;
  }
  if (state.range(0) == 1) {
    CK_BBOOL no = CK_FALSE;
    CK_ATTRIBUTE session_object[] = {{CKA_TOKEN, &no, sizeof no}};
    CK_OBJECT_HANDLE copy = 0;
    if (f->C_CopyObject(session, key, session_object, 1, &copy) != CKR_OK) {
      state.SkipWithError("C_CopyObject");
      f->C_CloseSession(session);
      return;
    }
    key = copy;  // destroyed with the session below
  }
  std::string digest = Sha256("data");
  CK_MECHANISM mechanism = {CKM_ECDSA, nullptr, 0};
  for (auto _ : state) {
    unsigned char raw[132];
    CK_ULONG size = sizeof raw;
    if (f->C_SignInit(session, &mechanism, key) != CKR_OK ||
        f->C_Sign(session, reinterpret_cast<unsigned char*>(digest.data()), digest.size(), raw,
                  &size) != CKR_OK) {
      state.SkipWithError("C_Sign");
      break;
    }
  }
  f->C_CloseSession(session);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawCSign)
    ->ArgName("session_copy")
    ->Arg(0)
    ->Arg(1)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

}  // namespace
}  // namespace einvoice::bench
