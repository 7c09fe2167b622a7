#pragma once
// Process measures of the order-to-cash cycle (docs/measures.md): how long
// each step takes, and how many orders went through without a fault.
#include <cstdint>
#include <optional>
#include <span>

#include "core/date.h"
#include "domain/reports/measures.h"

namespace o2c::reports {

// One order that completed the cycle (fully paid).
struct OrderFacts {
  Date placed;
  std::optional<Date> last_shipped;    // the day the last of it left
  int64_t shipments = 0;
  std::optional<Date> first_invoiced;  // its first invoice's issue date
  std::optional<Date> paid;            // the day its last invoice was settled
  bool credit_noted = false;           // a credit note against one of its invoices
  bool disputed = false;               // a dispute on one of its invoices
};

// Median (hundredths of a day) and 90th percentile (whole days) of one step.
struct StepTime {
  Hundredths median_days;
  std::optional<int64_t> p90_days;
  int64_t orders = 0;  // orders that have both ends of the step
};

struct CycleTimes {
  StepTime order_to_ship, ship_to_invoice, invoice_to_pay, order_to_cash;
};
CycleTimes cycle_times(std::span<const OrderFacts> orders);

// Perfect: shipped complete in one shipment within `ship_within_days` of the
// order, invoiced with no credit note after, paid with no dispute.
bool perfect_order(const OrderFacts& o, int32_t ship_within_days);

struct PerfectOrders {
  int64_t orders = 0;
  int64_t perfect = 0;
  Hundredths rate;  // percent
};
PerfectOrders perfect_orders(std::span<const OrderFacts> orders, int32_t ship_within_days);

}  // namespace o2c::reports
