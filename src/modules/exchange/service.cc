// Exchange between agencies: the directory of peer nodes (identity, peers, the signed directory,
// who is calling). docs/exchange.md.
#include "modules/exchange/service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/digest.h"
#include "lib/edxml/edxml.h"
#include "lib/edxml/mime.h"
#include "lib/pki/pki.h"
#include "modules/exchange/internal.h"
#include "modules/exchange/store.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using namespace exchange_detail;  // NOLINT: this module's own helpers

// ---------------------------------------------------------------- directory

Result<NodeIdentity> ExchangeService::Identity() {
  NodeIdentity out;
  out.agency_code = config_.agency_code;
  out.name = config_.node_name;
  out.endpoint = settings_.endpoint;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto node, Newest(tx, "node", std::nullopt));
    CHY_TRY(auto ca, Newest(tx, "root_ca", std::nullopt));
    if (!node || !ca) return NoNodeCertificate();
    out.certificate_pem = node->certificate_pem;
    out.ca_pem = ca->certificate_pem;
    return Ok();
  }));
  CHY_TRY(out.certificate_sha256, CertificateSha256(out.certificate_pem));
  return out;
}

Result<pki::Signer> ExchangeService::NodeSigner(const signatures::CertificateRecord& cert,
                                                const signatures::CertificateRecord& ca) {
  // Opening a key (decrypting its PEM, or logging in to its token) costs
  // more than a signature: the node's own keys are opened once per
  // certificate and kept. A renewed certificate has a new serial.
  std::lock_guard lock(signers_->mu);
  auto found = signers_->by_serial.find(cert.serial);
  if (found != signers_->by_serial.end()) return found->second;
  CHY_TRY(pki::Signer signer,
          pki::Signer::Open(cert.certificate_pem, signatures_.NodeKey(cert), {ca.certificate_pem}));
  signers_->by_serial.emplace(cert.serial, signer);
  return signer;
}

Result<TlsIdentity> ExchangeService::NodeTlsIdentity(const std::string& zone) {
  const std::string profile = zone.empty() ? "node" : "zone:" + zone;
  std::optional<signatures::CertificateRecord> cert, ca;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(cert, Newest(tx, profile, std::nullopt));
    CHY_TRY(ca, Newest(tx, "root_ca", std::nullopt));
    return Ok();
  }));
  if (!ca) return NoNodeCertificate();
  if (!cert) {
    // A gateway's side in a zone: its own key and certificate, from the node's CA.
    if (zone.empty()) return NoNodeCertificate();
    CHY_TRY(auto c, signatures_.IssueZoneCertificate(zone, *ca));
    cert = c;
  }
  TlsIdentity out;
  out.certificate_chain_pem = cert->certificate_pem + ca->certificate_pem;
  out.key = signatures_.NodeKey(*cert);
  CHY_TRY(out.certificate_sha256, CertificateSha256(cert->certificate_pem));
  return out;
}

Result<std::vector<exchange::Peer>> ExchangeService::ListPeers(const Actor& actor) {
  std::vector<exchange::Peer> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, exchange::Store(tx).ListPeers());
    return Ok();
  }));
  if (actor.Has(kRoleAdmin) || actor.Has(kRoleSecurity)) return out;
  // Everyone else picks recipients from the directory: names and codes, and
  // whether a peer may receive what they themselves may read. Endpoints,
  // routes, zones, certificates and link clearances above their own stay
  // with the administrators.
  for (exchange::Peer& p : out) {
    p.endpoint.clear();
    p.via.clear();
    p.zone.clear();
    p.certificate_pem.clear();
    p.certificate_sha256.clear();
    p.ca_pem.clear();
    p.source.clear();
    p.max_classification = std::min(p.max_classification, actor.clearance);
  }
  return out;
}

namespace {

// Checks a peer entry and fills its certificate's fingerprint.
Status CheckPeer(exchange::Peer& p, const std::string& own_code) {
  CHY_TRY_STATUS(CheckText("agency_code", p.agency_code, 50, true));
  CHY_TRY_STATUS(CheckText("name", p.name, 300, true));
  if (p.agency_code == own_code) {
    return Error::Invalid("agency_code", "self", "That is this node's own agency code.");
  }
  for (char c : p.agency_code) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) {
      return Error::Invalid("agency_code", "bad_format",
                            "Letters, digits, dots and hyphens, as in 000.00.01.H08.");
    }
  }
  if (p.via.empty()) {
    if (p.endpoint.rfind("https://", 0) != 0) {
      return Error::Invalid("endpoint", "bad_format", "An https:// address of the peer's node.");
    }
    if (p.certificate_pem.empty()) {
      return Error::Invalid("certificate_pem", "required", "The peer node's certificate.");
    }
  }
  if (!p.certificate_pem.empty()) {
    auto fp = CertificateSha256(p.certificate_pem);
    if (!fp.ok()) return Error::Invalid("certificate_pem", "bad_certificate", fp.error().message);
    p.certificate_sha256 = *fp;
  }
  if (p.ca_pem.empty()) return Error::Invalid("ca_pem", "required", "The peer's CA certificate.");
  if (auto ca = pki::DescribeCertificates(p.ca_pem); !ca.ok()) {
    return Error::Invalid("ca_pem", "bad_certificate", ca.error().message);
  }
  return Ok();
}

}  // namespace

Result<exchange::Peer> PeerFromJson(std::string_view text) {
  std::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Error::Invalid("peer", "bad_json", "A JSON object.");
  return PeerOf(v.as_object());
}

Result<exchange::Peer> ExchangeService::PutPeer(const Actor& actor, exchange::Peer in) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin));
  CHY_TRY_STATUS(CheckPeer(in, config_.agency_code));
  in.updated_at = clock_.Now();
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    if (!in.via.empty()) {
      auto gateway = exchange::Store(tx).GetPeer(in.via);
      if (!gateway.ok())
        return MissingAs(gateway,
                         Error::Invalid("via", "unknown", "No peer with that agency code."));
    }
    CHY_TRY(in.id, exchange::Store(tx).UpsertPeer(in));
    json::object note = PeerJson(in);
    note.erase("certificate_pem");
    note.erase("ca_pem");
    note["certificate_sha256"] = in.certificate_sha256;
    return Audit(tx, &actor, "exchange.peer_put", "peer", in.id, json::serialize(note));
  }));
  return in;
}

Result<std::string> ExchangeService::SignedDirectory() {
  CHY_TRY(NodeIdentity self, Identity());
  json::array entries;
  exchange::Peer me;
  me.agency_code = self.agency_code;
  me.name = self.name;
  me.endpoint = self.endpoint;
  me.certificate_pem = self.certificate_pem;
  me.ca_pem = self.ca_pem;
  entries.push_back(PeerJson(me));
  std::optional<signatures::CertificateRecord> node;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto peers, exchange::Store(tx).ListPeers());
    for (const auto& p : peers) {
      if (p.active) entries.push_back(PeerJson(p));
    }
    CHY_TRY(node, Newest(tx, "node", std::nullopt));
    return Ok();
  }));
  if (!node) return NoNodeCertificate();
  const std::string body =
      json::serialize(json::object{{"publisher", self.agency_code},
                                   {"issued_at", FormatTimestamp(clock_.Now())},
                                   {"entries", std::move(entries)}});
  CHY_TRY(std::string cms,
          pki::SignDetached(body, node->certificate_pem, signatures_.NodeKey(*node)));
  return json::serialize(
      json::object{{"directory", HexEncode(body)}, {"signature", HexEncode(cms)}});
}

Result<int> ExchangeService::ImportDirectory(const Actor& actor, const std::string& source_code,
                                             std::string_view signed_directory) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin));
  std::error_code ec;
  json::value file = json::parse(signed_directory, ec);
  if (ec || !file.is_object() || !file.as_object().contains("directory") ||
      !file.as_object().contains("signature")) {
    return Error::Invalid("directory", "bad_format", "Not a signed directory file.");
  }
  auto body = HexDecode(json::value_to<std::string>(file.at("directory")));
  auto cms = HexDecode(json::value_to<std::string>(file.at("signature")));
  if (!body || !cms) return Error::Invalid("directory", "bad_format", "Not hex.");
  int taken = 0, kept = 0;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    auto source = exchange::Store(tx).GetPeer(source_code);
    if (!source.ok()) {
      return MissingAs(source, Error::Invalid("source", "unknown",
                                              "The publishing node is not in the directory."));
    }
    CHY_TRY(auto check, pki::VerifyDetached(*cms, *body, {source->ca_pem}, {}, clock_.Now()));
    if (!check.valid) {
      return Error::Invalid("directory", "bad_signature",
                            "The directory is not signed by its publisher: " + check.reason);
    }
    json::value dir = json::parse(*body, ec);
    if (ec || !dir.is_object() || !dir.as_object().contains("entries") ||
        !dir.at("entries").is_array()) {
      return Error::Invalid("directory", "bad_format", "No entries.");
    }
    for (const auto& v : dir.at("entries").as_array()) {
      if (!v.is_object()) continue;
      exchange::Peer p = PeerOf(v.as_object());
      if (p.agency_code == config_.agency_code) continue;  // ourselves
      // The publisher names nodes; it does not decide this node's links:
      // peers entered by hand stay as they are, and a link's clearance and
      // state are this node's own (new entries start at normal).
      if (auto existing = exchange::Store(tx).GetPeer(p.agency_code); existing.ok()) {
        if (existing->source == "manual") {
          ++kept;
          continue;
        }
        p.max_classification = existing->max_classification;
        p.active = existing->active;
      } else {
        p.max_classification = Classification::kNormal;
      }
      p.source = "directory";
      p.updated_at = clock_.Now();
      if (auto bad = CheckPeer(p, config_.agency_code); !bad.ok()) {
        return Error::Invalid("directory", "bad_entry",
                              "Entry " + p.agency_code + ": " + bad.error().message);
      }
      CHY_TRY_STATUS(exchange::Store(tx).UpsertPeer(p));
      ++taken;
    }
    return Audit(tx, &actor, "exchange.directory_imported", "peer", std::nullopt,
                 json::serialize(json::object{
                     {"source", source_code}, {"entries", taken}, {"manual_kept", kept}}));
  }));
  return taken;
}

Result<int> ExchangeService::RefreshDirectory(const Actor& actor, const std::string& source_code) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin));
  if (!directory_fetcher_) {
    return MakeError(ErrorCode::kUnavailable,
                     "This node cannot reach its peers (no exchange listener).");
  }
  exchange::Peer source;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    auto found = exchange::Store(tx).GetPeer(source_code);
    if (!found.ok()) {
      return MissingAs(found, Error::Invalid("source", "unknown",
                                             "The publishing node is not in the directory."));
    }
    source = *found;
    return Ok();
  }));
  CHY_TRY(std::string file, directory_fetcher_(source));
  return ImportDirectory(actor, source_code, file);
}

Result<exchange::Peer> ExchangeService::KnownPeer(const std::string& certificate_pem) {
  exchange::Peer peer;
  auto fp = CertificateSha256(certificate_pem);
  Status found = fp.ok() ? store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(peer, exchange::Store(tx).GetPeerByCertificate(*fp));
    return Ok();
  })
                         : Status(fp.error());
  if (!found.ok() && found.error().code != ErrorCode::kNotFound) return found.error();
  if (!found.ok()) {
    return Refusal("package", "UNKNOWN_PEER",
                   "the calling node's certificate is not in the directory");
  }
  // A pinned certificate still has to be valid now and not revoked by the
  // peer's CA as far as this node knows (its CRL when the peer publishes one
  // to us is not fetched: see docs/security.md).
  auto info = pki::DescribeCertificate(certificate_pem);
  const Timestamp now = clock_.Now();
  if (!info.ok() || info->not_before > now || info->not_after <= now) {
    return Refusal("package", "PEER_CERTIFICATE_EXPIRED",
                   "the calling node's certificate is not valid at this time");
  }
  if (!peer.active) {
    return Refusal("package", "UNKNOWN_PEER", "the calling node is not an active peer");
  }
  return peer;
}

Result<std::vector<std::string>> ExchangeService::PeerCas(store::Tx& tx) {
  CHY_TRY(auto peers, exchange::Store(tx).ListPeers());
  std::vector<std::string> out;
  for (const auto& p : peers) {
    if (p.active && !p.ca_pem.empty()) out.push_back(p.ca_pem);
  }
  return out;
}

Result<std::map<std::string, std::string>> ExchangeService::AgencyNames(store::Tx& tx) {
  CHY_TRY(auto peers, exchange::Store(tx).ListPeers());
  std::map<std::string, std::string> out;
  for (const auto& p : peers) out[p.agency_code] = p.name;
  return out;
}

}  // namespace chancery::services
