#include "rules/violation_catalogue.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace einvoice {
namespace {

TEST(ViolationCatalogueTest, CodesAndRulesAreWellFormed) {
  std::set<std::string> rules;
  std::string previous_code;
  for (const ViolationType* type : kAllViolationTypes) {
    EXPECT_EQ(type->code.size(), 5u) << type->rule;
    for (char c : type->code) EXPECT_TRUE(absl::ascii_isdigit(static_cast<unsigned char>(c)));
    EXPECT_GE(std::string(type->code), previous_code) << "catalogue not in code order";
    previous_code = std::string(type->code);
    EXPECT_TRUE(rules.insert(std::string(type->rule)).second) << "duplicate rule " << type->rule;
    EXPECT_FALSE(type->message_vi.empty());
    EXPECT_FALSE(type->message_en.empty());
    if (type->code == "20001") {
      EXPECT_EQ(type->message_vi, "Sai định dạng dữ liệu");
    }
  }
}

TEST(ViolationCatalogueTest, ReservedEntriesForOtherComponents) {
  EXPECT_EQ(kSellerNotRegistered.code, "20101");
  EXPECT_EQ(kSellerNotRegistered.rule, "seller.not_registered");
  EXPECT_EQ(kSellerNotRegistered.message_vi,
            "Người bán chưa đăng ký sử dụng hóa đơn điện tử có mã của cơ quan thuế");
  EXPECT_EQ(kSellerNotActive.code, "20102");
  EXPECT_EQ(kSellerNotActive.rule, "seller.not_active");
  EXPECT_EQ(kDuplicateInvoice.code, "20609");
  EXPECT_EQ(kDuplicateInvoice.rule, "invoice.duplicate");
  EXPECT_EQ(kDuplicateInvoice.message_vi,
            "Bộ MST, ký hiệu mẫu số, ký hiệu và số hóa đơn không duy nhất");
  EXPECT_EQ(kIdempotencyKeyConflict.code, "20611");
  EXPECT_EQ(kIdempotencyKeyConflict.rule, "invoice.idempotency_key_conflict");
  EXPECT_EQ(kIdempotencyKeyTooLong.code, "20612");
  EXPECT_EQ(kIdempotencyKeyTooLong.rule, "invoice.idempotency_key_too_long");
}

TEST(ViolationCatalogueTest, DocsListEveryEntry) {
  std::ifstream file(EINVOICE_VIOLATIONS_DOC);
  ASSERT_TRUE(file.good()) << EINVOICE_VIOLATIONS_DOC;
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string doc = buffer.str();
  for (const ViolationType* type : kAllViolationTypes) {
    // Each entry is a table row "| <code> | `<rule>` | ... | <Vietnamese message> | ...".
    const std::string row_start = absl::StrCat("| ", type->code, " | `", type->rule, "` |");
    EXPECT_NE(doc.find(row_start), std::string::npos) << "missing row: " << row_start;
    EXPECT_NE(doc.find(std::string(type->message_vi)), std::string::npos) << type->rule;
  }
}

TEST(ViolationTest, MakeViolationAppendsDetails) {
  const Violation v = MakeViolation(kTaxCodeCheckDigit, "seller.tax_code");
  EXPECT_EQ(v.code, "20201");
  EXPECT_EQ(v.rule, "tax_code.check_digit");
  EXPECT_EQ(v.field, "seller.tax_code");
  EXPECT_EQ(v.message_vi, kTaxCodeCheckDigit.message_vi);
  const Violation d = MakeViolation(kFormatRequired, "seller.name", "thiếu", "missing");
  EXPECT_EQ(d.message_vi, "Sai định dạng dữ liệu: thiếu");
  EXPECT_EQ(d.message_en, "Invalid data format: missing");
}

TEST(ViolationTest, LongDetailsAreCutAtACharacterBoundary) {
  std::string detail;
  for (int i = 0; i < 1000; ++i) detail += "ữ";  // 3 bytes each: a cut can fall inside one
  const Violation v = MakeViolation(kFormatDecimal, std::string(10000, 'f'), detail);
  const std::string prefix = std::string(kFormatDecimal.message_vi) + ": ";
  ASSERT_EQ(v.message_vi.substr(0, prefix.size()), prefix);
  const std::string kept = v.message_vi.substr(prefix.size());
  EXPECT_LE(kept.size(), kMaxViolationDetailBytes + 3);
  EXPECT_EQ(kept.substr(kept.size() - 3), "\xE2\x80\xA6");  // …
  EXPECT_EQ((kept.size() - 3) % 3, 0u);                        // whole characters only
  EXPECT_EQ(v.field.size(), kMaxViolationDetailBytes);
  const Violation short_one = MakeViolation(kFormatDecimal, "x", "1e5");
  EXPECT_EQ(short_one.message_en, "Invalid data format: 1e5");
}

TEST(ViolationTest, LimitViolationsKeepsTheFirstAndSummarisesTheRest) {
  std::vector<Violation> violations;
  for (int i = 0; i < 250; ++i) {
    violations.push_back(MakeViolation(kFormatRequired, absl::StrCat("lines[", i, "].name")));
  }
  std::vector<Violation> few(violations.begin(), violations.begin() + 3);
  LimitViolations(few, 100);
  EXPECT_EQ(few.size(), 3u);
  LimitViolations(violations, 100);
  ASSERT_EQ(violations.size(), 101u);
  EXPECT_EQ(violations[99].field, "lines[99].name");
  EXPECT_EQ(violations[100].code, "20000");
  EXPECT_EQ(violations[100].rule, "violations.more");
  EXPECT_EQ(violations[100].message_en,
            "The invoice has more violations than are listed: 150 more");
}

}  // namespace
}  // namespace einvoice
