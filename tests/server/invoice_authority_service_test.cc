// In-process gRPC tests of every InvoiceAuthority rpc and its error paths.
#include <map>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "common/limits.h"
#include "absl/synchronization/notification.h"
#include "domain/authentication_record.h"
#include "gmock/gmock.h"
#include "signer/signature_verifier.h"
#include "tests/server/server_fixture.h"
#include "tests/storage/support/gated_invoice_store.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::GatedInvoiceStore;
using ::einvoice::testing::ServerFixture;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class InvoiceAuthorityServiceTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    StartServer();
    RegisterSeller(BaselineInvoice().seller().tax_code());
  }
};

TEST_F(InvoiceAuthorityServiceTest, SubmitThenGetByCodeAndByKey) {
  v1::SubmitInvoiceResponse response;
  ASSERT_TRUE(Submit(BaselineInvoice(), &response).ok());
  ASSERT_TRUE(response.has_accepted());
  EXPECT_FALSE(response.replay());
  const v1::AuthenticatedInvoice& accepted = response.accepted();
  EXPECT_THAT(accepted.authority_code(), SizeIs(34));

  v1::GetInvoiceRequest by_code;
  by_code.set_authority_code(accepted.authority_code());
  v1::AuthenticatedInvoice fetched;
  grpc::ClientContext c1;
  ASSERT_TRUE(authority_->GetInvoice(&c1, by_code, &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), accepted.SerializeAsString());

  v1::GetInvoiceRequest by_key;
  by_key.mutable_key()->set_seller_tax_code(BaselineInvoice().seller().tax_code());
  by_key.mutable_key()->set_template_code(BaselineInvoice().template_code());
  by_key.mutable_key()->set_symbol(BaselineInvoice().symbol());
  by_key.mutable_key()->set_number(BaselineInvoice().number());
  v1::AuthenticatedInvoice by_key_fetched;
  grpc::ClientContext c2;
  ASSERT_TRUE(authority_->GetInvoice(&c2, by_key, &by_key_fetched).ok());
  EXPECT_EQ(by_key_fetched.SerializeAsString(), accepted.SerializeAsString());
}

TEST_F(InvoiceAuthorityServiceTest, TheSignatureVerifiesWithThePublishedKey) {
  v1::SubmitInvoiceResponse response;
  ASSERT_TRUE(Submit(BaselineInvoice(), &response).ok());
  v1::GetSigningKeysResponse keys;
  grpc::ClientContext context;
  ASSERT_TRUE(authority_->GetSigningKeys(&context, {}, &keys).ok());
  ASSERT_THAT(keys.keys(), SizeIs(1));
  const v1::SigningKey& key = keys.keys(0);
  EXPECT_EQ(key.key_id(), response.accepted().key_id());
  EXPECT_EQ(key.algorithm(), "ECDSA_P256_SHA256");
  EXPECT_TRUE(key.has_not_before());
  EXPECT_FALSE(key.has_retired_at());
  ASSERT_OK_AND_ASSIGN(bool verified,
                       VerifySignature(KeyAlgorithm::kEcdsaP256Sha256, key.public_key_der(),
                                       response.accepted().signed_record(),
                                       response.accepted().signature()));
  EXPECT_TRUE(verified);
}

TEST_F(InvoiceAuthorityServiceTest, ASubmitThreadIsNotHeldThroughTheStoreWrite) {
  // One submit thread, and writes that do not complete until released: both submissions
  // still reach the store, so the thread handed the first one on instead of waiting for it.
  server_.reset();
  GatedInvoiceStore gated(&store_);
  options_.submit_threads = 1;
  StartServer(&gated);
  v1::Invoice invoices[2] = {BaselineInvoice(), BaselineInvoice()};
  invoices[1].set_number(invoices[0].number() + 1);
  grpc::ClientContext contexts[2];
  v1::SubmitInvoiceRequest requests[2];
  v1::SubmitInvoiceResponse responses[2];
  grpc::Status statuses[2];
  absl::Notification done[2];
  for (int i = 0; i < 2; ++i) {
    *requests[i].mutable_invoice() = invoices[i];
    authority_->async()->SubmitInvoice(&contexts[i], &requests[i], &responses[i],
                                       [&, i](grpc::Status status) {
                                         statuses[i] = std::move(status);
                                         done[i].Notify();
                                       });
  }
  const bool both_reached_the_store = gated.AwaitHeld(2);
  const bool answered_early = done[0].HasBeenNotified() || done[1].HasBeenNotified();
  gated.Release();  // lets everything finish even if a check below fails
  ASSERT_TRUE(both_reached_the_store) << "the only submit thread waited for a store write";
  EXPECT_FALSE(answered_early) << "a submission was answered before its write was done";
  for (int i = 0; i < 2; ++i) {
    done[i].WaitForNotification();
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    ASSERT_OK_AND_ASSIGN(auto stored, store_.GetByCode(responses[i].accepted().authority_code()));
    EXPECT_TRUE(stored.has_value());
  }
  server_.reset();  // before `gated` goes away
}

TEST_F(InvoiceAuthorityServiceTest, GetUnknownCodeIsNotFound) {
  v1::GetInvoiceRequest request;
  request.set_authority_code("00" + std::string(32, 'A'));
  v1::AuthenticatedInvoice response;
  grpc::ClientContext context;
  EXPECT_EQ(authority_->GetInvoice(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(InvoiceAuthorityServiceTest, GetWithoutSelectorIsInvalid) {
  v1::AuthenticatedInvoice response;
  grpc::ClientContext context;
  EXPECT_EQ(authority_->GetInvoice(&context, {}, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(InvoiceAuthorityServiceTest, InvalidInvoiceCarriesTheRejectionInStatusDetails) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.set_number(0);
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = Submit(invoice, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const v1::Rejection rejection = RejectionOf(status);
  EXPECT_EQ(rejection.status_code(), 3);
  ASSERT_THAT(rejection.violations(), SizeIs(1));
  EXPECT_EQ(rejection.violations(0).field(), "number");
  EXPECT_THAT(rejection.violations(0).code(), SizeIs(5));
  EXPECT_FALSE(rejection.violations(0).message().empty());
  EXPECT_FALSE(rejection.violations(0).message_en().empty());
  // What a client shows the seller: the severity and how to fix it, in both languages.
  EXPECT_EQ(rejection.violations(0).severity(), v1::VIOLATION_SEVERITY_REJECT);
  EXPECT_FALSE(rejection.violations(0).hint().empty());
  EXPECT_FALSE(rejection.violations(0).hint_en().empty());
  EXPECT_EQ(store_.size(), 0u);
}

// Issue #10: 300 violations once overflowed the trailers: the client got RESOURCE_EXHAUSTED
// ("retry later") for an invoice that can never pass.
TEST_F(InvoiceAuthorityServiceTest, ManyViolationsStillFitTheTrailersAndSaySoInTheStream) {
  v1::Invoice invoice = BaselineInvoice();
  const v1::LineItem line = invoice.lines(0);
  invoice.clear_lines();
  for (int i = 0; i < 300; ++i) {
    v1::LineItem* bad = invoice.add_lines();
    *bad = line;
    bad->set_name("");                     // one violation per line...
    bad->set_vat_rate(std::string(2000, '%'));  // and more, one with a 2 000-byte value
  }
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = Submit(invoice, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  const v1::Rejection unary = RejectionOf(status);
  ASSERT_GE(unary.violations_size(), 2);
  EXPECT_LE(status.error_details().size(), 4096u + 64);
  EXPECT_EQ(unary.violations(unary.violations_size() - 1).code(), "20000");
  EXPECT_THAT(unary.violations(unary.violations_size() - 1).message_en(),
              HasSubstr("SubmitInvoices returns the full list"));

  grpc::ClientContext context;
  auto stream = authority_->SubmitInvoices(&context);
  v1::SubmitInvoiceRequest request;
  *request.mutable_invoice() = invoice;
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  v1::SubmitInvoiceResponse streamed;
  ASSERT_TRUE(stream->Read(&streamed));
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(streamed.rejected().violations_size(), 101);  // 100 and the summary
  EXPECT_EQ(streamed.rejected().violations(100).code(), "20000");
  EXPECT_THAT(streamed.rejected().violations(100).message_en(), HasSubstr(" more"));
  EXPECT_EQ(store_.size(), 0u);
}

// Issue #10: the documented 2 MiB, set on the server (gRPC's default was 4 MiB).
TEST_F(InvoiceAuthorityServiceTest, TheMessageLimitIsTheDocumentedOne) {
  auto submit_xml = [&](size_t bytes) {
    v1::SubmitInvoiceRequest request;
    request.set_invoice_xml("<HDon>" + std::string(bytes - 13, ' ') + "</HDon>");
    v1::SubmitInvoiceResponse response;
    grpc::ClientContext context;
    return authority_->SubmitInvoice(&context, request, &response);
  };
  // 2 MiB + 1 byte of XML: the invoice's fault, with its violation.
  const grpc::Status over_invoice = submit_xml(kMaxInvoiceBytes + 1);
  ASSERT_EQ(over_invoice.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(RejectionOf(over_invoice).violations(0).message_en(), HasSubstr("too large"));
  // Beyond the request limit gRPC refuses the message itself, before any of our code.
  EXPECT_EQ(submit_xml(kMaxRequestBytes + 1).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceAuthorityServiceTest, UnregisteredSellerIsFailedPrecondition) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.mutable_seller()->set_tax_code("0101243150");
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = Submit(invoice, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(RejectionOf(status).violations(0).code(), "20101");
}

TEST_F(InvoiceAuthorityServiceTest, ConflictingDuplicateIsAlreadyExistsNamingTheCode) {
  v1::SubmitInvoiceResponse first;
  ASSERT_TRUE(Submit(BaselineInvoice(), &first).ok());
  v1::Invoice changed = BaselineInvoice();
  changed.mutable_buyer()->set_email("other@example.com");
  v1::SubmitInvoiceResponse second;
  const grpc::Status status = Submit(changed, &second);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  const v1::Rejection rejection = RejectionOf(status);
  EXPECT_EQ(rejection.existing_authority_code(), first.accepted().authority_code());
  EXPECT_EQ(rejection.violations(0).code(), "20609");
}

TEST_F(InvoiceAuthorityServiceTest, ResubmissionIsAReplayWithTheSameBytes) {
  v1::SubmitInvoiceResponse first, second;
  ASSERT_TRUE(Submit(BaselineInvoice(), &first, "k1").ok());
  ASSERT_TRUE(Submit(BaselineInvoice(), &second, "k1").ok());
  EXPECT_TRUE(second.replay());
  EXPECT_EQ(second.accepted().SerializeAsString(), first.accepted().SerializeAsString());
}

TEST_F(InvoiceAuthorityServiceTest, MissingPayloadIsInvalid) {
  v1::SubmitInvoiceRequest request;
  v1::SubmitInvoiceResponse response;
  grpc::ClientContext context;
  const grpc::Status status = authority_->SubmitInvoice(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("invoice"));
}

TEST_F(InvoiceAuthorityServiceTest, SignerOutageIsUnavailableAndNothingIsStored) {
  signer_.FailNext(1, absl::UnavailableError("token removed"));
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = Submit(BaselineInvoice(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(InvoiceAuthorityServiceTest, VerifyInvoiceAcceptsTheGenuineAndRejectsTheAltered) {
  v1::SubmitInvoiceResponse submitted;
  ASSERT_TRUE(Submit(BaselineInvoice(), &submitted).ok());

  v1::VerifyInvoiceRequest request;
  *request.mutable_invoice() = submitted.accepted();
  v1::VerifyInvoiceResponse genuine;
  grpc::ClientContext c1;
  ASSERT_TRUE(authority_->VerifyInvoice(&c1, request, &genuine).ok());
  EXPECT_TRUE(genuine.valid());
  EXPECT_TRUE(genuine.signature_valid());
  EXPECT_TRUE(genuine.matches_record_on_file());

  std::string signature = request.invoice().signature();
  signature[10] ^= 0x40;
  request.mutable_invoice()->set_signature(signature);
  v1::VerifyInvoiceResponse altered;
  grpc::ClientContext c2;
  ASSERT_TRUE(authority_->VerifyInvoice(&c2, request, &altered).ok());
  EXPECT_FALSE(altered.valid());
  EXPECT_FALSE(altered.matches_record_on_file());
  EXPECT_FALSE(altered.problems().empty());
}

TEST_F(InvoiceAuthorityServiceTest, VerifyInvoiceOfACodeNotOnFileIsInvalid) {
  v1::VerifyInvoiceRequest request;
  request.mutable_invoice()->set_authority_code("00" + std::string(32, 'B'));
  v1::VerifyInvoiceResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(authority_->VerifyInvoice(&context, request, &response).ok());
  EXPECT_FALSE(response.valid());
  EXPECT_FALSE(response.matches_record_on_file());
}

}  // namespace
}  // namespace einvoice
