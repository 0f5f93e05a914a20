// einvoiced: the e-invoice authentication server.
//
//   einvoiced --listen=127.0.0.1:50051 --data_dir=data
//
// With no other flags it keeps RocksDB and a SoftHSM2 token under --data_dir, initialising the
// token and an authority signing key on first start, and serves plaintext on loopback only,
// treating every caller as the local operator (development mode). For real use pass
// --tls_cert_file, --tls_key_file and --client_ca_file (mutual TLS; callers identified by their
// certificates) and --access_policy_file (officers and administrators); docs/security.md.
// For a real HSM pass --noembedded_softhsm, --hsm_module, --hsm_token_label and
// --hsm_pin_file (or EINVOICE_HSM_PIN). Prints "einvoiced listening on HOST:PORT" once
// serving; SIGINT/SIGTERM shut it down gracefully (stop accepting, let calls in flight finish
// for up to --shutdown_grace_seconds, close the database; then "einvoiced stopped" and exit 0);
// SIGHUP reloads the access policy file and prints "einvoiced access policy reloaded" (or
// "... not reloaded": the old one stays).
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "server/access_policy_file.h"
#include "server/rule_profile_file.h"
#include "server/backends.h"
#include "server/grpc_log.h"
#include "server/einvoice_server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve on, host:port. Port 0 picks a free port (printed at start).");
ABSL_FLAG(std::string, data_dir, "data",
          "Directory for the RocksDB store (and the embedded SoftHSM2 token). Created if missing.");
ABSL_FLAG(std::string, hsm_module, "/usr/lib/softhsm/libsofthsm2.so",
          "PKCS#11 module (shared library) holding the authority's signing keys.");
ABSL_FLAG(std::string, hsm_token_label, "einvoice", "Label of the PKCS#11 token to use.");
ABSL_FLAG(std::string, hsm_pin_file, "",
          "File holding the token's user PIN (else $EINVOICE_HSM_PIN; the embedded SoftHSM2 "
          "default keeps its own under --data_dir/hsm). Never pass a PIN on the command line.");
ABSL_FLAG(int, hsm_sessions, 4, "Concurrent PKCS#11 sessions used for signing.");
ABSL_FLAG(bool, hsm_session_key_copies, true,
          "Sign with a session-object copy of each key, made inside the token (C_CopyObject, "
          "still sensitive and non-extractable): saves the module re-reading the token object "
          "on every signature. Tokens that refuse the copy are used directly.");
ABSL_FLAG(std::string, hsm_pin_dir, "",
          "Embedded SoftHSM2 only: the directory of its PIN files. Default: --data_dir/hsm in "
          "development (plaintext) mode; <--data_dir>.secrets, outside the data directory, with "
          "TLS.");
ABSL_FLAG(bool, embedded_softhsm, true,
          "Keep a SoftHSM2 token under --data_dir/hsm, created on first start. Set "
          "--noembedded_softhsm to use a real HSM provisioned separately.");
ABSL_FLAG(bool, create_signing_key, false,
          "If no signing key is active, generate one in the token and activate it (always done "
          "by the embedded SoftHSM2 default).");
ABSL_FLAG(std::string, code_prefix, "00",
          "Issuing-system prefix of authority codes: 2 upper-case hex characters.");
ABSL_FLAG(bool, allow_rsa_sha1, true,
          "Accept sellers' XML signatures made with RSA-SHA1; --noallow_rsa_sha1 refuses them "
          "(violation 20904).");
ABSL_FLAG(std::string, rule_profile, "authority",
          "What each rule does to an invoice that breaks it: \"authority\" (what the real tax "
          "authority enforces: arithmetic only warns), \"strict\" (every rule rejects), or the "
          "path of a JSON profile file (docs/violations.md).");
ABSL_FLAG(int, submit_threads, 16,
          "Threads validating and signing submissions (they never wait for the disk).");
ABSL_FLAG(int, query_threads, 8, "Threads processing lookups, searches and registry calls.");
ABSL_FLAG(int, max_queued, 8192,
          "Requests queued per thread pool before answering RESOURCE_EXHAUSTED.");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain of the server. With --tls_key_file and --client_ca_file: serve "
          "mutual TLS (TLS 1.2+, client certificates required). Without: plaintext, loopback "
          "only, every caller the local operator (development mode).");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, client_ca_file, "",
          "PEM bundle of the CAs that issue client certificates (taxpayers, T-VANs, officers, "
          "administrators).");
ABSL_FLAG(std::string, access_policy_file, "",
          "JSON {\"admins\": [FP...], \"officers\": [FP...]}, FP = lower-case hex SHA-256 of a "
          "client certificate's DER. Reloaded on SIGHUP (a malformed file keeps the old policy).");
ABSL_FLAG(double, caller_rate, 500,
          "Requests a second one client certificate may make (every rpc, every request of a "
          "stream), after a burst of --caller_burst; 0 = no limit. Not applied in development "
          "mode (the local operator).");
ABSL_FLAG(double, caller_burst, 5000, "Requests one certificate may make at once, saved up.");
ABSL_FLAG(int, memory_quota_mb, 1024,
          "Memory gRPC may use for this server's connections and calls; past it new calls are "
          "RESOURCE_EXHAUSTED. 0 = unbounded.");
ABSL_FLAG(int, max_concurrent_streams, 100, "Calls one connection may have open at once.");
ABSL_FLAG(int, stream_max_unwritten_mb, 16,
          "Per SubmitInvoices stream: MiB of answers the client has not taken before the server "
          "stops reading it.");
ABSL_FLAG(int, stream_max_outstanding, 128,
          "Per SubmitInvoices stream: requests in flight before the server stops reading.");
ABSL_FLAG(int, grpc_log_lines_per_minute, 60,
          "gRPC's own log lines (failed handshakes, malformed HTTP/2, ...) let through per "
          "minute; the rest are counted, not written.");
ABSL_FLAG(int, min_free_disk_mb, 256,
          "Submissions and registry changes are refused (UNAVAILABLE) while the data directory's "
          "file system has less free space, and accepted again once it has more.");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "On SIGTERM/SIGINT: how long calls in flight may take to finish before they are "
          "cancelled (docs/operations.md).");

namespace einvoice {
namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "einvoiced: %s\n", std::string(status.message()).c_str());
  return 1;
}

absl::StatusOr<std::string> ResolvePin() {
  if (const std::string file = absl::GetFlag(FLAGS_hsm_pin_file); !file.empty()) {
    return ReadPinFile(file);
  }
  if (const char* pin = std::getenv("EINVOICE_HSM_PIN"); pin != nullptr) {
    std::string value(pin);
    unsetenv("EINVOICE_HSM_PIN");  // not left in /proc/<pid>/environ for the process's life
    return value;
  }
  return std::string();
}

absl::StatusOr<std::string> ReadSmallFile(const std::string& flag, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("--", flag, ": cannot read ", path));
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// The TLS material named by the flags: all three, or none (development mode).
absl::StatusOr<std::optional<TlsMaterial>> ResolveTls() {
  const std::string cert = absl::GetFlag(FLAGS_tls_cert_file);
  const std::string key = absl::GetFlag(FLAGS_tls_key_file);
  const std::string ca = absl::GetFlag(FLAGS_client_ca_file);
  if (cert.empty() && key.empty() && ca.empty()) return std::optional<TlsMaterial>();
  if (cert.empty() || key.empty() || ca.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert_file, --tls_key_file and --client_ca_file go together");
  }
  TlsMaterial tls;
  ASSIGN_OR_RETURN(tls.certificate_chain, ReadSmallFile("tls_cert_file", cert));
  ASSIGN_OR_RETURN(tls.private_key, ReadSmallFile("tls_key_file", key));
  ASSIGN_OR_RETURN(tls.client_ca_bundle, ReadSmallFile("client_ca_file", ca));
  return std::optional<TlsMaterial>(std::move(tls));
}

int Main() {
  // Everything the server writes (the store, the token, PIN files) is its own: 0600 files,
  // 0700 directories.
  umask(077);
  RouteGrpcLogs(std::max(1, absl::GetFlag(FLAGS_grpc_log_lines_per_minute)));
  // Block the signals before any thread starts, so only sigwait() sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<std::optional<TlsMaterial>> tls = ResolveTls();
  if (!tls.ok()) return Fail(tls.status());
  const std::string listen = absl::GetFlag(FLAGS_listen);
  if (!tls->has_value() && !IsLoopbackAddress(listen)) {
    // Refused before the data directory or the token is touched.
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        "refusing to serve plaintext on ", listen,
        ": pass --tls_cert_file, --tls_key_file and --client_ca_file, or listen on loopback")));
  }
  const std::string policy_file = absl::GetFlag(FLAGS_access_policy_file);
  AccessPolicy policy;
  if (!policy_file.empty()) {
    absl::StatusOr<AccessPolicy> read = ReadAccessPolicyFile(policy_file);
    if (!read.ok()) return Fail(read.status());
    policy = *std::move(read);
  }

  absl::StatusOr<RuleProfile> rule_profile = LoadRuleProfile(absl::GetFlag(FLAGS_rule_profile));
  if (!rule_profile.ok()) return Fail(rule_profile.status());

  absl::StatusOr<std::string> pin = ResolvePin();
  if (!pin.ok()) return Fail(pin.status());
  BackendOptions backend_options;
  backend_options.data_dir = absl::GetFlag(FLAGS_data_dir);
  backend_options.min_free_disk_bytes =
      static_cast<uint64_t>(std::max(0, absl::GetFlag(FLAGS_min_free_disk_mb))) << 20;
  backend_options.hsm_module = absl::GetFlag(FLAGS_hsm_module);
  backend_options.hsm_token_label = absl::GetFlag(FLAGS_hsm_token_label);
  backend_options.hsm_pin = *pin;
  backend_options.hsm_sessions = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_hsm_sessions)));
  backend_options.hsm_session_key_copies = absl::GetFlag(FLAGS_hsm_session_key_copies);
  backend_options.embedded_softhsm = absl::GetFlag(FLAGS_embedded_softhsm);
  backend_options.pin_dir = absl::GetFlag(FLAGS_hsm_pin_dir);
  if (backend_options.pin_dir.empty() && tls->has_value()) {
    backend_options.pin_dir = absl::StrCat(absl::StripSuffix(backend_options.data_dir, "/"), ".secrets");
  }
  absl::StatusOr<std::unique_ptr<Backends>> backends = OpenBackends(backend_options);
  if (!backends.ok()) return Fail(backends.status());

  ServerOptions options;
  options.listen_address = listen;
  options.tls = *std::move(tls);
  options.access_policy = std::move(policy);

  options.code_prefix = absl::GetFlag(FLAGS_code_prefix);
  options.allow_rsa_sha1 = absl::GetFlag(FLAGS_allow_rsa_sha1);
  options.rule_profile = *rule_profile;
  options.create_signing_key_if_none =
      absl::GetFlag(FLAGS_create_signing_key) || backend_options.embedded_softhsm;
  options.submit_threads = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_submit_threads)));
  options.query_threads = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_query_threads)));
  options.max_queued = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_max_queued)));
  options.stream_max_outstanding =
      static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_stream_max_outstanding)));
  options.stream_max_unwritten_bytes =
      static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_stream_max_unwritten_mb))) << 20;
  options.caller_rate_limit.rate = std::max(0.0, absl::GetFlag(FLAGS_caller_rate));
  options.caller_rate_limit.burst = std::max(1.0, absl::GetFlag(FLAGS_caller_burst));
  options.memory_quota_bytes =
      static_cast<size_t>(std::max(0, absl::GetFlag(FLAGS_memory_quota_mb))) << 20;
  options.max_concurrent_streams_per_connection =
      std::max(1, absl::GetFlag(FLAGS_max_concurrent_streams));
  absl::StatusOr<std::unique_ptr<EinvoiceServer>> server =
      EinvoiceServer::Start(options, (*backends)->view());
  if (!server.ok()) return Fail(server.status());

  std::string host(options.listen_address.substr(0, options.listen_address.rfind(':')));
  if ((*server)->tls()) {
    LogInfo("mutual TLS: client certificates required (CA bundle ",
            absl::GetFlag(FLAGS_client_ca_file), "); access policy: ",
            policy_file.empty() ? "none (no officers or administrators)" : policy_file, " (",
            options.access_policy.admin_count(), " admin(s), ",
            options.access_policy.officer_count(), " officer(s))");
  } else {
    LogWarning("development mode: plaintext on loopback, every caller is the local operator "
               "with every right; pass --tls_cert_file, --tls_key_file and --client_ca_file to "
               "identify callers (docs/security.md)");
  }
  std::printf("einvoiced listening on %s:%d\n", host.c_str(), (*server)->port());
  std::fflush(stdout);
  LogInfo("serving on ", host, ":", (*server)->port(), ", data in ", backend_options.data_dir,
          ", rule profile ", options.rule_profile.name());

  int signal = 0;
  while (true) {
    sigwait(&signals, &signal);
    if (signal != SIGHUP) break;
    if (policy_file.empty()) {
      LogWarning("SIGHUP: no --access_policy_file to reload");
      continue;
    }
    // Logged either way; the stdout line tells scripts (and the end-to-end test) it is done.
    const bool reloaded = ReloadAccessPolicyFile(policy_file, **server).ok();
    std::printf("einvoiced access policy %s\n", reloaded ? "reloaded" : "not reloaded");
    std::fflush(stdout);
  }
  const int grace_seconds = std::max(0, absl::GetFlag(FLAGS_shutdown_grace_seconds));
  LogInfo("signal ", signal, ": shutting down (calls in flight have ", grace_seconds, " s)");
  const absl::Time stopping = absl::Now();
  (*server)->Shutdown(absl::Seconds(grace_seconds));
  server->reset();
  backends->reset();  // closes the database: every acknowledged write is already synced
  LogInfo("stopped in ", absl::FormatDuration(absl::Now() - stopping));
  std::printf("einvoiced stopped\n");
  std::fflush(stdout);
  return 0;
}

}  // namespace
}  // namespace einvoice

int main(int argc, char** argv) {
  // Debian builds Abseil with its debug deadlock detector on: every Mutex lock then takes a
  // global lock and updates a lock graph (1-2 % of the server's CPU under load, perf). The
  // tests keep it on, which is where lock-order bugs are caught.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::FlagsUsageConfig config;
  config.contains_help_flags = [](absl::string_view path) {
    return absl::StrContains(path, "einvoiced");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  absl::SetFlagsUsageConfig(config);
  absl::SetProgramUsageMessage(
      "the e-invoice authentication server.\n  einvoiced --listen=127.0.0.1:50051 "
      "--data_dir=data");
  absl::ParseCommandLine(argc, argv);
  return einvoice::Main();
}
