#include "lib/http/static_site.h"

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <utility>

#include "lib/http/compress.h"
#include "lib/http/router.h"

namespace chancery::http {
namespace {

namespace fs = std::filesystem;

std::string_view ContentTypeOf(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  }};
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string_view ext = path.substr(dot);
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

// `etag` matches one of the If-None-Match entries (or "*").
bool NotModified(const Request& request, const std::string& etag) {
  auto inm = request.header("If-None-Match");
  if (!inm) return false;
  std::string_view list = *inm;
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// A regular file at `path` that stays inside `root` (a symbolic link may
// point out of it), with its stat.
bool InsideRoot(const std::string& root, const std::string& path, struct stat* st) {
  if (::stat(path.c_str(), st) != 0 || !S_ISREG(st->st_mode)) return false;
  std::error_code ec;
  const std::string real = fs::canonical(path, ec).string();
  return !ec && real.starts_with(root + "/");
}

}  // namespace

Result<StaticSite> StaticSite::Open(const std::string& root) {
  std::error_code ec;
  const fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_regular_file(canonical / "index.html", ec)) {
    return Error::Invalid("ui", "not_a_build",
                          "No index.html in '" + root + "': build the web UI first.");
  }
  return StaticSite(canonical.string());
}

std::optional<Response> StaticSite::Serve(const Request& request) const {
  const std::string& path = request.path;
  if (path.empty() || path.front() != '/' || path.starts_with("/api/") || path == "/api") {
    return std::nullopt;
  }
  std::string relative;
  std::string_view last;
  for (std::string_view seg : SplitPath(path)) {
    // No way out of the root and no dot files (.git, .env and the like).
    if (seg.empty() || seg.front() == '.' || seg.find('\\') != std::string_view::npos) {
      return std::nullopt;
    }
    relative += '/';
    relative += seg;
    last = seg;
  }
  std::string file = root_ + (relative.empty() ? "/index.html" : relative);
  struct stat st {};
  bool found = ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (!found) {
    if (last.find('.') != std::string_view::npos) return std::nullopt;  // a missing asset
    file = root_ + "/index.html";                                       // a route of the app
    found = ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode);
    if (!found) return std::nullopt;
  } else if (!InsideRoot(root_, file, &st)) {
    return std::nullopt;
  }
  // The build's precompressed copy the browser takes, if there is one:
  // brotli first, then gzip (web/scripts/precompress.mjs writes both).
  std::string_view coding;
  bool has_copies = false;
  struct stat copy {};
  for (std::string_view c : {"br", "gzip"}) {
    const std::string path = file + (c == "br" ? ".br" : ".gz");
    if (!InsideRoot(root_, path, &copy)) continue;
    has_copies = true;
    if (AcceptsEncoding(request, c)) {
      coding = c;
      break;
    }
  }

  Response r;
  r.SetHeader("Content-Security-Policy", kContentSecurityPolicy);
  r.SetHeader("Referrer-Policy", "same-origin");
  r.SetHeader("X-Frame-Options", "SAMEORIGIN");
  // Each coding is its own representation, with its own tag.
  char etag[80];
  std::snprintf(etag, sizeof etag, "\"%llx-%llx%s%s\"", static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                    static_cast<unsigned long long>(st.st_mtim.tv_nsec),
                coding.empty() ? "" : "-", std::string(coding).c_str());
  r.SetHeader("ETag", etag);
  if (has_copies) r.SetHeader("Vary", "Accept-Encoding");
  r.SetHeader("Cache-Control", relative.starts_with("/assets/")
                                   ? "public, max-age=31536000, immutable"
                                   : "no-cache");
  if (NotModified(request, etag)) {
    r.status = 304;
    return r;
  }
  r.SetHeader("Content-Type", std::string(ContentTypeOf(file)));
  if (!coding.empty()) {
    r.SetHeader("Content-Encoding", std::string(coding));
    r.file = FileRange{file + (coding == "br" ? ".br" : ".gz"), 0,
                       static_cast<std::uint64_t>(copy.st_size)};
    return r;
  }
  r.file = FileRange{file, 0, static_cast<std::uint64_t>(st.st_size)};
  return r;
}

}  // namespace chancery::http
