// The parsed-certificate cache (xml/certificate_cache.h): it is bounded and evicts, it gives
// the same answers as parsing every time — seller-signature results (violations and their
// messages included) and coded-XML bytes — it is used from many threads at once, and caching a
// certificate never skips a check (validity at SigningTime, MST in the subject, registration).
#include "xml/certificate_cache.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "signer/certificate_builder.h"
#include "signer/signer.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/signer/support/fake_signer.h"
#include "tests/testing/status_matchers.h"
#include "tests/xml/support/seller_signing.h"
#include "tests/xml/support/test_pki.h"
#include "xml/coded_invoice.h"
#include "xml/safe_xml.h"
#include "xml/seller_signature.h"
#include "xml/x509_util.h"
#include "xml/xml_verifier.h"
#include "rules/signature_violations.h"
#include "xml/xmldsig.h"

namespace einvoice {

void PrintTo(const Violation& v, std::ostream* os) { *os << DebugString(v); }

namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::FakeSigner;
using ::einvoice::testing::SellerSignOptions;
using ::einvoice::testing::SignedInvoiceXml;
using ::einvoice::testing::StatusIs;
using ::einvoice::testing::TestCa;
using ::einvoice::testing::TestCredential;
using ::einvoice::testing::TestKeyType;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using x509::CertificateCache;
using x509::DefaultCertificateCache;
using x509::ParsedCertificate;

constexpr char kCode[] = "00FE2FCA280CF74806BE839368A7C4AE25";

MATCHER_P(Violates, type, "") { return arg.code == type.code && arg.rule == type.rule; }

absl::Time Vn(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::FixedTimeZone(7 * 3600));
}

// "Now" for the seller-signature checks: two days after the baseline's issue date (2026-11-20).
const absl::Time kNow = Vn(2026, 11, 22, 9, 0);

// Restores the process-wide cache (capacity, contents) when a test is done with it.
class DefaultCacheGuard {
 public:
  DefaultCacheGuard() : capacity_(DefaultCertificateCache().capacity()) {
    DefaultCertificateCache().Clear();
  }
  ~DefaultCacheGuard() {
    DefaultCertificateCache().Clear();
    DefaultCertificateCache().SetCapacity(capacity_);
  }

 private:
  size_t capacity_;
};

// Everything a caller can see of a SellerSignatureResult, for comparisons.
std::string Describe(const SellerSignatureResult& r) {
  std::string out = absl::StrCat("method=", r.signature_method, " time=",
                                 r.signing_time.has_value() ? absl::FormatTime(*r.signing_time)
                                                            : "none",
                                 " cert=", r.certificate_der.size(), ":",
                                 absl::BytesToHexString(r.certificate_der).substr(0, 64),
                                 " subject=", r.certificate_subject, "\n");
  for (const Violation& v : r.violations) {
    absl::StrAppend(&out, v.code, "|", v.rule, "|", v.field, "|", v.message_vi, "|", v.message_en,
                    "\n");
  }
  return out;
}

// A Signer that answers the same data with the same signature (ECDSA is randomised; this makes
// coded-XML bytes comparable between two runs). Delegates to a FakeSigner.
class MemoSigner final : public Signer {
 public:
  explicit MemoSigner(Signer& inner) : inner_(inner) {}
  absl::StatusOr<std::vector<PublicKey>> ListKeys() override { return inner_.ListKeys(); }
  absl::StatusOr<PublicKey> GenerateKey(KeyAlgorithm algorithm) override {
    return inner_.GenerateKey(algorithm);
  }
  absl::StatusOr<std::string> Sign(absl::string_view key_id, absl::string_view data) override {
    const std::string memo_key = absl::StrCat(key_id, "\n", data);
    {
      absl::MutexLock lock(&mu_);
      if (auto it = memo_.find(memo_key); it != memo_.end()) return it->second;
    }
    absl::StatusOr<std::string> signature = inner_.Sign(key_id, data);
    if (!signature.ok()) return signature;
    absl::MutexLock lock(&mu_);
    return memo_.emplace(memo_key, *signature).first->second;
  }

 private:
  Signer& inner_;
  absl::Mutex mu_;
  std::map<std::string, std::string> memo_ ABSL_GUARDED_BY(mu_);
};

class CertificateCacheTest : public ::testing::Test {
 protected:
  TestCredential Issue(absl::string_view tax_code, TestKeyType type = TestKeyType::kEcP256,
                       absl::Time not_before = Vn(2026, 1, 1),
                       absl::Time not_after = Vn(2028, 1, 1)) {
    return ca_.IssueSellerCertificate(tax_code, not_before, not_after, type);
  }
  std::string Sign(const TestCredential& c, const SellerSignOptions& options = {}) {
    absl::StatusOr<std::string> xml = SignedInvoiceXml(BaselineInvoice(), c, options);
    EXPECT_OK(xml);
    return xml.ok() ? *xml : "";
  }

  TestCa ca_;
};

// --- the cache itself ------------------------------------------------------------------------

TEST_F(CertificateCacheTest, SameInformationAsParsingAndParsedOnce) {
  const TestCredential seller = Issue(BaselineSellerTaxCode(), TestKeyType::kRsa2048);
  CertificateCache cache(4);
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const ParsedCertificate> first,
                       cache.Get(seller.certificate_der));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const ParsedCertificate> second,
                       cache.Get(seller.certificate_der));
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.size(), 1u);

  ASSERT_OK_AND_ASSIGN(x509::CertificateInfo direct, x509::ReadCertificate(seller.certificate_der));
  const x509::CertificateInfo& cached = first->info();
  EXPECT_EQ(cached.not_before, direct.not_before);
  EXPECT_EQ(cached.not_after, direct.not_after);
  EXPECT_EQ(cached.subject, direct.subject);
  EXPECT_EQ(cached.subject_values, direct.subject_values);
  EXPECT_EQ(cached.public_key_der, direct.public_key_der);
  EXPECT_EQ(cached.key_type, direct.key_type);
  EXPECT_EQ(first->der(), seller.certificate_der);
  EXPECT_NE(first->x509(), nullptr);
}

TEST_F(CertificateCacheTest, BoundedLeastRecentlyUsedEvicted) {
  const TestCredential a = Issue(BaselineSellerTaxCode());
  const TestCredential b = Issue(BaselineSellerTaxCode());
  const TestCredential c = Issue(BaselineSellerTaxCode());
  CertificateCache cache(2);
  ASSERT_OK_AND_ASSIGN(auto held_a, cache.Get(a.certificate_der));
  ASSERT_OK(cache.Get(b.certificate_der));
  ASSERT_OK(cache.Get(a.certificate_der));  // a is now the most recently used
  EXPECT_EQ(cache.hits(), 1u);
  ASSERT_OK(cache.Get(c.certificate_der));  // evicts b
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.evictions(), 1u);

  const uint64_t misses = cache.misses();
  ASSERT_OK(cache.Get(a.certificate_der));
  ASSERT_OK(cache.Get(c.certificate_der));
  EXPECT_EQ(cache.misses(), misses);  // both still cached
  ASSERT_OK(cache.Get(b.certificate_der));
  EXPECT_EQ(cache.misses(), misses + 1);  // b had gone
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.evictions(), 2u);
  // An evicted entry a caller still holds stays usable.
  EXPECT_EQ(held_a->der(), a.certificate_der);
}

TEST_F(CertificateCacheTest, ShrinkingAndCapacityZero) {
  const TestCredential a = Issue(BaselineSellerTaxCode());
  const TestCredential b = Issue(BaselineSellerTaxCode());
  CertificateCache cache(8);
  ASSERT_OK(cache.Get(a.certificate_der));
  ASSERT_OK(cache.Get(b.certificate_der));
  cache.SetCapacity(1);
  EXPECT_EQ(cache.size(), 1u);
  cache.SetCapacity(0);
  EXPECT_EQ(cache.size(), 0u);
  ASSERT_OK_AND_ASSIGN(auto p1, cache.Get(a.certificate_der));
  ASSERT_OK_AND_ASSIGN(auto p2, cache.Get(a.certificate_der));
  EXPECT_NE(p1.get(), p2.get());  // parsed every time
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.hits(), 0u);
}

TEST_F(CertificateCacheTest, FailuresAreNotCached) {
  CertificateCache cache(8);
  EXPECT_THAT(cache.Get("not a certificate"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(cache.Get("not a certificate"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.misses(), 2u);
  // Same error as the uncached reader; trailing bytes are refused as well.
  const TestCredential a = Issue(BaselineSellerTaxCode());
  EXPECT_EQ(cache.Get("not a certificate").status(),
            x509::ReadCertificate("not a certificate").status());
  EXPECT_THAT(cache.Get(a.certificate_der + "x"), StatusIs(absl::StatusCode::kInvalidArgument));
}

// --- seller signatures: same answers with and without the cache ------------------------------

TEST_F(CertificateCacheTest, SellerSignatureResultsIdenticalWithAndWithoutCache) {
  DefaultCacheGuard guard;
  const std::string other_tax_code = testing::SyntheticTaxCode(777001);
  const TestCredential rsa = Issue(BaselineSellerTaxCode(), TestKeyType::kRsa2048);
  const TestCredential ec = Issue(BaselineSellerTaxCode(), TestKeyType::kEcP256);
  const TestCredential expired =
      Issue(BaselineSellerTaxCode(), TestKeyType::kEcP256, Vn(2025, 1, 1), Vn(2026, 6, 1));
  const TestCredential not_yet =
      Issue(BaselineSellerTaxCode(), TestKeyType::kRsa2048, Vn(2026, 11, 21), Vn(2028, 1, 1));
  const TestCredential other = Issue(other_tax_code, TestKeyType::kEcP256);
  SellerSignOptions sha1;
  sha1.rsa_sha1 = true;

  std::string tampered = Sign(rsa);
  const size_t at = tampered.find("<THHDVu>");
  ASSERT_NE(at, std::string::npos);
  tampered.insert(at + 8, "X");

  struct Case {
    std::string name;
    std::string xml;
    std::vector<std::string> registered;
    SellerSignatureOptions options;
  };
  SellerSignatureOptions no_sha1;
  no_sha1.allow_rsa_sha1 = false;
  SellerSignatureOptions offline;
  offline.require_registered_certificate = false;
  const std::vector<Case> cases = {
      {"rsa", Sign(rsa), {rsa.certificate_der}, {}},
      {"ec", Sign(ec), {ec.certificate_der, rsa.certificate_der}, {}},
      {"rsa_sha1", Sign(rsa, sha1), {rsa.certificate_der}, {}},
      {"rsa_sha1_refused", Sign(rsa, sha1), {rsa.certificate_der}, no_sha1},
      {"tampered", tampered, {rsa.certificate_der}, {}},
      {"expired_at_signing", Sign(expired), {expired.certificate_der}, {}},
      {"not_yet_valid_at_signing", Sign(not_yet), {not_yet.certificate_der}, {}},
      {"other_tax_code", Sign(other), {other.certificate_der}, {}},
      {"not_registered", Sign(ec), {rsa.certificate_der}, {}},
      {"offline", Sign(ec), {}, offline},
  };

  DefaultCertificateCache().SetCapacity(0);
  std::vector<std::string> uncached;
  for (const Case& c : cases) {
    uncached.push_back(Describe(VerifySellerSignature(c.xml, c.registered, kNow, c.options)));
  }
  EXPECT_EQ(DefaultCertificateCache().size(), 0u);

  DefaultCertificateCache().SetCapacity(CertificateCache::kDefaultCapacity);
  for (int round = 0; round < 2; ++round) {  // cold, then warm
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      EXPECT_EQ(Describe(VerifySellerSignature(c.xml, c.registered, kNow, c.options)), uncached[i])
          << c.name << " round " << round;
    }
  }
  EXPECT_GT(DefaultCertificateCache().hits(), 0u);
  // Sanity: the cases do say what their names say.
  auto lines = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
  EXPECT_EQ(lines(uncached[0]), 1) << uncached[0];  // no violation
  EXPECT_EQ(lines(uncached[1]), 1) << uncached[1];
  auto has = [](const ViolationType& type) { return ::testing::HasSubstr(std::string(type.code)); };
  EXPECT_THAT(uncached[3], has(kSellerSignatureAlgorithm));
  EXPECT_THAT(uncached[4], has(kSellerSignatureInvalid));
  EXPECT_THAT(uncached[5], has(kSellerCertificateNotValidAtSigning));
  EXPECT_THAT(uncached[6], has(kSellerCertificateNotValidAtSigning));
  EXPECT_THAT(uncached[7], has(kSellerCertificateTaxCode));
  EXPECT_THAT(uncached[8], has(kSellerCertificateNotRegistered));
}

// Only registered certificates go into the cache: a submitter cannot fill it.
TEST_F(CertificateCacheTest, UnregisteredCertificatesAreNotCached) {
  DefaultCacheGuard guard;
  const TestCredential registered = Issue(BaselineSellerTaxCode());
  const TestCredential stranger = Issue(BaselineSellerTaxCode());
  const std::vector<std::string> certs = {registered.certificate_der};
  const SellerSignatureResult result = VerifySellerSignature(Sign(stranger), certs, kNow);
  EXPECT_THAT(result.violations, ElementsAre(Violates(kSellerCertificateNotRegistered)));
  EXPECT_EQ(DefaultCertificateCache().size(), 0u);
  EXPECT_THAT(VerifySellerSignature(Sign(registered), certs, kNow).violations, IsEmpty());
  EXPECT_EQ(DefaultCertificateCache().size(), 1u);
}

// A cached certificate is checked against each request's SigningTime: valid for one signature,
// not valid for the next one signed after it expired.
TEST_F(CertificateCacheTest, CachedCertificateStillCheckedAtEachSigningTime) {
  DefaultCacheGuard guard;
  const TestCredential seller = Issue(BaselineSellerTaxCode(), TestKeyType::kEcP256,
                                      Vn(2026, 1, 1), Vn(2026, 11, 21));
  const std::vector<std::string> certs = {seller.certificate_der};
  SellerSignOptions in_time;
  in_time.signing_time = Vn(2026, 11, 20, 10, 0);
  SellerSignOptions too_late;
  too_late.signing_time = Vn(2026, 11, 21, 12, 0);

  EXPECT_THAT(VerifySellerSignature(Sign(seller, in_time), certs, kNow).violations, IsEmpty());
  ASSERT_EQ(DefaultCertificateCache().size(), 1u);
  const uint64_t hits = DefaultCertificateCache().hits();
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(VerifySellerSignature(Sign(seller, too_late), certs, kNow).violations,
                ElementsAre(Violates(kSellerCertificateNotValidAtSigning)));
    EXPECT_THAT(VerifySellerSignature(Sign(seller, in_time), certs, kNow).violations, IsEmpty());
  }
  EXPECT_EQ(DefaultCertificateCache().hits(), hits + 6);  // all of them from the cache

  // The subject check too: the same cached certificate registered for another seller's invoice.
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_seller()->set_tax_code(testing::SyntheticTaxCode(777002));
  ASSERT_OK_AND_ASSIGN(std::string other_seller, SignedInvoiceXml(invoice, seller, in_time));
  EXPECT_THAT(VerifySellerSignature(other_seller, certs, kNow).violations,
              ::testing::Contains(Violates(kSellerCertificateTaxCode)));
}

// --- coded XML: same bytes with and without the cache ----------------------------------------

TEST_F(CertificateCacheTest, CodedXmlBytesIdenticalWithAndWithoutCache) {
  DefaultCacheGuard guard;
  FakeSigner fake;
  MemoSigner signer(fake);
  const absl::Time now = absl::Now();
  ASSERT_OK_AND_ASSIGN(std::string ec_cert,
                       BuildSelfSignedCertificate(fake, fake.default_key(), "CQT thử nghiệm",
                                                  now - absl::Hours(24), now + absl::Hours(24)));
  ASSERT_OK_AND_ASSIGN(PublicKey rsa, fake.GenerateKey(KeyAlgorithm::kRsa3072Sha256));
  ASSERT_OK_AND_ASSIGN(std::string rsa_cert,
                       BuildSelfSignedCertificate(fake, rsa, "CQT thử nghiệm RSA",
                                                  now - absl::Hours(24), now + absl::Hours(24)));
  const std::string seller_xml = Sign(Issue(BaselineSellerTaxCode()));
  const absl::Time at = Vn(2026, 11, 20, 10, 1);
  struct Authority {
    std::string key_id;
    std::string cert;
  };
  const std::vector<Authority> authorities = {{fake.default_key().key_id, ec_cert},
                                              {rsa.key_id, rsa_cert}};

  DefaultCertificateCache().SetCapacity(0);
  std::vector<std::string> uncached;
  for (const Authority& a : authorities) {
    ASSERT_OK_AND_ASSIGN(std::string coded,
                         BuildCodedInvoiceXml(seller_xml, kCode, at, signer, a.key_id, a.cert));
    uncached.push_back(coded);
  }
  // The errors too: a certificate for another key, an unreadable one.
  const absl::Status wrong_key =
      BuildCodedInvoiceXml(seller_xml, kCode, at, signer, rsa.key_id, ec_cert).status();
  const absl::Status unreadable =
      BuildCodedInvoiceXml(seller_xml, kCode, at, signer, rsa.key_id, "junk").status();
  EXPECT_THAT(wrong_key, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(unreadable, StatusIs(absl::StatusCode::kInvalidArgument));

  DefaultCertificateCache().SetCapacity(CertificateCache::kDefaultCapacity);
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < authorities.size(); ++i) {
      ASSERT_OK_AND_ASSIGN(std::string coded,
                           BuildCodedInvoiceXml(seller_xml, kCode, at, signer,
                                                authorities[i].key_id, authorities[i].cert));
      EXPECT_EQ(coded, uncached[i]) << "authority " << i << " round " << round;
    }
    EXPECT_EQ(BuildCodedInvoiceXml(seller_xml, kCode, at, signer, rsa.key_id, ec_cert).status(),
              wrong_key);
    EXPECT_EQ(BuildCodedInvoiceXml(seller_xml, kCode, at, signer, rsa.key_id, "junk").status(),
              unreadable);
  }
  EXPECT_EQ(DefaultCertificateCache().size(), 2u);
  // And the bytes are a valid coded invoice.
  XmlVerifyOptions verify;
  verify.authority_certificates_der = {ec_cert};
  verify.now = kNow;
  ASSERT_OK_AND_ASSIGN(XmlVerifyReport report, VerifyInvoiceXml(uncached[0], verify));
  EXPECT_TRUE(report.authority_signature_valid) << report.Summary();
}

// --- many threads ----------------------------------------------------------------------------

// 16 threads verify seller signatures made with 3 certificates (one expired at SigningTime) and
// build coded invoices under 3 authority certificates, through a cache of capacity 2 so entries
// are evicted and re-parsed while other threads use them. Every answer must be the
// single-threaded one.
TEST_F(CertificateCacheTest, ConcurrentVerifyAndBuildWithThreeCertificates) {
  DefaultCacheGuard guard;
  DefaultCertificateCache().SetCapacity(2);
  const TestCredential sellers[3] = {
      Issue(BaselineSellerTaxCode(), TestKeyType::kRsa2048),
      Issue(BaselineSellerTaxCode(), TestKeyType::kEcP256),
      Issue(BaselineSellerTaxCode(), TestKeyType::kEcP256, Vn(2025, 1, 1), Vn(2026, 6, 1)),
  };
  std::vector<std::string> registered;
  std::string seller_xml[3];
  for (int i = 0; i < 3; ++i) {
    registered.push_back(sellers[i].certificate_der);
    seller_xml[i] = Sign(sellers[i]);
  }

  FakeSigner signer;
  std::vector<PublicKey> keys = {signer.default_key()};
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(PublicKey key, signer.GenerateKey(KeyAlgorithm::kEcdsaP256Sha256));
    keys.push_back(key);
  }
  const absl::Time now = absl::Now();
  std::vector<std::string> authority_certs;
  for (const PublicKey& key : keys) {
    ASSERT_OK_AND_ASSIGN(std::string cert,
                         BuildSelfSignedCertificate(signer, key, "CQT thử nghiệm",
                                                    now - absl::Hours(24), now + absl::Hours(24)));
    authority_certs.push_back(cert);
  }

  constexpr int kThreads = 16;
  constexpr int kIterations = 12;
  absl::Mutex mu;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto fail = [&](std::string what) {
        absl::MutexLock lock(&mu);
        failures.push_back(absl::StrCat("thread ", t, ": ", what));
      };
      for (int n = 0; n < kIterations; ++n) {
        const int s = (t + n) % 3;
        const SellerSignatureResult result =
            VerifySellerSignature(seller_xml[s], registered, kNow);
        if (result.certificate_der != sellers[s].certificate_der) fail("wrong certificate");
        if (s < 2 && !result.ok()) fail(Describe(result));
        if (s == 2 && (result.violations.size() != 1 ||
                       result.violations[0].code != kSellerCertificateNotValidAtSigning.code)) {
          fail(absl::StrCat("expired certificate not refused: ", Describe(result)));
        }

        const int a = (t + 2 * n) % 3;
        absl::StatusOr<std::string> coded =
            BuildCodedInvoiceXml(seller_xml[0], kCode, Vn(2026, 11, 20, 10, 1), signer,
                                 keys[a].key_id, authority_certs[a]);
        if (!coded.ok()) {
          fail(std::string(coded.status().message()));
          continue;
        }
        if (n % 4 == 0) {
          XmlVerifyOptions verify;
          verify.authority_certificates_der = {authority_certs[a]};
          verify.now = kNow;
          absl::StatusOr<XmlVerifyReport> report = VerifyInvoiceXml(*coded, verify);
          if (!report.ok() || !report->authority_signature_valid ||
              !report->seller_signature_valid) {
            fail(report.ok() ? report->Summary() : std::string(report.status().message()));
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, IsEmpty());
  EXPECT_LE(DefaultCertificateCache().size(), 2u);
  EXPECT_GT(DefaultCertificateCache().evictions(), 0u);
  EXPECT_GT(DefaultCertificateCache().hits(), 0u);
}

}  // namespace
}  // namespace einvoice
