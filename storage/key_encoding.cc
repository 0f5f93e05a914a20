#include "storage/key_encoding.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace einvoice::keys {
namespace {

void AppendTaxCode(std::string* out, absl::string_view tax_code) {
  out->append(tax_code.data(), tax_code.size());
  out->push_back('\0');
}

char PartyByte(SearchQuery::Party party) {
  switch (party) {
    case SearchQuery::Party::kSeller:
      return 'S';
    case SearchQuery::Party::kBuyer:
      return 'B';
    case SearchQuery::Party::kWarning:
      return 'W';
  }
  return 'S';
}

}  // namespace

absl::Status ValidateTaxCode(absl::string_view tax_code) {
  if (tax_code.empty()) return absl::InvalidArgumentError("tax code is empty");
  if (tax_code.size() > kMaxTaxCodeSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("tax code is longer than ", kMaxTaxCodeSize, " bytes"));
  }
  if (tax_code.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError("tax code contains a NUL byte");
  }
  return absl::OkStatus();
}

absl::Status ValidateAuthorityCode(absl::string_view authority_code) {
  if (authority_code.empty() || authority_code.size() > kMaxAuthorityCodeSize) {
    return absl::InvalidArgumentError(absl::StrCat("an invoice code has 1 to ",
                                                   kMaxAuthorityCodeSize, " bytes, got ",
                                                   authority_code.size()));
  }
  if (authority_code.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError("an invoice code contains a NUL byte");
  }
  return absl::OkStatus();
}

absl::Status ValidateDay(absl::CivilDay day) {
  if (day.year() < 0 || day.year() > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat("date ", absl::FormatCivilTime(day), " is outside years 0000..9999"));
  }
  return absl::OkStatus();
}

std::string EncodeDay(absl::CivilDay day) {
  return absl::StrFormat("%04d%02d%02d", static_cast<int>(day.year()), day.month(), day.day());
}

absl::StatusOr<absl::CivilDay> DecodeDay(absl::string_view bytes) {
  if (bytes.size() != kDaySize) {
    return absl::DataLossError(absl::StrCat("stored date has ", bytes.size(), " bytes, want 8"));
  }
  int parts[3] = {0, 0, 0};
  const int widths[3] = {4, 2, 2};
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < widths[i]; ++j, ++pos) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(bytes[pos]))) {
        return absl::DataLossError("stored date is not 8 ASCII digits");
      }
      parts[i] = parts[i] * 10 + (bytes[pos] - '0');
    }
  }
  const absl::CivilDay day(parts[0], parts[1], parts[2]);
  if (day.year() != parts[0] || day.month() != parts[1] || day.day() != parts[2]) {
    return absl::DataLossError(absl::StrCat("stored date ", bytes, " is not a calendar date"));
  }
  return day;
}

absl::StatusOr<std::string> InvoiceKeyKey(const v1::InvoiceKey& key) {
  if (absl::Status s = ValidateTaxCode(key.seller_tax_code()); !s.ok()) return s;
  if (key.template_code().size() > kMaxShortFieldSize ||
      key.symbol().size() > kMaxShortFieldSize) {
    return absl::InvalidArgumentError("template code or symbol longer than 255 bytes");
  }
  std::string out;
  out.reserve(key.seller_tax_code().size() + key.template_code().size() +
              key.symbol().size() + 7);
  AppendTaxCode(&out, key.seller_tax_code());
  out.push_back(static_cast<char>(key.template_code().size()));
  out.append(key.template_code());
  out.push_back(static_cast<char>(key.symbol().size()));
  out.append(key.symbol());
  const uint32_t n = key.number();
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  return out;
}

absl::StatusOr<std::string> IdempotencyIndexKey(absl::string_view seller_tax_code,
                                                absl::string_view idempotency_key) {
  if (absl::Status s = ValidateTaxCode(seller_tax_code); !s.ok()) return s;
  if (idempotency_key.empty()) return absl::InvalidArgumentError("idempotency key is empty");
  if (idempotency_key.size() > kMaxIdempotencyKeySize) {
    return absl::InvalidArgumentError("idempotency key longer than 65535 bytes");
  }
  std::string out;
  out.reserve(seller_tax_code.size() + idempotency_key.size() + 3);
  AppendTaxCode(&out, seller_tax_code);
  out.push_back(static_cast<char>((idempotency_key.size() >> 8) & 0xff));
  out.push_back(static_cast<char>(idempotency_key.size() & 0xff));
  out.append(idempotency_key.data(), idempotency_key.size());
  return out;
}

absl::StatusOr<std::string> PartyIndexKey(absl::string_view tax_code, absl::CivilDay issue_date,
                                          absl::string_view authority_code) {
  if (absl::Status s = ValidateTaxCode(tax_code); !s.ok()) return s;
  if (absl::Status s = ValidateDay(issue_date); !s.ok()) return s;
  if (absl::Status s = ValidateAuthorityCode(authority_code); !s.ok()) return s;
  std::string out = PartyIndexDayStart(tax_code, issue_date);
  out.append(authority_code.data(), authority_code.size());
  return out;
}

absl::StatusOr<PartyIndexEntry> DecodePartyIndexKey(absl::string_view key) {
  const size_t nul = key.find('\0');
  if (nul == absl::string_view::npos || nul == 0 ||
      key.size() <= nul + 1 + kDaySize || key.size() > nul + 1 + kDaySize + kMaxAuthorityCodeSize) {
    return absl::DataLossError("malformed party index key");
  }
  PartyIndexEntry entry;
  entry.tax_code = std::string(key.substr(0, nul));
  absl::StatusOr<absl::CivilDay> day = DecodeDay(key.substr(nul + 1, kDaySize));
  if (!day.ok()) return day.status();
  entry.issue_date = *day;
  entry.authority_code = std::string(key.substr(nul + 1 + kDaySize));
  return entry;
}

std::string PartyIndexPrefix(absl::string_view tax_code) {
  std::string out;
  AppendTaxCode(&out, tax_code);
  return out;
}

std::string PartyIndexDayStart(absl::string_view tax_code, absl::CivilDay day) {
  std::string out = PartyIndexPrefix(tax_code);
  out.append(EncodeDay(day));
  return out;
}

std::string PartyIndexEnd(absl::string_view tax_code) {
  std::string out(tax_code.data(), tax_code.size());
  out.push_back('\x01');
  return out;
}

absl::StatusOr<std::string> EncodeRef(const InvoiceRef& ref) {
  if (absl::Status s = ValidateAuthorityCode(ref.authority_code); !s.ok()) return s;
  if (ref.content_sha256.size() != kSha256Size) {
    return absl::InvalidArgumentError(absl::StrCat("content SHA-256 must be ", kSha256Size,
                                                   " bytes, got ", ref.content_sha256.size()));
  }
  return absl::StrCat(ref.authority_code, ref.content_sha256);
}

absl::StatusOr<InvoiceRef> DecodeRef(absl::string_view bytes) {
  if (bytes.size() <= kSha256Size || bytes.size() > kMaxRefSize) {
    return absl::DataLossError(absl::StrCat("stored invoice ref has ", bytes.size(),
                                            " bytes, want ", kSha256Size + 1, "..", kMaxRefSize));
  }
  InvoiceRef ref;
  const size_t code_size = bytes.size() - kSha256Size;
  ref.authority_code = std::string(bytes.substr(0, code_size));
  ref.content_sha256 = std::string(bytes.substr(code_size));
  return ref;
}

std::string StatsKey(absl::CivilDay day, StatKind kind, absl::string_view rule) {
  std::string out = EncodeDay(day);
  out.push_back(static_cast<char>(kind));
  out.append(rule.data(), rule.size());
  return out;
}

absl::Status ValidateRuleName(absl::string_view rule) {
  if (rule.empty() || rule.size() > kMaxRuleNameSize || rule.find('\0') != rule.npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("a rule name is 1 to ", kMaxRuleNameSize, " bytes without NUL"));
  }
  return absl::OkStatus();
}

absl::StatusOr<StatsKeyParts> DecodeStatsKey(absl::string_view key) {
  if (key.size() < kDaySize + 1) return absl::DataLossError("malformed stats key");
  absl::StatusOr<absl::CivilDay> day = DecodeDay(key.substr(0, kDaySize));
  if (!day.ok()) return day.status();
  const auto kind = static_cast<StatKind>(key[kDaySize]);
  const absl::string_view rule = key.substr(kDaySize + 1);
  switch (kind) {
    case StatKind::kIssued:
    case StatKind::kCashRegister:
    case StatKind::kRejected:
      if (!rule.empty()) return absl::DataLossError("malformed stats key");
      return StatsKeyParts{*day, kind, ""};
    case StatKind::kRejectedByRule:
    case StatKind::kWarnedByRule:
      if (!ValidateRuleName(rule).ok()) return absl::DataLossError("malformed stats rule");
      return StatsKeyParts{*day, kind, std::string(rule)};
  }
  return absl::DataLossError("unknown stats kind");
}

void AccumulateStat(const StatsKeyParts& key, uint64_t count, std::vector<DayCount>& days) {
  if (days.empty() || days.back().day != key.day) {
    days.emplace_back();
    days.back().day = key.day;
  }
  DayCount& day = days.back();
  switch (key.kind) {
    case StatKind::kIssued:
      day.issued = count;
      break;
    case StatKind::kCashRegister:
      day.cash_register = count;
      break;
    case StatKind::kRejected:
      day.rejected = count;
      break;
    case StatKind::kRejectedByRule:
      day.rejected_by_rule[key.rule] = count;
      break;
    case StatKind::kWarnedByRule:
      day.warned_by_rule[key.rule] = count;
      break;
  }
}

std::string EncodeCounter(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  return out;
}

absl::StatusOr<uint64_t> DecodeCounter(absl::string_view bytes) {
  if (bytes.size() != 8) {
    return absl::DataLossError(absl::StrCat("stored counter has ", bytes.size(), " bytes"));
  }
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

std::string AuditKey(uint64_t sequence) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((sequence >> (8 * (7 - i))) & 0xff);
  return out;
}

absl::StatusOr<uint64_t> DecodeAuditKey(absl::string_view bytes) {
  if (bytes.size() != 8) {
    return absl::DataLossError(absl::StrCat("stored audit key has ", bytes.size(), " bytes"));
  }
  uint64_t value = 0;
  for (char byte : bytes) value = (value << 8) | static_cast<unsigned char>(byte);
  return value;
}

std::string EncodePageToken(SearchQuery::Party party, absl::string_view index_key) {
  std::string raw;
  raw.reserve(index_key.size() + 1);
  raw.push_back(PartyByte(party));
  raw.append(index_key.data(), index_key.size());
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, SearchQuery::Party party,
                                            absl::string_view tax_code) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.empty()) {
    return absl::InvalidArgumentError("page token is malformed");
  }
  if (raw[0] != PartyByte(party)) {
    return absl::InvalidArgumentError("page token belongs to another search");
  }
  std::string key = raw.substr(1);
  absl::StatusOr<PartyIndexEntry> entry = DecodePartyIndexKey(key);
  if (!entry.ok()) return absl::InvalidArgumentError("page token is malformed");
  if (entry->tax_code != tax_code) {
    return absl::InvalidArgumentError("page token belongs to another search");
  }
  // Only canonical tokens: a token must be exactly what EncodePageToken produced.
  if (EncodePageToken(party, key) != token) {
    return absl::InvalidArgumentError("page token is malformed");
  }
  return key;
}

std::string EncodeSellerPageToken(int status, absl::string_view last_tax_code) {
  std::string raw;
  raw.reserve(last_tax_code.size() + 2);
  raw.push_back('L');
  raw.push_back(static_cast<char>(static_cast<uint8_t>(status)));
  raw.append(last_tax_code.data(), last_tax_code.size());
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodeSellerPageToken(absl::string_view token, int status) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 3 || raw[0] != 'L') {
    return absl::InvalidArgumentError("page token is malformed");
  }
  if (static_cast<uint8_t>(raw[1]) != status) {
    return absl::InvalidArgumentError("page token belongs to a listing with another status");
  }
  std::string tax_code = raw.substr(2);
  // Only canonical tokens: a token must be exactly what EncodeSellerPageToken produced.
  if (!ValidateTaxCode(tax_code).ok() || EncodeSellerPageToken(status, tax_code) != token) {
    return absl::InvalidArgumentError("page token is malformed");
  }
  return tax_code;
}

absl::StatusOr<EncodedInvoice> EncodeNewInvoice(const NewInvoice& invoice) {
  if (invoice.authenticated_invoice.empty()) {
    return absl::InvalidArgumentError("authenticated invoice is empty");
  }
  if (absl::Status s = ValidateDay(invoice.issued_day); !s.ok()) return s;
  EncodedInvoice out;
  out.record_key = invoice.authority_code;
  absl::StatusOr<std::string> ref =
      EncodeRef(InvoiceRef{invoice.authority_code, invoice.content_sha256});
  if (!ref.ok()) return ref.status();
  out.ref = *std::move(ref);
  absl::StatusOr<std::string> key = InvoiceKeyKey(invoice.key);
  if (!key.ok()) return key.status();
  out.invoice_key = *std::move(key);
  if (!invoice.idempotency_key.empty()) {
    absl::StatusOr<std::string> idem =
        IdempotencyIndexKey(invoice.key.seller_tax_code(), invoice.idempotency_key);
    if (!idem.ok()) return idem.status();
    out.idempotency_key = *std::move(idem);
  }
  absl::StatusOr<std::string> seller =
      PartyIndexKey(invoice.key.seller_tax_code(), invoice.issue_date, invoice.authority_code);
  if (!seller.ok()) return seller.status();
  out.seller_index_key = *std::move(seller);
  if (!invoice.buyer_tax_code.empty()) {
    absl::StatusOr<std::string> buyer =
        PartyIndexKey(invoice.buyer_tax_code, invoice.issue_date, invoice.authority_code);
    if (!buyer.ok()) return buyer.status();
    out.buyer_index_key = *std::move(buyer);
  }
  out.issued_stats_key = StatsKey(
      invoice.issued_day, invoice.cash_register ? StatKind::kCashRegister : StatKind::kIssued);
  for (const std::string& rule : invoice.warning_rules) {
    if (absl::Status s = ValidateRuleName(rule); !s.ok()) return s;
    absl::StatusOr<std::string> index =
        PartyIndexKey(rule, invoice.issue_date, invoice.authority_code);
    if (!index.ok()) return index.status();
    out.warning_index_keys.push_back(*std::move(index));
    out.warning_stats_keys.push_back(StatsKey(invoice.issued_day, StatKind::kWarnedByRule, rule));
  }
  return out;
}

absl::StatusOr<KeyRange> SearchKeyRange(const SearchQuery& query) {
  if (absl::Status s = ValidateTaxCode(query.tax_code); !s.ok()) return s;
  if (query.page_size < 1) return absl::InvalidArgumentError("page size must be at least 1");
  KeyRange range;
  range.start = PartyIndexPrefix(query.tax_code);
  range.limit = PartyIndexEnd(query.tax_code);
  if (!query.page_token.empty()) {
    absl::StatusOr<std::string> last =
        DecodePageToken(query.page_token, query.party, query.tax_code);
    if (!last.ok()) return last.status();
    // The smallest key greater than the last one returned.
    range.start = *std::move(last);
    range.start.push_back('\0');
  }
  if (query.issued_from.has_value() && query.issued_from->year() >= 0) {
    if (query.issued_from->year() > 9999) return KeyRange{range.limit, range.limit};
    range.start = std::max(range.start, PartyIndexDayStart(query.tax_code, *query.issued_from));
  }
  if (query.issued_to.has_value() && query.issued_to->year() <= 9999) {
    if (query.issued_to->year() < 0) return KeyRange{range.limit, range.limit};
    const absl::CivilDay next = *query.issued_to + 1;
    if (next.year() <= 9999) {
      range.limit = std::min(range.limit, PartyIndexDayStart(query.tax_code, next));
    }
  }
  return range;
}

KeyRange StatsKeyRange(absl::CivilDay from, absl::CivilDay to) {
  const absl::CivilDay first(0, 1, 1);
  const absl::CivilDay last(9999, 12, 31);
  from = std::max(from, first);
  to = std::min(to, last);
  if (from > to) return KeyRange{};
  // Every stats key of day `to` is "YYYYMMDD" + one kind byte < 0xff.
  return KeyRange{EncodeDay(from), EncodeDay(to) + "\xff"};
}

}  // namespace einvoice::keys
