// Server::Impl::Connection: one client connection, from the TLS handshake
// through reading a request (in memory, or streamed to a file), handing it
// to a worker, and writing the answer, to the next request or the close.
#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/http/basic_file_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <ctime>
#include <type_traits>
#include <utility>

#include "lib/http/problem.h"
#include "lib/http/server_impl.h"

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

template <class Body>
bhttp::response<bhttp::empty_body> HeadOf(bhttp::response<Body>&& res) {
  bhttp::response<bhttp::empty_body> head;
  head.base() = std::move(res.base());
  return head;
}

}  // namespace

Server::Impl::Connection::Connection(Server::Impl& server, tcp::socket socket,
                                     asio::ssl::context* tls)
    : server_(server), stream_(std::move(socket), tls) {
  error_code ec;
  const auto endpoint = transport().socket().remote_endpoint(ec);
  if (!ec) remote_ = endpoint.address().to_string();
  transport().socket().set_option(tcp::no_delay(true), ec);
}

Server::Impl::Connection::~Connection() {
  ReleaseBody();
  RemoveBodyFile();
  server_.Unregister(this, remote_);
}

void Server::Impl::Connection::Start() {
  asio::dispatch(transport().get_executor(), [self = shared_from_this()] {
    if (self->stream_.secure()) return self->Handshake();
    self->ReadNext();
  });
}

void Server::Impl::Connection::CloseIfIdle() {
  asio::dispatch(transport().get_executor(), [self = shared_from_this()] {
    if (self->state_ == State::kReading) {
      error_code ignored;
      self->transport().socket().close(ignored);
    }
  });
}

// Reading waits for the handshake; the idle timeout bounds it, so a
// client that connects and says nothing is dropped like an idle one.
void Server::Impl::Connection::Handshake() {
  transport().expires_after(options().idle_timeout);
  stream_.tls().async_handshake(
      asio::ssl::stream_base::server,
      [self = shared_from_this()](error_code ec) { self->OnHandshake(ec); });
}

void Server::Impl::Connection::OnHandshake(error_code ec) {
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

void Server::Impl::Connection::ReleaseBody() {
  if (reserved_) server_.ReleaseBody(std::exchange(reserved_, 0));
}

void Server::Impl::Connection::ReadNext() {
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

void Server::Impl::Connection::OnHeader(error_code ec) {
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
      asio::post(self->transport().get_executor(), [self, refusal = std::move(refusal)]() mutable {
        if (refusal) return self->Reply(std::move(*refusal), /*close=*/true);
        self->state_ = State::kReading;
        self->ContinueBody();
      });
    });
    return;
  }
  ContinueBody();
}

void Server::Impl::Connection::ContinueBody() {
  auto& header = parser_->get();
  const auto expect = header[bhttp::field::expect];
  const bool expect_continue = !expect.empty() && EqualsIgnoreCase(expect, "100-continue");
  if (!parser_->is_done() && StreamToFile()) {
    // Written to a file as it arrives; the memory budget is not touched.
  } else if (!parser_->is_done()) {
    // The body will be held in memory: it takes its place in the node's
    // budget first (its announced length, or the limit when unknown).
    const auto length = parser_->content_length();
    const std::size_t want = length ? static_cast<std::size_t>(*length) : options().max_body_bytes;
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
bool Server::Impl::Connection::StreamToFile() {
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

void Server::Impl::Connection::RemoveBodyFile() {
  if (!body_file_.empty()) ::unlink(body_file_.c_str());
  body_file_.clear();
}

void Server::Impl::Connection::ReadBody() {
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

void Server::Impl::Connection::OnReadError(error_code ec) {
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

void Server::Impl::Connection::TooLarge() {
  Reply(Problem(MakeError(ErrorCode::kPayloadTooLarge,
                          "The request body is larger than " +
                              std::to_string(options().max_body_bytes) + " bytes."),
                log_path_),
        /*close=*/true);
}

void Server::Impl::Connection::Handle() {
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
void Server::Impl::Connection::HandleMessage(bhttp::request<Body> message) {
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
    asio::post(self->transport().get_executor(), [self, response = std::move(response)]() mutable {
      self->Reply(std::move(response), !self->keep_alive_);
    });
  });
}

void Server::Impl::Connection::Fallback(Request request) {
  asio::post(server_.workers(), [self = shared_from_this(), request = std::move(request)] {
    std::optional<Response> found;
    try {
      found = self->server_.options().fallback(request);
    } catch (const std::exception& e) {
      self->server_.Log("fallback for " + request.path + " threw: " + e.what());
      found = Problem(MakeError(ErrorCode::kInternal, "An internal error occurred."));
    }
    Response response =
        found ? std::move(*found)
              : Problem(MakeError(ErrorCode::kNotFound, "No such resource."), request.path);
    asio::post(self->transport().get_executor(), [self, response = std::move(response)]() mutable {
      self->Reply(std::move(response), !self->keep_alive_);
    });
  });
}

// Fills the headers every response carries; the handler's own headers
// follow, minus the ones the server owns and any that could split the
// response.
template <class Body>
void Server::Impl::Connection::Headers(bhttp::response<Body>& res, const Response& response,
                                       bool close) {
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

void Server::Impl::Connection::Reply(Response response, bool close) {
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

template <class Message>
void Server::Impl::Connection::Send(Message&& message, std::uint64_t bytes, bool close) {
  auto msg = std::make_shared<std::decay_t<Message>>(std::move(message));
  transport().expires_after(options().idle_timeout);
  stream_.Visit([&](auto& stream) {
    bhttp::async_write(stream, *msg,
                       [self = shared_from_this(), msg, bytes, close](error_code ec, std::size_t) {
                         self->OnWritten(ec, bytes, close);
                       });
  });
}

void Server::Impl::Connection::OnWritten(error_code ec, std::uint64_t bytes, bool close) {
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
void Server::Impl::Connection::Linger() {
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

void Server::Impl::Connection::DrainSome() {
  transport().async_read_some(asio::buffer(discard_.get(), kDiscardSize),
                              [self = shared_from_this()](error_code ec, std::size_t n) {
                                self->lingered_ += n;
                                if (ec || self->lingered_ > kMaxLingerBytes) return self->Close();
                                self->DrainSome();
                              });
}

void Server::Impl::Connection::Close() {
  state_ = State::kClosing;
  error_code ignored;
  transport().socket().shutdown(tcp::socket::shutdown_both, ignored);
  transport().socket().close(ignored);
}

}  // namespace chancery::http
