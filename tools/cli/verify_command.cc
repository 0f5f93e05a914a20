// `einvoice verify FILE [--keys KEYS_FILE]`: offline verification of an AuthenticatedInvoice.
#include "absl/strings/str_cat.h"
#include "domain/invoice_verifier.h"
#include "google/protobuf/struct.pb.h"
#include "tools/cli/command.h"
#include "tools/cli/exit_codes.h"
#include "tools/cli/invoice_view.h"
#include "tools/cli/proto_io.h"

namespace einvoice::cli {
namespace {

std::string JsonResult(const v1::AuthenticatedInvoice& invoice,
                       const InvoiceVerification& result, const std::string& key_source) {
  google::protobuf::Struct doc;
  auto& fields = *doc.mutable_fields();
  fields["valid"].set_bool_value(result.valid);
  fields["signatureValid"].set_bool_value(result.signature_valid);
  fields["authorityCode"].set_string_value(invoice.authority_code());
  fields["keyId"].set_string_value(invoice.key_id());
  fields["keySource"].set_string_value(key_source);
  google::protobuf::ListValue* problems = fields["problems"].mutable_list_value();
  for (const std::string& problem : result.problems) {
    problems->add_values()->set_string_value(problem);
  }
  return ToJson(doc);
}

int RunVerify(CommandContext& ctx, const ParsedArgs& args) {
  const std::string& path = args.positionals()[0];
  absl::StatusOr<v1::AuthenticatedInvoice> invoice = ReadAuthenticatedInvoice(path);
  if (!invoice.ok()) return ctx.Fail(invoice.status(), "verify");

  std::vector<v1::SigningKey> keys;
  std::string key_source;
  if (std::optional<std::string> keys_file = args.Get("keys")) {
    absl::StatusOr<std::vector<v1::SigningKey>> manifest = ReadKeyManifest(*keys_file);
    if (!manifest.ok()) return ctx.Fail(manifest.status(), "verify: --keys");
    keys = *std::move(manifest);
    key_source = absl::StrCat("file ", *keys_file);
  } else {
    absl::StatusOr<v1::GetSigningKeysResponse> response = ctx.client().GetSigningKeys();
    if (!response.ok()) return ctx.Fail(response.status(), "verify: fetching the signing keys");
    keys.assign(response->keys().begin(), response->keys().end());
    key_source = absl::StrCat("server ", ctx.options().server);
  }

  const InvoiceVerification result = VerifyAuthenticatedInvoice(*invoice, keys);
  if (ctx.json()) {
    ctx.out() << JsonResult(*invoice, result, key_source);
    return result.valid ? kExitOk : kExitVerificationFailed;
  }
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Result", result.valid ? "VALID: signed by the tax authority, record intact"
                              : "INVALID: do not trust this invoice"},
      {"Authority code", invoice->authority_code()},
      {"Issued at", FormatTimestamp(invoice->issued_at(), invoice->has_issued_at())},
      {"Signing key", invoice->key_id()},
      {"Signature", result.signature_valid ? "verifies" : "DOES NOT VERIFY"},
  };
  if (result.record.has_invoice()) {
    const v1::Invoice& inv = result.record.invoice();
    rows.push_back({"Invoice", absl::StrCat(InvoiceLabel(inv), " of ", inv.issue_date(),
                                            ", seller ", inv.seller().tax_code())});
  }
  rows.push_back({"Keys from", key_source});
  ctx.out() << RenderKeyValues(rows);
  if (!result.valid) {
    ctx.out() << "Failed checks:\n";
    for (const std::string& problem : result.problems) ctx.out() << "  - " << problem << "\n";
    if (result.problems.empty()) ctx.out() << "  - (no detail given)\n";
  }
  return result.valid ? kExitOk : kExitVerificationFailed;
}

}  // namespace

std::vector<CommandSpec> VerifyCommands() {
  CommandSpec verify;
  verify.path = {"verify"};
  verify.synopsis = "FILE [--keys KEYS_FILE]";
  verify.summary = "Check offline that an authenticated invoice is genuine.";
  verify.details =
      "FILE holds an AuthenticatedInvoice: the JSON 'einvoice get --json' prints, or the\n"
      "binary protobuf. The authority's public keys come from the server (one GetSigningKeys\n"
      "call) or, with --keys, from a manifest written by 'einvoice keys export' (no network).\n"
      "Checks: the signed record parses and is self-consistent, the envelope agrees with it,\n"
      "the key is known and was active at issued_at, and the ECDSA signature verifies.\n"
      "Exit 0 when genuine, 4 when a check failed (each failed check is listed).";
  verify.options = {
      {"keys", "KEYS_FILE", "key manifest (GetSigningKeysResponse JSON); no network"},
  };
  verify.min_positionals = 1;
  verify.max_positionals = 1;
  verify.run = RunVerify;
  return {verify};
}

}  // namespace einvoice::cli
