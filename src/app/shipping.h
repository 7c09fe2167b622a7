#pragma once
// Use cases of shipping: ship all or part of what an order has reserved,
// mark a shipment delivered, read shipments and their pick lists. Shipping
// moves stock out (on hand and reserved fall together), posts cost of goods
// sold at the moving average cost, and moves the order to partially_shipped
// or shipped, all in the caller's unit of work with audit and outbox.
#include <optional>
#include <vector>

#include "app/context.h"
#include "core/result.h"
#include "domain/masterdata/rules.h"
#include "domain/shipping/records.h"
#include "store/shipping_repo.h"

namespace o2c::app {

struct ShipmentLineDraft {
  masterdata::Text sku;
  masterdata::Text quantity;
};

struct ShipmentDraft {
  masterdata::Text order_id;
  std::optional<std::vector<ShipmentLineDraft>> lines;  // nullopt: everything reserved
  masterdata::Text carrier;
  masterdata::Text tracking_number;
  masterdata::Text as_of;  // the shipping date; default the business date
};

// Errors, each with its field:
//   422 required / unknown_order (order_id), invalid_date (as_of),
//   422 required / invalid_quantity / too_many_decimals (lines[i].quantity),
//   422 the errors of shipping::plan_shipment (lines, lines[i].sku|quantity),
//   409 order_on_credit_hold, order_not_shippable (rejected, cancelled),
//   409 nothing_to_ship (nothing reserved, or the order is already shipped).
Result<shipping::Shipment> create_shipment(Context& ctx, const ShipmentDraft& draft);

// 404 shipment_not_found; 409 already_delivered; 422 invalid_date (as_of)
// or delivered_before_shipped.
Result<shipping::Shipment> deliver_shipment(Context& ctx, int64_t id, const masterdata::Text& as_of);

Result<shipping::Shipment> get_shipment(store::UnitOfWork& uow, int64_t id);
std::vector<shipping::Shipment> list_shipments(store::UnitOfWork& uow, std::optional<OrderId> order,
                                               const store::PageRequest& page,
                                               std::optional<shipping::ShipmentStatus> status = std::nullopt);

}  // namespace o2c::app
