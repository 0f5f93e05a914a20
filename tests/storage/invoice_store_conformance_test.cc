// The InvoiceStore conformance suite: every implementation must pass every test here.
// Instantiated for RocksDbInvoiceStore (on a fresh temp dir, WAL synced) and for
// InMemoryInvoiceStore.
#include <algorithm>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/invoice_store.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_invoice_store.h"
#include "tests/storage/store_test_util.h"
#include "tests/storage/support/in_memory_stores.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace einvoice::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

// Owns one store and whatever it needs (a temp dir, a database).
class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  virtual InvoiceStore& store() = 0;
};

class InMemoryHarness final : public StoreHarness {
 public:
  InvoiceStore& store() override { return store_; }

 private:
  InMemoryInvoiceStore store_;
};

class RocksDbHarness final : public StoreHarness {
 public:
  RocksDbHarness() {
    RocksDbOptions options;
    options.path = dir_.Sub("db");
    options.block_cache_bytes = 8 << 20;
    options.write_buffer_bytes = 4 << 20;
    absl::StatusOr<std::shared_ptr<RocksDbDatabase>> db = RocksDbDatabase::Open(options);
    if (!db.ok()) {
      ADD_FAILURE() << db.status();
      return;
    }
    // Small batches so that concurrent tests exercise many batches, not one.
    RocksDbInvoiceStoreOptions store_options;
    store_options.max_batch_size = 16;
    store_options.max_queued = 32;
    store_ = std::make_unique<RocksDbInvoiceStore>(*std::move(db), store_options);
  }
  InvoiceStore& store() override { return *store_; }

 private:
  TempDir dir_;
  std::unique_ptr<RocksDbInvoiceStore> store_;
};

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<StoreHarness>()> make;
};

class InvoiceStoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    harness_ = GetParam().make();
    ASSERT_FALSE(::testing::Test::HasFailure());
  }
  InvoiceStore& store() { return harness_->store(); }

  void InsertOk(const NewInvoice& invoice) {
    absl::StatusOr<InsertResult> result = store().Insert(invoice);
    ASSERT_OK(result);
    ASSERT_EQ(result->conflict, InsertConflict::kNone) << invoice.authority_code;
  }

  // Every authority code of a search, following page tokens to the end.
  std::vector<std::string> SearchAll(SearchQuery query) {
    std::vector<std::string> codes;
    for (int pages = 0; pages < 10000; ++pages) {
      absl::StatusOr<SearchPage> page = store().Search(query);
      EXPECT_OK(page);
      if (!page.ok()) return codes;
      for (const std::string& bytes : page->authenticated_invoices) {
        v1::AuthenticatedInvoice invoice;
        EXPECT_TRUE(invoice.ParseFromString(bytes));
        codes.push_back(invoice.authority_code());
      }
      // Look-ahead: a page reached through a token is never empty.
      if (pages > 0) {
        EXPECT_FALSE(page->authenticated_invoices.empty());
      }
      if (query.max_bytes > 0) {  // a byte budget: within it, or a single invoice
        size_t bytes = 0;
        for (const std::string& record : page->authenticated_invoices) bytes += record.size();
        EXPECT_TRUE(bytes <= query.max_bytes || page->authenticated_invoices.size() == 1)
            << bytes << " bytes in " << page->authenticated_invoices.size() << " invoices";
      }
      if (page->next_page_token.empty()) return codes;
      if (query.max_bytes == 0) {
        EXPECT_EQ(page->authenticated_invoices.size(), query.page_size);
      }
      query.page_token = page->next_page_token;
    }
    ADD_FAILURE() << "paging did not end";
    return codes;
  }

  static SearchQuery BySeller(const std::string& tax_code, size_t page_size = 100) {
    SearchQuery query;
    query.party = SearchQuery::Party::kSeller;
    query.tax_code = tax_code;
    query.page_size = page_size;
    return query;
  }
  static SearchQuery ByBuyer(const std::string& tax_code, size_t page_size = 100) {
    SearchQuery query = BySeller(tax_code, page_size);
    query.party = SearchQuery::Party::kBuyer;
    return query;
  }

  std::unique_ptr<StoreHarness> harness_;
};

const absl::CivilDay kDay(2026, 3, 14);

TEST_P(InvoiceStoreConformanceTest, InsertThenGetIsByteIdentical) {
  const NewInvoice invoice = MakeInvoice(1, kSellerA, 7, kDay);
  InsertOk(invoice);
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, store().GetByCode(CodeFor(1)));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, invoice.authenticated_invoice);
  EXPECT_THAT(store().FindByKey(invoice.key), IsOk());
  EXPECT_THAT(*store().FindByKey(invoice.key), Optional(RefOf(invoice)));
}

TEST_P(InvoiceStoreConformanceTest, UnknownCodeIsNullopt) {
  InsertOk(MakeInvoice(1, kSellerA, 7, kDay));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> stored, store().GetByCode(CodeFor(2)));
  EXPECT_FALSE(stored.has_value());
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> empty, store().GetByCode(""));
  EXPECT_FALSE(empty.has_value());
  v1::InvoiceKey key = MakeInvoice(1, kSellerA, 8, kDay).key;
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> ref, store().FindByKey(key));
  EXPECT_FALSE(ref.has_value());
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> by_idem,
                       store().FindByIdempotencyKey(kSellerA, "nope"));
  EXPECT_FALSE(by_idem.has_value());
}

TEST_P(InvoiceStoreConformanceTest, FindsByIdempotencyKey) {
  const NewInvoice invoice = MakeInvoice(1, kSellerA, 7, kDay, kBuyerX, "retry-42");
  InsertOk(invoice);
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> ref,
                       store().FindByIdempotencyKey(kSellerA, "retry-42"));
  EXPECT_THAT(ref, Optional(RefOf(invoice)));
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> other,
                       store().FindByIdempotencyKey(kSellerB, "retry-42"));
  EXPECT_FALSE(other.has_value());
}

TEST_P(InvoiceStoreConformanceTest, InvoiceKeyConflictReportsExistingAndWritesNothing) {
  const NewInvoice first = MakeInvoice(1, kSellerA, 7, kDay, kBuyerX, "first");
  InsertOk(first);
  // Same seller/template/symbol/number; everything else differs.
  NewInvoice second = MakeInvoice(2, kSellerA, 7, kDay, kBuyerY, "second");
  second.issued_day = kDay + 1;
  ASSERT_OK_AND_ASSIGN(InsertResult result, store().Insert(second));
  EXPECT_EQ(result.conflict, InsertConflict::kInvoiceKey);
  EXPECT_EQ(result.existing, RefOf(first));

  ASSERT_OK_AND_ASSIGN(std::optional<std::string> record, store().GetByCode(CodeFor(2)));
  EXPECT_FALSE(record.has_value());
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> by_key, store().FindByKey(first.key));
  EXPECT_THAT(by_key, Optional(RefOf(first)));
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> by_idem,
                       store().FindByIdempotencyKey(kSellerA, "second"));
  EXPECT_FALSE(by_idem.has_value());
  EXPECT_THAT(SearchAll(BySeller(kSellerA)), ElementsAre(CodeFor(1)));
  EXPECT_THAT(SearchAll(ByBuyer(kBuyerY)), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> counts, store().CountsByDay(kDay - 10, kDay + 10));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].day, kDay);
  EXPECT_EQ(counts[0].issued, 1u);
  ASSERT_OK_AND_ASSIGN(std::string greatest, store().GreatestAuthorityCode());
  EXPECT_EQ(greatest, CodeFor(1));
}

TEST_P(InvoiceStoreConformanceTest, IdempotencyKeyIsCheckedBeforeInvoiceKey) {
  const NewInvoice first = MakeInvoice(1, kSellerA, 7, kDay, kBuyerX, "same-key");
  InsertOk(first);
  // Same idempotency key and same invoice key: reported as an idempotency conflict.
  ASSERT_OK_AND_ASSIGN(InsertResult both,
                       store().Insert(MakeInvoice(2, kSellerA, 7, kDay, kBuyerX, "same-key")));
  EXPECT_EQ(both.conflict, InsertConflict::kIdempotencyKey);
  EXPECT_EQ(both.existing, RefOf(first));
  // Same idempotency key, a new invoice key: still a conflict, and nothing written.
  const NewInvoice other = MakeInvoice(3, kSellerA, 8, kDay, kBuyerY, "same-key");
  ASSERT_OK_AND_ASSIGN(InsertResult idem_only, store().Insert(other));
  EXPECT_EQ(idem_only.conflict, InsertConflict::kIdempotencyKey);
  EXPECT_EQ(idem_only.existing, RefOf(first));
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> by_key, store().FindByKey(other.key));
  EXPECT_FALSE(by_key.has_value());
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> record, store().GetByCode(CodeFor(3)));
  EXPECT_FALSE(record.has_value());
  EXPECT_THAT(SearchAll(ByBuyer(kBuyerY)), IsEmpty());
}

TEST_P(InvoiceStoreConformanceTest, SameIdempotencyKeyUnderAnotherSellerIsNoConflict) {
  InsertOk(MakeInvoice(1, kSellerA, 7, kDay, kBuyerX, "shared"));
  const NewInvoice other = MakeInvoice(2, kSellerB, 7, kDay, kBuyerX, "shared");
  InsertOk(other);
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> ref,
                       store().FindByIdempotencyKey(kSellerB, "shared"));
  EXPECT_THAT(ref, Optional(RefOf(other)));
}

TEST_P(InvoiceStoreConformanceTest, ReusedAuthorityCodeIsRefusedAndRecordKept) {
  const NewInvoice first = MakeInvoice(1, kSellerA, 7, kDay);
  InsertOk(first);
  NewInvoice second = MakeInvoice(1, kSellerA, 8, kDay);
  second.authenticated_invoice = "different bytes";
  ASSERT_OK_AND_ASSIGN(InsertResult result, store().Insert(second));
  EXPECT_EQ(result.conflict, InsertConflict::kInvoiceCode);
  EXPECT_EQ(result.existing.authority_code, CodeFor(1));
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> record, store().GetByCode(CodeFor(1)));
  EXPECT_THAT(record, Optional(first.authenticated_invoice));
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> by_key, store().FindByKey(second.key));
  EXPECT_FALSE(by_key.has_value());
}

TEST_P(InvoiceStoreConformanceTest, RejectsInvoicesThatCannotBeEncoded) {
  NewInvoice long_code = MakeInvoice(1, kSellerA, 7, kDay);
  long_code.authority_code = CodeFor(1) + "0";  // 35 bytes
  EXPECT_THAT(store().Insert(long_code), StatusIs(absl::StatusCode::kInvalidArgument));
  NewInvoice no_code = MakeInvoice(1, kSellerA, 7, kDay);
  no_code.authority_code = "";
  EXPECT_THAT(store().Insert(no_code), StatusIs(absl::StatusCode::kInvalidArgument));
  NewInvoice nul_code = MakeInvoice(1, kSellerA, 7, kDay);
  nul_code.authority_code = std::string("M1-26-\0BCDE-00000000001", 23);
  EXPECT_THAT(store().Insert(nul_code), StatusIs(absl::StatusCode::kInvalidArgument));
  NewInvoice bad_hash = MakeInvoice(1, kSellerA, 7, kDay);
  bad_hash.content_sha256 = "short";
  EXPECT_THAT(store().Insert(bad_hash), StatusIs(absl::StatusCode::kInvalidArgument));
  NewInvoice no_seller = MakeInvoice(1, "", 7, kDay);
  EXPECT_THAT(store().Insert(no_seller), StatusIs(absl::StatusCode::kInvalidArgument));
  NewInvoice nul_buyer = MakeInvoice(1, kSellerA, 7, kDay, std::string("01\0x", 4));
  EXPECT_THAT(store().Insert(nul_buyer), StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(std::string greatest, store().GreatestAuthorityCode());
  EXPECT_EQ(greatest, "");
}

// Three sellers' invoices over several days, inserted out of order.
class SearchFixture {
 public:
  // Returns the codes of kSellerA in (date, code) order.
  static std::vector<NewInvoice> Invoices() {
    std::vector<NewInvoice> out;
    const absl::CivilDay days[] = {absl::CivilDay(2026, 1, 31), absl::CivilDay(2025, 12, 31),
                                   absl::CivilDay(2026, 2, 1), absl::CivilDay(2026, 1, 1)};
    uint32_t number = 1;
    // Codes are not in date order: seed 100 - i.
    for (int i = 0; i < 24; ++i) {
      const absl::CivilDay day = days[i % 4];
      const std::string buyer = i % 3 == 0 ? "" : (i % 3 == 1 ? kBuyerX : kBuyerY);
      out.push_back(MakeInvoice(100 - i, kSellerA, number++, day, buyer));
    }
    // Another seller whose tax code is a prefix-sibling, and one that sorts just after.
    out.push_back(MakeInvoice(200, "0100109106-001", 1, absl::CivilDay(2026, 1, 1), kBuyerX));
    out.push_back(MakeInvoice(201, "01001091060", 1, absl::CivilDay(2026, 1, 1), kBuyerX));
    out.push_back(MakeInvoice(202, "010010910", 1, absl::CivilDay(2026, 1, 1), kBuyerX));
    return out;
  }

  static std::vector<std::string> Expected(const std::vector<NewInvoice>& invoices,
                                           SearchQuery::Party party, const std::string& tax,
                                           std::optional<absl::CivilDay> from,
                                           std::optional<absl::CivilDay> to) {
    std::vector<std::pair<absl::CivilDay, std::string>> rows;
    for (const NewInvoice& invoice : invoices) {
      const std::string& who = party == SearchQuery::Party::kSeller
                                   ? invoice.key.seller_tax_code()
                                   : invoice.buyer_tax_code;
      if (who != tax) continue;
      if (from.has_value() && invoice.issue_date < *from) continue;
      if (to.has_value() && invoice.issue_date > *to) continue;
      rows.emplace_back(invoice.issue_date, invoice.authority_code);
    }
    std::sort(rows.begin(), rows.end());
    std::vector<std::string> codes;
    for (const auto& row : rows) codes.push_back(row.second);
    return codes;
  }
};

TEST_P(InvoiceStoreConformanceTest, SearchBySellerWithInclusiveAndUnboundedDates) {
  const std::vector<NewInvoice> invoices = SearchFixture::Invoices();
  for (const NewInvoice& invoice : invoices) InsertOk(invoice);
  const std::optional<absl::CivilDay> bounds[][2] = {
      {std::nullopt, std::nullopt},
      {absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 1, 31)},
      {absl::CivilDay(2026, 1, 1), std::nullopt},
      {std::nullopt, absl::CivilDay(2026, 1, 1)},
      {absl::CivilDay(2026, 2, 1), absl::CivilDay(2026, 2, 1)},
      {absl::CivilDay(2026, 1, 2), absl::CivilDay(2026, 1, 30)},
      {absl::CivilDay(2026, 2, 2), std::nullopt},
      {absl::CivilDay(2026, 2, 1), absl::CivilDay(2026, 1, 1)},  // from > to: nothing
  };
  for (const auto& [from, to] : bounds) {
    SearchQuery query = BySeller(kSellerA);
    query.issued_from = from;
    query.issued_to = to;
    const std::vector<std::string> expected = SearchFixture::Expected(
        invoices, SearchQuery::Party::kSeller, kSellerA, from, to);
    EXPECT_EQ(SearchAll(query), expected)
        << (from ? absl::FormatCivilTime(*from) : "-") << ".."
        << (to ? absl::FormatCivilTime(*to) : "-");
  }
  EXPECT_EQ(SearchAll(BySeller(kSellerA)).size(), 24u);
  EXPECT_THAT(SearchAll(BySeller("010010910")), ElementsAre(CodeFor(202)));
  EXPECT_THAT(SearchAll(BySeller("0100109106-001")), ElementsAre(CodeFor(200)));
  EXPECT_THAT(SearchAll(BySeller(kSellerB)), IsEmpty());
}

TEST_P(InvoiceStoreConformanceTest, SearchByBuyerSkipsInvoicesWithoutBuyerTaxCode) {
  const std::vector<NewInvoice> invoices = SearchFixture::Invoices();
  for (const NewInvoice& invoice : invoices) InsertOk(invoice);
  for (const std::string buyer : {kBuyerX, kBuyerY}) {
    SearchQuery query = ByBuyer(buyer);
    query.issued_from = absl::CivilDay(2026, 1, 1);
    EXPECT_EQ(SearchAll(query),
              SearchFixture::Expected(invoices, SearchQuery::Party::kBuyer, buyer,
                                      absl::CivilDay(2026, 1, 1), std::nullopt));
  }
  // 8 of kSellerA's 24 invoices have no buyer tax code: they are in no buyer index.
  EXPECT_EQ(SearchAll(ByBuyer(kBuyerX)).size() + SearchAll(ByBuyer(kBuyerY)).size(), 16u + 3u);
}

TEST_P(InvoiceStoreConformanceTest, PagingVisitsEverythingOnceInOrder) {
  const std::vector<NewInvoice> invoices = SearchFixture::Invoices();
  for (const NewInvoice& invoice : invoices) InsertOk(invoice);
  const std::vector<std::string> expected = SearchFixture::Expected(
      invoices, SearchQuery::Party::kSeller, kSellerA, std::nullopt, std::nullopt);
  ASSERT_EQ(expected.size(), 24u);
  for (size_t page_size : {1, 2, 3, 5, 7, 8, 12, 23, 24, 25, 1000}) {
    EXPECT_EQ(SearchAll(BySeller(kSellerA, page_size)), expected) << "page size " << page_size;
  }
  // Exact multiple: the last full page has no token (look-ahead).
  ASSERT_OK_AND_ASSIGN(SearchPage all, store().Search(BySeller(kSellerA, 24)));
  EXPECT_EQ(all.authenticated_invoices.size(), 24u);
  EXPECT_EQ(all.next_page_token, "");
  // Paging with date bounds too.
  SearchQuery bounded = BySeller(kSellerA, 4);
  bounded.issued_from = absl::CivilDay(2026, 1, 1);
  bounded.issued_to = absl::CivilDay(2026, 1, 31);
  EXPECT_EQ(SearchAll(bounded),
            SearchFixture::Expected(invoices, SearchQuery::Party::kSeller, kSellerA,
                                    absl::CivilDay(2026, 1, 1), absl::CivilDay(2026, 1, 31)));
}

TEST_P(InvoiceStoreConformanceTest, PagesAreBoundedByBytesAsWellAsCount) {
  const std::vector<NewInvoice> invoices = SearchFixture::Invoices();
  for (const NewInvoice& invoice : invoices) InsertOk(invoice);
  const std::vector<std::string> expected = SearchFixture::Expected(
      invoices, SearchQuery::Party::kSeller, kSellerA, std::nullopt, std::nullopt);
  const size_t record = invoices.front().authenticated_invoice.size();
  for (size_t max_bytes : {size_t{1}, record, record * 2 + record / 2, record * 7, size_t{1} << 30}) {
    for (size_t page_size : {3, 100}) {
      SearchQuery query = BySeller(kSellerA, page_size);
      query.max_bytes = max_bytes;
      EXPECT_EQ(SearchAll(query), expected) << max_bytes << " bytes, " << page_size << " a page";
    }
  }
  // One invoice larger than the budget still comes, alone.
  SearchQuery tiny = BySeller(kSellerA, 100);
  tiny.max_bytes = 1;
  ASSERT_OK_AND_ASSIGN(SearchPage page, store().Search(tiny));
  EXPECT_EQ(page.authenticated_invoices.size(), 1u);
  EXPECT_FALSE(page.next_page_token.empty());
  // Two and a half records' worth: two a page.
  SearchQuery two = BySeller(kSellerA, 100);
  two.max_bytes = record * 2 + record / 2;
  ASSERT_OK_AND_ASSIGN(SearchPage pair, store().Search(two));
  EXPECT_EQ(pair.authenticated_invoices.size(), 2u);
}

TEST_P(InvoiceStoreConformanceTest, TamperedOrForeignPageTokensAreInvalid) {
  for (const NewInvoice& invoice : SearchFixture::Invoices()) InsertOk(invoice);
  ASSERT_OK_AND_ASSIGN(SearchPage first, store().Search(BySeller(kSellerA, 2)));
  ASSERT_FALSE(first.next_page_token.empty());
  const std::string token = first.next_page_token;

  SearchQuery query = BySeller(kSellerA, 2);
  for (const std::string& bad :
       {std::string("!!!"), token.substr(0, token.size() - 3), token + "AA",
        std::string("c2VsbGVy"), std::string("\xff\x00", 2)}) {
    query.page_token = bad;
    EXPECT_THAT(store().Search(query), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
  // A well-formed token of another seller.
  query.tax_code = kSellerB;
  query.page_token = token;
  EXPECT_THAT(store().Search(query), StatusIs(absl::StatusCode::kInvalidArgument));
  // A seller token used for a buyer search of the same tax code.
  SearchQuery buyer = ByBuyer(kSellerA, 2);
  buyer.page_token = token;
  EXPECT_THAT(store().Search(buyer), StatusIs(absl::StatusCode::kInvalidArgument));
  // Bad queries.
  EXPECT_THAT(store().Search(BySeller("", 2)), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store().Search(BySeller(kSellerA, 0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(InvoiceStoreConformanceTest, GreatestAuthorityCode) {
  ASSERT_OK_AND_ASSIGN(std::string none, store().GreatestAuthorityCode());
  EXPECT_EQ(none, "");
  InsertOk(MakeInvoice(0x50, kSellerA, 1, kDay));
  InsertOk(MakeInvoice(0xFF00, kSellerA, 2, kDay));
  InsertOk(MakeInvoice(0x7, kSellerA, 3, kDay));
  ASSERT_OK_AND_ASSIGN(std::string greatest, store().GreatestAuthorityCode());
  EXPECT_EQ(greatest, CodeFor(0xFF00));
  // A cash-register code sorts after every authority code and is not one.
  NewInvoice cash = MakeInvoice(0, kSellerA, 4, kDay);
  cash.authority_code = "M1-26-ABCDE-00000000004";
  InsertOk(cash);
  ASSERT_OK_AND_ASSIGN(greatest, store().GreatestAuthorityCode());
  EXPECT_EQ(greatest, CodeFor(0xFF00));
}

// Cash-register invoices are stored under the seller's 23-character code, found by it, by
// their key and in searches, and refused when the code is taken.
TEST_P(InvoiceStoreConformanceTest, CashRegisterCodesAreStoredFoundAndUnique) {
  NewInvoice cash = MakeInvoice(0, kSellerA, 9, kDay, kBuyerX, "register-1");
  cash.authority_code = "M2-26-ABCDE-00000000009";
  InsertOk(cash);
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> record, store().GetByCode(cash.authority_code));
  EXPECT_THAT(record, Optional(cash.authenticated_invoice));
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> by_key, store().FindByKey(cash.key));
  EXPECT_THAT(by_key, Optional(InvoiceRef{cash.authority_code, cash.content_sha256}));
  ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> by_idempotency,
                       store().FindByIdempotencyKey(kSellerA, "register-1"));
  EXPECT_THAT(by_idempotency, Optional(InvoiceRef{cash.authority_code, cash.content_sha256}));
  SearchQuery query;
  query.party = SearchQuery::Party::kBuyer;
  query.tax_code = kBuyerX;
  ASSERT_OK_AND_ASSIGN(SearchPage page, store().Search(query));
  EXPECT_THAT(page.authenticated_invoices, ElementsAre(cash.authenticated_invoice));

  // Another invoice under the same seller-made code: refused, nothing written.
  NewInvoice again = MakeInvoice(0, kSellerA, 10, kDay);
  again.authority_code = cash.authority_code;
  again.authenticated_invoice = "another invoice";
  ASSERT_OK_AND_ASSIGN(InsertResult result, store().Insert(again));
  EXPECT_EQ(result.conflict, InsertConflict::kInvoiceCode);
  ASSERT_OK_AND_ASSIGN(record, store().GetByCode(cash.authority_code));
  EXPECT_THAT(record, Optional(cash.authenticated_invoice));
  ASSERT_OK_AND_ASSIGN(by_key, store().FindByKey(again.key));
  EXPECT_FALSE(by_key.has_value());
}

TEST_P(InvoiceStoreConformanceTest, CashRegisterInvoicesAreCountedApartFromCodedOnes) {
  InsertOk(MakeInvoice(1, kSellerA, 1, kDay));
  NewInvoice cash = MakeInvoice(0, kSellerA, 2, kDay);
  cash.authority_code = "M1-26-ABCDE-00000000002";
  cash.cash_register = true;
  InsertOk(cash);
  NewInvoice cash2 = MakeInvoice(0, kSellerA, 3, kDay);
  cash2.authority_code = "M1-26-ABCDE-00000000003";
  cash2.cash_register = true;
  InsertOk(cash2);
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> counts, store().CountsByDay(kDay, kDay));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].issued, 1u);
  EXPECT_EQ(counts[0].cash_register, 2u);
}

TEST_P(InvoiceStoreConformanceTest, CountsByDay) {
  const absl::CivilDay d1(2026, 2, 27), d2(2026, 2, 28), d3(2026, 3, 2);
  InsertOk(MakeInvoice(1, kSellerA, 1, d1));
  InsertOk(MakeInvoice(2, kSellerA, 2, d1));
  InsertOk(MakeInvoice(3, kSellerA, 3, d3));
  ASSERT_OK(store().CountRejection(d2, {}));
  ASSERT_OK(store().CountRejection(d2, {}));
  ASSERT_OK(store().CountRejection(d1, {}));
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> all, store().CountsByDay(d1 - 100, d3 + 100));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].day, d1);
  EXPECT_EQ(all[0].issued, 2u);
  EXPECT_EQ(all[0].rejected, 1u);
  EXPECT_EQ(all[1].day, d2);
  EXPECT_EQ(all[1].issued, 0u);
  EXPECT_EQ(all[1].rejected, 2u);
  EXPECT_EQ(all[2].day, d3);
  EXPECT_EQ(all[2].issued, 1u);
  EXPECT_EQ(all[2].rejected, 0u);
  // Inclusive bounds.
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> middle, store().CountsByDay(d2, d3));
  ASSERT_EQ(middle.size(), 2u);
  EXPECT_EQ(middle[0].day, d2);
  EXPECT_EQ(middle[1].day, d3);
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> one, store().CountsByDay(d1, d1));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].day, d1);
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> none, store().CountsByDay(d3, d1));
  EXPECT_THAT(none, IsEmpty());
}

TEST_P(InvoiceStoreConformanceTest, CountsByRule) {
  const absl::CivilDay d1(2026, 2, 27), d2(2026, 2, 28);
  NewInvoice warned = MakeInvoice(1, kSellerA, 1, d1);
  warned.warning_rules = {"totals.total_payable_mismatch", "line.amount_mismatch"};
  InsertOk(warned);
  NewInvoice warned_again = MakeInvoice(2, kSellerA, 2, d1);
  warned_again.warning_rules = {"totals.total_payable_mismatch"};
  InsertOk(warned_again);
  InsertOk(MakeInvoice(3, kSellerA, 3, d1));  // clean: counted as issued only
  ASSERT_OK(store().CountRejection(d2, {"format.pattern", "symbol.year_mismatch"}));
  ASSERT_OK(store().CountRejection(d2, {"format.pattern"}));
  EXPECT_THAT(store().CountRejection(d2, {""}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store().CountRejection(d2, {std::string("a\0b", 3)}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> all, store().CountsByDay(d1, d2));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].issued, 3u);
  EXPECT_EQ(all[0].warned_by_rule,
            (std::map<std::string, uint64_t>{{"line.amount_mismatch", 1},
                                             {"totals.total_payable_mismatch", 2}}));
  EXPECT_THAT(all[0].rejected_by_rule, IsEmpty());
  EXPECT_EQ(all[1].rejected, 2u);  // the refused invalid one was not counted
  EXPECT_EQ(all[1].rejected_by_rule,
            (std::map<std::string, uint64_t>{{"format.pattern", 2}, {"symbol.year_mismatch", 1}}));
  EXPECT_THAT(all[1].warned_by_rule, IsEmpty());
}

TEST_P(InvoiceStoreConformanceTest, SearchByWarningRuleAndIssueDate) {
  const std::string rule = "totals.rate_summary_missing";
  const absl::CivilDay d1(2026, 3, 1), d2(2026, 3, 2), d3(2026, 3, 3);
  std::vector<std::string> expected;  // in (issue date, code) order
  uint32_t number = 1;
  for (absl::CivilDay day : {d3, d1, d2, d1}) {
    NewInvoice invoice = MakeInvoice(100 + number, number % 2 ? kSellerA : kSellerB, number, day);
    invoice.warning_rules = {rule};
    InsertOk(invoice);
    ++number;
  }
  InsertOk(MakeInvoice(200, kSellerA, 50, d2));  // no warning: not found
  NewInvoice other = MakeInvoice(201, kSellerA, 51, d2);
  other.warning_rules = {"line.amount_mismatch"};  // another rule: not found
  InsertOk(other);

  SearchQuery query;
  query.party = SearchQuery::Party::kWarning;
  query.tax_code = rule;
  query.page_size = 3;
  ASSERT_OK_AND_ASSIGN(SearchPage first, store().Search(query));
  ASSERT_EQ(first.authenticated_invoices.size(), 3u);
  ASSERT_FALSE(first.next_page_token.empty());
  query.page_token = first.next_page_token;
  ASSERT_OK_AND_ASSIGN(SearchPage second, store().Search(query));
  ASSERT_EQ(second.authenticated_invoices.size(), 1u);
  EXPECT_TRUE(second.next_page_token.empty());
  // Issue-date order: d1, d1, d2, d3 (the records are "record-<seed>").
  EXPECT_EQ(first.authenticated_invoices[0], MakeInvoice(102, kSellerB, 2, d1).authenticated_invoice);
  EXPECT_EQ(first.authenticated_invoices[1], MakeInvoice(104, kSellerB, 4, d1).authenticated_invoice);
  EXPECT_EQ(first.authenticated_invoices[2], MakeInvoice(103, kSellerA, 3, d2).authenticated_invoice);
  EXPECT_EQ(second.authenticated_invoices[0], MakeInvoice(101, kSellerA, 1, d3).authenticated_invoice);

  // A date range, and a seller's token refused for a warning search.
  SearchQuery ranged;
  ranged.party = SearchQuery::Party::kWarning;
  ranged.tax_code = rule;
  ranged.issued_from = d2;
  ranged.issued_to = d2;
  ASSERT_OK_AND_ASSIGN(SearchPage only_d2, store().Search(ranged));
  ASSERT_EQ(only_d2.authenticated_invoices.size(), 1u);
  SearchQuery wrong = query;
  wrong.party = SearchQuery::Party::kSeller;
  EXPECT_THAT(store().Search(wrong), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_P(InvoiceStoreConformanceTest, SixtyFourThreadsSameInvoiceKeyExactlyOneWins) {
  constexpr int kThreads = 64;
  std::vector<absl::StatusOr<InsertResult>> results(kThreads, absl::UnknownError("not run"));
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      const NewInvoice invoice = MakeInvoice(1000 + i, kSellerA, 42, kDay);
      start.arrive_and_wait();
      results[i] = store().Insert(invoice);
    });
  }
  for (std::thread& t : threads) t.join();
  int winner = -1;
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_OK(results[i]);
    if (results[i]->conflict == InsertConflict::kNone) {
      EXPECT_EQ(winner, -1) << "two winners: " << winner << " and " << i;
      winner = i;
    }
  }
  ASSERT_NE(winner, -1);
  const InvoiceRef winning = RefOf(MakeInvoice(1000 + winner, kSellerA, 42, kDay));
  for (int i = 0; i < kThreads; ++i) {
    if (i == winner) continue;
    EXPECT_EQ(results[i]->conflict, InsertConflict::kInvoiceKey);
    EXPECT_EQ(results[i]->existing, winning);
  }
  EXPECT_THAT(SearchAll(BySeller(kSellerA)), ElementsAre(winning.authority_code));
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> counts, store().CountsByDay(kDay, kDay));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].issued, 1u);
}

TEST_P(InvoiceStoreConformanceTest, SixtyFourThreadsSameIdempotencyKeyExactlyOneWins) {
  constexpr int kThreads = 64;
  std::vector<absl::StatusOr<InsertResult>> results(kThreads, absl::UnknownError("not run"));
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      // Different invoice keys, one idempotency key.
      const NewInvoice invoice = MakeInvoice(1000 + i, kSellerA, 1 + i, kDay, kBuyerX, "k");
      start.arrive_and_wait();
      results[i] = store().Insert(invoice);
    });
  }
  for (std::thread& t : threads) t.join();
  int winners = 0;
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_OK(results[i]);
    if (results[i]->conflict == InsertConflict::kNone) {
      ++winners;
    } else {
      EXPECT_EQ(results[i]->conflict, InsertConflict::kIdempotencyKey);
    }
  }
  EXPECT_EQ(winners, 1);
  EXPECT_EQ(SearchAll(BySeller(kSellerA)).size(), 1u);
}

TEST_P(InvoiceStoreConformanceTest, ManyThreadsDistinctInvoicesAllSucceed) {
  constexpr int kThreads = 32;
  constexpr int kPerThread = 25;
  std::vector<int> failures(kThreads, 0);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int j = 0; j < kPerThread; ++j) {
        const int n = t * kPerThread + j;
        absl::StatusOr<InsertResult> result = store().Insert(MakeInvoice(
            5000 + n, kSellerA, 1 + n, kDay, kBuyerX, absl::StrCat("idem-", n)));
        if (!result.ok() || result->conflict != InsertConflict::kNone) ++failures[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  EXPECT_EQ(SearchAll(BySeller(kSellerA, 100)).size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(SearchAll(ByBuyer(kBuyerX, 1000)).size(), size_t{kThreads * kPerThread});
  ASSERT_OK_AND_ASSIGN(std::vector<DayCount> counts, store().CountsByDay(kDay, kDay));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].issued, uint64_t{kThreads * kPerThread});
  for (int n : {0, 399, 799}) {
    ASSERT_OK_AND_ASSIGN(std::optional<InvoiceRef> ref,
                         store().FindByIdempotencyKey(kSellerA, absl::StrCat("idem-", n)));
    EXPECT_THAT(ref, Optional(RefOf(MakeInvoice(5000 + n, kSellerA, 1 + n, kDay))));
  }
}

TEST_P(InvoiceStoreConformanceTest, InsertAsyncAnswersEachInsertOnceLikeInsert) {
  // Sent from one thread without waiting; pairs share an invoice key, so the first of each
  // pair wins and the second is told about it.
  constexpr int kInvoices = 40;
  absl::Mutex mu;
  std::vector<int> calls(kInvoices, 0);
  std::vector<absl::StatusOr<InsertResult>> results(kInvoices, absl::UnknownError("not run"));
  std::vector<bool> readable(kInvoices, false);
  int answered = 0;
  for (int i = 0; i < kInvoices; ++i) {
    const NewInvoice invoice = MakeInvoice(2000 + i, kSellerA, 100 + i / 2, kDay);
    store().InsertAsync(invoice, [&, i, code = invoice.authority_code](
                                     absl::StatusOr<InsertResult> result) {
      // An acknowledged insert is visible by the time its callback runs.
      absl::StatusOr<std::optional<std::string>> stored = store().GetByCode(code);
      absl::MutexLock lock(&mu);
      ++calls[i];
      results[i] = std::move(result);
      readable[i] = stored.ok() && stored->has_value();
      ++answered;
    });
  }
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(+[](int* n) { return *n >= kInvoices; }, &answered));
  }
  absl::MutexLock lock(&mu);
  for (int i = 0; i < kInvoices; ++i) {
    EXPECT_EQ(calls[i], 1) << i;
    ASSERT_OK(results[i]) << i;
    if (i % 2 == 0) {
      EXPECT_EQ(results[i]->conflict, InsertConflict::kNone) << i;
      EXPECT_TRUE(readable[i]) << i;
    } else {
      EXPECT_EQ(results[i]->conflict, InsertConflict::kInvoiceKey) << i;
      EXPECT_EQ(results[i]->existing, RefOf(MakeInvoice(2000 + i - 1, kSellerA, 100 + i / 2, kDay)));
      EXPECT_FALSE(readable[i]) << i;
    }
  }
  EXPECT_EQ(SearchAll(BySeller(kSellerA)).size(), size_t{kInvoices / 2});
}

TEST_P(InvoiceStoreConformanceTest, InsertAsyncRefusesAnUnencodableInvoiceAndStoresNothing) {
  NewInvoice bad = MakeInvoice(3, kSellerA, 1, kDay);
  bad.authority_code = std::string(35, 'A');  // longer than any code
  absl::StatusOr<InsertResult> result = absl::UnknownError("not run");
  absl::Notification answered;
  store().InsertAsync(bad, [&](absl::StatusOr<InsertResult> r) {
    result = std::move(r);
    answered.Notify();
  });
  answered.WaitForNotification();
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(SearchAll(BySeller(kSellerA)), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    AllStores, InvoiceStoreConformanceTest,
    ::testing::Values(
        StoreFactory{"RocksDb", [] { return std::unique_ptr<StoreHarness>(new RocksDbHarness); }},
        StoreFactory{"InMemory",
                     [] { return std::unique_ptr<StoreHarness>(new InMemoryHarness); }}),
    [](const ::testing::TestParamInfo<StoreFactory>& info) { return info.param.name; });

}  // namespace
}  // namespace einvoice::testing
