// `einvoice audit [--from D] [--to D] [--caller FP]` and `einvoice audit verify`: the audit
// trail (AuthorityAdmin.ListAuditRecords, administrators only). `verify` checks the hash chain
// here, on the bytes the server sends, so a record edited on the server's disk is found even
// though the server itself serves it.
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"
#include "domain/audit_trail.h"
#include "domain/authentication_record.h"
#include "einvoice/v1/audit.pb.h"
#include "google/protobuf/struct.pb.h"
#include "tools/cli/command.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/invoice_view.h"
#include "tools/cli/proto_io.h"
#include "tools/cli/table.h"

namespace einvoice::cli {
namespace {

constexpr uint32_t kPageSize = 1000;

absl::string_view RoleName(v1::CallerRole role) {
  switch (role) {
    case v1::CALLER_ROLE_NONE: return "none";
    case v1::CALLER_ROLE_TAXPAYER: return "taxpayer";
    case v1::CALLER_ROLE_OFFICER: return "officer";
    case v1::CALLER_ROLE_ADMIN: return "admin";
    case v1::CALLER_ROLE_LOCAL_OPERATOR: return "local operator";
    default: return "?";
  }
}

std::string Outcome(const v1::AuditRecord& record) {
  const auto code = static_cast<absl::StatusCode>(record.status_code());
  if (code == absl::StatusCode::kOk) return "OK";
  return absl::StrCat(absl::StatusCodeToString(code), ": ", record.status_message());
}

// Reads every page of the trail matching `request` and hands each record's bytes to `each`;
// stops early (returning its error) if `each` fails.
template <typename Each>
absl::Status ForEachRecord(CommandContext& ctx, v1::ListAuditRecordsRequest request, Each each) {
  request.set_page_size(kPageSize);
  while (true) {
    absl::StatusOr<v1::ListAuditRecordsResponse> page = ctx.client().ListAuditRecords(request);
    if (!page.ok()) return page.status();
    for (const std::string& record : page->records()) {
      if (absl::Status s = each(record); !s.ok()) return s;
    }
    if (!page->more()) return absl::OkStatus();
    if (page->last_sequence() <= request.after_sequence()) {
      return absl::InternalError("the server did not advance through the audit trail");
    }
    request.set_after_sequence(page->last_sequence());
  }
}

int RunList(CommandContext& ctx, const ParsedArgs& args) {
  v1::ListAuditRecordsRequest request;
  if (std::optional<std::string> bad = BadDayOption(args, {"from", "to"})) {
    return ctx.UsageError(*bad);
  }
  request.set_from_day(args.GetOr("from", ""));
  request.set_to_day(args.GetOr("to", ""));
  request.set_caller_fingerprint(args.GetOr("caller", ""));
  Table table({"seq", "time", "role", "caller", "operation", "target", "outcome"});
  table.AlignRight(0);
  table.SetMaxWidth(3, 40);
  table.SetMaxWidth(5, 60);
  table.SetMaxWidth(6, 60);
  std::vector<std::string> json;
  const absl::Status listed = ForEachRecord(ctx, request, [&](const std::string& bytes) {
    v1::AuditRecord record;
    if (!record.ParseFromString(bytes)) {
      return absl::DataLossError("the server sent an audit record that does not parse");
    }
    if (ctx.json()) {
      json.push_back(ToJson(record));
      return absl::OkStatus();
    }
    const v1::AuditCaller& caller = record.caller();
    const std::string who =
        caller.fingerprint().empty()
            ? std::string("-")
            : absl::StrCat(caller.fingerprint().substr(0, 16), " ",
                           caller.tax_code().empty() ? caller.subject() : caller.tax_code());
    table.AddRow({absl::StrCat(record.sequence()), FormatTimestamp(record.time()),
                  std::string(RoleName(caller.role())), who, record.operation(), record.target(),
                  Outcome(record)});
    return absl::OkStatus();
  });
  if (!listed.ok()) return ctx.Fail(listed, "audit");
  if (ctx.json()) {
    ctx.out() << JsonArray(json);
  } else {
    ctx.out() << table.Render() << table.row_count()
              << (table.row_count() == 1 ? " record\n" : " records\n");
  }
  return kExitOk;
}

int RunVerify(CommandContext& ctx, const ParsedArgs& args) {
  // --expect SEQ:SHA256: a head noted earlier must still be in the chain.
  uint64_t expected_sequence = 0;
  std::string expected_sha256;
  if (std::optional<std::string> expect = args.Get("expect")) {
    std::vector<std::string> parts = absl::StrSplit(*expect, ':');
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &expected_sequence) ||
        expected_sequence == 0 || parts[1].size() != 64) {
      return ctx.UsageError("--expect: SEQ:SHA256 as 'audit verify' printed it");
    }
    expected_sha256 = absl::AsciiStrToLower(parts[1]);
  }
  AuditChainChecker checker;
  absl::Status read = ForEachRecord(
      ctx, v1::ListAuditRecordsRequest(), [&](const std::string& bytes) -> absl::Status {
        if (absl::Status added = checker.Add(bytes); !added.ok()) return added;
        if (checker.checked() == expected_sequence &&
            absl::BytesToHexString(checker.head_sha256()) != expected_sha256) {
          return absl::DataLossError(absl::StrCat("record ", expected_sequence,
                                                  " is not the one noted (its SHA-256 differs)"));
        }
        return absl::OkStatus();
      });
  if (read.ok() && checker.checked() < expected_sequence) {
    read = absl::DataLossError(absl::StrCat("the trail ends at record ", checker.checked(),
                                            ", before the noted record ", expected_sequence,
                                            ": records were removed"));
  }
  const std::string head = absl::BytesToHexString(checker.head_sha256());
  google::protobuf::Struct verdict;
  auto& fields = *verdict.mutable_fields();
  fields["intact"].set_bool_value(read.ok());
  fields["records"].set_number_value(static_cast<double>(checker.checked()));
  fields["headSha256"].set_string_value(head);
  if (read.code() == absl::StatusCode::kDataLoss) {
    fields["problem"].set_string_value(std::string(read.message()));
    if (ctx.json()) {
      ctx.out() << ToJson(verdict);
    } else {
      ctx.out() << "audit chain BROKEN after record " << checker.checked() << ": "
                << read.message() << "\n";
    }
    return kExitVerificationFailed;
  }
  if (!read.ok()) return ctx.Fail(read, "audit verify");
  if (ctx.json()) {
    ctx.out() << ToJson(verdict);
  } else {
    ctx.out() << "audit chain intact: " << checker.checked() << " records; head "
              << checker.checked() << ":" << head << "\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> AuditCommands() {
  CommandSpec list;
  list.path = {"audit"};
  list.synopsis = "[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--caller FINGERPRINT]";
  list.summary = "List the audit trail: officers' and administrators' calls, and every denied call.";
  list.details =
      "Administrators only. Days are Vietnam time, inclusive. FINGERPRINT is the lower-case hex\n"
      "SHA-256 of the caller's certificate (as listed).";
  list.options = {
      {"from", "YYYY-MM-DD", "first day, inclusive"},
      {"to", "YYYY-MM-DD", "last day, inclusive"},
      {"caller", "FINGERPRINT", "only this caller's records"},
  };
  list.run = RunList;

  CommandSpec verify;
  verify.path = {"audit", "verify"};
  verify.synopsis = "[--expect SEQ:SHA256]";
  verify.summary = "Check the audit trail's hash chain from the first record to the last.";
  verify.details =
      "Reads the whole trail and checks, here, that each record carries the SHA-256 of the one\n"
      "before and that none is missing. Exit 4 with the first broken link if not. Note the head\n"
      "it prints (SEQ:SHA256) somewhere else and pass it later with --expect: records removed\n"
      "from the end, or the last ones rewritten, are then found too.";
  verify.options = {{"expect", "SEQ:SHA256", "a head noted earlier that must still be there"}};
  verify.run = RunVerify;
  return {list, verify};
}

}  // namespace einvoice::cli
