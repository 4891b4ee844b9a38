// The command line of a node. Each module adds its commands (its cli.cc)
// through `Commands`; src/app/main.cc opens the node for the command that
// was chosen and runs it. Commands call services, never the store.
#pragma once

#include <functional>
#include <string>
#include <type_traits>

#include "core/result.h"
#include "services/services.h"

namespace CLI {
class App;
}

namespace chancery::services {

// What a command does once its node is open. `actor` is the --as person
// for people's commands; for the operator's commands (no --as) it is null.
using CommandRun = std::function<int(const Actor* actor)>;
// A module's service, once the node is open (src/app opens it after parsing).
template <typename S>
using ServiceOf = std::function<S&()>;

class Commands {
 public:
  explicit Commands(CLI::App& app) : app_(app) {}

  CLI::App& app() { return app_; }
  // A group of commands ("unit", "pki"); one of its commands must be chosen.
  CLI::App* Group(const std::string& name, const std::string& description);
  // A command taking the node's data folder. With `as_person` it acts as
  // `--as USERNAME` (whoever can run this binary on the node's folder is
  // trusted to choose); without, as the node's operator.
  CLI::App* Add(CLI::App* parent, const std::string& name, const std::string& description,
                bool as_person, CommandRun run);
  // The same, for a command that calls one module's service.
  template <typename S>
  CLI::App* Add(CLI::App* parent, const std::string& name, const std::string& description,
                bool as_person, ServiceOf<S> service,
                std::type_identity_t<std::function<int(S&, const Actor*)>> run) {
    return Add(parent, name, description, as_person,
               CommandRun([service = std::move(service), run = std::move(run)](const Actor* a) {
                 return run(service(), a);
               }));
  }

  // After parsing: the chosen command (null if none of these), its folder and --as.
  const CommandRun* chosen() const { return chosen_ ? &chosen_ : nullptr; }
  bool chosen_as_person() const { return chosen_as_person_; }
  const std::string& data_dir() const { return data_; }
  const std::string& as_user() const { return as_user_; }

 private:
  CLI::App& app_;
  std::string data_ = "var/node";
  std::string as_user_;
  CommandRun chosen_;
  bool chosen_as_person_ = false;
};

// Prints the error the way every command does and returns exit status 1.
int Fail(const Error& e);
// The contents of a file (empty when it cannot be read).
std::string ReadFile(const std::string& path);

}  // namespace chancery::services
