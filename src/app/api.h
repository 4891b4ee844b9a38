// The node's HTTP API: the one route table, and the middleware every request
// passes through (authentication, CSRF, content type, Idempotency-Key).
//
// Handlers are thin: parse the request, call one Services function, map the
// result to JSON or problem+json. Nothing here touches the store directly
// except the idempotency-key table.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/world.h"
#include "lib/http/rate_limit.h"
#include "lib/http/request.h"
#include "lib/http/router.h"
#include "services/services.h"
#include "store/store.h"

namespace chancery::http {

struct ApiOptions {
  bool secure_cookies = false;  // add `Secure` to the session cookie (behind TLS)
  // Proxies in front of the node (nginx, haproxy): from these addresses the
  // client is the address the proxy appended to X-Forwarded-For.
  std::vector<std::string> trusted_proxies;
  std::string version = "0.1.0";
};

class Api {
 public:
  Api(services::Services& services, store::Store& store, const Clock& clock, ApiOptions options);

  // Adds every route of /api/v1 to `router`.
  void Register(Router& router);
  // The routes other agencies' nodes call on the exchange listener (mutual
  // TLS; the caller is known by its certificate, not by a session).
  void RegisterPeer(Router& router);
  // The problem+json a refused arrival gets: status 403/413/422, code
  // "exchange.refused" and the stable `reason`.
  static Response RefusedResponse(const Error& error);

  // Server's `admit` hook: a large body is read only for a signed-in
  // caller (a valid session or token) of a route that takes one; an
  // outsider cannot make the node buffer megabytes.
  std::optional<Response> AdmitBody(const Request& head);

  // Middleware + handler for a matched route (Server's dispatch hook).
  Response Dispatch(Request& request, const Router::Match& match);

 private:
  Response Serve(Request& request, const Router::Match& match);
  // The client's address: the TCP peer, or what a trusted proxy says it is.
  std::string ClientAddress(const Request& request) const;
  Response Idempotent(Request& request, const Route& route, const User& user);
  // Fills required_roles_ from the table once it is complete.
  void IndexRoles(const Router& router);
  void RegisterExchange(Router& router);

  services::Services& services_;
  store::Store& store_;
  const Clock& clock_;
  ApiOptions options_;
  const Router* router_ = nullptr;
  std::unordered_map<const Route*, std::uint32_t> required_roles_;
  std::unique_ptr<RateLimiter> tsa_limit_ = std::make_unique<RateLimiter>(20, 100);
};

// Name of the session cookie.
inline constexpr std::string_view kSessionCookie = "chancery_session";

}  // namespace chancery::http
