// `chancery serve`.
#pragma once

#include <string>

#include "app/node.h"

namespace chancery::cli {

struct ServeOptions {
  int port = -1;             // override server.port (0 = any free port)
  std::string address;       // override server.address
  std::string port_file;     // write the bound port here
  std::string ui_dir;        // the web UI's build (overrides server.ui_dir)
  std::string exchange_port_file;  // write the peers' listener's port here
};

// Serves until SIGINT or SIGTERM; the process's exit status.
int Serve(Node& node, const ServeOptions& options);

}  // namespace chancery::cli
