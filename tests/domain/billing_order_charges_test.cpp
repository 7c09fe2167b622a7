#include <gtest/gtest.h>

#include "domain/billing/order_charges.h"

namespace o2c::billing {
namespace {

using masterdata::TaxCategory;

order::OrderCharge allowance(int64_t amount, int64_t billed = 0, TaxCategory c = TaxCategory::S, int64_t bp = 1900) {
  order::OrderCharge x;
  x.amount_minor = amount;
  x.billed_minor = billed;
  x.tax_category = c;
  x.tax_rate_bp = bp;
  return x;
}

order::OrderCharge charge(int64_t amount, int64_t billed = 0) {
  auto x = allowance(amount, billed);
  x.is_charge = true;
  return x;
}

TEST(ChargeShare, FollowsTheShareOfTheOrderBilledAndTheLastInvoiceTakesTheRest) {
  // Two lines of 100.00 each; the first invoice bills one of them.
  std::vector<BaseLine> first = {{1000, 0, 1000, 10000, TaxCategory::S, 1900}, {3000, 0, 0, 10000, TaxCategory::S, 1900}};
  EXPECT_EQ(charge_share(allowance(1001), first), 500);  // 10.01 x 1/2, rounded down
  EXPECT_EQ(charge_share(charge(995), first), 497);
  std::vector<BaseLine> second = {{1000, 1000, 1000, 10000, TaxCategory::S, 1900},
                                  {3000, 0, 3000, 10000, TaxCategory::S, 1900}};
  EXPECT_EQ(charge_share(allowance(1001, 500), second), 501) << "complete: exactly what is left";
  EXPECT_EQ(charge_share(charge(995, 497), second), 498);
}

TEST(ChargeShare, PartialQuantitiesCountInProportion) {
  std::vector<BaseLine> third = {{3000, 0, 1000, 10000, TaxCategory::S, 1900}};
  EXPECT_EQ(charge_share(allowance(300), third), 99);  // a third of the net is 3333; 300 x 3333/10000 = 99.99 -> 99
  std::vector<BaseLine> rest = {{3000, 1000, 3000, 10000, TaxCategory::S, 1900}};
  EXPECT_EQ(charge_share(allowance(300, 99), rest), 201);
}

TEST(ChargeShare, AnAllowanceFollowsOnlyTheLinesOfItsTaxGroup) {
  std::vector<BaseLine> lines = {{1000, 0, 1000, 5000, TaxCategory::Z, 0}, {1000, 0, 0, 5000, TaxCategory::S, 1900}};
  EXPECT_EQ(charge_share(allowance(200), lines), 0) << "the S line is not billed yet";
  EXPECT_EQ(charge_share(charge(200), lines), 100) << "a charge follows the whole order";
  EXPECT_EQ(charge_share(allowance(200, 0, TaxCategory::Z, 0), lines), 200) << "its group is complete";
}

TEST(ChargeShare, NothingMoreOnceBilledInFull) {
  std::vector<BaseLine> done = {{1000, 1000, 1000, 10000, TaxCategory::S, 1900}};
  EXPECT_EQ(charge_share(allowance(700, 700), done), 0);
}

}  // namespace
}  // namespace o2c::billing
