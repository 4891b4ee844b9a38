// Services: users, the directory, workloads and four-eyes approvals.
#include <argon2.h>

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "core/digest.h"
#include "core/document_flow.h"
#include "modules/org/service.h"
#include "modules/org/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

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

Result<std::vector<User>> OrgService::ListUsers(const Actor& actor, std::optional<Id> after,
                                                int limit) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity | kRoleLeader | kRoleClerk));
  std::vector<User> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, org::Store(tx).ListUsers(after, std::clamp(limit, 1, 500)));
    return Ok();
  }));
  return out;
}

Result<User> OrgService::GetUser(const Actor& actor, Id id) {
  if (actor.id != id) {
    CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity | kRoleLeader | kRoleClerk));
  }
  User out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto su, org::Store(tx).GetUser(id));
    out = su.user;
    return Ok();
  }));
  return out;
}

namespace {

// The console operator (`chancery demo`, `chancery user create` at the
// node's own console, actor id 0) holds the machine; people act through the
// API and are held to four eyes.
bool IsConsole(const Actor& actor) { return actor.id == 0; }

constexpr std::uint32_t kPrivilegedRoles = kRoleAdmin | kRoleSecurity;

// The parts of a change to `before` that need a second person.
struct PrivilegedParts {
  bool grants_role = false;  // administrator or security_officer added
  bool raises_clearance = false;
  bool resets_password = false;  // of an administrator or security officer
  bool any() const { return grants_role || raises_clearance || resets_password; }
};

PrivilegedParts PrivilegedPartsOf(const User& before, const UserInput& in) {
  PrivilegedParts p;
  if (in.roles) p.grants_role = ((*in.roles & ~before.roles) & kPrivilegedRoles) != 0;
  if (in.clearance) p.raises_clearance = *in.clearance > before.clearance;
  if (in.password) p.resets_password = (before.roles & kPrivilegedRoles) != 0;
  return p;
}

json::object UserChangeJson(const UserInput& in, const std::string& password_hash) {
  json::object o;
  if (in.full_name) o["full_name"] = *in.full_name;
  if (in.unit_id) o["unit_id"] = *in.unit_id;
  if (in.position) o["position"] = *in.position;
  if (in.roles) o["roles"] = json::value_from(RoleNames(*in.roles));
  if (in.clearance) o["clearance"] = ClassificationName(*in.clearance);
  if (in.active) o["active"] = *in.active;
  if (in.password) o["password_hash"] = password_hash;  // never shown (ApprovalView)
  return o;
}

std::pair<UserInput, std::string> UserChangeOf(const std::string& payload) {
  UserInput in;
  std::string hash;
  std::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return {in, hash};
  const json::object& o = v.as_object();
  if (auto* x = o.if_contains("full_name")) in.full_name = std::string(x->as_string());
  if (auto* x = o.if_contains("unit_id")) in.unit_id = x->as_int64();
  if (auto* x = o.if_contains("position")) in.position = std::string(x->as_string());
  if (auto* x = o.if_contains("roles")) {
    std::uint32_t roles = 0;
    for (const auto& r : x->as_array())
      roles |= ParseRole(std::string(r.as_string())).value_or(Role{});
    in.roles = roles;
  }
  if (auto* x = o.if_contains("clearance")) {
    in.clearance = ParseClassification(std::string(x->as_string()));
  }
  if (auto* x = o.if_contains("active")) in.active = x->as_bool();
  if (auto* x = o.if_contains("password_hash")) {
    hash = std::string(x->as_string());
    in.password = std::string();  // marks "password set"; the hash is applied
  }
  return {in, hash};
}

}  // namespace

Result<User> OrgService::CreateUser(const Actor& actor, const UserInput& in,
                                    std::optional<org::Approval>* pending) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin));
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
  // A person creating a user with a privileged role or a clearance creates
  // the plain account; the rest is a request another person approves.
  UserInput held;
  if (!IsConsole(actor)) {
    if (u.roles & kPrivilegedRoles) {
      held.roles = u.roles;
      u.roles &= ~kPrivilegedRoles;
    }
    if (u.clearance != Classification::kNormal) {
      held.clearance = u.clearance;
      u.clearance = Classification::kNormal;
    }
  }
  const std::string hash = HashPassword(password);
  std::optional<org::Approval> request;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    auto unit = org::Store(tx).GetUnit(u.unit_id);
    if (!unit.ok() || !unit->active) {
      return Error::Invalid("unit_id", "unknown", "No active unit with this id.");
    }
    auto id = org::Store(tx).InsertUser(u, hash, clock_.Now());
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
    CHY_TRY_STATUS(Audit(tx, &actor, "user.create", "user", u.id, json::serialize(details)));
    if (held.roles || held.clearance) {
      CHY_TRY(request, FileApproval(tx, actor, "user.change", u.id,
                                    json::serialize(UserChangeJson(held, ""))));
    }
    return Ok();
  }));
  if (pending) *pending = request;
  return u;
}

Result<UserUpdate> OrgService::UpdateUser(const Actor& actor, Id id, const UserInput& in,
                                          std::optional<std::int64_t> expected_version) {
  const bool self = actor.id == id && !IsConsole(actor);
  // Nobody changes their own roles, clearance, unit or state, nor sets their
  // own password through the administrators' reset.
  if (self && (in.roles || in.clearance || in.unit_id || in.active)) {
    Error e = MakeError(ErrorCode::kForbidden,
                        "Nobody changes their own roles, clearance, unit or state; ask another "
                        "administrator or security officer.");
    const std::pair<const char*, bool> fields[] = {{"roles", in.roles.has_value()},
                                                   {"clearance", in.clearance.has_value()},
                                                   {"unit_id", in.unit_id.has_value()},
                                                   {"active", in.active.has_value()}};
    for (const auto& [field, given] : fields) {
      if (given) e.fields.push_back({field, "You cannot change this for yourself.", "self_change"});
    }
    return e;
  }
  const bool self_password_only = self && in.password && !in.full_name && !in.position;
  if (!self_password_only) CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity));
  if (in.clearance && !actor.Has(kRoleSecurity)) {
    return Error::Invalid("clearance", "security_officer_only",
                          "Only a security officer changes clearances.");
  }
  // Passwords of others are reset by administrators only (a security
  // officer holds clearances, not accounts).
  if ((in.roles || in.unit_id || in.full_name || in.position || in.active ||
       (in.password && !self)) &&
      !actor.Has(kRoleAdmin)) {
    return MakeError(ErrorCode::kForbidden, "Only an administrator changes users.");
  }
  if (in.password) CHY_TRY_STATUS(ValidatePassword(*in.password));
  if (self && in.password) {
    // Changing one's own password proves the current one first.
    if (!in.current_password || in.current_password->empty()) {
      return Error::Invalid("current_password", "required", "Enter your current password.");
    }
    std::string stored;
    CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
      CHY_TRY(auto su, org::Store(tx).GetUser(id));
      stored = su.password_hash;
      return Ok();
    }));
    if (!VerifyPassword(stored, *in.current_password)) {
      return Error::Invalid("current_password", "wrong", "This is not your current password.");
    }
  }
  const std::string hash = in.password ? HashPassword(*in.password) : "";
  UserUpdate out;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(auto su, org::Store(tx).GetUser(id));
    if (expected_version && *expected_version != su.user.version) {
      return MakeError(ErrorCode::kPreconditionFailed, "The user was changed by someone else.");
    }
    const PrivilegedParts parts = PrivilegedPartsOf(su.user, in);
    if (parts.any() && !IsConsole(actor) && !self) {
      // Four eyes: the whole change waits for a second person.
      out.user = su.user;
      CHY_TRY(out.pending, FileApproval(tx, actor, "user.change", id,
                                        json::serialize(UserChangeJson(in, hash))));
      return Ok();
    }
    CHY_TRY(out.user, ApplyUserChange(tx, actor, su.user, in, hash));
    return Ok();
  }));
  return out;
}

Result<User> OrgService::ApplyUserChange(store::Tx& tx, const Actor& actor, User u,
                                         const UserInput& in, const std::string& password_hash) {
  const User before = u;
  if (in.full_name) u.full_name = *in.full_name;
  if (in.unit_id) {
    auto unit = org::Store(tx).GetUnit(*in.unit_id);
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
  CHY_TRY_STATUS(org::Store(tx).UpdateUser(u));
  if (in.password) CHY_TRY_STATUS(org::Store(tx).SetPassword(u.id, password_hash));
  u.version += in.password ? 2 : 1;
  // A new password, other powers or a closed account: every session and
  // token of the person ends now.
  const bool revoke = in.password || u.roles != before.roles || u.clearance != before.clearance ||
                      u.active != before.active || u.unit_id != before.unit_id;
  if (revoke) CHY_TRY_STATUS(org::Store(tx).DeleteSessionsOf(u.id, ""));
  json::object details{{"roles", json::value_from(RoleNames(u.roles))},
                       {"clearance", ClassificationName(u.clearance)},
                       {"unit_id", u.unit_id},
                       {"active", u.active},
                       {"password_changed", in.password.has_value()},
                       {"sessions_revoked", revoke}};
  CHY_TRY_STATUS(Audit(tx, &actor, "user.update", "user", u.id, json::serialize(details)));
  return u;
}

// ---------------------------------------------------------------- four eyes

Result<org::Approval> OrgService::FileApproval(store::Tx& tx, const Actor& actor,
                                               const std::string& kind, Id object_id,
                                               const std::string& payload) {
  org::Approval a;
  a.kind = kind;
  a.object_id = object_id;
  a.payload = payload;
  a.proposed_by = actor.id;
  a.proposed_at = clock_.Now();
  CHY_TRY(a.id, org::Store(tx).InsertApproval(a));
  json::object details{{"approval_id", a.id}, {"kind", kind}};
  CHY_TRY_STATUS(Audit(tx, &actor, "approval.propose", kind == "user.change" ? "user" : "document",
                       object_id, json::serialize(details)));
  return a;
}

Status OrgService::MayDecide(store::Tx& tx, const Actor& actor, const org::Approval& a) {
  const Error refused =
      MakeError(ErrorCode::kForbidden, "A second person of the right role decides this request.");
  if (a.proposed_by == actor.id) {
    return MakeError(ErrorCode::kForbidden, "The person who proposed a change cannot approve it.");
  }
  if (a.kind == "user.change") {
    if (a.object_id == actor.id) {
      return MakeError(ErrorCode::kForbidden, "Nobody approves a change to their own account.");
    }
    auto [in, hash] = UserChangeOf(a.payload);
    CHY_TRY(auto target, org::Store(tx).GetUser(a.object_id));
    const PrivilegedParts parts = PrivilegedPartsOf(target.user, in);
    if ((parts.grants_role || parts.resets_password || in.roles || in.password) &&
        !actor.Has(kRoleAdmin) && !actor.Has(kRoleSecurity)) {
      return refused;
    }
    if (in.clearance && *in.clearance > Classification::kNormal) {
      // A clearance is granted by a security officer or a leader who holds it.
      if (!(actor.Has(kRoleSecurity) || actor.Has(kRoleLeader)) || !actor.MayRead(*in.clearance)) {
        return refused;
      }
    }
    return Ok();
  }
  if (a.kind == "document.declassify") {
    // Declassification: a leader of the issuing unit proposes, a security
    // officer cleared for the document (DecideApproval checked that) approves.
    return actor.Has(kRoleSecurity) ? Ok() : Status(refused);
  }
  return refused;
}

Result<std::vector<org::Approval>> OrgService::ListApprovals(const Actor& actor,
                                                             const std::string& state) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity | kRoleLeader));
  if (state != "pending" && state != "approved" && state != "rejected") {
    return Error::Invalid("state", "not_allowed_value", "pending, approved or rejected.");
  }
  std::vector<org::Approval> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto all, org::Store(tx).ListApprovals(state, 200));
    for (auto& a : all) {
      // A declassification names a document: shown only to who may open it.
      if (a.kind == "document.declassify" && !ReadableDocument(tx, actor, a.object_id).ok()) {
        continue;
      }
      out.push_back(std::move(a));
    }
    return Ok();
  }));
  return out;
}

Result<org::Approval> OrgService::DecideApproval(const Actor& actor, Id id, bool approve,
                                                 const std::string& reason) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity | kRoleLeader));
  CHY_TRY_STATUS(CheckText("reason", reason, 1000, !approve));
  org::Approval a;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    auto found = org::Store(tx).GetApproval(id);
    if (!found.ok()) return MissingAs(found, MakeError(ErrorCode::kNotFound, "No such request."));
    a = *found;
    if (a.kind == "document.declassify" && !ReadableDocument(tx, actor, a.object_id).ok()) {
      return MakeError(ErrorCode::kNotFound, "No such request.");
    }
    CHY_TRY_STATUS(MayDecide(tx, actor, a));
    CHY_TRY(bool decided, org::Store(tx).DecideApproval(id, approve ? "approved" : "rejected",
                                                        actor.id, clock_.Now(), reason));
    if (!decided) {
      return MakeError(ErrorCode::kConflict, "This request was already decided.");
    }
    a.state = approve ? "approved" : "rejected";
    a.decided_by = actor.id;
    a.decided_at = clock_.Now();
    a.reason = reason;
    CHY_TRY_STATUS(Audit(tx, &actor, approve ? "approval.approve" : "approval.reject",
                         a.kind == "user.change" ? "user" : "document", a.object_id,
                         json::serialize(json::object{{"approval_id", a.id},
                                                      {"kind", a.kind},
                                                      {"proposed_by", a.proposed_by},
                                                      {"reason", reason}})));
    if (!approve) return Ok();
    if (a.kind == "user.change") {
      auto [in, hash] = UserChangeOf(a.payload);
      CHY_TRY(auto target, org::Store(tx).GetUser(a.object_id));
      CHY_TRY_STATUS(ApplyUserChange(tx, actor, target.user, in, hash));
      return Ok();
    }
    auto apply = on_approved_.find(a.kind);
    if (apply == on_approved_.end()) {
      return MakeError(ErrorCode::kInternal, "No module applies a request of this kind.");
    }
    return apply->second(tx, actor, a);
  }));
  return a;
}

Result<User> OrgService::SetLanguage(const Actor& actor, const std::string& language) {
  static constexpr std::string_view kLanguages[] = {"vi", "en", "fr"};
  if (std::find(std::begin(kLanguages), std::end(kLanguages), language) == std::end(kLanguages)) {
    return Error::Invalid("language", "not_allowed_value", "One of vi, en, fr.");
  }
  User u;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(auto su, org::Store(tx).GetUser(actor.id));
    u = su.user;
    u.language = language;
    CHY_TRY_STATUS(org::Store(tx).SetLanguage(actor.id, language));
    return Audit(tx, &actor, "user.language", "user", actor.id,
                 json::serialize(json::object{{"language", language}}));
  }));
  return u;
}

Result<std::vector<User>> OrgService::FindPeople(const Actor&, const org::PeopleQuery& q) {
  if (q.ids.size() > 200) return Error::Invalid("ids", "too_many", "At most 200 ids.");
  if (Utf8Length(q.text) > 100) return Error::Invalid("q", "too_long", "At most 100 characters.");
  std::vector<User> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, org::Store(tx).FindPeople(q));
    return Ok();
  }));
  return out;
}

Result<User> OrgService::ConsoleActAs(const std::string& username) {
  User out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    auto u = org::Store(tx).GetUserByName(username);
    if (!u.ok())
      return MissingAs(u, MakeError(ErrorCode::kNotFound, "No user '" + username + "'."));
    out = u->user;
    return Ok();
  }));
  return out;
}

}  // namespace chancery::services
