#pragma once
// Giving stock that became available (a receipt, a cancelled order's freed
// reservations) to the orders waiting for it, oldest order first.
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/context.h"
#include "app/masterdata.h"
#include "core/result.h"

namespace o2c::app {

// Reserves what the warehouse's stock row now has available (on_hand -
// reserved; the row locked by the caller) for the product's backordered
// lines, oldest order first, only on orders in `locked_orders` (locked by
// the caller before the stock row: order rows before stock rows, as
// everywhere). Raises the reservations, the lines' and level's reserved
// (written to the stock row); one audit event and one outbox message
// `order.backorder_filled` per order, carrying `source` (e.g. the receipt).
Status fill_backorders(Context& ctx, WarehouseId warehouse, const std::string& warehouse_code,
                       const masterdata::Product& product, inventory::StockLevel& level,
                       const std::set<int64_t>& locked_orders, const nlohmann::json& source,
                       std::vector<BackorderFill>& fills);

}  // namespace o2c::app
