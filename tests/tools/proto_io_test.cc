#include "tools/cli/proto_io.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace einvoice::cli {
namespace {

using ::einvoice::testing::IsOk;
using ::einvoice::testing::StatusIs;
using ::einvoice::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

v1::AuthenticatedInvoice SampleInvoice() {
  v1::AuthenticatedInvoice invoice;
  invoice.set_authority_code("00" + std::string(32, 'A'));
  invoice.mutable_issued_at()->set_seconds(1795000000);
  invoice.mutable_issued_at()->set_nanos(123000);
  invoice.set_key_id(std::string(64, 'f'));
  invoice.set_signed_record(std::string("\x08\x01\x12\x02\x00\xff", 6));  // bytes, not text
  invoice.set_signature("\x30\x45 signature");
  return invoice;
}

TEST(ProtoIoTest, ReadsAuthenticatedInvoiceFromJson) {
  TempDir dir;
  const std::string path = dir.Sub("invoice.json");
  ASSERT_OK(WriteFileContents(path, ToJson(SampleInvoice())));
  ASSERT_OK_AND_ASSIGN(v1::AuthenticatedInvoice read, ReadAuthenticatedInvoice(path));
  EXPECT_EQ(read.SerializeAsString(), SampleInvoice().SerializeAsString());
}

TEST(ProtoIoTest, ReadsAuthenticatedInvoiceFromBinary) {
  TempDir dir;
  const std::string path = dir.Sub("invoice.bin");
  ASSERT_OK(WriteFileContents(path, SampleInvoice().SerializeAsString()));
  ASSERT_OK_AND_ASSIGN(v1::AuthenticatedInvoice read, ReadAuthenticatedInvoice(path));
  EXPECT_EQ(read.SerializeAsString(), SampleInvoice().SerializeAsString());
}

TEST(ProtoIoTest, JsonUsesTheProtobufMapping) {
  const std::string json = ToJson(SampleInvoice());
  EXPECT_THAT(json, HasSubstr("\"authorityCode\": \"00AAAA"));
  EXPECT_THAT(json, HasSubstr("\"issuedAt\": \"2026-11-18T"));  // RFC 3339 timestamp
  EXPECT_THAT(json, HasSubstr("\"signedRecord\": \"CAESAgD/\""));  // base64 bytes
  EXPECT_EQ(json.back(), '\n');
}

TEST(ProtoIoTest, RejectsFilesThatAreNotAuthenticatedInvoices) {
  TempDir dir;
  ASSERT_OK(WriteFileContents(dir.Sub("bad.json"), "{\"authorityCode\": 12, \"nope\": 1}"));
  EXPECT_THAT(ReadAuthenticatedInvoice(dir.Sub("bad.json")),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith(dir.Sub("bad.json"))));
  ASSERT_OK(WriteFileContents(dir.Sub("empty.json"), "{}"));
  EXPECT_THAT(ReadAuthenticatedInvoice(dir.Sub("empty.json")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not an authenticated")));
  ASSERT_OK(WriteFileContents(dir.Sub("garbage.bin"), "\xff\xff\xff\xff"));
  EXPECT_THAT(ReadAuthenticatedInvoice(dir.Sub("garbage.bin")),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ProtoIoTest, MissingFileIsInvalidInput) {
  TempDir dir;
  EXPECT_THAT(ReadAuthenticatedInvoice(dir.Sub("missing.json")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot read")));
}

TEST(ProtoIoTest, UnwritableFileIsOther) {
  TempDir dir;
  EXPECT_THAT(WriteFileContents(dir.Sub("no/such/dir/keys.json"), "x"),
              StatusIs(absl::StatusCode::kUnknown, HasSubstr("cannot write")));
}

TEST(ProtoIoTest, KeyManifestRoundTrip) {
  TempDir dir;
  v1::GetSigningKeysResponse manifest;
  v1::SigningKey* key = manifest.add_keys();
  key->set_key_id(std::string(64, 'a'));
  key->set_algorithm("ECDSA_P256_SHA256");
  key->set_public_key_der("\x30\x59 der");
  key->mutable_not_before()->set_seconds(1700000000);
  ASSERT_OK(WriteFileContents(dir.Sub("keys.json"), ToJson(manifest)));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SigningKey> keys, ReadKeyManifest(dir.Sub("keys.json")));
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].SerializeAsString(), key->SerializeAsString());

  ASSERT_OK(WriteFileContents(dir.Sub("none.json"), "{\"keys\": []}"));
  EXPECT_THAT(ReadKeyManifest(dir.Sub("none.json")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("holds no key")));
}

TEST(ProtoIoTest, JsonArrayOfDocuments) {
  EXPECT_EQ(JsonArray({}), "[]\n");
  EXPECT_EQ(JsonArray({"{\n  \"a\": 1\n}\n", "{}\n"}), "[\n{\n  \"a\": 1\n},\n{}\n]\n");
}

TEST(ProtoIoTest, InvoiceJsonRejectsUnknownFields) {
  TempDir dir;
  ASSERT_OK(WriteFileContents(dir.Sub("inv.json"), "{\"symbol\": \"C26TAA\", \"sumbol\": 1}"));
  EXPECT_THAT(ReadInvoiceJson(dir.Sub("inv.json")), StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK(WriteFileContents(dir.Sub("ok.json"), "{\"symbol\": \"C26TAA\", \"number\": 7}"));
  ASSERT_OK_AND_ASSIGN(v1::Invoice invoice, ReadInvoiceJson(dir.Sub("ok.json")));
  EXPECT_EQ(invoice.number(), 7u);
}

}  // namespace
}  // namespace einvoice::cli
