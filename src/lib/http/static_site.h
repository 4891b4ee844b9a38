// The web UI's files (the Vite build in web/dist), served next to the API.
//
// Paths are looked up under one root folder:
//   - a file that exists is sent (Range and streaming come from the server);
//     files under /assets/ carry a content hash in their names and are cached
//     for a year ("immutable"); everything else is revalidated every time
//     ("no-cache" + ETag, 304 on If-None-Match);
//   - a path whose last segment has no dot ("/inbox", "/documents/12") is a
//     route of the single-page app and gets index.html;
//   - anything else, and anything under /api/, is not ours (nullopt → 404).
// Every answer carries the Content-Security-Policy below and
// Referrer-Policy/X-Frame-Options. No path ever leaves the root: "..",
// hidden segments and symbolic links out of the root are refused.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "lib/http/request.h"

namespace chancery::http {

// Allows what a bundled React + Ant Design app needs and nothing else:
// scripts only from this origin, inline styles (Ant Design's CSS-in-JS),
// images from this origin and data:/blob: URLs, frames (the PDF preview) from
// this origin.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'";

class StaticSite {
 public:
  // kInvalidArgument unless `root` is a folder holding index.html.
  static Result<StaticSite> Open(const std::string& root);

  // The answer for a GET or HEAD of `request.path`, or nullopt when the path
  // is not the UI's. Thread-safe (reads the file system only).
  std::optional<Response> Serve(const Request& request) const;

 private:
  explicit StaticSite(std::string root) : root_(std::move(root)) {}
  std::string root_;  // canonical, no trailing slash
};

}  // namespace chancery::http
