#include "domain/order/records.h"

#include "core/text.h"

namespace o2c::order {

std::string order_number(int64_t seq) { return document_number("SO-", seq); }

}  // namespace o2c::order
