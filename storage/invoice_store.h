// InvoiceStore: durable storage of authenticated invoices and their lookup indexes.
//
// The production implementation is RocksDbInvoiceStore; tests also use InMemoryInvoiceStore
// (tests/storage/support/, for tests only). Both pass the conformance suite in tests/storage/.
//
// Thread-safety: every method may be called concurrently from any thread. Insert() and
// InsertAsync() are the only writers of invoices and are atomic: two concurrent inserts that
// share a uniqueness key or an idempotency key never both succeed.
#ifndef EINVOICE_STORAGE_INVOICE_STORE_H_
#define EINVOICE_STORAGE_INVOICE_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "einvoice/v1/invoice_authority.pb.h"

namespace einvoice {

// What the uniqueness and idempotency indexes point to.
struct InvoiceRef {
  // The authority code of the stored invoice.
  std::string authority_code;
  // 32 raw bytes: SHA-256 of the stored invoice's deterministic serialization. Two
  // submissions with equal fingerprints are the same invoice.
  std::string content_sha256;

  friend bool operator==(const InvoiceRef&, const InvoiceRef&) = default;
};

// An authenticated invoice to store, with the facts the indexes need.
struct NewInvoice {
  // The invoice's code, the primary key: the authority's (34 upper-case hex) or a
  // cash-register invoice's seller-made code (23 characters, starting with 'M'); 1..34 bytes.
  std::string authority_code;
  // Serialized v1::AuthenticatedInvoice: stored and returned byte-identical, forever.
  std::string authenticated_invoice;
  // 32 raw bytes (see InvoiceRef).
  std::string content_sha256;
  // (seller tax code, template, symbol, number): unique.
  v1::InvoiceKey key;
  // Client idempotency key, scoped to key.seller_tax_code; empty = none.
  std::string idempotency_key;
  // Buyer's tax code; empty = the buyer has none (not indexed).
  std::string buyer_tax_code;
  // The invoice's issue date (NLap), for the seller and buyer date indexes.
  absl::CivilDay issue_date;
  // The day (Vietnam time) the code was issued, for the statistics.
  absl::CivilDay issued_day;
  // The distinct rules the invoice was coded with warnings for: each indexed by issue date (a
  // kWarning search finds the invoice) and counted on issued_day, in the same write.
  std::vector<std::string> warning_rules;
  // A cash-register invoice (message 206; `authority_code` is the seller's code): counted as
  // received (DayCount::cash_register), not as issued.
  bool cash_register = false;
};

// Every authority code sorts below this; the codes sellers make for cash-register invoices
// ('M…') sort above it.
inline constexpr char kAuthorityCodeBound[] = "G";

// Which existing index entry prevented an insert.
enum class InsertConflict {
  kNone,            // inserted
  kIdempotencyKey,  // (seller, idempotency_key) already present
  kInvoiceKey,      // (seller, template, symbol, number) already present
  kInvoiceCode,     // the code is already stored for another invoice (existing: the code only)
};

struct InsertResult {
  InsertConflict conflict = InsertConflict::kNone;
  // The entry already on file when conflict != kNone.
  InvoiceRef existing;
};

// Search by one party over an inclusive range of issue dates -- or, for kWarning, the invoices
// coded with a given warning (the risk list an inspector starts from).
struct SearchQuery {
  enum class Party { kSeller, kBuyer, kWarning };
  Party party = Party::kSeller;
  // The party's tax code; for kWarning, the rule name (e.g. "totals.total_payable_mismatch").
  std::string tax_code;
  // Inclusive bounds; nullopt = unbounded.
  std::optional<absl::CivilDay> issued_from;
  std::optional<absl::CivilDay> issued_to;
  // REQUIRES: 1 <= page_size.
  size_t page_size = 100;
  // The page ends before the invoice that would take its records past this many bytes (0 = no
  // bound); a page always holds at least one invoice when there is one. Keeps a page within
  // what a client accepts whatever size the invoices are.
  size_t max_bytes = 0;
  // Opaque; from SearchPage::next_page_token, or empty for the first page.
  std::string page_token;
};

struct SearchPage {
  // Serialized v1::AuthenticatedInvoice, in (issue date, authority code) order.
  std::vector<std::string> authenticated_invoices;
  // Empty when there are no more results.
  std::string next_page_token;
};

// Issued, cash-register and rejected counts for one day, and per rule the rejections and the coded invoices
// it warned about (each rule counted once per submission).
struct DayCount {
  absl::CivilDay day;
  uint64_t issued = 0;
  // Cash-register invoices received (coded by the seller's software).
  uint64_t cash_register = 0;
  uint64_t rejected = 0;
  std::map<std::string, uint64_t> rejected_by_rule;
  std::map<std::string, uint64_t> warned_by_rule;
};

// Receives the result of one InsertAsync(); called exactly once.
using InsertCallback = absl::AnyInvocable<void(absl::StatusOr<InsertResult>) &&>;

class InvoiceStore {
 public:
  virtual ~InvoiceStore() = default;

  // Stores `invoice` with all its index entries and counts it as issued on
  // `invoice.issued_day`, in one atomic write that is durable (WAL synced) before this
  // returns -- unless (seller, idempotency_key), the invoice key or the code is already
  // present, in which case nothing is written and the conflict is reported (checked in that
  // order; a stored record is never overwritten). UNAVAILABLE if the disk write fails (nothing was stored).
  virtual absl::StatusOr<InsertResult> Insert(const NewInvoice& invoice) = 0;

  // Insert() without waiting for the durable write, so a server thread is not parked through
  // every fsync: `done` receives exactly what Insert() would have returned, and for an
  // acknowledged insert only once the write is durable. It runs either on the caller's thread
  // before InsertAsync() returns or on a thread of the store, which it shares with other
  // inserts' callbacks: it must be quick and must not wait for another insert of this store.
  // The default runs Insert() and then `done` on the caller's thread.
  virtual void InsertAsync(NewInvoice invoice, InsertCallback done) {
    std::move(done)(Insert(invoice));
  }

  // The serialized v1::AuthenticatedInvoice stored under `authority_code`, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> GetByCode(
      absl::string_view authority_code) = 0;

  // The entry for an invoice key, or nullopt.
  virtual absl::StatusOr<std::optional<InvoiceRef>> FindByKey(const v1::InvoiceKey& key) = 0;

  // The entry for a seller's idempotency key, or nullopt.
  virtual absl::StatusOr<std::optional<InvoiceRef>> FindByIdempotencyKey(
      absl::string_view seller_tax_code, absl::string_view idempotency_key) = 0;

  // One page of a party's invoices: at most query.page_size of them, and at most
  // query.max_bytes of records (but at least one). INVALID_ARGUMENT for a malformed page token.
  virtual absl::StatusOr<SearchPage> Search(const SearchQuery& query) = 0;

  // The greatest authority code stored (bytewise order), or "" if none: the greatest code
  // below kAuthorityCodeBound, so cash-register codes ('M…') are not counted. The code
  // generator starts above it so a code is never issued twice, even if the clock goes back.
  virtual absl::StatusOr<std::string> GreatestAuthorityCode() = 0;

  // Counts one rejected submission on `day`, and once each of `rules` (the distinct rules that
  // refused it). Not synced: a crash may lose recent counts. INVALID_ARGUMENT for a day
  // outside 0000..9999 or a rule name that is empty, longer than 64 bytes or holds a NUL.
  virtual absl::Status CountRejection(absl::CivilDay day,
                                      const std::vector<std::string>& rules) = 0;

  // Days in [from, to] with any activity, oldest first.
  virtual absl::StatusOr<std::vector<DayCount>> CountsByDay(absl::CivilDay from,
                                                            absl::CivilDay to) = 0;
};

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_INVOICE_STORE_H_
