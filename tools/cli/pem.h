// Certificates for `seller register --cert FILE`: PEM or DER in, X.509 DER out. PEM is decoded
// by hand (base64 between the BEGIN/END lines), so tools need no OpenSSL; the DER is only
// checked to be one well-formed ASN.1 SEQUENCE, not parsed as a certificate (the server does
// that). Pure functions; thread-safe.
#ifndef EINVOICE_TOOLS_CLI_PEM_H_
#define EINVOICE_TOOLS_CLI_PEM_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace einvoice::cli {

// The DER bytes of every "-----BEGIN <label>-----" ... "-----END <label>-----" block in
// `pem`, in order; text outside the blocks is ignored. InvalidArgument if there is no such
// block, a block is not closed, or its base64 does not decode to one ASN.1 SEQUENCE.
// (Encapsulated headers such as "Proc-Type:" are not supported: certificates have none.)
absl::StatusOr<std::vector<std::string>> PemToDer(absl::string_view pem,
                                                  absl::string_view label = "CERTIFICATE");

// The certificates in a file's contents: PEM if it contains "-----BEGIN", else a single DER
// certificate. InvalidArgument if neither.
absl::StatusOr<std::vector<std::string>> CertificatesFromFileContents(absl::string_view contents);

// OK if `der` is exactly one definite-length ASN.1 SEQUENCE (tag 0x30) with nothing after it.
absl::Status CheckDerSequence(absl::string_view der);

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_PEM_H_
