// The Vietnamese lunisolar calendar (âm lịch) and its conversion to and from
// the Gregorian calendar.
//
// Computed, not tabulated: a lunar month begins on the civil day (at UTC+07:00)
// of a new moon; month 11 is the month that contains the December solstice;
// when 13 new moons separate two months 11, the first month after month 11
// in which the sun enters no new 30° sector of longitude (no major solar term,
// trung khí) is the leap month and takes the number of the month before it.
// New moons follow Meeus, "Astronomical Algorithms", ch. 49 (with the
// planetary corrections); the sun's apparent longitude follows ch. 25 (low
// accuracy, about 0.01°); ΔT follows the Espenak–Meeus polynomials.
//
// Validity: every month start of 1900–2100 agrees with one computed from an
// independent ephemeris (PyEphem), except 1967-07-08, a new moon within
// seconds of midnight. The UTC+07:00 meridian is used for every year, as the
// Vietnamese calendar has since 1968; almanacs of the South before 1975 used
// UTC+08:00 and differ on a few dates (e.g. Tết 1968), which is not modelled.
//
// All functions are pure and may be called from any thread. They do a few
// dozen trigonometric series per call (microseconds); callers that convert
// many dates in a loop should cache per year (WorkCalendar does).
#pragma once

#include <optional>

#include "core/world.h"

namespace chancery {

struct LunarDate {
  int year = 0;       // the lunar year, named by the Gregorian year its Tết falls in
  int month = 1;      // 1..12
  int day = 1;        // 1..30
  bool leap = false;  // tháng nhuận: the repeated month

  friend bool operator==(const LunarDate&, const LunarDate&) = default;
};

// The lunar date of the civil day `d` in Vietnam.
LunarDate ToLunar(Date d);

// The civil day of lunar date `l`; nullopt if it does not exist (month outside
// 1..12, day 30 of a 29-day month, a leap month in a year that does not repeat
// that month, ...).
std::optional<Date> FromLunar(LunarDate l);

// Exposed for tests and for anyone who wants the underlying astronomy.
namespace lunar_internal {

// Julian Ephemeris Day (TT) of the true new moon number `k`, counted from the
// new moon of 6 January 2000 (k = 0).
double NewMoonJde(long k);

// ΔT = TT − UT in seconds, for the decimal year `year`.
double DeltaTSeconds(double year);

// Apparent geocentric ecliptic longitude of the sun, in degrees in [0, 360),
// at Julian Ephemeris Day `jde`.
double SunApparentLongitude(double jde);

// The civil day in Vietnam (UTC+07:00) of new moon `k`, as days since
// 1970-01-01.
long NewMoonDay(long k);

}  // namespace lunar_internal
}  // namespace chancery
