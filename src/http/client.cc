#include "http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http/request.h"

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

  Result<ClientResponse> Send(std::string_view method, std::string_view target,
                              std::string_view body,
                              const std::vector<std::pair<std::string, std::string>>& headers) {
    bhttp::request<bhttp::string_body> req;
    try {
      req = Build(method, target, body, headers);
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kInvalidArgument, std::string("Bad request: ") + e.what());
    }
    const bool head = req.method() == bhttp::verb::head;
    bool fresh = false;
    if (!stream_ || !stream_->socket().is_open()) {
      if (auto ec = Connect()) return Failure("connect to", ec);
      fresh = true;
    }
    bool retryable = false;
    auto result = Exchange(req, head, retryable);
    if (!result.ok() && retryable && !fresh) {
      // The server closed the kept-alive connection while it was idle.
      Close();
      if (auto ec = Connect()) return Failure("reconnect to", ec);
      result = Exchange(req, head, retryable);
    }
    return result;
  }

  void Close() {
    if (stream_) {
      error_code ignored;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_->socket().close(ignored);
      stream_.reset();
    }
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

  error_code Connect() {
    buffer_.clear();
    error_code ec;
    tcp::resolver resolver(ioc_);
    const auto endpoints = resolver.resolve(host_, std::to_string(port_), ec);
    if (ec) return ec;
    stream_.emplace(ioc_);
    stream_->expires_after(timeout_);
    ec = Await([&](auto handler) { stream_->async_connect(endpoints, std::move(handler)); });
    if (ec) {
      stream_.reset();
      return ec;
    }
    stream_->socket().set_option(tcp::no_delay(true), ec);
    ++opened_;
    return {};
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
    stream_->expires_after(timeout_);
    error_code ec =
        Await([&](auto handler) { bhttp::async_write(*stream_, req, std::move(handler)); });
    if (ec) {
      retryable = ec != beast::error::timeout;
      Close();
      return Failure("send to", ec);
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 32);
    parser.header_limit(1 << 20);
    if (head) parser.skip(true);
    stream_->expires_after(timeout_);
    ec = Await(
        [&](auto handler) { bhttp::async_read(*stream_, buffer_, parser, std::move(handler)); });
    if (ec) {
      retryable = !parser.got_some() && ec != beast::error::timeout;
      Close();
      return Failure("read from", ec);
    }
    auto res = parser.release();
    ClientResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(res.body());
    if (!res.keep_alive()) Close();
    return out;
  }

  Error Failure(const char* what, error_code ec) const {
    return MakeError(ErrorCode::kUnavailable, std::string("Cannot ") + what + " " + host_ + ":" +
                                                  std::to_string(port_) + ": " + ec.message());
  }

  std::string host_;
  std::uint16_t port_;
  asio::io_context ioc_{1};
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

HttpClient::HttpClient(std::string host, std::uint16_t port)
    : impl_(std::make_unique<Impl>(std::move(host), port)) {}
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
