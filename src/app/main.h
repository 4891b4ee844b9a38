// The command line of the node binary, as a function: `chancery` calls it
// with no hooks; tests build a second binary that adds fault points.
#pragma once

#include "app/exchange_node.h"

namespace chancery::cli {

struct Hooks {
  // Sees each answer of the peers' listener before it is sent.
  ExchangeRunner::AfterRequest after_peer_request;
};

int RunMain(int argc, char** argv, const Hooks& hooks = {});

}  // namespace chancery::cli
