// Helpers for storage tests: deterministic NewInvoice values and small RocksDB options.
// Thread-safe (pure functions).
#ifndef EINVOICE_TESTS_STORAGE_STORE_TEST_UTIL_H_
#define EINVOICE_TESTS_STORAGE_STORE_TEST_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "storage/invoice_store.h"
#include "storage/rocksdb_database.h"

namespace einvoice::testing {

inline constexpr char kSellerA[] = "0100109106";
inline constexpr char kSellerB[] = "0101243150";
inline constexpr char kBuyerX[] = "0100047516";
inline constexpr char kBuyerY[] = "0100109106-001";

// "00" + 32 upper-case hex digits of n.
std::string CodeFor(uint64_t n);

// A valid invoice numbered `number` of `seller`, with code CodeFor(code_seed), issued on
// `issue_date` (also its issued_day), for `buyer` (may be empty). The stored bytes are a
// serialized v1::AuthenticatedInvoice whose signature holds every byte value 0..255, so
// byte-identity is really tested.
NewInvoice MakeInvoice(uint64_t code_seed, const std::string& seller, uint32_t number,
                       absl::CivilDay issue_date, const std::string& buyer = kBuyerX,
                       const std::string& idempotency_key = "");

InvoiceRef RefOf(const NewInvoice& invoice);

// RocksDB options for a test database at `path`: small cache and memtables.
RocksDbOptions SmallOptions(const std::string& path);

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_STORAGE_STORE_TEST_UTIL_H_
