// The shapes of what the search module's routes answer, for the OpenAPI document.
#pragma once

#include <boost/json/object.hpp>

namespace chancery::search {

boost::json::object AnswerSchemas();

}  // namespace chancery::search
