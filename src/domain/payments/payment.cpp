#include "domain/payments/payment.h"

#include <algorithm>

namespace o2c::payments {

std::string_view to_string(PaymentStatus s) { return s == PaymentStatus::reversed ? "reversed" : "received"; }

std::optional<PaymentStatus> payment_status_from(std::string_view s) {
  if (s == "received") return PaymentStatus::received;
  if (s == "reversed") return PaymentStatus::reversed;
  return std::nullopt;
}

bool is_method(std::string_view m) { return std::find(std::begin(kMethods), std::end(kMethods), m) != std::end(kMethods); }

}  // namespace o2c::payments
