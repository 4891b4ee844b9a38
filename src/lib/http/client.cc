#include "lib/http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "lib/http/request.h"
#include "lib/http/stream.h"
#include "lib/http/tls_context.h"

namespace chancery::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

std::optional<std::string> ClientResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return std::nullopt;
}

class HttpClient::Impl {
 public:
  Impl(std::string host, std::uint16_t port) : host_(std::move(host)), port_(port) {}
  Impl(std::string host, std::uint16_t port, const TlsOptions& tls) : Impl(std::move(host), port) {
    auto context = internal::TlsContext::Make(tls, internal::TlsRole::kClient);
    if (context.ok()) {
      tls_ = std::move(*context);
    } else {
      tls_error_ = std::move(context).error();
    }
  }

  Result<ClientResponse> Send(std::string_view method, std::string_view target,
                              std::string_view body,
                              const std::vector<std::pair<std::string, std::string>>& headers) {
    if (tls_error_) return *tls_error_;
    bhttp::request<bhttp::string_body> req;
    try {
      req = Build(method, target, body, headers);
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kInvalidArgument, std::string("Bad request: ") + e.what());
    }
    const bool head = req.method() == bhttp::verb::head;
    bool fresh = false;
    if (!connected()) {
      CHY_TRY_STATUS(Connect("connect to"));
      fresh = true;
    }
    bool retryable = false;
    auto result = Exchange(req, head, retryable);
    if (!result.ok() && retryable && !fresh) {
      // The server closed the kept-alive connection while it was idle.
      Close();
      CHY_TRY_STATUS(Connect("reconnect to"));
      result = Exchange(req, head, retryable);
    }
    return result;
  }

  // Over TLS without a close_notify: the server treats it like a dropped
  // connection, which is all it needs to know, and we never wait for it.
  void Close() {
    if (connected()) {
      error_code ignored;
      transport().socket().shutdown(tcp::socket::shutdown_both, ignored);
      transport().socket().close(ignored);
    }
    stream_.reset();
    server_certificate_pem_.clear();
    buffer_.clear();
  }

  std::chrono::milliseconds timeout_{std::chrono::seconds(30)};
  int opened_ = 0;

 private:
  // Runs one asynchronous operation to completion (so the stream's timeout applies).
  template <class Start>
  error_code Await(Start start) {
    error_code result;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  bool connected() { return stream_ && transport().socket().is_open(); }
  beast::tcp_stream& transport() { return stream_->transport(); }

  // Opens the connection and, over TLS, completes the handshake, in which
  // the server's certificate is checked (and ours presented).
  Status Connect(const char* what) {
    Close();
    error_code ec;
    tcp::resolver resolver(ioc_);
    const auto endpoints = resolver.resolve(host_, std::to_string(port_), ec);
    if (ec) return Failure(what, ec);
    stream_.emplace(ioc_, tls_ ? &tls_->context() : nullptr);
    transport().expires_after(timeout_);
    ec = Await([&](auto handler) { transport().async_connect(endpoints, std::move(handler)); });
    if (ec) {
      Close();
      return Failure(what, ec);
    }
    transport().socket().set_option(tcp::no_delay(true), ec);
    ++opened_;
    if (!tls_) return Ok();

    if (Status s = tls_->PrepareClient(stream_->tls().native_handle(), host_); !s.ok()) {
      Close();
      return s;
    }
    transport().expires_after(timeout_);
    ec = Await([&](auto handler) {
      stream_->tls().async_handshake(asio::ssl::stream_base::client, std::move(handler));
    });
    if (ec) {
      const std::string why =
          ec == beast::error::timeout
              ? ec.message()
              : internal::DescribeTlsFailure(ec, stream_->tls().native_handle(), "server");
      Close();
      return MakeError(ErrorCode::kUnavailable, "TLS handshake with " + host_ + ":" +
                                                    std::to_string(port_) + " failed: " + why);
    }
    server_certificate_pem_ = internal::VerifiedPeerCertificatePem(stream_->tls().native_handle());
    return Ok();
  }

  bhttp::request<bhttp::string_body> Build(
      std::string_view method, std::string_view target, std::string_view body,
      const std::vector<std::pair<std::string, std::string>>& headers) {
    bhttp::request<bhttp::string_body> req;
    req.version(11);
    const bhttp::verb verb = bhttp::string_to_verb(method);
    if (verb == bhttp::verb::unknown) {
      req.method_string(method);
    } else {
      req.method(verb);
    }
    req.target(target);
    req.set(bhttp::field::host, host_ + ":" + std::to_string(port_));
    req.set(bhttp::field::user_agent, "chancery-http-client");
    for (const auto& [name, value] : headers) {
      if (EqualsIgnoreCase(name, "Host") || EqualsIgnoreCase(name, "User-Agent")) {
        req.set(name, value);
      } else {
        req.insert(name, value);
      }
    }
    req.body() = std::string(body);
    if (!body.empty() || verb == bhttp::verb::post || verb == bhttp::verb::put ||
        verb == bhttp::verb::patch) {
      req.content_length(body.size());
    }
    req.keep_alive(true);
    return req;
  }

  Result<ClientResponse> Exchange(bhttp::request<bhttp::string_body>& req, bool head,
                                  bool& retryable) {
    retryable = false;
    transport().expires_after(timeout_);
    error_code ec = Await([&](auto handler) {
      stream_->Visit([&](auto& stream) { bhttp::async_write(stream, req, std::move(handler)); });
    });
    if (ec) {
      retryable = ec != beast::error::timeout;
      Error failure = Failure("send to", ec);  // while the TLS state can still explain it
      Close();
      return failure;
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 32);
    parser.header_limit(1 << 20);
    if (head) parser.skip(true);
    transport().expires_after(timeout_);
    ec = Await([&](auto handler) {
      stream_->Visit(
          [&](auto& stream) { bhttp::async_read(stream, buffer_, parser, std::move(handler)); });
    });
    if (ec) {
      retryable = !parser.got_some() && ec != beast::error::timeout;
      Error failure = Failure("read from", ec);
      Close();
      return failure;
    }
    auto res = parser.release();
    ClientResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(res.body());
    out.peer_certificate_pem = server_certificate_pem_;
    if (!res.keep_alive()) Close();
    return out;
  }

  // Over TLS a failure after the handshake can still be about certificates:
  // with TLS 1.3 the server judges ours after we have finished, so its
  // refusal arrives as the answer to our first request.
  Error Failure(const char* what, error_code ec) {
    const std::string why =
        stream_ && stream_->secure()
            ? internal::DescribeTlsFailure(ec, stream_->tls().native_handle(), "server")
            : ec.message();
    return MakeError(ErrorCode::kUnavailable, std::string("Cannot ") + what + " " + host_ + ":" +
                                                  std::to_string(port_) + ": " + why);
  }

  std::string host_;
  std::uint16_t port_;
  // Declared before the streams that use it, so it is destroyed after them.
  std::unique_ptr<internal::TlsContext> tls_;
  std::optional<Error> tls_error_;  // the TLS options were unusable
  asio::io_context ioc_{1};
  std::optional<internal::HttpStream> stream_;
  std::string server_certificate_pem_;  // of the current TLS connection
  beast::flat_buffer buffer_;
};

HttpClient::HttpClient(std::string host, std::uint16_t port)
    : impl_(std::make_unique<Impl>(std::move(host), port)) {}
HttpClient::HttpClient(std::string host, std::uint16_t port, const TlsOptions& tls)
    : impl_(std::make_unique<Impl>(std::move(host), port, tls)) {}
HttpClient::~HttpClient() = default;

Result<ClientResponse> HttpClient::Send(
    std::string_view method, std::string_view target, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  return impl_->Send(method, target, body, headers);
}

void HttpClient::set_timeout(std::chrono::milliseconds timeout) { impl_->timeout_ = timeout; }
void HttpClient::Close() { impl_->Close(); }
int HttpClient::connections_opened() const { return impl_->opened_; }

}  // namespace chancery::http
