#include "domain/reports/process.h"

#include <vector>

namespace o2c::reports {
namespace {

StepTime step(std::span<const OrderFacts> orders, std::optional<Date> (*from)(const OrderFacts&),
              std::optional<Date> (*to)(const OrderFacts&)) {
  std::vector<int64_t> days;
  for (const auto& o : orders) {
    const auto a = from(o);
    const auto b = to(o);
    if (a && b) days.push_back(Date::days_between(*a, *b));
  }
  StepTime s;
  s.orders = static_cast<int64_t>(days.size());
  s.p90_days = percentile(days, 90);
  s.median_days = median_hundredths(std::move(days));
  return s;
}

std::optional<Date> placed(const OrderFacts& o) { return o.placed; }
std::optional<Date> shipped(const OrderFacts& o) { return o.last_shipped; }
std::optional<Date> invoiced(const OrderFacts& o) { return o.first_invoiced; }
std::optional<Date> paid(const OrderFacts& o) { return o.paid; }

}  // namespace

CycleTimes cycle_times(std::span<const OrderFacts> orders) {
  return {step(orders, placed, shipped), step(orders, shipped, invoiced), step(orders, invoiced, paid),
          step(orders, placed, paid)};
}

bool perfect_order(const OrderFacts& o, int32_t ship_within_days) {
  if (o.shipments != 1 || !o.last_shipped || !o.paid) return false;
  if (Date::days_between(o.placed, *o.last_shipped) > ship_within_days) return false;
  return !o.credit_noted && !o.disputed;
}

PerfectOrders perfect_orders(std::span<const OrderFacts> orders, int32_t ship_within_days) {
  PerfectOrders p;
  for (const auto& o : orders) {
    ++p.orders;
    if (perfect_order(o, ship_within_days)) ++p.perfect;
  }
  p.rate = percent_hundredths(p.perfect, p.orders);
  return p;
}

}  // namespace o2c::reports
