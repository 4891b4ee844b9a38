// Numbered schema migrations, per module: each module owns a list of steps
// (src/modules/<name>/migrations/NNN_name.sql, compiled in), applied in
// order, each in a transaction of its own that also records it in
// `schema_migrations`, so a step is never applied twice and a failed step
// leaves the database as the step before left it.
//
// SQL is written once for both engines: {{ID}} becomes an auto-increment
// primary key, {{BLOB}} a byte column of the engine, and {{WITHOUT_ROWID}}
// after a table's definition stores it in its primary key's order on SQLite
// (nothing on PostgreSQL). With several
// servers on one PostgreSQL database, a transaction-scoped advisory lock
// makes one of them apply each step while the others wait and skip it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "lib/sql/sql.h"

namespace chancery::sql {

struct Migration {
  int number = 0;    // 1, 2, ... within its module; never reused, never edited once released
  std::string name;  // "001_baseline"
  std::string sql;   // the step's script (may be empty when `code` does the work)
  // Steps that need code (e.g. to fill a new column from old ones), after `sql`.
  std::function<Status(Connection&)> code;
};

struct ModuleMigrations {
  std::string module;  // "org", "documents", ...
  std::vector<Migration> steps;
};

// Serialises schema work across servers sharing a PostgreSQL database
// (a transaction-scoped advisory lock); nothing on SQLite, whose write
// transaction is the lock.
Status LockSchema(Connection& c);

// The script with {{ID}}, {{BLOB}} and {{WITHOUT_ROWID}} made concrete for `dialect`.
std::string ForDialect(std::string_view sql, Dialect dialect);

// Applies every step not yet recorded, module by module in the order given
// (a module's tables may reference those of the modules before it).
// Returns how many steps it applied.
Result<int> ApplyMigrations(Database& db, const std::vector<ModuleMigrations>& modules);

}  // namespace chancery::sql
