// edXML packages and status notices between agencies (QCVN 102:2016/BTTTT):
// the model, the writer, the strict reader, XML-DSig signing and checking.
//
// Wire format (decisions, to be written up in docs/ with the exchange service):
// - The envelope is edXML:edXMLEnvelope in namespace
//   "http://www.mic.gov.vn/TBT/QCVN_102_2016" (prefix edXML) with
//   edXML:edXMLHeader (edXML:MessageHeader, edXML:TraceHeaderList with
//   TraceHeader and "Bussiness" — the standard's spelling — or, for a status
//   notice, edXML:Status) and edXML:edXMLBody (edXML:Manifest of
//   edXML:Reference xlink:href="cid:..."). Element names follow the
//   standard's published samples (OrganizationInCharge, OrganAdd, ...).
// - What the standard has no element for (the classification label, the
//   urgency label, a receipt's digest of the package it acknowledges) goes in
//   chy:Extension, namespace "urn:chancery:edxml:1", after the standard's
//   elements in edXMLHeader; other readers ignore it, ours reads it.
// - Dates are "yyyy/MM/dd" (as in the document id); times are xs:dateTime in
//   UTC ("2026-11-22T02:30:00.000000Z"). The reader also takes "yyyy-MM-dd",
//   "dd/MM/yyyy", offsets, and the samples' "yyyy/MM/dd HH:mm:ss" (+07:00).
// - A package is a MIME multipart/related message: first the envelope
//   (text/xml; charset=utf-8), then one part per attachment with its
//   Content-ID and Content-Transfer-Encoding base64 (or binary, an option
//   for node-to-node transport). The reader also takes a bare envelope.
//   A status notice is the bare XML.
// - The signature is an enveloped XML-DSig ds:Signature, the last child of
//   edXMLHeader: exclusive C14N, RSA-SHA256 (ECDSA-SHA256 for an EC key),
//   KeyInfo/X509Data with the signer's certificate first, then its chain.
//   Reference URI="" (enveloped-signature + exc-c14n) covers the whole
//   envelope; a package with attachments also carries ds:Object/ds:Manifest
//   (one ds:Reference URI="cid:..." with the SHA-256 of each attachment's
//   bytes) referenced from SignedInfo by its Id, so the signature covers the
//   attachments. xmlsec1 checks such a file with --url-map:cid:X file per
//   attachment (or --ignore-manifests: XML-DSig core validation only).
//
// Signing canonicalises SignedInfo with libxml2 and signs through
// pki::Signer::SignRaw, so keys in PKCS#11 tokens sign in place. Checking
// runs libxmlsec1's core validation with the key of the embedded signer
// certificate, our own digest check of every attachment, and pki's chain
// check against the trusted CAs and CRLs at a given time.
//
// Every function is safe to call from any thread. Nothing here throws.
// Failures are Result errors; refusals of outside input carry a stable
// reason code (see kReason*) in error().fields[0].code, read by ReasonOf.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/world.h"
#include "lib/pki/pki.h"

namespace chancery::edxml {

inline constexpr std::string_view kEdxmlNamespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
inline constexpr std::string_view kChanceryNamespace = "urn:chancery:edxml:1";

// Reason codes, stable: senders show them, tests and peers match on them.
inline constexpr std::string_view kReasonFormat = "FORMAT";  // unparseable, missing or bad field
inline constexpr std::string_view kReasonTooLarge = "TOO_LARGE";  // over a Limits bound
inline constexpr std::string_view kReasonSignatureMissing = "SIGNATURE_MISSING";
inline constexpr std::string_view kReasonSignatureInvalid =
    "SIGNATURE_INVALID";  // header changed, bad signature
inline constexpr std::string_view kReasonDigestMismatch =
    "DIGEST_MISMATCH";  // an attachment changed
inline constexpr std::string_view kReasonUnknownCa = "UNKNOWN_CA";
inline constexpr std::string_view kReasonCertificateRevoked = "CERTIFICATE_REVOKED";
inline constexpr std::string_view kReasonCertificateExpired =
    "CERTIFICATE_EXPIRED";  // or not yet valid
inline constexpr std::string_view kReasonRevocationUnknown =
    "REVOCATION_UNKNOWN";  // no CRL from the issuer
inline constexpr std::string_view kReasonCertificateInvalid =
    "CERTIFICATE_INVALID";  // other chain failures

// The reason code of a refusal ("" when there is none).
std::string_view ReasonOf(const Error& error);

// An agency (cơ quan) as edXML names it.
struct Organ {
  std::string id;  // agency code, e.g. "000.00.01.H08" (mã định danh)
  std::string name;
  std::string in_charge;  // OrganizationInCharge: the superior body
  std::string address;
  std::string email;
  std::string telephone;
  std::string fax;
  std::string website;
  bool operator==(const Organ&) const = default;
};

// The document a package or a status answers (edXML:ResponseFor).
struct ResponseFor {
  std::string organ_id;
  std::string code;  // "number/notation", e.g. "15/QĐ-BQP"
  Date promulgation_date{};
  std::string document_id;
  bool operator==(const ResponseFor&) const = default;
};

struct Trace {
  std::string organ_id;
  Timestamp timestamp{};  // UTC
  bool operator==(const Trace&) const = default;
};

// edXML:Bussiness: what this package does to the document.
struct Business {
  int doc_type = 0;  // 0 new, 1 revoke (thu hồi), 2 update (cập nhật), 3 replace (thay thế)
  std::string reason;
  bool paper = false;       // a paper copy follows
  std::string document_id;  // the revoked, updated or replaced document's id, if any
  bool operator==(const Business&) const = default;
};

struct Attachment {
  std::string content_id;    // MIME Content-ID without <>; "" lets the writer name it
  std::string name;          // file name, UTF-8
  std::string content_type;  // e.g. "application/pdf"
  std::string description;
  std::string bytes;
  bool operator==(const Attachment&) const = default;
};

struct Package {
  Organ from;
  std::vector<Organ> to;
  std::string document_id;    // "{senderAgencyCode},{yyyy/MM/dd},{number}/{notation}"
  std::string code_number;    // số
  std::string code_notation;  // ký hiệu
  std::string place;          // địa danh
  Date promulgation_date{};
  int type = 0;  // document type code
  std::string type_name;
  std::string subject;  // trích yếu
  std::string content;
  std::string signer_competence;  // thẩm quyền ký
  std::string signer_position;
  std::string signer_full_name;
  std::optional<Date> due_date;
  std::vector<std::string> to_places;  // nơi nhận
  int priority = 0;                    // 0 normal .. 4 express (độ khẩn)
  std::string sphere_of_promulgation;
  std::string typer_notation;
  int promulgation_amount = 0;  // copies issued
  int page_amount = 0;
  std::vector<std::string> appendixes;
  int steering_type = 0;
  std::vector<ResponseFor> response_for;
  std::vector<Trace> traces;
  Business business;
  std::string classification = "normal";  // "normal", "mat", "toi_mat", "tuyet_mat" (chy:)
  std::string urgency;                    // the sender's urgency label, free text (chy:)
  std::vector<Attachment> attachments;
  bool operator==(const Package&) const = default;
};

// Status codes of a notice, as the standard numbers them.
inline constexpr std::string_view kStatusArrived = "01";
inline constexpr std::string_view kStatusRefused = "02";     // or recall refused
inline constexpr std::string_view kStatusRegistered = "03";  // or recall accepted
inline constexpr std::string_view kStatusAssigned = "04";
inline constexpr std::string_view kStatusProcessing = "05";
inline constexpr std::string_view kStatusCompleted = "06";
inline constexpr std::string_view kStatusWithdrawRequested = "13";  // by the sender
inline constexpr std::string_view kStatusWithdrawAgreed = "15";     // by the recipient
inline constexpr std::string_view kStatusWithdrawRefused = "16";
bool IsStatusCode(std::string_view code);

struct StaffInfo {
  std::string department;
  std::string staff;
  std::string mobile;
  std::string email;
  bool operator==(const StaffInfo&) const = default;
};

struct StatusNotice {
  ResponseFor response_for;
  Organ from;
  std::string status_code;  // one of kStatus*
  std::string description;
  Timestamp timestamp{};
  StaffInfo staff;
  std::string received_sha256;  // hex; for "01": SHA-256 of the package bytes received (chy:)
  bool operator==(const StatusNotice&) const = default;
};

// "{agency},{yyyy/MM/dd},{number}/{notation}" and back.
std::string DocumentIdOf(std::string_view agency_code, Date date, std::string_view number,
                         std::string_view notation);
struct DocumentIdParts {
  std::string agency_code;
  Date date{};
  std::string number;
  std::string notation;
};
Result<DocumentIdParts> ParseDocumentId(std::string_view document_id);

struct WriteOptions {
  bool binary_parts = false;  // attachments as Content-Transfer-Encoding binary, not base64
  std::string boundary;       // MIME boundary; "" derives one from the content
};

// The signed package as a MIME multipart/related message. A field that XML
// cannot carry (invalid UTF-8, control characters), a bad Content-ID or
// content type, or duplicate Content-IDs are kInvalidArgument.
Result<std::string> WritePackage(const Package& package, const pki::Signer& signer,
                                 const WriteOptions& options = {});
// The signed status notice as XML.
Result<std::string> WriteStatus(const StatusNotice& status, const pki::Signer& signer);

struct Limits {
  std::size_t max_bytes = 64u << 20;  // the whole package
  std::size_t max_attachments = 100;
  std::size_t max_xml_bytes = 4u << 20;  // the envelope
};

// What the reader found: the content and what the signature check needs.
struct ParsedPackage {
  Package package;
  std::string signer_certificate_pem;   // the first X509Certificate
  std::vector<std::string> chain_pems;  // the others
  std::string signed_xml;               // the envelope as received
};
struct ParsedStatus {
  StatusNotice status;
  std::string signer_certificate_pem;
  std::vector<std::string> chain_pems;
  std::string signed_xml;
};

// Parsing only, no cryptography: strict about structure and fields, never
// crashes, no DTDs or entities, no network. A refusal is kInvalidArgument
// (kPayloadTooLarge for TOO_LARGE) with reason FORMAT, TOO_LARGE or
// SIGNATURE_MISSING.
Result<ParsedPackage> ReadPackage(std::string_view bytes, const Limits& limits = {});
Result<ParsedStatus> ReadStatus(std::string_view xml, const Limits& limits = {});

struct SignatureCheck {
  bool ok = false;
  std::string reason_code;             // "" when ok, else one of kReason*
  std::string message;                 // for people, English
  std::string signer_subject;          // RFC 2253
  std::string signer_organization_id;  // organizationIdentifier: the agency code
  std::string certificate_sha256;      // hex of the signer certificate's DER
};

// The signature's verdict at time `at`: XML-DSig core validation, every
// attachment's digest, the signer's chain to `trusted_ca_pems` and its
// revocation in `crl_pems` (none given: not checked). A failing check is a
// SignatureCheck with ok = false; an error only for unusable trust input.
Result<SignatureCheck> VerifySignature(const ParsedPackage& parsed,
                                       const std::vector<std::string>& trusted_ca_pems,
                                       const std::vector<std::string>& crl_pems, Timestamp at);
Result<SignatureCheck> VerifySignature(const ParsedStatus& parsed,
                                       const std::vector<std::string>& trusted_ca_pems,
                                       const std::vector<std::string>& crl_pems, Timestamp at);

}  // namespace chancery::edxml
