// The vocabulary of the node's use cases (inputs, results, configuration)
// and the Core every module's service is built on. The HTTP handlers and the
// CLI call the module services (src/modules/<name>/service.h) and nothing
// below them.
//
// Every operation takes the acting user (`Actor`), checks role, unit scope
// and clearance itself, and does its writes in one store transaction that also
// appends the audit record, so a refused or failed request leaves the store as
// it was. A document the actor may not read (outside their units, or above
// their clearance) is reported exactly like a missing one (kNotFound), so no
// answer reveals that a classified document exists; kForbidden is kept for
// actions on documents the actor can see but may not take.
//
// Thread safety: one service object per module serves all threads; they hold
// no mutable state of their own beyond what the store and the injected
// effects hold, and locked caches (opened signing keys, the password gate).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/calendar.h"
#include "core/log.h"
#include "core/model.h"
#include "core/page.h"
#include "core/result.h"
#include "core/world.h"
#include "lib/blob/blob_store.h"
#include "lib/edxml/edxml.h"
#include "lib/pki/pades.h"
#include "modules/documents/store.h"
#include "modules/exchange/store.h"
#include "modules/org/store.h"
#include "modules/signatures/store.h"
#include "store/store.h"

namespace chancery::services {

struct Config {
  std::string node_name = "Chancery";
  int lockout_threshold = 5;                      // failed logins per name before delays
  std::chrono::minutes lockout_duration{15};      // the longest delay
  std::chrono::seconds throttle_first_delay{30};  // doubling after each further failure
  int throttle_address_tries = 50;                // failed logins per client address
  int password_hash_slots = 2;                    // argon2 checks at once
  std::chrono::hours session_lifetime{12};
  std::chrono::hours token_lifetime{24 * 90};
  int due_soon_working_days = 3;
  // argon2id cost (RFC 9106 "second recommended" is t=3, m=64 MiB; OWASP's
  // floor is t=2, m=19 MiB). Tests lower it to keep thousands of logins fast.
  std::uint32_t argon2_time_cost = 2;
  std::uint32_t argon2_memory_kib = 19 * 1024;
  std::string temp_dir = "/tmp";

  // Signatures (docs/signatures.md). The node's own private keys (CA,
  // organisations, TSA) are encrypted at rest under `key_secret`, or live in
  // the token of `pkcs11_module` (PIN `token_pin`). A person's key is
  // encrypted under their signing PIN, or lives in the token and is unlocked
  // with it, per signature.
  std::string key_secret;
  std::string pkcs11_module;
  std::string token_pin;
  std::string font_file = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
  std::string tsa_url;            // an external RFC 3161 TSA; empty: the node's own
  int pin_lockout_threshold = 5;  // wrong signing PINs before a lock
  std::chrono::minutes pin_lockout_duration{15};
  // Where the leader's signature goes (on the last page, PDF points); the
  // seal covers its left third, `seal_points` wide (36 mm is 102 points).
  pki::Box personal_signature{320, 60, 220, 110};
  double seal_points = 102;

  // Exchange between agencies (docs/exchange.md).
  std::string agency_code;  // this node's agency, e.g. "000.00.01.H08"
  std::string endpoint;     // where peers reach this node: "https://10.0.0.8:8443"
  std::chrono::milliseconds retry_base{1000};     // first retry after about this ...
  std::chrono::milliseconds retry_cap{300000};    // ... doubling up to this, with jitter
  std::chrono::seconds give_up_after{24 * 3600};  // then the delivery fails and the clerk is told
  std::size_t max_package_bytes = 64u << 20;

  // A gateway between network zones (chancery gateway): each zone's rules.
  struct GatewayZone {
    std::string name;  // "bqp", "cp": peers name their zone in the directory
    // The highest label that may leave this zone through the gateway.
    Classification max_out = Classification::kNormal;
    // Agencies in this zone allowed to send out; empty: all in the directory.
    std::vector<std::string> allow_senders;
  };
  std::vector<GatewayZone> gateway_zones;
};

// The acting, authenticated person.
using Actor = User;

// A page of documents (core/page.h: every list pages the same way).
using DocumentPage = chancery::Page<Document>;

struct LoginResult {
  std::string token;       // secret: returned once, stored only as its hash
  std::string csrf_token;  // for cookie sessions
  Timestamp expires_at{};
  User user;
};

struct UnitInput {
  std::optional<std::string> name;
  std::optional<std::string> abbreviation;
  std::optional<std::string> agency_code;
  std::optional<std::optional<Id>> parent_id;  // set to nullopt inside = make root
  std::optional<bool> issues_documents;
  std::optional<Date> effective_date;
};

struct ReorganizationInput {
  std::string kind;  // "merge", "split", "dissolve"
  Date effective_date{};
  std::vector<Id> sources;
  std::vector<Id> targets;         // existing units
  std::vector<Unit> new_units;     // created as targets (after `targets`)
  std::optional<Id> successor_id;  // receives open work; default first target
  std::string note;
};

struct ReorganizationResult {
  org::Reorganization reorganization;
  std::vector<Id> created_unit_ids;
  int transferred = 0;
};

struct UserInput {
  std::optional<std::string> username;
  std::optional<std::string> full_name;
  std::optional<Id> unit_id;
  std::optional<std::string> position;
  std::optional<std::uint32_t> roles;
  std::optional<Classification> clearance;
  std::optional<bool> active;
  std::optional<std::string> password;
  std::optional<std::string> current_password;  // changing one's own password
};

struct UserUpdate {
  User user;                               // as it is now (unchanged while a request is pending)
  std::optional<org::Approval> pending;    // the change waits for a second person
};

struct DocumentInput {  // fields a draft or an incoming registration may carry
  std::optional<std::string> type_code;
  std::optional<std::string> subject;
  std::optional<Urgency> urgency;
  std::optional<Classification> classification;
  std::optional<bool> legal_normative;
  std::optional<std::string> signer_name;
  std::optional<std::string> signer_position;
  std::optional<int> page_count;
  std::optional<int> copies;
  std::optional<std::vector<Id>> recipient_unit_ids;
  std::optional<std::vector<std::string>> recipient_agency_codes;  // peers in the directory
  std::optional<Id> reply_to_id;
  std::optional<Id> replaces_id;
  std::optional<Id> corrects_id;
  std::optional<Date> deadline;
  std::optional<std::string> notes;
  std::optional<Id> unit_id;
  // Incoming only.
  std::optional<std::string> issuer_name;
  std::optional<std::string> original_number_symbol;
  std::optional<Date> original_date;
  std::optional<std::string> scan_sha256;  // an uploaded blob: the scanned paper
  std::optional<std::string> scan_file_name;
};

struct ActionInput {
  std::string pin;      // sign, seal: unlocks the signer's key (never stored or logged)
  std::string comment;  // send_back, approve, ...
  std::string reason;   // return, recall (<= 1000 characters)
  // assign
  std::optional<Id> lead_unit_id;
  std::optional<Id> lead_user_id;
  std::vector<Id> supporting_unit_ids;
  std::optional<int> deadline_working_days;
  std::optional<Date> deadline;
  std::string directive;
  std::optional<Id> parent_assignment_id;
  // complete
  std::optional<Id> reply_document_id;
  // file
  std::optional<Id> record_id;
  std::optional<std::int64_t> expected_version;  // If-Match, when given
};

struct CreatedDocument {
  Document document;
  std::vector<Id> duplicates;  // same number/symbol and issuer already registered
};

struct DocumentDetail {
  Document document;
  std::vector<signatures::DocumentSignature> signatures;
  std::vector<std::string> allowed_actions;
  std::vector<Assignment> assignments;
  std::vector<documents::NamedFile> attachments;
  std::vector<documents::NamedFile> versions;
  std::vector<documents::TextEntry> comments;
  std::vector<documents::TextEntry> notes;
  std::vector<documents::Recipient> recipients;
};

enum class Box {
  kAll,
  kDrafts,
  kAwaitingApproval,
  kAwaitingAssignment,
  kInbox,
  kOutgoing,
  kIncoming
};

struct ListInput {
  Box box = Box::kAll;
  std::optional<Id> unit_id;
  std::vector<std::string> states;
  std::string text;
  std::optional<Id> reply_to_id;  // only replies to this document
  bool by_deadline = false;       // earliest deadline first instead of newest first
  std::optional<std::string> cursor;
  int limit = 50;
};

// Filters of a register book page.
struct BookFilter {
  std::string text;              // folded substring of subject / numbers
  std::optional<Date> from, to;  // entry (arrival or issue) date range
};

// Open work of one unit and everything below it, for a leader's dashboard.
struct UnitWorkload {
  Id unit_id = 0;
  std::string name;
  std::int64_t open = 0, overdue = 0, due_soon = 0;
};
struct Workload {
  Date today;
  Date due_soon_until;
  std::vector<UnitWorkload> units;  // the unit itself first, then its direct sub-units
};

struct Download {
  std::string sha256;
  std::string file_name;
  std::string content_type;
  std::uint64_t size = 0;
  std::string path;  // file to stream; empty when `bytes` holds the content
  std::string bytes;
};

struct AuditVerifyReport {
  bool ok = true;
  int tree_heads_checked = 0;  // signed heads whose root and signature were checked
  std::int64_t size = 0;
  std::string root;
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;  // "altered", "missing", "reordered", "head mismatch"
};

struct InclusionProof {
  std::int64_t seq = 0;
  std::int64_t tree_size = 0;
  std::string leaf_hash;
  std::string root;
  std::vector<std::string> path;
};

struct ConsistencyProof {
  std::int64_t from_size = 0;
  std::int64_t to_size = 0;
  std::string from_root;
  std::string to_root;
  std::vector<std::string> path;
};

struct BookEntries {
  documents::RegisterBook book;
  std::vector<Document> entries;
  std::unordered_map<Id, std::string> signature_verdicts;  // entry id -> latest indication
  std::optional<std::string> next_cursor;
};

struct CaInput {
  std::string common_name;  // default: "<node name> CA"
  std::string organization;
  int days = 3650;
};

struct CertificateInput {
  std::string profile;        // person, organization, timestamping
  std::optional<Id> user_id;  // person
  std::optional<Id> unit_id;  // organization (the unit that issues documents)
  int days = 730;
  std::string pin;             // person: the key is made here, encrypted under it
  std::string public_key_pem;  // or: the key was made in a token ...
  std::string key_uri;         // ... at this PKCS#11 URI
};

// A verification of a file by anyone signed in: a PDF (PAdES) or a
// detached CMS with the data it signs.
struct VerifyInput {
  std::string file;
  std::optional<std::string>
      data_sha256;            // with a CMS signature in `file`: the uploaded data it signs
  std::string detached_data;  // ... or the data itself
};

struct ShareReport {
  Id unit_id = 0;
  Date from{}, to{};
  signatures::SignatureShare share;
  double ratio = 0;     // both_signed / issued (0 when nothing was issued)
  double target = 0.8;  // DOMAIN.md: 80 % signed and exchanged online
};

// A certificate as the node shows it: never its key (which stays in the
// store, encrypted, or in a token).
struct Certificate {
  Id id = 0;
  std::string serial;   // upper-case hex
  std::string profile;  // root_ca, trusted_root, person, organization, timestamping
  std::optional<Id> user_id, unit_id;
  std::string subject;
  std::string certificate_pem;
  bool key_in_token = false;  // the key lives in a PKCS#11 token
  Timestamp not_before{}, not_after{};
  std::string status = "active";  // active, revoked, replaced
  std::optional<Timestamp> revoked_at;
  std::string revocation_reason;
  std::optional<Id> replaces_id;
  std::optional<Id> created_by;
  Timestamp created_at{};
};
inline Certificate PublicOf(const signatures::CertificateRecord& r) {
  return {r.id,        r.serial,          r.profile,           r.user_id,     r.unit_id,
          r.subject,   r.certificate_pem, !r.key_uri.empty(),  r.not_before,  r.not_after,
          r.status,    r.revoked_at,      r.revocation_reason, r.replaces_id, r.created_by,
          r.created_at};
}

// Exchange between agencies.
struct NodeIdentity {  // what another agency's administrator enters for this node
  std::string agency_code;
  std::string name;
  std::string endpoint;
  std::string certificate_pem;  // the node's certificate: TLS and receipts
  std::string ca_pem;           // the node's CA: its documents' signatures chain to it
  std::string certificate_sha256;
};

// A TLS identity of this node (or of one zone of a gateway): its certificate
// chain and where its key is.
struct TlsIdentity {
  std::string certificate_chain_pem;  // leaf, then the node's CA
  pki::KeyRef key;
  std::string certificate_sha256;
};

// A call from a peer node, authenticated by its TLS client certificate.
struct PeerCall {
  std::string peer_certificate_pem;
  std::string hop_signature;  // from a gateway: its detached CMS over the body (hex)
};

// What a peer's node answered to a delivery.
struct TransportReply {
  int status = 0;
  std::string body;
};
// Sends `body` to `peer`'s endpoint + `path` over mutual TLS (the node
// wires the HTTP client in; services do no networking themselves).
using PeerTransport =
    std::function<Result<TransportReply>(const exchange::Peer& peer, const std::string& path,
                                         const std::string& body, const std::string& content_type)>;

struct ExchangeRecipient {  // one other agency's view of a document
  std::string agency_code;
  std::string name;
  std::string delivery;  // pending, delivered, refused, failed (the package's)
  int attempts = 0;
  std::string last_error;
  std::string latest_code;  // latest status notice, "" before any
  std::string latest_description;
  std::optional<Timestamp> latest_at;
  std::vector<exchange::ExchangeStatus> history;
};

struct DeliveryRound {
  int delivered = 0, refused = 0, retried = 0, failed = 0;
};

// A peer entry from JSON (agency_code, name, endpoint, certificate_pem,
// ca_pem, via, zone, max_classification), as `exchange identity` prints it
// and a directory file lists it; PutPeer checks it.
Result<exchange::Peer> PeerFromJson(std::string_view text);

// The refusal of an arrival: a stable reason code the sender can show.
inline constexpr std::string_view kRefusedProblem = "exchange.refused";

// Whether `actor` sees `user`'s clearance: their own, or as an
// administrator or security officer (clerks and leaders see names, units
// and positions only).
inline bool MaySeeClearance(const Actor& actor, const User& user) {
  return actor.id == user.id || actor.Has(kRoleAdmin) || actor.Has(kRoleSecurity);
}

// The node's console (`chancery init`, `demo`, operators' commands): actor
// id 0, every role, top clearance. Whoever runs the binary on the node's
// folder holds the machine; people act through the API under four eyes.
inline Actor ConsoleOperator(Id unit_id = 0) {
  Actor u;
  u.id = 0;
  u.username = "system";
  u.unit_id = unit_id;
  u.roles = kRoleAdmin | kRoleClerk | kRoleLeader | kRoleSpecialist | kRoleSecurity;
  u.clearance = Classification::kTopSecret;
  return u;
}

// What every module's service shares: the store, the blobs, the injected
// effects (clock, randomness, calendar), the configuration, and the rules
// every module applies the same way — the actor's unit scope, the audit
// record in the same transaction, and the one way to read a document.
// Module services (src/modules/<name>/service.h) derive from it; src/app
// builds one Core and passes it to each.
class Core {
 public:
  Core(store::Store& store, blob::BlobStore& blobs, const Clock& clock, Random& random,
       const WorkCalendar& calendar, Config config, Logger& logger = NullLogger())
      : store_(store),
        blobs_(blobs),
        clock_(clock),
        random_(random),
        calendar_(calendar),
        config_(std::move(config)),
        logger_(logger) {}

  const Config& config() const { return config_; }
  const WorkCalendar& calendar() const { return calendar_; }
  Date Today() const { return VietnamDate(clock_.Now()); }

 protected:
  struct Scope {            // the units an actor reaches
    std::vector<Id> reach;  // the actor's unit and every unit below it, sorted
    bool Reaches(Id unit) const { return std::binary_search(reach.begin(), reach.end(), unit); }
  };
  Result<Scope> ScopeOf(store::Tx& tx, const Actor& actor);
  // A write whose failure must not fail the request it serves (a refusal's
  // quarantine row, an attempt no longer counted): logged as `event`, never
  // silently dropped.
  void LogIfFailed(const Status& s, std::string_view event) {
    if (!s.ok()) logger_.Log(LogLevel::kError, event, {{"error", s.error().message}});
  }
  Status Audit(store::Tx& tx, const Actor* actor, std::string_view action,
               std::string_view object_type, std::optional<Id> object_id,
               const std::string& details_json);
  Result<Document> ReadableDocument(store::Tx& tx, const Actor& actor, Id id);
  // Every read of one document's content or metadata goes through here: the
  // visibility rule (404 when hidden), then `read` in the same transaction,
  // and for a classified document a `document.read` audit record naming
  // `purpose` ("detail", "timeline", "exchange", "edxml", "file") written in
  // that transaction too, so no classified read goes unrecorded.
  using DocumentReader = std::function<Status(store::Tx&, const Document&)>;
  Status ReadDocument(const Actor& actor, Id id, std::string_view purpose,
                      const DocumentReader& read, const std::string& details_json = "");
  Result<Id> IssuingUnitOf(store::Tx& tx, Id unit_id);

  store::Store& store_;
  blob::BlobStore& blobs_;
  const Clock& clock_;
  Random& random_;
  const WorkCalendar& calendar_;
  Config config_;
  Logger& logger_;
};

}  // namespace chancery::services
