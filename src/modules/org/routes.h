// HTTP handlers of the org module. Units, reorganisations, users, sessions and four-eyes approvals.
// One handler per line of the route table (src/app/route_table.cc), which
// also names each route's roles and body schema; handlers parse, call one
// service function and map its answer.
#pragma once

#include <memory>
#include <vector>

#include "lib/http/handler_kit.h"
#include "lib/http/json_body.h"
#include "modules/org/service.h"

namespace chancery::org {

// Body schemas of its routes.
extern const std::vector<http::JsonField> kLoginFields;
extern const std::vector<http::JsonField> kLanguageFields;
extern const std::vector<http::JsonField> kUnitPatch;
extern const std::vector<http::JsonField> kReorgFields;
extern const std::vector<http::JsonField> kUserPatch;
extern const std::vector<http::JsonField> kDecisionFields;
extern const std::vector<http::JsonField> kUnitFields;
extern const std::vector<http::JsonField> kUserFields;

class Routes : public http::HandlerSet<services::OrgService> {
 public:
  using HandlerSet::HandlerSet;

  http::Response Login(http::Request& req);
  http::Response Logout(http::Request& req);
  http::Response Me(http::Request& req);
  http::Response SetLanguage(http::Request& req);
  http::Response People(http::Request& req);
  http::Response ListUnits(http::Request& req);
  http::Response CreateUnit(http::Request& req);
  http::Response GetUnit(http::Request& req);
  http::Response UpdateUnit(http::Request& req);
  http::Response UnitAsOf(http::Request& req);
  http::Response UnitHistory(http::Request& req);
  http::Response UnitTransfers(http::Request& req);
  http::Response Reorganize(http::Request& req);
  http::Response ListUsers(http::Request& req);
  http::Response CreateUser(http::Request& req);
  http::Response GetUser(http::Request& req);
  http::Response UpdateUser(http::Request& req);
  http::Response ListApprovals(http::Request& req);
  http::Response Approve(http::Request& req);
  http::Response Reject(http::Request& req);

 private:
  http::Response Decide(http::Request& req, bool approve);
};

}  // namespace chancery::org
