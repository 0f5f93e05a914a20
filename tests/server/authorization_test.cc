// Who may call what, through the real gRPC services (in-process; callers chosen with
// AsCaller). The decisions themselves are tested in tests/domain/; this checks the services
// hand every call's caller to the domain and map its answers: PERMISSION_DENIED and
// UNAUTHENTICATED with nothing done, denials in the audit trail.
#include <string>

#include "gmock/gmock.h"
#include "tests/server/server_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::AsCaller;
using ::einvoice::testing::BaselineBuyerTaxCode;
using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::ServerFixture;
using ::testing::SizeIs;

constexpr char kStranger[] = "0101243150";

std::string Taxpayer(const std::string& tax_code) { return "taxpayer:" + tax_code; }

class AuthorizationTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    StartServer();
    RegisterSeller(BaselineSellerTaxCode());
    v1::SubmitInvoiceResponse response;
    ASSERT_TRUE(Submit(BaselineInvoice(), &response, "", Taxpayer(BaselineSellerTaxCode())).ok());
    code_ = response.accepted().authority_code();
    invoice_ = response.accepted();
  }

  grpc::Status Get(const std::string& as, v1::AuthenticatedInvoice* out) {
    v1::GetInvoiceRequest request;
    request.set_authority_code(code_);
    grpc::ClientContext context;
    AsCaller(context, as);
    return authority_->GetInvoice(&context, request, out);
  }

  // Every audit record with this status code.
  std::vector<v1::AuditRecord> AuditedWith(grpc::StatusCode code) {
    std::vector<v1::AuditRecord> out;
    for (v1::AuditRecord& record : AuditRecords()) {
      if (record.status_code() == static_cast<int>(code)) out.push_back(std::move(record));
    }
    return out;
  }

  std::string code_;
  v1::AuthenticatedInvoice invoice_;
};

TEST_F(AuthorizationTest, ASellerReadsItsInvoiceAnotherTaxpayerDoesNot) {
  v1::AuthenticatedInvoice got;
  EXPECT_TRUE(Get(Taxpayer(BaselineSellerTaxCode()), &got).ok());
  EXPECT_EQ(got.authority_code(), code_);
  EXPECT_TRUE(Get(Taxpayer(BaselineBuyerTaxCode()), &got).ok());
  v1::AuthenticatedInvoice denied;
  const grpc::Status status = Get(Taxpayer(kStranger), &denied);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_EQ(denied.authority_code(), "");

  v1::VerifyInvoiceRequest verify;
  *verify.mutable_invoice() = invoice_;
  v1::VerifyInvoiceResponse verdict;
  grpc::ClientContext context;
  AsCaller(context, Taxpayer(kStranger));
  EXPECT_EQ(authority_->VerifyInvoice(&context, verify, &verdict).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  const std::vector<v1::AuditRecord> denials = AuditedWith(grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_THAT(denials, SizeIs(2));
  EXPECT_EQ(denials[0].operation(), "InvoiceAuthority.GetInvoice");
  EXPECT_EQ(denials[0].caller().tax_code(), kStranger);
  EXPECT_EQ(denials[1].operation(), "InvoiceAuthority.VerifyInvoice");
}

TEST_F(AuthorizationTest, SubmittingForAnotherSellerIsDeniedWithARejection) {
  v1::Invoice invoice = BaselineInvoice();
  invoice.set_number(2);
  v1::SubmitInvoiceResponse response;
  const grpc::Status status = Submit(invoice, &response, "", Taxpayer(kStranger));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(RejectionOf(status).status_code(), 7);
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(AuthorizationTest, AStreamCarriesEachDenialInItsResponse) {
  grpc::ClientContext context;
  AsCaller(context, Taxpayer(BaselineSellerTaxCode()));
  auto stream = authority_->SubmitInvoices(&context);
  v1::Invoice own = BaselineInvoice();
  own.set_number(5);
  v1::Invoice foreign = BaselineInvoice();
  foreign.set_number(6);
  foreign.mutable_seller()->set_tax_code(kStranger);
  for (const auto& [reference, invoice] : {std::pair{"own", own}, std::pair{"foreign", foreign}}) {
    v1::SubmitInvoiceRequest request;
    *request.mutable_invoice() = invoice;
    request.set_client_reference(reference);
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  std::map<std::string, v1::SubmitInvoiceResponse> responses;
  v1::SubmitInvoiceResponse response;
  while (stream->Read(&response)) responses[response.client_reference()] = response;
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_TRUE(responses["own"].has_accepted());
  EXPECT_EQ(responses["foreign"].rejected().status_code(), 7);
}

TEST_F(AuthorizationTest, WithoutAnIdentityNothingIsAnswered) {
  v1::SubmitInvoiceResponse response;
  EXPECT_EQ(Submit(BaselineInvoice(), &response, "", "unauthenticated").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::AuthenticatedInvoice got;
  EXPECT_EQ(Get("unauthenticated", &got).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  {
    grpc::ClientContext context;
    AsCaller(context, "unauthenticated");
    v1::GetSigningKeysResponse keys;
    EXPECT_EQ(authority_->GetSigningKeys(&context, {}, &keys).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext context;
    AsCaller(context, "unauthenticated");
    auto stream = authority_->SubmitInvoices(&context);
    v1::SubmitInvoiceResponse ignored;
    EXPECT_FALSE(stream->Read(&ignored));
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
}

TEST_F(AuthorizationTest, TheSigningKeysAreOpenToEveryAuthenticatedCaller) {
  grpc::ClientContext context;
  AsCaller(context, "nobody");
  v1::GetSigningKeysResponse keys;
  ASSERT_TRUE(authority_->GetSigningKeys(&context, {}, &keys).ok());
  EXPECT_THAT(keys.keys(), SizeIs(1));
}

TEST_F(AuthorizationTest, AnOfficerCannotRotateKeysAnAdministratorCan) {
  v1::GenerateSigningKeyRequest generate;
  v1::SigningKey key;
  {
    grpc::ClientContext context;
    AsCaller(context, "officer");
    EXPECT_EQ(admin_->GenerateSigningKey(&context, generate, &key).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    AsCaller(context, "officer");
    v1::ActivateSigningKeyRequest activate;
    activate.set_key_id(invoice_.key_id());
    EXPECT_EQ(admin_->ActivateSigningKey(&context, activate, &key).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    AsCaller(context, Taxpayer(BaselineSellerTaxCode()));
    v1::ListSigningKeysResponse keys;
    EXPECT_EQ(admin_->ListSigningKeys(&context, {}, &keys).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    AsCaller(context, "officer");
    v1::RetireSigningKeyRequest retire;
    retire.set_key_id(invoice_.key_id());
    EXPECT_EQ(admin_->RetireSigningKey(&context, retire, &key).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    AsCaller(context, "officer");
    v1::ImportSigningKeyCertificateRequest import;
    import.set_key_id(invoice_.key_id());
    import.set_certificate_der("anything");
    EXPECT_EQ(admin_->ImportSigningKeyCertificate(&context, import, &key).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(server_->signing_keys()->Keys().size(), 1u);  // nothing generated
  grpc::ClientContext context;
  AsCaller(context, "admin");
  ASSERT_TRUE(admin_->GenerateSigningKey(&context, generate, &key).ok());
  EXPECT_EQ(server_->signing_keys()->Keys().size(), 2u);
}

TEST_F(AuthorizationTest, ATaxpayerCannotChangeTheRegistryOrReadStatistics) {
  v1::Seller seller;
  {
    grpc::ClientContext context;
    AsCaller(context, Taxpayer(BaselineSellerTaxCode()));
    v1::SetSellerStatusRequest request;
    request.set_tax_code(BaselineSellerTaxCode());
    request.set_status(v1::SELLER_STATUS_STOPPED);
    EXPECT_EQ(officer_->SetSellerStatus(&context, request, &seller).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    AsCaller(context, Taxpayer(kStranger));
    v1::RegisterSellerRequest request;
    request.set_tax_code(kStranger);
    request.set_name("tự đăng ký");
    EXPECT_EQ(officer_->RegisterSeller(&context, request, &seller).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    AsCaller(context, Taxpayer(BaselineSellerTaxCode()));
    v1::GetStatsResponse stats;
    EXPECT_EQ(officer_->GetStats(&context, {}, &stats).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    AsCaller(context, Taxpayer(BaselineSellerTaxCode()));
    v1::SearchInvoicesRequest request;
    request.set_buyer_tax_code(BaselineBuyerTaxCode());  // not its purchases
    v1::SearchInvoicesResponse page;
    EXPECT_EQ(officer_->SearchInvoices(&context, request, &page).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  grpc::ClientContext context;
  AsCaller(context, "officer");
  v1::GetSellerRequest get;
  get.set_tax_code(BaselineSellerTaxCode());
  ASSERT_TRUE(officer_->GetSeller(&context, get, &seller).ok());
  EXPECT_EQ(seller.status(), v1::SELLER_STATUS_ACTIVE);
  EXPECT_THAT(AuditedWith(grpc::StatusCode::PERMISSION_DENIED), SizeIs(4));
}

TEST_F(AuthorizationTest, OnlyOfficersAndAdministratorsListTheSellers) {
  v1::ListSellersResponse page;
  // A registered seller, which may read its own registration, may not list the registry.
  for (const std::string& who : {Taxpayer(BaselineSellerTaxCode()), Taxpayer(kStranger),
                                 std::string("nobody")}) {
    grpc::ClientContext context;
    AsCaller(context, who);
    EXPECT_EQ(officer_->ListSellers(&context, {}, &page).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << who;
    EXPECT_EQ(page.sellers_size(), 0) << who;
  }
  const std::vector<v1::AuditRecord> denials = AuditedWith(grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_THAT(denials, SizeIs(3));
  for (const v1::AuditRecord& denial : denials) {
    EXPECT_EQ(denial.operation(), "TaxOfficer.ListSellers");
  }
  for (const char* who : {"officer", "admin"}) {
    grpc::ClientContext context;
    AsCaller(context, who);
    ASSERT_TRUE(officer_->ListSellers(&context, {}, &page).ok()) << who;
    ASSERT_EQ(page.sellers_size(), 1) << who;
    EXPECT_EQ(page.sellers(0).tax_code(), BaselineSellerTaxCode());
  }
  EXPECT_THAT(AuditedWith(grpc::StatusCode::OK), ::testing::Contains(::testing::Property(
                                                     &v1::AuditRecord::operation,
                                                     "TaxOfficer.ListSellers")));
}

TEST_F(AuthorizationTest, OnlyAdministratorsReadTheAuditTrail) {
  v1::AuthenticatedInvoice ignored;
  ASSERT_EQ(Get(Taxpayer(kStranger), &ignored).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ListAuditRecordsResponse page;
  {
    grpc::ClientContext context;
    AsCaller(context, "officer");
    EXPECT_EQ(admin_->ListAuditRecords(&context, {}, &page).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  grpc::ClientContext context;
  AsCaller(context, "admin");
  v1::ListAuditRecordsRequest request;
  request.set_caller_fingerprint(std::string(64, 'b'));  // the taxpayers' made-up fingerprint
  ASSERT_TRUE(admin_->ListAuditRecords(&context, request, &page).ok());
  ASSERT_THAT(page.records(), SizeIs(1));
  v1::AuditRecord record;
  ASSERT_TRUE(record.ParseFromString(page.records(0)));
  EXPECT_EQ(record.operation(), "InvoiceAuthority.GetInvoice");
  EXPECT_EQ(record.caller().tax_code(), kStranger);
}

// Records the directories it was asked to back up into.
class RecordingStoreBackup final : public StoreBackup {
 public:
  absl::Status Backup(const std::string& dir) override {
    directories.push_back(dir);
    return absl::OkStatus();
  }
  std::vector<std::string> directories;
};

class BackupAuthorizationTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    backup_ = &recording_;
    StartServer();
  }
  grpc::Status Backup(const std::string& as, const std::string& dir,
                      v1::BackupStoreResponse* response) {
    v1::BackupStoreRequest request;
    request.set_directory(dir);
    grpc::ClientContext context;
    AsCaller(context, as);
    return admin_->BackupStore(&context, request, response);
  }
  RecordingStoreBackup recording_;
};

TEST_F(BackupAuthorizationTest, OnlyAdministratorsBackUpAndEveryBackupIsAudited) {
  v1::BackupStoreResponse response;
  EXPECT_EQ(Backup("officer", "/srv/backup", &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Backup(Taxpayer(kStranger), "/srv/backup", &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(recording_.directories.empty());

  ASSERT_TRUE(Backup("admin", "/srv/backup", &response).ok());
  EXPECT_EQ(response.database_directory(), "/srv/backup/db");
  EXPECT_THAT(recording_.directories, ::testing::ElementsAre("/srv/backup"));

  const std::vector<v1::AuditRecord> records = AuditRecords();
  ASSERT_THAT(records, SizeIs(3));
  for (const v1::AuditRecord& record : records) {
    EXPECT_EQ(record.operation(), "AuthorityAdmin.BackupStore");
    EXPECT_EQ(record.target(), "backup to /srv/backup");
  }
  EXPECT_EQ(records[2].status_code(), 0);
}

TEST_F(BackupAuthorizationTest, AMalformedDirectoryIsRefusedBeforeTheStoreIsTouched) {
  v1::BackupStoreResponse response;
  EXPECT_EQ(Backup("admin", "", &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Backup("admin", "/srv/a\nb", &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Backup("admin", "/" + std::string(5000, 'a'), &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(recording_.directories.empty());
}

TEST_F(AuthorizationTest, AStoreThatCannotBeCopiedAnswersUnimplemented) {
  v1::BackupStoreRequest request;
  request.set_directory("/srv/backup");
  v1::BackupStoreResponse response;
  grpc::ClientContext context;
  AsCaller(context, "admin");
  EXPECT_EQ(admin_->BackupStore(&context, request, &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace einvoice
