#include "store/store.h"

#include <algorithm>
#include <sstream>

#include "lib/merkle/merkle.h"
#include "store/rows.h"

namespace chancery::store {

namespace {

using sql::Row;
using sql::Value;

// The last number of the single schema file that preceded module
// migrations (2 added users.language and users.name_fold).
constexpr int kSchemaVersion = 5;

}  // namespace

using namespace rows;  // NOLINT: the store's row vocabulary

// ======================= Store =======================

Status Store::Migrate(const std::vector<sql::ModuleMigrations>& modules) {
  // Each module's numbered steps; the first of each is
  // the release before numbered migrations, so its databases pass through.
  if (auto applied = sql::ApplyMigrations(db_, modules); !applied.ok()) {
    return std::move(applied).error();
  }
  const bool pg = db_.dialect() == sql::Dialect::kPostgres;
  return db_.Transact(sql::Database::Mode::kWrite, [&](sql::Connection& c) -> Status {
    CHY_TRY_STATUS(sql::LockSchema(c));
    CHY_TRY_STATUS(c.Exec(
        "INSERT INTO meta(key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING",
        {std::to_string(kSchemaVersion)}));
    // A database made by a build before version 2 (the numbering of the
    // single schema file that preceded module migrations).
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
                              {text::FoldVietnamese(u.Text(1)), u.Int(0)}));
      }
    }
    // Versions 3 (signatures), 4 (exchange) and 5 (uploads, approvals,
    // login throttle) only added tables, which the baseline steps made.
    // From 5 on, schema changes are numbered steps of their module.
    return c.Exec(
        "UPDATE meta SET value = $1 WHERE key = 'schema_version' AND value IN ('1', "
        "'2', '3', '4')",
        {std::to_string(kSchemaVersion)});
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

}  // namespace chancery::store
