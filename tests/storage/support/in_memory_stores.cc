#include "tests/storage/support/in_memory_stores.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/key_encoding.h"
#include "storage/seller_listing.h"

namespace einvoice::testing {
namespace {

absl::StatusOr<std::optional<InvoiceRef>> Lookup(const std::map<std::string, std::string>& map,
                                                 const std::string& key) {
  auto it = map.find(key);
  if (it == map.end()) return std::optional<InvoiceRef>();
  absl::StatusOr<InvoiceRef> ref = keys::DecodeRef(it->second);
  if (!ref.ok()) return ref.status();
  return std::optional<InvoiceRef>(*std::move(ref));
}

}  // namespace

absl::StatusOr<InsertResult> InMemoryInvoiceStore::Insert(const NewInvoice& invoice) {
  absl::StatusOr<keys::EncodedInvoice> encoded = keys::EncodeNewInvoice(invoice);
  if (!encoded.ok()) return encoded.status();
  const keys::EncodedInvoice& e = *encoded;
  absl::MutexLock lock(&mu_);
  if (failures_left_ > 0) {
    --failures_left_;
    return failure_;
  }
  if (!e.idempotency_key.empty()) {
    absl::StatusOr<std::optional<InvoiceRef>> existing = Lookup(idempotency_, e.idempotency_key);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return InsertResult{InsertConflict::kIdempotencyKey, **std::move(existing)};
    }
  }
  absl::StatusOr<std::optional<InvoiceRef>> existing = Lookup(invoice_keys_, e.invoice_key);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return InsertResult{InsertConflict::kInvoiceKey, **std::move(existing)};
  }
  if (records_.contains(e.record_key)) {
    return InsertResult{InsertConflict::kInvoiceCode, InvoiceRef{e.record_key, ""}};
  }
  records_.emplace(e.record_key, invoice.authenticated_invoice);
  invoice_keys_.emplace(e.invoice_key, e.ref);
  if (!e.idempotency_key.empty()) idempotency_.emplace(e.idempotency_key, e.ref);
  by_seller_.insert(e.seller_index_key);
  if (!e.buyer_index_key.empty()) by_buyer_.insert(e.buyer_index_key);
  ++stats_[e.issued_stats_key];
  for (const std::string& key : e.warning_index_keys) by_warning_.insert(key);
  for (const std::string& key : e.warning_stats_keys) ++stats_[key];
  return InsertResult{};
}

absl::StatusOr<std::optional<std::string>> InMemoryInvoiceStore::GetByCode(
    absl::string_view authority_code) {
  absl::MutexLock lock(&mu_);
  auto it = records_.find(std::string(authority_code));
  if (it == records_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::StatusOr<std::optional<InvoiceRef>> InMemoryInvoiceStore::FindByKey(
    const v1::InvoiceKey& key) {
  absl::StatusOr<std::string> encoded = keys::InvoiceKeyKey(key);
  if (!encoded.ok()) return encoded.status();
  absl::MutexLock lock(&mu_);
  return Lookup(invoice_keys_, *encoded);
}

absl::StatusOr<std::optional<InvoiceRef>> InMemoryInvoiceStore::FindByIdempotencyKey(
    absl::string_view seller_tax_code, absl::string_view idempotency_key) {
  absl::StatusOr<std::string> encoded =
      keys::IdempotencyIndexKey(seller_tax_code, idempotency_key);
  if (!encoded.ok()) return encoded.status();
  absl::MutexLock lock(&mu_);
  return Lookup(idempotency_, *encoded);
}

absl::StatusOr<SearchPage> InMemoryInvoiceStore::Search(const SearchQuery& query) {
  absl::StatusOr<keys::KeyRange> range = keys::SearchKeyRange(query);
  if (!range.ok()) return range.status();
  SearchPage page;
  if (range->empty()) return page;
  absl::MutexLock lock(&mu_);
  const std::set<std::string>& index = query.party == SearchQuery::Party::kSeller ? by_seller_
                                        : query.party == SearchQuery::Party::kBuyer ? by_buyer_
                                                                                     : by_warning_;
  auto it = index.lower_bound(range->start);
  const auto end = index.lower_bound(range->limit);
  std::string last;
  size_t bytes = 0;
  for (; it != end && page.authenticated_invoices.size() < query.page_size; ++it) {
    absl::StatusOr<keys::PartyIndexEntry> entry = keys::DecodePartyIndexKey(*it);
    if (!entry.ok()) return entry.status();
    auto record = records_.find(entry->authority_code);
    if (record == records_.end()) return absl::DataLossError("index entry without record");
    if (query.max_bytes > 0 && !page.authenticated_invoices.empty() &&
        bytes + record->second.size() > query.max_bytes) {
      break;
    }
    bytes += record->second.size();
    page.authenticated_invoices.push_back(record->second);
    last = *it;
  }
  if (it != end) page.next_page_token = keys::EncodePageToken(query.party, last);
  return page;
}

absl::StatusOr<std::string> InMemoryInvoiceStore::GreatestAuthorityCode() {
  absl::MutexLock lock(&mu_);
  auto it = records_.lower_bound(kAuthorityCodeBound);  // the first code not the authority's
  if (it == records_.begin()) return std::string();
  return std::prev(it)->first;
}

absl::Status InMemoryInvoiceStore::CountRejection(absl::CivilDay day,
                                                  const std::vector<std::string>& rules) {
  if (absl::Status s = keys::ValidateDay(day); !s.ok()) return s;
  for (const std::string& rule : rules) {
    if (absl::Status s = keys::ValidateRuleName(rule); !s.ok()) return s;
  }
  absl::MutexLock lock(&mu_);
  ++stats_[keys::StatsKey(day, keys::StatKind::kRejected)];
  for (const std::string& rule : rules) {
    ++stats_[keys::StatsKey(day, keys::StatKind::kRejectedByRule, rule)];
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<DayCount>> InMemoryInvoiceStore::CountsByDay(absl::CivilDay from,
                                                                        absl::CivilDay to) {
  std::vector<DayCount> days;
  const keys::KeyRange range = keys::StatsKeyRange(from, to);
  if (range.empty()) return days;
  absl::MutexLock lock(&mu_);
  for (auto it = stats_.lower_bound(range.start); it != stats_.end() && it->first < range.limit;
       ++it) {
    absl::StatusOr<keys::StatsKeyParts> key = keys::DecodeStatsKey(it->first);
    if (!key.ok()) return key.status();
    keys::AccumulateStat(*key, it->second, days);
  }
  return days;
}

void InMemoryInvoiceStore::FailNextInserts(int n, absl::Status status) {
  absl::MutexLock lock(&mu_);
  failures_left_ = n;
  failure_ = std::move(status);
}

size_t InMemoryInvoiceStore::size() const {
  absl::MutexLock lock(&mu_);
  return records_.size();
}

absl::StatusOr<std::optional<v1::Seller>> InMemorySellerRegistry::Get(
    absl::string_view tax_code) {
  if (absl::Status s = keys::ValidateTaxCode(tax_code); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  auto it = sellers_.find(std::string(tax_code));
  if (it == sellers_.end()) return std::optional<v1::Seller>();
  return std::optional<v1::Seller>(it->second);
}

absl::Status InMemorySellerRegistry::Put(const v1::Seller& seller) {
  if (absl::Status s = keys::ValidateTaxCode(seller.tax_code()); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  sellers_[seller.tax_code()] = seller;
  return absl::OkStatus();
}

absl::StatusOr<SellerPage> InMemorySellerRegistry::List(const SellerListQuery& query) {
  absl::StatusOr<SellerListing> listing = SellerListing::Start(query);
  if (!listing.ok()) return listing.status();
  absl::MutexLock lock(&mu_);
  for (auto it = sellers_.upper_bound(listing->resume_after()); it != sellers_.end(); ++it) {
    absl::StatusOr<bool> more = listing->Offer(it->first, it->second.SerializeAsString());
    if (!more.ok()) return more.status();
    if (!*more) break;
  }
  return std::move(*listing).Finish();
}

absl::StatusOr<std::vector<v1::SigningKey>> InMemorySigningKeyRegistry::List() {
  absl::MutexLock lock(&mu_);
  std::vector<v1::SigningKey> out;
  for (const auto& [key_id, key] : keys_) out.push_back(key);
  return out;
}

absl::Status InMemorySigningKeyRegistry::PutAll(const std::vector<v1::SigningKey>& keys) {
  for (const v1::SigningKey& key : keys) {
    if (key.key_id().empty()) return absl::InvalidArgumentError("signing key id is empty");
  }
  absl::MutexLock lock(&mu_);
  for (const v1::SigningKey& key : keys) keys_[key.key_id()] = key;
  return absl::OkStatus();
}

absl::Status InMemoryAuditLog::Append(const AuditLogEntry& entry) {
  if (entry.sequence == 0) return absl::InvalidArgumentError("audit sequence 0 is not valid");
  absl::MutexLock lock(&mu_);
  if (failures_left_ > 0) {
    --failures_left_;
    return failure_;
  }
  if (!entries_.emplace(entry.sequence, entry.record).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("audit record ", entry.sequence, " is already stored"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<AuditLogEntry>> InMemoryAuditLog::Last() {
  absl::MutexLock lock(&mu_);
  if (entries_.empty()) return std::optional<AuditLogEntry>();
  const auto& [sequence, record] = *entries_.rbegin();
  return std::optional<AuditLogEntry>(AuditLogEntry{sequence, record});
}

absl::StatusOr<std::vector<AuditLogEntry>> InMemoryAuditLog::ReadAfter(uint64_t after,
                                                                       size_t limit) {
  absl::MutexLock lock(&mu_);
  std::vector<AuditLogEntry> out;
  for (auto it = entries_.upper_bound(after); it != entries_.end() && out.size() < limit; ++it) {
    out.push_back(AuditLogEntry{it->first, it->second});
  }
  return out;
}

std::vector<AuditLogEntry> InMemoryAuditLog::Entries() {
  absl::MutexLock lock(&mu_);
  std::vector<AuditLogEntry> out;
  for (const auto& [sequence, record] : entries_) out.push_back(AuditLogEntry{sequence, record});
  return out;
}

void InMemoryAuditLog::TamperForTest(uint64_t sequence, std::optional<std::string> record) {
  absl::MutexLock lock(&mu_);
  if (record.has_value()) {
    entries_[sequence] = *std::move(record);
  } else {
    entries_.erase(sequence);
  }
}

void InMemoryAuditLog::FailNextAppends(int n, absl::Status status) {
  absl::MutexLock lock(&mu_);
  failures_left_ = n;
  failure_ = std::move(status);
}

}  // namespace einvoice::testing
