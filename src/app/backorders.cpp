#include "app/backorders.h"

#include <map>

#include "app/audit.h"
#include "domain/inventory/reservation.h"
#include "store/orders_repo.h"

namespace o2c::app {

Status fill_backorders(Context& ctx, WarehouseId warehouse, const std::string& warehouse_code,
                       const masterdata::Product& product, inventory::StockLevel& level,
                       const std::set<int64_t>& locked_orders, const nlohmann::json& source,
                       std::vector<BackorderFill>& fills) {
  if (!level.available().is_positive() || locked_orders.empty()) return {};
  std::vector<inventory::BackorderedLine> waiting;
  std::map<int64_t, store::orders::BackorderedLineRow> rows;  // by line id
  // Read again under the locks: a locked order may have changed meanwhile.
  for (auto& b : store::orders::backordered_lines_of_product(ctx.uow, product.id)) {
    if (!locked_orders.count(b.order_id.value())) continue;
    waiting.push_back({b.order_id, b.line_id, b.placed_seq, Quantity::from_milli(b.backordered)});
    rows[b.line_id.value()] = b;
  }
  if (waiting.empty()) return {};
  O2C_ASSIGN_OR_RETURN(auto plan, inventory::allocate_receipt(level.available(), waiting));
  int64_t total = 0;
  const size_t first_new = fills.size();
  std::map<int64_t, size_t> fill_of_order;  // order id -> index in fills
  for (const auto& a : plan.allocations) {
    const auto& row = rows.at(a.line_id.value());
    store::orders::add_reservation(ctx.uow, a.line_id, warehouse, a.quantity.milli());
    store::orders::set_line_reserved(ctx.uow, a.line_id, row.reserved + a.quantity.milli());
    total += a.quantity.milli();
    auto [it, fresh] = fill_of_order.try_emplace(a.order_id.value(), fills.size());
    if (fresh) {
      fills.push_back({a.order_id, row.order_number, product.sku, a.quantity});
    } else {
      auto& f = fills[it->second];
      f.quantity = Quantity::from_milli(f.quantity.milli() + a.quantity.milli());
    }
  }
  if (total == 0) return {};
  level.reserved = Quantity::from_milli(level.reserved.milli() + total);
  store::orders::set_stock_reserved(ctx.uow, warehouse, product.id, level.reserved.milli());
  std::string now = ctx.clock.now_rfc3339();
  for (size_t i = first_new; i < fills.size(); ++i) {
    const auto& f = fills[i];
    nlohmann::json payload = {{"order_id", f.order_id.to_string()},
                              {"number", f.order_number},
                              {"sku", f.sku},
                              {"warehouse", warehouse_code},
                              {"quantity", f.quantity.to_string()}};
    payload.update(source);
    record_event(ctx, "order", f.order_id.to_string(), "reserved_from_stock", payload);
    store::orders::outbox_append(ctx.uow, "order.backorder_filled", payload.dump(), now);
  }
  return {};
}

}  // namespace o2c::app
