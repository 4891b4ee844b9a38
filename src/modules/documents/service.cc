// Services: documents, from draft to archive, incoming and outgoing.
#include <algorithm>
#include <boost/json.hpp>

#include "core/document_flow.h"
#include "services/internal.h"
#include "modules/documents/service.h"

namespace chancery::services {

namespace json = boost::json;

namespace {

constexpr std::size_t kSubjectMax = 500;  // Decree 30, appendix VI
constexpr std::size_t kReasonMax = 1000;  // return to sender
Error NoUpload() {
  return Error::Invalid("scan_sha256", "unknown", "Upload the scanned file first.");
}

// How long an upload waits for the document that takes it.
constexpr auto kUploadLifetime = std::chrono::hours(24);

Result<std::optional<Id>> CursorArg(const std::optional<std::string>& cursor) {
  return IdCursor(cursor);
}

// Documents without a deadline sort after every real date.
const std::string kNoDeadline = "9999-12-31";

// "d<YYYY-MM-DD>.<id>": where a deadline-ordered page ended.
Result<std::optional<std::pair<std::string, Id>>> DeadlineCursorArg(
    const std::optional<std::string>& cursor) {
  using Key = std::optional<std::pair<std::string, Id>>;
  if (!cursor || cursor->empty()) return Key{};
  const std::string& c = *cursor;
  Date date;
  const auto dot = c.find('.');
  const std::string day = dot == std::string::npos ? "" : c.substr(1, dot - 1);
  auto id = dot == std::string::npos ? std::nullopt : ParseInt(c.substr(dot + 1));
  if (c.front() != 'd' || !id || *id <= 0 || (day != kNoDeadline && !ParseDate(day, &date))) {
    return Error::Invalid("cursor", "bad_cursor", "Not a cursor this server gave out.");
  }
  return Key{std::pair{day, *id}};
}

DocumentPage MakePage(std::vector<Document> docs, int limit) {
  DocumentPage p;
  if (static_cast<int>(docs.size()) > limit) {
    docs.resize(limit);
    p.next_cursor = std::to_string(docs.back().id);
  }
  p.items = std::move(docs);
  return p;
}

// Applies the fields present in `in` to `d` and validates the result.
Status ApplyInput(Document& d, const DocumentInput& in) {
  if (in.type_code) {
    if (!FindDocumentType(*in.type_code)) {
      return Error::Invalid("type_code", "not_allowed_value", "Unknown document type.");
    }
    d.type_code = *in.type_code;
  }
  if (in.subject) d.subject = *in.subject;
  if (in.urgency) d.urgency = *in.urgency;
  if (in.classification) d.classification = *in.classification;
  if (in.legal_normative) d.legal_normative = *in.legal_normative;
  if (in.signer_name) d.signer_name = *in.signer_name;
  if (in.signer_position) d.signer_position = *in.signer_position;
  if (in.page_count) d.page_count = *in.page_count;
  if (in.copies) d.copies = *in.copies;
  if (in.reply_to_id) d.reply_to_id = *in.reply_to_id;
  if (in.replaces_id) d.replaces_id = *in.replaces_id;
  if (in.corrects_id) d.corrects_id = *in.corrects_id;
  if (in.deadline) d.deadline = *in.deadline;
  if (in.notes) d.notes = *in.notes;
  if (in.issuer_name) d.issuer_name = *in.issuer_name;
  if (in.original_number_symbol) d.original_number_symbol = *in.original_number_symbol;
  if (in.original_date) d.original_date = *in.original_date;
  if (in.recipient_unit_ids) d.recipient_unit_ids = *in.recipient_unit_ids;
  if (in.recipient_agency_codes) d.recipient_agency_codes = *in.recipient_agency_codes;
  CHY_TRY_STATUS(CheckText("subject", d.subject, kSubjectMax, true));
  CHY_TRY_STATUS(CheckText("signer_name", d.signer_name, 200, false));
  CHY_TRY_STATUS(CheckText("signer_position", d.signer_position, 200, false));
  CHY_TRY_STATUS(CheckText("issuer_name", d.issuer_name, 300, false));
  CHY_TRY_STATUS(CheckText("original_number_symbol", d.original_number_symbol, 100, false));
  CHY_TRY_STATUS(CheckText("notes", d.notes, 4000, false));
  if (d.legal_normative && d.type_code.empty()) {
    return Error::Invalid("type_code", "required",
                          "A legal-normative document has a type (its series is per type).");
  }
  return Ok();
}

json::object DocumentSummary(const Document& d) {
  return {{"state", d.state},
          {"subject", d.subject},
          {"number_symbol", d.number_symbol},
          {"classification", ClassificationName(d.classification)},
          {"version", d.version}};
}

}  // namespace

// The documents a draft points at must be ones the drafter can read. Decree 30:
// an error of content is fixed by a replacement of the same type, an error of
// form by a correction công văn; both name an issued outgoing document.
DocumentService::DocumentService(const Core& core, OrgService& org, SignatureService& signatures)
    : Core(core), org_(org), signatures_(signatures) {
  // Giải mật: approved by a security officer through the four-eyes requests.
  org_.OnApproved("document.declassify",
                  [this](store::Tx& tx, const Actor& actor, const store::Approval& a) {
                    return ApplyDeclassification(tx, actor, a);
                  });
}

Status DocumentService::CheckLinks(store::Tx& tx, const Actor& actor, const Document& d) {
  const std::pair<const char*, std::optional<Id>> links[] = {
      {"reply_to_id", d.reply_to_id}, {"replaces_id", d.replaces_id}, {"corrects_id", d.corrects_id}};
  for (const auto& [field, link] : links) {
    if (!link) continue;
    auto target = ReadableDocument(tx, actor, *link);
    if (!target.ok()) return MissingAs(target, Error::Invalid(field, "unknown", "No such document."));
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
    CHY_TRY(Document old, tx.GetDocument(*d.replaces_id));
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
    CHY_TRY(bool reaches, tx.IsWithin(d.unit_id, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("unit_id", "out_of_scope", "You do not work for that unit.");
    }
    for (Id r : d.recipient_unit_ids) {
      auto u = tx.GetUnit(r);
      if (!u.ok() || !u->active) {
        return Error::Invalid("recipient_unit_ids", "unknown",
                              "Unit " + std::to_string(r) + " is not an active unit.");
      }
    }
    CHY_TRY_STATUS(CheckLinks(tx, actor, d));
    CHY_TRY_STATUS(CheckExternalRecipients(tx, d));
    CHY_TRY(d.id, tx.InsertDocument(d));
    for (Id r : d.recipient_unit_ids) CHY_TRY_STATUS(tx.InsertRecipient(d.id, {r, std::nullopt}));
    CHY_TRY_STATUS(tx.SetExternalRecipients(d.id, d.recipient_agency_codes));
    out.document = d;
    return Audit(tx, &actor, "document.create", "document", d.id,
                 json::serialize(DocumentSummary(d)));
  }));
  return out;
}

Result<CreatedDocument> DocumentService::ReceiveIncoming(const Actor& actor, const DocumentInput& in) {
  std::optional<blob::BlobInfo> scan;
  if (in.scan_sha256) {
    auto info = blobs_.Stat(*in.scan_sha256);
    if (!info.ok()) return NoUpload();
    scan = *info;
  }
  return Receive(actor, in, scan, /*scan_is_an_upload=*/true);
}

Result<CreatedDocument> DocumentService::Receive(const Actor& actor, const DocumentInput& in,
                                          const std::optional<blob::BlobInfo>& scan,
                                          bool scan_is_an_upload) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk));
  Document d;
  d.direction = Direction::kIncoming;
  d.state = "received";
  d.unit_id = in.unit_id.value_or(actor.unit_id);
  d.created_by = actor.id;
  d.created_at = d.updated_at = clock_.Now();
  CHY_TRY_STATUS(ApplyInput(d, in));
  CHY_TRY_STATUS(CheckText("issuer_name", d.issuer_name, 300, true));
  CHY_TRY_STATUS(CheckText("original_number_symbol", d.original_number_symbol, 100, true));
  if (!actor.MayRead(d.classification)) {
    return Error::Invalid("classification", "above_clearance",
                          "A document above your clearance goes to a cleared clerk.");
  }
  CreatedDocument out;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    if (scan && scan_is_an_upload) {
      // Only the clerk's own upload, not yet attached: a hash seen elsewhere
      // (another unit's secret scan) is not a key to its file.
      CHY_TRY(bool own, tx.HasUpload(actor.id, scan->sha256, d.created_at));
      if (!own) return NoUpload();
      CHY_TRY_STATUS(tx.ConsumeUpload(actor.id, scan->sha256));
    }
    CHY_TRY(bool reaches, tx.IsWithin(d.unit_id, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("unit_id", "out_of_scope", "You do not work for that unit.");
    }
    // Only duplicates the clerk may open are named (as GET /documents/duplicates).
    CHY_TRY(auto duplicates, tx.FindDuplicates(d.original_number_symbol, d.issuer_name, 0));
    for (Id id : duplicates) {
      if (ReadableDocument(tx, actor, id).ok()) out.duplicates.push_back(id);
    }
    CHY_TRY(d.id, tx.InsertDocument(d));
    if (scan) {
      store::NamedFile f;
      f.document_id = d.id;
      f.sha256 = scan->sha256;
      f.file_name = in.scan_file_name.value_or("scan.pdf");
      f.content_type = scan->content_type;
      f.size = static_cast<std::int64_t>(scan->size);
      f.created_by = actor.id;
      CHY_TRY_STATUS(tx.InsertAttachment(f, clock_.Now()));
      // Authenticity and integrity are checked on arrival, and kept.
      CHY_TRY_STATUS(signatures_.VerifyArrival(tx, d, f.sha256, f.file_name));
    }
    out.document = d;
    json::object details = DocumentSummary(d);
    details["issuer_name"] = d.issuer_name;
    details["original_number_symbol"] = d.original_number_symbol;
    details["duplicates"] = json::value_from(out.duplicates);
    return Audit(tx, &actor, "document.receive", "document", d.id, json::serialize(details));
  }));
  return out;
}

Result<std::vector<Id>> DocumentService::FindDuplicates(const Actor& actor,
                                                 const std::string& number_symbol,
                                                 const std::string& issuer_name) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk | kRoleLeader));
  std::vector<Id> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto ids, tx.FindDuplicates(number_symbol, issuer_name, 0));
    // Only those the clerk may see are named; the others are counted as one
    // anonymous warning would still leak, so they are left out.
    for (Id id : ids) {
      if (ReadableDocument(tx, actor, id).ok()) out.push_back(id);
    }
    return Ok();
  }));
  return out;
}

Result<DocumentDetail> DocumentService::GetDocument(const Actor& actor, Id id) {
  return LoadDocument(actor, id, "detail", "");
}

Result<DocumentDetail> DocumentService::LoadDocument(const Actor& actor, Id id, std::string_view purpose,
                                              const std::string& details_json) {
  DocumentDetail out;
  CHY_TRY_STATUS(ReadDocument(
      actor, id, purpose,
      [&](store::Tx& tx, const Document& d) -> Status {
        out.document = d;
        out.allowed_actions = AllowedActions(d.direction, d.state);
        CHY_TRY(out.assignments, tx.ListAssignments(id));
        CHY_TRY(out.attachments, tx.ListAttachments(id));
        CHY_TRY(out.versions, tx.ListVersions(id));
        for (auto& v : out.versions) {
          // Versions keep no type or size of their own: the stored file has them.
          if (auto info = blobs_.Stat(v.sha256); info.ok()) {
            v.content_type = info->content_type;
            v.size = static_cast<std::int64_t>(info->size);
          }
        }
        CHY_TRY(out.signatures, tx.ListDocumentSignatures(id));
        CHY_TRY(out.comments, tx.ListComments(id));
        CHY_TRY(out.notes, tx.ListNotes(id));
        CHY_TRY(out.recipients, tx.ListRecipients(id));
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
    const bool editable = (d.direction == Direction::kOutgoing &&
                           (d.state == "draft" || d.state == "in_review")) ||
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
    CHY_TRY_STATUS(tx.UpdateDocument(d));
    if (in.recipient_unit_ids) {
      CHY_TRY_STATUS(tx.connection().Exec(
          "DELETE FROM document_recipients WHERE document_id = $1", {d.id}));
      for (Id r : d.recipient_unit_ids) {
        auto u = tx.GetUnit(r);
        if (!u.ok() || !u->active) {
          return Error::Invalid("recipient_unit_ids", "unknown", "Not an active unit.");
        }
        CHY_TRY_STATUS(tx.InsertRecipient(d.id, {r, std::nullopt}));
      }
    }
    if (in.recipient_agency_codes) {
      CHY_TRY_STATUS(CheckExternalRecipients(tx, d));
      CHY_TRY_STATUS(tx.SetExternalRecipients(d.id, d.recipient_agency_codes));
    }
    ++d.version;
    json::object details{{"before", DocumentSummary(before)}, {"after", DocumentSummary(d)}};
    return Audit(tx, &actor, "document.update", "document", d.id, json::serialize(details));
  }));
  return d;
}

Result<Document> DocumentService::Act(const Actor& actor, Id id, const std::string& action,
                               const ActionInput& in) {
  Document d;
  // Signing happens before the transaction (it reads files, unlocks a key
  // and may count a wrong PIN); the transaction then records it if the
  // document did not change meanwhile.
  std::optional<SignatureService::SignedFiles> signed_files;
  if (action == "sign" || action == "seal") {
    CHY_TRY(signed_files, signatures_.SignForAction(actor, id, action, in));
  }
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(d, ReadableDocument(tx, actor, id));
    if (signed_files) CHY_TRY_STATUS(signatures_.RecordSignedFiles(tx, actor, d, *signed_files));
    if (in.expected_version && *in.expected_version != d.version) {
      return MakeError(ErrorCode::kPreconditionFailed,
                       "The document was changed by someone else; reload it and try again.");
    }
    CHY_TRY(const Transition* t, FindTransition(d.direction, d.state, action));
    // A lead person may sub-assign and note without the leader role.
    bool allowed = (actor.roles & t->roles) != 0;
    if (!allowed && (action == "assign" || action == "note" || action == "complete")) {
      CHY_TRY(auto assignments, tx.ListAssignments(id));
      for (const auto& a : assignments) {
        if (a.state == "open" && a.lead_user_id == actor.id) allowed = true;
      }
      if (action == "assign" && !in.parent_assignment_id) allowed = false;
    }
    if (!allowed) {
      return MakeError(ErrorCode::kForbidden, "Your roles do not allow '" + action + "'.");
    }
    const std::string from = d.state;
    std::string details;
    CHY_TRY_STATUS(ApplyAction(tx, actor, d, action, in, details));
    d.state = std::string(t->to);
    CHY_TRY_STATUS(ExchangeAfterAction(tx, actor, d, action, in, from));
    d.updated_at = clock_.Now();
    CHY_TRY_STATUS(tx.UpdateDocument(d));
    ++d.version;
    json::object rec{{"from", from}, {"to", d.state}};
    if (!in.comment.empty()) rec["comment"] = in.comment;
    if (!in.reason.empty()) rec["reason"] = in.reason;
    std::error_code ec;
    if (!details.empty()) rec["effects"] = json::parse(details, ec);
    if (signed_files && !signed_files->signatures.empty()) {
      json::array signatures;
      for (const auto& sig : signed_files->signatures) {
        signatures.push_back(json::object{{"kind", sig.kind}, {"file", sig.file_name},
                                          {"sha256", sig.sha256}, {"certificate", sig.certificate_serial}});
      }
      rec["signatures"] = std::move(signatures);
    }
    return Audit(tx, &actor, "document." + action, "document", d.id, json::serialize(rec));
  }));
  return d;
}

Status DocumentService::ApplyAction(store::Tx& tx, const Actor& actor, Document& d,
                             const std::string& action, const ActionInput& in,
                             std::string& details) {
  const Timestamp now = clock_.Now();
  const Date today = VietnamDate(now);
  const int year = static_cast<int>(std::chrono::year_month_day{today}.year());
  if (!in.comment.empty()) {
    CHY_TRY_STATUS(CheckText("comment", in.comment, 4000, false));
    CHY_TRY_STATUS(tx.InsertComment({0, d.id, std::nullopt, actor.id, in.comment, now}));
  }
  if (action == "send_back" && in.comment.empty()) {
    return Error::Invalid("comment", "required", "Say what must change.");
  }
  if (action == "number") {
    // Số, ký hiệu: the next number of the issuing unit's series for this year.
    CHY_TRY(Id issuer_id, IssuingUnitOf(tx, d.unit_id));
    CHY_TRY(Unit issuer, tx.GetUnit(issuer_id));
    CHY_TRY(Unit drafting, tx.GetUnit(d.unit_id));
    CHY_TRY(auto book, tx.GetOrCreateBook(issuer_id, "outgoing", year));
    d.series = SeriesFor(d);
    CHY_TRY(d.number, tx.NextNumber(issuer_id, year, d.series));
    d.number_year = year;
    d.book_id = book.id;
    d.issued_date = today;
    d.number_symbol = FormatNumberSymbol(*d.number, d.type_code, issuer.abbreviation,
                                         drafting.abbreviation);
    details = json::serialize(json::object{{"number", *d.number},
                                           {"number_symbol", d.number_symbol},
                                           {"series", d.series},
                                           {"book_id", book.id}});
  } else if (action == "issue") {
    if (d.recipient_unit_ids.empty() && d.recipient_agency_codes.empty()) {
      return Error::Invalid("recipient_unit_ids", "required", "Name at least one recipient.");
    }
    CHY_TRY(std::optional<store::NamedFile> signed_main, signatures_.CheckBothSignatures(tx, actor, d));
    CHY_TRY(Id issuer_id, IssuingUnitOf(tx, d.unit_id));
    CHY_TRY(Unit issuer, tx.GetUnit(issuer_id));
    json::array copies;
    for (Id unit_id : d.recipient_unit_ids) {
      // Each recipient unit gets its own incoming copy to register and process.
      Document copy;
      copy.direction = Direction::kIncoming;
      copy.state = "received";
      copy.unit_id = unit_id;
      copy.created_by = actor.id;
      copy.type_code = d.type_code;
      copy.subject = d.subject;
      copy.urgency = d.urgency;
      copy.classification = d.classification;
      copy.legal_normative = d.legal_normative;
      copy.issuer_name = issuer.name;
      copy.original_number_symbol = d.number_symbol;
      copy.original_date = d.issued_date;
      copy.signer_name = d.signer_name;
      copy.signer_position = d.signer_position;
      copy.page_count = d.page_count;
      copy.source_document_id = d.id;
      copy.created_at = copy.updated_at = now;
      CHY_TRY(copy.id, tx.InsertDocument(copy));
      CHY_TRY(auto files, tx.ListAttachments(d.id));
      for (auto f : files) {
        f.document_id = copy.id;
        CHY_TRY_STATUS(tx.InsertAttachment(f, now));
      }
      if (signed_main) {
        // The signed original travels with the copy, checked as it arrives.
        store::NamedFile main = *signed_main;
        main.document_id = copy.id;
        CHY_TRY_STATUS(tx.InsertAttachment(main, now));
        CHY_TRY_STATUS(signatures_.VerifyArrival(tx, copy, main.sha256, main.file_name));
      }
      CHY_TRY_STATUS(tx.InsertRecipient(d.id, {unit_id, copy.id}));
      copies.push_back(json::object{{"unit_id", unit_id}, {"copy_id", copy.id}});
    }
    if (d.replaces_id) {
      // An issued replacement supersedes the document it replaces.
      CHY_TRY(Document old, tx.GetDocument(*d.replaces_id));
      if (old.state == "issued") {
        old.state = "replaced";
        old.updated_at = now;
        CHY_TRY_STATUS(tx.UpdateDocument(old));
        CHY_TRY_STATUS(Audit(tx, &actor, "document.replaced", "document", old.id,
                             json::serialize(json::object{{"replaced_by", d.id}})));
      }
    }
    if (d.corrects_id) {
      // The corrected document stays in force; its timeline shows the correction.
      CHY_TRY_STATUS(Audit(tx, &actor, "document.corrected", "document", *d.corrects_id,
                           json::serialize(json::object{{"corrected_by", d.id}})));
    }
    // Other agencies get a signed package each, queued with this change.
    CHY_TRY(std::vector<std::string> sent_to, QueuePackages(tx, actor, d, issuer, signed_main));
    json::array packages;
    for (const auto& code : sent_to) packages.push_back(json::string(code));
    details = json::serialize(json::object{{"copies", copies}, {"packages", packages}});
  } else if (action == "recall") {
    CHY_TRY_STATUS(CheckText("reason", in.reason, kReasonMax, true));
    CHY_TRY(auto recipients, tx.ListRecipients(d.id));
    for (const auto& r : recipients) {
      if (!r.copy_document_id) continue;
      CHY_TRY(Document copy, tx.GetDocument(*r.copy_document_id));
      if (copy.state == "recalled" || copy.state == "returned") continue;
      copy.state = "recalled";
      copy.return_reason = in.reason;
      copy.updated_at = now;
      CHY_TRY_STATUS(tx.UpdateDocument(copy));
      CHY_TRY_STATUS(tx.CompleteAssignments(copy.id, now));
      CHY_TRY_STATUS(Audit(tx, &actor, "document.withdrawn", "document", copy.id,
                           json::serialize(json::object{{"recalled_by", d.id}})));
    }
  } else if (action == "register") {
    // Arrival number: the yearly incoming sequence of the receiving unit.
    CHY_TRY(Id unit_id, IssuingUnitOf(tx, d.unit_id));
    CHY_TRY(auto book, tx.GetOrCreateBook(unit_id, "incoming", year));
    CHY_TRY(d.arrival_number, tx.NextNumber(unit_id, year, "arrival"));
    d.arrival_date = today;
    d.book_id = book.id;
    details = json::serialize(
        json::object{{"arrival_number", *d.arrival_number}, {"book_id", book.id}});
  } else if (action == "return") {
    CHY_TRY_STATUS(CheckText("reason", in.reason, kReasonMax, true));
    d.return_reason = in.reason;
  } else if (action == "assign") {
    if (!in.lead_unit_id && !in.lead_user_id) {
      return Error::Invalid("lead_unit_id", "required", "Name a lead unit or a lead person.");
    }
    CHY_TRY_STATUS(CheckText("directive", in.directive, 4000, false));
    Assignment a;
    a.document_id = d.id;
    a.parent_id = in.parent_assignment_id;
    if (a.parent_id) {
      auto parent = tx.GetAssignment(*a.parent_id);
      if (!parent.ok() || parent->document_id != d.id) {
        return Error::Invalid("parent_assignment_id", "unknown", "No such assignment here.");
      }
    }
    a.lead_unit_id = in.lead_unit_id;
    a.lead_user_id = in.lead_user_id;
    a.supporting_unit_ids = in.supporting_unit_ids;
    for (auto unit : in.supporting_unit_ids) {
      if (!tx.GetUnit(unit).ok()) {
        return Error::Invalid("supporting_unit_ids", "unknown", "No such unit.");
      }
    }
    if (a.lead_unit_id && !tx.GetUnit(*a.lead_unit_id).ok()) {
      return Error::Invalid("lead_unit_id", "unknown", "No such unit.");
    }
    if (a.lead_user_id) {
      auto lead = tx.GetUser(*a.lead_user_id);
      if (!lead.ok()) return MissingAs(lead, Error::Invalid("lead_user_id", "unknown", "No such user."));
      if (!lead->user.MayRead(d.classification)) {
        return Error::Invalid("lead_user_id", "clearance",
                              "That person lacks the clearance for this document.");
      }
    }
    if (in.deadline) {
      a.deadline = *in.deadline;
    } else if (in.deadline_working_days) {
      if (*in.deadline_working_days < 0 || *in.deadline_working_days > 3650) {
        return Error::Invalid("deadline_working_days", "out_of_range", "0 to 3650.");
      }
      a.deadline = calendar_.AddWorkingDays(today, *in.deadline_working_days);
    }
    a.directive = in.directive;
    a.state = "open";
    a.assigned_by = actor.id;
    a.created_at = now;
    CHY_TRY(a.id, tx.InsertAssignment(a));
    if (!a.parent_id && a.deadline) d.deadline = a.deadline;
    details = json::serialize(json::object{
        {"assignment_id", a.id},
        {"deadline", a.deadline ? json::value(FormatDate(*a.deadline)) : json::value(nullptr)}});
  } else if (action == "note") {
    CHY_TRY_STATUS(CheckText("comment", in.comment, 4000, true));
    std::optional<Id> assignment;
    CHY_TRY(auto assignments, tx.ListAssignments(d.id));
    for (const auto& a : assignments) {
      if (a.state == "open" && a.lead_user_id == actor.id) assignment = a.id;
    }
    CHY_TRY_STATUS(tx.InsertNote({0, d.id, assignment, actor.id, in.comment, now}));
  } else if (action == "complete") {
    if (in.reply_document_id) {
      auto reply = ReadableDocument(tx, actor, *in.reply_document_id);
      if (!reply.ok()) {
        return MissingAs(reply, Error::Invalid("reply_document_id", "unknown", "No such document."));
      }
      details = json::serialize(json::object{{"reply_document_id", *in.reply_document_id}});
    }
    CHY_TRY_STATUS(tx.CompleteAssignments(d.id, now));
  } else if (action == "file") {
    if (!in.record_id) return Error::Invalid("record_id", "required", "Name the record (hồ sơ).");
    auto record = tx.GetRecord(*in.record_id);
    if (!record.ok()) return MissingAs(record, Error::Invalid("record_id", "unknown", "No such record."));
    CHY_TRY(bool reaches, tx.IsWithin(record->unit_id, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("record_id", "out_of_scope", "That record is not your unit's.");
    }
    d.record_id = record->id;
  }
  return Ok();
}

Result<DocumentPage> DocumentService::ListDocuments(const Actor& actor, const ListInput& in) {
  std::optional<Id> before;
  std::optional<std::pair<std::string, Id>> after_deadline;
  if (in.by_deadline) {
    CHY_TRY(after_deadline, DeadlineCursorArg(in.cursor));
  } else {
    CHY_TRY(before, CursorArg(in.cursor));
  }
  const int limit = std::clamp(in.limit, 1, 200);
  std::vector<Document> docs;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    store::DocumentQuery q;
    q.max_classification = actor.clearance;
    q.before_id = before;
    q.by_deadline = in.by_deadline;
    q.reply_to_id = in.reply_to_id;
    q.after_deadline = after_deadline;
    q.limit = limit + 1;
    q.text = in.text;
    q.states = in.states;
    if (in.unit_id) {
      CHY_TRY(bool reaches, tx.IsWithin(*in.unit_id, actor.unit_id));
      if (!reaches) {
        return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
      }
      q.unit_ids = {*in.unit_id};
    } else if (in.box != Box::kInbox) {  // the inbox is by person, not by unit
      CHY_TRY(Scope scope, ScopeOf(tx, actor));
      q.unit_ids = std::move(scope.reach);
    }
    switch (in.box) {
      case Box::kAll: break;
      case Box::kDrafts:
        q.direction = Direction::kOutgoing;
        q.states = {"draft"};
        break;
      case Box::kAwaitingApproval:
        q.direction = Direction::kOutgoing;
        q.states = {"in_review"};
        break;
      case Box::kAwaitingAssignment:
        q.direction = Direction::kIncoming;
        q.states = {"registered"};
        break;
      case Box::kInbox:
        // What this person must work on: open assignments they lead.
        q.unit_ids.clear();
        q.assigned_user_id = actor.id;
        q.states = {"assigned", "in_progress"};
        break;
      case Box::kOutgoing: q.direction = Direction::kOutgoing; break;
      case Box::kIncoming: q.direction = Direction::kIncoming; break;
    }
    CHY_TRY(docs, tx.ListDocuments(q));
    return Ok();
  }));
  DocumentPage page = MakePage(std::move(docs), limit);
  if (in.by_deadline && page.next_cursor) {
    const Document& last = page.items.back();
    page.next_cursor = "d" + (last.deadline ? FormatDate(*last.deadline) : kNoDeadline) + "." +
                       std::to_string(last.id);
  }
  return page;
}

Result<DocumentPage> DocumentService::DeadlineList(const Actor& actor, std::optional<Id> unit_id, bool mine,
                                    std::optional<Date> before, std::optional<Date> until,
                                    std::optional<std::string> cursor, int limit) {
  CHY_TRY(auto after, CursorArg(cursor));
  limit = std::clamp(limit, 1, 200);
  std::vector<Document> docs;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    store::DocumentQuery q;
    q.max_classification = actor.clearance;
    q.states = {"assigned", "in_progress"};
    q.deadline_before = before;
    q.deadline_until = until;
    q.before_id = after;
    q.limit = limit + 1;
    if (mine) {
      q.assigned_user_id = actor.id;
    } else {
      const Id unit = unit_id.value_or(actor.unit_id);
      CHY_TRY(bool reaches, tx.IsWithin(unit, actor.unit_id));
      if (!reaches) {
        return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
      }
      q.unit_ids = {unit};
    }
    CHY_TRY(docs, tx.ListDocuments(q));
    return Ok();
  }));
  return MakePage(std::move(docs), limit);
}

Result<DocumentPage> DocumentService::Overdue(const Actor& actor, std::optional<Id> unit_id, bool mine,
                               std::optional<std::string> cursor, int limit) {
  return DeadlineList(actor, unit_id, mine, Today(), std::nullopt, std::move(cursor), limit);
}

Result<DocumentPage> DocumentService::DueSoon(const Actor& actor, std::optional<Id> unit_id, bool mine,
                               std::optional<std::string> cursor, int limit) {
  const Date today = Today();
  const Date until = calendar_.AddWorkingDays(today, config_.due_soon_working_days);
  auto page = DeadlineList(actor, unit_id, mine, std::nullopt, until, std::move(cursor), limit);
  if (!page.ok()) return page;
  // Not yet overdue: deadline today or later.
  std::erase_if(page->items, [&](const Document& d) { return d.deadline && *d.deadline < today; });
  return page;
}

Result<store::TextEntry> DocumentService::AddComment(const Actor& actor, Id id,
                                              const std::string& body) {
  CHY_TRY_STATUS(CheckText("body", body, 4000, true));
  store::TextEntry e{0, id, std::nullopt, actor.id, body, clock_.Now()};
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(ReadableDocument(tx, actor, id));
    CHY_TRY(e.id, tx.InsertComment(e));
    return Audit(tx, &actor, "document.comment", "document", id,
                 json::serialize(json::object{{"comment_id", e.id}}));
  }));
  return e;
}

Result<store::NamedFile> DocumentService::AddFile(const Actor& actor, Id id, bool as_version,
                                           const std::string& file_name, std::string_view bytes,
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
  store::NamedFile f;
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
    CHY_TRY_STATUS(tx.UpdateDocument(current));
    if (as_version) {
      CHY_TRY(f.id, tx.InsertVersion(f, f.created_at));
      CHY_TRY(auto versions, tx.ListVersions(id));
      f.version_no = versions.empty() ? 1 : versions.back().version_no;
    } else {
      CHY_TRY(f.id, tx.InsertAttachment(f, f.created_at));
    }
    return Audit(tx, &actor, as_version ? "document.version" : "document.attach", "document", id,
                 json::serialize(json::object{{"sha256", f.sha256},
                                              {"file_name", f.file_name},
                                              {"size", f.size},
                                              {"content_type", f.content_type}}));
  }));
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
    return tx.PutUpload(actor.id, info.sha256, now, now + kUploadLifetime);
  }));
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

Result<std::vector<store::AuditEntry>> DocumentService::Timeline(const Actor& actor, Id id) {
  std::vector<store::AuditEntry> out;
  CHY_TRY_STATUS(ReadDocument(actor, id, "timeline", [&](store::Tx& tx, const Document&) -> Status {
    store::AuditQuery q;
    q.object_type = "document";
    q.object_id = id;
    q.limit = 1000;
    CHY_TRY(out, tx.ListAudit(q));
    std::reverse(out.begin(), out.end());
    return Ok();
  }));
  return out;
}

// ---------------------------------------------------------------- records

Result<store::RecordFile> DocumentService::CreateRecord(const Actor& actor,
                                                 const store::RecordFile& in) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk | kRoleSpecialist | kRoleLeader));
  store::RecordFile r = in;
  if (r.unit_id == 0) r.unit_id = actor.unit_id;
  if (r.year == 0) r.year = static_cast<int>(std::chrono::year_month_day{Today()}.year());
  CHY_TRY_STATUS(CheckText("code", r.code, 50, true));
  CHY_TRY_STATUS(CheckText("title", r.title, 500, true));
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(bool reaches, tx.IsWithin(r.unit_id, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
    }
    auto id = tx.InsertRecord(r, clock_.Now());
    if (!id.ok()) {
      if (id.error().code == ErrorCode::kConflict) {
        return Error::Invalid("code", "taken", "A record with this code exists this year.");
      }
      return std::move(id).error();
    }
    r.id = *id;
    return Audit(tx, &actor, "record.create", "record", r.id,
                 json::serialize(json::object{{"code", r.code}, {"title", r.title}}));
  }));
  return r;
}

Result<std::vector<store::RecordFile>> DocumentService::ListRecords(const Actor& actor,
                                                             std::optional<Id> unit_id) {
  std::vector<store::RecordFile> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    const Id unit = unit_id.value_or(actor.unit_id);
    CHY_TRY(bool reaches, tx.IsWithin(unit, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
    }
    CHY_TRY(out, tx.ListRecords(unit));
    return Ok();
  }));
  return out;
}

}  // namespace chancery::services

namespace chancery::services {

Result<store::Approval> DocumentService::ProposeDeclassification(const Actor& actor, Id id,
                                                          Classification to,
                                                          const std::string& reason) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleLeader));
  CHY_TRY_STATUS(CheckText("reason", reason, kReasonMax, true));
  store::Approval a;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(Document d, ReadableDocument(tx, actor, id));
    if (to >= d.classification) {
      return Error::Invalid("classification", "not_lower",
                            "Declassification lowers the classification.");
    }
    // A leader of the issuing unit: the document's unit is theirs or below.
    CHY_TRY(bool own, tx.IsWithin(d.unit_id, actor.unit_id));
    if (!own) {
      return MakeError(ErrorCode::kForbidden,
                       "Only a leader of the issuing unit proposes declassification.");
    }
    json::object payload{{"from", ClassificationName(d.classification)},
                         {"to", ClassificationName(to)},
                         {"reason", reason},
                         {"version", d.version}};
    CHY_TRY(a, org_.FileApproval(tx, actor, "document.declassify", id, json::serialize(payload)));
    return Ok();
  }));
  return a;
}

Status DocumentService::ApplyDeclassification(store::Tx& tx, const Actor& actor,
                                       const store::Approval& a) {
  std::error_code ec;
  json::value v = json::parse(a.payload, ec);
  if (ec || !v.is_object()) return MakeError(ErrorCode::kInternal, "A malformed request.");
  const auto to = ParseClassification(std::string(v.at("to").as_string()));
  if (!to) return MakeError(ErrorCode::kInternal, "A malformed request.");
  CHY_TRY(Document d, tx.GetDocument(a.object_id));
  if (d.version != v.at("version").as_int64()) {
    return MakeError(ErrorCode::kPreconditionFailed,
                     "The document changed after declassification was proposed; propose again.");
  }
  const Classification from = d.classification;
  d.classification = *to;
  d.updated_at = clock_.Now();
  CHY_TRY_STATUS(tx.UpdateDocument(d));
  json::object details{
      {"from", ClassificationName(from)}, {"to", ClassificationName(*to)},
      {"reason", v.at("reason")},         {"date", FormatDate(VietnamDate(d.updated_at))},
      {"proposed_by", a.proposed_by},     {"approval_id", a.id}};
  return Audit(tx, &actor, "document.declassify", "document", d.id, json::serialize(details));
}

Result<Workload> DocumentService::WorkloadOf(const Actor& actor, std::optional<Id> unit_id) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleLeader | kRoleClerk | kRoleAdmin));
  Workload w;
  w.today = Today();
  w.due_soon_until = calendar_.AddWorkingDays(w.today, config_.due_soon_working_days);
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    const Id top = unit_id.value_or(actor.unit_id);
    CHY_TRY(bool reaches, tx.IsWithin(top, actor.unit_id));
    if (!reaches) return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
    CHY_TRY(Unit top_unit, tx.GetUnit(top));
    CHY_TRY(auto units, tx.ListUnits());
    // Rows: the unit's own work, then one row per direct sub-unit that adds
    // up everything below it.
    std::vector<Id> all{top};
    std::map<Id, std::size_t> row_of{{top, 0}};
    w.units.push_back({top, top_unit.name});
    for (const Unit& child : units) {
      if (child.parent_id != std::optional<Id>(top) || !child.active) continue;
      CHY_TRY(auto below, tx.UnitsBelow(child.id));
      w.units.push_back({child.id, child.name});
      for (Id id : below) {
        row_of[id] = w.units.size() - 1;
        all.push_back(id);
      }
    }
    CHY_TRY(auto counts, tx.CountOpenWork(all, w.today, w.due_soon_until, actor.clearance));
    for (const auto& c : counts) {
      UnitWorkload& row = w.units[row_of.at(c.unit_id)];
      row.open += c.open;
      row.overdue += c.overdue;
      row.due_soon += c.due_soon;
    }
    return Ok();
  }));
  return w;
}

}  // namespace chancery::services
