// Certificates, signing PINs, document signatures and tree heads: the store's typed operations on
// this module's tables.
#include "modules/signatures/store.h"

#include "store/rows.h"

namespace chancery::signatures {

using namespace store::rows;  // NOLINT: the store's row vocabulary
using sql::Row;
using sql::Value;

// ---- Certificates and signatures ----

namespace {

constexpr std::string_view kCertificateColumns =
    "id, serial, profile, user_id, unit_id, subject, certificate_pem, key_pem, key_uri, "
    "not_before, not_after, status, revoked_at, revocation_reason, replaces_id, created_by, "
    "created_at";

CertificateRecord CertificateFrom(const Row& r) {
  CertificateRecord c;
  c.id = r.Int(0);
  c.serial = r.Text(1);
  c.profile = r.Text(2);
  c.user_id = r.OptInt(3);
  c.unit_id = r.OptInt(4);
  c.subject = r.Text(5);
  c.certificate_pem = r.Text(6);
  c.key_pem = r.Text(7);
  c.key_uri = r.Text(8);
  c.not_before = FromMicros(r.Int(9));
  c.not_after = FromMicros(r.Int(10));
  c.status = r.Text(11);
  if (auto t = r.OptInt(12)) c.revoked_at = FromMicros(*t);
  c.revocation_reason = r.Text(13);
  c.replaces_id = r.OptInt(14);
  c.created_by = r.OptInt(15);
  c.created_at = FromMicros(r.Int(16));
  return c;
}

}  // namespace

Result<Id> Store::InsertCertificate(const CertificateRecord& c) {
  return InsertedId(c_.Query(
      "INSERT INTO certificates(serial, profile, user_id, unit_id, subject, certificate_pem, "
      "key_pem, key_uri, not_before, not_after, status, replaces_id, created_by, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
      {c.serial, c.profile, OptInt(c.user_id), OptInt(c.unit_id), c.subject, c.certificate_pem,
       c.key_pem, c.key_uri, Micros(c.not_before), Micros(c.not_after), c.status,
       OptInt(c.replaces_id), OptInt(c.created_by), Micros(c.created_at)}));
}

Result<CertificateRecord> Store::GetCertificate(const std::string& serial) {
  CHY_TRY(Row r, One(c_.Query("SELECT " + std::string(kCertificateColumns) +
                                  " FROM certificates WHERE serial = $1",
                              {serial}),
                     "Certificate"));
  return CertificateFrom(r);
}

Result<std::vector<CertificateRecord>> Store::ListCertificates(const CertificateQuery& q) {
  std::vector<Value> params;
  std::string sql = "SELECT " + std::string(kCertificateColumns) + " FROM certificates WHERE 1 = 1";
  if (q.user_id) sql += " AND user_id = " + Bind(params, *q.user_id);
  if (q.unit_id) sql += " AND unit_id = " + Bind(params, *q.unit_id);
  if (!q.profile.empty()) sql += " AND profile = " + Bind(params, q.profile);
  if (!q.status.empty()) sql += " AND status = " + Bind(params, q.status);
  sql += " ORDER BY id";
  CHY_TRY(auto rows, c_.Query(sql, params));
  std::vector<CertificateRecord> out;
  for (const auto& r : rows.rows) out.push_back(CertificateFrom(r));
  return out;
}

Status Store::UpdateCertificateStatus(Id id, const std::string& status,
                                      std::optional<Timestamp> revoked_at,
                                      const std::string& reason) {
  return c_.Exec(
      "UPDATE certificates SET status = $1, revoked_at = $2, revocation_reason = $3 WHERE id = $4",
      {status, revoked_at ? Value{Micros(*revoked_at)} : Value{nullptr}, reason, id});
}

Status Store::UpdateCertificateKey(Id id, const std::string& key_pem) {
  return c_.Exec("UPDATE certificates SET key_pem = $1 WHERE id = $2", {key_pem, id});
}

Status Store::UpdateAttachmentFile(Id id, const std::string& sha256, std::int64_t size) {
  return c_.Exec("UPDATE attachments SET sha256 = $1, size = $2 WHERE id = $3", {sha256, size, id});
}

Result<std::unordered_map<Id, std::string>> Store::LatestSignatureVerdicts(
    const std::vector<Id>& document_ids) {
  std::unordered_map<Id, std::string> out;
  if (document_ids.empty()) return out;
  std::vector<Value> params;
  std::string sql =
      "SELECT document_id, indication FROM document_signatures s WHERE kind IN ('verification', "
      "'issued') AND id = (SELECT MAX(id) FROM document_signatures t WHERE t.document_id = "
      "s.document_id AND t.kind IN ('verification', 'issued'))";
  AppendIn(sql, params, "document_id", document_ids);
  CHY_TRY(auto rows, c_.Query(sql, params));
  for (const auto& r : rows.rows) out[r.Int(0)] = r.Text(1);
  return out;
}

Result<std::pair<int, std::optional<Timestamp>>> Store::GetPinAttempts(Id user_id) {
  CHY_TRY(auto rows, c_.Query("SELECT failures, locked_until FROM pin_attempts WHERE user_id = $1",
                              {user_id}));
  if (rows.rows.empty()) return std::pair<int, std::optional<Timestamp>>{0, std::nullopt};
  std::optional<Timestamp> until;
  if (auto t = rows.rows[0].OptInt(1)) until = FromMicros(*t);
  return std::pair{static_cast<int>(rows.rows[0].Int(0)), until};
}

Status Store::SetPinChangeRequired(Id user_id, Id set_by, Timestamp at) {
  return c_.Exec(
      "INSERT INTO pin_change_required(user_id, set_by, set_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id) DO UPDATE SET set_by = $2, set_at = $3",
      {user_id, set_by, Micros(at)});
}

Status Store::ClearPinChangeRequired(Id user_id) {
  return c_.Exec("DELETE FROM pin_change_required WHERE user_id = $1", {user_id});
}

Result<bool> Store::PinChangeRequired(Id user_id) {
  CHY_TRY(auto rows, c_.Query("SELECT 1 FROM pin_change_required WHERE user_id = $1", {user_id}));
  return !rows.rows.empty();
}

Result<int> Store::ReservePinAttempt(Id user_id, Timestamp now, int threshold,
                                     Timestamp lock_until) {
  // One statement: concurrent attempts each get their own number, so no
  // more than `threshold` PINs are tried before the lock.
  CHY_TRY(
      auto rows,
      c_.Query("INSERT INTO pin_attempts(user_id, failures, locked_until) VALUES ($1, 1, NULL) "
               "ON CONFLICT (user_id) DO UPDATE SET "
               "failures = CASE WHEN pin_attempts.locked_until IS NOT NULL AND "
               "pin_attempts.locked_until "
               "<= $2 THEN 1 ELSE pin_attempts.failures + 1 END, "
               "locked_until = CASE WHEN pin_attempts.locked_until IS NOT NULL AND "
               "pin_attempts.locked_until <= $2 THEN NULL "
               "WHEN pin_attempts.locked_until IS NULL AND pin_attempts.failures + 1 >= $3 THEN $4 "
               "ELSE pin_attempts.locked_until END "
               "RETURNING failures",
               {user_id, Micros(now), std::int64_t{threshold}, Micros(lock_until)}));
  return static_cast<int>(rows.rows.at(0).Int(0));
}

Status Store::PutPinAttempts(Id user_id, int failures, std::optional<Timestamp> locked_until) {
  return c_.Exec(
      "INSERT INTO pin_attempts(user_id, failures, locked_until) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id) DO UPDATE SET failures = $2, locked_until = $3",
      {user_id, static_cast<std::int64_t>(failures),
       locked_until ? Value{Micros(*locked_until)} : Value{nullptr}});
}

Result<Id> Store::InsertDocumentSignature(const DocumentSignature& s) {
  return InsertedId(c_.Query(
      "INSERT INTO document_signatures(document_id, kind, sha256, file_name, signer, "
      "certificate_serial, level, indication, report, created_by, created_at) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
      {s.document_id, s.kind, s.sha256, s.file_name, s.signer, s.certificate_serial, s.level,
       s.indication, s.report, OptInt(s.created_by), Micros(s.created_at)}));
}

Result<std::vector<DocumentSignature>> Store::ListDocumentSignatures(Id document_id) {
  CHY_TRY(auto rows, c_.Query("SELECT id, document_id, kind, sha256, file_name, signer, "
                              "certificate_serial, level, indication, report, created_by, "
                              "created_at FROM document_signatures WHERE document_id = $1 "
                              "ORDER BY id",
                              {document_id}));
  std::vector<DocumentSignature> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                   r.Text(7), r.Text(8), r.Text(9), r.OptInt(10), FromMicros(r.Int(11))});
  }
  return out;
}

Result<SignatureShare> Store::CountSignatureShare(const std::vector<Id>& unit_ids, Date from,
                                                  Date to) {
  SignatureShare share;
  if (unit_ids.empty()) return share;
  std::vector<Value> params;
  std::string sql =
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM document_signatures s WHERE "
      "s.document_id = d.id AND s.kind = 'issued' AND s.indication = 'TOTAL_PASSED') THEN 1 ELSE 0 "
      "END), 0) FROM documents d WHERE d.direction = 'outgoing' AND d.state IN ('issued', "
      "'recalled', 'replaced', 'filed', 'archived') AND d.issued_date >= " +
      Bind(params, FormatDate(from)) + " AND d.issued_date <= " + Bind(params, FormatDate(to));
  AppendIn(sql, params, "d.unit_id", unit_ids);
  CHY_TRY(auto rows, c_.Query(sql, params));
  share.issued = rows.rows[0].Int(0);
  share.both_signed = rows.rows[0].Int(1);
  return share;
}

Status Store::InsertTreeHead(const TreeHead& h) {
  return c_.Exec(
      "INSERT INTO tree_heads(tree_size, root, signed_at, certificate_serial, signature) VALUES "
      "($1, $2, $3, $4, $5) ON CONFLICT (tree_size) DO NOTHING",
      {h.tree_size, h.root, Micros(h.signed_at), h.certificate_serial, h.signature});
}

Result<std::vector<TreeHead>> Store::ListTreeHeads(int limit) {
  CHY_TRY(auto rows, c_.Query("SELECT tree_size, root, signed_at, certificate_serial, signature "
                              "FROM tree_heads ORDER BY tree_size DESC LIMIT $1",
                              {static_cast<std::int64_t>(limit)}));
  std::vector<TreeHead> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Text(1), FromMicros(r.Int(2)), r.Text(3), r.Text(4)});
  }
  return out;
}

}  // namespace chancery::signatures
