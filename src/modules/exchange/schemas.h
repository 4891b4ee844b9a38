// What the exchange module's routes answer (peers, the outbox, the quarantine, deliveries), as JSON
// Schema for the OpenAPI document: the entries of #/components/schemas that route_table.cc names
// with Ref("<name>"). Written from the views and handlers (views.cc, routes.cc): a change to an
// answer changes its schema here too, and the API tests check real answers against these shapes.
#pragma once

#include <boost/json/object.hpp>

namespace chancery::exchange {

boost::json::object AnswerSchemas();

}  // namespace chancery::exchange
