// A real `chancery serve` process on loopback for API tests: its own data
// folder, its own database (SQLite file, or a fresh database on the test
// PostgreSQL server), demo data loaded, stopped with SIGTERM.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace chancery::testing {

struct NodeOptions {
  std::string backend = "sqlite";  // or "postgres" (needs CHANCERY_TEST_PG)
  std::string extra_config;        // TOML appended to chancery.toml
  bool load_demo = true;
  std::string database_url;  // share a database with another process
  std::string data_dir;      // reuse a folder (a second server on the same node)
  std::string ui_dir;        // serve --ui this folder
  std::vector<std::pair<std::string, std::string>> env;  // extra environment of serve
  std::string binary;                   // serve with this binary (default: the node's)
  std::vector<std::string> serve_args;  // more arguments of serve
};

class NodeProcess {
 public:
  explicit NodeProcess(NodeOptions options);
  ~NodeProcess();
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  // Empty string when started; otherwise what went wrong.
  const std::string& error() const { return error_; }
  std::uint16_t port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& database_url() const { return database_url_; }
  // The peers' (mutual TLS) listener, when [exchange] port is configured; 0 otherwise.
  std::uint16_t exchange_port() const { return exchange_port_; }
  // Stops and starts `serve` again on the same folder (ports change unless fixed).
  bool Restart();
  // Runs the chancery binary with these arguments; returns its exit code and output.
  static int Run(const std::vector<std::string>& args, std::string* output);
  // SIGTERM, then SIGKILL after 5 s; true when the process ended by itself.
  bool Stop();
  // SIGKILL at once: the process dies mid-work, as in a crash.
  void Kill();
  // What serve wrote (its JSON lines log and its start-up lines).
  std::string Log() const;

 private:
  std::string error_;
  std::string data_dir_;
  std::string database_url_;
  bool owns_dir_ = false;
  pid_t pid_ = -1;
  std::string log_file_;
  std::uint16_t port_ = 0;
  std::uint16_t exchange_port_ = 0;
  NodeOptions options_;
  void Launch();
};

// A TCP port on loopback that no one listens on now, outside the kernel's
// ephemeral range and reserved for this test process as long as it lives, so a
// node restarted on it finds it free again.
std::uint16_t FreePort();

// Skips (or, with CHANCERY_REQUIRE_PG=1, fails) when PostgreSQL is wanted but absent.
bool PostgresAvailable();
std::string Backend();  // CHANCERY_API_BACKEND, default "sqlite"

}  // namespace chancery::testing
