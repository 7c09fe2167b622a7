#include "app/context.h"

#include <chrono>
#include <ctime>

namespace o2c::app {

std::string_view to_string(Role r) {
  switch (r) {
    case Role::admin: return "admin";
    case Role::sales: return "sales";
    case Role::credit: return "credit";
    case Role::warehouse: return "warehouse";
    case Role::accountant: return "accountant";
    case Role::viewer: return "viewer";
    case Role::portal: return "portal";
  }
  return "viewer";
}

std::optional<Role> role_from(std::string_view s) {
  for (Role r : kAllRoles) {
    if (to_string(r) == s) return r;
  }
  return std::nullopt;
}

Date SystemClock::today() const { return pinned_ ? *pinned_ : Date::today_utc(); }

std::string SystemClock::now_rfc3339() const {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
  std::time_t t = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace o2c::app
