#pragma once
// Where an order line's quantity is reserved, and who gets stock that
// arrives for backorders. Plans only: the caller applies them to the stock
// rows in the same transaction, with the rows locked, so `available` is the
// value under that lock.
#include <cstdint>
#include <vector>

#include "core/id.h"
#include "core/quantity.h"
#include "core/result.h"
#include "core/id.h"

namespace o2c::inventory {

// One warehouse's offer for one product.
struct WarehouseStock {
  WarehouseId warehouse_id;
  int priority = 100;  // lower is tried first (masterdata::Warehouse::priority)
  Quantity available;  // on_hand - reserved; zero or less offers nothing
};

struct Reservation {
  WarehouseId warehouse_id;
  Quantity quantity;  // > 0, <= that warehouse's available
};

struct ReservationPlan {
  // In the order taken (priority, then warehouse id); never a zero quantity.
  std::vector<Reservation> reservations;
  Quantity backordered;  // wanted - sum of reservations, >= 0
};

// The reservation of one order line.
// If one warehouse can serve the whole line, the first such warehouse in
// priority order (lower priority first, ties by lower warehouse id) takes it
// all: one parcel beats a split shipment even from a lower-priority
// warehouse. Otherwise warehouses are drained in that same order until the
// line is covered or the stock runs out; the rest is backordered.
// Errors: negative_quantity (field "quantity"; zero gives an empty plan),
// duplicate_warehouse (field "stock[i].warehouse_id").
Result<ReservationPlan> plan_reservation(Quantity wanted, const std::vector<WarehouseStock>& stock);

// A line waiting for stock of the product that arrived.
struct BackorderedLine {
  OrderId order_id;
  OrderLineId line_id;
  int64_t placed_seq = 0;  // when the order was placed, as a sequence: lower is older
  Quantity backordered;    // >= 0; zero takes nothing
};

struct LineAllocation {
  OrderId order_id;
  OrderLineId line_id;
  Quantity quantity;  // > 0, <= the line's backordered quantity
};

struct ReceiptAllocation {
  // Oldest first (placed_seq, then order id, then line id). Every line before
  // the last is filled completely; the last may be filled in part.
  std::vector<LineAllocation> allocations;
  Quantity left_over;  // newly_available - sum of allocations, >= 0: free stock
};

// Stock that became available in one warehouse (a receipt, a cancelled
// order's release) goes to the backorders oldest order first, as API.md
// promises; the caller reserves it in that warehouse.
// Errors: negative_quantity (field "quantity" or "backorders[i].backordered"),
// duplicate_line (field "backorders[i]": the same order line twice).
Result<ReceiptAllocation> allocate_receipt(Quantity newly_available, const std::vector<BackorderedLine>& backorders);

}  // namespace o2c::inventory
