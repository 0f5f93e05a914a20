// The violations of signatures a document carries: the seller's XMLDSig signature on an XML
// invoice and the taxpayer's on a T-VAN message, and their certificates (codes 209xx, a range
// of our own next to the catalogue's 201xx–208xx). Here in rules/ with the rest of the
// catalogue, so the rule profile (domain/) knows every rule without knowing XML; checked by
// xml/seller_signature.h. Listed with how to fix each in docs/xml.md. Format errors of the XML itself use the catalogue's
// 20001 entries (rules/violation_catalogue.h).
//
// Constants only; thread-safe.
#ifndef EINVOICE_RULES_SIGNATURE_VIOLATIONS_H_
#define EINVOICE_RULES_SIGNATURE_VIOLATIONS_H_

#include "rules/violation.h"

namespace einvoice {

inline constexpr ViolationType kSellerSignatureMissing{
    "20901", "seller_signature.missing", "Hóa đơn chưa có chữ ký số của người bán",
    "The invoice carries no seller signature (DSCKS/NBan/Signature)",
    "Ký số dữ liệu hóa đơn (DLHDon) và đặt chữ ký vào DSCKS/NBan.",
    "Sign DLHDon and put the signature in DSCKS/NBan"};
inline constexpr ViolationType kSellerSignatureInvalid{
    "20902", "seller_signature.invalid",
    "Chữ ký số của người bán không hợp lệ (dữ liệu hóa đơn đã bị thay đổi sau khi ký)",
    "The seller's signature is invalid (the invoice data changed after signing)",
    "Ký lại hóa đơn đúng như khi gửi; không sửa hóa đơn sau khi ký.",
    "Re-sign the invoice as sent; do not edit it after signing"};
inline constexpr ViolationType kSellerSignatureReferences{
    "20903", "seller_signature.references",
    "Chữ ký số của người bán phải ký dữ liệu hóa đơn (DLHDon) và thời điểm ký (SigningTime)",
    "The seller's signature must cover the invoice data (DLHDon) and the signing time",
    "Chữ ký phải tham chiếu #<Id của DLHDon> và Object chứa SigningTime.",
    "Reference `#<DLHDon Id>` and the Object holding SigningTime"};
inline constexpr ViolationType kSellerSignatureAlgorithm{
    "20904", "seller_signature.algorithm", "Thuật toán chữ ký số không được chấp nhận",
    "Signature algorithm not accepted",
    "Dùng RSA-SHA256 hoặc ECDSA-SHA256 với băm SHA-256.",
    "Use RSA-SHA256 or ECDSA-SHA256 with SHA-256 digests"};
inline constexpr ViolationType kSellerCertificateNotRegistered{
    "20905", "seller_certificate.not_registered",
    "Chứng thư số chưa được người bán đăng ký với cơ quan thuế",
    "The signing certificate is not one the seller registered with the tax authority",
    "Đăng ký chứng thư số với cơ quan thuế (mẫu 01/ĐKTĐ-HĐĐT) hoặc ký bằng chứng thư đã đăng "
    "ký.",
    "Register the certificate (form 01/ĐKTĐ-HĐĐT) or sign with a registered one"};
inline constexpr ViolationType kSellerCertificateTaxCode{
    "20906", "seller_certificate.tax_code_mismatch",
    "Mã số thuế trên chứng thư số không khớp với mã số thuế người bán",
    "The tax code in the certificate subject does not match the seller's tax code",
    "Ký bằng chứng thư số cấp cho mã số thuế người bán (NBan/MST).",
    "Sign with the certificate issued for NBan/MST"};
inline constexpr ViolationType kSellerCertificateNotValidAtSigning{
    "20907", "seller_certificate.not_valid_at_signing_time",
    "Chứng thư số không còn hiệu lực (hoặc chưa có hiệu lực) tại thời điểm ký",
    "The certificate was not valid (expired or not yet valid) at the signing time",
    "Gia hạn chứng thư số rồi ký lại.",
    "Renew the certificate and re-sign"};
inline constexpr ViolationType kSellerSigningTimeInvalid{
    "20908", "seller_signature.signing_time_invalid",
    "Thời điểm ký số không hợp lệ (thiếu, sai định dạng hoặc lớn hơn thời điểm hiện tại)",
    "The signing time is missing, malformed or in the future",
    "Chỉnh đồng hồ máy ký; thời điểm ký dạng YYYY-MM-DDThh:mm:ss.",
    "Fix the signing machine's clock; `YYYY-MM-DDThh:mm:ss`"};
inline constexpr ViolationType kSellerSigningBeforeIssueDate{
    "20909", "seller_signature.signed_before_issue_date",
    "Ngày ký số nhỏ hơn ngày lập hóa đơn", "The invoice was signed before its issue date",
    "Ký số vào hoặc sau ngày lập hóa đơn (NLap).",
    "Sign on or after NLap"};
inline constexpr ViolationType kSellerCertificateInvalid{
    "20910", "seller_certificate.invalid",
    "Chữ ký số của người bán không có chứng thư số hợp lệ (KeyInfo/X509Data/X509Certificate)",
    "The seller's signature carries no readable certificate (KeyInfo/X509Data/X509Certificate)",
    "Đưa chứng thư số dùng để ký vào KeyInfo/X509Data/X509Certificate.",
    "Include the signing certificate in KeyInfo/X509Data/X509Certificate"};

// Every entry above, in code order.
inline constexpr const ViolationType* kAllXmlViolationTypes[] = {
    &kSellerSignatureMissing,       &kSellerSignatureInvalid,
    &kSellerSignatureReferences,    &kSellerSignatureAlgorithm,
    &kSellerCertificateNotRegistered, &kSellerCertificateTaxCode,
    &kSellerCertificateNotValidAtSigning, &kSellerSigningTimeInvalid,
    &kSellerSigningBeforeIssueDate, &kSellerCertificateInvalid,
};

}  // namespace einvoice

#endif  // EINVOICE_RULES_SIGNATURE_VIOLATIONS_H_
