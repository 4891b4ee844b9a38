#include "core/calendar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace chancery {
namespace {

using namespace std::chrono;

Date D(int y, unsigned m, unsigned d) { return sys_days{year{y} / month{m} / day{d}}; }

std::vector<std::string> HolidayDates(const std::vector<Holiday>& hs) {
  std::vector<std::string> out;
  for (const Holiday& h : hs) out.push_back(FormatDate(h.date));
  return out;
}

TEST(WorkCalendar, Holidays2025) {
  WorkCalendar cal;
  std::vector<Holiday> hs = cal.Holidays(2025);
  EXPECT_EQ(HolidayDates(hs),
            (std::vector<std::string>{"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30",
                                      "2025-01-31", "2025-02-01", "2025-02-03", "2025-04-07",
                                      "2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02"}));
  // Tết's fifth day is a Saturday: Monday 3 February is the compensatory day.
  EXPECT_EQ(hs[6].name_vi, "Nghỉ bù Tết Nguyên đán (mùng 4)");
  EXPECT_EQ(hs[7].name_vi, "Giỗ Tổ Hùng Vương");
  EXPECT_EQ(hs[7].name_en, "Hung Kings' Commemoration Day");
  EXPECT_FALSE(cal.IsWorkingDay(D(2025, 4, 30)));
  EXPECT_FALSE(cal.IsWorkingDay(D(2025, 5, 1)));
  EXPECT_TRUE(cal.IsWorkingDay(D(2025, 5, 2)));
  EXPECT_FALSE(cal.IsWorkingDay(D(2025, 5, 3)));  // Saturday
  EXPECT_FALSE(cal.IsWorkingDay(D(2025, 9, 1)));
  EXPECT_TRUE(cal.IsWorkingDay(D(2025, 9, 3)));
}

TEST(WorkCalendar, Tet2026AndHungKingsOnSunday) {
  WorkCalendar cal;
  // Tết Bính Ngọ: 16 (last day of Ất Tỵ) to 20 February, Monday to Friday,
  // so with the weekends around it nine days in a row are off.
  for (Date d = D(2026, 2, 14); d <= D(2026, 2, 22); d += days{1}) {
    EXPECT_FALSE(cal.IsWorkingDay(d)) << FormatDate(d);
  }
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 2, 13)));
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 2, 23)));
  // Giỗ Tổ 2026 is Sunday 26 April: Monday 27 April is nghỉ bù.
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 4, 27)));
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 4, 28)));
  EXPECT_EQ(cal.Holidays(2026).size(), 12u);
}

TEST(WorkCalendar, CompensatoryDaysQueueUp) {
  WorkCalendar cal;
  // 2023: Giỗ Tổ on Saturday 29 April, 30 April a Sunday, 1 May Monday:
  // compensatory days on Tuesday 2 and Wednesday 3 May.
  EXPECT_FALSE(cal.IsWorkingDay(D(2023, 5, 2)));
  EXPECT_FALSE(cal.IsWorkingDay(D(2023, 5, 3)));
  EXPECT_TRUE(cal.IsWorkingDay(D(2023, 5, 4)));
  // 2022: 1 January a Saturday, compensated on Monday 3 January.
  EXPECT_FALSE(cal.IsWorkingDay(D(2022, 1, 3)));
  EXPECT_TRUE(cal.IsWorkingDay(D(2022, 1, 4)));
}

TEST(WorkCalendar, AddWorkingDaysAcrossTet) {
  WorkCalendar cal;
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 2, 13), 1), D(2026, 2, 23));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 2, 12), 5), D(2026, 2, 26));
  EXPECT_EQ(cal.WorkingDaysBetween(D(2026, 2, 12), D(2026, 2, 26)), 5);
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 2, 23), -1), D(2026, 2, 13));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 2, 18), -1), D(2026, 2, 13));
  // A dossier received on Tết's eve with a 15-working-day deadline.
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 2, 16), 15), D(2026, 3, 13));
}

TEST(WorkCalendar, AddWorkingDaysBoundaries) {
  WorkCalendar cal;
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 6, 11), 0), D(2025, 6, 11));  // Wednesday
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 6, 14), 0), D(2025, 6, 16));  // Saturday -> Monday
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 4, 30), 0), D(2025, 5, 2));
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 6, 13), 1), D(2025, 6, 16));  // Friday -> Monday
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 6, 16), -1), D(2025, 6, 13));
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 6, 14), -1), D(2025, 6, 13));
  EXPECT_EQ(cal.AddWorkingDays(D(2025, 12, 31), 1), D(2026, 1, 2));  // over New Year
  EXPECT_EQ(cal.WorkingDaysBetween(D(2025, 6, 11), D(2025, 6, 11)), 0);
  EXPECT_EQ(cal.WorkingDaysBetween(D(2025, 6, 13), D(2025, 6, 15)), 0);
  EXPECT_EQ(cal.WorkingDaysBetween(D(2025, 6, 20), D(2025, 6, 13)), -5);
  EXPECT_EQ(cal.WorkingDaysBetween(D(2024, 12, 31), D(2025, 12, 31)), 250);
}

TEST(WorkCalendar, OverridesAddDaysOffAndWorkingSaturdays) {
  CalendarConfig config;
  // As announced for Tết 2025: Monday 27 January off, swapped for Saturday
  // 8 February; and Tuesday 4 February off as well for this test.
  YearOverride& y2025 = config.years[2025];
  y2025.extra_days_off = {D(2025, 1, 27), D(2025, 2, 4)};
  y2025.extra_working_days = {D(2025, 2, 8), D(2025, 2, 3)};
  Result<WorkCalendar> cal = WorkCalendar::Create(config);
  ASSERT_TRUE(cal.ok());
  EXPECT_FALSE(cal->IsWorkingDay(D(2025, 1, 27)));
  EXPECT_TRUE(cal->IsWorkingDay(D(2025, 2, 8)));   // a working Saturday
  EXPECT_TRUE(cal->IsWorkingDay(D(2025, 2, 3)));   // the nghỉ bù withdrawn
  EXPECT_FALSE(cal->IsWorkingDay(D(2025, 2, 4)));
  EXPECT_FALSE(cal->IsWorkingDay(D(2025, 2, 9)));  // Sunday still off
  std::vector<std::string> dates = HolidayDates(cal->Holidays(2025));
  EXPECT_EQ(std::count(dates.begin(), dates.end(), "2025-01-27"), 1);
  EXPECT_EQ(std::count(dates.begin(), dates.end(), "2025-02-03"), 0);
  EXPECT_EQ(cal->AddWorkingDays(D(2025, 1, 24), 1), D(2025, 2, 3));
  EXPECT_EQ(cal->WorkingDaysBetween(D(2025, 1, 24), D(2025, 2, 10)), 6);  // 3, 5-8, 10
  // 5, 6, 7, 8 (Saturday) and 10 February: the 5th working day after 3 February.
  EXPECT_EQ(cal->AddWorkingDays(D(2025, 2, 3), 5), D(2025, 2, 10));
  // Other years keep the defaults.
  EXPECT_FALSE(WorkCalendar().IsWorkingDay(D(2025, 2, 3)));
  EXPECT_FALSE(cal->IsWorkingDay(D(2026, 2, 16)));
}

TEST(WorkCalendar, ReplaceDefaults) {
  CalendarConfig config;
  config.years[2027].replace_defaults = true;
  config.years[2027].extra_days_off = {D(2027, 3, 3)};
  Result<WorkCalendar> cal = WorkCalendar::Create(config);
  ASSERT_TRUE(cal.ok());
  EXPECT_TRUE(cal->IsWorkingDay(D(2027, 1, 1)));  // a Friday, no longer a holiday
  EXPECT_FALSE(cal->IsWorkingDay(D(2027, 3, 3)));
  EXPECT_FALSE(cal->IsWorkingDay(D(2027, 1, 2)));  // weekends stay off
  ASSERT_EQ(cal->Holidays(2027).size(), 1u);
  EXPECT_FALSE(WorkCalendar().IsWorkingDay(D(2027, 1, 1)));
}

TEST(WorkCalendar, CreateRejectsInconsistentOverrides) {
  CalendarConfig wrong_year;
  wrong_year.years[2026].extra_days_off = {D(2025, 12, 31)};
  Result<WorkCalendar> a = WorkCalendar::Create(wrong_year);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(a.error().fields.size(), 1u);
  EXPECT_EQ(a.error().fields[0].field, "years.2026.extra_days_off[0]");
  EXPECT_EQ(a.error().fields[0].code, "wrong_year");

  CalendarConfig both;
  both.years[2026].extra_days_off = {D(2026, 3, 2)};
  both.years[2026].extra_working_days = {D(2026, 3, 2)};
  Result<WorkCalendar> b = WorkCalendar::Create(both);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().fields[0].code, "conflict");
}

TEST(WorkCalendar, YearsOutsideThePrecomputedRange) {
  WorkCalendar cal;
  // 2150-01-01 is a Thursday and a holiday; Friday the 2nd is a working day.
  EXPECT_FALSE(cal.IsWorkingDay(D(2150, 1, 1)));
  EXPECT_TRUE(cal.IsWorkingDay(D(2150, 1, 2)));
  EXPECT_EQ(cal.AddWorkingDays(D(2100, 12, 29), 3), D(2101, 1, 4));
  EXPECT_EQ(cal.WorkingDaysBetween(D(2100, 12, 29), D(2101, 1, 4)), 3);
  // An override far out extends the table; the answer must not change.
  CalendarConfig config;
  config.years[2150].extra_days_off = {D(2150, 1, 5)};
  Result<WorkCalendar> far = WorkCalendar::Create(config);
  ASSERT_TRUE(far.ok());
  EXPECT_TRUE(far->IsWorkingDay(D(2150, 1, 2)));
  EXPECT_FALSE(far->IsWorkingDay(D(2150, 1, 5)));
  EXPECT_EQ(far->WorkingDaysBetween(D(2149, 12, 31), D(2150, 1, 9)), 5);  // 2, 6-9
  EXPECT_EQ(cal.WorkingDaysBetween(D(1989, 12, 29), D(1990, 1, 3)),
            far->WorkingDaysBetween(D(1989, 12, 29), D(1990, 1, 3)));
}

// The fast paths (prefix sums inside the table) agree with day-by-day counting,
// and WorkingDaysBetween undoes AddWorkingDays.
TEST(WorkCalendar, BetweenIsTheInverseOfAdd) {
  WorkCalendar cal;
  for (Date s = D(1989, 12, 1); s <= D(2101, 2, 1); s += days{97}) {
    for (int n : {0, 1, 2, 5, 10, 30, 90, 400}) {
      const Date end = cal.AddWorkingDays(s, n);
      ASSERT_TRUE(cal.IsWorkingDay(end)) << FormatDate(s) << " +" << n;
      if (n > 0) {
        ASSERT_EQ(cal.WorkingDaysBetween(s, end), n) << FormatDate(s) << " +" << n;
        int brute = 0;
        for (Date d = s + days{1}; d <= end; d += days{1}) brute += cal.IsWorkingDay(d);
        ASSERT_EQ(brute, n) << FormatDate(s) << " +" << n;
        ASSERT_EQ(cal.WorkingDaysBetween(end, s), -n);
      }
      const Date back = cal.AddWorkingDays(s, -n);
      if (n > 0 && cal.IsWorkingDay(s)) {
        ASSERT_EQ(cal.WorkingDaysBetween(back, s), n) << FormatDate(s) << " -" << n;
      }
    }
  }
}

TEST(WorkCalendar, StatutoryDaysOffPerYear) {
  WorkCalendar cal;
  for (int y = 1990; y <= 2100; ++y) {
    int weekday_holidays = 0;
    for (const Holiday& h : cal.Holidays(y)) {
      const weekday w{h.date};
      if (w != Saturday && w != Sunday) ++weekday_holidays;
    }
    // 11 statutory holidays, each a weekday or compensated by one.
    ASSERT_EQ(weekday_holidays, 11) << y;
  }
}

TEST(WorkCalendar, ConcurrentReaders) {
  WorkCalendar cal;
  std::vector<std::thread> threads;
  std::vector<int> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cal, &results, t] {
      results[static_cast<std::size_t>(t)] =
          cal.WorkingDaysBetween(D(2024, 12, 31), cal.AddWorkingDays(D(2024, 12, 31), 250));
    });
  }
  for (std::thread& th : threads) th.join();
  for (int r : results) EXPECT_EQ(r, 250);
}

}  // namespace
}  // namespace chancery
