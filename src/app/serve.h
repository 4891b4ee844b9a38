// `chancery serve`.
#pragma once

#include <string>

#include "app/exchange_node.h"
#include "app/node.h"

namespace chancery::cli {

struct ServeOptions {
  int port = -1;                   // override server.port (0 = any free port)
  std::string address;             // override server.address
  std::string port_file;           // write the bound port here
  std::string ui_dir;              // the web UI's build (overrides server.ui_dir)
  std::string exchange_port_file;  // write the peers' listener's port here
  int exchange_port = -1;          // override exchange.port (0 = any free port)
  // Tests' fault points (tests/support/fault_node_main.cc); empty in the node.
  ExchangeRunner::AfterRequest after_peer_request;
};

// Serves until SIGINT or SIGTERM; the process's exit status.
int Serve(Node& node, const ServeOptions& options);

}  // namespace chancery::cli
