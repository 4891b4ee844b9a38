#include "services/commands.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <iterator>

namespace chancery::services {

CLI::App* Commands::Group(const std::string& name, const std::string& description) {
  CLI::App* group = app_.add_subcommand(name, description);
  group->require_subcommand(1);
  return group;
}

CLI::App* Commands::Add(CLI::App* parent, const std::string& name, const std::string& description,
                        bool as_person, CommandRun run) {
  CLI::App* c = parent->add_subcommand(name, description);
  c->add_option("data", data_, "node data folder")->required();
  if (as_person) c->add_option("--as", as_user_, "act as this user")->required();
  c->callback([this, as_person, run = std::move(run)] {
    chosen_ = run;
    chosen_as_person_ = as_person;
  });
  return c;
}

int Fail(const Error& e) {
  std::cerr << "error: " << ErrorCodeName(e.code) << ": " << e.message << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
  if (!e.allowed.empty()) {
    std::cerr << "  allowed:";
    for (const auto& a : e.allowed) std::cerr << " " << a;
    std::cerr << "\n";
  }
  return 1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace chancery::services
