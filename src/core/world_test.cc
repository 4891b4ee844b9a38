#include "core/world.h"

#include <gtest/gtest.h>

namespace chancery {
namespace {

using namespace std::chrono;

TEST(World, TimestampRoundTrip) {
  Timestamp t = sys_days{2026y / November / 22} + 16h + 5min + 7s + 123456us;
  EXPECT_EQ(FormatTimestamp(t), "2026-11-22T16:05:07.123456Z");
  Timestamp back;
  ASSERT_TRUE(ParseTimestamp(FormatTimestamp(t), &back));
  EXPECT_EQ(back, t);
  ASSERT_TRUE(ParseTimestamp("2026-11-22T16:05:07Z", &back));
  EXPECT_FALSE(ParseTimestamp("2026-13-22T16:05:07Z", &back));
}

TEST(World, VietnamDateCrossesMidnightSevenHoursEarly) {
  // 31 Dec 2025 17:00 UTC is already 1 Jan 2026 in Hanoi: a new numbering year.
  Timestamp t = sys_days{2025y / December / 31} + 17h;
  EXPECT_EQ(VietnamDate(t), sys_days{2026y / January / 1});
  EXPECT_EQ(FormatVietnamTime(t), "2026-01-01T00:00:00+07:00");
  EXPECT_EQ(VietnamDate(t - 1s), sys_days{2025y / December / 31});
}

TEST(World, DateParsingRejectsImpossibleDates) {
  Date d;
  EXPECT_TRUE(ParseDate("2024-02-29", &d));
  EXPECT_FALSE(ParseDate("2025-02-29", &d));
  EXPECT_FALSE(ParseDate("2025-2-28", &d));
  EXPECT_FALSE(ParseDate("2025-02-28x", &d));
  EXPECT_EQ(FormatDate(sys_days{2025y / February / 28}), "2025-02-28");
}

}  // namespace
}  // namespace chancery
