#include "core/calendar.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <utility>

#include "core/lunar.h"

namespace chancery {
namespace {

using namespace std::chrono;

constexpr int kFirstTableYear = 1990;
constexpr int kLastTableYear = 2100;

int YearOf(Date d) { return static_cast<int>(year_month_day{d}.year()); }
Date Jan1(int y) { return sys_days{year{y} / January / 1}; }
bool IsWeekend(Date d) {
  const weekday w{d};
  return w == Saturday || w == Sunday;
}

bool ByDate(const Holiday& a, const Holiday& b) { return a.date < b.date; }

// A date with the number of statutory holidays that fall on it.
struct StatutoryDay {
  Holiday holiday;
  int count = 1;
};

// The statutory holidays of `y` (before compensatory days), one per date.
std::vector<StatutoryDay> StatutoryHolidays(int y) {
  std::vector<StatutoryDay> out;
  auto add = [&out](Date d, std::string vi, std::string en) {
    for (StatutoryDay& s : out) {
      if (s.holiday.date == d) {  // two holidays on one day: keep both names
        s.holiday.name_vi += "; " + vi;
        s.holiday.name_en += "; " + en;
        ++s.count;
        return;
      }
    }
    out.push_back({{d, std::move(vi), std::move(en)}, 1});
  };
  add(sys_days{year{y} / January / 1}, "Tết Dương lịch", "New Year's Day");
  if (std::optional<Date> tet = FromLunar({y, 1, 1, false})) {
    add(*tet - days{1}, "Tết Nguyên đán (ngày cuối năm Âm lịch)", "Lunar New Year's Eve");
    for (int i = 0; i < 4; ++i) {
      add(*tet + days{i}, "Tết Nguyên đán (mùng " + std::to_string(i + 1) + ")",
          "Lunar New Year (day " + std::to_string(i + 1) + ")");
    }
  }
  if (std::optional<Date> hung = FromLunar({y, 3, 10, false})) {
    add(*hung, "Giỗ Tổ Hùng Vương", "Hung Kings' Commemoration Day");
  }
  add(sys_days{year{y} / April / 30}, "Ngày Chiến thắng", "Reunification Day");
  add(sys_days{year{y} / May / 1}, "Ngày Quốc tế Lao động", "International Workers' Day");
  add(sys_days{year{y} / September / 1}, "Quốc khánh (ngày liền kề)",
      "National Day (adjacent day)");
  add(sys_days{year{y} / September / 2}, "Quốc khánh", "National Day");
  std::sort(out.begin(), out.end(), [](const StatutoryDay& a, const StatutoryDay& b) {
    return ByDate(a.holiday, b.holiday);
  });
  return out;
}

// The holidays plus a nghỉ bù for each one on a weekend, and for each extra
// holiday sharing a date with another, in date order.
std::vector<Holiday> WithCompensatoryDays(const std::vector<StatutoryDay>& statutory) {
  std::set<Date> taken;
  for (const StatutoryDay& s : statutory) taken.insert(s.holiday.date);
  std::vector<Holiday> out;
  for (const StatutoryDay& s : statutory) out.push_back(s.holiday);
  for (const StatutoryDay& s : statutory) {
    const int owed = (IsWeekend(s.holiday.date) ? 1 : 0) + s.count - 1;
    for (int i = 0; i < owed; ++i) {
      Date d = s.holiday.date + days{1};
      while (IsWeekend(d) || taken.count(d) != 0) d += days{1};
      taken.insert(d);
      out.push_back(
          {d, "Nghỉ bù " + s.holiday.name_vi, "Compensatory day off: " + s.holiday.name_en});
    }
  }
  std::sort(out.begin(), out.end(), ByDate);
  return out;
}

std::string FieldName(int y, const char* list, std::size_t i) {
  return "years." + std::to_string(y) + "." + list + "[" + std::to_string(i) + "]";
}

}  // namespace

WorkCalendar::WorkCalendar() : WorkCalendar(CalendarConfig{}) {}

Result<WorkCalendar> WorkCalendar::Create(CalendarConfig config) {
  Error error{ErrorCode::kInvalidArgument, "The working-day calendar is not valid.", {}, {}};
  for (const auto& [y, o] : config.years) {
    if (y < 1 || y > 9999) {
      error.fields.push_back({"years." + std::to_string(y), "year outside 1..9999",
                              "out_of_range"});
      continue;
    }
    const std::set<Date> off(o.extra_days_off.begin(), o.extra_days_off.end());
    for (std::size_t i = 0; i < o.extra_days_off.size(); ++i) {
      if (YearOf(o.extra_days_off[i]) != y) {
        error.fields.push_back({FieldName(y, "extra_days_off", i),
                                FormatDate(o.extra_days_off[i]) + " is not in " +
                                    std::to_string(y), "wrong_year"});
      }
    }
    for (std::size_t i = 0; i < o.extra_working_days.size(); ++i) {
      const Date d = o.extra_working_days[i];
      if (YearOf(d) != y) {
        error.fields.push_back({FieldName(y, "extra_working_days", i),
                                FormatDate(d) + " is not in " + std::to_string(y), "wrong_year"});
      } else if (off.count(d) != 0) {
        error.fields.push_back({FieldName(y, "extra_working_days", i),
                                FormatDate(d) + " is also an extra day off", "conflict"});
      }
    }
  }
  if (!error.fields.empty()) return error;
  return WorkCalendar(std::move(config));
}

WorkCalendar::WorkCalendar(CalendarConfig config) : config_(std::move(config)) {
  int first = kFirstTableYear;
  int last = kLastTableYear;
  if (!config_.years.empty()) {
    first = std::min(first, config_.years.begin()->first);
    last = std::max(last, config_.years.rbegin()->first);
  }
  table_start_ = Jan1(first);
  prefix_.reserve(static_cast<std::size_t>((last - first + 1) * 366 + 1));
  prefix_.push_back(0);
  for (int y = first; y <= last; ++y) {
    for (unsigned char working : WorkingDaysOfYear(y)) {
      prefix_.push_back(prefix_.back() + working);
    }
  }
}

std::vector<Holiday> WorkCalendar::Holidays(int y) const {
  const auto it = config_.years.find(y);
  const YearOverride* o = it == config_.years.end() ? nullptr : &it->second;

  std::vector<Holiday> out;
  if (o == nullptr || !o->replace_defaults) out = WithCompensatoryDays(StatutoryHolidays(y));
  if (o == nullptr) return out;

  for (const Date d : o->extra_days_off) {
    const bool present = std::any_of(out.begin(), out.end(),
                                     [d](const Holiday& h) { return h.date == d; });
    if (!present) {
      out.push_back({d, "Ngày nghỉ theo thông báo của Chính phủ",
                     "Day off announced by the Government"});
    }
  }
  const std::set<Date> working(o->extra_working_days.begin(), o->extra_working_days.end());
  std::erase_if(out, [&working](const Holiday& h) { return working.count(h.date) != 0; });
  std::sort(out.begin(), out.end(), ByDate);
  return out;
}

std::vector<unsigned char> WorkCalendar::WorkingDaysOfYear(int y) const {
  const Date start = Jan1(y);
  const auto length = static_cast<std::size_t>((Jan1(y + 1) - start).count());
  std::vector<unsigned char> working(length);
  for (std::size_t i = 0; i < length; ++i) {
    working[i] = IsWeekend(start + days{static_cast<long>(i)}) ? 0 : 1;
  }
  auto index = [&](Date d) -> long { return (d - start).count(); };
  for (const Holiday& h : Holidays(y)) {
    const long i = index(h.date);
    if (i >= 0 && static_cast<std::size_t>(i) < length) working[static_cast<std::size_t>(i)] = 0;
  }
  if (auto it = config_.years.find(y); it != config_.years.end()) {
    for (const Date d : it->second.extra_working_days) {
      const long i = index(d);
      if (i >= 0 && static_cast<std::size_t>(i) < length) {
        working[static_cast<std::size_t>(i)] = 1;
      }
    }
  }
  return working;
}

bool WorkCalendar::IsWorkingSlow(Date d) const {
  const int y = YearOf(d);
  return WorkingDaysOfYear(y)[static_cast<std::size_t>((d - Jan1(y)).count())] != 0;
}

bool WorkCalendar::IsWorkingDay(Date d) const {
  const long i = (d - table_start_).count();
  if (i >= 0 && static_cast<std::size_t>(i) + 1 < prefix_.size()) {
    return prefix_[static_cast<std::size_t>(i) + 1] != prefix_[static_cast<std::size_t>(i)];
  }
  return IsWorkingSlow(d);
}

namespace {

// Answers IsWorkingDay for a walk over consecutive days: inside the table it
// asks the calendar, outside it keeps the current year's days (per call, so
// no state is shared between threads).
class DayWalker {
 public:
  DayWalker(Date table_start, Date table_end, const WorkCalendar& calendar,
            std::function<std::vector<unsigned char>(int)> year_fn)
      : table_start_(table_start), table_end_(table_end), calendar_(calendar),
        year_fn_(std::move(year_fn)) {}

  bool Working(Date d) {
    if (d >= table_start_ && d < table_end_) return calendar_.IsWorkingDay(d);
    const int y = YearOf(d);
    if (y != cached_year_) {
      cached_ = year_fn_(y);
      cached_year_ = y;
    }
    return cached_[static_cast<std::size_t>((d - Jan1(y)).count())] != 0;
  }

 private:
  Date table_start_, table_end_;
  const WorkCalendar& calendar_;
  std::function<std::vector<unsigned char>(int)> year_fn_;
  int cached_year_ = 0;
  std::vector<unsigned char> cached_;
};

}  // namespace

Date WorkCalendar::AddWorkingDays(Date start, int n) const {
  DayWalker walk(table_start_, table_start_ + days{static_cast<long>(prefix_.size()) - 1}, *this,
                 [this](int y) { return WorkingDaysOfYear(y); });
  Date d = start;
  if (n == 0) {
    while (!walk.Working(d)) d += days{1};
    return d;
  }
  const int step = n > 0 ? 1 : -1;
  for (int left = n > 0 ? n : -n; left > 0;) {
    d += days{step};
    if (walk.Working(d)) --left;
  }
  return d;
}

int WorkCalendar::WorkingDaysBetween(Date from, Date to) const {
  if (to < from) return -WorkingDaysBetween(to, from);
  // (from, to] as table indexes [lo, hi).
  const long lo = (from - table_start_).count() + 1;
  const long hi = (to - table_start_).count() + 1;
  const long size = static_cast<long>(prefix_.size()) - 1;
  if (lo >= 0 && hi <= size) {
    return prefix_[static_cast<std::size_t>(hi)] - prefix_[static_cast<std::size_t>(lo)];
  }
  DayWalker walk(table_start_, table_start_ + days{size}, *this,
                 [this](int y) { return WorkingDaysOfYear(y); });
  int count = 0;
  for (Date d = from + days{1}; d <= to; d += days{1}) count += walk.Working(d) ? 1 : 0;
  return count;
}

}  // namespace chancery
