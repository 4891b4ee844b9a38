#include "core/lunar.h"

#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <complex>

namespace chancery {
namespace lunar_internal {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kJ2000 = 2451545.0;        // 2000-01-01 12:00 TT
constexpr double kUnixEpochJd = 2440587.5;  // 1970-01-01 00:00 UT
constexpr double kZoneDays = 7.0 / 24.0;    // UTC+07:00
constexpr double kSynodicMonth = 29.530588861;

// An angle in degrees reduced to [0, 360) and converted to radians; reducing
// in degrees keeps large multiples of k exact enough and libm on its fast path.
double Radians(double deg) { return (deg - 360.0 * std::floor(deg / 360.0)) * (kPi / 180.0); }
double SinDeg(double deg) { return std::sin(Radians(deg)); }
std::complex<double> Unit(double deg) { return std::polar(1.0, Radians(deg)); }

double DeltaTDays(double jd) {
  return DeltaTSeconds(2000.0 + (jd - kJ2000) / 365.25) / 86400.0;
}

}  // namespace

double NewMoonJde(long k) {
  const double kk = static_cast<double>(k);
  const double t = kk / 1236.85;  // Julian centuries from J2000
  const double t2 = t * t;
  const double t3 = t2 * t;
  const double t4 = t3 * t;

  const double jde = 2451550.09766 + kSynodicMonth * kk + 0.00015437 * t2 -
                     0.000000150 * t3 + 0.00000000073 * t4;

  const double e = 1.0 - 0.002516 * t - 0.0000074 * t2;  // eccentricity factor
  const double m = 2.5534 + 29.10535670 * kk - 0.0000014 * t2 - 0.00000011 * t3;  // sun anomaly
  const double mp = 201.5643 + 385.81693528 * kk + 0.0107582 * t2 + 0.00001238 * t3 -
                    0.000000058 * t4;  // moon anomaly
  const double f = 160.7108 + 390.67050284 * kk - 0.0016118 * t2 - 0.00000227 * t3 +
                   0.000000011 * t4;  // moon's argument of latitude
  const double om = 124.7746 - 1.56375588 * kk + 0.0020672 * t2 + 0.00000215 * t3;  // node

  // The periodic terms are sines of integer combinations a·M' + b·M + c·2F;
  // build them from three unit complex numbers instead of 25 calls to sin.
  const std::complex<double> zmp = Unit(mp), zm = Unit(m), zf = Unit(2 * f);
  const std::complex<double> zmp2 = zmp * zmp, zmp3 = zmp2 * zmp, zm2 = zm * zm;
  auto s = [](std::complex<double> z) { return z.imag(); };
  auto conj = [](std::complex<double> z) { return std::conj(z); };

  double c = -0.40720 * s(zmp) + 0.17241 * e * s(zm) + 0.01608 * s(zmp2) + 0.01039 * s(zf) +
             0.00739 * e * s(zmp * conj(zm)) - 0.00514 * e * s(zmp * zm) +
             0.00208 * e * e * s(zm2) - 0.00111 * s(zmp * conj(zf)) - 0.00057 * s(zmp * zf) +
             0.00056 * e * s(zmp2 * zm) - 0.00042 * s(zmp3) + 0.00042 * e * s(zm * zf) +
             0.00038 * e * s(zm * conj(zf)) - 0.00024 * e * s(zmp2 * conj(zm)) -
             0.00017 * SinDeg(om) - 0.00007 * s(zmp * zm2) + 0.00004 * s(zmp2 * conj(zf)) +
             0.00004 * s(zm2 * zm) + 0.00003 * s(zmp * zm * conj(zf)) +
             0.00003 * s(zmp2 * zf) - 0.00003 * s(zmp * zm * zf) +
             0.00003 * s(zmp * conj(zm) * zf) - 0.00002 * s(zmp * conj(zm) * conj(zf)) -
             0.00002 * s(zmp3 * zm) + 0.00002 * s(zmp2 * zmp2);

  // Planetary perturbations.
  struct Term {
    double coeff, a0, rate;
  };
  static constexpr Term kPlanetary[] = {
      {0.000325, 299.77, 0.107408}, {0.000165, 251.88, 0.016321}, {0.000164, 251.83, 26.651886},
      {0.000126, 349.42, 36.412478}, {0.000110, 84.66, 18.206239}, {0.000062, 141.74, 53.303771},
      {0.000060, 207.14, 2.453732},  {0.000056, 154.84, 7.306860}, {0.000047, 34.52, 27.261239},
      {0.000042, 207.19, 0.121824},  {0.000040, 291.34, 1.844379}, {0.000037, 161.72, 24.198154},
      {0.000035, 239.56, 25.513099}, {0.000023, 331.55, 3.592518},
  };
  for (const Term& p : kPlanetary) {
    double arg = p.a0 + p.rate * kk;
    if (&p == &kPlanetary[0]) arg -= 0.009173 * t2;  // A1 has a secular term
    c += p.coeff * SinDeg(arg);
  }
  return jde + c;
}

double DeltaTSeconds(double y) {
  // Espenak & Meeus (NASA Five Millennium Canon), piecewise polynomials.
  if (y < 1860 || y >= 2150) {
    const double u = (y - 1820) / 100;
    return -20 + 32 * u * u;
  }
  if (y < 1900) {
    const double t = y - 1860;
    return 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * t * t * t -
           0.0004473624 * t * t * t * t + t * t * t * t * t / 233174;
  }
  if (y < 1920) {
    const double t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
           0.000197 * t * t * t * t;
  }
  if (y < 1941) {
    const double t = y - 1920;
    return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
  }
  if (y < 1961) {
    const double t = y - 1950;
    return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
  }
  if (y < 1986) {
    const double t = y - 1975;
    return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
  }
  if (y < 2005) {
    const double t = y - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
           0.000651814 * t * t * t * t + 0.00002373599 * t * t * t * t * t;
  }
  if (y < 2050) {
    const double t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t * t;
  }
  const double u = (y - 1820) / 100;
  return -20 + 32 * u * u - 0.5628 * (2150 - y);
}

double SunApparentLongitude(double jde) {
  const double t = (jde - kJ2000) / 36525.0;
  const double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;  // mean longitude
  const double m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;  // mean anomaly
  const double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * SinDeg(m) +
                   (0.019993 - 0.000101 * t) * SinDeg(2 * m) + 0.000289 * SinDeg(3 * m);
  const double omega = 125.04 - 1934.136 * t;
  double lambda = l0 + c - 0.00569 - 0.00478 * SinDeg(omega);  // nutation and aberration
  lambda = std::fmod(lambda, 360.0);
  if (lambda < 0) lambda += 360.0;
  return lambda;
}

long NewMoonDay(long k) {
  const double jde = NewMoonJde(k);
  const double jd_ut = jde - DeltaTDays(jde);
  return static_cast<long>(std::floor(jd_ut + 0.5 + kZoneDays)) -
         static_cast<long>(kUnixEpochJd + 0.5);
}

}  // namespace lunar_internal

namespace {

long DayNumber(Date d) { return d.time_since_epoch().count(); }
Date FromDayNumber(long n) { return Date{std::chrono::days{n}}; }

// The sun's apparent longitude at 00:00 (UTC+07:00) of day `day`.
double SunLongitudeAtStartOf(long day) {
  const double jd_ut = static_cast<double>(day) + 2440587.5 - 7.0 / 24.0;
  const double year = 2000.0 + (jd_ut - 2451545.0) / 365.25;
  return lunar_internal::SunApparentLongitude(jd_ut +
                                              lunar_internal::DeltaTSeconds(year) / 86400.0);
}

// Which 30° sector of longitude the sun is in when day `day` begins.
int SunSectorAtStartOf(long day) { return static_cast<int>(SunLongitudeAtStartOf(day) / 30.0); }

// The start days of the lunar months near one date, memoized for the duration
// of one conversion (a conversion asks for the same new moons several times).
class MonthStarts {
 public:
  explicit MonthStarts(long day)
      : base_(static_cast<long>(std::floor((static_cast<double>(day) - 10962.0) / 29.530588861)) -
              kSize / 2) {
    // Day 10962 is 2000-01-06, the day of new moon 0.
    day_.fill(kUnknown);
  }

  // The civil day on which month k (new moon number k) begins.
  long Start(long k) {
    const long i = k - base_;
    if (i < 0 || i >= kSize) return lunar_internal::NewMoonDay(k);
    if (day_[i] == kUnknown) day_[i] = lunar_internal::NewMoonDay(k);
    return day_[i];
  }

  // The new moon number of the month that contains `day`.
  long Containing(long day) {
    long k = static_cast<long>(std::floor((static_cast<double>(day) - 10962.0) / 29.530588861));
    while (Start(k) > day) --k;
    while (Start(k + 1) <= day) ++k;
    return k;
  }

  // Month 11: the month containing the day on which the sun reaches 270°
  // (the December solstice) in Gregorian year `gy`.
  long Month11(int gy) {
    using namespace std::chrono;
    long d = DayNumber(sys_days{year{gy} / December / 21});
    while (SunLongitudeAtStartOf(d) >= 270.0) --d;
    while (SunLongitudeAtStartOf(d + 1) < 270.0) ++d;
    return Containing(d);
  }

  // In the 13-month period starting at month 11 = `k11`, the offset (1..12)
  // of the leap month if it is <= `limit`, else 0. The leap month is the first
  // in which the sun enters no new 30° sector, so only months up to `limit`
  // need to be examined.
  int LeapOffsetUpTo(long k11, int limit) {
    int sector = SunSectorAtStartOf(Start(k11 + 1));
    for (int j = 1; j <= limit && j <= 12; ++j) {
      const int next = SunSectorAtStartOf(Start(k11 + j + 1));
      if (next == sector) return j;
      sector = next;
    }
    return 0;
  }

 private:
  static constexpr long kSize = 48;
  static constexpr long kUnknown = std::numeric_limits<long>::min();
  long base_;
  std::array<long, kSize> day_;
};

}  // namespace

LunarDate ToLunar(Date d) {
  using namespace std::chrono;
  const long day = DayNumber(d);
  const int gy = static_cast<int>(year_month_day{d}.year());
  MonthStarts starts(day);

  const long k11_this = starts.Month11(gy);
  long a = 0, b = 0;
  int base = 0;  // the Gregorian year in which month 11 of this period begins
  if (starts.Start(k11_this) <= day) {
    a = k11_this;
    b = starts.Month11(gy + 1);
    base = gy;
  } else {
    a = starts.Month11(gy - 1);
    b = k11_this;
    base = gy - 1;
  }
  const long k = starts.Containing(day);
  const int i = static_cast<int>(k - a);  // 0 = month 11

  int idx = i;  // position in the sequence 11, 12, 1, ..., 10 (leap month removed)
  bool leap = false;
  if (b - a == 13) {
    const int l = starts.LeapOffsetUpTo(a, i);
    if (l != 0) {
      idx = i - 1;
      leap = (i == l);
    }
  }
  LunarDate out;
  out.month = (idx + 10) % 12 + 1;
  out.year = idx < 2 ? base : base + 1;
  out.day = static_cast<int>(day - starts.Start(k)) + 1;
  out.leap = leap;
  return out;
}

std::optional<Date> FromLunar(LunarDate l) {
  using namespace std::chrono;
  if (l.month < 1 || l.month > 12 || l.day < 1 || l.day > 30) return std::nullopt;
  if (l.year <= static_cast<int>(year::min()) + 1 || l.year >= static_cast<int>(year::max())) {
    return std::nullopt;
  }
  const int base = l.month >= 11 ? l.year : l.year - 1;
  const int off = l.month >= 11 ? l.month - 11 : l.month + 1;  // 0 = month 11
  MonthStarts starts(DayNumber(sys_days{year{base} / December / 21}));
  const long a = starts.Month11(base);
  const long b = starts.Month11(base + 1);

  int idx = off;
  if (b - a == 13) {
    const int lp = starts.LeapOffsetUpTo(a, off + 1);
    if (l.leap && lp != off + 1) return std::nullopt;
    if (lp != 0 && (lp <= off || l.leap)) idx = off + 1;
  } else if (l.leap) {
    return std::nullopt;
  }
  const long start = starts.Start(a + idx);
  const long length = starts.Start(a + idx + 1) - start;
  if (l.day > length) return std::nullopt;
  return FromDayNumber(start + l.day - 1);
}

}  // namespace chancery
