#include "modules/org/routes.h"

#include <boost/json.hpp>
#include <charconv>

#include "modules/org/store.h"
#include "modules/org/views.h"

namespace chancery::org {

namespace json = boost::json;
using namespace http;  // NOLINT: the handler vocabulary
using F = JsonField;
using T = JsonType;

namespace {

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

std::vector<F> Optional(std::vector<F> fields) {
  for (auto& f : fields) f.required = false;
  return fields;
}

}  // namespace

const std::vector<std::string> kRoles{"clerk", "specialist", "leader", "administrator",
                                      "security_officer"};

const std::vector<F> kUnitFields{
    {.name = "name", .type = T::kString, .required = true, .max_length = 300},
    {.name = "abbreviation", .type = T::kString, .required = true, .max_length = 30},
    {.name = "agency_code", .type = T::kString, .max_length = 40},
    {.name = "parent_id", .type = T::kInteger, .min = 1},
    {.name = "issues_documents", .type = T::kBoolean},
    {.name = "effective_date", .type = T::kDate},
};

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

const std::vector<F> kLoginFields{
    {.name = "username", .type = T::kString, .required = true, .max_length = 64},
    {.name = "password", .type = T::kString, .required = true, .max_length = 200},
    {.name = "kind",
     .type = T::kString,
     .enum_values = {"cookie", "bearer"},
     .description = "cookie (default): session cookie + CSRF token; bearer: API token"}};

const std::vector<F> kLanguageFields{
    {.name = "language", .type = T::kString, .required = true, .enum_values = {"vi", "en", "fr"}}};

const std::vector<F> kUnitPatch = Optional(kUnitFields);

const std::vector<F> kReorgFields{
    {.name = "kind",
     .type = T::kString,
     .required = true,
     .enum_values = {"merge", "split", "dissolve"}},
    {.name = "effective_date", .type = T::kDate, .required = true},
    {.name = "sources", .type = T::kIntegerArray, .required = true, .max_length = 50},
    {.name = "targets", .type = T::kIntegerArray, .max_length = 50},
    {.name = "new_units",
     .type = T::kObjectArray,
     .max_length = 50,
     .description = "units to create as targets: {name, abbreviation, parent_id, "
                    "agency_code, issues_documents}"},
    {.name = "successor_id", .type = T::kInteger, .min = 1},
    {.name = "note", .type = T::kString, .max_length = 2000}};

const std::vector<F> kUserPatch = [] {
  auto f = Optional(kUserFields);
  std::erase_if(f, [](const F& x) { return x.name == "username"; });
  f.push_back({.name = "current_password",
               .type = T::kString,
               .max_length = 200,
               .description = "changing one's own password: the current one"});
  return f;
}();

const std::vector<F> kDecisionFields{{.name = "reason",
                                      .type = T::kString,
                                      .max_length = 1000,
                                      .description = "required to reject"}};

Response Routes::Login(Request& req) {
  CHY_BODY(b, req, kLoginFields);
  const std::string kind = GetString(b, "kind", "cookie");
  auto r = services_.Login(GetString(b, "username"), GetString(b, "password"), kind,
                           ClientAddress(req, options_.trusted_proxies));
  if (!r.ok()) {
    Response p = Problem(r.error());
    if (r.error().retry_after_seconds > 0) {
      p.SetHeader("Retry-After", std::to_string(r.error().retry_after_seconds));
    }
    return p;
  }
  json::object body{{"user", UserView(r->user)}, {"expires_at", FormatTimestamp(r->expires_at)}};
  if (kind == "bearer") {
    body["token"] = r->token;
  } else {
    body["csrf_token"] = r->csrf_token;
  }
  Response resp = Json(200, body);
  // Secure whenever served over TLS: configured, or a TLS proxy
  // in front says so (docs/security.md, production set-up).
  const bool secure = options_.secure_cookies ||
                      req.header("X-Forwarded-Proto") == std::optional<std::string_view>("https");
  if (kind == "cookie") {
    resp.SetHeader(
        "Set-Cookie",
        std::string(kSessionCookie) + "=" + r->token +
            "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
            std::to_string(std::chrono::seconds(services_.settings().session_lifetime).count()) +
            (secure ? "; Secure" : ""));
  }
  return resp;
}

Response Routes::Logout(Request& req) {
  if (auto st = services_.Logout(CredentialsOf(req).token); !st.ok()) {
    return Problem(st.error());
  }
  Response r;
  r.status = 204;
  r.SetHeader("Set-Cookie",
              std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return r;
}

Response Routes::Me(Request& req) {
  json::object o = UserView(ActorOf(req));
  // The node's date in Vietnam: what forms propose as "today",
  // whatever the browser's clock or zone says.
  o["today"] = FormatDate(services_.Today());
  // A page reloaded in the browser needs its CSRF token again;
  // only same-origin script can read this answer.
  if (!req.header("Authorization")) {
    if (auto c = Cookie(req, kSessionCookie)) {
      if (auto who = services_.Authenticate(*c); who.ok()) {
        o["csrf_token"] = who->second.csrf_token;
      }
    }
  }
  return Json(200, o);
}

Response Routes::SetLanguage(Request& req) {
  CHY_BODY(b, req, kLanguageFields);
  return Reply(services_.SetLanguage(ActorOf(req), GetString(b, "language")), UserView);
}

Response Routes::People(Request& req) {
  org::PeopleQuery q;
  auto unit = QueryInt(req, "unit_id");
  if (!unit.ok()) return Problem(unit.error());
  q.unit_id = *unit;
  q.text = QueryParam(req, "q").value_or("");
  if (auto ids = QueryParam(req, "ids"); ids && !ids->empty()) {
    std::string_view rest = *ids;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      const auto id = ParseInt(item);
      if (!id || *id <= 0) {
        return Problem(Error::Invalid("ids", "not_an_id_list", "Comma-separated positive ids."));
      }
      q.ids.push_back(*id);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  auto limit = QueryLimit(req);
  if (!limit.ok()) return Problem(limit.error());
  q.limit = *limit;
  return Reply(services_.FindPeople(ActorOf(req), q), [](const auto& people) {
    json::array a;
    for (const User& u : people) {
      a.push_back(json::object{{"id", u.id},
                               {"full_name", u.full_name},
                               {"position", u.position},
                               {"unit_id", u.unit_id}});
    }
    return json::object{{"items", a}};
  });
}

Response Routes::ListUnits(Request& req) {
  return Reply(services_.ListUnits(ActorOf(req)), [](const auto& units) {
    json::array a;
    for (const auto& u : units) a.push_back(UnitView(u));
    return json::object{{"items", a}};
  });
}

Response Routes::CreateUnit(Request& req) {
  CHY_BODY(b, req, kUnitFields);
  auto r = services_.CreateUnit(ActorOf(req), UnitInputOf(b));
  if (!r.ok()) return Problem(r.error());
  return WithETag(Json(201, UnitView(*r)), r->version);
}

Response Routes::GetUnit(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto r = services_.GetUnit(ActorOf(req), *id);
  if (!r.ok()) return Problem(r.error());
  return WithETag(Json(200, UnitView(*r)), r->version);
}

Response Routes::UpdateUnit(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto version = RequiredIfMatch(req);
  if (!version.ok()) return Problem(version.error());
  CHY_BODY(b, req, kUnitPatch);
  auto r = services_.UpdateUnit(ActorOf(req), *id, UnitInputOf(b), *version);
  if (!r.ok()) return Problem(r.error());
  return WithETag(Json(200, UnitView(*r)), r->version);
}

Response Routes::UnitAsOf(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto date = QueryDate(req, "date");
  if (!date.ok()) return Problem(date.error());
  if (!*date) return Problem(Error::Invalid("date", "required", "YYYY-MM-DD."));
  return Reply(services_.UnitAsOf(ActorOf(req), *id, **date), [](const auto& v) {
    return json::object{{"unit_id", v.unit_id},
                        {"valid_from", FormatDate(v.valid_from)},
                        {"valid_to", OptDate(v.valid_to)},
                        {"name", v.name},
                        {"abbreviation", v.abbreviation},
                        {"parent_id", OptId(v.parent_id)},
                        {"active", v.active}};
  });
}

Response Routes::UnitHistory(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  return Reply(services_.UnitHistory(ActorOf(req), *id), [](const auto& list) {
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
}

Response Routes::UnitTransfers(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  return Reply(services_.UnitTransfers(ActorOf(req), *id), [](const auto& list) {
    json::array a;
    for (const auto& t : list) {
      a.push_back(json::object{{"reorganization_id", t.reorganization_id},
                               {"object_type", t.object_type},
                               {"object_id", t.object_id},
                               {"to_unit_id", t.to_unit_id}});
    }
    return json::object{{"items", a}};
  });
}

Response Routes::Reorganize(Request& req) {
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
      services_.Reorganize(ActorOf(req), in),
      [](const auto& r) {
        return json::object{{"id", r.reorganization.id},
                            {"kind", r.reorganization.kind},
                            {"effective_date", FormatDate(r.reorganization.effective_date)},
                            {"sources", json::value_from(r.reorganization.sources)},
                            {"targets", json::value_from(r.reorganization.targets)},
                            {"created_unit_ids", json::value_from(r.created_unit_ids)},
                            {"transferred", r.transferred}};
      },
      201);
}

Response Routes::ListUsers(Request& req) {
  auto after = QueryInt(req, "cursor");
  if (!after.ok()) return Problem(after.error());
  auto limit_r = QueryLimit(req);
  if (!limit_r.ok()) return Problem(limit_r.error());
  const int limit = *limit_r;
  return Reply(services_.ListUsers(ActorOf(req), *after, limit + 1), [&](auto users) {
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
}

Response Routes::CreateUser(Request& req) {
  CHY_BODY(b, req, kUserFields);
  std::optional<org::Approval> pending;
  auto r = services_.CreateUser(ActorOf(req), UserInputOf(b), &pending);
  if (!r.ok()) return Problem(r.error());
  json::object o = UserView(*r);
  if (pending) o["pending_approval"] = ApprovalView(*pending);
  return WithETag(Json(201, o), r->version);
}

Response Routes::GetUser(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto r = services_.GetUser(ActorOf(req), *id);
  if (!r.ok()) return Problem(r.error());
  json::object o = UserView(*r);
  if (!services::MaySeeClearance(ActorOf(req), *r)) o.erase("clearance");
  return WithETag(Json(200, o), r->version);
}

Response Routes::UpdateUser(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto version = RequiredIfMatch(req);
  if (!version.ok()) return Problem(version.error());
  CHY_BODY(b, req, kUserPatch);
  auto r = services_.UpdateUser(ActorOf(req), *id, UserInputOf(b), *version);
  if (!r.ok()) return Problem(r.error());
  if (r->pending) {
    // Four eyes: nothing changed yet; a second person decides.
    json::object o{{"user", UserView(r->user)}, {"pending_approval", ApprovalView(*r->pending)}};
    return Json(202, o);
  }
  return WithETag(Json(200, UserView(r->user)), r->user.version);
}

Response Routes::ListApprovals(Request& req) {
  return Reply(services_.ListApprovals(ActorOf(req), QueryParam(req, "state").value_or("pending")),
               [](const auto& list) {
                 json::array a;
                 for (const auto& x : list) a.push_back(ApprovalView(x));
                 return json::object{{"items", a}};
               });
}

Response Routes::Approve(Request& req) { return Decide(req, true); }
Response Routes::Reject(Request& req) { return Decide(req, false); }

Response Routes::Decide(Request& req, bool approve) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  CHY_BODY(b, req, kDecisionFields);
  return Reply(services_.DecideApproval(ActorOf(req), *id, approve, GetString(b, "reason")),
               ApprovalView);
}

}  // namespace chancery::org
