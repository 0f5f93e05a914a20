// InspectStoredInvoice: the facts the offline store check compares with the indexes are the
// ones the authenticator indexed the record under, and a record that is not genuine is a
// problem, not facts.
#include "domain/stored_invoice_check.h"

#include "domain/authentication_record.h"
#include "gmock/gmock.h"
#include "tests/domain/domain_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::DomainFixture;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class StoredInvoiceCheckTest : public DomainFixture {
 protected:
  v1::AuthenticatedInvoice Accepted() {
    SubmitOutcome outcome = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
    EXPECT_TRUE(outcome.status.ok()) << outcome.status;
    return outcome.accepted;
  }
};

TEST_F(StoredInvoiceCheckTest, GenuineRecordGivesTheFactsItWasIndexedUnder) {
  const v1::AuthenticatedInvoice accepted = Accepted();
  auto stored = store_.GetByCode(accepted.authority_code());
  ASSERT_TRUE(stored.ok() && stored->has_value());
  const RecordFacts facts =
      InspectStoredInvoice(accepted.authority_code(), **stored, keys_->Keys());
  EXPECT_THAT(facts.problem, IsEmpty());
  EXPECT_EQ(facts.authority_code, accepted.authority_code());
  const v1::Invoice& invoice = BaselineInvoice();
  EXPECT_EQ(facts.key.seller_tax_code(), invoice.seller().tax_code());
  EXPECT_EQ(facts.key.symbol(), invoice.symbol());
  EXPECT_EQ(facts.key.number(), invoice.number());
  EXPECT_EQ(facts.buyer_tax_code, invoice.buyer().tax_code());
  // The index entry the authenticator wrote carries the same content hash.
  auto ref = store_.FindByKey(facts.key);
  ASSERT_TRUE(ref.ok() && ref->has_value());
  EXPECT_EQ((*ref)->authority_code, accepted.authority_code());
  EXPECT_EQ((*ref)->content_sha256, facts.content_sha256);
}

TEST_F(StoredInvoiceCheckTest, BytesThatDoNotParseAreAProblem) {
  EXPECT_THAT(InspectStoredInvoice("00AB", "\xff\xff\xff", keys_->Keys()).problem,
              HasSubstr("does not parse"));
}

TEST_F(StoredInvoiceCheckTest, TamperedRecordIsAProblem) {
  v1::AuthenticatedInvoice invoice = Accepted();
  std::string signature = invoice.signature();
  signature[signature.size() - 1] ^= 0x01;
  invoice.set_signature(signature);
  EXPECT_THAT(InspectStoredInvoice(invoice.authority_code(), invoice.SerializeAsString(),
                                   keys_->Keys())
                  .problem,
              HasSubstr("not genuine"));
}

TEST_F(StoredInvoiceCheckTest, RecordSignedByAnUnknownKeyIsAProblem) {
  const v1::AuthenticatedInvoice invoice = Accepted();
  EXPECT_THAT(InspectStoredInvoice(invoice.authority_code(), invoice.SerializeAsString(), {})
                  .problem,
              HasSubstr("not genuine"));
}

}  // namespace
}  // namespace einvoice
