// Aging buckets: the boundaries (0, 1, 30, 31, 60, 61, 90, 91 days), the two
// bases, per-customer and total sums, and items with nothing open left out.
#include <gtest/gtest.h>

#include "domain/reports/aging.h"

namespace o2c::reports {
namespace {

Date d(const char* s) { return *Date::parse(s); }

TEST(ReportsAging, BucketBoundaries) {
  EXPECT_EQ(bucket_for(-10), Bucket::current);
  EXPECT_EQ(bucket_for(0), Bucket::current);
  EXPECT_EQ(bucket_for(1), Bucket::d1_30);
  EXPECT_EQ(bucket_for(30), Bucket::d1_30);
  EXPECT_EQ(bucket_for(31), Bucket::d31_60);
  EXPECT_EQ(bucket_for(60), Bucket::d31_60);
  EXPECT_EQ(bucket_for(61), Bucket::d61_90);
  EXPECT_EQ(bucket_for(90), Bucket::d61_90);
  EXPECT_EQ(bucket_for(91), Bucket::over_90);
  EXPECT_EQ(to_string(Bucket::d1_30), "1_30");
  EXPECT_EQ(to_string(Bucket::over_90), "over_90");
}

TEST(ReportsAging, SumsPerCustomerAndInTotalByDueDate) {
  const Date as_of = d("2026-10-15");
  const std::vector<OpenItem> items = {
      {1, 7, d("2026-06-01"), d("2026-07-01"), 6900},   // 106 days late
      {2, 7, d("2026-08-15"), d("2026-09-14"), 13800},  // 31
      {3, 7, d("2026-10-10"), d("2026-11-09"), 5950},   // not yet due
      {4, 3, d("2026-09-01"), d("2026-10-01"), 119000},  // 14
      {5, 3, d("2026-09-01"), d("2026-10-15"), 100},    // due today: current
      {6, 3, d("2026-01-01"), d("2026-01-31"), 0},      // settled: left out
  };
  const Aging a = age(items, as_of, AgingBasis::due_date);
  EXPECT_EQ(a.items, 5);
  EXPECT_EQ(a.total[Bucket::current], 6050);
  EXPECT_EQ(a.total[Bucket::d1_30], 119000);
  EXPECT_EQ(a.total[Bucket::d31_60], 13800);
  EXPECT_EQ(a.total[Bucket::d61_90], 0);
  EXPECT_EQ(a.total[Bucket::over_90], 6900);
  EXPECT_EQ(a.total.total(), 145750);
  ASSERT_EQ(a.customers.size(), 2u);
  EXPECT_EQ(a.customers[0].customer_id, 3);  // by id
  EXPECT_EQ(a.customers[0].items, 2);
  EXPECT_EQ(a.customers[0].buckets.total(), 119100);
  EXPECT_EQ(a.customers[1].customer_id, 7);
  EXPECT_EQ(a.customers[1].buckets[Bucket::over_90], 6900);
  EXPECT_EQ(a.customers[1].buckets.total(), 26650);
}

TEST(ReportsAging, ByInvoiceDateCountsFromTheIssue) {
  const Date as_of = d("2026-10-15");
  const std::vector<OpenItem> items = {
      {1, 1, d("2026-10-15"), d("2026-11-14"), 100},  // issued today: current
      {2, 1, d("2026-10-10"), d("2026-11-09"), 200},  // 5 days old
      {3, 1, d("2026-08-15"), d("2026-09-14"), 300},  // 61
      {4, 1, d("2026-06-01"), d("2026-07-01"), 400},  // 136
  };
  const Aging a = age(items, as_of, AgingBasis::invoice_date);
  EXPECT_EQ(a.total[Bucket::current], 100);
  EXPECT_EQ(a.total[Bucket::d1_30], 200);
  EXPECT_EQ(a.total[Bucket::d61_90], 300);
  EXPECT_EQ(a.total[Bucket::over_90], 400);
  const Aging by_due = age(items, as_of, AgingBasis::due_date);
  EXPECT_EQ(by_due.total[Bucket::current], 300);
  EXPECT_EQ(by_due.total[Bucket::d31_60], 300);
  EXPECT_EQ(by_due.total[Bucket::over_90], 400);
}

TEST(ReportsAging, NoItemsIsAnEmptyReport) {
  const Aging a = age({}, d("2026-01-01"), AgingBasis::due_date);
  EXPECT_EQ(a.total.total(), 0);
  EXPECT_TRUE(a.customers.empty());
}

}  // namespace
}  // namespace o2c::reports
