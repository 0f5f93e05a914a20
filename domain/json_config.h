// ParseJsonConfig: a configuration file's JSON (the access policy, a rule profile) into its
// protobuf message, by the protobuf JSON mapping with unknown keys refused, so a misspelt key
// is an error rather than a setting silently ignored.
//
// Errors: INVALID_ARGUMENT "<what> is not <shape>: <parser's reason>". Thread-safe.
#ifndef EINVOICE_DOMAIN_JSON_CONFIG_H_
#define EINVOICE_DOMAIN_JSON_CONFIG_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace einvoice {

// `what` names the file's kind and `shape` shows what it should look like, for the error.
absl::Status ParseJsonConfig(absl::string_view json, absl::string_view what,
                             absl::string_view shape, google::protobuf::Message* out);

}  // namespace einvoice

#endif  // EINVOICE_DOMAIN_JSON_CONFIG_H_
