#include "domain/inventory/reservation.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <string>
#include <tuple>
#include <utility>

namespace o2c::inventory {
namespace {

std::string indexed(const char* name, std::size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

// Indices of `items` sorted by `less`; the input stays in the caller's order
// so that error fields can name the caller's index.
template <typename T, typename Less>
std::vector<std::size_t> sorted_indices(const std::vector<T>& items, Less less) {
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return less(items[a], items[b]); });
  return order;
}

}  // namespace

Result<ReservationPlan> plan_reservation(Quantity wanted, const std::vector<WarehouseStock>& stock) {
  if (wanted.is_negative()) {
    return Error::invalid("negative_quantity", "the quantity to reserve must not be negative", "quantity");
  }
  std::set<WarehouseId> seen;
  for (std::size_t i = 0; i < stock.size(); ++i) {
    if (!seen.insert(stock[i].warehouse_id).second) {
      return Error::invalid("duplicate_warehouse",
                            "warehouse " + stock[i].warehouse_id.to_string() + " is offered twice",
                            indexed("stock", i) + ".warehouse_id");
    }
  }
  // Ids are unique, so this order is total: the plan cannot depend on the
  // order the caller listed the warehouses in.
  const auto order = sorted_indices(stock, [](const WarehouseStock& a, const WarehouseStock& b) {
    return std::pair(a.priority, a.warehouse_id) < std::pair(b.priority, b.warehouse_id);
  });

  ReservationPlan plan{{}, wanted};
  if (wanted.is_zero()) return plan;

  for (std::size_t i : order) {
    if (stock[i].available >= wanted) {
      plan.reservations.push_back({stock[i].warehouse_id, wanted});
      plan.backordered = Quantity();
      return plan;
    }
  }
  int64_t missing = wanted.milli();
  for (std::size_t i : order) {
    if (missing == 0) break;
    const int64_t offer = stock[i].available.milli();
    if (offer <= 0) continue;
    const int64_t take = std::min(offer, missing);
    plan.reservations.push_back({stock[i].warehouse_id, Quantity::from_milli(take)});
    missing -= take;
  }
  plan.backordered = Quantity::from_milli(missing);
  return plan;
}

Result<ReceiptAllocation> allocate_receipt(Quantity newly_available, const std::vector<BackorderedLine>& backorders) {
  if (newly_available.is_negative()) {
    return Error::invalid("negative_quantity", "the newly available quantity must not be negative", "quantity");
  }
  std::set<std::pair<OrderId, OrderLineId>> seen;
  for (std::size_t i = 0; i < backorders.size(); ++i) {
    const BackorderedLine& b = backorders[i];
    if (b.backordered.is_negative()) {
      return Error::invalid("negative_quantity", "a backordered quantity must not be negative",
                            indexed("backorders", i) + ".backordered");
    }
    if (!seen.insert({b.order_id, b.line_id}).second) {
      return Error::invalid("duplicate_line",
                            "line " + b.line_id.to_string() + " of order " + b.order_id.to_string() +
                                " is listed twice",
                            indexed("backorders", i));
    }
  }
  const auto order = sorted_indices(backorders, [](const BackorderedLine& a, const BackorderedLine& b) {
    return std::tuple(a.placed_seq, a.order_id, a.line_id) < std::tuple(b.placed_seq, b.order_id, b.line_id);
  });

  ReceiptAllocation out{{}, newly_available};
  int64_t left = newly_available.milli();
  for (std::size_t i : order) {
    if (left == 0) break;
    const int64_t need = backorders[i].backordered.milli();
    if (need == 0) continue;
    const int64_t take = std::min(need, left);
    out.allocations.push_back({backorders[i].order_id, backorders[i].line_id, Quantity::from_milli(take)});
    left -= take;
  }
  out.left_over = Quantity::from_milli(left);
  return out;
}

}  // namespace o2c::inventory
