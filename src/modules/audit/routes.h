// HTTP handlers of the audit module. The audit log: entries, head, proofs and verification.
// One handler per line of the route table (src/app/route_table.cc), which
// also names each route's roles and body schema; handlers parse, call one
// service function and map its answer.
#pragma once

#include <memory>
#include <vector>

#include "lib/http/handler_kit.h"
#include "lib/http/json_body.h"
#include "modules/audit/service.h"

namespace chancery::audit {

class Routes : public http::HandlerSet<services::AuditService> {
 public:
  using HandlerSet::HandlerSet;

  http::Response List(http::Request& req);
  http::Response Head(http::Request& req);
  http::Response Inclusion(http::Request& req);
  http::Response Consistency(http::Request& req);
  http::Response Verify(http::Request& req);
};

}  // namespace chancery::audit
