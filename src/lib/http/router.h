// The route table: method + path pattern → handler, plus what the OpenAPI
// document says about the route.
//
// Patterns are "/"-separated segments, each a literal or a "{name}"
// placeholder that matches one non-empty segment. Matching is segment by
// segment over a tree (no regex per request); a literal segment wins over a
// placeholder at the same position, with backtracking, so "/documents/search"
// and "/documents/{id}" coexist. HEAD is served by the GET route unless a HEAD
// route exists.
//
// Build the table once at startup with Add (not thread-safe), then share it:
// Find and routes() are const and safe from any number of threads. Adding a
// malformed pattern or a duplicate method+pattern is a programming error and
// aborts the process with a message.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/http/json_body.h"
#include "lib/http/request.h"

namespace chancery::http {

using Handler = std::function<Response(Request&)>;

// An answer a route gives besides its success and problem+json errors, for
// the OpenAPI document: a 202 that waits for a second person, the 206 of a
// range, a 429 that says when to come back.
struct RouteAnswer {
  int status = 200;
  std::string description;  // empty: the status's name
  // A JSON body (application/json, or application/problem+json from 400
  // on) described by this JSON Schema; null: no JSON body (but a 4xx is
  // problem+json all the same).
  boost::json::value schema;
  std::vector<std::string> media_types;  // or bytes of these types
  // Headers a client acts on ("Retry-After").
  struct Header {
    std::string name;
    std::string description;
    boost::json::value schema;  // null: a string
  };
  std::vector<Header> headers;
};

struct Route {
  std::string method;   // "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"
  std::string pattern;  // "/api/v1/documents/{id}/attachments/{sha}"
  Handler handler;
  std::string summary;
  std::string tag;
  std::vector<JsonField> body_schema;  // empty = no JSON body
  std::vector<std::string> query_params;
  int success_status = 200;
  // The success answer's body, for the OpenAPI document: JSON described by
  // `response_schema` (JSON Schema 2020-12, lib/http/json_schema.h; "$ref"s
  // name the shapes the document lists in #/components/schemas), or bytes
  // of `response_types` ("text/csv", "*/*"). Neither: no body (a 204) — or
  // not described, which UndescribedAnswers() reports (openapi.h).
  boost::json::value response_schema;
  std::vector<std::string> response_types;
  std::vector<RouteAnswer> other_answers;
  // Path placeholders that take a positive integer (handlers read them with
  // PathId; anything else is 404): typed "integer" in the document.
  std::vector<std::string> integer_params;
  bool authenticated = true;
  std::uint32_t required_roles = 0;  // any of these role bits; 0: anyone signed in. Enforced.
  std::string required_role;  // the same in words ("clerk, specialist or leader"), for OpenAPI
  // A large body (a file upload) goes to a file as it arrives instead of
  // memory (Request::body_path), when the server has a ServerOptions::body_dir.
  bool stream_body = false;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  void Add(Route route);

  struct Match {
    const Route* route = nullptr;               // null: 404 or 405
    std::map<std::string, std::string> params;  // percent-decoded
    std::vector<std::string> allowed_methods;   // filled for 405, sorted
  };

  // `path` is the request path ("/..."; anything else never matches) without
  // the query, still percent-encoded (each segment is decoded after
  // splitting, so "%2F" stays inside its parameter) or already decoded.
  // Route pointers stay valid until the next Add.
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Node;
  std::vector<Route> routes_;
  std::vector<std::vector<std::pair<std::size_t, std::string>>> param_positions_;
  std::unique_ptr<Node> root_;
};

// "/a/{id}/b" → {"a", "{id}", "b"}; "/" → {}. Exposed for openapi.cc.
std::vector<std::string_view> SplitPath(std::string_view path);

}  // namespace chancery::http
