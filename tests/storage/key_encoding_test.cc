// Golden tests: pin every byte format of the RocksDB store (docs/storage.md). If one of these
// fails, the on-disk format changed: existing databases would be misread. Change the format
// version and write a migration instead of editing the expected bytes.
#include "storage/key_encoding.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace einvoice::keys {
namespace {

using ::einvoice::testing::StatusIs;

std::string Hex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }
std::string Unhex(absl::string_view hex) { return absl::HexStringToBytes(hex); }

constexpr char kCode[] = "00FE2FCA280CF74806BE839368A7C4AE25";
constexpr char kCodeHex[] = "30304645324643413238304346373438303642453833393336384137433441453235";

TEST(KeyEncodingTest, InvoiceKeyGolden) {
  v1::InvoiceKey key;
  key.set_seller_tax_code("0100109106");
  key.set_template_code("1");
  key.set_symbol("C26TAA");
  key.set_number(42);
  ASSERT_OK_AND_ASSIGN(std::string encoded, InvoiceKeyKey(key));
  EXPECT_EQ(Hex(encoded),
            "30313030313039313036"  // "0100109106"
            "00"                    // end of tax code
            "01" "31"               // template: length 1, "1"
            "06" "433236544141"     // symbol: length 6, "C26TAA"
            "0000002a");            // number 42, uint32 big-endian
}

TEST(KeyEncodingTest, IdempotencyKeyGolden) {
  ASSERT_OK_AND_ASSIGN(std::string encoded, IdempotencyIndexKey("0100109106", "retry-1"));
  EXPECT_EQ(Hex(encoded),
            "30313030313039313036"  // "0100109106"
            "00"                    // end of tax code
            "0007"                  // length 7, uint16 big-endian
            "72657472792d31");      // "retry-1"
  // Length-prefixed: a key containing NUL or looking like another seller stays distinct.
  ASSERT_OK_AND_ASSIGN(std::string a, IdempotencyIndexKey("01", std::string("2\0x", 3)));
  ASSERT_OK_AND_ASSIGN(std::string b, IdempotencyIndexKey("012", "x"));
  EXPECT_NE(a, b);
  EXPECT_THAT(IdempotencyIndexKey("0100109106", ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(KeyEncodingTest, PartyIndexKeyGolden) {
  ASSERT_OK_AND_ASSIGN(std::string encoded,
                       PartyIndexKey("0100047516", absl::CivilDay(2026, 3, 14), kCode));
  EXPECT_EQ(Hex(encoded), std::string("30313030303437353136"  // "0100047516"
                                      "00"                    // end of tax code
                                      "3230323630333134")     // "20260314"
                              + kCodeHex);                    // 34-byte authority code
  ASSERT_OK_AND_ASSIGN(PartyIndexEntry entry, DecodePartyIndexKey(encoded));
  EXPECT_EQ(entry.tax_code, "0100047516");
  EXPECT_EQ(entry.issue_date, absl::CivilDay(2026, 3, 14));
  EXPECT_EQ(entry.authority_code, kCode);

  // A cash-register code is as long as it is: it ends the key.
  ASSERT_OK_AND_ASSIGN(std::string cash, PartyIndexKey("0100047516", absl::CivilDay(2026, 3, 14),
                                                       "M1-26-ABCDE-00000000001"));
  EXPECT_EQ(Hex(cash), "30313030303437353136" "00" "3230323630333134"
                       "4d312d32362d41424344452d3030303030303030303031");
  ASSERT_OK_AND_ASSIGN(entry, DecodePartyIndexKey(cash));
  EXPECT_EQ(entry.authority_code, "M1-26-ABCDE-00000000001");
  // A key that ends at its date holds no code.
  EXPECT_THAT(DecodePartyIndexKey(cash.substr(0, 19)), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(KeyEncodingTest, PartyIndexKeysSortByTaxCodeThenDateThenCode) {
  auto key = [](absl::string_view tax, absl::CivilDay day, absl::string_view code) {
    return *PartyIndexKey(tax, day, code);
  };
  const std::string a = "00000000000000000000000000000000AA";
  const std::string b = "00000000000000000000000000000000AB";
  EXPECT_LT(key("0100109106", absl::CivilDay(2025, 12, 31), b),
            key("0100109106", absl::CivilDay(2026, 1, 1), a));
  EXPECT_LT(key("0100109106", absl::CivilDay(2026, 1, 1), a),
            key("0100109106", absl::CivilDay(2026, 1, 1), b));
  // A tax code that extends another sorts after all of the shorter one's keys.
  EXPECT_LT(key("0100109106", absl::CivilDay(9999, 12, 31), b),
            key("0100109106-001", absl::CivilDay(0, 1, 1), a));
  EXPECT_LT(key("0100109106", absl::CivilDay(9999, 12, 31), b), PartyIndexEnd("0100109106"));
  EXPECT_LT(PartyIndexEnd("0100109106"), key("01001091060", absl::CivilDay(0, 1, 1), a));
}

TEST(KeyEncodingTest, RefGolden) {
  std::string sha;
  for (int i = 0; i < 32; ++i) sha.push_back(static_cast<char>(i));
  ASSERT_OK_AND_ASSIGN(std::string encoded, EncodeRef(InvoiceRef{kCode, sha}));
  EXPECT_EQ(encoded.size(), 66u);
  EXPECT_EQ(Hex(encoded), std::string(kCodeHex) +
                              "000102030405060708090a0b0c0d0e0f"
                              "101112131415161718191a1b1c1d1e1f");
  ASSERT_OK_AND_ASSIGN(InvoiceRef decoded, DecodeRef(encoded));
  EXPECT_EQ(decoded, (InvoiceRef{kCode, sha}));
  EXPECT_THAT(DecodeRef(encoded + "x"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeRef(sha), StatusIs(absl::StatusCode::kDataLoss));  // no code at all
  EXPECT_THAT(EncodeRef(InvoiceRef{kCode, "short"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A cash-register invoice's seller-made code: 23 characters, then the same 32 bytes.
  ASSERT_OK_AND_ASSIGN(std::string cash, EncodeRef(InvoiceRef{"M1-26-ABCDE-00000000001", sha}));
  EXPECT_EQ(cash.size(), 55u);
  EXPECT_EQ(Hex(cash), "4d312d32362d41424344452d3030303030303030303031"
                       "000102030405060708090a0b0c0d0e0f"
                       "101112131415161718191a1b1c1d1e1f");
  ASSERT_OK_AND_ASSIGN(decoded, DecodeRef(cash));
  EXPECT_EQ(decoded, (InvoiceRef{"M1-26-ABCDE-00000000001", sha}));
}

TEST(KeyEncodingTest, StatsGolden) {
  EXPECT_EQ(Hex(StatsKey(absl::CivilDay(2026, 3, 14), StatKind::kIssued)), "323032363033313449");
  EXPECT_EQ(Hex(StatsKey(absl::CivilDay(2026, 3, 14), StatKind::kRejected)),
            "323032363033313452");
  EXPECT_EQ(Hex(StatsKey(absl::CivilDay(2026, 3, 14), StatKind::kCashRegister)),
            "32303236303331344d");
  EXPECT_EQ(Hex(EncodeCounter(0x0102030405060708)), "0807060504030201");
  ASSERT_OK_AND_ASSIGN(uint64_t value, DecodeCounter(Unhex("0807060504030201")));
  EXPECT_EQ(value, 0x0102030405060708u);
  ASSERT_OK_AND_ASSIGN(StatsKeyParts parts, DecodeStatsKey("20260314R"));
  EXPECT_EQ(parts.day, absl::CivilDay(2026, 3, 14));
  EXPECT_EQ(parts.kind, StatKind::kRejected);
  EXPECT_THAT(DecodeStatsKey("20260230I"), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(KeyEncodingTest, PerRuleStatsGolden) {
  // day ‖ 'r' | 'w' ‖ rule name
  EXPECT_EQ(Hex(StatsKey(absl::CivilDay(2026, 3, 14), StatKind::kRejectedByRule, "a.b")),
            "323032363033313472612e62");
  EXPECT_EQ(Hex(StatsKey(absl::CivilDay(2026, 3, 14), StatKind::kWarnedByRule, "a.b")),
            "323032363033313477612e62");
  ASSERT_OK_AND_ASSIGN(StatsKeyParts parts,
                       DecodeStatsKey("20260314wtotals.total_payable_mismatch"));
  EXPECT_EQ(parts.day, absl::CivilDay(2026, 3, 14));
  EXPECT_EQ(parts.kind, StatKind::kWarnedByRule);
  EXPECT_EQ(parts.rule, "totals.total_payable_mismatch");
  EXPECT_THAT(DecodeStatsKey("20260314w"), StatusIs(absl::StatusCode::kDataLoss));  // no rule
  EXPECT_THAT(DecodeStatsKey("20260314Rx"), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodeStatsKey("20260314?x"), StatusIs(absl::StatusCode::kDataLoss));
  // Every per-rule key of a day sorts inside that day's range.
  const KeyRange day = StatsKeyRange(absl::CivilDay(2026, 3, 14), absl::CivilDay(2026, 3, 14));
  const std::string key =
      StatsKey(absl::CivilDay(2026, 3, 14), StatKind::kWarnedByRule, std::string(64, 'z'));
  EXPECT_GE(key, day.start);
  EXPECT_LT(key, day.limit);
}

TEST(KeyEncodingTest, WarningIndexGolden) {
  // by_warning: rule ‖ 00 ‖ YYYYMMDD ‖ code, as the party indexes; one per warning rule.
  NewInvoice invoice;
  invoice.authority_code = kCode;
  invoice.authenticated_invoice = "x";
  invoice.content_sha256 = std::string(32, 'h');
  invoice.key.set_seller_tax_code("0100109106");
  invoice.key.set_template_code("1");
  invoice.key.set_symbol("C26TAA");
  invoice.key.set_number(42);
  invoice.issue_date = absl::CivilDay(2026, 3, 14);
  invoice.issued_day = absl::CivilDay(2026, 3, 15);
  invoice.warning_rules = {"a.b"};
  ASSERT_OK_AND_ASSIGN(EncodedInvoice encoded, EncodeNewInvoice(invoice));
  ASSERT_EQ(encoded.warning_index_keys.size(), 1u);
  EXPECT_EQ(encoded.warning_index_keys[0], std::string("a.b\0" "20260314", 12) + kCode);
  ASSERT_EQ(encoded.warning_stats_keys.size(), 1u);
  EXPECT_EQ(encoded.warning_stats_keys[0], "20260315wa.b");
  EXPECT_EQ(EncodePageToken(SearchQuery::Party::kWarning, "k"), "V2s");  // base64url("Wk")
  invoice.warning_rules = {std::string("a\0b", 3)};
  EXPECT_THAT(EncodeNewInvoice(invoice), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(KeyEncodingTest, AuditKeyGolden) {
  EXPECT_EQ(Hex(AuditKey(1)), "0000000000000001");
  EXPECT_EQ(Hex(AuditKey(0x0102030405060708)), "0102030405060708");
  EXPECT_LT(AuditKey(255), AuditKey(256));  // byte order is sequence order
  ASSERT_OK_AND_ASSIGN(uint64_t sequence, DecodeAuditKey(Unhex("0102030405060708")));
  EXPECT_EQ(sequence, 0x0102030405060708u);
  EXPECT_THAT(DecodeAuditKey(Unhex("01")), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(KeyEncodingTest, MetaGolden) {
  EXPECT_EQ(kFormatVersionKey, "format_version");
  EXPECT_EQ(kFormatVersion, 1u);
}

TEST(KeyEncodingTest, PageTokenGolden) {
  ASSERT_OK_AND_ASSIGN(std::string key,
                       PartyIndexKey("0100047516", absl::CivilDay(2026, 3, 14), kCode));
  const std::string seller_token = EncodePageToken(SearchQuery::Party::kSeller, key);
  EXPECT_EQ(seller_token,
            "UzAxMDAwNDc1MTYAMjAyNjAzMTQwMEZFMkZDQTI4MENGNzQ4MDZCRTgzOTM2OEE3QzRBRTI1");
  EXPECT_EQ(EncodePageToken(SearchQuery::Party::kBuyer, key),
            "QjAxMDAwNDc1MTYAMjAyNjAzMTQwMEZFMkZDQTI4MENGNzQ4MDZCRTgzOTM2OEE3QzRBRTI1");
  ASSERT_OK_AND_ASSIGN(std::string decoded,
                       DecodePageToken(seller_token, SearchQuery::Party::kSeller, "0100047516"));
  EXPECT_EQ(decoded, key);
  EXPECT_THAT(DecodePageToken(seller_token, SearchQuery::Party::kBuyer, "0100047516"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(seller_token, SearchQuery::Party::kSeller, "0100109106"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodePageToken(seller_token + "=", SearchQuery::Party::kSeller, "0100047516"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(KeyEncodingTest, SellerPageTokenGolden) {
  // base64url('L' 02 "0100047516"): a listing of SUSPENDED (2) sellers read up to 0100047516.
  const std::string suspended = EncodeSellerPageToken(2, "0100047516");
  EXPECT_EQ(suspended, "TAIwMTAwMDQ3NTE2");
  EXPECT_EQ(EncodeSellerPageToken(0, "0100047516"), "TAAwMTAwMDQ3NTE2");  // every status
  ASSERT_OK_AND_ASSIGN(std::string last, DecodeSellerPageToken(suspended, 2));
  EXPECT_EQ(last, "0100047516");
  EXPECT_THAT(DecodeSellerPageToken(suspended, 0),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("another status")));
  for (const std::string& bad : {std::string("TAIwMTAwMDQ3NTE2="), std::string("!!"),
                                std::string(""), std::string("TAI"),  // no tax code
                                EncodePageToken(SearchQuery::Party::kSeller, "x"),
                                std::string("TAIwMTAwMDQ3NTE2AA")}) {  // ends in a NUL byte
    EXPECT_THAT(DecodeSellerPageToken(bad, 2), StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
}

TEST(KeyEncodingTest, RejectsUnencodableInputs) {
  EXPECT_THAT(ValidateTaxCode(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateTaxCode(std::string("01\0", 3)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateTaxCode(std::string(65, '1')),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateDay(absl::CivilDay(10000, 1, 1)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PartyIndexKey("0100047516", absl::CivilDay(2026, 1, 1), std::string(35, 'A')),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PartyIndexKey("0100047516", absl::CivilDay(2026, 1, 1), ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::InvoiceKey key;
  key.set_seller_tax_code("0100109106");
  key.set_symbol(std::string(256, 'C'));
  EXPECT_THAT(InvoiceKeyKey(key), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace einvoice::keys
