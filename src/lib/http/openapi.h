// The OpenAPI 3.1 description of a route table, served at
// /api/v1/openapi.json and checked against the routes in tests.
//
// Generated from the Router alone, so it cannot drift from what the server
// does: paths, operations, path and query parameters, request bodies (from
// each route's JsonField schema, as JSON Schema 2020-12), the success answer
// and its body's schema, other answers a route declares (e.g. a 429 with
// Retry-After), problem+json for every error, and the security schemes.
// Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "lib/http/router.h"

namespace chancery::http {

// `session_cookie` names the cookie of the cookieAuth scheme; `schemas`
// are the shapes the routes' answers "$ref" (#/components/schemas), listed
// after Problem.
boost::json::value OpenApiDocument(const Router& router, std::string_view title,
                                   std::string_view version,
                                   std::string_view session_cookie = "chancery_session",
                                   const boost::json::object& schemas = {});

// "GET /api/v1/x" for each route whose success answer has a body the route
// does not describe (neither Route::response_schema nor response_types; a
// 204 has no body). The document of a finished API has none.
std::vector<std::string> UndescribedAnswers(const Router& router);

// `value` as indented JSON with keys in their stored order and a final
// newline, for documents checked into the repository (docs/openapi.json).
std::string PrettyJson(const boost::json::value& value);

// Stable operationId of a route: "get_api_v1_documents_by_id_attachments".
std::string OperationId(std::string_view method, std::string_view pattern);

// JSON Schema of one body field (without "required", which lives on the object).
boost::json::object FieldSchema(const JsonField& field);

}  // namespace chancery::http
