#include "core/date.h"

#include <chrono>
#include <cstddef>
#include <utility>

namespace o2c {
namespace {

struct Civil {
  int64_t year;
  int month;
  int day;
};

// Both conversions follow Howard Hinnant's "chrono-compatible low-level date
// algorithms": the year is taken to start on March 1 so that the leap day is
// the last day of the year, and the calendar repeats every 400 years
// (146097 days), which turns the problem into arithmetic within one era.
constexpr int64_t kDaysPerEra = 146097;
// Days from 0000-03-01 (day 0 of era 0) to 1970-01-01.
constexpr int64_t kEpochShift = 719468;

constexpr int64_t floor_div(int64_t a, int64_t b) { return (a >= 0 ? a : a - (b - 1)) / b; }

constexpr int64_t days_from_civil(int64_t y, int m, int d) {
  if (m <= 2) --y;  // January and February belong to the previous March-year
  const int64_t era = floor_div(y, 400);
  const int64_t year_of_era = y - era * 400;                 // [0, 399]
  const int month_from_march = m > 2 ? m - 3 : m + 9;        // [0, 11]
  // 153 days per 5 months (31+30+31+30+31) spreads the 30/31 pattern evenly.
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;  // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * kDaysPerEra + day_of_era - kEpochShift;
}

constexpr Civil civil_from_days(int64_t z) {
  z += kEpochShift;
  const int64_t era = floor_div(z, kDaysPerEra);
  const int64_t day_of_era = z - era * kDaysPerEra;  // [0, 146096]
  // Undo the leap-day corrections (every 4th year, not every 100th, but
  // every 400th) before dividing by 365 to find the year within the era.
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / (kDaysPerEra - 1)) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const auto month_from_march = static_cast<int>((5 * day_of_year + 2) / 153);
  const auto day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(civil_from_days(-1).year == 1969 && civil_from_days(-1).day == 31);

constexpr bool is_leap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

constexpr int days_in_month(int64_t y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// The offending text, cut short: it goes into an error body, and the input
// may be arbitrarily long.
std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 40;
  return "'" + std::string(text.substr(0, kMax)) + (text.size() > kMax ? "...'" : "'");
}

Error invalid_date(std::string message) { return Error::invalid("invalid_date", std::move(message)); }

// Appends v zero-padded to `width` digits (v >= 0).
void append_padded(std::string& out, int64_t v, std::size_t width) {
  std::string digits = std::to_string(v);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

}  // namespace

Result<Date> Date::from_ymd(int year, int month, int day) {
  if (year < 1 || year > 9999) return invalid_date("year " + std::to_string(year) + " is outside 1..9999");
  if (month < 1 || month > 12) return invalid_date("month " + std::to_string(month) + " is outside 1..12");
  if (day < 1 || day > days_in_month(year, month)) {
    return invalid_date("day " + std::to_string(day) + " does not exist in " + std::to_string(year) + "-" +
                        (month < 10 ? "0" : "") + std::to_string(month));
  }
  return Date(static_cast<int32_t>(days_from_civil(year, month, day)));
}

Result<Date> Date::parse(std::string_view text) {
  const auto malformed = [&] { return invalid_date(quoted(text) + " is not a date of the form YYYY-MM-DD"); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return malformed();
  // Reads text[from, from+len) as decimal digits; -1 if any is not a digit.
  const auto number = [&](std::size_t from, std::size_t len) {
    int v = 0;
    for (std::size_t i = from; i < from + len; ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  const int y = number(0, 4);
  const int m = number(5, 2);
  const int d = number(8, 2);
  if (y < 0 || m < 0 || d < 0) return malformed();
  return from_ymd(y, m, d);
}

Date Date::today_utc() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date(static_cast<int32_t>(now.time_since_epoch().count()));
}

std::string Date::to_string() const {
  const Civil c = civil_from_days(days_);
  std::string out;
  out.reserve(10);
  // Only reachable through add_days/add_months past the supported range, but
  // a sign keeps such a value readable instead of printing garbage.
  if (c.year < 0) out += '-';
  append_padded(out, c.year < 0 ? -c.year : c.year, 4);
  out += '-';
  append_padded(out, c.month, 2);
  out += '-';
  append_padded(out, c.day, 2);
  return out;
}

int Date::year() const { return static_cast<int>(civil_from_days(days_).year); }
int Date::month() const { return civil_from_days(days_).month; }
int Date::day() const { return civil_from_days(days_).day; }

int Date::weekday() const {
  // 1970-01-01 was a Thursday (ISO 4). floor_div keeps dates before 1970 right.
  const int64_t d = days_;
  return static_cast<int>(d + 3 - floor_div(d + 3, 7) * 7) + 1;
}

Date Date::add_months(int n) const {
  const Civil c = civil_from_days(days_);
  const int64_t months = c.year * 12 + (c.month - 1) + n;
  const int64_t year = floor_div(months, 12);
  const auto month = static_cast<int>(months - year * 12) + 1;
  const int day = c.day < days_in_month(year, month) ? c.day : days_in_month(year, month);
  return Date(static_cast<int32_t>(days_from_civil(year, month, day)));
}

}  // namespace o2c
