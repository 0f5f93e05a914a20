// A protobuf invoice (SubmitInvoice's `invoice`): whatever parses as v1::Invoice goes through
// the whole rule set.
#include <cstddef>
#include <cstdint>

#include "einvoice/v1/invoice.pb.h"
#include "rules/invoice_validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  einvoice::v1::Invoice invoice;
  if (!invoice.ParseFromArray(data, static_cast<int>(size))) return 0;
  einvoice::ValidateInvoice(invoice, absl::CivilDay(2026, 11, 22));
  return 0;
}
