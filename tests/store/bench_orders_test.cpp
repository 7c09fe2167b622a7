#include <gtest/gtest.h>

#include "cli/commands/bench_orders.h"
#include "test_db.h"

namespace o2c::cli {
namespace {

BenchOrdersOptions tiny() {
  BenchOrdersOptions o;
  o.orders = 50;
  o.customers = 5;
  o.skus = 10;
  o.lines = 3;
  return o;
}

TEST(BenchOrdersWorkload, IsDeterministicAndSizedFromTheOrders) {
  const OrdersWorkload a = make_orders_workload(tiny());
  const OrdersWorkload b = make_orders_workload(tiny());
  ASSERT_EQ(a.drafts.size(), 50u);
  ASSERT_EQ(a.bodies.size(), 50u);
  EXPECT_EQ(a.bodies, b.bodies);
  EXPECT_EQ(a.credit_limits, b.credit_limits);
  EXPECT_EQ(a.credit_limits.size(), 5u);
  EXPECT_EQ(a.stock_units.size(), 10u);
  for (const auto& d : a.drafts) EXPECT_EQ(d.lines.size(), 3u);
}

// Every mode runs end to end on the test engine, so that the benchmark
// cannot rot unnoticed. No timing is asserted: the machine is shared.
void expect_clean_run(OrdersMode mode) {
  const OrdersWorkload w = make_orders_workload(tiny());
  auto tdb = test::make_test_database();
  const OrdersRun r = run_orders(tdb->db(), "test", w, mode, 2);
  EXPECT_EQ(r.errors, 0) << r.first_error;
  EXPECT_EQ(r.placed, 50);
  EXPECT_EQ(r.stored, 50);
  // Customer 1's limit is half what its orders are worth: some of them must wait.
  EXPECT_GT(r.held, 0);
  EXPECT_LT(r.held, 50);
  EXPECT_GE(r.backordered, 0);
  EXPECT_GT(r.orders_per_s, 0);
  EXPECT_LE(r.p50_ms, r.p99_ms);
  EXPECT_TRUE(r.breaches.empty()) << (r.breaches.empty() ? "" : r.breaches.front());
}

TEST(BenchOrders, PlacesEveryOrderThroughTheUseCaseAndVerifies) { expect_clean_run(OrdersMode::use_case); }

TEST(BenchOrders, PlacesEveryOrderOverHttpAndVerifies) { expect_clean_run(OrdersMode::http); }

}  // namespace
}  // namespace o2c::cli
