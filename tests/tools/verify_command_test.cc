// `einvoice verify` and the invoice views against genuinely signed invoices (the domain's
// authenticator with a FakeSigner), entirely offline: --keys manifests, no client.
#include <sstream>

#include "domain/authentication_record.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/domain_fixture.h"
#include "tests/testing/temp_dir.h"
#include "tools/cli/dispatch.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/invoice_view.h"
#include "tools/cli/proto_io.h"

namespace einvoice::cli {
namespace {

using ::einvoice::testing::BaselineInvoice;
using ::einvoice::testing::DomainFixture;
using ::einvoice::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

class VerifyCommandTest : public DomainFixture {
 protected:
  void SetUp() override {
    DomainFixture::SetUp();
    SubmitOutcome outcome = authenticator_->Submit(local_operator_, BaselineInvoice(), "");
    ASSERT_TRUE(outcome.status.ok()) << outcome.status;
    invoice_ = outcome.accepted;
    v1::GetSigningKeysResponse manifest;
    for (const v1::SigningKey& key : keys_->Keys()) *manifest.add_keys() = key;
    ASSERT_TRUE(WriteFileContents(keys_path(), ToJson(manifest)).ok());
  }

  std::string keys_path() const { return dir_.Sub("keys.json"); }

  std::string Write(const std::string& name, const std::string& contents) {
    EXPECT_TRUE(WriteFileContents(dir_.Sub(name), contents).ok());
    return dir_.Sub(name);
  }

  // Runs the CLI with a client factory that must never be used (offline).
  int Cli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    CliEnvironment env{out, err, [](const std::string&, const ClientOptions&) {
                         ADD_FAILURE() << "verify --keys must not contact a server";
                         return std::unique_ptr<EinvoiceClient>();
                       }};
    const int code = RunCli(args, env);
    out_ = out.str();
    err_ = err.str();
    return code;
  }

  TempDir dir_;
  v1::AuthenticatedInvoice invoice_;
  std::string out_;
  std::string err_;
};

TEST_F(VerifyCommandTest, GenuineInvoiceFromJsonIsValid) {
  const std::string file = Write("invoice.json", ToJson(invoice_));
  EXPECT_EQ(Cli({"verify", file, "--keys", keys_path()}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("VALID: signed by the tax authority"));
  EXPECT_THAT(out_, HasSubstr(invoice_.authority_code()));
  EXPECT_THAT(out_, HasSubstr("1C26TAA/1 of 2026-11-20"));
  EXPECT_THAT(out_, HasSubstr("file " + keys_path()));
}

TEST_F(VerifyCommandTest, GenuineInvoiceFromBinaryIsValid) {
  const std::string file = Write("invoice.bin", invoice_.SerializeAsString());
  EXPECT_EQ(Cli({"verify", file, "--keys", keys_path()}), kExitOk) << err_;
}

TEST_F(VerifyCommandTest, TamperedSignatureFailsWithTheCheckNamed) {
  v1::AuthenticatedInvoice tampered = invoice_;
  std::string signature = tampered.signature();
  signature[signature.size() - 1] ^= 0x01;
  tampered.set_signature(signature);
  const std::string file = Write("tampered.json", ToJson(tampered));
  EXPECT_EQ(Cli({"verify", file, "--keys", keys_path()}), kExitVerificationFailed);
  EXPECT_THAT(out_, HasSubstr("INVALID"));
  EXPECT_THAT(out_, HasSubstr("DOES NOT VERIFY"));
  EXPECT_THAT(out_, HasSubstr("Failed checks:\n  - "));
}

TEST_F(VerifyCommandTest, EnvelopeMismatchIsReported) {
  v1::AuthenticatedInvoice tampered = invoice_;
  tampered.set_authority_code("00" + std::string(32, 'F'));
  const std::string file = Write("tampered.json", ToJson(tampered));
  EXPECT_EQ(Cli({"verify", file, "--keys", keys_path()}), kExitVerificationFailed);
  EXPECT_THAT(out_, HasSubstr("authority_code differs"));
  EXPECT_THAT(out_, Not(HasSubstr("DOES NOT VERIFY")));  // the record itself is genuine
}

TEST_F(VerifyCommandTest, UnknownKeyFails) {
  v1::GetSigningKeysResponse other;
  v1::SigningKey* key = other.add_keys();
  *key = keys_->Keys()[0];
  key->set_key_id(std::string(64, '0'));
  const std::string other_keys = Write("other-keys.json", ToJson(other));
  const std::string file = Write("invoice.json", ToJson(invoice_));
  EXPECT_EQ(Cli({"verify", file, "--keys", other_keys}), kExitVerificationFailed);
}

TEST_F(VerifyCommandTest, JsonOutput) {
  const std::string file = Write("invoice.json", ToJson(invoice_));
  EXPECT_EQ(Cli({"verify", "--json", file, "--keys", keys_path()}), kExitOk) << err_;
  EXPECT_THAT(out_, HasSubstr("\"valid\": true"));
  EXPECT_THAT(out_, HasSubstr("\"signatureValid\": true"));
  EXPECT_THAT(out_, HasSubstr("\"problems\": []"));
}

TEST_F(VerifyCommandTest, BadKeyManifestIsInvalidInput) {
  const std::string file = Write("invoice.json", ToJson(invoice_));
  const std::string bad = Write("bad-keys.json", "{\"keys\": 5}");
  EXPECT_EQ(Cli({"verify", file, "--keys", bad}), kExitRejected);
  EXPECT_THAT(err_, HasSubstr("bad-keys.json"));
}

TEST_F(VerifyCommandTest, InvoiceViewsReadTheSignedRecord) {
  const std::vector<std::string> row = InvoiceSummaryRow(invoice_);
  ASSERT_EQ(row.size(), 6u);
  EXPECT_EQ(row[0], invoice_.authority_code());
  EXPECT_EQ(row[1], "2026-11-20");
  EXPECT_EQ(row[2], BaselineInvoice().seller().tax_code());
  EXPECT_EQ(row[3], BaselineInvoice().buyer().tax_code());
  EXPECT_EQ(row[4], "1C26TAA/1");
  EXPECT_EQ(row[5], "2374500 VND");

  const std::string details = InvoiceDetails(invoice_);
  EXPECT_THAT(details, HasSubstr("Authority code  " + invoice_.authority_code()));
  EXPECT_THAT(details, HasSubstr("Issued at       2026-11-22 10:00:00 +07"));
  EXPECT_THAT(details, HasSubstr("Giấy in A4 (thử nghiệm)"));
  EXPECT_THAT(details, HasSubstr("Total payable     2374500 VND"));
  EXPECT_THAT(details, HasSubstr("Hai triệu ba trăm bảy mươi tư nghìn năm trăm đồng"));

  v1::AuthenticatedInvoice broken = invoice_;
  broken.set_signed_record("\xff\xff");
  EXPECT_EQ(InvoiceSummaryRow(broken)[1], "?");
  EXPECT_THAT(InvoiceDetails(broken), HasSubstr("does not parse"));
}

}  // namespace
}  // namespace einvoice::cli
