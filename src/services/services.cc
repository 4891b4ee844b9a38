// Services: construction, shared helpers, authentication, units and users.
#include "services/services.h"

#include <argon2.h>

#include <algorithm>
#include <boost/json.hpp>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "core/digest.h"
#include "core/document_flow.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;


Status CheckText(std::string_view field, const std::string& value, std::size_t max_chars,
                 bool required) {
  if (required && value.empty()) return Error::Invalid(std::string(field), "required", "Required.");
  if (Utf8Length(value) > max_chars) {
    return Error::Invalid(std::string(field), "too_long",
                          "At most " + std::to_string(max_chars) + " characters.");
  }
  return Ok();
}

Services::Services(store::Store& store, blob::BlobStore& blobs, const Clock& clock,
                   Random& random, const WorkCalendar& calendar, Config config)
    : store_(store),
      blobs_(blobs),
      clock_(clock),
      random_(random),
      calendar_(calendar),
      config_(std::move(config)) {}

Status Services::Audit(store::Tx& tx, const Actor* actor, std::string_view action,
                       std::string_view object_type, std::optional<Id> object_id,
                       const std::string& details_json) {
  store::AuditEntry e;
  e.at = clock_.Now();
  if (actor) e.actor_id = actor->id;
  e.action = action;
  e.object_type = object_type;
  e.object_id = object_id;
  json::object rec;
  rec["at"] = FormatTimestamp(e.at);
  rec["actor"] = actor ? json::value(actor->id) : json::value(nullptr);
  rec["actor_name"] = actor ? json::value(actor->username) : json::value("system");
  rec["action"] = action;
  rec["object_type"] = object_type;
  rec["object_id"] = object_id ? json::value(*object_id) : json::value(nullptr);
  std::error_code ec;
  json::value details = json::parse(details_json.empty() ? "{}" : details_json, ec);
  rec["details"] = ec ? json::value(details_json) : details;
  e.record = json::serialize(rec);
  CHY_TRY_STATUS(tx.AppendAudit(e));
  return Ok();
}

// ---------------------------------------------------------------- scope

Result<Services::Scope> Services::ScopeOf(store::Tx& tx, const Actor& actor) {
  Scope s;
  CHY_TRY(s.reach, tx.UnitsBelow(actor.unit_id));
  return s;
}

Result<Id> Services::IssuingUnitOf(store::Tx& tx, Id unit_id) {
  std::optional<Id> current = unit_id;
  Id last = unit_id;
  for (int depth = 0; current && depth < 64; ++depth) {
    CHY_TRY(Unit u, tx.GetUnit(*current));
    if (u.issues_documents) return u.id;
    last = u.id;
    current = u.parent_id;
  }
  return last;  // the root issues when no unit says it does
}

Result<Document> Services::ReadableDocument(store::Tx& tx, const Actor& actor, Id id) {
  auto doc = tx.GetDocument(id);
  if (!doc.ok()) return std::move(doc).error();
  const Error hidden = MakeError(ErrorCode::kNotFound, "Document not found.");
  if (!actor.MayRead(doc->classification)) return hidden;
  if (doc->created_by == actor.id) return doc;
  // The hot path: one walk up the unit tree instead of the whole subtree.
  CHY_TRY(bool within, tx.IsWithin(doc->unit_id, actor.unit_id));
  if (within) return doc;
  CHY_TRY(Scope scope, ScopeOf(tx, actor));
  CHY_TRY(auto assignments, tx.ListAssignments(id));
  for (const auto& a : assignments) {
    if (a.lead_user_id == actor.id) return doc;
    if (a.lead_unit_id && scope.Reaches(*a.lead_unit_id)) return doc;
    for (Id u : a.supporting_unit_ids) {
      if (scope.Reaches(u)) return doc;
    }
  }
  return hidden;
}

// ---------------------------------------------------------------- auth

std::string Services::HashPassword(const std::string& password) {
  unsigned char salt[16];
  random_.Fill(salt, sizeof salt);
  const std::size_t len = argon2_encodedlen(config_.argon2_time_cost, config_.argon2_memory_kib,
                                            1, sizeof salt, 32, Argon2_id);
  std::string encoded(len, '\0');
  const int rc = argon2id_hash_encoded(config_.argon2_time_cost, config_.argon2_memory_kib, 1,
                                       password.data(), password.size(), salt, sizeof salt, 32,
                                       encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return "";
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

Result<LoginResult> Services::Login(const std::string& username, const std::string& password,
                                    const std::string& kind) {
  if (kind != "cookie" && kind != "bearer") {
    return Error::Invalid("kind", "not_allowed_value", "Use 'cookie' or 'bearer'.");
  }
  const Timestamp now = clock_.Now();
  std::optional<Error> refusal;
  LoginResult result;
  Status s = store_.Write([&](store::Tx& tx) -> Status {
    auto found = tx.GetUserByName(username);
    if (!found.ok()) {
      if (found.error().code != ErrorCode::kNotFound) return std::move(found).error();
      // Spend the same time as a real check so timing does not reveal names.
      (void)argon2id_verify("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$"
                            "0000000000000000000000000000000000000000000",
                            password.data(), password.size());
      refusal = MakeError(ErrorCode::kUnauthenticated, "Wrong user name or password.");
      return Ok();
    }
    store::StoredUser& su = *found;
    if (su.locked_until > now) {
      refusal = MakeError(ErrorCode::kAccountLocked,
                          "Too many failed logins; the account is locked until " +
                              FormatVietnamTime(su.locked_until) + ".");
      return Ok();
    }
    const bool good = su.user.active && !su.password_hash.empty() &&
                      argon2id_verify(su.password_hash.c_str(), password.data(),
                                      password.size()) == ARGON2_OK;
    if (!good) {
      const int failed = su.failed_logins + 1;
      Timestamp locked{};
      if (failed >= config_.lockout_threshold) {
        locked = now + std::chrono::duration_cast<std::chrono::microseconds>(
                           config_.lockout_duration);
        CHY_TRY_STATUS(Audit(tx, &su.user, "user.locked", "user", su.user.id,
                             R"({"failed_logins":)" + std::to_string(failed) + "}"));
      }
      CHY_TRY_STATUS(tx.SetLoginFailures(su.user.id, locked > now ? 0 : failed, locked));
      refusal = MakeError(ErrorCode::kUnauthenticated, "Wrong user name or password.");
      return Ok();
    }
    if (su.failed_logins != 0) CHY_TRY_STATUS(tx.SetLoginFailures(su.user.id, 0, Timestamp{}));
    result.token = RandomHex(random_, 32);
    result.csrf_token = kind == "cookie" ? RandomHex(random_, 16) : "";
    const auto lifetime = kind == "cookie" ? config_.session_lifetime : config_.token_lifetime;
    result.expires_at = now + std::chrono::duration_cast<std::chrono::microseconds>(lifetime);
    result.user = su.user;
    CHY_TRY_STATUS(tx.InsertSession(
        {Sha256Hex(result.token), su.user.id, kind, result.csrf_token, result.expires_at}, now));
    return Audit(tx, &su.user, "user.login", "user", su.user.id,
                 R"({"kind":")" + kind + "\"}");
  });
  if (!s.ok()) return std::move(s).error();
  if (refusal) return *refusal;
  return result;
}

Result<std::pair<User, store::Session>> Services::Authenticate(const std::string& token) {
  const Error bad = MakeError(ErrorCode::kUnauthenticated, "The session is not valid; log in.");
  if (token.size() != 64) return bad;
  std::pair<User, store::Session> out;
  Status s = store_.Read([&](store::Tx& tx) -> Status {
    auto session = tx.GetSession(Sha256Hex(token));
    if (!session.ok()) return session.error().code == ErrorCode::kNotFound ? bad : session.error();
    if (session->expires_at <= clock_.Now()) return bad;
    CHY_TRY(auto user, tx.GetUser(session->user_id));
    if (!user.user.active) return bad;
    out = {std::move(user.user), std::move(*session)};
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Status Services::Logout(const std::string& token) {
  return store_.Write([&](store::Tx& tx) -> Status {
    auto session = tx.GetSession(Sha256Hex(token));
    if (!session.ok()) return Ok();
    CHY_TRY_STATUS(tx.DeleteSession(Sha256Hex(token)));
    CHY_TRY(auto user, tx.GetUser(session->user_id));
    return Audit(tx, &user.user, "user.logout", "user", user.user.id, "");
  });
}

// ---------------------------------------------------------------- units

namespace {
Status RequireRole(const Actor& actor, std::uint32_t roles) {
  if ((actor.roles & roles) == 0) {
    return MakeError(ErrorCode::kForbidden, "Your roles do not allow this.");
  }
  return Ok();
}

json::object UnitJson(const Unit& u) {
  return {{"name", u.name}, {"abbreviation", u.abbreviation},
          {"parent_id", u.parent_id ? json::value(*u.parent_id) : json::value(nullptr)}};
}

Status ValidateUnit(const Unit& u) {
  CHY_TRY_STATUS(CheckText("name", u.name, 300, true));
  CHY_TRY_STATUS(CheckText("abbreviation", u.abbreviation, 30, true));
  CHY_TRY_STATUS(CheckText("agency_code", u.agency_code, 40, false));
  return Ok();
}
}  // namespace

Status RequireRoles(const Actor& actor, std::uint32_t roles) { return RequireRole(actor, roles); }

Result<std::vector<Unit>> Services::ListUnits(const Actor&) {
  std::vector<Unit> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, tx.ListUnits());
    return Ok();
  }));
  return out;
}

Result<Unit> Services::GetUnit(const Actor&, Id id) {
  Unit out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, tx.GetUnit(id));
    return Ok();
  }));
  return out;
}

Result<Unit> Services::CreateUnit(const Actor& actor, const UnitInput& in) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin));
  Unit u;
  u.name = in.name.value_or("");
  u.abbreviation = in.abbreviation.value_or("");
  u.agency_code = in.agency_code.value_or("");
  if (in.parent_id) u.parent_id = *in.parent_id;
  u.issues_documents = in.issues_documents.value_or(false);
  CHY_TRY_STATUS(ValidateUnit(u));
  const Date effective = in.effective_date.value_or(Today());
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    if (u.parent_id) {
      auto parent = tx.GetUnit(*u.parent_id);
      if (!parent.ok() || !parent->active) {
        return Error::Invalid("parent_id", "unknown", "No active unit with this id.");
      }
    }
    CHY_TRY(u.id, tx.InsertUnit(u, effective));
    return Audit(tx, &actor, "unit.create", "unit", u.id, json::serialize(UnitJson(u)));
  }));
  return u;
}

Result<Unit> Services::UpdateUnit(const Actor& actor, Id id, const UnitInput& in,
                                  std::optional<std::int64_t> expected_version) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin));
  Unit u;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(u, tx.GetUnit(id));
    if (expected_version && *expected_version != u.version) {
      return MakeError(ErrorCode::kPreconditionFailed, "The unit was changed by someone else.");
    }
    if (!u.active) {
      Error e = MakeError(ErrorCode::kInvalidTransition, "The unit has been retired.");
      return e;
    }
    const Unit before = u;
    if (in.name) u.name = *in.name;
    if (in.abbreviation) u.abbreviation = *in.abbreviation;
    if (in.agency_code) u.agency_code = *in.agency_code;
    if (in.issues_documents) u.issues_documents = *in.issues_documents;
    if (in.parent_id) {
      u.parent_id = *in.parent_id;
      // No cycles: the new parent may not be the unit or one of its descendants.
      for (std::optional<Id> p = u.parent_id; p;) {
        if (*p == u.id) {
          return Error::Invalid("parent_id", "cycle", "A unit cannot move under itself.");
        }
        auto parent = tx.GetUnit(*p);
        if (!parent.ok()) return Error::Invalid("parent_id", "unknown", "No such unit.");
        p = parent->parent_id;
      }
    }
    CHY_TRY_STATUS(ValidateUnit(u));
    CHY_TRY_STATUS(tx.UpdateUnit(u, in.effective_date.value_or(Today()), std::nullopt));
    ++u.version;
    json::object details{{"before", UnitJson(before)}, {"after", UnitJson(u)}};
    return Audit(tx, &actor, before.parent_id != u.parent_id ? "unit.move" : "unit.update",
                 "unit", u.id, json::serialize(details));
  }));
  return u;
}

Result<store::UnitVersion> Services::UnitAsOf(const Actor&, Id id, Date date) {
  store::UnitVersion out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(tx.GetUnit(id));
    CHY_TRY(out, tx.UnitAsOf(id, date));
    return Ok();
  }));
  return out;
}

Result<std::vector<store::UnitVersion>> Services::UnitHistory(const Actor&, Id id) {
  std::vector<store::UnitVersion> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(tx.GetUnit(id));
    CHY_TRY(out, tx.UnitHistory(id));
    return Ok();
  }));
  return out;
}

Result<std::vector<store::Transfer>> Services::UnitTransfers(const Actor&, Id id) {
  std::vector<store::Transfer> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(tx.GetUnit(id));
    CHY_TRY(out, tx.TransfersFrom(id));
    return Ok();
  }));
  return out;
}

Result<ReorganizationResult> Services::Reorganize(const Actor& actor,
                                                  const ReorganizationInput& in) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin));
  const std::size_t target_count = in.targets.size() + in.new_units.size();
  if (in.kind == "merge") {
    if (in.sources.size() < 2 || target_count != 1) {
      return Error::Invalid("sources", "shape", "A merge takes two or more units into one.");
    }
  } else if (in.kind == "split") {
    if (in.sources.size() != 1 || target_count < 2) {
      return Error::Invalid("targets", "shape", "A split turns one unit into two or more.");
    }
  } else if (in.kind == "dissolve") {
    if (in.sources.size() != 1 || target_count != 1) {
      return Error::Invalid("targets", "shape",
                            "Dissolving a unit names exactly one successor for its work.");
    }
  } else {
    return Error::Invalid("kind", "not_allowed_value", "Use merge, split or dissolve.");
  }
  if (in.effective_date > Today()) {
    return Error::Invalid("effective_date", "future",
                          "Reorganisations take effect today or earlier; schedule later ones "
                          "on their day.");
  }
  for (const Unit& nu : in.new_units) CHY_TRY_STATUS(ValidateUnit(nu));
  ReorganizationResult result;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    std::set<Id> sources(in.sources.begin(), in.sources.end());
    if (sources.size() != in.sources.size()) {
      return Error::Invalid("sources", "duplicate", "A unit is listed twice.");
    }
    for (Id s : in.sources) {
      auto u = tx.GetUnit(s);
      if (!u.ok() || !u->active) {
        return Error::Invalid("sources", "unknown", "Unit " + std::to_string(s) +
                                                        " is not an active unit.");
      }
    }
    std::vector<Id> targets = in.targets;
    for (Id t : targets) {
      auto u = tx.GetUnit(t);
      if (!u.ok() || !u->active || sources.count(t)) {
        return Error::Invalid("targets", "unknown",
                              "Unit " + std::to_string(t) + " cannot receive the work.");
      }
    }
    for (const Unit& nu : in.new_units) {
      CHY_TRY(Id id, tx.InsertUnit(nu, in.effective_date));
      targets.push_back(id);
      result.created_unit_ids.push_back(id);
    }
    const Id successor = in.successor_id.value_or(targets.front());
    if (std::find(targets.begin(), targets.end(), successor) == targets.end()) {
      return Error::Invalid("successor_id", "not_a_target", "The successor must be a target.");
    }
    store::Reorganization r{0, in.kind, in.effective_date, in.note, in.sources, targets};
    CHY_TRY(r.id, tx.InsertReorganization(r, actor.id, clock_.Now()));
    for (Id s : in.sources) {
      CHY_TRY(Unit u, tx.GetUnit(s));
      u.active = false;
      u.retired_on = in.effective_date;
      u.successor_id = successor;
      CHY_TRY_STATUS(tx.UpdateUnit(u, in.effective_date, r.id));
      CHY_TRY(int moved, tx.TransferOpenWork(s, successor, r.id));
      result.transferred += moved;
      // Child units follow their parent to the successor.
      CHY_TRY(auto all, tx.ListUnits());
      for (Unit child : all) {
        if (child.parent_id == s && child.active) {
          child.parent_id = successor;
          CHY_TRY_STATUS(tx.UpdateUnit(child, in.effective_date, r.id));
        }
      }
    }
    result.reorganization = r;
    json::object details{{"kind", in.kind},
                         {"effective_date", FormatDate(in.effective_date)},
                         {"sources", json::value_from(in.sources)},
                         {"targets", json::value_from(targets)},
                         {"successor", successor},
                         {"transferred", result.transferred}};
    return Audit(tx, &actor, "unit.reorganize", "reorganization", r.id,
                 json::serialize(details));
  }));
  return result;
}

// ---------------------------------------------------------------- users

namespace {
Status ValidateUser(const User& u) {
  CHY_TRY_STATUS(CheckText("username", u.username, 64, true));
  for (char c : u.username) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
      return Error::Invalid("username", "bad_characters",
                            "Use letters, digits, '.', '_' and '-' only.");
    }
  }
  CHY_TRY_STATUS(CheckText("full_name", u.full_name, 200, true));
  CHY_TRY_STATUS(CheckText("position", u.position, 200, false));
  return Ok();
}
Status ValidatePassword(const std::string& p) {
  if (Utf8Length(p) < 8) {
    return Error::Invalid("password", "too_short", "At least 8 characters.");
  }
  return CheckText("password", p, 200, true);
}
}  // namespace

Result<std::vector<User>> Services::ListUsers(const Actor& actor, std::optional<Id> after,
                                              int limit) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin | kRoleSecurity | kRoleLeader | kRoleClerk));
  std::vector<User> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, tx.ListUsers(after, std::clamp(limit, 1, 500)));
    return Ok();
  }));
  return out;
}

Result<User> Services::GetUser(const Actor& actor, Id id) {
  if (actor.id != id) {
    CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin | kRoleSecurity | kRoleLeader | kRoleClerk));
  }
  User out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto su, tx.GetUser(id));
    out = su.user;
    return Ok();
  }));
  return out;
}

Result<User> Services::CreateUser(const Actor& actor, const UserInput& in) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin));
  User u;
  u.username = in.username.value_or("");
  u.full_name = in.full_name.value_or("");
  u.unit_id = in.unit_id.value_or(0);
  u.position = in.position.value_or("");
  u.roles = in.roles.value_or(0);
  u.clearance = in.clearance.value_or(Classification::kNormal);
  u.active = in.active.value_or(true);
  CHY_TRY_STATUS(ValidateUser(u));
  const std::string password = in.password.value_or("");
  CHY_TRY_STATUS(ValidatePassword(password));
  // Raising clearance is the security officer's call, not the administrator's.
  if (u.clearance != Classification::kNormal && !actor.Has(kRoleSecurity) &&
      !actor.MayRead(u.clearance)) {
    return MakeError(ErrorCode::kForbidden,
                     "Only a security officer may grant a clearance above your own.");
  }
  const std::string hash = HashPassword(password);
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    auto unit = tx.GetUnit(u.unit_id);
    if (!unit.ok() || !unit->active) {
      return Error::Invalid("unit_id", "unknown", "No active unit with this id.");
    }
    auto id = tx.InsertUser(u, hash, clock_.Now());
    if (!id.ok()) {
      if (id.error().code == ErrorCode::kConflict) {
        return Error::Invalid("username", "taken", "This user name is taken.");
      }
      return std::move(id).error();
    }
    u.id = *id;
    json::object details{{"username", u.username},
                         {"unit_id", u.unit_id},
                         {"roles", json::value_from(RoleNames(u.roles))},
                         {"clearance", ClassificationName(u.clearance)}};
    return Audit(tx, &actor, "user.create", "user", u.id, json::serialize(details));
  }));
  return u;
}

Result<User> Services::UpdateUser(const Actor& actor, Id id, const UserInput& in,
                                  std::optional<std::int64_t> expected_version) {
  const bool self_password_only = actor.id == id && in.password && !in.full_name && !in.unit_id &&
                                  !in.position && !in.roles && !in.clearance && !in.active;
  if (!self_password_only) CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin | kRoleSecurity));
  if (in.clearance && !actor.Has(kRoleSecurity)) {
    return MakeError(ErrorCode::kForbidden, "Only a security officer changes clearances.");
  }
  if ((in.roles || in.unit_id || in.full_name || in.position || in.active) &&
      !actor.Has(kRoleAdmin)) {
    return MakeError(ErrorCode::kForbidden, "Only an administrator changes users.");
  }
  if (in.password) CHY_TRY_STATUS(ValidatePassword(*in.password));
  const std::string hash = in.password ? HashPassword(*in.password) : "";
  User u;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(auto su, tx.GetUser(id));
    u = su.user;
    if (expected_version && *expected_version != u.version) {
      return MakeError(ErrorCode::kPreconditionFailed, "The user was changed by someone else.");
    }
    if (in.full_name) u.full_name = *in.full_name;
    if (in.unit_id) {
      auto unit = tx.GetUnit(*in.unit_id);
      if (!unit.ok() || !unit->active) {
        return Error::Invalid("unit_id", "unknown", "No active unit with this id.");
      }
      u.unit_id = *in.unit_id;
    }
    if (in.position) u.position = *in.position;
    if (in.roles) u.roles = *in.roles;
    if (in.clearance) u.clearance = *in.clearance;
    if (in.active) u.active = *in.active;
    CHY_TRY_STATUS(ValidateUser(u));
    CHY_TRY_STATUS(tx.UpdateUser(u));
    if (in.password) CHY_TRY_STATUS(tx.SetPassword(id, hash));
    u.version += in.password ? 2 : 1;
    json::object details{{"roles", json::value_from(RoleNames(u.roles))},
                         {"clearance", ClassificationName(u.clearance)},
                         {"unit_id", u.unit_id},
                         {"active", u.active},
                         {"password_changed", in.password.has_value()}};
    return Audit(tx, &actor, "user.update", "user", u.id, json::serialize(details));
  }));
  return u;
}

Result<User> Services::SetLanguage(const Actor& actor, const std::string& language) {
  static constexpr std::string_view kLanguages[] = {"vi", "en", "fr"};
  if (std::find(std::begin(kLanguages), std::end(kLanguages), language) == std::end(kLanguages)) {
    return Error::Invalid("language", "not_allowed_value", "One of vi, en, fr.");
  }
  User u;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(auto su, tx.GetUser(actor.id));
    u = su.user;
    u.language = language;
    CHY_TRY_STATUS(tx.SetLanguage(actor.id, language));
    return Audit(tx, &actor, "user.language", "user", actor.id,
                 json::serialize(json::object{{"language", language}}));
  }));
  return u;
}

Result<std::vector<User>> Services::FindPeople(const Actor&, const store::PeopleQuery& q) {
  if (q.ids.size() > 200) return Error::Invalid("ids", "too_many", "At most 200 ids.");
  if (Utf8Length(q.text) > 100) return Error::Invalid("q", "too_long", "At most 100 characters.");
  std::vector<User> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, tx.FindPeople(q));
    return Ok();
  }));
  return out;
}

Result<Workload> Services::WorkloadOf(const Actor& actor, std::optional<Id> unit_id) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleLeader | kRoleClerk | kRoleAdmin));
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
