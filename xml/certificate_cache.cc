#include "xml/certificate_cache.h"

#include <utility>

namespace einvoice::x509 {

CertificateCache::CertificateCache(size_t capacity) : capacity_(capacity) {}

absl::StatusOr<std::shared_ptr<const ParsedCertificate>> CertificateCache::Get(
    absl::string_view der) {
  {
    absl::MutexLock lock(&mu_);
    if (auto it = index_.find(der); it != index_.end()) {
      ++hits_;
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->certificate;
    }
    ++misses_;
  }
  absl::StatusOr<std::shared_ptr<const ParsedCertificate>> parsed = ParsedCertificate::Parse(der);
  if (!parsed.ok() || der.size() > kMaxCachedDerBytes) return parsed;
  absl::MutexLock lock(&mu_);
  if (capacity_ == 0) return parsed;
  if (auto it = index_.find(der); it != index_.end()) {
    // Another thread parsed it meanwhile: keep one copy.
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->certificate;
  }
  lru_.push_front(Entry{std::string(der), *parsed});
  index_.emplace(absl::string_view(lru_.front().der), lru_.begin());
  EvictToCapacityLocked();
  return parsed;
}

void CertificateCache::EvictToCapacityLocked() {
  while (lru_.size() > capacity_) {
    index_.erase(absl::string_view(lru_.back().der));
    lru_.pop_back();
    ++evictions_;
  }
}

void CertificateCache::SetCapacity(size_t capacity) {
  absl::MutexLock lock(&mu_);
  capacity_ = capacity;
  EvictToCapacityLocked();
}

void CertificateCache::Clear() {
  absl::MutexLock lock(&mu_);
  index_.clear();
  lru_.clear();
}

size_t CertificateCache::capacity() const {
  absl::MutexLock lock(&mu_);
  return capacity_;
}

size_t CertificateCache::size() const {
  absl::MutexLock lock(&mu_);
  return lru_.size();
}

uint64_t CertificateCache::hits() const {
  absl::MutexLock lock(&mu_);
  return hits_;
}

uint64_t CertificateCache::misses() const {
  absl::MutexLock lock(&mu_);
  return misses_;
}

uint64_t CertificateCache::evictions() const {
  absl::MutexLock lock(&mu_);
  return evictions_;
}

CertificateCache& DefaultCertificateCache() {
  static CertificateCache* const cache = new CertificateCache(CertificateCache::kDefaultCapacity);
  return *cache;
}

}  // namespace einvoice::x509
