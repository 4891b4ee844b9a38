#include "app/exchange_node.h"

#include <boost/url.hpp>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "lib/http/client.h"
#include "lib/http/server.h"
#include "modules/exchange/store.h"

namespace chancery::cli {

namespace {

struct Endpoint {
  std::string host;
  std::uint16_t port = 443;
  std::string base_path;  // without a trailing slash
};

Result<Endpoint> ParseEndpoint(const std::string& url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u || u->scheme() != "https" || u->host().empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Not an https:// endpoint: " + url);
  }
  Endpoint e;
  e.host = u->host();
  e.port = static_cast<std::uint16_t>(u->has_port() ? u->port_number() : 443);
  e.base_path = std::string(u->encoded_path());
  while (!e.base_path.empty() && e.base_path.back() == '/') e.base_path.pop_back();
  return e;
}

}  // namespace

services::PeerTransport MutualTlsTransport(
    const http::TlsOptions& identity, std::vector<std::pair<std::string, std::string>> headers) {
  // One kept-alive connection per peer, used by one sender thread at a time.
  struct Pool {
    std::mutex mu;
    std::map<std::string, std::unique_ptr<http::HttpClient>> clients;
  };
  auto pool = std::make_shared<Pool>();
  return [identity, headers, pool](
             const exchange::Peer& peer, const std::string& path, const std::string& body,
             const std::string& content_type) -> Result<services::TransportReply> {
    CHY_TRY(Endpoint e, ParseEndpoint(peer.endpoint));
    std::lock_guard lock(pool->mu);
    auto& client = pool->clients[peer.agency_code + "|" + peer.certificate_sha256];
    if (!client) {
      // The directory's certificate, exactly: the pin is the whole check
      // (node certificates are made for signing, not for a TLS chain check).
      http::TlsOptions tls = identity;
      tls.pinned_peer_sha256 = {peer.certificate_sha256};
      client = std::make_unique<http::HttpClient>(e.host, e.port, tls);
      client->set_timeout(std::chrono::seconds(30));
    }
    auto h = headers;
    h.emplace_back("Content-Type", content_type);
    auto reply = client->Send("POST", e.base_path + path, body, h);
    if (!reply.ok()) {
      client.reset();  // a fresh connection next time
      return reply.error();
    }
    return services::TransportReply{reply->status, std::move(reply->body)};
  };
}

class ExchangeRunner::Impl {
 public:
  Impl(Node& node, http::Api& api, ExchangeRunner::AfterRequest after, int port)
      : node_(node), api_(api), after_(std::move(after)), port_(port) {}

  Status Start() {
    const NodeConfig& c = node_.config();
    auto& s = node_.exchange();
    CHY_TRY(services::TlsIdentity id, s.NodeTlsIdentity());
    http::TlsOptions tls;
    tls.certificate_chain_pem = id.certificate_chain_pem;
    tls.key = id.key;
    // Any client certificate gets through the handshake (which proves its
    // key); the first request is refused unless the directory knows it.
    tls.accept_any_peer_certificate = true;
    tls.require_peer_certificate = true;
    api_.RegisterPeer(router_);
    http::ServerOptions opts;
    opts.address = c.exchange_address;
    opts.port = static_cast<std::uint16_t>(port_);
    opts.io_threads = 1;
    opts.worker_threads = std::max(2, c.worker_threads / 2);
    opts.max_body_bytes = c.modules.exchange.max_package_bytes + (1 << 20);
    opts.tls = tls;
    // Any certificate passes the handshake: a package's body is read only
    // from a node the directory knows (and whose certificate is valid now).
    opts.admit = [svc = &s](const http::Request& head) -> std::optional<http::Response> {
      auto peer = svc->KnownPeer(head.peer_certificate_pem);
      if (peer.ok()) return std::nullopt;
      return exchange::RefusedResponse(peer.error());
    };
    server_ = std::make_unique<http::Server>(
        opts, router_, [this](http::Request& r, const http::Router::Match& m) {
          http::Response resp = m.route->handler(r);
          if (after_) after_(r, resp);
          return resp;
        });
    CHY_TRY_STATUS(server_->Start());
    server_thread_ = std::thread([this] { server_->Run(); });
    http::TlsOptions client_tls;
    client_tls.certificate_chain_pem = id.certificate_chain_pem;
    client_tls.key = id.key;
    send_ = MutualTlsTransport(client_tls);
    s.set_directory_fetcher([client_tls](const exchange::Peer& source) -> Result<std::string> {
      CHY_TRY(Endpoint e, ParseEndpoint(source.endpoint));
      http::TlsOptions tls = client_tls;
      tls.pinned_peer_sha256 = {source.certificate_sha256};
      http::HttpClient client(e.host, e.port, tls);
      CHY_TRY(auto reply, client.Send("GET", e.base_path + "/exchange/v1/directory"));
      if (reply.status != 200) {
        return MakeError(ErrorCode::kUnavailable, "The directory's publisher answered HTTP " +
                                                      std::to_string(reply.status) + ".");
      }
      return std::move(reply.body);
    });
    sender_ = std::thread([this] { SendLoop(); });
    return Ok();
  }

  // Delivers what is due, on one server at a time among all on the
  // database; the others ask for the role every round and take it over
  // when its holder is gone.
  void SendLoop() {
    const auto idle = node_.config().exchange_poll;
    BackgroundRole sender(node_, "exchange-sender");
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      if (!sender.Lead()) {
        lock.lock();
        cv_.wait_for(lock, idle, [&] { return stopping_; });
        continue;
      }
      auto round = node_.exchange().DeliverDue(send_, 64);
      lock.lock();
      if (!round.ok()) {
        node_.logger().Log(LogLevel::kWarning, "exchange.round_failed",
                           {{"message", round.error().message}});
      } else if (round->delivered + round->refused + round->failed > 0) {
        continue;  // more may be due right away
      }
      cv_.wait_for(lock, idle, [&] { return stopping_; });
    }
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (sender_.joinable()) sender_.join();
    if (server_) server_->Stop();
    if (server_thread_.joinable()) server_thread_.join();
  }

  std::uint16_t port() const { return server_ ? server_->port() : 0; }

 private:
  Node& node_;
  http::Api& api_;
  ExchangeRunner::AfterRequest after_;
  int port_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread server_thread_, sender_;
  services::PeerTransport send_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

ExchangeRunner::ExchangeRunner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ExchangeRunner::~ExchangeRunner() { impl_->Stop(); }
std::uint16_t ExchangeRunner::port() const { return impl_->port(); }

Result<std::unique_ptr<ExchangeRunner>> ExchangeRunner::Start(Node& node, http::Api& api,
                                                              AfterRequest after_request,
                                                              int port) {
  if (node.config().exchange_port < 0) return std::unique_ptr<ExchangeRunner>{};
  auto impl = std::make_unique<Impl>(node, api, std::move(after_request),
                                     port >= 0 ? port : node.config().exchange_port);
  if (auto st = impl->Start(); !st.ok()) {
    impl->Stop();
    return st.error();
  }
  return std::unique_ptr<ExchangeRunner>(new ExchangeRunner(std::move(impl)));
}

// ---------------------------------------------------------------- gateway

int RunGateway(Node& node) {
  auto& s = node.exchange();
  const NodeConfig& c = node.config();
  if (c.modules.exchange.gateway_zones.size() < 2) {
    node.logger().Log(LogLevel::kError, "gateway.config",
                      {{"message", "configure two or more [[gateway.zone]] tables"}});
    return 2;
  }
  // One listener and one client identity per zone.
  struct Side {
    std::string zone;
    http::Router router;
    std::unique_ptr<http::Server> server;
    services::PeerTransport send;
    std::thread thread;
  };
  std::map<std::string, std::unique_ptr<Side>> sides;
  std::map<std::string, http::TlsOptions> client_tls;
  for (const auto& z : c.gateway_listeners) {
    auto id = s.NodeTlsIdentity(z.zone);
    if (!id.ok()) {
      node.logger().Log(LogLevel::kError, "gateway.identity", {{"message", id.error().message}});
      return 1;
    }
    http::TlsOptions tls;
    tls.certificate_chain_pem = id->certificate_chain_pem;
    tls.key = id->key;
    client_tls[z.zone] = tls;
  }
  const services::ExchangeService::HopSender hop_sender =
      [&client_tls](const std::string& to_zone, const exchange::Peer& to, const std::string& path,
                    std::string_view body,
                    const std::string& hop) -> Result<services::TransportReply> {
    auto tls = client_tls.find(to_zone);
    if (tls == client_tls.end()) {
      return MakeError(ErrorCode::kUnavailable, "The gateway has no side in zone " + to_zone);
    }
    // A connection per crossing keeps the sides' requests independent.
    auto send = MutualTlsTransport(tls->second, {{"Chancery-Hop-Signature", hop}});
    return send(to, path, std::string(body),
                path.ends_with("packages") ? "multipart/related" : "application/xml");
  };
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  for (const auto& z : c.gateway_listeners) {
    auto side = std::make_unique<Side>();
    side->zone = z.zone;
    for (std::string path : {"/exchange/v1/packages", "/exchange/v1/statuses"}) {
      side->router.Add({.method = "POST",
                        .pattern = path,
                        .handler =
                            [&s, &hop_sender, zone = z.zone, path](http::Request& req) {
                              services::PeerCall call;
                              call.peer_certificate_pem = req.peer_certificate_pem;
                              auto r = s.Forward(zone, call, path, req.body, hop_sender);
                              if (!r.ok()) return exchange::RefusedResponse(r.error());
                              http::Response resp;
                              resp.status = r->status;
                              resp.body = std::move(r->body);
                              resp.SetHeader("Content-Type", r->status == 200
                                                                 ? "application/xml"
                                                                 : "application/problem+json");
                              return resp;
                            },
                        .summary = "A crossing into another zone",
                        .tag = "gateway",
                        .authenticated = false});
    }
    http::ServerOptions opts;
    opts.address = z.address;
    opts.port = static_cast<std::uint16_t>(z.port);
    opts.worker_threads = std::max(2, c.worker_threads);
    opts.max_body_bytes = c.modules.exchange.max_package_bytes + (1 << 20);
    opts.tls = client_tls[z.zone];
    opts.tls->accept_any_peer_certificate = true;
    opts.tls->require_peer_certificate = true;
    side->server = std::make_unique<http::Server>(
        opts, side->router,
        [](http::Request& r, const http::Router::Match& m) { return m.route->handler(r); });
    if (auto st = side->server->Start(); !st.ok()) {
      node.logger().Log(LogLevel::kError, "gateway.listen", {{"message", st.error().message}});
      return 1;
    }
    std::cout << "chancery gateway: zone " << z.zone << " on https://" << z.address << ":"
              << side->server->port() << std::endl;
    if (!z.port_file.empty()) WritePortFile(z.port_file, side->server->port());
    sides[z.zone] = std::move(side);
  }
  for (auto& [zone, side] : sides) {
    side->thread = std::thread([srv = side->server.get()] { srv->Run(); });
  }
  int sig = 0;
  sigwait(&set, &sig);
  for (auto& [zone, side] : sides) side->server->Stop();
  for (auto& [zone, side] : sides) side->thread.join();
  return 0;
}

}  // namespace chancery::cli
