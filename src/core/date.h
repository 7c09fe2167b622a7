#pragma once
// A calendar date (proleptic Gregorian) as days since 1970-01-01.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace o2c {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date from_days(int32_t days) { return Date(days); }
  // Valid y-m-d in years 1..9999, else error "invalid_date".
  static Result<Date> from_ymd(int year, int month, int day);
  // Strict "YYYY-MM-DD", else error "invalid_date".
  static Result<Date> parse(std::string_view text);
  // Today in UTC from the system clock. Only entry points call this.
  static Date today_utc();

  std::string to_string() const;  // "YYYY-MM-DD"
  int year() const;
  int month() const;
  int day() const;
  int weekday() const;  // ISO: 1 = Monday ... 7 = Sunday

  constexpr int32_t days() const { return days_; }
  constexpr Date add_days(int32_t n) const { return Date(days_ + n); }
  Date add_months(int n) const;  // clamps the day to the month's end
  static constexpr int32_t days_between(Date from, Date to) { return to.days_ - from.days_; }

  friend constexpr auto operator<=>(Date a, Date b) = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

}  // namespace o2c
