// CheckRocksDbStore: the offline consistency check of a store (`einvoice admin check
// DATA_DIR`). Walks every column family once and reports what does not hold:
//   - every record parses and is genuine (the caller's RecordInspector: signature, key,
//     content) and is under its own authority code;
//   - every record is indexed: its invoice key entry names it (with its content hash), its
//     seller index entry exists, and its buyer index entry when it has a buyer tax code;
//   - every index entry (invoice keys, idempotency keys, seller and buyer indexes) is well
//     formed and points to a record;
//   - the issued counters add up to the number of records;
//   - every stored key and value is well formed.
// The walk is linear in the size of the store (point reads for the cross-checks); memory is
// constant but for the problems kept (at most `max_problems`, then counted).
//
// Run it on a database no server has open (a stopped server's data directory, or a backup).
// Thread-compatible.
#ifndef EINVOICE_STORAGE_ROCKSDB_STORE_CHECK_H_
#define EINVOICE_STORAGE_ROCKSDB_STORE_CHECK_H_

#include <cstddef>

#include "storage/rocksdb_database.h"
#include "storage/store_check.h"

namespace einvoice {

StoreCheckReport CheckRocksDbStore(const RocksDbDatabase& db, const RecordInspector& inspect,
                                   size_t max_problems = 100);

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_ROCKSDB_STORE_CHECK_H_
