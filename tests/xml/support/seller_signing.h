// Seller-side test material: signs an HDon the way sellers' invoicing software does
// (domain brief §3): an XMLDSig in DSCKS/NBan with references to #<DLHDon Id> (enveloped
// transform) and to its own Object holding SigningTime, inclusive C14N 1.0, the certificate in
// KeyInfo/X509Data. Signs with xmlsec1 and a software key — an implementation independent of
// the authority-side code in xml/coded_invoice.cc. TESTS ONLY.
//
// Thread-safe (no shared state besides xmlsec's one-time initialisation).
#ifndef EINVOICE_TESTS_XML_SUPPORT_SELLER_SIGNING_H_
#define EINVOICE_TESTS_XML_SUPPORT_SELLER_SIGNING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "einvoice/v1/invoice.pb.h"
#include "tests/xml/support/test_pki.h"

namespace einvoice::testing {

struct SellerSignOptions {
  // SigningTime written into the signature's Object (Vietnam local time, no offset).
  absl::Time signing_time = absl::FromCivil(absl::CivilSecond(2026, 11, 20, 10, 0, 0),
                                            absl::FixedTimeZone(7 * 3600));
  // RSA keys: RSA-SHA1 with SHA-1 digests instead of RSA-SHA256 / SHA-256.
  bool rsa_sha1 = false;
  // False: leave the SigningTime Object unreferenced (an incomplete signature).
  bool reference_signing_time = true;
};

// `unsigned_hdon_xml` (with an empty <NBan/> in DSCKS, as InvoiceToXml() writes it) signed by
// `credential`. INTERNAL if xmlsec fails.
absl::StatusOr<std::string> SignAsSeller(absl::string_view unsigned_hdon_xml,
                                         const TestCredential& credential,
                                         const SellerSignOptions& options = {});

// InvoiceToXml(invoice, dlhdon_id) signed by `credential`.
absl::StatusOr<std::string> SignedInvoiceXml(const v1::Invoice& invoice,
                                             const TestCredential& credential,
                                             const SellerSignOptions& options = {},
                                             absl::string_view dlhdon_id = "DLHDon-1");

// A coded invoice laid out exactly like the real authority's (domain brief §3), produced with
// xmlsec1 — independently of BuildCodedInvoiceXml: `MCCQT Id="…"` after DLHDon and
// `DSCKS/CQT/Signature Id="Tct-<32 hex>"`, RSA-SHA256 (the credential should be kRsa3072),
// inclusive C14N 1.0, SHA-256, three references (DLHDon, MCCQT, SigningTime Object) without
// transforms, KeyInfo/X509Data with X509SubjectName and X509Certificate.
absl::StatusOr<std::string> CodeLikeRealAuthority(absl::string_view seller_signed_xml,
                                                  absl::string_view authority_code,
                                                  const TestCredential& authority,
                                                  absl::Time signing_time);

// One invoice of a cash-register message: what the register made and the code it gave it.
struct CashRegisterEntry {
  v1::Invoice invoice;
  std::string code;  // written into the HDon's MCCQT
};

// A 206 `TDiep` (cash-register data) from T-VAN `sender` for seller `tax_code` (TTChung/MST),
// message id `message_id`: DLieu Id="_0123…" holding one HDon per entry (InvoiceToXml with the
// code in MCCQT after DLHDon, empty NBan), signed as a whole by `credential` in
// TDiep/CKSNNT/Signature (references #<DLieu Id> and a SigningTime Object, inclusive C14N,
// RSA-SHA256 / ECDSA-SHA256), as a taxpayer's software does. INTERNAL if xmlsec fails.
absl::StatusOr<std::string> SignedCashRegisterMessage(
    const std::vector<CashRegisterEntry>& entries, const TestCredential& credential,
    absl::string_view sender, absl::string_view tax_code, absl::string_view message_id,
    const SellerSignOptions& options = {});

}  // namespace einvoice::testing

#endif  // EINVOICE_TESTS_XML_SUPPORT_SELLER_SIGNING_H_
