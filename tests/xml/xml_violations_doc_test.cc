// docs/xml.md lists every 209xx entry with its code and rule; codes are unique and in range.
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rules/violation_catalogue.h"
#include "rules/signature_violations.h"

namespace einvoice {
namespace {

TEST(XmlViolationsTest, DocsListEveryEntry) {
  std::ifstream in(EINVOICE_XML_DOC);
  ASSERT_TRUE(in.good());
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const ViolationType* type : kAllXmlViolationTypes) {
    EXPECT_NE(doc.find(absl::StrCat("| ", type->code, " | `", type->rule, "` |")),
              std::string::npos)
        << type->code << " " << type->rule;
  }
}

TEST(XmlViolationsTest, CodesUniqueAndOutsideTheRulesCatalogue) {
  std::set<std::string> codes;
  for (const ViolationType* type : kAllViolationTypes) codes.insert(std::string(type->code));
  for (const ViolationType* type : kAllXmlViolationTypes) {
    EXPECT_TRUE(codes.insert(std::string(type->code)).second) << type->code;
    EXPECT_EQ(type->code.substr(0, 3), "209");
    EXPECT_FALSE(type->message_vi.empty());
    EXPECT_FALSE(type->message_en.empty());
  }
}

}  // namespace
}  // namespace einvoice
