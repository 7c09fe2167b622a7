#pragma once
// Reservation of a whole order: each line planned with
// inventory::plan_reservation against what the lines before it left, so that
// two lines of one product never reserve the same units. Pure.
#include <map>
#include <vector>

#include "core/id.h"
#include "core/quantity.h"
#include "core/result.h"
#include "domain/inventory/reservation.h"

namespace o2c::order {

struct LineWant {
  ProductId product_id;
  Quantity wanted;  // >= 0: what the line still lacks
};

struct OrderReservation {
  std::vector<inventory::ReservationPlan> plans;  // one per line, in input order
  // Per product, per warehouse: the units this order takes (sum of the plans).
  std::map<int64_t, std::map<int64_t, int64_t>> taken_milli;
};

// `stock`: per product id, each warehouse's offer under the caller's locks.
// A product absent from `stock` has nothing available (the line is backordered).
// Errors: those of plan_reservation, field prefixed "lines[i]".
Result<OrderReservation> plan_order_reservation(const std::vector<LineWant>& lines,
                                                std::map<int64_t, std::vector<inventory::WarehouseStock>> stock);

}  // namespace o2c::order
