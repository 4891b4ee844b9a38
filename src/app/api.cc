#include "app/api.h"

#include <openssl/crypto.h>

#include <any>
#include <boost/json.hpp>
#include <charconv>

#include "core/digest.h"
#include "core/document_flow.h"
#include "lib/http/json_body.h"
#include "lib/http/openapi.h"
#include "lib/http/problem.h"

namespace chancery::http {

namespace json = boost::json;
using services::Services;

namespace {

// ------------------------------------------------------------ small helpers


const User& ActorOf(const Request& r) { return *std::any_cast<User>(&r.user); }

json::value OptId(std::optional<Id> v) { return v ? json::value(*v) : json::value(nullptr); }
json::value OptDate(std::optional<Date> d) {
  return d ? json::value(FormatDate(*d)) : json::value(nullptr);
}

std::string ETagOf(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

// If-Match: "v7" (or W/"v7") → 7. Anything else is a stale tag.
Result<std::optional<std::int64_t>> IfMatch(const Request& r) {
  auto h = r.header("If-Match");
  if (!h) return std::optional<std::int64_t>{};
  std::string_view v = *h;
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() < 4 || v.front() != '"' || v[1] != 'v' || v.back() != '"') {
    return MakeError(ErrorCode::kPreconditionFailed, "If-Match does not name a version.");
  }
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data() + 2, v.data() + v.size() - 1, n);
  if (ec != std::errc() || p != v.data() + v.size() - 1) {
    return MakeError(ErrorCode::kPreconditionFailed, "If-Match does not name a version.");
  }
  return std::optional<std::int64_t>{n};
}

Result<std::int64_t> RequiredIfMatch(const Request& r) {
  CHY_TRY(auto v, IfMatch(r));
  if (!v) {
    return MakeError(ErrorCode::kPreconditionRequired,
                     "Send If-Match with the ETag you read, so no one's change is lost.");
  }
  return *v;
}

Result<Id> PathId(const Request& r, const char* name = "id") {
  auto it = r.params.find(name);
  Id v = 0;
  if (it != r.params.end()) {
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec == std::errc() && p == it->second.data() + it->second.size() && v > 0) return v;
  }
  return MakeError(ErrorCode::kNotFound, "No such object.");
}

Result<std::optional<std::int64_t>> QueryInt(const Request& r, const char* name) {
  auto s = QueryParam(r, name);
  if (!s || s->empty()) return std::optional<std::int64_t>{};
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || p != s->data() + s->size()) {
    return Error::Invalid(name, "wrong_type", "An integer.");
  }
  return std::optional<std::int64_t>{v};
}

Result<std::optional<Date>> QueryDate(const Request& r, const char* name) {
  auto s = QueryParam(r, name);
  if (!s || s->empty()) return std::optional<Date>{};
  Date d;
  if (!ParseDate(*s, &d)) return Error::Invalid(name, "bad_date", "YYYY-MM-DD.");
  return std::optional<Date>{d};
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

Result<int> QueryLimit(const Request& r) {
  CHY_TRY(auto v, QueryInt(r, "limit"));
  if (!v) return 50;
  if (*v < 1 || *v > kMaxPage) {
    return Error::Invalid("limit", "out_of_range", "From 1 to " + std::to_string(kMaxPage) + ".");
  }
  return static_cast<int>(*v);
}

Response Json(int status, json::value v) { return JsonResponse(status, v); }


// A file answer with Range support (RFC 9110 section 14): one range only;
// an unsatisfiable range is 416, a malformed one is ignored (whole file).
Response FileDownload(const Request& req, const std::string& path, std::string bytes,
                      std::uint64_t size, const std::string& content_type,
                      const std::string& file_name, const std::string& etag) {
  Response r;
  r.SetHeader("Content-Type", content_type);
  r.SetHeader("Accept-Ranges", "bytes");
  r.SetHeader("ETag", etag);
  r.SetHeader("Cache-Control", "private, max-age=0, must-revalidate");
  std::string safe_name;
  for (char c : file_name) safe_name += (c == '"' || c == '\\' || c < 0x20) ? '_' : c;
  // Files come from users and other agencies: hostile until proven
  // otherwise. Only types a browser shows without running anything of ours
  // are shown in the page, and even they run in a sandbox with no origin;
  // everything else is a download.
  const bool inline_type = content_type == "application/pdf" || content_type == "image/png" ||
                           content_type == "image/jpeg";
  r.SetHeader("Content-Disposition", std::string(inline_type ? "inline" : "attachment") +
                                         "; filename=\"" + safe_name + "\"");
  r.SetHeader("Content-Security-Policy",
              "sandbox; default-src 'none'; img-src 'self' data:; "
              "style-src 'unsafe-inline'");
  std::uint64_t first = 0, last = size ? size - 1 : 0;
  bool partial = false;
  if (auto range = req.header("Range"); range && range->starts_with("bytes=") &&
                                        range->find(',') == std::string_view::npos) {
    std::string_view spec = range->substr(6);
    const auto dash = spec.find('-');
    if (dash != std::string_view::npos) {
      std::uint64_t a = 0, b = 0;
      const auto sa = spec.substr(0, dash), sb = spec.substr(dash + 1);
      const bool has_a = !sa.empty() &&
                         std::from_chars(sa.data(), sa.data() + sa.size(), a).ec == std::errc();
      const bool has_b = !sb.empty() &&
                         std::from_chars(sb.data(), sb.data() + sb.size(), b).ec == std::errc();
      if (has_a || has_b) {
        if (!has_a) {  // suffix: the last b bytes
          first = b >= size ? 0 : size - b;
        } else {
          first = a;
          if (has_b && b < last) last = b;
        }
        if (first >= size || (has_a && has_b && b < a) || (!has_a && b == 0)) {
          Response bad = Problem(MakeError(ErrorCode::kInvalidArgument,
                                           "The requested range is not in the file."));
          bad.status = 416;
          bad.SetHeader("Content-Range", "bytes */" + std::to_string(size));
          return bad;
        }
        partial = true;
      }
    }
  }
  const std::uint64_t length = size == 0 ? 0 : last - first + 1;
  if (partial) {
    r.status = 206;
    r.SetHeader("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) +
                                     "/" + std::to_string(size));
  }
  if (!path.empty()) {
    r.file = FileRange{path, first, length};
  } else {
    r.body = bytes.substr(first, length);
  }
  return r;
}

// ------------------------------------------------------------ views

json::object UnitView(const Unit& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"abbreviation", u.abbreviation},
          {"agency_code", u.agency_code},
          {"parent_id", OptId(u.parent_id)},
          {"issues_documents", u.issues_documents},
          {"active", u.active},
          {"retired_on", OptDate(u.retired_on)},
          {"successor_id", OptId(u.successor_id)},
          {"version", u.version}};
}

json::object UserView(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"full_name", u.full_name},
          {"unit_id", u.unit_id},
          {"position", u.position},
          {"roles", json::value_from(RoleNames(u.roles))},
          {"clearance", ClassificationName(u.clearance)},
          {"active", u.active},
          {"language", u.language},
          {"version", u.version}};
}

json::object DocumentView(const Document& d) {
  json::object o{{"id", d.id},
                 {"direction", DirectionName(d.direction)},
                 {"state", d.state},
                 {"unit_id", d.unit_id},
                 {"created_by", OptId(d.created_by)},
                 {"type_code", d.type_code},
                 {"subject", d.subject},
                 {"urgency", UrgencyName(d.urgency)},
                 {"classification", ClassificationName(d.classification)},
                 {"classification_label", ClassificationLabelVi(d.classification)},
                 {"legal_normative", d.legal_normative},
                 {"number", d.number ? json::value(*d.number) : json::value(nullptr)},
                 {"number_year", d.number_year ? json::value(*d.number_year) : json::value(nullptr)},
                 {"series", d.series},
                 {"number_symbol", d.number_symbol},
                 {"issued_date", OptDate(d.issued_date)},
                 {"book_id", OptId(d.book_id)},
                 {"issuer_name", d.issuer_name},
                 {"original_number_symbol", d.original_number_symbol},
                 {"original_date", OptDate(d.original_date)},
                 {"arrival_number",
                  d.arrival_number ? json::value(*d.arrival_number) : json::value(nullptr)},
                 {"arrival_date", OptDate(d.arrival_date)},
                 {"source_document_id", OptId(d.source_document_id)},
                 {"signer_name", d.signer_name},
                 {"signer_position", d.signer_position},
                 {"page_count", d.page_count ? json::value(*d.page_count) : json::value(nullptr)},
                 {"copies", d.copies ? json::value(*d.copies) : json::value(nullptr)},
                 {"deadline", OptDate(d.deadline)},
                 {"reply_to_id", OptId(d.reply_to_id)},
                 {"replaces_id", OptId(d.replaces_id)},
                 {"corrects_id", OptId(d.corrects_id)},
                 {"record_id", OptId(d.record_id)},
                 {"return_reason", d.return_reason},
                 {"notes", d.notes},
                 {"created_at", FormatTimestamp(d.created_at)},
                 {"updated_at", FormatTimestamp(d.updated_at)},
                 {"version", d.version},
                 {"recipient_unit_ids", json::value_from(d.recipient_unit_ids)},
                 {"recipient_agency_codes", json::value_from(d.recipient_agency_codes)}};
  return o;
}

json::object FileView(const store::NamedFile& f) {
  json::object o{{"id", f.id},
                 {"sha256", f.sha256},
                 {"file_name", f.file_name},
                 {"content_type", f.content_type},
                 {"size", f.size},
                 {"created_by", f.created_by},
                 {"created_at", FormatTimestamp(f.created_at)}};
  if (f.version_no) {
    o["version_no"] = f.version_no;
    o["note"] = f.note;
  }
  return o;
}

json::object TextView(const store::TextEntry& e) {
  return {{"id", e.id},
          {"user_id", e.user_id},
          {"assignment_id", OptId(e.assignment_id)},
          {"body", e.body},
          {"created_at", FormatTimestamp(e.created_at)}};
}

json::object AssignmentView(const Assignment& a) {
  return {{"id", a.id},
          {"parent_id", OptId(a.parent_id)},
          {"lead_unit_id", OptId(a.lead_unit_id)},
          {"lead_user_id", OptId(a.lead_user_id)},
          {"supporting_unit_ids", json::value_from(a.supporting_unit_ids)},
          {"deadline", OptDate(a.deadline)},
          {"directive", a.directive},
          {"state", a.state},
          {"assigned_by", a.assigned_by},
          {"created_at", FormatTimestamp(a.created_at)}};
}

json::object AuditView(const store::AuditEntry& e) {
  std::error_code ec;
  json::value record = json::parse(e.record, ec);
  return {{"seq", e.seq},
          {"at", FormatTimestamp(e.at)},
          {"actor_id", OptId(e.actor_id)},
          {"action", e.action},
          {"object_type", e.object_type},
          {"object_id", OptId(e.object_id)},
          {"record", ec ? json::value(e.record) : record},
          {"redacted", e.redacted},
          {"leaf_hash", e.leaf_hash},
          {"root_after", e.root_after}};
}

// A four-eyes request as people see it: never a password hash.
json::object ApprovalView(const store::Approval& a) {
  std::error_code ec;
  json::value change = json::parse(a.payload, ec);
  if (ec || !change.is_object()) change = json::object{};
  json::object& c = change.as_object();
  if (c.erase("password_hash")) c["password_reset"] = true;
  return {{"id", a.id},
          {"kind", a.kind},
          {"object_id", a.object_id},
          {"change", change},
          {"proposed_by", a.proposed_by},
          {"proposed_at", FormatTimestamp(a.proposed_at)},
          {"state", a.state},
          {"decided_by", OptId(a.decided_by)},
          {"decided_at",
           a.decided_at ? json::value(FormatTimestamp(*a.decided_at)) : json::value(nullptr)},
          {"reason", a.reason}};
}

json::object PageView(const services::Page& p) {
  json::array items;
  for (const auto& d : p.items) items.push_back(DocumentView(d));
  return {{"items", std::move(items)},
          {"next_cursor", p.next_cursor ? json::value(*p.next_cursor) : json::value(nullptr)}};
}

json::object SignatureView(const store::DocumentSignature& sig) {
  json::object o{{"id", sig.id},
                 {"kind", sig.kind},
                 {"sha256", sig.sha256},
                 {"file_name", sig.file_name},
                 {"signer", sig.signer},
                 {"certificate_serial", sig.certificate_serial},
                 {"level", sig.level},
                 {"indication", sig.indication},
                 {"created_at", FormatTimestamp(sig.created_at)}};
  std::error_code ec;
  o["report"] = sig.report.empty() ? json::value(nullptr) : json::parse(sig.report, ec);
  return o;
}

// A certificate as the API shows it: never its key, only where the key is.
json::object CertificateView(const store::CertificateRecord& c) {
  auto opt_time = [](const std::optional<Timestamp>& t) {
    return t ? json::value(FormatTimestamp(*t)) : json::value(nullptr);
  };
  return {{"serial", c.serial},
          {"profile", c.profile},
          {"user_id", OptId(c.user_id)},
          {"unit_id", OptId(c.unit_id)},
          {"subject", c.subject},
          {"not_before", FormatTimestamp(c.not_before)},
          {"not_after", FormatTimestamp(c.not_after)},
          {"status", c.status},
          {"revoked_at", opt_time(c.revoked_at)},
          {"revocation_reason", c.revocation_reason},
          {"key_store", !c.key_uri.empty() ? "token" : c.profile == "person" ? "pin" : c.profile.starts_with("trusted_") ? "none" : "node"},
          {"certificate_pem", c.certificate_pem},
          {"created_at", FormatTimestamp(c.created_at)}};
}

Response Binary(std::string body, std::string content_type) {
  Response resp;
  resp.status = 200;
  resp.body = std::move(body);
  resp.SetHeader("Content-Type", std::move(content_type));
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

// Maps a Result to 2xx JSON or to problem+json.
template <typename T, typename F>
Response Reply(Result<T> r, F&& view, int status = 200) {
  if (!r.ok()) return Problem(r.error());
  return Json(status, view(*r));
}

Response WithETag(Response r, std::int64_t version) {
  if (r.status < 300) r.SetHeader("ETag", ETagOf(version));
  return r;
}

// ------------------------------------------------------------ body schemas

using F = JsonField;
using T = JsonType;

const std::vector<std::string> kClassifications{"normal", "mat", "toi_mat", "tuyet_mat"};
const std::vector<std::string> kUrgencies{"normal", "khan", "thuong_khan", "hoa_toc"};
const std::vector<std::string> kRoles{"clerk", "specialist", "leader", "administrator",
                                      "security_officer"};

std::vector<std::string> TypeCodes() {
  std::vector<std::string> out;
  for (const auto& t : DocumentTypes()) out.push_back(t.code);
  return out;
}

std::vector<F> DocumentFields(bool incoming, bool update) {
  std::vector<F> f{
      {.name = "type_code", .type = T::kString, .max_length = 10, .enum_values = TypeCodes(),
       .description = "Decree 30 type abbreviation; empty for a công văn"},
      {.name = "subject", .type = T::kString, .required = !update, .max_length = 500,
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
    f.push_back({.name = "issuer_name", .type = T::kString, .required = !update,
                 .max_length = 300, .description = "Cơ quan ban hành"});
    f.push_back({.name = "original_number_symbol", .type = T::kString, .required = !update,
                 .max_length = 100});
    f.push_back({.name = "original_date", .type = T::kDate});
    f.push_back({.name = "scan_sha256", .type = T::kString, .max_length = 64,
                 .description = "SHA-256 of an uploaded scan (POST /api/v1/blobs)"});
    f.push_back({.name = "scan_file_name", .type = T::kString, .max_length = 255});
  } else {
    f.push_back({.name = "legal_normative", .type = T::kBoolean});
    f.push_back({.name = "copies", .type = T::kInteger, .min = 0, .max = 100000});
    f.push_back({.name = "recipient_unit_ids", .type = T::kIntegerArray, .max_length = 500});
    f.push_back({.name = "recipient_agency_codes", .type = T::kStringArray, .max_length = 500,
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
  if (o.contains("recipient_unit_ids")) in.recipient_unit_ids = GetIntArray(o, "recipient_unit_ids");
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
  return in;
}

const std::vector<F> kActionFields{
    {.name = "pin", .type = T::kString, .max_length = 64,
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

const std::vector<F> kUnitFields{
    {.name = "name", .type = T::kString, .required = true, .max_length = 300},
    {.name = "abbreviation", .type = T::kString, .required = true, .max_length = 30},
    {.name = "agency_code", .type = T::kString, .max_length = 40},
    {.name = "parent_id", .type = T::kInteger, .min = 1},
    {.name = "issues_documents", .type = T::kBoolean},
    {.name = "effective_date", .type = T::kDate},
};

std::vector<F> Optional(std::vector<F> fields) {
  for (auto& f : fields) f.required = false;
  return fields;
}

const std::vector<F> kUserFields{
    {.name = "username", .type = T::kString, .required = true, .max_length = 64},
    {.name = "full_name", .type = T::kString, .required = true, .max_length = 200},
    {.name = "unit_id", .type = T::kInteger, .required = true, .min = 1},
    {.name = "position", .type = T::kString, .max_length = 200},
    {.name = "roles", .type = T::kStringArray, .max_length = 5, .enum_values = kRoles},
    {.name = "clearance", .type = T::kString, .enum_values = kClassifications},
    {.name = "active", .type = T::kBoolean},
    {.name = "password", .type = T::kString, .required = true, .max_length = 200},
};

services::UserInput UserInputOf(const json::object& o) {
  services::UserInput in;
  in.username = GetOptString(o, "username");
  in.full_name = GetOptString(o, "full_name");
  in.unit_id = GetInt(o, "unit_id");
  in.position = GetOptString(o, "position");
  if (o.contains("roles")) {
    std::uint32_t roles = 0;
    for (const auto& r : GetStringArray(o, "roles")) roles |= ParseRole(r).value_or(Role{});
    in.roles = roles;
  }
  if (auto c = GetOptString(o, "clearance")) in.clearance = ParseClassification(*c);
  if (o.contains("active")) in.active = GetBool(o, "active", true);
  in.password = GetOptString(o, "password");
  in.current_password = GetOptString(o, "current_password");
  return in;
}

services::UnitInput UnitInputOf(const json::object& o) {
  services::UnitInput in;
  in.name = GetOptString(o, "name");
  in.abbreviation = GetOptString(o, "abbreviation");
  in.agency_code = GetOptString(o, "agency_code");
  if (o.contains("parent_id")) in.parent_id = GetInt(o, "parent_id");
  if (o.contains("issues_documents")) in.issues_documents = GetBool(o, "issues_documents", false);
  Date d;
  if (auto v = GetOptString(o, "effective_date"); v && ParseDate(*v, &d)) in.effective_date = d;
  return in;
}

// "application/json", maybe with parameters ("; charset=utf-8"); nothing else.
bool IsJsonContentType(std::string_view ct) {
  const std::string_view type = ct.substr(0, ct.find(';'));
  std::string lower;
  for (char c : type) {
    if (c != ' ' && c != '\t')
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower == "application/json";
}

// "administrator or security_officer", "clerk, specialist or leader" → the
// role bits; an unknown name is a mistake in the route table.
std::uint32_t RolesOf(const std::string& text) {
  std::uint32_t roles = 0;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && word != "or") {
      auto r = ParseRole(word);
      if (!r) {
        std::fprintf(stderr, "route table: unknown role '%s'\n", word.c_str());
        std::abort();
      }
      roles |= static_cast<std::uint32_t>(*r);
    }
    word.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == ',') {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return roles;
}

// Parses the JSON body against the route's schema, or answers the problem.
#define CHY_BODY(var, request, route_schema)                        \
  auto var##_parsed = ParseJsonBody((request).body, (route_schema)); \
  if (!var##_parsed.ok()) return Problem(var##_parsed.error());      \
  const json::object& var = *var##_parsed

}  // namespace

Api::Api(Services& services, store::Store& store, const Clock& clock, ApiOptions options)
    : services_(services), store_(store), clock_(clock), options_(std::move(options)) {}

// ============================================================ middleware

namespace {

// Headers every API answer carries: nothing in it may run as a page of this
// origin or be framed.
void SecureHeaders(Response& r) {
  if (!r.header("Content-Security-Policy")) {
    r.SetHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
  }
  // (X-Content-Type-Options: nosniff is the server's, on every answer.)
  if (!r.header("Cache-Control")) r.SetHeader("Cache-Control", "no-store");
}

// The session a request names: its bearer token when it sends
// Authorization, else its session cookie.
struct Credentials {
  std::string token;
  bool from_cookie = false;
};
Credentials CredentialsOf(const Request& r) {
  if (auto auth = r.header("Authorization")) {
    return {auth->starts_with("Bearer ") ? std::string(auth->substr(7)) : std::string(), false};
  }
  if (auto c = Cookie(r, kSessionCookie)) return {*c, true};
  return {};
}

Response LogInFirst() {
  Response r = Problem(MakeError(ErrorCode::kUnauthenticated, "Log in first."));
  r.SetHeader("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace

std::string Api::ClientAddress(const Request& req) const {
  const auto& trusted = options_.trusted_proxies;
  if (std::find(trusted.begin(), trusted.end(), req.remote_address) == trusted.end()) {
    return req.remote_address;
  }
  // The rightmost entry is the one our proxy appended; earlier ones are the
  // client's own claims.
  std::string_view forwarded = req.header("X-Forwarded-For").value_or("");
  if (const auto comma = forwarded.rfind(','); comma != std::string_view::npos) {
    forwarded.remove_prefix(comma + 1);
  }
  while (!forwarded.empty() && forwarded.front() == ' ') forwarded.remove_prefix(1);
  while (!forwarded.empty() && forwarded.back() == ' ') forwarded.remove_suffix(1);
  return forwarded.empty() ? req.remote_address : std::string(forwarded);
}

std::optional<Response> Api::AdmitBody(const Request& head) {
  if (!router_) return std::nullopt;
  const Router::Match match = router_->Find(head.method, head.path);
  // Unknown routes and unauthenticated ones (login, OCSP, TSA) take small
  // bodies only; the router answers the rest after the (small) read.
  Response refused =
      Problem(MakeError(ErrorCode::kPayloadTooLarge, "This request may not carry a large body."));
  if (!match.route || !match.route->authenticated) return refused;
  const std::string token = CredentialsOf(head).token;
  if (token.empty() || !services_.Authenticate(token).ok()) {
    Response r = LogInFirst();
    SecureHeaders(r);
    return r;
  }
  return std::nullopt;
}

Response Api::Dispatch(Request& req, const Router::Match& match) {
  Response r = Serve(req, match);
  SecureHeaders(r);
  return r;
}

Response Api::Serve(Request& req, const Router::Match& match) {
  const Route& route = *match.route;
  req.params = match.params;
  // A JSON route takes JSON only, before anything else happens: a form or
  // text/plain post from another site (login CSRF) never reaches a handler.
  if (!route.body_schema.empty() && !req.body.empty()) {
    auto ct = req.header("Content-Type");
    if (!ct || !IsJsonContentType(*ct)) {
      return Problem(MakeError(ErrorCode::kUnsupportedMedia, "Send application/json."));
    }
  }
  if (!route.authenticated) return route.handler(req);

  const auto [token, from_cookie] = CredentialsOf(req);
  if (token.empty()) return LogInFirst();
  auto who = services_.Authenticate(token);
  if (!who.ok()) {
    Response r = Problem(who.error());
    r.SetHeader("WWW-Authenticate", "Bearer");
    return r;
  }
  const bool unsafe = req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
  if (unsafe && from_cookie) {
    // A cookie rides along with cross-site requests; the CSRF token does not.
    auto csrf = req.header("X-CSRF-Token");
    const std::string& expected = who->second.csrf_token;
    if (!csrf || expected.empty() || csrf->size() != expected.size() ||
        CRYPTO_memcmp(csrf->data(), expected.data(), expected.size()) != 0) {
      return Problem(MakeError(ErrorCode::kForbidden,
                               "Missing or wrong X-CSRF-Token for a cookie session."));
    }
  }
  // The roles the route table names are enforced here, for every route;
  // unit scope and clearance are the services' part.
  if (auto need = required_roles_.find(&route);
      need != required_roles_.end() && (who->first.roles & need->second) == 0) {
    return Problem(MakeError(ErrorCode::kForbidden, "Your roles do not allow this."));
  }
  req.user = who->first;
  if (req.method == "POST" && req.header("Idempotency-Key")) {
    return Idempotent(req, route, who->first);
  }
  return route.handler(req);
}

Response Api::Idempotent(Request& req, const Route& route, const User& user) {
  const std::string key(*req.header("Idempotency-Key"));
  if (key.empty() || key.size() > 200) {
    return Problem(Error::Invalid("Idempotency-Key", "too_long", "1 to 200 characters."));
  }
  // A streamed upload is hashed where it lies (its file), not copied.
  const std::string request_hash =
      req.body_path.empty()
          ? Sha256Hex(req.method + " " + req.path + "\n" + req.body)
          : Sha256Hex(req.method + " " + req.path + "\n@" + Sha256Hex(BodyView(req).bytes()));
  std::optional<store::IdempotentReply> earlier;
  Status s = store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(earlier, tx.GetIdempotent(user.id, key));
    return Ok();
  });
  if (!s.ok()) return Problem(s.error());
  if (earlier) {
    if (earlier->request_hash != request_hash) {
      return Problem(MakeError(ErrorCode::kIdempotencyReuse,
                               "This Idempotency-Key was used for a different request."));
    }
    Response r;
    r.status = earlier->status;
    r.body = earlier->body;
    r.SetHeader("Content-Type", "application/json; charset=utf-8");
    r.SetHeader("Idempotent-Replayed", "true");
    return r;
  }
  Response r = route.handler(req);
  if (r.status >= 200 && r.status < 300 && !r.file) {
    // Kept so a retry after a lost answer gets the same answer. Two identical
    // requests racing both run; the second one's key insert is a no-op.
    (void)store_.Write([&](store::Tx& tx) -> Status {
      auto put = tx.PutIdempotent(user.id, key, {request_hash, r.status, r.body}, clock_.Now());
      if (!put.ok() && put.error().code == ErrorCode::kConflict) return Ok();
      return put;
    });
  }
  return r;
}

// ============================================================ the route table

void Api::Register(Router& router) {
  router_ = &router;
  Services& s = services_;
  const ApiOptions opts = options_;

  // ---------------------------------------------------------------- system
  router.Add({.method = "GET", .pattern = "/api/v1/health", .handler = [](Request&) {
                return Json(200, json::object{{"status", "ok"}});
              },
              .summary = "Liveness check", .tag = "system", .authenticated = false});
  router.Add({.method = "GET", .pattern = "/api/v1/openapi.json",
              .handler = [this, opts](Request&) {
                return Json(200, OpenApiDocument(*router_, "Chancery node API", opts.version));
              },
              .summary = "This API, as OpenAPI 3.1", .tag = "system", .authenticated = false});

  // ---------------------------------------------------------------- auth
  static const std::vector<F> kLoginFields{
      {.name = "username", .type = T::kString, .required = true, .max_length = 64},
      {.name = "password", .type = T::kString, .required = true, .max_length = 200},
      {.name = "kind", .type = T::kString, .enum_values = {"cookie", "bearer"},
       .description = "cookie (default): session cookie + CSRF token; bearer: API token"}};
  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/auth/login",
       .handler =
           [&s, opts, this](Request& req) {
             CHY_BODY(b, req, kLoginFields);
             const std::string kind = GetString(b, "kind", "cookie");
             auto r = s.Login(GetString(b, "username"), GetString(b, "password"), kind,
                              ClientAddress(req));
             if (!r.ok()) {
               Response p = Problem(r.error());
               if (r.error().retry_after_seconds > 0) {
                 p.SetHeader("Retry-After", std::to_string(r.error().retry_after_seconds));
               }
               return p;
             }
             json::object body{{"user", UserView(r->user)},
                               {"expires_at", FormatTimestamp(r->expires_at)}};
             if (kind == "bearer") {
               body["token"] = r->token;
             } else {
               body["csrf_token"] = r->csrf_token;
             }
             Response resp = Json(200, body);
             // Secure whenever served over TLS: configured, or a TLS proxy
             // in front says so (docs/security.md, production set-up).
             const bool secure =
                 opts.secure_cookies ||
                 req.header("X-Forwarded-Proto") == std::optional<std::string_view>("https");
             if (kind == "cookie") {
               resp.SetHeader(
                   "Set-Cookie",
                   std::string(kSessionCookie) + "=" + r->token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(std::chrono::seconds(s.config().session_lifetime).count()) +
                       (secure ? "; Secure" : ""));
             }
             return resp;
           },
       .summary = "Log in with a password",
       .tag = "auth",
       .body_schema = kLoginFields,
       .authenticated = false});
  router.Add({.method = "POST",
              .pattern = "/api/v1/auth/logout",
              .handler =
                  [&s](Request& req) {
                    if (auto st = s.Logout(CredentialsOf(req).token); !st.ok()) {
                      return Problem(st.error());
                    }
                    Response r;
                    r.status = 204;
                    r.SetHeader("Set-Cookie",
                                std::string(kSessionCookie) +
                                    "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
                    return r;
                  },
              .summary = "End this session or revoke this token",
              .tag = "auth",
              .success_status = 204});
  router.Add({.method = "GET", .pattern = "/api/v1/me", .handler = [&s](Request& req) {
                json::object o = UserView(ActorOf(req));
                // The node's date in Vietnam: what forms propose as "today",
                // whatever the browser's clock or zone says.
                o["today"] = FormatDate(s.Today());
                // A page reloaded in the browser needs its CSRF token again;
                // only same-origin script can read this answer.
                if (!req.header("Authorization")) {
                  if (auto c = Cookie(req, kSessionCookie)) {
                    if (auto who = s.Authenticate(*c); who.ok()) {
                      o["csrf_token"] = who->second.csrf_token;
                    }
                  }
                }
                return Json(200, o);
              },
              .summary = "Who am I (and, for a cookie session, its CSRF token)", .tag = "auth"});
  static const std::vector<F> kLanguageFields{
      {.name = "language", .type = T::kString, .required = true, .enum_values = {"vi", "en", "fr"}}};
  router.Add({.method = "PUT", .pattern = "/api/v1/me/language", .handler = [&s](Request& req) {
                CHY_BODY(b, req, kLanguageFields);
                return Reply(s.SetLanguage(ActorOf(req), GetString(b, "language")), UserView);
              },
              .summary = "Remember my UI language (vi, en, fr)", .tag = "auth",
              .body_schema = kLanguageFields});
  router.Add({.method = "GET", .pattern = "/api/v1/people", .handler = [&s](Request& req) {
                store::PeopleQuery q;
                auto unit = QueryInt(req, "unit_id");
                if (!unit.ok()) return Problem(unit.error());
                q.unit_id = *unit;
                q.text = QueryParam(req, "q").value_or("");
                if (auto ids = QueryParam(req, "ids"); ids && !ids->empty()) {
                  std::string_view rest = *ids;
                  while (!rest.empty()) {
                    const auto comma = rest.find(',');
                    const std::string_view item = rest.substr(0, comma);
                    Id id = 0;
                    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
                    if (ec != std::errc() || end != item.data() + item.size() || id <= 0) {
                      return Problem(Error::Invalid("ids", "not_an_id_list",
                                                    "Comma-separated positive ids."));
                    }
                    q.ids.push_back(id);
                    if (comma == std::string_view::npos) break;
                    rest.remove_prefix(comma + 1);
                  }
                }
                auto limit = QueryLimit(req);
                if (!limit.ok()) return Problem(limit.error());
                q.limit = *limit;
                return Reply(s.FindPeople(ActorOf(req), q), [](const auto& people) {
                  json::array a;
                  for (const User& u : people) {
                    a.push_back(json::object{{"id", u.id},
                                             {"full_name", u.full_name},
                                             {"position", u.position},
                                             {"unit_id", u.unit_id}});
                  }
                  return json::object{{"items", a}};
                });
              },
              .summary = "The directory: names, positions and units of active users",
              .tag = "users", .query_params = {"ids", "unit_id", "q", "limit"}});

  // ---------------------------------------------------------------- units
  router.Add({.method = "GET", .pattern = "/api/v1/units", .handler = [&s](Request& req) {
                return Reply(s.ListUnits(ActorOf(req)), [](const auto& units) {
                  json::array a;
                  for (const auto& u : units) a.push_back(UnitView(u));
                  return json::object{{"items", a}};
                });
              },
              .summary = "All units (the tree as a flat list)", .tag = "units"});
  router.Add({.method = "POST", .pattern = "/api/v1/units", .handler = [&s](Request& req) {
                CHY_BODY(b, req, kUnitFields);
                auto r = s.CreateUnit(ActorOf(req), UnitInputOf(b));
                if (!r.ok()) return Problem(r.error());
                return WithETag(Json(201, UnitView(*r)), r->version);
              },
              .summary = "Create a unit", .tag = "units", .body_schema = kUnitFields,
              .success_status = 201, .required_role = "administrator"});
  router.Add({.method = "GET", .pattern = "/api/v1/units/{id}", .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto r = s.GetUnit(ActorOf(req), *id);
                if (!r.ok()) return Problem(r.error());
                return WithETag(Json(200, UnitView(*r)), r->version);
              },
              .summary = "One unit", .tag = "units"});
  static const std::vector<F> kUnitPatch = Optional(kUnitFields);
  router.Add({.method = "PATCH", .pattern = "/api/v1/units/{id}", .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto version = RequiredIfMatch(req);
                if (!version.ok()) return Problem(version.error());
                CHY_BODY(b, req, kUnitPatch);
                auto r = s.UpdateUnit(ActorOf(req), *id, UnitInputOf(b), *version);
                if (!r.ok()) return Problem(r.error());
                return WithETag(Json(200, UnitView(*r)), r->version);
              },
              .summary = "Rename or move a unit (If-Match required)", .tag = "units",
              .body_schema = kUnitPatch, .required_role = "administrator"});
  router.Add({.method = "GET", .pattern = "/api/v1/units/{id}/as-of",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto date = QueryDate(req, "date");
                if (!date.ok()) return Problem(date.error());
                if (!*date) return Problem(Error::Invalid("date", "required", "YYYY-MM-DD."));
                return Reply(s.UnitAsOf(ActorOf(req), *id, **date), [](const auto& v) {
                  return json::object{{"unit_id", v.unit_id},
                                      {"valid_from", FormatDate(v.valid_from)},
                                      {"valid_to", OptDate(v.valid_to)},
                                      {"name", v.name},
                                      {"abbreviation", v.abbreviation},
                                      {"parent_id", OptId(v.parent_id)},
                                      {"active", v.active}};
                });
              },
              .summary = "What the unit was on a date", .tag = "units",
              .query_params = {"date"}});
  router.Add({.method = "GET", .pattern = "/api/v1/units/{id}/history",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                return Reply(s.UnitHistory(ActorOf(req), *id), [](const auto& list) {
                  json::array a;
                  for (const auto& v : list) {
                    a.push_back(json::object{{"valid_from", FormatDate(v.valid_from)},
                                             {"valid_to", OptDate(v.valid_to)},
                                             {"name", v.name},
                                             {"abbreviation", v.abbreviation},
                                             {"parent_id", OptId(v.parent_id)},
                                             {"active", v.active}});
                  }
                  return json::object{{"items", a}};
                });
              },
              .summary = "Every name, parent and state the unit had", .tag = "units"});
  router.Add({.method = "GET", .pattern = "/api/v1/units/{id}/transfers",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                return Reply(s.UnitTransfers(ActorOf(req), *id), [](const auto& list) {
                  json::array a;
                  for (const auto& t : list) {
                    a.push_back(json::object{{"reorganization_id", t.reorganization_id},
                                             {"object_type", t.object_type},
                                             {"object_id", t.object_id},
                                             {"to_unit_id", t.to_unit_id}});
                  }
                  return json::object{{"items", a}};
                });
              },
              .summary = "Where the unit's open work went", .tag = "units"});
  static const std::vector<F> kReorgFields{
      {.name = "kind", .type = T::kString, .required = true,
       .enum_values = {"merge", "split", "dissolve"}},
      {.name = "effective_date", .type = T::kDate, .required = true},
      {.name = "sources", .type = T::kIntegerArray, .required = true, .max_length = 50},
      {.name = "targets", .type = T::kIntegerArray, .max_length = 50},
      {.name = "new_units", .type = T::kObjectArray, .max_length = 50,
       .description = "units to create as targets: {name, abbreviation, parent_id, "
                      "agency_code, issues_documents}"},
      {.name = "successor_id", .type = T::kInteger, .min = 1},
      {.name = "note", .type = T::kString, .max_length = 2000}};
  router.Add({.method = "POST", .pattern = "/api/v1/reorganizations",
              .handler = [&s](Request& req) {
                CHY_BODY(b, req, kReorgFields);
                services::ReorganizationInput in;
                in.kind = GetString(b, "kind");
                ParseDate(GetString(b, "effective_date"), &in.effective_date);
                in.sources = GetIntArray(b, "sources");
                in.targets = GetIntArray(b, "targets");
                in.successor_id = GetInt(b, "successor_id");
                in.note = GetString(b, "note");
                if (auto* nu = b.if_contains("new_units")) {
                  for (const auto& item : nu->as_array()) {
                    auto unit = ParseJsonBody(json::serialize(item), kUnitFields);
                    if (!unit.ok()) return Problem(unit.error());
                    Unit u;
                    u.name = GetString(*unit, "name");
                    u.abbreviation = GetString(*unit, "abbreviation");
                    u.agency_code = GetString(*unit, "agency_code");
                    u.parent_id = GetInt(*unit, "parent_id");
                    u.issues_documents = GetBool(*unit, "issues_documents", false);
                    in.new_units.push_back(u);
                  }
                }
                return Reply(
                    s.Reorganize(ActorOf(req), in),
                    [](const auto& r) {
                      return json::object{{"id", r.reorganization.id},
                                          {"kind", r.reorganization.kind},
                                          {"effective_date",
                                           FormatDate(r.reorganization.effective_date)},
                                          {"sources", json::value_from(r.reorganization.sources)},
                                          {"targets", json::value_from(r.reorganization.targets)},
                                          {"created_unit_ids", json::value_from(r.created_unit_ids)},
                                          {"transferred", r.transferred}};
                    },
                    201);
              },
              .summary = "Merge, split or dissolve units with an effective date",
              .tag = "units", .body_schema = kReorgFields, .success_status = 201,
              .required_role = "administrator"});

  // ---------------------------------------------------------------- users
  router.Add({.method = "GET", .pattern = "/api/v1/users", .handler = [&s](Request& req) {
                auto after = QueryInt(req, "cursor");
                if (!after.ok()) return Problem(after.error());
                auto limit_r = QueryLimit(req);
                if (!limit_r.ok()) return Problem(limit_r.error());
                const int limit = *limit_r;
                return Reply(s.ListUsers(ActorOf(req), *after, limit + 1), [&](auto users) {
                  json::object o;
                  json::value next = nullptr;
                  if (static_cast<int>(users.size()) > limit) {
                    users.resize(limit);
                    next = std::to_string(users.back().id);
                  }
                  json::array a;
                  for (const auto& u : users) {
                    json::object o = UserView(u);
                    // Clearances are the administrators' and security officers' business.
                    if (!services::MaySeeClearance(ActorOf(req), u)) o.erase("clearance");
                    a.push_back(o);
                  }
                  return json::object{{"items", a}, {"next_cursor", next}};
                });
              },
              .summary = "Users", .tag = "users", .query_params = {"cursor", "limit"}});
  router.Add({.method = "POST", .pattern = "/api/v1/users", .handler = [&s](Request& req) {
                CHY_BODY(b, req, kUserFields);
                std::optional<store::Approval> pending;
                auto r = s.CreateUser(ActorOf(req), UserInputOf(b), &pending);
                if (!r.ok()) return Problem(r.error());
                json::object o = UserView(*r);
                if (pending) o["pending_approval"] = ApprovalView(*pending);
                return WithETag(Json(201, o), r->version);
              },
              .summary = "Create a user", .tag = "users", .body_schema = kUserFields,
              .success_status = 201, .required_role = "administrator"});
  router.Add({.method = "GET", .pattern = "/api/v1/users/{id}", .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto r = s.GetUser(ActorOf(req), *id);
                if (!r.ok()) return Problem(r.error());
                json::object o = UserView(*r);
                if (!services::MaySeeClearance(ActorOf(req), *r)) o.erase("clearance");
                return WithETag(Json(200, o), r->version);
              },
              .summary = "One user", .tag = "users"});
  static const std::vector<F> kUserPatch = [] {
    auto f = Optional(kUserFields);
    std::erase_if(f, [](const F& x) { return x.name == "username"; });
    f.push_back({.name = "current_password",
                 .type = T::kString,
                 .max_length = 200,
                 .description = "changing one's own password: the current one"});
    return f;
  }();
  router.Add({.method = "PATCH",
              .pattern = "/api/v1/users/{id}",
              .handler =
                  [&s](Request& req) {
                    auto id = PathId(req);
                    if (!id.ok()) return Problem(id.error());
                    auto version = RequiredIfMatch(req);
                    if (!version.ok()) return Problem(version.error());
                    CHY_BODY(b, req, kUserPatch);
                    auto r = s.UpdateUser(ActorOf(req), *id, UserInputOf(b), *version);
                    if (!r.ok()) return Problem(r.error());
                    if (r->pending) {
                      // Four eyes: nothing changed yet; a second person decides.
                      json::object o{{"user", UserView(r->user)},
                                     {"pending_approval", ApprovalView(*r->pending)}};
                      return Json(202, o);
                    }
                    return WithETag(Json(200, UserView(r->user)), r->user.version);
                  },
              .summary = "Change a user: roles, unit, clearance, password (If-Match required); "
                         "a privileged change answers 202 with the request a second person "
                         "approves",
              .tag = "users",
              .body_schema = kUserPatch});
  router.Add({.method = "GET",
              .pattern = "/api/v1/approvals",
              .handler =
                  [&s](Request& req) {
                    return Reply(
                        s.ListApprovals(ActorOf(req), QueryParam(req, "state").value_or("pending")),
                        [](const auto& list) {
                          json::array a;
                          for (const auto& x : list) a.push_back(ApprovalView(x));
                          return json::object{{"items", a}};
                        });
                  },
              .summary = "Four-eyes requests (privileged changes) waiting for a second person",
              .tag = "users",
              .query_params = {"state"},
              .required_role = "administrator, security_officer or leader"});
  static const std::vector<F> kDecisionFields{{.name = "reason",
                                               .type = T::kString,
                                               .max_length = 1000,
                                               .description = "required to reject"}};
  auto decide = [&s](bool approve) {
    return [&s, approve](Request& req) {
      auto id = PathId(req);
      if (!id.ok()) return Problem(id.error());
      CHY_BODY(b, req, kDecisionFields);
      return Reply(s.DecideApproval(ActorOf(req), *id, approve, GetString(b, "reason")),
                   ApprovalView);
    };
  };
  router.Add({.method = "POST",
              .pattern = "/api/v1/approvals/{id}/approve",
              .handler = decide(true),
              .summary = "Approve a request (another person than who proposed it)",
              .tag = "users",
              .body_schema = kDecisionFields,
              .required_role = "administrator, security_officer or leader"});
  router.Add({.method = "POST",
              .pattern = "/api/v1/approvals/{id}/reject",
              .handler = decide(false),
              .summary = "Reject a request, with a reason",
              .tag = "users",
              .body_schema = kDecisionFields,
              .required_role = "administrator, security_officer or leader"});

  // ---------------------------------------------------------------- documents
  static const std::vector<F> kDraftFields = DocumentFields(false, false);
  static const std::vector<F> kIncomingFields = DocumentFields(true, false);
  static const std::vector<F> kDocPatch = [] {
    auto f = DocumentFields(true, true);
    for (auto& x : DocumentFields(false, true)) {
      if (std::none_of(f.begin(), f.end(), [&](const F& y) { return y.name == x.name; })) {
        f.push_back(x);
      }
    }
    return f;
  }();
  router.Add({.method = "GET", .pattern = "/api/v1/documents", .handler = [&s](Request& req) {
                services::ListInput in;
                const std::string box = QueryParam(req, "box").value_or("all");
                static const std::vector<std::pair<std::string, services::Box>> kBoxes{
                    {"all", services::Box::kAll},
                    {"drafts", services::Box::kDrafts},
                    {"awaiting_approval", services::Box::kAwaitingApproval},
                    {"awaiting_assignment", services::Box::kAwaitingAssignment},
                    {"inbox", services::Box::kInbox},
                    {"outgoing", services::Box::kOutgoing},
                    {"incoming", services::Box::kIncoming}};
                auto it = std::find_if(kBoxes.begin(), kBoxes.end(),
                                       [&](const auto& b) { return b.first == box; });
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
                const std::string sort = QueryParam(req, "sort").value_or("newest");
                if (sort != "newest" && sort != "deadline") {
                  return Problem(Error::Invalid("sort", "not_allowed_value",
                                                "newest (default) or deadline."));
                }
                in.by_deadline = sort == "deadline";
                if (Utf8Length(in.text) > 200) {
                  return Problem(Error::Invalid("q", "too_long", "At most 200 characters."));
                }
                in.cursor = QueryParam(req, "cursor");
                auto limit = QueryLimit(req);
                if (!limit.ok()) return Problem(limit.error());
                in.limit = *limit;
                return Reply(s.ListDocuments(ActorOf(req), in), PageView);
              },
              .summary = "Documents: boxes, filters, search; cursor-paginated", .tag = "documents",
              .query_params = {"box", "unit_id", "state", "q", "reply_to", "sort", "cursor",
                               "limit"}});
  router.Add({.method = "POST", .pattern = "/api/v1/documents", .handler = [&s](Request& req) {
                CHY_BODY(b, req, kDraftFields);
                auto r = s.CreateDraft(ActorOf(req), DocumentInputOf(b));
                if (!r.ok()) return Problem(r.error());
                Response resp = WithETag(Json(201, DocumentView(r->document)), r->document.version);
                resp.SetHeader("Location", "/api/v1/documents/" + std::to_string(r->document.id));
                return resp;
              },
              .summary = "Start an outgoing draft", .tag = "documents",
              .body_schema = kDraftFields, .success_status = 201});
  router.Add({.method = "POST", .pattern = "/api/v1/documents/incoming",
              .handler = [&s](Request& req) {
                CHY_BODY(b, req, kIncomingFields);
                auto r = s.ReceiveIncoming(ActorOf(req), DocumentInputOf(b));
                if (!r.ok()) return Problem(r.error());
                json::object o = DocumentView(r->document);
                o["duplicates"] = json::value_from(r->duplicates);
                Response resp = WithETag(Json(201, o), r->document.version);
                resp.SetHeader("Location", "/api/v1/documents/" + std::to_string(r->document.id));
                return resp;
              },
              .summary = "Receive an incoming document (e.g. registered from paper)",
              .tag = "documents", .body_schema = kIncomingFields, .success_status = 201,
              .required_role = "clerk"});
  router.Add({.method = "GET", .pattern = "/api/v1/documents/duplicates",
              .handler = [&s](Request& req) {
                return Reply(s.FindDuplicates(ActorOf(req),
                                              QueryParam(req, "number_symbol").value_or(""),
                                              QueryParam(req, "issuer_name").value_or("")),
                             [](const auto& ids) {
                               return json::object{{"duplicates", json::value_from(ids)}};
                             });
              },
              .summary = "Is this number/symbol from this issuer already registered?",
              .tag = "documents", .query_params = {"number_symbol", "issuer_name"}});
  router.Add({.method = "GET", .pattern = "/api/v1/documents/{id}", .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto r = s.GetDocument(ActorOf(req), *id);
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
                  recipients.push_back(json::object{{"unit_id", rc.unit_id},
                                                    {"copy_document_id",
                                                     OptId(rc.copy_document_id)}});
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
              },
              .summary = "One document with its files, assignments and comments",
              .tag = "documents"});
  router.Add({.method = "PATCH", .pattern = "/api/v1/documents/{id}",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto version = RequiredIfMatch(req);
                if (!version.ok()) return Problem(version.error());
                CHY_BODY(b, req, kDocPatch);
                auto r = s.UpdateDraft(ActorOf(req), *id, DocumentInputOf(b), *version);
                if (!r.ok()) return Problem(r.error());
                return WithETag(Json(200, DocumentView(*r)), r->version);
              },
              .summary = "Edit a draft (If-Match required)", .tag = "documents",
              .body_schema = kDocPatch});
  router.Add({.method = "POST", .pattern = "/api/v1/documents/{id}/actions/{action}",
              .handler = [&s](Request& req) {
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
                auto r = s.Act(ActorOf(req), *id, req.params["action"], in);
                if (!r.ok()) return Problem(r.error());
                json::object o = DocumentView(*r);
                o["allowed_actions"] = json::value_from(AllowedActions(r->direction, r->state));
                return WithETag(Json(200, o), r->version);
              },
              .summary = "Move a document on: submit, send_back, approve, sign, number, seal, "
                         "issue, recall, file, archive, register, return, assign, note, "
                         "complete",
              .tag = "documents", .body_schema = kActionFields});
  router.Add({.method = "GET", .pattern = "/api/v1/documents/{id}/timeline",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                return Reply(s.Timeline(ActorOf(req), *id), [](const auto& list) {
                  json::array a;
                  for (const auto& e : list) a.push_back(AuditView(e));
                  return json::object{{"items", a}};
                });
              },
              .summary = "Every state change and event of the document, oldest first",
              .tag = "documents"});
  static const std::vector<F> kDeclassifyFields{
      {.name = "classification",
       .type = T::kString,
       .required = true,
       .enum_values = kClassifications,
       .description = "the lower classification"},
      {.name = "reason", .type = T::kString, .required = true, .max_length = 1000}};
  router.Add({.method = "POST",
              .pattern = "/api/v1/documents/{id}/declassification",
              .handler =
                  [&s](Request& req) {
                    auto id = PathId(req);
                    if (!id.ok()) return Problem(id.error());
                    CHY_BODY(b, req, kDeclassifyFields);
                    const auto to = ParseClassification(GetString(b, "classification"));
                    return Reply(
                        s.ProposeDeclassification(ActorOf(req), *id, *to, GetString(b, "reason")),
                        ApprovalView, 202);
                  },
              .summary = "Propose to lower or remove the classification (giải mật); a security "
                         "officer approves",
              .tag = "documents",
              .body_schema = kDeclassifyFields,
              .success_status = 202,
              .required_role = "leader"});
  static const std::vector<F> kCommentFields{
      {.name = "body", .type = T::kString, .required = true, .max_length = 4000}};
  router.Add({.method = "POST", .pattern = "/api/v1/documents/{id}/comments",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                CHY_BODY(b, req, kCommentFields);
                return Reply(s.AddComment(ActorOf(req), *id, GetString(b, "body")), TextView, 201);
              },
              .summary = "Comment on a document", .tag = "documents",
              .body_schema = kCommentFields, .success_status = 201});
  auto upload = [&s](bool as_version) {
    return [&s, as_version](Request& req) {
      auto id = PathId(req);
      if (!id.ok()) return Problem(id.error());
      std::string name = QueryParam(req, "file_name").value_or("");
      std::optional<std::string> sha;
      if (auto h = req.header("X-Content-SHA256")) sha = std::string(*h);
      BodyView body(req);  // in memory, or the file a large upload streamed to
      if (!body.ok()) return Problem(MakeError(ErrorCode::kUnavailable, "The upload was lost."));
      return Reply(s.AddFile(ActorOf(req), *id, as_version, name, body.bytes(), sha,
                             QueryParam(req, "note").value_or("")),
                   FileView, 201);
    };
  };
  router.Add({.method = "POST",
              .pattern = "/api/v1/documents/{id}/attachments",
              .handler = upload(false),
              .summary = "Attach a file (raw body; X-Content-SHA256 optional, checked)",
              .tag = "files",
              .query_params = {"file_name"},
              .success_status = 201,
              .stream_body = true});
  router.Add({.method = "POST",
              .pattern = "/api/v1/documents/{id}/versions",
              .handler = upload(true),
              .summary = "Add a new version of the draft file (raw body)",
              .tag = "files",
              .query_params = {"file_name", "note"},
              .success_status = 201,
              .stream_body = true});
  router.Add({.method = "GET", .pattern = "/api/v1/documents/{id}/files/{sha256}",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto r = s.GetFile(ActorOf(req), *id, req.params["sha256"]);
                if (!r.ok()) return Problem(r.error());
                return FileDownload(req, r->path, r->bytes, r->size, r->content_type,
                                    r->file_name, "\"" + r->sha256 + "\"");
              },
              .summary = "Download a file of the document (Range supported)", .tag = "files"});
  router.Add({.method = "POST",
              .pattern = "/api/v1/blobs",
              .handler =
                  [&s](Request& req) {
                    // A scan uploaded before its incoming document exists.
                    std::optional<std::string> sha;
                    if (auto h = req.header("X-Content-SHA256")) sha = std::string(*h);
                    BodyView body(req);
                    if (!body.ok()) {
                      return Problem(MakeError(ErrorCode::kUnavailable, "The upload was lost."));
                    }
                    return Reply(
                        s.PutBlob(ActorOf(req), body.bytes(), sha),
                        [](const auto& b) {
                          return json::object{{"sha256", b.sha256},
                                              {"size", b.size},
                                              {"content_type", b.content_type}};
                        },
                        201);
                  },
              .summary = "Upload a file to attach later (raw body)",
              .tag = "files",
              .success_status = 201,
              .required_role = "clerk, specialist or leader",
              .stream_body = true});

  // ---------------------------------------------------------------- deadlines
  auto deadline_route = [&s](bool overdue) {
    return [&s, overdue](Request& req) {
      auto unit = QueryInt(req, "unit_id");
      if (!unit.ok()) return Problem(unit.error());
      const bool mine = QueryParam(req, "mine").value_or("") == "true";
      auto cursor = QueryParam(req, "cursor");
      auto limit_r = QueryLimit(req);
      if (!limit_r.ok()) return Problem(limit_r.error());
      const int limit = *limit_r;
      return Reply(overdue ? s.Overdue(ActorOf(req), *unit, mine, cursor, limit)
                           : s.DueSoon(ActorOf(req), *unit, mine, cursor, limit),
                   PageView);
    };
  };
  router.Add({.method = "GET", .pattern = "/api/v1/deadlines/overdue",
              .handler = deadline_route(true),
              .summary = "Overdue documents of a unit, or mine (?mine=true)", .tag = "deadlines",
              .query_params = {"unit_id", "mine", "cursor", "limit"}});
  router.Add({.method = "GET", .pattern = "/api/v1/deadlines/due-soon",
              .handler = deadline_route(false),
              .summary = "Documents due within the next working days", .tag = "deadlines",
              .query_params = {"unit_id", "mine", "cursor", "limit"}});
  router.Add({.method = "GET", .pattern = "/api/v1/deadlines/summary",
              .handler = [&s](Request& req) {
                auto unit = QueryInt(req, "unit_id");
                if (!unit.ok()) return Problem(unit.error());
                return Reply(s.WorkloadOf(ActorOf(req), *unit), [](const services::Workload& w) {
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
              },
              .summary = "Open, overdue and due-soon work of a unit and of each sub-unit",
              .tag = "deadlines", .query_params = {"unit_id"}});
  router.Add({.method = "GET", .pattern = "/api/v1/calendar/holidays",
              .handler = [&s](Request& req) {
                auto year = QueryInt(req, "year");
                if (!year.ok()) return Problem(year.error());
                const int y = static_cast<int>(year->value_or(
                    static_cast<int>(std::chrono::year_month_day{s.Today()}.year())));
                if (y < 1990 || y > 2100) {
                  return Problem(Error::Invalid("year", "out_of_range", "1990 to 2100."));
                }
                json::array a;
                for (const auto& h : s.calendar().Holidays(y)) {
                  a.push_back(json::object{{"date", FormatDate(h.date)},
                                           {"name_vi", h.name_vi},
                                           {"name_en", h.name_en}});
                }
                return Json(200, json::object{{"year", y}, {"items", a}});
              },
              .summary = "Public holidays of a year (lunar ones computed)", .tag = "calendar",
              .query_params = {"year"}});
  router.Add({.method = "GET", .pattern = "/api/v1/calendar/deadline",
              .handler = [&s](Request& req) {
                auto from = QueryDate(req, "from");
                if (!from.ok()) return Problem(from.error());
                auto days = QueryInt(req, "working_days");
                if (!days.ok()) return Problem(days.error());
                if (!*days || **days < 0 || **days > 3650) {
                  return Problem(
                      Error::Invalid("working_days", "out_of_range", "0 to 3650, required."));
                }
                const Date start = from->value_or(s.Today());
                const Date due = s.calendar().AddWorkingDays(start, static_cast<int>(**days));
                return Json(200, json::object{{"from", FormatDate(start)},
                                              {"working_days", **days},
                                              {"deadline", FormatDate(due)}});
              },
              .summary = "The date that is N working days after a date", .tag = "calendar",
              .query_params = {"from", "working_days"}});
  router.Add({.method = "GET", .pattern = "/api/v1/document-types", .handler = [](Request&) {
                json::array a;
                for (const auto& t : DocumentTypes()) {
                  a.push_back(json::object{
                      {"code", t.code}, {"name_vi", t.name_vi}, {"name_en", t.name_en}});
                }
                return Json(200, json::object{{"items", a}});
              },
              .summary = "Document types of Decree 30", .tag = "documents"});

  // ---------------------------------------------------------------- records, books
  static const std::vector<F> kRecordFields{
      {.name = "code", .type = T::kString, .required = true, .max_length = 50},
      {.name = "title", .type = T::kString, .required = true, .max_length = 500},
      {.name = "year", .type = T::kInteger, .min = 1990, .max = 2100},
      {.name = "unit_id", .type = T::kInteger, .min = 1}};
  auto record_view = [](const store::RecordFile& r) {
    return json::object{{"id", r.id}, {"unit_id", r.unit_id}, {"code", r.code},
                        {"title", r.title}, {"year", r.year}};
  };
  router.Add({.method = "GET", .pattern = "/api/v1/records",
              .handler = [&s, record_view](Request& req) {
                auto unit = QueryInt(req, "unit_id");
                if (!unit.ok()) return Problem(unit.error());
                return Reply(s.ListRecords(ActorOf(req), *unit), [&](const auto& list) {
                  json::array a;
                  for (const auto& r : list) a.push_back(record_view(r));
                  return json::object{{"items", a}};
                });
              },
              .summary = "Records (hồ sơ) of a unit", .tag = "records",
              .query_params = {"unit_id"}});
  router.Add({.method = "POST", .pattern = "/api/v1/records",
              .handler = [&s, record_view](Request& req) {
                CHY_BODY(b, req, kRecordFields);
                store::RecordFile r;
                r.code = GetString(b, "code");
                r.title = GetString(b, "title");
                r.year = static_cast<int>(GetInt(b, "year").value_or(0));
                r.unit_id = GetInt(b, "unit_id").value_or(0);
                return Reply(s.CreateRecord(ActorOf(req), r), record_view, 201);
              },
              .summary = "Open a record (hồ sơ)", .tag = "records",
              .body_schema = kRecordFields, .success_status = 201});
  router.Add({.method = "GET", .pattern = "/api/v1/register-books",
              .handler = [&s](Request& req) {
                auto unit = QueryInt(req, "unit_id");
                if (!unit.ok()) return Problem(unit.error());
                return Reply(s.ListBooks(ActorOf(req), *unit), [](const auto& list) {
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
              },
              .summary = "Register books a unit holds", .tag = "registers",
              .query_params = {"unit_id"}});
  router.Add({.method = "GET", .pattern = "/api/v1/register-books/{id}/entries",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto limit = QueryLimit(req);
                if (!limit.ok()) return Problem(limit.error());
                auto filter = BookFilterOf(req);
                if (!filter.ok()) return Problem(filter.error());
                return Reply(s.BookPage(ActorOf(req), *id, *filter, QueryParam(req, "cursor"),
                                        *limit),
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
                               return json::object{
                                   {"book", json::object{{"id", p.book.id},
                                                         {"kind", p.book.kind},
                                                         {"year", p.book.year},
                                                         {"unit_id", p.book.unit_id}}},
                                   {"items", a},
                                   {"next_cursor", p.next_cursor ? json::value(*p.next_cursor)
                                                                 : json::value(nullptr)}};
                             });
              },
              .summary = "Entries of a register book, in order; filter by text and date",
              .tag = "registers", .query_params = {"q", "from", "to", "cursor", "limit"}});
  router.Add({.method = "GET", .pattern = "/api/v1/register-books/{id}/export",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                const std::string format = QueryParam(req, "format").value_or("csv");
                auto filter = BookFilterOf(req);
                if (!filter.ok()) return Problem(filter.error());
                auto r = s.ExportBook(ActorOf(req), *id, format, *filter);
                if (!r.ok()) return Problem(r.error());
                Response resp;
                resp.body = std::move(*r);
                resp.SetHeader("Content-Type",
                               format == "csv" ? "text/csv; charset=utf-8"
                                               : "application/vnd.openxmlformats-officedocument."
                                                 "spreadsheetml.sheet");
                resp.SetHeader("Content-Disposition", "attachment; filename=\"register-" +
                                                          std::to_string(*id) + "." + format +
                                                          "\"");
                return resp;
              },
              .summary = "A register book (all of it, or filtered) as CSV or XLSX",
              .tag = "registers", .query_params = {"format", "q", "from", "to"}});

  // ---------------------------------------------------------------- audit
  router.Add({.method = "GET", .pattern = "/api/v1/audit", .handler = [&s](Request& req) {
                store::AuditQuery q;
                q.object_type = QueryParam(req, "object_type").value_or("");
                q.action = QueryParam(req, "action").value_or("");
                auto oid = QueryInt(req, "object_id");
                auto actor = QueryInt(req, "actor_id");
                auto cursor = QueryInt(req, "cursor");
                for (const auto* r : {&oid, &actor, &cursor}) {
                  if (!r->ok()) return Problem(r->error());
                }
                q.object_id = *oid;
                q.actor_id = *actor;
                q.before_seq = *cursor;
                auto limit_r = QueryLimit(req);
                if (!limit_r.ok()) return Problem(limit_r.error());
                const int limit = *limit_r;
                q.limit = limit + 1;
                return Reply(s.ListAudit(ActorOf(req), q), [&](auto list) {
                  json::value next = nullptr;
                  if (static_cast<int>(list.size()) > limit) {
                    list.resize(limit);
                    next = std::to_string(list.back().seq);
                  }
                  json::array a;
                  for (const auto& e : list) a.push_back(AuditView(e));
                  return json::object{{"items", a}, {"next_cursor", next}};
                });
              },
              .summary = "Audit records, newest first", .tag = "audit",
              .query_params = {"object_type", "object_id", "actor_id", "action", "cursor",
                               "limit"},
              .required_role = "security_officer"});
  router.Add({.method = "GET", .pattern = "/api/v1/audit/head", .handler = [&s](Request& req) {
                return Reply(s.AuditHead(ActorOf(req)), [](const auto& h) {
                  return json::object{{"tree_size", h.first}, {"root", h.second}};
                });
              },
              .summary = "Current tree size and Merkle root", .tag = "audit",
              .required_role = "security_officer"});
  router.Add({.method = "GET", .pattern = "/api/v1/audit/proofs/inclusion",
              .handler = [&s](Request& req) {
                auto seq = QueryInt(req, "seq");
                auto size = QueryInt(req, "tree_size");
                if (!seq.ok()) return Problem(seq.error());
                if (!size.ok()) return Problem(size.error());
                if (!*seq) return Problem(Error::Invalid("seq", "required", "Which record."));
                return Reply(s.AuditInclusion(ActorOf(req), **seq, *size), [](const auto& p) {
                  return json::object{{"seq", p.seq},
                                      {"tree_size", p.tree_size},
                                      {"leaf_hash", p.leaf_hash},
                                      {"root", p.root},
                                      {"audit_path", json::value_from(p.path)}};
                });
              },
              .summary = "RFC 6962 inclusion proof of a record", .tag = "audit",
              .query_params = {"seq", "tree_size"}, .required_role = "security_officer"});
  router.Add({.method = "GET", .pattern = "/api/v1/audit/proofs/consistency",
              .handler = [&s](Request& req) {
                auto from = QueryInt(req, "from");
                auto to = QueryInt(req, "to");
                if (!from.ok()) return Problem(from.error());
                if (!to.ok()) return Problem(to.error());
                if (!*from) return Problem(Error::Invalid("from", "required", "Old size."));
                return Reply(s.AuditConsistency(ActorOf(req), **from, *to), [](const auto& p) {
                  return json::object{{"from", p.from_size},
                                      {"to", p.to_size},
                                      {"from_root", p.from_root},
                                      {"to_root", p.to_root},
                                      {"proof", json::value_from(p.path)}};
                });
              },
              .summary = "RFC 6962 consistency proof between two tree sizes", .tag = "audit",
              .query_params = {"from", "to"}, .required_role = "security_officer"});
  router.Add({.method = "POST", .pattern = "/api/v1/audit/verify", .handler = [&s](Request& req) {
                return Reply(s.VerifyAudit(ActorOf(req)), [](const auto& r) {
                  return json::object{
                      {"ok", r.ok},
                      {"tree_size", r.size},
                      {"root", r.root},
                      {"first_bad_seq",
                       r.first_bad_seq ? json::value(*r.first_bad_seq) : json::value(nullptr)},
                      {"problem", r.problem},
                      {"tree_heads_checked", r.tree_heads_checked}};
                });
              },
              .summary = "Recompute the whole log and its signed heads; name the first bad record",
              .tag = "audit",
              .required_role = "security_officer"});

  // ---------------------------------------------------------------- signatures
  static const std::vector<F> kCaFields{
      {.name = "common_name", .type = T::kString, .max_length = 200},
      {.name = "organization", .type = T::kString, .max_length = 200},
      {.name = "days", .type = T::kInteger, .min = 1, .max = 36500}};
  router.Add({.method = "POST", .pattern = "/api/v1/pki/ca", .handler = [&s](Request& req) {
                CHY_BODY(b, req, kCaFields);
                services::CaInput in;
                in.common_name = GetString(b, "common_name");
                in.organization = GetString(b, "organization");
                if (auto v = GetInt(b, "days")) in.days = static_cast<int>(*v);
                return Reply(s.CreateNodeCa(ActorOf(req), in), CertificateView, 201);
              },
              .summary = "Create the node's certificate authority (with its signing and TSA certificates)",
              .tag = "signatures", .body_schema = kCaFields, .success_status = 201,
              .required_role = "administrator or security_officer"});
  static const std::vector<F> kRootFields{
      {.name = "certificate_pem", .type = T::kString, .required = true, .max_length = 65536}};
  router.Add({.method = "POST", .pattern = "/api/v1/pki/roots", .handler = [&s](Request& req) {
                CHY_BODY(b, req, kRootFields);
                return Reply(s.ImportTrustedChain(ActorOf(req), GetString(b, "certificate_pem")),
                             [](const auto& list) {
                               json::array a;
                               for (const auto& c : list) a.push_back(CertificateView(c));
                               return json::object{{"items", a}};
                             }, 201);
              },
              .summary = "Trust an external CA: its root and intermediates as one PEM bundle "
                         "(a government CA, another node's CA)",
              .tag = "signatures", .body_schema = kRootFields, .success_status = 201,
              .required_role = "security_officer"});
  static const std::vector<F> kCertificateFields{
      {.name = "profile", .type = T::kString, .required = true, .enum_values = {"person", "organization"}},
      {.name = "user_id", .type = T::kInteger, .min = 1},
      {.name = "unit_id", .type = T::kInteger, .min = 1},
      {.name = "days", .type = T::kInteger, .min = 1, .max = 3650},
      {.name = "pin", .type = T::kString, .max_length = 64,
       .description = "person: the key is made here and encrypted under this PIN"},
      {.name = "public_key_pem", .type = T::kString, .max_length = 16384,
       .description = "a key made in a token: its public half ..."},
      {.name = "key_uri", .type = T::kString, .max_length = 1000,
       .description = "... and its PKCS#11 URI"}};
  auto certificate_input = [](const json::object& b) {
    services::CertificateInput in;
    in.profile = GetString(b, "profile");
    in.user_id = GetInt(b, "user_id");
    in.unit_id = GetInt(b, "unit_id");
    if (auto v = GetInt(b, "days")) in.days = static_cast<int>(*v);
    in.pin = GetString(b, "pin");
    in.public_key_pem = GetString(b, "public_key_pem");
    in.key_uri = GetString(b, "key_uri");
    return in;
  };
  router.Add({.method = "GET", .pattern = "/api/v1/pki/certificates", .handler = [&s](Request& req) {
                store::CertificateQuery q;
                auto user = QueryInt(req, "user_id");
                if (!user.ok()) return Problem(user.error());
                auto unit = QueryInt(req, "unit_id");
                if (!unit.ok()) return Problem(unit.error());
                q.user_id = *user;
                q.unit_id = *unit;
                q.profile = QueryParam(req, "profile").value_or("");
                q.status = QueryParam(req, "status").value_or("");
                return Reply(s.ListCertificates(ActorOf(req), q), [](const auto& list) {
                  json::array a;
                  for (const auto& c : list) a.push_back(CertificateView(c));
                  return json::object{{"items", a}};
                });
              },
              .summary = "Certificates (your own; all for administrators and security officers)",
              .tag = "signatures", .query_params = {"user_id", "unit_id", "profile", "status"}});
  router.Add({.method = "POST", .pattern = "/api/v1/pki/certificates",
              .handler = [&s, certificate_input](Request& req) {
                CHY_BODY(b, req, kCertificateFields);
                return Reply(s.IssueCertificate(ActorOf(req), certificate_input(b)), CertificateView, 201);
              },
              .summary = "Issue a certificate to a person or an organisation (replaces their current one)",
              .tag = "signatures", .body_schema = kCertificateFields, .success_status = 201,
              .required_role = "administrator or security_officer"});
  static const std::vector<F> kRenewFields{{.name = "days", .type = T::kInteger, .min = 1, .max = 3650}};
  router.Add({.method = "POST", .pattern = "/api/v1/pki/certificates/{serial}/renew",
              .handler = [&s](Request& req) {
                CHY_BODY(b, req, kRenewFields);
                services::CertificateInput in;
                if (auto v = GetInt(b, "days")) in.days = static_cast<int>(*v);
                return Reply(s.RenewCertificate(ActorOf(req), req.params["serial"], in), CertificateView, 201);
              },
              .summary = "Renew a certificate (same key, new validity)", .tag = "signatures",
              .body_schema = kRenewFields, .success_status = 201,
              .required_role = "administrator or security_officer"});
  static const std::vector<F> kRevokeFields{
      {.name = "reason", .type = T::kString, .required = true, .max_length = 1000}};
  router.Add({.method = "POST", .pattern = "/api/v1/pki/certificates/{serial}/revoke",
              .handler = [&s](Request& req) {
                CHY_BODY(b, req, kRevokeFields);
                return Reply(s.RevokeCertificate(ActorOf(req), req.params["serial"], GetString(b, "reason")),
                             CertificateView);
              },
              .summary = "Revoke a certificate; the next CRL and OCSP answers say so", .tag = "signatures",
              .body_schema = kRevokeFields, .required_role = "administrator or security_officer"});
  router.Add({.method = "GET", .pattern = "/api/v1/pki/crl", .handler = [&s](Request&) {
                auto crl = s.CurrentCrl();
                if (!crl.ok()) return Problem(crl.error());
                return Binary(std::move(*crl), "application/x-pem-file");
              },
              .summary = "The node CA's current revocation list (PEM)", .tag = "signatures",
              .authenticated = false});
  router.Add({.method = "POST", .pattern = "/api/v1/pki/ocsp", .handler = [&s](Request& req) {
                auto r = s.AnswerOcsp(req.body);
                if (!r.ok()) return Problem(r.error());
                return Binary(std::move(*r), "application/ocsp-response");
              },
              .summary = "OCSP (RFC 6960) for the node CA's certificates (body: DER OCSPRequest)",
              .tag = "signatures", .authenticated = false});
  router.Add({.method = "POST",
              .pattern = "/api/v1/pki/tsa",
              .handler =
                  [&s, this](Request& req) {
                    // Public for other nodes, so limited per client address.
                    if (!tsa_limit_->Allow(ClientAddress(req))) {
                      Response r =
                          Problem(MakeError(ErrorCode::kTooManyRequests,
                                            "Too many time-stamp requests; try again soon."));
                      r.SetHeader("Retry-After", "1");
                      return r;
                    }
                    auto r = s.AnswerTimestamp(req.body);
                    if (!r.ok()) return Problem(r.error());
                    return Binary(std::move(*r), "application/timestamp-reply");
                  },
              .summary = "RFC 3161 time-stamping (body: DER TimeStampReq); public, so other nodes "
                         "may use this node as their TSA, at most 20 stamps a second per client "
                         "address (bursts of 100)",
              .tag = "signatures",
              .authenticated = false});
  router.Add({.method = "PUT", .pattern = "/api/v1/pki/images/{kind}/{id}",
              .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto r = s.SetAppearanceImage(ActorOf(req), req.params["kind"], *id, req.body);
                if (!r.ok()) return Problem(r.error());
                return Json(200, json::object{{"ok", true}});
              },
              .summary = "The PNG a signature shows: kind seal (a unit) or signature (a person); raw body",
              .tag = "signatures"});
  static const std::vector<F> kPinFields{
      {.name = "old_pin", .type = T::kString, .required = true, .max_length = 64},
      {.name = "new_pin", .type = T::kString, .required = true, .max_length = 64}};
  router.Add({.method = "PUT", .pattern = "/api/v1/me/signing-pin", .handler = [&s](Request& req) {
                CHY_BODY(b, req, kPinFields);
                auto r = s.ChangeSigningPin(ActorOf(req), GetString(b, "old_pin"), GetString(b, "new_pin"));
                if (!r.ok()) return Problem(r.error());
                return Json(200, json::object{{"ok", true}});
              },
              .summary = "Change your signing PIN", .tag = "signatures", .body_schema = kPinFields});
  router.Add({.method = "POST", .pattern = "/api/v1/signatures/verify", .handler = [&s](Request& req) {
                services::VerifyInput in;
                in.file = req.body;
                in.data_sha256 = QueryParam(req, "data");
                auto r = s.VerifyFile(ActorOf(req), in);
                if (!r.ok()) return Problem(r.error());
                Response resp;
                resp.status = 200;
                resp.body = std::move(*r);
                resp.SetHeader("Content-Type", "application/json");
                return resp;
              },
              .summary = "Validation report of a signed PDF, or of a CMS signature (raw body) over "
                         "an uploaded file (?data=sha256)",
              .tag = "signatures", .query_params = {"data"}});
  router.Add({.method = "GET", .pattern = "/api/v1/signatures/share", .handler = [&s](Request& req) {
                auto unit = QueryInt(req, "unit_id");
                if (!unit.ok()) return Problem(unit.error());
                auto from = QueryDate(req, "from");
                if (!from.ok()) return Problem(from.error());
                auto to = QueryDate(req, "to");
                if (!to.ok()) return Problem(to.error());
                if (!*from || !*to) {
                  return Problem(Error::Invalid(!*from ? "from" : "to", "required", "Give the period."));
                }
                return Reply(s.SignatureShareOf(ActorOf(req), *unit, **from, **to), [](const auto& r) {
                  return json::object{{"unit_id", r.unit_id},
                                      {"from", FormatDate(r.from)},
                                      {"to", FormatDate(r.to)},
                                      {"issued", r.share.issued},
                                      {"both_signed", r.share.both_signed},
                                      {"ratio", r.ratio},
                                      {"target", r.target},
                                      {"meets_target", r.share.issued > 0 && r.ratio >= r.target}};
                });
              },
              .summary = "Share of outgoing documents issued with both signatures, per unit and period",
              .tag = "signatures", .query_params = {"unit_id", "from", "to"}});
  auto head_view = [](const store::TreeHead& h) {
    return json::object{{"tree_size", h.tree_size},
                        {"root", h.root},
                        {"signed_at", FormatTimestamp(h.signed_at)},
                        {"certificate_serial", h.certificate_serial},
                        {"signature", h.signature}};
  };
  router.Add({.method = "GET", .pattern = "/api/v1/audit/tree-heads",
              .handler = [&s, head_view](Request& req) {
                auto limit = QueryLimit(req);
                if (!limit.ok()) return Problem(limit.error());
                return Reply(s.TreeHeads(ActorOf(req), *limit), [&](const auto& list) {
                  json::array a;
                  for (const auto& h : list) a.push_back(head_view(h));
                  return json::object{{"items", a}};
                });
              },
              .summary = "Signed tree heads of the audit log, newest first", .tag = "audit",
              .query_params = {"limit"}, .required_role = "security_officer"});
  router.Add({.method = "POST", .pattern = "/api/v1/audit/tree-heads",
              .handler = [&s, head_view](Request& req) {
                const User actor = ActorOf(req);
                return Reply(s.SignTreeHead(&actor), head_view, 201);
              },
              .summary = "Sign the audit log's current head now", .tag = "audit",
              .success_status = 201, .required_role = "security_officer"});
  RegisterExchange(router);
  IndexRoles(router);
}

void Api::IndexRoles(const Router& router) {
  required_roles_.clear();
  for (const Route& route : router.routes()) {
    if (!route.required_role.empty()) required_roles_[&route] = RolesOf(route.required_role);
  }
}

// ---------------------------------------------------------------- exchange

namespace {

Error AdminsOnly() { return MakeError(ErrorCode::kForbidden, "Administrators only."); }

json::object PeerView(const store::Peer& p) {
  return json::object{{"agency_code", p.agency_code},
                      {"name", p.name},
                      {"endpoint", p.endpoint},
                      {"certificate_sha256", p.certificate_sha256},
                      {"certificate_pem", p.certificate_pem},
                      {"ca_pem", p.ca_pem},
                      {"via", p.via},
                      {"zone", p.zone},
                      {"max_classification", ClassificationName(p.max_classification)},
                      {"source", p.source},
                      {"active", p.active},
                      {"updated_at", FormatTimestamp(p.updated_at)}};
}

json::object OutboxView(const store::OutboxItem& o) {
  return json::object{{"id", o.id},
                      {"to", o.peer_code},
                      {"kind", o.kind},
                      {"document_id", OptId(o.document_id)},
                      {"edxml_id", o.edxml_id},
                      {"code", o.code},
                      {"size", o.payload_size},
                      {"state", o.state},
                      {"attempts", o.attempts},
                      {"next_attempt_at", FormatTimestamp(o.next_attempt_at)},
                      {"last_error", o.last_error},
                      {"created_at", FormatTimestamp(o.created_at)},
                      {"done_at", o.done_at ? json::value(FormatTimestamp(*o.done_at)) : nullptr}};
}

}  // namespace

// A refused arrival: 403 when the caller is not who it must be, 422 for the
// package itself; `reason` is the stable code the sender shows.
Response Api::RefusedResponse(const Error& e) {
  if (e.fields.empty()) return Problem(e);
  const std::string& reason = e.fields.front().code;
  const int status = reason == "UNKNOWN_PEER" || reason == "IMPERSONATION" ||
                             reason == "HOP_SIGNATURE_INVALID"
                         ? 403
                         : reason == "TOO_LARGE" ? 413 : 422;
  Response r = JsonResponse(status, json::object{{"type", "about:blank"},
                                                 {"title", "Refused"},
                                                 {"status", status},
                                                 {"code", std::string(services::kRefusedProblem)},
                                                 {"reason", reason},
                                                 {"detail", e.fields.front().message}});
  r.SetHeader("Content-Type", "application/problem+json");
  return r;
}

namespace {

services::PeerCall PeerCallOf(const Request& req) {
  services::PeerCall call;
  call.peer_certificate_pem = req.peer_certificate_pem;
  if (auto hop = req.header("Chancery-Hop-Signature")) call.hop_signature = std::string(*hop);
  return call;
}

}  // namespace

void Api::RegisterExchange(Router& router) {
  services::Services& s = services_;
  router.Add({.method = "GET", .pattern = "/api/v1/exchange/identity", .handler = [&s](Request& req) {
                if (!ActorOf(req).Has(kRoleAdmin)) return Problem(AdminsOnly());
                return Reply(s.Identity(), [](const services::NodeIdentity& n) {
                  return json::object{{"agency_code", n.agency_code},
                                      {"name", n.name},
                                      {"endpoint", n.endpoint},
                                      {"certificate_pem", n.certificate_pem},
                                      {"certificate_sha256", n.certificate_sha256},
                                      {"ca_pem", n.ca_pem}};
                });
              },
              .summary = "This node as another agency's directory enters it", .tag = "exchange",
              .required_role = "administrator"});
  router.Add({.method = "GET", .pattern = "/api/v1/exchange/peers", .handler = [&s](Request& req) {
                return Reply(s.ListPeers(ActorOf(req)), [](const auto& list) {
                  json::array a;
                  for (const auto& p : list) a.push_back(PeerView(p));
                  return json::object{{"items", a}};
                });
              },
              .summary = "The directory: other agencies' nodes", .tag = "exchange"});
  static const std::vector<F> kPeerFields{
      {.name = "name", .type = T::kString, .required = true, .max_length = 300},
      {.name = "endpoint", .type = T::kString, .max_length = 500,
       .description = "https://host:port of the peer's exchange listener"},
      {.name = "certificate_pem", .type = T::kString, .max_length = 16384},
      {.name = "ca_pem", .type = T::kString, .required = true, .max_length = 65536},
      {.name = "via", .type = T::kString, .max_length = 50,
       .description = "agency code of the gateway that reaches it"},
      {.name = "zone", .type = T::kString, .max_length = 50},
      {.name = "max_classification", .type = T::kString, .enum_values = kClassifications},
      {.name = "active", .type = T::kBoolean}};
  router.Add({.method = "PUT", .pattern = "/api/v1/exchange/peers/{code}", .handler = [&s](Request& req) {
                CHY_BODY(b, req, kPeerFields);
                store::Peer p;
                p.agency_code = req.params["code"];
                p.name = GetString(b, "name");
                p.endpoint = GetString(b, "endpoint");
                p.certificate_pem = GetString(b, "certificate_pem");
                p.ca_pem = GetString(b, "ca_pem");
                p.via = GetString(b, "via");
                p.zone = GetString(b, "zone");
                p.max_classification = ParseClassification(GetString(b, "max_classification"))
                                           .value_or(Classification::kNormal);
                p.active = GetBool(b, "active", true);
                return Reply(s.PutPeer(ActorOf(req), std::move(p)), PeerView);
              },
              .summary = "Add or change a peer agency", .tag = "exchange", .body_schema = kPeerFields,
              .required_role = "administrator"});
  router.Add({.method = "GET", .pattern = "/api/v1/exchange/directory", .handler = [&s](Request& req) {
                if (!ActorOf(req).Has(kRoleAdmin)) return Problem(AdminsOnly());
                auto r = s.SignedDirectory();
                if (!r.ok()) return Problem(r.error());
                return Binary(std::move(*r), "application/json");
              },
              .summary = "This node's directory as a signed file (what a central node publishes)",
              .tag = "exchange", .required_role = "administrator"});
  static const std::vector<F> kDirectoryFields{
      {.name = "source", .type = T::kString, .required = true, .max_length = 50,
       .description = "agency code of the publishing node (a peer)"},
      {.name = "file", .type = T::kString, .max_length = 8 << 20,
       .description = "the signed directory file; absent: fetch it from the source now"}};
  router.Add({.method = "POST", .pattern = "/api/v1/exchange/directory", .handler = [&s](Request& req) {
                CHY_BODY(b, req, kDirectoryFields);
                const User actor = ActorOf(req);
                const std::string source = GetString(b, "source");
                auto r = b.contains("file") ? s.ImportDirectory(&actor, source, GetString(b, "file"))
                                            : s.RefreshDirectory(&actor, source);
                return Reply(std::move(r), [](int n) { return json::object{{"imported", n}}; });
              },
              .summary = "Import a signed directory file, or refresh the directory from its publisher",
              .tag = "exchange", .body_schema = kDirectoryFields, .required_role = "administrator"});
  router.Add({.method = "GET", .pattern = "/api/v1/exchange/outbox", .handler = [&s](Request& req) {
                return Reply(s.ListOutbox(ActorOf(req), QueryParam(req, "state").value_or("")),
                             [](const auto& list) {
                               json::array a;
                               for (const auto& o : list) a.push_back(OutboxView(o));
                               return json::object{{"items", a}};
                             });
              },
              .summary = "Packages and notices to other agencies (state: pending, delivered, "
                         "refused, failed)",
              .tag = "exchange", .query_params = {"state"},
              .required_role = "clerk, administrator or security_officer"});
  router.Add({.method = "GET", .pattern = "/api/v1/exchange/quarantine", .handler = [&s](Request& req) {
                return Reply(s.ListQuarantine(ActorOf(req)), [](const auto& list) {
                  json::array a;
                  for (const auto& q : list) {
                    a.push_back(json::object{{"id", q.id},
                                             {"received_at", FormatTimestamp(q.received_at)},
                                             {"claimed_sender", q.claimed_sender},
                                             {"tls_subject", q.tls_subject},
                                             {"reason", q.reason_code},
                                             {"message", q.message},
                                             {"sha256", q.payload_sha256},
                                             {"size", q.payload_size}});
                  }
                  return json::object{{"items", a}};
                });
              },
              .summary = "Refused arrivals, with the reason", .tag = "exchange",
              .required_role = "security_officer"});
  router.Add({.method = "GET", .pattern = "/api/v1/documents/{id}/exchange", .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                return Reply(s.ExchangeOf(ActorOf(req), *id), [](const auto& list) {
                  json::array a;
                  for (const auto& r : list) {
                    json::array history;
                    for (const auto& h : r.history) {
                      history.push_back(json::object{{"direction", h.direction},
                                                     {"code", h.code},
                                                     {"description", h.description},
                                                     {"at", FormatTimestamp(h.at)}});
                    }
                    a.push_back(json::object{
                        {"agency_code", r.agency_code},
                        {"name", r.name},
                        {"delivery", r.delivery},
                        {"attempts", r.attempts},
                        {"last_error", r.last_error},
                        {"status", r.latest_code},
                        {"status_description", r.latest_description},
                        {"status_at", r.latest_at ? json::value(FormatTimestamp(*r.latest_at)) : nullptr},
                        {"history", history}});
                  }
                  return json::object{{"items", a}};
                });
              },
              .summary = "Each other agency's latest status of the document, and its history",
              .tag = "exchange"});
  router.Add({.method = "GET", .pattern = "/api/v1/documents/{id}/edxml", .handler = [&s](Request& req) {
                auto id = PathId(req);
                if (!id.ok()) return Problem(id.error());
                auto r = s.ExportEdxml(ActorOf(req), *id, QueryParam(req, "agency").value_or(""));
                if (!r.ok()) return Problem(r.error());
                return FileDownload(req, "", r->bytes, r->size, r->content_type, r->file_name,
                                    "\"" + r->sha256 + "\"");
              },
              .summary = "The document's signed edXML package (MIME, attachments in base64)",
              .tag = "exchange", .query_params = {"agency"}});
  router.Add({.method = "POST", .pattern = "/api/v1/exchange/import", .handler = [&s](Request& req) {
                return Reply(s.ImportEdxml(ActorOf(req), req.body),
                             [](const services::CreatedDocument& c) { return DocumentView(c.document); },
                             201);
              },
              .summary = "Register an edXML file from elsewhere as an incoming document (raw body); "
                         "its XML signature must check out",
              .tag = "exchange", .success_status = 201, .required_role = "clerk"});
}

void Api::RegisterPeer(Router& router) {
  services::Services& s = services_;
  router.Add({.method = "POST", .pattern = "/exchange/v1/packages", .handler = [&s](Request& req) {
                auto r = s.ReceivePackage(PeerCallOf(req), req.body);
                if (!r.ok()) return RefusedResponse(r.error());
                return Binary(std::move(*r), "application/xml");
              },
              .summary = "A package from another agency's node (mutual TLS); answers the signed receipt",
              .tag = "peers", .authenticated = false});
  router.Add({.method = "POST", .pattern = "/exchange/v1/statuses", .handler = [&s](Request& req) {
                auto r = s.ReceiveStatus(PeerCallOf(req), req.body);
                if (!r.ok()) return RefusedResponse(r.error());
                return Binary(std::move(*r), "application/xml");
              },
              .summary = "A status notice from another agency's node (mutual TLS)", .tag = "peers",
              .authenticated = false});
  router.Add({.method = "GET", .pattern = "/exchange/v1/directory", .handler = [&s](Request& req) {
                // Peers only: the directory names every node's endpoint.
                auto known = s.KnownPeer(req.peer_certificate_pem);
                if (!known.ok()) return RefusedResponse(known.error());
                auto r = s.SignedDirectory();
                if (!r.ok()) return Problem(r.error());
                return Binary(std::move(*r), "application/json");
              },
              .summary = "The signed directory this node publishes", .tag = "peers",
              .authenticated = false});
}

}  // namespace chancery::http
