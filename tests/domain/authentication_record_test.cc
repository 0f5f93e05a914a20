#include "domain/authentication_record.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "signer/digest.h"
#include "tests/testing/status_matchers.h"

namespace einvoice {
namespace {

using ::einvoice::testing::StatusIs;

// A small invoice fixed here (not the shared baseline) so the golden bytes never move when
// other tests' data changes.
v1::Invoice GoldenInvoice() {
  v1::Invoice invoice;
  invoice.set_version("2.1.0");
  invoice.set_invoice_name("HĐ GTGT");
  invoice.set_template_code("1");
  invoice.set_symbol("C26TAA");
  invoice.set_number(42);
  invoice.set_issue_date("2026-11-20");
  invoice.set_currency("VND");
  invoice.mutable_seller()->set_name("A");
  invoice.mutable_seller()->set_tax_code("0100047516");
  v1::LineItem* line = invoice.add_lines();
  line->set_nature(v1::LINE_NATURE_GOODS_OR_SERVICE);
  line->set_name("X");
  line->set_amount("1000");
  line->set_vat_rate("8%");
  invoice.mutable_totals()->set_total_payable("1080");
  return invoice;
}

const char kCode[] = "000123456789ABCDEF0123456789ABCDEF";
const absl::Time kIssuedAt = absl::FromUnixMicros(1795143845123456);
const std::string kKeyId(64, 'a');

TEST(AuthenticationRecordTest, GoldenBytes) {
  const std::string record = BuildSignedRecord(kCode, kIssuedAt, kKeyId, GoldenInvoice());
  // field 1 = 1; field 2 = the code; field 3 = {seconds 1795143845, nanos 123456000};
  // field 4 = key id; field 5 = the invoice; field 6 = SHA-256 of field 5's payload.
  EXPECT_EQ(absl::BytesToHexString(record),
            "0801"                                                       // 1: format_version 1
            "1222" "3030303132333435363738394142434445463031323334353637"  // 2: code, 34 bytes
            "38394142434445461a0b08a5f1fed706108094ef3a"                 // 3: issued_at
            "2240" "61616161616161616161616161616161616161616161616161616161616161616161"
            "616161616161616161616161616161616161616161616161616161616161"  // 4: key id
            "2a5a" "0a05322e312e30120848c49020475447541a01312206433236544141282a320a3230"
            "32362d31312d32303a03564e446a0f0a0141120a303130303034373531367a0f0801220158"
            "5204313030305a0238258201062a0431303830"                     // 5: invoice, 90 bytes
            "3220" "e2c445c92b6934e55174d27737e6b511a1e14f3632c2eae821938a1c666d286c");  // 6

}

TEST(AuthenticationRecordTest, RoundTripsAndHashesTheInvoiceBytes) {
  const std::string record = BuildSignedRecord(kCode, kIssuedAt, kKeyId, GoldenInvoice());
  ASSERT_OK_AND_ASSIGN(v1::AuthenticationRecord parsed, ParseSignedRecord(record));
  EXPECT_EQ(parsed.format_version(), 1u);
  EXPECT_EQ(parsed.authority_code(), kCode);
  EXPECT_EQ(parsed.key_id(), kKeyId);
  EXPECT_EQ(FromTimestamp(parsed.issued_at()), kIssuedAt);
  EXPECT_EQ(parsed.invoice_sha256(), Sha256(SerializeInvoiceDeterministically(GoldenInvoice())));
  EXPECT_EQ(parsed.invoice().SerializeAsString(), GoldenInvoice().SerializeAsString());
}

TEST(AuthenticationRecordTest, PrecomputedFingerprintGivesTheSameBytes) {
  EXPECT_EQ(BuildSignedRecord(kCode, kIssuedAt, kKeyId, GoldenInvoice(),
                              InvoiceFingerprint(GoldenInvoice())),
            BuildSignedRecord(kCode, kIssuedAt, kKeyId, GoldenInvoice()));
}

TEST(AuthenticationRecordTest, IsDeterministic) {
  EXPECT_EQ(BuildSignedRecord(kCode, kIssuedAt, kKeyId, GoldenInvoice()),
            BuildSignedRecord(kCode, kIssuedAt, kKeyId, GoldenInvoice()));
}

TEST(AuthenticationRecordTest, FingerprintSeparatesDifferentInvoices) {
  v1::Invoice other = GoldenInvoice();
  other.mutable_lines(0)->set_amount("1001");
  EXPECT_NE(InvoiceFingerprint(GoldenInvoice()), InvoiceFingerprint(other));
  EXPECT_EQ(InvoiceFingerprint(GoldenInvoice()), InvoiceFingerprint(GoldenInvoice()));
}

TEST(AuthenticationRecordTest, RejectsARecordWhoseHashDoesNotMatch) {
  v1::AuthenticationRecord record;
  ASSERT_TRUE(record.ParseFromString(BuildSignedRecord(kCode, kIssuedAt, kKeyId, GoldenInvoice())));
  record.mutable_invoice()->set_number(43);  // invoice changed, hash kept
  EXPECT_THAT(ParseSignedRecord(record.SerializeAsString()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AuthenticationRecordTest, RejectsAnUnknownFormatVersion) {
  v1::AuthenticationRecord record;
  ASSERT_TRUE(record.ParseFromString(BuildSignedRecord(kCode, kIssuedAt, kKeyId, GoldenInvoice())));
  record.set_format_version(2);
  EXPECT_THAT(ParseSignedRecord(record.SerializeAsString()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AuthenticationRecordTest, RejectsGarbageAndTruncation) {
  const std::string record = BuildSignedRecord(kCode, kIssuedAt, kKeyId, GoldenInvoice());
  EXPECT_THAT(ParseSignedRecord(record.substr(0, record.size() - 5)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseSignedRecord("\xff\xff\xff"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AuthenticationRecordTest, TimestampsKeepMicroseconds) {
  const absl::Time t = absl::FromUnixMicros(-1);  // before the epoch: nanos stay positive
  EXPECT_EQ(FromTimestamp(ToTimestamp(t)), t);
  EXPECT_GE(ToTimestamp(t).nanos(), 0);
  EXPECT_EQ(TruncateIssueTime(kIssuedAt + absl::Nanoseconds(999)), kIssuedAt);
}

}  // namespace
}  // namespace einvoice
