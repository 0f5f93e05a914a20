#include "server/signer_health_monitor.h"

#include "common/logging.h"

namespace einvoice {

SignerHealthMonitor::SignerHealthMonitor(Signer* signer,
                                         grpc::HealthCheckServiceInterface* health,
                                         absl::Duration interval)
    : signer_(signer), health_(health), interval_(interval) {
  (void)CheckNow();  // published; the result is for callers that want it
  thread_ = std::thread([this] { Loop(); });
}

SignerHealthMonitor::~SignerHealthMonitor() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

absl::Status SignerHealthMonitor::CheckNow() {
  const absl::Status status = signer_->Health();
  const bool healthy = status.ok();
  health_->SetServingStatus(healthy);
  health_->SetServingStatus("einvoice.v1.InvoiceAuthority", healthy);
  absl::MutexLock lock(&mu_);
  if (healthy != healthy_) {
    if (healthy) {
      LogInfo("signer is healthy again");
    } else {
      LogError("signer unavailable: ", status.message());
    }
    healthy_ = healthy;
  }
  return status;
}

void SignerHealthMonitor::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      // Wakes early only to stop.
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_);
      if (stopping_) return;
    }
    (void)CheckNow();
  }
}

}  // namespace einvoice
