// `einvoice health`: the server's serving status (grpc.health.v1), which follows the signer:
// NOT_SERVING while the HSM is unavailable.
#include "tools/cli/command.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/table.h"

namespace einvoice::cli {
namespace {

int RunHealth(CommandContext& ctx, const ParsedArgs& args) {
  bool all_serving = true;
  Table table({"service", "status"});
  std::string json = "{";
  for (const char* service : {"", "einvoice.v1.InvoiceAuthority"}) {
    auto status = ctx.client().CheckHealth(service);
    if (!status.ok()) return ctx.Fail(status.status(), "health");
    const std::string name = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(*status);
    all_serving = all_serving && *status == grpc::health::v1::HealthCheckResponse::SERVING;
    const std::string label = *service == '\0' ? "(server)" : service;
    table.AddRow({label, name});
    json += std::string(json.size() > 1 ? ", " : "") + "\"" + label + "\": \"" + name + "\"";
  }
  ctx.out() << (ctx.json() ? json + "}\n" : table.Render());
  return all_serving ? kExitOk : kExitUnavailable;
}

}  // namespace

std::vector<CommandSpec> HealthCommands() {
  CommandSpec health;
  health.path = {"health"};
  health.summary = "Is the server serving? (NOT_SERVING while its HSM is unavailable; exit 5)";
  health.run = RunHealth;
  return {health};
}

}  // namespace einvoice::cli
