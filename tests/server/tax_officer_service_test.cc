// In-process gRPC tests of every TaxOfficer rpc and its error paths.
#include <set>
#include <string>

#include "domain/authentication_record.h"
#include "gmock/gmock.h"
#include "tests/server/server_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::ServerFixture;
using ::testing::SizeIs;

class TaxOfficerServiceTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    StartServer();
    RegisterSeller(BaselineInvoice().seller().tax_code());
  }

  std::string SubmitNumber(uint32_t number, const std::string& issue_date = "") {
    v1::Invoice invoice = BaselineInvoice();
    invoice.set_number(number);
    if (!issue_date.empty()) invoice.set_issue_date(issue_date);
    v1::SubmitInvoiceResponse response;
    const grpc::Status status = Submit(invoice, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.accepted().authority_code();
  }

  std::vector<v1::AuthenticatedInvoice> SearchAll(v1::SearchInvoicesRequest request,
                                                  int* pages) {
    std::vector<v1::AuthenticatedInvoice> all;
    *pages = 0;
    do {
      v1::SearchInvoicesResponse page;
      grpc::ClientContext context;
      const grpc::Status status = officer_->SearchInvoices(&context, request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      ++*pages;
      all.insert(all.end(), page.invoices().begin(), page.invoices().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }
};

TEST_F(TaxOfficerServiceTest, SellerRegistryRoundTrip) {
  v1::GetSellerRequest get;
  get.set_tax_code(BaselineInvoice().seller().tax_code());
  v1::Seller seller;
  grpc::ClientContext c1;
  ASSERT_TRUE(officer_->GetSeller(&c1, get, &seller).ok());
  EXPECT_EQ(seller.status(), v1::SELLER_STATUS_ACTIVE);

  v1::SetSellerStatusRequest suspend;
  suspend.set_tax_code(seller.tax_code());
  suspend.set_status(v1::SELLER_STATUS_SUSPENDED);
  grpc::ClientContext c2;
  ASSERT_TRUE(officer_->SetSellerStatus(&c2, suspend, &seller).ok());
  EXPECT_EQ(seller.status(), v1::SELLER_STATUS_SUSPENDED);

  v1::SubmitInvoiceResponse response;
  EXPECT_EQ(Submit(BaselineInvoice(), &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(TaxOfficerServiceTest, SellerErrors) {
  v1::Seller seller;
  v1::GetSellerRequest get;
  get.set_tax_code("0101243150");
  grpc::ClientContext c1;
  EXPECT_EQ(officer_->GetSeller(&c1, get, &seller).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::RegisterSellerRequest bad;
  bad.set_tax_code("0101243151");  // wrong check digit
  bad.set_name("X");
  grpc::ClientContext c2;
  EXPECT_EQ(officer_->RegisterSeller(&c2, bad, &seller).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::SetSellerStatusRequest unknown;
  unknown.set_tax_code("0101243150");
  unknown.set_status(v1::SELLER_STATUS_STOPPED);
  grpc::ClientContext c3;
  EXPECT_EQ(officer_->SetSellerStatus(&c3, unknown, &seller).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(TaxOfficerServiceTest, ListSellersPagesThroughTheRegistryByStatus) {
  RegisterSeller("0100047516");
  RegisterSeller("0101243150");
  v1::SetSellerStatusRequest suspend;
  suspend.set_tax_code("0101243150");
  suspend.set_status(v1::SELLER_STATUS_SUSPENDED);
  v1::Seller seller;
  grpc::ClientContext c0;
  ASSERT_TRUE(officer_->SetSellerStatus(&c0, suspend, &seller).ok());

  v1::ListSellersRequest request;
  request.set_page_size(2);
  std::vector<std::string> codes;
  int pages = 0;
  do {
    v1::ListSellersResponse page;
    grpc::ClientContext context;
    const grpc::Status status = officer_->ListSellers(&context, request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ++pages;
    for (const v1::Seller& listed : page.sellers()) codes.push_back(listed.tax_code());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(codes, (std::vector<std::string>{"0100047516", "0101243150",
                                             BaselineInvoice().seller().tax_code()}));

  v1::ListSellersRequest suspended;
  suspended.set_status(v1::SELLER_STATUS_SUSPENDED);
  v1::ListSellersResponse page;
  grpc::ClientContext c1;
  ASSERT_TRUE(officer_->ListSellers(&c1, suspended, &page).ok());
  ASSERT_EQ(page.sellers_size(), 1);
  EXPECT_EQ(page.sellers(0).tax_code(), "0101243150");
  EXPECT_EQ(page.sellers(0).status(), v1::SELLER_STATUS_SUSPENDED);
  EXPECT_EQ(page.next_page_token(), "");
}

TEST_F(TaxOfficerServiceTest, ListSellersErrors) {
  v1::ListSellersResponse page;
  v1::ListSellersRequest bad_status;
  bad_status.set_status(static_cast<v1::SellerStatus>(9));
  grpc::ClientContext c1;
  EXPECT_EQ(officer_->ListSellers(&c1, bad_status, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListSellersRequest bad_token;
  bad_token.set_page_token("not-a-token");
  grpc::ClientContext c2;
  EXPECT_EQ(officer_->ListSellers(&c2, bad_token, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(TaxOfficerServiceTest, SearchBySellerPagesThroughEverythingInOrder) {
  std::set<std::string> codes;
  for (uint32_t i = 1; i <= 7; ++i) codes.insert(SubmitNumber(i));
  v1::SearchInvoicesRequest request;
  request.set_seller_tax_code(BaselineInvoice().seller().tax_code());
  request.set_page_size(3);
  int pages = 0;
  const auto found = SearchAll(request, &pages);
  EXPECT_EQ(pages, 3);
  ASSERT_THAT(found, SizeIs(7));
  std::set<std::string> found_codes;
  for (const auto& invoice : found) found_codes.insert(invoice.authority_code());
  EXPECT_EQ(found_codes, codes);
}

TEST_F(TaxOfficerServiceTest, SearchByBuyerWithADateRange) {
  SubmitNumber(1, "2026-11-01");
  SubmitNumber(2, "2026-11-15");
  SubmitNumber(3, "2026-11-20");
  v1::SearchInvoicesRequest request;
  request.set_buyer_tax_code(BaselineInvoice().buyer().tax_code());
  request.set_issued_from("2026-11-02");
  request.set_issued_to("2026-11-20");  // inclusive
  int pages = 0;
  const auto found = SearchAll(request, &pages);
  ASSERT_THAT(found, SizeIs(2));
  v1::AuthenticationRecord first;
  ASSERT_TRUE(first.ParseFromString(found[0].signed_record()));
  EXPECT_EQ(first.invoice().issue_date(), "2026-11-15");  // date order
}

TEST_F(TaxOfficerServiceTest, SearchErrors) {
  v1::SearchInvoicesResponse page;
  grpc::ClientContext c1;
  EXPECT_EQ(officer_->SearchInvoices(&c1, {}, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::SearchInvoicesRequest bad_date;
  bad_date.set_seller_tax_code(BaselineInvoice().seller().tax_code());
  bad_date.set_issued_from("2026-13-01");
  grpc::ClientContext c2;
  EXPECT_EQ(officer_->SearchInvoices(&c2, bad_date, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::SearchInvoicesRequest bad_token;
  bad_token.set_seller_tax_code(BaselineInvoice().seller().tax_code());
  bad_token.set_page_token("not-a-token");
  grpc::ClientContext c3;
  EXPECT_EQ(officer_->SearchInvoices(&c3, bad_token, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(TaxOfficerServiceTest, StatsCountIssuedAndRejectedByDay) {
  SubmitNumber(1);
  SubmitNumber(2);
  v1::Invoice bad = BaselineInvoice();
  bad.set_number(0);
  v1::SubmitInvoiceResponse response;
  EXPECT_FALSE(Submit(bad, &response).ok());
  v1::GetStatsResponse stats;
  grpc::ClientContext context;
  ASSERT_TRUE(officer_->GetStats(&context, {}, &stats).ok());
  ASSERT_THAT(stats.days(), SizeIs(1));
  EXPECT_EQ(stats.days(0).day(), "2026-11-22");
  EXPECT_EQ(stats.days(0).issued(), 2u);
  EXPECT_EQ(stats.days(0).rejected(), 1u);
  EXPECT_EQ(stats.total_issued(), 2u);
}

}  // namespace
}  // namespace einvoice
