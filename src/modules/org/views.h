// JSON views of the org module's objects, shared with the modules that show them.
#pragma once

#include <boost/json/object.hpp>

#include "lib/http/request.h"
#include "modules/org/service.h"
#include "modules/org/store.h"

namespace chancery::org {

// The signed-in person a request acts for (set by the API's middleware).
const User& ActorOf(const http::Request& r);

// Names of the classification labels, lowest first (schemas' enums).
// (inline: initialised before any schema that includes this header uses it)
inline const std::vector<std::string> kClassifications{"normal", "mat", "toi_mat", "tuyet_mat"};

boost::json::object UnitView(const Unit& u);
boost::json::object UserView(const User& u);
boost::json::object ApprovalView(const org::Approval& a);

}  // namespace chancery::org
