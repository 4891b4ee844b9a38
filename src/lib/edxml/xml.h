// libxml2 for src/exchange (internal): owning handles, a strict parser,
// element lookup, text, exclusive canonicalisation, and the one-time set-up
// of libxml2 and libxmlsec1. Kept out of edxml.h.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace chancery::edxml::internal {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

inline constexpr char kDsNamespace[] = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr char kXlinkNamespace[] = "http://www.w3.org/1999/xlink";

// Initialises libxml2 and libxmlsec1 (OpenSSL) once per process, with their
// error output silenced; false if xmlsec could not start.
bool InitXmlSecurity();

// Parses `xml` with no DTD (refused), no entity expansion, no network, and
// libxml2's default depth limits. Refusals are FORMAT.
Result<Doc> ParseXml(std::string_view xml, std::string_view what);

std::string Serialize(xmlDoc* doc);

const xmlChar* X(const char* s);
bool Is(const xmlNode* node, const char* ns, const char* name);
xmlNode* FirstElement(xmlNode* parent);
xmlNode* NextElement(xmlNode* node);
std::vector<xmlNode*> Children(xmlNode* parent, const char* ns, const char* name);
// The first child element `ns`:`name`, or nullptr.
xmlNode* Child(xmlNode* parent, const char* ns, const char* name);
std::string Text(const xmlNode* node);  // its text content, "" for nullptr
std::string Attribute(const xmlNode* node, const char* name, const char* ns = nullptr);

// Exclusive C14N 1.0 without comments of the nodes inside `within` (the
// whole document when nullptr) and outside `except` (none when nullptr).
Result<std::string> Canonical(xmlDoc* doc, xmlNode* within, xmlNode* except);

}  // namespace chancery::edxml::internal
