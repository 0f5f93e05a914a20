// Internal to xml/: a bounded, thread-safe cache of parsed X.509 certificates
// (x509::ParsedCertificate), keyed by their exact DER bytes.
//
// Why: every XML submission parses the seller's registered certificate (VerifySellerSignature)
// and the authority's certificate (BuildCodedInvoiceXml), and OpenSSL 3 spends most of that in
// decoder/encoder setup — ~0.6 ms of the ~2 ms an XML submission cost. The certificates are the
// same few DER blobs over and over.
//
// What is cached is only the *parsing*: the CertificateInfo (validity, subject, SPKI, key type)
// and the OpenSSL X509 from which xmldsig::Verify builds a fresh xmlsec key per call (the
// public key is up-ref'd, never shared mutably). Every check — validity at SigningTime, MST in
// the subject, registration, algorithms, the signature itself — still runs on every request.
// Failures are not cached (a DER that does not parse is parsed, and refused, again).
//
// Only trusted DER goes in: the seller's *registered* certificates and the authority's own, so
// a submitter cannot flood the cache with certificates of its choosing (untrusted certificates
// are parsed with x509::ParsedCertificate::Parse directly). DER larger than kMaxCachedDerBytes
// is never cached.
//
// Bounded: at most `capacity` entries, least recently used evicted first. Capacity 0 disables
// the cache (every Get parses). Entries in use by a caller stay alive after eviction
// (shared_ptr).
//
// Thread-safety: thread-safe. Parsing happens outside the lock; two threads missing on the same
// DER at once both parse it and the first to finish is kept.
#ifndef EINVOICE_XML_CERTIFICATE_CACHE_H_
#define EINVOICE_XML_CERTIFICATE_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "xml/x509_util.h"

namespace einvoice::x509 {

class CertificateCache {
 public:
  // Default capacity of DefaultCertificateCache(): enough for the authority's keys and the
  // certificates of many active sellers (an entry is a few KB).
  static constexpr size_t kDefaultCapacity = 1024;
  // Larger DER is parsed every time, never kept.
  static constexpr size_t kMaxCachedDerBytes = 64 * 1024;

  explicit CertificateCache(size_t capacity);
  CertificateCache(const CertificateCache&) = delete;
  CertificateCache& operator=(const CertificateCache&) = delete;

  // The parsed certificate for `der`: from the cache, or parsed (ParsedCertificate::Parse, same
  // errors) and remembered.
  absl::StatusOr<std::shared_ptr<const ParsedCertificate>> Get(absl::string_view der);

  // Changes the bound, evicting least recently used entries as needed; 0 disables caching.
  void SetCapacity(size_t capacity);
  // Drops every entry (counters are kept).
  void Clear();

  size_t capacity() const;
  size_t size() const;
  // Get() calls answered from the cache / that had to parse (failed parses included).
  uint64_t hits() const;
  uint64_t misses() const;
  uint64_t evictions() const;

 private:
  struct Entry {
    std::string der;
    std::shared_ptr<const ParsedCertificate> certificate;
  };
  using Lru = std::list<Entry>;  // most recently used first

  void EvictToCapacityLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  size_t capacity_ ABSL_GUARDED_BY(mu_);
  Lru lru_ ABSL_GUARDED_BY(mu_);
  // Keys view Entry::der inside lru_ (list nodes never move).
  absl::flat_hash_map<absl::string_view, Lru::iterator> index_ ABSL_GUARDED_BY(mu_);
  uint64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t misses_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t evictions_ ABSL_GUARDED_BY(mu_) = 0;
};

// The process-wide cache used by VerifySellerSignature (registered certificates) and
// BuildCodedInvoiceXml (the authority's certificate). Capacity kDefaultCapacity.
CertificateCache& DefaultCertificateCache();

}  // namespace einvoice::x509

#endif  // EINVOICE_XML_CERTIFICATE_CACHE_H_
