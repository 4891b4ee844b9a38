#include "lib/pki/pades.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <set>

#include "core/digest.h"
#include "lib/pki/openssl_util.h"
#include "lib/pki/pdf_internal.h"

namespace chancery::pki {

namespace {

using Handle = QPDFObjectHandle;

Error BadPdf(std::string code, std::string message) {
  return Error::Invalid("pdf", std::move(code), std::move(message));
}

// A PDF read by qpdf from memory; `pdf` must outlive the result. Damaged
// files are refused rather than repaired: a repaired file is not the file
// that was signed.
Result<std::unique_ptr<QPDF>> Load(std::string_view pdf) {
  auto q = std::make_unique<QPDF>();
  q->setSuppressWarnings(true);
  q->setAttemptRecovery(false);
  try {
    q->processMemoryFile("document", pdf.data(), pdf.size());
    if (q->isEncrypted())
      return BadPdf("encrypted", "Encrypted PDF files cannot be signed or verified here.");
    if (q->getAllPages().empty()) return BadPdf("unreadable", "The PDF has no pages.");
  } catch (const std::exception& e) {
    return BadPdf("unreadable", std::string("Not a readable PDF: ") + e.what());
  }
  return q;
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  if (const auto at = s.find(from); at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// An incremental update: the objects added or changed, appended after the
// original bytes with their own cross-reference section and a trailer whose
// /Prev points at the previous one (ISO 32000-1, 7.5.6).
class IncrementalUpdate {
 public:
  IncrementalUpdate(QPDF& q, std::string_view original) : q_(q), original_(original) {}

  void Write(Handle object) { objects_.emplace(object.getObjGen(), object); }

  // The updated file. `patch` may rewrite each serialised object (the
  // signature's placeholders) before offsets are taken.
  Result<std::string> Finish(const std::function<std::string(std::string)>& patch = {}) {
    const auto startxref = original_.rfind("startxref");
    if (startxref == std::string_view::npos)
      return BadPdf("unreadable", "The PDF has no startxref.");
    long long prev = 0;
    if (std::sscanf(std::string(original_.substr(startxref + 9, 24)).c_str(), "%lld", &prev) != 1) {
      return BadPdf("unreadable", "The PDF's startxref is unreadable.");
    }
    std::string out(original_);
    if (out.back() != '\n' && out.back() != '\r') out += '\n';
    std::map<int, std::pair<int, std::size_t>> offsets;  // id -> generation, offset
    for (auto& [og, object] : objects_) {
      offsets[og.getObj()] = {og.getGen(), out.size()};
      std::string body = Serialize(object);
      if (patch) body = patch(std::move(body));
      out += std::to_string(og.getObj()) + " " + std::to_string(og.getGen()) + " obj\n" + body +
             "\nendobj\n";
    }
    const std::size_t xref = out.size();
    out += "xref\n0 1\n0000000000 65535 f \n";
    for (auto it = offsets.begin(); it != offsets.end();) {
      auto end = it;
      int count = 0;
      while (end != offsets.end() && end->first == it->first + count) ++end, ++count;
      out += std::to_string(it->first) + " " + std::to_string(count) + "\n";
      for (; it != end; ++it) {
        char entry[24];
        std::snprintf(entry, sizeof entry, "%010zu %05d n \n", it->second.second, it->second.first);
        out += entry;
      }
    }
    Handle trailer = q_.getTrailer();
    long long size =
        trailer.getKey("/Size").isInteger() ? trailer.getKey("/Size").getIntValue() : 0;
    if (!offsets.empty()) size = std::max<long long>(size, offsets.rbegin()->first + 1);
    out +=
        "trailer\n<< /Size " + std::to_string(size) + " /Root " + trailer.getKey("/Root").unparse();
    for (const char* key : {"/Info", "/ID"}) {
      if (trailer.hasKey(key)) out += std::string(" ") + key + " " + trailer.getKey(key).unparse();
    }
    out +=
        " /Prev " + std::to_string(prev) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
  }

 private:
  static std::string Serialize(Handle object) {
    if (!object.isStream()) return object.unparseResolved();
    std::shared_ptr<Buffer> data = object.getRawStreamData();
    Handle dict = object.getDict();
    dict.replaceKey("/Length", Handle::newInteger(static_cast<long long>(data->getSize())));
    return dict.unparseResolved() + "\nstream\n" +
           std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize()) +
           "\nendstream";
  }

  QPDF& q_;
  std::string_view original_;
  std::map<QPDFObjGen, Handle> objects_;
};

// A stream object made in `q` from bytes already compressed as `filter`.
Handle NewStream(QPDF& q, std::string data, std::string_view dict, bool deflated) {
  Handle stream = Handle::newStream(&q, std::move(data));
  Handle d = Handle::parse(std::string(dict));
  if (deflated) d.replaceKey("/Filter", Handle::newName("/FlateDecode"));
  stream.replaceDict(d);
  return stream;
}

Handle NewArray(const std::vector<double>& numbers) {
  std::vector<Handle> items;
  for (double n : numbers) items.push_back(Handle::newReal(n, 2));
  return Handle::newArray(items);
}

// "D:20261123101500+07'00'", the PDF date of a moment in Vietnam.
std::string PdfDate(Timestamp t) {
  const std::string iso = FormatVietnamTime(t);  // 2026-11-23T10:15:00+07:00
  std::string digits;
  for (char c : iso.substr(0, 19)) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return "D:" + digits + "+07'00'";
}

std::optional<Timestamp> ParsePdfDate(const std::string& s) {
  int y = 0, mo = 1, d = 1, h = 0, mi = 0, se = 0, oh = 0, om = 0;
  char sign = 'Z';
  const int n = std::sscanf(s.c_str(), "D:%4d%2d%2d%2d%2d%2d%c%2d'%2d", &y, &mo, &d, &h, &mi, &se,
                            &sign, &oh, &om);
  if (n < 1) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  long offset = (sign == '+' ? 1 : sign == '-' ? -1 : 0) * (oh * 3600L + om * 60L);
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::from_time_t(timegm(&tm) - offset));
}

std::string Hex(std::string_view bytes) { return HexEncode(bytes, true); }

std::set<std::string> FieldNames(QPDF& q) {
  std::set<std::string> names;
  QPDFAcroFormDocumentHelper forms(q);
  for (auto& field : forms.getFormFields()) names.insert(field.getFullyQualifiedName());
  return names;
}

// Adds `item` to the array under `key` of `owner`, writing whichever object
// holds the array.
void AppendTo(Handle owner, const char* key, Handle item, IncrementalUpdate& update) {
  Handle array = owner.getKey(key);
  if (array.isArray()) {
    array.appendItem(item);
    update.Write(array.isIndirect() ? array : owner);
  } else {
    owner.replaceKey(key, Handle::newArray(std::vector<Handle>{item}));
    update.Write(owner);
  }
}

// The catalog's /AcroForm, made when missing; marked as holding signatures.
Handle AcroForm(QPDF& q, IncrementalUpdate& update) {
  Handle root = q.getRoot();
  Handle form = root.getKey("/AcroForm");
  if (!form.isDictionary()) {
    form = q.makeIndirectObject(Handle::newDictionary());
    root.replaceKey("/AcroForm", form);
    update.Write(root);
  }
  form.replaceKey("/SigFlags", Handle::newInteger(3));
  update.Write(form.isIndirect() ? form : root);
  return form;
}

constexpr std::string_view kByteRangeMark = "/ChanceryByteRange";
constexpr std::string_view kContentsMark = "/ChanceryContents";
constexpr std::string_view kByteRangeHole = "[0 0000000000 0000000000 0000000000]";

}  // namespace

Result<std::string> SignPdf(std::string_view pdf, const PdfSignRequest& request) {
  CHY_TRY(std::unique_ptr<QPDF> q, Load(pdf));
  IncrementalUpdate update(*q, pdf);
  const auto& pages = q->getAllPages();
  const Appearance* look = request.appearance ? &*request.appearance : nullptr;
  const int page_no = look ? (look->page == 0 ? static_cast<int>(pages.size()) : look->page) : 1;
  if (page_no < 1 || page_no > static_cast<int>(pages.size())) {
    return Error::Invalid("appearance.page", "out_of_range", "The document has no such page.");
  }
  Handle page = pages[static_cast<std::size_t>(page_no - 1)];

  std::set<std::string> names = FieldNames(*q);
  std::string name = request.field_name;
  if (name.empty()) {
    for (int n = 1; name.empty() || names.count(name); ++n) name = "Signature" + std::to_string(n);
  } else if (names.count(name)) {
    return Error::Invalid("field_name", "taken", "The document already has a field of this name.");
  }

  // The signature dictionary, with placeholders for what is known only
  // once the bytes around it are fixed.
  Handle sig = q->makeIndirectObject(Handle::parse(
      "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange " +
      std::string(kByteRangeMark) + " /Contents " + std::string(kContentsMark) + " >>"));
  sig.replaceKey("/M", Handle::newString(PdfDate(request.signing_time)));
  if (!request.reason.empty()) sig.replaceKey("/Reason", Handle::newUnicodeString(request.reason));
  if (!request.location.empty())
    sig.replaceKey("/Location", Handle::newUnicodeString(request.location));

  // The widget (field and annotation in one) and its appearance.
  Handle widget =
      q->makeIndirectObject(Handle::parse("<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 >>"));
  widget.replaceKey("/T", Handle::newUnicodeString(name));
  widget.replaceKey("/V", sig);
  widget.replaceKey("/P", page);
  Box box = look ? look->box : Box{};
  if (look && look->from_top_right) {
    Handle media = QPDFPageObjectHelper(page).getMediaBox();
    if (media.isRectangle()) {
      const auto r = media.getArrayAsRectangle();
      box.x = r.urx - box.x - box.width;
      box.y = r.ury - box.y - box.height;
    }
  }
  widget.replaceKey("/Rect", NewArray({box.x, box.y, box.x + box.width, box.y + box.height}));
  std::string content;
  Handle xobjects = Handle::newDictionary();
  if (look) {
    CHY_TRY(internal::RenderedAppearance drawn, internal::RenderAppearance(*look));
    content = std::move(drawn.content);
    for (std::size_t i = 0; i < drawn.images.size(); ++i) {
      const auto& image = drawn.images[i];
      const std::string size = " /Width " + std::to_string(image.width) + " /Height " +
                               std::to_string(image.height) + " /BitsPerComponent 8";
      Handle mask = NewStream(
          *q, image.alpha_deflated,
          "<< /Type /XObject /Subtype /Image /ColorSpace /DeviceGray" + size + " >>", true);
      Handle rgb = NewStream(
          *q, image.rgb_deflated,
          "<< /Type /XObject /Subtype /Image /ColorSpace /DeviceRGB" + size + " >>", true);
      rgb.getDict().replaceKey("/SMask", mask);
      xobjects.replaceKey("/Im" + std::to_string(i), rgb);
      update.Write(mask);
      update.Write(rgb);
    }
  }
  Handle form =
      NewStream(*q, internal::Deflate(content), "<< /Type /XObject /Subtype /Form >>", true);
  form.getDict().replaceKey("/BBox", NewArray({0, 0, box.width, box.height}));
  form.getDict().replaceKey("/Resources", Handle::parse("<< >>"));
  form.getDict().getKey("/Resources").replaceKey("/XObject", xobjects);
  widget.replaceKey("/AP", Handle::newDictionary());
  widget.getKey("/AP").replaceKey("/N", form);
  update.Write(sig);
  update.Write(widget);
  update.Write(form);
  AppendTo(page, "/Annots", widget, update);
  AppendTo(AcroForm(*q, update), "/Fields", widget, update);

  const std::string contents_hole = "<" + std::string(request.reserve * 2, '0') + ">";
  CHY_TRY(std::string out, update.Finish([&](std::string body) {
    return Replace(Replace(std::move(body), kByteRangeMark, kByteRangeHole), kContentsMark,
                   contents_hole);
  }));
  const std::size_t hole = out.find(contents_hole, pdf.size());
  const std::size_t range = out.find(kByteRangeHole, pdf.size());
  if (hole == std::string::npos || range == std::string::npos) {
    return MakeError(ErrorCode::kInternal, "The signature placeholders were not written.");
  }
  const std::size_t after = hole + contents_hole.size();
  char byte_range[64];
  std::snprintf(byte_range, sizeof byte_range, "[0 %010zu %010zu %010zu]", hole, after,
                out.size() - after);
  out.replace(range, kByteRangeHole.size(), byte_range);

  const std::string signed_bytes = out.substr(0, hole) + out.substr(after);
  std::optional<Signer> opened = request.signer;
  if (!opened) {
    CHY_TRY(opened, Signer::Open(request.certificate_pem, request.key, request.chain));
  }
  CHY_TRY(std::string cms, opened->SignDetached(signed_bytes, CmsProfile::kPades));
  if (request.tsa) {
    CHY_TRY(std::string stamp_request, SignatureTimestampRequest(cms));
    CHY_TRY(std::string stamp, request.tsa(stamp_request));
    CHY_TRY(cms, AttachSignatureTimestamp(cms, stamp));
  }
  if (cms.size() > request.reserve) {
    return Error::Invalid("reserve", "too_small",
                          "The signature (" + std::to_string(cms.size()) +
                              " bytes) does not fit the space reserved for it.");
  }
  const std::string hex = Hex(cms);
  out.replace(hole + 1, hex.size(), hex);
  return out;
}

Result<std::string> AddValidationData(std::string_view pdf, const ValidationData& data) {
  CHY_TRY(std::unique_ptr<QPDF> q, Load(pdf));
  IncrementalUpdate update(*q, pdf);
  Handle root = q->getRoot();
  Handle dss = root.getKey("/DSS");
  if (!dss.isDictionary()) {
    dss = q->makeIndirectObject(Handle::parse("<< /Type /DSS >>"));
    root.replaceKey("/DSS", dss);
    update.Write(root);
  }
  update.Write(dss.isIndirect() ? dss : root);
  auto add = [&](const char* key, const std::string& der) {
    Handle stream = NewStream(*q, internal::Deflate(der), "<< >>", true);
    update.Write(stream);
    AppendTo(dss, key, stream, update);
  };
  for (const auto& pem : data.certificates_pem) {
    CHY_TRY(internal::Cert cert, internal::LoadCert(pem, "certificates"));
    CHY_TRY(std::string der, internal::Der(cert.get(), i2d_X509, "certificate"));
    add("/Certs", der);
  }
  for (const auto& pem : data.crls_pem) {
    internal::Bio in = internal::ReadBio(pem);
    internal::Crl crl(PEM_read_bio_X509_CRL(in.get(), nullptr, nullptr, nullptr));
    if (!crl) return internal::Bad("crls", "Not a PEM CRL.");
    CHY_TRY(std::string der, internal::Der(crl.get(), i2d_X509_CRL, "CRL"));
    add("/CRLs", der);
  }
  for (const auto& der : data.ocsp_der) add("/OCSPs", der);
  return update.Finish();
}

// ---------------------------------------------------------------------------
// Verification

namespace {

// What the /DSS holds: CRLs as PEM (for the verifier) and certificate serials.
struct StoredValidationData {
  bool present = false;
  std::vector<std::string> crls_pem;
  std::set<std::string> cert_serials;
  int ocsp_count = 0;
};

std::string StreamBytes(Handle stream) {
  std::shared_ptr<Buffer> data = stream.getStreamData(qpdf_dl_generalized);
  return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
}

// The streams listed in `dict`'s array `key`, as DER bytes.
std::vector<std::string> StreamsIn(Handle dict, const char* key) {
  std::vector<std::string> out;
  if (!dict.getKey(key).isArray()) return out;
  for (Handle s : dict.getKey(key).getArrayAsVector()) {
    if (s.isStream()) out.push_back(StreamBytes(s));
  }
  return out;
}

StoredValidationData ReadDss(QPDF& q) {
  StoredValidationData out;
  Handle dss = q.getRoot().getKey("/DSS");
  if (!dss.isDictionary()) return out;
  out.present = true;
  for (const std::string& der : StreamsIn(dss, "/CRLs")) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    internal::Crl crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
    if (!crl) continue;
    internal::Bio bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509_CRL(bio.get(), crl.get());
    out.crls_pem.push_back(internal::Drain(bio.get()));
  }
  for (const std::string& der : StreamsIn(dss, "/Certs")) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    internal::Cert cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (cert) out.cert_serials.insert(internal::SerialHex(X509_get_serialNumber(cert.get())));
  }
  out.ocsp_count = static_cast<int>(StreamsIn(dss, "/OCSPs").size());
  return out;
}

// Keys a later update may change in an existing object without touching
// what was signed: signing, annotating and adding validation data.
bool AllowedChange(Handle before, Handle after, std::string* what) {
  if (before.isArray() && after.isArray()) {  // /Annots, /Fields: items only added
    std::multiset<std::string> now;
    for (Handle h : after.getArrayAsVector()) now.insert(h.unparse());
    for (Handle h : before.getArrayAsVector()) {
      auto it = now.find(h.unparse());
      if (it == now.end()) return false;
      now.erase(it);
    }
    *what = "array extended";
    return true;
  }
  if (!before.isDictionary() || !after.isDictionary() || before.isStream() || after.isStream())
    return false;
  std::set<std::string> changed;
  for (const auto& key : before.getKeys()) {
    if (!after.hasKey(key) || after.getKey(key).unparse() != before.getKey(key).unparse())
      changed.insert(key);
  }
  for (const auto& key : after.getKeys()) {
    if (!before.hasKey(key)) changed.insert(key);
  }
  std::set<std::string> allowed;
  const std::string type = before.getKey("/Type").isName() ? before.getKey("/Type").getName() : "";
  if (type == "/Catalog") {
    allowed = {"/AcroForm", "/DSS", "/Extensions", "/Version"};
    *what = "catalog: form or validation data";
  } else if (type == "/Page") {
    allowed = {"/Annots"};
    *what = "page annotations";
  } else if (before.hasKey("/Fields") || before.hasKey("/SigFlags")) {
    allowed = {"/Fields", "/SigFlags", "/DR", "/DA"};
    *what = "form fields";
  } else if (before.getKey("/FT").isName() && before.getKey("/FT").getName() == "/Sig") {
    allowed = {"/V", "/AP", "/F", "/Lock"};
    *what = "signature field signed";
  } else if (type == "/DSS") {
    allowed = {"/Certs", "/CRLs", "/OCSPs", "/VRI"};
    *what = "validation data";
  }
  return std::all_of(changed.begin(), changed.end(),
                     [&](const std::string& k) { return allowed.count(k) > 0; });
}

// What updates after byte `end` (where a signed revision ends) changed.
Result<std::vector<PdfChange>> LaterChanges(std::string_view pdf, std::size_t end, QPDF& full) {
  CHY_TRY(std::unique_ptr<QPDF> old, Load(pdf.substr(0, end)));
  std::map<QPDFObjGen, Handle> before;
  for (Handle h : old->getAllObjects()) before.emplace(h.getObjGen(), h);
  // Which page each page object and content stream belongs to.
  std::map<QPDFObjGen, int> page_of;
  int n = 0;
  for (Handle page : full.getAllPages()) {
    ++n;
    page_of[page.getObjGen()] = n;
    Handle contents = page.getKey("/Contents");
    for (Handle c :
         contents.isArray() ? contents.getArrayAsVector() : std::vector<Handle>{contents}) {
      if (c.isIndirect()) page_of[c.getObjGen()] = n;
    }
  }
  std::vector<PdfChange> changes;
  for (Handle h : full.getAllObjects()) {
    const QPDFObjGen og = h.getObjGen();
    const std::string id = std::to_string(og.getObj()) + " " + std::to_string(og.getGen());
    auto it = before.find(og);
    if (it == before.end()) {
      if (!h.isDictionary() || h.isStream()) continue;
      const std::string type = h.getKey("/Type").isName() ? h.getKey("/Type").getName() : "";
      const std::string subtype =
          h.getKey("/Subtype").isName() ? h.getKey("/Subtype").getName() : "";
      if (type == "/Sig")
        changes.push_back({id, "signature added", true});
      else if (type == "/DocTimeStamp")
        changes.push_back({id, "document time-stamp added", true});
      else if (type == "/DSS")
        changes.push_back({id, "validation data (DSS) added", true});
      else if (subtype != "" && subtype != "/Widget" && type == "/Annot") {
        changes.push_back({id, "annotation " + subtype.substr(1) + " added", true});
      }
      continue;
    }
    Handle old_h = it->second;
    const bool same = h.isStream() && old_h.isStream()
                          ? h.getDict().unparseResolved() == old_h.getDict().unparseResolved() &&
                                StreamBytes(h) == StreamBytes(old_h)
                          : h.unparseResolved() == old_h.unparseResolved();
    if (same) continue;
    std::string what;
    if (!h.isStream() && AllowedChange(old_h, h, &what)) {
      changes.push_back({id, what + " updated", true});
      continue;
    }
    auto page = page_of.find(og);
    if (page != page_of.end()) {
      changes.push_back({id, "page " + std::to_string(page->second) + " content changed", false});
    } else {
      changes.push_back({id, std::string(h.isStream() ? "stream" : "object") + " changed", false});
    }
  }
  return changes;
}

int Severity(std::string_view indication) {
  return indication == kTotalFailed ? 2 : indication == kIndeterminate ? 1 : 0;
}

PdfSignatureReport VerifyOne(std::string_view pdf, QPDF& q, const std::string& field, Handle sig,
                             const std::vector<std::string>& trusted_pems,
                             const std::vector<std::string>& crl_pems,
                             const StoredValidationData& dss, Timestamp at) {
  PdfSignatureReport r;
  r.field = field;
  r.sub_filter =
      sig.getKey("/SubFilter").isName() ? sig.getKey("/SubFilter").getName().substr(1) : "";
  if (sig.getKey("/M").isString()) r.claimed_time = ParsePdfDate(sig.getKey("/M").getUTF8Value());
  auto fail = [&](std::string_view indication, std::string sub, std::string reason) {
    r.indication = indication;
    r.sub_indication = std::move(sub);
    r.reason = std::move(reason);
    return r;
  };
  Handle range = sig.getKey("/ByteRange");
  if (!range.isArray() || range.getArrayNItems() != 4)
    return fail(kTotalFailed, "FORMAT_FAILURE", "no /ByteRange of four numbers");
  for (int i = 0; i < 4; ++i) {
    if (!range.getArrayItem(i).isInteger())
      return fail(kTotalFailed, "FORMAT_FAILURE", "a /ByteRange entry is not an integer");
    r.byte_range.push_back(range.getArrayItem(i).getIntValue());
  }
  const long long a = r.byte_range[0], b = r.byte_range[1], c = r.byte_range[2],
                  d = r.byte_range[3];
  const auto size = static_cast<long long>(pdf.size());
  if (a != 0 || b <= 0 || c <= b + 1 || d < 0 || c + d > size || pdf[b] != '<' ||
      pdf[c - 1] != '>') {
    return fail(kTotalFailed, "FORMAT_FAILURE",
                "the /ByteRange does not cover the file around /Contents");
  }
  const std::size_t end = static_cast<std::size_t>(c + d);
  // The signed revision must end where a revision ends (%%EOF, then at most an end of line).
  const std::string_view revision = pdf.substr(0, end);
  const auto eof = revision.rfind("%%EOF");
  if (eof == std::string_view::npos ||
      revision.find_first_not_of("\r\n", eof + 5) != std::string_view::npos) {
    return fail(kTotalFailed, "FORMAT_FAILURE",
                "the signed bytes do not end a revision of the file");
  }
  // The hole is exactly this signature's /Contents.
  const std::string cms =
      sig.getKey("/Contents").isString() ? sig.getKey("/Contents").getStringValue() : "";
  const std::string_view hex =
      pdf.substr(static_cast<std::size_t>(b) + 1, static_cast<std::size_t>(c - b - 2));
  std::string digits;
  for (char ch : hex) {
    if (ch != ' ' && ch != '\r' && ch != '\n')
      digits += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  if (digits != Hex(cms)) {
    return fail(kTotalFailed, "FORMAT_FAILURE",
                "/Contents is not the signature between the byte ranges");
  }

  const std::string signed_bytes =
      std::string(pdf.substr(0, static_cast<std::size_t>(b))) +
      std::string(pdf.substr(static_cast<std::size_t>(c), static_cast<std::size_t>(d)));
  std::vector<std::string> crls = crl_pems;
  crls.insert(crls.end(), dss.crls_pem.begin(), dss.crls_pem.end());
  auto verified = VerifyDetached(cms, signed_bytes, trusted_pems, crls, at);
  if (!verified.ok()) return fail(kTotalFailed, "FORMAT_FAILURE", verified.error().message);
  r.cms = std::move(*verified);
  r.covers_whole_document = end == pdf.size();

  const bool pades = r.sub_filter == "ETSI.CAdES.detached";
  const bool stamped = r.cms.timestamped_at.has_value();
  const bool long_term = stamped && dss.present &&
                         dss.cert_serials.count(r.cms.signer_serial_hex) &&
                         (!dss.crls_pem.empty() || dss.ocsp_count > 0);
  r.level = pades ? (long_term ? "PAdES-BASELINE-LT"
                     : stamped ? "PAdES-BASELINE-T"
                               : "PAdES-BASELINE-B")
                  : (stamped ? "PKCS7-T" : "PKCS7-B");
  r.indication = r.cms.indication;
  r.sub_indication = r.cms.sub_indication;
  r.reason = r.cms.reason;
  if (!r.covers_whole_document) {
    auto changes = LaterChanges(pdf, end, q);
    if (!changes.ok())
      return fail(kTotalFailed, "FORMAT_FAILURE",
                  "the signed revision is unreadable: " + changes.error().message);
    r.later_changes = std::move(*changes);
    for (const auto& change : r.later_changes) {
      if (!change.allowed && Severity(r.indication) < 2) {
        return fail(kTotalFailed, "MODIFIED_AFTER_SIGNING",
                    "after signing, a later update changed the document: " + change.what);
      }
    }
  }
  return r;
}

}  // namespace

Result<PdfReport> VerifyPdf(std::string_view pdf, const std::vector<std::string>& trusted_pems,
                            const std::vector<std::string>& crl_pems, Timestamp at) {
  CHY_TRY(std::unique_ptr<QPDF> q, Load(pdf));
  PdfReport report;
  try {
    const StoredValidationData dss = ReadDss(*q);
    report.has_validation_data = dss.present;
    QPDFAcroFormDocumentHelper forms(*q);
    for (auto& field : forms.getFormFields()) {
      if (field.getFieldType() != "/Sig") continue;
      Handle value = field.getValue();
      if (!value.isDictionary()) continue;  // an empty signature field
      report.signatures.push_back(VerifyOne(pdf, *q, field.getFullyQualifiedName(), value,
                                            trusted_pems, crl_pems, dss, at));
    }
  } catch (const std::exception& e) {
    return BadPdf("unreadable", std::string("Not a readable PDF: ") + e.what());
  }
  std::sort(report.signatures.begin(), report.signatures.end(), [](const auto& x, const auto& y) {
    return x.byte_range.size() == 4 && y.byte_range.size() == 4 &&
           x.byte_range[2] + x.byte_range[3] < y.byte_range[2] + y.byte_range[3];
  });
  for (std::size_t i = 0; i < report.signatures.size(); ++i)
    report.signatures[i].revision = static_cast<int>(i) + 1;
  if (report.signatures.empty()) {
    report.indication = kIndeterminate;
    report.sub_indication = "NO_SIGNATURE";
    report.reason = "the document carries no signature";
    return report;
  }
  report.indication = kTotalPassed;
  for (const auto& s : report.signatures) {
    if (Severity(s.indication) > Severity(report.indication)) {
      report.indication = s.indication;
      report.sub_indication = s.sub_indication;
      report.reason = s.field + ": " + s.reason;
    }
  }
  return report;
}

namespace {

boost::json::value Time(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatVietnamTime(*t));
}

boost::json::object CmsJson(const Verification& v) {
  boost::json::array chain;
  for (const auto& s : v.chain) chain.emplace_back(s);
  return {{"indication", v.indication},
          {"sub_indication", v.sub_indication},
          {"reason", v.reason},
          {"signer", v.signer_common_name},
          {"signer_subject", v.signer_subject},
          {"signer_serial", v.signer_serial_hex},
          {"chain", chain},
          {"trusted", !v.chain.empty()},
          {"revocation", v.revocation},
          {"level", v.level},
          {"claimed_signing_time", Time(v.claimed_signing_time)},
          {"timestamp", Time(v.timestamped_at)}};
}

}  // namespace

std::string ReportJson(const Verification& cms) { return boost::json::serialize(CmsJson(cms)); }

std::string ReportJson(const PdfReport& report) {
  boost::json::array signatures;
  for (const auto& s : report.signatures) {
    boost::json::array changes, range;
    for (const auto& c : s.later_changes) {
      changes.push_back({{"object", c.object}, {"what", c.what}, {"allowed", c.allowed}});
    }
    for (long long x : s.byte_range) range.emplace_back(x);
    boost::json::object o = CmsJson(s.cms);
    o["field"] = s.field;
    o["sub_filter"] = s.sub_filter;
    o["revision"] = s.revision;
    o["byte_range"] = range;
    o["covers_whole_document"] = s.covers_whole_document;
    o["claimed_signing_time"] = Time(s.claimed_time);
    o["level"] = s.level;
    o["later_changes"] = changes;
    o["indication"] = s.indication;
    o["sub_indication"] = s.sub_indication;
    o["reason"] = s.reason;
    signatures.push_back(std::move(o));
  }
  return boost::json::serialize(
      boost::json::object{{"indication", report.indication},
                          {"sub_indication", report.sub_indication},
                          {"reason", report.reason},
                          {"has_validation_data", report.has_validation_data},
                          {"signatures", signatures}});
}

std::string SimplePdf(const std::vector<std::string>& page_texts) {
  const int pages = static_cast<int>(page_texts.size());
  std::vector<std::string> objects;
  std::string kids;
  for (int i = 0; i < pages; ++i) kids += std::to_string(3 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
  for (int i = 0; i < pages; ++i) {
    // Each line of the page's text, 16 points apart from the top; PDF string escapes.
    std::string text = "BT /F1 12 Tf 72 770 Td 16 TL";
    std::string line;
    auto flush = [&] {
      text += " (" + line + ") '";
      line.clear();
    };
    for (char ch : page_texts[static_cast<std::size_t>(i)]) {
      if (ch == '\n') {
        flush();
      } else if (ch == '(' || ch == ')' || ch == '\\') {
        line += '\\';
        line += ch;
      } else if (static_cast<unsigned char>(ch) >= 32 && static_cast<unsigned char>(ch) < 127) {
        line += ch;
      }
    }
    flush();
    text += " ET";
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " +
                      std::to_string(4 + 2 * i) + " 0 R /Resources << /Font << /F1 " +
                      std::to_string(3 + 2 * pages) + " 0 R >> >> >>");
    objects.push_back("<< /Length " + std::to_string(text.size()) + " >>\nstream\n" + text +
                      "\nendstream");
  }
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    out += entry;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace chancery::pki
