// The working-day calendar of Vietnamese public agencies: which days are
// working days, and deadlines counted in working days.
//
// Default rules, those of the Labour Code 2019 (Bộ luật Lao động), art. 112,
// applied to every year (earlier years had other rules: use replace_defaults):
//  - Saturday and Sunday are days off (the public sector's weekly rest);
//  - 1 January (Tết Dương lịch);
//  - Tết Nguyên đán: the last day of the lunar year and lunar 1/1 to 4/1;
//  - Giỗ Tổ Hùng Vương, lunar 10/3;
//  - 30 April and 1 May;
//  - Quốc khánh, 2 September and one adjacent day. The law lets the
//    Prime Minister choose 1 or 3 September each year; we take 1 September, as
//    the 2025 decision did. Years that choose 3 September need an override.
//  - Nghỉ bù: a holiday that falls on a Saturday, a Sunday or another holiday
//    gives a compensatory day off on the next day that is none of these (nor
//    already a compensatory day).
// Lunar dates are converted with core/lunar.h (UTC+07:00).
//
// Each year the Government announces how the holidays are actually taken
// (Tết bridges, Saturdays swapped for weekdays). CalendarConfig carries these
// per-year overrides.
//
// A WorkCalendar is immutable after construction; all const members may be
// called concurrently from any thread. Construction precomputes the days of
// 1990..2100 (and of any overridden year beyond), 3-4 ms; days
// outside that range are computed on demand, which is correct but slower.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/world.h"

namespace chancery {

// One year's announced deviations from the default rules.
struct YearOverride {
  // Further days off (e.g. the bridge days of a Tết holiday, or the weekday
  // a Saturday was swapped with).
  std::vector<Date> extra_days_off;
  // Days that are working days whatever the rules say (e.g. a Saturday worked
  // in exchange for a bridge day, or a default holiday the decision moved).
  std::vector<Date> extra_working_days;
  // If true, the year has no default holidays and no compensatory days: its
  // days off are the weekends and extra_days_off only (for years the
  // Government published in full, or years before the 2019 rules).
  bool replace_defaults = false;
};

struct CalendarConfig {
  // Keyed by Gregorian year; every date of an override must lie in its year.
  std::map<int, YearOverride> years;
};

struct Holiday {
  Date date;
  std::string name_vi;  // NFC UTF-8, e.g. "Giỗ Tổ Hùng Vương"
  std::string name_en;

  friend bool operator==(const Holiday&, const Holiday&) = default;
};

class WorkCalendar {
 public:
  // The default rules, no overrides.
  WorkCalendar();

  // Fails with kInvalidArgument if an override date is outside its year or is
  // both an extra day off and an extra working day.
  static Result<WorkCalendar> Create(CalendarConfig config);

  bool IsWorkingDay(Date d) const;

  // The non-weekend-rule days off of `year`, in date order, one entry per
  // date: holidays (also those falling on a weekend), compensatory days and
  // announced extra days off; days made working by an override are left out.
  // Computed on each call (tens of microseconds).
  std::vector<Holiday> Holidays(int year) const;

  // The deadline n working days after `start`, `start` itself not counted:
  // n = 1 from a Friday is the next Monday. n = 0 gives `start` if it is a
  // working day, else the next working day. n < 0 counts backwards: the
  // |n|-th working day before `start` (n = -1 from a Monday is the Friday
  // before). The result is always a working day.
  Date AddWorkingDays(Date start, int n) const;

  // The number of working days in (from, to]; negative, -(working days in
  // (to, from]), if to < from. For n >= 1, WorkingDaysBetween(s,
  // AddWorkingDays(s, n)) == n; for n <= -1 the same holds with -n when `s`
  // is itself a working day.
  int WorkingDaysBetween(Date from, Date to) const;

 private:
  explicit WorkCalendar(CalendarConfig config);

  // 1 for each working day of `year`, from 1 January on.
  std::vector<unsigned char> WorkingDaysOfYear(int year) const;
  bool IsWorkingSlow(Date d) const;

  CalendarConfig config_;
  Date table_start_;  // 1 January of the first precomputed year
  // prefix_[i] = working days among the i days from table_start_ on.
  std::vector<int> prefix_;
};

}  // namespace chancery
