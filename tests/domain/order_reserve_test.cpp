// plan_order_reservation: lines of one order never reserve the same units.
#include <gtest/gtest.h>

#include "domain/order/records.h"
#include "domain/order/reserve.h"

namespace o2c::order {
namespace {

inventory::WarehouseStock offer(int64_t wh, int priority, int64_t units) {
  return {WarehouseId(wh), priority, Quantity::units(units)};
}

TEST(OrderReservation, LinesOfOneProductShareTheStock) {
  std::map<int64_t, std::vector<inventory::WarehouseStock>> stock = {{7, {offer(1, 1, 3), offer(2, 2, 2)}}};
  auto r = plan_order_reservation({{ProductId(7), Quantity::units(2)}, {ProductId(7), Quantity::units(2)},
                                   {ProductId(7), Quantity::units(4)}},
                                  stock);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->plans.size(), 3u);
  // First line: warehouse 1 serves it whole.
  ASSERT_EQ(r->plans[0].reservations.size(), 1u);
  EXPECT_EQ(r->plans[0].reservations[0].warehouse_id, WarehouseId(1));
  // Second: 1 left in warehouse 1, 2 in warehouse 2 -> warehouse 2 whole.
  ASSERT_EQ(r->plans[1].reservations.size(), 1u);
  EXPECT_EQ(r->plans[1].reservations[0].warehouse_id, WarehouseId(2));
  // Third: only 1 unit left anywhere.
  EXPECT_EQ(r->plans[2].backordered, Quantity::units(3));
  EXPECT_EQ(r->taken_milli[7][1], 3000);
  EXPECT_EQ(r->taken_milli[7][2], 2000);
}

TEST(OrderReservation, UnknownProductIsBackordered) {
  auto r = plan_order_reservation({{ProductId(9), Quantity::from_milli(1500)}}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->plans[0].reservations.empty());
  EXPECT_EQ(r->plans[0].backordered, Quantity::from_milli(1500));
  EXPECT_TRUE(r->taken_milli.empty());
}

TEST(OrderReservation, ErrorsNameTheLine) {
  auto r = plan_order_reservation({{ProductId(1), Quantity::units(1)}, {ProductId(1), Quantity::from_milli(-1)}},
                                  {{1, {offer(1, 1, 5)}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "negative_quantity");
  EXPECT_EQ(r.error().field.rfind("lines[1]", 0), 0u) << r.error().field;
}

TEST(OrderNumber, SixDigitsThenWider) {
  EXPECT_EQ(order_number(1), "SO-000001");
  EXPECT_EQ(order_number(1234567), "SO-1234567");
}

}  // namespace
}  // namespace o2c::order
