#include "tools/cli/proto_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace einvoice::cli {
namespace {

absl::Status InFile(const std::string& path, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(path, ": ", status.message()));
}

}  // namespace

absl::StatusOr<std::string> ReadFileContents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  return contents.str();
}

absl::Status WriteFileContents(const std::string& path, absl::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnknownError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out) return absl::UnknownError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string json;
  // Printing a valid in-memory message cannot fail (no Any with unknown types is used).
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}\n";
  if (json.empty() || json.back() != '\n') json += '\n';
  return json;
}

std::string JsonArray(const std::vector<std::string>& documents) {
  if (documents.empty()) return "[]\n";
  std::vector<std::string> trimmed;
  for (const std::string& doc : documents) {
    trimmed.emplace_back(absl::StripTrailingAsciiWhitespace(doc));
  }
  return absl::StrCat("[\n", absl::StrJoin(trimmed, ",\n"), "\n]\n");
}

absl::Status ParseJson(absl::string_view json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not valid JSON for ", message->GetDescriptor()->full_name(), ": ",
                     status.message().ToString()));
  }
  return absl::OkStatus();
}

absl::Status ParseJsonOrBinary(absl::string_view contents, google::protobuf::Message* message) {
  absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(contents);
  if (!trimmed.empty() && trimmed.front() == '{') return ParseJson(contents, message);
  if (!message->ParseFromArray(contents.data(), static_cast<int>(contents.size()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "neither JSON nor a binary ", message->GetDescriptor()->full_name()));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::AuthenticatedInvoice> ReadAuthenticatedInvoice(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFileContents(path);
  if (!contents.ok()) return contents.status();
  v1::AuthenticatedInvoice invoice;
  if (absl::Status status = ParseJsonOrBinary(*contents, &invoice); !status.ok()) {
    return InFile(path, status);
  }
  if (invoice.signed_record().empty() || invoice.signature().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": not an authenticated invoice (no signedRecord or no signature)"));
  }
  return invoice;
}

absl::StatusOr<std::vector<v1::SigningKey>> ReadKeyManifest(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFileContents(path);
  if (!contents.ok()) return contents.status();
  v1::GetSigningKeysResponse manifest;
  if (absl::Status status = ParseJsonOrBinary(*contents, &manifest); !status.ok()) {
    return InFile(path, status);
  }
  if (manifest.keys().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": the key manifest holds no key"));
  }
  return std::vector<v1::SigningKey>(manifest.keys().begin(), manifest.keys().end());
}

absl::StatusOr<v1::Invoice> ReadInvoiceJson(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFileContents(path);
  if (!contents.ok()) return contents.status();
  v1::Invoice invoice;
  if (absl::Status status = ParseJson(*contents, &invoice); !status.ok()) {
    return InFile(path, status);
  }
  return invoice;
}

bool LooksLikeXmlFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFileContents(path);
  if (!contents.ok()) return false;
  absl::string_view text = *contents;
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  text = absl::StripLeadingAsciiWhitespace(text);
  return !text.empty() && text.front() == '<';
}

}  // namespace einvoice::cli
