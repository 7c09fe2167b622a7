#include "core/instant.h"

#include <cstdio>

#include "core/date.h"

namespace o2c {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;

Error invalid(std::string_view text) {
  return Error::malformed("invalid_instant",
                          "'" + std::string(text.substr(0, 40)) + "' is not an RFC 3339 UTC instant (YYYY-MM-DDTHH:MM:SSZ)");
}

// The n digits at text[at...], or -1.
int digits(std::string_view text, size_t at, size_t n) {
  if (at + n > text.size()) return -1;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

}  // namespace

Result<int64_t> parse_instant_ms(std::string_view text) {
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return invalid(text);
  auto date = Date::parse(text.substr(0, 10));
  if (!date.ok()) return invalid(text);
  const int hh = digits(text, 11, 2);
  const int mm = digits(text, 14, 2);
  const int ss = digits(text, 17, 2);
  // No leap second: nothing here writes one, and it has no millisecond count.
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return invalid(text);
  size_t at = 19;
  int64_t ms = 0;
  if (text[at] == '.') {
    ++at;
    size_t n = 0;
    while (at + n < text.size() && text[at + n] >= '0' && text[at + n] <= '9') ++n;
    if (n < 1 || n > 9) return invalid(text);
    for (size_t i = 0; i < 3; ++i) ms = ms * 10 + (i < n ? text[at + i] - '0' : 0);
    at += n;
  }
  if (at + 1 != text.size() || text[at] != 'Z') return invalid(text);
  return static_cast<int64_t>(date->days()) * kMsPerDay + ((hh * 60 + mm) * 60 + ss) * int64_t{1000} + ms;
}

std::string format_instant_ms(int64_t ms) {
  int64_t days = ms / kMsPerDay;
  int64_t rest = ms % kMsPerDay;
  if (rest < 0) {
    rest += kMsPerDay;
    --days;
  }
  const Date d = Date::from_days(static_cast<int32_t>(days));
  const int64_t secs = rest / 1000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", d.to_string().c_str(), static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60), static_cast<int>(rest % 1000));
  return buf;
}

}  // namespace o2c
