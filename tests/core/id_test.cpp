#include "core/id.h"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace o2c {
namespace {

// The point of typed ids: no silent conversion between kinds or from int64.
static_assert(!std::is_convertible_v<CustomerId, ProductId>);
static_assert(!std::is_convertible_v<ProductId, CustomerId>);
static_assert(!std::is_convertible_v<int64_t, CustomerId>);
static_assert(!std::is_convertible_v<CustomerId, int64_t>);
static_assert(!std::is_same_v<WarehouseId, UserId>);
static_assert(CustomerId(5).value() == 5);

TEST(Id, DefaultIsInvalidZero) {
  EXPECT_EQ(CustomerId().value(), 0);
  EXPECT_FALSE(CustomerId().valid());
  EXPECT_FALSE(CustomerId(-1).valid());
  EXPECT_TRUE(CustomerId(1).valid());
}

TEST(Id, ToStringIsDecimal) {
  EXPECT_EQ(ProductId(42).to_string(), "42");
  EXPECT_EQ(ProductId(999999999999999999).to_string(), "999999999999999999");
}

TEST(Id, ParsesPositiveDecimals) {
  EXPECT_EQ(CustomerId::parse("1"), CustomerId(1));
  EXPECT_EQ(CustomerId::parse("42"), CustomerId(42));
  EXPECT_EQ(CustomerId::parse("999999999999999999"), CustomerId(999999999999999999));
}

TEST(Id, RefusesAnythingElse) {
  for (const char* text : {"", "0", "00", "01", "-1", "+1", " 1", "1 ", "1a", "a1", "1.0", "0x1", "1e3",
                           "1000000000000000000", "9223372036854775807", "99999999999999999999"}) {
    EXPECT_FALSE(CustomerId::parse(text).has_value()) << "'" << text << "'";
  }
}

TEST(Id, RoundTripsThroughText) {
  for (int64_t v : {int64_t{1}, int64_t{7}, int64_t{1234567}, int64_t{999999999999999999}}) {
    const auto parsed = EventId::parse(EventId(v).to_string());
    ASSERT_TRUE(parsed.has_value()) << v;
    EXPECT_EQ(*parsed, EventId(v));
  }
}

TEST(Id, OrdersByValue) {
  EXPECT_LT(UserId(1), UserId(2));
  EXPECT_EQ(UserId(3), UserId(3));
  EXPECT_NE(UserId(3), UserId(4));
}

}  // namespace
}  // namespace o2c
