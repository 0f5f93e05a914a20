// A T-VAN message (ExchangeMessage): the TDiep envelope parser, then the 999 receipt built from
// whatever header it accepted (the reply echoes sender-controlled fields back into XML).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "xml/tvan_envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<einvoice::TDiepMessage> message =
      einvoice::ParseTDiep(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (!message.ok()) return 0;
  // The payload is a part of the input: never larger than it (plus declared namespaces).
  if (message->payload_xml.size() > 2 * size + 4096) std::abort();
  const std::string receipt =
      einvoice::BuildReceipt999(message->header, absl::UnixEpoch(), {});
  // The receipt must itself be a TDiep this parser reads back.
  if (!einvoice::ParseTDiep(receipt).ok()) std::abort();
  return 0;
}
