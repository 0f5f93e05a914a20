#include "tests/xml/support/xmlsec1_cli.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "tests/testing/temp_dir.h"

namespace einvoice::testing {

XmlSec1Result XmlSec1Verify(const std::string& xml, const std::string& node_id,
                            const std::string& trusted_pem, const std::string& verification_time) {
  TempDir dir;
  std::ofstream(dir.Sub("doc.xml"), std::ios::binary) << xml;
  std::ofstream(dir.Sub("trusted.pem")) << trusted_pem;
  const std::string dsig = "http://www.w3.org/2000/09/xmldsig#";
  std::string cmd = absl::StrCat(
      "xmlsec1 --verify --trusted-pem ", dir.Sub("trusted.pem"),
      " --id-attr:Id DLHDon --id-attr:Id MCCQT --id-attr:Id DLTBao --id-attr:Id DLieu",
      " --id-attr:Id ", dsig, ":Signature --id-attr:Id ", dsig, ":Object --node-id ", node_id);
  if (!verification_time.empty()) {
    absl::StrAppend(&cmd, " --verification-time '", verification_time, "'");
  }
  absl::StrAppend(&cmd, " ", dir.Sub("doc.xml"), " > ", dir.Sub("out.txt"), " 2>&1");
  const int rc = std::system(cmd.c_str());
  std::ifstream in(dir.Sub("out.txt"), std::ios::binary);
  return {rc, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())};
}

}  // namespace einvoice::testing
