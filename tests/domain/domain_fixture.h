// DomainFixture: an InvoiceAuthenticator wired to in-memory stores, a FakeSigner and a
// FakeClock, with the baseline invoice's seller registered and active. Calls are made as the
// local operator (`local_operator_`, every right) unless a test says otherwise; the audit
// trail writes to `audit_log_`.
#ifndef EINVOICE_TESTS_DOMAIN_DOMAIN_FIXTURE_H_
#define EINVOICE_TESTS_DOMAIN_DOMAIN_FIXTURE_H_

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/access_control.h"
#include "domain/access_policy.h"
#include "domain/audit_trail.h"
#include "domain/authority_code.h"
#include "domain/caller.h"
#include "domain/invoice_authenticator.h"
#include "domain/seller_admin.h"
#include "domain/signing_key_manager.h"
#include "einvoice/v1/audit.pb.h"
#include "gtest/gtest.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/signer/support/fake_signer.h"
#include "tests/storage/support/in_memory_stores.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"

namespace einvoice::testing {

// 2026-11-22 10:00 in Vietnam: two days after the baseline invoice's issue date.
inline absl::Time FixtureNow() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 22, 10, 0, 0), VietnamTimeZone());
}

class DomainFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    SigningKeyManager::Options key_options;
    key_options.create_key_if_none = true;
    auto keys = SigningKeyManager::Create(&signer_, &key_registry_, &clock_, key_options);
    ASSERT_OK(keys.status());
    keys_ = *std::move(keys);
    auto codes = AuthorityCodeGenerator::Create("00", &clock_, "");
    ASSERT_OK(codes.status());
    codes_ = *std::move(codes);
    authenticator_ = std::make_unique<InvoiceAuthenticator>(
        &store_, &sellers_, keys_.get(), &signer_, codes_.get(), &access_, &clock_);
    RegisterSeller(BaselineInvoice().seller().tax_code());
    setup_signatures_ = signer_.sign_calls();  // the key's certificate is signed at creation
  }

  // Signatures made since SetUp(): one per coded invoice.
  int InvoiceSignatures() const { return signer_.sign_calls() - setup_signatures_; }

  void RegisterSeller(const std::string& tax_code) {
    v1::RegisterSellerRequest request;
    request.set_tax_code(tax_code);
    request.set_name("Công ty TNHH Thử Nghiệm");
    ASSERT_OK(admin_.Register(local_operator_, request).status());
  }

  // Callers as a TLS certificate would make them (fingerprints are made up: the domain never
  // sees the certificate itself).
  static Caller TaxpayerCaller(const std::string& tax_code, char fingerprint = 'b') {
    return Caller::WithCertificate({std::string(64, fingerprint),
                                    absl::StrCat("CN=Thử,UID=MST:", tax_code), tax_code,
                                    absl::InfiniteFuture()},
                                   TestPolicy());
  }
  static Caller OfficerCaller() {
    return Caller::WithCertificate(
        {std::string(64, 'e'), "CN=Cán bộ thuế", "", absl::InfiniteFuture()}, TestPolicy());
  }
  static Caller AdminCaller() {
    return Caller::WithCertificate(
        {std::string(64, 'd'), "CN=Quản trị", "", absl::InfiniteFuture()}, TestPolicy());
  }
  // Officer 'eee…', administrator 'ddd…'.
  static const AccessPolicy& TestPolicy() {
    static const AccessPolicy* const policy = new AccessPolicy(*AccessPolicy::FromJson(
        absl::StrCat(R"({"admins": [")", std::string(64, 'd'), R"("], "officers": [")",
                     std::string(64, 'e'), R"("]})")));
    return *policy;
  }

  // The audit records stored after the first `skip`.
  std::vector<v1::AuditRecord> AuditRecordsAfter(size_t skip) {
    std::vector<v1::AuditRecord> records;
    for (const AuditLogEntry& entry : audit_log_.Entries()) {
      if (entry.sequence > skip) records.emplace_back().ParseFromString(entry.record);
    }
    return records;
  }
  size_t AuditCount() { return audit_log_.Entries().size(); }

  // An audit trail over `log` (aborts the test binary if it cannot be opened).
  static std::unique_ptr<AuditTrail> OpenTrail(AuditLog* log, const Clock* clock) {
    absl::StatusOr<std::unique_ptr<AuditTrail>> trail = AuditTrail::Open(log, clock);
    if (!trail.ok()) std::abort();
    return *std::move(trail);
  }

  FakeClock clock_{FixtureNow()};
  FakeSigner signer_;
  InMemoryInvoiceStore store_;
  InMemorySellerRegistry sellers_;
  InMemorySigningKeyRegistry key_registry_;
  InMemoryAuditLog audit_log_;
  std::unique_ptr<AuditTrail> audit_ = OpenTrail(&audit_log_, &clock_);
  AccessControl access_{&sellers_, audit_.get()};
  const Caller local_operator_ = Caller::LocalOperator();
  SellerAdmin admin_{&sellers_, &access_, &clock_};
  std::unique_ptr<SigningKeyManager> keys_;
  std::unique_ptr<AuthorityCodeGenerator> codes_;
  std::unique_ptr<InvoiceAuthenticator> authenticator_;
  int setup_signatures_ = 0;
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_DOMAIN_DOMAIN_FIXTURE_H_
