// The einvoice-bench report: a table for people and JSON for machines.
//
// JSON schema (stable keys; times in milliseconds, rates per second):
//   {
//     "scenario", "rpc", "mode" ("closed"|"open"), "concurrency", "channels", "rate",
//     "duration_s", "warmup_s", "seed",
//     "mix": {"replay_pct", "conflict_pct", "invalid_pct", "lookup_pct", "search_pct",
//             "xml_pct" (share of the NEW invoices sent as seller-signed XML)},
//     "machine": {"nproc", "cpu", "kernel"},
//     "target", "requests", "seconds", "throughput_per_s",
//     "latency_ms": {"p50", "p90", "p99", "p999", "max", "mean"},
//     "status_counts": {"OK": n, "ALREADY_EXISTS": n, ...},   every answer by gRPC code
//     "errors": {"UNAVAILABLE": n, ...},                      answers no op expected
//     "errors_total", "unexpected_outcomes",
//     "by_kind": {"new": {"sent", "expected", "unexpected", "errors"}, "replay", "conflict",
//                 "invalid", "lookup", "search", "xml": ...},   "new" = protobuf, "xml" = XML
//                 (replays, conflicts and lookups of XML invoices count under their own kind)
//     "accepted", "rejected", "late_starts", "prefilled",
//     "server_cpu_ms_per_request", "client_cpu_ms_per_request"  (null when unknown),
//     "xml_signing": {"presigned", "signed_inline", "sign_cpu_ms_per_invoice"}   seller-side
//                 XMLDSig done by the harness: before the load (presigned, not in
//                 client_cpu_ms_per_request) or during it when the pool ran dry (inline, in it),
//     "verification": {"accepted", "checked", "verified", "failed", "sampled", "problems",
//                      "xml_checked", "xml_verified"}   XML ones: also coded_xml byte-identical
//                      and verified (seller + authority XMLDSig, MCCQT = authority_code),
//     with --ceiling also:
//     "ceiling_throughput_per_s", "ceiling_latency_ms": {...}, "ratio_of_ceiling",
//     "ceiling_server_cpu_ms_per_request", "ceiling_client_cpu_ms_per_request"
//   }
#ifndef EINVOICE_BENCHMARKS_REPORT_H_
#define EINVOICE_BENCHMARKS_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "benchmarks/load_driver.h"
#include "benchmarks/process_util.h"
#include "benchmarks/workload.h"

namespace einvoice::bench {

struct VerificationReport {
  uint64_t accepted = 0;  // accepted new invoices seen in the whole run (prefill included)
  uint64_t checked = 0;
  uint64_t verified = 0;
  uint64_t failed = 0;
  bool sampled = false;
  std::vector<std::string> problems;  // the first few
  uint64_t xml_checked = 0;   // of `checked`, invoices submitted as XML (coded_xml present)
  uint64_t xml_verified = 0;  // of those, coded_xml verified too
};

struct TargetReport {
  std::string target;
  PhaseResult result;
  uint64_t prefilled = 0;
  std::optional<double> server_cpu_seconds;
  std::optional<double> client_cpu_seconds;
  VerificationReport verification;
  XmlSigningStats xml_signing;
};

struct RunReport {
  uint64_t seed = 0;
  WorkloadOptions workload;
  std::string scenario;
  std::string rpc;
  // True when the load went over mutual TLS (the harness's --cert_file).
  bool tls = false;
  int concurrency = 0;
  int channels = 0;
  double rate = 0;
  double duration_s = 0;
  double warmup_s = 0;
  MachineInfo machine;
  TargetReport service;
  std::optional<TargetReport> ceiling;
};

std::string ToJson(const RunReport& run);
std::string ToTable(const RunReport& run);

}  // namespace einvoice::bench

#endif  // EINVOICE_BENCHMARKS_REPORT_H_
