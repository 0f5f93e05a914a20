#include "common/small_file.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace einvoice {

absl::StatusOr<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string contents;
  contents.resize(max_bytes + 1);  // one byte more tells a file that is too big
  file.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  contents.resize(static_cast<size_t>(file.gcount()));
  if (contents.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is larger than ", max_bytes, " bytes"));
  }
  return contents;
}

}  // namespace einvoice
