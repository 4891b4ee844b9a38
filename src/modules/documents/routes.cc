#include "modules/documents/routes.h"

#include <boost/json.hpp>
#include <charconv>

#include "core/document_flow.h"
#include "modules/audit/views.h"
#include "modules/documents/store.h"
#include "modules/documents/views.h"
#include "modules/org/views.h"

namespace chancery::documents {

namespace json = boost::json;
using namespace http;  // NOLINT: the handler vocabulary
using F = JsonField;
using T = JsonType;
using audit::AuditView;
using org::ActorOf;
using org::ApprovalView;
using org::kClassifications;

namespace {

const std::vector<std::string> kUrgencies{"normal", "khan", "thuong_khan", "hoa_toc"};

json::object RecordView(const documents::RecordFile& r) {
  return json::object{
      {"id", r.id}, {"unit_id", r.unit_id}, {"code", r.code}, {"title", r.title}, {"year", r.year}};
}

// Page size: `limit=` from 1 to 200, 50 when absent.
constexpr std::int64_t kMaxPage = 200;
// ?q=&from=&to= of a register book page or export.
Result<services::BookFilter> BookFilterOf(const Request& r) {
  services::BookFilter f;
  f.text = QueryParam(r, "q").value_or("");
  if (Utf8Length(f.text) > 200) return Error::Invalid("q", "too_long", "At most 200 characters.");
  CHY_TRY(f.from, QueryDate(r, "from"));
  CHY_TRY(f.to, QueryDate(r, "to"));
  return f;
}

std::vector<std::string> TypeCodes() {
  std::vector<std::string> out;
  for (const auto& t : DocumentTypes()) out.push_back(t.code);
  return out;
}

std::vector<F> DocumentFields(bool incoming, bool update) {
  std::vector<F> f{
      {.name = "type_code",
       .type = T::kString,
       .max_length = 10,
       .enum_values = TypeCodes(),
       .description = "Decree 30 type abbreviation; empty for a công văn"},
      {.name = "subject",
       .type = T::kString,
       .required = !update,
       .max_length = 500,
       .description = "Trích yếu"},
      {.name = "urgency", .type = T::kString, .enum_values = kUrgencies},
      {.name = "classification", .type = T::kString, .enum_values = kClassifications},
      {.name = "signer_name", .type = T::kString, .max_length = 200},
      {.name = "signer_position", .type = T::kString, .max_length = 200},
      {.name = "page_count", .type = T::kInteger, .min = 0, .max = 100000},
      {.name = "deadline", .type = T::kDate},
      {.name = "notes", .type = T::kString, .max_length = 4000},
      {.name = "unit_id", .type = T::kInteger, .min = 1},
  };
  if (incoming) {
    f.push_back({.name = "issuer_name",
                 .type = T::kString,
                 .required = !update,
                 .max_length = 300,
                 .description = "Cơ quan ban hành"});
    f.push_back({.name = "original_number_symbol",
                 .type = T::kString,
                 .required = !update,
                 .max_length = 100});
    f.push_back({.name = "original_date", .type = T::kDate});
    f.push_back({.name = "scan_sha256",
                 .type = T::kString,
                 .max_length = 64,
                 .description = "SHA-256 of an uploaded scan (POST /api/v1/blobs)"});
    f.push_back({.name = "scan_file_name", .type = T::kString, .max_length = 255});
  } else {
    f.push_back({.name = "legal_normative", .type = T::kBoolean});
    f.push_back({.name = "copies", .type = T::kInteger, .min = 0, .max = 100000});
    f.push_back({.name = "recipient_unit_ids", .type = T::kIntegerArray, .max_length = 500});
    f.push_back({.name = "recipient_agency_codes",
                 .type = T::kStringArray,
                 .max_length = 500,
                 .description = "Other agencies (agency codes of peers in the directory)"});
    f.push_back({.name = "reply_to_id", .type = T::kInteger, .min = 1});
    f.push_back({.name = "replaces_id", .type = T::kInteger, .min = 1});
    f.push_back({.name = "corrects_id", .type = T::kInteger, .min = 1});
  }
  return f;
}

services::DocumentInput DocumentInputOf(const json::object& o) {
  services::DocumentInput in;
  if (o.contains("type_code")) in.type_code = GetString(o, "type_code");
  in.subject = GetOptString(o, "subject");
  if (auto v = GetOptString(o, "urgency")) in.urgency = ParseUrgency(*v);
  if (auto v = GetOptString(o, "classification")) in.classification = ParseClassification(*v);
  if (o.contains("legal_normative")) in.legal_normative = GetBool(o, "legal_normative", false);
  in.signer_name = GetOptString(o, "signer_name");
  in.signer_position = GetOptString(o, "signer_position");
  if (auto v = GetInt(o, "page_count")) in.page_count = static_cast<int>(*v);
  if (auto v = GetInt(o, "copies")) in.copies = static_cast<int>(*v);
  if (o.contains("recipient_unit_ids"))
    in.recipient_unit_ids = GetIntArray(o, "recipient_unit_ids");
  if (o.contains("recipient_agency_codes")) {
    in.recipient_agency_codes = GetStringArray(o, "recipient_agency_codes");
  }
  in.reply_to_id = GetInt(o, "reply_to_id");
  in.replaces_id = GetInt(o, "replaces_id");
  in.corrects_id = GetInt(o, "corrects_id");
  Date d;
  if (auto v = GetOptString(o, "deadline"); v && ParseDate(*v, &d)) in.deadline = d;
  in.notes = GetOptString(o, "notes");
  in.unit_id = GetInt(o, "unit_id");
  in.issuer_name = GetOptString(o, "issuer_name");
  in.original_number_symbol = GetOptString(o, "original_number_symbol");
  if (auto v = GetOptString(o, "original_date"); v && ParseDate(*v, &d)) in.original_date = d;
  in.scan_sha256 = GetOptString(o, "scan_sha256");
  in.scan_file_name = GetOptString(o, "scan_file_name");
  in.duplicate_reason = GetOptString(o, "duplicate_reason");
  return in;
}

}  // namespace

const std::vector<F> kActionFields{
    {.name = "pin",
     .type = T::kString,
     .max_length = 64,
     .description = "sign: the leader's signing PIN (unlocks their key for this signature)"},
    {.name = "comment", .type = T::kString, .max_length = 4000},
    {.name = "reason", .type = T::kString, .max_length = 1000},
    {.name = "lead_unit_id", .type = T::kInteger, .min = 1},
    {.name = "lead_user_id", .type = T::kInteger, .min = 1},
    {.name = "supporting_unit_ids", .type = T::kIntegerArray, .max_length = 100},
    {.name = "deadline_working_days", .type = T::kInteger, .min = 0, .max = 3650},
    {.name = "deadline", .type = T::kDate},
    {.name = "directive", .type = T::kString, .max_length = 4000},
    {.name = "parent_assignment_id", .type = T::kInteger, .min = 1},
    {.name = "reply_document_id", .type = T::kInteger, .min = 1},
    {.name = "record_id", .type = T::kInteger, .min = 1},
};

const std::vector<F> kDraftFields = DocumentFields(false, false);

const std::vector<F> kIncomingFields = [] {
  auto f = DocumentFields(true, false);
  f.push_back({.name = "duplicate_reason",
               .type = T::kString,
               .max_length = 500,
               .description = "Why a document already received under this number/symbol from "
                              "this issuer is registered again (required then)"});
  return f;
}();

const std::vector<F> kDocPatch = [] {
  auto f = DocumentFields(true, true);
  for (auto& x : DocumentFields(false, true)) {
    if (std::none_of(f.begin(), f.end(), [&](const F& y) { return y.name == x.name; })) {
      f.push_back(x);
    }
  }
  return f;
}();

const std::vector<F> kDeclassifyFields{
    {.name = "classification",
     .type = T::kString,
     .required = true,
     .enum_values = kClassifications,
     .description = "the lower classification"},
    {.name = "reason", .type = T::kString, .required = true, .max_length = 1000}};

const std::vector<F> kCommentFields{
    {.name = "body", .type = T::kString, .required = true, .max_length = 4000}};

const std::vector<F> kRecordFields{
    {.name = "code", .type = T::kString, .required = true, .max_length = 50},
    {.name = "title", .type = T::kString, .required = true, .max_length = 500},
    {.name = "year", .type = T::kInteger, .min = 1990, .max = 2100},
    {.name = "unit_id", .type = T::kInteger, .min = 1}};

Response Routes::List(Request& req) {
  services::ListInput in;
  const std::string box = QueryParam(req, "box").value_or("all");
  static const std::vector<std::pair<std::string, services::Box>> kBoxes{
      {"all", services::Box::kAll},
      {"drafts", services::Box::kDrafts},
      {"awaiting_approval", services::Box::kAwaitingApproval},
      {"awaiting_assignment", services::Box::kAwaitingAssignment},
      {"inbox", services::Box::kInbox},
      {"outgoing", services::Box::kOutgoing},
      {"incoming", services::Box::kIncoming},
      {"received", services::Box::kReceived},
      {"to_issue", services::Box::kToIssue}};
  auto it =
      std::find_if(kBoxes.begin(), kBoxes.end(), [&](const auto& b) { return b.first == box; });
  if (it == kBoxes.end()) {
    return Problem(Error::Invalid("box", "not_allowed_value", "Unknown box."));
  }
  in.box = it->second;
  auto unit = QueryInt(req, "unit_id");
  if (!unit.ok()) return Problem(unit.error());
  in.unit_id = *unit;
  auto reply_to = QueryInt(req, "reply_to");
  if (!reply_to.ok()) return Problem(reply_to.error());
  in.reply_to_id = *reply_to;
  if (auto st = QueryParam(req, "state"); st && !st->empty()) in.states = {*st};
  in.text = QueryParam(req, "q").value_or("");
  auto from = QueryDate(req, "from");
  if (!from.ok()) return Problem(from.error());
  auto to = QueryDate(req, "to");
  if (!to.ok()) return Problem(to.error());
  in.from = *from;
  in.to = *to;
  if (auto type = QueryParam(req, "type"); type && !type->empty()) {
    // A công văn has no type code of its own: "cong_van" asks for it.
    if (*type == "cong_van") {
      in.type_code = "";
    } else if (!FindDocumentType(*type)) {
      return Problem(Error::Invalid("type", "not_allowed_value", "Not a type of Decree 30."));
    } else {
      in.type_code = *type;
    }
  }
  if (auto urgency = QueryParam(req, "urgency"); urgency && !urgency->empty()) {
    in.urgency = ParseUrgency(*urgency);
    if (!in.urgency) {
      return Problem(
          Error::Invalid("urgency", "not_allowed_value", "normal, khan, thuong_khan or hoa_toc."));
    }
  }
  const std::string sort = QueryParam(req, "sort").value_or("newest");
  if (sort != "newest" && sort != "deadline") {
    return Problem(Error::Invalid("sort", "not_allowed_value", "newest (default) or deadline."));
  }
  in.by_deadline = sort == "deadline";
  if (Utf8Length(in.text) > 200) {
    return Problem(Error::Invalid("q", "too_long", "At most 200 characters."));
  }
  in.cursor = QueryParam(req, "cursor");
  auto limit = QueryLimit(req);
  if (!limit.ok()) return Problem(limit.error());
  in.limit = *limit;
  return Reply(services_.ListDocuments(ActorOf(req), in), PageView);
}

Response Routes::CreateDraft(Request& req) {
  CHY_BODY(b, req, kDraftFields);
  auto r = services_.CreateDraft(ActorOf(req), DocumentInputOf(b));
  if (!r.ok()) return Problem(r.error());
  Response resp = WithETag(Json(201, DocumentView(r->document)), r->document.version);
  resp.SetHeader("Location", "/api/v1/documents/" + std::to_string(r->document.id));
  return resp;
}

Response Routes::RegisterIncoming(Request& req) {
  CHY_BODY(b, req, kIncomingFields);
  auto r = services_.ReceiveIncoming(ActorOf(req), DocumentInputOf(b));
  if (!r.ok()) return Problem(r.error());
  json::object o = DocumentView(r->document);
  o["duplicates"] = json::value_from(r->duplicates);
  Response resp = WithETag(Json(201, o), r->document.version);
  resp.SetHeader("Location", "/api/v1/documents/" + std::to_string(r->document.id));
  return resp;
}

Response Routes::Duplicates(Request& req) {
  return Reply(services_.FindDuplicates(ActorOf(req), QueryParam(req, "number_symbol").value_or(""),
                                        QueryParam(req, "issuer_name").value_or("")),
               [](const std::vector<Document>& docs) {
                 json::array a;
                 for (const Document& d : docs) a.push_back(DuplicateView(d));
                 return json::object{{"duplicates", std::move(a)}};
               });
}

Response Routes::Get(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto r = services_.GetDocument(ActorOf(req), *id);
  if (!r.ok()) return Problem(r.error());
  json::object o = DocumentView(r->document);
  o["allowed_actions"] = json::value_from(r->allowed_actions);
  json::array assignments, attachments, versions, comments, notes, recipients;
  for (const auto& a : r->assignments) assignments.push_back(AssignmentView(a));
  for (const auto& f : r->attachments) attachments.push_back(FileView(f));
  for (const auto& f : r->versions) versions.push_back(FileView(f));
  for (const auto& c : r->comments) comments.push_back(TextView(c));
  for (const auto& n : r->notes) notes.push_back(TextView(n));
  for (const auto& rc : r->recipients) {
    recipients.push_back(
        json::object{{"unit_id", rc.unit_id}, {"copy_document_id", OptId(rc.copy_document_id)}});
  }
  o["assignments"] = assignments;
  o["attachments"] = attachments;
  o["versions"] = versions;
  o["comments"] = comments;
  o["processing_notes"] = notes;
  o["recipients"] = recipients;
  json::array signatures;
  for (const auto& sig : r->signatures) signatures.push_back(SignatureView(sig));
  o["signatures"] = signatures;
  return WithETag(Json(200, o), r->document.version);
}

Response Routes::UpdateDraft(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto version = RequiredIfMatch(req);
  if (!version.ok()) return Problem(version.error());
  CHY_BODY(b, req, kDocPatch);
  auto r = services_.UpdateDraft(ActorOf(req), *id, DocumentInputOf(b), *version);
  if (!r.ok()) return Problem(r.error());
  return WithETag(Json(200, DocumentView(*r)), r->version);
}

Response Routes::Act(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto version = IfMatch(req);
  if (!version.ok()) return Problem(version.error());
  CHY_BODY(b, req, kActionFields);
  services::ActionInput in;
  in.pin = GetString(b, "pin");
  in.comment = GetString(b, "comment");
  in.reason = GetString(b, "reason");
  in.lead_unit_id = GetInt(b, "lead_unit_id");
  in.lead_user_id = GetInt(b, "lead_user_id");
  in.supporting_unit_ids = GetIntArray(b, "supporting_unit_ids");
  if (auto v = GetInt(b, "deadline_working_days")) {
    in.deadline_working_days = static_cast<int>(*v);
  }
  Date d;
  if (ParseDate(GetString(b, "deadline"), &d)) in.deadline = d;
  in.directive = GetString(b, "directive");
  in.parent_assignment_id = GetInt(b, "parent_assignment_id");
  in.reply_document_id = GetInt(b, "reply_document_id");
  in.record_id = GetInt(b, "record_id");
  in.expected_version = *version;
  auto r = services_.Act(ActorOf(req), *id, req.params["action"], in);
  if (!r.ok()) return Problem(r.error());
  json::object o = DocumentView(*r);
  o["allowed_actions"] = json::value_from(AllowedActions(r->direction, r->state));
  return WithETag(Json(200, o), r->version);
}

Response Routes::Timeline(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  return Reply(services_.Timeline(ActorOf(req), *id), [](const auto& list) {
    json::array a;
    for (const auto& e : list) a.push_back(AuditView(e));
    return json::object{{"items", a}};
  });
}

Response Routes::Declassify(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  CHY_BODY(b, req, kDeclassifyFields);
  const auto to = ParseClassification(GetString(b, "classification"));
  return Reply(services_.ProposeDeclassification(ActorOf(req), *id, *to, GetString(b, "reason")),
               ApprovalView, 202);
}

Response Routes::AddComment(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  CHY_BODY(b, req, kCommentFields);
  return Reply(services_.AddComment(ActorOf(req), *id, GetString(b, "body")), TextView, 201);
}

Response Routes::GetFile(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto r = services_.GetFile(ActorOf(req), *id, req.params["sha256"]);
  if (!r.ok()) return Problem(r.error());
  return FileDownload(req, r->path, r->bytes, r->size, r->content_type, r->file_name,
                      "\"" + r->sha256 + "\"");
}

Response Routes::Upload(Request& req) {
  // A scan uploaded before its incoming document exists.
  std::optional<std::string> sha;
  if (auto h = req.header("X-Content-SHA256")) sha = std::string(*h);
  BodyView body(req);
  if (!body.ok()) {
    return Problem(MakeError(ErrorCode::kUnavailable, "The upload was lost."));
  }
  return Reply(
      services_.PutBlob(ActorOf(req), body.bytes(), sha),
      [](const auto& b) {
        return json::object{
            {"sha256", b.sha256}, {"size", b.size}, {"content_type", b.content_type}};
      },
      201);
}

Response Routes::Workload(Request& req) {
  auto unit = QueryInt(req, "unit_id");
  if (!unit.ok()) return Problem(unit.error());
  return Reply(services_.WorkloadOf(ActorOf(req), *unit), [](const services::Workload& w) {
    json::array units;
    for (const auto& u : w.units) {
      units.push_back(json::object{{"unit_id", u.unit_id},
                                   {"name", u.name},
                                   {"open", u.open},
                                   {"overdue", u.overdue},
                                   {"due_soon", u.due_soon}});
    }
    return json::object{{"today", FormatDate(w.today)},
                        {"due_soon_until", FormatDate(w.due_soon_until)},
                        {"units", units}};
  });
}

Response Routes::Holidays(Request& req) {
  auto year = QueryInt(req, "year");
  if (!year.ok()) return Problem(year.error());
  const int y = static_cast<int>(
      year->value_or(static_cast<int>(std::chrono::year_month_day{services_.Today()}.year())));
  if (y < 1990 || y > 2100) {
    return Problem(Error::Invalid("year", "out_of_range", "1990 to 2100."));
  }
  json::array a;
  for (const auto& h : services_.calendar().Holidays(y)) {
    a.push_back(
        json::object{{"date", FormatDate(h.date)}, {"name_vi", h.name_vi}, {"name_en", h.name_en}});
  }
  return Json(200, json::object{{"year", y}, {"items", a}});
}

Response Routes::DeadlineOf(Request& req) {
  auto from = QueryDate(req, "from");
  if (!from.ok()) return Problem(from.error());
  auto days = QueryInt(req, "working_days");
  if (!days.ok()) return Problem(days.error());
  if (!*days || **days < 0 || **days > 3650) {
    return Problem(Error::Invalid("working_days", "out_of_range", "0 to 3650, required."));
  }
  const Date start = from->value_or(services_.Today());
  const Date due = services_.calendar().AddWorkingDays(start, static_cast<int>(**days));
  return Json(200, json::object{{"from", FormatDate(start)},
                                {"working_days", **days},
                                {"deadline", FormatDate(due)}});
}

Response Routes::Counts(Request& req) {
  return Reply(services_.CountBoxes(ActorOf(req)), [](const services::BoxCounts& c) {
    return json::object{{"inbox", c.inbox},
                        {"awaiting_approval", c.awaiting_approval},
                        {"awaiting_assignment", c.awaiting_assignment},
                        {"received", c.received},
                        {"to_issue", c.to_issue}};
  });
}

Response Routes::Types(Request&) {
  json::array a;
  for (const auto& t : DocumentTypes()) {
    a.push_back(json::object{{"code", t.code}, {"name_vi", t.name_vi}, {"name_en", t.name_en}});
  }
  return Json(200, json::object{{"items", a}});
}

Response Routes::ListRecords(Request& req) {
  auto unit = QueryInt(req, "unit_id");
  if (!unit.ok()) return Problem(unit.error());
  return Reply(services_.ListRecords(ActorOf(req), *unit), [&](const auto& list) {
    json::array a;
    for (const auto& r : list) a.push_back(RecordView(r));
    return json::object{{"items", a}};
  });
}

Response Routes::CreateRecord(Request& req) {
  CHY_BODY(b, req, kRecordFields);
  documents::RecordFile r;
  r.code = GetString(b, "code");
  r.title = GetString(b, "title");
  r.year = static_cast<int>(GetInt(b, "year").value_or(0));
  r.unit_id = GetInt(b, "unit_id").value_or(0);
  return Reply(services_.CreateRecord(ActorOf(req), r), RecordView, 201);
}

Response Routes::ListBooks(Request& req) {
  auto unit = QueryInt(req, "unit_id");
  if (!unit.ok()) return Problem(unit.error());
  return Reply(services_.ListBooks(ActorOf(req), *unit), [](const auto& list) {
    json::array a;
    for (const auto& b : list) {
      a.push_back(json::object{{"id", b.id},
                               {"unit_id", b.unit_id},
                               {"original_unit_id", b.original_unit_id},
                               {"kind", b.kind},
                               {"year", b.year}});
    }
    return json::object{{"items", a}};
  });
}

Response Routes::BookEntries(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto limit = QueryLimit(req);
  if (!limit.ok()) return Problem(limit.error());
  auto filter = BookFilterOf(req);
  if (!filter.ok()) return Problem(filter.error());
  return Reply(services_.BookPage(ActorOf(req), *id, *filter, QueryParam(req, "cursor"), *limit),
               [](const auto& p) {
                 json::array a;
                 for (const auto& d : p.entries) {
                   json::object o = DocumentView(d);
                   auto verdict = p.signature_verdicts.find(d.id);
                   o["signature"] = verdict == p.signature_verdicts.end()
                                        ? json::value(nullptr)
                                        : json::value(verdict->second);
                   a.push_back(std::move(o));
                 }
                 return json::object{{"book", json::object{{"id", p.book.id},
                                                           {"kind", p.book.kind},
                                                           {"year", p.book.year},
                                                           {"unit_id", p.book.unit_id}}},
                                     {"items", a},
                                     {"next_cursor", p.next_cursor ? json::value(*p.next_cursor)
                                                                   : json::value(nullptr)}};
               });
}

Response Routes::ExportBook(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  const std::string format = QueryParam(req, "format").value_or("csv");
  auto filter = BookFilterOf(req);
  if (!filter.ok()) return Problem(filter.error());
  auto r = services_.ExportBook(ActorOf(req), *id, format, *filter);
  if (!r.ok()) return Problem(r.error());
  Response resp;
  resp.body = std::move(*r);
  resp.SetHeader("Content-Type", format == "csv" ? "text/csv; charset=utf-8"
                                                 : "application/vnd.openxmlformats-officedocument."
                                                   "spreadsheetml.sheet");
  resp.SetHeader("Content-Disposition",
                 "attachment; filename=\"register-" + std::to_string(*id) + "." + format + "\"");
  return resp;
}

Response Routes::AddAttachment(Request& req) { return AddFile(req, false); }
Response Routes::AddVersion(Request& req) { return AddFile(req, true); }

Response Routes::AddFile(Request& req, bool as_version) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  std::string name = QueryParam(req, "file_name").value_or("");
  std::optional<std::string> sha;
  if (auto h = req.header("X-Content-SHA256")) sha = std::string(*h);
  BodyView body(req);  // in memory, or the file a large upload streamed to
  if (!body.ok()) return Problem(MakeError(ErrorCode::kUnavailable, "The upload was lost."));
  return Reply(services_.AddFile(ActorOf(req), *id, as_version, name, body.bytes(), sha,
                                 QueryParam(req, "note").value_or("")),
               FileView, 201);
}

Response Routes::Overdue(Request& req) { return Deadlines(req, true); }
Response Routes::DueSoon(Request& req) { return Deadlines(req, false); }

Response Routes::Deadlines(Request& req, bool overdue) {
  auto unit = QueryInt(req, "unit_id");
  if (!unit.ok()) return Problem(unit.error());
  const bool mine = QueryParam(req, "mine").value_or("") == "true";
  auto cursor = QueryParam(req, "cursor");
  auto limit_r = QueryLimit(req);
  if (!limit_r.ok()) return Problem(limit_r.error());
  const int limit = *limit_r;
  return Reply(overdue ? services_.Overdue(ActorOf(req), *unit, mine, cursor, limit)
                       : services_.DueSoon(ActorOf(req), *unit, mine, cursor, limit),
               PageView);
}

}  // namespace chancery::documents
