// ServerFixture: a real EinvoiceServer (every service, pools, domain) on in-memory stores, a
// FakeSigner and a FakeClock, reached through an in-process channel. Callers are chosen per
// call with AsCaller() (tests/server/support/fake_caller_identifier.h); by default a call is
// the local operator's.
#ifndef EINVOICE_TESTS_SERVER_SERVER_FIXTURE_H_
#define EINVOICE_TESTS_SERVER_SERVER_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "einvoice/v1/audit.pb.h"
#include "einvoice/v1/authority_admin.grpc.pb.h"
#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "einvoice/v1/tax_officer.grpc.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "server/einvoice_server.h"
#include "tests/domain/domain_fixture.h"
#include "tests/rules/support/test_invoices.h"
#include "tests/server/support/fake_caller_identifier.h"
#include "tests/signer/support/fake_signer.h"
#include "tests/storage/support/in_memory_stores.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"

namespace einvoice::testing {

class ServerFixture : public ::testing::Test {
 protected:
  // Tests may change options_ before calling StartServer() themselves.
  void SetUp() override {
    options_.listen_address = "";  // in-process only
    options_.create_signing_key_if_none = true;
    options_.submit_threads = 16;
    options_.query_threads = 2;
    options_.caller_identifier = &identifier_;
  }

  // `store` replaces store_ (e.g. a GatedInvoiceStore wrapping it) when given.
  void StartServer(InvoiceStore* store = nullptr) {
    ServerBackends backends{store != nullptr ? store : &store_, &sellers_, &key_registry_,
                            &audit_log_, &signer_, &clock_, backup_};
    auto server = EinvoiceServer::Start(options_, backends);
    ASSERT_OK(server.status());
    server_ = *std::move(server);
    channel_ = server_->InProcessChannel();
    authority_ = v1::InvoiceAuthority::NewStub(channel_);
    officer_ = v1::TaxOfficer::NewStub(channel_);
    admin_ = v1::AuthorityAdmin::NewStub(channel_);
  }

  void RegisterSeller(const std::string& tax_code) {
    v1::RegisterSellerRequest request;
    request.set_tax_code(tax_code);
    request.set_name("Công ty TNHH Thử Nghiệm");
    v1::Seller seller;
    grpc::ClientContext context;
    ASSERT_TRUE(officer_->RegisterSeller(&context, request, &seller).ok());
  }

  // `as`: who submits (see AsCaller); empty = the local operator.
  grpc::Status Submit(const v1::Invoice& invoice, v1::SubmitInvoiceResponse* response,
                      const std::string& idempotency_key = "", const std::string& as = "") {
    v1::SubmitInvoiceRequest request;
    *request.mutable_invoice() = invoice;
    request.set_idempotency_key(idempotency_key);
    grpc::ClientContext context;
    if (!as.empty()) AsCaller(context, as);
    return authority_->SubmitInvoice(&context, request, response);
  }

  // The audit records stored so far.
  std::vector<v1::AuditRecord> AuditRecords() {
    std::vector<v1::AuditRecord> records;
    for (const AuditLogEntry& entry : audit_log_.Entries()) {
      records.emplace_back().ParseFromString(entry.record);
    }
    return records;
  }

  // The Rejection carried in a failed status's details (google.rpc.Status).
  static v1::Rejection RejectionOf(const grpc::Status& status) {
    google::rpc::Status details;
    v1::Rejection rejection;
    EXPECT_TRUE(details.ParseFromString(status.error_details()));
    EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
    EXPECT_EQ(details.details_size(), 1);
    if (details.details_size() == 1) {
      EXPECT_TRUE(details.details(0).UnpackTo(&rejection));
    }
    return rejection;
  }

  ServerOptions options_;
  FakeClock clock_{FixtureNow()};
  FakeSigner signer_;
  InMemoryInvoiceStore store_;
  InMemorySellerRegistry sellers_;
  InMemorySigningKeyRegistry key_registry_;
  InMemoryAuditLog audit_log_;
  FakeCallerIdentifier identifier_;
  // Set before StartServer() to serve AuthorityAdmin.BackupStore; null = UNIMPLEMENTED.
  StoreBackup* backup_ = nullptr;
  std::unique_ptr<EinvoiceServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::InvoiceAuthority::Stub> authority_;
  std::unique_ptr<v1::TaxOfficer::Stub> officer_;
  std::unique_ptr<v1::AuthorityAdmin::Stub> admin_;
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_SERVER_SERVER_FIXTURE_H_
