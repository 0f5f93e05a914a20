// Key and value encodings for every column family of the RocksDB store (docs/storage.md is the
// byte-by-byte specification; tests/storage/key_encoding_test.cc pins it with golden bytes).
// These formats outlive the process: change them only together with the format version in
// `meta` and a migration.
//
// Every function is pure and thread-safe. Inputs that cannot be encoded unambiguously (an
// empty tax code, a NUL byte inside a tax code, an over-long string, a year outside 0..9999)
// give INVALID_ARGUMENT; malformed stored bytes give DATA_LOSS; malformed page tokens give
// INVALID_ARGUMENT.
//
// Summary (‖ = concatenation, BE = big-endian):
//   records       authority code (34 bytes)                       → AuthenticatedInvoice bytes
//   invoice_keys  tax ‖ 00 ‖ u8 len ‖ template ‖ u8 len ‖ symbol ‖ u32 BE number   → ref
//   idempotency   tax ‖ 00 ‖ u16 BE len ‖ idempotency key                            → ref
//   by_seller,    tax ‖ 00 ‖ YYYYMMDD (8 ASCII digits) ‖ authority code (34 bytes)  → ""
//   by_buyer
//   by_warning    rule ‖ 00 ‖ YYYYMMDD ‖ authority code                             → ""
//   stats         YYYYMMDD ‖ kind ('I' issued, 'R' rejected)                        → u64 LE
//                 YYYYMMDD ‖ kind ('r' rejected by, 'w' warned by) ‖ rule            → u64 LE
//   sellers       tax code                                        → v1::Seller bytes
//   signing_keys  key id                                          → v1::SigningKey bytes
//   meta          "format_version"                                → ASCII decimal ("1")
//   audit         u64 BE sequence                                 → v1::AuditRecord bytes
//   ref           authority code (34 bytes) ‖ SHA-256 (32 bytes) = 66 bytes
//   page token    base64url without padding of ( 'S' | 'B' | 'W' ‖ last index key returned )
//   seller page   base64url without padding of ( 'L' ‖ u8 status ‖ last tax code read )
#ifndef EINVOICE_STORAGE_KEY_ENCODING_H_
#define EINVOICE_STORAGE_KEY_ENCODING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "einvoice/v1/invoice_authority.pb.h"
#include "storage/invoice_store.h"

namespace einvoice::keys {

// Sizes fixed by the formats.
// An invoice's code: the authority's (34 upper-case hex) or, for a cash-register invoice, the
// code the seller's software made (23 characters, "M1-25-XXXXX-00000000001"). Codes are the
// last field of every key and value that holds one, so their length needs no prefix.
inline constexpr size_t kMaxAuthorityCodeSize = 34;
inline constexpr size_t kSha256Size = 32;
inline constexpr size_t kMaxRefSize = kMaxAuthorityCodeSize + kSha256Size;  // 66
inline constexpr size_t kDaySize = 8;                                  // YYYYMMDD
// Longest tax code accepted (real ones have 10, 12 or 14 characters).
inline constexpr size_t kMaxTaxCodeSize = 64;
// Longest rule name in a `by_warning` or `stats` key (real ones are under 50 bytes).
inline constexpr size_t kMaxRuleNameSize = 64;
// Longest template code and symbol (one length byte each).
inline constexpr size_t kMaxShortFieldSize = 255;
// Longest idempotency key, in bytes (two length bytes).
inline constexpr size_t kMaxIdempotencyKeySize = 65535;

// The `meta` column family.
inline constexpr absl::string_view kFormatVersionKey = "format_version";
// The layout this code reads and writes.
inline constexpr uint32_t kFormatVersion = 1;

// OK for a non-empty tax code of at most kMaxTaxCodeSize bytes without NUL bytes.
absl::Status ValidateTaxCode(absl::string_view tax_code);
// OK for 1..kMaxAuthorityCodeSize bytes without NUL bytes.
absl::Status ValidateAuthorityCode(absl::string_view authority_code);
// OK for years 0..9999 (the range YYYYMMDD can represent in order).
absl::Status ValidateDay(absl::CivilDay day);

// "YYYYMMDD". REQUIRES: ValidateDay(day).ok().
std::string EncodeDay(absl::CivilDay day);
// Parses exactly 8 ASCII digits naming a real date; DATA_LOSS otherwise.
absl::StatusOr<absl::CivilDay> DecodeDay(absl::string_view bytes);

// `invoice_keys` key.
absl::StatusOr<std::string> InvoiceKeyKey(const v1::InvoiceKey& key);
// `idempotency` key. REQUIRES: !idempotency_key.empty() (an empty key means "none").
absl::StatusOr<std::string> IdempotencyIndexKey(absl::string_view seller_tax_code,
                                                absl::string_view idempotency_key);

// `by_seller` / `by_buyer` key.
absl::StatusOr<std::string> PartyIndexKey(absl::string_view tax_code, absl::CivilDay issue_date,
                                          absl::string_view authority_code);
struct PartyIndexEntry {
  std::string tax_code;
  absl::CivilDay issue_date;
  std::string authority_code;
};
// DATA_LOSS if `key` is not a well-formed party index key.
absl::StatusOr<PartyIndexEntry> DecodePartyIndexKey(absl::string_view key);
// tax ‖ 00: every key of this party starts with it. REQUIRES: ValidateTaxCode(tax_code).ok().
std::string PartyIndexPrefix(absl::string_view tax_code);
// tax ‖ 00 ‖ YYYYMMDD: the smallest key of this party on `day`.
// REQUIRES: ValidateTaxCode(tax_code).ok() and ValidateDay(day).ok().
std::string PartyIndexDayStart(absl::string_view tax_code, absl::CivilDay day);
// tax ‖ 01: greater than every key of this party and smaller than any other party's keys
// that sort after it. REQUIRES: ValidateTaxCode(tax_code).ok().
std::string PartyIndexEnd(absl::string_view tax_code);

// The index value: code ‖ SHA-256 (66 bytes for an authority code). REQUIRES:
// ValidateAuthorityCode(ref.authority_code).ok() and ref.content_sha256.size() == kSha256Size
// (INVALID_ARGUMENT otherwise).
absl::StatusOr<std::string> EncodeRef(const InvoiceRef& ref);
// DATA_LOSS unless kSha256Size + 1..kMaxAuthorityCodeSize bytes.
absl::StatusOr<InvoiceRef> DecodeRef(absl::string_view bytes);

// `stats` keys and values: day ‖ kind, and for the per-rule kinds day ‖ kind ‖ rule name.
enum class StatKind : char {
  kIssued = 'I',        // invoices coded (the authority's code)
  kCashRegister = 'M',  // cash-register invoices received (the seller's code)
  kRejected = 'R',
  kRejectedByRule = 'r',  // submissions a rule refused
  kWarnedByRule = 'w',    // invoices coded with a warning of a rule
};
// REQUIRES: ValidateDay(day).ok(); `rule` non-empty exactly for the per-rule kinds.
std::string StatsKey(absl::CivilDay day, StatKind kind, absl::string_view rule = {});
struct StatsKeyParts {
  absl::CivilDay day;
  StatKind kind;
  std::string rule;  // per-rule kinds only
};
// OK for a rule name that can be a key part: 1..64 bytes, no NUL.
absl::Status ValidateRuleName(absl::string_view rule);
absl::StatusOr<StatsKeyParts> DecodeStatsKey(absl::string_view key);
// Adds one decoded `stats` entry to `days` (in key order: a new day starts a new DayCount);
// shared by every InvoiceStore implementation.
void AccumulateStat(const StatsKeyParts& key, uint64_t count, std::vector<DayCount>& days);
// 8 bytes, little-endian.
std::string EncodeCounter(uint64_t value);
absl::StatusOr<uint64_t> DecodeCounter(absl::string_view bytes);

// `audit` key: the sequence as u64 big-endian (8 bytes), so byte order is sequence order.
std::string AuditKey(uint64_t sequence);
// DATA_LOSS unless exactly 8 bytes.
absl::StatusOr<uint64_t> DecodeAuditKey(absl::string_view bytes);

// Opaque page tokens: the party and the last index key returned, base64url-encoded.
std::string EncodePageToken(SearchQuery::Party party, absl::string_view index_key);
// The index key inside `token`. INVALID_ARGUMENT unless `token` is one EncodePageToken made
// for the same party and tax code.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, SearchQuery::Party party,
                                            absl::string_view tax_code);

// Seller listing page tokens (SellerRegistry::List): the status listed and the last tax code
// read, base64url-encoded. REQUIRES: 0 <= status <= 255 and ValidateTaxCode(last).ok().
std::string EncodeSellerPageToken(int status, absl::string_view last_tax_code);
// The tax code inside `token`. INVALID_ARGUMENT unless `token` is one EncodeSellerPageToken
// made for the same status.
absl::StatusOr<std::string> DecodeSellerPageToken(absl::string_view token, int status);

// Everything one Insert writes, encoded; shared by every InvoiceStore implementation so that
// they validate identically. INVALID_ARGUMENT for an invoice that cannot be stored (bad
// authority code or hash size, empty record, unencodable key, date outside 0000..9999).
struct EncodedInvoice {
  std::string record_key;        // `records` key: the authority code
  std::string invoice_key;       // `invoice_keys` key
  std::string idempotency_key;   // `idempotency` key; empty = the invoice has none
  std::string seller_index_key;  // `by_seller` key
  std::string buyer_index_key;   // `by_buyer` key; empty = the buyer has no tax code
  std::string issued_stats_key;  // `stats` key (issued_day, kIssued)
  std::vector<std::string> warning_index_keys;  // `by_warning` keys, one per warning rule
  std::vector<std::string> warning_stats_keys;  // `stats` keys (issued_day, kWarnedByRule, rule)
  std::string ref;               // value of the invoice_keys and idempotency entries
};
absl::StatusOr<EncodedInvoice> EncodeNewInvoice(const NewInvoice& invoice);

// A key range [start, limit); empty when start >= limit.
struct KeyRange {
  std::string start;
  std::string limit;
  bool empty() const { return start >= limit; }
};
// The part of the by_seller / by_buyer index one search page scans: the query's party and
// dates, starting after the page token's key. INVALID_ARGUMENT for a bad tax code, a
// page_size of 0, or a page token that is malformed or belongs to another search.
absl::StatusOr<KeyRange> SearchKeyRange(const SearchQuery& query);
// The `stats` keys of the days in [from, to] (clamped to 0000-01-01..9999-12-31).
KeyRange StatsKeyRange(absl::CivilDay from, absl::CivilDay to);

}  // namespace einvoice::keys

#endif  // EINVOICE_STORAGE_KEY_ENCODING_H_
