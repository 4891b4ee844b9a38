// PAdES: signatures inside PDF files (ETSI EN 319 142-1), each added as an
// incremental update so that earlier signatures stay valid, and the
// verification of any PDF's signatures — ours or another tool's — into a
// validation report in the spirit of the EU DSS one.
//
// qpdf reads the PDF and writes the objects we add or change; the layout of
// an incremental update (the objects, a cross-reference section, a trailer
// pointing at the previous one) is ours. The CMS inside is SignDetached's
// with the PAdES profile; time-stamps come from any RFC 3161 TSA.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/world.h"
#include "lib/pki/pki.h"

namespace chancery::pki {

// A rectangle in PDF points (1/72 inch), origin at the page's lower left.
struct Box {
  double x = 0, y = 0, width = 0, height = 0;
};

// What a visible signature shows: images (PNG, with transparency — the red
// seal, a handwritten signature) and lines of text, placed relative to the
// signature's box. Text is drawn as glyph outlines of `font_file` (a
// TrueType/OpenType font), so any Vietnamese text shows without embedding a
// font into the document.
struct Appearance {
  struct Image {
    std::string png;
    Box at;  // within the signature's box
  };
  struct Text {
    std::string utf8;
    double x = 0, y = 0;  // baseline start, within the signature's box
    double size = 9;
    bool red = false;
  };
  int page = 1;  // 1-based; 0 = the last page
  Box box;
  // When set, box.x and box.y are the box's distances from the page's right
  // and top edges (an appendix's signature at the top right of page one).
  bool from_top_right = false;
  std::vector<Image> images;
  std::vector<Text> lines;
  std::string font_file;
};

// A signature time-stamp from a TSA: DER TimeStampReq in, DER TimeStampResp out.
using TimestampAuthority = std::function<Result<std::string>(std::string_view request_der)>;

struct PdfSignRequest {
  std::optional<Signer> signer;  // opened once for many documents; else:
  std::string certificate_pem;
  std::vector<std::string> chain;  // intermediates, embedded in the CMS
  KeyRef key;
  Timestamp signing_time{};  // the claimed time (/M), shown in +07:00
  std::string field_name;    // empty: "Signature<n>"
  std::string reason;        // UTF-8
  std::string location;
  std::optional<Appearance> appearance;  // nullopt: an invisible signature
  TimestampAuthority tsa;                // set: PAdES B-T
  std::size_t reserve = 24 * 1024;       // bytes kept for the CMS in /Contents
};

// The PDF with one more signature, appended as an incremental update: the
// input's bytes are the output's first bytes, unchanged. An encrypted,
// unreadable or not-a-PDF input is kInvalidArgument ("pdf").
Result<std::string> SignPdf(std::string_view pdf, const PdfSignRequest& request);

// Validation data for PAdES B-LT: a further incremental update adding the
// document security store (/DSS) with the certificates (PEM), CRLs (PEM) and
// OCSP responses (DER) a verifier needs years later, offline.
struct ValidationData {
  std::vector<std::string> certificates_pem;
  std::vector<std::string> crls_pem;
  std::vector<std::string> ocsp_der;
};
Result<std::string> AddValidationData(std::string_view pdf, const ValidationData& data);

// One change a later incremental update made, seen from a signature.
struct PdfChange {
  std::string object;   // "12 0"
  std::string what;     // "signature added", "page 1 content changed", ...
  bool allowed = true;  // signing, annotations, validation data: allowed
};

struct PdfSignatureReport {
  std::string field;
  std::string sub_filter;  // ETSI.CAdES.detached, adbe.pkcs7.detached, ...
  std::vector<long long> byte_range;
  bool covers_whole_document = false;     // no bytes after this signature's revision
  int revision = 0;                       // 1 = the first signed revision
  std::optional<Timestamp> claimed_time;  // /M
  std::string level;                      // PAdES-BASELINE-B/-T/-LT, or PKCS7-B/-T
  Verification cms;                       // the CMS: signer, chain, revocation, time-stamp
  std::vector<PdfChange> later_changes;
  std::string indication, sub_indication, reason;
};

struct PdfReport {
  std::vector<PdfSignatureReport> signatures;
  bool has_validation_data = false;                // a /DSS
  std::string indication, sub_indication, reason;  // the document's: the worst signature's
};

// Verifies every signature in `pdf` against `trusted_pems` (roots), with
// `crl_pems` and the CRLs in the PDF's /DSS for revocation, at `at` (or at a
// signature's time-stamp). A PDF without signatures is a report with no
// signatures and INDETERMINATE "NO_SIGNATURE"; only an unreadable PDF is an error.
Result<PdfReport> VerifyPdf(std::string_view pdf, const std::vector<std::string>& trusted_pems,
                            const std::vector<std::string>& crl_pems, Timestamp at);

// A plain PDF with one page (A4) per entry of `page_texts`, each line of
// text in Helvetica (ASCII): what demos, tests and fuzz seeds sign.
std::string SimplePdf(const std::vector<std::string>& page_texts);

// Images for demos and tests (RGBA PNG): a red round seal with a star, and a
// handwritten-looking blue stroke.
std::string DemoSealPng(int size_px = 240);
std::string DemoSignaturePng(int width_px = 360, int height_px = 120);

// The report as JSON (times ISO 8601 with +07:00).
std::string ReportJson(const PdfReport& report);
std::string ReportJson(const Verification& cms);

}  // namespace chancery::pki
