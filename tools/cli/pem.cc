#include "tools/cli/pem.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace einvoice::cli {

absl::Status CheckDerSequence(absl::string_view der) {
  if (der.size() < 2 || static_cast<unsigned char>(der[0]) != 0x30) {
    return absl::InvalidArgumentError("not DER: expected an ASN.1 SEQUENCE (byte 0x30)");
  }
  const unsigned char first = static_cast<unsigned char>(der[1]);
  size_t header = 2;
  size_t length = first;
  if (first & 0x80) {
    const size_t count = first & 0x7F;
    if (count == 0 || count > 4 || der.size() < 2 + count) {
      return absl::InvalidArgumentError("not DER: bad length");
    }
    length = 0;
    for (size_t k = 0; k < count; ++k) {
      length = (length << 8) | static_cast<unsigned char>(der[2 + k]);
    }
    header += count;
  }
  if (header + length != der.size()) {
    return absl::InvalidArgumentError(absl::StrCat("not DER: the SEQUENCE holds ", length,
                                                   " bytes but ", der.size() - header,
                                                   " follow its header"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> PemToDer(absl::string_view pem, absl::string_view label) {
  const std::string begin = absl::StrCat("-----BEGIN ", label, "-----");
  const std::string end = absl::StrCat("-----END ", label, "-----");
  std::vector<std::string> ders;
  size_t pos = 0;
  while ((pos = pem.find(begin, pos)) != absl::string_view::npos) {
    const size_t body_start = pos + begin.size();
    const size_t body_end = pem.find(end, body_start);
    if (body_end == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("PEM block ", ders.size() + 1, ": no \"",
                                                     end, "\" line"));
    }
    std::string base64;
    for (char c : pem.substr(body_start, body_end - body_start)) {
      if (!absl::ascii_isspace(static_cast<unsigned char>(c))) base64 += c;
    }
    std::string der;
    if (base64.empty() || !absl::Base64Unescape(base64, &der)) {
      return absl::InvalidArgumentError(
          absl::StrCat("PEM block ", ders.size() + 1, ": invalid base64"));
    }
    if (absl::Status status = CheckDerSequence(der); !status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("PEM block ", ders.size() + 1, ": ", status.message()));
    }
    ders.push_back(std::move(der));
    pos = body_end + end.size();
  }
  if (ders.empty()) return absl::InvalidArgumentError(absl::StrCat("no \"", begin, "\" block"));
  return ders;
}

absl::StatusOr<std::vector<std::string>> CertificatesFromFileContents(absl::string_view contents) {
  if (contents.find("-----BEGIN") != absl::string_view::npos) return PemToDer(contents);
  if (absl::Status status = CheckDerSequence(contents); !status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("neither PEM nor a DER certificate (", status.message(), ")"));
  }
  return std::vector<std::string>{std::string(contents)};
}

}  // namespace einvoice::cli
