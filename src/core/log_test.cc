#include "core/log.h"

#include <gtest/gtest.h>

#include <sstream>

namespace chancery {
namespace {

TEST(LogTest, OneJsonObjectPerLineWithTheInjectedTime) {
  ManualClock clock(Timestamp{std::chrono::seconds(1'800'000'000)});
  std::ostringstream out;
  JsonLinesLogger log(out, clock);
  log.Log(LogLevel::kWarning, "exchange.round_failed", {{"peer", "000.00.01.B01"}});
  log.Log(LogLevel::kError, "odd", {{"why", "a \"quote\"\nand a line"}});
  EXPECT_EQ(out.str(),
            "{\"at\":\"" + FormatTimestamp(clock.Now()) +
                "\",\"level\":\"warning\",\"event\":\"exchange.round_failed\",\"peer\":"
                "\"000.00.01.B01\"}\n"
                "{\"at\":\"" +
                FormatTimestamp(clock.Now()) +
                "\",\"level\":\"error\",\"event\":\"odd\",\"why\":\"a \\\"quote\\\"\\nand a "
                "line\"}\n");
}

TEST(LogTest, MemoryLoggerKeepsTheLines) {
  ManualClock clock(Timestamp{});
  MemoryLogger log(clock);
  log.Log(LogLevel::kInfo, "a");
  NullLogger().Log(LogLevel::kError, "dropped");
  ASSERT_EQ(log.lines().size(), 1u);
  EXPECT_NE(log.lines()[0].find("\"event\":\"a\""), std::string::npos);
}

}  // namespace
}  // namespace chancery
