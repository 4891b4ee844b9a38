// Inside src/lib/http only (server.cc, server_connection.cc): the server
// behind the pimpl of server.h. Server::Impl owns the listener, the I/O
// threads and worker pool, and the limits shared by all connections
// (connections per address, the body budget); Connection serves one client.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "lib/http/server.h"
#include "lib/http/stream.h"
#include "lib/http/tls_context.h"

namespace chancery::http {

class Server::Impl {
 public:
  class Connection;

  Impl(ServerOptions options, const Router& router, Dispatch dispatch);
  ~Impl();

  Status Start();
  void Run();
  void Stop();

  std::uint16_t port() const { return port_; }
  std::uint64_t accepted() const { return accepted_; }

  // --- used by Connection
  const ServerOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  bool stopping() const { return stopping_; }
  boost::asio::thread_pool& workers() { return *workers_; }
  // Null for plain HTTP.
  boost::asio::ssl::context* tls_context() { return tls_ ? &tls_->context() : nullptr; }

  // Runs the route's handler (through the dispatch), on a worker thread; a
  // handler that throws is logged and answered with a 500.
  Response Invoke(Request& request, const Router::Match& match);
  void Log(std::string_view message);

  // The budget of request bodies held in memory at once, across connections.
  bool ReserveBody(std::size_t bytes);
  void ReleaseBody(std::size_t bytes) { buffered_ -= bytes; }

  void Unregister(Connection* c, const std::string& address);

 private:
  void RunLoop();
  void Accept();
  void CloseIfIdle(const std::shared_ptr<Connection>& c);
  void PollStopped();

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

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;  // on its own strand, with the stop timer
  boost::asio::steady_timer stop_timer_;
  std::chrono::steady_clock::time_point stop_deadline_;
  boost::asio::steady_timer accept_retry_{ioc_};
  std::unique_ptr<boost::asio::thread_pool> workers_;
};

// One client connection, plain or TLS. Every member is touched only on the
// connection's strand (the executor of its TCP stream), except from worker
// threads which only post back to it.
class Server::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `tls` null: plain HTTP.
  Connection(Server::Impl& server, boost::asio::ip::tcp::socket socket,
             boost::asio::ssl::context* tls);
  ~Connection();
  const std::string& remote() const { return remote_; }

  void Start();
  // From Stop: close now unless a request is being handled or answered.
  void CloseIfIdle();

 private:
  using error_code = boost::beast::error_code;
  enum class State { kReading, kBusy, kClosing };

  const ServerOptions& options() const { return server_.options(); }
  boost::beast::tcp_stream& transport() { return stream_.transport(); }

  // Reading a request.
  void Handshake();
  void OnHandshake(error_code ec);
  void ReleaseBody();
  void ReadNext();
  void OnHeader(error_code ec);
  void ContinueBody();
  bool StreamToFile();
  void RemoveBodyFile();
  void ReadBody();
  void OnReadError(error_code ec);
  void TooLarge();

  // Handling it.
  void Handle();
  template <class Body>
  void HandleMessage(boost::beast::http::request<Body> message);
  void Fallback(Request request);

  // Answering, then reading the next request or closing.
  template <class Body>
  void Headers(boost::beast::http::response<Body>& res, const Response& response, bool close);
  void Reply(Response response, bool close);
  template <class Message>
  void Send(Message&& message, std::uint64_t bytes, bool close);
  void OnWritten(error_code ec, std::uint64_t bytes, bool close);
  void Linger();
  void DrainSome();
  void Close();

  static constexpr std::size_t kDiscardSize = 16 << 10;

  Server::Impl& server_;
  internal::HttpStream stream_;
  std::string peer_certificate_pem_;  // the client's verified leaf, TLS only
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::file_body>> file_parser_;
  std::string body_file_;  // the streamed body's file, removed after the answer
  error_code ignored_;
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

}  // namespace chancery::http
