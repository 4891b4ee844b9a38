// The PostgreSQL driver: a fixed pool of libpq connections, parameters sent
// as typed text (bytea as binary), results read as text and converted by the
// column's type. Serialization failures and deadlocks are retried.
#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "lib/sql/sql.h"

namespace chancery::sql {

namespace {

// Type OIDs from pg_type.h (stable across releases).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23,
              kTextOid = 25, kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// Serialization failure and deadlock: the transaction may simply be run again.
bool IsRetryable(std::string_view sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

Error PgError(PGconn* conn, const PGresult* result, std::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = state ? state : "";
  std::string message =
      std::string(what) + ": " + (result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  if (sqlstate == "23505") return MakeError(ErrorCode::kConflict, std::move(message));
  if (IsRetryable(sqlstate) || PQstatus(conn) != CONNECTION_OK || sqlstate.starts_with("08") ||
      sqlstate.starts_with("53") || sqlstate.starts_with("57")) {
    return MakeError(ErrorCode::kUnavailable, std::move(message));
  }
  return MakeError(ErrorCode::kInternal, std::move(message));
}

Value Convert(const PGresult* r, int row, int column) {
  if (PQgetisnull(r, row, column)) return nullptr;
  const char* text = PQgetvalue(r, row, column);
  const int length = PQgetlength(r, row, column);
  switch (PQftype(r, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return static_cast<std::int64_t>(std::strtoll(text, nullptr, 10));
    case kBoolOid:
      return std::int64_t{text[0] == 't'};
    case kFloat4Oid:
    case kFloat8Oid:
      return std::strtod(text, nullptr);
    case kNumericOid: {
      std::string_view s(text, length);
      if (s.find_first_of(".eE") == std::string_view::npos) {
        return static_cast<std::int64_t>(std::strtoll(text, nullptr, 10));
      }
      return std::strtod(text, nullptr);
    }
    case kByteaOid: {
      std::size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      Bytes out{std::string(reinterpret_cast<const char*>(bytes), size)};
      PQfreemem(bytes);
      return out;
    }
    default:
      return std::string(text, length);
  }
}

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  void Reset() {
    PQreset(conn_);
    prepared_.clear();  // a new session has none
  }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    const int n = static_cast<int>(params.size());
    std::vector<Oid> types(n);
    std::vector<std::string> storage(n);
    std::vector<const char*> values(n);
    std::vector<int> lengths(n), formats(n);
    for (int i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) {
        values[i] = nullptr;
        continue;
      }
      if (auto p = std::get_if<std::int64_t>(&v)) {
        types[i] = kInt8Oid;
        storage[i] = std::to_string(*p);
      } else if (auto p = std::get_if<double>(&v)) {
        types[i] = kFloat8Oid;
        storage[i] = std::to_string(*p);
      } else if (auto p = std::get_if<std::string>(&v)) {
        types[i] = kTextOid;
        storage[i] = *p;
      } else if (auto p = std::get_if<Bytes>(&v)) {
        types[i] = kByteaOid;
        storage[i] = p->data;
        formats[i] = 1;
      }
      values[i] = storage[i].data();
      lengths[i] = static_cast<int>(storage[i].size());
    }
    const std::string* name = nullptr;
    PgResult r = Prepare(sql, types, &name);  // its error, if it did not prepare
    if (!r) {
      r.reset(name ? PQexecPrepared(conn_, name->c_str(), n, values.data(), lengths.data(),
                                    formats.data(), 0)
                   : PQexecParams(conn_, std::string(sql).c_str(), n, types.data(), values.data(),
                                  lengths.data(), formats.data(), 0));
    }
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      Remember(r.get());
      return PgError(conn_, r.get(), "PostgreSQL");
    }
    Rows rows;
    const int columns = PQnfields(r.get());
    const int count = PQntuples(r.get());
    for (int c = 0; c < columns; ++c) rows.columns.emplace_back(PQfname(r.get(), c));
    rows.rows.reserve(count);
    for (int row = 0; row < count; ++row) {
      std::vector<Value> out;
      out.reserve(columns);
      for (int c = 0; c < columns; ++c) out.push_back(Convert(r.get(), row, c));
      rows.rows.emplace_back(std::move(out));
    }
    const char* affected = PQcmdTuples(r.get());
    rows.affected = affected && *affected ? std::strtoll(affected, nullptr, 10) : 0;
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    PgResult r(PQexec(conn_, std::string(sql).c_str()));
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      Remember(r.get());
      return PgError(conn_, r.get(), "PostgreSQL script");
    }
    return Ok();
  }

  // Whether the last failure in this transaction says "run it again".
  bool failed_retryably() const { return retryable_; }
  void ClearFailure() { retryable_ = false; }

 private:
  // Statements are parsed once per connection and kept (PostgreSQL plans
  // them again as it sees fit). Sets `*name` to the name of `sql` prepared
  // with these parameter types, preparing it on first use, and returns
  // null; or returns the failed preparation (a syntax error, a missing
  // table, an aborted transaction), which is the statement's error. Dynamic
  // SQL (IN lists of every length) could grow the set without end: past
  // kMaxPrepared statements, new ones are sent whole (`*name` stays null).
  static constexpr std::size_t kMaxPrepared = 1000;
  PgResult Prepare(std::string_view sql, const std::vector<Oid>& types, const std::string** name) {
    std::string key(sql);
    key.push_back('\0');
    key.append(reinterpret_cast<const char*>(types.data()), types.size() * sizeof(Oid));
    if (auto it = prepared_.find(key); it != prepared_.end()) {
      *name = &it->second;
      return nullptr;
    }
    if (prepared_.size() >= kMaxPrepared) return nullptr;
    std::string fresh = "chy" + std::to_string(prepared_.size());
    PgResult r(PQprepare(conn_, fresh.c_str(), std::string(sql).c_str(),
                         static_cast<int>(types.size()), types.data()));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      if (!r) r.reset(PQmakeEmptyPGresult(conn_, PGRES_FATAL_ERROR));
      return r;
    }
    *name = &prepared_.emplace(std::move(key), std::move(fresh)).first->second;
    return nullptr;
  }

  void Remember(const PGresult* r) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    retryable_ = retryable_ || (state && IsRetryable(state));
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;
  bool retryable_ = false;
};

class PostgresDatabase final : public Database {
 public:
  Dialect dialect() const override { return Dialect::kPostgres; }

  static Result<std::unique_ptr<Database>> Open(const PostgresOptions& options) {
    auto db = std::unique_ptr<PostgresDatabase>(new PostgresDatabase);
    db->conninfo_ = options.conninfo;
    for (int i = 0; i < std::max(1, options.connections); ++i) {
      PGconn* conn = PQconnectdb(options.conninfo.c_str());
      if (PQstatus(conn) != CONNECTION_OK) {
        std::string message = conn ? PQerrorMessage(conn) : "out of memory";
        PQfinish(conn);
        return MakeError(ErrorCode::kUnavailable, "Cannot connect to PostgreSQL: " + message);
      }
      auto c = std::make_unique<PostgresConnection>(conn);
      CHY_TRY_STATUS(c->ExecScript("SET client_min_messages = warning; SET TIME ZONE 'UTC'"));
      db->pool_.push_back(std::move(c));
    }
    return std::unique_ptr<Database>(std::move(db));
  }

  // A session-level advisory lock (class 7215002, the role's FNV-1a hash)
  // on a connection of its own: PostgreSQL releases it when that session
  // ends, also when the process dies or the network drops it.
  Result<std::unique_ptr<Lease>> TryLease(std::string_view role) override {
    CHY_TRY_STATUS(CheckRole(role));
    std::uint32_t hash = 2166136261u;
    for (unsigned char ch : role) hash = (hash ^ ch) * 16777619u;
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string message = conn ? PQerrorMessage(conn) : "out of memory";
      PQfinish(conn);
      return MakeError(ErrorCode::kUnavailable, "Cannot connect to PostgreSQL: " + message);
    }
    const std::string sql = "SELECT pg_try_advisory_lock(7215002, " +
                            std::to_string(static_cast<std::int32_t>(hash)) + ")";
    PgResult r(PQexec(conn, sql.c_str()));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
      Error e = PgError(conn, r.get(), "PostgreSQL lease");
      PQfinish(conn);
      return e;
    }
    if (std::string_view(PQgetvalue(r.get(), 0, 0)) != "t") {
      PQfinish(conn);
      return std::unique_ptr<Lease>();
    }
    return std::unique_ptr<Lease>(new SessionLease(conn));
  }

  Status Transact(Mode mode, const std::function<Status(Connection&)>& body) override {
    std::unique_ptr<PostgresConnection> c = Acquire();
    Status status = Ok();
    for (int attempt = 0;; ++attempt) {
      if (!c->healthy()) c->Reset();
      c->ClearFailure();
      // A read sees one snapshot from its first statement to its last (a
      // page and its count, search hits and their facets agree); read-only,
      // it never fails to serialize.
      status = RunInTransaction(
          *c, mode == Mode::kRead ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN",
          body);
      if (status.ok() || !c->failed_retryably() || attempt == 4) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1 << attempt));
    }
    Release(std::move(c));
    return status;
  }

 private:
  PostgresDatabase() = default;

  class SessionLease final : public Lease {
   public:
    explicit SessionLease(PGconn* conn) : conn_(conn) {}
    ~SessionLease() override { PQfinish(conn_); }
    bool Held() override {
      PgResult r(PQexec(conn_, "SELECT 1"));
      return r && PQresultStatus(r.get()) == PGRES_TUPLES_OK;
    }

   private:
    PGconn* conn_;
  };

  std::string conninfo_;

  std::unique_ptr<PostgresConnection> Acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !pool_.empty(); });
    auto c = std::move(pool_.back());
    pool_.pop_back();
    return c;
  }
  void Release(std::unique_ptr<PostgresConnection> c) {
    {
      std::lock_guard lock(mutex_);
      pool_.push_back(std::move(c));
    }
    available_.notify_one();
  }

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PostgresConnection>> pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options) {
  return PostgresDatabase::Open(options);
}

}  // namespace chancery::sql
