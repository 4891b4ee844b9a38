#include "tests/support/node_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <utility>
#include <vector>

namespace chancery::testing {

namespace fs = std::filesystem;

namespace {
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
std::string RandomName() {
  std::random_device rd;
  return "t" + std::to_string(rd()) + std::to_string(getpid());
}
}  // namespace

std::string Backend() {
  const char* b = std::getenv("CHANCERY_API_BACKEND");
  return b ? b : "sqlite";
}

namespace {
// The ports the kernel picks from for outgoing connections and for bind(0).
std::pair<int, int> EphemeralRange() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int lo = 32768, hi = 60999;
  if (!(in >> lo >> hi) || lo < 1 || hi < lo || hi > 65535) return {32768, 60999};
  return {lo, hi};
}

bool Bindable(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}
}  // namespace

std::uint16_t FreePort() {
  // A node's exchange listener is configured by number and must bind the same
  // number again when the test restarts it. A port from the ephemeral range can
  // be taken meanwhile by any client socket on the machine (a browser test
  // running beside, or a peer's own retries), so the port comes from outside
  // that range; and a lock file held for this process's lifetime keeps tests
  // running at once from picking the same one.
  const auto [lo, hi] = EphemeralRange();
  std::vector<std::pair<int, int>> spans;
  if (lo - 1 >= 20000) spans.emplace_back(20000, lo - 1);
  if (hi + 1 <= 65535) spans.emplace_back(hi + 1, 65535);
  if (spans.empty()) spans.emplace_back(1024, 65535);
  int total = 0;
  for (auto [a, b] : spans) total += b - a + 1;
  const fs::path locks = fs::temp_directory_path() / "chancery-test-ports";
  std::error_code ec;
  fs::create_directories(locks, ec);
  std::random_device rd;
  const int start = static_cast<int>(rd() % static_cast<unsigned>(total));
  for (int i = 0; i < total; ++i) {
    int k = (start + i) % total, port = 0;
    for (auto [a, b] : spans) {
      if (k <= b - a) {
        port = a + k;
        break;
      }
      k -= b - a + 1;
    }
    const std::string lock = (locks / (std::to_string(port) + ".lock")).string();
    const int fd = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 || !Bindable(static_cast<std::uint16_t>(port))) {
      close(fd);
      continue;
    }
    return static_cast<std::uint16_t>(port);  // fd stays open: the reservation
  }
  return 0;
}

bool PostgresAvailable() {
  const char* pg = std::getenv("CHANCERY_TEST_PG");
  return pg && *pg;
}

int NodeProcess::Run(const std::vector<std::string>& args, std::string* output) {
  std::string cmd = Quote(CHANCERY_BIN);
  for (const auto& a : args) cmd += " " + Quote(a);
  cmd += " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf;
  std::string out;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

NodeProcess::NodeProcess(NodeOptions o) : options_(o) {
  if (!o.data_dir.empty()) {
    data_dir_ = o.data_dir;
  } else {
    data_dir_ = (fs::temp_directory_path() / ("chancery-api-" + RandomName())).string();
    owns_dir_ = true;
    fs::create_directories(data_dir_);
    database_url_ = o.database_url;
    if (database_url_.empty()) {
      if (o.backend == "postgres") {
        const std::string base = std::getenv("CHANCERY_TEST_PG");
        const std::string db = RandomName();
        std::string out;
        const std::string cmd =
            "psql " + Quote(base) + " -q -c " + Quote("CREATE DATABASE " + db) + " 2>&1";
        if (std::system(cmd.c_str()) != 0) {
          error_ = "could not create database " + db;
          return;
        }
        database_url_ = base;
        const auto pos = database_url_.find("dbname=");
        if (pos != std::string::npos) {
          const auto end = database_url_.find(' ', pos);
          database_url_.replace(pos, end == std::string::npos ? std::string::npos : end - pos,
                                "dbname=" + db);
        } else {
          database_url_ += " dbname=" + db;
        }
      } else {
        database_url_ = "sqlite:chancery.db";
      }
    }
    std::string out;
    if (Run({"init", data_dir_, "--db", database_url_}, &out) != 0) {
      error_ = "init failed: " + out;
      return;
    }
    // Small limits so "too large" is cheap to test; fast hashing for many logins.
    std::string cfg;
    {
      std::ifstream in(fs::path(data_dir_) / "chancery.toml");
      cfg.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto set = [&](const std::string& from, const std::string& to) {
      auto pos = cfg.find(from);
      if (pos != std::string::npos) cfg.replace(pos, from.size(), to);
    };
    set("max_upload_mb = 50", "max_upload_mb = 2");
    set("argon2_memory_kib = 19456", "argon2_memory_kib = 1024");
    set("argon2_time_cost = 2", "argon2_time_cost = 1");
    set("lockout_minutes = 15", "lockout_minutes = 1");
    std::ofstream(fs::path(data_dir_) / "chancery.toml") << cfg << o.extra_config;
    if (o.load_demo && Run({"demo", data_dir_}, &out) != 0) {
      error_ = "demo failed: " + out;
      return;
    }
  }
  Launch();
}

bool NodeProcess::Restart() {
  Stop();
  error_.clear();
  Launch();
  return error_.empty();
}

void NodeProcess::Launch() {
  const NodeOptions& o = options_;
  const std::string port_file = data_dir_ + "/port-" + RandomName();
  const std::string exchange_port_file = data_dir_ + "/exchange-port-" + RandomName();
  const std::string log_file = data_dir_ + "/serve-" + RandomName() + ".log";
  log_file_ = log_file;
  pid_ = fork();
  if (pid_ == 0) {
    FILE* log = std::fopen(log_file.c_str(), "w");
    if (log) {
      dup2(fileno(log), 1);
      dup2(fileno(log), 2);
    }
    for (const auto& [k, v] : o.env) setenv(k.c_str(), v.c_str(), 1);
    const char* bin = o.binary.empty() ? CHANCERY_BIN : o.binary.c_str();
    std::vector<const char*> argv{bin,
                                  "serve",
                                  data_dir_.c_str(),
                                  "--port",
                                  "0",
                                  "--port-file",
                                  port_file.c_str(),
                                  "--exchange-port-file",
                                  exchange_port_file.c_str()};
    if (!o.ui_dir.empty()) {
      argv.push_back("--ui");
      argv.push_back(o.ui_dir.c_str());
    }
    for (const auto& a : o.serve_args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    execv(bin, const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  for (int i = 0; i < 300; ++i) {
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port && port > 0) {
      port_ = static_cast<std::uint16_t>(port);
      // The exchange listener's port follows the API's (0: none configured).
      for (int j = 0; j < 20; ++j) {
        std::ifstream ex(exchange_port_file);
        int xport = 0;
        if (ex >> xport) {
          exchange_port_ = static_cast<std::uint16_t>(xport);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream l(log_file);
      error_ = "serve exited: " + std::string(std::istreambuf_iterator<char>(l), {});
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  error_ = "serve did not start in 15 s";
}

void NodeProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string NodeProcess::Log() const {
  std::ifstream in(log_file_);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool NodeProcess::Stop() {
  bool by_itself = true;
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    pid_t ended = 0;
    for (int i = 0; i < 100 && (ended = waitpid(pid_, &status, WNOHANG)) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (ended == 0) {
      by_itself = false;
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  return by_itself;
}

NodeProcess::~NodeProcess() {
  Stop();
  if (owns_dir_ && !std::getenv("CHANCERY_KEEP_TEST_DIRS")) {
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
  }
}

}  // namespace chancery::testing
