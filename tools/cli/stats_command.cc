// `einvoice stats [--from D] [--to D] [--by day|rule]`.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "tools/cli/command.h"
#include "tools/cli/csv.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/proto_io.h"
#include "tools/cli/table.h"

namespace einvoice::cli {
namespace {

// The two views of the counts. Each is one rectangular table: rows hold numbers only, so a
// spreadsheet sums them (the table's "total" row is not a row of the data).
struct StatsViews {
  std::vector<std::vector<std::string>> by_day;   // day, issued, cash_register, rejected
  std::vector<std::vector<std::string>> by_rule;  // rule, rejected, warned (over the days)
};

std::vector<std::string> DayHeaders() {
  return {"day", "issued", "cash_register", "rejected"};
}
std::vector<std::string> RuleHeaders() { return {"rule", "rejected", "warned"}; }

StatsViews ViewsOf(const v1::GetStatsResponse& stats) {
  StatsViews views;
  std::map<std::string, std::pair<uint64_t, uint64_t>> by_rule;  // rule -> (rejected, warned)
  for (const v1::DayStats& day : stats.days()) {
    views.by_day.push_back({day.day(), absl::StrCat(day.issued()),
                            absl::StrCat(day.cash_register()), absl::StrCat(day.rejected())});
    for (const auto& [rule, count] : day.rejected_by_rule()) by_rule[rule].first += count;
    for (const auto& [rule, count] : day.warned_by_rule()) by_rule[rule].second += count;
  }
  for (const auto& [rule, counts] : by_rule) {
    views.by_rule.push_back({rule, absl::StrCat(counts.first), absl::StrCat(counts.second)});
  }
  return views;
}

std::string RenderTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows,
                        std::vector<std::string> total = {}) {
  Table table(headers);
  for (size_t c = 1; c < headers.size(); ++c) table.AlignRight(c);  // every count
  for (const std::vector<std::string>& row : rows) table.AddRow(row);
  if (!total.empty()) table.AddRow(std::move(total));
  return table.Render();
}

std::string RenderCsv(const std::vector<std::string>& headers,
                      const std::vector<std::vector<std::string>>& rows) {
  CsvTable csv(headers);
  for (const std::vector<std::string>& row : rows) csv.AddRow(row);
  return csv.Render();
}

int RunStats(CommandContext& ctx, const ParsedArgs& args) {
  v1::GetStatsRequest request;
  if (std::optional<std::string> bad = BadDayOption(args, {"from", "to"})) {
    return ctx.UsageError(*bad);
  }
  const std::optional<std::string> by = args.Get("by");
  if (by.has_value() && *by != "day" && *by != "rule") {
    return ctx.UsageError(absl::StrCat("--by: expected day or rule, got \"", *by, "\""));
  }
  if (by.has_value() && ctx.json()) {
    return ctx.UsageError("--by selects a table; --output json prints the whole response");
  }
  request.set_from(args.GetOr("from", ""));
  request.set_to(args.GetOr("to", ""));
  absl::StatusOr<v1::GetStatsResponse> stats = ctx.client().GetStats(request);
  if (!stats.ok()) return ctx.Fail(stats.status(), "stats");
  if (ctx.json()) {
    ctx.out() << ToJson(*stats);
    return kExitOk;
  }
  const StatsViews views = ViewsOf(*stats);
  if (ctx.csv()) {
    // One CSV is one table: per day unless --by rule.
    ctx.out() << (by == "rule" ? RenderCsv(RuleHeaders(), views.by_rule)
                               : RenderCsv(DayHeaders(), views.by_day));
    return kExitOk;
  }
  if (by != "rule") {
    ctx.out() << RenderTable(DayHeaders(), views.by_day,
                             {"total", absl::StrCat(stats->total_issued()),
                              absl::StrCat(stats->total_cash_register()),
                              absl::StrCat(stats->total_rejected())});
  }
  if (by == "rule") {
    ctx.out() << RenderTable(RuleHeaders(), views.by_rule);
  } else if (!by.has_value() && !views.by_rule.empty()) {
    // What went wrong: per rule, the rejections and the warnings over the days shown.
    ctx.out() << "\n" << RenderTable(RuleHeaders(), views.by_rule);
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> StatsCommands() {
  CommandSpec stats;
  stats.path = {"stats"};
  stats.synopsis = "[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by day|rule]";
  stats.summary =
      "Invoices issued, cash-register invoices received and submissions rejected per day "
      "(Vietnam time), and per rule.";
  stats.details =
      "Defaults: --to today, --from 30 days before --to. Days without activity are omitted.\n"
      "A second table lists, per rule, the submissions it refused and the invoices coded with\n"
      "a warning of it over those days; `einvoice search --warning RULE` lists the latter.\n"
      "--by day or --by rule prints only that table. --output csv prints one table as CSV:\n"
      "per day (day,issued,cash_register,rejected; no total row) unless --by rule (rule,rejected,warned).";
  stats.options = {
      {"from", "YYYY-MM-DD", "first day, inclusive"},
      {"to", "YYYY-MM-DD", "last day, inclusive"},
      {"by", "day|rule", "only the table per day, or only the one per rule (with csv: which)"},
  };
  stats.csv = true;
  stats.run = RunStats;
  return {stats};
}

}  // namespace einvoice::cli
