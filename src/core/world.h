// The outside world as seen by core and services: time and randomness.
//
// Everything that reads the clock or draws random bytes receives one of these
// at construction, so tests can pin time (a document registered "on 31
// December at 23:59 +07:00") and make tokens deterministic. Implementations
// must be safe to call from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace chancery {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;
using Date = std::chrono::sys_days;  // a civil date, no time zone attached

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with `n` cryptographically strong random bytes.
  virtual void Fill(unsigned char* out, std::size_t n) = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// The system clock moved by a fixed offset: a node started with
// CHANCERY_CLOCK_START runs from that instant on (tests at 23:30 and 00:30
// Vietnam time); otherwise the offset is zero.
class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(std::chrono::microseconds offset = {}) : offset_(offset) {}
  Timestamp Now() const override;
  void set_offset(std::chrono::microseconds offset) { offset_ = offset; }

 private:
  std::chrono::microseconds offset_;
};

// OpenSSL's RAND_bytes.
class SystemRandom final : public Random {
 public:
  void Fill(unsigned char* out, std::size_t n) override;
};

// A clock that stands still until told to move; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp t) : now_(t) {}
  Timestamp Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Set(Timestamp t) {
    std::lock_guard lock(mu_);
    now_ = t;
  }
  void Advance(std::chrono::microseconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  Timestamp now_;
};

// Vietnam has used UTC+07:00 without daylight saving since 1975.
inline constexpr std::chrono::hours kVietnamOffset{7};

// The civil date in Vietnam at instant `t`.
Date VietnamDate(Timestamp t);
// The instant day `d` begins in Vietnam (its 00:00 +07:00).
inline Timestamp VietnamDayStart(Date d) { return Timestamp(d) - kVietnamOffset; }

// "2026-11-22T09:30:00.000000Z" and back; ISO 8601 date "2026-11-22" and back.
std::string FormatTimestamp(Timestamp t);
bool ParseTimestamp(std::string_view s, Timestamp* out);
std::string FormatDate(Date d);
// "22/11/2026": a day as people in Vietnam write it (register books, remarks).
std::string FormatDayMonthYear(Date d);
bool ParseDate(std::string_view s, Date* out);
// "2026-11-22T16:30:00+07:00": what people in Vietnam read.
std::string FormatVietnamTime(Timestamp t);

// Lower-case hex of `n` random bytes.
std::string RandomHex(Random& random, std::size_t n);

}  // namespace chancery
