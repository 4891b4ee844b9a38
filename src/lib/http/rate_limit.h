// A token bucket per key (a client address): `rate` requests a second on
// average, bursts up to `burst`. Thread-safe; the map is bounded, so many
// addresses cannot grow it without limit (it starts afresh past the bound).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace chancery::http {

class RateLimiter {
 public:
  RateLimiter(double rate, double burst, std::size_t max_keys = 10000)
      : rate_(rate), burst_(burst), max_keys_(max_keys) {}

  // Takes one token for `key` at `now`; false when its bucket is empty.
  bool Allow(const std::string& key,
             std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now()) {
    std::lock_guard lock(mu_);
    if (buckets_.size() >= max_keys_ && !buckets_.count(key)) buckets_.clear();
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
      const std::chrono::duration<double> elapsed = now - b.at;
      b.tokens = std::min(burst_, b.tokens + elapsed.count() * rate_);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  std::mutex mu_;
  double rate_, burst_;
  std::size_t max_keys_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace chancery::http
