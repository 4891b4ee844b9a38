// The Store: a node's database and the transactions every module's tables
// are written in.
//
// Each module keeps its tables' rows and typed operations in its own folder
// (src/modules/<name>/store.h: a `Store` over the transaction), written once
// in SQL that SQLite and PostgreSQL both accept, so the same store tests run
// on both. A service opens one transaction with Write() or Read() and hands
// the Tx to the stores of the modules it names; everything inside commits or
// rolls back together, audit record included. A Tx (and any module store
// made from it) must not escape the callback. Here are only the store's own
// tables: idempotency keys and the node's meta facts. Thread safety: Store is
// shareable; a Tx belongs to one thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "lib/sql/migrations.h"
#include "lib/sql/sql.h"

namespace chancery::store {

struct IdempotentReply {
  std::string request_hash;
  int status = 0;
  std::string body;
};

class Tx {
 public:
  explicit Tx(sql::Connection& c) : c_(c) {}
  sql::Connection& connection() { return c_; }

  // Idempotency keys.
  Result<std::optional<IdempotentReply>> GetIdempotent(Id user_id, const std::string& key);
  Status PutIdempotent(Id user_id, const std::string& key, const IdempotentReply& r, Timestamp now);

  // Small key/value facts about the node (schema version, node name).
  Result<std::optional<std::string>> GetMeta(const std::string& key);
  Status PutMeta(const std::string& key, const std::string& value);

 private:
  sql::Connection& c_;
};

class Store {
 public:
  explicit Store(sql::Database& db) : db_(db) {}

  // Creates or upgrades the schema by each module's numbered steps (in the
  // order given: src/app/schema.h); safe to call on every start and from
  // several processes at once.
  Status Migrate(const std::vector<sql::ModuleMigrations>& modules);

  Status Write(const std::function<Status(Tx&)>& body);
  Status Read(const std::function<Status(Tx&)>& body);
  sql::Dialect dialect() const { return db_.dialect(); }

 private:
  sql::Database& db_;
};

}  // namespace chancery::store
