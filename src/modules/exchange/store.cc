// Exchange between agencies: peers, outbox, inbox, quarantine and statuses: the store's typed
// operations on this module's tables.
#include "modules/exchange/store.h"

#include "store/rows.h"

namespace chancery::exchange {

using namespace store::rows;  // NOLINT: the store's row vocabulary
using sql::Row;
using sql::Value;

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
  return InboxItem{r.Int(0),
                   r.Text(1),
                   r.Text(2),
                   r.Text(3),
                   r.Text(4),
                   r.Text(5),
                   r.Text(6),
                   r.OptInt(7),
                   r.Text(8),
                   r.Text(9),
                   FromMicros(r.Int(10))};
}

Result<std::optional<InboxItem>> FirstInbox(Result<sql::Rows> rows) {
  if (!rows.ok()) return std::move(rows).error();
  if (rows->rows.empty()) return std::optional<InboxItem>{};
  return std::optional<InboxItem>{InboxFrom(rows->rows.front())};
}

}  // namespace

Result<Id> Store::UpsertPeer(const Peer& p) {
  return InsertedId(c_.Query(
      "INSERT INTO peers(agency_code, name, endpoint, certificate_pem, certificate_sha256, ca_pem, "
      "via, zone, max_classification, source, active, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
      "ON CONFLICT (agency_code) DO UPDATE SET name = excluded.name, endpoint = excluded.endpoint, "
      "certificate_pem = excluded.certificate_pem, certificate_sha256 = "
      "excluded.certificate_sha256, "
      "ca_pem = excluded.ca_pem, via = excluded.via, zone = excluded.zone, "
      "max_classification = excluded.max_classification, source = excluded.source, "
      "active = excluded.active, updated_at = excluded.updated_at, version = peers.version + 1 "
      "RETURNING id",
      {p.agency_code, p.name, p.endpoint, p.certificate_pem, p.certificate_sha256, p.ca_pem, p.via,
       p.zone, static_cast<std::int64_t>(p.max_classification), p.source,
       static_cast<std::int64_t>(p.active ? 1 : 0), Micros(p.updated_at)}));
}

Result<Peer> Store::GetPeer(const std::string& agency_code) {
  CHY_TRY(Row r,
          One(c_.Query("SELECT " + std::string(kPeerColumns) + " FROM peers WHERE agency_code = $1",
                       {agency_code}),
              "Peer"));
  return PeerFrom(r);
}

Result<Peer> Store::GetPeerByCertificate(const std::string& certificate_sha256) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kPeerColumns) +
                                  " FROM peers WHERE certificate_sha256 = $1 AND active = 1 "
                                  "ORDER BY id LIMIT 1",
                              {certificate_sha256}),
                     "Peer"));
  return PeerFrom(r);
}

Result<std::vector<Peer>> Store::ListPeers() {
  CHY_TRY(auto rows,
          c_.Query("SELECT " + std::string(kPeerColumns) + " FROM peers ORDER BY agency_code"));
  std::vector<Peer> out;
  for (const auto& r : rows.rows) out.push_back(PeerFrom(r));
  return out;
}

Result<Id> Store::InsertOutbox(const OutboxItem& o) {
  return InsertedId(
      c_.Query("INSERT INTO outbox(peer_code, kind, document_id, edxml_id, code, payload_sha256, "
               "payload_size, state, attempts, next_attempt_at, last_error, receipt, created_at) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
               {o.peer_code, o.kind, OptInt(o.document_id), o.edxml_id, o.code, o.payload_sha256,
                o.payload_size, o.state, static_cast<std::int64_t>(o.attempts),
                Micros(o.next_attempt_at), o.last_error, o.receipt, Micros(o.created_at)}));
}

Result<OutboxItem> Store::GetOutbox(Id id) {
  CHY_TRY(
      Row r,
      One(c_.Query("SELECT " + std::string(kOutboxColumns) + " FROM outbox WHERE id = $1", {id}),
          "Outbox item"));
  return OutboxFrom(r);
}

Result<std::vector<OutboxItem>> Store::DueOutbox(Timestamp now, int limit) {
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

Status Store::UpdateOutbox(const OutboxItem& o) {
  return c_.Exec(
      "UPDATE outbox SET state = $1, attempts = $2, next_attempt_at = $3, last_error = $4, "
      "receipt = $5, done_at = $6 WHERE id = $7",
      {o.state, static_cast<std::int64_t>(o.attempts), Micros(o.next_attempt_at), o.last_error,
       o.receipt, o.done_at ? Value{Micros(*o.done_at)} : Value{nullptr}, o.id});
}

Result<std::optional<Id>> Store::DocumentOfPackage(const std::string& edxml_id,
                                                   const std::string& peer_code) {
  CHY_TRY(auto rows, c_.Query("SELECT document_id FROM outbox WHERE kind = 'package' AND "
                              "edxml_id = $1 AND peer_code = $2 ORDER BY id LIMIT 1",
                              {edxml_id, peer_code}));
  if (rows.rows.empty()) return std::optional<Id>{};
  return rows.rows[0].OptInt(0);
}

Result<std::vector<OutboxItem>> Store::ListOutbox(std::optional<Id> document_id,
                                                  const std::string& state, int limit,
                                                  std::optional<Id> before_id) {
  std::vector<Value> params;
  std::string sql = "SELECT " + std::string(kOutboxColumns) + " FROM outbox WHERE 1 = 1";
  if (document_id) sql += " AND document_id = " + Bind(params, *document_id);
  if (!state.empty()) sql += " AND state = " + Bind(params, state);
  if (before_id) sql += " AND id < " + Bind(params, *before_id);
  sql += " ORDER BY id DESC LIMIT " + Bind(params, static_cast<std::int64_t>(limit));
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<OutboxItem> out;
  for (const auto& r : rows.rows) out.push_back(OutboxFrom(r));
  return out;
}

Result<Id> Store::InsertInbox(const InboxItem& i) {
  CHY_TRY(
      auto rows,
      c_.Query("INSERT INTO inbox(dedupe_key, sender_code, kind, edxml_id, code, "
               "payload_sha256, document_id, prior_state, receipt, received_at) VALUES ($1, $2, "
               "$3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
               {i.dedupe_key, i.sender_code, i.kind, i.edxml_id, i.code, i.payload_sha256,
                OptInt(i.document_id), i.prior_state, i.receipt, Micros(i.received_at)}));
  if (rows.rows.empty()) return MakeError(ErrorCode::kConflict, "Already received.");
  return rows.rows.front().Int(0);
}

Result<std::optional<InboxItem>> Store::FindInbox(const std::string& dedupe_key) {
  return FirstInbox(c_.Query(
      "SELECT " + std::string(kInboxColumns) + " FROM inbox WHERE dedupe_key = $1", {dedupe_key}));
}

Result<std::optional<InboxItem>> Store::InboxOfDocument(Id document_id) {
  return FirstInbox(c_.Query("SELECT " + std::string(kInboxColumns) +
                                 " FROM inbox WHERE document_id = $1 ORDER BY id LIMIT 1",
                             {document_id}));
}

Result<std::optional<InboxItem>> Store::InboxOfPackage(const std::string& sender_code,
                                                       const std::string& edxml_id) {
  return FirstInbox(c_.Query("SELECT " + std::string(kInboxColumns) +
                                 " FROM inbox WHERE sender_code = $1 AND edxml_id = $2 AND kind = "
                                 "'package' AND document_id IS NOT NULL ORDER BY id DESC LIMIT 1",
                             {sender_code, edxml_id}));
}

Status Store::SetInboxPriorState(Id id, const std::string& prior_state) {
  return c_.Exec("UPDATE inbox SET prior_state = $1 WHERE id = $2", {prior_state, id});
}

Result<Id> Store::InsertQuarantine(const QuarantineItem& q) {
  return InsertedId(c_.Query(
      "INSERT INTO quarantine(received_at, claimed_sender, tls_subject, reason_code, message, "
      "payload_sha256, payload_size) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {Micros(q.received_at), q.claimed_sender, q.tls_subject, q.reason_code, q.message,
       q.payload_sha256, q.payload_size}));
}

Result<std::vector<QuarantineItem>> Store::ListQuarantine(int limit, std::optional<Id> before_id) {
  std::vector<Value> params;
  std::string sql =
      "SELECT id, received_at, claimed_sender, tls_subject, reason_code, message, payload_sha256, "
      "payload_size FROM quarantine";
  if (before_id) sql += " WHERE id < " + Bind(params, *before_id);
  sql += " ORDER BY id DESC LIMIT " + Bind(params, static_cast<std::int64_t>(limit));
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<QuarantineItem> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), FromMicros(r.Int(1)), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
                   r.Text(6), r.Int(7)});
  }
  return out;
}

Result<Id> Store::InsertExchangeStatus(const ExchangeStatus& s) {
  return InsertedId(c_.Query(
      "INSERT INTO exchange_statuses(document_id, agency_code, direction, code, description, at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {s.document_id, s.agency_code, s.direction, s.code, s.description, Micros(s.at)}));
}

Result<std::vector<ExchangeStatus>> Store::ListExchangeStatuses(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, document_id, agency_code, direction, code, description, "
                              "at FROM exchange_statuses WHERE document_id = $1 ORDER BY id",
                              {document_id}));
  std::vector<ExchangeStatus> out;
  for (const auto& r : rows.rows) {
    out.push_back(
        {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), FromMicros(r.Int(6))});
  }
  return out;
}

}  // namespace chancery::exchange
