// A small blocking HTTP/1.1 client over plain TCP or TLS, for tests, tools
// and the exchange between agency nodes (mutual TLS, see tls.h).
//
// Keeps one keep-alive connection; if the server has closed it while idle,
// Send reconnects once and retries. Not thread-safe: one client per thread.
// Network failures are kUnavailable; any HTTP status is a successful Send.
// Over TLS the server is authenticated during the handshake, before any
// request byte is sent; a TLS failure (an untrusted or unpinned server
// certificate, our certificate refused or missing) is kUnavailable with a
// message that names it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "lib/http/tls.h"

namespace chancery::http {

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Over TLS: the server's leaf certificate (PEM) as verified; else empty.
  std::string peer_certificate_pem;

  // First header named `name` (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
};

class HttpClient {
 public:
  HttpClient(std::string host, std::uint16_t port);
  // HTTPS: `host` is also the name or IP the server's certificate must show
  // when `tls` has no pins. Unusable options (a key that does not load, a bad
  // pin) make every Send fail with their kInvalidArgument error.
  HttpClient(std::string host, std::uint16_t port, const TlsOptions& tls);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads the whole response. Adds Host, Content-Length
  // (when there is a body or the method is POST/PUT/PATCH) and
  // User-Agent unless given in `headers`.
  Result<ClientResponse> Send(std::string_view method, std::string_view target,
                              std::string_view body = {},
                              const std::vector<std::pair<std::string, std::string>>& headers = {});

  // Per-operation timeout (connect, write, read); default 30 s.
  void set_timeout(std::chrono::milliseconds timeout);
  // Drops the connection; the next Send opens a new one.
  void Close();
  // Connections opened so far (1 for a kept-alive sequence of requests).
  int connections_opened() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chancery::http
