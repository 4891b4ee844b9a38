// The HTTP request and response as handlers see them: plain values, no Beast.
//
// The server fills a Request from the wire (path and query already
// percent-decoded and checked to be UTF-8), the router adds `params`, the
// auth middleware puts the caller into `user`; the handler returns a Response
// that the server serialises. Both are plain data: build them freely in tests.
// Neither is synchronised; one request belongs to one thread at a time.
#pragma once

#include <any>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace chancery::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Bytes [offset, offset + length) of a file on disk. The server streams them
// without loading the file into memory; a file shorter than offset + length at
// send time is a handler bug and gives 500.
struct FileRange {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct Request {
  std::string method;      // upper case as sent: "GET", "POST", ...
  std::string path;        // percent-decoded, no query: "/api/v1/documents/7"
  std::string raw_target;  // as sent: "/api/v1/documents?q=quy%E1%BA%BFt"
  std::multimap<std::string, std::string> query;  // decoded; '+' is a space
  HeaderList headers;                             // in wire order, names as sent
  std::string body;
  // A large upload to a route that streams its body (Route::stream_body):
  // the file it was written to as it arrived, `body` staying empty. The
  // server removes the file once the answer is sent. Read it with BodyView.
  std::string body_path;
  std::map<std::string, std::string> params;  // from the route pattern, decoded
  std::string remote_address;                 // peer IP, e.g. "127.0.0.1"
  bool tls = false;                           // arrived over TLS
  // The client's leaf certificate (PEM) when it presented one over TLS and it
  // verified against the server's TlsOptions; empty otherwise. Handlers look
  // it up in the directory of peer nodes to know which agency is calling.
  std::string peer_certificate_pem;
  std::any user;  // set by the auth middleware

  // First header named `name` (ASCII case-insensitive), or nullopt. The view
  // is valid while `headers` is not modified.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct Response {
  int status = 200;
  HeaderList headers;
  std::string body;
  std::optional<FileRange> file;  // when set, sent instead of `body`

  // Replaces every header named `name` (case-insensitive) with one value.
  void SetHeader(std::string name, std::string value);
  // First header named `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
};

// A request's body as bytes, wherever it is: in memory, or the file a
// streamed upload went to, mapped read-only (page cache, not the heap).
class BodyView {
 public:
  explicit BodyView(const Request& request);
  ~BodyView();
  BodyView(const BodyView&) = delete;
  BodyView& operator=(const BodyView&) = delete;
  bool ok() const { return ok_; }  // false: the streamed file could not be read
  std::string_view bytes() const { return bytes_; }

 private:
  void* map_ = nullptr;
  std::size_t size_ = 0;
  bool ok_ = true;
  std::string_view bytes_;
};

// ASCII case-insensitive equality, for header names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Value of cookie `name` from the Cookie header(s), surrounding quotes
// removed; nullopt when absent.
std::optional<std::string> Cookie(const Request& request, std::string_view name);

// First value of query parameter `name`, or nullopt.
std::optional<std::string> QueryParam(const Request& request, std::string_view name);

// Decodes %XX escapes (and '+' as a space when `plus_as_space`). nullopt on a
// bad escape, a decoded NUL byte, or a result that is not valid UTF-8.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_as_space);

// Splits a request target ("/p/a%20th?x=1&y") into `path` (decoded), `query`
// and `raw_target`. kMalformed if the target is not origin-form ("/..."), or
// any part fails PercentDecode.
Status ParseTarget(std::string_view target, Request& request);

}  // namespace chancery::http
