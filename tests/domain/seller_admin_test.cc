// SellerAdmin: registration never replaces certificates or the T-VAN silently; every
// certificate is parsed and checked before it is stored; only officers change or list the
// registry, and every change, every listed page (and every refusal) is in the audit trail.
#include "domain/seller_admin.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "domain/access_policy.h"
#include "einvoice/v1/audit.pb.h"
#include "gmock/gmock.h"
#include "tests/domain/domain_fixture.h"
#include "tests/xml/support/test_pki.h"

namespace einvoice {
namespace {

using ::einvoice::testing::DomainFixture;
using ::einvoice::testing::StatusIs;
using ::einvoice::testing::TestCa;
using ::einvoice::testing::TestCredential;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kSeller[] = "0100047516";

class SellerAdminTest : public DomainFixture {
 protected:
  void SetUp() override {
    DomainFixture::SetUp();
    audit_base_ = AuditCount();  // the fixture's own registration
  }

  // 2026-11-22 lies inside [2025-01-01, 2028-01-01].
  TestCredential Certificate(const std::string& tax_code, int from_year = 2025,
                             int to_year = 2028) {
    return ca_.IssueSellerCertificate(
        tax_code, absl::FromCivil(absl::CivilDay(from_year, 1, 1), absl::UTCTimeZone()),
        absl::FromCivil(absl::CivilDay(to_year, 1, 1), absl::UTCTimeZone()),
        testing::TestKeyType::kEcP256);
  }

  v1::RegisterSellerRequest Request(const std::string& tax_code = kSeller) {
    v1::RegisterSellerRequest request;
    request.set_tax_code(tax_code);
    request.set_name("Công ty Cổ phần Thử Nghiệm");
    return request;
  }

  static std::string FingerprintOf(const TestCredential& credential) {
    return IdentifyCertificate(credential.certificate_der)->fingerprint;
  }

  // The audit records written since SetUp().
  std::vector<v1::AuditRecord> AuditRecords() { return AuditRecordsAfter(audit_base_); }

  Caller Officer() { return OfficerCaller(); }
  Caller Taxpayer(const std::string& tax_code) { return TaxpayerCaller(tax_code); }

  TestCa ca_;
  size_t audit_base_ = 0;
};

TEST_F(SellerAdminTest, RegistersANewSellerAsActiveWithCheckedCertificates) {
  v1::RegisterSellerRequest request = Request();
  const TestCredential certificate = Certificate(kSeller);
  request.add_certificates_der(certificate.certificate_der);
  request.set_tvan_tax_code("0101243150");
  ASSERT_OK_AND_ASSIGN(v1::Seller seller, admin_.Register(local_operator_, request));
  EXPECT_EQ(seller.status(), v1::SELLER_STATUS_ACTIVE);
  EXPECT_THAT(seller.certificates_der(), ElementsAre(certificate.certificate_der));
  EXPECT_EQ(seller.tvan_tax_code(), "0101243150");
  ASSERT_OK_AND_ASSIGN(v1::Seller read, admin_.Get(local_operator_, kSeller));
  EXPECT_EQ(read.SerializeAsString(), seller.SerializeAsString());
}

TEST_F(SellerAdminTest, AcceptsBranchAndPersonalTaxCodes) {
  EXPECT_OK(admin_.Register(local_operator_, Request("0100047516-001")).status());
  EXPECT_OK(admin_.Register(local_operator_, Request("001099012345")).status());
}

TEST_F(SellerAdminTest, RejectsABadTaxCode) {
  EXPECT_THAT(admin_.Register(local_operator_, Request("0100047517")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(admin_.Get(local_operator_, "0100047517"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SellerAdminTest, RejectsAnEmptyName) {
  v1::RegisterSellerRequest request = Request();
  request.clear_name();
  EXPECT_THAT(admin_.Register(local_operator_, request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SellerAdminTest, RejectsControlCharactersAndAnAllZeroPersonalId) {
  v1::RegisterSellerRequest request = Request();
  request.set_name(std::string("Công ty\0", 9));
  EXPECT_THAT(admin_.Register(local_operator_, request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("control characters")));
  EXPECT_THAT(admin_.Register(local_operator_, Request("000000000000")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("000")));
}

TEST_F(SellerAdminTest, RejectsBytesThatAreNotACertificate) {
  v1::RegisterSellerRequest request = Request();
  request.add_certificates_der(std::string(1 << 20, '\0'));
  EXPECT_THAT(admin_.Register(local_operator_, request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("certificates_der[0]")));
  EXPECT_THAT(admin_.Get(local_operator_, kSeller), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SellerAdminTest, RejectsAnotherSellersCertificate) {
  v1::RegisterSellerRequest request = Request();
  request.add_certificates_der(Certificate("0101243150").certificate_der);
  EXPECT_THAT(admin_.Register(local_operator_, request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("MST:0100047516")));
  EXPECT_THAT(admin_.Get(local_operator_, kSeller), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SellerAdminTest, TheTaxCodeMustBeInTheUidAttribute) {
  // Another taxpayer's certificate naming the seller elsewhere in its subject: over TLS it
  // identifies its holder (UID), not the seller, so registration refuses it.
  testing::TestCertificateSpec spec;
  spec.tax_code = "0101243150";
  spec.organisation = "Đại lý thuế MST:0100047516";
  spec.not_before = absl::FromCivil(absl::CivilDay(2025, 1, 1), absl::UTCTimeZone());
  spec.not_after = absl::FromCivil(absl::CivilDay(2028, 1, 1), absl::UTCTimeZone());
  v1::RegisterSellerRequest request = Request();
  request.add_certificates_der(ca_.IssueCertificate(spec).certificate_der);
  EXPECT_THAT(admin_.Register(local_operator_, request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no UID=MST:0100047516")));
}

TEST_F(SellerAdminTest, RejectsAnOversizedCertificate) {
  v1::RegisterSellerRequest request = Request();
  request.add_certificates_der(std::string(kMaxSellerCertificateBytes + 1, '0'));
  EXPECT_THAT(admin_.Register(local_operator_, request),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most")));
}

TEST_F(SellerAdminTest, RejectsExpiredAndNotYetValidCertificates) {
  for (const auto& [from, to] : {std::pair{2020, 2025}, std::pair{2027, 2030}}) {
    v1::RegisterSellerRequest request = Request();
    request.add_certificates_der(Certificate(kSeller, from, to).certificate_der);
    EXPECT_THAT(admin_.Register(local_operator_, request),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid now")))
        << from << ".." << to;
  }
}

TEST_F(SellerAdminTest, ReRegisteringRenamesButKeepsStatusCertificatesAndTvan) {
  v1::RegisterSellerRequest request = Request();
  const TestCredential certificate = Certificate(kSeller);
  request.add_certificates_der(certificate.certificate_der);
  request.set_tvan_tax_code("0101243150");
  ASSERT_OK_AND_ASSIGN(v1::Seller first, admin_.Register(local_operator_, request));
  ASSERT_OK(admin_.SetStatus(local_operator_, kSeller, v1::SELLER_STATUS_SUSPENDED).status());
  clock_.Advance(absl::Hours(1));
  v1::RegisterSellerRequest rename = Request();
  rename.set_name("Tên mới");
  ASSERT_OK_AND_ASSIGN(v1::Seller updated, admin_.Register(local_operator_, rename));
  EXPECT_EQ(updated.status(), v1::SELLER_STATUS_SUSPENDED);
  EXPECT_EQ(updated.name(), "Tên mới");
  EXPECT_THAT(updated.certificates_der(), ElementsAre(certificate.certificate_der));
  EXPECT_EQ(updated.tvan_tax_code(), "0101243150");
  EXPECT_EQ(updated.registered_at().seconds(), first.registered_at().seconds());
  EXPECT_GT(updated.updated_at().seconds(), first.updated_at().seconds());
  // A retry of the original request is fine too.
  EXPECT_OK(admin_.Register(local_operator_, request).status());
}

TEST_F(SellerAdminTest, ReRegisteringNeverReplacesCertificatesOrTvan) {
  v1::RegisterSellerRequest request = Request();
  const TestCredential genuine = Certificate(kSeller);
  request.add_certificates_der(genuine.certificate_der);
  ASSERT_OK(admin_.Register(local_operator_, request).status());

  v1::RegisterSellerRequest takeover = Request();
  takeover.add_certificates_der(Certificate(kSeller).certificate_der);  // an attacker's
  EXPECT_THAT(admin_.Register(local_operator_, takeover),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("AddSellerCertificate")));
  v1::RegisterSellerRequest tvan = Request();
  tvan.set_tvan_tax_code("0101243150");
  EXPECT_THAT(admin_.Register(local_operator_, tvan),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("SetSellerTvan")));
  ASSERT_OK_AND_ASSIGN(v1::Seller seller, admin_.Get(local_operator_, kSeller));
  EXPECT_THAT(seller.certificates_der(), ElementsAre(genuine.certificate_der));
  EXPECT_EQ(seller.tvan_tax_code(), "");
}

TEST_F(SellerAdminTest, AddsAndRevokesCertificatesExplicitly) {
  ASSERT_OK(admin_.Register(local_operator_, Request()).status());
  const TestCredential first = Certificate(kSeller);
  const TestCredential second = Certificate(kSeller);
  v1::AddSellerCertificateRequest add;
  add.set_tax_code(kSeller);
  add.set_certificate_der(first.certificate_der);
  ASSERT_OK(admin_.AddCertificate(local_operator_, add).status());
  ASSERT_OK(admin_.AddCertificate(local_operator_, add).status());  // a retry changes nothing
  add.set_certificate_der(second.certificate_der);
  ASSERT_OK_AND_ASSIGN(v1::Seller both, admin_.AddCertificate(local_operator_, add));
  EXPECT_THAT(both.certificates_der(),
              ElementsAre(first.certificate_der, second.certificate_der));

  v1::RevokeSellerCertificateRequest revoke;
  revoke.set_tax_code(kSeller);
  revoke.set_fingerprint(absl::AsciiStrToUpper(FingerprintOf(first)));
  revoke.set_reason("x");
  EXPECT_THAT(admin_.RevokeCertificate(local_operator_, revoke),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("lower-case")));
  revoke.clear_reason();
  revoke.set_fingerprint(FingerprintOf(first));
  EXPECT_THAT(admin_.RevokeCertificate(local_operator_, revoke),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  revoke.set_reason("khóa bị lộ");
  ASSERT_OK_AND_ASSIGN(v1::Seller revoked, admin_.RevokeCertificate(local_operator_, revoke));
  EXPECT_THAT(revoked.certificates_der(), ElementsAre(second.certificate_der));
  ASSERT_EQ(revoked.revoked_certificates_size(), 1);
  EXPECT_EQ(revoked.revoked_certificates(0).certificate_der(), first.certificate_der);
  EXPECT_EQ(revoked.revoked_certificates(0).reason(), "khóa bị lộ");
  EXPECT_EQ(revoked.revoked_certificates(0).fingerprint(), FingerprintOf(first));
  EXPECT_THAT(admin_.RevokeCertificate(local_operator_, revoke),
              StatusIs(absl::StatusCode::kNotFound));
  // A revoked certificate does not come back.
  add.set_certificate_der(first.certificate_der);
  EXPECT_THAT(admin_.AddCertificate(local_operator_, add),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("revoked")));
}

TEST_F(SellerAdminTest, AddCertificateChecksTheCertificate) {
  ASSERT_OK(admin_.Register(local_operator_, Request()).status());
  v1::AddSellerCertificateRequest add;
  add.set_tax_code(kSeller);
  add.set_certificate_der(Certificate("0101243150").certificate_der);
  EXPECT_THAT(admin_.AddCertificate(local_operator_, add),
              StatusIs(absl::StatusCode::kInvalidArgument));
  add.set_certificate_der("not a certificate");
  EXPECT_THAT(admin_.AddCertificate(local_operator_, add),
              StatusIs(absl::StatusCode::kInvalidArgument));
  add.set_tax_code("0101243150");
  add.set_certificate_der(Certificate("0101243150").certificate_der);
  EXPECT_THAT(admin_.AddCertificate(local_operator_, add), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SellerAdminTest, AtMostSixteenCertificatesInForce) {
  ASSERT_OK(admin_.Register(local_operator_, Request()).status());
  v1::AddSellerCertificateRequest add;
  add.set_tax_code(kSeller);
  for (size_t i = 0; i < kMaxSellerCertificates; ++i) {
    add.set_certificate_der(Certificate(kSeller).certificate_der);
    ASSERT_OK(admin_.AddCertificate(local_operator_, add).status());
  }
  add.set_certificate_der(Certificate(kSeller).certificate_der);
  EXPECT_THAT(admin_.AddCertificate(local_operator_, add),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(SellerAdminTest, OldRevocationsKeepTheirFingerprintNotTheCertificate) {
  ASSERT_OK(admin_.Register(local_operator_, Request()).status());
  std::vector<std::string> fingerprints;
  std::string first_der;
  for (size_t i = 0; i < kRevokedCertificatesKept + 2; ++i) {
    const TestCredential certificate = Certificate(kSeller);
    v1::AddSellerCertificateRequest add;
    add.set_tax_code(kSeller);
    add.set_certificate_der(certificate.certificate_der);
    ASSERT_OK(admin_.AddCertificate(local_operator_, add).status());
    v1::RevokeSellerCertificateRequest revoke;
    revoke.set_tax_code(kSeller);
    revoke.set_fingerprint(FingerprintOf(certificate));
    revoke.set_reason("thay khóa");
    ASSERT_OK(admin_.RevokeCertificate(local_operator_, revoke).status());
    fingerprints.push_back(FingerprintOf(certificate));
    if (i == 0) first_der = certificate.certificate_der;
  }
  ASSERT_OK_AND_ASSIGN(v1::Seller seller, admin_.Get(local_operator_, kSeller));
  ASSERT_EQ(seller.revoked_certificates_size(), static_cast<int>(kRevokedCertificatesKept + 2));
  EXPECT_TRUE(seller.revoked_certificates(0).certificate_der().empty());
  EXPECT_EQ(seller.revoked_certificates(0).fingerprint(), fingerprints[0]);
  EXPECT_FALSE(seller.revoked_certificates(2).certificate_der().empty());
  // The first cannot come back, even though its DER is gone from the record.
  v1::AddSellerCertificateRequest again;
  again.set_tax_code(kSeller);
  again.set_certificate_der(first_der);
  EXPECT_THAT(admin_.AddCertificate(local_operator_, again),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("revoked")));
}

TEST_F(SellerAdminTest, SetsAndClearsTheTvan) {
  ASSERT_OK(admin_.Register(local_operator_, Request()).status());
  v1::SetSellerTvanRequest request;
  request.set_tax_code(kSeller);
  request.set_tvan_tax_code("0101243151");  // bad check digit
  EXPECT_THAT(admin_.SetTvan(local_operator_, request),
              StatusIs(absl::StatusCode::kInvalidArgument));
  request.set_tvan_tax_code("0101243150");
  ASSERT_OK_AND_ASSIGN(v1::Seller named, admin_.SetTvan(local_operator_, request));
  EXPECT_EQ(named.tvan_tax_code(), "0101243150");
  request.clear_tvan_tax_code();
  ASSERT_OK_AND_ASSIGN(v1::Seller cleared, admin_.SetTvan(local_operator_, request));
  EXPECT_EQ(cleared.tvan_tax_code(), "");
}

TEST_F(SellerAdminTest, SetStatusOfAnUnknownSellerIsNotFound) {
  EXPECT_THAT(admin_.SetStatus(local_operator_, kSeller, v1::SELLER_STATUS_ACTIVE),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SellerAdminTest, SetStatusRejectsUnspecified) {
  ASSERT_OK(admin_.Register(local_operator_, Request()).status());
  EXPECT_THAT(admin_.SetStatus(local_operator_, kSeller, v1::SELLER_STATUS_UNSPECIFIED),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SellerAdminTest, OnlyOfficersChangeTheRegistry) {
  ASSERT_OK(admin_.Register(Officer(), Request()).status());
  const Caller seller = Taxpayer(kSeller);
  v1::RegisterSellerRequest request = Request();
  EXPECT_THAT(admin_.Register(seller, request), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(admin_.SetStatus(seller, kSeller, v1::SELLER_STATUS_ACTIVE),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::AddSellerCertificateRequest add;
  add.set_tax_code(kSeller);
  add.set_certificate_der(Certificate(kSeller).certificate_der);
  EXPECT_THAT(admin_.AddCertificate(seller, add), StatusIs(absl::StatusCode::kPermissionDenied));
  v1::SetSellerTvanRequest tvan;
  tvan.set_tax_code(kSeller);
  tvan.set_tvan_tax_code("0101243150");
  EXPECT_THAT(admin_.SetTvan(seller, tvan), StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(v1::Seller unchanged, admin_.Get(Officer(), kSeller));
  EXPECT_EQ(unchanged.certificates_der_size(), 0);
  EXPECT_EQ(unchanged.tvan_tax_code(), "");
}

TEST_F(SellerAdminTest, ASellerReadsItsOwnRegistrationButNotAnothers) {
  ASSERT_OK(admin_.Register(local_operator_, Request()).status());
  ASSERT_OK(admin_.Register(local_operator_, Request("0101243150")).status());
  EXPECT_OK(admin_.Get(Taxpayer(kSeller), kSeller).status());
  EXPECT_THAT(admin_.Get(Taxpayer(kSeller), "0101243150"),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(SellerAdminTest, EveryOfficerChangeAndEveryRefusalIsAudited) {
  ASSERT_OK(admin_.Register(Officer(), Request()).status());
  EXPECT_THAT(admin_.SetStatus(Taxpayer(kSeller), kSeller, v1::SELLER_STATUS_STOPPED),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(admin_.SetStatus(Officer(), "0101243150", v1::SELLER_STATUS_STOPPED),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK(admin_.Get(Taxpayer(kSeller), kSeller).status());  // its own: not audited

  const std::vector<v1::AuditRecord> records = AuditRecords();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].operation(), "TaxOfficer.RegisterSeller");
  EXPECT_EQ(records[0].target(), "seller 0100047516");
  EXPECT_EQ(records[0].caller().role(), v1::CALLER_ROLE_OFFICER);
  EXPECT_EQ(records[0].caller().fingerprint(), std::string(64, 'e'));
  EXPECT_EQ(records[0].status_code(), 0);
  EXPECT_EQ(records[1].operation(), "TaxOfficer.SetSellerStatus");
  EXPECT_EQ(records[1].caller().role(), v1::CALLER_ROLE_TAXPAYER);
  EXPECT_EQ(records[1].caller().tax_code(), kSeller);
  EXPECT_EQ(records[1].status_code(), static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(records[2].target(), "seller 0101243150 to SELLER_STATUS_STOPPED");
  EXPECT_EQ(records[2].status_code(), static_cast<int>(absl::StatusCode::kNotFound));
}

// Lists every page of `request` as `caller`; the sellers' tax codes.
class SellerListTest : public SellerAdminTest {
 protected:
  std::vector<std::string> ListAll(const Caller& caller, v1::ListSellersRequest request,
                                   int* pages = nullptr) {
    std::vector<std::string> codes;
    int count = 0;
    do {
      absl::StatusOr<v1::ListSellersResponse> page = admin_.List(caller, request);
      EXPECT_OK(page.status());
      if (!page.ok() || ++count > 100) break;
      for (const v1::Seller& seller : page->sellers()) codes.push_back(seller.tax_code());
      request.set_page_token(page->next_page_token());
    } while (!request.page_token().empty());
    if (pages != nullptr) *pages = count;
    return codes;
  }

  static v1::ListSellersRequest Request(v1::SellerStatus status, uint32_t page_size = 0) {
    v1::ListSellersRequest request;
    request.set_status(status);
    request.set_page_size(page_size);
    return request;
  }
};

TEST_F(SellerListTest, OfficersListEverySellerInTaxCodeOrderOrOneStatus) {
  // The fixture registered the baseline seller (99…, last in tax code order).
  const std::string baseline = testing::BaselineSellerTaxCode();
  ASSERT_OK(admin_.Register(Officer(), SellerAdminTest::Request("0101243150")).status());
  ASSERT_OK(admin_.Register(Officer(), SellerAdminTest::Request(kSeller)).status());
  ASSERT_OK(admin_.SetStatus(Officer(), "0101243150", v1::SELLER_STATUS_SUSPENDED).status());
  int pages = 0;
  EXPECT_THAT(ListAll(Officer(), Request(v1::SELLER_STATUS_UNSPECIFIED, 2), &pages),
              ElementsAre(kSeller, "0101243150", baseline));
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(ListAll(AdminCaller(), Request(v1::SELLER_STATUS_SUSPENDED)),
              ElementsAre("0101243150"));
  EXPECT_THAT(ListAll(Officer(), Request(v1::SELLER_STATUS_ACTIVE)),
              ElementsAre(kSeller, baseline));
  EXPECT_THAT(ListAll(Officer(), Request(v1::SELLER_STATUS_STOPPED)), ::testing::IsEmpty());
  // Each listed seller is the whole registration, as Get() returns it.
  ASSERT_OK_AND_ASSIGN(v1::ListSellersResponse first,
                       admin_.List(Officer(), Request(v1::SELLER_STATUS_SUSPENDED)));
  ASSERT_EQ(first.sellers_size(), 1);
  ASSERT_OK_AND_ASSIGN(v1::Seller got, admin_.Get(Officer(), "0101243150"));
  EXPECT_EQ(first.sellers(0).SerializeAsString(), got.SerializeAsString());
}

TEST_F(SellerListTest, PageSizeDefaultsToOneHundredAndIsCappedAtOneThousand) {
  // Straight into the registry: 1 200 sellers (tax codes need no check digit there).
  for (int i = 0; i < 1200; ++i) {
    v1::Seller seller;
    seller.set_tax_code(absl::StrFormat("09%08d", i));
    seller.set_name("x");
    seller.set_status(v1::SELLER_STATUS_ACTIVE);
    ASSERT_OK(sellers_.Put(seller));
  }
  ASSERT_OK_AND_ASSIGN(v1::ListSellersResponse by_default,
                       admin_.List(Officer(), Request(v1::SELLER_STATUS_UNSPECIFIED)));
  EXPECT_EQ(by_default.sellers_size(), static_cast<int>(kDefaultSellerPageSize));
  ASSERT_OK_AND_ASSIGN(v1::ListSellersResponse capped,
                       admin_.List(Officer(), Request(v1::SELLER_STATUS_UNSPECIFIED, 5000)));
  EXPECT_EQ(capped.sellers_size(), static_cast<int>(kMaxSellerPageSize));
  EXPECT_NE(capped.next_page_token(), "");
}

TEST_F(SellerListTest, ARareStatusIsFoundAcrossShortPages) {
  // One suspended seller after more registrations than a page reads (the baseline seller,
  // 99…, comes after it).
  for (size_t i = 0; i < kMaxSellersExaminedPerPage + 5; ++i) {
    v1::Seller seller;
    seller.set_tax_code(absl::StrFormat("09%08d", i));
    seller.set_status(v1::SELLER_STATUS_ACTIVE);
    ASSERT_OK(sellers_.Put(seller));
  }
  v1::Seller rare;
  rare.set_tax_code("0999999999");
  rare.set_status(v1::SELLER_STATUS_SUSPENDED);
  ASSERT_OK(sellers_.Put(rare));
  ASSERT_OK_AND_ASSIGN(v1::ListSellersResponse first,
                       admin_.List(Officer(), Request(v1::SELLER_STATUS_SUSPENDED)));
  EXPECT_EQ(first.sellers_size(), 0);  // the first page read its share and found none
  EXPECT_NE(first.next_page_token(), "");
  int pages = 0;
  EXPECT_THAT(ListAll(Officer(), Request(v1::SELLER_STATUS_SUSPENDED), &pages),
              ElementsAre("0999999999"));
  EXPECT_EQ(pages, 2);
}

TEST_F(SellerListTest, RejectsAStatusThatIsNotOneAndAForeignPageToken) {
  EXPECT_THAT(admin_.List(Officer(), Request(static_cast<v1::SellerStatus>(7))),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a seller status")));
  ASSERT_OK(admin_.Register(Officer(), SellerAdminTest::Request(kSeller)).status());
  ASSERT_OK_AND_ASSIGN(v1::ListSellersResponse first,
                       admin_.List(Officer(), Request(v1::SELLER_STATUS_UNSPECIFIED, 1)));
  ASSERT_NE(first.next_page_token(), "");
  v1::ListSellersRequest suspended = Request(v1::SELLER_STATUS_SUSPENDED);
  suspended.set_page_token(first.next_page_token());
  EXPECT_THAT(admin_.List(Officer(), suspended), StatusIs(absl::StatusCode::kInvalidArgument));
  suspended.set_page_token("garbage");
  EXPECT_THAT(admin_.List(Officer(), suspended), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SellerListTest, TaxpayersAndTvansAreDeniedAndEveryPageIsAudited) {
  // The seller itself (which may read its own registration) may not list the registry.
  EXPECT_THAT(admin_.List(Taxpayer(testing::BaselineSellerTaxCode()),
                          Request(v1::SELLER_STATUS_UNSPECIFIED)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK(admin_.List(Officer(), Request(v1::SELLER_STATUS_SUSPENDED)).status());
  ASSERT_OK(admin_.List(Officer(), Request(v1::SELLER_STATUS_UNSPECIFIED)).status());

  const std::vector<v1::AuditRecord> records = AuditRecords();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].operation(), "TaxOfficer.ListSellers");
  EXPECT_EQ(records[0].caller().role(), v1::CALLER_ROLE_TAXPAYER);
  EXPECT_EQ(records[0].status_code(), static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(records[1].operation(), "TaxOfficer.ListSellers");
  EXPECT_EQ(records[1].target(), "sellers SELLER_STATUS_SUSPENDED");
  EXPECT_EQ(records[1].caller().role(), v1::CALLER_ROLE_OFFICER);
  EXPECT_EQ(records[1].status_code(), 0);
  EXPECT_EQ(records[2].target(), "sellers");
}

TEST_F(SellerListTest, NothingIsListedWhenTheAuditRecordCannotBeWritten) {
  audit_log_.FailNextAppends(1, absl::UnavailableError("disk full"));
  EXPECT_THAT(admin_.List(Officer(), Request(v1::SELLER_STATUS_UNSPECIFIED)),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("audit trail")));
}

}  // namespace
}  // namespace einvoice
