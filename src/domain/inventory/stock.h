#pragma once
// Stock levels per product and warehouse, and the moving average cost.
#include <cstdint>
#include <string>

#include "core/id.h"
#include "core/money.h"
#include "core/quantity.h"
#include "core/result.h"

namespace o2c::inventory {

struct StockLevel {
  WarehouseId warehouse_id;
  std::string warehouse_code;
  ProductId product_id;
  std::string sku;
  Quantity on_hand;
  Quantity reserved;
  int64_t avg_cost_e4 = 0;
  Quantity available() const { return Quantity::from_milli(on_hand.milli() - reserved.milli()); }
};

struct Receipt {
  Quantity quantity;     // > 0
  int64_t unit_cost_e4;  // >= 0, functional currency
};

// The level after a receipt: on hand grows, the average cost moves to
// (on_hand x avg + qty x cost) / (on_hand + qty), rounded half away from zero
// to ten-thousandths. Error "quantity_overflow" if the stock would overflow.
Result<StockLevel> receive(const StockLevel& level, const Receipt& r);

// The value of `quantity` units at `unit_cost_e4` (ten-thousandths of the
// currency's major unit), rounded half away from zero to the currency's minor
// unit: what a receipt adds to inventory and what a shipment moves to COGS.
// Errors: negative_amount (either input below zero), amount_overflow.
Result<Money> extended_cost(Quantity quantity, int64_t unit_cost_e4, Currency currency);

// Validates a receipt as it arrives: quantity positive with <= 3 decimals.
Result<Receipt> validate_receipt(const std::string& quantity, const std::string& unit_cost);

}  // namespace o2c::inventory
