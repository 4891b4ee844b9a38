// The node's HTTP API: the middleware every request passes through
// (authentication, CSRF, content type, roles, Idempotency-Key) in api.cc,
// and THE route table in route_table.cc.
//
// Handlers live in their modules (src/modules/<name>/routes.{h,cc}); they
// parse, call one service function and map the result. Nothing here
// touches the store directly except the idempotency-key table.
#pragma once

#include <boost/json/value.hpp>
#include <optional>

#include "core/log.h"
#include "core/world.h"
#include "lib/http/handler_kit.h"
#include "lib/http/request.h"
#include "lib/http/router.h"
#include "modules/audit/routes.h"
#include "modules/documents/routes.h"
#include "modules/exchange/routes.h"
#include "modules/org/routes.h"
#include "modules/search/routes.h"
#include "modules/signatures/routes.h"
#include "store/store.h"

namespace chancery::http {

// The module services the API's handlers call.
struct ApiServices {
  services::OrgService& org;
  services::DocumentService& documents;
  services::AuditService& audit;
  services::SignatureService& signatures;
  services::ExchangeService& exchange;
  services::SearchService& search;
};

class Api {
 public:
  Api(const ApiServices& services, store::Store& store, const Clock& clock, ApiOptions options,
      Logger& logger = NullLogger());

  // Adds every route of /api/v1 to `router` (route_table.cc).
  void Register(Router& router);
  // The OpenAPI document of the routes Register added, with the shapes of
  // their answers that the modules declare (schemas.h): what
  // /api/v1/openapi.json serves and `chancery openapi` prints.
  boost::json::value Describe() const;
  // The routes other agencies' nodes call on the exchange listener (mutual
  // TLS; the caller is known by its certificate, not by a session).
  void RegisterPeer(Router& router);

  // Server's `admit` hook: a large body is read only for a signed-in
  // caller (a valid session or token) of a route that takes one; an
  // outsider cannot make the node buffer megabytes.
  std::optional<Response> AdmitBody(const Request& head);

  // Middleware + handler for a matched route (Server's dispatch hook).
  Response Dispatch(Request& request, const Router::Match& match);

 private:
  Response Serve(Request& request, const Router::Match& match);
  Response Idempotent(Request& request, const Route& route, const User& user);
  Response OpenApi() const;

  services::OrgService& org_service_;
  store::Store& store_;
  const Clock& clock_;
  ApiOptions options_;
  Logger& logger_;
  const Router* router_ = nullptr;
  // The modules' handlers.
  org::Routes org_;
  documents::Routes documents_;
  audit::Routes audit_;
  signatures::Routes signatures_;
  exchange::Routes exchange_;
  search::Routes search_;
};

}  // namespace chancery::http
