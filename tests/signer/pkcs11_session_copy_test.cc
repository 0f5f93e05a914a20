// Pkcs11Signer's per-session key copies (Pkcs11SignerOptions::session_key_copies): each
// session signs with its own session-object copy of a key, made once, non-extractable, gone
// with the session; a token that will not copy a key still signs with the token object.
//
// Two ways of looking: SoftHSM2 directly (session objects are visible to every session of the
// process, so the test counts them with C_FindObjects(CKA_TOKEN=FALSE)), and through
// einvoice_pkcs11_shim (tests/signer/support/pkcs11_shim.h), which counts C_CopyObject /
// C_SignInit calls per session and injects C_CopyObject failures.
// Each TEST runs in its own process (einvoice_test), so each gets a fresh SOFTHSM2_CONF.
#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "signer/digest.h"
#include "signer/pkcs11_module.h"
#include "signer/pkcs11_signer.h"
#include "signer/signature_verifier.h"
#include "tests/signer/support/pkcs11_shim.h"
#include "tests/signer/support/softhsm_token.h"
#include "tests/testing/leak_check.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::Pkcs11ShimState;
using ::einvoice::testing::SoftHsmToken;
using ::einvoice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// A private key session object (a copy) as seen from another session.
struct SessionKey {
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  std::string id;  // CKA_ID, inherited from the token key
  CK_BBOOL sensitive = CK_FALSE;
  CK_BBOOL extractable = CK_TRUE;
  CK_RV secret_rv = CKR_OK;  // C_GetAttributeValue of the secret (CKA_VALUE / RSA exponent)
};

// Opens a session on the token and logs in (never logs out: login state is shared with the
// signer's sessions in this process).
CK_SESSION_HANDLE OpenUserSession(CK_FUNCTION_LIST* f, const SoftHsmToken& token) {
  absl::StatusOr<CK_SLOT_ID> slot = FindSlotByTokenLabel(f, token.label());
  EXPECT_OK(slot);
  if (!slot.ok()) return CK_INVALID_HANDLE;
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  EXPECT_EQ(
      f->C_OpenSession(*slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session),
      CKR_OK);
  std::string pin = token.user_pin();
  CK_RV rv = f->C_Login(session, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()), pin.size());
  EXPECT_TRUE(rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) << CkrName(rv);
  return session;
}

// Every private key session object in the process (the signer's copies), with its flags.
std::vector<SessionKey> SessionKeys(CK_FUNCTION_LIST* f, const SoftHsmToken& token) {
  CK_SESSION_HANDLE session = OpenUserSession(f, token);
  CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
  CK_BBOOL no = CK_FALSE;
  CK_ATTRIBUTE find[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_TOKEN, &no, sizeof(no)}};
  std::vector<SessionKey> keys;
  EXPECT_EQ(f->C_FindObjectsInit(session, find, 2), CKR_OK);
  for (;;) {
    CK_OBJECT_HANDLE batch[16];
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_FindObjects(session, batch, 16, &n), CKR_OK);
    if (n == 0) break;
    for (CK_ULONG i = 0; i < n; ++i) {
      keys.emplace_back();
      keys.back().handle = batch[i];
    }
  }
  EXPECT_EQ(f->C_FindObjectsFinal(session), CKR_OK);
  for (SessionKey& key : keys) {
    char id[64];
    CK_ATTRIBUTE attributes[] = {
        {CKA_ID, id, sizeof(id)},
        {CKA_SENSITIVE, &key.sensitive, sizeof(key.sensitive)},
        {CKA_EXTRACTABLE, &key.extractable, sizeof(key.extractable)},
    };
    EXPECT_EQ(f->C_GetAttributeValue(session, key.handle, attributes, 3), CKR_OK);
    key.id.assign(id, attributes[0].ulValueLen);
    CK_KEY_TYPE type = 0;
    CK_ATTRIBUTE type_attribute = {CKA_KEY_TYPE, &type, sizeof(type)};
    EXPECT_EQ(f->C_GetAttributeValue(session, key.handle, &type_attribute, 1), CKR_OK);
    unsigned char secret[1024];
    CK_ATTRIBUTE secret_attribute = {type == CKK_RSA ? CKA_PRIVATE_EXPONENT : CKA_VALUE, secret,
                                     sizeof(secret)};
    key.secret_rv = f->C_GetAttributeValue(session, key.handle, &secret_attribute, 1);
  }
  (void)f->C_CloseSession(session);
  return keys;
}

// The CKA_IDs of `keys`, for matching.
std::vector<std::string> Ids(const std::vector<SessionKey>& keys) {
  std::vector<std::string> ids;
  for (const SessionKey& key : keys) ids.push_back(key.id);
  return ids;
}

void ExpectSignsAndVerifies(Pkcs11Signer& signer, const PublicKey& key, const std::string& data) {
  absl::StatusOr<std::string> sig = signer.Sign(key.key_id, data);
  ASSERT_OK(sig) << KeyAlgorithmName(key.algorithm);
  ASSERT_OK_AND_ASSIGN(bool ok, VerifySignature(key.algorithm, key.public_key_der, data, *sig));
  EXPECT_TRUE(ok) << KeyAlgorithmName(key.algorithm) << " " << data;
}

// Signs `per_thread` times from each of `threads` threads, with the key pick(thread, i);
// returns how many signatures failed or did not verify.
int SignFromThreads(Pkcs11Signer& signer, int threads, int per_thread,
                    const std::function<const PublicKey&(int, int)>& pick) {
  std::atomic<int> bad{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        const PublicKey& key = pick(t, i);
        const std::string data = absl::StrCat(t, "/", i);
        absl::StatusOr<std::string> sig = signer.Sign(key.key_id, data);
        if (!sig.ok() ||
            !VerifySignature(key.algorithm, key.public_key_der, data, *sig).value_or(false)) {
          ++bad;
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return bad.load();
}

bool ModuleHasEd25519(CK_FUNCTION_LIST* f, const SoftHsmToken& token) {
  absl::StatusOr<CK_SLOT_ID> slot = FindSlotByTokenLabel(f, token.label());
  if (!slot.ok()) return false;
  CK_ULONG count = 0;
  if (f->C_GetMechanismList(*slot, nullptr, &count) != CKR_OK) return false;
  std::vector<CK_MECHANISM_TYPE> mechanisms(count);
  if (f->C_GetMechanismList(*slot, mechanisms.data(), &count) != CKR_OK) return false;
  return std::count(mechanisms.begin(), mechanisms.end(), CKM_EDDSA) == 1 &&
         std::count(mechanisms.begin(), mechanisms.end(), CKM_EC_EDWARDS_KEY_PAIR_GEN) == 1;
}

class SessionCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(token_, SoftHsmToken::Create("einvoice-test", "1234", "5678"));
  }

  // A signer on SoftHSM directly; `module_` keeps the module loaded for the raw checks.
  std::unique_ptr<Pkcs11Signer> Open(size_t sessions, bool copies = true) {
    Pkcs11SignerOptions options = token_->options();
    options.sessions = sessions;
    options.session_key_copies = copies;
    absl::StatusOr<std::unique_ptr<Pkcs11Signer>> signer = Pkcs11Signer::Open(options);
    EXPECT_OK(signer);
    absl::StatusOr<std::shared_ptr<Pkcs11Module>> module = Pkcs11Module::Load(options.module_path);
    EXPECT_OK(module);
    if (module.ok()) module_ = *module;
    return signer.ok() ? *std::move(signer) : nullptr;
  }

  CK_FUNCTION_LIST* f() const { return module_->functions(); }

  std::unique_ptr<SoftHsmToken> token_;
  std::shared_ptr<Pkcs11Module> module_;
};

// EC, RSA and (where supported) Ed25519: signatures made through the copies verify; one
// session signing each key many times makes exactly one copy per key; the copies are as
// non-extractable as the token keys; they are not listed as keys; they die with the signer.
TEST_F(SessionCopyTest, EachKeyIsCopiedOncePerSessionAndSignaturesVerify) {
  testing::ScopedLeakCheckOff softhsm_eddsa_leak;  // see tests/testing/leak_check.h
  auto signer = Open(/*sessions=*/4);
  ASSERT_NE(signer, nullptr);
  std::vector<KeyAlgorithm> algorithms = {KeyAlgorithm::kEcdsaP256Sha256,
                                          KeyAlgorithm::kRsa3072Sha256};
  if (ModuleHasEd25519(f(), *token_)) algorithms.push_back(KeyAlgorithm::kEd25519);
  std::vector<PublicKey> keys;
  std::vector<std::string> ids;
  for (KeyAlgorithm algorithm : algorithms) {
    ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(algorithm));
    ids.push_back(Sha256(key.public_key_der));  // the CKA_ID GenerateKey sets
    keys.push_back(std::move(key));
  }
  EXPECT_TRUE(SessionKeys(f(), *token_).empty()) << "no copy before the first signature";

  // One thread: the pool only ever opens one session.
  for (int i = 0; i < 5; ++i) {
    for (const PublicKey& key : keys) ExpectSignsAndVerifies(*signer, key, absl::StrCat("r", i));
  }
  std::vector<SessionKey> copies = SessionKeys(f(), *token_);
  std::vector<std::string> copied_ids = Ids(copies);
  std::sort(copied_ids.begin(), copied_ids.end());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(copied_ids, ids) << "exactly one copy of each key";
  for (const SessionKey& copy : copies) {
    EXPECT_EQ(copy.sensitive, CK_TRUE);
    EXPECT_EQ(copy.extractable, CK_FALSE);
    EXPECT_EQ(CkrName(copy.secret_rv), CkrName(CKR_ATTRIBUTE_SENSITIVE));
  }

  // The copies are not keys of their own.
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> listed, signer->ListKeys());
  EXPECT_EQ(listed.size(), keys.size());
  // A signer opened afterwards (finding keys by CKA_ID, without a listing) finds the token
  // keys, not the first signer's copies, and makes copies of its own.
  {
    Pkcs11SignerOptions options = token_->options();
    ASSERT_OK_AND_ASSIGN(auto second, Pkcs11Signer::Open(options));
    for (const PublicKey& key : keys) ExpectSignsAndVerifies(*second, key, "second signer");
    ASSERT_OK_AND_ASSIGN(listed, second->ListKeys());
    EXPECT_EQ(listed.size(), keys.size());
    EXPECT_EQ(SessionKeys(f(), *token_).size(), 2 * keys.size());
  }
  EXPECT_EQ(SessionKeys(f(), *token_).size(), keys.size()) << "the second signer's copies died";

  signer.reset();
  EXPECT_TRUE(SessionKeys(f(), *token_).empty()) << "copies outlived their sessions";
}

// Many threads, few sessions: never more than one copy per (session, key), and every
// signature verifies.
TEST_F(SessionCopyTest, ConcurrentSigningMakesAtMostOneCopyPerSessionAndKey) {
  constexpr size_t kSessions = 3;
  auto signer = Open(kSessions);
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey a, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ASSERT_OK_AND_ASSIGN(PublicKey b, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  EXPECT_EQ(SignFromThreads(*signer, 6, 40,
                            [&](int t, int i) -> const PublicKey& {
                              return (i + t) % 2 == 0 ? a : b;
                            }),
            0);
  std::vector<std::string> ids = Ids(SessionKeys(f(), *token_));
  for (const PublicKey* key : {&a, &b}) {
    const auto copies = std::count(ids.begin(), ids.end(), Sha256(key->public_key_der));
    EXPECT_GE(copies, 1);
    EXPECT_LE(copies, static_cast<long>(kSessions));
  }
  EXPECT_LE(ids.size(), 2 * kSessions);
}

TEST_F(SessionCopyTest, CopiesOffSignsWithTheTokenObject) {
  auto signer = Open(/*sessions=*/2, /*copies=*/false);
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  for (int i = 0; i < 3; ++i) ExpectSignsAndVerifies(*signer, key, absl::StrCat(i));
  EXPECT_TRUE(SessionKeys(f(), *token_).empty());
}

// A key made with CKA_COPYABLE=FALSE (SoftHSM answers C_CopyObject with
// CKR_ACTION_PROHIBITED): signed with the token object, no copy, no failure; a copyable key
// next to it is still copied.
TEST_F(SessionCopyTest, KeyTheTokenWillNotCopyStillSigns) {
  auto signer = Open(/*sessions=*/2);
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey copyable, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  {
    CK_SESSION_HANDLE session = OpenUserSession(f(), *token_);
    unsigned char params[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    char id[] = "not-copyable";
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, nullptr, 0};
    CK_ATTRIBUTE pub[] = {{CKA_TOKEN, &yes, sizeof(yes)},
                          {CKA_VERIFY, &yes, sizeof(yes)},
                          {CKA_EC_PARAMS, params, sizeof(params)},
                          {CKA_ID, id, sizeof(id) - 1}};
    CK_ATTRIBUTE priv[] = {{CKA_TOKEN, &yes, sizeof(yes)},     {CKA_PRIVATE, &yes, sizeof(yes)},
                           {CKA_SENSITIVE, &yes, sizeof(yes)}, {CKA_EXTRACTABLE, &no, sizeof(no)},
                           {CKA_SIGN, &yes, sizeof(yes)},      {CKA_COPYABLE, &no, sizeof(no)},
                           {CKA_ID, id, sizeof(id) - 1}};
    CK_OBJECT_HANDLE pub_handle, priv_handle;
    ASSERT_EQ(
        f()->C_GenerateKeyPair(session, &mechanism, pub, 4, priv, 7, &pub_handle, &priv_handle),
        CKR_OK);
    // The premise: this SoftHSM honours CKA_COPYABLE.
    CK_ATTRIBUTE session_object[] = {{CKA_TOKEN, &no, sizeof(no)}};
    CK_OBJECT_HANDLE copy;
    ASSERT_EQ(CkrName(f()->C_CopyObject(session, priv_handle, session_object, 1, &copy)),
              CkrName(CKR_ACTION_PROHIBITED));
    (void)f()->C_CloseSession(session);
  }
  ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> keys, signer->ListKeys());
  ASSERT_EQ(keys.size(), 2u);
  const PublicKey& not_copyable = keys[0].key_id == copyable.key_id ? keys[1] : keys[0];

  for (int i = 0; i < 4; ++i) {
    ExpectSignsAndVerifies(*signer, not_copyable, absl::StrCat("token object ", i));
    ExpectSignsAndVerifies(*signer, copyable, absl::StrCat("copy ", i));
  }
  EXPECT_THAT(Ids(SessionKeys(f(), *token_)),
              UnorderedElementsAre(Sha256(copyable.public_key_der)));
}

// A copy destroyed behind the signer's back (its handle goes stale): the signer drops it,
// makes a new one and the signature still succeeds.
TEST_F(SessionCopyTest, StaleCopyIsDroppedAndMadeAgain) {
  auto signer = Open(/*sessions=*/1);
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ExpectSignsAndVerifies(*signer, key, "first");
  std::vector<SessionKey> copies = SessionKeys(f(), *token_);
  ASSERT_EQ(copies.size(), 1u);
  {
    CK_SESSION_HANDLE session = OpenUserSession(f(), *token_);
    ASSERT_EQ(f()->C_DestroyObject(session, copies[0].handle), CKR_OK);
    (void)f()->C_CloseSession(session);
  }
  ASSERT_TRUE(SessionKeys(f(), *token_).empty());
  ExpectSignsAndVerifies(*signer, key, "after the copy vanished");
  ExpectSignsAndVerifies(*signer, key, "and again");
  std::vector<SessionKey> again = SessionKeys(f(), *token_);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_NE(again[0].handle, copies[0].handle);
}

// --- Through the counting, fault-injecting shim module ---

class ShimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(token_, SoftHsmToken::Create("einvoice-test", "1234", "5678"));
    // The same path as the signer's, so the same library instance (and state).
    void* handle = dlopen(EINVOICE_PKCS11_SHIM_PATH, RTLD_NOW | RTLD_NODELETE);
    ASSERT_NE(handle, nullptr) << dlerror();
    auto state = reinterpret_cast<testing::Pkcs11ShimStateFn>(
        dlsym(handle, testing::kPkcs11ShimStateSymbol));
    ASSERT_NE(state, nullptr) << dlerror();
    shim_ = state();
    ASSERT_NE(shim_->real, nullptr) << "the shim could not load SoftHSM";
    shim_->ResetFaults();  // whatever an earlier test in this process injected
    shim_->ResetCounters();
  }

  void TearDown() override {
    if (shim_ != nullptr) shim_->ResetFaults();
  }

  std::unique_ptr<Pkcs11Signer> Open(size_t sessions) {
    Pkcs11SignerOptions options = token_->options();
    options.module_path = EINVOICE_PKCS11_SHIM_PATH;
    options.sessions = sessions;
    absl::StatusOr<std::unique_ptr<Pkcs11Signer>> signer = Pkcs11Signer::Open(options);
    EXPECT_OK(signer);
    return signer.ok() ? *std::move(signer) : nullptr;
  }

  std::unique_ptr<SoftHsmToken> token_;
  Pkcs11ShimState* shim_ = nullptr;
};

// Exactly one C_CopyObject per (session, key), every signature made with a copy.
TEST_F(ShimTest, ExactlyOneCopyPerSessionAndKey) {
  auto signer = Open(/*sessions=*/4);
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey a, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ASSERT_OK_AND_ASSIGN(PublicKey b, signer->GenerateKey(KeyAlgorithm::kRsa3072Sha256));
  shim_->ResetCounters();

  // One thread: one session, so one copy per key however many signatures.
  for (int i = 0; i < 10; ++i) {
    ExpectSignsAndVerifies(*signer, a, absl::StrCat(i));
    ExpectSignsAndVerifies(*signer, b, absl::StrCat(i));
  }
  EXPECT_EQ(shim_->sessions_opened.load(), 0);  // Open() made the only one
  EXPECT_EQ(shim_->copy_calls.load(), 2);
  EXPECT_EQ(shim_->copies_made.load(), 2);
  EXPECT_EQ(shim_->sign_inits.load(), 20);
  EXPECT_EQ(shim_->sign_inits_with_copy.load(), 20);

  // Eight threads on four sessions.
  constexpr int kThreads = 8;
  constexpr int kPerThread = 30;
  EXPECT_EQ(SignFromThreads(*signer, kThreads, kPerThread,
                            [&](int t, int i) -> const PublicKey& {
                              return (i + t) % 3 == 0 ? b : a;
                            }),
            0);
  EXPECT_EQ(shim_->duplicate_copies.load(), 0) << "a key was copied twice on one session";
  EXPECT_EQ(shim_->copies_made.load(), shim_->copy_calls.load());
  EXPECT_LE(shim_->copies_made.load(), 2 * (1 + shim_->sessions_opened.load()));
  EXPECT_LE(shim_->sessions_opened.load(), 3);
  EXPECT_EQ(shim_->sessions_closed.load(), 0);
  EXPECT_EQ(shim_->sign_inits.load(), 20 + kThreads * kPerThread);
  EXPECT_EQ(shim_->sign_inits_with_copy.load(), shim_->sign_inits.load());
  EXPECT_EQ(shim_->sign_inits_failed.load(), 0);
  EXPECT_EQ(shim_->copies_of_session_objects.load(), 0);
}

// A second signer in the process sees the first one's copies in object searches (session
// objects are visible to every session of the application); it must find and copy the token
// keys, never those copies, whether it lists the keys or looks one up by id.
TEST_F(ShimTest, OnlyTokenKeysAreFoundAndCopied) {
  auto first = Open(/*sessions=*/2);
  ASSERT_NE(first, nullptr);
  std::vector<PublicKey> keys;
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(PublicKey key, first->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
    ExpectSignsAndVerifies(*first, key, "first");
    keys.push_back(std::move(key));
  }
  shim_->ResetCounters();
  shim_->session_objects_first = true;  // the copies come first in every search
  {
    auto by_id = Open(/*sessions=*/1);  // finds each key by CKA_ID
    ASSERT_NE(by_id, nullptr);
    for (const PublicKey& key : keys) ExpectSignsAndVerifies(*by_id, key, "by id");
  }
  {
    auto listing = Open(/*sessions=*/1);
    ASSERT_NE(listing, nullptr);
    ASSERT_OK_AND_ASSIGN(std::vector<PublicKey> listed, listing->ListKeys());
    EXPECT_EQ(listed.size(), keys.size());
    for (const PublicKey& key : keys) ExpectSignsAndVerifies(*listing, key, "listed");
  }
  EXPECT_EQ(shim_->copies_made.load(), 2 * static_cast<int64_t>(keys.size()));
  EXPECT_EQ(shim_->copies_of_session_objects.load(), 0);
}

// Tokens that decline to copy (non-outage codes): every signature still succeeds with the
// token object, and the copy is asked for once per key, not on every Sign() nor on every new
// session.
class RefusedCopyTest : public ShimTest, public ::testing::WithParamInterface<CK_RV> {};

TEST_P(RefusedCopyTest, SignsWithTheTokenObjectAndDoesNotAskAgain) {
  auto signer = Open(/*sessions=*/4);
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey a, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ASSERT_OK_AND_ASSIGN(PublicKey b, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  shim_->ResetCounters();
  shim_->copy_result = GetParam();
  shim_->copy_result_times = -1;

  for (int i = 0; i < 10; ++i) ExpectSignsAndVerifies(*signer, a, absl::StrCat(i));
  EXPECT_EQ(shim_->copy_calls.load(), 1);
  ExpectSignsAndVerifies(*signer, b, "b");
  EXPECT_EQ(shim_->copy_calls.load(), 2) << "refusals are per key";

  // New sessions do not ask again either.
  EXPECT_EQ(SignFromThreads(*signer, 6, 20,
                            [&](int, int i) -> const PublicKey& { return i % 2 == 0 ? a : b; }),
            0);
  EXPECT_EQ(shim_->copy_calls.load(), 2);
  EXPECT_EQ(shim_->copies_made.load(), 0);
  EXPECT_EQ(shim_->sign_inits_with_copy.load(), 0);
  EXPECT_EQ(shim_->sessions_closed.load(), 0) << "a refusal is not an outage";
}

INSTANTIATE_TEST_SUITE_P(Codes, RefusedCopyTest,
                         ::testing::Values(CKR_ACTION_PROHIBITED, CKR_FUNCTION_NOT_SUPPORTED,
                                           CKR_TEMPLATE_INCONSISTENT, CKR_ATTRIBUTE_READ_ONLY,
                                           CKR_ATTRIBUTE_VALUE_INVALID),
                         [](const ::testing::TestParamInfo<CK_RV>& info) {
                           return CkrName(info.param).substr(4);  // without "CKR_"
                         });

// An outage code from C_CopyObject is an outage: UNAVAILABLE naming the call, the session is
// discarded; the next Sign() opens a new session, copies the key there and succeeds.
TEST_F(ShimTest, OutageDuringCopyIsUnavailableThenRecovers) {
  auto signer = Open(/*sessions=*/2);
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  shim_->ResetCounters();
  shim_->copy_result = CKR_DEVICE_ERROR;
  shim_->copy_result_times = 1;

  EXPECT_THAT(signer->Sign(key.key_id, "during"),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("C_CopyObject(CKA_TOKEN=FALSE): CKR_DEVICE_ERROR")));
  EXPECT_EQ(shim_->sessions_closed.load(), 1) << "the session that saw the outage is discarded";
  EXPECT_EQ(shim_->sign_inits.load(), 0);

  ExpectSignsAndVerifies(*signer, key, "after");
  ExpectSignsAndVerifies(*signer, key, "after, again");
  EXPECT_EQ(shim_->sessions_opened.load(), 1);
  EXPECT_EQ(shim_->copy_calls.load(), 2);
  EXPECT_EQ(shim_->copies_made.load(), 1) << "an outage is not remembered as a refusal";
  EXPECT_EQ(shim_->sign_inits_with_copy.load(), 2);
  EXPECT_EQ(shim_->sign_inits_failed.load(), 0);
}

// Sessions discarded for an outage take their copies with them: the new session copies the
// key again instead of trying a copy handle that belonged to the old one.
TEST_F(ShimTest, CopiesAreForgottenWithTheirSessions) {
  auto signer = Open(/*sessions=*/1);
  ASSERT_NE(signer, nullptr);
  ASSERT_OK_AND_ASSIGN(PublicKey key, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ASSERT_OK_AND_ASSIGN(PublicKey other, signer->GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
  ExpectSignsAndVerifies(*signer, key, "before");  // the session now holds a copy of `key`
  shim_->ResetCounters();
  // An outage on that session (while copying the other key) discards it.
  shim_->copy_result = CKR_DEVICE_REMOVED;
  shim_->copy_result_times = 1;
  EXPECT_THAT(signer->Sign(other.key_id, "outage"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(shim_->sessions_closed.load(), 1);

  ExpectSignsAndVerifies(*signer, key, "after");
  EXPECT_EQ(shim_->sessions_opened.load(), 1);
  EXPECT_EQ(shim_->copies_made.load(), 1) << "`key` is copied again on the new session";
  EXPECT_EQ(shim_->sign_inits_failed.load(), 0) << "an old session's copy handle was tried";
  EXPECT_EQ(shim_->sign_inits_with_copy.load(), 1);
}

}  // namespace
}  // namespace einvoice
