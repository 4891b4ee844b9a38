#include "modules/exchange/routes.h"

#include <boost/json.hpp>
#include <charconv>

#include "modules/documents/views.h"
#include "modules/exchange/store.h"
#include "modules/org/views.h"

namespace chancery::exchange {

namespace json = boost::json;
using namespace http;  // NOLINT: the handler vocabulary
using F = JsonField;
using T = JsonType;
using documents::DocumentView;
using org::ActorOf;
using org::kClassifications;

namespace {

Error AdminsOnly() { return MakeError(ErrorCode::kForbidden, "Administrators only."); }

json::object PeerView(const exchange::Peer& p) {
  return json::object{{"agency_code", p.agency_code},
                      {"name", p.name},
                      {"endpoint", p.endpoint},
                      {"certificate_sha256", p.certificate_sha256},
                      {"certificate_pem", p.certificate_pem},
                      {"ca_pem", p.ca_pem},
                      {"via", p.via},
                      {"zone", p.zone},
                      {"max_classification", ClassificationName(p.max_classification)},
                      {"source", p.source},
                      {"active", p.active},
                      {"updated_at", FormatTimestamp(p.updated_at)}};
}

json::object OutboxView(const exchange::OutboxItem& o) {
  return json::object{{"id", o.id},
                      {"to", o.peer_code},
                      {"kind", o.kind},
                      {"document_id", OptId(o.document_id)},
                      {"edxml_id", o.edxml_id},
                      {"code", o.code},
                      {"size", o.payload_size},
                      {"state", o.state},
                      {"attempts", o.attempts},
                      {"next_attempt_at", FormatTimestamp(o.next_attempt_at)},
                      {"last_error", o.last_error},
                      {"created_at", FormatTimestamp(o.created_at)},
                      {"done_at", o.done_at ? json::value(FormatTimestamp(*o.done_at)) : nullptr}};
}

services::PeerCall PeerCallOf(const Request& req) {
  services::PeerCall call;
  call.peer_certificate_pem = req.peer_certificate_pem;
  if (auto hop = req.header("Chancery-Hop-Signature")) call.hop_signature = std::string(*hop);
  return call;
}

}  // namespace

// A refused arrival: 403 when the caller is not who it must be, 422 for the
// package itself; `reason` is the stable code the sender shows.
Response RefusedResponse(const Error& e) {
  if (e.fields.empty()) return Problem(e);
  const std::string& reason = e.fields.front().code;
  // Who the caller is (403), how big (413), or the package itself (422);
  // problem.cc maps the code to the status, as for every answer.
  const ErrorCode code =
      reason == "UNKNOWN_PEER" || reason == "IMPERSONATION" || reason == "HOP_SIGNATURE_INVALID"
          ? ErrorCode::kForbidden
      : reason == "TOO_LARGE" ? ErrorCode::kPayloadTooLarge
                              : ErrorCode::kRefused;
  const int status = HttpStatus(code);
  Response r = JsonResponse(status, json::object{{"type", "about:blank"},
                                                 {"title", "Refused"},
                                                 {"status", status},
                                                 {"code", std::string(services::kRefusedProblem)},
                                                 {"reason", reason},
                                                 {"detail", e.fields.front().message}});
  r.SetHeader("Content-Type", "application/problem+json");
  return r;
}

const std::vector<F> kPeerFields{
    {.name = "name", .type = T::kString, .required = true, .max_length = 300},
    {.name = "endpoint",
     .type = T::kString,
     .max_length = 500,
     .description = "https://host:port of the peer's exchange listener"},
    {.name = "certificate_pem", .type = T::kString, .max_length = 16384},
    {.name = "ca_pem", .type = T::kString, .required = true, .max_length = 65536},
    {.name = "via",
     .type = T::kString,
     .max_length = 50,
     .description = "agency code of the gateway that reaches it"},
    {.name = "zone", .type = T::kString, .max_length = 50},
    {.name = "max_classification", .type = T::kString, .enum_values = kClassifications},
    {.name = "active", .type = T::kBoolean}};

const std::vector<F> kDirectoryFields{
    {.name = "source",
     .type = T::kString,
     .required = true,
     .max_length = 50,
     .description = "agency code of the publishing node (a peer)"},
    {.name = "file",
     .type = T::kString,
     .max_length = 8 << 20,
     .description = "the signed directory file; absent: fetch it from the source now"}};

Response Routes::Identity(Request& req) {
  if (!ActorOf(req).Has(kRoleAdmin)) return Problem(AdminsOnly());
  return Reply(services_.Identity(), [](const services::NodeIdentity& n) {
    return json::object{{"agency_code", n.agency_code},
                        {"name", n.name},
                        {"endpoint", n.endpoint},
                        {"certificate_pem", n.certificate_pem},
                        {"certificate_sha256", n.certificate_sha256},
                        {"ca_pem", n.ca_pem}};
  });
}

Response Routes::ListPeers(Request& req) {
  return Reply(services_.ListPeers(ActorOf(req)), [](const auto& list) {
    json::array a;
    for (const auto& p : list) a.push_back(PeerView(p));
    return json::object{{"items", a}};
  });
}

Response Routes::PutPeer(Request& req) {
  CHY_BODY(b, req, kPeerFields);
  exchange::Peer p;
  p.agency_code = req.params["code"];
  p.name = GetString(b, "name");
  p.endpoint = GetString(b, "endpoint");
  p.certificate_pem = GetString(b, "certificate_pem");
  p.ca_pem = GetString(b, "ca_pem");
  p.via = GetString(b, "via");
  p.zone = GetString(b, "zone");
  p.max_classification =
      ParseClassification(GetString(b, "max_classification")).value_or(Classification::kNormal);
  p.active = GetBool(b, "active", true);
  return Reply(services_.PutPeer(ActorOf(req), std::move(p)), PeerView);
}

Response Routes::Directory(Request& req) {
  if (!ActorOf(req).Has(kRoleAdmin)) return Problem(AdminsOnly());
  auto r = services_.SignedDirectory();
  if (!r.ok()) return Problem(r.error());
  return Binary(std::move(*r), "application/json");
}

Response Routes::ImportDirectory(Request& req) {
  CHY_BODY(b, req, kDirectoryFields);
  const User actor = ActorOf(req);
  const std::string source = GetString(b, "source");
  auto r = b.contains("file") ? services_.ImportDirectory(actor, source, GetString(b, "file"))
                              : services_.RefreshDirectory(actor, source);
  return Reply(std::move(r), [](int n) { return json::object{{"imported", n}}; });
}

Response Routes::Outbox(Request& req) {
  auto page = PageRequestOf(req);
  if (!page.ok()) return Problem(page.error());
  return Reply(services_.ListOutbox(ActorOf(req), QueryParam(req, "state").value_or(""),
                                    page->cursor, page->limit),
               [](const auto& p) { return PageJson(p, OutboxView); });
}

Response Routes::Quarantine(Request& req) {
  auto page = PageRequestOf(req);
  if (!page.ok()) return Problem(page.error());
  return Reply(services_.ListQuarantine(ActorOf(req), page->cursor, page->limit),
               [](const auto& p) {
                 return PageJson(p, [](const exchange::QuarantineItem& q) {
                   return json::object{{"id", q.id},
                                       {"received_at", FormatTimestamp(q.received_at)},
                                       {"claimed_sender", q.claimed_sender},
                                       {"tls_subject", q.tls_subject},
                                       {"reason", q.reason_code},
                                       {"message", q.message},
                                       {"sha256", q.payload_sha256},
                                       {"size", q.payload_size}};
                 });
               });
}

Response Routes::DocumentExchange(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  return Reply(services_.ExchangeOf(ActorOf(req), *id), [](const auto& list) {
    json::array a;
    for (const auto& r : list) {
      json::array history;
      for (const auto& h : r.history) {
        history.push_back(json::object{{"direction", h.direction},
                                       {"code", h.code},
                                       {"description", h.description},
                                       {"at", FormatTimestamp(h.at)}});
      }
      a.push_back(json::object{
          {"agency_code", r.agency_code},
          {"name", r.name},
          {"delivery", r.delivery},
          {"attempts", r.attempts},
          {"last_error", r.last_error},
          {"status", r.latest_code},
          {"status_description", r.latest_description},
          {"status_at", r.latest_at ? json::value(FormatTimestamp(*r.latest_at)) : nullptr},
          {"history", history}});
    }
    return json::object{{"items", a}};
  });
}

Response Routes::ExportEdxml(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto r = services_.ExportEdxml(ActorOf(req), *id, QueryParam(req, "agency").value_or(""));
  if (!r.ok()) return Problem(r.error());
  return FileDownload(req, "", r->bytes, r->size, r->content_type, r->file_name,
                      "\"" + r->sha256 + "\"");
}

Response Routes::ImportEdxml(Request& req) {
  return Reply(
      services_.ImportEdxml(ActorOf(req), req.body, QueryParam(req, "duplicate_reason")),
      [](const services::CreatedDocument& c) { return DocumentView(c.document); }, 201);
}

Response Routes::ReceivePackage(Request& req) {
  auto r = services_.ReceivePackage(PeerCallOf(req), req.body);
  if (!r.ok()) return RefusedResponse(r.error());
  return Binary(std::move(*r), "application/xml");
}

Response Routes::ReceiveStatus(Request& req) {
  auto r = services_.ReceiveStatus(PeerCallOf(req), req.body);
  if (!r.ok()) return RefusedResponse(r.error());
  return Binary(std::move(*r), "application/xml");
}

Response Routes::PublishDirectory(Request& req) {
  // Peers only: the directory names every node's endpoint.
  auto known = services_.KnownPeer(req.peer_certificate_pem);
  if (!known.ok()) return RefusedResponse(known.error());
  auto r = services_.SignedDirectory();
  if (!r.ok()) return Problem(r.error());
  return Binary(std::move(*r), "application/json");
}

}  // namespace chancery::exchange
