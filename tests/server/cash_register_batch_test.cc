// In-process gRPC tests of SubmitCashRegisterInvoices: a batch of cash-register invoices, each
// answered in order; valid, invalid and duplicate invoices in one batch; resends; the bounds.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "tests/server/server_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::ServerFixture;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::string CodeFor(uint32_t number) {
  return absl::StrFormat("M1-26-ABCDE-%011u", number);
}

v1::CashRegisterInvoice Item(uint32_t number) {
  v1::CashRegisterInvoice item;
  v1::Invoice* invoice = item.mutable_invoice();
  *invoice = BaselineInvoice();
  invoice->set_symbol("C26MAA");
  invoice->set_number(number);
  item.set_code(CodeFor(number));
  return item;
}

class CashRegisterBatchTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    StartServer();
    RegisterSeller(BaselineInvoice().seller().tax_code());
  }

  grpc::Status Send(const v1::SubmitCashRegisterInvoicesRequest& request,
                    v1::SubmitCashRegisterInvoicesResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    return authority_->SubmitCashRegisterInvoices(&context, request, response);
  }
};

TEST_F(CashRegisterBatchTest, ValidInvalidAndDuplicateInvoicesAreEachAnsweredInOrder) {
  v1::SubmitCashRegisterInvoicesRequest request;
  *request.add_invoices() = Item(1);
  v1::CashRegisterInvoice bad = Item(2);
  bad.mutable_invoice()->mutable_buyer()->set_citizen_id("12345");  // refused
  *request.add_invoices() = bad;
  *request.add_invoices() = Item(3);
  v1::CashRegisterInvoice same_key = Item(1);  // number 1 again, under another code
  same_key.set_code(CodeFor(4));
  *request.add_invoices() = same_key;
  v1::CashRegisterInvoice wrong_code = Item(5);
  wrong_code.set_code("M2-26-ABCDE-00000000005");  // template 2 on a template 1 invoice
  *request.add_invoices() = wrong_code;

  v1::SubmitCashRegisterInvoicesResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  ASSERT_THAT(response.results(), SizeIs(5));
  EXPECT_TRUE(response.results(0).received());
  EXPECT_EQ(response.results(0).code(), CodeFor(1));
  EXPECT_TRUE(response.results(0).has_received_at());
  EXPECT_FALSE(response.results(1).received());
  EXPECT_EQ(response.results(1).rejected().status_code(), 3);
  EXPECT_EQ(response.results(1).rejected().violations(0).field(), "buyer.citizen_id");
  EXPECT_TRUE(response.results(2).received());
  EXPECT_EQ(response.results(3).rejected().status_code(), 6);  // ALREADY_EXISTS
  EXPECT_EQ(response.results(3).rejected().violations(0).code(), "20609");
  EXPECT_EQ(response.results(3).rejected().existing_authority_code(), CodeFor(1));
  EXPECT_EQ(response.results(4).rejected().violations(0).code(), "20310");
  EXPECT_EQ(store_.size(), 2u);

  // Found like coded invoices: by the seller's code.
  v1::GetInvoiceRequest get;
  get.set_authority_code(CodeFor(3));
  v1::AuthenticatedInvoice fetched;
  grpc::ClientContext context;
  ASSERT_TRUE(authority_->GetInvoice(&context, get, &fetched).ok());
  EXPECT_EQ(fetched.authority_code(), CodeFor(3));

  // The batch sent again: the received ones are replays, nothing new is stored.
  v1::SubmitCashRegisterInvoicesResponse again;
  ASSERT_TRUE(Send(request, &again).ok());
  ASSERT_THAT(again.results(), SizeIs(5));
  EXPECT_TRUE(again.results(0).replay());
  EXPECT_EQ(again.results(0).received_at().seconds(), response.results(0).received_at().seconds());
  EXPECT_TRUE(again.results(2).replay());
  EXPECT_FALSE(again.results(1).received());
  EXPECT_EQ(store_.size(), 2u);
}

TEST_F(CashRegisterBatchTest, AThousandInvoicesInOneBatch) {
  v1::SubmitCashRegisterInvoicesRequest request;
  for (uint32_t n = 1; n <= 1000; ++n) *request.add_invoices() = Item(n);
  v1::SubmitCashRegisterInvoicesResponse response;
  const grpc::Status status = Send(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(response.results(), SizeIs(1000));
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(response.results(i).received()) << i << " " << response.results(i).DebugString();
    ASSERT_EQ(response.results(i).code(), CodeFor(i + 1));
  }
  EXPECT_EQ(store_.size(), 1000u);
}

// A thousand invoices that are wrong in many ways: every answer still fits the response, each
// result lists a few violations and says how many more.
TEST_F(CashRegisterBatchTest, AThousandBadInvoicesStillFitOneAnswer) {
  v1::SubmitCashRegisterInvoicesRequest request;
  for (uint32_t n = 1; n <= 1000; ++n) {
    v1::CashRegisterInvoice item = Item(n);
    v1::Invoice* invoice = item.mutable_invoice();
    invoice->mutable_buyer()->set_citizen_id(std::string(300, '9'));  // long echoed details
    invoice->mutable_seller()->set_name("");
    for (v1::LineItem& line : *invoice->mutable_lines()) {
      line.set_name("");
      line.set_vat_rate(std::string(300, '%'));
    }
    *request.add_invoices() = std::move(item);
  }
  v1::SubmitCashRegisterInvoicesResponse response;
  const grpc::Status status = Send(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  ASSERT_THAT(response.results(), SizeIs(1000));
  for (const v1::CashRegisterResult& result : response.results()) {
    ASSERT_FALSE(result.received());
    ASSERT_EQ(result.rejected().violations_size(), 3);  // two, then "N more"
    EXPECT_EQ(result.rejected().violations(2).code(), "20000");
    EXPECT_TRUE(result.rejected().violations(0).hint().empty());
  }
  EXPECT_LT(response.ByteSizeLong(), size_t{4} << 20);
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(CashRegisterBatchTest, AnEmptyOrOversizedBatchIsRefusedWhole) {
  v1::SubmitCashRegisterInvoicesResponse response;
  EXPECT_EQ(Send({}, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::SubmitCashRegisterInvoicesRequest request;
  for (uint32_t n = 1; n <= 1001; ++n) {
    v1::CashRegisterInvoice* item = request.add_invoices();
    item->set_code(CodeFor(n));  // the bound is checked before anything is read
  }
  const grpc::Status status = Send(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("1000"));
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(CashRegisterBatchTest, OnlyTheSellerOrItsTvanMaySend) {
  v1::SubmitCashRegisterInvoicesRequest request;
  *request.add_invoices() = Item(1);
  v1::SubmitCashRegisterInvoicesResponse response;
  grpc::ClientContext context;
  testing::AsCaller(context, "taxpayer:0101243150");
  ASSERT_TRUE(authority_->SubmitCashRegisterInvoices(&context, request, &response).ok());
  ASSERT_THAT(response.results(), SizeIs(1));
  EXPECT_EQ(response.results(0).rejected().status_code(), 7);  // PERMISSION_DENIED
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(CashRegisterBatchTest, OfficersSeeCashRegisterInvoicesCountedApart) {
  v1::SubmitCashRegisterInvoicesRequest request;
  *request.add_invoices() = Item(1);
  *request.add_invoices() = Item(2);
  v1::SubmitCashRegisterInvoicesResponse response;
  ASSERT_TRUE(Send(request, &response).ok());
  v1::SubmitInvoiceResponse coded;
  ASSERT_TRUE(Submit(BaselineInvoice(), &coded).ok());
  v1::GetStatsResponse stats;
  grpc::ClientContext context;
  ASSERT_TRUE(officer_->GetStats(&context, {}, &stats).ok());
  EXPECT_EQ(stats.total_cash_register(), 2u);
  EXPECT_EQ(stats.total_issued(), 1u);
}

}  // namespace
}  // namespace einvoice
