#include "domain/invoice_verifier.h"

#include "domain/authentication_record.h"
#include "gmock/gmock.h"
#include "tests/domain/domain_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::DomainFixture;
using ::testing::Contains;
using ::testing::HasSubstr;

class InvoiceVerifierTest : public DomainFixture {
 protected:
  v1::AuthenticatedInvoice Accepted() {
    SubmitOutcome outcome = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
    EXPECT_TRUE(outcome.status.ok()) << outcome.status;
    return outcome.accepted;
  }
};

TEST_F(InvoiceVerifierTest, AcceptsAGenuineInvoice) {
  const InvoiceVerification result = VerifyAuthenticatedInvoice(Accepted(), keys_->Keys());
  EXPECT_TRUE(result.valid);
  EXPECT_TRUE(result.signature_valid);
  EXPECT_TRUE(result.problems.empty());
}

TEST_F(InvoiceVerifierTest, DetectsATamperedRecord) {
  v1::AuthenticatedInvoice invoice = Accepted();
  v1::AuthenticationRecord record;
  ASSERT_TRUE(record.ParseFromString(invoice.signed_record()));
  record.mutable_invoice()->mutable_totals()->set_total_payable("1");
  record.set_invoice_sha256(InvoiceFingerprint(record.invoice()));  // consistent, but unsigned
  invoice.set_signed_record(record.SerializeAsString());
  const InvoiceVerification result = VerifyAuthenticatedInvoice(invoice, keys_->Keys());
  EXPECT_FALSE(result.valid);
  EXPECT_FALSE(result.signature_valid);
}

TEST_F(InvoiceVerifierTest, DetectsATamperedSignature) {
  v1::AuthenticatedInvoice invoice = Accepted();
  std::string signature = invoice.signature();
  signature[signature.size() - 1] ^= 0x01;
  invoice.set_signature(signature);
  EXPECT_FALSE(VerifyAuthenticatedInvoice(invoice, keys_->Keys()).valid);
}

TEST_F(InvoiceVerifierTest, DetectsAnEnvelopeThatDisagreesWithTheRecord) {
  v1::AuthenticatedInvoice invoice = Accepted();
  invoice.set_authority_code("00" + std::string(32, 'F'));
  const InvoiceVerification result = VerifyAuthenticatedInvoice(invoice, keys_->Keys());
  EXPECT_FALSE(result.valid);
  EXPECT_TRUE(result.signature_valid);  // the record itself is genuine
  EXPECT_THAT(result.problems, Contains(HasSubstr("authority_code differs")));
}

TEST_F(InvoiceVerifierTest, DetectsAnUnknownKey) {
  EXPECT_FALSE(VerifyAuthenticatedInvoice(Accepted(), {}).valid);
}

TEST_F(InvoiceVerifierTest, DetectsAnInvoiceDatedOutsideItsKeysValidity) {
  const v1::AuthenticatedInvoice invoice = Accepted();
  std::vector<v1::SigningKey> keys = keys_->Keys();
  *keys[0].mutable_retired_at() = invoice.issued_at();  // retired at the very instant
  const InvoiceVerification result = VerifyAuthenticatedInvoice(invoice, keys);
  EXPECT_FALSE(result.valid);
  EXPECT_THAT(result.problems, Contains(HasSubstr("after its signing key was retired")));
}

}  // namespace
}  // namespace einvoice
