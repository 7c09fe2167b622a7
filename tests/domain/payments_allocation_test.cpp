#include <gtest/gtest.h>

#include "domain/payments/allocation.h"

namespace o2c::payments {
namespace {

Date d(const char* s) { return *Date::parse(s); }

OpenItem item(int64_t id, const char* due, int64_t open, int64_t discount = 0, const char* discount_until = nullptr) {
  OpenItem it;
  it.invoice_id = id;
  it.number = "INV-" + std::to_string(id);
  it.due_date = d(due);
  it.issue_date = d("2026-01-01");
  it.open_minor = open;
  it.discount_minor = discount;
  if (discount_until) it.discount_date = d(discount_until);
  return it;
}

TEST(PlanPayment, OldestDueFirstAcrossItemsAndTheRestIsUnallocated) {
  auto p = plan_payment(5000, d("2026-03-01"), {item(2, "2026-02-10", 3000), item(1, "2026-02-01", 1500)}, std::nullopt, 0);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->allocations.size(), 2u);
  EXPECT_EQ(p->allocations[0].invoice_id, 1);
  EXPECT_EQ(p->allocations[0].cash_minor, 1500);
  EXPECT_TRUE(p->allocations[0].closes);
  EXPECT_EQ(p->allocations[1].invoice_id, 2);
  EXPECT_EQ(p->allocations[1].cash_minor, 3000);
  EXPECT_EQ(p->unallocated_minor, 500);
}

TEST(PlanPayment, TiesOnDueDateGoByIssueDateThenId) {
  auto a = item(7, "2026-02-01", 100);
  auto b = item(3, "2026-02-01", 100);
  auto c = item(5, "2026-02-01", 100);
  c.issue_date = d("2025-12-01");
  auto p = plan_payment(300, d("2026-03-01"), {a, b, c}, std::nullopt, 0);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->allocations.size(), 3u);
  EXPECT_EQ(p->allocations[0].invoice_id, 5);
  EXPECT_EQ(p->allocations[1].invoice_id, 3);
  EXPECT_EQ(p->allocations[2].invoice_id, 7);
}

TEST(PlanPayment, APartialPaymentLeavesTheRestOpen) {
  auto p = plan_payment(400, d("2026-03-01"), {item(1, "2026-02-01", 1000)}, std::nullopt, 0);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->allocations.size(), 1u);
  EXPECT_EQ(p->allocations[0].cash_minor, 400);
  EXPECT_FALSE(p->allocations[0].closes);
  EXPECT_EQ(p->unallocated_minor, 0);
}

TEST(PlanPayment, TheDiscountIsTakenOnlyInsideItsWindow) {
  const auto it = item(1, "2026-04-01", 11900, 238, "2026-03-12");
  auto inside = plan_payment(11662, d("2026-03-12"), {it}, std::nullopt, 0);
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ(inside->allocations[0].cash_minor, 11662);
  EXPECT_EQ(inside->allocations[0].discount_minor, 238);
  EXPECT_TRUE(inside->allocations[0].closes);
  auto outside = plan_payment(11662, d("2026-03-13"), {it}, std::nullopt, 0);
  ASSERT_TRUE(outside.ok());
  EXPECT_EQ(outside->allocations[0].discount_minor, 0);
  EXPECT_FALSE(outside->allocations[0].closes);
  // Paying the gross inside the window takes the discount; the customer's
  // money goes further (here: to credit).
  auto gross = plan_payment(11900, d("2026-03-01"), {it}, std::nullopt, 0);
  ASSERT_TRUE(gross.ok());
  EXPECT_EQ(gross->allocations[0].cash_minor, 11662);
  EXPECT_EQ(gross->unallocated_minor, 238);
}

TEST(PlanPayment, AnExplicitAllocationBetweenNetAndGrossTakesOnlyTheDifference) {
  const auto it = item(1, "2026-04-01", 11900, 238, "2026-03-12");
  auto p = plan_payment(11800, d("2026-03-10"), {it}, std::vector<RequestedAllocation>{{1, 11800}}, 0);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->allocations[0].discount_minor, 100);
  EXPECT_TRUE(p->allocations[0].closes);
}

TEST(PlanPayment, AShortfallWithinToleranceIsWrittenOffAndBeyondItStaysOpen) {
  auto within = plan_payment(5946, d("2026-06-10"), {item(1, "2026-07-01", 5950)}, std::vector<RequestedAllocation>{{1, 5946}}, 5);
  ASSERT_TRUE(within.ok());
  EXPECT_EQ(within->allocations[0].write_off_minor, 4);
  EXPECT_TRUE(within->allocations[0].closes);
  auto beyond = plan_payment(5940, d("2026-06-10"), {item(1, "2026-07-01", 5950)}, std::vector<RequestedAllocation>{{1, 5940}}, 5);
  ASSERT_TRUE(beyond.ok());
  EXPECT_EQ(beyond->allocations[0].write_off_minor, 0);
  EXPECT_FALSE(beyond->allocations[0].closes);
  // Oldest first closes an item within tolerance and moves on.
  auto auto_ = plan_payment(5946, d("2026-06-10"), {item(1, "2026-07-01", 5950), item(2, "2026-07-02", 100)}, std::nullopt, 5);
  ASSERT_TRUE(auto_.ok());
  ASSERT_EQ(auto_->allocations.size(), 1u);
  EXPECT_EQ(auto_->allocations[0].write_off_minor, 4);
}

TEST(PlanPayment, ExplicitAllocationsAreChecked) {
  const std::vector<OpenItem> items = {item(1, "2026-02-01", 1000), item(2, "2026-02-02", 500)};
  auto code = [&](int64_t amount, std::vector<RequestedAllocation> r) {
    auto p = plan_payment(amount, d("2026-03-01"), items, r, 0);
    return p.ok() ? std::string("ok") : p.error().code + "@" + p.error().field;
  };
  EXPECT_EQ(code(1000, {{9, 100}}), "invoice_not_open@allocations[0].invoice_id");
  EXPECT_EQ(code(1000, {{1, 100}, {1, 100}}), "duplicate_invoice@allocations[1].invoice_id");
  EXPECT_EQ(code(1000, {{1, 0}}), "invalid_amount@allocations[0].amount");
  EXPECT_EQ(code(2000, {{1, 1001}}), "exceeds_open@allocations[0].amount");
  EXPECT_EQ(code(1000, {{1, 600}, {2, 500}}), "allocations_exceed_payment@allocations");
  EXPECT_EQ(code(0, {{1, 1}}), "invalid_amount@amount");
  EXPECT_EQ(code(1500, {{2, 500}, {1, 1000}}), "ok");
}

TEST(PlanPayment, ExplicitAllocationsKeepTheirOrderAndLeaveTheRestUnallocated) {
  auto p = plan_payment(2000, d("2026-03-01"), {item(1, "2026-02-01", 1000), item(2, "2026-02-02", 500)},
                        std::vector<RequestedAllocation>{{2, 500}}, 0);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->allocations.size(), 1u);
  EXPECT_EQ(p->allocations[0].invoice_id, 2);
  EXPECT_EQ(p->unallocated_minor, 1500);
}

TEST(PlanPayment, DisputedItemsAreSkippedByOldestFirst) {
  auto disputed = item(1, "2026-02-01", 1000);
  disputed.disputed = true;
  auto p = plan_payment(300, d("2026-03-01"), {disputed, item(2, "2026-02-05", 500)}, std::nullopt, 0);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->allocations.size(), 1u);
  EXPECT_EQ(p->allocations[0].invoice_id, 2);
}

TEST(DiscountAvailable, ShrinksWithCreditNotes) {
  EXPECT_EQ(discount_available(238, 11900, 0), 238);
  EXPECT_EQ(discount_available(238, 11900, 5950), 119);
  EXPECT_EQ(discount_available(238, 11900, 11900), 0);
  EXPECT_EQ(discount_available(0, 11900, 0), 0);
  EXPECT_EQ(discount_available(3, 1000, 500), 2);  // 1.5 rounds half away from zero
}

TEST(SplitDiscount, SplitsOverTaxGroupsByGrossAndEachIntoNetAndTax) {
  auto one = split_discount(238, {{masterdata::TaxCategory::S, 1900, 10000, 1900}});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].tax_minor, 38);
  EXPECT_EQ((*one)[0].net_minor, 200);

  auto two = split_discount(300, {{masterdata::TaxCategory::S, 1900, 10000, 1900},
                                  {masterdata::TaxCategory::S, 700, 10000, 700}});
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  int64_t sum = 0;
  for (const auto& s : *two) sum += s.net_minor + s.tax_minor;
  EXPECT_EQ(sum, 300) << "shares add up to the discount exactly";
  EXPECT_EQ((*two)[0].net_minor + (*two)[0].tax_minor, 158);  // 300 x 11900 / 22600 = 157.96, largest remainder
  EXPECT_EQ((*two)[0].tax_minor, 25);                          // 158 x 1900 / 11900 = 25.2
}

TEST(SplitDiscount, ZeroRatedGroupsCarryNoTax) {
  auto s = split_discount(100, {{masterdata::TaxCategory::Z, 0, 5000, 0}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)[0].tax_minor, 0);
  EXPECT_EQ((*s)[0].net_minor, 100);
}

}  // namespace
}  // namespace o2c::payments
