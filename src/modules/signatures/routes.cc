#include "modules/signatures/routes.h"

#include <boost/json.hpp>
#include <charconv>

#include "modules/org/views.h"
#include "modules/signatures/store.h"

namespace chancery::signatures {

namespace json = boost::json;
using namespace http;  // NOLINT: the handler vocabulary
using F = JsonField;
using T = JsonType;
using org::ActorOf;

namespace {

json::object HeadView(const signatures::TreeHead& h) {
  return json::object{{"tree_size", h.tree_size},
                      {"root", h.root},
                      {"signed_at", FormatTimestamp(h.signed_at)},
                      {"certificate_serial", h.certificate_serial},
                      {"signature", h.signature}};
}

services::CertificateInput CertificateInputOf(const json::object& b) {
  services::CertificateInput in;
  in.profile = GetString(b, "profile");
  in.user_id = GetInt(b, "user_id");
  in.unit_id = GetInt(b, "unit_id");
  if (auto v = GetInt(b, "days")) in.days = static_cast<int>(*v);
  in.pin = GetString(b, "pin");
  in.public_key_pem = GetString(b, "public_key_pem");
  in.key_uri = GetString(b, "key_uri");
  return in;
}

// A certificate as the API shows it: never its key, only where the key is.
json::object CertificateView(const services::Certificate& c) {
  auto opt_time = [](const std::optional<Timestamp>& t) {
    return t ? json::value(FormatTimestamp(*t)) : json::value(nullptr);
  };
  return {{"serial", c.serial},
          {"profile", c.profile},
          {"user_id", OptId(c.user_id)},
          {"unit_id", OptId(c.unit_id)},
          {"subject", c.subject},
          {"not_before", FormatTimestamp(c.not_before)},
          {"not_after", FormatTimestamp(c.not_after)},
          {"status", c.status},
          {"revoked_at", opt_time(c.revoked_at)},
          {"revocation_reason", c.revocation_reason},
          {"key_store", c.key_in_token                      ? "token"
                        : c.profile == "person"             ? "pin"
                        : c.profile.starts_with("trusted_") ? "none"
                                                            : "node"},
          {"certificate_pem", c.certificate_pem},
          {"created_at", FormatTimestamp(c.created_at)}};
}

}  // namespace

const std::vector<F> kCaFields{{.name = "common_name", .type = T::kString, .max_length = 200},
                               {.name = "organization", .type = T::kString, .max_length = 200},
                               {.name = "days", .type = T::kInteger, .min = 1, .max = 36500}};

const std::vector<F> kRootFields{
    {.name = "certificate_pem", .type = T::kString, .required = true, .max_length = 65536}};

const std::vector<F> kCertificateFields{
    {.name = "profile",
     .type = T::kString,
     .required = true,
     .enum_values = {"person", "organization"}},
    {.name = "user_id", .type = T::kInteger, .min = 1},
    {.name = "unit_id", .type = T::kInteger, .min = 1},
    {.name = "days", .type = T::kInteger, .min = 1, .max = 3650},
    {.name = "pin",
     .type = T::kString,
     .max_length = 64,
     .description = "person: the key is made here and encrypted under this PIN"},
    {.name = "public_key_pem",
     .type = T::kString,
     .max_length = 16384,
     .description = "a key made in a token: its public half ..."},
    {.name = "key_uri",
     .type = T::kString,
     .max_length = 1000,
     .description = "... and its PKCS#11 URI"}};

const std::vector<F> kRenewFields{{.name = "days", .type = T::kInteger, .min = 1, .max = 3650}};

const std::vector<F> kRevokeFields{
    {.name = "reason", .type = T::kString, .required = true, .max_length = 1000}};

const std::vector<F> kPinFields{
    {.name = "old_pin", .type = T::kString, .required = true, .max_length = 64},
    {.name = "new_pin", .type = T::kString, .required = true, .max_length = 64}};

Response Routes::CreateCa(Request& req) {
  CHY_BODY(b, req, kCaFields);
  services::CaInput in;
  in.common_name = GetString(b, "common_name");
  in.organization = GetString(b, "organization");
  if (auto v = GetInt(b, "days")) in.days = static_cast<int>(*v);
  return Reply(services_.CreateNodeCa(ActorOf(req), in), CertificateView, 201);
}

Response Routes::ImportRoots(Request& req) {
  CHY_BODY(b, req, kRootFields);
  return Reply(
      services_.ImportTrustedChain(ActorOf(req), GetString(b, "certificate_pem")),
      [](const auto& list) {
        json::array a;
        for (const auto& c : list) a.push_back(CertificateView(c));
        return json::object{{"items", a}};
      },
      201);
}

Response Routes::ListCertificates(Request& req) {
  signatures::CertificateQuery q;
  auto user = QueryInt(req, "user_id");
  if (!user.ok()) return Problem(user.error());
  auto unit = QueryInt(req, "unit_id");
  if (!unit.ok()) return Problem(unit.error());
  q.user_id = *user;
  q.unit_id = *unit;
  q.profile = QueryParam(req, "profile").value_or("");
  q.status = QueryParam(req, "status").value_or("");
  return Reply(services_.ListCertificates(ActorOf(req), q), [](const auto& list) {
    json::array a;
    for (const auto& c : list) a.push_back(CertificateView(c));
    return json::object{{"items", a}};
  });
}

Response Routes::IssueCertificate(Request& req) {
  CHY_BODY(b, req, kCertificateFields);
  return Reply(services_.IssueCertificate(ActorOf(req), CertificateInputOf(b)), CertificateView,
               201);
}

Response Routes::Renew(Request& req) {
  CHY_BODY(b, req, kRenewFields);
  services::CertificateInput in;
  if (auto v = GetInt(b, "days")) in.days = static_cast<int>(*v);
  return Reply(services_.RenewCertificate(ActorOf(req), req.params["serial"], in), CertificateView,
               201);
}

Response Routes::Revoke(Request& req) {
  CHY_BODY(b, req, kRevokeFields);
  return Reply(
      services_.RevokeCertificate(ActorOf(req), req.params["serial"], GetString(b, "reason")),
      CertificateView);
}

Response Routes::Crl(Request&) {
  auto crl = services_.CurrentCrl();
  if (!crl.ok()) return Problem(crl.error());
  return Binary(std::move(*crl), "application/x-pem-file");
}

Response Routes::Ocsp(Request& req) {
  auto r = services_.AnswerOcsp(req.body);
  if (!r.ok()) return Problem(r.error());
  return Binary(std::move(*r), "application/ocsp-response");
}

Response Routes::Timestamp(Request& req) {
  // Public for other nodes, so limited per client address.
  if (!tsa_limit_->Allow(ClientAddress(req, options_.trusted_proxies))) {
    Response r = Problem(
        MakeError(ErrorCode::kTooManyRequests, "Too many time-stamp requests; try again soon."));
    r.SetHeader("Retry-After", "1");
    return r;
  }
  auto r = services_.AnswerTimestamp(req.body);
  if (!r.ok()) return Problem(r.error());
  return Binary(std::move(*r), "application/timestamp-reply");
}

Response Routes::SetImage(Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return Problem(id.error());
  auto r = services_.SetAppearanceImage(ActorOf(req), req.params["kind"], *id, req.body);
  if (!r.ok()) return Problem(r.error());
  return Json(200, json::object{{"ok", true}});
}

Response Routes::ChangePin(Request& req) {
  CHY_BODY(b, req, kPinFields);
  auto r =
      services_.ChangeSigningPin(ActorOf(req), GetString(b, "old_pin"), GetString(b, "new_pin"));
  if (!r.ok()) return Problem(r.error());
  return Json(200, json::object{{"ok", true}});
}

Response Routes::Verify(Request& req) {
  services::VerifyInput in;
  in.file = req.body;
  in.data_sha256 = QueryParam(req, "data");
  auto r = services_.VerifyFile(ActorOf(req), in);
  if (!r.ok()) return Problem(r.error());
  Response resp;
  resp.status = 200;
  resp.body = std::move(*r);
  resp.SetHeader("Content-Type", "application/json");
  return resp;
}

Response Routes::Share(Request& req) {
  auto unit = QueryInt(req, "unit_id");
  if (!unit.ok()) return Problem(unit.error());
  auto from = QueryDate(req, "from");
  if (!from.ok()) return Problem(from.error());
  auto to = QueryDate(req, "to");
  if (!to.ok()) return Problem(to.error());
  if (!*from || !*to) {
    return Problem(Error::Invalid(!*from ? "from" : "to", "required", "Give the period."));
  }
  return Reply(services_.SignatureShareOf(ActorOf(req), *unit, **from, **to), [](const auto& r) {
    return json::object{{"unit_id", r.unit_id},
                        {"from", FormatDate(r.from)},
                        {"to", FormatDate(r.to)},
                        {"issued", r.share.issued},
                        {"both_signed", r.share.both_signed},
                        {"ratio", r.ratio},
                        {"target", r.target},
                        {"meets_target", r.share.issued > 0 && r.ratio >= r.target}};
  });
}

Response Routes::TreeHeads(Request& req) {
  auto limit = QueryLimit(req);
  if (!limit.ok()) return Problem(limit.error());
  return Reply(services_.TreeHeads(ActorOf(req), *limit), [&](const auto& list) {
    json::array a;
    for (const auto& h : list) a.push_back(HeadView(h));
    return json::object{{"items", a}};
  });
}

Response Routes::SignTreeHead(Request& req) {
  const User actor = ActorOf(req);
  return Reply(services_.SignTreeHead(actor), HeadView, 201);
}

}  // namespace chancery::signatures
