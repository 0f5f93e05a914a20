// Bytes read back from the store or from a client: a signed record (VerifyInvoice, get), the
// index entries and values of every column family, and search page tokens. The first byte
// picks the decoder; a decoder must refuse, never crash.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "domain/audit_trail.h"
#include "domain/authentication_record.h"
#include "storage/key_encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  namespace keys = einvoice::keys;
  switch (data[0] % 8) {
    case 0: einvoice::ParseSignedRecord(bytes).IgnoreError(); break;
    case 1: keys::DecodePartyIndexKey(bytes).IgnoreError(); break;
    case 2: keys::DecodeRef(bytes).IgnoreError(); break;
    case 3: keys::DecodeStatsKey(bytes).IgnoreError(); break;
    case 4: keys::DecodePageToken(bytes, einvoice::SearchQuery::Party::kSeller, "0100109106")
                .IgnoreError();
            break;
    case 5: keys::DecodeDay(bytes).IgnoreError(); break;
    case 6: {
      einvoice::AuditChainChecker checker;
      checker.Add(bytes).IgnoreError();
      break;
    }
    default: einvoice::AuditText(bytes); break;
  }
  return 0;
}
