#include "core/quantity.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <ostream>
#include <random>
#include <string>

namespace o2c {

// Readable failures instead of a byte dump. static: each test file may have
// its own printer without clashing at link time.
[[maybe_unused]] static void PrintTo(const Quantity& q, std::ostream* os) { *os << q.to_string(); }

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

struct QtyOk {
  const char* text;
  int64_t milli;
  const char* canonical;
};

class QuantityParseOk : public ::testing::TestWithParam<QtyOk> {};

TEST_P(QuantityParseOk, ParsesAndFormatsShortest) {
  const QtyOk q = GetParam();
  auto r = Quantity::parse(q.text);
  ASSERT_TRUE(r.ok()) << "'" << q.text << "': " << r.error().code;
  EXPECT_EQ(r->milli(), q.milli);
  EXPECT_EQ(r->to_string(), q.canonical);
}

INSTANTIATE_TEST_SUITE_P(
    Table, QuantityParseOk,
    ::testing::Values(QtyOk{"2", 2000, "2"}, QtyOk{"0.125", 125, "0.125"}, QtyOk{"1.5", 1500, "1.5"},
                      QtyOk{"1.50", 1500, "1.5"}, QtyOk{"1.500", 1500, "1.5"}, QtyOk{"-3", -3000, "-3"},
                      QtyOk{"-1.5", -1500, "-1.5"}, QtyOk{"0", 0, "0"}, QtyOk{"-0", 0, "0"},
                      QtyOk{"0.000", 0, "0"}, QtyOk{"0.001", 1, "0.001"}, QtyOk{"-0.001", -1, "-0.001"},
                      QtyOk{"10.01", 10010, "10.01"}, QtyOk{"100", 100000, "100"},
                      QtyOk{"9223372036854775.807", kMax, "9223372036854775.807"},
                      QtyOk{"-9223372036854775.808", kMin, "-9223372036854775.808"}, QtyOk{"01", 1000, "1"},
                      QtyOk{"-002.50", -2500, "-2.5"}));

struct QtyErr {
  const char* text;
  const char* code;
};

class QuantityParseErr : public ::testing::TestWithParam<QtyErr> {};

TEST_P(QuantityParseErr, RefusesWithCode) {
  const QtyErr q = GetParam();
  auto r = Quantity::parse(q.text);
  ASSERT_FALSE(r.ok()) << "'" << q.text << "' parsed as " << r->milli();
  EXPECT_EQ(r.error().code, q.code) << "'" << q.text << "'";
  EXPECT_EQ(r.error().kind, ErrorKind::unprocessable);
}

INSTANTIATE_TEST_SUITE_P(
    Table, QuantityParseErr,
    ::testing::Values(QtyErr{"", "invalid_quantity"}, QtyErr{"abc", "invalid_quantity"},
                      QtyErr{"1.", "invalid_quantity"}, QtyErr{".5", "invalid_quantity"},
                      QtyErr{"+1", "invalid_quantity"}, QtyErr{"-", "invalid_quantity"},
                      QtyErr{" 1", "invalid_quantity"}, QtyErr{"1 ", "invalid_quantity"},
                      QtyErr{"1e3", "invalid_quantity"}, QtyErr{"1,5", "invalid_quantity"},
                      QtyErr{"--1", "invalid_quantity"},
                      QtyErr{"1.2.3", "invalid_quantity"}, QtyErr{"1.2345", "too_many_decimals"},
                      QtyErr{"0.0001", "too_many_decimals"}, QtyErr{"-1.0000", "too_many_decimals"},
                      QtyErr{"9223372036854775.808", "quantity_out_of_range"},
                      QtyErr{"-9223372036854775.809", "quantity_out_of_range"},
                      QtyErr{"9223372036854776", "quantity_out_of_range"},
                      QtyErr{"100000000000000000000000000000000000000000", "quantity_out_of_range"}));

TEST(QuantityFormat, ExtremesAndShortestForm) {
  EXPECT_EQ(Quantity::from_milli(kMin).to_string(), "-9223372036854775.808");
  EXPECT_EQ(Quantity::from_milli(kMax).to_string(), "9223372036854775.807");
  EXPECT_EQ(Quantity::from_milli(10).to_string(), "0.01");
  EXPECT_EQ(Quantity::from_milli(-100).to_string(), "-0.1");
  EXPECT_EQ(Quantity::units(7).to_string(), "7");
  EXPECT_EQ(Quantity().to_string(), "0");
}

TEST(QuantityArithmetic, CheckedAddSub) {
  EXPECT_EQ(Quantity::units(2).add(Quantity::from_milli(500))->milli(), 2500);
  EXPECT_EQ(Quantity::units(2).sub(Quantity::units(3))->milli(), -1000);
  for (auto r : {Quantity::from_milli(kMax).add(Quantity::from_milli(1)),
                 Quantity::from_milli(kMin).add(Quantity::from_milli(-1)),
                 Quantity::from_milli(kMin).sub(Quantity::from_milli(1)),
                 Quantity::from_milli(0).sub(Quantity::from_milli(kMin))}) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "quantity_overflow");
  }
}

TEST(QuantityCompare, OrdersByValue) {
  EXPECT_LT(Quantity::from_milli(-1), Quantity());
  EXPECT_EQ(Quantity::units(1), Quantity::from_milli(1000));
  EXPECT_TRUE(Quantity::units(1).is_positive());
  EXPECT_TRUE(Quantity().is_zero());
  EXPECT_TRUE(Quantity::from_milli(-1).is_negative());
}

TEST(QuantityProperty, ParseOfFormatIsIdentity) {
  std::mt19937_64 rng(0x51'7a'2026);
  for (int i = 0; i < 20000; ++i) {
    int64_t milli = 0;
    switch (rng() % 4) {
      case 0:
        milli = static_cast<int64_t>(rng());
        break;
      case 1:
        milli = static_cast<int64_t>(rng() % 100001) - 50000;
        break;
      case 2:
        milli = kMax - static_cast<int64_t>(rng() % 1000);
        break;
      default:
        milli = kMin + static_cast<int64_t>(rng() % 1000);
        break;
    }
    const Quantity q = Quantity::from_milli(milli);
    const std::string text = q.to_string();
    ASSERT_NE(text.back(), '.') << text;
    if (text.find('.') != std::string::npos) {
      ASSERT_NE(text.back(), '0') << text;  // shortest form
    }
    auto back = Quantity::parse(text);
    ASSERT_TRUE(back.ok()) << text;
    ASSERT_EQ(back->milli(), milli) << text;
  }
}

}  // namespace
}  // namespace o2c
