#pragma once
// A shipment as the business sees it: what left which warehouse for which
// order line, at what cost. Plain data persisted by store/shipping_repo.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"

namespace o2c::shipping {

enum class ShipmentStatus { shipped, delivered };
inline const char* to_string(ShipmentStatus s) { return s == ShipmentStatus::shipped ? "shipped" : "delivered"; }

struct ShipmentLine {
  int64_t id = 0;
  OrderLineId order_line_id;
  ProductId product_id;
  std::string sku;
  std::string product_name;
  WarehouseId warehouse_id;
  std::string warehouse_code;
  std::optional<std::string> bin;
  int64_t quantity = 0;  // thousandths
  int64_t unit_cost_e4 = 0;
  int64_t cost_minor = 0;
};

struct Shipment {
  int64_t id = 0;
  std::string number;  // "SH-000001"
  OrderId order_id;
  std::string order_number;
  ShipmentStatus status = ShipmentStatus::shipped;
  std::optional<std::string> carrier;
  std::optional<std::string> tracking_number;
  std::optional<std::string> ship_to;
  std::string shipped_on;
  std::optional<std::string> delivered_on;
  int64_t cost_minor = 0;
  std::string cost_currency;
  std::optional<UserId> created_by;
  std::string created_at;
  std::string updated_at;
  std::vector<ShipmentLine> lines;
  // The invoice issued for this shipment (per-shipment billing), read back.
  std::optional<int64_t> invoice_id;
  std::optional<std::string> invoice_number;
};

// "SH-000001" for sequence 1.
std::string shipment_number(int64_t seq);

}  // namespace o2c::shipping
