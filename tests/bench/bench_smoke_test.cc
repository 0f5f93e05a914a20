// Smoke test of the benchmark harness, so it cannot rot: starts the real einvoiced on
// 127.0.0.1:0 in a temp dir, runs einvoice-bench against it for a few seconds with a mixed
// workload (30 % of the new invoices as seller-signed XML, some presigned, the rest signed
// inline), --ceiling and --json, and checks the report has its keys, that answers were what
// was sent for (XML ones accepted with a coded XML), and that accepted invoices, XML ones
// included, were fetched back and verified. Then a shorter run over mutual TLS (certificates
// from scripts/dev-pki.sh, the load sent as a T-VAN, the sellers registered by an officer):
// the harness's TLS flags work and every answer is still the expected one. No targets are
// asserted.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmarks/process_util.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace {

int failures = 0;

void Check(bool condition, const std::string& what) {
  if (!condition) {
    std::fprintf(stderr, "FAILED: %s\n", what.c_str());
    ++failures;
  }
}

const google::protobuf::Value* Field(const google::protobuf::Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? nullptr : &it->second;
}

double Number(const google::protobuf::Struct& s, const std::string& key) {
  const google::protobuf::Value* v = Field(s, key);
  return v != nullptr && v->has_number_value() ? v->number_value() : -1;
}

std::string ReadAll(const std::string& path) {
  std::string out;
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
    std::fclose(f);
  }
  return out;
}

// A short mixed run over mutual TLS.
void TlsRound(const std::string& dir) {
  const std::string pki = absl::StrCat(dir, "/pki");
  const int made = std::system(absl::StrCat("bash ", DEV_PKI_SCRIPT, " ", pki, " >&2").c_str());
  Check(WIFEXITED(made) && WEXITSTATUS(made) == 0, "scripts/dev-pki.sh");
  absl::StatusOr<einvoice::bench::ChildServer> server = einvoice::bench::StartChildServer(
      {EINVOICED_PATH, "--listen=127.0.0.1:0", absl::StrCat("--data_dir=", dir, "/tls-data"),
       absl::StrCat("--tls_cert_file=", pki, "/server.pem"),
       absl::StrCat("--tls_key_file=", pki, "/server.key"),
       absl::StrCat("--client_ca_file=", pki, "/ca.pem"),
       absl::StrCat("--access_policy_file=", pki, "/policy.json"), "--caller_rate=0"});
  if (!server.ok()) {
    Check(false, absl::StrCat("einvoiced over TLS: ", server.status().ToString()));
    return;
  }
  const std::string out_path = absl::StrCat(dir, "/tls-report.json");
  const int status = std::system(absl::StrCat(
      EINVOICE_BENCH_PATH, " --target=", server->address,
      " --concurrency=8 --channels=2 --duration=1 --warmup=0.3 --sellers=10 --scenario=mixed"
      " --prefill=50 --verify_max=100 --json --progress=false --ca_file=", pki, "/ca.pem",
      " --cert_file=", pki, "/tvan.pem --key_file=", pki, "/tvan.key --setup_cert_file=", pki,
      "/officer.pem --setup_key_file=", pki, "/officer.key > ", out_path).c_str());
  einvoice::bench::StopChildServer(*server);
  Check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
        absl::StrCat("einvoice-bench over TLS: exit status ", status));
  const std::string json = ReadAll(out_path);
  std::fprintf(stderr, "%s\n", json.c_str());
  google::protobuf::Struct report;
  Check(google::protobuf::util::JsonStringToMessage(json, &report).ok(), "TLS report is JSON");
  const google::protobuf::Value* transport = Field(report, "transport");
  Check(transport != nullptr && transport->string_value() == "mtls", "transport is mtls");
  Check(Number(report, "throughput_per_s") > 0, "TLS throughput_per_s > 0");
  Check(Number(report, "unexpected_outcomes") == 0, "no unexpected outcomes over TLS");
  if (const auto* v = Field(report, "verification"); v && v->has_struct_value()) {
    Check(Number(v->struct_value(), "verified") > 0, "some invoices verified over TLS");
    Check(Number(v->struct_value(), "verified") == Number(v->struct_value(), "checked"),
          "every checked invoice verified over TLS");
  } else {
    Check(false, "TLS verification is an object");
  }
}

// Cash-register batches of 1000 invoices (--scenario=cash-register): each batch one op, every
// invoice of it received; also against the null server (the ceiling).
void CashRegisterRound(const std::string& dir) {
  absl::StatusOr<einvoice::bench::ChildServer> server = einvoice::bench::StartChildServer(
      {EINVOICED_PATH, "--listen=127.0.0.1:0", absl::StrCat("--data_dir=", dir, "/cash-data")});
  if (!server.ok()) {
    Check(false, absl::StrCat("einvoiced: ", server.status().ToString()));
    return;
  }
  const std::string out_path = absl::StrCat(dir, "/cash-report.json");
  const int status = std::system(absl::StrCat(
      EINVOICE_BENCH_PATH, " --target=", server->address,
      " --concurrency=2 --channels=1 --duration=1 --warmup=0.2 --sellers=4"
      " --scenario=cash-register --cash_register_batch=1000 --prefill=10 --verify_max=10"
      " --ceiling --json --progress=false --null_server=", EINVOICE_NULL_SERVER_PATH, " > ",
      out_path).c_str());
  einvoice::bench::StopChildServer(*server);
  Check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
        absl::StrCat("einvoice-bench cash-register: exit status ", status));
  const std::string json = ReadAll(out_path);
  std::fprintf(stderr, "%s\n", json.c_str());
  google::protobuf::Struct report;
  Check(google::protobuf::util::JsonStringToMessage(json, &report).ok(), "cash report is JSON");
  Check(Number(report, "unexpected_outcomes") == 0, "no unexpected cash-register outcomes");
  const google::protobuf::Value* by_kind = Field(report, "by_kind");
  const google::protobuf::Value* cash =
      by_kind != nullptr && by_kind->has_struct_value()
          ? Field(by_kind->struct_value(), "cash-register")
          : nullptr;
  if (cash != nullptr && cash->has_struct_value()) {
    Check(Number(cash->struct_value(), "expected") > 0, "1000-invoice batches received");
    Check(Number(cash->struct_value(), "unexpected") == 0, "no unexpected batch answers");
    Check(Number(cash->struct_value(), "errors") == 0, "no batch errors");
  } else {
    Check(false, "by_kind.cash-register is an object");
  }
}

}  // namespace

int main() {
  char pattern[] = "/tmp/bench_smoke.XXXXXX";
  const char* dir = mkdtemp(pattern);
  if (dir == nullptr) return 1;
  const std::string data_dir = absl::StrCat(dir, "/data");

  absl::StatusOr<einvoice::bench::ChildServer> server = einvoice::bench::StartChildServer(
      {EINVOICED_PATH, "--listen=127.0.0.1:0", absl::StrCat("--data_dir=", data_dir)});
  if (!server.ok()) {
    std::fprintf(stderr, "FAILED: einvoiced: %s\n", server.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "einvoiced at %s\n", server->address.c_str());

  const std::string out_path = absl::StrCat(dir, "/report.json");
  const std::string command = absl::StrCat(
      EINVOICE_BENCH_PATH, " --target=", server->address,
      " --concurrency=16 --channels=2 --duration=2 --warmup=0.5 --sellers=20 --scenario=mixed"
      " --prefill=200 --verify_max=500 --xml_pct=30 --xml_presign=150 --ceiling --json"
      " --null_server=",
      EINVOICE_NULL_SERVER_PATH, " > ", out_path);
  const int status = std::system(command.c_str());
  einvoice::bench::StopChildServer(*server);
  Check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
        absl::StrCat("einvoice-bench exit status ", status));

  std::string json;
  if (FILE* f = std::fopen(out_path.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) json.append(buffer, n);
    std::fclose(f);
  }
  std::fprintf(stderr, "%s\n", json.c_str());
  google::protobuf::Struct report;
  Check(google::protobuf::util::JsonStringToMessage(json, &report).ok(), "report is JSON");

  for (const char* key : {"throughput_per_s", "latency_ms", "errors", "ceiling_throughput_per_s",
                          "ratio_of_ceiling", "verification", "by_kind", "status_counts",
                          "xml_signing"}) {
    Check(Field(report, key) != nullptr, absl::StrCat("key ", key));
  }
  Check(Number(report, "throughput_per_s") > 0, "throughput_per_s > 0");
  Check(Number(report, "ceiling_throughput_per_s") > 0, "ceiling_throughput_per_s > 0");
  if (const auto* latency = Field(report, "latency_ms"); latency && latency->has_struct_value()) {
    for (const char* q : {"p50", "p99", "p999"}) {
      Check(Number(latency->struct_value(), q) > 0, absl::StrCat("latency_ms.", q, " > 0"));
    }
  } else {
    Check(false, "latency_ms is an object");
  }
  Check(Number(report, "unexpected_outcomes") == 0, "no unexpected outcomes");
  if (const auto* v = Field(report, "verification"); v && v->has_struct_value()) {
    Check(Number(v->struct_value(), "verified") > 0, "some accepted invoices verified");
    Check(Number(v->struct_value(), "failed") == 0, "no verification failures");
    Check(Number(v->struct_value(), "verified") == Number(v->struct_value(), "checked"),
          "every checked invoice verified");
    Check(Number(v->struct_value(), "xml_verified") > 0, "some XML invoices' coded XML verified");
    Check(Number(v->struct_value(), "xml_verified") == Number(v->struct_value(), "xml_checked"),
          "every checked XML invoice verified");
  } else {
    Check(false, "verification is an object");
  }
  const google::protobuf::Value* by_kind = Field(report, "by_kind");
  const google::protobuf::Value* xml =
      by_kind != nullptr && by_kind->has_struct_value() ? Field(by_kind->struct_value(), "xml")
                                                         : nullptr;
  if (xml != nullptr && xml->has_struct_value()) {
    Check(Number(xml->struct_value(), "expected") > 0, "XML submissions accepted");
    Check(Number(xml->struct_value(), "unexpected") == 0, "no unexpected XML answers");
    Check(Number(xml->struct_value(), "errors") == 0, "no XML errors");
  } else {
    Check(false, "by_kind.xml is an object");
  }

  TlsRound(dir);
  CashRegisterRound(dir);

  std::filesystem::remove_all(dir);
  if (failures == 0) {
    std::printf("bench smoke: 1 passed, 0 failed\n");
    return 0;
  }
  std::printf("bench smoke: 0 passed, 1 failed\n");
  return 1;
}
