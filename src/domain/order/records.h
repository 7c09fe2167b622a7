#pragma once
// The order as the business sees it. Plain data: the store persists these
// shapes; the rules live in status.h, billing/totals.h, credit/check.h and
// inventory/reservation.h.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "domain/masterdata/records.h"
#include "domain/order/status.h"

namespace o2c::order {

struct OrderLine {
  OrderLineId id;
  int line_no = 0;
  ProductId product_id;
  std::string sku;
  int64_t quantity = 0;  // thousandths, > 0
  int64_t unit_price_e4 = 0;
  bool price_overridden = false;
  masterdata::TaxCategory tax_category = masterdata::TaxCategory::S;
  int64_t tax_rate_bp = 0;
  int64_t line_net_minor = 0;
  int64_t reserved = 0;  // thousandths
  int64_t shipped = 0;
  int64_t invoiced = 0;
};

// A document-level allowance (a discount on the whole order) or charge
// (freight, packing) in one tax group, EN 16931 BG-20 / BG-21. Invoices bill
// it in proportion to what they bill of the order (billing/order_charges.h);
// billed_minor is how much of it invoices carry so far.
struct OrderCharge {
  int seq = 0;
  bool is_charge = false;
  int64_t amount_minor = 0;  // > 0
  std::string reason;
  masterdata::TaxCategory tax_category = masterdata::TaxCategory::S;
  int64_t tax_rate_bp = 0;
  int64_t billed_minor = 0;
};

struct HoldReason {
  std::string code;
  std::string message;
};

struct Order {
  OrderId id;
  std::string number;  // "SO-000001"
  CustomerId customer_id;
  std::string currency;
  OrderStatus status = OrderStatus::open;
  std::optional<std::string> external_ref;
  std::optional<std::string> ship_to;
  int64_t net_total_minor = 0;
  int64_t tax_total_minor = 0;
  int64_t total_minor = 0;
  std::vector<HoldReason> hold_reasons;
  int64_t placed_seq = 0;
  std::optional<UserId> created_by;
  std::string placed_on;  // the business date it was placed on (YYYY-MM-DD)
  std::string created_at;
  std::string updated_at;
  std::vector<OrderLine> lines;
  std::vector<OrderCharge> charges;  // allowances and charges, by seq
};

// "SO-000001" for sequence 1; wider when the sequence outgrows six digits.
std::string order_number(int64_t seq);

}  // namespace o2c::order
