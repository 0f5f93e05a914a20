// The T-VAN envelope (domain brief §6): parsing a `TDiep` message and building the authority's
// answers — 999 (technical receipt), 202 (the coded invoice) and 204 (notice 01/TB-KTDL: not
// eligible for a code, one `LDo` per error). Pure functions from strings to strings; the
// server's ExchangeMessage rpc wires them to the submit workflow:
//
//   ASSIGN_OR_RETURN(TDiepMessage in, ParseTDiep(request_xml));      // else 999 with an error
//   if (in.header.type != "200") ...                                   // only 200 is coded
//   std::string receipt = BuildReceipt999(in.header, now, {});
//   ... submit in.payload_xml (the HDon) ...
//   coded: BuildCodedInvoice202(in.header, coded_xml, now)
//   rejected: BuildNotEligible204(in.header, {...}, violations, authority_key)
//
// Message layout (every answer):
//   <TDiep><TTChung>
//     <PBan/> <MNGui>TCT</MNGui> <MNNhan>request MNGui</MNNhan> <MLTDiep>999|202|204</MLTDiep>
//     <MTDiep>TCT + 32 upper-case hex</MTDiep> <MTDTChieu>request MTDiep</MTDTChieu>
//     <MST>request MST</MST> <SLuong>1</SLuong>
//   </TTChung><DLieu>…</DLieu></TDiep>
// DLieu: 999 → TBao(MTDiep, MNGui, NNhan, TTTNhan 0 = received / 1 = error, DSLDo/LDo(MLoi,
// MTa)); 202 → the coded HDon as BuildCodedInvoiceXml wrote it; 204 → TBao/DLTBao (PBan, MSo
// "01/TB-KTDL", Ten, MST, TNNT, MGDDTu = request MTDiep, TGNhan, LTBao, invoice identifiers,
// LCMa/DSLDo/LDo(MLoi, MTLoi, HDXLy)) and DSCKS/CQT: the authority's signature over DLTBao.
//
// Thread-safety: thread-safe.
#ifndef EINVOICE_XML_TVAN_ENVELOPE_H_
#define EINVOICE_XML_TVAN_ENVELOPE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "rules/violation.h"
#include "xml/authority_signing_key.h"

namespace einvoice {

// TDiep/TTChung.
struct TDiepHeader {
  std::string version;     // PBan
  std::string sender;      // MNGui
  std::string receiver;    // MNNhan ("TCT" for messages to the authority)
  std::string type;        // MLTDiep: "200" invoice to code, "999", "202", "204", ...
  std::string message_id;  // MTDiep: sender code + 32 hex
  std::string reply_to;    // MTDTChieu: the message answered ("" if none)
  std::string tax_code;    // MST
  std::string count;       // SLuong, as written
};

struct TDiepMessage {
  TDiepHeader header;
  // The first element child of DLieu (an HDon for type 200) as a standalone UTF-8 document
  // (namespaces it uses from the envelope are declared on its root; its own declarations are
  // kept as they are, so its signatures still verify); "" if DLieu is empty.
  std::string payload_xml;
  // Every element child of DLieu, each as such a standalone document (a 206 carries 1..N
  // HDon); payloads.front() == payload_xml.
  std::vector<std::string> payloads;
  // DLieu's Id attribute (what a 206's CKSNNT signature references); "" if none.
  std::string data_id;
};

// Parses a TDiep safely (safe_xml.h). INVALID_ARGUMENT if unreadable, not a TDiep, or TTChung
// lacks MNGui, MLTDiep or MTDiep.
absl::StatusOr<TDiepMessage> ParseTDiep(absl::string_view xml);

// A fresh message id as the authority forms them: "TCT" + 32 upper-case hex (128 random bits).
std::string NewAuthorityMessageId();

// One technical error in a 999 receipt.
struct TechnicalError {
  std::string code;         // MLoi
  std::string description;  // MTa
};

// 999: the technical receipt for `request`, received at `received_at`; TTTNhan 0 when
// `errors` is empty, else 1 with one LDo per error. `message_id` "" = NewAuthorityMessageId().
std::string BuildReceipt999(const TDiepHeader& request, absl::Time received_at,
                            absl::Span<const TechnicalError> errors,
                            absl::string_view message_id = {});

// 202: DLieu holds `coded_invoice_xml` (BuildCodedInvoiceXml's output), unchanged in content —
// its signatures stay valid. When the invoice was coded with `warnings` (what the rule profile
// only warns about), they follow DLieu in DSCBao/CBao (MLoi, MTLoi = NoticeReason(), HDXLy):
// our extension, outside the coded HDon and absent when there are none. docs/xml.md.
// INVALID_ARGUMENT if `coded_invoice_xml` is not a readable HDon.
absl::StatusOr<std::string> BuildCodedInvoice202(const TDiepHeader& request,
                                                 absl::string_view coded_invoice_xml,
                                                 absl::Span<const Violation> warnings = {},
                                                 absl::string_view message_id = {});

// What a 204 notice says about the invoice besides the errors.
struct NoticeDetails {
  absl::Time checked_at;       // NTBao (its date) and TGGui
  std::string seller_name;     // TNNT
  std::string seller_tax_code; // MST ("" = the request's MST)
  std::string template_code;   // KHMSHDon
  std::string symbol;          // KHHDon
  std::string number;          // SHDon
  std::string issue_date;      // NLap
  // DDanh: where the notice is made.
  std::string place = "Hà Nội";
  // LTBao: 1 = not eligible for a code (the answer to a 200). (2 says the data is valid and
  // 7 that some cash-register invoices are not: answers to a 206.)
  std::string notice_kind = "1";
};

// 204: notice 01/TB-KTDL in the real authority's layout: DLTBao (Id "Id-<32 hex>") with PBan,
// MSo, Ten, So (12 digits), DDanh, NTBao, MST, TNNT, TGGui, LTBao, CCu, MGDDTu (the 200's
// MTDiep), SLuong 1, then LCMa (KHMSHDon, KHHDon, SHDon, NLap) with one DSLDo/LDo per
// violation: MLoi = code, MTLoi = NoticeReason(), HDXLy = HowToFix(); then DSCKS/CQT with the
// authority's XMLDSig over DLTBao (authority_signature.h: references #<DLTBao Id> and
// #SigningTime-<32 hex>) made with `key`. docs/xml.md.
// Errors: AppendAuthoritySignature's (FAILED_PRECONDITION for a certificate not for the key,
// UNIMPLEMENTED for its key type, the signer's NOT_FOUND / UNAVAILABLE).
absl::StatusOr<std::string> BuildNotEligible204(const TDiepHeader& request,
                                                const NoticeDetails& details,
                                                absl::Span<const Violation> violations,
                                                const AuthoritySigningKey& key,
                                                absl::string_view message_id = {});

// One invalid invoice of a cash-register message (206), for the 204 that answers it.
struct InvalidCashRegisterInvoice {
  std::string template_code;  // KHMSHDon
  std::string symbol;         // KHHDon
  std::string number;         // SHDon
  std::vector<Violation> violations;
};

// 204 answering a 206 (cash-register data): the same notice as BuildNotEligible204 with
// CCu naming the 206, SLuong = `invoice_count` (the invoices the message carried) and LTBao
// 2 ("the data is valid") when `invalid` is empty, else LTBao 7 with LHDMTTien/DSLDo holding
// one LDo per violation of each invalid invoice: MLoi, MTLoi = "template;symbol;number;
// message" (e.g. "2;C25MLT;73;Bộ MST, ký hiệu mẫu số, ký hiệu và số hóa đơn không duy nhất"),
// HDXLy. Signed like BuildNotEligible204, with the same errors.
absl::StatusOr<std::string> BuildCashRegisterNotice204(
    const TDiepHeader& request, const NoticeDetails& details, size_t invoice_count,
    absl::Span<const InvalidCashRegisterInvoice> invalid, const AuthoritySigningKey& key,
    absl::string_view message_id = {});

// MTLoi of one violation as the real authority writes it: the message, a newline, then
// "<XPath> : <detail>" ("Sai định dạng dữ liệu\nHDon/DLHDon/NDHDon/NMua/CCCDan : định dạng CCCD
// không hợp lệ"); just the message for a violation of the whole invoice.
std::string NoticeReason(const Violation& violation);

// So: a notice number of 12 decimal digits, from the first 12 hex digits of its random id.
std::string NoticeNumber(absl::string_view hex_id);

// The "how to fix" text for a violation code, as the authority writes it (HDXLy):
// 20001 → "Kiểm tra lại định dạng dữ liệu", 209xx → signature/certificate advice, ...
std::string HowToFix(absl::string_view code);

}  // namespace einvoice

#endif  // EINVOICE_XML_TVAN_ENVELOPE_H_
