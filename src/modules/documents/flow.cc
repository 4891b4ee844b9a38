// Services: the document flow — actions from draft to archive (Decree 30), and declassification.
#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "core/document_flow.h"
#include "modules/documents/internal.h"
#include "modules/documents/service.h"
#include "modules/documents/store.h"
#include "modules/org/store.h"
#include "modules/search/legal_import.h"
#include "modules/search/legal_text.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using namespace documents_detail;  // NOLINT: this module's own helpers

namespace {
const PreparedMessages kNoMessages;
}  // namespace

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
  // Issuing verifies the signed file once, before the transaction too.
  std::optional<SignatureService::IssueCheck> issue_check;
  if (action == "issue") {
    CHY_TRY(issue_check, signatures_.CheckIssue(actor, id));
    CHY_TRY_STATUS(ReadTextsForLegalDatabase(id));
  }
  // So are the packages and notices for other agencies, when the action
  // sends any: the transaction finds out; if they are not made yet it stops,
  // they are signed and stored, and it runs once more.
  std::optional<PreparedMessages> messages;
  bool sends_messages = false;
  const auto run = [&](store::Tx& tx) -> Status {
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
      CHY_TRY(auto assignments, documents::Store(tx).ListAssignments(id));
      for (const auto& a : assignments) {
        if (a.state == "open" && a.lead_user_id == actor.id) allowed = true;
      }
      if (action == "assign" && !in.parent_assignment_id) allowed = false;
    }
    if (!allowed) {
      return MakeError(ErrorCode::kForbidden, "Your roles do not allow '" + action + "'.");
    }
    if (hooks_) {
      CHY_TRY(sends_messages, hooks_->SendsMessages(tx, d, action, in));
      if (sends_messages && !messages) return MakeError(ErrorCode::kConflict, "Not prepared.");
      if (sends_messages && messages->document_version != d.version) {
        return MakeError(ErrorCode::kConflict,
                         "The document changed while its messages to other agencies were being "
                         "signed; try again.");
      }
    }
    const std::string from = d.state;
    std::string details;
    const Timestamp now = clock_.Now();
    const Date today = VietnamDate(now);
    const ActionClock at{now, today, static_cast<int>(std::chrono::year_month_day{today}.year()),
                         issue_check ? &*issue_check : nullptr,
                         messages ? &*messages : &kNoMessages};
    CHY_TRY_STATUS(ApplyAction(tx, actor, d, action, in, at, details));
    d.state = std::string(t->to);
    CHY_TRY_STATUS(ExchangeAfterAction(tx, actor, d, action, in));
    if (messages) CHY_TRY_STATUS(QueueMessages(tx, actor, d, *messages));
    d.updated_at = clock_.Now();
    CHY_TRY_STATUS(documents::Store(tx).UpdateDocument(d));
    ++d.version;
    json::object rec{{"from", from}, {"to", d.state}};
    if (!in.comment.empty()) rec["comment"] = in.comment;
    if (!in.reason.empty()) rec["reason"] = in.reason;
    std::error_code ec;
    if (!details.empty()) rec["effects"] = json::parse(details, ec);
    if (signed_files && !signed_files->signatures.empty()) {
      json::array signatures;
      for (const auto& sig : signed_files->signatures) {
        signatures.push_back(json::object{{"kind", sig.kind},
                                          {"file", sig.file_name},
                                          {"sha256", sig.sha256},
                                          {"certificate", sig.certificate_serial}});
      }
      rec["signatures"] = std::move(signatures);
    }
    return Audit(tx, &actor, "document." + action, "document", d.id, json::serialize(rec));
  };
  Status done = store_.Write(run);
  if (!done.ok() && sends_messages && !messages) {
    CHY_TRY(messages, PrepareMessages(
                          actor, id, action, in,
                          issue_check ? issue_check->main : std::optional<documents::NamedFile>()));
    done = store_.Write(run);
  }
  CHY_TRY_STATUS(done);
  if (signed_files) WakeTextReader();
  return d;
}

Status DocumentService::ApplyAction(store::Tx& tx, const Actor& actor, Document& d,
                                    const std::string& action, const ActionInput& in,
                                    const ActionClock& at, std::string& details) {
  const Timestamp now = at.now;
  if (!in.comment.empty()) {
    CHY_TRY_STATUS(CheckText("comment", in.comment, 4000, false));
    CHY_TRY_STATUS(
        documents::Store(tx).InsertComment({0, d.id, std::nullopt, actor.id, in.comment, now}));
  }
  if (action == "send_back" && in.comment.empty()) {
    return Error::Invalid("comment", "required", "Say what must change.");
  }
  // What each action does besides moving the state (core/document_flow.h).
  using Effect = Status (DocumentService::*)(store::Tx&, const Actor&, Document&,
                                             const ActionInput&, const ActionClock&, std::string&);
  static const std::map<std::string_view, Effect> kEffects{
      {"number", &DocumentService::Number},         {"issue", &DocumentService::Issue},
      {"recall", &DocumentService::Recall},         {"register", &DocumentService::RegisterArrival},
      {"return", &DocumentService::ReturnToSender}, {"assign", &DocumentService::Assign},
      {"withdraw", &DocumentService::Withdraw},     {"note", &DocumentService::AddNote},
      {"complete", &DocumentService::Complete},     {"file", &DocumentService::FileInRecord}};
  const auto effect = kEffects.find(action);
  if (effect == kEffects.end()) return Ok();
  return (this->*effect->second)(tx, actor, d, in, at, details);
}

Status DocumentService::Number(store::Tx& tx, const Actor& /*actor*/, Document& d,
                               const ActionInput& /*in*/, const ActionClock& at,
                               std::string& details) {
  const Date today = at.today;
  const int year = at.year;
  // Số, ký hiệu: the next number of the issuing unit's series for this year.
  CHY_TRY(Id issuer_id, IssuingUnitOf(tx, d.unit_id));
  CHY_TRY(Unit issuer, org::Store(tx).GetUnit(issuer_id));
  CHY_TRY(Unit drafting, org::Store(tx).GetUnit(d.unit_id));
  CHY_TRY(auto book, documents::Store(tx).GetOrCreateBook(issuer_id, "outgoing", year));
  d.series = SeriesFor(d);
  CHY_TRY(d.number, documents::Store(tx).NextNumber(issuer_id, year, d.series));
  d.number_year = year;
  d.book_id = book.id;
  d.issued_date = today;
  d.number_symbol =
      FormatNumberSymbol(*d.number, d.type_code, issuer.abbreviation, drafting.abbreviation);
  details = json::serialize(json::object{{"number", *d.number},
                                         {"number_symbol", d.number_symbol},
                                         {"series", d.series},
                                         {"book_id", book.id}});
  return Ok();
}

// A legal-normative document the node issues enters the legal database as
// it is issued: its number, type, issuer, signer and date, and the articles
// of its text (file_texts of its main file or an attachment). Only an unclassified one: the legal
// database is everyone's to read. Its entry links back to the document.
// The files' text is read in the background; one entering the legal
// database needs it in the issuing transaction, so what is still queued of
// its files is read now. Nothing for any other document.
Status DocumentService::ReadTextsForLegalDatabase(Id id) {
  std::vector<std::string> files;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(Document d, documents::Store(tx).GetDocument(id));
    if (!d.legal_normative || d.classification != Classification::kNormal) return Ok();
    CHY_TRY(auto versions, documents::Store(tx).ListVersions(id));
    if (!versions.empty()) files.push_back(versions.back().sha256);
    CHY_TRY(auto attachments, documents::Store(tx).ListAttachments(id));
    for (const auto& f : attachments) files.push_back(f.sha256);
    return Ok();
  }));
  // A reader that cannot run now does not stop the issuing: the document
  // then enters without its articles.
  LogIfFailed(ReadFileTextsNow(files), "file_text.read_failed");
  return Ok();
}

Status DocumentService::EnterLegalDatabase(store::Tx& tx, const Actor& actor, const Document& d,
                                           const Unit& issuer,
                                           const std::optional<documents::NamedFile>& signed_main,
                                           Timestamp now) {
  search::LegalInput in;
  const DocumentType* type = FindDocumentType(d.type_code);
  in.doc.number_symbol = d.number_symbol;
  in.doc.type_name = type ? type->name_vi : "";
  in.doc.title = in.doc.type_name.empty() ? d.subject : in.doc.type_name + " " + d.subject;
  in.doc.issuer = issuer.name;
  in.doc.signer = d.signer_name;
  in.doc.signed_date = d.issued_date;
  in.doc.document_id = d.id;
  in.doc.source = d.number_symbol;
  in.doc.key = search::LegalKey(in.doc.number_symbol, in.doc.title);
  // Its text: the signed original's, else the current version's, else the
  // first attachment's that has articles.
  std::vector<std::string> files;
  if (signed_main) files.push_back(signed_main->sha256);
  CHY_TRY(auto versions, documents::Store(tx).ListVersions(d.id));
  if (!versions.empty()) files.push_back(versions.back().sha256);
  CHY_TRY(auto attachments, documents::Store(tx).ListAttachments(d.id));
  for (const auto& f : attachments) files.push_back(f.sha256);
  for (const auto& sha256 : files) {
    CHY_TRY(std::string text, documents::Store(tx).FileText(sha256));
    in.parts = search::ParseLegalText(text);
    in.has_text = !in.parts.empty();
    if (in.has_text) break;
  }
  CHY_TRY(auto stored, search::StoreLegal(tx, in, now));
  return Audit(tx, &actor, "legal.entered", "legal_document", stored.id,
               json::serialize(json::object{{"document_id", d.id},
                                            {"number_symbol", d.number_symbol},
                                            {"articles", stored.articles}}));
}

Status DocumentService::Issue(store::Tx& tx, const Actor& actor, Document& d,
                              const ActionInput& /*in*/, const ActionClock& at,
                              std::string& details) {
  const Timestamp now = at.now;
  if (d.recipient_unit_ids.empty() && d.recipient_agency_codes.empty()) {
    return Error::Invalid("recipient_unit_ids", "required", "Name at least one recipient.");
  }
  if (!at.issue) return MakeError(ErrorCode::kInternal, "Issue without its signature check.");
  CHY_TRY_STATUS(signatures_.RecordIssue(tx, actor, d, *at.issue));
  const std::optional<documents::NamedFile>& signed_main = at.issue->main;
  CHY_TRY(Id issuer_id, IssuingUnitOf(tx, d.unit_id));
  CHY_TRY(Unit issuer, org::Store(tx).GetUnit(issuer_id));
  json::array copies;
  for (Id unit_id : d.recipient_unit_ids) {
    // Each recipient unit gets its own incoming copy to register and process.
    DocumentInput in;
    in.type_code = d.type_code;
    in.subject = d.subject;
    in.urgency = d.urgency;
    in.classification = d.classification;
    in.legal_normative = d.legal_normative;
    in.issuer_name = issuer.name;
    in.original_number_symbol = d.number_symbol;
    in.original_date = d.issued_date;
    in.signer_name = d.signer_name;
    in.signer_position = d.signer_position;
    in.page_count = d.page_count;
    CHY_TRY(Document copy, IncomingDocument(unit_id, actor.id, in, now));
    copy.source_document_id = d.id;
    CHY_TRY(copy.id, documents::Store(tx).InsertDocument(copy));
    CHY_TRY(auto files, documents::Store(tx).ListAttachments(d.id));
    for (auto f : files) {
      f.document_id = copy.id;
      CHY_TRY_STATUS(documents::Store(tx).InsertAttachment(f, now));
    }
    if (signed_main) {
      // The signed original travels with the copy, checked as it arrives.
      documents::NamedFile main = *signed_main;
      main.document_id = copy.id;
      CHY_TRY_STATUS(documents::Store(tx).InsertAttachment(main, now));
      // Checked once before the transaction: the same bytes for every copy.
      if (at.issue->arrival) {
        signatures::DocumentSignature checked = *at.issue->arrival;
        checked.document_id = copy.id;
        CHY_TRY(Id row, signatures::Store(tx).InsertDocumentSignature(checked));
        (void)row;
      }
    }
    CHY_TRY_STATUS(documents::Store(tx).InsertRecipient(d.id, {unit_id, copy.id}));
    // The copy's timeline starts with its arrival: when, from whom, how.
    CHY_TRY_STATUS(Audit(
        tx, &actor, "document.arrived", "document", copy.id,
        json::serialize(json::object{
            {"from", issuer.name}, {"number_symbol", d.number_symbol}, {"channel", "internal"}})));
    copies.push_back(json::object{{"unit_id", unit_id}, {"copy_id", copy.id}});
  }
  if (d.legal_normative && d.classification == Classification::kNormal) {
    CHY_TRY_STATUS(EnterLegalDatabase(tx, actor, d, issuer, signed_main, now));
  }
  if (d.replaces_id) {
    // An issued replacement supersedes the document it replaces.
    CHY_TRY(Document old, documents::Store(tx).GetDocument(*d.replaces_id));
    if (old.state == "issued") {
      old.state = "replaced";
      old.updated_at = now;
      CHY_TRY_STATUS(documents::Store(tx).UpdateDocument(old));
      CHY_TRY_STATUS(Audit(tx, &actor, "document.replaced", "document", old.id,
                           json::serialize(json::object{{"replaced_by", d.id}})));
    }
  }
  if (d.corrects_id) {
    // The corrected document stays in force; its timeline shows the correction.
    CHY_TRY_STATUS(Audit(tx, &actor, "document.corrected", "document", *d.corrects_id,
                         json::serialize(json::object{{"corrected_by", d.id}})));
  }
  // Other agencies get a signed package each (made before the transaction),
  // queued with this change.
  CHY_TRY_STATUS(CheckExternalRecipients(tx, d));
  json::array packages;
  for (const auto& m : at.messages->messages) {
    if (m.kind == "package") packages.push_back(json::string(m.peer_code));
  }
  details = json::serialize(json::object{{"copies", copies}, {"packages", packages}});
  return Ok();
}

Status DocumentService::Recall(store::Tx& tx, const Actor& actor, Document& d,
                               const ActionInput& in, const ActionClock& at,
                               std::string& /*details*/) {
  const Timestamp now = at.now;
  CHY_TRY_STATUS(CheckText("reason", in.reason, kReasonMax, true));
  CHY_TRY(auto recipients, documents::Store(tx).ListRecipients(d.id));
  for (const auto& r : recipients) {
    if (!r.copy_document_id) continue;
    CHY_TRY(Document copy, documents::Store(tx).GetDocument(*r.copy_document_id));
    if (copy.state == "recalled" || copy.state == "returned") continue;
    copy.state = "recalled";
    copy.return_reason = in.reason;
    copy.updated_at = now;
    CHY_TRY_STATUS(documents::Store(tx).UpdateDocument(copy));
    CHY_TRY_STATUS(documents::Store(tx).CompleteAssignments(copy.id, now));
    CHY_TRY_STATUS(Audit(tx, &actor, "document.withdrawn", "document", copy.id,
                         json::serialize(json::object{{"recalled_by", d.id}})));
  }
  return Ok();
}

Status DocumentService::RegisterArrival(store::Tx& tx, const Actor& /*actor*/, Document& d,
                                        const ActionInput& /*in*/, const ActionClock& at,
                                        std::string& details) {
  const Date today = at.today;
  const int year = at.year;
  // Arrival number: the yearly incoming sequence of the receiving unit.
  CHY_TRY(Id unit_id, IssuingUnitOf(tx, d.unit_id));
  CHY_TRY(auto book, documents::Store(tx).GetOrCreateBook(unit_id, "incoming", year));
  CHY_TRY(d.arrival_number, documents::Store(tx).NextNumber(unit_id, year, "arrival"));
  d.arrival_date = today;
  d.book_id = book.id;
  details =
      json::serialize(json::object{{"arrival_number", *d.arrival_number}, {"book_id", book.id}});
  return Ok();
}

namespace {

// The action's reason, checked and kept on the document.
Status KeepReason(const ActionInput& in, Document& d, bool required) {
  CHY_TRY_STATUS(CheckText("reason", in.reason, kReasonMax, required));
  d.return_reason = in.reason;
  return Ok();
}

}  // namespace

Status DocumentService::ReturnToSender(store::Tx& /*tx*/, const Actor& /*actor*/, Document& d,
                                       const ActionInput& in, const ActionClock& /*at*/,
                                       std::string& /*details*/) {
  return KeepReason(in, d, /*required=*/true);
}

// A clerk takes an entry out of the book: why is optional, kept when given
// (the register's "Ghi chú" shows it).
Status DocumentService::Withdraw(store::Tx& /*tx*/, const Actor& /*actor*/, Document& d,
                                 const ActionInput& in, const ActionClock& /*at*/,
                                 std::string& /*details*/) {
  return KeepReason(in, d, /*required=*/false);
}

Status DocumentService::Assign(store::Tx& tx, const Actor& actor, Document& d,
                               const ActionInput& in, const ActionClock& at, std::string& details) {
  const Timestamp now = at.now;
  const Date today = at.today;
  if (!in.lead_unit_id && !in.lead_user_id) {
    return Error::Invalid("lead_unit_id", "required", "Name a lead unit or a lead person.");
  }
  CHY_TRY_STATUS(CheckText("directive", in.directive, 4000, false));
  Assignment a;
  a.document_id = d.id;
  a.parent_id = in.parent_assignment_id;
  if (a.parent_id) {
    auto parent = documents::Store(tx).GetAssignment(*a.parent_id);
    if (!parent.ok() || parent->document_id != d.id) {
      return Error::Invalid("parent_assignment_id", "unknown", "No such assignment here.");
    }
  }
  a.lead_unit_id = in.lead_unit_id;
  a.lead_user_id = in.lead_user_id;
  a.supporting_unit_ids = in.supporting_unit_ids;
  for (auto unit : in.supporting_unit_ids) {
    if (!org::Store(tx).GetUnit(unit).ok()) {
      return Error::Invalid("supporting_unit_ids", "unknown", "No such unit.");
    }
  }
  if (a.lead_unit_id && !org::Store(tx).GetUnit(*a.lead_unit_id).ok()) {
    return Error::Invalid("lead_unit_id", "unknown", "No such unit.");
  }
  if (a.lead_user_id) {
    auto lead = org::Store(tx).GetUser(*a.lead_user_id);
    if (!lead.ok())
      return MissingAs(lead, Error::Invalid("lead_user_id", "unknown", "No such user."));
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
  CHY_TRY(a.id, documents::Store(tx).InsertAssignment(a));
  if (!a.parent_id && a.deadline) d.deadline = a.deadline;
  details = json::serialize(json::object{
      {"assignment_id", a.id},
      {"deadline", a.deadline ? json::value(FormatDate(*a.deadline)) : json::value(nullptr)}});
  return Ok();
}

Status DocumentService::AddNote(store::Tx& tx, const Actor& actor, Document& d,
                                const ActionInput& in, const ActionClock& at,
                                std::string& /*details*/) {
  const Timestamp now = at.now;
  CHY_TRY_STATUS(CheckText("comment", in.comment, 4000, true));
  std::optional<Id> assignment;
  CHY_TRY(auto assignments, documents::Store(tx).ListAssignments(d.id));
  for (const auto& a : assignments) {
    if (a.state == "open" && a.lead_user_id == actor.id) assignment = a.id;
  }
  CHY_TRY_STATUS(documents::Store(tx).InsertNote({0, d.id, assignment, actor.id, in.comment, now}));
  return Ok();
}

Status DocumentService::Complete(store::Tx& tx, const Actor& actor, Document& d,
                                 const ActionInput& in, const ActionClock& at,
                                 std::string& details) {
  const Timestamp now = at.now;
  if (in.reply_document_id) {
    auto reply = ReadableDocument(tx, actor, *in.reply_document_id);
    if (!reply.ok()) {
      return MissingAs(reply, Error::Invalid("reply_document_id", "unknown", "No such document."));
    }
    details = json::serialize(json::object{{"reply_document_id", *in.reply_document_id}});
  }
  CHY_TRY_STATUS(documents::Store(tx).CompleteAssignments(d.id, now));
  return Ok();
}

Status DocumentService::FileInRecord(store::Tx& tx, const Actor& actor, Document& d,
                                     const ActionInput& in, const ActionClock& /*at*/,
                                     std::string& /*details*/) {
  if (!in.record_id) return Error::Invalid("record_id", "required", "Name the record (hồ sơ).");
  auto record = documents::Store(tx).GetRecord(*in.record_id);
  if (!record.ok())
    return MissingAs(record, Error::Invalid("record_id", "unknown", "No such record."));
  CHY_TRY(bool reaches, org::Store(tx).IsWithin(record->unit_id, actor.unit_id));
  if (!reaches) {
    return Error::Invalid("record_id", "out_of_scope", "That record is not your unit's.");
  }
  d.record_id = record->id;
  return Ok();
}

Result<org::Approval> DocumentService::ProposeDeclassification(const Actor& actor, Id id,
                                                               Classification to,
                                                               const std::string& reason) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleLeader));
  CHY_TRY_STATUS(CheckText("reason", reason, kReasonMax, true));
  org::Approval a;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(Document d, ReadableDocument(tx, actor, id));
    if (to >= d.classification) {
      return Error::Invalid("classification", "not_lower",
                            "Declassification lowers the classification.");
    }
    // A leader of the issuing unit: the document's unit is theirs or below.
    CHY_TRY(bool own, org::Store(tx).IsWithin(d.unit_id, actor.unit_id));
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
                                              const org::Approval& a) {
  std::error_code ec;
  json::value v = json::parse(a.payload, ec);
  if (ec || !v.is_object()) return MakeError(ErrorCode::kInternal, "A malformed request.");
  const auto to = ParseClassification(std::string(v.at("to").as_string()));
  if (!to) return MakeError(ErrorCode::kInternal, "A malformed request.");
  CHY_TRY(Document d, documents::Store(tx).GetDocument(a.object_id));
  if (d.version != v.at("version").as_int64()) {
    return MakeError(ErrorCode::kPreconditionFailed,
                     "The document changed after declassification was proposed; propose again.");
  }
  const Classification from = d.classification;
  d.classification = *to;
  d.updated_at = clock_.Now();
  CHY_TRY_STATUS(documents::Store(tx).UpdateDocument(d));
  json::object details{
      {"from", ClassificationName(from)}, {"to", ClassificationName(*to)},
      {"reason", v.at("reason")},         {"date", FormatDate(VietnamDate(d.updated_at))},
      {"proposed_by", a.proposed_by},     {"approval_id", a.id}};
  return Audit(tx, &actor, "document.declassify", "document", d.id, json::serialize(details));
}

}  // namespace chancery::services
