#include "tests/storage/store_test_util.h"

#include "absl/strings/str_format.h"
#include "einvoice/v1/authentication.pb.h"

namespace einvoice::testing {

std::string CodeFor(uint64_t n) { return absl::StrFormat("00%032X", n); }

NewInvoice MakeInvoice(uint64_t code_seed, const std::string& seller, uint32_t number,
                       absl::CivilDay issue_date, const std::string& buyer,
                       const std::string& idempotency_key) {
  NewInvoice invoice;
  invoice.authority_code = CodeFor(code_seed);
  v1::AuthenticatedInvoice authenticated;
  authenticated.set_authority_code(invoice.authority_code);
  authenticated.set_key_id("test-key");
  authenticated.set_signed_record(absl::StrFormat("record %d of %s", number, seller));
  std::string signature;
  for (int i = 0; i < 256; ++i) signature.push_back(static_cast<char>((i + code_seed) & 0xff));
  authenticated.set_signature(signature);
  authenticated.mutable_issued_at()->set_seconds(1700000000 + static_cast<int64_t>(code_seed));
  invoice.authenticated_invoice = authenticated.SerializeAsString();
  invoice.content_sha256 = std::string(32, static_cast<char>(code_seed & 0xff));
  invoice.content_sha256[0] = static_cast<char>(number & 0xff);
  invoice.key.set_seller_tax_code(seller);
  invoice.key.set_template_code("1");
  invoice.key.set_symbol(absl::StrFormat("C%02dTAA", static_cast<int>(issue_date.year() % 100)));
  invoice.key.set_number(number);
  invoice.idempotency_key = idempotency_key;
  invoice.buyer_tax_code = buyer;
  invoice.issue_date = issue_date;
  invoice.issued_day = issue_date;
  return invoice;
}

InvoiceRef RefOf(const NewInvoice& invoice) {
  return InvoiceRef{invoice.authority_code, invoice.content_sha256};
}

RocksDbOptions SmallOptions(const std::string& path) {
  RocksDbOptions options;
  options.path = path;
  options.block_cache_bytes = 8 << 20;
  options.write_buffer_bytes = 4 << 20;
  return options;
}

}  // namespace einvoice::testing
