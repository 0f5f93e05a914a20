// InvoiceQueries: who reads which invoices (get by code and by key, verify, search, stats),
// and which reads land in the audit trail.
#include "domain/invoice_queries.h"

#include <memory>
#include <string>

#include "common/limits.h"
#include "gmock/gmock.h"
#include "tests/domain/domain_fixture.h"

namespace einvoice {
namespace {

using ::einvoice::testing::BaselineBuyerTaxCode;
using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::BaselineSellerTaxCode;
using ::einvoice::testing::DomainFixture;
using ::einvoice::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kStranger[] = "0101243150";
constexpr char kTvan[] = "0100109106";

class InvoiceQueriesTest : public DomainFixture {
 protected:
  void SetUp() override {
    DomainFixture::SetUp();
    queries_ = std::make_unique<InvoiceQueries>(&store_, keys_.get(), &access_, &clock_);
    const SubmitOutcome outcome = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
    ASSERT_OK(outcome.status);
    invoice_ = outcome.accepted;
    v1::SetSellerTvanRequest tvan;
    tvan.set_tax_code(BaselineSellerTaxCode());
    tvan.set_tvan_tax_code(kTvan);
    ASSERT_OK(admin_.SetTvan(local_operator_, tvan).status());
    audit_base_ = AuditCount();
  }

  v1::GetInvoiceRequest ByCode() const {
    v1::GetInvoiceRequest request;
    request.set_authority_code(invoice_.authority_code());
    return request;
  }
  static v1::GetInvoiceRequest ByKey(uint32_t number = 1) {
    v1::GetInvoiceRequest request;
    v1::InvoiceKey* key = request.mutable_key();
    key->set_seller_tax_code(BaselineSellerTaxCode());
    key->set_template_code(BaselineInvoice().template_code());
    key->set_symbol(BaselineInvoice().symbol());
    key->set_number(number);
    return request;
  }
  static v1::SearchInvoicesRequest SellerSearch(const std::string& tax_code) {
    v1::SearchInvoicesRequest request;
    request.set_seller_tax_code(tax_code);
    return request;
  }
  static v1::SearchInvoicesRequest BuyerSearch(const std::string& tax_code) {
    v1::SearchInvoicesRequest request;
    request.set_buyer_tax_code(tax_code);
    return request;
  }
  v1::VerifyInvoiceRequest Verify() const {
    v1::VerifyInvoiceRequest request;
    *request.mutable_invoice() = invoice_;
    return request;
  }
  std::vector<v1::AuditRecord> Audited() { return AuditRecordsAfter(audit_base_); }

  std::unique_ptr<InvoiceQueries> queries_;
  v1::AuthenticatedInvoice invoice_;
  size_t audit_base_ = 0;
};

TEST_F(InvoiceQueriesTest, ItsSellerBuyerAndTvanReadAnInvoiceUnaudited) {
  for (const Caller& caller : {TaxpayerCaller(BaselineSellerTaxCode()),
                               TaxpayerCaller(BaselineBuyerTaxCode()), TaxpayerCaller(kTvan),
                               local_operator_}) {
    ASSERT_OK_AND_ASSIGN(v1::AuthenticatedInvoice by_code, queries_->Get(caller, ByCode()));
    EXPECT_EQ(by_code.SerializeAsString(), invoice_.SerializeAsString());
    ASSERT_OK_AND_ASSIGN(v1::VerifyInvoiceResponse verdict, queries_->Verify(caller, Verify()));
    EXPECT_TRUE(verdict.valid());
  }
  for (const Caller& caller : {TaxpayerCaller(BaselineSellerTaxCode()), TaxpayerCaller(kTvan)}) {
    ASSERT_OK_AND_ASSIGN(v1::AuthenticatedInvoice by_key, queries_->Get(caller, ByKey()));
    EXPECT_EQ(by_key.authority_code(), invoice_.authority_code());
  }
  EXPECT_THAT(Audited(), SizeIs(0));
}

TEST_F(InvoiceQueriesTest, AnotherTaxpayerIsDeniedAndTheDenialIsAudited) {
  const Caller stranger = TaxpayerCaller(kStranger);
  EXPECT_THAT(queries_->Get(stranger, ByCode()), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(queries_->Get(stranger, ByKey()), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(queries_->Verify(stranger, Verify()), StatusIs(absl::StatusCode::kPermissionDenied));
  const std::vector<v1::AuditRecord> records = Audited();
  ASSERT_THAT(records, SizeIs(3));
  EXPECT_EQ(records[0].operation(), "InvoiceAuthority.GetInvoice");
  EXPECT_EQ(records[0].target(), absl::StrCat("invoice ", invoice_.authority_code()));
  EXPECT_EQ(records[0].caller().tax_code(), kStranger);
  EXPECT_EQ(records[0].status_code(), 7);
  EXPECT_EQ(records[2].operation(), "InvoiceAuthority.VerifyInvoice");
}

TEST_F(InvoiceQueriesTest, ACertificateWithoutTaxCodeOrRoleReadsNothing) {
  const Caller nobody = Caller::WithCertificate(
      {std::string(64, '9'), "CN=nobody", "", absl::InfiniteFuture()}, TestPolicy());
  EXPECT_THAT(queries_->Get(nobody, ByCode()), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(queries_->Search(nobody, BuyerSearch(BaselineBuyerTaxCode())),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(InvoiceQueriesTest, KeyLookupsDoNotTellStrangersWhichNumbersExist) {
  EXPECT_THAT(queries_->Get(TaxpayerCaller(BaselineSellerTaxCode()), ByKey(99)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(queries_->Get(TaxpayerCaller(kTvan), ByKey(99)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(queries_->Get(OfficerCaller(), ByKey(99)), StatusIs(absl::StatusCode::kNotFound));
  // The buyer of invoice 1 and a stranger learn nothing about number 99.
  EXPECT_THAT(queries_->Get(TaxpayerCaller(BaselineBuyerTaxCode()), ByKey(99)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(queries_->Get(TaxpayerCaller(kStranger), ByKey(99)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(queries_->Get(TaxpayerCaller(kStranger), ByKey(1)),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(InvoiceQueriesTest, OfficersReadEverythingAndEveryReadIsAudited) {
  ASSERT_OK(queries_->Get(OfficerCaller(), ByCode()).status());
  ASSERT_OK(queries_->Verify(AdminCaller(), Verify()).status());
  ASSERT_OK_AND_ASSIGN(v1::SearchInvoicesResponse page,
                       queries_->Search(OfficerCaller(), BuyerSearch(BaselineBuyerTaxCode())));
  EXPECT_THAT(page.invoices(), SizeIs(1));
  const std::vector<v1::AuditRecord> records = Audited();
  ASSERT_THAT(records, SizeIs(3));
  EXPECT_EQ(records[0].caller().role(), v1::CALLER_ROLE_OFFICER);
  EXPECT_EQ(records[0].status_code(), 0);
  EXPECT_EQ(records[1].caller().role(), v1::CALLER_ROLE_ADMIN);
  EXPECT_EQ(records[2].operation(), "TaxOfficer.SearchInvoices");
  EXPECT_EQ(records[2].target(), absl::StrCat("search buyer ", BaselineBuyerTaxCode()));
}

TEST_F(InvoiceQueriesTest, TaxpayersSearchTheirOwnInvoicesOnly) {
  ASSERT_OK_AND_ASSIGN(
      v1::SearchInvoicesResponse sold,
      queries_->Search(TaxpayerCaller(BaselineSellerTaxCode()), SellerSearch(BaselineSellerTaxCode())));
  EXPECT_THAT(sold.invoices(), SizeIs(1));
  ASSERT_OK_AND_ASSIGN(
      v1::SearchInvoicesResponse bought,
      queries_->Search(TaxpayerCaller(BaselineBuyerTaxCode()), BuyerSearch(BaselineBuyerTaxCode())));
  EXPECT_THAT(bought.invoices(), SizeIs(1));
  ASSERT_OK_AND_ASSIGN(v1::SearchInvoicesResponse for_client,
                       queries_->Search(TaxpayerCaller(kTvan), SellerSearch(BaselineSellerTaxCode())));
  EXPECT_THAT(for_client.invoices(), SizeIs(1));
  // Someone else's purchases are personal data: not even the seller searches them.
  EXPECT_THAT(queries_->Search(TaxpayerCaller(BaselineSellerTaxCode()),
                               BuyerSearch(BaselineBuyerTaxCode())),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(queries_->Search(TaxpayerCaller(kTvan), BuyerSearch(BaselineBuyerTaxCode())),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(queries_->Search(TaxpayerCaller(kStranger), SellerSearch(BaselineSellerTaxCode())),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(InvoiceQueriesTest, StatisticsAreForOfficers) {
  EXPECT_OK(queries_->Stats(OfficerCaller(), v1::GetStatsRequest()).status());
  EXPECT_THAT(queries_->Stats(TaxpayerCaller(BaselineSellerTaxCode()), v1::GetStatsRequest()),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Audited(), SizeIs(2));
}

TEST_F(InvoiceQueriesTest, ATvanDoesNotReadItsSellersPurchases) {
  // An invoice the T-VAN's client BOUGHT (kStranger sold it to the baseline seller).
  ASSERT_OK(admin_.Register(local_operator_, [] {
                    v1::RegisterSellerRequest r;
                    r.set_tax_code(kStranger);
                    r.set_name("Người bán khác");
                    return r;
                  }())
                .status());
  v1::Invoice purchase = BaselineInvoice();
  purchase.mutable_seller()->set_tax_code(kStranger);
  purchase.mutable_buyer()->set_tax_code(BaselineSellerTaxCode());
  const SubmitOutcome outcome = authenticator_->Submit(local_operator_, purchase, "");
  ASSERT_OK(outcome.status);
  v1::GetInvoiceRequest request;
  request.set_authority_code(outcome.accepted.authority_code());
  EXPECT_OK(queries_->Get(TaxpayerCaller(BaselineSellerTaxCode()), request).status());  // buyer
  EXPECT_THAT(queries_->Get(TaxpayerCaller(kTvan), request),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(InvoiceQueriesTest, ARevokedCertificateReadsNothingAsItsTaxpayer) {
  // The seller's registration lists the caller's certificate ('b…b') as revoked.
  v1::Seller seller = **sellers_.Get(BaselineSellerTaxCode());
  v1::RevokedCertificate* revoked = seller.add_revoked_certificates();
  revoked->set_fingerprint(std::string(64, 'b'));
  revoked->set_reason("khóa bị lộ");
  ASSERT_OK(sellers_.Put(seller));
  EXPECT_THAT(queries_->Get(TaxpayerCaller(BaselineSellerTaxCode()), ByCode()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("revoked")));
  EXPECT_THAT(queries_->Search(TaxpayerCaller(BaselineSellerTaxCode()),
                               SellerSearch(BaselineSellerTaxCode())),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Another certificate of the same seller still works.
  EXPECT_OK(queries_->Get(TaxpayerCaller(BaselineSellerTaxCode(), 'c'), ByCode()).status());
}

TEST_F(InvoiceQueriesTest, AnOfficersReadFailsClosedWhenItCannotBeAudited) {
  audit_log_.FailNextAppends(3, absl::UnavailableError("disk full"));
  EXPECT_THAT(queries_->Get(OfficerCaller(), ByCode()), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(queries_->Search(OfficerCaller(), SellerSearch(BaselineSellerTaxCode())),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(queries_->Stats(OfficerCaller(), v1::GetStatsRequest()),
              StatusIs(absl::StatusCode::kUnavailable));
  // A taxpayer's own reads are not audited and go on.
  EXPECT_OK(queries_->Get(TaxpayerCaller(BaselineSellerTaxCode()), ByCode()).status());
  EXPECT_OK(queries_->Get(OfficerCaller(), ByCode()).status());  // the trail works again
}

TEST_F(InvoiceQueriesTest, SearchPagesAreBoundedByBytes) {
  // Six large invoices of one seller (1.5 MB each, as big XML invoices are once coded).
  for (int i = 0; i < 6; ++i) {
    v1::AuthenticatedInvoice big;
    big.set_authority_code(absl::StrCat("00", std::string(31, 'A'), i));
    big.set_coded_xml(std::string(1500000, 'x'));
    NewInvoice record;
    record.authority_code = big.authority_code();
    record.authenticated_invoice = big.SerializeAsString();
    record.content_sha256 = std::string(32, static_cast<char>(i));
    record.key.set_seller_tax_code(kStranger);
    record.key.set_template_code("1");
    record.key.set_symbol("C26TAA");
    record.key.set_number(100 + i);
    record.issue_date = absl::CivilDay(2026, 11, 20);
    record.issued_day = record.issue_date;
    ASSERT_OK(store_.Insert(record).status());
  }
  v1::SearchInvoicesRequest request = SellerSearch(kStranger);
  request.set_page_size(1000);
  size_t invoices = 0;
  int pages = 0;
  do {
    ASSERT_OK_AND_ASSIGN(v1::SearchInvoicesResponse page, queries_->Search(OfficerCaller(), request));
    EXPECT_LE(page.ByteSizeLong(), kMaxResponseBytes);
    invoices += page.invoices_size();
    ++pages;
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(invoices, 6u);
  EXPECT_EQ(pages, 3);  // two a page
}

TEST_F(InvoiceQueriesTest, VerifyingACodeNotOnFileSaysSo) {
  v1::VerifyInvoiceRequest request = Verify();
  request.mutable_invoice()->set_authority_code("00" + std::string(32, 'F'));
  ASSERT_OK_AND_ASSIGN(v1::VerifyInvoiceResponse verdict,
                       queries_->Verify(TaxpayerCaller(kStranger), request));
  EXPECT_FALSE(verdict.valid());
  EXPECT_FALSE(verdict.matches_record_on_file());
  EXPECT_THAT(verdict.problems(), ::testing::Contains(HasSubstr("is on file")));
}

}  // namespace
}  // namespace einvoice
