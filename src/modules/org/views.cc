#include "modules/org/views.h"

#include <any>
#include <boost/json.hpp>

#include "lib/http/handler_kit.h"
#include "modules/org/store.h"

namespace chancery::org {

namespace json = boost::json;

const User& ActorOf(const http::Request& r) { return *std::any_cast<User>(&r.user); }
using http::OptDate;
using http::OptId;

json::object UnitView(const Unit& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"abbreviation", u.abbreviation},
          {"agency_code", u.agency_code},
          {"parent_id", OptId(u.parent_id)},
          {"issues_documents", u.issues_documents},
          {"active", u.active},
          {"retired_on", OptDate(u.retired_on)},
          {"successor_id", OptId(u.successor_id)},
          {"version", u.version}};
}

json::object UserView(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"full_name", u.full_name},
          {"unit_id", u.unit_id},
          {"position", u.position},
          {"roles", json::value_from(RoleNames(u.roles))},
          {"clearance", ClassificationName(u.clearance)},
          {"active", u.active},
          {"language", u.language},
          {"version", u.version}};
}

// A four-eyes request as people see it: never a password hash.
json::object ApprovalView(const org::Approval& a) {
  std::error_code ec;
  json::value change = json::parse(a.payload, ec);
  if (ec || !change.is_object()) change = json::object{};
  json::object& c = change.as_object();
  if (c.erase("password_hash")) c["password_reset"] = true;
  return {{"id", a.id},
          {"kind", a.kind},
          {"object_id", a.object_id},
          {"change", change},
          {"proposed_by", a.proposed_by},
          {"proposed_at", FormatTimestamp(a.proposed_at)},
          {"state", a.state},
          {"decided_by", OptId(a.decided_by)},
          {"decided_at",
           a.decided_at ? json::value(FormatTimestamp(*a.decided_at)) : json::value(nullptr)},
          {"reason", a.reason}};
}

}  // namespace chancery::org
