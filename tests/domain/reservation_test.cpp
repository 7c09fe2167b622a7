#include "domain/inventory/reservation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace o2c::inventory {
namespace {

Quantity qty(const char* text) { return Quantity::parse(text).value(); }

struct Offer {
  int64_t id;
  int priority;
  const char* available;
};

struct Take {
  int64_t id;
  const char* quantity;
};

std::vector<WarehouseStock> stock_of(const std::vector<Offer>& offers) {
  std::vector<WarehouseStock> out;
  for (const Offer& o : offers) out.push_back({WarehouseId(o.id), o.priority, qty(o.available)});
  return out;
}

// ---------------------------------------------------------------- plan table

struct PlanCase {
  const char* label;
  const char* wanted;
  std::vector<Offer> stock;
  std::vector<Take> expected;
  const char* backordered;
};

void PrintTo(const PlanCase& c, std::ostream* os) { *os << c.label; }

class ReservationPlanTable : public ::testing::TestWithParam<PlanCase> {};

TEST_P(ReservationPlanTable, Plans) {
  const PlanCase& c = GetParam();
  auto r = plan_reservation(qty(c.wanted), stock_of(c.stock));
  ASSERT_TRUE(r.ok()) << c.label << ": " << r.error().code;
  ASSERT_EQ(r->reservations.size(), c.expected.size()) << c.label;
  for (std::size_t i = 0; i < c.expected.size(); ++i) {
    EXPECT_EQ(r->reservations[i].warehouse_id, WarehouseId(c.expected[i].id)) << c.label << " #" << i;
    EXPECT_EQ(r->reservations[i].quantity, qty(c.expected[i].quantity)) << c.label << " #" << i;
  }
  EXPECT_EQ(r->backordered, qty(c.backordered)) << c.label << ": " << r->backordered.to_string();
}

INSTANTIATE_TEST_SUITE_P(
    Reservation, ReservationPlanTable,
    ::testing::Values(
        PlanCase{"one warehouse, enough", "5", {{1, 100, "10"}}, {{1, "5"}}, "0"},
        PlanCase{"exact fit is a whole line", "5", {{1, 1, "5"}, {2, 2, "50"}}, {{1, "5"}}, "0"},
        // The priority-1 warehouse has some, but only warehouse 2 can ship it in one parcel.
        PlanCase{"whole line beats priority", "5", {{1, 1, "3"}, {2, 2, "10"}}, {{2, "5"}}, "0"},
        PlanCase{"first whole-line warehouse", "5", {{3, 3, "10"}, {1, 1, "3"}, {2, 2, "10"}}, {{2, "5"}}, "0"},
        PlanCase{"priority tie: lower id", "5", {{5, 1, "10"}, {3, 1, "10"}}, {{3, "5"}}, "0"},
        PlanCase{"priority before id", "5", {{1, 9, "10"}, {8, 2, "10"}}, {{8, "5"}}, "0"},
        PlanCase{"split, backorder", "10", {{2, 2, "4"}, {1, 1, "3"}}, {{1, "3"}, {2, "4"}}, "3"},
        PlanCase{"split covers the line", "9", {{1, 1, "3"}, {2, 2, "4"}, {3, 3, "5"}},
                 {{1, "3"}, {2, "4"}, {3, "2"}}, "0"},
        PlanCase{"split in priority order, not id", "3", {{9, 1, "2"}, {1, 5, "2"}}, {{9, "2"}, {1, "1"}}, "0"},
        PlanCase{"empty and negative offer nothing", "6", {{1, 1, "0"}, {2, 2, "-2"}, {3, 3, "4"}, {4, 4, "4"}},
                 {{3, "4"}, {4, "2"}}, "0"},
        PlanCase{"nothing anywhere", "5", {{1, 1, "0"}, {2, 1, "-1"}}, {}, "5"},
        PlanCase{"no warehouses", "5", {}, {}, "5"},
        PlanCase{"nothing wanted", "0", {{1, 1, "10"}}, {}, "0"},
        PlanCase{"thousandths", "2.5", {{1, 1, "1.25"}, {2, 2, "1.2"}}, {{1, "1.25"}, {2, "1.2"}}, "0.05"},
        PlanCase{"a thousandth short", "1", {{1, 1, "0.999"}}, {{1, "0.999"}}, "0.001"}));

TEST(ReservationPlanErrors, NegativeWanted) {
  auto r = plan_reservation(qty("-1"), stock_of({{1, 1, "10"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "negative_quantity");
  EXPECT_EQ(r.error().field, "quantity");
}

TEST(ReservationPlanErrors, DuplicateWarehouse) {
  auto r = plan_reservation(qty("1"), stock_of({{1, 1, "10"}, {2, 1, "10"}, {1, 2, "3"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "duplicate_warehouse");
  EXPECT_EQ(r.error().field, "stock[2].warehouse_id");
}

// ---------------------------------------------------------------- receipt table

struct Waiting {
  int64_t order;
  int64_t line;
  int64_t placed_seq;
  const char* backordered;
};

struct Gets {
  int64_t order;
  int64_t line;
  const char* quantity;
};

std::vector<BackorderedLine> waiting_of(const std::vector<Waiting>& ws) {
  std::vector<BackorderedLine> out;
  for (const Waiting& w : ws) out.push_back({OrderId(w.order), OrderLineId(w.line), w.placed_seq, qty(w.backordered)});
  return out;
}

struct ReceiptCase {
  const char* label;
  const char* available;
  std::vector<Waiting> waiting;
  std::vector<Gets> expected;
  const char* left_over;
};

void PrintTo(const ReceiptCase& c, std::ostream* os) { *os << c.label; }

class ReservationReceiptTable : public ::testing::TestWithParam<ReceiptCase> {};

TEST_P(ReservationReceiptTable, OldestFirst) {
  const ReceiptCase& c = GetParam();
  auto r = allocate_receipt(qty(c.available), waiting_of(c.waiting));
  ASSERT_TRUE(r.ok()) << c.label << ": " << r.error().code;
  ASSERT_EQ(r->allocations.size(), c.expected.size()) << c.label;
  for (std::size_t i = 0; i < c.expected.size(); ++i) {
    EXPECT_EQ(r->allocations[i].order_id, OrderId(c.expected[i].order)) << c.label << " #" << i;
    EXPECT_EQ(r->allocations[i].line_id, OrderLineId(c.expected[i].line)) << c.label << " #" << i;
    EXPECT_EQ(r->allocations[i].quantity, qty(c.expected[i].quantity)) << c.label << " #" << i;
  }
  EXPECT_EQ(r->left_over, qty(c.left_over)) << c.label;
}

INSTANTIATE_TEST_SUITE_P(
    Reservation, ReservationReceiptTable,
    ::testing::Values(
        ReceiptCase{"oldest first, last in part", "6",
                    {{1, 11, 10, "5"}, {2, 21, 5, "3"}, {3, 31, 20, "4"}},
                    {{2, 21, "3"}, {1, 11, "3"}}, "0"},
        ReceiptCase{"same placement: lower order id", "4", {{7, 1, 5, "3"}, {4, 2, 5, "3"}}, {{4, 2, "3"}, {7, 1, "1"}},
                    "0"},
        ReceiptCase{"same order: lower line id", "4", {{4, 9, 5, "3"}, {4, 2, 5, "3"}}, {{4, 2, "3"}, {4, 9, "1"}},
                    "0"},
        ReceiptCase{"placement before order id", "1", {{1, 1, 9, "1"}, {2, 1, 3, "1"}}, {{2, 1, "1"}}, "0"},
        ReceiptCase{"more than needed", "10", {{1, 1, 1, "2"}, {2, 1, 2, "3.5"}}, {{1, 1, "2"}, {2, 1, "3.5"}},
                    "4.5"},
        ReceiptCase{"zero backorder takes nothing", "2", {{1, 1, 1, "0"}, {2, 1, 2, "5"}}, {{2, 1, "2"}}, "0"},
        ReceiptCase{"nothing arrived", "0", {{1, 1, 1, "5"}}, {}, "0"},
        ReceiptCase{"nobody waiting", "3", {}, {}, "3"},
        ReceiptCase{"thousandths", "0.003", {{1, 1, 1, "0.002"}, {2, 1, 2, "0.002"}},
                    {{1, 1, "0.002"}, {2, 1, "0.001"}}, "0"}));

TEST(ReservationReceiptErrors, Refused) {
  auto neg_available = allocate_receipt(qty("-1"), {});
  ASSERT_FALSE(neg_available.ok());
  EXPECT_EQ(neg_available.error().code, "negative_quantity");
  EXPECT_EQ(neg_available.error().field, "quantity");

  auto neg_line = allocate_receipt(qty("1"), waiting_of({{1, 1, 1, "1"}, {2, 1, 1, "-0.001"}}));
  ASSERT_FALSE(neg_line.ok());
  EXPECT_EQ(neg_line.error().code, "negative_quantity");
  EXPECT_EQ(neg_line.error().field, "backorders[1].backordered");

  auto dup = allocate_receipt(qty("1"), waiting_of({{1, 1, 1, "1"}, {1, 2, 1, "1"}, {1, 1, 3, "2"}}));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "duplicate_line");
  EXPECT_EQ(dup.error().field, "backorders[2]");
}

// ---------------------------------------------------------------- properties

struct Rng {
  std::mt19937_64 engine;
  explicit Rng(uint64_t seed) : engine(seed) {}
  int64_t below(int64_t n) { return static_cast<int64_t>(engine() % static_cast<uint64_t>(n)); }
};

bool before(const WarehouseStock& a, const WarehouseStock& b) {
  return std::pair(a.priority, a.warehouse_id) < std::pair(b.priority, b.warehouse_id);
}

TEST(ReservationProperty, PlansAreSoundAndPreferWholeLines) {
  Rng rng(1'000'003);
  int whole = 0, split = 0, short_lines = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<WarehouseStock> stock;
    const int n = static_cast<int>(rng.below(7));
    std::vector<int64_t> ids{1, 2, 3, 4, 5, 6, 7, 8, 9};
    std::shuffle(ids.begin(), ids.end(), rng.engine);
    for (int i = 0; i < n; ++i) {
      // A few thousandths, or whole units; now and then an oversold (negative) row.
      const int64_t milli = rng.below(2) ? rng.below(20) * 1000 : rng.below(20000);
      stock.push_back({WarehouseId(ids[static_cast<std::size_t>(i)]), static_cast<int>(rng.below(4)),
                       Quantity::from_milli(rng.below(10) == 0 ? -milli : milli)});
    }
    const Quantity wanted = Quantity::from_milli(rng.below(2) ? rng.below(30) * 1000 : rng.below(30000));

    auto r = plan_reservation(wanted, stock);
    ASSERT_TRUE(r.ok()) << iter;
    const ReservationPlan& p = *r;

    // Conservation: reserved + backordered == wanted, nothing negative.
    int64_t reserved = 0;
    std::set<WarehouseId> used;
    std::map<WarehouseId, WarehouseStock> by_id;
    for (const auto& s : stock) by_id.emplace(s.warehouse_id, s);
    for (const Reservation& res : p.reservations) {
      ASSERT_TRUE(by_id.count(res.warehouse_id)) << iter;
      EXPECT_TRUE(used.insert(res.warehouse_id).second) << iter << ": a warehouse twice";
      EXPECT_GT(res.quantity.milli(), 0) << iter;
      EXPECT_LE(res.quantity, by_id.at(res.warehouse_id).available) << iter << ": over-reserved";
      reserved += res.quantity.milli();
    }
    EXPECT_GE(p.backordered.milli(), 0) << iter;
    EXPECT_EQ(reserved + p.backordered.milli(), wanted.milli()) << iter;

    std::vector<WarehouseStock> sorted = stock;
    std::sort(sorted.begin(), sorted.end(), before);
    const auto first_whole = std::find_if(sorted.begin(), sorted.end(),
                                          [&](const WarehouseStock& s) { return s.available >= wanted; });
    if (wanted.is_zero()) {
      EXPECT_TRUE(p.reservations.empty()) << iter;
    } else if (first_whole != sorted.end()) {
      // Whole-line preference: one reservation, at the first warehouse that can.
      ASSERT_EQ(p.reservations.size(), 1u) << iter;
      EXPECT_EQ(p.reservations[0].warehouse_id, first_whole->warehouse_id) << iter;
      EXPECT_EQ(p.reservations[0].quantity, wanted) << iter;
      ++whole;
    } else {
      // Greedy in priority order: every warehouse with stock is drained, in
      // order, until the line is covered; a backorder means all were drained.
      int64_t missing = wanted.milli();
      std::size_t k = 0;
      for (const auto& s : sorted) {
        if (missing == 0 || s.available.milli() <= 0) continue;
        const int64_t take = std::min(missing, s.available.milli());
        ASSERT_LT(k, p.reservations.size()) << iter;
        EXPECT_EQ(p.reservations[k].warehouse_id, s.warehouse_id) << iter;
        EXPECT_EQ(p.reservations[k].quantity.milli(), take) << iter;
        missing -= take;
        ++k;
      }
      EXPECT_EQ(k, p.reservations.size()) << iter;
      EXPECT_EQ(p.backordered.milli(), missing) << iter;
      ++split;
      if (missing > 0) ++short_lines;
    }

    // The caller's listing order does not change the plan.
    std::shuffle(stock.begin(), stock.end(), rng.engine);
    auto again = plan_reservation(wanted, stock);
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->reservations.size(), p.reservations.size()) << iter;
    for (std::size_t i = 0; i < p.reservations.size(); ++i) {
      EXPECT_EQ(again->reservations[i].warehouse_id, p.reservations[i].warehouse_id) << iter;
      EXPECT_EQ(again->reservations[i].quantity, p.reservations[i].quantity) << iter;
    }
  }
  // The generator reaches every branch often.
  EXPECT_GT(whole, 1000);
  EXPECT_GT(split, 1000);
  EXPECT_GT(short_lines, 500);
}

TEST(ReservationProperty, ReceiptsFillOldestFirst) {
  Rng rng(77);
  int partial_last = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::vector<BackorderedLine> waiting;
    const int n = static_cast<int>(rng.below(8));
    std::set<std::pair<int64_t, int64_t>> keys;
    while (static_cast<int>(waiting.size()) < n) {
      const int64_t order = 1 + rng.below(5);
      const int64_t line = 1 + rng.below(3);
      if (!keys.insert({order, line}).second) continue;
      waiting.push_back({OrderId(order), OrderLineId(line), rng.below(4),
                         Quantity::from_milli(rng.below(5) == 0 ? 0 : 1 + rng.below(10000))});
    }
    const Quantity arrived = Quantity::from_milli(rng.below(30000));

    auto r = allocate_receipt(arrived, waiting);
    ASSERT_TRUE(r.ok()) << iter;

    std::vector<BackorderedLine> queue = waiting;
    std::sort(queue.begin(), queue.end(), [](const BackorderedLine& a, const BackorderedLine& b) {
      return std::tuple(a.placed_seq, a.order_id, a.line_id) < std::tuple(b.placed_seq, b.order_id, b.line_id);
    });
    std::erase_if(queue, [](const BackorderedLine& b) { return b.backordered.is_zero(); });

    int64_t allocated = 0;
    ASSERT_LE(r->allocations.size(), queue.size()) << iter;
    for (std::size_t i = 0; i < r->allocations.size(); ++i) {
      const LineAllocation& a = r->allocations[i];
      EXPECT_EQ(a.order_id, queue[i].order_id) << iter << ": not oldest first";
      EXPECT_EQ(a.line_id, queue[i].line_id) << iter;
      EXPECT_GT(a.quantity.milli(), 0) << iter;
      EXPECT_LE(a.quantity, queue[i].backordered) << iter;
      if (i + 1 < r->allocations.size()) EXPECT_EQ(a.quantity, queue[i].backordered) << iter << ": gap";
      allocated += a.quantity.milli();
    }
    EXPECT_EQ(allocated + r->left_over.milli(), arrived.milli()) << iter;
    EXPECT_GE(r->left_over.milli(), 0) << iter;
    int64_t demand = 0;
    for (const auto& b : queue) demand += b.backordered.milli();
    EXPECT_EQ(allocated, std::min(demand, arrived.milli())) << iter;
    if (!r->allocations.empty() &&
        r->allocations.back().quantity < queue[r->allocations.size() - 1].backordered) {
      ++partial_last;
    }
  }
  EXPECT_GT(partial_last, 1000);
}

}  // namespace
}  // namespace o2c::inventory
