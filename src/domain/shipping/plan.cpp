#include "domain/shipping/plan.h"

#include <algorithm>
#include <set>

namespace o2c::shipping {
namespace {

std::string field(size_t i, const char* name) { return "lines[" + std::to_string(i) + "]." + name; }

}  // namespace

Result<std::vector<Pick>> plan_shipment(const std::vector<Reserved>& reserved,
                                        const std::vector<std::string>& order_skus,
                                        const std::optional<std::vector<Requested>>& requested) {
  std::vector<Pick> picks;
  if (!requested) {
    for (const auto& r : reserved) {
      if (r.quantity.is_positive()) picks.push_back({r.line_id, r.sku, r.warehouse_id, r.quantity});
    }
    if (picks.empty()) return Error::conflict("nothing_to_ship", "nothing is reserved on this order to ship");
    return picks;
  }
  if (requested->empty()) return Error::invalid("required", "a shipment needs at least one line", "lines");
  std::set<std::string> seen;
  for (size_t i = 0; i < requested->size(); ++i) {
    const auto& q = (*requested)[i];
    if (!seen.insert(q.sku).second) {
      return Error::invalid("duplicate_sku", "SKU " + q.sku + " is asked for twice; ask once with the sum",
                            field(i, "sku"));
    }
    if (std::find(order_skus.begin(), order_skus.end(), q.sku) == order_skus.end()) {
      return Error::invalid("not_on_order", "SKU " + q.sku + " is not on this order", field(i, "sku"));
    }
    if (!q.quantity.is_positive()) {
      return Error::invalid("non_positive_quantity", "the quantity must be greater than zero", field(i, "quantity"));
    }
    int64_t available = 0;
    for (const auto& r : reserved) {
      if (r.sku == q.sku) available += r.quantity.milli();
    }
    if (q.quantity.milli() > available) {
      return Error::invalid("exceeds_reserved",
                            "only " + Quantity::from_milli(available).to_string() + " of " + q.sku +
                                " is reserved for this order; asked to ship " + q.quantity.to_string(),
                            field(i, "quantity"));
    }
    int64_t left = q.quantity.milli();
    for (const auto& r : reserved) {
      if (left == 0) break;
      if (r.sku != q.sku || !r.quantity.is_positive()) continue;
      int64_t take = std::min(left, r.quantity.milli());
      picks.push_back({r.line_id, r.sku, r.warehouse_id, Quantity::from_milli(take)});
      left -= take;
    }
  }
  return picks;
}

}  // namespace o2c::shipping
