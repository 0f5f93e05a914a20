// Test support: the xmlsec1 command-line tool as an independent XMLDSig verifier -- what a
// T-VAN or a buyer would run on what the authority sends. Tests only.
#ifndef EINVOICE_TESTS_XML_SUPPORT_XMLSEC1_CLI_H_
#define EINVOICE_TESTS_XML_SUPPORT_XMLSEC1_CLI_H_

#include <string>

namespace einvoice::testing {

struct XmlSec1Result {
  int exit_code;       // 0 when the signature verifies
  std::string output;  // xmlsec1's stdout and stderr
};

// Runs `xmlsec1 --verify` on `xml` for the Signature whose Id is `node_id`, trusting only
// `trusted_pem` (a PEM certificate: the signer's self-signed one, or its CA). The Id attributes
// of DLHDon, MCCQT, DLTBao, DLieu and dsig Signature/Object are registered. A non-empty
// `verification_time` ("YYYY-MM-DD hh:mm:ss") checks the certificate at that time.
XmlSec1Result XmlSec1Verify(const std::string& xml, const std::string& node_id,
                            const std::string& trusted_pem,
                            const std::string& verification_time = "");

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_XML_SUPPORT_XMLSEC1_CLI_H_
