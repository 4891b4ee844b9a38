// Server and Server::Impl: the listener, the I/O threads and the worker
// pool, the limits shared by all connections, and the graceful stop. One
// connection's life is in server_connection.cc.
#include "lib/http/server.h"

#include <algorithm>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <cstdio>
#include <thread>
#include <utility>
#include <vector>

#include "lib/http/problem.h"
#include "lib/http/server_impl.h"

namespace chancery::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::beast::error_code;

Server::Impl::Impl(ServerOptions options, const Router& router, Dispatch dispatch)
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

Server::Impl::~Impl() {
  Stop();
  if (workers_) workers_->join();
}

Status Server::Impl::Start() {
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

void Server::Impl::Run() {
  if (!started_ || ran_.exchange(true)) return;
  std::vector<std::thread> threads;
  for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { RunLoop(); });
  RunLoop();
  for (auto& t : threads) t.join();
  workers_->join();
}

void Server::Impl::Stop() {
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

Response Server::Impl::Invoke(Request& request, const Router::Match& match) {
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

void Server::Impl::Log(std::string_view message) {
  try {
    options_.error_log(message);
  } catch (...) {
  }
}

bool Server::Impl::ReserveBody(std::size_t bytes) {
  std::size_t now = buffered_.load();
  do {
    if (now + bytes > options_.max_buffered_body_bytes) return false;
  } while (!buffered_.compare_exchange_weak(now, now + bytes));
  return true;
}

void Server::Impl::Unregister(Connection* c, const std::string& address) {
  std::lock_guard lock(mu_);
  if (connections_.erase(c) && !address.empty()) {
    if (auto it = per_address_.find(address); it != per_address_.end() && --it->second <= 0) {
      per_address_.erase(it);
    }
  }
}

void Server::Impl::RunLoop() {
  try {
    ioc_.run();
  } catch (const std::exception& e) {
    Log(std::string("I/O loop stopped by an exception: ") + e.what());
    ioc_.stop();
  }
}

void Server::Impl::PollStopped() {
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
