#include "domain/billing/order_charges.h"

#include <algorithm>

#include "core/money.h"

namespace o2c::billing {
namespace {

// A line's net in proportion to `invoiced`, rounded down; exact when whole.
Int128 billed_net(const BaseLine& l, int64_t invoiced) {
  if (invoiced >= l.quantity) return l.line_net_minor;
  return static_cast<Int128>(l.line_net_minor) * invoiced / l.quantity;
}

}  // namespace

int64_t charge_share(const order::OrderCharge& c, const std::vector<BaseLine>& lines) {
  Int128 whole = 0, after = 0;
  bool complete = true, any = false;
  for (const auto& l : lines) {
    if (l.quantity <= 0) continue;
    if (!c.is_charge && (l.tax_category != c.tax_category || l.tax_rate_bp != c.tax_rate_bp)) continue;
    any = true;
    whole += l.line_net_minor;
    after += billed_net(l, l.invoiced_after);
    if (l.invoiced_after < l.quantity) complete = false;
  }
  int64_t target = 0;
  if (any && complete) {
    target = c.amount_minor;
  } else if (whole > 0) {
    target = static_cast<int64_t>(static_cast<Int128>(c.amount_minor) * after / whole);
  }
  return std::max<int64_t>(0, target - c.billed_minor);
}

}  // namespace o2c::billing
