#include "storage/rocksdb_invoice_store.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/key_encoding.h"
#include "storage/rocksdb_status.h"

namespace einvoice {
namespace {

// The index column family a search scans.
ColumnFamily IndexOf(SearchQuery::Party party) {
  switch (party) {
    case SearchQuery::Party::kSeller:
      return ColumnFamily::kBySeller;
    case SearchQuery::Party::kBuyer:
      return ColumnFamily::kByBuyer;
    case SearchQuery::Party::kWarning:
      return ColumnFamily::kByWarning;
  }
  return ColumnFamily::kBySeller;
}

rocksdb::Slice ToSlice(absl::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
absl::string_view ToView(const rocksdb::Slice& s) { return absl::string_view(s.data(), s.size()); }

}  // namespace

// One insert waiting for the committer. Owned by the queue, then by the batch, then by the
// completion queue; destroyed once its callback has run.
struct RocksDbInvoiceStore::Request {
  NewInvoice invoice;
  keys::EncodedInvoice encoded;
  absl::StatusOr<InsertResult> result;
  InsertCallback done;
};

RocksDbInvoiceStore::RocksDbInvoiceStore(std::shared_ptr<RocksDbDatabase> db,
                                         RocksDbInvoiceStoreOptions options)
    : db_(std::move(db)), options_(options) {
  committer_ = std::thread([this] { CommitLoop(); });
  completer_ = std::thread([this] { CompleteLoop(); });
}

RocksDbInvoiceStore::~RocksDbInvoiceStore() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    has_work_.Signal();
    has_space_.SignalAll();
  }
  committer_.join();  // commits what is queued first
  {
    absl::MutexLock lock(&completion_mu_);
    completer_stopping_ = true;
    has_completions_.Signal();
  }
  completer_.join();  // runs the callbacks of what was committed
}

absl::StatusOr<InsertResult> RocksDbInvoiceStore::Insert(const NewInvoice& invoice) {
  absl::StatusOr<InsertResult> result;
  absl::Notification done;
  InsertAsync(invoice, [&result, &done](absl::StatusOr<InsertResult> r) {
    result = std::move(r);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

void RocksDbInvoiceStore::InsertAsync(NewInvoice invoice, InsertCallback done) {
  // Encoding and validation run in the caller's thread, in parallel with other callers.
  absl::StatusOr<keys::EncodedInvoice> encoded = keys::EncodeNewInvoice(invoice);
  if (!encoded.ok()) {
    std::move(done)(encoded.status());
    return;
  }
  auto request = std::make_unique<Request>();
  request->invoice = std::move(invoice);
  request->encoded = *std::move(encoded);
  request->done = std::move(done);
  {
    absl::MutexLock lock(&mu_);
    while (queue_.size() >= options_.max_queued && !stopping_) has_space_.Wait(&mu_);
    if (!stopping_) {
      queue_.push_back(std::move(request));
      has_work_.Signal();
      return;
    }
  }
  std::move(request->done)(absl::UnavailableError("invoice store is shutting down"));
}

void RocksDbInvoiceStore::CommitLoop() {
  std::vector<std::unique_ptr<Request>> batch;
  std::vector<Request*> requests;
  batch.reserve(options_.max_batch_size);
  requests.reserve(options_.max_batch_size);
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      while (queue_.empty() && !stopping_) has_work_.Wait(&mu_);
      // Drain what is queued even when stopping; exit only once empty.
      if (queue_.empty()) return;
      while (!queue_.empty() && batch.size() < options_.max_batch_size) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      has_space_.SignalAll();
    }
    requests.clear();
    for (const std::unique_ptr<Request>& r : batch) requests.push_back(r.get());
    CommitBatch(requests);
    // Callbacks run on the completer so the next batch's write can start at once.
    absl::MutexLock lock(&completion_mu_);
    for (std::unique_ptr<Request>& r : batch) completions_.push_back(std::move(r));
    has_completions_.Signal();
    batch.clear();
  }
}

void RocksDbInvoiceStore::CompleteLoop() {
  std::vector<std::unique_ptr<Request>> ready;
  while (true) {
    {
      absl::MutexLock lock(&completion_mu_);
      while (completions_.empty() && !completer_stopping_) has_completions_.Wait(&completion_mu_);
      if (completions_.empty()) return;
      ready.swap(completions_);
    }
    for (std::unique_ptr<Request>& r : ready) std::move(r->done)(std::move(r->result));
    ready.clear();
  }
}

void RocksDbInvoiceStore::CommitBatch(const std::vector<Request*>& batch) {
  rocksdb::DB* db = db_->db();
  rocksdb::ColumnFamilyHandle* records = db_->handle(ColumnFamily::kRecords);
  rocksdb::ColumnFamilyHandle* invoice_keys = db_->handle(ColumnFamily::kInvoiceKeys);
  rocksdb::ColumnFamilyHandle* idempotency = db_->handle(ColumnFamily::kIdempotency);

  // 1. Look every key of the batch up at once. Per request: [idempotency,] invoice key,
  //    authority code. `first[i]` is the index of request i's first lookup.
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;
  std::vector<rocksdb::Slice> lookup_keys;
  std::vector<size_t> first(batch.size());
  cfs.reserve(batch.size() * 3);
  lookup_keys.reserve(batch.size() * 3);
  for (size_t i = 0; i < batch.size(); ++i) {
    const keys::EncodedInvoice& e = batch[i]->encoded;
    first[i] = lookup_keys.size();
    if (!e.idempotency_key.empty()) {
      cfs.push_back(idempotency);
      lookup_keys.push_back(ToSlice(e.idempotency_key));
    }
    cfs.push_back(invoice_keys);
    lookup_keys.push_back(ToSlice(e.invoice_key));
    cfs.push_back(records);
    lookup_keys.push_back(ToSlice(e.record_key));
  }
  std::vector<rocksdb::PinnableSlice> values(lookup_keys.size());
  std::vector<rocksdb::Status> statuses(lookup_keys.size());
  db->MultiGet(rocksdb::ReadOptions(), lookup_keys.size(), cfs.data(), lookup_keys.data(),
               values.data(), statuses.data());

  // 2. Decide each request in queue order, against the database and the requests accepted
  //    before it in this batch.
  absl::flat_hash_map<absl::string_view, absl::string_view> batch_idempotency;  // key → ref
  absl::flat_hash_map<absl::string_view, absl::string_view> batch_invoice_keys;  // key → ref
  absl::flat_hash_set<absl::string_view> batch_codes;
  // stats key → increment: issued per day, and per warning rule
  std::map<std::string, uint64_t> counters;
  std::vector<Request*> accepted;
  accepted.reserve(batch.size());
  rocksdb::WriteBatch write;

  // Requests refused because of a request accepted earlier in this batch: if the write
  // fails, their conflict never existed, so they get UNAVAILABLE too.
  std::vector<Request*> refused_by_batch;
  bool from_batch = false;

  // Returns the conflicting ref if the key is taken, nullopt if it is free. Sets from_batch
  // when the conflict is with this batch.
  auto check = [&](size_t lookup, const absl::flat_hash_map<absl::string_view,
                                                            absl::string_view>& in_batch,
                   absl::string_view key) -> absl::StatusOr<std::optional<InvoiceRef>> {
    from_batch = false;
    if (auto it = in_batch.find(key); it != in_batch.end()) {
      from_batch = true;
      absl::StatusOr<InvoiceRef> ref = keys::DecodeRef(it->second);
      if (!ref.ok()) return ref.status();
      return std::optional<InvoiceRef>(*std::move(ref));
    }
    const rocksdb::Status& s = statuses[lookup];
    if (s.IsNotFound()) return std::optional<InvoiceRef>();
    if (!s.ok()) return FromRocksDb(s, "looking up invoice index");
    absl::StatusOr<InvoiceRef> ref = keys::DecodeRef(ToView(values[lookup]));
    if (!ref.ok()) return ref.status();
    return std::optional<InvoiceRef>(*std::move(ref));
  };

  for (size_t i = 0; i < batch.size(); ++i) {
    Request& r = *batch[i];
    const keys::EncodedInvoice& e = r.encoded;
    size_t lookup = first[i];
    if (!e.idempotency_key.empty()) {
      absl::StatusOr<std::optional<InvoiceRef>> existing =
          check(lookup++, batch_idempotency, e.idempotency_key);
      if (!existing.ok()) {
        r.result = existing.status();
        continue;
      }
      if (existing->has_value()) {
        r.result = InsertResult{InsertConflict::kIdempotencyKey, **std::move(existing)};
        if (from_batch) refused_by_batch.push_back(&r);
        continue;
      }
    }
    absl::StatusOr<std::optional<InvoiceRef>> existing =
        check(lookup++, batch_invoice_keys, e.invoice_key);
    if (!existing.ok()) {
      r.result = existing.status();
      continue;
    }
    if (existing->has_value()) {
      r.result = InsertResult{InsertConflict::kInvoiceKey, **std::move(existing)};
      if (from_batch) refused_by_batch.push_back(&r);
      continue;
    }
    const rocksdb::Status& code_status = statuses[lookup];
    if (batch_codes.contains(e.record_key) || code_status.ok()) {
      // Never overwritten: the caller decides what a taken code means (a bug for the
      // authority's own codes, a seller's mistake for a cash-register code).
      if (!code_status.ok()) refused_by_batch.push_back(&r);
      r.result = InsertResult{InsertConflict::kInvoiceCode, InvoiceRef{e.record_key, ""}};
      continue;
    }
    if (!code_status.IsNotFound()) {
      r.result = FromRocksDb(code_status, "looking up authority code");
      continue;
    }

    // Accepted: stage every write of this invoice. WriteBatch appends to memory only, so
    // these cannot fail short of allocation failure.
    absl::string_view record = r.invoice.authenticated_invoice;
    write.Put(records, ToSlice(e.record_key), ToSlice(record)).PermitUncheckedError();
    write.Put(invoice_keys, ToSlice(e.invoice_key), ToSlice(e.ref)).PermitUncheckedError();
    if (!e.idempotency_key.empty()) {
      write.Put(idempotency, ToSlice(e.idempotency_key), ToSlice(e.ref)).PermitUncheckedError();
    }
    write.Put(db_->handle(ColumnFamily::kBySeller), ToSlice(e.seller_index_key), rocksdb::Slice())
        .PermitUncheckedError();
    if (!e.buyer_index_key.empty()) {
      write.Put(db_->handle(ColumnFamily::kByBuyer), ToSlice(e.buyer_index_key),
                rocksdb::Slice())
          .PermitUncheckedError();
    }
    for (const std::string& key : e.warning_index_keys) {
      write.Put(db_->handle(ColumnFamily::kByWarning), ToSlice(key), rocksdb::Slice())
          .PermitUncheckedError();
    }
    for (const std::string& key : e.warning_stats_keys) ++counters[key];
    accepted.push_back(&r);
    batch_codes.insert(e.record_key);
    batch_invoice_keys.emplace(e.invoice_key, e.ref);
    if (!e.idempotency_key.empty()) batch_idempotency.emplace(e.idempotency_key, e.ref);
    ++counters[e.issued_stats_key];
  }

  // 3. One atomic, synced write for every accepted request.
  if (!accepted.empty()) {
    for (const auto& [key, count] : counters) {
      write.Merge(db_->handle(ColumnFamily::kStats), ToSlice(key),
                  ToSlice(keys::EncodeCounter(count)))
          .PermitUncheckedError();
    }
    rocksdb::WriteOptions write_options;
    write_options.sync = db_->options().sync_writes;
    const absl::Status s = db_->Write(write_options, &write, "storing invoices");
    for (Request* r : accepted) {
      if (s.ok()) {
        r->result = InsertResult{InsertConflict::kNone, InvoiceRef{}};
      } else {
        // Whatever RocksDB says, nothing of this batch is acknowledged and a retry is safe.
        r->result = absl::UnavailableError(
            absl::StrCat("storing invoice ", r->encoded.record_key, ": ", s.message()));
      }
    }
    if (!s.ok()) {
      for (Request* r : refused_by_batch) {
        r->result = absl::UnavailableError(
            absl::StrCat("storing a conflicting invoice of the same batch: ", s.message()));
      }
    }
  }

}

absl::StatusOr<std::optional<InvoiceRef>> RocksDbInvoiceStore::GetRef(
    ColumnFamily column_family, const std::string& key) {
  rocksdb::PinnableSlice value;
  const rocksdb::Status s =
      db_->db()->Get(rocksdb::ReadOptions(), db_->handle(column_family), ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<InvoiceRef>();
  if (!s.ok()) return FromRocksDb(s, "reading invoice index");
  absl::StatusOr<InvoiceRef> ref = keys::DecodeRef(ToView(value));
  if (!ref.ok()) return ref.status();
  return std::optional<InvoiceRef>(*std::move(ref));
}

absl::StatusOr<std::optional<std::string>> RocksDbInvoiceStore::GetByCode(
    absl::string_view authority_code) {
  std::string value;
  const rocksdb::Status s = db_->db()->Get(
      rocksdb::ReadOptions(), db_->handle(ColumnFamily::kRecords), ToSlice(authority_code),
      &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocksDb(s, "reading invoice record");
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<std::optional<InvoiceRef>> RocksDbInvoiceStore::FindByKey(
    const v1::InvoiceKey& key) {
  absl::StatusOr<std::string> encoded = keys::InvoiceKeyKey(key);
  if (!encoded.ok()) return encoded.status();
  return GetRef(ColumnFamily::kInvoiceKeys, *encoded);
}

absl::StatusOr<std::optional<InvoiceRef>> RocksDbInvoiceStore::FindByIdempotencyKey(
    absl::string_view seller_tax_code, absl::string_view idempotency_key) {
  absl::StatusOr<std::string> encoded =
      keys::IdempotencyIndexKey(seller_tax_code, idempotency_key);
  if (!encoded.ok()) return encoded.status();
  return GetRef(ColumnFamily::kIdempotency, *encoded);
}

absl::StatusOr<SearchPage> RocksDbInvoiceStore::Search(const SearchQuery& query) {
  absl::StatusOr<keys::KeyRange> range = keys::SearchKeyRange(query);
  if (!range.ok()) return range.status();
  SearchPage page;
  if (range->empty()) return page;

  // Collect up to page_size + 1 index keys: the extra one only tells whether to hand out a
  // next page token.
  std::vector<std::string> index_keys;
  {
    const rocksdb::Slice limit = ToSlice(range->limit);
    rocksdb::ReadOptions read_options;
    read_options.iterate_upper_bound = &limit;
    std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(
        read_options, db_->handle(IndexOf(query.party))));
    for (it->Seek(ToSlice(range->start)); it->Valid() && index_keys.size() <= query.page_size;
         it->Next()) {
      index_keys.emplace_back(it->key().data(), it->key().size());
    }
    if (!it->status().ok()) return FromRocksDb(it->status(), "scanning invoice index");
  }
  bool more = index_keys.size() > query.page_size;
  if (more) index_keys.pop_back();
  if (index_keys.empty()) return page;

  // Records are never deleted, so every index entry's record is there. Read them in small
  // batches, so a byte budget reached early stops the reading too.
  constexpr size_t kBatch = 16;
  size_t bytes = 0;
  size_t taken = 0;
  for (size_t begin = 0; begin < index_keys.size() && taken == begin; begin += kBatch) {
    const size_t n = std::min(kBatch, index_keys.size() - begin);
    std::vector<std::string> codes;
    codes.reserve(n);
    for (size_t i = begin; i < begin + n; ++i) {
      absl::StatusOr<keys::PartyIndexEntry> entry = keys::DecodePartyIndexKey(index_keys[i]);
      if (!entry.ok()) return entry.status();
      codes.push_back(std::move(entry->authority_code));
    }
    std::vector<rocksdb::Slice> code_slices;
    code_slices.reserve(n);
    for (const std::string& code : codes) code_slices.push_back(ToSlice(code));
    std::vector<rocksdb::PinnableSlice> values(n);
    std::vector<rocksdb::Status> statuses(n);
    db_->db()->MultiGet(rocksdb::ReadOptions(), db_->handle(ColumnFamily::kRecords), n,
                        code_slices.data(), values.data(), statuses.data());
    for (size_t i = 0; i < n; ++i) {
      if (statuses[i].IsNotFound()) {
        return absl::DataLossError(
            absl::StrCat("index entry for ", codes[i], " has no invoice record"));
      }
      if (!statuses[i].ok()) return FromRocksDb(statuses[i], "reading invoice records");
      if (query.max_bytes > 0 && taken > 0 && bytes + values[i].size() > query.max_bytes) break;
      bytes += values[i].size();
      page.authenticated_invoices.emplace_back(values[i].data(), values[i].size());
      ++taken;
    }
  }
  if (taken < index_keys.size()) more = true;
  if (more) page.next_page_token = keys::EncodePageToken(query.party, index_keys[taken - 1]);
  return page;
}

absl::StatusOr<std::string> RocksDbInvoiceStore::GreatestAuthorityCode() {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(rocksdb::ReadOptions(), db_->handle(ColumnFamily::kRecords)));
  // The authority's codes start with a hex digit; the cash-register codes sellers make ('M…')
  // sort after "G" and are not the authority's to continue from.
  it->SeekForPrev(rocksdb::Slice(kAuthorityCodeBound));
  if (!it->status().ok()) return FromRocksDb(it->status(), "finding greatest authority code");
  if (!it->Valid()) return std::string();
  return std::string(it->key().data(), it->key().size());
}

absl::Status RocksDbInvoiceStore::CountRejection(absl::CivilDay day,
                                                 const std::vector<std::string>& rules) {
  if (absl::Status s = keys::ValidateDay(day); !s.ok()) return s;
  for (const std::string& rule : rules) {
    if (absl::Status s = keys::ValidateRuleName(rule); !s.ok()) return s;
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = false;  // Counts may lag after a crash; invoices may not.
  rocksdb::WriteBatch batch;
  const std::string one = keys::EncodeCounter(1);
  batch
      .Merge(db_->handle(ColumnFamily::kStats),
             ToSlice(keys::StatsKey(day, keys::StatKind::kRejected)), ToSlice(one))
      .PermitUncheckedError();
  for (const std::string& rule : rules) {
    batch
        .Merge(db_->handle(ColumnFamily::kStats),
               ToSlice(keys::StatsKey(day, keys::StatKind::kRejectedByRule, rule)), ToSlice(one))
        .PermitUncheckedError();
  }
  return db_->Write(write_options, &batch, "counting rejection");
}

absl::StatusOr<std::vector<DayCount>> RocksDbInvoiceStore::CountsByDay(absl::CivilDay from,
                                                                       absl::CivilDay to) {
  std::vector<DayCount> days;
  const keys::KeyRange range = keys::StatsKeyRange(from, to);
  if (range.empty()) return days;
  const rocksdb::Slice limit = ToSlice(range.limit);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &limit;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->db()->NewIterator(read_options, db_->handle(ColumnFamily::kStats)));
  for (it->Seek(ToSlice(range.start)); it->Valid(); it->Next()) {
    absl::StatusOr<keys::StatsKeyParts> key = keys::DecodeStatsKey(ToView(it->key()));
    if (!key.ok()) return key.status();
    absl::StatusOr<uint64_t> count = keys::DecodeCounter(ToView(it->value()));
    if (!count.ok()) return count.status();
    keys::AccumulateStat(*key, *count, days);
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "reading statistics");
  return days;
}

}  // namespace einvoice
