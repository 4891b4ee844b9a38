#include "lib/http/handler_kit.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>

namespace chancery::http {

namespace json = boost::json;

std::string ClientAddress(const Request& req, const std::vector<std::string>& trusted) {
  if (std::find(trusted.begin(), trusted.end(), req.remote_address) == trusted.end()) {
    return req.remote_address;
  }
  // The rightmost entry is the one our proxy appended; earlier ones are the
  // client's own claims.
  std::string_view forwarded = req.header("X-Forwarded-For").value_or("");
  if (const auto comma = forwarded.rfind(','); comma != std::string_view::npos) {
    forwarded.remove_prefix(comma + 1);
  }
  while (!forwarded.empty() && forwarded.front() == ' ') forwarded.remove_prefix(1);
  while (!forwarded.empty() && forwarded.back() == ' ') forwarded.remove_suffix(1);
  return forwarded.empty() ? req.remote_address : std::string(forwarded);
}

json::value OptId(std::optional<Id> v) { return v ? json::value(*v) : json::value(nullptr); }

json::value OptDate(std::optional<Date> d) {
  return d ? json::value(FormatDate(*d)) : json::value(nullptr);
}

std::string ETagOf(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

// If-Match: "v7" (or W/"v7") → 7. Anything else is a stale tag.
Result<std::optional<std::int64_t>> IfMatch(const Request& r) {
  auto h = r.header("If-Match");
  if (!h) return std::optional<std::int64_t>{};
  std::string_view v = *h;
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() < 4 || v.front() != '"' || v[1] != 'v' || v.back() != '"') {
    return MakeError(ErrorCode::kPreconditionFailed, "If-Match does not name a version.");
  }
  const auto n = ParseInt(v.substr(2, v.size() - 3));
  if (!n) {
    return MakeError(ErrorCode::kPreconditionFailed, "If-Match does not name a version.");
  }
  return std::optional<std::int64_t>{*n};
}

Result<std::int64_t> RequiredIfMatch(const Request& r) {
  CHY_TRY(auto v, IfMatch(r));
  if (!v) {
    return MakeError(ErrorCode::kPreconditionRequired,
                     "Send If-Match with the ETag you read, so no one's change is lost.");
  }
  return *v;
}

Result<Id> PathId(const Request& r, const char* name) {
  auto it = r.params.find(name);
  if (it != r.params.end()) {
    if (auto v = ParseInt(it->second); v && *v > 0) return *v;
  }
  return MakeError(ErrorCode::kNotFound, "No such object.");
}

Result<std::optional<std::int64_t>> QueryInt(const Request& r, const char* name) {
  auto s = QueryParam(r, name);
  if (!s || s->empty()) return std::optional<std::int64_t>{};
  auto v = ParseInt(*s);
  if (!v) return Error::Invalid(name, "wrong_type", "An integer.");
  return std::optional<std::int64_t>{*v};
}

Result<std::optional<Date>> QueryDate(const Request& r, const char* name) {
  auto s = QueryParam(r, name);
  if (!s || s->empty()) return std::optional<Date>{};
  Date d;
  if (!ParseDate(*s, &d)) return Error::Invalid(name, "bad_date", "YYYY-MM-DD.");
  return std::optional<Date>{d};
}

Result<int> QueryLimit(const Request& r) {
  CHY_TRY(auto v, QueryInt(r, "limit"));
  if (!v) return 50;
  if (*v < 1 || *v > kMaxPage) {
    return Error::Invalid("limit", "out_of_range", "From 1 to " + std::to_string(kMaxPage) + ".");
  }
  return static_cast<int>(*v);
}

// A file answer with Range support (RFC 9110 section 14): one range only;
// an unsatisfiable range is 416, a malformed one is ignored (whole file).
Response FileDownload(const Request& req, const std::string& path, std::string bytes,
                      std::uint64_t size, const std::string& content_type,
                      const std::string& file_name, const std::string& etag) {
  Response r;
  r.SetHeader("Content-Type", content_type);
  r.SetHeader("Accept-Ranges", "bytes");
  r.SetHeader("ETag", etag);
  r.SetHeader("Cache-Control", "private, max-age=0, must-revalidate");
  std::string safe_name;
  for (char c : file_name) safe_name += (c == '"' || c == '\\' || c < 0x20) ? '_' : c;
  // Files come from users and other agencies: hostile until proven
  // otherwise. Only types a browser shows without running anything of ours
  // are shown in the page, and even they run in a sandbox with no origin;
  // everything else is a download.
  const bool inline_type = content_type == "application/pdf" || content_type == "image/png" ||
                           content_type == "image/jpeg";
  r.SetHeader("Content-Disposition", std::string(inline_type ? "inline" : "attachment") +
                                         "; filename=\"" + safe_name + "\"");
  r.SetHeader("Content-Security-Policy",
              "sandbox; default-src 'none'; img-src 'self' data:; "
              "style-src 'unsafe-inline'");
  std::uint64_t first = 0, last = size ? size - 1 : 0;
  bool partial = false;
  if (auto range = req.header("Range");
      range && range->starts_with("bytes=") && range->find(',') == std::string_view::npos) {
    std::string_view spec = range->substr(6);
    const auto dash = spec.find('-');
    if (dash != std::string_view::npos) {
      std::uint64_t a = 0, b = 0;
      const auto sa = spec.substr(0, dash), sb = spec.substr(dash + 1);
      const bool has_a =
          !sa.empty() && std::from_chars(sa.data(), sa.data() + sa.size(), a).ec == std::errc();
      const bool has_b =
          !sb.empty() && std::from_chars(sb.data(), sb.data() + sb.size(), b).ec == std::errc();
      if (has_a || has_b) {
        if (!has_a) {  // suffix: the last b bytes
          first = b >= size ? 0 : size - b;
        } else {
          first = a;
          if (has_b && b < last) last = b;
        }
        if (first >= size || (has_a && has_b && b < a) || (!has_a && b == 0)) {
          Response bad = Problem(
              MakeError(ErrorCode::kInvalidArgument, "The requested range is not in the file."));
          bad.status = 416;
          bad.SetHeader("Content-Range", "bytes */" + std::to_string(size));
          return bad;
        }
        partial = true;
      }
    }
  }
  const std::uint64_t length = size == 0 ? 0 : last - first + 1;
  if (partial) {
    r.status = 206;
    r.SetHeader("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) +
                                     "/" + std::to_string(size));
  }
  if (!path.empty()) {
    r.file = FileRange{path, first, length};
  } else {
    r.body = bytes.substr(first, length);
  }
  return r;
}

Response Binary(std::string body, std::string content_type) {
  Response resp;
  resp.status = 200;
  resp.body = std::move(body);
  resp.SetHeader("Content-Type", std::move(content_type));
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

// "application/json", maybe with parameters ("; charset=utf-8"); nothing else.
bool IsJsonContentType(std::string_view ct) {
  const std::string_view type = ct.substr(0, ct.find(';'));
  std::string lower;
  for (char c : type) {
    if (c != ' ' && c != '\t')
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower == "application/json";
}

Response WithETag(Response r, std::int64_t version) {
  if (r.status < 300) r.SetHeader("ETag", ETagOf(version));
  return r;
}

Credentials CredentialsOf(const Request& r) {
  if (auto auth = r.header("Authorization")) {
    return {auth->starts_with("Bearer ") ? std::string(auth->substr(7)) : std::string(), false};
  }
  if (auto c = Cookie(r, kSessionCookie)) return {*c, true};
  return {};
}

Result<PageRequest> PageRequestOf(const Request& r) {
  CHY_TRY(int limit, QueryLimit(r));
  return PageRequest{QueryParam(r, "cursor"), limit};
}

}  // namespace chancery::http
