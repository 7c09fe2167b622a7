#include "domain/credit/exposure.h"

#include <map>

#include "core/money.h"

namespace o2c::credit {

Result<int64_t> uninvoiced_exposure(const std::vector<ExposureLine>& lines, Currency currency) {
  struct OrderSum {
    int64_t total = 0;
    bool any_invoiced = false;
    Int128 remaining = 0;
  };
  std::map<int64_t, OrderSum> orders;
  for (const auto& l : lines) {
    auto& o = orders[l.order_id.value()];
    o.total = l.order_total_minor;
    if (l.invoiced > 0) o.any_invoiced = true;
    const int64_t left = l.quantity - l.invoiced;
    if (left <= 0 || l.quantity <= 0) continue;
    O2C_ASSIGN_OR_RETURN(auto net, Money(l.line_net_minor, currency).mul_ratio(left, l.quantity));
    O2C_ASSIGN_OR_RETURN(auto tax, net.mul_ratio(l.tax_rate_bp, 10000));
    o.remaining += static_cast<Int128>(net.minor()) + tax.minor();
  }
  Int128 sum = 0;
  for (const auto& [id, o] : orders) sum += o.any_invoiced ? o.remaining : o.total;
  if (sum > INT64_MAX || sum < INT64_MIN) {
    return Error::invalid("amount_overflow", "the open orders' exposure is too large to represent");
  }
  return static_cast<int64_t>(sum);
}

}  // namespace o2c::credit
