#include "domain/seller_admin.h"

#include "gmock/gmock.h"
#include "tests/storage/support/in_memory_stores.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::FakeClock;
using ::einvoice::testing::InMemorySellerRegistry;
using ::einvoice::testing::StatusIs;

class SellerAdminTest : public ::testing::Test {
 protected:
  v1::RegisterSellerRequest Request(const std::string& tax_code = "0100047516") {
    v1::RegisterSellerRequest request;
    request.set_tax_code(tax_code);
    request.set_name("Công ty Cổ phần Thử Nghiệm");
    request.add_certificates_der("DER");
    return request;
  }
  FakeClock clock_{absl::FromUnixSeconds(1795000000)};
  InMemorySellerRegistry registry_;
  SellerAdmin admin_{&registry_, &clock_};
};

TEST_F(SellerAdminTest, RegistersANewSellerAsActive) {
  ASSERT_OK_AND_ASSIGN(v1::Seller seller, admin_.Register(Request()));
  EXPECT_EQ(seller.status(), v1::SELLER_STATUS_ACTIVE);
  EXPECT_EQ(seller.certificates_der_size(), 1);
  ASSERT_OK_AND_ASSIGN(v1::Seller read, admin_.Get("0100047516"));
  EXPECT_EQ(read.SerializeAsString(), seller.SerializeAsString());
}

TEST_F(SellerAdminTest, AcceptsBranchAndPersonalTaxCodes) {
  EXPECT_OK(admin_.Register(Request("0100047516-001")).status());
  EXPECT_OK(admin_.Register(Request("001099012345")).status());
}

TEST_F(SellerAdminTest, RejectsABadTaxCode) {
  EXPECT_THAT(admin_.Register(Request("0100047517")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(admin_.Get("0100047517"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SellerAdminTest, RejectsAnEmptyName) {
  v1::RegisterSellerRequest request = Request();
  request.clear_name();
  EXPECT_THAT(admin_.Register(request), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SellerAdminTest, ReRegisteringKeepsTheStatusAndRegistrationTime) {
  ASSERT_OK_AND_ASSIGN(v1::Seller first, admin_.Register(Request()));
  ASSERT_OK(admin_.SetStatus("0100047516", v1::SELLER_STATUS_SUSPENDED).status());
  clock_.Advance(absl::Hours(1));
  v1::RegisterSellerRequest update = Request();
  update.set_name("Tên mới");
  ASSERT_OK_AND_ASSIGN(v1::Seller updated, admin_.Register(update));
  EXPECT_EQ(updated.status(), v1::SELLER_STATUS_SUSPENDED);
  EXPECT_EQ(updated.name(), "Tên mới");
  EXPECT_EQ(updated.registered_at().seconds(), first.registered_at().seconds());
  EXPECT_GT(updated.updated_at().seconds(), first.updated_at().seconds());
}

TEST_F(SellerAdminTest, SetStatusOfAnUnknownSellerIsNotFound) {
  EXPECT_THAT(admin_.SetStatus("0100047516", v1::SELLER_STATUS_ACTIVE),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SellerAdminTest, SetStatusRejectsUnspecified) {
  ASSERT_OK(admin_.Register(Request()).status());
  EXPECT_THAT(admin_.SetStatus("0100047516", v1::SELLER_STATUS_UNSPECIFIED),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace einvoice
