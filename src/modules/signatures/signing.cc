// Signatures in the document flow: the PIN, signing at approval (the leader) and after numbering
// (the seal), the issue check, verifying what arrives, the share signed online, and signed tree
// heads of the audit log.
#include <boost/json.hpp>

#include "core/digest.h"
#include "core/document_flow.h"
#include "lib/merkle/merkle.h"
#include "lib/pki/ocsp.h"
#include "lib/pki/pades.h"
#include "modules/audit/store.h"
#include "modules/documents/store.h"
#include "modules/signatures/internal.h"
#include "modules/signatures/service.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using namespace signatures_detail;  // NOLINT: this module's own helpers

Result<pki::PdfReport> SignatureService::VerifyPdfHere(store::Tx& tx, std::string_view pdf) {
  CHY_TRY(TrustAnchors anchors, TrustAnchorsOf(tx));
  return pki::VerifyPdf(pdf, anchors.roots, anchors.crls, clock_.Now());
}

Result<std::string> SignatureService::VerifyFile(const Actor& actor, const VerifyInput& in) {
  // Any signed-in person may check a signature.
  if (in.file.empty()) return Error::Invalid("file", "required", "Which file?");
  std::string report;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    if (in.file.rfind("%PDF-", 0) == 0) {
      CHY_TRY(auto pdf, VerifyPdfHere(tx, in.file));
      report = pki::ReportJson(pdf);
      return Ok();
    }
    std::string data = in.detached_data;
    if (in.data_sha256) {
      // The caller's own upload only: a hash is not a key to a file.
      CHY_TRY(bool own, org::Store(tx).HasUpload(actor.id, *in.data_sha256, clock_.Now()));
      auto info = blobs_.Stat(*in.data_sha256);
      if (!own || !info.ok())
        return Error::Invalid("data", "unknown", "Upload the signed file first.");
      CHY_TRY(data, blobs_.Read(*in.data_sha256, 0, info->size));
    }
    if (data.empty()) {
      return Error::Invalid("data", "required",
                            "A CMS signature is checked with the file it signs.");
    }
    CHY_TRY(TrustAnchors anchors, TrustAnchorsOf(tx));
    CHY_TRY(auto v, pki::VerifyDetached(in.file, data, anchors.roots, anchors.crls, clock_.Now()));
    report = pki::ReportJson(v);
    return Ok();
  }));
  return report;
}

// ------------------------------------------------------------- the PIN

Result<pki::KeyRef> SignatureService::UnlockPersonKey(const Actor& actor,
                                                      const signatures::CertificateRecord& cert,
                                                      const std::string& pin) {
  if (pin.empty()) return Error::Invalid("pin", "required", "Enter your signing PIN.");
  const Timestamp now = clock_.Now();
  const Error locked = MakeError(ErrorCode::kAccountLocked,
                                 "Your signing key is locked after repeated wrong PINs; try again "
                                 "later.");
  // Count the attempt, and lock at the threshold, atomically and before the
  // PIN is tested: simultaneous guesses each take a number, and those over
  // the limit are refused untested.
  const int threshold = settings_.pin_lockout_threshold;
  int attempt = 0;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(attempt, signatures::Store(tx).ReservePinAttempt(actor.id, now, threshold,
                                                             now + settings_.pin_lockout_duration));
    return Ok();
  }));
  if (attempt > threshold) return locked;
  const pki::KeyRef key = cert.key_uri.empty()
                              ? pki::KeyRef::Pem(cert.key_pem, pin)
                              : pki::KeyRef::Token(cert.key_uri, settings_.pkcs11_module, pin);
  auto unlocked = pki::PublicKeyPem(key);  // opens the key: a wrong PIN fails here
  if (unlocked.ok()) {
    CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) {
      return signatures::Store(tx).PutPinAttempts(actor.id, 0, std::nullopt);
    }));
    return key;
  }
  if (unlocked.error().code != ErrorCode::kInvalidArgument) {
    // Not a wrong PIN (a token away, say): the attempt does not count.
    LogIfFailed(store_.Write([&](store::Tx& tx) -> Status {
      CHY_TRY(auto a, signatures::Store(tx).GetPinAttempts(actor.id));
      return a.first > 0 && !a.second
                 ? signatures::Store(tx).PutPinAttempts(actor.id, a.first - 1, std::nullopt)
                 : Ok();
    }),
                "signatures.pin_attempt_not_returned");
    return std::move(unlocked).error();
  }
  // A wrong PIN stays counted even though the request fails: that is the lock.
  const bool lock = attempt >= threshold;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    return Audit(tx, &actor, lock ? "pki.pin_locked" : "pki.pin_refused", "user", actor.id,
                 json::serialize(json::object{{"failures", attempt}}));
  }));
  if (lock) return locked;
  return Error::Invalid(
      "pin", "wrong_pin",
      "The PIN was refused (" + std::to_string(threshold - attempt) + " tries left).");
}

Status SignatureService::ChangeSigningPin(const Actor& actor, const std::string& old_pin,
                                          const std::string& new_pin) {
  CHY_TRY_STATUS(CheckPin("new_pin", new_pin));
  std::optional<signatures::CertificateRecord> cert;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(cert, ActiveCertificate(tx, "person", actor.id, std::nullopt));
    return Ok();
  }));
  if (!cert || cert->key_pem.empty()) {
    return Error::Invalid("pin", "no_key", "You have no signing key held by this node.");
  }
  CHY_TRY_STATUS(UnlockPersonKey(actor, *cert, old_pin));
  CHY_TRY(std::string rekeyed,
          pki::ChangePassphrase(cert->key_pem, old_pin, new_pin, pki::KeyWrap::kArgon2idGcm));
  return store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(signatures::Store(tx).UpdateCertificateKey(cert->id, rekeyed));
    CHY_TRY_STATUS(signatures::Store(tx).ClearPinChangeRequired(actor.id));
    return Audit(tx, &actor, "pki.pin_changed", "certificate", cert->id,
                 json::serialize(json::object{{"serial", cert->serial}}));
  });
}

// ------------------------------------------------- signing documents

Status SignatureService::SetAppearanceImage(const Actor& actor, const std::string& kind, Id id,
                                            std::string_view png) {
  if (kind == "seal") {
    CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity));
  } else if (kind == "signature") {
    if (id != actor.id) CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity));
  } else {
    return Error::Invalid("kind", "bad_value", "seal or signature.");
  }
  if (png.size() < 8 || png.substr(1, 3) != "PNG") {
    return Error::Invalid("file", "not_png",
                          "The image must be a PNG (with transparency for a seal).");
  }
  CHY_TRY(auto blob, blobs_.Put(png, std::nullopt));
  return store_.Write([&](store::Tx& tx) -> Status {
    if (kind == "seal") {
      CHY_TRY_STATUS(org::Store(tx).GetUnit(id));
    } else {
      CHY_TRY_STATUS(org::Store(tx).GetUser(id));
    }
    CHY_TRY_STATUS(tx.PutMeta(kind + "_image:" + std::to_string(id), blob.sha256));
    return Audit(tx, &actor, "pki.image_set", kind == "seal" ? "unit" : "user", id,
                 json::serialize(json::object{{"kind", kind}, {"sha256", blob.sha256}}));
  });
}

// What signing needs, read in one transaction: the document (readable,
// in a state that allows the action), its newest version and PDF
// appendices, the certificate and CA, the image, earlier signers.
Result<SignatureService::SigningPlan> SignatureService::SigningPlanOf(const Actor& actor, Id id,
                                                                      const std::string& action) {
  SigningPlan plan;
  Document& d = plan.d;
  std::optional<documents::NamedFile>& main = plan.main;
  std::vector<documents::NamedFile>& appendices = plan.appendices;
  std::optional<signatures::CertificateRecord>&cert = plan.cert, &ca = plan.ca;
  std::optional<std::string>& image_sha = plan.image_sha;
  std::vector<std::string>& signer_certs = plan.signer_certs;
  Unit& issuer = plan.issuer;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(d, ReadableDocument(tx, actor, id));
    CHY_TRY(const Transition* t, FindTransition(d.direction, d.state, action));
    if ((actor.roles & t->roles) == 0) {
      return MakeError(ErrorCode::kForbidden, "Your roles do not allow '" + action + "'.");
    }
    CHY_TRY(auto versions, documents::Store(tx).ListVersions(id));
    if (versions.empty()) return Ok();  // a paper document: nothing to sign here
    main = versions.back();
    CHY_TRY(ca, NodeCa(tx));
    CHY_TRY(Id issuer_id, IssuingUnitOf(tx, d.unit_id));
    CHY_TRY(issuer, org::Store(tx).GetUnit(issuer_id));
    if (action == "sign") {
      CHY_TRY(cert, ActiveCertificate(tx, "person", actor.id, std::nullopt));
      if (!cert) {
        return Error::Invalid("certificate", "none",
                              "You have no signing certificate; ask the security officer for one.");
      }
      CHY_TRY(image_sha, tx.GetMeta("signature_image:" + std::to_string(actor.id)));
    } else {
      CHY_TRY(cert, ActiveCertificate(tx, "organization", std::nullopt, issuer_id));
      if (!cert) {
        return Error::Invalid("certificate", "none",
                              "The issuing unit has no organisation certificate (seal) yet.");
      }
      CHY_TRY(image_sha, tx.GetMeta("seal_image:" + std::to_string(issuer_id)));
      // B-LT carries every signer's certificate: the leader's too.
      CHY_TRY(auto earlier, signatures::Store(tx).ListDocumentSignatures(id));
      for (const auto& sig : earlier) {
        if (sig.kind != "personal") continue;
        if (auto c = signatures::Store(tx).GetCertificate(sig.certificate_serial); c.ok())
          signer_certs.push_back(c->certificate_pem);
      }
      CHY_TRY(auto files, documents::Store(tx).ListAttachments(id));
      for (auto& f : files) {
        if (f.content_type == "application/pdf") appendices.push_back(std::move(f));
      }
    }
    return Ok();
  }));
  return plan;
}

// Where the signature shows and what it says: the leader's signature
// (position, name, time, their handwriting) or the seal at real size on the
// left third of it, with the number.
void SignatureService::DrawSignature(pki::PdfSignRequest& request, const std::string& action,
                                     const Actor& actor, const Document& d,
                                     const std::string& image, const std::string& when) const {
  const pki::Box& personal = settings_.personal_signature;
  if (action == "sign") {
    request.reason = "Phê duyệt";
    pki::Appearance look{.page = 0, .box = personal, .font_file = settings_.font_file};
    const std::string position = actor.position.empty() ? d.signer_position : actor.position;
    look.lines = {{position, 4, personal.height - 12, 10},
                  {actor.full_name, 4, 16, 10},
                  {"Ký số: " + when, 4, 4, 6}};
    if (!image.empty())
      look.images.push_back(
          {image, {personal.width / 6, 28, personal.width * 2 / 3, personal.height - 46}});
    request.appearance = std::move(look);
  } else {
    request.reason = "Phát hành";
    // The seal at real size, centred on the left third of the leader's signature.
    const double s = settings_.seal_points;
    const double cx = personal.x + personal.width / 6, cy = personal.y + personal.height / 2;
    pki::Appearance look{.page = 0,
                         .box = {cx - s / 2, cy - s / 2 - 20, s, s + 20},
                         .font_file = settings_.font_file};
    if (!image.empty()) look.images.push_back({image, {0, 20, s, s}});
    look.lines = {{"Số: " + d.number_symbol, 0, 10, 7, true}, {when, 0, 2, 6, true}};
    request.appearance = std::move(look);
  }
}

Result<SignatureService::SignedFiles> SignatureService::SignForAction(const Actor& actor, Id id,
                                                                      const std::string& action,
                                                                      const ActionInput& in) {
  SignedFiles out;
  CHY_TRY(SigningPlan plan, SigningPlanOf(actor, id, action));
  const Document& d = plan.d;
  std::optional<documents::NamedFile>& main = plan.main;
  const std::vector<documents::NamedFile>& appendices = plan.appendices;
  const std::optional<signatures::CertificateRecord>&cert = plan.cert, &ca = plan.ca;
  const std::optional<std::string>& image_sha = plan.image_sha;
  std::vector<std::string>& signer_certs = plan.signer_certs;
  const Unit& issuer = plan.issuer;
  out.expected_version = d.version;
  if (!main) return out;
  CHY_TRY(auto main_info, blobs_.Stat(main->sha256));  // versions keep no content type
  main->content_type = main_info.content_type;
  main->size = static_cast<std::int64_t>(main_info.size);
  if (main->content_type != "application/pdf") {
    return Error::Invalid("file", "not_pdf",
                          "The document's file must be a PDF to carry the signatures.");
  }
  const pki::KeyRef key = action == "sign" ? pki::KeyRef{} : NodeKey(*cert);
  pki::KeyRef signer_key = key;
  if (action == "sign") {
    CHY_TRY(signer_key, UnlockPersonKey(actor, *cert, in.pin));
    bool must_change = false;
    CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
      CHY_TRY(must_change, signatures::Store(tx).PinChangeRequired(actor.id));
      return Ok();
    }));
    if (must_change) {
      return Error::Invalid("pin", "pin_change_required",
                            "Your first signing PIN was set by the certificate's issuer; set your "
                            "own PIN before you sign.");
    }
  }

  std::string image;
  if (image_sha) {
    CHY_TRY(image, blobs_.Read(*image_sha, 0, 16 << 20));
  }
  CHY_TRY(std::string pdf, blobs_.Read(main->sha256, 0, static_cast<std::uint64_t>(main->size)));
  const Timestamp now = clock_.Now();
  const std::string when = FormatVietnamTime(now);
  const auto tsa = [this](std::string_view request) {
    return external_tsa_ ? external_tsa_(request) : AnswerTimestamp(request);
  };

  pki::PdfSignRequest request;
  // Opened once: the main file and every appendix are signed with it.
  CHY_TRY(request.signer,
          pki::Signer::Open(cert->certificate_pem, signer_key, {ca->certificate_pem}));
  request.signing_time = now;
  request.tsa = tsa;
  DrawSignature(request, action, actor, d, image, when);
  CHY_TRY(std::string signed_pdf, pki::SignPdf(pdf, request));
  if (action == "seal") {
    // B-LT: what a verifier needs years later, offline.
    CHY_TRY(std::string crl, CurrentCrl());
    signer_certs.push_back(cert->certificate_pem);
    signer_certs.push_back(ca->certificate_pem);
    CHY_TRY(signed_pdf, pki::AddValidationData(signed_pdf, {signer_certs, {crl}, {}}));
  }
  CHY_TRY(auto blob, blobs_.Put(signed_pdf, std::nullopt));
  documents::NamedFile version = *main;
  version.id = 0;
  version.sha256 = blob.sha256;
  version.size = static_cast<std::int64_t>(blob.size);
  version.note = (action == "sign" ? "Ký số: " + actor.full_name : "Ký số cơ quan: " + issuer.name);
  version.created_by = actor.id;
  version.created_at = now;
  out.version = version;
  out.signatures.push_back({0, id, action == "sign" ? "personal" : "organization", blob.sha256,
                            main->file_name, cert->subject, cert->serial,
                            action == "sign" ? "PAdES-BASELINE-T" : "PAdES-BASELINE-LT", "", "",
                            actor.id, now});

  // Each appendix: the organisation's signature at the top right of page one, no image.
  for (const auto& f : appendices) {
    CHY_TRY(std::string bytes, blobs_.Read(f.sha256, 0, static_cast<std::uint64_t>(f.size)));
    pki::PdfSignRequest appendix = request;
    appendix.appearance = pki::Appearance{.page = 1,
                                          .box = {20, 20, 180, 34},
                                          .from_top_right = true,
                                          .font_file = settings_.font_file};
    appendix.appearance->lines = {{issuer.name, 2, 22, 7, true},
                                  {"Số: " + d.number_symbol, 2, 12, 7, true},
                                  {when, 2, 2, 6, true}};
    CHY_TRY(std::string signed_appendix, pki::SignPdf(bytes, appendix));
    CHY_TRY(auto appendix_blob, blobs_.Put(signed_appendix, std::nullopt));
    documents::NamedFile signed_file = f;
    signed_file.sha256 = appendix_blob.sha256;
    signed_file.size = static_cast<std::int64_t>(appendix_blob.size);
    out.attachments.emplace_back(f.id, signed_file);
    out.signatures.push_back({0, id, "organization", appendix_blob.sha256, f.file_name,
                              cert->subject, cert->serial, "PAdES-BASELINE-T", "", "", actor.id,
                              now});
  }
  return out;
}

Status SignatureService::RecordSignedFiles(store::Tx& tx, const Actor& actor, Document& d,
                                           SignedFiles& files) {
  (void)actor;
  if (d.version != files.expected_version) {
    return MakeError(ErrorCode::kConflict,
                     "The document changed while it was being signed; open it again and sign.");
  }
  // Signed files are PDFs, made here: their text is queued as any file's.
  const Timestamp now = clock_.Now();
  if (files.version) {
    CHY_TRY_STATUS(documents::Store(tx).QueueFileText(files.version->sha256, now));
    CHY_TRY_STATUS(documents::Store(tx).InsertVersion(*files.version, files.version->created_at));
  }
  for (const auto& [attachment_id, f] : files.attachments) {
    CHY_TRY_STATUS(documents::Store(tx).QueueFileText(f.sha256, now));
    CHY_TRY_STATUS(signatures::Store(tx).UpdateAttachmentFile(attachment_id, f.sha256, f.size));
  }
  for (const auto& s : files.signatures)
    CHY_TRY_STATUS(signatures::Store(tx).InsertDocumentSignature(s));
  return Ok();
}

// At issue: an electronic document (one with a file) needs both the
// leader's and the organisation's valid signatures on its latest version.
Result<SignatureService::IssueCheck> SignatureService::CheckIssue(const Actor& actor,
                                                                  Id document_id) {
  IssueCheck check;
  TrustAnchors anchors;
  bool readable = false;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    // A document out of reach is left to the transaction, which answers 404.
    auto d = ReadableDocument(tx, actor, document_id);
    if (!d.ok()) return d.error().code == ErrorCode::kNotFound ? Ok() : d.error();
    readable = true;
    CHY_TRY(auto versions, documents::Store(tx).ListVersions(document_id));
    if (!versions.empty()) check.main = versions.back();
    CHY_TRY(anchors, TrustAnchorsOf(tx));
    return Ok();
  }));
  if (!readable || !check.main) return check;  // paper: issued, but not counted as signed online
  documents::NamedFile& main = *check.main;
  CHY_TRY(auto main_info, blobs_.Stat(main.sha256));
  main.content_type = main_info.content_type;
  main.size = static_cast<std::int64_t>(main_info.size);
  CHY_TRY(std::string pdf, blobs_.Read(main.sha256, 0, main_info.size));
  const Timestamp now = clock_.Now();
  auto report = pki::VerifyPdf(pdf, anchors.roots, anchors.crls, now);
  bool personal = false, organization = false;
  if (report.ok()) {
    CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
      for (const auto& s : report->signatures) {
        if (s.indication != pki::kTotalPassed) continue;
        auto cert = signatures::Store(tx).GetCertificate(s.cms.signer_serial_hex);
        if (!cert.ok() && cert.error().code != ErrorCode::kNotFound) return cert.error();
        // A serial is unique per issuer only: the certificate must be ours
        // (same name), not another CA's that happens to share the number.
        if (!cert.ok() || cert->subject != s.cms.signer_common_name) continue;
        personal = personal || cert->profile == "person";
        organization = organization || cert->profile == "organization";
      }
      return Ok();
    }));
  }
  if (!personal || !organization) {
    // Said by RecordIssue, after the flow's own checks (state, roles).
    check.refusal =
        Error::Invalid("signatures", "missing",
                       std::string("An electronic document is issued with both signatures; ") +
                           (!personal ? "the leader's signature is missing or invalid."
                                      : "the organisation's signature is missing or invalid."));
    return check;
  }
  check.report_json = pki::ReportJson(*report);
  signatures::DocumentSignature arrival{
      0,  0,  "verification",     main.sha256,       main.file_name, "",
      "", "", report->indication, check.report_json, std::nullopt,   now};
  if (!report->signatures.empty()) {
    arrival.signer = report->signatures.front().cms.signer_common_name;
    arrival.level = report->signatures.back().level;
  }
  check.arrival = std::move(arrival);
  return check;
}

Status SignatureService::RecordIssue(store::Tx& tx, const Actor& actor, const Document& d,
                                     const IssueCheck& check) {
  CHY_TRY(auto versions, documents::Store(tx).ListVersions(d.id));
  const std::string newest = versions.empty() ? "" : versions.back().sha256;
  if (newest != (check.main ? check.main->sha256 : "")) {
    return MakeError(ErrorCode::kConflict,
                     "A new version arrived while the document was being issued; try again.");
  }
  if (!check.main) return Ok();
  if (check.refusal) return *check.refusal;
  CHY_TRY(Id id, signatures::Store(tx).InsertDocumentSignature(
                     {0, d.id, "issued", check.main->sha256, check.main->file_name, "", "", "",
                      std::string(pki::kTotalPassed), check.report_json, actor.id, clock_.Now()}));
  (void)id;
  return Ok();
}

Result<std::optional<signatures::DocumentSignature>> SignatureService::CheckArrival(
    const TrustAnchors& anchors, const std::string& sha256, const std::string& file_name) {
  CHY_TRY(auto info, blobs_.Stat(sha256));
  if (info.content_type != "application/pdf") return std::optional<signatures::DocumentSignature>{};
  CHY_TRY(std::string pdf, blobs_.Read(sha256, 0, info.size));
  signatures::DocumentSignature row{0,  0,  "verification", sha256,      file_name, "", "", "",
                                    "", "", std::nullopt,   clock_.Now()};
  auto report = pki::VerifyPdf(pdf, anchors.roots, anchors.crls, clock_.Now());
  if (report.ok()) {
    row.indication = report->indication;
    row.report = pki::ReportJson(*report);
    if (!report->signatures.empty()) {
      row.signer = report->signatures.front().cms.signer_common_name;
      row.level = report->signatures.back().level;
    }
  } else {
    row.indication = std::string(pki::kTotalFailed);
    row.report = json::serialize(json::object{{"indication", row.indication},
                                              {"sub_indication", "FORMAT_FAILURE"},
                                              {"reason", report.error().message},
                                              {"signatures", json::array{}}});
  }
  return std::optional<signatures::DocumentSignature>{std::move(row)};
}

Result<std::optional<signatures::DocumentSignature>> SignatureService::CheckArrivalNow(
    const std::string& sha256, const std::string& file_name) {
  TrustAnchors anchors;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(anchors, TrustAnchorsOf(tx));
    return Ok();
  }));
  return CheckArrival(anchors, sha256, file_name);
}

Result<ShareReport> SignatureService::SignatureShareOf(const Actor& actor,
                                                       std::optional<Id> unit_id, Date from,
                                                       Date to) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleLeader | kRoleAdmin | kRoleClerk));
  if (to < from) return Error::Invalid("to", "before_from", "The period ends before it starts.");
  ShareReport out;
  out.unit_id = unit_id.value_or(actor.unit_id);
  out.from = from;
  out.to = to;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto scope, ScopeOf(tx, actor));
    if (!scope.Reaches(out.unit_id)) return MakeError(ErrorCode::kNotFound, "Unit not found.");
    CHY_TRY(auto units, org::Store(tx).UnitsBelow(out.unit_id));
    CHY_TRY(out.share, signatures::Store(tx).CountSignatureShare(units, from, to));
    return Ok();
  }));
  out.ratio = out.share.issued ? static_cast<double>(out.share.both_signed) / out.share.issued : 0;
  return out;
}

// ------------------------------------------------ signed tree heads

namespace {

std::string TreeHeadText(const std::string& node, std::int64_t size, const std::string& root,
                         Timestamp at) {
  return "chancery-tree-head-v1\n" + node + "\n" + std::to_string(size) + "\n" + root + "\n" +
         FormatTimestamp(at) + "\n";
}

}  // namespace

Result<signatures::TreeHead> SignatureService::SignTreeHead(const Actor& actor) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity | kRoleAdmin));
  std::optional<signatures::CertificateRecord> node;
  std::pair<std::int64_t, std::string> head;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(node, ActiveCertificate(tx, "node", std::nullopt, std::nullopt));
    CHY_TRY(head, audit::Store(tx).AuditHead());
    return Ok();
  }));
  if (!node) return NoCa();
  signatures::TreeHead th{head.first, head.second, clock_.Now(), node->serial, ""};
  CHY_TRY(std::string cms,
          pki::SignDetached(TreeHeadText(config_.node_name, th.tree_size, th.root, th.signed_at),
                            node->certificate_pem, NodeKey(*node)));
  th.signature = HexEncode(cms);
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(signatures::Store(tx).InsertTreeHead(th));
    return Audit(tx, &actor, "audit.tree_head_signed", "audit", std::nullopt,
                 json::serialize(json::object{{"tree_size", th.tree_size}, {"root", th.root}}));
  }));
  return th;
}

Result<std::vector<signatures::TreeHead>> SignatureService::TreeHeads(const Actor& actor,
                                                                      int limit) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity | kRoleAdmin));
  std::vector<signatures::TreeHead> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, signatures::Store(tx).ListTreeHeads(std::clamp(limit, 1, 1000)));
    return Ok();
  }));
  return out;
}

Status SignatureService::CheckTreeHead(store::Tx& tx, const signatures::TreeHead& head,
                                       const std::string& root_now) {
  if (head.root != root_now)
    return Error::Invalid("tree_head", "root_mismatch", "the log no longer has this head's root");
  CHY_TRY(auto cert, signatures::Store(tx).GetCertificate(head.certificate_serial));
  auto cms = HexDecode(head.signature);
  if (!cms) return Error::Invalid("tree_head", "unreadable", "the signature is not hex");
  std::vector<std::string> roots;
  CHY_TRY(auto ca, NodeCa(tx));
  roots.push_back(ca.certificate_pem);
  CHY_TRY(auto v,
          pki::VerifyDetached(
              *cms, TreeHeadText(config_.node_name, head.tree_size, head.root, head.signed_at),
              roots, {}, head.signed_at));
  if (!v.valid || v.signer_serial_hex != cert.serial) {
    return Error::Invalid("tree_head", "bad_signature", "signature: " + v.reason);
  }
  return Ok();
}

}  // namespace chancery::services
