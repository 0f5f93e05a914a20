#include "benchmarks/report.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace einvoice::bench {
namespace {

std::string Quote(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string Num(double v) {
  if (!std::isfinite(v)) return "null";
  return absl::StrFormat("%.6g", v);
}

double Throughput(const TargetReport& t) {
  return t.result.seconds > 0 ? static_cast<double>(t.result.stats.completed) / t.result.seconds
                              : 0;
}

std::optional<double> PerRequestMs(const std::optional<double>& cpu_seconds,
                                   const TargetReport& t) {
  if (!cpu_seconds || t.result.stats.completed == 0) return std::nullopt;
  return *cpu_seconds * 1000.0 / static_cast<double>(t.result.stats.completed);
}

std::string OptNum(const std::optional<double>& v) { return v ? Num(*v) : "null"; }

std::optional<double> SignCpuMs(const XmlSigningStats& x) {
  const uint64_t n = x.presigned + x.signed_inline;
  if (n == 0) return std::nullopt;
  return x.sign_cpu_seconds * 1000.0 / static_cast<double>(n);
}

std::string LatencyJson(const Histogram& h) {
  return absl::StrCat("{\"p50\": ", Num(h.QuantileMs(0.5)), ", \"p90\": ", Num(h.QuantileMs(0.9)),
                      ", \"p99\": ", Num(h.QuantileMs(0.99)), ", \"p999\": ",
                      Num(h.QuantileMs(0.999)), ", \"max\": ", Num(h.MaxMs()),
                      ", \"mean\": ", Num(h.MeanMs()), "}");
}

uint64_t Sum(const std::map<int, uint64_t>& m) {
  uint64_t n = 0;
  for (const auto& [k, v] : m) n += v;
  return n;
}

uint64_t Accepted(const RunStats::Snapshot& s) {
  auto it = s.status_counts.find(0);
  uint64_t ok = it == s.status_counts.end() ? 0 : it->second;
  // Lookups and searches answer OK too but accept nothing.
  ok -= std::min(ok, s.kinds[static_cast<int>(OpKind::kLookup)].expected +
                         s.kinds[static_cast<int>(OpKind::kSearch)].expected);
  return ok;
}

uint64_t Rejected(const RunStats::Snapshot& s) {
  uint64_t n = 0;
  for (int code : {3, 6, 9}) {
    auto it = s.status_counts.find(code);
    if (it != s.status_counts.end()) n += it->second;
  }
  return n;
}

}  // namespace

std::string ToJson(const RunReport& run) {
  const TargetReport& t = run.service;
  const RunStats::Snapshot& s = t.result.stats;
  std::vector<std::string> f;
  f.push_back(absl::StrCat("\"scenario\": ", Quote(run.scenario)));
  f.push_back(absl::StrCat("\"rpc\": ", Quote(run.rpc)));
  f.push_back(absl::StrCat("\"transport\": ", Quote(run.tls ? "mtls" : "plaintext")));
  f.push_back(absl::StrCat("\"mode\": ", Quote(run.rate > 0 ? "open" : "closed")));
  f.push_back(absl::StrCat("\"concurrency\": ", run.concurrency));
  f.push_back(absl::StrCat("\"channels\": ", run.channels));
  f.push_back(absl::StrCat("\"rate\": ", Num(run.rate)));
  f.push_back(absl::StrCat("\"duration_s\": ", Num(run.duration_s)));
  f.push_back(absl::StrCat("\"warmup_s\": ", Num(run.warmup_s)));
  f.push_back(absl::StrCat("\"seed\": ", run.seed));
  f.push_back(absl::StrCat("\"mix\": {\"replay_pct\": ", Num(run.workload.replay_pct),
                           ", \"conflict_pct\": ", Num(run.workload.conflict_pct),
                           ", \"invalid_pct\": ", Num(run.workload.invalid_pct),
                           ", \"lookup_pct\": ", Num(run.workload.lookup_pct),
                           ", \"search_pct\": ", Num(run.workload.search_pct),
                           ", \"xml_pct\": ", Num(run.workload.xml_pct), "}"));
  f.push_back(absl::StrCat("\"machine\": {\"nproc\": ", run.machine.nproc, ", \"cpu\": ",
                           Quote(run.machine.cpu_model), ", \"kernel\": ",
                           Quote(run.machine.kernel), "}"));
  f.push_back(absl::StrCat("\"target\": ", Quote(t.target)));
  f.push_back(absl::StrCat("\"requests\": ", s.completed));
  f.push_back(absl::StrCat("\"seconds\": ", Num(t.result.seconds)));
  f.push_back(absl::StrCat("\"throughput_per_s\": ", Num(Throughput(t))));
  f.push_back(absl::StrCat("\"latency_ms\": ", LatencyJson(s.latency)));
  std::vector<std::string> statuses, errors, kinds;
  for (const auto& [code, n] : s.status_counts) {
    statuses.push_back(absl::StrCat(Quote(GrpcCodeName(code)), ": ", n));
  }
  for (const auto& [code, n] : s.error_counts) {
    errors.push_back(absl::StrCat(Quote(GrpcCodeName(code)), ": ", n));
  }
  for (int k = 0; k < kOpKindCount; ++k) {
    const KindCounts& c = s.kinds[k];
    kinds.push_back(absl::StrCat(Quote(OpKindName(static_cast<OpKind>(k))), ": {\"sent\": ",
                                 c.sent, ", \"expected\": ", c.expected, ", \"unexpected\": ",
                                 c.unexpected, ", \"errors\": ", c.errors, "}"));
  }
  f.push_back(absl::StrCat("\"status_counts\": {", absl::StrJoin(statuses, ", "), "}"));
  f.push_back(absl::StrCat("\"errors\": {", absl::StrJoin(errors, ", "), "}"));
  f.push_back(absl::StrCat("\"errors_total\": ", Sum(s.error_counts)));
  f.push_back(absl::StrCat("\"unexpected_outcomes\": ", s.unexpected));
  f.push_back(absl::StrCat("\"by_kind\": {", absl::StrJoin(kinds, ", "), "}"));
  f.push_back(absl::StrCat("\"accepted\": ", Accepted(s)));
  f.push_back(absl::StrCat("\"rejected\": ", Rejected(s)));
  f.push_back(absl::StrCat("\"late_starts\": ", t.result.late_starts));
  f.push_back(absl::StrCat("\"prefilled\": ", t.prefilled));
  f.push_back(absl::StrCat("\"server_cpu_ms_per_request\": ",
                           OptNum(PerRequestMs(t.server_cpu_seconds, t))));
  f.push_back(absl::StrCat("\"client_cpu_ms_per_request\": ",
                           OptNum(PerRequestMs(t.client_cpu_seconds, t))));
  const XmlSigningStats& x = t.xml_signing;
  f.push_back(absl::StrCat("\"xml_signing\": {\"presigned\": ", x.presigned,
                           ", \"signed_inline\": ", x.signed_inline,
                           ", \"sign_cpu_ms_per_invoice\": ", OptNum(SignCpuMs(x)), "}"));
  const VerificationReport& v = t.verification;
  std::vector<std::string> problems;
  for (const std::string& p : v.problems) problems.push_back(Quote(p));
  f.push_back(absl::StrCat("\"verification\": {\"accepted\": ", v.accepted, ", \"checked\": ",
                           v.checked, ", \"verified\": ", v.verified, ", \"failed\": ", v.failed,
                           ", \"sampled\": ", v.sampled ? "true" : "false", ", \"problems\": [",
                           absl::StrJoin(problems, ", "), "], \"xml_checked\": ", v.xml_checked,
                           ", \"xml_verified\": ", v.xml_verified, "}"));
  if (run.ceiling) {
    const TargetReport& c = *run.ceiling;
    const double ceiling = Throughput(c);
    f.push_back(absl::StrCat("\"ceiling_throughput_per_s\": ", Num(ceiling)));
    f.push_back(absl::StrCat("\"ceiling_latency_ms\": ", LatencyJson(c.result.stats.latency)));
    f.push_back(absl::StrCat("\"ratio_of_ceiling\": ",
                             ceiling > 0 ? Num(Throughput(t) / ceiling) : "null"));
    f.push_back(absl::StrCat("\"ceiling_server_cpu_ms_per_request\": ",
                             OptNum(PerRequestMs(c.server_cpu_seconds, c))));
    f.push_back(absl::StrCat("\"ceiling_client_cpu_ms_per_request\": ",
                             OptNum(PerRequestMs(c.client_cpu_seconds, c))));
  }
  return absl::StrCat("{\n  ", absl::StrJoin(f, ",\n  "), "\n}");
}

std::string ToTable(const RunReport& run) {
  std::string out;
  auto line = [&](const std::string& s) { absl::StrAppend(&out, s, "\n"); };
  line(absl::StrFormat("einvoice-bench  scenario=%s rpc=%s transport=%s %s concurrency=%d "
                       "channels=%d duration=%.0fs warmup=%.0fs seed=%d",
                       run.scenario, run.rpc, run.tls ? "mtls" : "plaintext",
                       run.rate > 0 ? absl::StrFormat("open-loop rate=%.0f/s", run.rate)
                                    : std::string("closed-loop"),
                       run.concurrency, run.channels, run.duration_s, run.warmup_s, run.seed));
  line(absl::StrFormat("machine: %d cpus, %s, %s", run.machine.nproc, run.machine.cpu_model,
                       run.machine.kernel));
  line("");
  auto row = [&](const char* name, const TargetReport& t) {
    const Histogram& h = t.result.stats.latency;
    line(absl::StrFormat("%-8s %10.0f/s  %8.2f %8.2f %8.2f %8.2f %8.2f   %8s %8s", name,
                         Throughput(t), h.QuantileMs(0.5), h.QuantileMs(0.9), h.QuantileMs(0.99),
                         h.QuantileMs(0.999), h.MaxMs(),
                         PerRequestMs(t.server_cpu_seconds, t)
                             ? absl::StrFormat("%.3f", *PerRequestMs(t.server_cpu_seconds, t))
                             : "-",
                         PerRequestMs(t.client_cpu_seconds, t)
                             ? absl::StrFormat("%.3f", *PerRequestMs(t.client_cpu_seconds, t))
                             : "-"));
  };
  line(absl::StrFormat("%-8s %12s  %8s %8s %8s %8s %8s   %8s %8s", "", "throughput", "p50 ms",
                       "p90 ms", "p99 ms", "p99.9 ms", "max ms", "srv cpu", "cli cpu"));
  row("service", run.service);
  if (run.ceiling) {
    row("ceiling", *run.ceiling);
    const double c = Throughput(*run.ceiling);
    line(absl::StrFormat("service = %.1f %% of the null-server ceiling on this machine",
                         c > 0 ? 100.0 * Throughput(run.service) / c : 0.0));
  }
  line("(cpu columns: CPU milliseconds per request, server process and this client)");
  line("");
  const RunStats::Snapshot& s = run.service.result.stats;
  line(absl::StrFormat("%-10s %10s %10s %10s %10s", "op", "sent", "expected", "unexpected",
                       "errors"));
  for (int k = 0; k < kOpKindCount; ++k) {
    const KindCounts& c = s.kinds[k];
    if (c.sent == 0 && c.expected == 0 && c.errors == 0) continue;
    line(absl::StrFormat("%-10s %10d %10d %10d %10d", OpKindName(static_cast<OpKind>(k)), c.sent,
                         c.expected, c.unexpected, c.errors));
  }
  std::vector<std::string> statuses;
  for (const auto& [code, n] : s.status_counts) {
    statuses.push_back(absl::StrCat(GrpcCodeName(code), "=", n));
  }
  line(absl::StrCat("answers: ", absl::StrJoin(statuses, " "), "   accepted=", Accepted(s),
                    " rejected=", Rejected(s)));
  if (!s.error_counts.empty()) {
    std::vector<std::string> errors;
    for (const auto& [code, n] : s.error_counts) {
      errors.push_back(absl::StrCat(GrpcCodeName(code), "=", n));
    }
    line(absl::StrCat("errors:  ", absl::StrJoin(errors, " ")));
  }
  if (run.rate > 0) line(absl::StrCat("late starts (> 1 ms behind schedule): ", run.service.result.late_starts));
  const XmlSigningStats& x = run.service.xml_signing;
  if (SignCpuMs(x)) {
    line(absl::StrFormat("seller XML signing by the harness: %d presigned before the load, %d "
                         "signed inline when the pool ran dry (in cli cpu), %.3f ms CPU each",
                         x.presigned, x.signed_inline, *SignCpuMs(x)));
  }
  const VerificationReport& v = run.service.verification;
  line(absl::StrFormat("verification: %d of %d accepted invoices fetched back%s: %d verified, %d failed",
                       v.checked, v.accepted, v.sampled ? " (sample)" : "", v.verified, v.failed));
  if (v.xml_checked > 0) {
    line(absl::StrFormat("  of which XML: %d checked, %d coded XML verified", v.xml_checked,
                         v.xml_verified));
  }
  for (const std::string& p : v.problems) line(absl::StrCat("  ", p));
  return out;
}

}  // namespace einvoice::bench
