// The size limits every layer agrees on (docs/limits.md lists every limit of the service and
// what a caller gets past it). Constants only.
#ifndef EINVOICE_COMMON_LIMITS_H_
#define EINVOICE_COMMON_LIMITS_H_

#include <cstddef>

namespace einvoice {

// One invoice, as XML (the document) or as protobuf (the serialized Invoice): 2 MiB, the
// message limit of the official format.
inline constexpr size_t kMaxInvoiceBytes = 2 * 1024 * 1024;

// A request the server reads: one invoice plus its envelope (idempotency key, reference,
// T-VAN TDiep header). gRPC refuses larger messages itself, with RESOURCE_EXHAUSTED.
inline constexpr size_t kMaxRequestBytes = kMaxInvoiceBytes + 64 * 1024;

// A response the server sends: what every gRPC client accepts by default (4 MiB).
inline constexpr size_t kMaxResponseBytes = 4 * 1024 * 1024;

// A stored, coded invoice (v1::AuthenticatedInvoice: the signed record, the signature and, for
// XML, the coded XML), so that any client can fetch it back within kMaxResponseBytes.
inline constexpr size_t kMaxStoredInvoiceBytes = kMaxResponseBytes - 64 * 1024;

// A page of search results, in bytes of invoices (at least one invoice a page).
inline constexpr size_t kMaxSearchPageBytes = kMaxStoredInvoiceBytes;

// A page of registered sellers (ListSellers), in bytes of sellers (at least one seller a page;
// one seller's record is far smaller: 16 certificates in force and 16 revoked ones kept, each
// at most 16 KiB).
inline constexpr size_t kMaxSellerPageBytes = kMaxResponseBytes - 64 * 1024;

}  // namespace einvoice

#endif  // EINVOICE_COMMON_LIMITS_H_
