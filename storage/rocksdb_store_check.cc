#include "storage/rocksdb_store_check.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "storage/key_encoding.h"

namespace einvoice {
namespace {

absl::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

class Checker {
 public:
  Checker(const RocksDbDatabase& db, const RecordInspector& inspect, size_t max_problems)
      : db_(db), inspect_(inspect), max_problems_(max_problems) {}

  StoreCheckReport Run() {
    CheckRecords();
    CheckInvoiceKeys();
    CheckIdempotency();
    CheckPartyIndex(ColumnFamily::kBySeller, "seller", &report_.seller_index);
    CheckPartyIndex(ColumnFamily::kByBuyer, "buyer", &report_.buyer_index);
    CheckPartyIndex(ColumnFamily::kByWarning, "warning", &report_.warning_index);
    CheckCounters();
    return std::move(report_);
  }

 private:
  void Problem(std::string what) {
    ++report_.problem_count;
    if (report_.problems.size() < max_problems_) report_.problems.push_back(std::move(what));
  }

  // The value under `key` in `cf`; nullopt if absent (a read error is a problem too).
  std::optional<std::string> Get(ColumnFamily cf, absl::string_view key) {
    std::string value;
    const rocksdb::Status s = db_.db()->Get(rocksdb::ReadOptions(), db_.handle(cf),
                                            rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) {
      Problem(absl::StrCat("reading ", RocksDbDatabase::ColumnFamilyName(cf), ": ", s.ToString()));
      return std::nullopt;
    }
    return value;
  }

  std::unique_ptr<rocksdb::Iterator> Scan(ColumnFamily cf) {
    std::unique_ptr<rocksdb::Iterator> it(
        db_.db()->NewIterator(rocksdb::ReadOptions(), db_.handle(cf)));
    it->SeekToFirst();
    return it;
  }

  void Finished(const rocksdb::Iterator& it, ColumnFamily cf) {
    if (!it.status().ok()) {
      Problem(absl::StrCat("scanning ", RocksDbDatabase::ColumnFamilyName(cf), ": ",
                           it.status().ToString()));
    }
  }

  void CheckRecords() {
    auto it = Scan(ColumnFamily::kRecords);
    for (; it->Valid(); it->Next()) {
      ++report_.records;
      const std::string code(View(it->key()));
      const RecordFacts facts = inspect_(code, View(it->value()));
      if (!facts.problem.empty()) {
        Problem(absl::StrCat("record ", absl::CHexEscape(code), ": ", facts.problem));
        continue;
      }
      if (facts.authority_code != code) {
        Problem(absl::StrCat("record ", code, " holds authority code ", facts.authority_code));
      }
      absl::StatusOr<std::string> key = keys::InvoiceKeyKey(facts.key);
      std::optional<std::string> ref;
      if (key.ok()) ref = Get(ColumnFamily::kInvoiceKeys, *key);
      absl::StatusOr<InvoiceRef> decoded = absl::NotFoundError("no entry");
      if (ref.has_value()) decoded = keys::DecodeRef(*ref);
      if (!decoded.ok()) {
        Problem(absl::StrCat("record ", code, ": no invoice key entry"));
      } else if (decoded->authority_code != code ||
                 decoded->content_sha256 != facts.content_sha256) {
        Problem(absl::StrCat("record ", code, ": its invoice key entry names ",
                             decoded->authority_code));
      }
      ExpectPartyEntry(ColumnFamily::kBySeller, "seller", facts.key.seller_tax_code(), facts, code);
      if (!facts.buyer_tax_code.empty()) {
        ExpectPartyEntry(ColumnFamily::kByBuyer, "buyer", facts.buyer_tax_code, facts, code);
      }
    }
    Finished(*it, ColumnFamily::kRecords);
  }

  void ExpectPartyEntry(ColumnFamily cf, absl::string_view party, absl::string_view tax_code,
                        const RecordFacts& facts, absl::string_view code) {
    absl::StatusOr<std::string> key = keys::PartyIndexKey(tax_code, facts.issue_date, code);
    if (!key.ok() || !Get(cf, *key).has_value()) {
      Problem(absl::StrCat("record ", code, ": no ", party, " index entry"));
    }
  }

  // A ref stored in an index: well formed, and naming a record.
  void ExpectRecordFor(absl::string_view where, absl::string_view ref_bytes) {
    absl::StatusOr<InvoiceRef> ref = keys::DecodeRef(ref_bytes);
    if (!ref.ok()) {
      Problem(absl::StrCat(where, ": ", ref.status().message()));
      return;
    }
    if (!Get(ColumnFamily::kRecords, ref->authority_code).has_value()) {
      Problem(absl::StrCat(where, ": names ", ref->authority_code, ", which has no record"));
    }
  }

  void CheckInvoiceKeys() {
    auto it = Scan(ColumnFamily::kInvoiceKeys);
    for (; it->Valid(); it->Next()) {
      ++report_.invoice_keys;
      ExpectRecordFor(absl::StrCat("invoice key entry ", absl::CHexEscape(View(it->key()))),
                      View(it->value()));
    }
    Finished(*it, ColumnFamily::kInvoiceKeys);
  }

  void CheckIdempotency() {
    auto it = Scan(ColumnFamily::kIdempotency);
    for (; it->Valid(); it->Next()) {
      ++report_.idempotency_keys;
      ExpectRecordFor(absl::StrCat("idempotency entry ", absl::CHexEscape(View(it->key()))),
                      View(it->value()));
    }
    Finished(*it, ColumnFamily::kIdempotency);
  }

  void CheckPartyIndex(ColumnFamily cf, absl::string_view party, uint64_t* count) {
    auto it = Scan(cf);
    for (; it->Valid(); it->Next()) {
      ++*count;
      absl::StatusOr<keys::PartyIndexEntry> entry = keys::DecodePartyIndexKey(View(it->key()));
      if (!entry.ok()) {
        Problem(absl::StrCat(party, " index entry ", absl::CHexEscape(View(it->key())), ": ",
                             entry.status().message()));
        continue;
      }
      if (!Get(ColumnFamily::kRecords, entry->authority_code).has_value()) {
        Problem(absl::StrCat(party, " index entry for ", entry->tax_code, " names ",
                             entry->authority_code, ", which has no record"));
      }
    }
    Finished(*it, cf);
  }

  void CheckCounters() {
    auto it = Scan(ColumnFamily::kStats);
    for (; it->Valid(); it->Next()) {
      absl::StatusOr<keys::StatsKeyParts> key = keys::DecodeStatsKey(View(it->key()));
      absl::StatusOr<uint64_t> count = keys::DecodeCounter(View(it->value()));
      if (!key.ok() || !count.ok()) {
        Problem(absl::StrCat("statistics entry ", absl::CHexEscape(View(it->key())),
                             " is malformed"));
        continue;
      }
      if (key->kind == keys::StatKind::kIssued || key->kind == keys::StatKind::kCashRegister) {
        report_.issued_counted += *count;  // every stored record is counted once, either way
      }
    }
    Finished(*it, ColumnFamily::kStats);
    if (report_.issued_counted != report_.records) {
      Problem(absl::StrCat("the statistics count ", report_.issued_counted,
                           " issued invoices; ", report_.records, " are stored"));
    }
  }

  const RocksDbDatabase& db_;
  const RecordInspector& inspect_;
  const size_t max_problems_;
  StoreCheckReport report_;
};

}  // namespace

StoreCheckReport CheckRocksDbStore(const RocksDbDatabase& db, const RecordInspector& inspect,
                                   size_t max_problems) {
  return Checker(db, inspect, max_problems).Run();
}

}  // namespace einvoice
