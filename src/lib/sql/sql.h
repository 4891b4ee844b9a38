// A small SQL client abstraction with two drivers: SQLite and PostgreSQL.
//
// The Store (store.h) is written once, in SQL both engines accept, against
// these interfaces; the drivers differ only in how they connect, bind, and
// lock. Statements use PostgreSQL-style positional parameters ($1, $2, ...);
// the SQLite driver rewrites them to ?1, ?2. Integers are 64-bit, text is
// UTF-8, blobs are bytes.
//
// Thread safety: a Database may be used from any thread; a Connection belongs
// to one thread at a time (the one holding the lease).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace chancery::sql {

struct Bytes {
  std::string data;
};

// NULL, integer, real, text, blob.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Bytes>;

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(values_[i]); }
  // Conversions are lenient where engines differ (PostgreSQL returns text for
  // numerics in text mode; the driver already converts int8/int4/bool).
  std::int64_t Int(std::size_t i) const;
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  double Real(std::size_t i) const;
  std::string Text(std::size_t i) const;  // NULL gives ""
  std::optional<std::string> OptText(std::size_t i) const;
  const std::vector<Value>& values() const { return values_; }

 private:
  std::vector<Value> values_;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
};

enum class Dialect { kSqlite, kPostgres };

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement with parameters and returns its rows (if any).
  // A unique-constraint violation is ErrorCode::kConflict; a lost connection
  // or a busy database is kUnavailable; anything else is kInternal.
  virtual Result<Rows> Query(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Runs a script of several statements without parameters (schema set-up).
  virtual Status ExecScript(std::string_view sql) = 0;

  Status Exec(std::string_view sql, std::span<const Value> params = {}) {
    auto r = Query(sql, params);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }
  Status Exec(std::string_view sql, std::initializer_list<Value> params) {
    return Exec(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<Rows> Query(std::string_view sql, std::initializer_list<Value> params) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
};

// A pool of connections to one database.
// Work that one process at a time must do among every `chancery serve` on
// one database (the exchange sender, the signer of tree heads): whoever
// holds the lease of its role does it. A lease ends when it is destroyed or
// when its holder dies, so another process takes the work over.
class Lease {
 public:
  virtual ~Lease() = default;
  // Whether it still holds (PostgreSQL: its session is alive; a lost
  // session has lost the lock, and another process may hold it now).
  virtual bool Held() = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // The lease of `role`, or null while another process holds it.
  // PostgreSQL: a session-level advisory lock on a connection of its own;
  // SQLite: an exclusive flock on a file beside the database.
  virtual Result<std::unique_ptr<Lease>> TryLease(std::string_view role) = 0;

  enum class Mode { kRead, kWrite };
  // Runs `body` inside one transaction on a pooled connection: BEGIN
  // (IMMEDIATE on SQLite for kWrite, so writers queue on the lock instead of
  // failing at commit), then COMMIT if `body` returns ok, ROLLBACK otherwise.
  // A commit that fails is returned as the error. When commit is acknowledged
  // the transaction is durable (synchronous=FULL on SQLite, fsync on PG).
  // On PostgreSQL a serialization failure or deadlock is retried up to a few
  // times, so `body` must be safe to run again (no effects outside the tx).
  virtual Status Transact(Mode mode, const std::function<Status(Connection&)>& body) = 0;
};

// For drivers: a lease's role is lower-case letters and '-' (it names a
// file beside an SQLite database), 1 to 40 of them.
Status CheckRole(std::string_view role);

// For drivers: runs `begin`, then `body`, then COMMIT if it succeeded and
// ROLLBACK otherwise (also when COMMIT itself fails).
Status RunInTransaction(Connection& c, std::string_view begin,
                        const std::function<Status(Connection&)>& body);

struct SqliteOptions {
  std::string path;  // file path; ":memory:" is not supported (pool)
  int read_connections = 4;
  bool durable = true;  // synchronous=FULL (else NORMAL)
  int busy_timeout_ms = 30000;
};
Result<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options);

struct PostgresOptions {
  std::string conninfo;  // libpq connection string
  int connections = 8;
};
Result<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options);

// "sqlite:/path/to/file.db" or "postgresql://..." / "postgres://..." / "host=...".
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url);

}  // namespace chancery::sql
