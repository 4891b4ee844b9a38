// Exchange between agencies: the directory of peer nodes, signed edXML
// packages queued with the issue that causes them, delivery in order per
// peer with retries, arrivals checked and stored once, status notices both
// ways, recall, and edXML files in and out. docs/exchange.md.
#include <algorithm>
#include <boost/json.hpp>

#include "core/digest.h"
#include "lib/edxml/edxml.h"
#include "lib/edxml/mime.h"
#include "lib/pki/pki.h"
#include "services/internal.h"
#include "modules/exchange/service.h"

namespace chancery::services {

namespace json = boost::json;

namespace {

constexpr std::string_view kPackagePath = "/exchange/v1/packages";
constexpr std::string_view kStatusPath = "/exchange/v1/statuses";
constexpr std::string_view kPackageType = "multipart/related";
constexpr std::string_view kStatusType = "application/xml";

// A refusal the sender can show: the reason code rides in the first field.
Error Refusal(std::string_view what, std::string_view reason, std::string message) {
  Error e = Error::Invalid(std::string(what), std::string(reason), message);
  e.message = "Refused: " + message;
  return e;
}

std::string ReasonOf(const Error& e) {
  std::string_view reason = exchange::ReasonOf(e);
  return reason.empty() ? std::string("FORMAT") : std::string(reason);
}

// The SHA-256 fingerprint of a PEM certificate: how peers are known.
Result<std::string> CertificateSha256(const std::string& pem) {
  CHY_TRY(auto info, pki::DescribeCertificate(pem));
  return info.sha256;
}

// The node's own newest certificate of a profile (a unit's, with `unit_id`).
Result<std::optional<store::CertificateRecord>> Newest(store::Tx& tx, std::string_view profile,
                                                       std::optional<Id> unit_id) {
  return ActiveCertificate(tx, profile, std::nullopt, unit_id);
}

Error NoNodeCertificate() {
  return MakeError(ErrorCode::kUnavailable,
                   "This node has no certificate authority yet (chancery pki init-ca): it cannot "
                   "sign what it sends to other agencies.");
}

// Status notices the receiving agency's work sends back, by the action on its copy.
std::string_view StatusForAction(std::string_view action) {
  if (action == "register") return "03";
  if (action == "assign") return "04";
  if (action == "note") return "05";
  if (action == "complete") return "06";
  if (action == "return") return "02";
  if (action == "agree_recall") return "15";
  if (action == "refuse_recall") return "16";
  return "";
}

std::string StatusDedupeKey(const exchange::StatusNotice& n) {
  return "status|" + n.from.id + "|" + n.response_for.document_id + "|" + n.status_code + "|" +
         FormatTimestamp(n.timestamp);
}

std::string PackageDedupeKey(const exchange::Package& p) {
  std::string sent_at;
  for (const auto& t : p.traces) {
    if (t.organ_id == p.from.id) sent_at = FormatTimestamp(t.timestamp);
  }
  return "package|" + p.from.id + "|" + p.document_id + "|" + std::to_string(p.business.doc_type) +
         "|" + sent_at;
}

// Exponential back-off with full jitter: base·2^(attempts-1), capped, times
// a random factor in [0.5, 1].
std::chrono::milliseconds Backoff(int attempts, std::chrono::milliseconds base,
                                  std::chrono::milliseconds cap, Random& random) {
  std::int64_t ms = base.count();
  for (int i = 1; i < attempts && ms < cap.count(); ++i) ms *= 2;
  ms = std::min<std::int64_t>(ms, cap.count());
  std::uint32_t r = 0;
  random.Fill(reinterpret_cast<unsigned char*>(&r), sizeof r);
  const double factor = 0.5 + 0.5 * (static_cast<double>(r) / 4294967295.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(ms) * factor));
}

// A package as a file for people and other systems: attachments in base64
// (nodes send them binary). The signature covers the attachments' bytes,
// not their transfer encoding, so it still checks out.
Result<std::string> WithBase64Parts(std::string_view package) {
  if (package.find("Content-Transfer-Encoding: binary") == std::string_view::npos) {
    return std::string(package);
  }
  CHY_TRY(auto parts, exchange::internal::ReadMultipart(package, 10000));
  std::vector<const exchange::internal::MimePart*> ordered;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) parts[i].transfer_encoding = "base64";
    ordered.push_back(&parts[i]);
  }
  // Base64 never holds "=_"; the envelope is checked not to.
  const std::string boundary = "=_chancery_" + Sha256Hex(package).substr(0, 24);
  if (!parts.empty() && parts[0].body.find(boundary) != std::string::npos) {
    return MakeError(ErrorCode::kInternal, "MIME boundary clash.");
  }
  return exchange::internal::WriteMultipart(ordered, boundary);
}

store::Peer PeerOf(const json::object& o) {
  auto text = [&](std::string_view key) {
    const auto* f = o.if_contains(key);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  store::Peer p;
  p.agency_code = text("agency_code");
  p.name = text("name");
  p.endpoint = text("endpoint");
  p.certificate_pem = text("certificate_pem");
  p.ca_pem = text("ca_pem");
  p.via = text("via");
  p.zone = text("zone");
  p.max_classification =
      ParseClassification(text("max_classification")).value_or(Classification::kNormal);
  return p;
}

json::object PeerJson(const store::Peer& p) {
  return json::object{{"agency_code", p.agency_code},
                      {"name", p.name},
                      {"endpoint", p.endpoint},
                      {"certificate_pem", p.certificate_pem},
                      {"ca_pem", p.ca_pem},
                      {"via", p.via},
                      {"zone", p.zone},
                      {"max_classification", ClassificationName(p.max_classification)}};
}

}  // namespace

// ---------------------------------------------------------------- directory

Result<NodeIdentity> ExchangeService::Identity() {
  NodeIdentity out;
  out.agency_code = config_.agency_code;
  out.name = config_.node_name;
  out.endpoint = config_.endpoint;
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

Result<pki::Signer> ExchangeService::NodeSigner(const store::CertificateRecord& cert,
                                         const store::CertificateRecord& ca) {
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
  std::optional<store::CertificateRecord> cert, ca;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(cert, Newest(tx, profile, std::nullopt));
    CHY_TRY(ca, Newest(tx, "root_ca", std::nullopt));
    return Ok();
  }));
  if (!ca) return NoNodeCertificate();
  if (!cert) {
    // A gateway's side in a zone: its own key and certificate, from the node's CA.
    if (zone.empty()) return NoNodeCertificate();
    const Timestamp now = clock_.Now();
    CHY_TRY(std::string key, pki::GenerateKey(config_.key_secret));
    CHY_TRY(std::string pub, pki::PublicKeyPem(pki::KeyRef::Pem(key, config_.key_secret)));
    CHY_TRY(auto issued, pki::Issue({ca->certificate_pem, signatures_.NodeKey(*ca)},
                                    {.common_name = config_.node_name + " (" + zone + ")",
                                     .organization = config_.node_name,
                                     .organization_id = config_.agency_code},
                                    pub, pki::Profile::kOrganization, now, 3650));
    store::CertificateRecord c;
    c.serial = issued.serial_hex;
    c.profile = profile;
    c.subject = config_.node_name + " (" + zone + ")";
    c.certificate_pem = issued.certificate_pem;
    c.key_pem = key;
    c.not_before = now;
    c.not_after = now + std::chrono::hours(24 * 3650);
    c.created_at = now;
    CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
      CHY_TRY(c.id, tx.InsertCertificate(c));
      return Audit(tx, nullptr, "pki.certificate_issued", "certificate", c.id,
                   json::serialize(json::object{{"serial", c.serial}, {"profile", c.profile}}));
    }));
    cert = c;
  }
  TlsIdentity out;
  out.certificate_chain_pem = cert->certificate_pem + ca->certificate_pem;
  out.key = signatures_.NodeKey(*cert);
  CHY_TRY(out.certificate_sha256, CertificateSha256(cert->certificate_pem));
  return out;
}

Result<std::vector<store::Peer>> ExchangeService::ListPeers(const Actor& actor) {
  std::vector<store::Peer> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, tx.ListPeers());
    return Ok();
  }));
  if (actor.Has(kRoleAdmin) || actor.Has(kRoleSecurity)) return out;
  // Everyone else picks recipients from the directory: names and codes, and
  // whether a peer may receive what they themselves may read. Endpoints,
  // routes, zones, certificates and link clearances above their own stay
  // with the administrators.
  for (store::Peer& p : out) {
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
Status CheckPeer(store::Peer& p, const std::string& own_code) {
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

Result<store::Peer> PeerFromJson(std::string_view text) {
  std::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Error::Invalid("peer", "bad_json", "A JSON object.");
  return PeerOf(v.as_object());
}

Result<store::Peer> ExchangeService::PutPeer(const Actor& actor, store::Peer in) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleAdmin));
  CHY_TRY_STATUS(CheckPeer(in, config_.agency_code));
  in.updated_at = clock_.Now();
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    if (!in.via.empty()) {
      auto gateway = tx.GetPeer(in.via);
      if (!gateway.ok()) return MissingAs(gateway, Error::Invalid("via", "unknown", "No peer with that agency code."));
    }
    CHY_TRY(in.id, tx.UpsertPeer(in));
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
  store::Peer me;
  me.agency_code = self.agency_code;
  me.name = self.name;
  me.endpoint = self.endpoint;
  me.certificate_pem = self.certificate_pem;
  me.ca_pem = self.ca_pem;
  entries.push_back(PeerJson(me));
  std::optional<store::CertificateRecord> node;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto peers, tx.ListPeers());
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
  CHY_TRY(std::string cms, pki::SignDetached(body, node->certificate_pem, signatures_.NodeKey(*node)));
  return json::serialize(
      json::object{{"directory", HexEncode(body)}, {"signature", HexEncode(cms)}});
}

Result<int> ExchangeService::ImportDirectory(const Actor* actor, const std::string& source_code,
                                      std::string_view signed_directory) {
  if (actor) CHY_TRY_STATUS(RequireRoles(*actor, kRoleAdmin));
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
    auto source = tx.GetPeer(source_code);
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
      store::Peer p = PeerOf(v.as_object());
      if (p.agency_code == config_.agency_code) continue;  // ourselves
      // The publisher names nodes; it does not decide this node's links:
      // peers entered by hand stay as they are, and a link's clearance and
      // state are this node's own (new entries start at normal).
      if (auto existing = tx.GetPeer(p.agency_code); existing.ok()) {
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
      CHY_TRY_STATUS(tx.UpsertPeer(p));
      ++taken;
    }
    return Audit(tx, actor, "exchange.directory_imported", "peer", std::nullopt,
                 json::serialize(json::object{
                     {"source", source_code}, {"entries", taken}, {"manual_kept", kept}}));
  }));
  return taken;
}

Result<int> ExchangeService::RefreshDirectory(const Actor* actor, const std::string& source_code) {
  if (actor) CHY_TRY_STATUS(RequireRoles(*actor, kRoleAdmin));
  if (!directory_fetcher_) {
    return MakeError(ErrorCode::kUnavailable,
                     "This node cannot reach its peers (no exchange listener).");
  }
  store::Peer source;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    auto found = tx.GetPeer(source_code);
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

Result<store::Peer> ExchangeService::KnownPeer(const std::string& certificate_pem) {
  store::Peer peer;
  auto fp = CertificateSha256(certificate_pem);
  Status found = fp.ok() ? store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(peer, tx.GetPeerByCertificate(*fp));
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

// ---------------------------------------------------------------- sending

Status ExchangeService::CheckExternalRecipients(store::Tx& tx, const Document& d) {
  if (!d.recipient_agency_codes.empty() && config_.agency_code.empty()) {
    return Error::Invalid("recipient_agency_codes", "no_agency_code",
                          "This node has no agency code ([exchange] agency_code in chancery.toml): "
                          "it cannot send to other agencies.");
  }
  for (const auto& code : d.recipient_agency_codes) {
    auto peer = tx.GetPeer(code);
    if (!peer.ok() || !peer->active) {
      return Error::Invalid("recipient_agency_codes", "unknown",
                            "Agency " + code + " is not in the directory.");
    }
    if (static_cast<int>(d.classification) > static_cast<int>(peer->max_classification)) {
      return Error::Invalid("recipient_agency_codes", "classification",
                            "Agency " + code + " may not receive documents classified " +
                                std::string(ClassificationName(d.classification)) + ".");
    }
  }
  return Ok();
}

namespace {

exchange::Organ OrganOf(const std::string& code, const std::string& name) {
  exchange::Organ o;
  o.id = code;
  o.name = name;
  return o;
}

}  // namespace

Result<std::vector<std::string>> ExchangeService::QueuePackages(
    store::Tx& tx, const Actor& actor, const Document& d, const Unit& issuer,
    const std::optional<store::NamedFile>& signed_main) {
  std::vector<std::string> sent;
  if (d.recipient_agency_codes.empty()) return sent;
  CHY_TRY_STATUS(CheckExternalRecipients(tx, d));
  // The issuing unit's seal signs its packages; the node's certificate if it has none.
  CHY_TRY(auto cert, Newest(tx, "organization", issuer.id));
  if (!cert) {
    CHY_TRY(cert, Newest(tx, "node", std::nullopt));
  }
  CHY_TRY(auto ca, Newest(tx, "root_ca", std::nullopt));
  if (!cert || !ca) return NoNodeCertificate();
  CHY_TRY(pki::Signer signer, NodeSigner(*cert, *ca));
  const Timestamp now = clock_.Now();
  exchange::Package p;
  p.from = OrganOf(config_.agency_code, issuer.name);
  const std::string number = d.number ? std::to_string(*d.number) : std::string();
  const auto slash = d.number_symbol.find('/');
  p.code_number = number;
  p.code_notation =
      slash == std::string::npos ? d.number_symbol : d.number_symbol.substr(slash + 1);
  p.promulgation_date = d.issued_date.value_or(VietnamDate(now));
  p.document_id =
      exchange::DocumentIdOf(config_.agency_code, p.promulgation_date, number, p.code_notation);
  p.place = issuer.name;
  const DocumentType* type = FindDocumentType(d.type_code);
  p.type_name = type ? type->name_vi : "Công văn";
  p.subject = d.subject;
  p.signer_full_name = d.signer_name;
  p.signer_position = d.signer_position;
  p.due_date = d.deadline;
  p.priority = static_cast<int>(d.urgency);
  p.page_amount = d.page_count.value_or(0);
  p.promulgation_amount = d.copies.value_or(0);
  p.classification = std::string(ClassificationName(d.classification));
  p.urgency = std::string(UrgencyName(d.urgency));
  p.traces.push_back({config_.agency_code, now});
  // What the package does to an earlier one: replace (3) or update (2).
  auto earlier_id = [&](Id earlier) -> Result<std::string> {
    CHY_TRY(auto rows, tx.ListOutbox(earlier, "", 1000));
    for (const auto& r : rows) {
      if (r.kind == "package") return r.edxml_id;
    }
    return std::string();
  };
  if (d.replaces_id) {
    CHY_TRY(std::string old, earlier_id(*d.replaces_id));
    if (!old.empty()) {
      p.business.doc_type = 3;
      p.business.document_id = old;
      p.business.reason = "Thay thế văn bản " + old;
    }
  } else if (d.corrects_id) {
    CHY_TRY(std::string old, earlier_id(*d.corrects_id));
    if (!old.empty()) {
      p.business.doc_type = 2;
      p.business.document_id = old;
      p.business.reason = "Đính chính văn bản " + old;
    }
  }
  // Attachments: the signed main file, then the appendices.
  std::vector<store::NamedFile> files;
  if (signed_main) {
    files.push_back(*signed_main);
  } else {
    CHY_TRY(auto versions, tx.ListVersions(d.id));
    if (!versions.empty()) files.push_back(versions.back());
  }
  CHY_TRY(auto appendices, tx.ListAttachments(d.id));
  for (const auto& f : appendices) files.push_back(f);
  int n = 0;
  for (const auto& f : files) {
    CHY_TRY(auto info, blobs_.Stat(f.sha256));
    CHY_TRY(std::string bytes, blobs_.Read(f.sha256, 0, info.size));
    exchange::Attachment a;
    a.content_id = "att" + std::to_string(++n) + "@" + config_.agency_code;
    a.name = f.file_name;
    a.content_type = info.content_type;
    a.bytes = std::move(bytes);
    p.attachments.push_back(std::move(a));
  }
  for (const auto& code : d.recipient_agency_codes) {
    CHY_TRY(auto peer, tx.GetPeer(code));
    p.to = {OrganOf(peer.agency_code, peer.name)};
    CHY_TRY(std::string wire, exchange::WritePackage(p, signer, {.binary_parts = true}));
    CHY_TRY(auto blob, blobs_.Put(wire, std::nullopt));
    store::OutboxItem item;
    item.peer_code = code;
    item.kind = "package";
    item.document_id = d.id;
    item.edxml_id = p.document_id;
    item.code = std::to_string(p.business.doc_type);
    item.payload_sha256 = blob.sha256;
    item.payload_size = static_cast<std::int64_t>(wire.size());
    item.next_attempt_at = now;
    item.created_at = now;
    CHY_TRY(item.id, tx.InsertOutbox(item));
    CHY_TRY_STATUS(Audit(tx, &actor, "exchange.queued", "document", d.id,
                         json::serialize(json::object{{"to", code},
                                                      {"edxml_id", p.document_id},
                                                      {"sha256", blob.sha256},
                                                      {"business", p.business.doc_type}})));
    sent.push_back(code);
  }
  return sent;
}

Status ExchangeService::QueueStatus(store::Tx& tx, const std::string& peer_code,
                             std::optional<Id> document_id, const std::string& edxml_id,
                             const std::string& code, const std::string& description) {
  CHY_TRY(auto node, Newest(tx, "node", std::nullopt));
  CHY_TRY(auto ca, Newest(tx, "root_ca", std::nullopt));
  if (!node || !ca) return NoNodeCertificate();
  CHY_TRY(pki::Signer signer, NodeSigner(*node, *ca));
  const Timestamp now = clock_.Now();
  exchange::StatusNotice n;
  n.response_for.organ_id = peer_code;
  n.response_for.document_id = edxml_id;
  n.from = OrganOf(config_.agency_code, config_.node_name);
  n.status_code = code;
  n.description = description;
  // A notice travels as "normal" (gateways cannot know what it is about):
  // about a classified document it carries its code and no free text, so
  // nothing of the document crosses a zone it may not leave.
  if (document_id) {
    CHY_TRY(Document d, tx.GetDocument(*document_id));
    if (d.classification != Classification::kNormal) n.description.clear();
  }
  n.timestamp = now;
  CHY_TRY(std::string xml, exchange::WriteStatus(n, signer));
  CHY_TRY(auto blob, blobs_.Put(xml, std::nullopt));
  store::OutboxItem item;
  item.peer_code = peer_code;
  item.kind = "status";
  item.document_id = document_id;
  item.edxml_id = edxml_id;
  item.code = code;
  item.payload_sha256 = blob.sha256;
  item.payload_size = static_cast<std::int64_t>(xml.size());
  item.next_attempt_at = now;
  item.created_at = now;
  CHY_TRY_STATUS(tx.InsertOutbox(item));
  if (document_id) {
    CHY_TRY_STATUS(
        tx.InsertExchangeStatus({0, *document_id, peer_code, "out", code, description, now}));
  }
  return Ok();
}

Status ExchangeService::ExchangeAfterAction(store::Tx& tx, const Actor& actor, Document& d,
                                     const std::string& action, const ActionInput& in,
                                     const std::string& from_state) {
  (void)actor;
  if (d.direction == Direction::kOutgoing) {
    if (action != "recall") return Ok();
    // Ask each agency that got it to withdraw it (13); they answer 15 or 16.
    CHY_TRY(auto sent, tx.ListOutbox(d.id, "", 1000));
    std::vector<std::string> asked;
    for (const auto& item : sent) {
      if (item.kind != "package" || item.state == "refused") continue;
      if (std::find(asked.begin(), asked.end(), item.peer_code) != asked.end()) continue;
      asked.push_back(item.peer_code);
      CHY_TRY_STATUS(QueueStatus(tx, item.peer_code, d.id, item.edxml_id, "13", in.reason));
    }
    return Ok();
  }
  CHY_TRY(auto arrival, tx.InboxOfDocument(d.id));
  if (!arrival) return Ok();  // not from another agency
  if (action == "refuse_recall") {
    CHY_TRY_STATUS(CheckText("reason", in.reason, 1000, true));
    d.state = arrival->prior_state.empty() ? "received" : arrival->prior_state;
  }
  std::string_view code = StatusForAction(action);
  if (code.empty()) return Ok();
  // Notes while in progress say "processing" once, not once per note.
  if (code == "05" && from_state == "in_progress") return Ok();
  std::string description = !in.reason.empty() ? in.reason : in.comment;
  return QueueStatus(tx, arrival->sender_code, d.id, arrival->edxml_id, std::string(code),
                     description);
}

Result<DeliveryRound> ExchangeService::DeliverDue(const PeerTransport& send, int limit) {
  DeliveryRound round;
  std::vector<store::OutboxItem> due;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(due, tx.DueOutbox(clock_.Now(), limit));
    return Ok();
  }));
  for (auto item : due) {
    store::Peer peer, target;
    std::string payload;
    CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
      CHY_TRY(peer, tx.GetPeer(item.peer_code));
      target = peer;
      // A peer in another zone is reached through its gateway.
      if (!peer.via.empty()) {
        CHY_TRY(target, tx.GetPeer(peer.via));
      }
      return Ok();
    }));
    CHY_TRY(auto info, blobs_.Stat(item.payload_sha256));
    CHY_TRY(payload, blobs_.Read(item.payload_sha256, 0, info.size));
    const bool package = item.kind == "package";
    auto reply = send(target, std::string(package ? kPackagePath : kStatusPath), payload,
                      std::string(package ? kPackageType : kStatusType));
    const Timestamp now = clock_.Now();
    std::string outcome;
    std::string reason, description;
    if (reply.ok() && reply->status == 200) {
      // The receipt must be the peer's signed 01 over exactly what we sent.
      auto receipt = exchange::ReadStatus(reply->body, {});
      std::string bad;
      if (!receipt.ok()) {
        bad = "unreadable receipt: " + receipt.error().message;
      } else {
        auto check = exchange::VerifySignature(*receipt, {peer.ca_pem}, {}, now);
        if (!check.ok() || !check->ok) {
          bad = "receipt signature: " + (check.ok() ? check->message : check.error().message);
        } else if (receipt->status.received_sha256 != Sha256Hex(payload)) {
          bad = "the receipt is for other bytes";
        }
      }
      if (bad.empty()) {
        outcome = "delivered";
      } else {
        outcome = "retry";
        reason = bad;
      }
    } else if (reply.ok() && reply->status >= 400 && reply->status < 500 && reply->status != 408 &&
               reply->status != 429) {
      outcome = "refused";
      std::error_code ec;
      json::value problem = json::parse(reply->body, ec);
      reason = "REFUSED";
      if (!ec && problem.is_object()) {
        if (const auto* r = problem.as_object().if_contains("reason"); r && r->is_string()) {
          reason = std::string(r->as_string());
        }
        if (const auto* t = problem.as_object().if_contains("detail"); t && t->is_string()) {
          description = std::string(t->as_string());
        }
      }
    } else {
      outcome = "retry";
      reason = reply.ok() ? "HTTP " + std::to_string(reply->status) : reply.error().message;
    }
    if (outcome == "retry") {
      ++item.attempts;
      item.last_error = reason;
      if (now - item.created_at >= config_.give_up_after) {
        outcome = "failed";
      } else {
        item.next_attempt_at =
            now + Backoff(item.attempts, config_.retry_base, config_.retry_cap, random_);
      }
    }
    CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
      json::object note{{"to", item.peer_code},
                        {"kind", item.kind},
                        {"edxml_id", item.edxml_id},
                        {"code", item.code},
                        {"attempts", item.attempts}};
      if (outcome == "delivered") {
        item.state = "delivered";
        item.receipt = reply->body;
        item.done_at = now;
        item.last_error.clear();
        ++round.delivered;
        if (package && item.document_id) {
          CHY_TRY_STATUS(
              tx.InsertExchangeStatus({0, *item.document_id, item.peer_code, "in", "01", "", now}));
        }
      } else if (outcome == "refused") {
        item.state = "refused";
        item.last_error = reason + (description.empty() ? "" : ": " + description);
        item.done_at = now;
        ++round.refused;
        if (package && item.document_id) {
          CHY_TRY_STATUS(tx.InsertExchangeStatus(
              {0, *item.document_id, item.peer_code, "in", "02", item.last_error, now}));
        }
        note["reason"] = item.last_error;
      } else if (outcome == "failed") {
        item.state = "failed";
        item.done_at = now;
        ++round.failed;
        note["reason"] = item.last_error;
      } else {
        ++round.retried;
        CHY_TRY_STATUS(tx.UpdateOutbox(item));
        return Ok();  // retries are not audited one by one; the final outcome is
      }
      CHY_TRY_STATUS(tx.UpdateOutbox(item));
      return Audit(tx, nullptr, "exchange." + outcome, "document", item.document_id,
                   json::serialize(note));
    }));
  }
  return round;
}

// ---------------------------------------------------------------- receiving

Result<std::string> ExchangeService::SignedReceipt(const store::CertificateRecord& node,
                                            const store::CertificateRecord& ca,
                                            const exchange::ResponseFor& about,
                                            std::string_view bytes) {
  exchange::StatusNotice r;
  r.response_for = about;
  r.from = OrganOf(config_.agency_code, config_.node_name);
  r.status_code = "01";
  r.timestamp = clock_.Now();
  r.received_sha256 = Sha256Hex(bytes);
  CHY_TRY(pki::Signer signer, NodeSigner(node, ca));
  return exchange::WriteStatus(r, signer);
}

Result<std::string> ExchangeService::ReceivePackage(const PeerCall& call, std::string_view bytes) {
  const Timestamp now = clock_.Now();
  std::string claimed, tls_subject;
  // A refused arrival is kept for the security officer, with the reason.
  auto quarantine = [&](Error e, bool keep_payload) -> Error {
    store::QuarantineItem q;
    q.received_at = now;
    q.claimed_sender = claimed;
    q.tls_subject = tls_subject;
    q.reason_code = ReasonOf(e);
    q.message = e.fields.empty() ? e.message : e.fields.front().message;
    q.payload_size = static_cast<std::int64_t>(bytes.size());
    if (keep_payload && bytes.size() <= config_.max_package_bytes) {
      if (auto blob = blobs_.Put(bytes, std::nullopt); blob.ok()) q.payload_sha256 = blob->sha256;
    }
    auto stored = store_.Write([&](store::Tx& tx) -> Status {
      CHY_TRY(q.id, tx.InsertQuarantine(q));
      return Audit(tx, nullptr, "exchange.refused", "quarantine", q.id,
                   json::serialize(json::object{{"reason", q.reason_code},
                                                {"claimed_sender", q.claimed_sender},
                                                {"tls_subject", q.tls_subject},
                                                {"message", q.message}}));
    });
    (void)stored;  // the refusal stands even if the quarantine could not be written
    return e;
  };
  // 1. Who is calling: a peer in the directory, by its TLS certificate.
  if (auto info = pki::DescribeCertificate(call.peer_certificate_pem); info.ok()) {
    tls_subject = info->subject;
  }
  auto known = KnownPeer(call.peer_certificate_pem);
  if (!known.ok()) return quarantine(known.error(), false);
  const store::Peer caller = *known;
  if (bytes.size() > config_.max_package_bytes) {
    return quarantine(Refusal("package", "TOO_LARGE", "the package is over the size limit"), false);
  }
  // 2. What it is.
  exchange::Limits limits;
  limits.max_bytes = config_.max_package_bytes;
  auto parsed = exchange::ReadPackage(bytes, limits);
  if (!parsed.ok()) {
    return quarantine(Refusal("package", ReasonOf(parsed.error()), parsed.error().message), true);
  }
  const exchange::Package& p = parsed->package;
  claimed = p.from.id;
  // 3. From whom: the sender's agency must be the caller, or reached through
  // the calling gateway.
  store::Peer sender;
  {
    auto s = store_.Read([&](store::Tx& tx) -> Status {
      CHY_TRY(sender, tx.GetPeer(p.from.id));
      return Ok();
    });
    const bool direct = s.ok() && sender.agency_code == caller.agency_code;
    const bool via_gateway = s.ok() && !sender.via.empty() && sender.via == caller.agency_code;
    if (!direct && !via_gateway) {
      return quarantine(Refusal("package", "IMPERSONATION",
                                "the package says it is from " + p.from.id + " but came from " +
                                    caller.agency_code),
                        true);
    }
    if (via_gateway) {
      // The gateway signs the hop it forwarded.
      auto hop = HexDecode(call.hop_signature);
      auto ok = hop ? pki::VerifyDetached(*hop, bytes, {caller.ca_pem}, {}, now)
                    : Result<pki::Verification>(Error::Invalid("hop", "missing", ""));
      if (!ok.ok() || !ok->valid) {
        return quarantine(
            Refusal("package", "HOP_SIGNATURE_INVALID",
                    "the gateway's signature over the forwarded package does not check out"),
            true);
      }
    }
  }
  // 4. Signed by the sender's CA, every attachment as signed.
  auto check = exchange::VerifySignature(*parsed, {sender.ca_pem}, {}, now);
  if (!check.ok()) return quarantine(Refusal("package", "FORMAT", check.error().message), true);
  if (!check->ok) return quarantine(Refusal("package", check->reason_code, check->message), true);
  // 5. For us, and cleared for this link.
  const bool for_us = std::any_of(p.to.begin(), p.to.end(), [&](const exchange::Organ& o) {
    return o.id == config_.agency_code;
  });
  if (!for_us) {
    return quarantine(
        Refusal("package", "NOT_ADDRESSED", "the package is not addressed to this agency"), true);
  }
  const Classification label =
      ParseClassification(p.classification.empty() ? "normal" : p.classification)
          .value_or(Classification::kTopSecret);
  if (static_cast<int>(label) > static_cast<int>(sender.max_classification)) {
    return quarantine(
        Refusal("package", "CLASSIFICATION",
                "documents classified " + p.classification + " may not come over this link"),
        false);
  }
  // 6. Once: a repeat is answered with the first receipt.
  const std::string key = PackageDedupeKey(p);
  std::optional<store::InboxItem> seen;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(seen, tx.FindInbox(key));
    return Ok();
  }));
  if (seen) return seen->receipt;
  // 7. Store the package, its attachments, and the incoming copy; sign the receipt.
  CHY_TRY(auto payload_blob, blobs_.Put(bytes, std::nullopt));
  std::vector<std::pair<exchange::Attachment, blob::BlobInfo>> files;
  for (const auto& a : p.attachments) {
    CHY_TRY(auto info, blobs_.Put(a.bytes, std::nullopt));
    files.emplace_back(a, info);
  }
  // The attachments' own signatures are checked before the write
  // transaction, so other arrivals need not wait on the PDF work.
  SignatureService::TrustAnchors anchors;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(anchors, signatures_.TrustAnchorsOf(tx, &sender.ca_pem));
    return Ok();
  }));
  std::vector<std::optional<store::DocumentSignature>> checks;
  for (const auto& [a, info] : files) {
    CHY_TRY(auto check, signatures_.CheckArrival(anchors, info.sha256, a.name));
    checks.push_back(std::move(check));
  }
  std::string receipt;
  Status stored = store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(auto node, Newest(tx, "node", std::nullopt));
    CHY_TRY(auto ca, Newest(tx, "root_ca", std::nullopt));
    if (!node || !ca) return NoNodeCertificate();
    // The receiving unit: the one registered under this agency code, else the top.
    CHY_TRY(auto units, tx.ListUnits());
    std::optional<Id> unit_id;
    for (const auto& u : units) {
      if (u.active && u.agency_code == config_.agency_code) unit_id = u.id;
    }
    for (const auto& u : units) {
      if (!unit_id && u.active && !u.parent_id) unit_id = u.id;
    }
    if (!unit_id) return MakeError(ErrorCode::kUnavailable, "This node has no units yet.");
    Document copy;
    copy.direction = Direction::kIncoming;
    copy.state = "received";
    copy.unit_id = *unit_id;
    for (const auto& t : DocumentTypes()) {
      if (t.name_vi == p.type_name) copy.type_code = t.code;
    }
    copy.subject = p.subject.empty() ? p.document_id : p.subject;
    copy.urgency = ParseUrgency(p.urgency).value_or(Urgency::kNormal);
    copy.classification = label;
    copy.issuer_name = p.from.name.empty() ? p.from.id : p.from.name;
    copy.original_number_symbol =
        p.code_number.empty() ? p.code_notation : p.code_number + "/" + p.code_notation;
    copy.original_date = p.promulgation_date;
    copy.signer_name = p.signer_full_name;
    copy.signer_position = p.signer_position;
    if (p.page_amount > 0) copy.page_count = p.page_amount;
    copy.deadline = p.due_date;
    copy.created_at = copy.updated_at = now;
    CHY_TRY(copy.id, tx.InsertDocument(copy));
    for (std::size_t i = 0; i < files.size(); ++i) {
      const auto& [a, info] = files[i];
      store::NamedFile f;
      f.document_id = copy.id;
      f.sha256 = info.sha256;
      f.file_name = a.name;
      f.size = static_cast<std::int64_t>(info.size);
      f.content_type = info.content_type;
      CHY_TRY_STATUS(tx.InsertAttachment(f, now));
      if (checks[i]) {
        checks[i]->document_id = copy.id;
        CHY_TRY_STATUS(tx.InsertDocumentSignature(*checks[i]));
      }
    }
    // An update or replacement acts on the copy of the earlier package.
    if (p.business.doc_type == 2 || p.business.doc_type == 3) {
      CHY_TRY(auto earlier, tx.InboxOfPackage(p.from.id, p.business.document_id));
      if (earlier && earlier->document_id) {
        CHY_TRY(Document old, tx.GetDocument(*earlier->document_id));
        if (p.business.doc_type == 3 && old.state != "replaced") {
          old.state = "replaced";
          old.updated_at = now;
          CHY_TRY_STATUS(tx.UpdateDocument(old));
        }
        CHY_TRY_STATUS(Audit(
            tx, nullptr, p.business.doc_type == 3 ? "document.replaced" : "document.corrected",
            "document", old.id,
            json::serialize(json::object{{"by", copy.id}, {"edxml_id", p.document_id}})));
      }
    }
    exchange::ResponseFor about;
    about.organ_id = p.from.id;
    about.document_id = p.document_id;
    about.code = copy.original_number_symbol;
    about.promulgation_date = p.promulgation_date;
    CHY_TRY(receipt, SignedReceipt(*node, *ca, about, bytes));
    store::InboxItem in;
    in.dedupe_key = key;
    in.sender_code = p.from.id;
    in.kind = "package";
    in.edxml_id = p.document_id;
    in.code = std::to_string(p.business.doc_type);
    in.payload_sha256 = payload_blob.sha256;
    in.document_id = copy.id;
    in.receipt = receipt;
    in.received_at = now;
    CHY_TRY_STATUS(tx.InsertInbox(in));
    CHY_TRY_STATUS(tx.InsertExchangeStatus({0, copy.id, p.from.id, "out", "01", "", now}));
    return Audit(tx, nullptr, "exchange.received", "document", copy.id,
                 json::serialize(json::object{{"from", p.from.id},
                                              {"via", caller.agency_code},
                                              {"edxml_id", p.document_id},
                                              {"sha256", payload_blob.sha256},
                                              {"signer", check->signer_subject}}));
  });
  if (!stored.ok()) {
    // Two deliveries of the same package at once: the second finds the first.
    if (stored.error().code == ErrorCode::kConflict) {
      std::optional<store::InboxItem> first;
      CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
        CHY_TRY(first, tx.FindInbox(key));
        return Ok();
      }));
      if (first) return first->receipt;
    }
    return stored.error();
  }
  return receipt;
}

Result<std::string> ExchangeService::ReceiveStatus(const PeerCall& call, std::string_view bytes) {
  const Timestamp now = clock_.Now();
  CHY_TRY(const store::Peer caller, KnownPeer(call.peer_certificate_pem));
  auto parsed = exchange::ReadStatus(bytes, {});
  if (!parsed.ok()) return Refusal("status", ReasonOf(parsed.error()), parsed.error().message);
  const exchange::StatusNotice& n = parsed->status;
  store::Peer sender;
  Status known = store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(sender, tx.GetPeer(n.from.id));
    return Ok();
  });
  if (!known.ok() ||
      (sender.agency_code != caller.agency_code && sender.via != caller.agency_code)) {
    return Refusal(
        "status", "IMPERSONATION",
        "the notice says it is from " + n.from.id + " but came from " + caller.agency_code);
  }
  CHY_TRY(auto check, exchange::VerifySignature(*parsed, {sender.ca_pem}, {}, now));
  if (!check.ok) return Refusal("status", check.reason_code, check.message);
  static const std::vector<std::string_view> kCodes{"02", "03", "04", "05", "06", "13", "15", "16"};
  if (std::find(kCodes.begin(), kCodes.end(), n.status_code) == kCodes.end()) {
    return Refusal("status", "FORMAT", "status code " + n.status_code + " cannot be sent");
  }
  const std::string key = StatusDedupeKey(n);
  std::string receipt;
  Status stored = store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(auto seen, tx.FindInbox(key));
    if (seen) {
      receipt = seen->receipt;
      return Ok();
    }
    std::optional<Id> document_id;
    if (n.status_code == "13") {
      // The sender asks to withdraw what it sent us: freeze our copy.
      CHY_TRY(auto arrival, tx.InboxOfPackage(n.from.id, n.response_for.document_id));
      if (!arrival || !arrival->document_id) {
        return Refusal("status", "UNKNOWN_DOCUMENT", "no document " + n.response_for.document_id);
      }
      document_id = arrival->document_id;
      CHY_TRY(Document copy, tx.GetDocument(*document_id));
      if (copy.state != "recalled" && copy.state != "returned" &&
          copy.state != "recall_requested") {
        CHY_TRY_STATUS(tx.SetInboxPriorState(arrival->id, copy.state));
        copy.state = "recall_requested";
        copy.return_reason = n.description;
        copy.updated_at = now;
        CHY_TRY_STATUS(tx.UpdateDocument(copy));
      }
    } else {
      // A notice about a document we sent: find it by its edXML id.
      CHY_TRY(document_id, tx.DocumentOfPackage(n.response_for.document_id, n.from.id));
      if (!document_id) {
        return Refusal("status", "UNKNOWN_DOCUMENT", "no document " + n.response_for.document_id);
      }
    }
    CHY_TRY_STATUS(tx.InsertExchangeStatus(
        {0, *document_id, n.from.id, "in", n.status_code, n.description, n.timestamp}));
    CHY_TRY(auto node, Newest(tx, "node", std::nullopt));
    CHY_TRY(auto ca, Newest(tx, "root_ca", std::nullopt));
    if (!node || !ca) return NoNodeCertificate();
    CHY_TRY(receipt, SignedReceipt(*node, *ca, n.response_for, bytes));
    CHY_TRY(auto blob, blobs_.Put(bytes, std::nullopt));
    store::InboxItem in;
    in.dedupe_key = key;
    in.sender_code = n.from.id;
    in.kind = "status";
    in.edxml_id = n.response_for.document_id;
    in.code = n.status_code;
    in.payload_sha256 = blob.sha256;
    in.receipt = receipt;
    in.received_at = now;
    CHY_TRY_STATUS(tx.InsertInbox(in));
    return Audit(tx, nullptr, "exchange.status", "document", document_id,
                 json::serialize(json::object{{"from", n.from.id},
                                              {"code", n.status_code},
                                              {"edxml_id", n.response_for.document_id},
                                              {"description", n.description}}));
  });
  if (!stored.ok()) return stored.error();
  return receipt;
}

// ---------------------------------------------------------------- views

Result<std::vector<ExchangeRecipient>> ExchangeService::ExchangeOf(const Actor& actor, Id document_id) {
  std::vector<ExchangeRecipient> out;
  CHY_TRY_STATUS(
      ReadDocument(actor, document_id, "exchange", [&](store::Tx& tx, const Document& d) -> Status {
        CHY_TRY(auto statuses, tx.ListExchangeStatuses(d.id));
        CHY_TRY(auto outbox, tx.ListOutbox(d.id, "", 1000));
        std::vector<std::string> codes = d.recipient_agency_codes;
        for (const auto& s : statuses) {
          if (std::find(codes.begin(), codes.end(), s.agency_code) == codes.end()) {
            codes.push_back(s.agency_code);
          }
        }
        for (const auto& code : codes) {
          ExchangeRecipient r;
          r.agency_code = code;
          if (auto peer = tx.GetPeer(code); peer.ok()) r.name = peer->name;
          for (auto it = outbox.rbegin(); it != outbox.rend(); ++it) {  // oldest first
            if (it->peer_code == code && it->kind == "package") {
              r.delivery = it->state;
              r.attempts = it->attempts;
              r.last_error = it->last_error;
            }
          }
          for (const auto& s : statuses) {
            if (s.agency_code != code) continue;
            r.history.push_back(s);
            // The recipient's latest word: what came in from them (outgoing), or
            // what we told the sender (an incoming copy).
            const bool theirs =
                d.direction == Direction::kOutgoing ? s.direction == "in" : s.direction == "out";
            if (theirs) {
              r.latest_code = s.code;
              r.latest_description = s.description;
              r.latest_at = s.at;
            }
          }
          out.push_back(std::move(r));
        }
        return Ok();
      }));
  return out;
}

Result<Page<store::OutboxItem>> ExchangeService::ListOutbox(
    const Actor& actor, const std::string& state, const std::optional<std::string>& cursor,
    int limit) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk | kRoleAdmin | kRoleSecurity));
  CHY_TRY(std::optional<Id> before, IdCursor(cursor));
  Page<store::OutboxItem> page;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto rows, tx.ListOutbox(std::nullopt, state, limit, before));
    // The same visibility rule as a document list: rows of documents the
    // caller may not open are not there (so a page may show fewer than
    // `limit`; the cursor still moves past them).
    if (static_cast<int>(rows.size()) == limit) page.next_cursor = IdCursorOf(rows.back().id);
    for (auto& item : rows) {
      if (item.document_id && !ReadableDocument(tx, actor, *item.document_id).ok()) continue;
      item.receipt.clear();  // the list is a summary
      page.items.push_back(std::move(item));
    }
    return Ok();
  }));
  return page;
}

Result<Page<store::QuarantineItem>> ExchangeService::ListQuarantine(
    const Actor& actor, const std::optional<std::string>& cursor, int limit) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity));
  CHY_TRY(std::optional<Id> before, IdCursor(cursor));
  Page<store::QuarantineItem> page;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(page.items, tx.ListQuarantine(limit, before));
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = IdCursorOf(page.items.back().id);
    }
    return Ok();
  }));
  return page;
}

Result<Download> ExchangeService::ExportEdxml(const Actor& actor, Id document_id,
                                       const std::string& agency_code) {
  std::string sha256, edxml_id;
  CHY_TRY_STATUS(
      ReadDocument(actor, document_id, "edxml", [&](store::Tx& tx, const Document& d) -> Status {
        if (d.direction == Direction::kIncoming) {
          CHY_TRY(auto arrival, tx.InboxOfDocument(d.id));
          if (arrival) {
            sha256 = arrival->payload_sha256;
            edxml_id = arrival->edxml_id;
          }
        } else {
          CHY_TRY(auto rows, tx.ListOutbox(d.id, "", 1000));
          for (const auto& r : rows) {
            if (r.kind == "package" && (agency_code.empty() || r.peer_code == agency_code)) {
              sha256 = r.payload_sha256;
              edxml_id = r.edxml_id;
            }
          }
        }
        if (sha256.empty()) {
          return MakeError(ErrorCode::kNotFound, "This document has no edXML package.");
        }
        return Ok();
      }));
  CHY_TRY(auto info, blobs_.Stat(sha256));
  CHY_TRY(std::string bytes, blobs_.Read(sha256, 0, info.size));
  // Files for people and other systems carry their attachments in base64.
  CHY_TRY(std::string file, WithBase64Parts(bytes));
  Download out;
  out.sha256 = Sha256Hex(file);
  out.bytes = std::move(file);
  out.size = out.bytes.size();
  std::string name = edxml_id;
  for (char& c : name) {
    if (c == '/' || c == ',' || c == ' ') c = '_';
  }
  out.file_name = name + ".edxml";
  out.content_type = "multipart/related";
  return out;
}

Result<CreatedDocument> ExchangeService::ImportEdxml(const Actor& actor, std::string_view file) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk));
  exchange::Limits limits;
  limits.max_bytes = config_.max_package_bytes;
  auto parsed = exchange::ReadPackage(file, limits);
  if (!parsed.ok()) {
    return Error::Invalid("file", ReasonOf(parsed.error()), parsed.error().message);
  }
  SignatureService::TrustAnchors anchors;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(anchors, signatures_.TrustAnchorsOf(tx));
    return Ok();
  }));
  // Revocation is not checked here: an edXML file from elsewhere comes
  // without its CA's CRL (the verdict would be REVOCATION_UNKNOWN).
  CHY_TRY(auto check, exchange::VerifySignature(*parsed, anchors.roots, {}, clock_.Now()));
  if (!check.ok) return Error::Invalid("file", check.reason_code, check.message);
  const exchange::Package& p = parsed->package;
  std::vector<blob::BlobInfo> blobs;
  for (const auto& a : p.attachments) {
    CHY_TRY(auto info, blobs_.Put(a.bytes, std::nullopt));
    blobs.push_back(info);
  }
  DocumentInput in;
  in.subject = p.subject.empty() ? p.document_id : p.subject;
  in.issuer_name = p.from.name.empty() ? p.from.id : p.from.name;
  in.original_number_symbol =
      p.code_number.empty() ? p.code_notation : p.code_number + "/" + p.code_notation;
  in.original_date = p.promulgation_date;
  in.signer_name = p.signer_full_name;
  in.signer_position = p.signer_position;
  if (auto label = ParseClassification(p.classification)) in.classification = *label;
  std::optional<blob::BlobInfo> scan;
  if (!blobs.empty()) {
    scan = blobs.front();
    in.scan_file_name = p.attachments.front().name;
  }
  // The file came inside the edXML the clerk brought: it is theirs to attach.
  CHY_TRY(CreatedDocument created, documents_.Receive(actor, in, scan, /*scan_is_an_upload=*/false));
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    for (std::size_t i = 1; i < blobs.size(); ++i) {
      store::NamedFile f;
      f.document_id = created.document.id;
      f.sha256 = blobs[i].sha256;
      f.file_name = p.attachments[i].name;
      f.size = static_cast<std::int64_t>(blobs[i].size);
      f.content_type = blobs[i].content_type;
      CHY_TRY_STATUS(tx.InsertAttachment(f, clock_.Now()));
    }
    return Audit(
        tx, &actor, "exchange.imported", "document", created.document.id,
        json::serialize(json::object{
            {"edxml_id", p.document_id}, {"from", p.from.id}, {"signer", check.signer_subject}}));
  }));
  return created;
}

}  // namespace chancery::services
