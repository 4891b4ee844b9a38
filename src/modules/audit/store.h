// The audit log: the rows of this module's tables and the typed
// operations on them (store.cc), written once in SQL that SQLite and PostgreSQL
// both accept. A `Store` works inside one transaction of store::Store (Write
// or Read) and must not outlive it; several modules' stores may share one
// transaction, so a change and its audit record commit together.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "lib/sql/migrations.h"
#include "store/store.h"

namespace chancery::audit {

struct AuditEntry {
  std::int64_t seq = 0;
  Timestamp at{};
  std::optional<Id> actor_id;
  std::string action;
  std::string object_type;
  std::optional<Id> object_id;
  std::string record;      // canonical JSON, the bytes that are hashed
  std::string leaf_hash;   // hex
  std::string root_after;  // hex: tree head once this record was appended
  bool redacted = false;   // `record` shown without its content (above the reader's clearance)
};

struct AuditQuery {
  std::string object_type;
  std::optional<Id> object_id;
  std::optional<Id> actor_id;
  std::string action;
  std::optional<Timestamp> at_or_after;  // records made at or after this instant
  std::optional<Timestamp> before;       // ... and before this one
  std::optional<std::int64_t> before_seq;
  int limit = 50;
};

// This module's tables, in the transaction `tx` belongs to.
class Store {
 public:
  explicit Store(store::Tx& tx) : c_(tx.connection()) {}

  // Audit log.
  Result<AuditEntry> AppendAudit(const AuditEntry& entry);
  Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& q);
  Result<std::vector<AuditEntry>> AuditRange(std::int64_t from_seq, std::int64_t to_seq);
  Result<std::vector<std::string>> AuditLeafHashes(std::int64_t size);
  Result<std::pair<std::int64_t, std::string>> AuditHead();  // size, root hex

 private:
  sql::Connection& c_;
};

// This module's numbered schema steps (migrations/NNN_name.sql), compiled in.
sql::ModuleMigrations Migrations();

}  // namespace chancery::audit
