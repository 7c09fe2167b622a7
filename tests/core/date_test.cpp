#include "core/date.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <tuple>

namespace o2c {

// Readable failures instead of a byte dump. static: each test file may have
// its own printer without clashing at link time.
[[maybe_unused]] static void PrintTo(const Date& d, std::ostream* os) { *os << d.to_string(); }

namespace {

Date ymd(int y, int m, int d) { return Date::from_ymd(y, m, d).value(); }

bool reference_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int reference_days_in_month(int y, int m) {
  switch (m) {
    case 2:
      return reference_leap(y) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

TEST(Date, EpochAndKnownDays) {
  EXPECT_EQ(ymd(1970, 1, 1).days(), 0);
  EXPECT_EQ(ymd(1970, 1, 2).days(), 1);
  EXPECT_EQ(ymd(1969, 12, 31).days(), -1);
  EXPECT_EQ(ymd(2000, 1, 1).days(), 10957);
  EXPECT_EQ(ymd(2024, 2, 29).days(), 19782);
  EXPECT_EQ(ymd(1, 1, 1).days(), -719162);
  EXPECT_EQ(ymd(9999, 12, 31).days(), 2932896);
  EXPECT_EQ(Date().to_string(), "1970-01-01");
}

TEST(Date, WalksEveryDayOfTheSupportedRange) {
  // An independent calendar (increment d, roll over month and year) must agree
  // with the closed-form conversion on every one of the ~3.65 million days.
  int y = 1, m = 1, d = 1;
  int weekday = 1;  // 0001-01-01 was a Monday in the proleptic Gregorian calendar
  const Date first = ymd(1, 1, 1);
  const Date last = ymd(9999, 12, 31);
  for (int32_t days = first.days(); days <= last.days(); ++days) {
    const Date date = Date::from_days(days);
    ASSERT_EQ(date.year(), y) << days;
    ASSERT_EQ(date.month(), m) << days;
    ASSERT_EQ(date.day(), d) << days;
    ASSERT_EQ(date.weekday(), weekday) << days;
    weekday = weekday == 7 ? 1 : weekday + 1;
    if (++d > reference_days_in_month(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
  EXPECT_EQ(y, 10000);
}

TEST(Date, SampledRoundTripsOverTheWholeRange) {
  std::mt19937_64 rng(0xda7e'0001);
  const int32_t lo = ymd(1, 1, 1).days();
  const int32_t hi = ymd(9999, 12, 31).days();
  std::uniform_int_distribution<int32_t> pick(lo, hi);
  for (int i = 0; i < 20000; ++i) {
    const Date date = Date::from_days(pick(rng));
    const std::string text = date.to_string();
    ASSERT_EQ(text.size(), 10u) << text;
    auto parsed = Date::parse(text);
    ASSERT_TRUE(parsed.ok()) << text;
    ASSERT_EQ(*parsed, date) << text;
    auto rebuilt = Date::from_ymd(date.year(), date.month(), date.day());
    ASSERT_TRUE(rebuilt.ok()) << text;
    ASSERT_EQ(*rebuilt, date) << text;

    const Date other = Date::from_days(pick(rng));
    ASSERT_EQ(Date::days_between(date, other), other.days() - date.days());
    ASSERT_EQ(date.add_days(Date::days_between(date, other)), other);
    ASSERT_EQ(Date::days_between(date, other) < 0, other < date);
  }
}

TEST(Date, LeapYears) {
  EXPECT_FALSE(Date::from_ymd(1900, 2, 29).ok());
  EXPECT_TRUE(Date::from_ymd(2000, 2, 29).ok());
  EXPECT_TRUE(Date::from_ymd(2024, 2, 29).ok());
  EXPECT_FALSE(Date::from_ymd(2023, 2, 29).ok());
  EXPECT_FALSE(Date::from_ymd(2100, 2, 29).ok());
  EXPECT_TRUE(Date::from_ymd(1600, 2, 29).ok());
  EXPECT_TRUE(Date::from_ymd(4, 2, 29).ok());
  EXPECT_EQ(Date::days_between(ymd(1900, 1, 1), ymd(1901, 1, 1)), 365);
  EXPECT_EQ(Date::days_between(ymd(2000, 1, 1), ymd(2001, 1, 1)), 366);
  EXPECT_EQ(Date::days_between(ymd(2000, 1, 1), ymd(2400, 1, 1)), 146097);
  EXPECT_EQ(ymd(1900, 2, 28).add_days(1), ymd(1900, 3, 1));
  EXPECT_EQ(ymd(2000, 2, 28).add_days(1), ymd(2000, 2, 29));
}

TEST(Date, DaysBetween) {
  EXPECT_EQ(Date::days_between(ymd(2024, 1, 1), ymd(2024, 12, 31)), 365);
  EXPECT_EQ(Date::days_between(ymd(2024, 12, 31), ymd(2024, 1, 1)), -365);
  EXPECT_EQ(Date::days_between(ymd(2024, 3, 1), ymd(2024, 3, 1)), 0);
  EXPECT_EQ(Date::days_between(ymd(1, 1, 1), ymd(9999, 12, 31)), 3652058);
  EXPECT_EQ(ymd(2024, 1, 31).add_days(30), ymd(2024, 3, 1));
  EXPECT_EQ(ymd(2024, 3, 1).add_days(-1), ymd(2024, 2, 29));
}

TEST(Date, FromYmdValidates) {
  for (auto [y, m, d] : {std::tuple{0, 1, 1}, {10000, 1, 1}, {-1, 1, 1}, {2024, 0, 1}, {2024, 13, 1},
                         {2024, 1, 0}, {2024, 1, 32}, {2024, 4, 31}, {2024, 6, 31}, {2024, 9, 31},
                         {2024, 11, 31}, {2023, 2, 29}, {2024, 2, 30}, {2024, -1, 1}, {2024, 1, -1}}) {
    auto r = Date::from_ymd(y, m, d);
    ASSERT_FALSE(r.ok()) << y << "-" << m << "-" << d;
    EXPECT_EQ(r.error().code, "invalid_date");
    EXPECT_EQ(r.error().kind, ErrorKind::unprocessable);
  }
}

TEST(Date, ParseAcceptsStrictIsoDates) {
  EXPECT_EQ(*Date::parse("2024-02-29"), ymd(2024, 2, 29));
  EXPECT_EQ(*Date::parse("0001-01-01"), ymd(1, 1, 1));
  EXPECT_EQ(*Date::parse("9999-12-31"), ymd(9999, 12, 31));
  EXPECT_EQ(*Date::parse("1970-01-01"), Date());
  EXPECT_EQ(*Date::parse("2000-02-29"), ymd(2000, 2, 29));
}

TEST(Date, ParseRefusesEverythingElse) {
  for (const char* text :
       {"", "2024-1-01", "2024-01-1", "24-01-01", "2024/01/01", "2024.01.01", "20240101", "0000-01-01",
        "10000-01-01", "2023-02-29", "1900-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-01-00",
        "2024-04-31", " 2024-01-01", "2024-01-01 ", "2024-01-01T00:00:00Z", "+024-01-01", "-024-01-01",
        "2024-+1-01", "2024--1-01", "2024-01-+1", "2024-0a-01", "a024-01-01", "2024-01-0\x01", "2024_01_01",
        "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-01-01" /* fullwidth digits */}) {
    auto r = Date::parse(text);
    ASSERT_FALSE(r.ok()) << "'" << text << "' parsed as " << r->to_string();
    EXPECT_EQ(r.error().code, "invalid_date") << text;
  }
  EXPECT_FALSE(Date::parse(std::string_view("2024-01-0\0", 10)).ok());
}

TEST(Date, ToStringIsZeroPadded) {
  EXPECT_EQ(ymd(1, 2, 3).to_string(), "0001-02-03");
  EXPECT_EQ(ymd(999, 12, 9).to_string(), "0999-12-09");
  EXPECT_EQ(ymd(2024, 10, 31).to_string(), "2024-10-31");
}

TEST(Date, Weekday) {
  EXPECT_EQ(ymd(1970, 1, 1).weekday(), 4);   // Thursday
  EXPECT_EQ(ymd(2024, 1, 1).weekday(), 1);   // Monday
  EXPECT_EQ(ymd(2024, 3, 3).weekday(), 7);   // Sunday
  EXPECT_EQ(ymd(2000, 1, 1).weekday(), 6);   // Saturday
  EXPECT_EQ(ymd(1969, 12, 31).weekday(), 3); // Wednesday
  EXPECT_EQ(ymd(1, 1, 1).weekday(), 1);      // Monday
}

TEST(Date, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(ymd(2023, 1, 31).add_months(1), ymd(2023, 2, 28));
  EXPECT_EQ(ymd(2024, 1, 31).add_months(1), ymd(2024, 2, 29));
  EXPECT_EQ(ymd(2024, 3, 31).add_months(-1), ymd(2024, 2, 29));
  EXPECT_EQ(ymd(2024, 5, 31).add_months(1), ymd(2024, 6, 30));
  EXPECT_EQ(ymd(2024, 1, 15).add_months(0), ymd(2024, 1, 15));
  EXPECT_EQ(ymd(2024, 11, 30).add_months(2), ymd(2025, 1, 30));
  EXPECT_EQ(ymd(2024, 1, 31).add_months(-1), ymd(2023, 12, 31));
  EXPECT_EQ(ymd(2024, 2, 29).add_months(12), ymd(2025, 2, 28));
  EXPECT_EQ(ymd(2024, 2, 29).add_months(48), ymd(2028, 2, 29));
  EXPECT_EQ(ymd(2024, 6, 15).add_months(-13), ymd(2023, 5, 15));
  EXPECT_EQ(ymd(2024, 6, 15).add_months(-24 * 12), ymd(2000, 6, 15));
  EXPECT_EQ(ymd(2024, 6, 15).add_months(-(2024 - 1736) * 12 - 5), ymd(1736, 1, 15));
  EXPECT_EQ(ymd(1, 1, 31).add_months(1), ymd(1, 2, 28));
  EXPECT_EQ(ymd(9999, 11, 30).add_months(1), ymd(9999, 12, 30));
  // Clamping does not stick: the original day is not remembered.
  EXPECT_EQ(ymd(2023, 1, 31).add_months(1).add_months(1), ymd(2023, 3, 28));
}

TEST(Date, AddMonthsProperty) {
  std::mt19937_64 rng(0xda7e'0002);
  std::uniform_int_distribution<int32_t> pick(ymd(1000, 1, 1).days(), ymd(8999, 12, 31).days());
  std::uniform_int_distribution<int> months(-12000, 12000);
  for (int i = 0; i < 20000; ++i) {
    const Date date = Date::from_days(pick(rng));
    const int n = months(rng);
    const Date moved = date.add_months(n);
    const int total = date.year() * 12 + date.month() - 1 + n;
    ASSERT_EQ(moved.year(), total / 12) << date.to_string() << " + " << n;
    ASSERT_EQ(moved.month(), total % 12 + 1) << date.to_string() << " + " << n;
    const int dim = reference_days_in_month(moved.year(), moved.month());
    ASSERT_EQ(moved.day(), date.day() < dim ? date.day() : dim) << date.to_string() << " + " << n;
  }
}

TEST(Date, TodayUtcMatchesTheSystemClock) {
  using namespace std::chrono;
  const auto before = floor<days>(system_clock::now()).time_since_epoch().count();
  const Date today = Date::today_utc();
  const auto after = floor<days>(system_clock::now()).time_since_epoch().count();
  EXPECT_GE(today.days(), before);
  EXPECT_LE(today.days(), after);
  EXPECT_GE(today, ymd(2024, 1, 1));
}

TEST(Date, Ordering) {
  EXPECT_LT(ymd(2024, 1, 1), ymd(2024, 1, 2));
  EXPECT_GT(ymd(2025, 1, 1), ymd(2024, 12, 31));
  EXPECT_EQ(ymd(2024, 1, 1), Date::from_days(19723));
}

}  // namespace
}  // namespace o2c
