// `einvoice keys list|generate|activate|retire|export`: the authority's signing-key
// lifecycle (AuthorityAdmin rpcs) and the public key manifest for offline verification.
#include "absl/strings/str_cat.h"
#include "tools/cli/command.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/invoice_view.h"
#include "tools/cli/pem.h"
#include "tools/cli/proto_io.h"

namespace einvoice::cli {
namespace {

int RunList(CommandContext& ctx, const ParsedArgs& args) {
  absl::StatusOr<v1::ListSigningKeysResponse> keys = ctx.client().ListSigningKeys();
  if (!keys.ok()) return ctx.Fail(keys.status(), "keys list");
  ctx.out() << (ctx.json() ? ToJson(*keys) : KeysTable(*keys));
  return kExitOk;
}

// Prints one key after a lifecycle change.
int PrintKey(CommandContext& ctx, const absl::StatusOr<v1::SigningKey>& key,
             absl::string_view what) {
  if (!key.ok()) return ctx.Fail(key.status(), absl::StrCat("keys ", what));
  if (ctx.json()) {
    ctx.out() << ToJson(*key);
  } else {
    v1::ListSigningKeysResponse one;
    *one.add_keys() = *key;
    ctx.out() << KeysTable(one);
  }
  return kExitOk;
}

int RunGenerate(CommandContext& ctx, const ParsedArgs& args) {
  return PrintKey(ctx, ctx.client().GenerateSigningKey(args.GetOr("algorithm", "")), "generate");
}

int RunActivate(CommandContext& ctx, const ParsedArgs& args) {
  return PrintKey(ctx, ctx.client().ActivateSigningKey(args.positionals()[0]), "activate");
}

int RunRetire(CommandContext& ctx, const ParsedArgs& args) {
  return PrintKey(ctx, ctx.client().RetireSigningKey(args.positionals()[0]), "retire");
}

int RunImportCertificate(CommandContext& ctx, const ParsedArgs& args) {
  absl::StatusOr<std::string> contents = ReadFileContents(args.positionals()[1]);
  if (!contents.ok()) return ctx.Fail(contents.status(), "keys import-cert");
  absl::StatusOr<std::vector<std::string>> certificates = CertificatesFromFileContents(*contents);
  if (!certificates.ok()) return ctx.Fail(certificates.status(), "keys import-cert");
  if (certificates->size() != 1) {
    return ctx.UsageError("the file must hold exactly one certificate (the key's own)");
  }
  return PrintKey(ctx,
                  ctx.client().ImportSigningKeyCertificate(args.positionals()[0],
                                                           certificates->front()),
                  "import-cert");
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
  list.summary = "List every signing key: active, pending and retired.";
  list.run = RunList;

  CommandSpec generate;
  generate.path = {"keys", "generate"};
  generate.synopsis = "[--algorithm ECDSA_P256_SHA256]";
  generate.summary = "Generate a key pair inside the HSM; it stays pending until activated.";
  generate.options = {{"algorithm", "NAME",
                       "ECDSA_P256_SHA256 (default), RSA_3072_SHA256 or ED25519"}};
  generate.run = RunGenerate;

  CommandSpec activate;
  activate.path = {"keys", "activate"};
  activate.synopsis = "KEY_ID";
  activate.summary = "Sign new invoices with KEY_ID; the previously active key is retired.";
  activate.min_positionals = 1;
  activate.max_positionals = 1;
  activate.run = RunActivate;

  CommandSpec retire;
  retire.path = {"keys", "retire"};
  retire.synopsis = "KEY_ID";
  retire.summary = "Retire a key that is not active; it never signs again but stays published.";
  retire.min_positionals = 1;
  retire.max_positionals = 1;
  retire.run = RunRetire;

  CommandSpec import_cert;
  import_cert.path = {"keys", "import-cert"};
  import_cert.synopsis = "KEY_ID CERT_FILE";
  import_cert.summary = "Replace a key's self-signed certificate with a CA-issued one (PEM or DER).";
  import_cert.min_positionals = 2;
  import_cert.max_positionals = 2;
  import_cert.run = RunImportCertificate;

  CommandSpec exported;
  exported.path = {"keys", "export"};
  exported.synopsis = "FILE";
  exported.summary = "Write the key manifest used by 'verify --keys' (GetSigningKeysResponse JSON).";
  exported.min_positionals = 1;
  exported.max_positionals = 1;
  exported.run = RunExport;
  return {list, generate, activate, retire, import_cert, exported};
}

}  // namespace einvoice::cli
