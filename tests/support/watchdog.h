#pragma once
// Server logs the per-test watchdog prints when a test hangs (watchdog.cpp).
#include <string>

namespace o2c::test {
void watch_log(const std::string& path);
void unwatch_log(const std::string& path);
}  // namespace o2c::test
