// AuthorityCodeGenerator: issues the authority's codes (MCCQT).
//
// Grammar (docs/authority-code.md): 34 upper-case hex characters = a 2-character
// issuing-system prefix + 32 hex digits of a 128-bit id whose top 48 bits are the Unix time in
// milliseconds and whose low 80 bits are random-then-incrementing. Ids are strictly increasing
// within a process, and the generator starts above the greatest code already stored, so a code
// is never issued twice -- across restarts and even if the wall clock steps back. Time order
// also keeps the store's records appended at the end of its key space.
//
// Thread-safety: Next() may be called concurrently.
#ifndef EINVOICE_DOMAIN_AUTHORITY_CODE_H_
#define EINVOICE_DOMAIN_AUTHORITY_CODE_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/numeric/int128.h"
#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"

namespace einvoice {

inline constexpr size_t kAuthorityCodeLength = 34;

// True for 34 upper-case hex characters.
bool IsWellFormedAuthorityCode(absl::string_view code);

class AuthorityCodeGenerator {
 public:
  // `prefix`: 2 upper-case hex characters naming the issuing system (default deployment "00").
  // `greatest_issued`: the greatest code already stored ("" if none); codes with another
  // prefix are ignored. INVALID_ARGUMENT for a bad prefix or a malformed `greatest_issued`.
  // REQUIRES: `clock` outlives the generator.
  static absl::StatusOr<std::unique_ptr<AuthorityCodeGenerator>> Create(
      absl::string_view prefix, const Clock* clock, absl::string_view greatest_issued);

  // A new code, greater than every code this generator returned or was seeded with.
  std::string Next();

 private:
  AuthorityCodeGenerator(std::string prefix, const Clock* clock, absl::uint128 last);

  const std::string prefix_;
  const Clock* const clock_;
  absl::Mutex mu_;
  absl::uint128 last_ ABSL_GUARDED_BY(mu_);
  absl::BitGen random_ ABSL_GUARDED_BY(mu_);
};

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_AUTHORITY_CODE_H_
