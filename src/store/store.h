// The Store: every table of an agency node behind typed operations.
//
// Written once in SQL that SQLite and PostgreSQL both accept, over the
// sql::Database drivers (store/sql.h), so the same store test suite runs on
// both. A service opens one transaction with Write() or Read() and calls the
// typed operations of the Tx it is given; everything inside commits or rolls
// back together, audit record included. Tx objects must not escape the
// callback. Thread safety: Store is shareable; a Tx belongs to one thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "lib/sql/sql.h"

namespace chancery::store {

struct StoredUser {
  User user;
  std::string password_hash;
  int failed_logins = 0;
  Timestamp locked_until{};
};

struct Session {
  std::string token_hash;
  Id user_id = 0;
  std::string kind;  // "cookie" or "bearer"
  std::string csrf_token;
  Timestamp expires_at{};
};

struct Approval {  // a four-eyes request
  Id id = 0;
  std::string kind;  // user.change, document.declassify
  Id object_id = 0;
  std::string payload;  // JSON
  Id proposed_by = 0;
  Timestamp proposed_at{};
  std::string state = "pending";  // pending, approved, rejected
  std::optional<Id> decided_by;
  std::optional<Timestamp> decided_at;
  std::string reason;
};

struct UnitVersion {
  Id unit_id = 0;
  Date valid_from{};
  std::optional<Date> valid_to;
  std::string name;
  std::string abbreviation;
  std::optional<Id> parent_id;
  bool active = true;
};

struct Reorganization {
  Id id = 0;
  std::string kind;  // "merge", "split", "dissolve"
  Date effective_date{};
  std::string note;
  std::vector<Id> sources;
  std::vector<Id> targets;
};

struct Transfer {
  Id reorganization_id = 0;
  std::string object_type;  // "document", "assignment", "register_book"
  Id object_id = 0;
  Id from_unit_id = 0;
  Id to_unit_id = 0;
};

struct RegisterBook {
  Id id = 0;
  Id unit_id = 0;           // current holder
  Id original_unit_id = 0;  // unit that opened it
  std::string kind;         // "incoming" or "outgoing"
  int year = 0;
};

// Filters for document lists. Every list is keyset-paginated by id
// (descending), so a page costs the same at 1 M documents as at 100.
struct DocumentQuery {
  std::optional<Direction> direction;
  std::vector<Id> unit_ids;             // empty = any unit
  std::vector<std::string> states;      // empty = any state
  std::optional<Id> book_id;
  std::optional<Id> reply_to_id;        // replies to this document
  std::optional<Id> assigned_user_id;   // open assignments led by this user
  std::optional<Id> assigned_unit_id;   // open assignments led by this unit
  std::optional<Date> deadline_before;  // deadline < this date (overdue)
  std::optional<Date> deadline_until;   // deadline <= this date (due soon)
  std::string text;                     // folded substring of the subject / number
  Classification max_classification = Classification::kNormal;
  std::optional<Date> entered_from;     // arrival (incoming) or issue (outgoing) date >=
  std::optional<Date> entered_to;       // ... <= this date
  std::optional<Id> before_id;          // cursor
  int limit = 50;
  bool ascending = false;               // register books read in number order
  // Earliest deadline first (none last), keyset on (deadline, id): the
  // cursor is the last row's (deadline or "9999-12-31", id).
  bool by_deadline = false;
  std::optional<std::pair<std::string, Id>> after_deadline;
};

struct DeadlineCount {
  Id unit_id = 0;
  std::int64_t open = 0;
  std::int64_t overdue = 0;
  std::int64_t due_soon = 0;
};

struct PeopleQuery {
  std::vector<Id> ids;
  std::optional<Id> unit_id;
  std::string text;
  int limit = 50;
};

struct NamedFile {
  Id id = 0;
  Id document_id = 0;
  std::string sha256;
  std::string file_name;
  std::string content_type;
  std::int64_t size = 0;
  int version_no = 0;  // for versions
  std::string note;
  Id created_by = 0;
  Timestamp created_at{};
};

struct TextEntry {  // comments and processing notes
  Id id = 0;
  Id document_id = 0;
  std::optional<Id> assignment_id;
  Id user_id = 0;
  std::string body;
  Timestamp created_at{};
};

struct Recipient {
  Id unit_id = 0;
  std::optional<Id> copy_document_id;
};

struct RecordFile {  // hồ sơ
  Id id = 0;
  Id unit_id = 0;
  std::string code;
  std::string title;
  int year = 0;
};

struct AuditEntry {
  std::int64_t seq = 0;
  Timestamp at{};
  std::optional<Id> actor_id;
  std::string action;
  std::string object_type;
  std::optional<Id> object_id;
  std::string record;     // canonical JSON, the bytes that are hashed
  std::string leaf_hash;  // hex
  std::string root_after; // hex: tree head once this record was appended
  bool redacted = false;  // `record` shown without its content (above the reader's clearance)
};

struct AuditQuery {
  std::string object_type;
  std::optional<Id> object_id;
  std::optional<Id> actor_id;
  std::string action;
  std::optional<std::int64_t> before_seq;
  int limit = 50;
};

struct IdempotentReply {
  std::string request_hash;
  int status = 0;
  std::string body;
};

// A certificate the node issued (or a root it trusts), with where its key is.
struct CertificateRecord {
  Id id = 0;
  std::string serial;   // upper-case hex
  std::string profile;  // root_ca, trusted_root, person, organization, timestamping
  std::optional<Id> user_id, unit_id;
  std::string subject;
  std::string certificate_pem;
  std::string key_pem;  // encrypted PKCS#8, or empty
  std::string key_uri;  // PKCS#11 URI, or empty
  Timestamp not_before{}, not_after{};
  std::string status = "active";  // active, revoked, replaced
  std::optional<Timestamp> revoked_at;
  std::string revocation_reason;
  std::optional<Id> replaces_id;
  std::optional<Id> created_by;
  Timestamp created_at{};
};

struct CertificateQuery {
  std::optional<Id> user_id, unit_id;
  std::string profile;  // empty: any
  std::string status;   // empty: any
};

// A signature made on one of a document's files, or the verification of a
// file that arrived signed; `report` is the JSON validation report.
struct DocumentSignature {
  Id id = 0;
  Id document_id = 0;
  std::string kind;  // personal, organization, verification, issued
  std::string sha256;
  std::string file_name;
  std::string signer;
  std::string certificate_serial;
  std::string level;
  std::string indication;
  std::string report;
  std::optional<Id> created_by;
  Timestamp created_at{};
};

// How many outgoing documents were issued in a period, and how many of them
// carried both the personal and the organisation's signature.
struct SignatureShare {
  std::int64_t issued = 0;
  std::int64_t both_signed = 0;
};

struct TreeHead {
  std::int64_t tree_size = 0;
  std::string root;
  Timestamp signed_at{};
  std::string certificate_serial;
  std::string signature;  // hex DER CMS (CAdES) over the head's canonical text
};

// Exchange between agencies (docs/exchange.md).
struct Peer {  // another agency's node, from the directory
  Id id = 0;
  std::string agency_code;         // "000.00.01.H08"
  std::string name;
  std::string endpoint;            // "https://10.0.0.8:8443"
  std::string certificate_pem;     // its node certificate (TLS and signatures)
  std::string certificate_sha256;  // of the certificate's DER, lower hex
  std::string ca_pem;              // the CA chain its certificates come from
  std::string via;                 // agency code of the gateway that reaches it, or ""
  std::string zone;                // network zone, for gateways ("bqp", "cp")
  Classification max_classification = Classification::kNormal;  // highest label it may receive
  std::string source = "manual";   // manual, directory
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

class Tx {
 public:
  explicit Tx(sql::Connection& c) : c_(c) {}
  sql::Connection& connection() { return c_; }

  // Units.
  Result<Id> InsertUnit(const Unit& unit, Date effective);
  Result<Unit> GetUnit(Id id);
  Result<std::vector<Unit>> ListUnits();
  // `root` and every unit below it, in id order.
  Result<std::vector<Id>> UnitsBelow(Id root);
  // Whether `unit` is `ancestor` or below it (walks up: a few lookups).
  Result<bool> IsWithin(Id unit, Id ancestor);
  // Optimistic: kPreconditionFailed if `unit.version` is not the stored one.
  // Closes the current history period at `effective` and opens a new one.
  Status UpdateUnit(const Unit& unit, Date effective, std::optional<Id> reorganization_id);
  Result<UnitVersion> UnitAsOf(Id unit_id, Date date);
  Result<std::vector<UnitVersion>> UnitHistory(Id unit_id);
  Result<Id> InsertReorganization(const Reorganization& r, std::optional<Id> actor, Timestamp at);
  Result<std::vector<Reorganization>> ReorganizationsOf(Id unit_id);
  // Moves open documents, open assignments and register books of `from` to
  // `to`, writing one transfer row per moved object; returns the count.
  Result<int> TransferOpenWork(Id from, Id to, Id reorganization_id);
  Result<std::vector<Transfer>> TransfersFrom(Id unit_id);

  // Users and sessions.
  Result<Id> InsertUser(const User& user, const std::string& password_hash, Timestamp now);
  Result<StoredUser> GetUser(Id id);
  Result<StoredUser> GetUserByName(const std::string& username);
  Result<std::vector<User>> ListUsers(std::optional<Id> after_id, int limit);
  Status UpdateUser(const User& user);  // optimistic on user.version
  Status SetPassword(Id user_id, const std::string& password_hash);
  Status SetLoginFailures(Id user_id, int failed, Timestamp locked_until);
  Status SetLanguage(Id user_id, const std::string& language);
  // Active users by id, unit or folded name, by name; at most 200.
  Result<std::vector<User>> FindPeople(const PeopleQuery& q);
  Status InsertSession(const Session& s, Timestamp now);
  Result<Session> GetSession(const std::string& token_hash);
  Status DeleteSession(const std::string& token_hash);
  // Ends every session and token of the user but the one named (may be "").
  Status DeleteSessionsOf(Id user_id, const std::string& except_token_hash);
  // Login throttle per key ("user:<name>", "ip:<address>"): counts a failure
  // atomically and returns (failures, when the next try is allowed).
  Result<std::pair<int, Timestamp>> CountLoginFailure(const std::string& key, Timestamp now,
                                                      int free_tries,
                                                      std::chrono::seconds first_delay,
                                                      std::chrono::seconds max_delay);
  Result<Timestamp> LoginAllowedAt(const std::string& key);
  Status ClearLoginFailures(const std::string& key);
  // Uploads owned by their uploader until attached or expired.
  Status PutUpload(Id user_id, const std::string& sha256, Timestamp now, Timestamp expires_at);
  Result<bool> HasUpload(Id user_id, const std::string& sha256, Timestamp now);
  Status ConsumeUpload(Id user_id, const std::string& sha256);
  // Four-eyes requests.
  Result<Id> InsertApproval(const Approval& a);
  Result<Approval> GetApproval(Id id);
  Result<std::vector<Approval>> ListApprovals(const std::string& state, int limit);
  // false when the request was no longer pending.
  Result<bool> DecideApproval(Id id, const std::string& state, Id by, Timestamp at,
                              const std::string& reason);

  // Documents.
  Result<Id> InsertDocument(const Document& doc);
  Result<Document> GetDocument(Id id);
  // Optimistic on doc.version (kPreconditionFailed when stale); bumps it.
  Status UpdateDocument(const Document& doc);
  Result<std::vector<Document>> ListDocuments(const DocumentQuery& q);
  // Open assignments (top level) led by each unit or by someone in it: how
  // many, how many past their deadline (< today) and due by `until`.
  Result<std::vector<DeadlineCount>> CountOpenWork(const std::vector<Id>& unit_ids, Date today,
                                                   Date until, Classification max);
  Result<std::vector<Id>> FindDuplicates(const std::string& number_symbol,
                                         const std::string& issuer_name, Id exclude_id);
  // Next number of a yearly series: gap-free because it commits with the
  // registration or not at all.
  Result<std::int64_t> NextNumber(Id issuing_unit_id, int year, const std::string& series);
  Result<RegisterBook> GetOrCreateBook(Id unit_id, const std::string& kind, int year);
  Result<RegisterBook> GetBook(Id book_id);
  Result<std::vector<RegisterBook>> ListBooks(Id unit_id);
  Status InsertRecipient(Id document_id, const Recipient& r);
  Result<std::vector<Recipient>> ListRecipients(Id document_id);
  Result<Id> InsertVersion(const NamedFile& f, Timestamp now);
  Result<std::vector<NamedFile>> ListVersions(Id document_id);
  Result<Id> InsertAttachment(const NamedFile& f, Timestamp now);
  Result<std::vector<NamedFile>> ListAttachments(Id document_id);
  Result<Id> InsertComment(const TextEntry& e);
  Result<std::vector<TextEntry>> ListComments(Id document_id);
  Result<Id> InsertNote(const TextEntry& e);
  Result<std::vector<TextEntry>> ListNotes(Id document_id);
  Result<Id> InsertAssignment(const Assignment& a);
  Result<Assignment> GetAssignment(Id id);
  Result<std::vector<Assignment>> ListAssignments(Id document_id);
  Status CompleteAssignments(Id document_id, Timestamp at);
  Result<Id> InsertRecord(const RecordFile& r, Timestamp now);
  Result<RecordFile> GetRecord(Id id);
  Result<std::vector<RecordFile>> ListRecords(Id unit_id);

  // Audit log.
  Result<AuditEntry> AppendAudit(const AuditEntry& entry);
  Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& q);
  Result<std::vector<AuditEntry>> AuditRange(std::int64_t from_seq, std::int64_t to_seq);
  Result<std::vector<std::string>> AuditLeafHashes(std::int64_t size);
  Result<std::pair<std::int64_t, std::string>> AuditHead();  // size, root hex

  // Idempotency keys.
  Result<std::optional<IdempotentReply>> GetIdempotent(Id user_id, const std::string& key);
  Status PutIdempotent(Id user_id, const std::string& key, const IdempotentReply& r,
                       Timestamp now);

  // Certificates and signatures.
  Result<Id> InsertCertificate(const CertificateRecord& c);
  Result<CertificateRecord> GetCertificate(const std::string& serial);
  Result<std::vector<CertificateRecord>> ListCertificates(const CertificateQuery& q);
  Status UpdateCertificateStatus(Id id, const std::string& status,
                                 std::optional<Timestamp> revoked_at, const std::string& reason);
  Status UpdateCertificateKey(Id id, const std::string& key_pem);
  Result<std::pair<int, std::optional<Timestamp>>> GetPinAttempts(Id user_id);
  // The holder must set their own signing PIN (it was chosen by another).
  Status SetPinChangeRequired(Id user_id, Id set_by, Timestamp at);
  Status ClearPinChangeRequired(Id user_id);
  Result<bool> PinChangeRequired(Id user_id);
  // Counts one more signing-PIN attempt before it is tested and returns its
  // number; the attempt numbered `threshold` sets the lock until
  // `lock_until`, later ones are over the limit until the lock expires.
  Result<int> ReservePinAttempt(Id user_id, Timestamp now, int threshold, Timestamp lock_until);
  // The file an attachment holds, replaced by its signed form.
  Status UpdateAttachmentFile(Id id, const std::string& sha256, std::int64_t size);
  // The latest verdict on each of `document_ids`' files (verification or issue).
  Result<std::unordered_map<Id, std::string>> LatestSignatureVerdicts(const std::vector<Id>& document_ids);
  Status PutPinAttempts(Id user_id, int failures, std::optional<Timestamp> locked_until);
  Result<Id> InsertDocumentSignature(const DocumentSignature& s);
  Result<std::vector<DocumentSignature>> ListDocumentSignatures(Id document_id);
  // Outgoing documents of `unit_ids` issued from `from` to `to` (inclusive).
  Result<SignatureShare> CountSignatureShare(const std::vector<Id>& unit_ids, Date from, Date to);
  Status InsertTreeHead(const TreeHead& h);
  Result<std::vector<TreeHead>> ListTreeHeads(int limit);

  // Exchange between agencies.
  Result<Id> UpsertPeer(const Peer& p);  // by agency code
  Result<Peer> GetPeer(const std::string& agency_code);
  Result<Peer> GetPeerByCertificate(const std::string& certificate_sha256);
  Result<std::vector<Peer>> ListPeers();
  Status SetExternalRecipients(Id document_id, const std::vector<std::string>& agency_codes);
  Result<std::vector<std::string>> ListExternalRecipients(Id document_id);
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

  // Small key/value facts about the node (schema version, node name).
  Result<std::optional<std::string>> GetMeta(const std::string& key);
  Status PutMeta(const std::string& key, const std::string& value);

 private:
  sql::Connection& c_;
};

class Store {
 public:
  explicit Store(sql::Database& db) : db_(db) {}

  // Creates or upgrades the schema; safe to call on every start and from
  // several processes at once.
  Status Migrate();

  Status Write(const std::function<Status(Tx&)>& body);
  Status Read(const std::function<Status(Tx&)>& body);
  sql::Dialect dialect() const { return db_.dialect(); }

 private:
  sql::Database& db_;
};

}  // namespace chancery::store
