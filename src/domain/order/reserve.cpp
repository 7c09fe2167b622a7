#include "domain/order/reserve.h"

#include <string>

namespace o2c::order {

Result<OrderReservation> plan_order_reservation(const std::vector<LineWant>& lines,
                                                std::map<int64_t, std::vector<inventory::WarehouseStock>> stock) {
  OrderReservation out;
  for (size_t i = 0; i < lines.size(); ++i) {
    auto& offers = stock[lines[i].product_id.value()];
    auto plan = inventory::plan_reservation(lines[i].wanted, offers);
    if (!plan.ok()) {
      Error e = plan.take_error();
      e.field = "lines[" + std::to_string(i) + "]" + (e.field.empty() ? "" : "." + e.field);
      return e;
    }
    for (const auto& r : plan->reservations) {
      for (auto& o : offers) {
        if (o.warehouse_id == r.warehouse_id) o.available = Quantity::from_milli(o.available.milli() - r.quantity.milli());
      }
      out.taken_milli[lines[i].product_id.value()][r.warehouse_id.value()] += r.quantity.milli();
    }
    out.plans.push_back(std::move(*plan));
  }
  return out;
}

}  // namespace o2c::order
