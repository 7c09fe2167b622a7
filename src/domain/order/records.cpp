#include "domain/order/records.h"

#include <cstdio>

namespace o2c::order {

std::string order_number(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "SO-%06lld", static_cast<long long>(seq));
  return buf;
}

}  // namespace o2c::order
