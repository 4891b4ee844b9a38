// Services: construction, shared helpers, authentication, units and users.
#include "services/services.h"

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

Services::Services(store::Store& store, blob::BlobStore& blobs, const Clock& clock, Random& random,
                   const WorkCalendar& calendar, Config config)
    : store_(store),
      blobs_(blobs),
      clock_(clock),
      random_(random),
      calendar_(calendar),
      config_(std::move(config)),
      hash_gate_(std::make_unique<HashGate>(std::max(1, config_.password_hash_slots))) {}

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

Status Services::ReadDocument(const Actor& actor, Id id, std::string_view purpose,
                              const DocumentReader& read, const std::string& details_json) {
  // Peek at the classification first: a classified read is itself an event
  // and is written to the audit log in the same transaction as the read.
  bool classified = false;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(Document d, ReadableDocument(tx, actor, id));
    classified = d.classification != Classification::kNormal;
    return classified ? Ok() : read(tx, d);
  }));
  if (!classified) return Ok();
  return store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(Document d, ReadableDocument(tx, actor, id));
    CHY_TRY_STATUS(read(tx, d));
    std::error_code ec;
    json::value extra = json::parse(details_json.empty() ? "{}" : details_json, ec);
    json::object details = extra.is_object() && !ec ? extra.as_object() : json::object{};
    details["classification"] = ClassificationName(d.classification);
    details["purpose"] = purpose;
    return Audit(tx, &actor, "document.read", "document", id, json::serialize(details));
  });
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

// At most this many password hashes at once, whoever asks: argon2 takes
// memory and a core, and logins must not starve the rest of the node.
class Services::HashGate {
 public:
  explicit HashGate(int slots) : free_(slots) {}
  template <typename F>
  auto Run(F&& f) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return free_ > 0; });
      --free_;
    }
    struct Release {
      HashGate* g;
      ~Release() {
        {
          std::lock_guard lock(g->mu_);
          ++g->free_;
        }
        g->cv_.notify_one();
      }
    } release{this};
    return f();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
};

Services::~Services() = default;

bool Services::VerifyPassword(const std::string& encoded, const std::string& password) {
  if (encoded.empty()) return false;
  return hash_gate_->Run([&] {
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
  });
}

Result<LoginResult> Services::Login(const std::string& username, const std::string& password,
                                    const std::string& kind, const std::string& client_address) {
  if (kind != "cookie" && kind != "bearer") {
    return Error::Invalid("kind", "not_allowed_value", "Use 'cookie' or 'bearer'.");
  }
  const Timestamp now = clock_.Now();
  // Throttled per user name (existing or not, so the answer tells nothing
  // about which names exist) and per client address; nobody can lock an
  // account for good, only slow the guesses down.
  const std::string name_key = "user:" + username;
  const std::string address_key = "ip:" + client_address;
  const Error wrong = MakeError(ErrorCode::kUnauthenticated, "Wrong user name or password.");
  std::optional<store::StoredUser> found;
  Timestamp allowed_at{};
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(Timestamp by_name, tx.LoginAllowedAt(name_key));
    CHY_TRY(Timestamp by_address, tx.LoginAllowedAt(address_key));
    allowed_at = std::max(by_name, by_address);
    auto u = tx.GetUserByName(username);
    if (u.ok()) {
      found = std::move(*u);
    } else if (u.error().code != ErrorCode::kNotFound) {
      return std::move(u).error();
    }
    return Ok();
  }));
  if (allowed_at > now) {
    const auto wait = std::chrono::ceil<std::chrono::seconds>(allowed_at - now);
    Error e = MakeError(ErrorCode::kAccountLocked, "Too many failed logins; try again in " +
                                                       std::to_string(wait.count()) + " seconds.");
    e.retry_after_seconds = wait.count();
    return e;
  }
  // The hash is checked outside any transaction, on a bounded gate; an
  // unknown name costs the same time as a real check.
  static const std::string kDecoy =
      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$"
      "0000000000000000000000000000000000000000000";
  const std::string& encoded =
      found && found->user.active && !found->password_hash.empty() ? found->password_hash : kDecoy;
  const bool verified = hash_gate_->Run([&] {
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
  });
  const bool good = verified && &encoded != &kDecoy;
  if (!good) {
    CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
      const auto first =
          std::chrono::duration_cast<std::chrono::seconds>(config_.throttle_first_delay);
      const auto cap = std::chrono::duration_cast<std::chrono::seconds>(config_.lockout_duration);
      CHY_TRY(auto by_name,
              tx.CountLoginFailure(name_key, now, config_.lockout_threshold, first, cap));
      CHY_TRY(auto by_address,
              tx.CountLoginFailure(address_key, now, config_.throttle_address_tries, first, cap));
      // A burst is the security officer's business: one alert as each
      // throttle starts.
      if (by_name.first == config_.lockout_threshold ||
          by_address.first == config_.throttle_address_tries) {
        json::object details{{"username", username},
                             {"client_address", client_address},
                             {"failures_for_name", by_name.first},
                             {"failures_from_address", by_address.first}};
        CHY_TRY_STATUS(Audit(tx, nullptr, "security.login_burst", found ? "user" : "login",
                             found ? std::optional(found->user.id) : std::nullopt,
                             json::serialize(details)));
      }
      return Ok();
    }));
    return wrong;
  }
  LoginResult result;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(tx.ClearLoginFailures(name_key));
    CHY_TRY_STATUS(tx.ClearLoginFailures(address_key));
    result.token = RandomHex(random_, 32);
    result.csrf_token = kind == "cookie" ? RandomHex(random_, 16) : "";
    const auto lifetime = kind == "cookie" ? config_.session_lifetime : config_.token_lifetime;
    result.expires_at = now + std::chrono::duration_cast<std::chrono::microseconds>(lifetime);
    result.user = found->user;
    CHY_TRY_STATUS(tx.InsertSession(
        {Sha256Hex(result.token), found->user.id, kind, result.csrf_token, result.expires_at},
        now));
    return Audit(tx, &found->user, "user.login", "user", found->user.id,
                 R"({"kind":")" + kind + "\"}");
  }));
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
      // The sources' sub-units move under the successor: a target inside a
      // source's subtree would become its own ancestor.
      for (Id s : in.sources) {
        CHY_TRY(bool below, tx.IsWithin(t, s));
        if (below) {
          return Error::Invalid("targets", "cycle",
                                u->name +
                                    " lies inside a unit being reorganised; choose a "
                                    "successor outside it.");
        }
      }
    }
    for (const Unit& nu : in.new_units) {
      for (Id s : in.sources) {
        if (!nu.parent_id) continue;
        CHY_TRY(bool below, tx.IsWithin(*nu.parent_id, s));
        if (below) {
          return Error::Invalid("new_units", "cycle",
                                "A new unit cannot sit inside a unit being reorganised.");
        }
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

Result<std::vector<std::string>> Services::CheckUnitTree() {
  std::vector<std::string> problems;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto units, tx.ListUnits());
    std::map<Id, const Unit*> by_id;
    for (const auto& u : units) by_id[u.id] = &u;
    for (const auto& u : units) {
      std::set<Id> seen{u.id};
      for (std::optional<Id> p = u.parent_id; p;) {
        auto it = by_id.find(*p);
        if (it == by_id.end()) {
          problems.push_back("orphan: unit " + std::to_string(u.id) + " (" + u.abbreviation +
                             ") has a missing parent " + std::to_string(*p));
          break;
        }
        if (!seen.insert(*p).second) {
          problems.push_back("cycle: unit " + std::to_string(u.id) + " (" + u.abbreviation +
                             ") is its own ancestor");
          break;
        }
        if (u.active && p == u.parent_id && !it->second->active) {
          problems.push_back("orphan: active unit " + std::to_string(u.id) + " (" + u.abbreviation +
                             ") sits under a retired unit");
        }
        p = it->second->parent_id;
      }
    }
    return Ok();
  }));
  return problems;
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

Result<User> Services::CreateUser(const Actor& actor, const UserInput& in,
                                  std::optional<store::Approval>* pending) {
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
  std::optional<store::Approval> request;
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

Result<UserUpdate> Services::UpdateUser(const Actor& actor, Id id, const UserInput& in,
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
  if (!self_password_only) CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin | kRoleSecurity));
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
      CHY_TRY(auto su, tx.GetUser(id));
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
    CHY_TRY(auto su, tx.GetUser(id));
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

Result<User> Services::ApplyUserChange(store::Tx& tx, const Actor& actor, User u,
                                       const UserInput& in, const std::string& password_hash) {
  const User before = u;
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
  if (in.password) CHY_TRY_STATUS(tx.SetPassword(u.id, password_hash));
  u.version += in.password ? 2 : 1;
  // A new password, other powers or a closed account: every session and
  // token of the person ends now.
  const bool revoke = in.password || u.roles != before.roles || u.clearance != before.clearance ||
                      u.active != before.active || u.unit_id != before.unit_id;
  if (revoke) CHY_TRY_STATUS(tx.DeleteSessionsOf(u.id, ""));
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

Result<store::Approval> Services::FileApproval(store::Tx& tx, const Actor& actor,
                                               const std::string& kind, Id object_id,
                                               const std::string& payload) {
  store::Approval a;
  a.kind = kind;
  a.object_id = object_id;
  a.payload = payload;
  a.proposed_by = actor.id;
  a.proposed_at = clock_.Now();
  CHY_TRY(a.id, tx.InsertApproval(a));
  json::object details{{"approval_id", a.id}, {"kind", kind}};
  CHY_TRY_STATUS(Audit(tx, &actor, "approval.propose", kind == "user.change" ? "user" : "document",
                       object_id, json::serialize(details)));
  return a;
}

Status Services::MayDecide(store::Tx& tx, const Actor& actor, const store::Approval& a) {
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
    CHY_TRY(auto target, tx.GetUser(a.object_id));
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

Result<std::vector<store::Approval>> Services::ListApprovals(const Actor& actor,
                                                             const std::string& state) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin | kRoleSecurity | kRoleLeader));
  if (state != "pending" && state != "approved" && state != "rejected") {
    return Error::Invalid("state", "not_allowed_value", "pending, approved or rejected.");
  }
  std::vector<store::Approval> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto all, tx.ListApprovals(state, 200));
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

Result<store::Approval> Services::DecideApproval(const Actor& actor, Id id, bool approve,
                                                 const std::string& reason) {
  CHY_TRY_STATUS(RequireRole(actor, kRoleAdmin | kRoleSecurity | kRoleLeader));
  CHY_TRY_STATUS(CheckText("reason", reason, 1000, !approve));
  store::Approval a;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    auto found = tx.GetApproval(id);
    if (!found.ok()) return MakeError(ErrorCode::kNotFound, "No such request.");
    a = *found;
    if (a.kind == "document.declassify" && !ReadableDocument(tx, actor, a.object_id).ok()) {
      return MakeError(ErrorCode::kNotFound, "No such request.");
    }
    CHY_TRY_STATUS(MayDecide(tx, actor, a));
    CHY_TRY(bool decided, tx.DecideApproval(id, approve ? "approved" : "rejected", actor.id,
                                            clock_.Now(), reason));
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
      CHY_TRY(auto target, tx.GetUser(a.object_id));
      CHY_TRY_STATUS(ApplyUserChange(tx, actor, target.user, in, hash));
      return Ok();
    }
    return ApplyDeclassification(tx, actor, a);
  }));
  return a;
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
