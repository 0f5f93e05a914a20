#include "tools/cli/args.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace einvoice::cli {
namespace {

using ::einvoice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::vector<OptionSpec>& Specs() {
  static const auto* const kSpecs = new std::vector<OptionSpec>{
      {"json", "", "flag"},
      {"server", "ADDR", "valued"},
      {"cert", "FILE", "repeated", true},
  };
  return *kSpecs;
}

TEST(ParseArgsTest, SplitsPositionalsAndOptionsInAnyOrder) {
  ASSERT_OK_AND_ASSIGN(ParsedArgs args,
                       ParseArgs({"a", "--server", "h:1", "b", "--json", "c"}, Specs()));
  EXPECT_THAT(args.positionals(), ElementsAre("a", "b", "c"));
  EXPECT_TRUE(args.Has("json"));
  EXPECT_EQ(args.Get("server"), "h:1");
  EXPECT_FALSE(args.Has("cert"));
  EXPECT_EQ(args.Get("cert"), std::nullopt);
  EXPECT_EQ(args.GetOr("cert", "none"), "none");
}

TEST(ParseArgsTest, AcceptsNameEqualsValue) {
  ASSERT_OK_AND_ASSIGN(ParsedArgs args, ParseArgs({"--server=10.0.0.1:50051"}, Specs()));
  EXPECT_EQ(args.Get("server"), "10.0.0.1:50051");
  ASSERT_OK_AND_ASSIGN(ParsedArgs empty, ParseArgs({"--server="}, Specs()));
  EXPECT_EQ(empty.Get("server"), "");
}

TEST(ParseArgsTest, KeepsRepeatedValuesInOrder) {
  ASSERT_OK_AND_ASSIGN(ParsedArgs args,
                       ParseArgs({"--cert", "a.pem", "--cert=b.der", "--cert", "c"}, Specs()));
  EXPECT_THAT(args.GetAll("cert"), ElementsAre("a.pem", "b.der", "c"));
}

TEST(ParseArgsTest, DoubleDashEndsOptions) {
  ASSERT_OK_AND_ASSIGN(ParsedArgs args, ParseArgs({"--json", "--", "--server", "-x"}, Specs()));
  EXPECT_THAT(args.positionals(), ElementsAre("--server", "-x"));
}

TEST(ParseArgsTest, ValuesMayLookNegative) {
  ASSERT_OK_AND_ASSIGN(ParsedArgs args, ParseArgs({"--server", "-5"}, Specs()));
  EXPECT_EQ(args.Get("server"), "-5");
}

TEST(ParseArgsTest, RejectsUnknownOptions) {
  EXPECT_THAT(ParseArgs({"--nope"}, Specs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown option --nope")));
  EXPECT_THAT(ParseArgs({"-j"}, Specs()), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseArgsTest, RejectsAMissingValue) {
  EXPECT_THAT(ParseArgs({"--server"}, Specs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a value (ADDR)")));
  // The next option is not taken as the value.
  EXPECT_THAT(ParseArgs({"--server", "--json"}, Specs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a value")));
}

TEST(ParseArgsTest, RejectsAValueForAFlag) {
  EXPECT_THAT(ParseArgs({"--json=yes"}, Specs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("takes no value")));
}

TEST(ParseArgsTest, RejectsARepeatedSingleOption) {
  EXPECT_THAT(ParseArgs({"--server", "a", "--server", "b"}, Specs()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("more than once")));
}

TEST(ParseArgsTest, LoneDashIsPositional) {
  ASSERT_OK_AND_ASSIGN(ParsedArgs args, ParseArgs({"-"}, Specs()));
  EXPECT_THAT(args.positionals(), ElementsAre("-"));
}

}  // namespace
}  // namespace einvoice::cli
