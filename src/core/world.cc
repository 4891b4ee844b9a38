#include "core/world.h"

#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>

namespace chancery {

using namespace std::chrono;

Timestamp SystemClock::Now() const { return time_point_cast<microseconds>(system_clock::now()); }

Timestamp ShiftedClock::Now() const {
  return time_point_cast<microseconds>(system_clock::now()) + offset_;
}

void SystemRandom::Fill(unsigned char* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    // Without randomness no session token is safe; there is no way to go on.
    std::abort();
  }
}

Date VietnamDate(Timestamp t) { return floor<days>(t + kVietnamOffset); }

std::string FormatTimestamp(Timestamp t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss tod{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%06ldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(tod.hours().count()),
                static_cast<long>(tod.minutes().count()), static_cast<long>(tod.seconds().count()),
                static_cast<long>(tod.subseconds().count()));
  return buf;
}

std::string FormatVietnamTime(Timestamp t) {
  const auto local = t + kVietnamOffset;
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss tod{floor<seconds>(local - day)};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld+07:00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(tod.hours().count()),
                static_cast<long>(tod.minutes().count()), static_cast<long>(tod.seconds().count()));
  return buf;
}

bool ParseTimestamp(std::string_view s, Timestamp* out) {
  int y, mo, d, h, mi, sec;
  long frac = 0;
  char z = 0;
  std::string str(s);
  int n =
      std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6ldZ", &y, &mo, &d, &h, &mi, &sec, &frac);
  if (n == 7) {
    z = 'Z';
  } else if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec,
                         &z) != 7 ||
             z != 'Z') {
    return false;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return false;
  *out = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + microseconds{frac};
  return true;
}

std::string FormatDate(Date d) {
  const year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string FormatDayMonthYear(Date d) {
  const year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()));
  return buf;
}

bool ParseDate(std::string_view s, Date* out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const year_month_day ymd{year{num(0, 4)}, month{static_cast<unsigned>(num(5, 2))},
                           day{static_cast<unsigned>(num(8, 2))}};
  if (!ymd.ok()) return false;
  *out = sys_days{ymd};
  return true;
}

std::string RandomHex(Random& random, std::size_t n) {
  std::string bytes(n, '\0');
  random.Fill(reinterpret_cast<unsigned char*>(bytes.data()), n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace chancery
