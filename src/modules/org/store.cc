// Units, reorganisations, users, sessions, logins, uploads and approvals: the store's typed
// operations on this module's tables.
#include "modules/org/store.h"

#include "modules/search/store.h"
#include "store/rows.h"

namespace chancery::org {

using namespace store::rows;  // NOLINT: the store's row vocabulary
using sql::Row;
using sql::Value;

namespace {

// ---- Units ----
constexpr std::string_view kUnitColumns =
    "id, name, abbreviation, agency_code, parent_id, issues_documents, active, retired_on, "
    "successor_id, version";

Unit UnitFromRow(const Row& r) {
  Unit u;
  u.id = r.Int(0);
  u.name = r.Text(1);
  u.abbreviation = r.Text(2);
  u.agency_code = r.Text(3);
  u.parent_id = r.OptInt(4);
  u.issues_documents = r.Int(5) != 0;
  u.active = r.Int(6) != 0;
  u.retired_on = DateOf(r, 7);
  u.successor_id = r.OptInt(8);
  u.version = r.Int(9);
  return u;
}

UnitVersion UnitVersionFromRow(const Row& r) {
  return UnitVersion{r.Int(0),  DateOr(r, 1), DateOf(r, 2), r.Text(3),
                     r.Text(4), r.OptInt(5),  r.Int(6) != 0};
}
constexpr std::string_view kUnitVersionColumns =
    "unit_id, valid_from, valid_to, name, abbreviation, parent_id, active";

// ---- Users ----
constexpr std::string_view kUserColumns =
    "id, username, full_name, unit_id, position, roles, clearance, active, version, "
    "password_hash, failed_logins, locked_until, language";

StoredUser UserFromRow(const Row& r) {
  StoredUser s;
  s.user.id = r.Int(0);
  s.user.username = r.Text(1);
  s.user.full_name = r.Text(2);
  s.user.unit_id = r.Int(3);
  s.user.position = r.Text(4);
  s.user.roles = static_cast<std::uint32_t>(r.Int(5));
  s.user.clearance = static_cast<Classification>(std::clamp<std::int64_t>(r.Int(6), 0, 3));
  s.user.active = r.Int(7) != 0;
  s.user.version = r.Int(8);
  s.password_hash = r.Text(9);
  s.failed_logins = static_cast<int>(r.Int(10));
  s.locked_until = FromMicros(r.Int(11));
  s.user.language = r.Text(12);
  return s;
}

}  // namespace

// ======================= Units =======================

Result<Id> Store::InsertUnit(const Unit& u, Date effective) {
  CHY_TRY(Id id, InsertedId(c_.Query(
                     "INSERT INTO units(name, abbreviation, agency_code, parent_id, "
                     "issues_documents, active) VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
                     {u.name, u.abbreviation, u.agency_code, OptInt(u.parent_id),
                      std::int64_t{u.issues_documents}})));
  CHY_TRY_STATUS(c_.Exec(
      "INSERT INTO unit_history(unit_id, valid_from, name, abbreviation, parent_id, active) "
      "VALUES ($1, $2, $3, $4, $5, 1)",
      {id, FormatDate(effective), u.name, u.abbreviation, OptInt(u.parent_id)}));
  return id;
}

Result<Unit> Store::GetUnit(Id id) {
  CHY_TRY(Row r,
          One(c_.Query("SELECT " + std::string(kUnitColumns) + " FROM units WHERE id = $1", {id}),
              "Unit"));
  return UnitFromRow(r);
}

Result<std::map<Id, std::string>> Store::UnitNames(const std::vector<Id>& ids) {
  std::map<Id, std::string> out;
  if (ids.empty()) return out;
  std::string sql = "SELECT id, name FROM units WHERE 1 = 1";
  std::vector<Value> params;
  AppendIn(sql, params, "id", ids);
  CHY_TRY(auto rows, c_.Query(sql, params));
  for (const auto& r : rows.rows) out.emplace(r.Int(0), r.Text(1));
  return out;
}

Result<std::vector<Unit>> Store::ListUnits() {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kUnitColumns) + " FROM units ORDER BY id"));
  std::vector<Unit> out;
  for (const auto& r : rows.rows) out.push_back(UnitFromRow(r));
  return out;
}

Status Store::UpdateUnit(const Unit& u, Date effective, std::optional<Id> reorganization_id) {
  CHY_TRY(auto rows,
          c_.Query("UPDATE units SET name = $1, abbreviation = $2, agency_code = $3, "
                   "parent_id = $4, issues_documents = $5, active = $6, retired_on = $7, "
                   "successor_id = $8, version = version + 1 WHERE id = $9 AND version = $10",
                   {u.name, u.abbreviation, u.agency_code, OptInt(u.parent_id),
                    std::int64_t{u.issues_documents}, std::int64_t{u.active}, OptDate(u.retired_on),
                    OptInt(u.successor_id), u.id, u.version}));
  if (rows.affected == 0) {
    CHY_TRY_STATUS(GetUnit(u.id));
    return MakeError(ErrorCode::kPreconditionFailed, "The unit was changed by someone else.");
  }
  const std::string day = FormatDate(effective);
  // The open period ends where the new one starts. History is append-only: a
  // change dated before the start of the open period would rewrite it.
  CHY_TRY(Row open,
          One(c_.Query("SELECT max(valid_from) FROM unit_history WHERE unit_id = $1", {u.id}),
              "Unit history"));
  if (auto from = open.OptText(0); from && day < *from) {
    return Error::Invalid("effective_date", "before_current_period",
                          "Unit " + std::to_string(u.id) + " already has a change dated " + *from +
                              "; a change cannot be dated before it.");
  }
  CHY_TRY_STATUS(
      c_.Exec("UPDATE unit_history SET valid_to = $1 WHERE unit_id = $2 AND valid_to IS NULL",
              {day, u.id}));
  CHY_TRY_STATUS(
      c_.Exec("DELETE FROM unit_history WHERE unit_id = $1 AND valid_from >= valid_to", {u.id}));
  return c_.Exec(
      "INSERT INTO unit_history(unit_id, valid_from, name, abbreviation, parent_id, active, "
      "reorganization_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {u.id, day, u.name, u.abbreviation, OptInt(u.parent_id), std::int64_t{u.active},
       OptInt(reorganization_id)});
}

Result<std::vector<Id>> Store::UnitsBelow(Id root) {
  CHY_TRY(auto rows, c_.Query("WITH RECURSIVE below(id) AS (SELECT id FROM units WHERE id = $1 "
                              "UNION SELECT u.id FROM units u JOIN below b ON u.parent_id = "
                              "b.id) SELECT id FROM below ORDER BY id",
                              {root}));
  std::vector<Id> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(r.Int(0));
  return out;
}

Result<bool> Store::IsWithin(Id unit, Id ancestor) {
  CHY_TRY(auto rows, c_.Query("WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM "
                              "units WHERE id = $1 UNION SELECT u.id, u.parent_id FROM units "
                              "u JOIN up ON u.id = up.parent_id) SELECT 1 FROM up WHERE id = $2",
                              {unit, ancestor}));
  return !rows.rows.empty();
}

Result<UnitVersion> Store::UnitAsOf(Id unit_id, Date date) {
  const std::string day = FormatDate(date);
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kUnitVersionColumns) +
                                  " FROM unit_history WHERE unit_id = $1 AND valid_from <= $2 "
                                  "AND (valid_to IS NULL OR valid_to > $2) "
                                  "ORDER BY valid_from DESC LIMIT 1",
                              {unit_id, day}),
                     "Unit on that date"));
  return UnitVersionFromRow(r);
}

Result<std::vector<UnitVersion>> Store::UnitHistory(Id unit_id) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kUnitVersionColumns) +
                                  " FROM unit_history WHERE unit_id = $1 ORDER BY valid_from",
                              {unit_id}));
  std::vector<UnitVersion> out;
  for (const auto& r : rows.rows) out.push_back(UnitVersionFromRow(r));
  return out;
}

Result<Id> Store::InsertReorganization(const Reorganization& r, std::optional<Id> actor,
                                       Timestamp at) {
  return InsertedId(c_.Query(
      "INSERT INTO reorganizations(kind, effective_date, note, sources, targets, created_by, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {r.kind, FormatDate(r.effective_date), r.note, JoinIds(r.sources), JoinIds(r.targets),
       OptInt(actor), Micros(at)}));
}

Result<std::vector<Reorganization>> Store::ReorganizationsOf(Id unit_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, kind, effective_date, note, sources, targets FROM "
                              "reorganizations ORDER BY id"));
  std::vector<Reorganization> out;
  for (const auto& row : rows.rows) {
    Reorganization r{row.Int(0),  row.Text(1),           DateOr(row, 2),
                     row.Text(3), SplitIds(row.Text(4)), SplitIds(row.Text(5))};
    auto has = [&](const std::vector<Id>& v) {
      return std::find(v.begin(), v.end(), unit_id) != v.end();
    };
    if (has(r.sources) || has(r.targets)) out.push_back(std::move(r));
  }
  return out;
}

Result<int> Store::TransferOpenWork(Id from, Id to, Id reorganization_id) {
  int moved = 0;
  auto record = [&](std::string_view type, const sql::Rows& rows) -> Status {
    for (const auto& r : rows.rows) {
      CHY_TRY_STATUS(
          c_.Exec("INSERT INTO transfers(reorganization_id, object_type, object_id, from_unit_id, "
                  "to_unit_id) VALUES ($1, $2, $3, $4, $5)",
                  {reorganization_id, std::string(type), r.Int(0), from, to}));
      ++moved;
    }
    return Ok();
  };
  CHY_TRY(auto docs,
          c_.Query("UPDATE documents SET unit_id = $1, version = version + 1 WHERE unit_id = $2 "
                   "AND state NOT IN ('issued', 'recalled', 'filed', 'archived', 'returned', "
                   "'completed') RETURNING id",
                   {to, from}));
  CHY_TRY_STATUS(record("document", docs));
  CHY_TRY(auto assignments,
          c_.Query("UPDATE assignments SET lead_unit_id = $1 WHERE lead_unit_id = $2 AND state "
                   "= 'open' RETURNING id",
                   {to, from}));
  CHY_TRY_STATUS(record("assignment", assignments));
  CHY_TRY(auto books, c_.Query("UPDATE register_books SET unit_id = $1 WHERE unit_id = $2 "
                               "RETURNING id",
                               {to, from}));
  CHY_TRY_STATUS(record("register_book", books));
  CHY_TRY(auto users, c_.Query("UPDATE users SET unit_id = $1, version = version + 1 WHERE "
                               "unit_id = $2 RETURNING id",
                               {to, from}));
  CHY_TRY_STATUS(record("user", users));
  return moved;
}

Result<std::vector<Transfer>> Store::TransfersFrom(Id unit_id) {
  CHY_TRY(auto rows, c_.Query("SELECT reorganization_id, object_type, object_id, from_unit_id, "
                              "to_unit_id FROM transfers WHERE from_unit_id = $1 ORDER BY id",
                              {unit_id}));
  std::vector<Transfer> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4)});
  }
  return out;
}

// ======================= Users =======================

namespace {

// What the people directory finds a person by: name, user name, position.
search::Entry PersonEntry(const User& u) {
  search::Entry e;
  e.kind = "person";
  e.ref_id = u.id;
  e.title = u.full_name;
  e.context = u.username + " " + u.position;
  return e;
}

}  // namespace

Status IndexAllPeople(sql::Connection& c) {
  CHY_TRY(auto rows, c.Query("SELECT " + std::string(kUserColumns) + " FROM users ORDER BY id"));
  search::Index index(c);
  for (const auto& r : rows.rows) CHY_TRY_STATUS(index.Put(PersonEntry(UserFromRow(r).user)));
  return Ok();
}

Result<Id> Store::InsertUser(const User& u, const std::string& password_hash, Timestamp now) {
  CHY_TRY(
      Id id,
      InsertedId(c_.Query(
          "INSERT INTO users(username, full_name, unit_id, position, roles, clearance, "
          "password_hash, active, created_at, name_fold) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
          "$9, $10) RETURNING id",
          {u.username, u.full_name, u.unit_id, u.position, std::int64_t{u.roles},
           static_cast<std::int64_t>(u.clearance), password_hash, std::int64_t{u.active},
           Micros(now), text::FoldVietnamese(u.full_name)})));
  User stored = u;
  stored.id = id;
  CHY_TRY_STATUS(search::Index(c_).Put(PersonEntry(stored)));
  return id;
}

Result<StoredUser> Store::GetUser(Id id) {
  CHY_TRY(Row r,
          One(c_.Query("SELECT " + std::string(kUserColumns) + " FROM users WHERE id = $1", {id}),
              "User"));
  return UserFromRow(r);
}

Result<StoredUser> Store::GetUserByName(const std::string& username) {
  CHY_TRY(Row r,
          One(c_.Query("SELECT " + std::string(kUserColumns) + " FROM users WHERE username = $1",
                       {username}),
              "User"));
  return UserFromRow(r);
}

Result<std::vector<User>> Store::ListUsers(std::optional<Id> after_id, int limit) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kUserColumns) +
                                  " FROM users WHERE id > $1 ORDER BY id LIMIT $2",
                              {after_id.value_or(0), std::int64_t{limit}}));
  std::vector<User> out;
  for (const auto& r : rows.rows) out.push_back(UserFromRow(r).user);
  return out;
}

Status Store::UpdateUser(const User& u) {
  CHY_TRY(auto rows,
          c_.Query("UPDATE users SET full_name = $1, unit_id = $2, position = $3, roles = $4, "
                   "clearance = $5, active = $6, name_fold = $9, version = version + 1 "
                   "WHERE id = $7 AND version = $8",
                   {u.full_name, u.unit_id, u.position, std::int64_t{u.roles},
                    static_cast<std::int64_t>(u.clearance), std::int64_t{u.active}, u.id, u.version,
                    text::FoldVietnamese(u.full_name)}));
  if (rows.affected == 0) {
    CHY_TRY_STATUS(GetUser(u.id));
    return MakeError(ErrorCode::kPreconditionFailed, "The user was changed by someone else.");
  }
  return search::Index(c_).Put(PersonEntry(u));
}

Status Store::SetPassword(Id user_id, const std::string& password_hash) {
  return c_.Exec("UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2",
                 {password_hash, user_id});
}

Status Store::SetLanguage(Id user_id, const std::string& language) {
  // A preference, not a change of the account: the version (ETag) stays.
  return c_.Exec("UPDATE users SET language = $1 WHERE id = $2", {language, user_id});
}

Result<std::vector<User>> Store::FindPeople(const PeopleQuery& q) {
  std::vector<Value> params;
  std::string sql = "SELECT " + std::string(kUserColumns) + " FROM users WHERE active = 1";
  if (!q.ids.empty()) AppendIn(sql, params, "id", q.ids);
  if (q.unit_id) sql += " AND unit_id = " + Bind(params, *q.unit_id);
  if (!q.text.empty()) {
    sql += " AND " + search::Index::Matching(c_.dialect(), "person", q.text, "id", params);
  }
  sql += " ORDER BY full_name, id LIMIT " + Bind(params, std::int64_t{std::clamp(q.limit, 1, 200)});
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<User> out;
  for (const auto& r : rows.rows) out.push_back(UserFromRow(r).user);
  return out;
}

Status Store::SetLoginFailures(Id user_id, int failed, Timestamp locked_until) {
  return c_.Exec("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3",
                 {std::int64_t{failed}, Micros(locked_until), user_id});
}

Status Store::InsertSession(const Session& s, Timestamp now) {
  return c_.Exec(
      "INSERT INTO sessions(token_hash, user_id, kind, csrf_token, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {s.token_hash, s.user_id, s.kind, s.csrf_token, Micros(now), Micros(s.expires_at)});
}

Result<Session> Store::GetSession(const std::string& token_hash) {
  CHY_TRY(Row r, One(c_.Query("SELECT token_hash, user_id, kind, csrf_token, expires_at FROM "
                              "sessions WHERE token_hash = $1",
                              {token_hash}),
                     "Session"));
  return Session{r.Text(0), r.Int(1), r.Text(2), r.Text(3), FromMicros(r.Int(4))};
}

Status Store::DeleteSession(const std::string& token_hash) {
  return c_.Exec("DELETE FROM sessions WHERE token_hash = $1", {token_hash});
}

Status Store::DeleteSessionsOf(Id user_id, const std::string& except_token_hash) {
  return c_.Exec("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                 {user_id, except_token_hash});
}

Result<std::pair<int, Timestamp>> Store::CountLoginFailure(const std::string& key, Timestamp now,
                                                           int free_tries,
                                                           std::chrono::seconds first_delay,
                                                           std::chrono::seconds max_delay) {
  // Counts end an hour after their last failure (or delay): guessing
  // names cannot grow the table without bound.
  CHY_TRY_STATUS(c_.Exec("DELETE FROM login_throttle WHERE next_allowed_at < $1",
                         {Micros(now - std::chrono::hours(1))}));
  CHY_TRY(auto rows,
          c_.Query("INSERT INTO login_throttle(key, failures, next_allowed_at) VALUES ($1, 1, 0) "
                   "ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1 "
                   "RETURNING failures",
                   {key}));
  const int failures = static_cast<int>(rows.rows.at(0).Int(0));
  Timestamp next = now;
  if (failures >= free_tries) {
    // Doubling from first_delay at the last free try, up to max_delay.
    const int doublings = std::min(failures - free_tries, 20);
    auto delay =
        std::min<std::chrono::seconds>(first_delay * (std::int64_t{1} << doublings), max_delay);
    next = now + std::chrono::duration_cast<std::chrono::microseconds>(delay);
  }
  CHY_TRY_STATUS(c_.Exec("UPDATE login_throttle SET next_allowed_at = $1 WHERE key = $2",
                         {Micros(next), key}));
  return std::pair{failures, next};
}

Result<Timestamp> Store::LoginAllowedAt(const std::string& key) {
  CHY_TRY(auto rows, c_.Query("SELECT next_allowed_at FROM login_throttle WHERE key = $1", {key}));
  if (rows.rows.empty()) return Timestamp{};
  return FromMicros(rows.rows[0].Int(0));
}

Status Store::ClearLoginFailures(const std::string& key) {
  return c_.Exec("DELETE FROM login_throttle WHERE key = $1", {key});
}

Status Store::PutUpload(Id user_id, const std::string& sha256, Timestamp now,
                        Timestamp expires_at) {
  return c_.Exec(
      "INSERT INTO uploads(user_id, sha256, created_at, expires_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (user_id, sha256) DO UPDATE SET created_at = $3, expires_at = $4",
      {user_id, sha256, Micros(now), Micros(expires_at)});
}

Result<bool> Store::HasUpload(Id user_id, const std::string& sha256, Timestamp now) {
  CHY_TRY(auto rows,
          c_.Query("SELECT 1 FROM uploads WHERE user_id = $1 AND sha256 = $2 AND expires_at > $3",
                   {user_id, sha256, Micros(now)}));
  return !rows.rows.empty();
}

Status Store::ConsumeUpload(Id user_id, const std::string& sha256) {
  return c_.Exec("DELETE FROM uploads WHERE user_id = $1 AND sha256 = $2", {user_id, sha256});
}

namespace {
constexpr std::string_view kApprovalColumns =
    "id, kind, object_id, payload, proposed_by, proposed_at, state, decided_by, decided_at, reason";
Approval ApprovalFromRow(const Row& r) {
  Approval a;
  a.id = r.Int(0);
  a.kind = r.Text(1);
  a.object_id = r.Int(2);
  a.payload = r.Text(3);
  a.proposed_by = r.Int(4);
  a.proposed_at = FromMicros(r.Int(5));
  a.state = r.Text(6);
  a.decided_by = r.OptInt(7);
  if (auto t = r.OptInt(8)) a.decided_at = FromMicros(*t);
  a.reason = r.Text(9);
  return a;
}
}  // namespace

Result<Id> Store::InsertApproval(const Approval& a) {
  return InsertedId(
      c_.Query("INSERT INTO approvals(kind, object_id, payload, proposed_by, proposed_at, state) "
               "VALUES ($1, $2, $3, $4, $5, 'pending') RETURNING id",
               {a.kind, a.object_id, a.payload, a.proposed_by, Micros(a.proposed_at)}));
}

Result<Approval> Store::GetApproval(Id id) {
  CHY_TRY(Row r,
          One(c_.Query("SELECT " + std::string(kApprovalColumns) + " FROM approvals WHERE id = $1",
                       {id}),
              "Approval request"));
  return ApprovalFromRow(r);
}

Result<std::vector<Approval>> Store::ListApprovals(const std::string& state, int limit) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kApprovalColumns) +
                                  " FROM approvals WHERE state = $1 ORDER BY id DESC LIMIT $2",
                              {state, std::int64_t{limit}}));
  std::vector<Approval> out;
  for (const auto& r : rows.rows) out.push_back(ApprovalFromRow(r));
  return out;
}

Result<bool> Store::DecideApproval(Id id, const std::string& state, Id by, Timestamp at,
                                   const std::string& reason) {
  // Only a pending request is decided, once: two deciders racing, one wins.
  CHY_TRY(auto rows,
          c_.Query("UPDATE approvals SET state = $1, decided_by = $2, decided_at = $3, reason = $4 "
                   "WHERE id = $5 AND state = 'pending' RETURNING id",
                   {state, by, Micros(at), reason, id}));
  return !rows.rows.empty();
}

}  // namespace chancery::org
