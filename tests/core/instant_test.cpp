#include "core/instant.h"

#include <gtest/gtest.h>

#include <string>

namespace o2c {
namespace {

TEST(Instant, ParsesTheClocksFormAndWholeSeconds) {
  EXPECT_EQ(*parse_instant_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parse_instant_ms("1970-01-01T00:00:00.001Z"), 1);
  EXPECT_EQ(*parse_instant_ms("1970-01-02T00:00:00.000Z"), 86'400'000);
  // 2026-01-15 is day 20468 since 1970-01-01.
  EXPECT_EQ(*parse_instant_ms("2026-01-15T10:20:30.456Z"), 20468LL * 86'400'000 + 37'230'456);
  // Fewer or more fraction digits: tenths scale up, digits past the millisecond are dropped.
  EXPECT_EQ(*parse_instant_ms("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(*parse_instant_ms("1970-01-01T00:00:01.123999Z"), 1123);
  EXPECT_EQ(*parse_instant_ms("1969-12-31T23:59:59.999Z"), -1);
}

TEST(Instant, RefusesWhatIsNotAUtcInstant) {
  for (const char* bad : {"", "2026-01-15", "2026-01-15T10:20:30", "2026-01-15T10:20:30+01:00",
                          "2026-01-15 10:20:30Z", "2026-02-30T10:20:30Z", "2026-01-15T24:00:00Z",
                          "2026-01-15T10:60:00Z", "2026-01-15T10:20:60Z", "2026-01-15T10:20:30.Z",
                          "2026-01-15T10:20:30.1234567890Z", "2026-01-15T10:20:30ZZ", "2026-01-15T1a:20:30Z"}) {
    SCOPED_TRACE(bad);
    auto r = parse_instant_ms(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "invalid_instant");
  }
}

TEST(Instant, FormatsOneFixedWidthThatRoundTrips) {
  EXPECT_EQ(format_instant_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_instant_ms(-1), "1969-12-31T23:59:59.999Z");
  const std::string t = "2026-01-15T10:20:30.456Z";
  EXPECT_EQ(format_instant_ms(*parse_instant_ms(t)), t);
  // Eight hours later crosses midnight into the next day.
  EXPECT_EQ(format_instant_ms(*parse_instant_ms("2026-12-31T20:00:00.000Z") + 8 * 3'600'000),
            "2027-01-01T04:00:00.000Z");
  // Fixed width: text order is time order.
  EXPECT_LT(format_instant_ms(999), format_instant_ms(1000));
  EXPECT_LT(format_instant_ms(59'999), format_instant_ms(60'000));
}

}  // namespace
}  // namespace o2c
