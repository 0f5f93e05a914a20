#include "xml/safe_xml.h"

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlsave.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace einvoice {
namespace {

// Refuses every external entity, DTD or other resource libxml2 might want to load.
xmlParserInputPtr RefuseExternalEntity(const char* url, const char* id, xmlParserCtxtPtr ctxt) {
  return nullptr;
}

// Per-parse state reachable from the SAX callbacks through ctxt->_private.
struct ParseState {
  int max_depth = 0;
  int depth = 0;
  bool saw_doctype = false;
  bool too_deep = false;
  startElementNsSAX2Func start_element = nullptr;
  endElementNsSAX2Func end_element = nullptr;
};

ParseState* StateOf(void* ctx) {
  return static_cast<ParseState*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

void OnDoctype(void* ctx, const xmlChar* name, const xmlChar* external_id,
               const xmlChar* system_id) {
  StateOf(ctx)->saw_doctype = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}

void OnStartElement(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                    const xmlChar* uri, int nb_namespaces, const xmlChar** namespaces,
                    int nb_attributes, int nb_defaulted, const xmlChar** attributes) {
  ParseState* state = StateOf(ctx);
  if (++state->depth > state->max_depth) {
    state->too_deep = true;
    xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
    return;
  }
  state->start_element(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                       nb_defaulted, attributes);
}

void OnEndElement(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                  const xmlChar* uri) {
  ParseState* state = StateOf(ctx);
  --state->depth;
  state->end_element(ctx, localname, prefix, uri);
}

struct ParserCtxtFree {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

const char* Chars(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

bool InSubtree(const xmlNode* node, const xmlNode* apex) {
  for (const xmlNode* n = node; n != nullptr; n = n->parent) {
    if (n == apex) return true;
  }
  return false;
}

int VisibleInSubtree(void* user_data, xmlNodePtr node, xmlNodePtr parent) {
  const xmlNode* apex = static_cast<const xmlNode*>(user_data);
  if (node == nullptr) return 0;
  if (node->type == XML_NAMESPACE_DECL) return InSubtree(parent, apex) ? 1 : 0;
  return InSubtree(node, apex) ? 1 : 0;
}

// Counts attributes per start tag and start tags in all, in one pass over the bytes, without
// parsing: comments, CDATA sections, processing instructions and declarations are skipped,
// quoted attribute values are stepped over (a '>' or '=' inside quotes is not markup). An
// attribute is counted at each '=' outside quotes inside a start tag. Malformed input is left
// for the parser to refuse; the scan only has to be linear and never undercount well-formed
// markup.
absl::Status CheckMarkupCounts(absl::string_view xml, const SafeXmlLimits& limits) {
  size_t elements = 0;
  size_t i = 0;
  const size_t n = xml.size();
  auto skip_past = [&](absl::string_view terminator) {
    const size_t end = xml.find(terminator, i);
    i = end == absl::string_view::npos ? n : end + terminator.size();
  };
  while (i < n) {
    i = xml.find('<', i);
    if (i == absl::string_view::npos) break;
    const absl::string_view rest = xml.substr(i);
    if (absl::StartsWith(rest, "<!--")) {
      i += 4;
      skip_past("-->");
    } else if (absl::StartsWith(rest, "<![CDATA[")) {
      i += 9;
      skip_past("]]>");
    } else if (absl::StartsWith(rest, "<?")) {
      i += 2;
      skip_past("?>");
    } else if (absl::StartsWith(rest, "<!") || absl::StartsWith(rest, "</")) {
      i += 2;
      skip_past(">");
    } else {  // a start tag
      if (++elements > limits.max_elements) {
        return absl::InvalidArgumentError(
            absl::StrCat("XML document has more than ", limits.max_elements, " elements"));
      }
      size_t attributes = 0;
      char quote = 0;
      for (++i; i < n; ++i) {
        const char c = xml[i];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '=') {
          if (++attributes > limits.max_attributes) {
            return absl::InvalidArgumentError(absl::StrCat(
                "XML element with more than ", limits.max_attributes, " attributes"));
          }
        } else if (c == '>' || c == '<') {
          break;
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

void InitXmlLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(RefuseExternalEntity);
  });
}

namespace {
std::atomic<uint64_t> parse_count{0};
}  // namespace

uint64_t SafeXmlParseCount() { return parse_count.load(std::memory_order_relaxed); }

absl::StatusOr<XmlDocPtr> ParseXmlSafely(absl::string_view xml, const SafeXmlLimits& limits) {
  InitXmlLibrary();
  parse_count.fetch_add(1, std::memory_order_relaxed);
  if (xml.size() > limits.max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("XML document too large: ", xml.size(),
                                                   " bytes, at most ", limits.max_bytes));
  }
  if (xml.empty()) return absl::InvalidArgumentError("XML document is empty");
  if (absl::Status counts = CheckMarkupCounts(xml, limits); !counts.ok()) return counts;
  std::unique_ptr<xmlParserCtxt, ParserCtxtFree> ctxt(xmlNewParserCtxt());
  if (ctxt == nullptr || ctxt->sax == nullptr) {
    return absl::ResourceExhaustedError("cannot allocate an XML parser");
  }
  ParseState state;
  state.max_depth = limits.max_depth;
  state.start_element = ctxt->sax->startElementNs;
  state.end_element = ctxt->sax->endElementNs;
  ctxt->_private = &state;
  ctxt->sax->internalSubset = OnDoctype;
  ctxt->sax->externalSubset = OnDoctype;
  ctxt->sax->startElementNs = OnStartElement;
  ctxt->sax->endElementNs = OnEndElement;
  // No XML_PARSE_NOENT (no entity substitution), no DTDLOAD/DTDATTR/DTDVALID, no XINCLUDE,
  // no HUGE (keeps libxml2's built-in limits).
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  XmlDocPtr doc(xmlCtxtReadMemory(ctxt.get(), xml.data(), static_cast<int>(xml.size()),
                                  /*URL=*/nullptr, /*encoding=*/nullptr, options));
  if (state.saw_doctype) {
    return absl::InvalidArgumentError("XML document has a DOCTYPE declaration (not allowed)");
  }
  if (state.too_deep) {
    return absl::InvalidArgumentError(
        absl::StrCat("XML elements nested deeper than ", limits.max_depth));
  }
  if (doc == nullptr || !ctxt->wellFormed) {
    const xmlError* error = &ctxt->lastError;
    std::string message = error->message != nullptr ? error->message : "unknown error";
    absl::StripTrailingAsciiWhitespace(&message);
    return absl::InvalidArgumentError(
        absl::StrCat("XML document is not well-formed (line ", error->line, "): ", message));
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return absl::InvalidArgumentError("XML document has a DOCTYPE declaration (not allowed)");
  }
  if (doc->encoding != nullptr &&
      !absl::EqualsIgnoreCase(Chars(doc->encoding), "UTF-8")) {
    return absl::InvalidArgumentError(
        absl::StrCat("XML document must be UTF-8, declares ", Chars(doc->encoding)));
  }
  if (xmlDocGetRootElement(doc.get()) == nullptr) {
    return absl::InvalidArgumentError("XML document has no root element");
  }
  return doc;
}

namespace xmlutil {

absl::string_view Name(const xmlNode* node) {
  if (node == nullptr || node->name == nullptr) return {};
  return Chars(node->name);
}

bool IsElement(const xmlNode* node, absl::string_view name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns == nullptr &&
         Name(node) == name;
}

bool IsElementNs(const xmlNode* node, absl::string_view name, absl::string_view ns_uri) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
         node->ns->href != nullptr && Chars(node->ns->href) == ns_uri && Name(node) == name;
}

std::vector<xmlNode*> ChildElements(const xmlNode* node) {
  std::vector<xmlNode*> out;
  if (node == nullptr) return out;
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

xmlNode* FirstChild(const xmlNode* node, absl::string_view name) {
  if (node == nullptr) return nullptr;
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (IsElement(c, name)) return c;
  }
  return nullptr;
}

xmlNode* FirstChildNs(const xmlNode* node, absl::string_view name, absl::string_view ns_uri) {
  if (node == nullptr) return nullptr;
  for (xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (IsElementNs(c, name, ns_uri)) return c;
  }
  return nullptr;
}

std::string Text(const xmlNode* node) {
  std::string out;
  if (node == nullptr) return out;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
        c->content != nullptr) {
      out += Chars(c->content);
    }
  }
  return out;
}

bool HasChildElements(const xmlNode* node) {
  if (node == nullptr) return false;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) return true;
  }
  return false;
}

std::string Attribute(const xmlNode* node, absl::string_view name) {
  if (node == nullptr) return {};
  std::string n(name);
  xmlChar* value = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(n.c_str()));
  if (value == nullptr) return {};
  std::string out = Chars(value);
  xmlFree(value);
  return out;
}

bool HasAttribute(const xmlNode* node, absl::string_view name) {
  if (node == nullptr) return false;
  std::string n(name);
  return xmlHasNsProp(node, reinterpret_cast<const xmlChar*>(n.c_str()), nullptr) != nullptr;
}

std::string Serialize(xmlDoc* doc) {
  xmlChar* buffer = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &buffer, &size, "UTF-8");
  std::string out;
  if (buffer != nullptr) {
    out.assign(Chars(buffer), static_cast<size_t>(size));
    xmlFree(buffer);
  }
  return out;
}

std::string SerializeNode(xmlDoc* doc, xmlNode* node) {
  xmlBufferPtr buffer = xmlBufferCreate();
  if (buffer == nullptr) return {};
  xmlNodeDump(buffer, doc, node, 0, 0);
  std::string out(Chars(xmlBufferContent(buffer)), static_cast<size_t>(xmlBufferLength(buffer)));
  xmlBufferFree(buffer);
  return out;
}

absl::StatusOr<std::string> C14nSubtree(xmlDoc* doc, xmlNode* node) {
  xmlOutputBufferPtr out = xmlAllocOutputBuffer(nullptr);
  if (out == nullptr) return absl::InternalError("C14N: cannot allocate output buffer");
  const int rc = xmlC14NExecute(doc, VisibleInSubtree, node, XML_C14N_1_0,
                                /*inclusive_ns_prefixes=*/nullptr, /*with_comments=*/0, out);
  std::string result;
  if (rc >= 0) {
    const xmlChar* content = xmlOutputBufferGetContent(out);
    result.assign(Chars(content), xmlOutputBufferGetSize(out));
  }
  xmlOutputBufferClose(out);
  if (rc < 0) return absl::InternalError("C14N of an XML subtree failed");
  return result;
}

}  // namespace xmlutil
}  // namespace einvoice
