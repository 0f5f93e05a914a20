// SellerRegistry and SigningKeyRegistry: the RocksDB implementations and the in-memory ones
// behave the same (one suite, run on both); the RocksDB ones survive a reopen. The seller
// listing's paging rules: every registration exactly once, in tax code order, across pages
// bounded by count, bytes and registrations read.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_seller_registry.h"
#include "storage/rocksdb_signing_key_registry.h"
#include "storage/seller_listing.h"
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

SellerListQuery Query(size_t page_size, v1::SellerStatus status = v1::SELLER_STATUS_UNSPECIFIED,
                      std::string page_token = "") {
  SellerListQuery query;
  query.page_size = page_size;
  query.status = status;
  query.page_token = std::move(page_token);
  return query;
}

// Follows a listing to its end: every seller of every page, and the number of pages.
template <typename Sellers>
std::vector<v1::Seller> ListAll(Sellers& sellers, SellerListQuery query, int* pages = nullptr) {
  std::vector<v1::Seller> all;
  int count = 0;
  do {
    absl::StatusOr<SellerPage> page = sellers.List(query);
    EXPECT_OK(page.status());
    if (!page.ok() || ++count > 1000) break;
    all.insert(all.end(), page->sellers.begin(), page->sellers.end());
    if (!page->next_page_token.empty()) {
      EXPECT_NE(page->next_page_token, query.page_token) << "a page token repeated";
    }
    query.page_token = page->next_page_token;
  } while (!query.page_token.empty());
  if (pages != nullptr) *pages = count;
  return all;
}

std::vector<std::string> TaxCodes(const std::vector<v1::Seller>& sellers) {
  std::vector<std::string> codes;
  for (const v1::Seller& seller : sellers) codes.push_back(seller.tax_code());
  return codes;
}

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
  EXPECT_THAT(ListAll(sellers, SellerListQuery()),
              ::testing::ElementsAre(EqualsProto(b), EqualsProto(a2)));
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

// Seven sellers, tax codes in this (bytewise) order; 0100109106 and 0101243150 suspended,
// 0102030405 stopped.
constexpr const char* kListed[] = {"0100047516",     "0100047516-001", "0100109106",
                                   "0100686209",     "0101243150",     "0102030405",
                                   "001099012345"};

template <typename Sellers>
void RegisterListed(Sellers& sellers) {
  // Put out of order: the listing's order is the registry's, not the writes'.
  for (int i = 6; i >= 0; --i) {
    const std::string code = kListed[i];
    const v1::SellerStatus status = code == "0100109106" || code == "0101243150"
                                        ? v1::SELLER_STATUS_SUSPENDED
                                    : code == "0102030405" ? v1::SELLER_STATUS_STOPPED
                                                           : v1::SELLER_STATUS_ACTIVE;
    ASSERT_OK(sellers.Put(MakeSeller(code, "Seller " + code, status)));
  }
}

template <typename Sellers>
void ExerciseSellerListing(Sellers& sellers) {
  // Empty: one page, nothing, no token.
  ASSERT_OK_AND_ASSIGN(SellerPage empty, sellers.List(SellerListQuery()));
  EXPECT_TRUE(empty.sellers.empty());
  EXPECT_EQ(empty.next_page_token, "");

  RegisterListed(sellers);
  const std::vector<std::string> all(std::begin(kListed), std::end(kListed));
  // The order is the tax codes' bytewise order ("0010…" first, branches after their parent).
  std::vector<std::string> sorted = all;
  std::sort(sorted.begin(), sorted.end());

  // Every page size gives every seller once, in order, in ceil(7 / n) pages (no empty last
  // page when the count divides evenly).
  for (size_t page_size : {1, 2, 3, 7, 8, 100}) {
    SellerListQuery query;
    query.page_size = page_size;
    int pages = 0;
    EXPECT_EQ(TaxCodes(ListAll(sellers, query, &pages)), sorted) << page_size;
    EXPECT_EQ(pages, static_cast<int>((sorted.size() + page_size - 1) / page_size)) << page_size;
  }
  ASSERT_OK_AND_ASSIGN(SellerPage first, sellers.List(Query(3)));
  EXPECT_EQ(TaxCodes(first.sellers),
            (std::vector<std::string>{"001099012345", "0100047516", "0100047516-001"}));
  EXPECT_NE(first.next_page_token, "");

  // By status: only those, in order.
  SellerListQuery suspended;
  suspended.status = v1::SELLER_STATUS_SUSPENDED;
  suspended.page_size = 1;
  EXPECT_EQ(TaxCodes(ListAll(sellers, suspended)),
            (std::vector<std::string>{"0100109106", "0101243150"}));
  const SellerListQuery stopped = Query(100, v1::SELLER_STATUS_STOPPED);
  EXPECT_EQ(TaxCodes(ListAll(sellers, stopped)), (std::vector<std::string>{"0102030405"}));

  // A page reads at most max_examined registrations: pages may come back empty with a token,
  // and following them still finds each match once.
  SellerListQuery bounded = stopped;
  bounded.max_examined = 2;
  int pages = 0;
  EXPECT_EQ(TaxCodes(ListAll(sellers, bounded, &pages)), (std::vector<std::string>{"0102030405"}));
  EXPECT_EQ(pages, 4);  // 2 + 2 + 2 read; the stopped one, 7th, on the 4th page
  ASSERT_OK_AND_ASSIGN(SellerPage nothing_yet, sellers.List(bounded));
  EXPECT_TRUE(nothing_yet.sellers.empty());
  EXPECT_NE(nothing_yet.next_page_token, "");

  // A byte budget ends the page early, never before its first seller.
  const size_t one = MakeSeller("0100047516", "Seller 0100047516", v1::SELLER_STATUS_ACTIVE)
                         .SerializeAsString()
                         .size();
  SellerListQuery small;
  small.max_bytes = one + one / 2;  // room for one
  EXPECT_EQ(TaxCodes(ListAll(sellers, small, &pages)), sorted);
  EXPECT_EQ(pages, 7);
  small.max_bytes = 1;  // room for none: still one a page
  EXPECT_EQ(TaxCodes(ListAll(sellers, small, &pages)), sorted);
  EXPECT_EQ(pages, 7);

  // Between pages: a seller registered after the token's position shows up, one before it
  // does not; a change of status is seen by the pages still to come.
  ASSERT_OK_AND_ASSIGN(SellerPage page1, sellers.List(Query(3)));
  ASSERT_OK(sellers.Put(MakeSeller("0099999997", "before", v1::SELLER_STATUS_ACTIVE)));
  ASSERT_OK(sellers.Put(MakeSeller("0109999999", "after", v1::SELLER_STATUS_ACTIVE)));
  ASSERT_OK(sellers.Put(MakeSeller("0102030405", "re-activated", v1::SELLER_STATUS_ACTIVE)));
  const SellerListQuery rest =
      Query(100, v1::SELLER_STATUS_UNSPECIFIED, page1.next_page_token);
  ASSERT_OK_AND_ASSIGN(SellerPage page2, sellers.List(rest));
  EXPECT_EQ(TaxCodes(page2.sellers),
            (std::vector<std::string>{"0100109106", "0100686209", "0101243150", "0102030405",
                                      "0109999999"}));
  EXPECT_EQ(page2.sellers[3].name(), "re-activated");
  EXPECT_EQ(page2.next_page_token, "");

  // Bad queries.
  EXPECT_THAT(sellers.List(Query(0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(sellers.List(Query(100, v1::SELLER_STATUS_UNSPECIFIED, "not a token")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A token of the listing of every seller does not continue the listing of suspended ones.
  SellerListQuery mixed = suspended;
  mixed.page_token = first.next_page_token;
  EXPECT_THAT(sellers.List(mixed), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(sellers.List(Query(100, static_cast<v1::SellerStatus>(256))),
              StatusIs(absl::StatusCode::kInvalidArgument));
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
  EXPECT_EQ(ListAll(sellers, SellerListQuery()).size(), 2u);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::SigningKey> listed, keys.List());
  ASSERT_EQ(listed.size(), 3u);  // aa, bb, and cc from the atomic PutAll
  EXPECT_EQ(listed[0].key_id(), "aa");
  EXPECT_EQ(listed[0].retired_at().seconds(), 5);
}

TEST(SellerListingTest, InMemory) {
  InMemorySellerRegistry sellers;
  ExerciseSellerListing(sellers);
}

TEST(SellerListingTest, RocksDb) {
  TempDir dir;
  RocksDbOptions options;
  options.path = dir.Sub("db");
  options.block_cache_bytes = 8 << 20;
  ASSERT_OK_AND_ASSIGN(auto db, RocksDbDatabase::Open(options));
  RocksDbSellerRegistry sellers(db);
  ExerciseSellerListing(sellers);
}

TEST(SellerListingTest, ARecordThatDoesNotParseIsDataLoss) {
  ASSERT_OK_AND_ASSIGN(SellerListing listing, SellerListing::Start(SellerListQuery()));
  EXPECT_THAT(listing.Offer("0100047516", "\xff\xff\xff"),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("0100047516")));
}

}  // namespace
}  // namespace einvoice::testing
