#include "domain/shipping/records.h"

#include "core/text.h"

namespace o2c::shipping {

std::string shipment_number(int64_t seq) { return document_number("SH-", seq); }

}  // namespace o2c::shipping
