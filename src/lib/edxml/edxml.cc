#include "lib/edxml/edxml.h"

#include <libxml/xmlstring.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>

#include "core/digest.h"
#include "lib/edxml/dsig.h"
#include "lib/edxml/mime.h"
#include "lib/edxml/refusal.h"
#include "lib/edxml/xml.h"

namespace chancery::edxml {

using namespace internal;
using namespace std::chrono;

std::string_view ReasonOf(const Error& error) {
  return error.fields.empty() ? std::string_view() : std::string_view(error.fields.front().code);
}

bool IsStatusCode(std::string_view code) {
  static constexpr std::array<std::string_view, 9> kCodes = {
      kStatusArrived,           kStatusRefused,        kStatusRegistered,
      kStatusAssigned,          kStatusProcessing,     kStatusCompleted,
      kStatusWithdrawRequested, kStatusWithdrawAgreed, kStatusWithdrawRefused};
  return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

namespace {

const char* const kEd = kEdxmlNamespace.data();
const char* const kChy = kChanceryNamespace.data();
constexpr char kRootContentId[] = "edxml-envelope@chancery";
constexpr std::array<std::string_view, 4> kClassifications = {"normal", "mat", "toi_mat",
                                                              "tuyet_mat"};

// ---- Dates and times -------------------------------------------------------

std::string SlashDate(Date d) {
  std::string iso = FormatDate(d);  // yyyy-MM-dd
  std::replace(iso.begin(), iso.end(), '-', '/');
  return iso;
}

bool Digits(std::string_view s, std::size_t at, std::size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool MakeDate(int y, int m, int d, Date* out) {
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return false;
  *out = sys_days{ymd};
  return true;
}

// "yyyy/MM/dd", "yyyy-MM-dd" or "dd/MM/yyyy".
bool ParseAnyDate(std::string_view s, Date* out) {
  int a, b, c;
  if (s.size() != 10) return false;
  if ((s[4] == '/' || s[4] == '-') && s[7] == s[4] && Digits(s, 0, 4, &a) && Digits(s, 5, 2, &b) &&
      Digits(s, 8, 2, &c)) {
    return MakeDate(a, b, c, out);
  }
  if (s[2] == '/' && s[5] == '/' && Digits(s, 0, 2, &a) && Digits(s, 3, 2, &b) &&
      Digits(s, 6, 4, &c)) {
    return MakeDate(c, b, a, out);
  }
  return false;
}

// xs:dateTime with a fraction of up to 6 digits and Z or an offset; or the
// samples' "yyyy/MM/dd HH:mm:ss" in Vietnam's time.
bool ParseAnyTimestamp(std::string_view s, Timestamp* out) {
  Date date;
  int h, mi, sec;
  if (s.size() < 19 || !ParseAnyDate(s.substr(0, 10), &date) || !Digits(s, 11, 2, &h) ||
      s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &sec) || h > 23 ||
      mi > 59 || sec > 59) {
    return false;
  }
  Timestamp t = date + hours{h} + minutes{mi} + seconds{sec};
  if (s[10] == ' ' && s[4] == '/' && s.size() == 19) {
    *out = t - kVietnamOffset;
    return true;
  }
  if (s[10] != 'T' || s[4] != '-') return false;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    std::int64_t micros = 0;
    std::size_t n = 0;
    for (++pos; pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])); ++pos, ++n) {
      if (n < 6) micros = micros * 10 + (s[pos] - '0');
    }
    if (n == 0 || n > 9) return false;
    for (std::size_t i = n; i < 6; ++i) micros *= 10;
    t += microseconds{micros};
  }
  const std::string_view zone = s.substr(pos);
  int oh, om;
  if (zone == "Z") {
    *out = t;
    return true;
  }
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && Digits(zone, 1, 2, &oh) &&
      zone[3] == ':' && Digits(zone, 4, 2, &om) && oh <= 14 && om <= 59) {
    const minutes offset{oh * 60 + om};
    *out = zone[0] == '+' ? t - offset : t + offset;
    return true;
  }
  return false;
}

// ---- Checking what we write ------------------------------------------------

// Text that XML 1.0 can carry: valid UTF-8, no control characters but tab
// and line breaks, no U+FFFE/U+FFFF.
bool XmlSafe(std::string_view s) {
  if (s.size() > (1u << 30) || xmlCheckUTF8(X(std::string(s).c_str())) == 0 ||
      s.find('\0') != s.npos)
    return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
    if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(s[i + 2]) == 0xBE ||
         static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
      return false;
    }
  }
  return true;
}

// A MIME header value we write: printable ASCII.
bool HeaderSafe(std::string_view s) {
  return !s.empty() && s.size() <= 200 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// Collects the first problem of a model about to be written.
class Checker {
 public:
  void Text(std::string_view field, std::string_view value) {
    if (!XmlSafe(value))
      Problem(field, "not_xml_text", "Not text XML can carry (UTF-8, no control characters).");
  }
  void Required(std::string_view field, std::string_view value) {
    if (value.empty()) Problem(field, "required", "Required.");
    Text(field, value);
  }
  void Range(std::string_view field, int value, int low, int high) {
    if (value < low || value > high) {
      Problem(field, "out_of_range",
              "From " + std::to_string(low) + " to " + std::to_string(high) + ".");
    }
  }
  void Organ(std::string_view field, const edxml::Organ& o) {
    Required(std::string(field) + ".id", o.id);
    for (const std::string* s :
         {&o.name, &o.in_charge, &o.address, &o.email, &o.telephone, &o.fax, &o.website}) {
      Text(field, *s);
    }
  }
  void Problem(std::string_view field, std::string code, std::string message) {
    if (!error_) error_ = Error::Invalid(std::string(field), std::move(code), std::move(message));
  }
  Status Done() {
    if (error_) return *error_;
    return Ok();
  }

 private:
  std::optional<Error> error_;
};

// ---- Writing ---------------------------------------------------------------

class Writer {
 public:
  Writer() : doc_(xmlNewDoc(X("1.0"))) {
    root_ = xmlNewNode(nullptr, X("edXMLEnvelope"));
    xmlDocSetRootElement(doc_.get(), root_);
    ed_ = xmlNewNs(root_, X(kEd), X("edXML"));
    xlink_ = xmlNewNs(root_, X(kXlinkNamespace), X("xlink"));
    xmlSetNs(root_, ed_);
    header_ = Add(root_, "edXMLHeader");
  }
  xmlDoc* doc() { return doc_.get(); }
  xmlNode* root() { return root_; }
  xmlNode* header() { return header_; }
  xmlNs* xlink() { return xlink_; }

  xmlNode* Add(xmlNode* parent, const char* name) {
    return xmlNewChild(parent, ed_, X(name), nullptr);
  }
  xmlNode* Add(xmlNode* parent, const char* name, const std::string& text) {
    return xmlNewTextChild(parent, ed_, X(name), X(text.c_str()));
  }
  xmlNode* Add(xmlNode* parent, const char* name, int value) {
    return Add(parent, name, std::to_string(value));
  }

  void Organ(xmlNode* parent, const char* name, const edxml::Organ& o) {
    xmlNode* n = Add(parent, name);
    Add(n, "OrganId", o.id);
    Add(n, "OrganizationInCharge", o.in_charge);
    Add(n, "OrganName", o.name);
    Add(n, "OrganAdd", o.address);
    Add(n, "Email", o.email);
    Add(n, "Telephone", o.telephone);
    Add(n, "Fax", o.fax);
    Add(n, "Website", o.website);
  }
  void ResponseFor(xmlNode* parent, const edxml::ResponseFor& r) {
    xmlNode* n = Add(parent, "ResponseFor");
    Add(n, "OrganId", r.organ_id);
    Add(n, "Code", r.code);
    Add(n, "PromulgationDate", SlashDate(r.promulgation_date));
    Add(n, "DocumentId", r.document_id);
  }
  // chy:Extension with these (name, value) children, the empty ones left out.
  void Extension(std::vector<std::pair<const char*, std::string>> fields) {
    xmlNode* ext = nullptr;
    for (const auto& [name, value] : fields) {
      if (value.empty()) continue;
      if (!ext) {
        ext = xmlNewChild(header_, nullptr, X("Extension"), nullptr);
        chy_ = xmlNewNs(ext, X(kChy), X("chy"));
        xmlSetNs(ext, chy_);
      }
      xmlNewTextChild(ext, chy_, X(name), X(value.c_str()));
    }
  }

 private:
  Doc doc_;
  xmlNode* root_;
  xmlNode* header_;
  xmlNs* ed_;
  xmlNs* xlink_;
  xmlNs* chy_ = nullptr;
};

void CheckResponseFor(Checker& c, std::string_view field, const ResponseFor& r) {
  c.Required(std::string(field) + ".organ_id", r.organ_id);
  c.Text(field, r.code);
  c.Required(std::string(field) + ".document_id", r.document_id);
}

Status CheckPackage(const Package& p) {
  Checker c;
  c.Organ("from", p.from);
  if (p.to.empty()) c.Problem("to", "required", "A package goes to at least one agency.");
  for (const auto& o : p.to) c.Organ("to", o);
  c.Required("document_id", p.document_id);
  for (const std::string* s :
       {&p.code_number, &p.code_notation, &p.place, &p.type_name, &p.content, &p.signer_competence,
        &p.signer_position, &p.signer_full_name, &p.sphere_of_promulgation, &p.typer_notation,
        &p.urgency, &p.business.reason, &p.business.document_id}) {
    c.Text("package", *s);
  }
  c.Required("subject", p.subject);
  for (const auto& s : p.to_places) c.Text("to_places", s);
  for (const auto& s : p.appendixes) c.Text("appendixes", s);
  for (const auto& r : p.response_for) CheckResponseFor(c, "response_for", r);
  for (const auto& t : p.traces) c.Required("traces.organ_id", t.organ_id);
  c.Range("priority", p.priority, 0, 4);
  c.Range("business.doc_type", p.business.doc_type, 0, 3);
  c.Range("type", p.type, 0, 1 << 30);
  c.Range("steering_type", p.steering_type, 0, 1 << 30);
  c.Range("promulgation_amount", p.promulgation_amount, 0, 1 << 30);
  c.Range("page_amount", p.page_amount, 0, 1 << 30);
  if (std::find(kClassifications.begin(), kClassifications.end(), p.classification) ==
      kClassifications.end()) {
    c.Problem("classification", "unknown", "One of normal, mat, toi_mat, tuyet_mat.");
  }
  std::set<std::string> ids;
  for (const auto& a : p.attachments) {
    if (!a.content_id.empty() && (!IsContentId(a.content_id) || a.content_id == kRootContentId)) {
      c.Problem("attachments.content_id", "bad_value", "Letters, digits and @.-_+=%$!~*' only.");
    }
    if (!a.content_id.empty() && !ids.insert(a.content_id).second) {
      c.Problem("attachments.content_id", "duplicate", "Each attachment needs its own Content-ID.");
    }
    if (!HeaderSafe(a.content_type))
      c.Problem("attachments.content_type", "bad_value", "A MIME type in ASCII.");
    c.Required("attachments.name", a.name);
    c.Text("attachments.description", a.description);
  }
  return c.Done();
}

Result<std::string> Boundary(const WriteOptions& options, const std::string& xml,
                             const std::vector<MimePart>& parts) {
  auto clear = [&](const std::string& b) {
    const std::string delimiter = "--" + b;
    if (xml.find(delimiter) != std::string::npos) return false;
    return std::none_of(parts.begin(), parts.end(), [&](const MimePart& p) {
      return p.transfer_encoding != "base64" && p.body.find(delimiter) != std::string::npos;
    });
  };
  if (!options.boundary.empty()) {
    if (!IsContentId(options.boundary) || options.boundary.size() > 70) {
      return Error::Invalid("boundary", "bad_value", "1 to 70 letters, digits and @.-_+=%$!~*'.");
    }
    if (!clear(options.boundary))
      return Error::Invalid("boundary", "collides", "The boundary occurs in the content.");
    return options.boundary;
  }
  std::string b = "chancery-" + Sha256Hex(xml).substr(0, 32);
  while (!clear(b)) b = "chancery-" + Sha256Hex(b).substr(0, 32);
  return b;
}

// ---- Reading ---------------------------------------------------------------

// Reads the fields of one element, remembering the first problem.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  std::string Text(xmlNode* parent, const char* name, bool required = false) {
    xmlNode* n = Child(parent, kEd, name);
    if (!n && required) Problem(name, "Missing.");
    std::string t = internal::Text(n);
    if (required && n && t.empty()) Problem(name, "Empty.");
    return t;
  }
  int Int(xmlNode* parent, const char* name, int low, int high) {
    xmlNode* n = Child(parent, kEd, name);
    if (!n) return low;
    std::string t = internal::Text(n);
    std::string_view v = t;
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
    if (v.empty()) return low;
    int out = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || end != v.data() + v.size() || out < low || out > high) {
      Problem(name, "Not a whole number from " + std::to_string(low) + " to " +
                        std::to_string(high) + ".");
      return low;
    }
    return out;
  }
  Date DateOf(xmlNode* parent, const char* name) {
    const std::string t = Text(parent, name, true);
    Date d{};
    if (!t.empty() && !ParseAnyDate(t, &d)) Problem(name, "Not a date (yyyy/MM/dd).");
    return d;
  }
  Timestamp TimeOf(xmlNode* parent, const char* name) {
    const std::string t = Text(parent, name, true);
    Timestamp ts{};
    if (!t.empty() && !ParseAnyTimestamp(t, &ts)) Problem(name, "Not a time (xs:dateTime).");
    return ts;
  }
  xmlNode* Need(xmlNode* parent, const char* name) {
    xmlNode* n = Child(parent, kEd, name);
    if (!n) Problem(name, "Missing.");
    return n;
  }
  edxml::Organ Organ(xmlNode* n) {
    edxml::Organ o;
    o.id = Text(n, "OrganId", true);
    o.in_charge = Text(n, "OrganizationInCharge");
    o.name = Text(n, "OrganName");
    o.address = Text(n, "OrganAdd");
    o.email = Text(n, "Email");
    o.telephone = Text(n, "Telephone");
    o.fax = Text(n, "Fax");
    o.website = Text(n, "Website");
    return o;
  }
  edxml::ResponseFor ResponseFor(xmlNode* n) {
    return {Text(n, "OrganId", true), Text(n, "Code"), DateOf(n, "PromulgationDate"),
            Text(n, "DocumentId", true)};
  }
  void Problem(std::string_view name, std::string message) {
    if (!error_)
      error_ = Malformed(path_ + "/" + std::string(name), std::string(name) + ": " + message);
  }
  Status Done() {
    if (error_) return *error_;
    return Ok();
  }

 private:
  std::string path_;
  std::optional<Error> error_;
};

std::string ExtensionText(xmlNode* header, const char* name) {
  return internal::Text(Child(Child(header, kChy, "Extension"), kChy, name));
}

struct Envelope {
  Doc doc;
  xmlNode* header;
  xmlNode* root;
};

Result<Envelope> ParseEnvelope(std::string_view xml, const Limits& limits) {
  if (xml.size() > limits.max_xml_bytes) {
    return Refuse(kReasonTooLarge, "envelope",
                  "The edXML envelope is over " + std::to_string(limits.max_xml_bytes) + " bytes.");
  }
  CHY_TRY(Doc doc, ParseXml(xml, "envelope"));
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!Is(root, kEd, "edXMLEnvelope"))
    return Malformed("envelope", "The root is not edXML:edXMLEnvelope.");
  xmlNode* header = Child(root, kEd, "edXMLHeader");
  if (!header) return Malformed("edXMLHeader", "edXMLHeader: Missing.");
  return Envelope{std::move(doc), header, root};
}

// The envelope and the attachment parts of a package: MIME, or a bare envelope.
Result<std::vector<MimePart>> SplitPackage(std::string_view bytes, const Limits& limits) {
  std::string_view rest = bytes;
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front())))
    rest.remove_prefix(1);
  if (!rest.empty() && rest.front() == '<') {
    std::vector<MimePart> parts(1);
    parts[0].body = bytes;
    return parts;
  }
  CHY_TRY(std::vector<MimePart> parts, ReadMultipart(bytes, limits.max_attachments + 1));
  std::string type = parts[0].content_type.substr(0, parts[0].content_type.find(';'));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  if (type != "text/xml" && type != "application/xml") {
    return Malformed("mime", "The first MIME part is not the edXML envelope (text/xml).");
  }
  return parts;
}

std::vector<AttachmentDigest> DigestsOf(const std::vector<Attachment>& attachments) {
  std::vector<AttachmentDigest> out;
  for (const auto& a : attachments) out.push_back({a.content_id, Sha256(a.bytes)});
  return out;
}

}  // namespace

std::string DocumentIdOf(std::string_view agency_code, Date date, std::string_view number,
                         std::string_view notation) {
  return std::string(agency_code) + "," + SlashDate(date) + "," + std::string(number) + "/" +
         std::string(notation);
}

Result<DocumentIdParts> ParseDocumentId(std::string_view id) {
  const std::size_t c1 = id.find(',');
  const std::size_t c2 = c1 == id.npos ? id.npos : id.find(',', c1 + 1);
  const std::size_t slash = c2 == id.npos ? id.npos : id.find('/', c2 + 1);
  DocumentIdParts parts;
  if (c1 == 0 || c2 != c1 + 11 || slash == id.npos ||
      !ParseAnyDate(id.substr(c1 + 1, 10), &parts.date) || id[c1 + 5] != '/') {
    return Error::Invalid("document_id", "bad_format",
                          "Expected {agency},{yyyy/MM/dd},{number}/{notation}.");
  }
  parts.agency_code = id.substr(0, c1);
  parts.number = id.substr(c2 + 1, slash - c2 - 1);
  parts.notation = id.substr(slash + 1);
  return parts;
}

Result<std::string> WritePackage(const Package& input, const pki::Signer& signer,
                                 const WriteOptions& options) {
  CHY_TRY_STATUS(CheckPackage(input));
  InitXmlSecurity();
  Package p = input;
  for (std::size_t i = 0; i < p.attachments.size(); ++i) {
    Attachment& a = p.attachments[i];
    if (a.content_id.empty())
      a.content_id = std::to_string(i + 1) + "." + Sha256Hex(a.bytes).substr(0, 16) + "@chancery";
  }
  std::set<std::string> ids;
  for (const auto& a : p.attachments) {
    if (!ids.insert(a.content_id).second) {
      return Error::Invalid("attachments.content_id", "duplicate",
                            "Each attachment needs its own Content-ID.");
    }
  }

  Writer w;
  xmlNode* m = w.Add(w.header(), "MessageHeader");
  w.Organ(m, "From", p.from);
  for (const auto& o : p.to) w.Organ(m, "To", o);
  w.Add(m, "DocumentId", p.document_id);
  xmlNode* code = w.Add(m, "Code");
  w.Add(code, "CodeNumber", p.code_number);
  w.Add(code, "CodeNotation", p.code_notation);
  xmlNode* promulgation = w.Add(m, "PromulgationInfo");
  w.Add(promulgation, "Place", p.place);
  w.Add(promulgation, "PromulgationDate", SlashDate(p.promulgation_date));
  xmlNode* type = w.Add(m, "DocumentType");
  w.Add(type, "Type", p.type);
  w.Add(type, "TypeName", p.type_name);
  w.Add(m, "Subject", p.subject);
  w.Add(m, "Content", p.content);
  xmlNode* signer_info = w.Add(m, "SignerInfo");
  w.Add(signer_info, "Competence", p.signer_competence);
  w.Add(signer_info, "Position", p.signer_position);
  w.Add(signer_info, "FullName", p.signer_full_name);
  if (p.due_date) w.Add(m, "DueDate", SlashDate(*p.due_date));
  xmlNode* places = w.Add(m, "ToPlaces");
  for (const auto& place : p.to_places) w.Add(places, "Place", place);
  xmlNode* other = w.Add(m, "OtherInfo");
  w.Add(other, "Priority", p.priority);
  w.Add(other, "SphereOfPromulgation", p.sphere_of_promulgation);
  w.Add(other, "TyperNotation", p.typer_notation);
  w.Add(other, "PromulgationAmount", p.promulgation_amount);
  w.Add(other, "PageAmount", p.page_amount);
  xmlNode* appendixes = w.Add(other, "Appendixes");
  for (const auto& a : p.appendixes) w.Add(appendixes, "Appendix", a);
  w.Add(m, "SteeringType", p.steering_type);
  for (const auto& r : p.response_for) w.ResponseFor(m, r);

  xmlNode* traces = w.Add(w.header(), "TraceHeaderList");
  for (const auto& t : p.traces) {
    xmlNode* n = w.Add(traces, "TraceHeader");
    w.Add(n, "OrganId", t.organ_id);
    w.Add(n, "Timestamp", FormatTimestamp(t.timestamp));
  }
  xmlNode* business = w.Add(traces, "Bussiness");
  w.Add(business, "BussinessDocType", p.business.doc_type);
  w.Add(business, "BussinessDocReason", p.business.reason);
  w.Add(business, "Paper", p.business.paper ? 1 : 0);
  if (!p.business.document_id.empty()) w.Add(business, "DocumentId", p.business.document_id);
  w.Extension({{"Classification", p.classification}, {"Urgency", p.urgency}});

  xmlNode* manifest = w.Add(w.Add(w.root(), "edXMLBody"), "Manifest");
  xmlNewProp(manifest, X("version"), X("1.0"));
  for (const auto& a : p.attachments) {
    xmlNode* ref = w.Add(manifest, "Reference");
    xmlNewNsProp(ref, w.xlink(), X("href"), X(("cid:" + a.content_id).c_str()));
    xmlNewNsProp(ref, w.xlink(), X("type"), X("simple"));
    w.Add(ref, "AttachmentName", a.name);
    w.Add(ref, "Description", a.description);
    w.Add(ref, "ContentType", a.content_type);
  }
  CHY_TRY_STATUS(Sign(w.doc(), w.header(), DigestsOf(p.attachments), signer));
  const std::string xml = Serialize(w.doc());

  std::vector<MimePart> parts;
  parts.push_back({"text/xml; charset=utf-8", kRootContentId, "binary", xml});
  for (auto& a : p.attachments) {
    parts.push_back({a.content_type, a.content_id, options.binary_parts ? "binary" : "base64",
                     std::move(a.bytes)});
  }
  CHY_TRY(std::string boundary, Boundary(options, xml, parts));
  std::vector<const MimePart*> views;
  for (const auto& part : parts) views.push_back(&part);
  return WriteMultipart(views, boundary);
}

Result<std::string> WriteStatus(const StatusNotice& s, const pki::Signer& signer) {
  Checker c;
  CheckResponseFor(c, "response_for", s.response_for);
  c.Organ("from", s.from);
  if (!IsStatusCode(s.status_code))
    c.Problem("status_code", "unknown", "A status code of QCVN 102 (01..06, 13, 15, 16).");
  for (const std::string* t :
       {&s.description, &s.staff.department, &s.staff.staff, &s.staff.mobile, &s.staff.email}) {
    c.Text("status", *t);
  }
  if (!s.received_sha256.empty() &&
      (s.received_sha256.size() != 64 || !HexDecode(s.received_sha256))) {
    c.Problem("received_sha256", "bad_value", "64 hex digits.");
  }
  CHY_TRY_STATUS(c.Done());
  InitXmlSecurity();
  Writer w;
  xmlNode* status = w.Add(w.header(), "Status");
  w.ResponseFor(status, s.response_for);
  w.Organ(status, "From", s.from);
  w.Add(status, "StatusCode", s.status_code);
  w.Add(status, "Description", s.description);
  w.Add(status, "Timestamp", FormatTimestamp(s.timestamp));
  xmlNode* staff = w.Add(status, "StaffInfo");
  w.Add(staff, "Department", s.staff.department);
  w.Add(staff, "Staff", s.staff.staff);
  w.Add(staff, "Mobile", s.staff.mobile);
  w.Add(staff, "Email", s.staff.email);
  w.Extension({{"ReceivedSha256", s.received_sha256}});
  w.Add(w.root(), "edXMLBody");
  CHY_TRY_STATUS(Sign(w.doc(), w.header(), {}, signer));
  return Serialize(w.doc());
}

Result<ParsedPackage> ReadPackage(std::string_view bytes, const Limits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return Refuse(kReasonTooLarge, "package",
                  "The package is over " + std::to_string(limits.max_bytes) + " bytes.");
  }
  CHY_TRY(std::vector<MimePart> parts, SplitPackage(bytes, limits));
  CHY_TRY(Envelope env, ParseEnvelope(parts[0].body, limits));
  ParsedPackage out;
  Package& p = out.package;
  Reader r("MessageHeader");
  xmlNode* m = Child(env.header, kEd, "MessageHeader");
  if (!m)
    return Malformed("MessageHeader", "MessageHeader: Missing (a status notice is not a package).");
  p.from = r.Organ(r.Need(m, "From"));
  for (xmlNode* to : Children(m, kEd, "To")) p.to.push_back(r.Organ(to));
  if (p.to.empty()) r.Problem("To", "Missing.");
  p.document_id = r.Text(m, "DocumentId", true);
  xmlNode* code = Child(m, kEd, "Code");
  p.code_number = r.Text(code, "CodeNumber");
  p.code_notation = r.Text(code, "CodeNotation");
  xmlNode* promulgation = r.Need(m, "PromulgationInfo");
  p.place = r.Text(promulgation, "Place");
  p.promulgation_date = r.DateOf(promulgation, "PromulgationDate");
  xmlNode* type = Child(m, kEd, "DocumentType");
  p.type = r.Int(type, "Type", 0, 1 << 30);
  p.type_name = r.Text(type, "TypeName");
  p.subject = r.Text(m, "Subject", true);
  p.content = r.Text(m, "Content");
  xmlNode* signer_info = Child(m, kEd, "SignerInfo");
  p.signer_competence = r.Text(signer_info, "Competence");
  p.signer_position = r.Text(signer_info, "Position");
  p.signer_full_name = r.Text(signer_info, "FullName");
  if (Child(m, kEd, "DueDate")) p.due_date = r.DateOf(m, "DueDate");
  for (xmlNode* place : Children(Child(m, kEd, "ToPlaces"), kEd, "Place"))
    p.to_places.push_back(Text(place));
  xmlNode* other = Child(m, kEd, "OtherInfo");
  p.priority = r.Int(other, "Priority", 0, 4);
  p.sphere_of_promulgation = r.Text(other, "SphereOfPromulgation");
  p.typer_notation = r.Text(other, "TyperNotation");
  p.promulgation_amount = r.Int(other, "PromulgationAmount", 0, 1 << 30);
  p.page_amount = r.Int(other, "PageAmount", 0, 1 << 30);
  for (xmlNode* a : Children(Child(other, kEd, "Appendixes"), kEd, "Appendix"))
    p.appendixes.push_back(Text(a));
  p.steering_type = r.Int(m, "SteeringType", 0, 1 << 30);
  for (xmlNode* rf : Children(m, kEd, "ResponseFor")) p.response_for.push_back(r.ResponseFor(rf));
  CHY_TRY_STATUS(r.Done());

  Reader t("TraceHeaderList");
  xmlNode* traces = Child(env.header, kEd, "TraceHeaderList");
  for (xmlNode* n : Children(traces, kEd, "TraceHeader"))
    p.traces.push_back({t.Text(n, "OrganId", true), t.TimeOf(n, "Timestamp")});
  if (xmlNode* b = Child(traces, kEd, "Bussiness")) {
    p.business.doc_type = t.Int(b, "BussinessDocType", 0, 3);
    p.business.reason = t.Text(b, "BussinessDocReason");
    p.business.paper = t.Int(b, "Paper", 0, 1) == 1;
    p.business.document_id = t.Text(b, "DocumentId");
  }
  CHY_TRY_STATUS(t.Done());
  if (xmlNode* label = Child(Child(env.header, kChy, "Extension"), kChy, "Classification")) {
    p.classification = Text(label);
    if (std::find(kClassifications.begin(), kClassifications.end(), p.classification) ==
        kClassifications.end()) {
      return Malformed("Extension/Classification", "Unknown classification label.");
    }
  }
  p.urgency = ExtensionText(env.header, "Urgency");

  // The manifest names each attachment part, once.
  xmlNode* body = Child(env.root, kEd, "edXMLBody");
  xmlNode* manifest = Child(body, kEd, "Manifest");
  if (!manifest) manifest = Child(body, kEd, "edXMLManifest");
  std::vector<xmlNode*> refs = Children(manifest, kEd, "Reference");
  if (refs.size() > limits.max_attachments) {
    return Refuse(kReasonTooLarge, "attachments",
                  "More than " + std::to_string(limits.max_attachments) + " attachments.");
  }
  std::vector<bool> used(parts.size(), false);
  for (xmlNode* ref : refs) {
    Attachment a;
    const std::string href = Attribute(ref, "href", kXlinkNamespace);
    if (href.rfind("cid:", 0) != 0 || !IsContentId(href.substr(4))) {
      return Malformed("Manifest/Reference", "An attachment reference is not cid:...");
    }
    a.content_id = href.substr(4);
    a.name = Text(Child(ref, kEd, "AttachmentName"));
    a.description = Text(Child(ref, kEd, "Description"));
    a.content_type = Text(Child(ref, kEd, "ContentType"));
    std::size_t i = 1;
    while (i < parts.size() && parts[i].content_id != a.content_id) ++i;
    if (i == parts.size())
      return Malformed("Manifest/Reference", "No MIME part for attachment " + a.content_id + ".");
    if (used[i])
      return Malformed("Manifest/Reference", "Attachment " + a.content_id + " is listed twice.");
    used[i] = true;
    a.bytes = std::move(parts[i].body);
    p.attachments.push_back(std::move(a));
  }
  if (std::find(used.begin() + 1, used.end(), false) != used.end()) {
    return Malformed("mime", "A MIME part is not in the manifest.");
  }
  CHY_TRY(EmbeddedCertificates certs, FindCertificates(env.header));
  out.signer_certificate_pem = std::move(certs.signer_pem);
  out.chain_pems = std::move(certs.chain_pems);
  out.signed_xml = std::move(parts[0].body);
  return out;
}

Result<ParsedStatus> ReadStatus(std::string_view xml, const Limits& limits) {
  CHY_TRY(Envelope env, ParseEnvelope(xml, limits));
  xmlNode* status = Child(env.header, kEd, "Status");
  if (!status) return Malformed("Status", "Status: Missing (a package is not a status notice).");
  ParsedStatus out;
  StatusNotice& s = out.status;
  Reader r("Status");
  s.response_for = r.ResponseFor(r.Need(status, "ResponseFor"));
  s.from = r.Organ(r.Need(status, "From"));
  s.status_code = r.Text(status, "StatusCode", true);
  if (!s.status_code.empty() && !IsStatusCode(s.status_code))
    r.Problem("StatusCode", "Unknown status code.");
  s.description = r.Text(status, "Description");
  s.timestamp = r.TimeOf(status, "Timestamp");
  xmlNode* staff = Child(status, kEd, "StaffInfo");
  s.staff = {r.Text(staff, "Department"), r.Text(staff, "Staff"), r.Text(staff, "Mobile"),
             r.Text(staff, "Email")};
  CHY_TRY_STATUS(r.Done());
  s.received_sha256 = ExtensionText(env.header, "ReceivedSha256");
  if (!s.received_sha256.empty() &&
      (s.received_sha256.size() != 64 || !HexDecode(s.received_sha256))) {
    return Malformed("Extension/ReceivedSha256", "Not a SHA-256 in hex.");
  }
  CHY_TRY(EmbeddedCertificates certs, FindCertificates(env.header));
  out.signer_certificate_pem = std::move(certs.signer_pem);
  out.chain_pems = std::move(certs.chain_pems);
  out.signed_xml = xml;
  return out;
}

Result<SignatureCheck> VerifySignature(const ParsedPackage& parsed,
                                       const std::vector<std::string>& trusted_ca_pems,
                                       const std::vector<std::string>& crl_pems, Timestamp at) {
  return Check(parsed.signed_xml, DigestsOf(parsed.package.attachments),
               parsed.signer_certificate_pem, parsed.chain_pems, trusted_ca_pems, crl_pems, at);
}

Result<SignatureCheck> VerifySignature(const ParsedStatus& parsed,
                                       const std::vector<std::string>& trusted_ca_pems,
                                       const std::vector<std::string>& crl_pems, Timestamp at) {
  return Check(parsed.signed_xml, {}, parsed.signer_certificate_pem, parsed.chain_pems,
               trusted_ca_pems, crl_pems, at);
}

}  // namespace chancery::edxml
