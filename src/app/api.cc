#include "app/api.h"

#include <openssl/crypto.h>

#include <any>
#include <boost/json.hpp>

#include "core/digest.h"
#include "lib/http/compress.h"
#include "lib/http/handler_kit.h"
#include "lib/http/problem.h"

namespace chancery::http {

Api::Api(const ApiServices& services, store::Store& store, const Clock& clock, ApiOptions options,
         Logger& logger)
    : org_service_(services.org),
      store_(store),
      clock_(clock),
      options_(std::move(options)),
      logger_(logger),
      org_(services.org, options_),
      documents_(services.documents, options_),
      audit_(services.audit, options_),
      signatures_(services.signatures, options_),
      exchange_(services.exchange, options_),
      search_(services.search, options_) {}

Response Api::OpenApi() const { return JsonResponse(200, Describe()); }

// ============================================================ middleware

namespace {

// Headers every API answer carries: nothing in it may run as a page of this
// origin or be framed.
void SecureHeaders(Response& r) {
  if (!r.header("Content-Security-Policy")) {
    r.SetHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
  }
  // (X-Content-Type-Options: nosniff is the server's, on every answer.)
  if (!r.header("Cache-Control")) r.SetHeader("Cache-Control", "no-store");
}

Response LogInFirst() {
  Response r = Problem(MakeError(ErrorCode::kUnauthenticated, "Log in first."));
  r.SetHeader("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace

std::optional<Response> Api::AdmitBody(const Request& head) {
  if (!router_) return std::nullopt;
  const Router::Match match = router_->Find(head.method, head.path);
  // Unknown routes and unauthenticated ones (login, OCSP, TSA) take small
  // bodies only; the router answers the rest after the (small) read.
  Response refused =
      Problem(MakeError(ErrorCode::kPayloadTooLarge, "This request may not carry a large body."));
  if (!match.route || !match.route->authenticated) return refused;
  const std::string token = CredentialsOf(head).token;
  if (token.empty() || !org_service_.Authenticate(token).ok()) {
    Response r = LogInFirst();
    SecureHeaders(r);
    return r;
  }
  return std::nullopt;
}

Response Api::Dispatch(Request& req, const Router::Match& match) {
  Response r = Serve(req, match);
  SecureHeaders(r);
  // JSON of 1 KiB and more goes gzipped to who takes it — except answers
  // that carry a session's secret (the login's token, /me's CSRF token): a
  // compressed secret beside text an attacker can choose leaks through the
  // answer's size (BREACH), so those stay as they are.
  if (!req.path.starts_with("/api/v1/auth/") && req.path != "/api/v1/me") {
    http::CompressJson(req, r);
  }
  return r;
}

Response Api::Serve(Request& req, const Router::Match& match) {
  const Route& route = *match.route;
  req.params = match.params;
  // A JSON route takes JSON only, before anything else happens: a form or
  // text/plain post from another site (login CSRF) never reaches a handler.
  if (!route.body_schema.empty() && !req.body.empty()) {
    auto ct = req.header("Content-Type");
    if (!ct || !IsJsonContentType(*ct)) {
      return Problem(MakeError(ErrorCode::kUnsupportedMedia, "Send application/json."));
    }
  }
  if (!route.authenticated) return route.handler(req);

  const auto [token, from_cookie] = CredentialsOf(req);
  if (token.empty()) return LogInFirst();
  auto who = org_service_.Authenticate(token);
  if (!who.ok()) {
    Response r = Problem(who.error());
    r.SetHeader("WWW-Authenticate", "Bearer");
    return r;
  }
  const bool unsafe = req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
  if (unsafe && from_cookie) {
    // A cookie rides along with cross-site requests; the CSRF token does not.
    auto csrf = req.header("X-CSRF-Token");
    const std::string& expected = who->second.csrf_token;
    if (!csrf || expected.empty() || csrf->size() != expected.size() ||
        CRYPTO_memcmp(csrf->data(), expected.data(), expected.size()) != 0) {
      return Problem(
          MakeError(ErrorCode::kForbidden, "Missing or wrong X-CSRF-Token for a cookie session."));
    }
  }
  // The roles the route table names are enforced here, for every route;
  // unit scope and clearance are the services' part.
  if (route.required_roles != 0 && (who->first.roles & route.required_roles) == 0) {
    return Problem(MakeError(ErrorCode::kForbidden, "Your roles do not allow this."));
  }
  req.user = who->first;
  if (req.method == "POST" && req.header("Idempotency-Key")) {
    return Idempotent(req, route, who->first);
  }
  return route.handler(req);
}

Response Api::Idempotent(Request& req, const Route& route, const User& user) {
  const std::string key(*req.header("Idempotency-Key"));
  if (key.empty() || key.size() > 200) {
    return Problem(Error::Invalid("Idempotency-Key", "too_long", "1 to 200 characters."));
  }
  // A streamed upload is hashed where it lies (its file), not copied.
  const std::string request_hash =
      req.body_path.empty()
          ? Sha256Hex(req.method + " " + req.path + "\n" + req.body)
          : Sha256Hex(req.method + " " + req.path + "\n@" + Sha256Hex(BodyView(req).bytes()));
  std::optional<store::IdempotentReply> earlier;
  Status s = store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(earlier, tx.GetIdempotent(user.id, key));
    return Ok();
  });
  if (!s.ok()) return Problem(s.error());
  if (earlier) {
    if (earlier->request_hash != request_hash) {
      return Problem(MakeError(ErrorCode::kIdempotencyReuse,
                               "This Idempotency-Key was used for a different request."));
    }
    Response r;
    r.status = earlier->status;
    r.body = earlier->body;
    r.SetHeader("Content-Type", "application/json; charset=utf-8");
    r.SetHeader("Idempotent-Replayed", "true");
    return r;
  }
  Response r = route.handler(req);
  if (r.status >= 200 && r.status < 300 && !r.file) {
    // Kept so a retry after a lost answer gets the same answer. Two identical
    // requests racing both run; the second one's key insert is a no-op.
    Status kept = store_.Write([&](store::Tx& tx) -> Status {
      auto put = tx.PutIdempotent(user.id, key, {request_hash, r.status, r.body}, clock_.Now());
      if (!put.ok() && put.error().code == ErrorCode::kConflict) return Ok();
      return put;
    });
    if (!kept.ok()) {  // the request did happen; only a retry's answer is lost
      logger_.Log(LogLevel::kError, "api.idempotency_key_not_kept",
                  {{"error", kept.error().message}});
    }
  }
  return r;
}

}  // namespace chancery::http
