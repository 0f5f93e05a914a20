// `einvoice stats [--from D] [--to D]`.
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "tools/cli/command.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/proto_io.h"
#include "tools/cli/table.h"

namespace einvoice::cli {
namespace {

int RunStats(CommandContext& ctx, const ParsedArgs& args) {
  v1::GetStatsRequest request;
  if (std::optional<std::string> bad = BadDayOption(args, {"from", "to"})) {
    return ctx.UsageError(*bad);
  }
  request.set_from(args.GetOr("from", ""));
  request.set_to(args.GetOr("to", ""));
  absl::StatusOr<v1::GetStatsResponse> stats = ctx.client().GetStats(request);
  if (!stats.ok()) return ctx.Fail(stats.status(), "stats");
  if (ctx.json()) {
    ctx.out() << ToJson(*stats);
    return kExitOk;
  }
  Table table({"day", "issued", "rejected"});
  table.AlignRight(1);
  table.AlignRight(2);
  for (const v1::DayStats& day : stats->days()) {
    table.AddRow({day.day(), absl::StrCat(day.issued()), absl::StrCat(day.rejected())});
  }
  table.AddRow({"total", absl::StrCat(stats->total_issued()), absl::StrCat(stats->total_rejected())});
  ctx.out() << table.Render();

  // What went wrong: per rule, the rejections and the warnings over the days shown.
  std::map<std::string, std::pair<uint64_t, uint64_t>> by_rule;  // rule -> (rejected, warned)
  for (const v1::DayStats& day : stats->days()) {
    for (const auto& [rule, count] : day.rejected_by_rule()) by_rule[rule].first += count;
    for (const auto& [rule, count] : day.warned_by_rule()) by_rule[rule].second += count;
  }
  if (!by_rule.empty()) {
    Table rules({"rule", "rejected", "warned"});
    rules.AlignRight(1);
    rules.AlignRight(2);
    for (const auto& [rule, counts] : by_rule) {
      rules.AddRow({rule, absl::StrCat(counts.first), absl::StrCat(counts.second)});
    }
    ctx.out() << "\n" << rules.Render();
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> StatsCommands() {
  CommandSpec stats;
  stats.path = {"stats"};
  stats.synopsis = "[--from YYYY-MM-DD] [--to YYYY-MM-DD]";
  stats.summary = "Invoices issued and rejected per day (Vietnam time), and per rule.";
  stats.details =
      "Defaults: --to today, --from 30 days before --to. Days without activity are omitted.\n"
      "A second table lists, per rule, the submissions it refused and the invoices coded with\n"
      "a warning of it over those days; `einvoice search --warning RULE` lists the latter.";
  stats.options = {
      {"from", "YYYY-MM-DD", "first day, inclusive"},
      {"to", "YYYY-MM-DD", "last day, inclusive"},
  };
  stats.run = RunStats;
  return {stats};
}

}  // namespace einvoice::cli
