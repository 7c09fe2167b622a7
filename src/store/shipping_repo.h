#pragma once
// Typed access to shipments and their lines. Runs inside the caller's unit
// of work; never commits. All SQL of these tables is here.
#include <optional>
#include <vector>

#include "domain/shipping/records.h"
#include "store/db.h"
#include "store/repos.h"

namespace o2c::store::shipments {

// Inserts the shipment and its lines; sets their ids.
void insert(UnitOfWork& uow, shipping::Shipment& s);
// With lines (warehouse code, bin and product name joined in), or nullopt.
std::optional<shipping::Shipment> find(UnitOfWork& uow, int64_t id, bool for_update = false);
// Ascending id > page.after, at most page.limit; only the order's when given.
// `status`: only shipments in it (the warehouse's "to deliver" list).
std::vector<shipping::Shipment> list(UnitOfWork& uow, std::optional<OrderId> order, const PageRequest& page,
                                     std::optional<shipping::ShipmentStatus> status = std::nullopt);
void set_delivered(UnitOfWork& uow, int64_t id, const std::string& on, const std::string& at);

// For `o2c verify`: order lines whose shipped quantity differs from the sum
// of their shipment lines.
std::vector<std::string> shipped_mismatches(UnitOfWork& uow);

}  // namespace o2c::store::shipments
