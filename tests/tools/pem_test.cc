#include "tools/cli/pem.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace einvoice::cli {
namespace {

using ::einvoice::testing::IsOk;
using ::einvoice::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A DER SEQUENCE with a long-form length (0x81 0x90: 144 content bytes), like a small
// certificate.
std::string LongDer() {
  std::string der = "\x30\x81\x90";
  for (int i = 0; i < 144; ++i) der += static_cast<char>(i);
  return der;
}

// PEM as openssl writes it: 64 base64 characters per line.
std::string ToPem(const std::string& der, const std::string& label = "CERTIFICATE") {
  const std::string base64 = absl::Base64Escape(der);
  std::string pem = absl::StrCat("-----BEGIN ", label, "-----\n");
  for (size_t i = 0; i < base64.size(); i += 64) absl::StrAppend(&pem, base64.substr(i, 64), "\n");
  absl::StrAppend(&pem, "-----END ", label, "-----\n");
  return pem;
}

TEST(CheckDerSequenceTest, AcceptsShortAndLongForms) {
  EXPECT_THAT(CheckDerSequence(std::string("\x30\x03\x02\x01\x05", 5)), IsOk());
  EXPECT_THAT(CheckDerSequence(LongDer()), IsOk());
}

TEST(CheckDerSequenceTest, RejectsWhatIsNotOneSequence) {
  EXPECT_THAT(CheckDerSequence(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckDerSequence("hello"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckDerSequence(std::string("\x30\x05\x02\x01\x05", 5)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("holds 5 bytes")));
  EXPECT_THAT(CheckDerSequence(LongDer() + "x"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PemToDerTest, DecodesOneBlock) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ders, PemToDer(ToPem(LongDer())));
  EXPECT_THAT(ders, ElementsAre(LongDer()));
}

TEST(PemToDerTest, DecodesEveryBlockAndIgnoresTextAround) {
  const std::string small("\x30\x03\x02\x01\x05", 5);
  const std::string pem = absl::StrCat("Bag Attributes: friendly name\r\n", ToPem(small),
                                       "subject=CN=x\n", ToPem(LongDer()));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ders, PemToDer(pem));
  EXPECT_THAT(ders, ElementsAre(small, LongDer()));
}

TEST(PemToDerTest, AcceptsCrLfLineEnds) {
  std::string pem = ToPem(LongDer());
  std::string crlf;
  for (char c : pem) crlf += (c == '\n') ? std::string("\r\n") : std::string(1, c);
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ders, PemToDer(crlf));
  EXPECT_THAT(ders, ElementsAre(LongDer()));
}

TEST(PemToDerTest, IgnoresOtherLabels) {
  EXPECT_THAT(PemToDer(ToPem(LongDer(), "PRIVATE KEY")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no \"-----BEGIN CERTIFICATE")));
}

TEST(PemToDerTest, RejectsBrokenBlocks) {
  std::string unterminated = ToPem(LongDer());
  unterminated.resize(unterminated.find("-----END"));
  EXPECT_THAT(PemToDer(unterminated),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("-----END CERTIFICATE-----")));
  EXPECT_THAT(PemToDer("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid base64")));
  EXPECT_THAT(PemToDer(ToPem("not der at all")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not DER")));
}

TEST(CertificatesFromFileContentsTest, AcceptsPemOrDer) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> from_pem,
                       CertificatesFromFileContents(ToPem(LongDer())));
  EXPECT_THAT(from_pem, ElementsAre(LongDer()));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> from_der, CertificatesFromFileContents(LongDer()));
  EXPECT_THAT(from_der, ElementsAre(LongDer()));
  EXPECT_THAT(CertificatesFromFileContents("just text"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("neither PEM nor")));
}

}  // namespace
}  // namespace einvoice::cli
