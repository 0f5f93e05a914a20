// `einvoice verify FILE [--keys KEYS_FILE]`: offline verification of an AuthenticatedInvoice.
#include "absl/strings/str_cat.h"
#include "domain/invoice_verifier.h"
#include "xml/xml_verifier.h"
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

// The authority's keys from --keys (no network) or from the server; `source` says which.
absl::StatusOr<std::vector<v1::SigningKey>> LoadKeys(CommandContext& ctx, const ParsedArgs& args,
                                                    std::string* source) {
  if (std::optional<std::string> keys_file = args.Get("keys")) {
    *source = absl::StrCat("file ", *keys_file);
    return ReadKeyManifest(*keys_file);
  }
  *source = absl::StrCat("server ", ctx.options().server);
  absl::StatusOr<v1::GetSigningKeysResponse> response = ctx.client().GetSigningKeys();
  if (!response.ok()) return response.status();
  return std::vector<v1::SigningKey>(response->keys().begin(), response->keys().end());
}

// An XML invoice: the seller's signature, and when coded, the MCCQT and the authority's
// signature under the authority's certificates (or bare public keys).
int VerifyXml(CommandContext& ctx, const ParsedArgs& args, const std::string& path) {
  absl::StatusOr<std::string> xml = ReadFileContents(path);
  if (!xml.ok()) return ctx.Fail(xml.status(), "verify");
  std::string key_source;
  absl::StatusOr<std::vector<v1::SigningKey>> keys = LoadKeys(ctx, args, &key_source);
  if (!keys.ok()) return ctx.Fail(keys.status(), "verify: the authority's keys");
  XmlVerifyOptions options;
  for (const v1::SigningKey& key : *keys) {
    if (!key.certificate_der().empty()) options.authority_certificates_der.push_back(key.certificate_der());
    options.authority_public_keys_der.push_back(key.public_key_der());
  }
  absl::StatusOr<XmlVerifyReport> report = VerifyInvoiceXml(*xml, options);
  if (!report.ok()) return ctx.Fail(report.status(), "verify");
  if (ctx.json()) {
    google::protobuf::Struct doc;
    auto& fields = *doc.mutable_fields();
    fields["valid"].set_bool_value(report->ok());
    fields["sellerSignatureValid"].set_bool_value(report->seller_signature_valid);
    fields["coded"].set_bool_value(report->coded);
    fields["authorityCode"].set_string_value(report->authority_code);
    fields["authoritySignatureValid"].set_bool_value(report->authority_signature_valid);
    fields["keySource"].set_string_value(key_source);
    fields["summary"].set_string_value(report->Summary());
    ctx.out() << ToJson(doc);
  } else {
    ctx.out() << (report->ok() ? "VALID" : "INVALID") << " (keys from " << key_source << ")\n"
              << report->Summary();
    if (!report->Summary().empty() && report->Summary().back() != '\n') ctx.out() << "\n";
  }
  return report->ok() ? kExitOk : kExitVerificationFailed;
}

int RunVerify(CommandContext& ctx, const ParsedArgs& args) {
  const std::string& path = args.positionals()[0];
  if (LooksLikeXmlFile(path)) return VerifyXml(ctx, args, path);
  absl::StatusOr<v1::AuthenticatedInvoice> invoice = ReadAuthenticatedInvoice(path);
  if (!invoice.ok()) return ctx.Fail(invoice.status(), "verify");

  std::string key_source;
  absl::StatusOr<std::vector<v1::SigningKey>> loaded = LoadKeys(ctx, args, &key_source);
  if (!loaded.ok()) return ctx.Fail(loaded.status(), "verify: the authority's keys");
  const std::vector<v1::SigningKey>& keys = *loaded;

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
      "binary protobuf -- or an XML invoice (QD1450 HDon): then the seller's XMLDSig is checked\n"
      "and, when the invoice is coded, its MCCQT and the authority's XML signature, whoever\n"
      "coded it (our coded_xml or the real authority's layout; its certificate must be one of\n"
      "the keys'). The authority's public keys come from the server (one GetSigningKeys\n"
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
