// DomainFixture: an InvoiceAuthenticator wired to in-memory stores, a FakeSigner and a
// FakeClock, with the baseline invoice's seller registered and active.
#ifndef EINVOICE_TESTS_DOMAIN_DOMAIN_FIXTURE_H_
#define EINVOICE_TESTS_DOMAIN_DOMAIN_FIXTURE_H_

#include <memory>

#include "domain/authority_code.h"
#include "domain/invoice_authenticator.h"
#include "domain/seller_admin.h"
#include "domain/signing_key_manager.h"
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
    authenticator_ = std::make_unique<InvoiceAuthenticator>(&store_, &sellers_, keys_.get(),
                                                            &signer_, codes_.get(), &clock_);
    RegisterSeller(BaselineInvoice().seller().tax_code());
    setup_signatures_ = signer_.sign_calls();  // the key's certificate is signed at creation
  }

  // Signatures made since SetUp(): one per coded invoice.
  int InvoiceSignatures() const { return signer_.sign_calls() - setup_signatures_; }

  void RegisterSeller(const std::string& tax_code) {
    v1::RegisterSellerRequest request;
    request.set_tax_code(tax_code);
    request.set_name("Công ty TNHH Thử Nghiệm");
    ASSERT_OK(admin_.Register(request).status());
  }

  FakeClock clock_{FixtureNow()};
  FakeSigner signer_;
  InMemoryInvoiceStore store_;
  InMemorySellerRegistry sellers_;
  InMemorySigningKeyRegistry key_registry_;
  SellerAdmin admin_{&sellers_, &clock_};
  std::unique_ptr<SigningKeyManager> keys_;
  std::unique_ptr<AuthorityCodeGenerator> codes_;
  std::unique_ptr<InvoiceAuthenticator> authenticator_;
  int setup_signatures_ = 0;
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_DOMAIN_DOMAIN_FIXTURE_H_
