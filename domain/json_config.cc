#include "domain/json_config.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace einvoice {

absl::Status ParseJsonConfig(absl::string_view json, absl::string_view what,
                             absl::string_view shape, google::protobuf::Message* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), out, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not ", shape, ": ", std::string(parsed.message())));
  }
  return absl::OkStatus();
}

}  // namespace einvoice
