// Safe parsing of untrusted XML with libxml2, and small DOM helpers used across xml/.
//
// ParseXmlSafely() is the only way xml/ turns bytes from outside into a document. It refuses:
//   - documents larger than `max_bytes` (2 MB: the size limit of one message);
//   - any DOCTYPE declaration, internal or external: the official format needs no DTD, and
//     refusing it outright rules out entity expansion ("billion laughs"), external entities
//     (XXE) and DTD loading in one place. The parser stops at the DOCTYPE, before its internal
//     subset is read;
//   - elements nested deeper than `max_depth` (checked while parsing, through SAX);
//   - an element with more than `max_attributes` attributes, or more than `max_elements`
//     elements in all: counted by a linear scan of the bytes BEFORE libxml2 sees them, because
//     libxml2 compares each attribute with every earlier one of its element (100 000
//     attributes cost it 19 s of CPU);
//   - a declared encoding other than UTF-8;
//   - anything that is not well-formed.
// It never touches the network or the file system: XML_PARSE_NONET, no XML_PARSE_NOENT (no
// entity substitution), no DTD loading or validation, no XInclude, and InitXmlLibrary()
// installs a process-wide external-entity loader that refuses every URI. libxml2's own
// amplification limits stay on (XML_PARSE_HUGE is never set).
//
// This header exposes libxml2 types: it is for xml/ and its tests. The public API of the
// module (qd1450_format.h, seller_signature.h, ...) takes and returns strings.
//
// Thread-safety: InitXmlLibrary() is idempotent and thread-safe; ParseXmlSafely() may run
// concurrently on different inputs; a parsed document is thread-compatible.
#ifndef EINVOICE_XML_SAFE_XML_H_
#define EINVOICE_XML_SAFE_XML_H_

#include <libxml/tree.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/limits.h"

namespace einvoice {

struct SafeXmlLimits {
  // Largest accepted input, in bytes. Default kMaxInvoiceBytes (2 MiB), the message limit.
  size_t max_bytes = kMaxInvoiceBytes;
  // Deepest accepted element nesting (the root is depth 1). Default 64; a real invoice uses
  // about 8.
  int max_depth = 64;
  // Most attributes (namespace declarations included) on one element. Default 32; the
  // official format uses at most 3.
  size_t max_attributes = 32;
  // Most elements in one document. Default 200 000: a 10 000-line invoice has about 150 000.
  size_t max_elements = 200000;
};

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

// Initialises libxml2 (and nothing else) once per process and installs the refusing
// external-entity loader. Called by ParseXmlSafely(); callable any number of times.
void InitXmlLibrary();

// Parses `xml` as described above. INVALID_ARGUMENT with a message naming the problem (and
// the line for syntax errors) when it is refused.
absl::StatusOr<XmlDocPtr> ParseXmlSafely(absl::string_view xml, const SafeXmlLimits& limits = {});

// How many times ParseXmlSafely() has been called in this process (refused documents
// included). A submission's bytes are read once (domain/invoice_document.h); tests hold the
// XML paths to that with this count.
uint64_t SafeXmlParseCount();

namespace xmlutil {

// The element's local name ("" for a null node).
absl::string_view Name(const xmlNode* node);
// True if `node` is an element called `name` with no namespace.
bool IsElement(const xmlNode* node, absl::string_view name);
// True if `node` is an element called `name` in namespace `ns_uri`.
bool IsElementNs(const xmlNode* node, absl::string_view name, absl::string_view ns_uri);
// The element children of `node`, in document order.
std::vector<xmlNode*> ChildElements(const xmlNode* node);
// The first child element called `name` (no namespace), or null.
xmlNode* FirstChild(const xmlNode* node, absl::string_view name);
// The first child element called `name` in namespace `ns_uri`, or null.
xmlNode* FirstChildNs(const xmlNode* node, absl::string_view name, absl::string_view ns_uri);
// The concatenated text and CDATA children of `node` (not of its descendants).
std::string Text(const xmlNode* node);
// True if `node` has element children.
bool HasChildElements(const xmlNode* node);
// The value of attribute `name` (no namespace), or "" if absent.
std::string Attribute(const xmlNode* node, absl::string_view name);
bool HasAttribute(const xmlNode* node, absl::string_view name);

// Serialises `doc` (UTF-8, with an XML declaration) exactly as libxml2 holds it: no
// reformatting, whitespace text nodes kept.
std::string Serialize(xmlDoc* doc);
// Serialises the subtree rooted at `node` without an XML declaration.
std::string SerializeNode(xmlDoc* doc, xmlNode* node);

// Inclusive Canonical XML 1.0 without comments of the subtree rooted at `node` as it sits in
// `doc` (ancestor namespace declarations and xml:* attributes included, as the XMLDSig
// same-document reference "#id" requires). INTERNAL if libxml2 fails.
absl::StatusOr<std::string> C14nSubtree(xmlDoc* doc, xmlNode* node);

}  // namespace xmlutil
}  // namespace einvoice

#endif  // EINVOICE_XML_SAFE_XML_H_
