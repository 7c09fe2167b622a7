#include <gtest/gtest.h>

#include "domain/collections/statement.h"

namespace o2c::collections {
namespace {

Date d(const char* s) { return *Date::parse(s); }

TEST(Statement, OpensWithWhatWasOwedAndRunsTheBalanceThroughTheRange) {
  std::vector<Movement> ms = {
      {d("2026-01-10"), "payment", "payment 1", -10000, 2},
      {d("2026-01-05"), "invoice", "INV-1", 5950, 0},
      {d("2026-01-12"), "refund", "payment 1", 1000, 4},
      {d("2026-02-01"), "invoice", "INV-2", 1190, 0},  // after the range: left out
  };
  auto s = build_statement(ms, d("2026-01-06"), d("2026-01-31"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->opening_minor, 5950);
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].movement.kind, "payment");
  EXPECT_EQ(s->lines[0].balance_minor, -4050);
  EXPECT_EQ(s->lines[1].balance_minor, -3050);
  EXPECT_EQ(s->closing_minor, -3050);
}

TEST(Statement, SameDayMovementsKeepTheirOrderAndAnEmptyRangeClosesAtTheOpening) {
  std::vector<Movement> ms = {{d("2026-01-05"), "payment", "p", -500, 2}, {d("2026-01-05"), "invoice", "i", 500, 0}};
  auto s = build_statement(ms, d("2026-01-05"), d("2026-01-05"));
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].movement.kind, "invoice");
  EXPECT_EQ(s->closing_minor, 0);
  auto empty = build_statement(ms, d("2026-02-01"), d("2026-02-28"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->lines.empty());
  EXPECT_EQ(empty->closing_minor, 0);
  auto bad = build_statement(ms, d("2026-03-01"), d("2026-02-01"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_range");
}

}  // namespace
}  // namespace o2c::collections
