// `einvoice admin backup DIR` (online: AuthorityAdmin.BackupStore, administrators only) and
// `einvoice admin check DATA_DIR` (offline: opens the database itself, no server involved).
//
// `check` is the one command that does not talk to a server: it reads a data directory (a
// stopped server's, or a backup's) on this machine and walks the whole store
// (storage/rocksdb_store_check.h), verifying every record against the signing keys stored
// with it (domain/stored_invoice_check.h). It needs no HSM: verification uses public keys only.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/stored_invoice_check.h"
#include "google/protobuf/struct.pb.h"
#include "storage/rocksdb_database.h"
#include "storage/rocksdb_signing_key_registry.h"
#include "storage/rocksdb_store_check.h"
#include "tools/cli/command.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/proto_io.h"

namespace einvoice::cli {
namespace {

int RunBackup(CommandContext& ctx, const ParsedArgs& args) {
  absl::StatusOr<v1::BackupStoreResponse> backup =
      ctx.client().BackupStore(args.positionals()[0]);
  if (!backup.ok()) return ctx.Fail(backup.status(), "admin backup");
  if (ctx.json()) {
    ctx.out() << ToJson(*backup);
  } else {
    ctx.out() << "backup written to " << backup->database_directory()
              << "\ncheck it with: einvoice admin check " << args.positionals()[0] << "\n";
  }
  return kExitOk;
}

// The database under `data_dir`: data_dir/db as einvoiced lays it out, or `data_dir` itself
// when it is a database directory (a backup's db/).
absl::StatusOr<std::string> DatabaseDirectory(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  for (const fs::path& candidate : {fs::path(data_dir) / "db", fs::path(data_dir)}) {
    if (fs::exists(candidate / "CURRENT", error)) return candidate.string();
  }
  return absl::NotFoundError(
      absl::StrCat("no database in ", data_dir, " (expected ", data_dir, "/db/CURRENT)"));
}

google::protobuf::Struct ReportJson(const StoreCheckReport& report) {
  google::protobuf::Struct json;
  auto& fields = *json.mutable_fields();
  fields["ok"].set_bool_value(report.ok());
  fields["records"].set_number_value(static_cast<double>(report.records));
  fields["invoiceKeys"].set_number_value(static_cast<double>(report.invoice_keys));
  fields["idempotencyKeys"].set_number_value(static_cast<double>(report.idempotency_keys));
  fields["sellerIndexEntries"].set_number_value(static_cast<double>(report.seller_index));
  fields["buyerIndexEntries"].set_number_value(static_cast<double>(report.buyer_index));
  fields["warningIndexEntries"].set_number_value(static_cast<double>(report.warning_index));
  fields["issuedCounted"].set_number_value(static_cast<double>(report.issued_counted));
  fields["problemCount"].set_number_value(static_cast<double>(report.problem_count));
  auto* problems = fields["problems"].mutable_list_value();
  for (const std::string& problem : report.problems) {
    problems->add_values()->set_string_value(problem);
  }
  return json;
}

int RunCheck(CommandContext& ctx, const ParsedArgs& args) {
  absl::StatusOr<std::string> path = DatabaseDirectory(args.positionals()[0]);
  if (!path.ok()) return ctx.Fail(path.status(), "admin check");
  RocksDbOptions options;
  options.path = *path;
  options.block_cache_bytes = size_t{64} << 20;
  options.read_only = true;  // a check changes nothing, not even a backup's files
  absl::StatusOr<std::shared_ptr<RocksDbDatabase>> db = RocksDbDatabase::Open(options);
  if (!db.ok()) {
    return ctx.Fail(db.status(), "admin check (stop the server first, or check a backup)");
  }
  RocksDbSigningKeyRegistry registry(*db);
  absl::StatusOr<std::vector<v1::SigningKey>> keys = registry.List();
  if (!keys.ok()) return ctx.Fail(keys.status(), "admin check: reading the signing keys");
  const StoreCheckReport report = CheckRocksDbStore(
      **db, [&](absl::string_view code, absl::string_view bytes) {
        return InspectStoredInvoice(code, bytes, *keys);
      });
  if (ctx.json()) {
    ctx.out() << ToJson(ReportJson(report));
  } else {
    ctx.out() << report.records << " records, " << report.invoice_keys << " invoice keys, "
              << report.idempotency_keys << " idempotency keys, " << report.seller_index
              << " seller, " << report.buyer_index << " buyer and " << report.warning_index
              << " warning index entries, "
              << report.issued_counted << " counted as issued, " << keys->size()
              << " signing keys\n";
    for (const std::string& problem : report.problems) ctx.out() << "PROBLEM " << problem << "\n";
    if (report.problem_count > report.problems.size()) {
      ctx.out() << "... and " << report.problem_count - report.problems.size() << " more\n";
    }
    ctx.out() << (report.ok() ? "store consistent: every record indexed and genuine\n"
                              : absl::StrCat("store INCONSISTENT: ", report.problem_count,
                                             " problems\n"));
  }
  return report.ok() ? kExitOk : kExitVerificationFailed;
}

}  // namespace

std::vector<CommandSpec> AdminCommands() {
  CommandSpec backup;
  backup.path = {"admin", "backup"};
  backup.synopsis = "DIR";
  backup.summary = "Have the server write a consistent copy of its store into DIR, while it runs.";
  backup.details =
      "DIR is an absolute path on the server's machine, outside its data directory, that does "
      "not exist yet or is empty; the copy is DIR/db. It holds the invoices, indexes, seller "
      "and signing-key registries, statistics and the audit trail -- not the HSM token, which "
      "has its own backup procedure (docs/operations.md). Administrators only; audited.";
  backup.min_positionals = 1;
  backup.max_positionals = 1;
  backup.run = RunBackup;

  CommandSpec check;
  check.path = {"admin", "check"};
  check.synopsis = "DATA_DIR";
  check.summary = "Check a stopped server's (or a backup's) store offline; exit 4 if inconsistent.";
  check.details =
      "Reads DATA_DIR/db on this machine (no server is contacted): every record parses, is "
      "genuine (its signature verifies under the stored signing keys) and is indexed; every "
      "index entry points to a record; the issued-invoice counters add up. Prints each "
      "problem found. The server must not be running on DATA_DIR (the database is locked).";
  check.min_positionals = 1;
  check.max_positionals = 1;
  check.run = RunCheck;
  return {backup, check};
}

}  // namespace einvoice::cli
