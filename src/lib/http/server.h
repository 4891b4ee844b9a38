// The node's HTTP/1.1 server (Boost.Beast underneath, kept out of this header).
//
// I/O threads only parse and write: each complete request is matched against
// the Router, then handed to a worker pool, so a handler may block on the
// database without stalling other connections. Requests on one connection are
// answered in order (keep-alive; pipelined requests are queued). The server
// answers by itself: 400 for malformed HTTP, 413 for bodies over the limit
// (decided from Content-Length before reading the body), 431 for oversized
// headers, 404 / 405 (+Allow) when no route matches, 500 when the dispatch
// throws. Every response gets Server, Date, X-Content-Type-Options: nosniff,
// and Cache-Control: no-store unless the handler set Cache-Control.
//
// With `tls` set every connection is HTTPS (see tls.h): the handshake must
// finish within the idle timeout, and a failed one is logged (why, never a
// secret) and closes the connection before any request is read.
//
// Threads: Start, then Run on one thread (it blocks and serves); Stop may be
// called from any thread, handlers included. Stop stops accepting, closes idle
// connections, lets in-flight requests finish (up to `shutdown_grace`), and
// Run returns once every thread has been joined. A Server runs once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "lib/http/request.h"
#include "lib/http/router.h"
#include "lib/http/tls.h"

namespace chancery::http {

// One line of the access log. Never headers or bodies: they carry secrets.
struct AccessLogEntry {
  std::string method;
  std::string path;  // no query string
  int status = 0;
  std::uint64_t bytes = 0;  // response body bytes
  std::int64_t micros = 0;  // from the request's last byte read to the response's last byte
  std::string remote;       // peer IP
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = any free port, see Server::port()
  int io_threads = 1;
  int worker_threads = 4;
  std::size_t max_body_bytes = 64 << 20;
  std::size_t max_header_bytes = 16 << 10;
  // Idle keep-alive connections are closed after this; it also bounds the
  // time to read one request and to write one response.
  std::chrono::seconds idle_timeout{60};
  // A request's headers must arrive within this of the connection being
  // ready for them (slowloris).
  std::chrono::seconds header_timeout{15};
  // Connections open at once from one client address; more are closed on
  // accept.
  int max_connections_per_address = 256;
  // A body larger than `small_body_bytes` (or of unknown length) is read
  // only once `admit`, called on a worker thread with the request's head
  // (method, target, headers, no body), returns nullopt; otherwise its
  // answer is sent and the connection closed, the body unread. Null: all
  // bodies are read.
  std::size_t small_body_bytes = 64 << 10;
  // Request bodies held in memory at once, over all connections; a request
  // that would go over waits for nothing: 429 with Retry-After.
  std::size_t max_buffered_body_bytes = std::size_t{512} << 20;
  // Where large bodies of Route::stream_body routes are written as they
  // arrive (they then take no memory budget); empty: they are held in memory.
  std::string body_dir;
  std::function<std::optional<Response>(const Request& head)> admit;
  std::chrono::seconds shutdown_grace{10};
  // Called on an I/O thread after each response; must be quick and thread-safe.
  std::function<void(const AccessLogEntry&)> access_log;
  // Answers a GET or HEAD that no route matched (the web UI's files), on a
  // worker thread; nullopt gives the usual 404. Must be thread-safe.
  std::function<std::optional<Response>(const Request&)> fallback;
  // Internal errors (a throwing handler, an unreadable file, a failed TLS
  // handshake). Default: stderr.
  std::function<void(std::string_view)> error_log;
  // HTTPS instead of plain HTTP on every connection; mutual TLS when it
  // trusts CAs or pins (see TlsOptions).
  std::optional<TlsOptions> tls;
};

class Server {
 public:
  // The middleware (auth, ETag, idempotency); called on a worker
  // thread with a matched route. Null: call match.route->handler directly.
  using Dispatch = std::function<Response(Request&, const Router::Match&)>;

  // `router` must outlive the server and not change while it runs.
  Server(ServerOptions options, const Router& router, Dispatch dispatch = nullptr);
  ~Server();  // Stops; must not run while Run() is still executing elsewhere
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; port() is valid afterwards. kUnavailable if the
  // address cannot be bound, kInvalidArgument if it is not an IP address or
  // the TLS options are unusable (a certificate or key that does not load).
  Status Start();
  // Serves until Stop(); uses the calling thread plus io_threads - 1 more.
  void Run();
  // Thread-safe and idempotent; returns at once (Run returns when done).
  void Stop();

  std::uint16_t port() const;
  // Connections accepted since Start (for tests and metrics).
  std::uint64_t connections_accepted() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chancery::http
