#include "domain/shipping/records.h"

#include <cstdio>

namespace o2c::shipping {

std::string shipment_number(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "SH-%06lld", static_cast<long long>(seq));
  return buf;
}

}  // namespace o2c::shipping
