#include "lib/http/server.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/basic_file_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "lib/http/problem.h"
#include "lib/http/stream.h"
#include "lib/http/tls_context.h"

namespace chancery::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

namespace {

constexpr std::size_t kMaxLingerBytes = 4 << 20;
constexpr std::chrono::seconds kLingerTime{1};

// A window [offset, offset + length) of a file, presented to Beast's
// basic_file_body as if it were the whole file: the body writer reads size()
// bytes from the current position, which starts at `offset`.
class RangeFile {
 public:
  void OpenRange(const std::string& path, std::uint64_t offset, std::uint64_t length,
                 error_code& ec) {
    file_.open(path.c_str(), beast::file_mode::read, ec);
    if (ec) return;
    const std::uint64_t size = file_.size(ec);
    if (ec) return;
    if (offset > size || length > size - offset) {
      ec = make_error_code(boost::system::errc::invalid_argument);
      return;
    }
    file_.seek(offset, ec);
    offset_ = offset;
    length_ = length;
  }

  bool is_open() const { return file_.is_open(); }
  void close(error_code& ec) { file_.close(ec); }
  void open(char const* path, beast::file_mode mode, error_code& ec) {
    file_.open(path, mode, ec);
    offset_ = 0;
    length_ = ec ? 0 : file_.size(ec);
  }
  std::uint64_t size(error_code& ec) const {
    ec = {};
    return length_;
  }
  std::uint64_t pos(error_code& ec) const { return file_.pos(ec) - offset_; }
  void seek(std::uint64_t offset, error_code& ec) { file_.seek(offset_ + offset, ec); }
  std::size_t read(void* buffer, std::size_t n, error_code& ec) const {
    return file_.read(buffer, n, ec);
  }
  std::size_t write(void const*, std::size_t, error_code& ec) {
    ec = make_error_code(boost::system::errc::operation_not_permitted);
    return 0;
  }

 private:
  beast::file file_;
  std::uint64_t offset_ = 0;
  std::uint64_t length_ = 0;
};

using FileBody = bhttp::basic_file_body<RangeFile>;

// RFC 9110 IMF-fixdate, independent of the C locale.
std::string HttpDate(std::chrono::system_clock::time_point now) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm g{};
  gmtime_r(&t, &g);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[g.tm_wday % 7],
                g.tm_mday, kMonths[g.tm_mon % 12], g.tm_year + 1900, g.tm_hour, g.tm_min, g.tm_sec);
  return buf;
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool ValidHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return value.find_first_of("\r\n", 0) == std::string_view::npos &&
         value.find('\0') == std::string_view::npos;
}

bool ServerOwnedHeader(std::string_view name) {
  for (std::string_view h : {"Content-Length", "Transfer-Encoding", "Connection", "Date", "Server",
                             "Keep-Alive", "Upgrade"}) {
    if (EqualsIgnoreCase(name, h)) return true;
  }
  return false;
}

}  // namespace

class Server::Impl {
 public:
  class Connection;

  Impl(ServerOptions options, const Router& router, Dispatch dispatch)
      : options_(std::move(options)),
        router_(router),
        dispatch_(std::move(dispatch)),
        ioc_(std::max(1, options_.io_threads)),
        acceptor_(asio::make_strand(ioc_)),
        stop_timer_(acceptor_.get_executor()) {
    if (!options_.error_log) {
      options_.error_log = [](std::string_view m) {
        std::fprintf(stderr, "chancery http: %.*s\n", static_cast<int>(m.size()), m.data());
      };
    }
  }

  ~Impl() {
    Stop();
    if (workers_) workers_->join();
  }

  Status Start() {
    if (started_) return MakeError(ErrorCode::kInternal, "The server was already started.");
    if (options_.tls) {
      CHY_TRY(tls_, internal::TlsContext::Make(*options_.tls, internal::TlsRole::kServer));
      options_.tls->key = {};  // the context holds the key; no second copy of a secret
    }
    error_code ec;
    const auto address = asio::ip::make_address(options_.address, ec);
    if (ec) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "Not an IP address: \"" + options_.address + "\".");
    }
    const tcp::endpoint endpoint(address, options_.port);
    auto fail = [&](const char* what) -> Status {
      error_code ignored;
      acceptor_.close(ignored);
      return MakeError(ErrorCode::kUnavailable,
                       std::string("Cannot ") + what + " " + options_.address + ":" +
                           std::to_string(options_.port) + ": " + ec.message());
    };
    if (acceptor_.open(endpoint.protocol(), ec)) return fail("open a socket for");
    if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec)) return fail("configure");
    if (acceptor_.bind(endpoint, ec)) return fail("bind");
    if (acceptor_.listen(asio::socket_base::max_listen_connections, ec)) return fail("listen on");
    port_ = acceptor_.local_endpoint(ec).port();
    workers_ = std::make_unique<asio::thread_pool>(std::max(1, options_.worker_threads));
    started_ = true;
    asio::post(acceptor_.get_executor(), [this] { Accept(); });
    return Ok();
  }

  void Run() {
    if (!started_ || ran_.exchange(true)) return;
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { RunLoop(); });
    RunLoop();
    for (auto& t : threads) t.join();
    workers_->join();
  }

  void Stop() {
    if (stopping_.exchange(true)) return;
    asio::post(acceptor_.get_executor(), [this] {
      error_code ignored;
      acceptor_.close(ignored);
      std::vector<std::shared_ptr<Connection>> live;
      {
        std::lock_guard lock(mu_);
        for (auto& [ptr, weak] : connections_) {
          if (auto c = weak.lock()) live.push_back(std::move(c));
        }
      }
      for (auto& c : live) CloseIfIdle(c);
      stop_deadline_ = std::chrono::steady_clock::now() + options_.shutdown_grace;
      PollStopped();
    });
  }

  std::uint16_t port() const { return port_; }
  std::uint64_t accepted() const { return accepted_; }

  // --- used by Connection
  const ServerOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  bool stopping() const { return stopping_; }
  asio::thread_pool& workers() { return *workers_; }
  // Null for plain HTTP.
  asio::ssl::context* tls_context() { return tls_ ? &tls_->context() : nullptr; }

  Response Invoke(Request& request, const Router::Match& match) {
    try {
      request.params = match.params;
      if (dispatch_) return dispatch_(request, match);
      return match.route->handler(request);
    } catch (const std::exception& e) {
      Log("handler for " + request.method + " " + request.path + " threw: " + e.what());
    } catch (...) {
      Log("handler for " + request.method + " " + request.path + " threw a non-exception");
    }
    return Problem(MakeError(ErrorCode::kInternal, "An internal error occurred; it was logged."),
                   request.path);
  }

  void Log(std::string_view message) {
    try {
      options_.error_log(message);
    } catch (...) {
    }
  }

  bool ReserveBody(std::size_t bytes) {
    std::size_t now = buffered_.load();
    do {
      if (now + bytes > options_.max_buffered_body_bytes) return false;
    } while (!buffered_.compare_exchange_weak(now, now + bytes));
    return true;
  }
  void ReleaseBody(std::size_t bytes) { buffered_ -= bytes; }

  void Unregister(Connection* c, const std::string& address) {
    std::lock_guard lock(mu_);
    if (connections_.erase(c) && !address.empty()) {
      if (auto it = per_address_.find(address); it != per_address_.end() && --it->second <= 0) {
        per_address_.erase(it);
      }
    }
  }

 private:
  void RunLoop() {
    try {
      ioc_.run();
    } catch (const std::exception& e) {
      Log(std::string("I/O loop stopped by an exception: ") + e.what());
      ioc_.stop();
    }
  }

  void Accept();
  void CloseIfIdle(const std::shared_ptr<Connection>& c);

  void PollStopped() {
    {
      std::lock_guard lock(mu_);
      if (connections_.empty()) return;  // nothing left: the io_context runs dry
    }
    if (std::chrono::steady_clock::now() >= stop_deadline_) {
      Log("shutdown grace period over; dropping the remaining connections");
      ioc_.stop();
      return;
    }
    stop_timer_.expires_after(std::chrono::milliseconds(20));
    stop_timer_.async_wait([this](error_code) { PollStopped(); });
  }

  ServerOptions options_;
  const Router& router_;
  Dispatch dispatch_;
  // Declared before the io_context: connections destroyed while it is torn
  // down still unregister themselves here.
  std::mutex mu_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;
  std::unordered_map<std::string, int> per_address_;  // open connections per client address
  std::atomic<std::size_t> buffered_{0};              // bytes of request bodies reserved at once
  std::atomic<bool> started_{false};
  std::atomic<bool> ran_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint16_t> port_{0};
  std::atomic<std::uint64_t> accepted_{0};
  // Also before the io_context: connections still in it use the context.
  std::unique_ptr<internal::TlsContext> tls_;

  asio::io_context ioc_;
  tcp::acceptor acceptor_;  // on its own strand, with the stop timer
  asio::steady_timer stop_timer_;
  std::chrono::steady_clock::time_point stop_deadline_;
  asio::steady_timer accept_retry_{ioc_};
  std::unique_ptr<asio::thread_pool> workers_;
};

// One client connection, plain or TLS. Every member is touched only on the
// connection's strand (the executor of its TCP stream), except from worker
// threads which only post back to it.
class Server::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `tls` null: plain HTTP.
  Connection(Server::Impl& server, tcp::socket socket, asio::ssl::context* tls)
      : server_(server), stream_(std::move(socket), tls) {
    error_code ec;
    const auto endpoint = transport().socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
    transport().socket().set_option(tcp::no_delay(true), ec);
  }
  ~Connection() {
    ReleaseBody();
    RemoveBodyFile();
    server_.Unregister(this, remote_);
  }
  const std::string& remote() const { return remote_; }

  void Start() {
    asio::dispatch(transport().get_executor(), [self = shared_from_this()] {
      if (self->stream_.secure()) return self->Handshake();
      self->ReadNext();
    });
  }

  // From Stop: close now unless a request is being handled or answered.
  void CloseIfIdle() {
    asio::dispatch(transport().get_executor(), [self = shared_from_this()] {
      if (self->state_ == State::kReading) {
        error_code ignored;
        self->transport().socket().close(ignored);
      }
    });
  }

 private:
  enum class State { kReading, kBusy, kClosing };

  const ServerOptions& options() const { return server_.options(); }

  beast::tcp_stream& transport() { return stream_.transport(); }

  // Reading waits for the handshake; the idle timeout bounds it, so a
  // client that connects and says nothing is dropped like an idle one.
  void Handshake() {
    transport().expires_after(options().idle_timeout);
    stream_.tls().async_handshake(
        asio::ssl::stream_base::server,
        [self = shared_from_this()](error_code ec) { self->OnHandshake(ec); });
  }

  void OnHandshake(error_code ec) {
    if (ec) {
      if (!server_.stopping()) {
        server_.Log("TLS handshake with " + remote_ + " failed: " +
                    internal::DescribeTlsFailure(ec, stream_.tls().native_handle(), "client"));
      }
      return Close();
    }
    peer_certificate_pem_ = internal::VerifiedPeerCertificatePem(stream_.tls().native_handle());
    ReadNext();
  }

  void ReleaseBody() {
    if (reserved_) server_.ReleaseBody(std::exchange(reserved_, 0));
  }

  void ReadNext() {
    ReleaseBody();  // the previous request and its answer are done
    RemoveBodyFile();
    if (server_.stopping()) return Close();
    state_ = State::kReading;
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(options().max_header_bytes, UINT32_MAX)));
    parser_->body_limit(options().max_body_bytes);
    transport().expires_after(std::min(options().idle_timeout, options().header_timeout));
    stream_.Visit([this](auto& stream) {
      bhttp::async_read_header(
          stream, buffer_, *parser_,
          [self = shared_from_this()](error_code ec, std::size_t) { self->OnHeader(ec); });
    });
  }

  void OnHeader(error_code ec) {
    if (ec) return OnReadError(ec);
    auto& header = parser_->get();
    started_ = std::chrono::steady_clock::now();
    log_method_ = std::string(header.method_string());
    const std::string_view target = header.target();
    const std::string_view raw_path = target.substr(0, target.find('?'));
    log_path_ = PercentDecode(raw_path, false).value_or(std::string(raw_path));
    head_ = header.method() == bhttp::verb::head;
    version_ = header.version();

    const auto length = parser_->content_length();
    if (length && *length > options().max_body_bytes) return TooLarge();
    const bool has_body = !parser_->is_done();
    if (has_body && options().admit && (!length || *length > options().small_body_bytes)) {
      // A large body is read only for someone the node lets in: the head
      // goes to a worker (the check may read the store), the answer comes back.
      Request head;
      head.method = std::string(header.method_string());
      if (Status st = ParseTarget(target, head); !st.ok()) {
        return Reply(Problem(st.error()), /*close=*/true);
      }
      for (const auto& field : header) {
        head.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      head.remote_address = remote_;
      head.tls = stream_.secure();
      head.peer_certificate_pem = peer_certificate_pem_;
      state_ = State::kBusy;
      asio::post(server_.workers(), [self = shared_from_this(), head = std::move(head)] {
        std::optional<Response> refusal;
        try {
          refusal = self->options().admit(head);
        } catch (const std::exception& e) {
          self->server_.Log(std::string("admit threw: ") + e.what());
          refusal = Problem(MakeError(ErrorCode::kInternal, "An internal error occurred."));
        }
        asio::post(self->transport().get_executor(),
                   [self, refusal = std::move(refusal)]() mutable {
                     if (refusal) return self->Reply(std::move(*refusal), /*close=*/true);
                     self->state_ = State::kReading;
                     self->ContinueBody();
                   });
      });
      return;
    }
    ContinueBody();
  }

  void ContinueBody() {
    auto& header = parser_->get();
    const auto expect = header[bhttp::field::expect];
    const bool expect_continue = !expect.empty() && EqualsIgnoreCase(expect, "100-continue");
    if (!parser_->is_done() && StreamToFile()) {
      // Written to a file as it arrives; the memory budget is not touched.
    } else if (!parser_->is_done()) {
      // The body will be held in memory: it takes its place in the node's
      // budget first (its announced length, or the limit when unknown).
      const auto length = parser_->content_length();
      const std::size_t want =
          length ? static_cast<std::size_t>(*length) : options().max_body_bytes;
      if (!server_.ReserveBody(want)) {
        Response busy = Problem(MakeError(ErrorCode::kTooManyRequests,
                                          "The node is receiving many files at once; try "
                                          "again shortly."),
                                log_path_);
        busy.SetHeader("Retry-After", "5");
        return Reply(std::move(busy), /*close=*/true);
      }
      reserved_ = want;
    }
    if (expect_continue) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.Visit([this](auto& stream) {
        asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                          [self = shared_from_this()](error_code ec, std::size_t) {
                            if (ec) return self->Close();
                            self->ReadBody();
                          });
      });
      return;
    }
    ReadBody();
  }

  // A large body for a route that streams: the parser becomes one that
  // writes to a new file in body_dir. False: the body stays in memory.
  bool StreamToFile() {
    if (options().body_dir.empty()) return false;
    const auto length = parser_->content_length();
    if (length && *length <= options().small_body_bytes) return false;
    auto& header = parser_->get();
    const std::string_view target = header.target();
    const Router::Match match =
        server_.router().Find(header.method_string(), target.substr(0, target.find('?')));
    if (!match.route || !match.route->stream_body) return false;
    std::string path = options().body_dir + "/.body-XXXXXX";
    const int fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) return false;  // memory, then
    ::close(fd);
    beast::error_code ec;
    beast::file file;
    file.open(path.c_str(), beast::file_mode::write, ec);
    if (ec) {
      ::unlink(path.c_str());
      return false;
    }
    body_file_ = std::move(path);
    file_parser_.emplace(std::move(*parser_));
    parser_.reset();
    file_parser_->body_limit(options().max_body_bytes);
    file_parser_->get().body().reset(std::move(file), ec);
    return true;
  }

  void RemoveBodyFile() {
    if (!body_file_.empty()) ::unlink(body_file_.c_str());
    body_file_.clear();
  }

  void ReadBody() {
    transport().expires_after(options().idle_timeout);
    stream_.Visit([this](auto& stream) {
      auto done = [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec) return self->OnReadError(ec);
        self->Handle();
      };
      if (file_parser_) {
        bhttp::async_read(stream, buffer_, *file_parser_, std::move(done));
      } else {
        bhttp::async_read(stream, buffer_, *parser_, std::move(done));
      }
    });
  }

  void OnReadError(error_code ec) {
    if (ec == bhttp::error::body_limit) return TooLarge();
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      Response r = Problem(MakeError(ErrorCode::kMalformed, "The request headers are too large."));
      r.status = 431;
      return Reply(std::move(r), /*close=*/true);
    }
    const bool parse_error =
        ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
        ec != bhttp::error::short_read;
    if (parse_error) {
      if (started_ == std::chrono::steady_clock::time_point{}) {
        started_ = std::chrono::steady_clock::now();
      }
      return Reply(Problem(MakeError(ErrorCode::kMalformed, "The HTTP request is malformed.")),
                   /*close=*/true);
    }
    // The peer closed, a timeout, Stop(): nothing to answer.
    Close();
  }

  void TooLarge() {
    Reply(Problem(MakeError(ErrorCode::kPayloadTooLarge,
                            "The request body is larger than " +
                                std::to_string(options().max_body_bytes) + " bytes."),
                  log_path_),
          /*close=*/true);
  }

  void Handle() {
    state_ = State::kBusy;
    if (file_parser_) {
      auto message = file_parser_->release();
      file_parser_.reset();
      message.body().file().close(ignored_);
      return HandleMessage(std::move(message));
    }
    auto message = parser_->release();
    parser_.reset();
    HandleMessage(std::move(message));
  }

  template <class Body>
  void HandleMessage(bhttp::request<Body> message) {
    started_ = std::chrono::steady_clock::now();
    keep_alive_ = message.keep_alive();

    Request request;
    request.method = std::string(message.method_string());
    const std::string_view target = message.target();
    if (Status s = ParseTarget(target, request); !s.ok()) {
      return Reply(Problem(s.error()), /*close=*/true);
    }
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if constexpr (std::is_same_v<Body, bhttp::string_body>) {
      request.body = std::move(message.body());
    } else {
      request.body_path = body_file_;
    }
    request.remote_address = remote_;
    request.tls = stream_.secure();
    request.peer_certificate_pem = peer_certificate_pem_;
    log_path_ = request.path;

    Router::Match match = server_.router().Find(request.method, target.substr(0, target.find('?')));
    if (!match.route) {
      if (match.allowed_methods.empty() && server_.options().fallback &&
          (request.method == "GET" || request.method == "HEAD")) {
        return Fallback(std::move(request));
      }
      if (match.allowed_methods.empty()) {
        return Reply(Problem(MakeError(ErrorCode::kNotFound, "No such resource."), request.path),
                     !keep_alive_);
      }
      Error e = MakeError(ErrorCode::kInvalidArgument,
                          "This resource does not support " + request.method + ".");
      std::string allow;
      for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
      Response r = Problem(e, request.path);
      r.status = 405;
      r.SetHeader("Allow", allow);
      return Reply(std::move(r), !keep_alive_);
    }
    asio::post(server_.workers(), [self = shared_from_this(), request = std::move(request),
                                   match = std::move(match)]() mutable {
      Response response = self->server_.Invoke(request, match);
      asio::post(self->transport().get_executor(),
                 [self, response = std::move(response)]() mutable {
                   self->Reply(std::move(response), !self->keep_alive_);
                 });
    });
  }

  void Fallback(Request request) {
    asio::post(server_.workers(), [self = shared_from_this(), request = std::move(request)] {
      std::optional<Response> found;
      try {
        found = self->server_.options().fallback(request);
      } catch (const std::exception& e) {
        self->server_.Log("fallback for " + request.path + " threw: " + e.what());
        found = Problem(MakeError(ErrorCode::kInternal, "An internal error occurred."));
      }
      Response response = found ? std::move(*found)
                                : Problem(MakeError(ErrorCode::kNotFound, "No such resource."),
                                          request.path);
      asio::post(self->transport().get_executor(),
                 [self, response = std::move(response)]() mutable {
                   self->Reply(std::move(response), !self->keep_alive_);
                 });
    });
  }

  // Fills the headers every response carries; the handler's own headers
  // follow, minus the ones the server owns and any that could split the
  // response.
  template <class Body>
  void Headers(bhttp::response<Body>& res, const Response& response, bool close) {
    res.version(version_ == 10 ? 10 : 11);
    res.result(static_cast<unsigned>(response.status));
    res.set(bhttp::field::server, "chancery");
    res.set(bhttp::field::date, HttpDate(std::chrono::system_clock::now()));
    res.set("X-Content-Type-Options", "nosniff");
    if (!response.header("Cache-Control")) res.set(bhttp::field::cache_control, "no-store");
    for (const auto& [name, value] : response.headers) {
      if (ServerOwnedHeader(name)) continue;
      if (!ValidHeader(name, value)) {
        server_.Log("dropped an invalid response header \"" + name.substr(0, 64) + "\"");
        continue;
      }
      res.insert(name, value);
    }
    res.keep_alive(!close);
  }

  void Reply(Response response, bool close) {
    state_ = State::kBusy;
    close = close || server_.stopping() || !keep_alive_;
    if (response.status < 200 || response.status > 599) {
      server_.Log("handler returned status " + std::to_string(response.status));
      response = Problem(MakeError(ErrorCode::kInternal, "An internal error occurred."));
    }
    const bool no_body = response.status == 204 || response.status == 304;
    status_ = response.status;
    try {
      if (response.file && !no_body) {
        bhttp::response<FileBody> res;
        error_code ec;
        RangeFile file;
        file.OpenRange(response.file->path, response.file->offset, response.file->length, ec);
        if (!ec) res.body().reset(std::move(file), ec);
        if (ec) {
          server_.Log("cannot send " + response.file->path + ": " + ec.message());
          response = Problem(MakeError(ErrorCode::kInternal, "An internal error occurred."));
          status_ = response.status;
        } else {
          Headers(res, response, close);
          res.content_length(response.file->length);
          if (head_) return Send(HeadOf(std::move(res)), 0, close);
          return Send(std::move(res), response.file->length, close);
        }
      }
      bhttp::response<bhttp::string_body> res;
      Headers(res, response, close);
      if (no_body) return Send(std::move(res), 0, close);
      res.content_length(response.body.size());
      if (head_) return Send(HeadOf(std::move(res)), 0, close);
      const std::size_t bytes = response.body.size();
      res.body() = std::move(response.body);
      return Send(std::move(res), bytes, close);
    } catch (const std::exception& e) {
      server_.Log(std::string("cannot build the response: ") + e.what());
      Close();
    }
  }

  template <class Body>
  static bhttp::response<bhttp::empty_body> HeadOf(bhttp::response<Body>&& res) {
    bhttp::response<bhttp::empty_body> head;
    head.base() = std::move(res.base());
    return head;
  }

  template <class Message>
  void Send(Message&& message, std::uint64_t bytes, bool close) {
    auto msg = std::make_shared<std::decay_t<Message>>(std::move(message));
    transport().expires_after(options().idle_timeout);
    stream_.Visit([&](auto& stream) {
      bhttp::async_write(
          stream, *msg, [self = shared_from_this(), msg, bytes, close](error_code ec, std::size_t) {
            self->OnWritten(ec, bytes, close);
          });
    });
  }

  void OnWritten(error_code ec, std::uint64_t bytes, bool close) {
    if (options().access_log) {
      AccessLogEntry entry{log_method_,
                           log_path_,
                           status_,
                           bytes,
                           std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::steady_clock::now() - started_)
                               .count(),
                           remote_};
      try {
        options().access_log(entry);
      } catch (...) {
      }
    }
    log_method_.clear();
    log_path_.clear();
    started_ = {};
    head_ = false;
    if (ec) return Close();
    if (close) return Linger();
    ReadNext();
  }

  // Closing with unread request bytes in the socket makes the kernel send a
  // reset, which can destroy the response before the client reads it (the
  // 413 case). So: half-close, read and discard for a short while, then close.
  // Over TLS the half-close is the close_notify alert; OpenSSL then discards
  // whatever application data still comes while it waits for the client's.
  void Linger() {
    state_ = State::kClosing;
    if (stream_.secure()) {
      transport().expires_after(kLingerTime);
      stream_.tls().async_shutdown([self = shared_from_this()](error_code) { self->Close(); });
      return;
    }
    error_code ec;
    transport().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    discard_ = std::make_unique<char[]>(kDiscardSize);
    transport().expires_after(kLingerTime);
    DrainSome();
  }

  void DrainSome() {
    transport().async_read_some(asio::buffer(discard_.get(), kDiscardSize),
                                [self = shared_from_this()](error_code ec, std::size_t n) {
                                  self->lingered_ += n;
                                  if (ec || self->lingered_ > kMaxLingerBytes) return self->Close();
                                  self->DrainSome();
                                });
  }

  void Close() {
    state_ = State::kClosing;
    error_code ignored;
    transport().socket().shutdown(tcp::socket::shutdown_both, ignored);
    transport().socket().close(ignored);
  }

  static constexpr std::size_t kDiscardSize = 16 << 10;

  Server::Impl& server_;
  internal::HttpStream stream_;
  std::string peer_certificate_pem_;  // the client's verified leaf, TLS only
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::request_parser<bhttp::file_body>> file_parser_;
  std::string body_file_;  // the streamed body's file, removed after the answer
  beast::error_code ignored_;
  std::string remote_;
  State state_ = State::kReading;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  int status_ = 0;
  std::chrono::steady_clock::time_point started_{};
  std::string log_method_;
  std::string log_path_;
  std::size_t reserved_ = 0;  // of the server's body budget, for this request
  std::unique_ptr<char[]> discard_;
  std::size_t lingered_ = 0;
};

void Server::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Typically EMFILE: wait a little instead of spinning.
      Log("accept failed: " + ec.message());
      accept_retry_.expires_after(std::chrono::milliseconds(100));
      accept_retry_.async_wait(asio::bind_executor(acceptor_.get_executor(), [this](error_code) {
        if (acceptor_.is_open()) Accept();
      }));
      return;
    }
    ++accepted_;
    auto connection = std::make_shared<Connection>(*this, std::move(socket), tls_context());
    bool admitted = true;
    {
      std::lock_guard lock(mu_);
      int& open = per_address_[connection->remote()];
      if (open >= options_.max_connections_per_address) {
        admitted = false;
      } else {
        ++open;
        connections_.emplace(connection.get(), connection);
      }
    }
    // Over the cap: the connection is dropped unread (its destructor
    // unregisters nothing it did not register).
    if (admitted) connection->Start();
    Accept();
  });
}

void Server::Impl::CloseIfIdle(const std::shared_ptr<Connection>& c) { c->CloseIfIdle(); }

Server::Server(ServerOptions options, const Router& router, Dispatch dispatch)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(dispatch))) {}
Server::~Server() = default;
Status Server::Start() { return impl_->Start(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
std::uint16_t Server::port() const { return impl_->port(); }
std::uint64_t Server::connections_accepted() const { return impl_->accepted(); }

}  // namespace chancery::http
