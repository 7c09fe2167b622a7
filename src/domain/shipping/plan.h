#pragma once
// What a shipment takes: from the units an order has reserved, per line and
// warehouse, the picks that make up the shipment. Pure; the caller has
// locked the order and its stock rows.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/quantity.h"
#include "core/result.h"

namespace o2c::shipping {

// One reservation of the order: `quantity` units of the line's product held
// in a warehouse. The caller passes them in the order picks should use them:
// by line number, then warehouse priority.
struct Reserved {
  OrderLineId line_id;
  int line_no = 0;
  std::string sku;
  WarehouseId warehouse_id;
  Quantity quantity;  // > 0
};

// What the warehouse asks to ship: a SKU of the order and how much of it.
struct Requested {
  std::string sku;
  Quantity quantity;
};

struct Pick {
  OrderLineId line_id;
  std::string sku;
  WarehouseId warehouse_id;
  Quantity quantity;  // > 0
};

// Picks for the request, or for everything reserved when `requested` is
// nullopt. A SKU on several lines of the order is taken from its lines in
// line order. Errors:
//   409 nothing_to_ship      nothing is reserved on the order (ship all);
//   422 required (lines)     an empty list of lines;
//   422 non_positive_quantity (lines[i].quantity);
//   422 duplicate_sku (lines[i].sku) the same SKU asked for twice;
//   422 not_on_order (lines[i].sku)  a SKU the order does not have;
//   422 exceeds_reserved (lines[i].quantity) more than is reserved for it.
// `order_skus` are the SKUs on the order's lines (to tell not_on_order from
// exceeds_reserved when nothing of a SKU is reserved).
Result<std::vector<Pick>> plan_shipment(const std::vector<Reserved>& reserved,
                                        const std::vector<std::string>& order_skus,
                                        const std::optional<std::vector<Requested>>& requested);

}  // namespace o2c::shipping
