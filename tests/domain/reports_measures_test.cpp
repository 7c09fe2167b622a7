// The DSO family against hand-computed cases, with the edge cases: no sales,
// credit notes larger than the sales, payments before due (all receivables
// current), no receivables; the count-back across months; rounding half away
// from zero; percentiles by nearest rank.
#include <gtest/gtest.h>

#include "domain/reports/measures.h"

namespace o2c::reports {
namespace {

TEST(ReportsMeasures, StandardDsoBestPossibleAndDelinquency) {
  DsoInputs in;
  in.days = 90;
  in.receivables_minor = 145650;          // 1456.50
  in.current_receivables_minor = 5950;    // 59.50
  in.beginning_receivables_minor = 6900;  // 69.00
  in.credit_sales_minor = 148750;         // 1487.50
  in.months_back = {{30, 5950}, {31, 119000}, {31, 23800}};
  const Dso r = dso(in);
  EXPECT_EQ(r.dso, 8812);                // 88.124 days
  EXPECT_EQ(r.best_possible_dso, 360);   // 3.60
  EXPECT_EQ(r.average_days_delinquent, 8452);
  EXPECT_EQ(r.cei, 668);                 // 100.00 / 1497.00 = 6.68 %
  EXPECT_EQ(r.countback_dso, 8796);      // 30 + 31 + 207/238 x 31 = 87.96
}

TEST(ReportsMeasures, NoSalesLeavesDsoUndefinedButNotTheCountBack) {
  DsoInputs in;
  in.days = 30;
  in.receivables_minor = 10000;
  in.credit_sales_minor = 0;
  in.months_back = {{30, 0}, {31, 10000}};
  const Dso r = dso(in);
  EXPECT_FALSE(r.dso.has_value());
  EXPECT_FALSE(r.best_possible_dso.has_value());
  EXPECT_FALSE(r.average_days_delinquent.has_value());
  EXPECT_EQ(r.countback_dso, 6100);  // a month without sales, then all of the month before
  // CEI: nothing came in and nothing was collectible beyond the receivables.
  EXPECT_FALSE(r.cei.has_value());
}

TEST(ReportsMeasures, CreditNotesLargerThanSalesGiveNoDso) {
  DsoInputs in;
  in.days = 30;
  in.receivables_minor = 5000;
  in.credit_sales_minor = -2000;  // a big credit note in the window
  const Dso r = dso(in);
  EXPECT_FALSE(r.dso.has_value());
  EXPECT_FALSE(r.best_possible_dso.has_value());
}

TEST(ReportsMeasures, PaidBeforeDueMeansNoDelinquency) {
  DsoInputs in;
  in.days = 30;
  in.receivables_minor = 40000;
  in.current_receivables_minor = 40000;
  in.beginning_receivables_minor = 30000;
  in.credit_sales_minor = 60000;
  const Dso r = dso(in);
  EXPECT_EQ(r.dso, 2000);
  EXPECT_EQ(r.best_possible_dso, 2000);
  EXPECT_EQ(r.average_days_delinquent, 0);
  // Collected 50 000 of the 50 000 that had fallen due: 100 %.
  EXPECT_EQ(r.cei, 10000);
}

TEST(ReportsMeasures, NoReceivablesIsZeroDays) {
  DsoInputs in;
  in.days = 90;
  in.credit_sales_minor = 123456;
  in.beginning_receivables_minor = 1000;
  const Dso r = dso(in);
  EXPECT_EQ(r.dso, 0);
  EXPECT_EQ(r.countback_dso, 0);
  EXPECT_EQ(r.cei, 10000);  // everything collectible was collected
}

TEST(ReportsMeasures, CountBackStopsExactlyAtAMonthAndNeedsEnoughHistory) {
  const std::vector<SalesPeriod> months = {{30, 1000}, {31, 2000}};
  EXPECT_EQ(countback_days(1000, months), 3000);
  EXPECT_EQ(countback_days(3000, months), 6100);
  EXPECT_EQ(countback_days(1500, months), 3000 + 775);  // 500/2000 x 31 = 7.75
  EXPECT_FALSE(countback_days(3001, months).has_value());
  EXPECT_EQ(countback_days(0, {}), 0);
  EXPECT_EQ(countback_days(-5, months), 0);
}

TEST(ReportsMeasures, RoundingIsHalfAwayFromZero) {
  EXPECT_EQ(ratio_hundredths(1, 8), 13);    // 0.125
  EXPECT_EQ(ratio_hundredths(-1, 8), -13);
  EXPECT_EQ(ratio_hundredths(1, 3), 33);
  EXPECT_EQ(ratio_hundredths(2, 3), 67);
  EXPECT_FALSE(ratio_hundredths(1, 0).has_value());
  EXPECT_EQ(percent_hundredths(1, 3), 3333);
  EXPECT_EQ(percent_hundredths(1, 8), 1250);
  EXPECT_EQ(percent_hundredths(1, 80000), 0);  // 0.00125 %
  EXPECT_EQ(percent_hundredths(1, 40000), 0);  // 0.0025 % -> 0.00
  EXPECT_EQ(percent_hundredths(1, 20000), 1);  // 0.005 % -> 0.01
}

TEST(ReportsMeasures, HugeAmountsDoNotOverflow) {
  DsoInputs in;
  in.days = 3660;
  in.receivables_minor = 4'000'000'000'000'000;  // 40 quadrillion cents
  in.current_receivables_minor = 0;
  in.credit_sales_minor = 4'000'000'000'000'000;
  EXPECT_EQ(dso(in).dso, 366000);
}

TEST(ReportsMeasures, PercentileMedianAndMean) {
  EXPECT_FALSE(percentile({}, 50).has_value());
  EXPECT_EQ(percentile({5}, 90), 5);
  const std::vector<int64_t> v = {9, 1, 8, 2, 7, 3, 6, 4, 5, 10};
  EXPECT_EQ(percentile(v, 50), 5);
  EXPECT_EQ(percentile(v, 90), 9);
  EXPECT_EQ(percentile(v, 91), 10);
  EXPECT_EQ(percentile(v, 100), 10);
  EXPECT_EQ(percentile(v, 0), 1);
  EXPECT_EQ(median_hundredths(v), 550);
  EXPECT_EQ(median_hundredths({3, 1, 2}), 200);
  EXPECT_FALSE(median_hundredths({}).has_value());
  const std::vector<int64_t> m = {1, 2, 2};
  EXPECT_EQ(mean_hundredths(m), 167);
  EXPECT_FALSE(mean_hundredths({}).has_value());
}

}  // namespace
}  // namespace o2c::reports
