#include <gtest/gtest.h>

#include "domain/collections/dunning.h"

namespace o2c::collections {
namespace {

Date d(const char* s) { return *Date::parse(s); }
Currency eur() { return *Currency::of("EUR"); }

DunningPolicy standard() {
  return {"STANDARD",
          "Standard",
          {{1, 7, 0, 0, "Reminder", kActionEmail},
           {2, 21, 50000, 0, "Second", kActionEmail},
           {3, 35, 100000, 900, "Final", kActionCreditBlock}}};
}

OverdueItem item(int64_t id, const char* due, int64_t open, int reached = 0) {
  OverdueItem it;
  it.invoice_id = id;
  it.number = "INV-" + std::to_string(id);
  it.due_date = d(due);
  it.open_minor = open;
  it.reached_level = reached;
  return it;
}

TEST(PlanDunning, ClimbsOneLevelPerRunOnceEnoughDaysHavePassed) {
  auto early = plan_dunning(standard(), {item(1, "2026-01-19", 5950)}, d("2026-01-25"), eur());
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty()) << "6 days overdue: level 1 waits for 7";
  auto first = plan_dunning(standard(), {item(1, "2026-01-19", 5950)}, d("2026-01-26"), eur());
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].level.level, 1);
  EXPECT_EQ((*first)[0].fee_minor, 0);
  // Long overdue but never reminded: the first reminder, not the last.
  auto late = plan_dunning(standard(), {item(1, "2026-01-19", 5950)}, d("2026-06-01"), eur());
  ASSERT_TRUE(late.ok());
  EXPECT_EQ((*late)[0].level.level, 1);
  auto done = plan_dunning(standard(), {item(1, "2026-01-19", 5950, 3)}, d("2026-06-01"), eur());
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->empty()) << "the last level was sent";
}

TEST(PlanDunning, OneNoticePerLevelWithItsFeeOnceAndInterestPerInvoice) {
  auto plan = plan_dunning(standard(),
                           {item(1, "2026-01-19", 5950, 2), item(2, "2026-01-10", 10000, 2), item(3, "2026-02-01", 100, 0)},
                           d("2026-02-24"), eur());
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ((*plan)[0].level.level, 1);
  EXPECT_EQ((*plan)[0].items.size(), 1u);
  const auto& final_notice = (*plan)[1];
  EXPECT_EQ(final_notice.level.level, 3);
  ASSERT_EQ(final_notice.items.size(), 2u);
  EXPECT_EQ(final_notice.fee_minor, 1000);
  EXPECT_EQ(final_notice.items[0].interest_minor, 53);  // 59.50 x 9 % x 36 / 365 = 0.528
  EXPECT_EQ(final_notice.items[1].interest_minor, 111);  // 100.00 x 9 % x 45 / 365 = 1.1096
  EXPECT_EQ(final_notice.interest_minor, 164);
  EXPECT_EQ(final_notice.overdue_minor, 15950);
}

TEST(PlanDunning, InterestRunsFromTheLastChargeNotTheDueDateAgain) {
  auto it = item(1, "2026-01-01", 36500, 2);
  it.interest_charged_to = d("2026-03-01");
  DunningPolicy p = standard();
  p.levels[2].days_after_due = 60;
  auto plan = plan_dunning(p, {it}, d("2026-03-11"), eur());
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 1u);
  EXPECT_EQ((*plan)[0].items[0].interest_minor, 90);  // 365.00 x 9 % x 10 / 365 = 0.90
}

TEST(PlanDunning, DisputedAndPromisedInvoicesAreLeftAlone) {
  auto disputed = item(1, "2026-01-01", 1000);
  disputed.disputed = true;
  auto promised = item(2, "2026-01-01", 1000);
  promised.promised_on = d("2026-02-15");
  auto plan = plan_dunning(standard(), {disputed, promised}, d("2026-02-15"), eur());
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());
  auto after = plan_dunning(standard(), {disputed, promised}, d("2026-02-16"), eur());
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].items[0].invoice_id, 2);
}

TEST(DunningAmounts, FeesFollowTheCurrencyExponent) {
  EXPECT_EQ(*fee_minor(50000, eur()), 500);
  EXPECT_EQ(*fee_minor(50000, *Currency::of("JPY")), 5);
  EXPECT_EQ(*fee_minor(50000, *Currency::of("KWD")), 5000);
  EXPECT_EQ(*fee_minor(12345, eur()), 123);  // 1.2345 -> 1.23
  EXPECT_EQ(*interest_minor(100000, 900, 0), 0);
  EXPECT_EQ(*interest_minor(-5, 900, 30), 0);
}

TEST(CheckPolicy, RefusesWhatCannotWork) {
  auto code = [](DunningPolicy p) {
    auto s = check_policy(p);
    return s.ok() ? std::string("ok") : s.error().code + "@" + s.error().field;
  };
  EXPECT_EQ(code(standard()), "ok");
  auto p = standard();
  p.levels[1].days_after_due = 7;
  EXPECT_EQ(code(p), "days_not_increasing@levels[1].days_after_due");
  p = standard();
  p.levels[2].level = 4;
  EXPECT_EQ(code(p), "invalid_level@levels[2].level");
  p = standard();
  p.levels[0].action = "phone";
  EXPECT_EQ(code(p), "invalid_action@levels[0].action");
  p = standard();
  p.levels[0].interest_bp = 10001;
  EXPECT_EQ(code(p), "invalid_interest@levels[0].interest_rate");
  p = standard();
  p.levels.clear();
  EXPECT_EQ(code(p), "required@levels");
  p = standard();
  p.code = "bad code";
  EXPECT_EQ(code(p), "invalid_code@code");
}

}  // namespace
}  // namespace o2c::collections
