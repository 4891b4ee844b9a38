#include "core/lunar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

namespace chancery {
namespace {

using namespace std::chrono;

Date D(int y, unsigned m, unsigned d) { return sys_days{year{y} / month{m} / day{d}}; }

void ExpectLunar(Date d, LunarDate want) {
  LunarDate got = ToLunar(d);
  EXPECT_EQ(got, want) << FormatDate(d) << " gave " << got.day << "/" << got.month
                       << (got.leap ? "L" : "") << "/" << got.year;
  std::optional<Date> back = FromLunar(want);
  ASSERT_TRUE(back.has_value()) << FormatDate(d);
  EXPECT_EQ(*back, d) << FormatDate(*back);
}

TEST(Lunar, TetNguyenDan) {
  ExpectLunar(D(2020, 1, 25), {2020, 1, 1, false});
  ExpectLunar(D(2023, 1, 22), {2023, 1, 1, false});
  ExpectLunar(D(2024, 2, 10), {2024, 1, 1, false});
  ExpectLunar(D(2025, 1, 29), {2025, 1, 1, false});
  ExpectLunar(D(2026, 2, 17), {2026, 1, 1, false});
  ExpectLunar(D(2027, 2, 6), {2027, 1, 1, false});
}

TEST(Lunar, TetWhereVietnamAndChinaDiffer) {
  // The UTC+07:00 meridian puts these new moons a day (or a month) earlier
  // than the Chinese calendar at UTC+08:00.
  ExpectLunar(D(1968, 1, 29), {1968, 1, 1, false});  // China: 30 Jan
  ExpectLunar(D(1985, 1, 21), {1985, 1, 1, false});  // China: 20 Feb
  ExpectLunar(D(2007, 2, 17), {2007, 1, 1, false});  // China: 18 Feb
}

TEST(Lunar, HungKingsCommemoration) {
  ExpectLunar(D(2024, 4, 18), {2024, 3, 10, false});
  ExpectLunar(D(2025, 4, 7), {2025, 3, 10, false});
  ExpectLunar(D(2026, 4, 26), {2026, 3, 10, false});
}

TEST(Lunar, LeapMonths) {
  ExpectLunar(D(2023, 3, 22), {2023, 2, 1, true});
  ExpectLunar(D(2023, 2, 20), {2023, 2, 1, false});
  ExpectLunar(D(2025, 7, 25), {2025, 6, 1, true});
  ExpectLunar(D(2025, 6, 25), {2025, 6, 1, false});
  // No leap month 2 in 2024, no leap month 5 in 2025.
  EXPECT_FALSE(FromLunar({2024, 2, 1, true}).has_value());
  EXPECT_FALSE(FromLunar({2025, 5, 1, true}).has_value());
}

TEST(Lunar, MonthTwelveBeforeTetBelongsToPreviousYear) {
  ExpectLunar(D(2024, 2, 9), {2023, 12, 30, false});
  ExpectLunar(D(2023, 12, 31), {2023, 11, 19, false});
  // Tết Ất Tỵ 2025 had no "30 Tết": month 12 of Giáp Thìn had 29 days.
  ExpectLunar(D(2025, 1, 28), {2024, 12, 29, false});
  EXPECT_FALSE(FromLunar({2024, 12, 30, false}).has_value());
}

TEST(Lunar, RejectsImpossibleDates) {
  EXPECT_FALSE(FromLunar({2025, 0, 1, false}).has_value());
  EXPECT_FALSE(FromLunar({2025, 13, 1, false}).has_value());
  EXPECT_FALSE(FromLunar({2025, 1, 0, false}).has_value());
  EXPECT_FALSE(FromLunar({2025, 1, 31, false}).has_value());
}

TEST(Lunar, MeeusWorkedExamples) {
  // Astronomical Algorithms, example 49.a: the new moon of 1977 February.
  EXPECT_NEAR(lunar_internal::NewMoonJde(-283), 2443192.65118, 0.00002);
  // Example 25.a: the sun on 1992 October 13.0 TD.
  EXPECT_NEAR(lunar_internal::SunApparentLongitude(2448908.5), 199.90895, 0.0005);
  EXPECT_NEAR(lunar_internal::DeltaTSeconds(2000.0), 63.86, 0.01);
}

TEST(Lunar, SolsticeAndNewMoonInstants) {
  // December solstice 2024: 21 Dec 09:20 UTC; the sun crosses 270° then.
  const double jd = 2460665.5 + (9.0 + 20.0 / 60) / 24;  // 2024-12-21 09:20 UT
  const double jde = jd + lunar_internal::DeltaTSeconds(2024.97) / 86400;
  EXPECT_NEAR(lunar_internal::SunApparentLongitude(jde), 270.0, 0.01);
  // New moon of 2024-01-11 11:57 UTC is new moon number 297.
  EXPECT_NEAR(lunar_internal::NewMoonJde(297) - lunar_internal::DeltaTSeconds(2024.03) / 86400,
              2460320.5 + (11.0 + 57.0 / 60) / 24, 2.0 / 1440);
  EXPECT_EQ(FormatDate(Date{days{lunar_internal::NewMoonDay(297)}}), "2024-01-11");
}

// Every day from 1900 to 2100 converts to a lunar date and back, and
// consecutive days step through the lunar calendar one day at a time.
TEST(Lunar, RoundTripEveryDay1900To2100) {
  const Date first = D(1900, 1, 1);
  const Date last = D(2100, 12, 31);
  LunarDate prev = ToLunar(first - days{1});
  int leap_months = 0;
  int months = 0;
  for (Date d = first; d <= last; d += days{1}) {
    const LunarDate l = ToLunar(d);
    std::optional<Date> back = FromLunar(l);
    ASSERT_TRUE(back.has_value()) << FormatDate(d);
    ASSERT_EQ(*back, d) << FormatDate(d);
    if (l.day == 1) {
      ASSERT_TRUE(prev.day == 29 || prev.day == 30) << FormatDate(d);
      ++months;
      if (l.leap) {
        ++leap_months;
        ASSERT_EQ(l.month, prev.month) << FormatDate(d);
        ASSERT_FALSE(prev.leap);
      } else {
        ASSERT_EQ(l.month, prev.month % 12 + 1) << FormatDate(d);
        ASSERT_EQ(l.year, prev.year + (l.month == 1 ? 1 : 0)) << FormatDate(d);
      }
      if (prev.day == 29) {
        ASSERT_FALSE(FromLunar({prev.year, prev.month, 30, prev.leap}));
      }
    } else {
      ASSERT_EQ(l.day, prev.day + 1) << FormatDate(d);
      ASSERT_EQ(l.month, prev.month);
      ASSERT_EQ(l.leap, prev.leap);
      ASSERT_EQ(l.year, prev.year);
    }
    prev = l;
  }
  // 7 leap months every 19 years: about 74 in 201 years.
  EXPECT_GE(leap_months, 72);
  EXPECT_LE(leap_months, 76);
  EXPECT_NEAR(months, 201 * 365.2425 / 29.530589, 2);
}

}  // namespace
}  // namespace chancery
