// ServerFixture: a real EinvoiceServer (both services, pools, domain) on in-memory stores, a
// FakeSigner and a FakeClock, reached through an in-process channel.
#ifndef EINVOICE_TESTS_SERVER_SERVER_FIXTURE_H_
#define EINVOICE_TESTS_SERVER_SERVER_FIXTURE_H_

#include <memory>

#include "einvoice/v1/invoice_authority.grpc.pb.h"
#include "einvoice/v1/tax_officer.grpc.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "server/einvoice_server.h"
#include "tests/domain/domain_fixture.h"
#include "tests/rules/support/test_invoices.h"
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
  }

  // `store` replaces store_ (e.g. a GatedInvoiceStore wrapping it) when given.
  void StartServer(InvoiceStore* store = nullptr) {
    ServerBackends backends{store != nullptr ? store : &store_, &sellers_, &key_registry_,
                            &signer_, &clock_};
    auto server = EinvoiceServer::Start(options_, backends);
    ASSERT_OK(server.status());
    server_ = *std::move(server);
    channel_ = server_->InProcessChannel();
    authority_ = v1::InvoiceAuthority::NewStub(channel_);
    officer_ = v1::TaxOfficer::NewStub(channel_);
  }

  void RegisterSeller(const std::string& tax_code) {
    v1::RegisterSellerRequest request;
    request.set_tax_code(tax_code);
    request.set_name("Công ty TNHH Thử Nghiệm");
    v1::Seller seller;
    grpc::ClientContext context;
    ASSERT_TRUE(officer_->RegisterSeller(&context, request, &seller).ok());
  }

  grpc::Status Submit(const v1::Invoice& invoice, v1::SubmitInvoiceResponse* response,
                      const std::string& idempotency_key = "") {
    v1::SubmitInvoiceRequest request;
    *request.mutable_invoice() = invoice;
    request.set_idempotency_key(idempotency_key);
    grpc::ClientContext context;
    return authority_->SubmitInvoice(&context, request, response);
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
  std::unique_ptr<EinvoiceServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::InvoiceAuthority::Stub> authority_;
  std::unique_ptr<v1::TaxOfficer::Stub> officer_;
};

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_SERVER_SERVER_FIXTURE_H_
