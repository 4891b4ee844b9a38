// Services: documents — drafts, incoming registration, reading, files and comments.
#include "modules/documents/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>

#include "core/document_flow.h"
#include "modules/audit/store.h"
#include "modules/documents/internal.h"
#include "modules/documents/store.h"
#include "modules/org/store.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using namespace documents_detail;  // NOLINT: this module's own helpers

// The documents a draft points at must be ones the drafter can read. Decree 30:
// an error of content is fixed by a replacement of the same type, an error of
// form by a correction công văn; both name an issued outgoing document.
DocumentService::DocumentService(const Core& core, OrgService& org, SignatureService& signatures,
                                 DocumentSettings settings)
    : Core(core), settings_(std::move(settings)), org_(org), signatures_(signatures) {
  // Giải mật: approved by a security officer through the four-eyes requests.
  org_.OnApproved("document.declassify",
                  [this](store::Tx& tx, const Actor& actor, const org::Approval& a) {
                    return ApplyDeclassification(tx, actor, a);
                  });
}

Status DocumentService::CheckLinks(store::Tx& tx, const Actor& actor, const Document& d) {
  const std::pair<const char*, std::optional<Id>> links[] = {{"reply_to_id", d.reply_to_id},
                                                             {"replaces_id", d.replaces_id},
                                                             {"corrects_id", d.corrects_id}};
  for (const auto& [field, link] : links) {
    if (!link) continue;
    auto target = ReadableDocument(tx, actor, *link);
    if (!target.ok())
      return MissingAs(target, Error::Invalid(field, "unknown", "No such document."));
    if (field == links[0].first) continue;  // a reply may answer any document
    if (target->direction != Direction::kOutgoing || target->state != "issued") {
      return Error::Invalid(field, "not_issued",
                            "Only an issued outgoing document can be replaced or corrected.");
    }
  }
  if (d.replaces_id && d.corrects_id) {
    return Error::Invalid("corrects_id", "conflict", "A document replaces or corrects, not both.");
  }
  if (d.replaces_id) {
    CHY_TRY(Document old, documents::Store(tx).GetDocument(*d.replaces_id));
    if (old.type_code != d.type_code) {
      return Error::Invalid("replaces_id", "type_mismatch",
                            "A replacement has the type of the document it replaces.");
    }
  }
  if (d.corrects_id && !d.type_code.empty()) {
    return Error::Invalid("type_code", "not_a_letter", "A correction is a công văn (type \"\").");
  }
  return Ok();
}

Result<CreatedDocument> DocumentService::CreateDraft(const Actor& actor, const DocumentInput& in) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSpecialist | kRoleLeader | kRoleClerk));
  Document d;
  d.direction = Direction::kOutgoing;
  d.state = "draft";
  d.unit_id = in.unit_id.value_or(actor.unit_id);
  d.created_by = actor.id;
  d.created_at = d.updated_at = clock_.Now();
  CHY_TRY_STATUS(ApplyInput(d, in));
  if (!actor.MayRead(d.classification)) {
    return Error::Invalid("classification", "above_clearance",
                          "You cannot create a document above your own clearance.");
  }
  CreatedDocument out;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(bool reaches, org::Store(tx).IsWithin(d.unit_id, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("unit_id", "out_of_scope", "You do not work for that unit.");
    }
    for (Id r : d.recipient_unit_ids) {
      auto u = org::Store(tx).GetUnit(r);
      if (!u.ok() || !u->active) {
        return Error::Invalid("recipient_unit_ids", "unknown",
                              "Unit " + std::to_string(r) + " is not an active unit.");
      }
    }
    CHY_TRY_STATUS(CheckLinks(tx, actor, d));
    CHY_TRY_STATUS(CheckExternalRecipients(tx, d));
    CHY_TRY(d.id, documents::Store(tx).InsertDocument(d));
    for (Id r : d.recipient_unit_ids)
      CHY_TRY_STATUS(documents::Store(tx).InsertRecipient(d.id, {r, std::nullopt}));
    CHY_TRY_STATUS(documents::Store(tx).SetExternalRecipients(d.id, d.recipient_agency_codes));
    out.document = d;
    return Audit(tx, &actor, "document.create", "document", d.id,
                 json::serialize(DocumentSummary(d)));
  }));
  return out;
}

Result<CreatedDocument> DocumentService::ReceiveIncoming(const Actor& actor,
                                                         const DocumentInput& in) {
  std::optional<blob::BlobInfo> scan;
  if (in.scan_sha256) {
    auto info = blobs_.Stat(*in.scan_sha256);
    if (!info.ok()) return NoUpload();
    scan = *info;
  }
  return Receive(actor, in, scan, /*scan_is_an_upload=*/true);
}

Result<Document> DocumentService::IncomingDocument(Id unit_id, Id created_by,
                                                   const DocumentInput& in, Timestamp now) const {
  Document d;
  d.direction = Direction::kIncoming;
  d.state = "received";
  d.unit_id = unit_id;
  d.created_by = created_by;
  d.created_at = d.updated_at = now;
  CHY_TRY_STATUS(ApplyInput(d, in));
  return d;
}

namespace {

// "văn bản đến số 12 ngày 05/12/2026" for each duplicate, as the register's
// remarks name them (one not registered yet by the day it arrived).
std::string DuplicateNames(const std::vector<Document>& docs) {
  std::string out;
  for (const Document& d : docs) {
    if (!out.empty()) out += "; ";
    const std::string date = FormatDayMonthYear(d.arrival_date.value_or(VietnamDate(d.created_at)));
    out += d.arrival_number
               ? "văn bản đến số " + std::to_string(*d.arrival_number) + " ngày " + date
               : "văn bản nhận ngày " + date + " (chưa vào sổ)";
  }
  return out;
}

}  // namespace

Result<CreatedDocument> DocumentService::Receive(const Actor& actor, const DocumentInput& in,
                                                 const std::optional<blob::BlobInfo>& scan,
                                                 bool scan_is_an_upload) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk));
  CHY_TRY(Document d,
          IncomingDocument(in.unit_id.value_or(actor.unit_id), actor.id, in, clock_.Now()));
  CHY_TRY_STATUS(CheckText("issuer_name", d.issuer_name, 300, true));
  CHY_TRY_STATUS(CheckText("original_number_symbol", d.original_number_symbol, 100, true));
  if (!actor.MayRead(d.classification)) {
    return Error::Invalid("classification", "above_clearance",
                          "A document above your clearance goes to a cleared clerk.");
  }
  // Authenticity and integrity are checked on arrival, and kept: the check
  // runs before the transaction, which records it (shown only once the
  // upload is known to be the clerk's own).
  const std::string scan_name = in.scan_file_name.value_or("scan.pdf");
  std::optional<signatures::DocumentSignature> arrival;
  if (scan) {
    CHY_TRY(arrival, signatures_.CheckArrivalNow(scan->sha256, scan_name));
  }
  CreatedDocument out;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    if (scan && scan_is_an_upload) {
      // Only the clerk's own upload, not yet attached: a hash seen elsewhere
      // (another unit's secret scan) is not a key to its file.
      CHY_TRY(bool own, org::Store(tx).HasUpload(actor.id, scan->sha256, d.created_at));
      if (!own) return NoUpload();
      CHY_TRY_STATUS(org::Store(tx).ConsumeUpload(actor.id, scan->sha256));
    }
    CHY_TRY(bool reaches, org::Store(tx).IsWithin(d.unit_id, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("unit_id", "out_of_scope", "You do not work for that unit.");
    }
    // Only duplicates the clerk may open are named (as GET /documents/duplicates);
    // registering over one needs a reason, kept in the entry's remarks.
    CHY_TRY(auto duplicates,
            ReadableDuplicates(tx, actor, d.original_number_symbol, d.issuer_name));
    for (const Document& dup : duplicates) out.duplicates.push_back(dup.id);
    const std::string reason = in.duplicate_reason.value_or("");
    if (!duplicates.empty()) {
      if (std::all_of(reason.begin(), reason.end(),
                      [](unsigned char c) { return std::isspace(c) != 0; })) {
        return Error::Invalid("duplicate_reason", "duplicate",
                              "Already received under this number/symbol from this issuer "
                              "(GET /api/v1/documents/duplicates names it): register it "
                              "again only with a reason.");
      }
      CHY_TRY_STATUS(CheckText("duplicate_reason", reason, 500, true));
      d.notes = (d.notes.empty() ? "" : d.notes + "\n") + "Trùng với " +
                DuplicateNames(duplicates) + ". Lý do vào sổ: " + reason;
    }
    CHY_TRY(d.id, documents::Store(tx).InsertDocument(d));
    if (scan) {
      documents::NamedFile f;
      f.document_id = d.id;
      f.sha256 = scan->sha256;
      f.file_name = scan_name;
      f.content_type = scan->content_type;
      f.size = static_cast<std::int64_t>(scan->size);
      f.created_by = actor.id;
      CHY_TRY_STATUS(documents::Store(tx).InsertAttachment(f, clock_.Now()));
      if (arrival) {
        arrival->document_id = d.id;
        CHY_TRY(Id row, signatures::Store(tx).InsertDocumentSignature(*arrival));
        (void)row;
      }
    }
    out.document = d;
    json::object details = DocumentSummary(d);
    details["issuer_name"] = d.issuer_name;
    details["original_number_symbol"] = d.original_number_symbol;
    details["duplicates"] = json::value_from(out.duplicates);
    if (!duplicates.empty()) details["duplicate_reason"] = reason;
    return Audit(tx, &actor, "document.receive", "document", d.id, json::serialize(details));
  }));
  return out;
}

Result<std::vector<Document>> DocumentService::ReadableDuplicates(store::Tx& tx, const Actor& actor,
                                                                  const std::string& number_symbol,
                                                                  const std::string& issuer_name) {
  std::vector<Document> out;
  CHY_TRY(auto ids, documents::Store(tx).FindDuplicates(number_symbol, issuer_name, 0));
  // Only those the clerk may see are named; the others are not even counted,
  // as an anonymous warning would still tell that they exist.
  for (Id id : ids) {
    auto d = ReadableDocument(tx, actor, id);
    if (d.ok()) out.push_back(std::move(*d));
  }
  return out;
}

Result<std::vector<Document>> DocumentService::FindDuplicates(const Actor& actor,
                                                              const std::string& number_symbol,
                                                              const std::string& issuer_name) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk | kRoleLeader));
  std::vector<Document> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, ReadableDuplicates(tx, actor, number_symbol, issuer_name));
    return Ok();
  }));
  return out;
}

Result<DocumentDetail> DocumentService::GetDocument(const Actor& actor, Id id) {
  return LoadDocument(actor, id, "detail", "");
}

Result<DocumentDetail> DocumentService::LoadDocument(const Actor& actor, Id id,
                                                     std::string_view purpose,
                                                     const std::string& details_json) {
  DocumentDetail out;
  CHY_TRY_STATUS(ReadDocument(
      actor, id, purpose,
      [&](store::Tx& tx, const Document& d) -> Status {
        out.document = d;
        out.allowed_actions = AllowedActions(d.direction, d.state);
        CHY_TRY(out.assignments, documents::Store(tx).ListAssignments(id));
        CHY_TRY(out.attachments, documents::Store(tx).ListAttachments(id));
        CHY_TRY(out.versions, documents::Store(tx).ListVersions(id));
        for (auto& v : out.versions) {
          // Versions keep no type or size of their own: the stored file has them.
          if (auto info = blobs_.Stat(v.sha256); info.ok()) {
            v.content_type = info->content_type;
            v.size = static_cast<std::int64_t>(info->size);
          }
        }
        CHY_TRY(out.signatures, signatures::Store(tx).ListDocumentSignatures(id));
        CHY_TRY(out.comments, documents::Store(tx).ListComments(id));
        CHY_TRY(out.notes, documents::Store(tx).ListNotes(id));
        CHY_TRY(out.recipients, documents::Store(tx).ListRecipients(id));
        return Ok();
      },
      details_json));
  return out;
}

Result<Document> DocumentService::UpdateDraft(const Actor& actor, Id id, const DocumentInput& in,
                                              std::int64_t expected_version) {
  Document d;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(d, ReadableDocument(tx, actor, id));
    if (d.version != expected_version) {
      return MakeError(ErrorCode::kPreconditionFailed,
                       "The document was changed by someone else; reload it and try again.");
    }
    const bool editable =
        (d.direction == Direction::kOutgoing && (d.state == "draft" || d.state == "in_review")) ||
        (d.direction == Direction::kIncoming && d.state == "received");
    if (!editable) {
      Error e = MakeError(ErrorCode::kInvalidTransition,
                          "Only drafts and unregistered incoming documents can be edited.");
      e.allowed = AllowedActions(d.direction, d.state);
      return e;
    }
    if (d.created_by != actor.id && !actor.Has(kRoleLeader) && !actor.Has(kRoleClerk)) {
      return MakeError(ErrorCode::kForbidden, "Only the drafter or a leader edits a draft.");
    }
    if (in.unit_id && *in.unit_id != d.unit_id) {
      return Error::Invalid("unit_id", "immutable", "Move a document with a reorganisation.");
    }
    const Document before = d;
    CHY_TRY_STATUS(ApplyInput(d, in));
    if (!actor.MayRead(d.classification)) {
      return Error::Invalid("classification", "above_clearance", "Above your clearance.");
    }
    if (d.classification < before.classification) {
      // Lowering is declassification (giải mật): its own decision, with a
      // reason, by a leader of the issuing unit and a security officer.
      return Error::Invalid("classification", "declassification_required",
                            "A classification is lowered only by declassification, decided by "
                            "a leader of the issuing unit with the security officer.");
    }
    CHY_TRY_STATUS(CheckLinks(tx, actor, d));
    d.updated_at = clock_.Now();
    CHY_TRY_STATUS(documents::Store(tx).UpdateDocument(d));
    if (in.recipient_unit_ids) {
      CHY_TRY_STATUS(
          tx.connection().Exec("DELETE FROM document_recipients WHERE document_id = $1", {d.id}));
      for (Id r : d.recipient_unit_ids) {
        auto u = org::Store(tx).GetUnit(r);
        if (!u.ok() || !u->active) {
          return Error::Invalid("recipient_unit_ids", "unknown", "Not an active unit.");
        }
        CHY_TRY_STATUS(documents::Store(tx).InsertRecipient(d.id, {r, std::nullopt}));
      }
    }
    if (in.recipient_agency_codes) {
      CHY_TRY_STATUS(CheckExternalRecipients(tx, d));
      CHY_TRY_STATUS(documents::Store(tx).SetExternalRecipients(d.id, d.recipient_agency_codes));
    }
    ++d.version;
    json::object details{{"before", DocumentSummary(before)}, {"after", DocumentSummary(d)}};
    return Audit(tx, &actor, "document.update", "document", d.id, json::serialize(details));
  }));
  return d;
}

Result<documents::TextEntry> DocumentService::AddComment(const Actor& actor, Id id,
                                                         const std::string& body) {
  CHY_TRY_STATUS(CheckText("body", body, 4000, true));
  documents::TextEntry e{0, id, std::nullopt, actor.id, body, clock_.Now()};
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(ReadableDocument(tx, actor, id));
    CHY_TRY(e.id, documents::Store(tx).InsertComment(e));
    return Audit(tx, &actor, "document.comment", "document", id,
                 json::serialize(json::object{{"comment_id", e.id}}));
  }));
  return e;
}

Result<documents::NamedFile> DocumentService::AddFile(const Actor& actor, Id id, bool as_version,
                                                      const std::string& file_name,
                                                      std::string_view bytes,
                                                      std::optional<std::string> declared_sha256,
                                                      const std::string& note) {
  CHY_TRY_STATUS(CheckText("file_name", file_name, 255, true));
  if (file_name.find_first_of("/\\") != std::string::npos || file_name.front() == '.') {
    return Error::Invalid("file_name", "bad_characters", "A plain file name, no folders.");
  }
  CHY_TRY_STATUS(CheckText("note", note, 1000, false));
  // Check access before touching the blob folder.
  Document d;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(d, ReadableDocument(tx, actor, id));
    return Ok();
  }));
  // What is signed may not change under the signature: an outgoing
  // document's files freeze once it is approved for signing.
  auto frozen = [&](const Document& doc) -> Status {
    const bool drafting =
        doc.direction == Direction::kOutgoing && (doc.state == "draft" || doc.state == "in_review");
    if (drafting || (!as_version && doc.direction == Direction::kIncoming)) return Ok();
    Error e = MakeError(ErrorCode::kInvalidTransition,
                        as_version ? "Versions are added while drafting."
                                   : "The document's files are frozen once it is approved for "
                                     "signing; send it back to drafting to change them.");
    e.allowed = AllowedActions(doc.direction, doc.state);
    return e;
  };
  CHY_TRY_STATUS(frozen(d));
  // Content-addressed and idempotent: a blob left by a failed transaction
  // below is harmless and is reused by the next upload of the same bytes.
  CHY_TRY(auto info, blobs_.Put(bytes, std::move(declared_sha256)));
  documents::NamedFile f;
  f.document_id = id;
  f.sha256 = info.sha256;
  f.file_name = file_name;
  f.content_type = info.content_type;
  f.size = static_cast<std::int64_t>(info.size);
  f.note = note;
  f.created_by = actor.id;
  f.created_at = clock_.Now();
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(Document current, ReadableDocument(tx, actor, id));
    CHY_TRY_STATUS(frozen(current));
    // A new file is a change of the document: its version (ETag) moves, so
    // an approval sent with If-Match on what the leader saw is refused.
    current.updated_at = f.created_at;
    CHY_TRY_STATUS(documents::Store(tx).UpdateDocument(current));
    CHY_TRY_STATUS(QueueFileText(tx, f.sha256, bytes));  // before: see Store::LockFileText
    if (as_version) {
      CHY_TRY(f.id, documents::Store(tx).InsertVersion(f, f.created_at));
      CHY_TRY(auto versions, documents::Store(tx).ListVersions(id));
      f.version_no = versions.empty() ? 1 : versions.back().version_no;
    } else {
      CHY_TRY(f.id, documents::Store(tx).InsertAttachment(f, f.created_at));
    }
    return Audit(tx, &actor, as_version ? "document.version" : "document.attach", "document", id,
                 json::serialize(json::object{{"sha256", f.sha256},
                                              {"file_name", f.file_name},
                                              {"size", f.size},
                                              {"content_type", f.content_type}}));
  }));
  WakeTextReader();
  return f;
}

Result<blob::BlobInfo> DocumentService::PutBlob(const Actor& actor, std::string_view bytes,
                                                std::optional<std::string> declared_sha256) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk | kRoleSpecialist | kRoleLeader));
  CHY_TRY(auto info, blobs_.Put(bytes, std::move(declared_sha256)));
  // The upload is the uploader's own until a document takes it or it
  // expires: its hash names it only for them (docs/security.md).
  const Timestamp now = clock_.Now();
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(org::Store(tx).PutUpload(actor.id, info.sha256, now, now + kUploadLifetime));
    return QueueFileText(tx, info.sha256, bytes);
  }));
  WakeTextReader();
  return info;
}

Result<Download> DocumentService::GetFile(const Actor& actor, Id id, const std::string& sha256) {
  Download out;
  CHY_TRY(auto detail,
          LoadDocument(actor, id, "file", json::serialize(json::object{{"sha256", sha256}})));
  bool found = false;
  for (const auto* list : {&detail.attachments, &detail.versions}) {
    for (const auto& f : *list) {
      if (f.sha256 == sha256) {
        out.sha256 = f.sha256;
        out.file_name = f.file_name;
        found = true;
      }
    }
  }
  if (!found) return MakeError(ErrorCode::kNotFound, "No such file on this document.");
  CHY_TRY(auto info, blobs_.Stat(sha256));
  out.size = info.size;
  out.content_type = info.content_type;
  auto path = blobs_.FilePath(sha256);
  if (path.ok()) {
    out.path = *path;
  } else {
    CHY_TRY(out.bytes, blobs_.Read(sha256, 0, info.size));
  }
  return out;
}

Result<std::vector<audit::AuditEntry>> DocumentService::Timeline(const Actor& actor, Id id) {
  std::vector<audit::AuditEntry> out;
  CHY_TRY_STATUS(ReadDocument(actor, id, "timeline", [&](store::Tx& tx, const Document&) -> Status {
    audit::AuditQuery q;
    q.object_type = "document";
    q.object_id = id;
    q.limit = 1000;
    CHY_TRY(out, audit::Store(tx).ListAudit(q));
    std::reverse(out.begin(), out.end());
    return Ok();
  }));
  return out;
}

}  // namespace chancery::services
