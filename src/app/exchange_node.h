// The exchange side of a running node (docs/exchange.md): the mutual-TLS
// listener other agencies' nodes call, and the sender that delivers the
// outbox to them in the background, retrying with back-off.
//
// A gateway (chancery gateway) runs one listener per network zone instead,
// each with its own TLS identity, and forwards what crosses between them.
#pragma once

#include <memory>
#include <string>

#include "app/api.h"
#include "app/node.h"
#include "core/result.h"
#include "lib/http/tls.h"

namespace chancery::cli {

class ExchangeRunner {
 public:
  // Starts the peer listener on [exchange] address:port and the sender;
  // nothing when the node has no [exchange] listener configured. Needs the
  // node's certificate (chancery pki init-ca) for its TLS identity.
  // `after_request` sees each peer request's answer before it is sent (a
  // seam for tests' fault points; empty in the node). `port`, when not
  // negative, replaces [exchange] port (serve --exchange-port: a second
  // server on the same host; 0 = any free port).
  using AfterRequest = std::function<void(const http::Request&, const http::Response&)>;
  static Result<std::unique_ptr<ExchangeRunner>> Start(Node& node, http::Api& api,
                                                       AfterRequest after_request = {},
                                                       int port = -1);
  ~ExchangeRunner();  // stops and joins

  std::uint16_t port() const;

  class Impl;

 private:
  explicit ExchangeRunner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The peer's transport over mutual TLS with this node's identity: the
// server must show the certificate the directory has for it.
services::PeerTransport MutualTlsTransport(
    const http::TlsOptions& identity,
    std::vector<std::pair<std::string, std::string>> headers = {});

// Runs a gateway between zones until SIGINT/SIGTERM (chancery gateway).
int RunGateway(Node& node);

}  // namespace chancery::cli
