// The signatures module's use cases. The node's PKI, signing in the document flow, verification,
// signed tree heads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lib/pki/pades.h"
#include "modules/documents/store.h"
#include "modules/signatures/store.h"
#include "services/services.h"

namespace chancery::services {

// The signatures module's settings (docs/signatures.md). The node's own
// private keys (CA, organisations, TSA) are encrypted at rest under
// `key_secret`, or live in the token of `pkcs11_module` (PIN `token_pin`). A
// person's key is encrypted under their signing PIN, or lives in the token
// and is unlocked with it, per signature.
struct SignatureSettings {
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

class SignatureService : public Core {
 public:
  explicit SignatureService(const Core& core, SignatureSettings settings = {})
      : Core(core), settings_(std::move(settings)) {}
  const SignatureSettings& settings() const { return settings_; }

  // Where signature time-stamps come from when `tsa_url` is set (the node
  // wires an HTTP client in; the services do no networking themselves).
  using TimestampClient = std::function<Result<std::string>(std::string_view request_der)>;
  void set_external_tsa(TimestampClient tsa) { external_tsa_ = std::move(tsa); }
  // The CAs of other agencies that vouch for their documents' signatures:
  // the exchange names those of its directory (wired in src/app/modules.h).
  using PeerCas = std::function<Result<std::vector<std::string>>(store::Tx&)>;
  void set_peer_cas(PeerCas cas) { peer_cas_ = std::move(cas); }
  // ---- Signatures (PKI) ----
  Result<Certificate> CreateNodeCa(const Actor& actor, const CaInput& in);
  // Trusts an external CA: a PEM bundle of its root and intermediates (roots
  // anchor trust; intermediates help build chains to them).
  Result<std::vector<Certificate>> ImportTrustedChain(const Actor& actor,
                                                      const std::string& pem_bundle);
  Result<Certificate> IssueCertificate(const Actor& actor, const CertificateInput& in);
  // A new certificate for the same holder and key store; the old one is
  // marked replaced (it stays valid for what it signed).
  Result<Certificate> RenewCertificate(const Actor& actor, const std::string& serial,
                                       const CertificateInput& in);
  Result<Certificate> RevokeCertificate(const Actor& actor, const std::string& serial,
                                        const std::string& reason);
  Result<std::vector<Certificate>> ListCertificates(const Actor& actor,
                                                    const signatures::CertificateQuery& q);
  // Public: the node CA's current CRL (PEM), its OCSP answers, its TSA.
  Result<std::string> CurrentCrl();
  Result<std::string> AnswerOcsp(std::string_view request_der);
  Result<std::string> AnswerTimestamp(std::string_view request_der);
  Status ChangeSigningPin(const Actor& actor, const std::string& old_pin,
                          const std::string& new_pin);
  // The image a signature shows: "seal" of a unit, or a person's handwritten "signature" (PNG).
  Status SetAppearanceImage(const Actor& actor, const std::string& kind, Id id,
                            std::string_view png);
  // A validation report (JSON) for any signed file.
  Result<std::string> VerifyFile(const Actor& actor, const VerifyInput& in);
  Result<ShareReport> SignatureShareOf(const Actor& actor, std::optional<Id> unit_id, Date from,
                                       Date to);
  // Signs the audit log's current head with the node's organisation key.
  // The node's scheduled signing acts as the console operator.
  Result<signatures::TreeHead> SignTreeHead(const Actor& actor);
  Result<std::vector<signatures::TreeHead>> TreeHeads(const Actor& actor, int limit);

  // ---- for the modules above this one ----
  // Signatures (signatures.cc).
  struct SignedFiles {                            // what a sign or seal action adds to a document
    std::int64_t expected_version = 0;            // the document as it was when signed
    std::optional<documents::NamedFile> version;  // the signed main file
    std::vector<std::pair<Id, documents::NamedFile>> attachments;  // signed appendices
    std::vector<signatures::DocumentSignature> signatures;
  };
  Result<SignedFiles> SignForAction(const Actor& actor, Id id, const std::string& action,
                                    const ActionInput& in);
  Status RecordSignedFiles(store::Tx& tx, const Actor& actor, Document& d, SignedFiles& files);
  // The issue of a document, checked before its transaction (reading,
  // then verifying outside any transaction): the newest version must carry
  // a leader's and the organisation's valid signatures. `arrival` is the
  // verification record its copies get (the same bytes, the same anchors).
  struct IssueCheck {
    std::optional<documents::NamedFile> main;  // null: a paper document
    std::string report_json;
    std::optional<signatures::DocumentSignature> arrival;
    std::optional<Error> refusal;  // not both signatures: refused in the transaction
  };
  Result<IssueCheck> CheckIssue(const Actor& actor, Id document_id);
  // In the issue's transaction: the newest version is still the one checked
  // (kConflict otherwise), and the check is recorded.
  Status RecordIssue(store::Tx& tx, const Actor& actor, const Document& d, const IssueCheck& check);
  // The verification record of a file that arrives (a scan, a copy), made
  // before the transaction that stores it; nothing for files that are not PDF.
  Result<std::optional<signatures::DocumentSignature>> CheckArrivalNow(
      const std::string& sha256, const std::string& file_name);
  Status CheckTreeHead(store::Tx& tx, const signatures::TreeHead& head,
                       const std::string& root_now);
  struct TrustAnchors {  // roots this node trusts, and its CA's current CRL
    std::vector<std::string> roots, crls;
  };
  // `only_peer_ca`: for an arrival from a peer, that peer's CA instead of
  // every peer's.
  Result<TrustAnchors> TrustAnchorsOf(store::Tx& tx, const std::string* only_peer_ca = nullptr);
  // The verification record of a file that arrived (a PDF's signatures
  // checked; nothing for other files), made outside any transaction.
  Result<std::optional<signatures::DocumentSignature>> CheckArrival(const TrustAnchors& anchors,
                                                                    const std::string& sha256,
                                                                    const std::string& file_name);
  pki::KeyRef NodeKey(const signatures::CertificateRecord& cert) const;
  // A gateway's own certificate in network zone `zone` ("zone:<name>"),
  // with its key sealed under the node's key secret, issued by `ca`.
  Result<signatures::CertificateRecord> IssueZoneCertificate(
      const std::string& zone, const signatures::CertificateRecord& ca);

 private:
  Result<signatures::CertificateRecord> CreateNodeCaRecord(const Actor& actor, const CaInput& in);
  Result<std::vector<signatures::CertificateRecord>> ImportTrustedChainRecord(
      const Actor& actor, const std::string& pem_bundle);
  Result<signatures::CertificateRecord> IssueCertificateRecord(const Actor& actor,
                                                               const CertificateInput& in);
  Result<signatures::CertificateRecord> RenewCertificateRecord(const Actor& actor,
                                                               const std::string& serial,
                                                               const CertificateInput& in);
  Result<signatures::CertificateRecord> RevokeCertificateRecord(const Actor& actor,
                                                                const std::string& serial,
                                                                const std::string& reason);
  Result<std::vector<signatures::CertificateRecord>> ListCertificatesRecord(
      const Actor& actor, const signatures::CertificateQuery& q);
  struct SigningPlan {
    Document d;
    std::optional<documents::NamedFile> main;
    std::vector<documents::NamedFile> appendices;
    std::optional<signatures::CertificateRecord> cert, ca;
    std::optional<std::string> image_sha;
    std::vector<std::string> signer_certs;  // earlier signers', for the validation data
    Unit issuer;
  };
  Result<SigningPlan> SigningPlanOf(const Actor& actor, Id id, const std::string& action);
  void DrawSignature(pki::PdfSignRequest& request, const std::string& action, const Actor& actor,
                     const Document& d, const std::string& image, const std::string& when) const;
  Result<pki::KeyRef> UnlockPersonKey(const Actor& actor, const signatures::CertificateRecord& cert,
                                      const std::string& pin);
  Result<pki::PdfReport> VerifyPdfHere(store::Tx& tx, std::string_view pdf);

  // The node CA's CRL as last signed: every check of a signature (each
  // package that arrives) needs it, and signing one costs a key unsealing
  // and an RSA signature. Reused while the CA and its revocations are the
  // same and it is less than an hour old (CrlOf).
  struct CrlCache {
    std::mutex mu;
    std::string key;  // the CA's certificate and each revocation, as signed
    std::string crl;
    Timestamp made{};
  };
  Result<std::string> CrlOf(store::Tx& tx, const signatures::CertificateRecord& ca);

  SignatureSettings settings_;
  TimestampClient external_tsa_;
  PeerCas peer_cas_;
  std::shared_ptr<CrlCache> crl_cache_ = std::make_shared<CrlCache>();
};

}  // namespace chancery::services
