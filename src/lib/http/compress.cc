#include "lib/http/compress.h"

#include <zlib.h>

#include <cstdlib>

namespace chancery::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The q-value of one Accept-Encoding item ("gzip;q=0.5"): 1 when absent, 0
// when unreadable (a malformed weight takes nothing).
double Weight(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    std::string_view p = Trim(params.substr(0, semi));
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      const std::string value(Trim(p.substr(2)));
      char* end = nullptr;
      const double q = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || q < 0 || q > 1) return 0;
      return q;
    }
    if (semi == std::string_view::npos) break;
    params.remove_prefix(semi + 1);
  }
  return 1;
}

}  // namespace

bool AcceptsEncoding(const Request& request, std::string_view coding) {
  auto header = request.header("Accept-Encoding");
  if (!header) return false;
  std::string_view list = *header;
  std::optional<double> named, any;
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    const auto semi = item.find(';');
    const std::string_view name = Trim(item.substr(0, semi));
    const double q = semi == std::string_view::npos ? 1 : Weight(item.substr(semi + 1));
    if (EqualsIgnoreCase(name, coding)) named = q;
    if (name == "*") any = q;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  if (named) return *named > 0;
  return any && *any > 0;
}

std::string Gzip(std::string_view data, int level) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const std::size_t written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return {};
  out.resize(written);
  return out;
}

bool CompressJson(const Request& request, Response& response) {
  if (response.file || response.body.size() < kCompressAtLeast) return false;
  if (response.header("Content-Encoding")) return false;
  const auto type = response.header("Content-Type");
  if (!type ||
      (!type->starts_with("application/json") && !type->starts_with("application/problem+json"))) {
    return false;
  }
  response.SetHeader("Vary", "Accept-Encoding");
  if (!AcceptsEncoding(request, "gzip")) return false;
  std::string gz = Gzip(response.body);
  if (gz.empty() || gz.size() >= response.body.size()) return false;
  response.body = std::move(gz);
  response.SetHeader("Content-Encoding", "gzip");
  return true;
}

}  // namespace chancery::http
