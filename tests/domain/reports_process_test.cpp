// Cycle times and the perfect order against hand-computed cases: steps with
// a missing end are left out of that step only; a perfect order needs one
// shipment, on time, no credit note, no dispute.
#include <gtest/gtest.h>

#include "domain/reports/process.h"

namespace o2c::reports {
namespace {

Date d(const char* s) { return *Date::parse(s); }

OrderFacts order(const char* placed, const char* shipped, const char* invoiced, const char* paid) {
  OrderFacts o;
  o.placed = d(placed);
  if (shipped) o.last_shipped = d(shipped);
  o.shipments = shipped ? 1 : 0;
  if (invoiced) o.first_invoiced = d(invoiced);
  if (paid) o.paid = d(paid);
  return o;
}

TEST(ReportsProcess, CycleTimesPerStep) {
  const std::vector<OrderFacts> orders = {
      order("2026-11-20", "2026-11-21", "2026-11-21", "2026-11-30"),
      order("2026-11-20", "2026-11-20", "2026-11-20", "2026-12-10"),
      order("2026-11-20", "2026-11-25", "2026-11-25", "2026-12-20"),
      order("2026-11-20", "2026-11-20", "2026-11-20", "2026-12-05"),
  };
  const CycleTimes c = cycle_times(orders);
  EXPECT_EQ(c.order_to_ship.median_days, 50);
  EXPECT_EQ(c.order_to_ship.p90_days, 5);
  EXPECT_EQ(c.order_to_ship.orders, 4);
  EXPECT_EQ(c.ship_to_invoice.median_days, 0);
  EXPECT_EQ(c.invoice_to_pay.median_days, 1750);
  EXPECT_EQ(c.invoice_to_pay.p90_days, 25);
  EXPECT_EQ(c.order_to_cash.median_days, 1750);
  EXPECT_EQ(c.order_to_cash.p90_days, 30);
}

TEST(ReportsProcess, AStepWithoutItsEndIsLeftOut) {
  const std::vector<OrderFacts> orders = {order("2026-01-01", nullptr, "2026-01-03", "2026-01-13")};
  const CycleTimes c = cycle_times(orders);
  EXPECT_EQ(c.order_to_ship.orders, 0);
  EXPECT_FALSE(c.order_to_ship.median_days.has_value());
  EXPECT_FALSE(c.order_to_ship.p90_days.has_value());
  EXPECT_EQ(c.invoice_to_pay.median_days, 1000);
  EXPECT_EQ(c.order_to_cash.median_days, 1200);
}

TEST(ReportsProcess, PerfectOrder) {
  auto o = order("2026-11-20", "2026-11-22", "2026-11-22", "2026-12-01");
  EXPECT_TRUE(perfect_order(o, 2));
  EXPECT_FALSE(perfect_order(o, 1));  // late
  auto split = o;
  split.shipments = 2;
  EXPECT_FALSE(perfect_order(split, 2));
  auto credited = o;
  credited.credit_noted = true;
  EXPECT_FALSE(perfect_order(credited, 2));
  auto disputed = o;
  disputed.disputed = true;
  EXPECT_FALSE(perfect_order(disputed, 2));
  auto unpaid = o;
  unpaid.paid.reset();
  EXPECT_FALSE(perfect_order(unpaid, 2));

  const std::vector<OrderFacts> all = {o, split, credited};
  const PerfectOrders p = perfect_orders(all, 2);
  EXPECT_EQ(p.orders, 3);
  EXPECT_EQ(p.perfect, 1);
  EXPECT_EQ(p.rate, 3333);
  EXPECT_FALSE(perfect_orders({}, 2).rate.has_value());
}

}  // namespace
}  // namespace o2c::reports
