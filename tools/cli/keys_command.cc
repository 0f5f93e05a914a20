// `einvoice keys list` and `einvoice keys export FILE`.
#include "absl/strings/str_cat.h"
#include "tools/cli/command.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/invoice_view.h"
#include "tools/cli/proto_io.h"

namespace einvoice::cli {
namespace {

int RunList(CommandContext& ctx, const ParsedArgs& args) {
  absl::StatusOr<v1::GetSigningKeysResponse> keys = ctx.client().GetSigningKeys();
  if (!keys.ok()) return ctx.Fail(keys.status(), "keys list");
  ctx.out() << (ctx.json() ? ToJson(*keys) : KeysTable(*keys));
  return kExitOk;
}

int RunExport(CommandContext& ctx, const ParsedArgs& args) {
  const std::string& path = args.positionals()[0];
  absl::StatusOr<v1::GetSigningKeysResponse> keys = ctx.client().GetSigningKeys();
  if (!keys.ok()) return ctx.Fail(keys.status(), "keys export");
  if (absl::Status status = WriteFileContents(path, ToJson(*keys)); !status.ok()) {
    return ctx.Fail(status, "keys export");
  }
  if (ctx.json()) {
    ctx.out() << ToJson(*keys);
  } else {
    ctx.out() << "wrote " << keys->keys_size() << (keys->keys_size() == 1 ? " key" : " keys")
              << " to " << path << "\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> KeysCommands() {
  CommandSpec list;
  list.path = {"keys", "list"};
  list.summary = "List the authority's signing keys (active first).";
  list.run = RunList;

  CommandSpec exported;
  exported.path = {"keys", "export"};
  exported.synopsis = "FILE";
  exported.summary = "Write the key manifest used by 'verify --keys' (GetSigningKeysResponse JSON).";
  exported.min_positionals = 1;
  exported.max_positionals = 1;
  exported.run = RunExport;
  return {list, exported};
}

}  // namespace einvoice::cli
