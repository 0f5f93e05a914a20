#include "domain/authority_code.h"

#include <cstdint>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace einvoice {
namespace {

bool IsUpperHex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

bool AllUpperHex(absl::string_view s) {
  for (char c : s) {
    if (!IsUpperHex(c)) return false;
  }
  return true;
}

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

absl::uint128 ParseHex128(absl::string_view hex32) {
  absl::uint128 value = 0;
  for (char c : hex32) value = (value << 4) | static_cast<uint64_t>(HexValue(c));
  return value;
}

std::string FormatHex128(absl::uint128 value) {
  return absl::StrFormat("%016X%016X", absl::Uint128High64(value), absl::Uint128Low64(value));
}

constexpr int kSequenceBits = 80;

}  // namespace

bool IsWellFormedAuthorityCode(absl::string_view code) {
  return code.size() == kAuthorityCodeLength && AllUpperHex(code);
}

absl::StatusOr<std::unique_ptr<AuthorityCodeGenerator>> AuthorityCodeGenerator::Create(
    absl::string_view prefix, const Clock* clock, absl::string_view greatest_issued) {
  if (prefix.size() != 2 || !AllUpperHex(prefix)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "authority code prefix must be 2 upper-case hex characters, got \"", prefix, "\""));
  }
  absl::uint128 last = 0;
  if (!greatest_issued.empty()) {
    if (!IsWellFormedAuthorityCode(greatest_issued)) {
      return absl::InvalidArgumentError(
          absl::StrCat("greatest stored authority code is malformed: \"", greatest_issued, "\""));
    }
    if (greatest_issued.substr(0, 2) == prefix) last = ParseHex128(greatest_issued.substr(2));
  }
  return absl::WrapUnique(new AuthorityCodeGenerator(std::string(prefix), clock, last));
}

AuthorityCodeGenerator::AuthorityCodeGenerator(std::string prefix, const Clock* clock,
                                               absl::uint128 last)
    : prefix_(std::move(prefix)), clock_(clock), last_(last) {}

std::string AuthorityCodeGenerator::Next() {
  const int64_t millis = absl::ToUnixMillis(clock_->Now());
  absl::MutexLock lock(&mu_);
  // 79 random bits leave room to count upwards within one millisecond without carrying into
  // the time part in practice; correctness does not depend on it (the max() below does).
  const absl::uint128 random =
      absl::MakeUint128(absl::Uniform<uint64_t>(random_) & 0x7FFF, absl::Uniform<uint64_t>(random_));
  const absl::uint128 candidate =
      (absl::uint128(static_cast<uint64_t>(millis < 0 ? 0 : millis)) << kSequenceBits) | random;
  last_ = candidate > last_ ? candidate : last_ + 1;
  return absl::StrCat(prefix_, FormatHex128(last_));
}

}  // namespace einvoice
