#include "store/store.h"

#include <algorithm>
#include <sstream>

#include "lib/merkle/merkle.h"
#include "lib/text/fold.h"

namespace chancery::store {

namespace {

using sql::Row;
using sql::Value;

// The schema text, compiled in (see schema.sql; CMake turns it into a header).
#include "store/schema_sql.inc"

// 2: users.language and users.name_fold (the web UI's preference and people search).
constexpr int kSchemaVersion = 5;

std::int64_t Micros(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp FromMicros(std::int64_t v) { return Timestamp{std::chrono::microseconds{v}}; }

Value OptInt(std::optional<std::int64_t> v) { return v ? Value{*v} : Value{nullptr}; }
Value OptDate(std::optional<Date> d) { return d ? Value{FormatDate(*d)} : Value{nullptr}; }
std::optional<Date> DateOf(const Row& r, std::size_t i) {
  auto s = r.OptText(i);
  Date d;
  if (!s || !ParseDate(*s, &d)) return std::nullopt;
  return d;
}
Date DateOr(const Row& r, std::size_t i) { return DateOf(r, i).value_or(Date{}); }

std::string JoinIds(const std::vector<Id>& ids) {
  std::string out;
  for (Id id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}
std::vector<Id> SplitIds(const std::string& s) {
  std::vector<Id> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (!part.empty()) out.push_back(std::stoll(part));
  }
  return out;
}

Error NotFound(std::string_view what) {
  return MakeError(ErrorCode::kNotFound, std::string(what) + " not found.");
}

// Returns the first row or kNotFound.
Result<Row> One(Result<sql::Rows> rows, std::string_view what) {
  if (!rows.ok()) return std::move(rows).error();
  if (rows->rows.empty()) return NotFound(what);
  return std::move(rows->rows.front());
}

Result<Id> InsertedId(Result<sql::Rows> rows) {
  if (!rows.ok()) return std::move(rows).error();
  if (rows->rows.empty()) return MakeError(ErrorCode::kInternal, "INSERT returned no id.");
  return rows->rows.front().Int(0);
}

// Appends " AND col IN ($n, $n+1, ...)" with the values bound.
template <typename T>
void AppendIn(std::string& sql, std::vector<Value>& params, std::string_view column,
              const std::vector<T>& values) {
  sql += " AND ";
  sql += column;
  sql += " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    params.emplace_back(values[i]);
    if (i) sql += ',';
    sql += '$' + std::to_string(params.size());
  }
  sql += ')';
}

// `text` matched literally inside a LIKE pattern with ESCAPE '\'.
std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

std::string Bind(std::vector<Value>& params, Value v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

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
  return UnitVersion{r.Int(0), DateOr(r, 1), DateOf(r, 2), r.Text(3), r.Text(4), r.OptInt(5),
                     r.Int(6) != 0};
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

// ---- Documents ----
constexpr std::string_view kDocumentColumns =
    "id, direction, state, unit_id, created_by, type_code, subject, urgency, classification, "
    "legal_normative, number, number_year, series, number_symbol, issued_date, book_id, "
    "issuer_name, original_number_symbol, original_date, arrival_number, arrival_date, "
    "source_document_id, signer_name, signer_position, page_count, copies, deadline, "
    "reply_to_id, replaces_id, corrects_id, record_id, return_reason, notes, created_at, updated_at, "
    "version";

Document DocumentFromRow(const Row& r) {
  Document d;
  d.id = r.Int(0);
  d.direction = r.Text(1) == "incoming" ? Direction::kIncoming : Direction::kOutgoing;
  d.state = r.Text(2);
  d.unit_id = r.Int(3);
  d.created_by = r.OptInt(4);
  d.type_code = r.Text(5);
  d.subject = r.Text(6);
  d.urgency = static_cast<Urgency>(std::clamp<std::int64_t>(r.Int(7), 0, 3));
  d.classification = static_cast<Classification>(std::clamp<std::int64_t>(r.Int(8), 0, 3));
  d.legal_normative = r.Int(9) != 0;
  d.number = r.OptInt(10);
  if (auto y = r.OptInt(11)) d.number_year = static_cast<int>(*y);
  d.series = r.Text(12);
  d.number_symbol = r.Text(13);
  d.issued_date = DateOf(r, 14);
  d.book_id = r.OptInt(15);
  d.issuer_name = r.Text(16);
  d.original_number_symbol = r.Text(17);
  d.original_date = DateOf(r, 18);
  d.arrival_number = r.OptInt(19);
  d.arrival_date = DateOf(r, 20);
  d.source_document_id = r.OptInt(21);
  d.signer_name = r.Text(22);
  d.signer_position = r.Text(23);
  if (auto v = r.OptInt(24)) d.page_count = static_cast<int>(*v);
  if (auto v = r.OptInt(25)) d.copies = static_cast<int>(*v);
  d.deadline = DateOf(r, 26);
  d.reply_to_id = r.OptInt(27);
  d.replaces_id = r.OptInt(28);
  d.corrects_id = r.OptInt(29);
  d.record_id = r.OptInt(30);
  d.return_reason = r.Text(31);
  d.notes = r.Text(32);
  d.created_at = FromMicros(r.Int(33));
  d.updated_at = FromMicros(r.Int(34));
  d.version = r.Int(35);
  return d;
}

// Values of every column but id, in kDocumentColumns order, for INSERT/UPDATE.
std::vector<Value> DocumentValues(const Document& d) {
  auto opt_int = [](std::optional<int> v) {
    return v ? Value{static_cast<std::int64_t>(*v)} : Value{nullptr};
  };
  return {std::string(DirectionName(d.direction)),
          d.state,
          d.unit_id,
          OptInt(d.created_by),
          d.type_code,
          d.subject,
          static_cast<std::int64_t>(d.urgency),
          static_cast<std::int64_t>(d.classification),
          std::int64_t{d.legal_normative},
          OptInt(d.number),
          opt_int(d.number_year),
          d.series,
          d.number_symbol,
          OptDate(d.issued_date),
          OptInt(d.book_id),
          d.issuer_name,
          d.original_number_symbol,
          OptDate(d.original_date),
          OptInt(d.arrival_number),
          OptDate(d.arrival_date),
          OptInt(d.source_document_id),
          d.signer_name,
          d.signer_position,
          opt_int(d.page_count),
          opt_int(d.copies),
          OptDate(d.deadline),
          OptInt(d.reply_to_id),
          OptInt(d.replaces_id),
          OptInt(d.corrects_id),
          OptInt(d.record_id),
          d.return_reason,
          d.notes,
          Micros(d.created_at),
          Micros(d.updated_at)};
}

std::string DocumentColumnNamesWithoutId() {
  return std::string(kDocumentColumns.substr(4, kDocumentColumns.rfind(", version") - 4));
}

// Searchable text of a document: subject and numbers, diacritics folded.
std::string SearchText(const Document& d) {
  return FoldVietnamese(d.subject + " " + d.number_symbol + " " + d.original_number_symbol +
                        " " + d.issuer_name);
}

constexpr std::string_view kAssignmentColumns =
    "id, document_id, parent_id, lead_unit_id, lead_user_id, supporting_units, deadline, "
    "directive, state, assigned_by, created_at, completed_at";

Assignment AssignmentFromRow(const Row& r) {
  Assignment a;
  a.id = r.Int(0);
  a.document_id = r.Int(1);
  a.parent_id = r.OptInt(2);
  a.lead_unit_id = r.OptInt(3);
  a.lead_user_id = r.OptInt(4);
  a.supporting_unit_ids = SplitIds(r.Text(5));
  a.deadline = DateOf(r, 6);
  a.directive = r.Text(7);
  a.state = r.Text(8);
  a.assigned_by = r.Int(9);
  a.created_at = FromMicros(r.Int(10));
  if (auto c = r.OptInt(11)) a.completed_at = FromMicros(*c);
  return a;
}

constexpr std::string_view kAuditColumns =
    "seq, at, actor_id, action, object_type, object_id, record, leaf_hash, root_after";

AuditEntry AuditFromRow(const Row& r) {
  AuditEntry e;
  e.seq = r.Int(0);
  e.at = FromMicros(r.Int(1));
  e.actor_id = r.OptInt(2);
  e.action = r.Text(3);
  e.object_type = r.Text(4);
  e.object_id = r.OptInt(5);
  e.record = r.Text(6);
  e.leaf_hash = r.Text(7);
  e.root_after = r.Text(8);
  return e;
}

}  // namespace

// ======================= Store =======================

Status Store::Migrate() {
  std::string schema(kSchemaSql);
  const bool pg = db_.dialect() == sql::Dialect::kPostgres;
  auto replace_all = [&](std::string_view from, std::string_view to) {
    for (std::size_t pos = 0; (pos = schema.find(from, pos)) != std::string::npos;) {
      schema.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  replace_all("{{ID}}", pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                           : "INTEGER PRIMARY KEY");
  replace_all("{{BLOB}}", pg ? "BYTEA" : "BLOB");
  return db_.Transact(sql::Database::Mode::kWrite, [&](sql::Connection& c) -> Status {
    if (pg) {
      // Two servers starting together must not both create the tables.
      CHY_TRY_STATUS(c.Exec("SELECT pg_advisory_xact_lock(7215001)"));
    }
    CHY_TRY_STATUS(c.ExecScript(schema));
    CHY_TRY_STATUS(c.Exec(
        "INSERT INTO meta(key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING",
        {std::to_string(kSchemaVersion)}));
    // A database made by an older build: bring it up to this version.
    CHY_TRY(auto version, c.Query("SELECT value FROM meta WHERE key = 'schema_version'"));
    if (!version.rows.empty() && version.rows[0].Text(0) == "1") {
      auto add_column = [&](std::string_view column, std::string_view decl) -> Status {
        if (pg) {
          return c.Exec("ALTER TABLE users ADD COLUMN IF NOT EXISTS " + std::string(column) + " " +
                        std::string(decl));
        }
        CHY_TRY(auto has, c.Query("SELECT COUNT(*) FROM pragma_table_info('users') WHERE name = $1",
                                  {std::string(column)}));
        if (has.rows[0].Int(0) > 0) return Ok();
        return c.Exec("ALTER TABLE users ADD COLUMN " + std::string(column) + " " +
                      std::string(decl));
      };
      CHY_TRY_STATUS(add_column("language", "TEXT NOT NULL DEFAULT 'vi'"));
      CHY_TRY_STATUS(add_column("name_fold", "TEXT NOT NULL DEFAULT ''"));
      CHY_TRY(auto users, c.Query("SELECT id, full_name FROM users"));
      for (const auto& u : users.rows) {
        CHY_TRY_STATUS(c.Exec("UPDATE users SET name_fold = $1 WHERE id = $2",
                              {FoldVietnamese(u.Text(1)), u.Int(0)}));
      }
      CHY_TRY_STATUS(c.Exec("UPDATE meta SET value = '2' WHERE key = 'schema_version'"));
    }
    // Versions 3 (signatures), 4 (exchange) and 5 (uploads, approvals,
    // login throttle) only added tables, which the script above made.
    CHY_TRY_STATUS(c.Exec(
        "UPDATE meta SET value = $1 WHERE key = 'schema_version' AND value IN ('2', '3', '4')",
        {std::to_string(kSchemaVersion)}));
    CHY_TRY_STATUS(c.Exec(
        "INSERT INTO audit_state(id, size, frontier) VALUES (1, 0, '0') ON CONFLICT (id) DO "
        "NOTHING"));
    return Ok();
  });
}

Status Store::Write(const std::function<Status(Tx&)>& body) {
  return db_.Transact(sql::Database::Mode::kWrite, [&](sql::Connection& c) {
    Tx tx(c);
    return body(tx);
  });
}

Status Store::Read(const std::function<Status(Tx&)>& body) {
  return db_.Transact(sql::Database::Mode::kRead, [&](sql::Connection& c) {
    Tx tx(c);
    return body(tx);
  });
}

// ======================= Units =======================

Result<Id> Tx::InsertUnit(const Unit& u, Date effective) {
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

Result<Unit> Tx::GetUnit(Id id) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kUnitColumns) +
                                  " FROM units WHERE id = $1",
                              {id}),
                     "Unit"));
  return UnitFromRow(r);
}

Result<std::vector<Unit>> Tx::ListUnits() {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kUnitColumns) + " FROM units ORDER BY id"));
  std::vector<Unit> out;
  for (const auto& r : rows.rows) out.push_back(UnitFromRow(r));
  return out;
}

Status Tx::UpdateUnit(const Unit& u, Date effective, std::optional<Id> reorganization_id) {
  CHY_TRY(auto rows,
          c_.Query("UPDATE units SET name = $1, abbreviation = $2, agency_code = $3, "
                   "parent_id = $4, issues_documents = $5, active = $6, retired_on = $7, "
                   "successor_id = $8, version = version + 1 WHERE id = $9 AND version = $10",
                   {u.name, u.abbreviation, u.agency_code, OptInt(u.parent_id),
                    std::int64_t{u.issues_documents}, std::int64_t{u.active},
                    OptDate(u.retired_on), OptInt(u.successor_id), u.id, u.version}));
  if (rows.affected == 0) {
    CHY_TRY_STATUS(GetUnit(u.id));
    return MakeError(ErrorCode::kPreconditionFailed, "The unit was changed by someone else.");
  }
  const std::string day = FormatDate(effective);
  // The open period ends where the new one starts. History is append-only: a
  // change dated before the start of the open period would rewrite it.
  CHY_TRY(Row open, One(c_.Query("SELECT max(valid_from) FROM unit_history WHERE unit_id = $1",
                                 {u.id}),
                        "Unit history"));
  if (auto from = open.OptText(0); from && day < *from) {
    return Error::Invalid("effective_date", "before_current_period",
                          "Unit " + std::to_string(u.id) + " already has a change dated " + *from +
                              "; a change cannot be dated before it.");
  }
  CHY_TRY_STATUS(c_.Exec(
      "UPDATE unit_history SET valid_to = $1 WHERE unit_id = $2 AND valid_to IS NULL",
      {day, u.id}));
  CHY_TRY_STATUS(c_.Exec(
      "DELETE FROM unit_history WHERE unit_id = $1 AND valid_from >= valid_to", {u.id}));
  return c_.Exec(
      "INSERT INTO unit_history(unit_id, valid_from, name, abbreviation, parent_id, active, "
      "reorganization_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {u.id, day, u.name, u.abbreviation, OptInt(u.parent_id), std::int64_t{u.active},
       OptInt(reorganization_id)});
}

Result<std::vector<Id>> Tx::UnitsBelow(Id root) {
  CHY_TRY(auto rows, c_.Query("WITH RECURSIVE below(id) AS (SELECT id FROM units WHERE id = $1 "
                              "UNION SELECT u.id FROM units u JOIN below b ON u.parent_id = "
                              "b.id) SELECT id FROM below ORDER BY id",
                              {root}));
  std::vector<Id> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(r.Int(0));
  return out;
}

Result<bool> Tx::IsWithin(Id unit, Id ancestor) {
  CHY_TRY(auto rows, c_.Query("WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM "
                              "units WHERE id = $1 UNION SELECT u.id, u.parent_id FROM units "
                              "u JOIN up ON u.id = up.parent_id) SELECT 1 FROM up WHERE id = $2",
                              {unit, ancestor}));
  return !rows.rows.empty();
}

Result<UnitVersion> Tx::UnitAsOf(Id unit_id, Date date) {
  const std::string day = FormatDate(date);
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kUnitVersionColumns) +
                                  " FROM unit_history WHERE unit_id = $1 AND valid_from <= $2 "
                                  "AND (valid_to IS NULL OR valid_to > $2) "
                                  "ORDER BY valid_from DESC LIMIT 1",
                              {unit_id, day}),
                     "Unit on that date"));
  return UnitVersionFromRow(r);
}

Result<std::vector<UnitVersion>> Tx::UnitHistory(Id unit_id) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kUnitVersionColumns) +
                                  " FROM unit_history WHERE unit_id = $1 ORDER BY valid_from",
                              {unit_id}));
  std::vector<UnitVersion> out;
  for (const auto& r : rows.rows) out.push_back(UnitVersionFromRow(r));
  return out;
}

Result<Id> Tx::InsertReorganization(const Reorganization& r, std::optional<Id> actor,
                                    Timestamp at) {
  return InsertedId(c_.Query(
      "INSERT INTO reorganizations(kind, effective_date, note, sources, targets, created_by, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {r.kind, FormatDate(r.effective_date), r.note, JoinIds(r.sources), JoinIds(r.targets),
       OptInt(actor), Micros(at)}));
}

Result<std::vector<Reorganization>> Tx::ReorganizationsOf(Id unit_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, kind, effective_date, note, sources, targets FROM "
                              "reorganizations ORDER BY id"));
  std::vector<Reorganization> out;
  for (const auto& row : rows.rows) {
    Reorganization r{row.Int(0), row.Text(1), DateOr(row, 2), row.Text(3),
                     SplitIds(row.Text(4)), SplitIds(row.Text(5))};
    auto has = [&](const std::vector<Id>& v) {
      return std::find(v.begin(), v.end(), unit_id) != v.end();
    };
    if (has(r.sources) || has(r.targets)) out.push_back(std::move(r));
  }
  return out;
}

Result<int> Tx::TransferOpenWork(Id from, Id to, Id reorganization_id) {
  int moved = 0;
  auto record = [&](std::string_view type, const sql::Rows& rows) -> Status {
    for (const auto& r : rows.rows) {
      CHY_TRY_STATUS(c_.Exec(
          "INSERT INTO transfers(reorganization_id, object_type, object_id, from_unit_id, "
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

Result<std::vector<Transfer>> Tx::TransfersFrom(Id unit_id) {
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

Result<Id> Tx::InsertUser(const User& u, const std::string& password_hash, Timestamp now) {
  return InsertedId(c_.Query(
      "INSERT INTO users(username, full_name, unit_id, position, roles, clearance, "
      "password_hash, active, created_at, name_fold) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "$9, $10) RETURNING id",
      {u.username, u.full_name, u.unit_id, u.position, std::int64_t{u.roles},
       static_cast<std::int64_t>(u.clearance), password_hash, std::int64_t{u.active},
       Micros(now), FoldVietnamese(u.full_name)}));
}

Result<StoredUser> Tx::GetUser(Id id) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kUserColumns) +
                                  " FROM users WHERE id = $1",
                              {id}),
                     "User"));
  return UserFromRow(r);
}

Result<StoredUser> Tx::GetUserByName(const std::string& username) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kUserColumns) +
                                  " FROM users WHERE username = $1",
                              {username}),
                     "User"));
  return UserFromRow(r);
}

Result<std::vector<User>> Tx::ListUsers(std::optional<Id> after_id, int limit) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kUserColumns) +
                                  " FROM users WHERE id > $1 ORDER BY id LIMIT $2",
                              {after_id.value_or(0), std::int64_t{limit}}));
  std::vector<User> out;
  for (const auto& r : rows.rows) out.push_back(UserFromRow(r).user);
  return out;
}

Status Tx::UpdateUser(const User& u) {
  CHY_TRY(auto rows,
          c_.Query("UPDATE users SET full_name = $1, unit_id = $2, position = $3, roles = $4, "
                   "clearance = $5, active = $6, name_fold = $9, version = version + 1 "
                   "WHERE id = $7 AND version = $8",
                   {u.full_name, u.unit_id, u.position, std::int64_t{u.roles},
                    static_cast<std::int64_t>(u.clearance), std::int64_t{u.active}, u.id,
                    u.version, FoldVietnamese(u.full_name)}));
  if (rows.affected == 0) {
    CHY_TRY_STATUS(GetUser(u.id));
    return MakeError(ErrorCode::kPreconditionFailed, "The user was changed by someone else.");
  }
  return Ok();
}

Status Tx::SetPassword(Id user_id, const std::string& password_hash) {
  return c_.Exec("UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2",
                 {password_hash, user_id});
}

Status Tx::SetLanguage(Id user_id, const std::string& language) {
  // A preference, not a change of the account: the version (ETag) stays.
  return c_.Exec("UPDATE users SET language = $1 WHERE id = $2", {language, user_id});
}

Result<std::vector<User>> Tx::FindPeople(const PeopleQuery& q) {
  std::vector<Value> params;
  std::string sql = "SELECT " + std::string(kUserColumns) + " FROM users WHERE active = 1";
  if (!q.ids.empty()) AppendIn(sql, params, "id", q.ids);
  if (q.unit_id) sql += " AND unit_id = " + Bind(params, *q.unit_id);
  if (!q.text.empty()) {
    const std::string pattern = "%" + EscapeLike(FoldVietnamese(q.text)) + "%";
    sql += " AND (name_fold LIKE " + Bind(params, pattern) + " ESCAPE '\\' OR username LIKE " +
           Bind(params, pattern) + " ESCAPE '\\')";
  }
  sql += " ORDER BY full_name, id LIMIT " + Bind(params, std::int64_t{std::clamp(q.limit, 1, 200)});
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<User> out;
  for (const auto& r : rows.rows) out.push_back(UserFromRow(r).user);
  return out;
}

Status Tx::SetLoginFailures(Id user_id, int failed, Timestamp locked_until) {
  return c_.Exec("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3",
                 {std::int64_t{failed}, Micros(locked_until), user_id});
}

Status Tx::InsertSession(const Session& s, Timestamp now) {
  return c_.Exec(
      "INSERT INTO sessions(token_hash, user_id, kind, csrf_token, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {s.token_hash, s.user_id, s.kind, s.csrf_token, Micros(now), Micros(s.expires_at)});
}

Result<Session> Tx::GetSession(const std::string& token_hash) {
  CHY_TRY(Row r, One(c_.Query("SELECT token_hash, user_id, kind, csrf_token, expires_at FROM "
                              "sessions WHERE token_hash = $1",
                              {token_hash}),
                     "Session"));
  return Session{r.Text(0), r.Int(1), r.Text(2), r.Text(3), FromMicros(r.Int(4))};
}

Status Tx::DeleteSession(const std::string& token_hash) {
  return c_.Exec("DELETE FROM sessions WHERE token_hash = $1", {token_hash});
}

Status Tx::DeleteSessionsOf(Id user_id, const std::string& except_token_hash) {
  return c_.Exec("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                 {user_id, except_token_hash});
}

Result<std::pair<int, Timestamp>> Tx::CountLoginFailure(const std::string& key, Timestamp now,
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

Result<Timestamp> Tx::LoginAllowedAt(const std::string& key) {
  CHY_TRY(auto rows, c_.Query("SELECT next_allowed_at FROM login_throttle WHERE key = $1", {key}));
  if (rows.rows.empty()) return Timestamp{};
  return FromMicros(rows.rows[0].Int(0));
}

Status Tx::ClearLoginFailures(const std::string& key) {
  return c_.Exec("DELETE FROM login_throttle WHERE key = $1", {key});
}

Status Tx::PutUpload(Id user_id, const std::string& sha256, Timestamp now, Timestamp expires_at) {
  return c_.Exec(
      "INSERT INTO uploads(user_id, sha256, created_at, expires_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (user_id, sha256) DO UPDATE SET created_at = $3, expires_at = $4",
      {user_id, sha256, Micros(now), Micros(expires_at)});
}

Result<bool> Tx::HasUpload(Id user_id, const std::string& sha256, Timestamp now) {
  CHY_TRY(auto rows,
          c_.Query("SELECT 1 FROM uploads WHERE user_id = $1 AND sha256 = $2 AND expires_at > $3",
                   {user_id, sha256, Micros(now)}));
  return !rows.rows.empty();
}

Status Tx::ConsumeUpload(Id user_id, const std::string& sha256) {
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

Result<Id> Tx::InsertApproval(const Approval& a) {
  return InsertedId(
      c_.Query("INSERT INTO approvals(kind, object_id, payload, proposed_by, proposed_at, state) "
               "VALUES ($1, $2, $3, $4, $5, 'pending') RETURNING id",
               {a.kind, a.object_id, a.payload, a.proposed_by, Micros(a.proposed_at)}));
}

Result<Approval> Tx::GetApproval(Id id) {
  CHY_TRY(Row r,
          One(c_.Query("SELECT " + std::string(kApprovalColumns) + " FROM approvals WHERE id = $1",
                       {id}),
              "Approval request"));
  return ApprovalFromRow(r);
}

Result<std::vector<Approval>> Tx::ListApprovals(const std::string& state, int limit) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kApprovalColumns) +
                                  " FROM approvals WHERE state = $1 ORDER BY id DESC LIMIT $2",
                              {state, std::int64_t{limit}}));
  std::vector<Approval> out;
  for (const auto& r : rows.rows) out.push_back(ApprovalFromRow(r));
  return out;
}

Result<bool> Tx::DecideApproval(Id id, const std::string& state, Id by, Timestamp at,
                                const std::string& reason) {
  // Only a pending request is decided, once: two deciders racing, one wins.
  CHY_TRY(auto rows,
          c_.Query("UPDATE approvals SET state = $1, decided_by = $2, decided_at = $3, reason = $4 "
                   "WHERE id = $5 AND state = 'pending' RETURNING id",
                   {state, by, Micros(at), reason, id}));
  return !rows.rows.empty();
}

// ======================= Documents =======================

Result<Id> Tx::InsertDocument(const Document& d) {
  std::vector<Value> params = DocumentValues(d);
  params.emplace_back(SearchText(d));
  std::string placeholders;
  for (std::size_t i = 1; i <= params.size(); ++i) {
    if (i > 1) placeholders += ", ";
    placeholders += '$' + std::to_string(i);
  }
  return InsertedId(c_.Query("INSERT INTO documents(" + DocumentColumnNamesWithoutId() +
                                 ", subject_fold) VALUES (" + placeholders + ") RETURNING id",
                             params));
}

Result<Document> Tx::GetDocument(Id id) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kDocumentColumns) +
                                  " FROM documents WHERE id = $1",
                              {id}),
                     "Document"));
  Document d = DocumentFromRow(r);
  CHY_TRY(auto recipients, ListRecipients(id));
  for (const auto& rc : recipients) d.recipient_unit_ids.push_back(rc.unit_id);
  CHY_TRY(d.recipient_agency_codes, ListExternalRecipients(id));
  return d;
}

Status Tx::UpdateDocument(const Document& d) {
  std::vector<Value> params = DocumentValues(d);
  std::string sets;
  std::size_t i = 0;
  std::string names = DocumentColumnNamesWithoutId();
  std::stringstream in(names);
  std::string name;
  while (std::getline(in, name, ',')) {
    name.erase(0, name.find_first_not_of(' '));
    if (!sets.empty()) sets += ", ";
    sets += name + " = $" + std::to_string(++i);
  }
  params.emplace_back(SearchText(d));
  sets += ", subject_fold = $" + std::to_string(++i);
  params.emplace_back(d.id);
  params.emplace_back(d.version);
  CHY_TRY(auto rows, c_.Query("UPDATE documents SET " + sets + ", version = version + 1 WHERE id "
                                  "= $" + std::to_string(i + 1) + " AND version = $" +
                                  std::to_string(i + 2),
                              params));
  if (rows.affected == 0) {
    CHY_TRY_STATUS(GetDocument(d.id));
    return MakeError(ErrorCode::kPreconditionFailed,
                     "The document was changed by someone else; reload it and try again.");
  }
  return Ok();
}

Result<std::vector<Document>> Tx::ListDocuments(const DocumentQuery& q) {
  std::vector<Value> params;
  std::string cols;
  {
    // Qualify every column with the table alias (joins below share names).
    std::stringstream in{std::string(kDocumentColumns)};
    std::string name;
    while (std::getline(in, name, ',')) {
      name.erase(0, name.find_first_not_of(' '));
      if (!cols.empty()) cols += ", ";
      cols += "d." + name;
    }
  }
  std::string sql = "SELECT " + cols + " FROM documents d WHERE d.classification <= " +
                    Bind(params, static_cast<std::int64_t>(q.max_classification));
  if (q.direction) {
    sql += " AND d.direction = " + Bind(params, std::string(DirectionName(*q.direction)));
  }
  if (!q.unit_ids.empty()) AppendIn(sql, params, "d.unit_id", q.unit_ids);
  if (!q.states.empty()) AppendIn(sql, params, "d.state", q.states);
  if (q.book_id) sql += " AND d.book_id = " + Bind(params, *q.book_id);
  if (q.reply_to_id) sql += " AND d.reply_to_id = " + Bind(params, *q.reply_to_id);
  if (q.assigned_user_id || q.assigned_unit_id) {
    // Driven from the assignments index (a person has thousands of open
    // assignments at most), not by probing every document: at 1 M documents
    // an EXISTS here made the deadline-ordered inbox scan the whole table.
    sql += " AND d.id IN (SELECT a.document_id FROM assignments a WHERE a.state = 'open'";
    if (q.assigned_user_id) sql += " AND a.lead_user_id = " + Bind(params, *q.assigned_user_id);
    if (q.assigned_unit_id) sql += " AND a.lead_unit_id = " + Bind(params, *q.assigned_unit_id);
    sql += ")";
  }
  if (q.deadline_before) {
    sql += " AND d.deadline < " + Bind(params, FormatDate(*q.deadline_before));
  }
  if (q.deadline_until) {
    sql += " AND d.deadline <= " + Bind(params, FormatDate(*q.deadline_until));
  }
  if (!q.text.empty()) {
    sql += " AND d.subject_fold LIKE " + Bind(params, "%" + EscapeLike(FoldVietnamese(q.text)) + "%") +
           " ESCAPE '\\'";
  }
  if (q.entered_from) {
    sql += " AND COALESCE(d.arrival_date, d.issued_date) >= " +
           Bind(params, FormatDate(*q.entered_from));
  }
  if (q.entered_to) {
    sql += " AND COALESCE(d.arrival_date, d.issued_date) <= " +
           Bind(params, FormatDate(*q.entered_to));
  }
  if (q.by_deadline) {
    constexpr std::string_view kKey = "COALESCE(d.deadline, '9999-12-31')";
    if (q.after_deadline) {
      const std::string date = Bind(params, q.after_deadline->first);
      sql += " AND (" + std::string(kKey) + " > " + date + " OR (" + std::string(kKey) + " = " +
             Bind(params, q.after_deadline->first) + " AND d.id > " +
             Bind(params, q.after_deadline->second) + "))";
    }
    sql += " ORDER BY " + std::string(kKey) + ", d.id";
  } else {
    if (q.before_id) {
      sql += (q.ascending ? " AND d.id > " : " AND d.id < ") + Bind(params, *q.before_id);
    }
    sql += q.ascending ? " ORDER BY d.id ASC" : " ORDER BY d.id DESC";
  }
  sql += " LIMIT " + Bind(params, std::int64_t{std::clamp(q.limit, 1, 500)});
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<Document> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(DocumentFromRow(r));
  return out;
}

Result<std::vector<DeadlineCount>> Tx::CountOpenWork(const std::vector<Id>& unit_ids,
                                                     Date today, Date until,
                                                     Classification max) {
  std::vector<DeadlineCount> out;
  if (unit_ids.empty()) return out;
  std::vector<Value> params;
  const std::string t = Bind(params, FormatDate(today));
  const std::string u = Bind(params, FormatDate(until));
  // Work belongs to whoever leads it: the lead unit, or the lead person's unit.
  std::string sql =
      "SELECT w.unit, COUNT(*), "
      "SUM(CASE WHEN w.deadline < " + t + " THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN w.deadline >= " + t + " AND w.deadline <= " + u + " THEN 1 ELSE 0 END) "
      "FROM (SELECT COALESCE(a.lead_unit_id, p.unit_id) AS unit, "
      "COALESCE(a.deadline, d.deadline) AS deadline FROM assignments a "
      "JOIN documents d ON d.id = a.document_id LEFT JOIN users p ON p.id = a.lead_user_id "
      "WHERE a.state = 'open' AND a.parent_id IS NULL AND "
      "d.state IN ('assigned', 'in_progress') AND d.classification <= " +
      Bind(params, static_cast<std::int64_t>(max)) + ") w WHERE 1 = 1";
  AppendIn(sql, params, "w.unit", unit_ids);
  sql += " GROUP BY w.unit";
  CHY_TRY(auto rows, c_.Query(sql, params));
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3)});
  }
  return out;
}

Result<std::vector<Id>> Tx::FindDuplicates(const std::string& number_symbol,
                                           const std::string& issuer_name, Id exclude_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id FROM documents WHERE direction = 'incoming' AND "
                              "original_number_symbol = $1 AND issuer_name = $2 AND id <> $3 "
                              "ORDER BY id LIMIT 20",
                              {number_symbol, issuer_name, exclude_id}));
  std::vector<Id> out;
  for (const auto& r : rows.rows) out.push_back(r.Int(0));
  return out;
}

Result<std::int64_t> Tx::NextNumber(Id issuing_unit_id, int year, const std::string& series) {
  CHY_TRY_STATUS(c_.Exec(
      "INSERT INTO number_series(unit_id, year, series, last_number) VALUES ($1, $2, $3, 0) "
      "ON CONFLICT (unit_id, year, series) DO NOTHING",
      {issuing_unit_id, std::int64_t{year}, series}));
  // The UPDATE takes the row lock (PostgreSQL) or runs under the database
  // write lock (SQLite): concurrent registrations queue here.
  CHY_TRY(Row r, One(c_.Query("UPDATE number_series SET last_number = last_number + 1 WHERE "
                              "unit_id = $1 AND year = $2 AND series = $3 RETURNING last_number",
                              {issuing_unit_id, std::int64_t{year}, series}),
                     "Number series"));
  return r.Int(0);
}

Result<RegisterBook> Tx::GetOrCreateBook(Id unit_id, const std::string& kind, int year) {
  CHY_TRY_STATUS(c_.Exec(
      "INSERT INTO register_books(unit_id, original_unit_id, kind, year) VALUES ($1, $1, $2, $3) "
      "ON CONFLICT (original_unit_id, kind, year) DO NOTHING",
      {unit_id, kind, std::int64_t{year}}));
  CHY_TRY(Row r, One(c_.Query("SELECT id, unit_id, original_unit_id, kind, year FROM "
                              "register_books WHERE original_unit_id = $1 AND kind = $2 AND "
                              "year = $3",
                              {unit_id, kind, std::int64_t{year}}),
                     "Register book"));
  return RegisterBook{r.Int(0), r.Int(1), r.Int(2), r.Text(3), static_cast<int>(r.Int(4))};
}

Result<RegisterBook> Tx::GetBook(Id book_id) {
  CHY_TRY(Row r, One(c_.Query("SELECT id, unit_id, original_unit_id, kind, year FROM "
                              "register_books WHERE id = $1",
                              {book_id}),
                     "Register book"));
  return RegisterBook{r.Int(0), r.Int(1), r.Int(2), r.Text(3), static_cast<int>(r.Int(4))};
}

Result<std::vector<RegisterBook>> Tx::ListBooks(Id unit_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, unit_id, original_unit_id, kind, year FROM "
                              "register_books WHERE unit_id = $1 ORDER BY year DESC, kind",
                              {unit_id}));
  std::vector<RegisterBook> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), static_cast<int>(r.Int(4))});
  }
  return out;
}

Status Tx::InsertRecipient(Id document_id, const Recipient& r) {
  return c_.Exec(
      "INSERT INTO document_recipients(document_id, unit_id, copy_document_id) VALUES ($1, $2, "
      "$3) ON CONFLICT (document_id, unit_id) DO UPDATE SET copy_document_id = "
      "excluded.copy_document_id",
      {document_id, r.unit_id, OptInt(r.copy_document_id)});
}

Result<std::vector<Recipient>> Tx::ListRecipients(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT unit_id, copy_document_id FROM document_recipients WHERE "
                              "document_id = $1 ORDER BY unit_id",
                              {document_id}));
  std::vector<Recipient> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.OptInt(1)});
  return out;
}

Result<Id> Tx::InsertVersion(const NamedFile& f, Timestamp now) {
  return InsertedId(c_.Query(
      "INSERT INTO document_versions(document_id, version_no, sha256, file_name, note, "
      "created_by, created_at) VALUES ($1, (SELECT COALESCE(MAX(version_no), 0) + 1 FROM "
      "document_versions WHERE document_id = $1), $2, $3, $4, $5, $6) RETURNING id",
      {f.document_id, f.sha256, f.file_name, f.note, f.created_by, Micros(now)}));
}

Result<std::vector<NamedFile>> Tx::ListVersions(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, document_id, sha256, file_name, version_no, note, "
                              "created_by, created_at FROM document_versions WHERE document_id "
                              "= $1 ORDER BY version_no",
                              {document_id}));
  std::vector<NamedFile> out;
  for (const auto& r : rows.rows) {
    NamedFile f;
    f.id = r.Int(0);
    f.document_id = r.Int(1);
    f.sha256 = r.Text(2);
    f.file_name = r.Text(3);
    f.version_no = static_cast<int>(r.Int(4));
    f.note = r.Text(5);
    f.created_by = r.Int(6);
    f.created_at = FromMicros(r.Int(7));
    out.push_back(std::move(f));
  }
  return out;
}

Result<Id> Tx::InsertAttachment(const NamedFile& f, Timestamp now) {
  return InsertedId(c_.Query(
      "INSERT INTO attachments(document_id, sha256, file_name, content_type, size, created_by, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {f.document_id, f.sha256, f.file_name, f.content_type, f.size, f.created_by,
       Micros(now)}));
}

Result<std::vector<NamedFile>> Tx::ListAttachments(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, document_id, sha256, file_name, content_type, size, "
                              "created_by, created_at FROM attachments WHERE document_id = $1 "
                              "ORDER BY id",
                              {document_id}));
  std::vector<NamedFile> out;
  for (const auto& r : rows.rows) {
    NamedFile f;
    f.id = r.Int(0);
    f.document_id = r.Int(1);
    f.sha256 = r.Text(2);
    f.file_name = r.Text(3);
    f.content_type = r.Text(4);
    f.size = r.Int(5);
    f.created_by = r.Int(6);
    f.created_at = FromMicros(r.Int(7));
    out.push_back(std::move(f));
  }
  return out;
}

namespace {
Result<std::vector<TextEntry>> ListText(sql::Connection& c, std::string_view table, Id doc) {
  const bool notes = table == "notes";
  CHY_TRY(auto rows,
          c.Query(std::string("SELECT id, document_id, ") +
                      (notes ? "assignment_id" : "NULL") + ", user_id, body, created_at FROM " +
                      std::string(table) + " WHERE document_id = $1 ORDER BY id",
                  {doc}));
  std::vector<TextEntry> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.OptInt(2), r.Int(3), r.Text(4), FromMicros(r.Int(5))});
  }
  return out;
}
}  // namespace

Result<Id> Tx::InsertComment(const TextEntry& e) {
  return InsertedId(c_.Query(
      "INSERT INTO comments(document_id, user_id, body, created_at) VALUES ($1, $2, $3, $4) "
      "RETURNING id",
      {e.document_id, e.user_id, e.body, Micros(e.created_at)}));
}
Result<std::vector<TextEntry>> Tx::ListComments(Id document_id) {
  return ListText(c_, "comments", document_id);
}
Result<Id> Tx::InsertNote(const TextEntry& e) {
  return InsertedId(c_.Query(
      "INSERT INTO notes(document_id, assignment_id, user_id, body, created_at) VALUES ($1, $2, "
      "$3, $4, $5) RETURNING id",
      {e.document_id, OptInt(e.assignment_id), e.user_id, e.body, Micros(e.created_at)}));
}
Result<std::vector<TextEntry>> Tx::ListNotes(Id document_id) {
  return ListText(c_, "notes", document_id);
}

Result<Id> Tx::InsertAssignment(const Assignment& a) {
  return InsertedId(c_.Query(
      "INSERT INTO assignments(document_id, parent_id, lead_unit_id, lead_user_id, "
      "supporting_units, deadline, directive, state, assigned_by, created_at) VALUES ($1, $2, "
      "$3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
      {a.document_id, OptInt(a.parent_id), OptInt(a.lead_unit_id), OptInt(a.lead_user_id),
       JoinIds(a.supporting_unit_ids), OptDate(a.deadline), a.directive, a.state, a.assigned_by,
       Micros(a.created_at)}));
}

Result<Assignment> Tx::GetAssignment(Id id) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kAssignmentColumns) +
                                  " FROM assignments WHERE id = $1",
                              {id}),
                     "Assignment"));
  return AssignmentFromRow(r);
}

Result<std::vector<Assignment>> Tx::ListAssignments(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kAssignmentColumns) +
                                  " FROM assignments WHERE document_id = $1 ORDER BY id",
                              {document_id}));
  std::vector<Assignment> out;
  for (const auto& r : rows.rows) out.push_back(AssignmentFromRow(r));
  return out;
}

Status Tx::CompleteAssignments(Id document_id, Timestamp at) {
  return c_.Exec("UPDATE assignments SET state = 'completed', completed_at = $1 WHERE "
                 "document_id = $2 AND state = 'open'",
                 {Micros(at), document_id});
}

Result<Id> Tx::InsertRecord(const RecordFile& r, Timestamp now) {
  return InsertedId(c_.Query(
      "INSERT INTO records(unit_id, code, title, year, created_at) VALUES ($1, $2, $3, $4, $5) "
      "RETURNING id",
      {r.unit_id, r.code, r.title, std::int64_t{r.year}, Micros(now)}));
}

Result<RecordFile> Tx::GetRecord(Id id) {
  CHY_TRY(Row r, One(c_.Query("SELECT id, unit_id, code, title, year FROM records WHERE id = $1",
                              {id}),
                     "Record"));
  return RecordFile{r.Int(0), r.Int(1), r.Text(2), r.Text(3), static_cast<int>(r.Int(4))};
}

Result<std::vector<RecordFile>> Tx::ListRecords(Id unit_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, unit_id, code, title, year FROM records WHERE unit_id "
                              "= $1 ORDER BY year DESC, code",
                              {unit_id}));
  std::vector<RecordFile> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), static_cast<int>(r.Int(4))});
  }
  return out;
}

// ======================= Audit =======================

Result<AuditEntry> Tx::AppendAudit(const AuditEntry& in) {
  // Taking the state row first serialises appenders (row lock on PostgreSQL,
  // the write lock on SQLite), so sequence numbers and the frontier agree.
  CHY_TRY(Row state, One(c_.Query("UPDATE audit_state SET size = size + 1 WHERE id = 1 "
                                  "RETURNING size, frontier"),
                         "Audit state"));
  const std::int64_t seq = state.Int(0) - 1;
  auto tree = audit::CompactTree::Parse(state.Text(1));
  if (!tree.ok()) return std::move(tree).error();
  if (static_cast<std::int64_t>(tree->size()) != seq) {
    return MakeError(ErrorCode::kInternal, "Audit state is inconsistent.");
  }
  AuditEntry e = in;
  e.seq = seq;
  // The record names its own position, so reordering changes its hash.
  const audit::Hash leaf = audit::LeafHash(std::to_string(seq) + "\n" + e.record);
  tree->Append(leaf);
  e.leaf_hash = audit::ToHex(leaf);
  e.root_after = audit::ToHex(tree->Root());
  CHY_TRY_STATUS(c_.Exec("UPDATE audit_state SET frontier = $1 WHERE id = 1",
                         {tree->Serialize()}));
  CHY_TRY_STATUS(c_.Exec("INSERT INTO audit_log(" + std::string(kAuditColumns) +
                             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                         {e.seq, Micros(e.at), OptInt(e.actor_id), e.action, e.object_type,
                          OptInt(e.object_id), e.record, e.leaf_hash, e.root_after}));
  return e;
}

Result<std::vector<AuditEntry>> Tx::ListAudit(const AuditQuery& q) {
  std::vector<Value> params;
  std::string sql = "SELECT " + std::string(kAuditColumns) + " FROM audit_log WHERE 1 = 1";
  if (!q.object_type.empty()) sql += " AND object_type = " + Bind(params, q.object_type);
  if (q.object_id) sql += " AND object_id = " + Bind(params, *q.object_id);
  if (q.actor_id) sql += " AND actor_id = " + Bind(params, *q.actor_id);
  if (!q.action.empty()) sql += " AND action = " + Bind(params, q.action);
  if (q.before_seq) sql += " AND seq < " + Bind(params, *q.before_seq);
  sql += " ORDER BY seq DESC LIMIT " + Bind(params, std::int64_t{std::clamp(q.limit, 1, 1000)});
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<AuditEntry> out;
  for (const auto& r : rows.rows) out.push_back(AuditFromRow(r));
  return out;
}

Result<std::vector<AuditEntry>> Tx::AuditRange(std::int64_t from_seq, std::int64_t to_seq) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kAuditColumns) +
                                  " FROM audit_log WHERE seq >= $1 AND seq < $2 ORDER BY seq",
                              {from_seq, to_seq}));
  std::vector<AuditEntry> out;
  for (const auto& r : rows.rows) out.push_back(AuditFromRow(r));
  return out;
}

Result<std::vector<std::string>> Tx::AuditLeafHashes(std::int64_t size) {
  CHY_TRY(auto rows, c_.Query("SELECT leaf_hash FROM audit_log WHERE seq < $1 ORDER BY seq",
                              {size}));
  std::vector<std::string> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(r.Text(0));
  return out;
}

Result<std::pair<std::int64_t, std::string>> Tx::AuditHead() {
  CHY_TRY(Row r, One(c_.Query("SELECT size, frontier FROM audit_state WHERE id = 1"),
                     "Audit state"));
  auto tree = audit::CompactTree::Parse(r.Text(1));
  if (!tree.ok()) return std::move(tree).error();
  return std::make_pair(r.Int(0), audit::ToHex(tree->Root()));
}

// ======================= Idempotency, meta =======================

Result<std::optional<IdempotentReply>> Tx::GetIdempotent(Id user_id, const std::string& key) {
  CHY_TRY(auto rows, c_.Query("SELECT request_hash, status, body FROM idempotency_keys WHERE "
                              "user_id = $1 AND key = $2",
                              {user_id, key}));
  if (rows.rows.empty()) return std::optional<IdempotentReply>{};
  const auto& r = rows.rows.front();
  return std::optional<IdempotentReply>{
      IdempotentReply{r.Text(0), static_cast<int>(r.Int(1)), r.Text(2)}};
}

Status Tx::PutIdempotent(Id user_id, const std::string& key, const IdempotentReply& r,
                         Timestamp now) {
  return c_.Exec(
      "INSERT INTO idempotency_keys(user_id, key, request_hash, status, body, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {user_id, key, r.request_hash, std::int64_t{r.status}, r.body, Micros(now)});
}

Result<std::optional<std::string>> Tx::GetMeta(const std::string& key) {
  CHY_TRY(auto rows, c_.Query("SELECT value FROM meta WHERE key = $1", {key}));
  if (rows.rows.empty()) return std::optional<std::string>{};
  return std::optional<std::string>{rows.rows.front().Text(0)};
}

Status Tx::PutMeta(const std::string& key, const std::string& value) {
  return c_.Exec(
      "INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = "
      "excluded.value",
      {key, value});
}

// ---- Certificates and signatures ----

namespace {

constexpr std::string_view kCertificateColumns =
    "id, serial, profile, user_id, unit_id, subject, certificate_pem, key_pem, key_uri, "
    "not_before, not_after, status, revoked_at, revocation_reason, replaces_id, created_by, "
    "created_at";

CertificateRecord CertificateFrom(const Row& r) {
  CertificateRecord c;
  c.id = r.Int(0);
  c.serial = r.Text(1);
  c.profile = r.Text(2);
  c.user_id = r.OptInt(3);
  c.unit_id = r.OptInt(4);
  c.subject = r.Text(5);
  c.certificate_pem = r.Text(6);
  c.key_pem = r.Text(7);
  c.key_uri = r.Text(8);
  c.not_before = FromMicros(r.Int(9));
  c.not_after = FromMicros(r.Int(10));
  c.status = r.Text(11);
  if (auto t = r.OptInt(12)) c.revoked_at = FromMicros(*t);
  c.revocation_reason = r.Text(13);
  c.replaces_id = r.OptInt(14);
  c.created_by = r.OptInt(15);
  c.created_at = FromMicros(r.Int(16));
  return c;
}

}  // namespace

Result<Id> Tx::InsertCertificate(const CertificateRecord& c) {
  return InsertedId(c_.Query(
      "INSERT INTO certificates(serial, profile, user_id, unit_id, subject, certificate_pem, "
      "key_pem, key_uri, not_before, not_after, status, replaces_id, created_by, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
      {c.serial, c.profile, OptInt(c.user_id), OptInt(c.unit_id), c.subject, c.certificate_pem,
       c.key_pem, c.key_uri, Micros(c.not_before), Micros(c.not_after), c.status,
       OptInt(c.replaces_id), OptInt(c.created_by), Micros(c.created_at)}));
}

Result<CertificateRecord> Tx::GetCertificate(const std::string& serial) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kCertificateColumns) +
                                  " FROM certificates WHERE serial = $1",
                              {serial}),
                     "Certificate"));
  return CertificateFrom(r);
}

Result<std::vector<CertificateRecord>> Tx::ListCertificates(const CertificateQuery& q) {
  std::vector<Value> params;
  std::string sql = "SELECT " + std::string(kCertificateColumns) + " FROM certificates WHERE 1 = 1";
  if (q.user_id) sql += " AND user_id = " + Bind(params, *q.user_id);
  if (q.unit_id) sql += " AND unit_id = " + Bind(params, *q.unit_id);
  if (!q.profile.empty()) sql += " AND profile = " + Bind(params, q.profile);
  if (!q.status.empty()) sql += " AND status = " + Bind(params, q.status);
  sql += " ORDER BY id";
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<CertificateRecord> out;
  for (const auto& r : rows.rows) out.push_back(CertificateFrom(r));
  return out;
}

Status Tx::UpdateCertificateStatus(Id id, const std::string& status,
                                   std::optional<Timestamp> revoked_at, const std::string& reason) {
  return c_.Exec(
      "UPDATE certificates SET status = $1, revoked_at = $2, revocation_reason = $3 WHERE id = $4",
      {status, revoked_at ? Value{Micros(*revoked_at)} : Value{nullptr}, reason, id});
}

Status Tx::UpdateCertificateKey(Id id, const std::string& key_pem) {
  return c_.Exec("UPDATE certificates SET key_pem = $1 WHERE id = $2", {key_pem, id});
}

Status Tx::UpdateAttachmentFile(Id id, const std::string& sha256, std::int64_t size) {
  return c_.Exec("UPDATE attachments SET sha256 = $1, size = $2 WHERE id = $3", {sha256, size, id});
}

Result<std::unordered_map<Id, std::string>> Tx::LatestSignatureVerdicts(
    const std::vector<Id>& document_ids) {
  std::unordered_map<Id, std::string> out;
  if (document_ids.empty()) return out;
  std::vector<Value> params;
  std::string sql =
      "SELECT document_id, indication FROM document_signatures s WHERE kind IN ('verification', "
      "'issued') AND id = (SELECT MAX(id) FROM document_signatures t WHERE t.document_id = "
      "s.document_id AND t.kind IN ('verification', 'issued'))";
  AppendIn(sql, params, "document_id", document_ids);
  CHY_TRY(auto rows, c_.Query(sql, params));
  for (const auto& r : rows.rows) out[r.Int(0)] = r.Text(1);
  return out;
}

Result<std::pair<int, std::optional<Timestamp>>> Tx::GetPinAttempts(Id user_id) {
  CHY_TRY(auto rows, c_.Query("SELECT failures, locked_until FROM pin_attempts WHERE user_id = $1",
                              {user_id}));
  if (rows.rows.empty()) return std::pair<int, std::optional<Timestamp>>{0, std::nullopt};
  std::optional<Timestamp> until;
  if (auto t = rows.rows[0].OptInt(1)) until = FromMicros(*t);
  return std::pair{static_cast<int>(rows.rows[0].Int(0)), until};
}

Status Tx::SetPinChangeRequired(Id user_id, Id set_by, Timestamp at) {
  return c_.Exec(
      "INSERT INTO pin_change_required(user_id, set_by, set_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id) DO UPDATE SET set_by = $2, set_at = $3",
      {user_id, set_by, Micros(at)});
}

Status Tx::ClearPinChangeRequired(Id user_id) {
  return c_.Exec("DELETE FROM pin_change_required WHERE user_id = $1", {user_id});
}

Result<bool> Tx::PinChangeRequired(Id user_id) {
  CHY_TRY(auto rows, c_.Query("SELECT 1 FROM pin_change_required WHERE user_id = $1", {user_id}));
  return !rows.rows.empty();
}

Result<int> Tx::ReservePinAttempt(Id user_id, Timestamp now, int threshold, Timestamp lock_until) {
  // One statement: concurrent attempts each get their own number, so no
  // more than `threshold` PINs are tried before the lock.
  CHY_TRY(
      auto rows,
      c_.Query("INSERT INTO pin_attempts(user_id, failures, locked_until) VALUES ($1, 1, NULL) "
               "ON CONFLICT (user_id) DO UPDATE SET "
               "failures = CASE WHEN pin_attempts.locked_until IS NOT NULL AND "
               "pin_attempts.locked_until "
               "<= $2 THEN 1 ELSE pin_attempts.failures + 1 END, "
               "locked_until = CASE WHEN pin_attempts.locked_until IS NOT NULL AND "
               "pin_attempts.locked_until <= $2 THEN NULL "
               "WHEN pin_attempts.locked_until IS NULL AND pin_attempts.failures + 1 >= $3 THEN $4 "
               "ELSE pin_attempts.locked_until END "
               "RETURNING failures",
               {user_id, Micros(now), std::int64_t{threshold}, Micros(lock_until)}));
  return static_cast<int>(rows.rows.at(0).Int(0));
}

Status Tx::PutPinAttempts(Id user_id, int failures, std::optional<Timestamp> locked_until) {
  return c_.Exec(
      "INSERT INTO pin_attempts(user_id, failures, locked_until) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id) DO UPDATE SET failures = $2, locked_until = $3",
      {user_id, static_cast<std::int64_t>(failures),
       locked_until ? Value{Micros(*locked_until)} : Value{nullptr}});
}

Result<Id> Tx::InsertDocumentSignature(const DocumentSignature& s) {
  return InsertedId(c_.Query(
      "INSERT INTO document_signatures(document_id, kind, sha256, file_name, signer, "
      "certificate_serial, level, indication, report, created_by, created_at) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
      {s.document_id, s.kind, s.sha256, s.file_name, s.signer, s.certificate_serial, s.level,
       s.indication, s.report, OptInt(s.created_by), Micros(s.created_at)}));
}

Result<std::vector<DocumentSignature>> Tx::ListDocumentSignatures(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, document_id, kind, sha256, file_name, signer, "
                              "certificate_serial, level, indication, report, created_by, "
                              "created_at FROM document_signatures WHERE document_id = $1 "
                              "ORDER BY id",
                              {document_id}));
  std::vector<DocumentSignature> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                   r.Text(7), r.Text(8), r.Text(9), r.OptInt(10), FromMicros(r.Int(11))});
  }
  return out;
}

Result<SignatureShare> Tx::CountSignatureShare(const std::vector<Id>& unit_ids, Date from, Date to) {
  SignatureShare share;
  if (unit_ids.empty()) return share;
  std::vector<Value> params;
  std::string sql =
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM document_signatures s WHERE "
      "s.document_id = d.id AND s.kind = 'issued' AND s.indication = 'TOTAL_PASSED') THEN 1 ELSE 0 "
      "END), 0) FROM documents d WHERE d.direction = 'outgoing' AND d.state IN ('issued', "
      "'recalled', 'replaced', 'filed', 'archived') AND d.issued_date >= " +
      Bind(params, FormatDate(from)) + " AND d.issued_date <= " + Bind(params, FormatDate(to));
  AppendIn(sql, params, "d.unit_id", unit_ids);
  CHY_TRY(auto rows, c_.Query(sql, params));
  share.issued = rows.rows[0].Int(0);
  share.both_signed = rows.rows[0].Int(1);
  return share;
}

Status Tx::InsertTreeHead(const TreeHead& h) {
  return c_.Exec(
      "INSERT INTO tree_heads(tree_size, root, signed_at, certificate_serial, signature) VALUES "
      "($1, $2, $3, $4, $5) ON CONFLICT (tree_size) DO NOTHING",
      {h.tree_size, h.root, Micros(h.signed_at), h.certificate_serial, h.signature});
}

Result<std::vector<TreeHead>> Tx::ListTreeHeads(int limit) {
  CHY_TRY(auto rows, c_.Query("SELECT tree_size, root, signed_at, certificate_serial, signature "
                              "FROM tree_heads ORDER BY tree_size DESC LIMIT $1",
                              {static_cast<std::int64_t>(limit)}));
  std::vector<TreeHead> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Text(1), FromMicros(r.Int(2)), r.Text(3), r.Text(4)});
  }
  return out;
}

// ---- Exchange between agencies ----

namespace {

constexpr std::string_view kPeerColumns =
    "id, agency_code, name, endpoint, certificate_pem, certificate_sha256, ca_pem, via, zone, "
    "max_classification, source, active, updated_at, version";

Peer PeerFrom(const Row& r) {
  Peer p;
  p.id = r.Int(0);
  p.agency_code = r.Text(1);
  p.name = r.Text(2);
  p.endpoint = r.Text(3);
  p.certificate_pem = r.Text(4);
  p.certificate_sha256 = r.Text(5);
  p.ca_pem = r.Text(6);
  p.via = r.Text(7);
  p.zone = r.Text(8);
  p.max_classification = static_cast<Classification>(r.Int(9));
  p.source = r.Text(10);
  p.active = r.Int(11) != 0;
  p.updated_at = FromMicros(r.Int(12));
  p.version = r.Int(13);
  return p;
}

constexpr std::string_view kOutboxColumns =
    "id, peer_code, kind, document_id, edxml_id, code, payload_sha256, payload_size, state, "
    "attempts, next_attempt_at, last_error, receipt, created_at, done_at";

OutboxItem OutboxFrom(const Row& r) {
  OutboxItem o;
  o.id = r.Int(0);
  o.peer_code = r.Text(1);
  o.kind = r.Text(2);
  o.document_id = r.OptInt(3);
  o.edxml_id = r.Text(4);
  o.code = r.Text(5);
  o.payload_sha256 = r.Text(6);
  o.payload_size = r.Int(7);
  o.state = r.Text(8);
  o.attempts = static_cast<int>(r.Int(9));
  o.next_attempt_at = FromMicros(r.Int(10));
  o.last_error = r.Text(11);
  o.receipt = r.Text(12);
  o.created_at = FromMicros(r.Int(13));
  if (auto done = r.OptInt(14)) o.done_at = FromMicros(*done);
  return o;
}

constexpr std::string_view kInboxColumns =
    "id, dedupe_key, sender_code, kind, edxml_id, code, payload_sha256, document_id, "
    "prior_state, receipt, received_at";

InboxItem InboxFrom(const Row& r) {
  return InboxItem{r.Int(0),    r.Text(1), r.Text(2), r.Text(3),
                   r.Text(4),   r.Text(5), r.Text(6), r.OptInt(7),
                   r.Text(8),   r.Text(9), FromMicros(r.Int(10))};
}

Result<std::optional<InboxItem>> FirstInbox(Result<sql::Rows> rows) {
  if (!rows.ok()) return std::move(rows).error();
  if (rows->rows.empty()) return std::optional<InboxItem>{};
  return std::optional<InboxItem>{InboxFrom(rows->rows.front())};
}

}  // namespace

Result<Id> Tx::UpsertPeer(const Peer& p) {
  return InsertedId(c_.Query(
      "INSERT INTO peers(agency_code, name, endpoint, certificate_pem, certificate_sha256, ca_pem, "
      "via, zone, max_classification, source, active, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
      "ON CONFLICT (agency_code) DO UPDATE SET name = excluded.name, endpoint = excluded.endpoint, "
      "certificate_pem = excluded.certificate_pem, certificate_sha256 = excluded.certificate_sha256, "
      "ca_pem = excluded.ca_pem, via = excluded.via, zone = excluded.zone, "
      "max_classification = excluded.max_classification, source = excluded.source, "
      "active = excluded.active, updated_at = excluded.updated_at, version = peers.version + 1 "
      "RETURNING id",
      {p.agency_code, p.name, p.endpoint, p.certificate_pem, p.certificate_sha256, p.ca_pem, p.via,
       p.zone, static_cast<std::int64_t>(p.max_classification), p.source,
       static_cast<std::int64_t>(p.active ? 1 : 0), Micros(p.updated_at)}));
}

Result<Peer> Tx::GetPeer(const std::string& agency_code) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kPeerColumns) +
                                  " FROM peers WHERE agency_code = $1",
                              {agency_code}),
                     "Peer"));
  return PeerFrom(r);
}

Result<Peer> Tx::GetPeerByCertificate(const std::string& certificate_sha256) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kPeerColumns) +
                                  " FROM peers WHERE certificate_sha256 = $1 AND active = 1 "
                                  "ORDER BY id LIMIT 1",
                              {certificate_sha256}),
                     "Peer"));
  return PeerFrom(r);
}

Result<std::vector<Peer>> Tx::ListPeers() {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kPeerColumns) +
                              " FROM peers ORDER BY agency_code"));
  std::vector<Peer> out;
  for (const auto& r : rows.rows) out.push_back(PeerFrom(r));
  return out;
}

Status Tx::SetExternalRecipients(Id document_id, const std::vector<std::string>& agency_codes) {
  CHY_TRY_STATUS(c_.Exec("DELETE FROM external_recipients WHERE document_id = $1", {document_id}));
  for (const auto& code : agency_codes) {
    CHY_TRY_STATUS(c_.Exec(
        "INSERT INTO external_recipients(document_id, agency_code) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING",
        {document_id, code}));
  }
  return Ok();
}

Result<std::vector<std::string>> Tx::ListExternalRecipients(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT agency_code FROM external_recipients WHERE document_id = $1 "
                              "ORDER BY agency_code",
                              {document_id}));
  std::vector<std::string> out;
  for (const auto& r : rows.rows) out.push_back(r.Text(0));
  return out;
}

Result<Id> Tx::InsertOutbox(const OutboxItem& o) {
  return InsertedId(c_.Query(
      "INSERT INTO outbox(peer_code, kind, document_id, edxml_id, code, payload_sha256, "
      "payload_size, state, attempts, next_attempt_at, last_error, receipt, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
      {o.peer_code, o.kind, OptInt(o.document_id), o.edxml_id, o.code, o.payload_sha256,
       o.payload_size, o.state, static_cast<std::int64_t>(o.attempts), Micros(o.next_attempt_at),
       o.last_error, o.receipt, Micros(o.created_at)}));
}

Result<OutboxItem> Tx::GetOutbox(Id id) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kOutboxColumns) +
                                  " FROM outbox WHERE id = $1",
                              {id}),
                     "Outbox item"));
  return OutboxFrom(r);
}

Result<std::vector<OutboxItem>> Tx::DueOutbox(Timestamp now, int limit) {
  CHY_TRY(auto rows,
          c_.Query("SELECT " + std::string(kOutboxColumns) +
                       " FROM outbox WHERE id IN (SELECT MIN(id) FROM outbox WHERE state = "
                       "'pending' GROUP BY peer_code) AND next_attempt_at <= $1 ORDER BY id "
                       "LIMIT $2",
                   {Micros(now), static_cast<std::int64_t>(limit)}));
  std::vector<OutboxItem> out;
  for (const auto& r : rows.rows) out.push_back(OutboxFrom(r));
  return out;
}

Status Tx::UpdateOutbox(const OutboxItem& o) {
  return c_.Exec(
      "UPDATE outbox SET state = $1, attempts = $2, next_attempt_at = $3, last_error = $4, "
      "receipt = $5, done_at = $6 WHERE id = $7",
      {o.state, static_cast<std::int64_t>(o.attempts), Micros(o.next_attempt_at), o.last_error,
       o.receipt, o.done_at ? Value{Micros(*o.done_at)} : Value{nullptr}, o.id});
}

Result<std::optional<Id>> Tx::DocumentOfPackage(const std::string& edxml_id,
                                                const std::string& peer_code) {
  CHY_TRY(auto rows, c_.Query("SELECT document_id FROM outbox WHERE kind = 'package' AND "
                              "edxml_id = $1 AND peer_code = $2 ORDER BY id LIMIT 1",
                              {edxml_id, peer_code}));
  if (rows.rows.empty()) return std::optional<Id>{};
  return rows.rows[0].OptInt(0);
}

Result<std::vector<OutboxItem>> Tx::ListOutbox(std::optional<Id> document_id,
                                               const std::string& state, int limit) {
  std::vector<Value> params;
  std::string sql = "SELECT " + std::string(kOutboxColumns) + " FROM outbox WHERE 1 = 1";
  if (document_id) sql += " AND document_id = " + Bind(params, *document_id);
  if (!state.empty()) sql += " AND state = " + Bind(params, state);
  sql += " ORDER BY id DESC LIMIT " + Bind(params, static_cast<std::int64_t>(limit));
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<OutboxItem> out;
  for (const auto& r : rows.rows) out.push_back(OutboxFrom(r));
  return out;
}

Result<Id> Tx::InsertInbox(const InboxItem& i) {
  CHY_TRY(auto rows,
          c_.Query("INSERT INTO inbox(dedupe_key, sender_code, kind, edxml_id, code, "
                   "payload_sha256, document_id, prior_state, receipt, received_at) VALUES ($1, $2, "
                   "$3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                   {i.dedupe_key, i.sender_code, i.kind, i.edxml_id, i.code, i.payload_sha256,
                    OptInt(i.document_id), i.prior_state, i.receipt, Micros(i.received_at)}));
  if (rows.rows.empty()) return MakeError(ErrorCode::kConflict, "Already received.");
  return rows.rows.front().Int(0);
}

Result<std::optional<InboxItem>> Tx::FindInbox(const std::string& dedupe_key) {
  return FirstInbox(c_.Query(
      "SELECT " + std::string(kInboxColumns) + " FROM inbox WHERE dedupe_key = $1", {dedupe_key}));
}

Result<std::optional<InboxItem>> Tx::InboxOfDocument(Id document_id) {
  return FirstInbox(c_.Query("SELECT " + std::string(kInboxColumns) +
                                 " FROM inbox WHERE document_id = $1 ORDER BY id LIMIT 1",
                             {document_id}));
}

Result<std::optional<InboxItem>> Tx::InboxOfPackage(const std::string& sender_code,
                                                    const std::string& edxml_id) {
  return FirstInbox(c_.Query("SELECT " + std::string(kInboxColumns) +
                                 " FROM inbox WHERE sender_code = $1 AND edxml_id = $2 AND kind = "
                                 "'package' AND document_id IS NOT NULL ORDER BY id DESC LIMIT 1",
                             {sender_code, edxml_id}));
}

Status Tx::SetInboxPriorState(Id id, const std::string& prior_state) {
  return c_.Exec("UPDATE inbox SET prior_state = $1 WHERE id = $2", {prior_state, id});
}

Result<Id> Tx::InsertQuarantine(const QuarantineItem& q) {
  return InsertedId(c_.Query(
      "INSERT INTO quarantine(received_at, claimed_sender, tls_subject, reason_code, message, "
      "payload_sha256, payload_size) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {Micros(q.received_at), q.claimed_sender, q.tls_subject, q.reason_code, q.message,
       q.payload_sha256, q.payload_size}));
}

Result<std::vector<QuarantineItem>> Tx::ListQuarantine(int limit) {
  CHY_TRY(auto rows, c_.Query("SELECT id, received_at, claimed_sender, tls_subject, reason_code, "
                              "message, payload_sha256, payload_size FROM quarantine ORDER BY id "
                              "DESC LIMIT $1",
                              {static_cast<std::int64_t>(limit)}));
  std::vector<QuarantineItem> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), FromMicros(r.Int(1)), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
                   r.Text(6), r.Int(7)});
  }
  return out;
}

Result<Id> Tx::InsertExchangeStatus(const ExchangeStatus& s) {
  return InsertedId(c_.Query(
      "INSERT INTO exchange_statuses(document_id, agency_code, direction, code, description, at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {s.document_id, s.agency_code, s.direction, s.code, s.description, Micros(s.at)}));
}

Result<std::vector<ExchangeStatus>> Tx::ListExchangeStatuses(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, document_id, agency_code, direction, code, description, "
                              "at FROM exchange_statuses WHERE document_id = $1 ORDER BY id",
                              {document_id}));
  std::vector<ExchangeStatus> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
                   FromMicros(r.Int(6))});
  }
  return out;
}

}  // namespace chancery::store
