// Units, reorganisations, users, sessions, uploads and four-eyes requests: the rows of this
// module's tables and the typed operations on them (store.cc), written once in SQL that SQLite and
// PostgreSQL both accept. A `Store` works inside one transaction of store::Store (Write or Read)
// and must not outlive it; several modules' stores may share one transaction, so a change and its
// audit record commit together.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "lib/sql/migrations.h"
#include "store/store.h"

namespace chancery::org {

struct StoredUser {
  User user;
  std::string password_hash;
  int failed_logins = 0;
  Timestamp locked_until{};
};

struct Session {
  std::string token_hash;
  Id user_id = 0;
  std::string kind;  // "cookie" or "bearer"
  std::string csrf_token;
  Timestamp expires_at{};
};

struct Approval {  // a four-eyes request
  Id id = 0;
  std::string kind;  // user.change, document.declassify
  Id object_id = 0;
  std::string payload;  // JSON
  Id proposed_by = 0;
  Timestamp proposed_at{};
  std::string state = "pending";  // pending, approved, rejected
  std::optional<Id> decided_by;
  std::optional<Timestamp> decided_at;
  std::string reason;
};

struct UnitVersion {
  Id unit_id = 0;
  Date valid_from{};
  std::optional<Date> valid_to;
  std::string name;
  std::string abbreviation;
  std::optional<Id> parent_id;
  bool active = true;
};

struct Reorganization {
  Id id = 0;
  std::string kind;  // "merge", "split", "dissolve"
  Date effective_date{};
  std::string note;
  std::vector<Id> sources;
  std::vector<Id> targets;
};

struct Transfer {
  Id reorganization_id = 0;
  std::string object_type;  // "document", "assignment", "register_book"
  Id object_id = 0;
  Id from_unit_id = 0;
  Id to_unit_id = 0;
};

struct PeopleQuery {
  std::vector<Id> ids;
  std::optional<Id> unit_id;
  std::string text;
  int limit = 50;
};

// Puts every person's entry in the search index (a schema step).
Status IndexAllPeople(sql::Connection& c);

// This module's tables, in the transaction `tx` belongs to.
class Store {
 public:
  explicit Store(store::Tx& tx) : c_(tx.connection()) {}

  // Units.
  Result<Id> InsertUnit(const Unit& unit, Date effective);
  Result<Unit> GetUnit(Id id);
  Result<std::vector<Unit>> ListUnits();
  // The names of these units, in one query (an unknown id is left out).
  Result<std::map<Id, std::string>> UnitNames(const std::vector<Id>& ids);
  // `root` and every unit below it, in id order.
  Result<std::vector<Id>> UnitsBelow(Id root);
  // Whether `unit` is `ancestor` or below it (walks up: a few lookups).
  Result<bool> IsWithin(Id unit, Id ancestor);
  // Optimistic: kPreconditionFailed if `unit.version` is not the stored one.
  // Closes the current history period at `effective` and opens a new one.
  Status UpdateUnit(const Unit& unit, Date effective, std::optional<Id> reorganization_id);
  Result<UnitVersion> UnitAsOf(Id unit_id, Date date);
  Result<std::vector<UnitVersion>> UnitHistory(Id unit_id);
  Result<Id> InsertReorganization(const Reorganization& r, std::optional<Id> actor, Timestamp at);
  Result<std::vector<Reorganization>> ReorganizationsOf(Id unit_id);
  // Moves open documents, open assignments and register books of `from` to
  // `to`, writing one transfer row per moved object; returns the count.
  Result<int> TransferOpenWork(Id from, Id to, Id reorganization_id);
  Result<std::vector<Transfer>> TransfersFrom(Id unit_id);

  // Users and sessions.
  Result<Id> InsertUser(const User& user, const std::string& password_hash, Timestamp now);
  Result<StoredUser> GetUser(Id id);
  Result<StoredUser> GetUserByName(const std::string& username);
  Result<std::vector<User>> ListUsers(std::optional<Id> after_id, int limit);
  Status UpdateUser(const User& user);  // optimistic on user.version
  Status SetPassword(Id user_id, const std::string& password_hash);
  Status SetLoginFailures(Id user_id, int failed, Timestamp locked_until);
  Status SetLanguage(Id user_id, const std::string& language);
  // Active users by id, unit or folded name, by name; at most 200.
  Result<std::vector<User>> FindPeople(const PeopleQuery& q);
  Status InsertSession(const Session& s, Timestamp now);
  Result<Session> GetSession(const std::string& token_hash);
  Status DeleteSession(const std::string& token_hash);
  // Ends every session and token of the user but the one named (may be "").
  Status DeleteSessionsOf(Id user_id, const std::string& except_token_hash);
  // Login throttle per key ("user:<name>", "ip:<address>"): counts a failure
  // atomically and returns (failures, when the next try is allowed).
  Result<std::pair<int, Timestamp>> CountLoginFailure(const std::string& key, Timestamp now,
                                                      int free_tries,
                                                      std::chrono::seconds first_delay,
                                                      std::chrono::seconds max_delay);
  Result<Timestamp> LoginAllowedAt(const std::string& key);
  Status ClearLoginFailures(const std::string& key);
  // Uploads owned by their uploader until attached or expired.
  Status PutUpload(Id user_id, const std::string& sha256, Timestamp now, Timestamp expires_at);
  Result<bool> HasUpload(Id user_id, const std::string& sha256, Timestamp now);
  Status ConsumeUpload(Id user_id, const std::string& sha256);
  // Four-eyes requests.
  Result<Id> InsertApproval(const Approval& a);
  Result<Approval> GetApproval(Id id);
  Result<std::vector<Approval>> ListApprovals(const std::string& state, int limit);
  // false when the request was no longer pending.
  Result<bool> DecideApproval(Id id, const std::string& state, Id by, Timestamp at,
                              const std::string& reason);

 private:
  sql::Connection& c_;
};

// This module's numbered schema steps (migrations/NNN_name.sql), compiled in.
sql::ModuleMigrations Migrations();

}  // namespace chancery::org
