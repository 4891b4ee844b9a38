// Demo data for `make run`: a ministry with a few levels of units, one user
// per role, and documents in every state, made through the services (so the
// audit log tells how each came to be).
#pragma once

#include <string>
#include <vector>

#include "app/node.h"

namespace chancery::cli {

struct DemoLogin {
  std::string username;
  std::string password;
  std::string role;
};

// Loads the demo once; a second call finds it loaded and only returns the logins.
Result<std::vector<DemoLogin>> LoadDemo(Node& node);

}  // namespace chancery::cli
