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
#include "modules/exchange/service.h"
#include "modules/exchange/store.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

namespace {

// A package or status notice crossing the gateway, as read: a refusal is an
// Error whose first field names the rule (field), the reason (code) and why.
struct Crossing {
  bool package = true;
  std::string sender, document_id, label = "normal", status_code;
  std::vector<std::string> recipients;
  Result<edxml::SignatureCheck> check = Error{};
};

Error CrossingRefused(std::string_view reason, std::string rule, std::string message) {
  return Error::Invalid(std::move(rule), std::string(reason), std::move(message));
}

Result<Crossing> DescribeCrossing(const std::string& path, std::string_view body,
                                  const exchange::Peer& caller, std::size_t max_bytes,
                                  Timestamp now) {
  Crossing c;
  if (path == "/exchange/v1/packages") {
    auto parsed = edxml::ReadPackage(body, {.max_bytes = max_bytes});
    if (!parsed.ok()) {
      return CrossingRefused(edxml::ReasonOf(parsed.error()), "format", parsed.error().message);
    }
    c.sender = parsed->package.from.id;
    c.document_id = parsed->package.document_id;
    if (!parsed->package.classification.empty()) c.label = parsed->package.classification;
    for (const auto& o : parsed->package.to) c.recipients.push_back(o.id);
    if (c.sender != caller.agency_code) {
      return CrossingRefused(
          "IMPERSONATION", "sender",
          "the package is from " + c.sender + " but came from " + caller.agency_code);
    }
    c.check = edxml::VerifySignature(*parsed, {caller.ca_pem}, {}, now);
    return c;
  }
  if (path == "/exchange/v1/statuses") {
    c.package = false;
    auto parsed = edxml::ReadStatus(body, {});
    if (!parsed.ok()) {
      return CrossingRefused(edxml::ReasonOf(parsed.error()), "format", parsed.error().message);
    }
    c.sender = parsed->status.from.id;
    c.document_id = parsed->status.response_for.document_id;
    c.recipients.push_back(parsed->status.response_for.organ_id);
    c.status_code = parsed->status.status_code;
    if (c.sender != caller.agency_code) {
      return CrossingRefused(
          "IMPERSONATION", "sender",
          "the notice is from " + c.sender + " but came from " + caller.agency_code);
    }
    c.check = edxml::VerifySignature(*parsed, {caller.ca_pem}, {}, now);
    return c;
  }
  return MakeError(ErrorCode::kNotFound, "No such exchange path.");
}

}  // namespace

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
    LogIfFailed(record("refused", rule), "gateway.crossing_not_recorded");
    Error e = Error::Invalid("package", std::string(reason), message + " (rule: " + rule + ")");
    e.message = "Refused at the gateway: " + message;
    return e;
  };
  const auto* from_zone = [&]() -> const ExchangeSettings::GatewayZone* {
    for (const auto& z : settings_.gateway_zones) {
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
  if (body.size() > settings_.max_package_bytes) {
    return refuse("TOO_LARGE", "size", "the package is over the size limit");
  }
  // What it is, who signed it, and to whom it goes.
  auto described = DescribeCrossing(path, body, *caller, settings_.max_package_bytes, now);
  if (!described.ok()) {
    const Error& e = described.error();
    if (e.fields.empty()) return e;
    return refuse(e.fields.front().code, e.fields.front().field, e.fields.front().message);
  }
  const std::string& sender_code = described->sender;
  const std::string& label = described->label;
  const std::vector<std::string>& recipients = described->recipients;
  const Result<edxml::SignatureCheck>& check = described->check;
  crossing["document_id"] = described->document_id;
  if (described->package) {
    crossing["classification"] = label;
  } else {
    crossing["status"] = described->status_code;
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
  exchange::Peer to;
  Status known = store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(to, exchange::Store(tx).GetPeer(recipients.front()));
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
  std::optional<signatures::CertificateRecord> zone_cert;
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
    LogIfFailed(record("unreachable", "delivery"), "gateway.crossing_not_recorded");
    return reply.error();
  }
  crossing["answer"] = reply->status;
  CHY_TRY_STATUS(record(reply->status == 200 ? "forwarded" : "forwarded_refused", "allowed"));
  return reply;
}

}  // namespace chancery::services
