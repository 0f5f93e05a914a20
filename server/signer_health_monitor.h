// SignerHealthMonitor: asks the signer whether it can sign, every `interval`, and publishes
// the answer through gRPC's standard health service (grpc.health.v1): the whole server and
// "einvoice.v1.InvoiceAuthority" are SERVING while the signer is healthy and NOT_SERVING
// during an HSM outage. Each check may make the signer reconnect, so the service recovers by
// itself when the HSM is back even with no traffic. State changes are logged.
//
// Thread-safety: owns one background thread; the destructor stops and joins it.
#ifndef EINVOICE_SERVER_SIGNER_HEALTH_MONITOR_H_
#define EINVOICE_SERVER_SIGNER_HEALTH_MONITOR_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/health_check_service_interface.h"
#include "signer/signer.h"

namespace einvoice {

class SignerHealthMonitor {
 public:
  // REQUIRES: `signer` and `health` outlive the monitor.
  SignerHealthMonitor(Signer* signer, grpc::HealthCheckServiceInterface* health,
                      absl::Duration interval);
  ~SignerHealthMonitor();

  // Runs one check now and publishes it; returns the signer's status.
  absl::Status CheckNow();

 private:
  void Loop();

  Signer* const signer_;
  grpc::HealthCheckServiceInterface* const health_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool healthy_ ABSL_GUARDED_BY(mu_) = true;
  std::thread thread_;
};

}  // namespace einvoice

#endif  // EINVOICE_SERVER_SIGNER_HEALTH_MONITOR_H_
