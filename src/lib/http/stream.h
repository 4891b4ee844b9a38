// Inside src/lib/http only (the server, client.cc): the byte stream under one
// HTTP connection, plain TCP or TLS over TCP, so that the HTTP code of the
// server and of the client is written once for both.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>
#include <utility>

namespace chancery::http::internal {

class HttpStream {
 public:
  using Secure = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // `arg` makes the TCP stream (an accepted socket, or an io_context to
  // connect from); TLS over it when `tls` is not null.
  template <class Arg>
  HttpStream(Arg&& arg, boost::asio::ssl::context* tls) {
    if (tls) {
      secure_.emplace(std::forward<Arg>(arg), *tls);
    } else {
      plain_.emplace(std::forward<Arg>(arg));
    }
  }

  bool secure() const { return secure_.has_value(); }
  Secure& tls() { return *secure_; }  // only when secure()

  // The TCP stream under either kind: timeouts, the socket, the executor.
  boost::beast::tcp_stream& transport() { return secure_ ? secure_->next_layer() : *plain_; }

  // Calls `start(stream)` with the stream that carries HTTP, to start an
  // operation on it; written once, the operation is compiled for both kinds.
  template <class Start>
  void Visit(Start&& start) {
    if (secure_) {
      start(*secure_);
    } else {
      start(*plain_);
    }
  }

 private:
  std::optional<boost::beast::tcp_stream> plain_;  // exactly one of these two
  std::optional<Secure> secure_;
};

}  // namespace chancery::http::internal
