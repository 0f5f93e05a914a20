// Files and JSON for the CLI: reading and writing files, protobuf messages as JSON (the
// protobuf JSON mapping, as `--json` prints them) or binary, and the specific inputs the
// commands take (an AuthenticatedInvoice, a key manifest, an Invoice).
//
// Error codes, chosen for the CLI's exit codes: a file that cannot be read or does not parse
// is InvalidArgument (bad input); a file that cannot be written is Unknown. Messages name the
// file. Pure functions apart from the file system; thread-safe.
#ifndef EINVOICE_TOOLS_CLI_PROTO_IO_H_
#define EINVOICE_TOOLS_CLI_PROTO_IO_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "einvoice/v1/authentication.pb.h"
#include "einvoice/v1/invoice.pb.h"
#include "einvoice/v1/invoice_authority.pb.h"
#include "google/protobuf/message.h"

namespace einvoice::cli {

// The whole file. InvalidArgument "cannot read PATH: reason" on failure.
absl::StatusOr<std::string> ReadFileContents(const std::string& path);

// True if the file at `path` starts (after a BOM and white space) with '<': an XML invoice.
bool LooksLikeXmlFile(const std::string& path);

// Replaces the file's contents. Unknown "cannot write PATH: reason" on failure.
absl::Status WriteFileContents(const std::string& path, absl::string_view contents);

// `message` in the protobuf JSON mapping: lowerCamelCase names, fields with default values
// included, indented, ending in a newline.
std::string ToJson(const google::protobuf::Message& message);

// JSON array of already-rendered JSON documents (each as ToJson() prints it).
std::string JsonArray(const std::vector<std::string>& documents);

// Parses `json` (protobuf JSON mapping, unknown fields rejected) into `message`.
// InvalidArgument with the parser's message on failure.
absl::Status ParseJson(absl::string_view json, google::protobuf::Message* message);

// Parses `contents` as JSON when its first non-blank character is '{' (a binary encoding of
// our messages never starts with that byte), else as binary protobuf.
absl::Status ParseJsonOrBinary(absl::string_view contents, google::protobuf::Message* message);

// An AuthenticatedInvoice from a file holding `einvoice get --json` output or the binary
// message. InvalidArgument if it does not parse or lacks signed_record or signature.
absl::StatusOr<v1::AuthenticatedInvoice> ReadAuthenticatedInvoice(const std::string& path);

// The keys of a key manifest (a GetSigningKeysResponse, as `einvoice keys export` writes it,
// JSON or binary). InvalidArgument if it does not parse or holds no key.
absl::StatusOr<std::vector<v1::SigningKey>> ReadKeyManifest(const std::string& path);

// An Invoice from a JSON file (protobuf JSON mapping).
absl::StatusOr<v1::Invoice> ReadInvoiceJson(const std::string& path);

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_PROTO_IO_H_
