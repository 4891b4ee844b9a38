#include "lib/edxml/xml.h"

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <cstring>
#include <mutex>

#include "lib/edxml/refusal.h"

namespace chancery::edxml::internal {

namespace {

void Quiet(void*, const char*, ...) {}

}  // namespace

bool InitXmlSecurity() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetGenericErrorFunc(nullptr, Quiet);
    xmlSecErrorsDefaultCallbackEnableOutput(0);
    ok = xmlSecInit() >= 0 && xmlSecCheckVersion() == 1 && xmlSecCryptoAppInit(nullptr) >= 0 &&
         xmlSecCryptoInit() >= 0;
  });
  return ok;
}

Result<Doc> ParseXml(std::string_view xml, std::string_view what) {
  InitXmlSecurity();
  xmlSetGenericErrorFunc(nullptr, Quiet);  // per thread in libxml2
  if (xml.size() > static_cast<std::size_t>(INT32_MAX))
    return Malformed(std::string(what), "Too long.");
  constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  Doc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "edxml.xml", nullptr, kOptions));
  if (!doc || !xmlDocGetRootElement(doc.get())) {
    return Malformed(std::string(what), "Not well-formed XML.");
  }
  if (doc->intSubset || doc->extSubset) {
    return Malformed(std::string(what), "A DTD is not allowed in edXML.");
  }
  return doc;
}

std::string Serialize(xmlDoc* doc) {
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
  std::string out(reinterpret_cast<char*>(mem), static_cast<std::size_t>(size > 0 ? size : 0));
  xmlFree(mem);
  return out;
}

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

bool Is(const xmlNode* node, const char* ns, const char* name) {
  if (!node || node->type != XML_ELEMENT_NODE || !xmlStrEqual(node->name, X(name))) return false;
  if (!ns) return node->ns == nullptr;
  return node->ns && node->ns->href && xmlStrEqual(node->ns->href, X(ns));
}

xmlNode* FirstElement(xmlNode* parent) {
  xmlNode* n = parent ? parent->children : nullptr;
  while (n && n->type != XML_ELEMENT_NODE) n = n->next;
  return n;
}

xmlNode* NextElement(xmlNode* node) {
  xmlNode* n = node ? node->next : nullptr;
  while (n && n->type != XML_ELEMENT_NODE) n = n->next;
  return n;
}

std::vector<xmlNode*> Children(xmlNode* parent, const char* ns, const char* name) {
  std::vector<xmlNode*> out;
  for (xmlNode* n = FirstElement(parent); n; n = NextElement(n)) {
    if (Is(n, ns, name)) out.push_back(n);
  }
  return out;
}

xmlNode* Child(xmlNode* parent, const char* ns, const char* name) {
  for (xmlNode* n = FirstElement(parent); n; n = NextElement(n)) {
    if (Is(n, ns, name)) return n;
  }
  return nullptr;
}

std::string Text(const xmlNode* node) {
  if (!node) return "";
  xmlChar* content = xmlNodeGetContent(node);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return out;
}

std::string Attribute(const xmlNode* node, const char* name, const char* ns) {
  xmlChar* v = ns ? xmlGetNsProp(node, X(name), X(ns)) : xmlGetNoNsProp(node, X(name));
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}

namespace {

struct Visibility {
  xmlNode* within;
  xmlNode* except;
};

int IsVisible(void* data, xmlNodePtr node, xmlNodePtr parent) {
  const auto* v = static_cast<const Visibility*>(data);
  // A namespace node is not an xmlNode: judge it by the element it is on.
  xmlNode* start = node->type == XML_NAMESPACE_DECL ? parent : node;
  bool inside = v->within == nullptr;
  for (xmlNode* n = start; n; n = n->parent) {
    if (n == v->except) return 0;
    if (n == v->within) inside = true;
  }
  return inside ? 1 : 0;
}

}  // namespace

Result<std::string> Canonical(xmlDoc* doc, xmlNode* within, xmlNode* except) {
  Visibility visibility{within, except};
  xmlOutputBuffer* buf = xmlAllocOutputBuffer(nullptr);
  if (!buf) return MakeError(ErrorCode::kInternal, "XML canonicalisation: out of memory.");
  const int rc =
      xmlC14NExecute(doc, IsVisible, &visibility, XML_C14N_EXCLUSIVE_1_0, nullptr, 0, buf);
  std::string out;
  if (rc >= 0) {
    out.assign(reinterpret_cast<const char*>(xmlOutputBufferGetContent(buf)),
               xmlOutputBufferGetSize(buf));
  }
  xmlOutputBufferClose(buf);
  if (rc < 0) return Malformed("xml", "The XML cannot be canonicalised.");
  return out;
}

}  // namespace chancery::edxml::internal
