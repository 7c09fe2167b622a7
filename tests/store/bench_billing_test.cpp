#include <gtest/gtest.h>

#include "cli/commands/bench_billing.h"
#include "test_db.h"

namespace o2c::cli {
namespace {

BenchBillingOptions tiny() {
  BenchBillingOptions o;
  o.orders = 40;
  o.customers = 5;
  o.skus = 10;  // SKUs 4 and 8 are zero-rated and exempt: every tax category of the bench is used
  o.lines = 3;
  o.documents = 5;
  return o;
}

TEST(BenchBillingWorkload, LetsEveryOrderThrough) {
  const OrdersWorkload w = make_billing_workload(tiny());
  ASSERT_EQ(w.drafts.size(), 40u);
  ASSERT_EQ(w.stock_units.size(), 10u);
  ASSERT_EQ(w.credit_limits.size(), 5u);
  // Unlike bench orders', no customer is limited below its orders, and
  // placing must hold none: compare with the orders workload's customer 1.
  const OrdersWorkload orders = make_orders_workload([] {
    BenchOrdersOptions o;
    o.orders = 40;
    o.customers = 5;
    o.skus = 10;
    return o;
  }());
  EXPECT_NE(w.credit_limits.front(), orders.credit_limits.front());
  EXPECT_EQ(w.bodies, orders.bodies);  // the same orders, only their credit and stock differ
}

// The whole run end to end on the test engine, so that the benchmark cannot
// rot unnoticed. No timing is asserted: the machine is shared.
TEST(BenchBilling, InvoicesEveryShipmentVerifiesAndRendersDocuments) {
  const OrdersWorkload w = make_billing_workload(tiny());
  auto tdb = test::make_test_database();
  const BillingRun r = run_billing_bench(tdb->db(), "test", w, 2, 5, {1, 2});
  EXPECT_EQ(r.errors, 0) << r.first_error;
  EXPECT_EQ(r.issued, 40);
  EXPECT_EQ(r.stored, 40);
  EXPECT_EQ(r.orders_invoiced, 40);
  // S 19 %, S 7 %, Z and E.
  EXPECT_EQ(r.tax_groups, 4);
  EXPECT_GT(r.invoices_per_s, 0);
  EXPECT_LE(r.p50_ms, r.p99_ms);
  EXPECT_TRUE(r.breaches.empty()) << (r.breaches.empty() ? "" : r.breaches.front());

  ASSERT_EQ(r.documents.size(), 4u);  // pdf and ubl, each on 1 and 2 threads
  int pdf = 0, ubl = 0;
  for (const auto& d : r.documents) {
    (d.format == "pdf" ? pdf : ubl) += 1;
    EXPECT_EQ(d.failures, 0) << d.format << " on " << d.threads << ": " << d.first_failure;
    EXPECT_EQ(d.rendered, 5) << d.format << " on " << d.threads;
    EXPECT_GT(d.avg_kb, 0);
  }
  EXPECT_EQ(pdf, 2);
  EXPECT_EQ(ubl, 2);
}

}  // namespace
}  // namespace o2c::cli
