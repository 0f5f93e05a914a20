// einvoice-bench: load generator and sizing tool for einvoiced. See benchmarks/README.md.
//
//   einvoice-bench --target=127.0.0.1:PORT --concurrency=64 --duration=10 [--rate=R]
//                  [--rpc=unary|stream] [--scenario=submit|lookup|mixed|month-end|xml|cash-register]
//                  [--xml_pct=P] [--ceiling] [--json]
//                  [--ca_file=CA --cert_file=TVAN --key_file=KEY
//                   --setup_cert_file=OFFICER --setup_key_file=KEY]   (a mutual-TLS server)
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "benchmarks/load_driver.h"
#include "benchmarks/process_util.h"
#include "benchmarks/report.h"
#include "benchmarks/workload.h"
#include "common/status_macros.h"
#include "domain/caller.h"
#include "domain/invoice_verifier.h"
#include "signer/x509_certificate.h"
#include "tools/client/einvoice_client.h"
#include "xml/xml_verifier.h"

ABSL_FLAG(std::string, target, "", "Server address host:port (127.0.0.1 only in tests and CI).");
ABSL_FLAG(int, concurrency, 64, "Requests in flight (closed loop), or the most in flight (open loop).");
ABSL_FLAG(int, channels, 4, "gRPC channels (TCP connections) the requests are spread over.");
ABSL_FLAG(double, duration, 10, "Seconds of measured load.");
ABSL_FLAG(double, warmup, 2, "Seconds of load before the measured window (not counted).");
ABSL_FLAG(uint64_t, requests, 0, "Stop the measured window after this many answers (0 = no bound).");
ABSL_FLAG(double, rate, 0, "Open loop: start this many requests per second, latency from the "
          "intended send time (0 = closed loop).");
ABSL_FLAG(std::string, rpc, "unary", "unary: SubmitInvoice per invoice; stream: SubmitInvoices, "
          "one stream per channel.");
ABSL_FLAG(int, cash_register_batch, 100,
          "Invoices per SubmitCashRegisterInvoices batch (1..1000) for --scenario=cash-register; "
          "each batch is one op in the report.");
ABSL_FLAG(std::string, scenario, "submit",
          "Preset mix: submit (new invoices only), lookup (GetInvoice by code only), mixed "
          "(5% replays, 1% conflicts, 2% invalid, 10% lookups, 2% searches), month-end (3% "
          "replays, 1% conflicts, 1% invalid, no reads), xml (new invoices only, all as "
          "seller-signed XML), cash-register (batches of --cash_register_batch cash-register "
          "invoices through SubmitCashRegisterInvoices; compare invoices/s, i.e. ops/s times "
          "the batch, with submit). The --*_pct flags override it.");
ABSL_FLAG(double, replay_pct, -1, "Share of replays of accepted invoices (expect OK + replay).");
ABSL_FLAG(double, conflict_pct, -1, "Share of conflicting duplicates (expect ALREADY_EXISTS).");
ABSL_FLAG(double, invalid_pct, -1, "Share of invalid invoices (expect INVALID_ARGUMENT).");
ABSL_FLAG(double, lookup_pct, -1, "Share of GetInvoice-by-code lookups.");
ABSL_FLAG(double, search_pct, -1, "Share of SearchInvoices by seller (20 per page).");
ABSL_FLAG(double, xml_pct, -1, "Share of the NEW invoices sent as seller-signed QĐ1450 XML "
          "(XMLDSig, ECDSA P-256) instead of protobuf (expect OK + coded_xml). Default: 100 "
          "for --scenario=xml, else 0.");
ABSL_FLAG(int64_t, xml_presign, -1, "XML invoices signed before the load (not measured, ~1.5 "
          "ms CPU each); when they run out the harness signs inline, in its measured CPU, and "
          "says so (-1 = enough for 1000 new invoices/s over warm-up + duration, plus the "
          "prefill). --ceiling cycles through at most 500 against the null server.");
ABSL_FLAG(double, idempotency_pct, 50, "Share of submissions with an idempotency key.");
ABSL_FLAG(int, sellers, 200, "Sellers to register and invoice for.");
ABSL_FLAG(uint64_t, seed, 0, "Workload seed (0 = from the clock; printed, so a run can be repeated).");
ABSL_FLAG(int64_t, prefill, -1, "New invoices submitted before the warm-up so replays, conflicts "
          "and lookups have targets (-1 = 2000 when the mix needs them, else 0).");
ABSL_FLAG(bool, ceiling, false, "Also run the same load against einvoice-null-server (started "
          "as a child on 127.0.0.1:0) and report the ratio.");
ABSL_FLAG(std::string, null_server, "", "Path of einvoice-null-server (default: next to this binary).");
ABSL_FLAG(bool, json, false, "Print the report as JSON instead of a table.");
ABSL_FLAG(bool, progress, true, "Print a progress line to stderr every second.");
ABSL_FLAG(int64_t, verify_max, 20000, "Accepted invoices fetched back and verified at the end "
          "(a uniform sample when more were accepted; 0 = skip).");
ABSL_FLAG(int, server_pid, 0, "Server process for CPU accounting (0 = find the process "
          "listening on --target's port, if it is on this machine and readable).");
ABSL_FLAG(double, timeout, 30, "Per-rpc deadline, seconds.");
ABSL_FLAG(std::string, ca_file, "", "Mutual TLS: CA certificate(s) the server's must chain to.");
ABSL_FLAG(std::string, cert_file, "",
          "Mutual TLS: the certificate the load is sent with: a T-VAN's (UID=MST:<tax code>); "
          "the harness registers its sellers naming that tax code as their T-VAN.");
ABSL_FLAG(std::string, key_file, "", "Mutual TLS: the private key of --cert_file.");
ABSL_FLAG(std::string, setup_cert_file, "",
          "Mutual TLS: an officer's certificate to register the sellers with (default "
          "--cert_file, which must then also be an officer's).");
ABSL_FLAG(std::string, setup_key_file, "", "Mutual TLS: the private key of --setup_cert_file.");

namespace einvoice::bench {
namespace {

// Rate the automatic --xml_presign provisions for (above what this machine serves).
constexpr double kPresignRatePerSecond = 1000;
// XML invoices signed for (and cycled through against) the null server.
constexpr int64_t kCeilingXmlPool = 500;

struct Mix {
  double replay = 0, conflict = 0, invalid = 0, lookup = 0, search = 0;
  double xml = 0;  // of the new invoices
  double cash_register = 0;  // batches of --cash_register_batch invoices
};

std::optional<Mix> ScenarioMix(const std::string& name) {
  if (name == "submit") return Mix{};
  if (name == "lookup") return Mix{0, 0, 0, 100, 0};
  if (name == "mixed") return Mix{5, 1, 2, 10, 2};
  if (name == "month-end") return Mix{3, 1, 1, 0, 0};
  if (name == "xml") return Mix{0, 0, 0, 0, 0, 100};
  if (name == "cash-register") return Mix{0, 0, 0, 0, 0, 0, 100};
  return std::nullopt;
}

WorkloadOptions MakeWorkloadOptions(uint64_t seed) {
  Mix mix = *ScenarioMix(absl::GetFlag(FLAGS_scenario));
  auto override_pct = [](double flag, double* value) {
    if (flag >= 0) *value = flag;
  };
  override_pct(absl::GetFlag(FLAGS_replay_pct), &mix.replay);
  override_pct(absl::GetFlag(FLAGS_conflict_pct), &mix.conflict);
  override_pct(absl::GetFlag(FLAGS_invalid_pct), &mix.invalid);
  override_pct(absl::GetFlag(FLAGS_lookup_pct), &mix.lookup);
  override_pct(absl::GetFlag(FLAGS_search_pct), &mix.search);
  override_pct(absl::GetFlag(FLAGS_xml_pct), &mix.xml);
  WorkloadOptions w;
  w.seed = seed;
  w.sellers = std::max(1, absl::GetFlag(FLAGS_sellers));
  w.replay_pct = mix.replay;
  w.conflict_pct = mix.conflict;
  w.invalid_pct = mix.invalid;
  w.lookup_pct = mix.lookup;
  w.search_pct = mix.search;
  w.xml_pct = std::min(100.0, mix.xml);
  w.cash_register_pct = mix.cash_register;
  w.cash_register_batch = absl::GetFlag(FLAGS_cash_register_batch);
  w.idempotency_pct = absl::GetFlag(FLAGS_idempotency_pct);
  return w;
}

// How the harness reaches a mutual-TLS server: the load's identity (a T-VAN), the setup's (an
// officer), and the T-VAN's tax code the sellers are registered with.
struct Identity {
  std::optional<ClientTls> load;
  std::optional<ClientTls> setup;
  std::string tvan_tax_code;
};

absl::StatusOr<Identity> LoadIdentity() {
  Identity identity;
  const std::string ca = absl::GetFlag(FLAGS_ca_file);
  const std::string cert = absl::GetFlag(FLAGS_cert_file);
  const std::string key = absl::GetFlag(FLAGS_key_file);
  if (ca.empty() && cert.empty()) return identity;
  if (ca.empty() || cert.empty()) {
    return absl::InvalidArgumentError("--ca_file, --cert_file and --key_file go together");
  }
  ASSIGN_OR_RETURN(identity.load, LoadClientTls(ca, cert, key));
  std::string setup_cert = absl::GetFlag(FLAGS_setup_cert_file);
  std::string setup_key = absl::GetFlag(FLAGS_setup_key_file);
  if (setup_cert.empty()) {
    setup_cert = cert;
    setup_key = key;
  }
  ASSIGN_OR_RETURN(identity.setup, LoadClientTls(ca, setup_cert, setup_key));
  ASSIGN_OR_RETURN(const std::string der,
                   x509::PemCertificateToDer(identity.load->certificate_chain));
  ASSIGN_OR_RETURN(const CertificateIdentity holder, IdentifyCertificate(der));
  if (holder.tax_code.empty()) {
    return absl::InvalidArgumentError(
        "--cert_file has no UID=MST:<tax code>: the load must be sent as a T-VAN");
  }
  identity.tvan_tax_code = holder.tax_code;
  return identity;
}

std::shared_ptr<grpc::ChannelCredentials> CredentialsOf(const std::optional<ClientTls>& tls) {
  if (!tls.has_value()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = tls->ca_certificates;
  ssl.pem_cert_chain = tls->certificate_chain;
  ssl.pem_private_key = tls->private_key;
  return grpc::SslCredentials(ssl);
}

// Registers the workload's sellers, with their XML signing certificates when it sends XML,
// and `tvan_tax_code` (when not empty) as their T-VAN.
absl::Status RegisterSellers(EinvoiceClient& client, const Workload& workload,
                             const std::string& tvan_tax_code) {
  for (size_t i = 0; i < workload.seller_tax_codes().size(); ++i) {
    const std::string& tax_code = workload.seller_tax_codes()[i];
    v1::RegisterSellerRequest request;
    request.set_tax_code(tax_code);
    request.set_name(absl::StrCat("Công ty TNHH Thử Nghiệm Tải ", tax_code));
    request.set_tvan_tax_code(tvan_tax_code);
    if (std::string der = workload.seller_certificate_der(i); !der.empty()) {
      request.add_certificates_der(std::move(der));
    }
    absl::StatusOr<v1::Seller> seller = client.RegisterSeller(request);
    if (!seller.ok()) {
      return absl::Status(seller.status().code(),
                          absl::StrCat("registering seller ", tax_code, ": ",
                                       seller.status().message()));
    }
  }
  return absl::OkStatus();
}

// "" if `invoice.coded_xml()` is a coded invoice whose seller signature verifies, whose
// MCCQT is the invoice's authority code and whose authority signature verifies under
// `options`' trusted keys; else what is wrong.
std::string CheckCodedXml(const v1::AuthenticatedInvoice& invoice,
                          const XmlVerifyOptions& options) {
  absl::StatusOr<XmlVerifyReport> report = VerifyInvoiceXml(invoice.coded_xml(), options);
  if (!report.ok()) {
    return absl::StrCat(invoice.authority_code(), ": coded_xml: ", report.status().ToString());
  }
  if (!report->coded || !report->ok()) {
    return absl::StrCat(invoice.authority_code(), ": coded_xml: ", report->Summary());
  }
  if (report->authority_code != invoice.authority_code()) {
    return absl::StrCat(invoice.authority_code(), ": coded_xml carries MCCQT ",
                        report->authority_code);
  }
  return "";
}

// Fetches every sampled accepted invoice back and verifies it against the published keys
// (and, for XML submissions, its coded XML as well).
VerificationReport Verify(const std::string& target, const Identity& identity,
                          Reservoir& reservoir) {
  VerificationReport report;
  report.accepted = reservoir.offered();
  std::vector<std::shared_ptr<const v1::AuthenticatedInvoice>> sample = reservoir.Take();
  report.sampled = sample.size() < report.accepted;
  if (sample.empty()) return report;
  ClientOptions client_options;
  client_options.timeout = absl::Seconds(30);
  client_options.tls = identity.load;
  std::unique_ptr<EinvoiceClient> client = EinvoiceClient::Create(target, client_options);
  absl::StatusOr<v1::GetSigningKeysResponse> keys_response = client->GetSigningKeys();
  if (!keys_response.ok()) {
    report.failed = sample.size();
    report.problems.push_back(absl::StrCat("GetSigningKeys: ", keys_response.status().ToString()));
    return report;
  }
  const std::vector<v1::SigningKey> keys(keys_response->keys().begin(),
                                         keys_response->keys().end());
  // Coded XML is trusted under the same published keys (certificate or public key).
  XmlVerifyOptions xml_options;
  for (const v1::SigningKey& key : keys) {
    if (!key.certificate_der().empty()) {
      xml_options.authority_certificates_der.push_back(key.certificate_der());
    }
    xml_options.authority_public_keys_der.push_back(key.public_key_der());
  }
  const int threads = 8;
  std::vector<VerificationReport> parts(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      VerificationReport& part = parts[t];
      for (size_t i = t; i < sample.size(); i += threads) {
        const v1::AuthenticatedInvoice& sent = *sample[i];
        absl::StatusOr<v1::AuthenticatedInvoice> stored =
            client->GetInvoiceByCode(sent.authority_code());
        std::string problem;
        if (!stored.ok()) {
          problem = absl::StrCat(sent.authority_code(), ": GetInvoice: ", stored.status().ToString());
        } else if (stored->signed_record() != sent.signed_record() ||
                   stored->signature() != sent.signature() || stored->key_id() != sent.key_id() ||
                   stored->coded_xml() != sent.coded_xml()) {
          problem = absl::StrCat(sent.authority_code(), ": stored record differs from the answer");
        } else {
          InvoiceVerification v = VerifyAuthenticatedInvoice(*stored, keys);
          if (!v.valid) {
            problem = absl::StrCat(sent.authority_code(), ": ",
                                   v.problems.empty() ? "invalid" : v.problems.front());
          } else if (!stored->coded_xml().empty()) {
            problem = CheckCodedXml(*stored, xml_options);
          }
        }
        const bool xml = !sent.coded_xml().empty();
        part.xml_checked += xml;
        if (xml && problem.empty()) ++part.xml_verified;
        ++part.checked;
        if (problem.empty()) {
          ++part.verified;
        } else {
          ++part.failed;
          if (part.problems.size() < 5) part.problems.push_back(problem);
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  for (const VerificationReport& part : parts) {
    report.checked += part.checked;
    report.verified += part.verified;
    report.failed += part.failed;
    report.xml_checked += part.xml_checked;
    report.xml_verified += part.xml_verified;
    for (const std::string& p : part.problems) {
      if (report.problems.size() < 5) report.problems.push_back(p);
    }
  }
  return report;
}

// One full run (setup, prefill, warm-up, measured window) against `target`.
absl::StatusOr<TargetReport> RunAgainst(const std::string& target, const Identity& identity,
                                        int server_pid, bool is_ceiling, uint64_t seed,
                                        bool verify) {
  TargetReport report;
  report.target = target;
  WorkloadOptions workload_options = MakeWorkloadOptions(seed);
  workload_options.reuse_xml = is_ceiling;
  Workload workload(workload_options);
  {
    ClientOptions client_options;
    client_options.timeout = absl::Seconds(30);
    client_options.wait_for_ready = true;
    client_options.tls = identity.setup;
    std::unique_ptr<EinvoiceClient> client = EinvoiceClient::Create(target, client_options);
    absl::Status registered = RegisterSellers(*client, workload, identity.tvan_tax_code);
    if (!registered.ok()) return registered;
  }
  DriverOptions options;
  options.concurrency = std::max(1, absl::GetFlag(FLAGS_concurrency));
  options.rate = absl::GetFlag(FLAGS_rate);
  options.stream = absl::GetFlag(FLAGS_rpc) == "stream";
  options.rpc_timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout));
  options.check_outcomes = !is_ceiling;
  Reservoir reservoir(static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_verify_max))));
  LoadDriver driver(MakeChannels(target, std::max(1, absl::GetFlag(FLAGS_channels)),
                                 CredentialsOf(identity.load)),
                    &workload, &reservoir, options);

  const WorkloadOptions& w = MakeWorkloadOptions(seed);
  int64_t prefill = absl::GetFlag(FLAGS_prefill);
  if (prefill < 0) {
    prefill = (w.replay_pct + w.conflict_pct + w.lookup_pct > 0) ? 2000 : 0;
  }
  if (w.xml_pct > 0) {
    int64_t presign = absl::GetFlag(FLAGS_xml_presign);
    if (presign < 0) {
      const double seconds = absl::GetFlag(FLAGS_warmup) + absl::GetFlag(FLAGS_duration);
      const double new_share = std::max(0.0, (100 - w.replay_pct - w.conflict_pct -
                                              w.invalid_pct - w.lookup_pct - w.search_pct) / 100);
      presign = static_cast<int64_t>(
          (static_cast<double>(prefill) + seconds * kPresignRatePerSecond * new_share) *
          w.xml_pct / 100);
      const uint64_t max_requests = absl::GetFlag(FLAGS_requests);
      if (max_requests > 0) presign = std::min<int64_t>(presign, prefill + max_requests);
    }
    // The null server checks nothing: a small pool, cycled, gives the same message sizes.
    if (is_ceiling) presign = std::min<int64_t>(presign, kCeilingXmlPool);
    const absl::Time start = absl::Now();
    RETURN_IF_ERROR(workload.PresignXml(static_cast<uint64_t>(presign),
                                        std::max(1u, std::thread::hardware_concurrency())));
    if (absl::GetFlag(FLAGS_progress)) {
      std::fprintf(stderr, "[%s] %lld XML invoices signed as the sellers in %.1f s\n",
                   is_ceiling ? "ceiling" : "service", static_cast<long long>(presign),
                   absl::ToDoubleSeconds(absl::Now() - start));
    }
  }
  report.prefilled = driver.Prefill(static_cast<uint64_t>(prefill));

  CpuSample server_before, server_after, client_before, client_after;
  driver.on_window_start = [&] {
    server_before = ProcessCpu(server_pid);
    client_before = ProcessCpu(getpid());
  };
  driver.on_window_end = [&] {
    server_after = ProcessCpu(server_pid);
    client_after = ProcessCpu(getpid());
  };
  const bool show_progress = absl::GetFlag(FLAGS_progress);
  const char* label = is_ceiling ? "ceiling" : "service";
  PhaseResult result = driver.Run(
      absl::Seconds(absl::GetFlag(FLAGS_warmup)), absl::Seconds(absl::GetFlag(FLAGS_duration)),
      absl::GetFlag(FLAGS_requests),
      [&](const char* phase, double seconds, const RunStats::Snapshot& s) {
        if (!show_progress) return;
        const uint64_t errors = [&] {
          uint64_t n = 0;
          for (const auto& [code, count] : s.error_counts) n += count;
          return n;
        }();
        std::fprintf(stderr,
                     "[%s %s %5.1fs] %8llu done  %9.0f/s  p50 %7.2f ms  p99 %7.2f ms  "
                     "errors %llu  unexpected %llu\n",
                     label, phase, seconds, static_cast<unsigned long long>(s.completed),
                     seconds > 0 ? static_cast<double>(s.completed) / seconds : 0.0,
                     s.latency.QuantileMs(0.5), s.latency.QuantileMs(0.99),
                     static_cast<unsigned long long>(errors),
                     static_cast<unsigned long long>(s.unexpected));
      });
  report.result = std::move(result);
  if (server_before.valid && server_after.valid) {
    report.server_cpu_seconds = server_after.seconds - server_before.seconds;
  }
  if (client_before.valid && client_after.valid) {
    report.client_cpu_seconds = client_after.seconds - client_before.seconds;
  }
  report.xml_signing = workload.xml_signing_stats();
  if (verify && !is_ceiling) report.verification = Verify(target, identity, reservoir);
  return report;
}

int Main(int argc, char** argv) {
  const std::string target = absl::GetFlag(FLAGS_target);
  if (target.empty()) {
    std::fprintf(stderr, "einvoice-bench: --target=host:port is required\n");
    return 2;
  }
  if (!ScenarioMix(absl::GetFlag(FLAGS_scenario))) {
    std::fprintf(stderr, "einvoice-bench: unknown --scenario=%s\n",
                 absl::GetFlag(FLAGS_scenario).c_str());
    return 2;
  }
  if (absl::GetFlag(FLAGS_rpc) != "unary" && absl::GetFlag(FLAGS_rpc) != "stream") {
    std::fprintf(stderr, "einvoice-bench: --rpc must be unary or stream\n");
    return 2;
  }
  uint64_t seed = absl::GetFlag(FLAGS_seed);
  if (seed == 0) seed = static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())) % 1000000000 + 1;

  RunReport run;
  run.seed = seed;
  run.workload = MakeWorkloadOptions(seed);
  run.scenario = absl::GetFlag(FLAGS_scenario);
  run.rpc = absl::GetFlag(FLAGS_rpc);
  run.concurrency = absl::GetFlag(FLAGS_concurrency);
  run.channels = absl::GetFlag(FLAGS_channels);
  run.rate = absl::GetFlag(FLAGS_rate);
  run.duration_s = absl::GetFlag(FLAGS_duration);
  run.warmup_s = absl::GetFlag(FLAGS_warmup);
  run.machine = DescribeMachine();

  absl::StatusOr<Identity> identity = LoadIdentity();
  if (!identity.ok()) {
    std::fprintf(stderr, "einvoice-bench: %s\n", identity.status().ToString().c_str());
    return 2;
  }
  if (identity->load.has_value() && absl::GetFlag(FLAGS_ceiling)) {
    std::fprintf(stderr, "einvoice-bench: --ceiling runs a plaintext null server: compare TLS "
                         "with a plaintext run of the service instead (benchmarks/README.md)\n");
    return 2;
  }
  run.tls = identity->load.has_value();

  int server_pid = absl::GetFlag(FLAGS_server_pid);
  if (server_pid == 0) server_pid = FindListeningPid(target);

  absl::StatusOr<TargetReport> service = RunAgainst(
      target, *identity, server_pid, false, seed, absl::GetFlag(FLAGS_verify_max) > 0);
  if (!service.ok()) {
    std::fprintf(stderr, "einvoice-bench: %s\n", service.status().ToString().c_str());
    return 1;
  }
  run.service = *std::move(service);

  if (absl::GetFlag(FLAGS_ceiling)) {
    std::string path = absl::GetFlag(FLAGS_null_server);
    if (path.empty()) {
      path = (std::filesystem::path(argv[0]).parent_path() / "einvoice-null-server").string();
    }
    absl::StatusOr<ChildServer> child = StartChildServer({path, "--listen=127.0.0.1:0"});
    if (!child.ok()) {
      std::fprintf(stderr, "einvoice-bench: null server: %s\n", child.status().ToString().c_str());
      return 1;
    }
    absl::StatusOr<TargetReport> ceiling =
        RunAgainst(child->address, Identity(), child->pid, true, seed + 1, false);
    StopChildServer(*child);
    if (!ceiling.ok()) {
      std::fprintf(stderr, "einvoice-bench: ceiling: %s\n", ceiling.status().ToString().c_str());
      return 1;
    }
    run.ceiling = *std::move(ceiling);
  }

  if (absl::GetFlag(FLAGS_json)) {
    std::printf("%s\n", ToJson(run).c_str());
  } else {
    std::printf("%s", ToTable(run).c_str());
  }
  // Exit status: 0 unless accepted invoices failed verification or answers were wrong.
  const bool bad = run.service.verification.failed > 0 || run.service.result.stats.unexpected > 0;
  return bad ? 3 : 0;
}

}  // namespace
}  // namespace einvoice::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "load generator for einvoiced.\n  einvoice-bench --target=127.0.0.1:PORT --concurrency=64 "
      "--duration=10 [--rate=R] [--rpc=stream] [--scenario=mixed|xml] [--xml_pct=P] [--ceiling] "
      "[--json]");
  absl::ParseCommandLine(argc, argv);
  return einvoice::bench::Main(argc, argv);
}
