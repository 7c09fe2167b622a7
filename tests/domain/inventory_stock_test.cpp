#include "domain/inventory/stock.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace o2c::inventory {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

Quantity qty(const char* text) { return Quantity::parse(text).value(); }

StockLevel level(const char* on_hand, int64_t avg_e4, const char* reserved = "0") {
  StockLevel l;
  l.warehouse_id = WarehouseId(3);
  l.warehouse_code = "WH1";
  l.product_id = ProductId(7);
  l.sku = "SKU-7";
  l.on_hand = qty(on_hand);
  l.reserved = qty(reserved);
  l.avg_cost_e4 = avg_e4;
  return l;
}

// ---------------------------------------------------------------- moving average

struct AvgCase {
  const char* label;
  const char* on_hand;
  int64_t avg_e4;
  const char* received;
  int64_t cost_e4;
  const char* on_hand_after;
  int64_t avg_after_e4;
};

void PrintTo(const AvgCase& c, std::ostream* os) { *os << c.label; }

class MovingAverage : public ::testing::TestWithParam<AvgCase> {};

TEST_P(MovingAverage, Receive) {
  const AvgCase c = GetParam();
  auto r = receive(level(c.on_hand, c.avg_e4), Receipt{qty(c.received), c.cost_e4});
  ASSERT_TRUE(r.ok()) << c.label << ": " << r.error().code;
  EXPECT_EQ(r->on_hand, qty(c.on_hand_after)) << c.label << ": " << r->on_hand.to_string();
  EXPECT_EQ(r->avg_cost_e4, c.avg_after_e4) << c.label;
}

INSTANTIATE_TEST_SUITE_P(
    Table, MovingAverage,
    ::testing::Values(
        // Nothing on hand: the first receipt sets the cost, whatever the old average said.
        AvgCase{"first receipt", "0", 0, "10", 20000, "10", 20000},
        AvgCase{"empty with stale avg", "0", 99999, "5", 12345, "5", 12345},
        AvgCase{"10@2 + 30@4", "10", 20000, "30", 40000, "40", 35000},
        AvgCase{"same cost keeps avg", "8", 15000, "2", 15000, "10", 15000},
        AvgCase{"free goods dilute", "1", 10000, "1", 0, "2", 5000},
        // (1 x 0.0001 + 1 x 0) / 2 = 0.00005: exactly half, rounds away from zero.
        AvgCase{"half rounds up", "1", 1, "1", 0, "2", 1},
        // (1 x 0.0001 + 2 x 0) / 3 = 0.0000333: below half.
        AvgCase{"third rounds down", "1", 1, "2", 0, "3", 0},
        // (2 x 0.0001 + 1 x 0) / 3 = 0.0000667: above half.
        AvgCase{"two thirds rounds up", "2", 1, "1", 0, "3", 1},
        // (1 x 1.0000 + 2 x 2.0001) / 3 = 1.66673333..: 1.6667.
        AvgCase{"fourth decimal", "1", 10000, "2", 20001, "3", 16667},
        // (0.5 x 1 + 0.25 x 4) / 0.75 = 2.
        AvgCase{"fractional quantities", "0.5", 10000, "0.25", 40000, "0.75", 20000},
        // (0.001 x 1 + 0.002 x 2) / 0.003 = 1.6666..: 1.6667.
        AvgCase{"thousandths", "0.001", 10000, "0.002", 20000, "0.003", 16667},
        // (1.5 x 3.3333 + 0.125 x 7.7777) / 1.625 = 3.6751769..: 3.6752.
        AvgCase{"mixed fractions", "1.5", 33333, "0.125", 77777, "1.625", 36752},
        // Oversold stock (negative on hand) that a receipt brings back to zero
        // has no quantity to average over: the receipt's cost is taken.
        AvgCase{"back to zero", "-2", 10000, "2", 30000, "0", 30000}));

TEST(MovingAverage, KeepsTheOtherFields) {
  StockLevel before = level("4", 25000, "1.5");
  auto r = receive(before, Receipt{qty("1"), 25000});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->warehouse_id, before.warehouse_id);
  EXPECT_EQ(r->warehouse_code, "WH1");
  EXPECT_EQ(r->product_id, before.product_id);
  EXPECT_EQ(r->sku, "SKU-7");
  EXPECT_EQ(r->reserved, qty("1.5"));
  EXPECT_EQ(r->available(), qty("3.5"));
  // The input is a value: receive returns a new level, it does not edit the old one.
  EXPECT_EQ(before.on_hand, qty("4"));
}

TEST(MovingAverage, SequenceOfReceiptsMatchesExactArithmetic) {
  __extension__ typedef __int128 I128;
  std::mt19937_64 rng(42);
  StockLevel l = level("0", 0);
  for (int i = 0; i < 2000; ++i) {
    const int64_t q_milli = 1 + static_cast<int64_t>(rng() % 100000);
    const int64_t cost = static_cast<int64_t>(rng() % 10000000);
    const I128 value = static_cast<I128>(l.on_hand.milli()) * l.avg_cost_e4 + static_cast<I128>(q_milli) * cost;
    const I128 total = l.on_hand.milli() + q_milli;
    // Reference rounding, written independently: half away from zero on non-negative values.
    const I128 expect = (2 * value + total) / (2 * total);
    auto r = receive(l, Receipt{Quantity::from_milli(q_milli), cost});
    ASSERT_TRUE(r.ok()) << i;
    ASSERT_EQ(static_cast<I128>(r->avg_cost_e4), expect) << "step " << i;
    l = *r;
  }
}

// ---------------------------------------------------------------- overflow

TEST(MovingAverage, QuantityOverflowIsReported) {
  StockLevel l = level("0", 10000);
  l.on_hand = Quantity::from_milli(kMax);
  auto r = receive(l, Receipt{Quantity::from_milli(1), 10000});
  ASSERT_FALSE(r.ok()) << "wrapped to " << r->on_hand.milli();
  EXPECT_EQ(r.error().code, "quantity_overflow");
}

TEST(MovingAverage, LargestRepresentableValuesDoNotOverflow) {
  // on_hand x avg uses a 128-bit intermediate: near-int64 factors still average exactly.
  StockLevel l = level("0", kMax);
  l.on_hand = Quantity::from_milli(kMax / 2);
  auto r = receive(l, Receipt{Quantity::from_milli(kMax / 2), kMax});
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->avg_cost_e4, kMax);
  EXPECT_EQ(r->on_hand.milli(), kMax / 2 * 2);
}

TEST(MovingAverage, CostOverflowIsReported) {
  // Oversold by one unit, then 1.001 units at the largest cost: the value
  // over 0.001 units is 1001 x INT64_MAX, which no int64 average can hold.
  StockLevel l = level("-1", 0);
  auto r = receive(l, Receipt{qty("1.001"), kMax});
  ASSERT_FALSE(r.ok()) << "average became " << r->avg_cost_e4;
  EXPECT_EQ(r.error().code, "cost_overflow");
  EXPECT_EQ(r.error().kind, ErrorKind::unprocessable);
}

// ---------------------------------------------------------------- validate_receipt

TEST(ValidateReceipt, Accepts) {
  struct Case {
    const char* q;
    const char* cost;
    int64_t milli;
    int64_t cost_e4;
  };
  for (const Case& c : {Case{"1", "0", 1000, 0}, Case{"10", "2.0000", 10000, 20000}, Case{"0.001", "1", 1, 10000},
                        Case{"2.5", "0.0001", 2500, 1}, Case{"1000000", "12.3456", 1000000000, 123456}}) {
    auto r = validate_receipt(c.q, c.cost);
    ASSERT_TRUE(r.ok()) << c.q << " @ " << c.cost << ": " << r.error().code;
    EXPECT_EQ(r->quantity.milli(), c.milli);
    EXPECT_EQ(r->unit_cost_e4, c.cost_e4);
  }
}

struct BadReceipt {
  const char* q;
  const char* cost;
  const char* code;
  const char* field;
};

class ValidateReceiptErr : public ::testing::TestWithParam<BadReceipt> {};

TEST_P(ValidateReceiptErr, Refuses) {
  const BadReceipt b = GetParam();
  auto r = validate_receipt(b.q, b.cost);
  ASSERT_FALSE(r.ok()) << "'" << b.q << "' @ '" << b.cost << "'";
  EXPECT_EQ(r.error().code, b.code) << "'" << b.q << "' @ '" << b.cost << "'";
  EXPECT_EQ(r.error().field, b.field) << "'" << b.q << "' @ '" << b.cost << "'";
  EXPECT_EQ(r.error().kind, ErrorKind::unprocessable);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidateReceiptErr,
    ::testing::Values(BadReceipt{"0", "1", "non_positive_quantity", "quantity"},
                      BadReceipt{"0.000", "1", "non_positive_quantity", "quantity"},
                      BadReceipt{"-0", "1", "non_positive_quantity", "quantity"},
                      BadReceipt{"-1", "1", "non_positive_quantity", "quantity"},
                      BadReceipt{"-0.001", "1", "non_positive_quantity", "quantity"},
                      BadReceipt{"1.0001", "1", "too_many_decimals", "quantity"},
                      BadReceipt{"0.0005", "1", "too_many_decimals", "quantity"},
                      BadReceipt{"", "1", "invalid_quantity", "quantity"},
                      BadReceipt{"ten", "1", "invalid_quantity", "quantity"},
                      BadReceipt{"1e3", "1", "invalid_quantity", "quantity"},
                      BadReceipt{" 1", "1", "invalid_quantity", "quantity"},
                      BadReceipt{"99999999999999999", "1", "quantity_out_of_range", "quantity"},
                      BadReceipt{"1", "", "invalid_number", "unit_cost"},
                      BadReceipt{"1", "abc", "invalid_number", "unit_cost"},
                      BadReceipt{"1", "1.", "invalid_number", "unit_cost"},
                      BadReceipt{"1", "-1", "negative_amount", "unit_cost"},
                      BadReceipt{"1", "-0.0001", "negative_amount", "unit_cost"},
                      BadReceipt{"1", "1.00001", "too_many_decimals", "unit_cost"},
                      BadReceipt{"1", "922337203685477.5808", "number_out_of_range", "unit_cost"},
                      // The quantity is checked first: one error, the first field.
                      BadReceipt{"0", "abc", "non_positive_quantity", "quantity"}));

}  // namespace
}  // namespace o2c::inventory
