// What every route handler needs: reading path, query and If-Match values,
// answering JSON, files (with Range) and problems. Knows HTTP, not the domain.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/page.h"
#include "core/result.h"
#include "core/world.h"
#include "lib/http/json_body.h"
#include "lib/http/problem.h"
#include "lib/http/request.h"

namespace chancery::http {

// How the node's API is set up where it runs.
struct ApiOptions {
  bool secure_cookies = false;  // add `Secure` to the session cookie (behind TLS)
  // Proxies in front of the node (nginx, haproxy): from these addresses the
  // client is the address the proxy appended to X-Forwarded-For.
  std::vector<std::string> trusted_proxies;
  std::string version = "0.1.0";
};

// The client's address: the TCP peer, or what a trusted proxy says it is.
std::string ClientAddress(const Request& request, const std::vector<std::string>& trusted_proxies);

boost::json::value OptId(std::optional<Id> v);
boost::json::value OptDate(std::optional<Date> d);

// "v7" in quotes: the ETag of an object's version.
std::string ETagOf(std::int64_t version);
// If-Match: "v7" (or W/"v7") → 7; absent → nullopt; anything else is a stale tag.
Result<std::optional<std::int64_t>> IfMatch(const Request& r);
// As IfMatch, but absent is 428.
Result<std::int64_t> RequiredIfMatch(const Request& r);
// A positive id in the path; anything else is 404 (no such object).
Result<Id> PathId(const Request& r, const char* name = "id");
Result<std::optional<std::int64_t>> QueryInt(const Request& r, const char* name);
Result<std::optional<Date>> QueryDate(const Request& r, const char* name);
// Page size: `limit=` from 1 to kMaxPage, 50 when absent.
inline constexpr std::int64_t kMaxPage = 200;
Result<int> QueryLimit(const Request& r);

inline Response Json(int status, boost::json::value v) { return JsonResponse(status, v); }
// The base of a module's handlers: the module's service and the API's options.
template <typename Service>
class HandlerSet {
 public:
  explicit HandlerSet(Service& service, ApiOptions options = {})
      : services_(service), options_(std::move(options)) {}

 protected:
  Service& services_;
  ApiOptions options_;
};

// Bytes of a given type (not JSON), 200.
Response Binary(std::string body, std::string content_type);
// A file answer with Range support (RFC 9110 section 14), from `path` or `bytes`.
Response FileDownload(const Request& req, const std::string& path, std::string bytes,
                      std::uint64_t size, const std::string& content_type,
                      const std::string& file_name, const std::string& etag);
// The value as JSON through `view`, or the error as problem+json.
template <typename T, typename F>
Response Reply(Result<T> r, F&& view, int status = 200) {
  if (!r.ok()) return Problem(r.error());
  return JsonResponse(status, std::forward<F>(view)(*r));
}
Response WithETag(Response r, std::int64_t version);
// {"items": [view(item)...], "next_cursor": "..." or null}: every paged list.
template <typename T, typename F>
boost::json::object PageJson(const Page<T>& page, F&& view) {
  boost::json::array items;
  for (const T& item : page.items) items.push_back(view(item));
  return boost::json::object{
      {"items", std::move(items)},
      {"next_cursor",
       page.next_cursor ? boost::json::value(*page.next_cursor) : boost::json::value(nullptr)}};
}
// The `cursor` and `limit` query parameters of a paged list.
struct PageRequest {
  std::optional<std::string> cursor;
  int limit = 50;
};
Result<PageRequest> PageRequestOf(const Request& r);
// "application/json", maybe with parameters ("; charset=utf-8"); nothing else.
bool IsJsonContentType(std::string_view content_type);

}  // namespace chancery::http

// Parses the JSON body against the route's schema, or answers the problem.
#define CHY_BODY(var, request, route_schema)                                           \
  auto var##_parsed = ::chancery::http::ParseJsonBody((request).body, (route_schema)); \
  if (!var##_parsed.ok()) return ::chancery::http::Problem(var##_parsed.error());      \
  const ::boost::json::object& var = *var##_parsed

namespace chancery::http {

// Name of the session cookie.
inline constexpr std::string_view kSessionCookie = "chancery_session";

// The session a request names: its bearer token when it sends
// Authorization, else its session cookie.
struct Credentials {
  std::string token;
  bool from_cookie = false;
};
Credentials CredentialsOf(const Request& r);

}  // namespace chancery::http
