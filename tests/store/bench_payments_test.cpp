#include <gtest/gtest.h>

#include "cli/commands/bench_payments.h"
#include "test_db.h"

namespace o2c::cli {
namespace {

// The plan alone: each customer's payments add up to what it owes (plus the
// overpayment of every tenth), an explicit allocation never asks for more
// than the invoice has open at its turn, and the last payment is free.
TEST(BenchPaymentsPlan, PaysEveryInvoiceOnceAndOverpaysAFew) {
  std::vector<std::vector<SeededInvoice>> inv(20);
  for (int c = 0; c < 20; ++c) inv[static_cast<size_t>(c)] = {{2 * c + 1, 1000 + c}, {2 * c + 2, 3333}};
  int64_t credit = 0;
  const auto plan = plan_payments(inv, 100, &credit);
  ASSERT_EQ(plan.size(), 100u);
  std::vector<int64_t> paid(20, 0);
  int explicit_count = 0;
  for (size_t k = 0; k < plan.size(); ++k) {
    const auto& p = plan[k];
    EXPECT_EQ(p.customer, static_cast<int>(k % 20));
    EXPECT_EQ(p.seq, static_cast<int>(k / 20));
    EXPECT_GT(p.amount_minor, 0);
    if (p.invoice_id) {
      ++explicit_count;
      EXPECT_NE(p.seq, 4) << "a customer's last payment";
      const auto& mine = inv[static_cast<size_t>(p.customer)];
      const int64_t first = mine[0].total_minor;
      const int64_t before = paid[static_cast<size_t>(p.customer)];
      // Oldest open first: the first invoice until it is paid, then the second.
      EXPECT_EQ(*p.invoice_id, before < first ? mine[0].id : mine[1].id);
      EXPECT_LE(before + p.amount_minor, before < first ? first : first + mine[1].total_minor);
    }
    paid[static_cast<size_t>(p.customer)] += p.amount_minor;
  }
  EXPECT_GE(explicit_count, 5);
  EXPECT_LE(explicit_count, 12);
  int64_t overpaid = 0;
  for (int c = 0; c < 20; ++c) {
    const int64_t owed = 1000 + c + 3333;
    EXPECT_GE(paid[static_cast<size_t>(c)], owed);
    overpaid += paid[static_cast<size_t>(c)] - owed;
    if (c % 10 != 3) EXPECT_EQ(paid[static_cast<size_t>(c)], owed) << "customer " << c;
  }
  EXPECT_EQ(overpaid, credit);
  EXPECT_GT(credit, 0);
  EXPECT_TRUE(plan_payments(inv, 100) == plan) << "the same invoices must give the same payments";
}

// The whole run end to end on the test engine, so that the benchmark cannot
// rot unnoticed. No timing is asserted: the machine is shared.
TEST(BenchPayments, RecordsEveryPaymentAndVerifies) {
  BenchPaymentsOptions o;
  o.customers = 20;
  o.invoices_per_customer = 2;
  o.payments = 40;
  auto tdb = test::make_test_database();
  const PaymentsRun r = run_payments_bench(tdb->db(), "test", o, 2);
  EXPECT_EQ(r.errors, 0) << r.first_error;
  EXPECT_EQ(r.applied, 40);
  EXPECT_EQ(r.stored, 40);
  EXPECT_EQ(r.invoices, 40);
  EXPECT_EQ(r.invoices_paid, 40);  // 2 payments per customer pay both its invoices
  EXPECT_EQ(r.open_minor, 0);
  EXPECT_GT(r.explicit_allocations, 0);
  EXPECT_GT(r.planned_credit_minor, 0);
  EXPECT_LE(r.p50_ms, r.p99_ms);
  EXPECT_TRUE(r.breaches.empty()) << (r.breaches.empty() ? "" : r.breaches.front());
}

}  // namespace
}  // namespace o2c::cli
