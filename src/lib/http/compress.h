// Content codings (RFC 9110 §8.4): which ones a request accepts, and gzip
// for answers made on the fly. Static files are compressed once, at build
// time (web/scripts/precompress.mjs), and picked by static_site.cc.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "lib/http/request.h"

namespace chancery::http {

// Whether the request's Accept-Encoding takes `coding` ("br", "gzip"): named
// or "*", with a q-value above 0. No Accept-Encoding takes none.
bool AcceptsEncoding(const Request& request, std::string_view coding);

// Answers of at least this many bytes are worth compressing.
inline constexpr std::size_t kCompressAtLeast = 1024;

// Gzips a JSON answer in place when it is worth it: a body of at least
// kCompressAtLeast bytes, JSON or problem+json, not already encoded, to a
// request that accepts gzip. Sets Content-Encoding and Vary. Returns
// whether it did.
bool CompressJson(const Request& request, Response& response);

// `data` as a gzip member (RFC 1952), at zlib's `level` (1 fast … 9 small).
std::string Gzip(std::string_view data, int level = 5);

}  // namespace chancery::http
