#include "domain/authentication_record.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "signer/digest.h"

namespace einvoice {
namespace {

// Deterministic serialization: the same message always yields the same bytes.
template <typename Message>
std::string Serialize(const Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }  // the stream flushes into `bytes` when destroyed
  return bytes;
}

// The bytes of field 5 (`invoice`) as they appear in a serialized AuthenticationRecord.
bool ExtractInvoiceBytes(absl::string_view record, std::string* invoice_bytes) {
  google::protobuf::io::CodedInputStream input(
      reinterpret_cast<const uint8_t*>(record.data()), static_cast<int>(record.size()));
  bool found = false;
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) return found && input.ConsumedEntireMessage();
    if (tag == ((5u << 3) | 2u)) {
      uint32_t length = 0;
      if (!input.ReadVarint32(&length) || !input.ReadString(invoice_bytes, length)) return false;
      found = true;
    } else if (!google::protobuf::internal::WireFormatLite::SkipField(&input, tag)) {
      return false;
    }
  }
}

}  // namespace

std::string SerializeInvoiceDeterministically(const v1::Invoice& invoice) {
  return Serialize(invoice);
}

std::string InvoiceFingerprint(const v1::Invoice& invoice) {
  return Sha256(SerializeInvoiceDeterministically(invoice));
}

absl::Time TruncateIssueTime(absl::Time t) {
  return absl::FromUnixMicros(absl::ToUnixMicros(t));
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  const int64_t micros = absl::ToUnixMicros(t);
  google::protobuf::Timestamp timestamp;
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(rest * 1000));
  return timestamp;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

std::string BuildSignedRecord(absl::string_view authority_code, absl::Time issued_at,
                              absl::string_view key_id, const v1::Invoice& invoice) {
  return BuildSignedRecord(authority_code, issued_at, key_id, invoice,
                           InvoiceFingerprint(invoice));
}

std::string BuildSignedRecord(absl::string_view authority_code, absl::Time issued_at,
                              absl::string_view key_id, const v1::Invoice& invoice,
                              absl::string_view invoice_sha256) {
  v1::AuthenticationRecord record;
  record.set_format_version(kRecordFormatVersion);
  record.set_authority_code(std::string(authority_code));
  *record.mutable_issued_at() = ToTimestamp(issued_at);
  record.set_key_id(std::string(key_id));
  *record.mutable_invoice() = invoice;
  // A sub-message is serialized exactly as it would be on its own, so this hash covers the
  // bytes of field 5 in the output below.
  record.set_invoice_sha256(std::string(invoice_sha256));
  return Serialize(record);
}

absl::StatusOr<v1::AuthenticationRecord> ParseSignedRecord(absl::string_view signed_record) {
  v1::AuthenticationRecord record;
  if (!record.ParseFromArray(signed_record.data(), static_cast<int>(signed_record.size()))) {
    return absl::InvalidArgumentError("signed_record is not a valid AuthenticationRecord");
  }
  if (record.format_version() != kRecordFormatVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("signed_record has unknown format_version ", record.format_version()));
  }
  std::string invoice_bytes;
  if (!ExtractInvoiceBytes(signed_record, &invoice_bytes)) {
    return absl::InvalidArgumentError("signed_record holds no invoice");
  }
  if (Sha256(invoice_bytes) != record.invoice_sha256()) {
    return absl::InvalidArgumentError(
        "signed_record's invoice_sha256 does not match its invoice bytes");
  }
  return record;
}

}  // namespace einvoice
