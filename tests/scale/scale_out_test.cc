// Several `chancery serve` processes on one PostgreSQL database behind
// nginx (docs/deployment.md): two servers, Debian's nginx in front of them,
// clerks registering incoming documents through it, and the server that
// runs the background work killed (SIGKILL) in the middle. Every
// registration a clerk saw acknowledged is there afterwards, with its
// number; the register book stays gap-free; the exchange sender ran on one
// server at a time and the survivor took it over.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "tests/api/api_fixture.h"

namespace chancery::testing {
namespace {

namespace fs = std::filesystem;

// Debian's nginx, in the foreground, balancing over `ports`.
class Nginx {
 public:
  explicit Nginx(const std::vector<std::uint16_t>& ports) : port_(FreePort()) {
    dir_ = fs::temp_directory_path() / ("chancery-nginx-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    chmod(dir_.c_str(), 0755);  // nginx's workers may run as another user
    std::ofstream conf(dir_ / "nginx.conf");
    conf << "worker_processes 1;\npid " << (dir_ / "nginx.pid").string() << ";\nerror_log "
         << (dir_ / "error.log").string() << ";\nevents { worker_connections 512; }\nhttp {\n"
         << "  access_log off;\n";
    for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
      conf << "  " << temp << "_temp_path " << (dir_ / temp).string() << ";\n";
    }
    conf << "  upstream chancery {\n";
    for (auto p : ports) conf << "    server 127.0.0.1:" << p << " max_fails=1 fail_timeout=30s;\n";
    conf << "    keepalive 32;\n  }\n  server {\n    listen 127.0.0.1:" << port_ << ";\n"
         << "    client_max_body_size 10m;\n    location / {\n"
         << "      proxy_pass http://chancery;\n      proxy_http_version 1.1;\n"
         << "      proxy_set_header Connection \"\";\n      proxy_set_header Host $host;\n"
         << "      proxy_next_upstream error timeout;\n    }\n  }\n}\n";
    conf.close();
    pid_ = fork();
    if (pid_ == 0) {
      execlp("nginx", "nginx", "-p", dir_.c_str(), "-c", (dir_ / "nginx.conf").c_str(), "-e",
             (dir_ / "error.log").c_str(), "-g", "daemon off;", static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~Nginx() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::uint16_t port() const { return port_; }
  // Whether it answers (its own 502 counts: nginx is up).
  bool Up() {
    http::HttpClient c("127.0.0.1", port_);
    return c.Send("GET", "/api/v1/health").ok();
  }
  std::string ErrorLog() const {
    std::ifstream in(dir_ / "error.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  fs::path dir_;
  std::uint16_t port_;
  pid_t pid_ = -1;
};

// How many times the server's log says it took the exchange sender's role.
int SenderLeads(const NodeProcess& node) {
  std::istringstream log(node.Log());
  int n = 0;
  for (std::string line; std::getline(log, line);) {
    if (line.find("\"background.lead\"") != std::string::npos &&
        line.find("exchange-sender") != std::string::npos) {
      ++n;
    }
  }
  return n;
}

template <typename F>
bool WaitFor(F done, int seconds) {
  for (int i = 0; i < seconds * 20 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

TEST(ScaleOut, TwoServersBehindNginxLoseNothingAcknowledgedWhenOneIsKilled) {
  if (!PostgresAvailable()) {
    if (std::getenv("CHANCERY_REQUIRE_PG")) FAIL() << "CHANCERY_TEST_PG is not set";
    GTEST_SKIP() << "no PostgreSQL (set CHANCERY_TEST_PG)";
  }
  const std::uint16_t exchange_port = FreePort();
  const std::string exchange =
      "\n[exchange]\nagency_code = \"000.00.01.A01\"\n"
      "endpoint = \"https://127.0.0.1:" +
      std::to_string(exchange_port) + "\"\nport = " + std::to_string(exchange_port) +
      "\npoll_ms = 50\n";
  NodeProcess first({.backend = "postgres", .extra_config = exchange});
  ASSERT_TRUE(first.error().empty()) << first.error();
  // The second server on this host listens for peers on a port of its own.
  NodeProcess second({.data_dir = first.data_dir(), .serve_args = {"--exchange-port", "0"}});
  ASSERT_TRUE(second.error().empty()) << second.error();

  // One of them, and only one, runs the sender.
  ASSERT_TRUE(WaitFor([&] { return SenderLeads(first) + SenderLeads(second) >= 1; }, 10))
      << first.Log() << second.Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // rounds of the other one
  ASSERT_EQ(SenderLeads(first) + SenderLeads(second), 1) << first.Log() << second.Log();
  NodeProcess& leader = SenderLeads(first) == 1 ? first : second;
  NodeProcess& survivor = &leader == &first ? second : first;

  Nginx nginx({first.port(), second.port()});
  ASSERT_TRUE(WaitFor([&] { return nginx.Up(); }, 10)) << nginx.ErrorLog();

  // Eight clerks through nginx; the leader is killed once 100
  // registrations are acknowledged.
  constexpr int kClerks = 8, kEach = 40;
  std::mutex mu;
  std::vector<std::pair<Id, Id>> acknowledged;  // document, arrival number
  std::atomic<int> acked{0}, refused{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> clerks;
  for (int t = 0; t < kClerks; ++t) {
    clerks.emplace_back([&, t] {
      Client clerk(nginx.port());
      if (!clerk.Login("vanthu")) {
        ++refused;
        return;
      }
      for (int i = 0; i < kEach; ++i) {
        auto doc = clerk.Post("/api/v1/documents/incoming",
                              json::object{{"issuer_name", "Sở Tư pháp"},
                                           {"original_number_symbol",
                                            std::to_string(t) + "-" + std::to_string(i) + "/STP"},
                                           {"subject", "Văn bản đến qua hai máy chủ"}});
        if (doc.status != 201) {
          ++refused;  // e.g. 502 from nginx for a request the killed server held
          continue;
        }
        const Id id = doc.body.at("id").as_int64();
        auto reg = clerk.Post("/api/v1/documents/" + std::to_string(id) + "/actions/register",
                              json::object{});
        if (reg.status != 200) {
          ++refused;
          continue;
        }
        {
          std::lock_guard lock(mu);
          acknowledged.emplace_back(id, reg.body.at("arrival_number").as_int64());
        }
        if (++acked == 100 && !killed.exchange(true)) leader.Kill();
      }
    });
  }
  for (auto& c : clerks) c.join();
  std::cout << "acknowledged " << acked << " of " << kClerks * kEach << ", refused " << refused
            << " (the requests the killed server held)\n";
  ASSERT_TRUE(killed.load()) << "fewer than 100 registrations acknowledged; refused " << refused;
  // Requests in flight on the killed server fail; nginx sends the rest to
  // the survivor, so most still succeed.
  EXPECT_GT(acked.load(), kClerks * kEach / 2) << "refused " << refused;

  // The survivor took the sender over.
  EXPECT_TRUE(WaitFor([&] { return SenderLeads(survivor) == 1; }, 10)) << survivor.Log();

  // Every acknowledged registration is there, with its number, read
  // through nginx from the survivor.
  Client reader(nginx.port());
  ASSERT_TRUE(reader.Login("vanthu"));
  for (const auto& [id, number] : acknowledged) {
    auto r = reader.Get("/api/v1/documents/" + std::to_string(id));
    ASSERT_EQ(r.status, 200) << "acknowledged document " << id << " lost";
    EXPECT_EQ(r.body.at("arrival_number").as_int64(), number) << id;
  }
  // The book is gap-free and holds each number once, including those of
  // registrations whose answer the kill cut off.
  ASSERT_FALSE(acknowledged.empty());
  const std::multiset<Id> booked = IncomingBookNumbers(reader, acknowledged.front().first);
  ASSERT_FALSE(booked.empty());
  EXPECT_EQ(*booked.begin(), 1);
  EXPECT_EQ(*booked.rbegin(), static_cast<Id>(booked.size())) << "a gap or a repeat";
  for (Id n : booked) EXPECT_EQ(booked.count(n), 1u) << n;
  for (const auto& [id, number] : acknowledged) EXPECT_EQ(booked.count(number), 1u) << number;
}

}  // namespace
}  // namespace chancery::testing
