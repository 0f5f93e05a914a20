// FromRocksDb(): the one place a rocksdb::Status becomes an absl::Status.
// PRIVATE to storage/: includes RocksDB headers; never include it outside this directory.
// Thread-safe (pure function).
#ifndef EINVOICE_STORAGE_ROCKSDB_STATUS_H_
#define EINVOICE_STORAGE_ROCKSDB_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace einvoice {

// Maps by meaning: IOError, Busy, TimedOut, TryAgain, ShutdownInProgress, Expired →
// UNAVAILABLE (safe to retry); Corruption → DATA_LOSS; NotFound → NOT_FOUND; InvalidArgument →
// INVALID_ARGUMENT; NotSupported → UNIMPLEMENTED; Aborted → ABORTED; everything else →
// INTERNAL. The message is "<context>: <rocksdb message>".
absl::Status FromRocksDb(const rocksdb::Status& status, absl::string_view context);

}  // namespace einvoice

#endif  // EINVOICE_STORAGE_ROCKSDB_STATUS_H_
