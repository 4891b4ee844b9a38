// The SQLite driver: one file in WAL mode, one writer connection serialised
// by a mutex (SQLite allows one writer at a time anyway; queueing in-process
// is cheaper than spinning on SQLITE_BUSY), and a small pool of readers that
// run concurrently with the writer.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "lib/sql/sql.h"

namespace chancery::sql {

namespace {

// Rewrites $1, $2 ... to ?1, ?2 outside string literals and quoted names.
std::string RewriteParameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      c = '?';
    }
    out += c;
  }
  return out;
}

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  std::string message = std::string(what) + ": " + sqlite3_errmsg(db);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return MakeError(ErrorCode::kConflict, std::move(message));
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL ||
      primary == SQLITE_IOERR) {
    return MakeError(ErrorCode::kUnavailable, std::move(message));
  }
  return MakeError(ErrorCode::kInternal, std::move(message));
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [_, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  // False once SQLite has rolled the transaction back by itself (I/O error,
  // disk full): later statements would then each commit on their own.
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    CHY_TRY(sqlite3_stmt * stmt, Prepare(sql));
    // Reset on every exit so the cached statement releases its read lock.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (auto p = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *p);
      } else if (auto p = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *p);
      } else if (auto p = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, index, p->data(), p->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else if (auto p = std::get_if<Bytes>(&v)) {
        rc = sqlite3_bind_blob64(stmt, index, p->data.data(), p->data.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    Rows rows;
    const int columns = sqlite3_column_count(stmt);
    for (int i = 0; i < columns; ++i) rows.columns.emplace_back(sqlite3_column_name(stmt, i));
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, sqlite3_extended_errcode(db_), "step");
      std::vector<Value> values;
      values.reserve(columns);
      for (int i = 0; i < columns; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, i)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, i));
            break;
          case SQLITE_TEXT:
            values.emplace_back(
                std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                            sqlite3_column_bytes(stmt, i)));
            break;
          case SQLITE_BLOB: {
            const char* data = static_cast<const char*>(sqlite3_column_blob(stmt, i));
            values.emplace_back(
                Bytes{std::string(data ? data : "", sqlite3_column_bytes(stmt, i))});
            break;
          }
          default:
            values.emplace_back(nullptr);
        }
      }
      rows.rows.emplace_back(std::move(values));
    }
    rows.affected = sqlite3_changes64(db_);
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message ? message : "script failed";
      sqlite3_free(message);
      return MakeError(rc == SQLITE_BUSY ? ErrorCode::kUnavailable : ErrorCode::kInternal,
                       "SQLite: " + text);
    }
    return Ok();
  }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::string rewritten = RewriteParameters(sql);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, rewritten.data(), static_cast<int>(rewritten.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    // Dynamic queries (filters, IN lists) would grow the cache without bound.
    if (cache_.size() > 512) {
      for (auto& [_, s] : cache_) sqlite3_finalize(s);
      cache_.clear();
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Result<std::unique_ptr<SqliteConnection>> Connect(const SqliteOptions& options, bool writer) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return MakeError(ErrorCode::kUnavailable,
                     "Cannot open SQLite database " + options.path + ": " + message);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  auto connection = std::make_unique<SqliteConnection>(db);
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;";
  pragmas += "PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;";
  if (writer) pragmas += "PRAGMA journal_mode = WAL;";
  pragmas += options.durable ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;";
  CHY_TRY_STATUS(connection->ExecScript(pragmas));
  return connection;
}

class SqliteDatabase final : public Database {
 public:
  Dialect dialect() const override { return Dialect::kSqlite; }

  static Result<std::unique_ptr<Database>> Open(const SqliteOptions& options) {
    if (options.path.empty() || options.path == ":memory:") {
      return MakeError(ErrorCode::kInvalidArgument, "SQLite needs a file path.");
    }
    auto db = std::unique_ptr<SqliteDatabase>(new SqliteDatabase);
    db->path_ = options.path;
    CHY_TRY(db->writer_, Connect(options, true));
    for (int i = 0; i < std::max(1, options.read_connections); ++i) {
      CHY_TRY(auto reader, Connect(options, false));
      db->readers_.push_back(std::move(reader));
    }
    return std::unique_ptr<Database>(std::move(db));
  }

  Result<std::unique_ptr<Lease>> TryLease(std::string_view role) override {
    CHY_TRY_STATUS(CheckRole(role));
    const std::string file = path_ + ".lease-" + std::string(role);
    const int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return MakeError(ErrorCode::kInternal, "Cannot open " + file + ".");
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      close(fd);
      return std::unique_ptr<Lease>();
    }
    return std::unique_ptr<Lease>(new FileLease(fd));
  }

  Status Transact(Mode mode, const std::function<Status(Connection&)>& body) override {
    if (mode == Mode::kWrite) return GroupCommit(body);
    std::unique_ptr<SqliteConnection> reader;
    {
      std::unique_lock lock(read_mutex_);
      read_available_.wait(lock, [&] { return !readers_.empty(); });
      reader = std::move(readers_.back());
      readers_.pop_back();
    }
    Status status = RunInTransaction(*reader, "BEGIN", body);
    {
      std::lock_guard lock(read_mutex_);
      readers_.push_back(std::move(reader));
    }
    read_available_.notify_one();
    return status;
  }

 private:
  SqliteDatabase() = default;

  // Held while the descriptor is open: the kernel drops the lock when the
  // process ends, however it ends.
  class FileLease final : public Lease {
   public:
    explicit FileLease(int fd) : fd_(fd) {}
    ~FileLease() override { close(fd_); }
    bool Held() override { return true; }

   private:
    int fd_;
  };

  std::string path_;

  // Group commit. With synchronous=FULL every COMMIT waits for an fsync, and
  // that wait, not the SQL, bounds how many writes a node can take. Writers
  // that arrive while another batch is committing queue up; the first of them
  // becomes the leader and runs the whole queue in one transaction, each body
  // inside its own SAVEPOINT (a failing body rolls back only itself), then
  // commits once. Nobody is answered before the COMMIT that holds their
  // write is durable; if that COMMIT fails, everyone in the batch gets the
  // error and nothing of the batch is stored.
  struct Pending {
    const std::function<Status(Connection&)>* body;
    Status result = Ok();
    bool done = false;
  };
  static constexpr std::size_t kMaxBatch = 64;

  Status GroupCommit(const std::function<Status(Connection&)>& body) {
    Pending me{&body};
    std::unique_lock lock(queue_mutex_);
    queue_.push_back(&me);
    queue_changed_.wait(lock, [&] { return me.done || !leader_active_; });
    if (me.done) return me.result;
    leader_active_ = true;
    std::vector<Pending*> batch;
    const std::size_t n = std::min(queue_.size(), kMaxBatch);
    batch.assign(queue_.begin(), queue_.begin() + n);
    queue_.erase(queue_.begin(), queue_.begin() + n);
    if (std::find(batch.begin(), batch.end(), &me) == batch.end()) {
      // Only possible when more than kMaxBatch waited: take ourselves too.
      queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
      batch.push_back(&me);
    }
    lock.unlock();
    RunBatch(batch);
    lock.lock();
    for (Pending* p : batch) p->done = true;
    leader_active_ = false;
    queue_changed_.notify_all();
    return me.result;
  }

  void RunBatch(const std::vector<Pending*>& batch) {
    SqliteConnection& c = *writer_;
    auto run = [](Pending& p, Connection& conn) {
      try {
        p.result = (*p.body)(conn);
      } catch (const std::exception& e) {
        p.result = MakeError(ErrorCode::kInternal, std::string("exception: ") + e.what());
      }
    };
    if (batch.size() == 1) {
      Pending& p = *batch.front();
      p.result = RunInTransaction(c, "BEGIN IMMEDIATE", [&](Connection& conn) {
        run(p, conn);
        return p.result;
      });
      return;
    }
    if (Status begun = c.Exec("BEGIN IMMEDIATE"); !begun.ok()) {
      for (Pending* p : batch) p->result = begun;
      return;
    }
    for (Pending* p : batch) {
      if (!c.InTransaction()) {
        // The batch's transaction is gone and with it the earlier writes.
        const Error lost = MakeError(ErrorCode::kUnavailable, "The write was rolled back.");
        for (Pending* q : batch) q->result = lost;
        return;
      }
      Status saved = c.Exec("SAVEPOINT chancery_write");
      if (!saved.ok()) {
        p->result = saved;
        continue;
      }
      run(*p, c);
      if (!p->result.ok()) (void)c.Exec("ROLLBACK TO chancery_write");
      (void)c.Exec("RELEASE chancery_write");
    }
    if (Status committed = c.Exec("COMMIT"); !committed.ok()) {
      (void)c.Exec("ROLLBACK");
      for (Pending* p : batch) {
        if (p->result.ok()) p->result = committed;
      }
    }
  }

  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::vector<Pending*> queue_;
  bool leader_active_ = false;
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex read_mutex_;
  std::condition_variable read_available_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options) {
  return SqliteDatabase::Open(options);
}

}  // namespace chancery::sql
