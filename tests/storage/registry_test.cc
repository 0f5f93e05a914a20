// SellerRegistry and SigningKeyRegistry: the RocksDB implementations and the in-memory ones
// behave the same; the RocksDB ones survive a reopen.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_seller_registry.h"
#include "storage/rocksdb_signing_key_registry.h"
#include "tests/storage/support/in_memory_stores.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace einvoice::testing {
namespace {

v1::Seller MakeSeller(const std::string& tax_code, const std::string& name,
                      v1::SellerStatus status) {
  v1::Seller seller;
  seller.set_tax_code(tax_code);
  seller.set_name(name);
  seller.set_status(status);
  seller.add_certificates_der(std::string("\x30\x82\x00\xff", 4));
  seller.mutable_registered_at()->set_seconds(1700000000);
  return seller;
}

v1::SigningKey MakeKey(const std::string& id, int64_t not_before) {
  v1::SigningKey key;
  key.set_key_id(id);
  key.set_algorithm("ECDSA_P256_SHA256");
  key.set_public_key_der(std::string("\x30\x59\x00\x01", 4));
  key.mutable_not_before()->set_seconds(not_before);
  return key;
}

MATCHER_P(EqualsProto, expected, "") { return arg.SerializeAsString() == expected.SerializeAsString(); }

template <typename Sellers, typename Keys>
void ExerciseRegistries(Sellers& sellers, Keys& keys) {
  ASSERT_OK_AND_ASSIGN(std::optional<v1::Seller> none, sellers.Get("0100109106"));
  EXPECT_FALSE(none.has_value());
  const v1::Seller a = MakeSeller("0100109106", "A", v1::SELLER_STATUS_ACTIVE);
  const v1::Seller b = MakeSeller("0100047516", "B", v1::SELLER_STATUS_ACTIVE);
  ASSERT_OK(sellers.Put(a));
  ASSERT_OK(sellers.Put(b));
  const v1::Seller a2 = MakeSeller("0100109106", "A renamed", v1::SELLER_STATUS_SUSPENDED);
  ASSERT_OK(sellers.Put(a2));
  ASSERT_OK_AND_ASSIGN(std::optional<v1::Seller> got, sellers.Get("0100109106"));
  ASSERT_TRUE(got.has_value());
  EXPECT_THAT(*got, EqualsProto(a2));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Seller> all, sellers.List());
  EXPECT_THAT(all, ::testing::ElementsAre(EqualsProto(b), EqualsProto(a2)));
  EXPECT_THAT(sellers.Put(v1::Seller()), StatusIs(absl::StatusCode::kInvalidArgument));

  ASSERT_OK_AND_ASSIGN(std::vector<v1::SigningKey> no_keys, keys.List());
  EXPECT_TRUE(no_keys.empty());
  const v1::SigningKey k2 = MakeKey("bb", 2);
  v1::SigningKey k1 = MakeKey("aa", 1);
  ASSERT_OK(keys.Put(k2));
  ASSERT_OK(keys.Put(k1));
  k1.mutable_retired_at()->set_seconds(3);
  ASSERT_OK(keys.Put(k1));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SigningKey> listed, keys.List());
  EXPECT_THAT(listed, ::testing::ElementsAre(EqualsProto(k1), EqualsProto(k2)));
  EXPECT_THAT(keys.Put(v1::SigningKey()), StatusIs(absl::StatusCode::kInvalidArgument));

  // PutAll is all or nothing: one bad record and none of them is written.
  v1::SigningKey k3 = MakeKey("cc", 4);
  k1.mutable_retired_at()->set_seconds(5);
  EXPECT_THAT(keys.PutAll({k3, k1, v1::SigningKey()}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SigningKey> unchanged, keys.List());
  EXPECT_THAT(unchanged, ::testing::ElementsAre(EqualsProto(listed[0]), EqualsProto(k2)));
  ASSERT_OK(keys.PutAll({k3, k1}));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SigningKey> both, keys.List());
  EXPECT_THAT(both, ::testing::ElementsAre(EqualsProto(k1), EqualsProto(k2), EqualsProto(k3)));
}

TEST(RegistryTest, InMemory) {
  InMemorySellerRegistry sellers;
  InMemorySigningKeyRegistry keys;
  ExerciseRegistries(sellers, keys);
}

TEST(RegistryTest, RocksDbPutGetListAndSurviveReopen) {
  TempDir dir;
  RocksDbOptions options;
  options.path = dir.Sub("db");
  options.block_cache_bytes = 8 << 20;
  {
    ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(options));
    RocksDbSellerRegistry sellers(db);
    RocksDbSigningKeyRegistry keys(db);
    ExerciseRegistries(sellers, keys);
  }
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(options));
  RocksDbSellerRegistry sellers(db);
  RocksDbSigningKeyRegistry keys(db);
  ASSERT_OK_AND_ASSIGN(std::optional<v1::Seller> got, sellers.Get("0100109106"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name(), "A renamed");
  EXPECT_EQ(got->status(), v1::SELLER_STATUS_SUSPENDED);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Seller> all, sellers.List());
  EXPECT_EQ(all.size(), 2u);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SigningKey> listed, keys.List());
  ASSERT_EQ(listed.size(), 3u);  // aa, bb, and cc from the atomic PutAll
  EXPECT_EQ(listed[0].key_id(), "aa");
  EXPECT_EQ(listed[0].retired_at().seconds(), 5);
}

}  // namespace
}  // namespace einvoice::testing
