#include "domain/audit_trail.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "domain/access_policy.h"
#include "domain/authentication_record.h"
#include "signer/digest.h"

namespace einvoice {
namespace {

constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;
// Records examined per List() call when filters skip most of them: bounds one call's work.
constexpr size_t kMaxExamined = 10000;
constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";  // …

// Length of the valid UTF-8 character starting at text[i], or 0 if there is none.
size_t Utf8CharLength(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length = 0;
  unsigned char min_second = 0x80, max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;  // overlong
    if (lead == 0xED) max_second = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;  // overlong
    if (lead == 0xF4) max_second = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

// The code point of the valid UTF-8 character of `length` bytes at text[i].
uint32_t CodePoint(absl::string_view text, size_t i, size_t length) {
  const auto byte = [&](size_t k) {
    return static_cast<uint32_t>(static_cast<unsigned char>(text[k]));
  };
  switch (length) {
    case 2: return ((byte(i) & 0x1F) << 6) | (byte(i + 1) & 0x3F);
    case 3: return ((byte(i) & 0x0F) << 12) | ((byte(i + 1) & 0x3F) << 6) | (byte(i + 2) & 0x3F);
    default:
      return ((byte(i) & 0x07) << 18) | ((byte(i + 1) & 0x3F) << 12) |
             ((byte(i + 2) & 0x3F) << 6) | (byte(i + 3) & 0x3F);
  }
}

// Characters that change how a line reads without being visible: C1 controls, line and
// paragraph separators, and the bidirectional controls (a "right-to-left override" makes
// "...txt.exe" read as "...exe.txt").
bool IsInvisibleControl(uint32_t c) {
  return (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

std::string AuditText(absl::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxAuditTextBytes));
  const size_t budget = kMaxAuditTextBytes - kEllipsis.size();
  size_t cut = std::string::npos;  // where to cut if the whole does not fit
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::string piece;
    size_t consumed = 1;
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      piece.assign(1, static_cast<char>(c));
    } else if (c == '\\') {
      piece = "\\\\";  // so a literal "\x0A" cannot pass for an escaped newline
    } else if (c >= 0x80 && (consumed = Utf8CharLength(text, i)) > 0) {
      const uint32_t code_point = CodePoint(text, i, consumed);
      piece = IsInvisibleControl(code_point) ? absl::StrFormat("\\u{%X}", code_point)
                                             : std::string(text.data() + i, consumed);
    } else {
      consumed = 1;
      piece = absl::StrFormat("\\x%02X", c);
    }
    if (cut == std::string::npos && out.size() + piece.size() > budget) cut = out.size();
    out += piece;
    i += consumed;
    if (out.size() > kMaxAuditTextBytes) {  // too long: cut at the last boundary that fits
      out.resize(cut);
      absl::StrAppend(&out, kEllipsis);
      return out;
    }
  }
  return out;
}

absl::StatusOr<std::unique_ptr<AuditTrail>> AuditTrail::Open(AuditLog* log, const Clock* clock) {
  ASSIGN_OR_RETURN(std::optional<AuditLogEntry> last, log->Last());
  uint64_t last_sequence = 0;
  std::string last_sha256(32, '\0');
  if (last.has_value()) {
    v1::AuditRecord record;
    if (!record.ParseFromString(last->record) || record.sequence() != last->sequence) {
      return absl::DataLossError(absl::StrCat("audit record ", last->sequence,
                                              " does not parse or carries another sequence"));
    }
    last_sequence = last->sequence;
    last_sha256 = Sha256(last->record);
  }
  return absl::WrapUnique(new AuditTrail(log, clock, last_sequence, std::move(last_sha256)));
}

AuditTrail::AuditTrail(AuditLog* log, const Clock* clock, uint64_t last_sequence,
                       std::string last_sha256)
    : log_(log),
      clock_(clock),
      last_sequence_(last_sequence),
      last_sha256_(std::move(last_sha256)) {}

absl::Status AuditTrail::Record(const Caller& caller, const Operation& operation,
                                const absl::Status& outcome) {
  v1::AuditRecord record;
  *record.mutable_caller() = caller.ToAudit();
  record.mutable_caller()->set_subject(AuditText(record.caller().subject()));
  record.set_operation(AuditText(operation.name));
  record.set_target(AuditText(operation.target));
  record.set_status_code(static_cast<int32_t>(outcome.code()));
  record.set_status_message(AuditText(outcome.message()));
  absl::MutexLock lock(&mu_);
  record.set_sequence(last_sequence_ + 1);
  *record.mutable_time() = ToTimestamp(clock_->Now());
  record.set_previous_sha256(last_sha256_);
  std::string bytes = record.SerializeAsString();
  RETURN_IF_ERROR(log_->Append(AuditLogEntry{record.sequence(), bytes}));
  last_sequence_ = record.sequence();
  last_sha256_ = Sha256(bytes);
  return absl::OkStatus();
}

std::string AuditTrail::HeadForLog() {
  absl::MutexLock lock(&mu_);
  return absl::StrCat(last_sequence_, ":", absl::BytesToHexString(last_sha256_));
}

absl::StatusOr<v1::ListAuditRecordsResponse> AuditTrail::List(
    const v1::ListAuditRecordsRequest& request) {
  std::optional<absl::CivilDay> from, to;
  RETURN_IF_ERROR(ParseOptionalDay("from_day", request.from_day(), &from));
  RETURN_IF_ERROR(ParseOptionalDay("to_day", request.to_day(), &to));
  if (!request.caller_fingerprint().empty() &&
      !AccessPolicy::IsFingerprint(request.caller_fingerprint())) {
    return absl::InvalidArgumentError(
        "caller_fingerprint: 64 lower-case hex digits (SHA-256 of the certificate)");
  }
  const size_t page_size =
      request.page_size() == 0 ? kDefaultPageSize : std::min(request.page_size(), kMaxPageSize);
  const bool filtered = from || to || !request.caller_fingerprint().empty();
  v1::ListAuditRecordsResponse response;
  uint64_t last = request.after_sequence();
  size_t examined = 0;
  while (static_cast<size_t>(response.records_size()) < page_size && examined < kMaxExamined) {
    const size_t want = filtered ? std::min<size_t>(kMaxExamined - examined, 1000)
                                 : page_size - response.records_size();
    ASSIGN_OR_RETURN(std::vector<AuditLogEntry> entries, log_->ReadAfter(last, want));
    if (entries.empty()) break;
    for (AuditLogEntry& entry : entries) {
      if (static_cast<size_t>(response.records_size()) >= page_size) break;
      ++examined;
      last = entry.sequence;
      if (filtered) {
        v1::AuditRecord record;
        if (!record.ParseFromString(entry.record)) {
          return absl::DataLossError(
              absl::StrCat("audit record ", entry.sequence, " does not parse"));
        }
        const absl::CivilDay day = VietnamDay(FromTimestamp(record.time()));
        if ((from && day < *from) || (to && day > *to) ||
            (!request.caller_fingerprint().empty() &&
             record.caller().fingerprint() != request.caller_fingerprint())) {
          continue;
        }
      }
      response.add_records(std::move(entry.record));
    }
  }
  response.set_last_sequence(last);
  ASSIGN_OR_RETURN(std::vector<AuditLogEntry> next, log_->ReadAfter(last, 1));
  response.set_more(!next.empty());
  return response;
}

absl::Status AuditChainChecker::Add(absl::string_view bytes) {
  if (!broken_.ok()) return broken_;
  const uint64_t expected = last_sequence_ + 1;
  v1::AuditRecord record;
  if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    broken_ = absl::DataLossError(absl::StrCat("record ", expected, ": does not parse"));
  } else if (record.sequence() != expected) {
    broken_ = absl::DataLossError(absl::StrCat("record ", expected, ": found sequence ",
                                               record.sequence(), " (missing or reordered)"));
  } else if (record.previous_sha256() != last_sha256_) {
    broken_ = absl::DataLossError(
        expected == 1 ? std::string("record 1: previous_sha256 is not 32 zero bytes")
                      : absl::StrCat("record ", expected, ": previous_sha256 does not match record ",
                                     last_sequence_, " (one of them was changed)"));
  }
  if (!broken_.ok()) return broken_;
  last_sequence_ = expected;
  last_sha256_ = Sha256(bytes);
  return absl::OkStatus();
}

}  // namespace einvoice
