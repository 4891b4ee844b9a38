// A gateway between network zones (the military data network and the
// Party/State network, say): it terminates TLS on each side, checks every
// package again, applies the label policy and the allow lists, signs the hop
// it forwards, and audits every crossing with the rule that decided.
// Nothing is stored: a package lives in memory for the one request that
// carries it. docs/exchange.md.
#include <algorithm>
#include <boost/json.hpp>

#include "core/digest.h"
#include "lib/edxml/edxml.h"
#include "lib/pki/pki.h"
#include "services/internal.h"
#include "modules/exchange/service.h"

namespace chancery::services {

namespace json = boost::json;

Result<TransportReply> ExchangeService::Forward(const std::string& zone, const PeerCall& call,
                                         const std::string& path, std::string_view body,
                                         const HopSender& send) {
  const Timestamp now = clock_.Now();
  json::object crossing{{"zone", zone}, {"path", path}, {"size", body.size()}};
  // Every decision lands in the audit log, refusals included.
  auto record = [&](std::string decision, std::string rule) -> Status {
    crossing["decision"] = std::move(decision);
    crossing["rule"] = std::move(rule);
    return store_.Write([&](store::Tx& tx) {
      return Audit(tx, nullptr, "gateway.crossing", "gateway", std::nullopt,
                   json::serialize(crossing));
    });
  };
  auto refuse = [&](std::string_view reason, std::string rule, std::string message) -> Error {
    (void)record("refused", rule);
    Error e = Error::Invalid("package", std::string(reason), message + " (rule: " + rule + ")");
    e.message = "Refused at the gateway: " + message;
    return e;
  };
  const auto* from_zone = [&]() -> const Config::GatewayZone* {
    for (const auto& z : config_.gateway_zones) {
      if (z.name == zone) return &z;
    }
    return nullptr;
  }();
  if (!from_zone) return MakeError(ErrorCode::kInternal, "No such zone: " + zone);
  // The caller: a node of this zone, known by its certificate.
  auto caller = KnownPeer(call.peer_certificate_pem);
  if (!caller.ok())
    return refuse("UNKNOWN_PEER", "directory", "the calling node is not in the directory");
  crossing["caller"] = caller->agency_code;
  if (caller->zone != zone) {
    return refuse("IMPERSONATION", "zone", "the calling node does not belong to zone " + zone);
  }
  if (body.size() > config_.max_package_bytes) {
    return refuse("TOO_LARGE", "size", "the package is over the size limit");
  }
  // What it is, who signed it, and to whom it goes.
  const bool package = path == "/exchange/v1/packages";
  std::string sender_code, document_id, label = "normal";
  std::vector<std::string> recipients;
  Result<exchange::SignatureCheck> check = Error{};
  if (package) {
    auto parsed = exchange::ReadPackage(body, {.max_bytes = config_.max_package_bytes});
    if (!parsed.ok()) {
      return refuse(exchange::ReasonOf(parsed.error()), "format", parsed.error().message);
    }
    sender_code = parsed->package.from.id;
    document_id = parsed->package.document_id;
    label = parsed->package.classification.empty() ? "normal" : parsed->package.classification;
    for (const auto& o : parsed->package.to) recipients.push_back(o.id);
    crossing["document_id"] = document_id;
    crossing["classification"] = label;
    if (sender_code != caller->agency_code) {
      return refuse("IMPERSONATION", "sender",
                    "the package is from " + sender_code + " but came from " + caller->agency_code);
    }
    check = exchange::VerifySignature(*parsed, {caller->ca_pem}, {}, now);
  } else if (path == "/exchange/v1/statuses") {
    auto parsed = exchange::ReadStatus(body, {});
    if (!parsed.ok()) {
      return refuse(exchange::ReasonOf(parsed.error()), "format", parsed.error().message);
    }
    sender_code = parsed->status.from.id;
    document_id = parsed->status.response_for.document_id;
    recipients.push_back(parsed->status.response_for.organ_id);
    crossing["document_id"] = document_id;
    crossing["status"] = parsed->status.status_code;
    if (sender_code != caller->agency_code) {
      return refuse("IMPERSONATION", "sender",
                    "the notice is from " + sender_code + " but came from " + caller->agency_code);
    }
    check = exchange::VerifySignature(*parsed, {caller->ca_pem}, {}, now);
  } else {
    return MakeError(ErrorCode::kNotFound, "No such exchange path.");
  }
  crossing["from"] = sender_code;
  if (!check.ok()) return refuse("FORMAT", "signature", check.error().message);
  if (!check->ok) return refuse(check->reason_code, "signature", check->message);
  if (!from_zone->allow_senders.empty() &&
      std::find(from_zone->allow_senders.begin(), from_zone->allow_senders.end(), sender_code) ==
          from_zone->allow_senders.end()) {
    return refuse("NOT_ALLOWED", "allow_list:" + zone,
                  sender_code + " may not send out of zone " + zone);
  }
  const auto classification = ParseClassification(label);
  if (!classification) return refuse("FORMAT", "label", "unknown classification " + label);
  if (static_cast<int>(*classification) > static_cast<int>(from_zone->max_out)) {
    return refuse("CLASSIFICATION",
                  "max_out:" + zone + "=" + std::string(ClassificationName(from_zone->max_out)),
                  "documents classified " + label + " may not leave zone " + zone);
  }
  if (recipients.size() != 1) {
    return refuse("FORMAT", "one_recipient", "a package through the gateway names one recipient");
  }
  crossing["to"] = recipients.front();
  store::Peer to;
  Status known = store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(to, tx.GetPeer(recipients.front()));
    return Ok();
  });
  if (!known.ok() || !to.active) {
    return refuse("NOT_ADDRESSED", "directory", "no route to " + recipients.front());
  }
  if (to.zone == zone || to.zone.empty()) {
    return refuse("NOT_ADDRESSED", "zone", recipients.front() + " is not in another zone");
  }
  if (static_cast<int>(*classification) > static_cast<int>(to.max_classification)) {
    return refuse("CLASSIFICATION", "recipient_clearance:" + to.agency_code,
                  to.agency_code + " is not cleared for " + label);
  }
  // The hop: the gateway's own signature (its side in the recipient's zone).
  std::optional<store::CertificateRecord> zone_cert;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(zone_cert, ActiveCertificate(tx, "zone:" + to.zone, std::nullopt, std::nullopt));
    return Ok();
  }));
  if (!zone_cert)
    return MakeError(ErrorCode::kUnavailable, "The gateway has no identity in zone " + to.zone);
  CHY_TRY(std::string hop,
          pki::SignDetached(body, zone_cert->certificate_pem, signatures_.NodeKey(*zone_cert)));
  auto reply = send(to.zone, to, path, body, HexEncode(hop));
  if (!reply.ok()) {
    crossing["error"] = reply.error().message;
    (void)record("unreachable", "delivery");
    return reply.error();
  }
  crossing["answer"] = reply->status;
  CHY_TRY_STATUS(record(reply->status == 200 ? "forwarded" : "forwarded_refused", "allowed"));
  return reply;
}

}  // namespace chancery::services
