#include "domain/shipping/plan.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace o2c::shipping {
namespace {

Quantity q(const char* t) { return Quantity::parse(t).value(); }

// Order: line 1 SKU A reserved 3 in W1 and 2 in W2; line 2 SKU B 4 in W1;
// line 3 SKU A again, 1 in W1.
std::vector<Reserved> reserved() {
  return {{OrderLineId(11), 1, "A", WarehouseId(1), q("3")},
          {OrderLineId(11), 1, "A", WarehouseId(2), q("2")},
          {OrderLineId(12), 2, "B", WarehouseId(1), q("4")},
          {OrderLineId(13), 3, "A", WarehouseId(1), q("1")}};
}
const std::vector<std::string> kSkus = {"A", "B", "A", "C"};

TEST(PlanShipment, NoLinesShipsEverythingReserved) {
  auto picks = plan_shipment(reserved(), kSkus, std::nullopt);
  ASSERT_TRUE(picks.ok());
  ASSERT_EQ(picks->size(), 4u);
  int64_t total = 0;
  for (const auto& p : *picks) total += p.quantity.milli();
  EXPECT_EQ(total, 10000);
}

TEST(PlanShipment, NothingReservedIsAConflict) {
  auto picks = plan_shipment({}, kSkus, std::nullopt);
  ASSERT_FALSE(picks.ok());
  EXPECT_EQ(picks.error().code, "nothing_to_ship");
  EXPECT_EQ(picks.error().kind, ErrorKind::conflict);
}

TEST(PlanShipment, PartialTakesLinesInOrderThenWarehousesInGivenOrder) {
  auto picks = plan_shipment(reserved(), kSkus, std::vector<Requested>{{"A", q("4.5")}});
  ASSERT_TRUE(picks.ok());
  ASSERT_EQ(picks->size(), 2u);
  EXPECT_EQ((*picks)[0].line_id, OrderLineId(11));
  EXPECT_EQ((*picks)[0].warehouse_id, WarehouseId(1));
  EXPECT_EQ((*picks)[0].quantity, q("3"));
  EXPECT_EQ((*picks)[1].warehouse_id, WarehouseId(2));
  EXPECT_EQ((*picks)[1].quantity, q("1.5"));
}

TEST(PlanShipment, ASkuOnTwoLinesSpillsIntoTheLaterLine) {
  auto picks = plan_shipment(reserved(), kSkus, std::vector<Requested>{{"A", q("6")}});
  ASSERT_TRUE(picks.ok());
  ASSERT_EQ(picks->size(), 3u);
  EXPECT_EQ((*picks)[2].line_id, OrderLineId(13));
  EXPECT_EQ((*picks)[2].quantity, q("1"));
}

TEST(PlanShipment, RefusalsNameTheLineAndField) {
  struct Case {
    std::vector<Requested> req;
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {{}, "required", "lines"},
      {{{"B", q("1")}, {"B", q("1")}}, "duplicate_sku", "lines[1].sku"},
      {{{"B", q("1")}, {"Z", q("1")}}, "not_on_order", "lines[1].sku"},
      {{{"A", q("0")}}, "non_positive_quantity", "lines[0].quantity"},
      {{{"A", q("-1")}}, "non_positive_quantity", "lines[0].quantity"},
      {{{"A", q("6.001")}}, "exceeds_reserved", "lines[0].quantity"},
      {{{"C", q("1")}}, "exceeds_reserved", "lines[0].quantity"},  // on the order, nothing reserved
  };
  for (const auto& c : cases) {
    auto picks = plan_shipment(reserved(), kSkus, c.req);
    ASSERT_FALSE(picks.ok()) << c.code;
    EXPECT_EQ(picks.error().code, c.code);
    EXPECT_EQ(picks.error().field, c.field);
    EXPECT_EQ(picks.error().kind, ErrorKind::unprocessable) << c.code;
  }
}

// Whatever is asked, picks never take more from a (line, warehouse) than it
// holds, and they sum to exactly what was asked.
TEST(PlanShipment, PropertyPicksNeverExceedAReservationAndSumToTheRequest) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<Reserved> res;
    std::map<std::string, int64_t> held;
    int lines = 1 + static_cast<int>(rng() % 4);
    for (int l = 1; l <= lines; ++l) {
      std::string sku(1, static_cast<char>('A' + rng() % 3));
      for (int w = 1; w <= 3; ++w) {
        if (rng() % 2) continue;
        int64_t m = 1 + static_cast<int64_t>(rng() % 5000);
        res.push_back({OrderLineId(l), l, sku, WarehouseId(w), Quantity::from_milli(m)});
        held[sku] += m;
      }
    }
    std::vector<std::string> skus = {"A", "B", "C"};
    std::vector<Requested> req;
    for (const auto& [sku, total] : held) {
      if (rng() % 3 == 0) continue;
      req.push_back({sku, Quantity::from_milli(1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(total)))});
    }
    if (req.empty()) continue;
    auto picks = plan_shipment(res, skus, req);
    ASSERT_TRUE(picks.ok()) << picks.error().message;
    std::map<std::string, int64_t> got;
    std::map<std::pair<int64_t, int64_t>, int64_t> taken;
    for (const auto& p : *picks) {
      got[p.sku] += p.quantity.milli();
      taken[{p.line_id.value(), p.warehouse_id.value()}] += p.quantity.milli();
    }
    for (const auto& r : req) EXPECT_EQ(got[r.sku], r.quantity.milli());
    for (const auto& r : res) EXPECT_LE((taken[{r.line_id.value(), r.warehouse_id.value()}]), r.quantity.milli());
  }
}

}  // namespace
}  // namespace o2c::shipping
