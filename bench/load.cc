// chancery-bench-load: a keep-alive, multi-connection HTTP load client for
// bench/run.sh. Every response's status is checked; errors are counted and
// make the exit code non-zero.
//
//   chancery-bench-load create-register --port P --connections C --seconds S
//   chancery-bench-load read --port P --connections C --seconds S --path /x [--user U]
//   chancery-bench-load latency --port P --requests N --path /x --user U
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "lib/http/client.h"

namespace {

using Clock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;
namespace json = boost::json;

std::string Login(chancery::http::HttpClient& c, const std::string& user) {
  auto r = c.Send("POST", "/api/v1/auth/login",
                  json::serialize(json::object{
                      {"username", user}, {"password", "Chancery@2026"}, {"kind", "bearer"}}),
                  {{"Content-Type", "application/json"}});
  if (!r.ok() || r->status != 200) {
    std::cerr << "login failed for " << user << "\n";
    std::exit(2);
  }
  return std::string(json::parse(r->body).at("token").as_string());
}

struct Totals {
  std::atomic<long> ops{0};
  std::atomic<long> errors{0};
};

// Runs `op` on `connections` threads for `seconds`; prints ops/s.
template <typename Op>
int RunFor(int connections, double seconds, const char* label, Op op) {
  Totals totals;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&, i] { op(i, stop, totals); });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%s connections=%d ops=%ld errors=%ld seconds=%.2f ops_per_s=%.1f\n", label,
              connections, totals.ops.load(), totals.errors.load(), elapsed,
              totals.ops.load() / elapsed);
  return totals.errors.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"HTTP load for Chancery benchmarks"};
  app.require_subcommand(1);
  int port = 8080, connections = 16, requests = 200, users = 1;
  double seconds = 10;
  std::string path, user;
  auto common = [&](CLI::App* c) {
    c->add_option("--port", port)->required();
    c->add_option("--connections", connections);
    c->add_option("--seconds", seconds);
    c->add_option("--requests", requests);
    c->add_option("--path", path);
    c->add_option("--user", user);
  };
  auto* create = app.add_subcommand("create-register", "POST incoming + register, as vanthu");
  auto* read = app.add_subcommand("read", "GET --path repeatedly");
  auto* latency = app.add_subcommand(
      "latency", "GET --path sequentially, by --users people at once; percentiles of all");
  common(create);
  common(read);
  common(latency);
  latency->add_option("--users", users, "people asking at once, each on its own connection");
  CLI11_PARSE(app, argc, argv);

  // Log in once, before the clock starts: a login costs an argon2id hash.
  std::string token;
  if (*create || !user.empty()) {
    chancery::http::HttpClient c("127.0.0.1", static_cast<std::uint16_t>(port));
    token = Login(c, *create ? "vanthu" : user);
  }
  if (*create) {
    // Number/symbols never seen before on this node (a repeated one is
    // refused as a duplicate): this run's start in ms, the connection, n.
    const std::string run = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
    return RunFor(connections, seconds, "create-register", [&](int i, auto& stop, Totals& t) {
      chancery::http::HttpClient c("127.0.0.1", static_cast<std::uint16_t>(port));
      const Headers h{{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
      for (long n = 0; !stop; ++n) {
        const std::string body = json::serialize(
            json::object{{"issuer_name", "Sở Nội vụ tỉnh Bắc Ninh"},
                         {"original_number_symbol",
                          run + "." + std::to_string(i) + "." + std::to_string(n) + "/SNV-VP"},
                         {"subject", "Về việc hướng dẫn quy trình lập hồ sơ điện tử năm 2026"}});
        auto r = c.Send("POST", "/api/v1/documents/incoming", body, h);
        if (!r.ok() || r->status != 201) {
          ++t.errors;
          continue;
        }
        const std::string id = std::to_string(json::parse(r->body).at("id").as_int64());
        auto reg = c.Send("POST", "/api/v1/documents/" + id + "/actions/register", "{}", h);
        if (!reg.ok() || reg->status != 200) {
          ++t.errors;
          continue;
        }
        ++t.ops;
      }
    });
  }
  if (*read) {
    return RunFor(connections, seconds, "read", [&](int, auto& stop, Totals& t) {
      chancery::http::HttpClient c("127.0.0.1", static_cast<std::uint16_t>(port));
      Headers h;
      if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
      while (!stop) {
        auto r = c.Send("GET", path, {}, h);
        if (!r.ok() || r->status != 200) {
          ++t.errors;
          continue;
        }
        ++t.ops;
      }
    });
  }
  // latency: each user in turn asks `requests` times on its own connection.
  Headers h;
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  std::vector<double> ms;
  std::atomic<long> errors{0};
  std::atomic<std::size_t> bytes{0};
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int u = 0; u < std::max(1, users); ++u) {
    threads.emplace_back([&] {
      chancery::http::HttpClient c("127.0.0.1", static_cast<std::uint16_t>(port));
      std::vector<double> mine;
      for (int i = 0; i < requests; ++i) {
        const auto t0 = Clock::now();
        auto r = c.Send("GET", path, {}, h);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!r.ok() || r->status != 200) {
          ++errors;
        } else {
          bytes = r->body.size();
        }
      }
      std::lock_guard lock(mu);
      ms.insert(ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[std::min(ms.size() - 1, std::size_t(p * ms.size()))]; };
  std::printf(
      "latency path=%s users=%d requests=%zu errors=%ld bytes=%zu p50_ms=%.2f p99_ms=%.2f "
      "max_ms=%.2f\n",
      path.c_str(), std::max(1, users), ms.size(), errors.load(), bytes.load(), pct(0.50),
      pct(0.99), ms.back());
  return errors == 0 ? 0 : 1;
}
