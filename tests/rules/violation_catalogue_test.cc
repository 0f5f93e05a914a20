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

}  // namespace
}  // namespace einvoice
