// Signatures: the node's PKI — its CA, certificates for persons and organisations, trusted roots,
// CRL, OCSP and TSA. docs/signatures.md.
#include "modules/signatures/service.h"

#include <boost/json.hpp>

#include "core/digest.h"
#include "core/document_flow.h"
#include "lib/merkle/merkle.h"
#include "lib/pki/ocsp.h"
#include "lib/pki/pades.h"
#include "modules/signatures/internal.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using namespace signatures_detail;  // NOLINT: this module's own helpers

pki::KeyRef SignatureService::NodeKey(const signatures::CertificateRecord& cert) const {
  if (!cert.key_uri.empty()) {
    return pki::KeyRef::Token(cert.key_uri, settings_.pkcs11_module, settings_.token_pin);
  }
  return pki::KeyRef::Pem(cert.key_pem, settings_.key_secret);
}

// ---------------------------------------------------------------- the CA

Result<signatures::CertificateRecord> SignatureService::CreateNodeCaRecord(const Actor& actor,
                                                                           const CaInput& in) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity));
  if (settings_.key_secret.empty()) {
    return MakeError(ErrorCode::kUnavailable,
                     "Set [pki] key_secret (or CHANCERY_KEY_SECRET) before creating the CA.");
  }
  const Timestamp now = clock_.Now();
  const std::string name = in.common_name.empty() ? config_.node_name + " CA" : in.common_name;
  CHY_TRY_STATUS(CheckText("common_name", name, 200, true));
  if (in.days < 1 || in.days > 36500) {
    return Error::Invalid("days", "out_of_range", "Between 1 and 36500 days.");
  }
  // Keys first (slow), then one transaction records the CA, the node's own
  // signing certificate (tree heads, exchange) and its TSA.
  CHY_TRY(std::string ca_key, pki::GenerateKey(settings_.key_secret));
  CHY_TRY(std::string node_key, pki::GenerateKey(settings_.key_secret));
  CHY_TRY(std::string tsa_key, pki::GenerateKey(settings_.key_secret));
  const pki::KeyRef ca_ref = pki::KeyRef::Pem(ca_key, settings_.key_secret);
  CHY_TRY(std::string ca_pub, pki::PublicKeyPem(ca_ref));
  CHY_TRY(auto ca, pki::Issue({"", ca_ref},
                              {.common_name = name,
                               .organization =
                                   in.organization.empty() ? config_.node_name : in.organization},
                              ca_pub, pki::Profile::kRootCa, now, in.days));
  const pki::Issuer issuer{ca.certificate_pem, ca_ref};
  CHY_TRY(std::string node_pub,
          pki::PublicKeyPem(pki::KeyRef::Pem(node_key, settings_.key_secret)));
  // The node's certificate names its agency: peers check that it matches
  // the agency code of what the node sends them (docs/exchange.md).
  CHY_TRY(auto node,
          pki::Issue(issuer,
                     {.common_name = config_.node_name,
                      .organization = config_.node_name,
                      .organization_id = config_.agency_code},
                     node_pub, pki::Profile::kOrganization, now, std::min(in.days, 3650)));
  CHY_TRY(std::string tsa_pub, pki::PublicKeyPem(pki::KeyRef::Pem(tsa_key, settings_.key_secret)));
  CHY_TRY(auto tsa,
          pki::Issue(issuer,
                     {.common_name = config_.node_name + " TSA", .organization = config_.node_name},
                     tsa_pub, pki::Profile::kTimestamping, now, std::min(in.days, 3650)));
  signatures::CertificateRecord out;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(auto existing, ActiveCertificate(tx, kNodeCaProfile, std::nullopt, std::nullopt));
    if (existing) {
      return MakeError(ErrorCode::kConflict, "This node already has a certificate authority.");
    }
    auto record = [&](const pki::Issued& issued, std::string profile, std::string subject,
                      std::string key, int days) -> Result<signatures::CertificateRecord> {
      signatures::CertificateRecord c;
      c.serial = issued.serial_hex;
      c.profile = std::move(profile);
      c.subject = std::move(subject);
      c.certificate_pem = issued.certificate_pem;
      c.key_pem = std::move(key);
      c.not_before = now;
      c.not_after = now + std::chrono::hours(24) * days;
      c.created_by = actor.id;
      c.created_at = now;
      CHY_TRY(c.id, signatures::Store(tx).InsertCertificate(c));
      CHY_TRY_STATUS(
          Audit(tx, &actor, "pki.certificate_issued", "certificate", c.id, NewSerialNote(c)));
      return c;
    };
    CHY_TRY(out, record(ca, std::string(kNodeCaProfile), name, ca_key, in.days));
    CHY_TRY_STATUS(record(node, "node", config_.node_name, node_key, std::min(in.days, 3650)));
    CHY_TRY_STATUS(
        record(tsa, "timestamping", config_.node_name + " TSA", tsa_key, std::min(in.days, 3650)));
    return Ok();
  }));
  return out;
}

Result<std::vector<signatures::CertificateRecord>> SignatureService::ImportTrustedChainRecord(
    const Actor& actor, const std::string& pem_bundle) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity));
  CHY_TRY(auto certificates, pki::DescribeCertificates(pem_bundle));
  std::vector<signatures::CertificateRecord> out;
  for (const auto& info : certificates) {
    if (!info.ca) {
      return Error::Invalid("certificate_pem", "not_ca",
                            "Only CA certificates are trusted: " + info.subject);
    }
    signatures::CertificateRecord c;
    c.serial = info.serial_hex;
    c.profile = info.self_signed ? kTrustedRootProfile : kTrustedIntermediateProfile;
    c.subject = info.subject;
    c.certificate_pem = info.pem;
    c.not_before = info.not_before;
    c.not_after = info.not_after;
    c.created_by = actor.id;
    c.created_at = clock_.Now();
    out.push_back(std::move(c));
  }
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    for (auto& c : out) {
      if (signatures::Store(tx).GetCertificate(c.serial).ok()) {
        return MakeError(ErrorCode::kConflict,
                         "This certificate is already known here: " + c.subject);
      }
      CHY_TRY(c.id, signatures::Store(tx).InsertCertificate(c));
      CHY_TRY_STATUS(Audit(tx, &actor, "pki.ca_trusted", "certificate", c.id, NewSerialNote(c)));
    }
    return Ok();
  }));
  return out;
}

Result<signatures::CertificateRecord> SignatureService::IssueCertificateRecord(
    const Actor& actor, const CertificateInput& in) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity));
  pki::Profile profile;
  if (in.profile == "person") {
    profile = pki::Profile::kPerson;
    if (!in.user_id) return Error::Invalid("user_id", "required", "Whose certificate?");
  } else if (in.profile == "organization") {
    profile = pki::Profile::kOrganization;
    if (!in.unit_id) return Error::Invalid("unit_id", "required", "Which unit's seal?");
  } else {
    return Error::Invalid("profile", "bad_value", "person or organization.");
  }
  if (in.days < 1 || in.days > 3650)
    return Error::Invalid("days", "out_of_range", "Between 1 and 3650 days.");
  const bool in_token = !in.key_uri.empty();
  if (in_token != !in.public_key_pem.empty()) {
    return Error::Invalid("key_uri", "required",
                          "A token key needs both its URI and its public key.");
  }
  if (!in_token && profile == pki::Profile::kPerson) CHY_TRY_STATUS(CheckPin("pin", in.pin));
  if (!in_token && profile == pki::Profile::kOrganization && settings_.key_secret.empty()) {
    return MakeError(ErrorCode::kUnavailable,
                     "Set [pki] key_secret before making organisation keys.");
  }

  // Who the certificate names.
  pki::Subject subject;
  signatures::CertificateRecord ca;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(ca, NodeCa(tx));
    if (profile == pki::Profile::kPerson) {
      CHY_TRY(auto user, org::Store(tx).GetUser(*in.user_id));
      CHY_TRY(Unit unit, org::Store(tx).GetUnit(user.user.unit_id));
      CHY_TRY(Id agency_id, IssuingUnitOf(tx, unit.id));
      CHY_TRY(Unit agency, org::Store(tx).GetUnit(agency_id));
      subject = {.common_name = user.user.full_name,
                 .organization = agency.name,
                 .organizational_unit = unit.name,
                 .organization_id = agency.agency_code};
    } else {
      CHY_TRY(Unit unit, org::Store(tx).GetUnit(*in.unit_id));
      if (!unit.issues_documents || !unit.active) {
        return Error::Invalid("unit_id", "no_seal",
                              "Only an active unit that issues documents has a seal.");
      }
      subject = {
          .common_name = unit.name, .organization = unit.name, .organization_id = unit.agency_code};
    }
    return Ok();
  }));

  signatures::CertificateRecord c;
  c.profile = in.profile;
  c.user_id = in.user_id;
  c.unit_id = profile == pki::Profile::kOrganization ? in.unit_id : std::nullopt;
  std::string public_key = in.public_key_pem;
  if (in_token) {
    c.key_uri = in.key_uri;
  } else {
    const std::string& passphrase =
        profile == pki::Profile::kPerson ? in.pin : settings_.key_secret;
    CHY_TRY(c.key_pem, pki::GenerateKey(passphrase, profile == pki::Profile::kPerson
                                                        ? pki::KeyWrap::kArgon2idGcm
                                                        : pki::KeyWrap::kPkcs8));
    CHY_TRY(public_key, pki::PublicKeyPem(pki::KeyRef::Pem(c.key_pem, passphrase)));
  }
  const Timestamp now = clock_.Now();
  CHY_TRY(auto issued, pki::Issue({ca.certificate_pem, NodeKey(ca)}, subject, public_key, profile,
                                  now, in.days));
  c.serial = issued.serial_hex;
  c.subject = subject.common_name;
  c.certificate_pem = issued.certificate_pem;
  c.not_before = now;
  c.not_after = now + std::chrono::hours(24) * in.days;
  c.created_by = actor.id;
  c.created_at = now;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    // A new certificate replaces the holder's current one of this profile.
    CHY_TRY(auto current, ActiveCertificate(tx, c.profile, c.user_id, c.unit_id));
    if (current) {
      CHY_TRY_STATUS(
          signatures::Store(tx).UpdateCertificateStatus(current->id, "replaced", std::nullopt, ""));
      c.replaces_id = current->id;
    }
    CHY_TRY(c.id, signatures::Store(tx).InsertCertificate(c));
    // A PIN chosen by the issuer is a first PIN only: the holder replaces
    // it before the key signs (the console's seeding excepted).
    if (profile == pki::Profile::kPerson && !in_token && c.user_id && actor.id != 0 &&
        actor.id != *c.user_id) {
      CHY_TRY_STATUS(
          signatures::Store(tx).SetPinChangeRequired(*c.user_id, actor.id, clock_.Now()));
    }
    return Audit(tx, &actor, "pki.certificate_issued", "certificate", c.id, NewSerialNote(c));
  }));
  return c;
}

Result<signatures::CertificateRecord> SignatureService::RenewCertificateRecord(
    const Actor& actor, const std::string& serial, const CertificateInput& in) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin | kRoleSecurity));
  if (in.days < 1 || in.days > 3650)
    return Error::Invalid("days", "out_of_range", "Between 1 and 3650 days.");
  signatures::CertificateRecord old, ca;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(old, signatures::Store(tx).GetCertificate(serial));
    CHY_TRY(ca, NodeCa(tx));
    return Ok();
  }));
  if (old.status != "active" || (old.profile != "person" && old.profile != "organization")) {
    return MakeError(ErrorCode::kInvalidTransition,
                     "Only an active person or organisation certificate is renewed.");
  }
  // The same key, certified again: the holder's PIN and token stay as they are.
  const Timestamp now = clock_.Now();
  const pki::Profile profile =
      old.profile == "person" ? pki::Profile::kPerson : pki::Profile::kOrganization;
  CHY_TRY(auto issued, pki::Recertify({ca.certificate_pem, NodeKey(ca)}, old.certificate_pem,
                                      profile, now, in.days));
  signatures::CertificateRecord c = old;
  c.id = 0;
  c.serial = issued.serial_hex;
  c.certificate_pem = issued.certificate_pem;
  c.not_before = now;
  c.not_after = now + std::chrono::hours(24) * in.days;
  c.replaces_id = old.id;
  c.created_by = actor.id;
  c.created_at = now;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(auto current, signatures::Store(tx).GetCertificate(serial));
    if (current.status != "active") {
      return MakeError(ErrorCode::kConflict, "The certificate changed meanwhile.");
    }
    CHY_TRY_STATUS(
        signatures::Store(tx).UpdateCertificateStatus(old.id, "replaced", std::nullopt, ""));
    CHY_TRY(c.id, signatures::Store(tx).InsertCertificate(c));
    return Audit(tx, &actor, "pki.certificate_renewed", "certificate", c.id,
                 json::serialize(json::object{{"serial", c.serial}, {"replaces", old.serial}}));
  }));
  return c;
}

Result<signatures::CertificateRecord> SignatureService::RevokeCertificateRecord(
    const Actor& actor, const std::string& serial, const std::string& reason) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity | kRoleAdmin));
  CHY_TRY_STATUS(CheckText("reason", reason, 1000, true));
  signatures::CertificateRecord c;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(c, signatures::Store(tx).GetCertificate(serial));
    if (c.status == "revoked") return MakeError(ErrorCode::kInvalidTransition, "Already revoked.");
    if (c.profile == kNodeCaProfile || c.profile == kTrustedRootProfile ||
        c.profile == kTrustedIntermediateProfile) {
      return MakeError(ErrorCode::kInvalidTransition, "A root is retired, not revoked by itself.");
    }
    c.status = "revoked";
    c.revoked_at = clock_.Now();
    c.revocation_reason = reason;
    CHY_TRY_STATUS(
        signatures::Store(tx).UpdateCertificateStatus(c.id, c.status, c.revoked_at, reason));
    return Audit(tx, &actor, "pki.certificate_revoked", "certificate", c.id,
                 json::serialize(json::object{{"serial", serial}, {"reason", reason}}));
  }));
  return c;
}

Result<std::vector<signatures::CertificateRecord>> SignatureService::ListCertificatesRecord(
    const Actor& actor, const signatures::CertificateQuery& q) {
  // Everyone sees their own; administrators and security officers see all.
  if (!actor.Has(kRoleAdmin) && !actor.Has(kRoleSecurity) && q.user_id != actor.id) {
    return MakeError(ErrorCode::kForbidden, "Only your own certificates.");
  }
  std::vector<signatures::CertificateRecord> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, signatures::Store(tx).ListCertificates(q));
    return Ok();
  }));
  for (auto& c : out) {
    c.key_pem.clear();  // never leaves the node
  }
  return out;
}

// ------------------------------------------------- CRL, OCSP, TSA, roots

// A CRL lists every revoked certificate of the node's CA: a revocation is
// in the next CRL asked for, at once (the cache key is the list itself). A
// reused CRL is at most an hour old of its seven days, and never from a
// time after `now` (a clock set back).
Result<std::string> SignatureService::CrlOf(store::Tx& tx,
                                            const signatures::CertificateRecord& ca) {
  const Timestamp now = clock_.Now();
  signatures::CertificateQuery q;
  q.status = "revoked";
  CHY_TRY(auto revoked, signatures::Store(tx).ListCertificates(q));
  std::vector<pki::Revoked> entries;
  std::string key = ca.certificate_pem;
  for (const auto& c : revoked) {
    entries.push_back({c.serial, c.revoked_at.value_or(now)});
    key += "\n" + c.serial + " " +
           std::to_string(entries.back().revoked_at.time_since_epoch().count());
  }
  CrlCache& cache = *crl_cache_;
  {
    std::lock_guard lock(cache.mu);
    if (cache.key == key && cache.made <= now && now - cache.made < std::chrono::hours(1)) {
      return cache.crl;
    }
  }
  CHY_TRY(std::string crl, pki::MakeCrl({ca.certificate_pem, NodeKey(ca)}, entries, now, 7));
  std::lock_guard lock(cache.mu);
  cache.key = std::move(key);
  cache.crl = crl;
  cache.made = now;
  return crl;
}

Result<std::string> SignatureService::CurrentCrl() {
  std::string crl;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto ca, NodeCa(tx));
    CHY_TRY(crl, CrlOf(tx, ca));
    return Ok();
  }));
  return crl;
}

Result<std::string> SignatureService::AnswerOcsp(std::string_view request_der) {
  std::string out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto ca, NodeCa(tx));
    auto lookup = [&](const std::string& serial) -> pki::CertState {
      auto c = signatures::Store(tx).GetCertificate(serial);
      if (!c.ok() || c->profile == kTrustedRootProfile || c->profile == kTrustedIntermediateProfile)
        return {};
      if (c->status == "revoked") return {pki::CertStatus::kRevoked, c->revoked_at};
      return {pki::CertStatus::kGood, std::nullopt};
    };
    CHY_TRY(out,
            pki::OcspRespond(request_der, {ca.certificate_pem, NodeKey(ca)}, lookup, clock_.Now()));
    return Ok();
  }));
  return out;
}

Result<std::string> SignatureService::AnswerTimestamp(std::string_view request_der) {
  std::optional<signatures::CertificateRecord> tsa;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(tsa, ActiveCertificate(tx, "timestamping", std::nullopt, std::nullopt));
    return Ok();
  }));
  if (!tsa) return NoCa();
  std::uint64_t serial = 0;
  random_.Fill(reinterpret_cast<unsigned char*>(&serial), sizeof serial);
  serial >>= 1;
  return pki::StampResponse(request_der, tsa->certificate_pem, NodeKey(*tsa), clock_.Now(), serial);
}

Result<SignatureService::TrustAnchors> SignatureService::TrustAnchorsOf(
    store::Tx& tx, const std::string* only_peer_ca) {
  TrustAnchors out;
  for (std::string_view profile :
       {kNodeCaProfile, kTrustedRootProfile, kTrustedIntermediateProfile}) {
    signatures::CertificateQuery q;
    q.profile = profile;
    CHY_TRY(auto found, signatures::Store(tx).ListCertificates(q));
    for (const auto& r : found) out.roots.push_back(r.certificate_pem);
  }
  // The CAs of the agencies in the directory vouch for their documents'
  // signatures; for what one agency sent, only that agency's CA does (a
  // peer's CA cannot vouch for a seal "of" another agency).
  if (only_peer_ca) {
    if (!only_peer_ca->empty()) out.roots.push_back(*only_peer_ca);
  } else if (peer_cas_) {
    CHY_TRY(auto cas, peer_cas_(tx));
    out.roots.insert(out.roots.end(), cas.begin(), cas.end());
  }
  if (auto ca = NodeCa(tx); ca.ok()) {
    CHY_TRY(std::string crl, CrlOf(tx, *ca));
    out.crls.push_back(std::move(crl));
  }
  return out;
}

Result<std::optional<signatures::CertificateRecord>> ActiveCertificate(store::Tx& tx,
                                                                       std::string_view profile,
                                                                       std::optional<Id> user_id,
                                                                       std::optional<Id> unit_id) {
  signatures::CertificateQuery q;
  q.profile = profile;
  q.status = "active";
  q.user_id = user_id;
  q.unit_id = unit_id;
  CHY_TRY(auto found, signatures::Store(tx).ListCertificates(q));
  std::optional<signatures::CertificateRecord> out;
  if (!found.empty()) out = found.back();
  return out;
}

// What routes and commands get: a certificate without its key.
Result<Certificate> SignatureService::CreateNodeCa(const Actor& actor, const CaInput& in) {
  CHY_TRY(auto record, CreateNodeCaRecord(actor, in));
  return PublicOf(record);
}

Result<std::vector<Certificate>> SignatureService::ImportTrustedChain(
    const Actor& actor, const std::string& pem_bundle) {
  CHY_TRY(auto records, ImportTrustedChainRecord(actor, pem_bundle));
  std::vector<Certificate> out;
  for (const auto& r : records) out.push_back(PublicOf(r));
  return out;
}

Result<Certificate> SignatureService::IssueCertificate(const Actor& actor,
                                                       const CertificateInput& in) {
  CHY_TRY(auto record, IssueCertificateRecord(actor, in));
  return PublicOf(record);
}

Result<Certificate> SignatureService::RenewCertificate(const Actor& actor,
                                                       const std::string& serial,
                                                       const CertificateInput& in) {
  CHY_TRY(auto record, RenewCertificateRecord(actor, serial, in));
  return PublicOf(record);
}

Result<Certificate> SignatureService::RevokeCertificate(const Actor& actor,
                                                        const std::string& serial,
                                                        const std::string& reason) {
  CHY_TRY(auto record, RevokeCertificateRecord(actor, serial, reason));
  return PublicOf(record);
}

Result<std::vector<Certificate>> SignatureService::ListCertificates(
    const Actor& actor, const signatures::CertificateQuery& q) {
  CHY_TRY(auto records, ListCertificatesRecord(actor, q));
  std::vector<Certificate> out;
  for (const auto& r : records) out.push_back(PublicOf(r));
  return out;
}

Result<signatures::CertificateRecord> SignatureService::IssueZoneCertificate(
    const std::string& zone, const signatures::CertificateRecord& ca) {
  const Timestamp now = clock_.Now();
  const std::string subject = config_.node_name + " (" + zone + ")";
  CHY_TRY(std::string key, pki::GenerateKey(settings_.key_secret));
  CHY_TRY(std::string pub, pki::PublicKeyPem(pki::KeyRef::Pem(key, settings_.key_secret)));
  CHY_TRY(auto issued, pki::Issue({ca.certificate_pem, NodeKey(ca)},
                                  {.common_name = subject,
                                   .organization = config_.node_name,
                                   .organization_id = config_.agency_code},
                                  pub, pki::Profile::kOrganization, now, 3650));
  signatures::CertificateRecord c;
  c.serial = issued.serial_hex;
  c.profile = "zone:" + zone;
  c.subject = subject;
  c.certificate_pem = issued.certificate_pem;
  c.key_pem = key;
  c.not_before = now;
  c.not_after = now + std::chrono::hours(24 * 3650);
  c.created_at = now;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(c.id, signatures::Store(tx).InsertCertificate(c));
    return Audit(tx, nullptr, "pki.certificate_issued", "certificate", c.id,
                 json::serialize(json::object{{"serial", c.serial}, {"profile", c.profile}}));
  }));
  return c;
}

}  // namespace chancery::services
