// Exchange between agencies: peers, outbox, inbox, quarantine and statuses: the rows of this
// module's tables and the typed operations on them (store.cc), written once in SQL that SQLite and
// PostgreSQL both accept. A `Store` works inside one transaction of store::Store (Write or Read)
// and must not outlive it; several modules' stores may share one transaction, so a change and its
// audit record commit together.
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

namespace chancery::exchange {

// Exchange between agencies (docs/exchange.md).
struct Peer {  // another agency's node, from the directory
  Id id = 0;
  std::string agency_code;  // "000.00.01.H08"
  std::string name;
  std::string endpoint;            // "https://10.0.0.8:8443"
  std::string certificate_pem;     // its node certificate (TLS and signatures)
  std::string certificate_sha256;  // of the certificate's DER, lower hex
  std::string ca_pem;              // the CA chain its certificates come from
  std::string via;                 // agency code of the gateway that reaches it, or ""
  std::string zone;                // network zone, for gateways ("bqp", "cp")
  Classification max_classification = Classification::kNormal;  // highest label it may receive
  std::string source = "manual";                                // manual, directory
  bool active = true;
  Timestamp updated_at{};
  std::int64_t version = 1;
};

struct OutboxItem {
  Id id = 0;
  std::string peer_code;
  std::string kind;  // package, status
  std::optional<Id> document_id;
  std::string edxml_id;
  std::string code;  // business type of a package ("0".."3"), or the status code
  std::string payload_sha256;
  std::int64_t payload_size = 0;
  std::string state = "pending";  // pending, delivered, refused, failed
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::string last_error;
  std::string receipt;
  Timestamp created_at{};
  std::optional<Timestamp> done_at;
};

struct InboxItem {
  Id id = 0;
  std::string dedupe_key;
  std::string sender_code;
  std::string kind;  // package, status
  std::string edxml_id;
  std::string code;
  std::string payload_sha256;
  std::optional<Id> document_id;
  std::string prior_state;  // of a copy frozen by a recall request
  std::string receipt;
  Timestamp received_at{};
};

struct QuarantineItem {
  Id id = 0;
  Timestamp received_at{};
  std::string claimed_sender;
  std::string tls_subject;
  std::string reason_code;
  std::string message;
  std::string payload_sha256;
  std::int64_t payload_size = 0;
};

struct ExchangeStatus {
  Id id = 0;
  Id document_id = 0;
  std::string agency_code;
  std::string direction;  // in, out
  std::string code;
  std::string description;
  Timestamp at{};
};

// This module's tables, in the transaction `tx` belongs to.
class Store {
 public:
  explicit Store(store::Tx& tx) : c_(tx.connection()) {}

  // Exchange between agencies.
  Result<Id> UpsertPeer(const Peer& p);  // by agency code
  Result<Peer> GetPeer(const std::string& agency_code);
  Result<Peer> GetPeerByCertificate(const std::string& certificate_sha256);
  Result<std::vector<Peer>> ListPeers();
  Result<Id> InsertOutbox(const OutboxItem& item);
  Result<OutboxItem> GetOutbox(Id id);
  // The oldest undelivered item of each peer that is due by `now`: delivery
  // keeps each peer's order, so a later item waits for the one before it.
  Result<std::vector<OutboxItem>> DueOutbox(Timestamp now, int limit);
  Status UpdateOutbox(const OutboxItem& item);
  // The local document whose package `edxml_id` went to `peer_code`.
  Result<std::optional<Id>> DocumentOfPackage(const std::string& edxml_id,
                                              const std::string& peer_code);
  // Newest first, below `before_id` when given.
  Result<std::vector<OutboxItem>> ListOutbox(std::optional<Id> document_id,
                                             const std::string& state, int limit,
                                             std::optional<Id> before_id = std::nullopt);
  // kConflict when the dedupe key is already there.
  Result<Id> InsertInbox(const InboxItem& item);
  Result<std::optional<InboxItem>> FindInbox(const std::string& dedupe_key);
  Result<std::optional<InboxItem>> InboxOfDocument(Id document_id);
  Result<std::optional<InboxItem>> InboxOfPackage(const std::string& sender_code,
                                                  const std::string& edxml_id);
  Status SetInboxPriorState(Id id, const std::string& prior_state);
  Result<Id> InsertQuarantine(const QuarantineItem& q);
  Result<std::vector<QuarantineItem>> ListQuarantine(int limit,
                                                     std::optional<Id> before_id = std::nullopt);
  Result<Id> InsertExchangeStatus(const ExchangeStatus& s);
  Result<std::vector<ExchangeStatus>> ListExchangeStatuses(Id document_id);

 private:
  sql::Connection& c_;
};

// This module's numbered schema steps (migrations/NNN_name.sql), compiled in.
sql::ModuleMigrations Migrations();

}  // namespace chancery::exchange
