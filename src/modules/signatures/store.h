// Certificates, signing-PIN attempts, document signatures and signed tree heads: the rows of this
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

namespace chancery::signatures {

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

// This module's tables, in the transaction `tx` belongs to.
class Store {
 public:
  explicit Store(store::Tx& tx) : c_(tx.connection()) {}

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
  Result<std::unordered_map<Id, std::string>> LatestSignatureVerdicts(
      const std::vector<Id>& document_ids);
  Status PutPinAttempts(Id user_id, int failures, std::optional<Timestamp> locked_until);
  Result<Id> InsertDocumentSignature(const DocumentSignature& s);
  Result<std::vector<DocumentSignature>> ListDocumentSignatures(Id document_id);
  // Outgoing documents of `unit_ids` issued from `from` to `to` (inclusive).
  Result<SignatureShare> CountSignatureShare(const std::vector<Id>& unit_ids, Date from, Date to);
  Status InsertTreeHead(const TreeHead& h);
  Result<std::vector<TreeHead>> ListTreeHeads(int limit);

 private:
  sql::Connection& c_;
};

// This module's numbered schema steps (migrations/NNN_name.sql), compiled in.
sql::ModuleMigrations Migrations();

}  // namespace chancery::signatures
