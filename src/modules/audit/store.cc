// The audit log: the store's typed operations on this module's tables.
#include "modules/audit/store.h"

#include "lib/merkle/merkle.h"
#include "store/rows.h"

namespace chancery::audit {

using namespace store::rows;  // NOLINT: the store's row vocabulary
using sql::Row;
using sql::Value;

namespace {

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

// ======================= Audit =======================

Result<AuditEntry> Store::AppendAudit(const AuditEntry& in) {
  // Taking the state row first serialises appenders (row lock on PostgreSQL,
  // the write lock on SQLite), so sequence numbers and the frontier agree.
  CHY_TRY(Row state, One(c_.Query("UPDATE audit_state SET size = size + 1 WHERE id = 1 "
                                  "RETURNING size, frontier"),
                         "Audit state"));
  const std::int64_t seq = state.Int(0) - 1;
  auto tree = merkle::CompactTree::Parse(state.Text(1));
  if (!tree.ok()) return std::move(tree).error();
  if (static_cast<std::int64_t>(tree->size()) != seq) {
    return MakeError(ErrorCode::kInternal, "Audit state is inconsistent.");
  }
  AuditEntry e = in;
  e.seq = seq;
  // The record names its own position, so reordering changes its hash.
  const merkle::Hash leaf = merkle::LeafHash(std::to_string(seq) + "\n" + e.record);
  tree->Append(leaf);
  e.leaf_hash = merkle::ToHex(leaf);
  e.root_after = merkle::ToHex(tree->Root());
  CHY_TRY_STATUS(c_.Exec("UPDATE audit_state SET frontier = $1 WHERE id = 1", {tree->Serialize()}));
  CHY_TRY_STATUS(c_.Exec("INSERT INTO audit_log(" + std::string(kAuditColumns) +
                             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                         {e.seq, Micros(e.at), OptInt(e.actor_id), e.action, e.object_type,
                          OptInt(e.object_id), e.record, e.leaf_hash, e.root_after}));
  return e;
}

Result<std::vector<AuditEntry>> Store::ListAudit(const AuditQuery& q) {
  std::vector<Value> params;
  std::string sql = "SELECT " + std::string(kAuditColumns) + " FROM audit_log WHERE 1 = 1";
  if (!q.object_type.empty()) sql += " AND object_type = " + Bind(params, q.object_type);
  if (q.object_id) sql += " AND object_id = " + Bind(params, *q.object_id);
  if (q.actor_id) sql += " AND actor_id = " + Bind(params, *q.actor_id);
  if (!q.action.empty()) sql += " AND action = " + Bind(params, q.action);
  if (q.at_or_after) sql += " AND at >= " + Bind(params, Micros(*q.at_or_after));
  if (q.before) sql += " AND at < " + Bind(params, Micros(*q.before));
  if (q.before_seq) sql += " AND seq < " + Bind(params, *q.before_seq);
  sql += " ORDER BY seq DESC LIMIT " + Bind(params, std::int64_t{std::clamp(q.limit, 1, 1000)});
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<AuditEntry> out;
  for (const auto& r : rows.rows) out.push_back(AuditFromRow(r));
  return out;
}

Result<std::vector<AuditEntry>> Store::AuditRange(std::int64_t from_seq, std::int64_t to_seq) {
  CHY_TRY(auto rows, c_.Query("SELECT " + std::string(kAuditColumns) +
                                  " FROM audit_log WHERE seq >= $1 AND seq < $2 ORDER BY seq",
                              {from_seq, to_seq}));
  std::vector<AuditEntry> out;
  for (const auto& r : rows.rows) out.push_back(AuditFromRow(r));
  return out;
}

Result<std::vector<std::string>> Store::AuditLeafHashes(std::int64_t size) {
  CHY_TRY(auto rows,
          c_.Query("SELECT leaf_hash FROM audit_log WHERE seq < $1 ORDER BY seq", {size}));
  std::vector<std::string> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(r.Text(0));
  return out;
}

Result<std::pair<std::int64_t, std::string>> Store::AuditHead() {
  CHY_TRY(Row r,
          One(c_.Query("SELECT size, frontier FROM audit_state WHERE id = 1"), "Audit state"));
  auto tree = merkle::CompactTree::Parse(r.Text(1));
  if (!tree.ok()) return std::move(tree).error();
  return std::make_pair(r.Int(0), merkle::ToHex(tree->Root()));
}

}  // namespace chancery::audit
