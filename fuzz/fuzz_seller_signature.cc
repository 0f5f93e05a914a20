// The seller's XMLDSig check on a submitted XML invoice, against a registered certificate (a
// throwaway test CA's, made once).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/xml/support/test_pki.h"
#include "xml/seller_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string>* const registered = [] {
    einvoice::testing::TestCa ca;
    const absl::Time now = absl::FromUnixSeconds(1795000000);
    return new std::vector<std::string>{
        ca.IssueSellerCertificate("0100109106", now - absl::Hours(24 * 365),
                                  now + absl::Hours(24 * 365))
            .certificate_der};
  }();
  const absl::string_view xml(reinterpret_cast<const char*>(data), size);
  einvoice::VerifySellerSignature(xml, *registered, absl::FromUnixSeconds(1795000000));
  return 0;
}
