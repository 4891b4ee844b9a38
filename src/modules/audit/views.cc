#include "modules/audit/views.h"

#include <boost/json.hpp>

#include "lib/http/handler_kit.h"
#include "modules/audit/store.h"

namespace chancery::audit {

namespace json = boost::json;
using http::OptDate;
using http::OptId;

json::object AuditView(const audit::AuditEntry& e) {
  std::error_code ec;
  json::value record = json::parse(e.record, ec);
  return {{"seq", e.seq},
          {"at", FormatTimestamp(e.at)},
          {"actor_id", OptId(e.actor_id)},
          {"action", e.action},
          {"object_type", e.object_type},
          {"object_id", OptId(e.object_id)},
          {"record", ec ? json::value(e.record) : record},
          {"redacted", e.redacted},
          {"leaf_hash", e.leaf_hash},
          {"root_after", e.root_after}};
}

}  // namespace chancery::audit
