// The cash forecast against small cases computed by hand. 2026-11-20 is a
// Friday: its week starts Monday 2026-11-16, and week n starts 7n days later.
#include <gtest/gtest.h>

#include <numeric>

#include "domain/reports/forecast.h"

namespace o2c::reports {
namespace {

Date d(const char* s) { return *Date::parse(s); }

const Date kAsOf = d("2026-11-20");

InvoiceRecord invoice(int64_t id, int64_t customer, const char* issued, const char* due, int64_t total) {
  return {id, customer, d(issued), d(due), total};
}
SettlementRecord cash(int64_t invoice, const char* on, int64_t amount, std::optional<Date> reversed = std::nullopt) {
  return {invoice, SettlementKind::cash, d(on), amount, reversed};
}

// The one week holding anything (-1: none of the 13).
int week_of(const Forecast& f) {
  for (size_t w = 0; w < f.weeks.size(); ++w) {
    if (f.weeks[w].expected.total_minor() != 0) return static_cast<int>(w);
  }
  return -1;
}

int64_t sum_of_buckets(const Forecast& f) {
  int64_t s = f.overdue_unlikely.total_minor() + f.beyond_horizon.total_minor();
  for (const auto& w : f.weeks) s += w.expected.total_minor();
  return s;
}

TEST(ForecastWeeks, StartOnMondayOfTheWeekHoldingTheDay) {
  EXPECT_EQ(week_start(d("2026-11-20")), d("2026-11-16"));  // Friday
  EXPECT_EQ(week_start(d("2026-11-16")), d("2026-11-16"));  // Monday itself
  EXPECT_EQ(week_start(d("2026-11-22")), d("2026-11-16"));  // Sunday
  EXPECT_EQ(week_start(d("2027-01-01")), d("2026-12-28"));  // across the year
  auto f = forecast({}, {}, {}, kAsOf, {});
  ASSERT_EQ(f.weeks.size(), 13u);
  EXPECT_EQ(f.weeks[0].week_start, d("2026-11-16"));
  EXPECT_EQ(f.weeks[12].week_start, d("2027-02-08"));
}

TEST(ForecastWeeks, ZeroSalesGiveThirteenEmptyWeeks) {
  auto f = forecast({}, {}, observed_delays({}, kAsOf, 365), kAsOf, {});
  EXPECT_EQ(f.open_receivables_minor, 0);
  EXPECT_EQ(f.open_orders_minor, 0);
  EXPECT_EQ(sum_of_buckets(f), 0);
  EXPECT_FALSE(f.delays.fallback_observed);
}

TEST(ForecastDelay, WithoutHistoryTheDueDateIsTheExpectedDay) {
  ReceivableHistory h{{invoice(1, 7, "2026-11-02", "2026-12-02", 10000)}, {}};
  auto delays = observed_delays(h, kAsOf, 365);
  EXPECT_FALSE(delays.fallback_observed);
  EXPECT_EQ(delays.delay_of(7), 0);
  auto f = forecast(open_items_as_of(h, kAsOf), {}, delays, kAsOf, {});
  // Wednesday 2026-12-02 is in the week of Monday 2026-11-30: week 2.
  EXPECT_EQ(week_of(f), 2);
  EXPECT_EQ(f.weeks[2].expected.from_invoices_minor, 10000);
}

TEST(ForecastDelay, PaymentsBeforeDueGiveANegativeAmountWeightedDelay) {
  ReceivableHistory h{{invoice(1, 7, "2026-09-10", "2026-10-10", 30000),
                       invoice(2, 7, "2026-09-20", "2026-10-20", 10000),
                       invoice(3, 7, "2026-11-02", "2026-12-02", 5000)},
                      {cash(1, "2026-10-05", 30000), cash(2, "2026-10-20", 10000)}};
  auto delays = observed_delays(h, kAsOf, 365);
  // (-5 x 300.00 + 0 x 100.00) / 400.00 = -3.75 days, rounded away from zero.
  EXPECT_EQ(delays.delay_of(7), -4);
  EXPECT_TRUE(delays.fallback_observed);
  EXPECT_EQ(delays.fallback_days, -4);
  auto f = forecast(open_items_as_of(h, kAsOf), {}, delays, kAsOf, {});
  // Due Wednesday 2026-12-02, expected Saturday 2026-11-28: week 1.
  EXPECT_EQ(week_of(f), 1);
  EXPECT_EQ(f.open_receivables_minor, 5000);
}

TEST(ForecastDelay, ACustomerWithoutHistoryTakesTheMeanOfAll) {
  ReceivableHistory h{{invoice(1, 7, "2026-09-01", "2026-10-01", 10000),
                       invoice(2, 8, "2026-09-01", "2026-10-01", 30000),
                       invoice(3, 9, "2026-11-02", "2026-12-02", 5000)},
                      {cash(1, "2026-10-11", 10000), cash(2, "2026-10-21", 30000)}};
  auto delays = observed_delays(h, kAsOf, 365);
  EXPECT_EQ(delays.delay_of(7), 10);
  EXPECT_EQ(delays.delay_of(8), 20);
  // (10 x 100.00 + 20 x 300.00) / 400.00 = 17.5 -> 18.
  EXPECT_EQ(delays.delay_of(9), 18);
  auto f = forecast(open_items_as_of(h, kAsOf), {}, delays, kAsOf, {});
  // 2026-12-02 + 18 = Sunday 2026-12-20, week of 2026-12-14: week 4.
  EXPECT_EQ(week_of(f), 4);
}

TEST(ForecastDelay, OnlyCashInsideTheWindowAndNotReversedCounts) {
  ReceivableHistory h{{invoice(1, 7, "2025-01-01", "2025-01-31", 10000),
                       invoice(2, 7, "2026-09-01", "2026-10-01", 10000),
                       invoice(3, 7, "2026-09-01", "2026-10-01", 10000)},
                      {cash(1, "2025-03-01", 10000),                      // 29 days late, but 2025: outside
                       cash(2, "2026-10-31", 10000, d("2026-11-10")),     // 30 late, bounced before as_of
                       cash(3, "2026-10-06", 4000),                       // 5 late
                       {3, SettlementKind::credit_note, d("2026-11-30"), 6000, std::nullopt},
                       {3, SettlementKind::discount, d("2026-10-06"), 100, std::nullopt},
                       {3, SettlementKind::customer_credit, d("2026-11-01"), 1000, std::nullopt}}};
  auto delays = observed_delays(h, kAsOf, 365);
  EXPECT_EQ(delays.delay_of(7), 5);
  // Before the bounce, the bounced payment counted: (30 x 100 + 5 x 40) / 140 = 22.86 -> 23.
  EXPECT_EQ(observed_delays(h, d("2026-11-09"), 365).delay_of(7), 23);
  // A 30-day window from 2026-11-20 starts after every cash settlement.
  EXPECT_FALSE(observed_delays(h, kAsOf, 30).fallback_observed);
}

TEST(ForecastDelay, SumsPerCustomerGiveEachMeanAndTheOverallFallback) {
  // Customer 7: 100.00 paid 10 days late, 300.00 paid 2 days early:
  // (10 x 100 - 2 x 300) / 400 = 1. Customer 8: 3.5 days late on average,
  // rounded away from zero to 4.
  DelaySums sums;
  sums[7] = {40000, 10 * 10000 - 2 * 30000};
  sums[8] = {5000, 7 * 2500};  // (7 x 25.00) / 50.00 = 3.5
  sums[9] = {0, 0};            // no cash: no delay of its own
  const Delays delays = delays_from(sums);
  EXPECT_EQ(delays.by_customer.size(), 2u);
  EXPECT_EQ(delays.delay_of(7), 1);
  EXPECT_EQ(delays.delay_of(8), 4);
  // (40000 + 17500) / 45000 = 1.28 -> 1, for 9 and everyone else.
  EXPECT_TRUE(delays.fallback_observed);
  EXPECT_EQ(delays.fallback_days, 1);
  EXPECT_EQ(delays.delay_of(9), 1);
  // Early on average: -3.5 rounds to -4.
  EXPECT_EQ(delays_from({{1, {2, -7}}}).delay_of(1), -4);
  EXPECT_FALSE(delays_from({}).fallback_observed);
}

TEST(ForecastDelay, SumsCountOnlyLiveCashInTheWindow) {
  ReceivableHistory h{{invoice(1, 7, "2026-09-01", "2026-10-01", 10000),
                       invoice(2, 8, "2026-09-01", "2026-10-01", 10000)},
                      {cash(1, "2026-10-11", 4000),                   // 10 late
                       cash(1, "2026-09-21", 6000),                   // 10 early
                       cash(2, "2026-10-31", 10000, d("2026-11-10")),  // bounced before as_of
                       {2, SettlementKind::write_off, d("2026-11-12"), 10000, std::nullopt}}};
  const DelaySums sums = delay_sums(h, kAsOf, 365);
  ASSERT_EQ(sums.size(), 1u);
  EXPECT_EQ(sums.at(7), (DelaySum{10000, 10 * 4000 - 10 * 6000}));
  EXPECT_EQ(delays_from(sums).delay_of(7), -2);
  // The day before the bounce, customer 8's payment counted.
  EXPECT_EQ(delay_sums(h, d("2026-11-09"), 365).at(8), (DelaySum{10000, 30 * 10000}));
}

TEST(ForecastOpenItems, CreditNotesAndPartialPaymentsReduceTheOpenAmountFromTheirDay) {
  ReceivableHistory h{{invoice(1, 7, "2026-10-01", "2026-11-15", 20000)},
                      {{1, SettlementKind::credit_note, d("2026-11-01"), 5000, std::nullopt},
                       cash(1, "2026-11-10", 6000)}};
  auto at = [&](const char* day) {
    auto items = open_items_as_of(h, d(day));
    return items.empty() ? int64_t{0} : items.front().open_minor;
  };
  EXPECT_EQ(at("2026-09-30"), 0);  // not issued yet
  EXPECT_EQ(at("2026-10-31"), 20000);
  EXPECT_EQ(at("2026-11-05"), 15000);
  EXPECT_EQ(at("2026-11-20"), 9000);
  auto f = forecast(open_items_as_of(h, kAsOf), {}, observed_delays(h, kAsOf, 365), kAsOf, {});
  // Paid 5 days early (the credit note says nothing about when they pay);
  // due 2026-11-15 - 5 is already past: expected this week.
  EXPECT_EQ(f.delays.delay_of(7), -5);
  EXPECT_EQ(f.weeks[0].expected.from_invoices_minor, 9000);
  EXPECT_EQ(sum_of_buckets(f), 9000);
}

TEST(ForecastDelay, TheForecastKeepsOnlyTheDelaysItUsed) {
  Delays delays;
  delays.by_customer = {{7, 3}, {8, 5}, {9, -2}};
  delays.fallback_days = 4;
  delays.fallback_observed = true;
  auto f = forecast({{1, 7, kAsOf, kAsOf, 100}}, {{1, 9, kAsOf, 30, 50}}, delays, kAsOf, {});
  EXPECT_EQ(f.delays.by_customer, (std::map<int64_t, int>{{7, 3}, {9, -2}}));
  EXPECT_EQ(f.delays.fallback_days, 4);
  EXPECT_TRUE(f.delays.fallback_observed);
}

TEST(ForecastOpenItems, AReversedPaymentReopensTheInvoiceOnItsDay) {
  ReceivableHistory h{{invoice(1, 7, "2026-10-01", "2026-10-31", 10000)},
                      {cash(1, "2026-11-02", 10000, d("2026-11-18")),
                       {1, SettlementKind::write_off, d("2026-11-02"), 0, d("2026-11-18")}}};
  EXPECT_TRUE(open_items_as_of(h, d("2026-11-17")).empty());
  auto items = open_items_as_of(h, d("2026-11-18"));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].open_minor, 10000);
}

TEST(ForecastOpenItems, FullyCreditedInvoicesAreNotOpen) {
  ReceivableHistory h{{invoice(1, 7, "2026-10-01", "2026-10-31", 10000)},
                      {{1, SettlementKind::credit_note, d("2026-10-05"), 10000, std::nullopt},
                       cash(99, "2026-10-05", 500)}};  // an unknown invoice: ignored
  EXPECT_TRUE(open_items_as_of(h, kAsOf).empty());
}

TEST(ForecastOverdue, LongOverdueItemsAreUnlikelyUnlessTheCustomerUsuallyPaysThatLate) {
  const Date issued = d("2026-07-01");
  const std::vector<OpenItem> items = {{1, 7, issued, d("2026-08-01"), 1000},   // 111 days past due
                                       {2, 7, issued, d("2026-09-01"), 2000},   // 80 days: this week
                                       {3, 8, issued, d("2026-08-01"), 4000}};  // customer 8 pays 120 days late
  Delays delays;
  delays.by_customer[8] = 120;
  auto f = forecast(items, {}, delays, kAsOf, {});
  EXPECT_EQ(f.overdue_unlikely.from_invoices_minor, 1000);
  EXPECT_EQ(f.overdue_unlikely.from_orders_minor, 0);
  EXPECT_EQ(f.weeks[0].expected.from_invoices_minor, 2000);
  // 2026-08-01 + 120 = Sunday 2026-11-29: week 1.
  EXPECT_EQ(f.weeks[1].expected.from_invoices_minor, 4000);
  EXPECT_EQ(sum_of_buckets(f), 7000);
  // The threshold is a setting: at 120 days nothing is unlikely yet.
  ForecastSettings s;
  s.unlikely_after_days = 120;
  EXPECT_EQ(forecast(items, {}, delays, kAsOf, s).overdue_unlikely.total_minor(), 0);
  // Exactly at the threshold is still expected.
  s.unlikely_after_days = 111;
  EXPECT_EQ(forecast(items, {}, delays, kAsOf, s).overdue_unlikely.total_minor(), 0);
  s.unlikely_after_days = 110;
  EXPECT_EQ(forecast(items, {}, delays, kAsOf, s).overdue_unlikely.total_minor(), 1000);
}

TEST(ForecastWeeks, BoundariesOfTheFirstAndLastWeek) {
  const Date sunday = d("2026-11-22");
  auto one = [&](const char* due, Date as_of) {
    return forecast({{1, 7, d("2026-10-01"), d(due), 100}}, {}, {}, as_of, {});
  };
  EXPECT_EQ(week_of(one("2026-11-22", sunday)), 0);
  EXPECT_EQ(week_of(one("2026-11-23", sunday)), 1);
  // Monday as_of: its own week is the first.
  auto monday = one("2026-11-23", d("2026-11-23"));
  EXPECT_EQ(monday.weeks[0].week_start, d("2026-11-23"));
  EXPECT_EQ(week_of(monday), 0);
  // The 13th week ends Sunday 2027-02-14; the Monday after is beyond the horizon.
  auto last = one("2027-02-14", kAsOf);
  EXPECT_EQ(week_of(last), 12);
  auto beyond = one("2027-02-15", kAsOf);
  EXPECT_EQ(week_of(beyond), -1);
  EXPECT_EQ(beyond.beyond_horizon.from_invoices_minor, 100);
}

TEST(ForecastOrders, AnOrderNotYetInvoicedIsExpectedAfterLeadTimeTermsAndDelay) {
  const std::vector<OpenOrder> orders = {
      {1, 7, d("2026-11-18"), 30, 11900},  // invoiced 11-25, due 12-25 (Fri): week 5
      {2, 7, d("2026-10-01"), 30, 5000},   // late to ship: invoiced as_of, due Sun 12-20: week 4
      {3, 7, d("2026-11-25"), 0, 700},     // placed after as_of: counts from as_of, 11-27: week 1
      {4, 7, d("2026-11-18"), 30, 0},      // nothing left to invoice
  };
  EXPECT_EQ(expected_invoice_date(orders[0], kAsOf, 7), d("2026-11-25"));
  EXPECT_EQ(expected_invoice_date(orders[1], kAsOf, 7), kAsOf);
  EXPECT_EQ(expected_invoice_date(orders[2], kAsOf, 7), d("2026-11-27"));
  auto f = forecast({}, orders, {}, kAsOf, {});
  EXPECT_EQ(f.weeks[5].expected.from_orders_minor, 11900);
  EXPECT_EQ(f.weeks[4].expected.from_orders_minor, 5000);
  EXPECT_EQ(f.weeks[1].expected.from_orders_minor, 700);
  EXPECT_EQ(f.open_orders_minor, 17600);
  EXPECT_EQ(sum_of_buckets(f), 17600);
  // The customer's delay moves orders too: 12-25 + 10 = Monday 2027-01-04, week 7.
  Delays delays;
  delays.fallback_days = 10;
  EXPECT_EQ(forecast({}, {orders[0]}, delays, kAsOf, {}).weeks[7].expected.from_orders_minor, 11900);
  // An early payer's order invoiced today on DUE terms is this week's cash, not overdue.
  delays.fallback_days = -3;
  auto early = forecast({}, {{5, 7, d("2026-11-01"), 0, 300}}, delays, kAsOf, {});
  EXPECT_EQ(early.weeks[0].expected.from_orders_minor, 300);
  EXPECT_EQ(early.overdue_unlikely.total_minor(), 0);
}

TEST(ForecastOrders, UninvoicedValueIsTheOrderTotalTimesTheNetShareLeft) {
  // Nothing invoiced: the total exactly; everything: 0.
  EXPECT_EQ(*uninvoiced_value(11900, {{2000, 0, 10000}}), 11900);
  EXPECT_EQ(*uninvoiced_value(11900, {{2000, 2000, 10000}}), 0);
  // Half of the quantity: half of the total.
  EXPECT_EQ(*uninvoiced_value(11900, {{2000, 1000, 10000}}), 5950);
  // 33.33 x 2/3 = 22.22 left, 66.67 untouched: 88.89 of 100.00 net, of 119.00 = 105.7791 -> 105.78.
  EXPECT_EQ(*uninvoiced_value(11900, {{3000, 1000, 3333}, {1000, 0, 6667}}), 10578);
  // Free lines (a charge only): by quantity.
  EXPECT_EQ(*uninvoiced_value(1000, {{4000, 1000, 0}}), 750);
  // More invoiced than ordered cannot leave less than nothing.
  EXPECT_EQ(*uninvoiced_value(1000, {{1000, 5000, 1000}}), 0);
  // A negative line (a discount) can make the share left exceed the whole.
  EXPECT_EQ(*uninvoiced_value(100, {{1000, 0, 10}, {1000, 1000, -9}}), 1000);
  EXPECT_EQ(uninvoiced_value(INT64_MAX, {{1000, 0, 10}, {1000, 1000, -9}}).error().code, "amount_overflow");
}

TEST(ForecastTotals, EveryAmountLandsInExactlyOneBucket) {
  // A spread of items and orders over all buckets, early and late payers.
  std::vector<OpenItem> items;
  std::vector<OpenOrder> orders;
  Delays delays;
  delays.by_customer[1] = -7;
  delays.by_customer[2] = 45;
  delays.fallback_days = 3;
  int64_t expected_total = 0;
  for (int i = 0; i < 400; ++i) {
    const int64_t amount = 100 + i * 37;
    items.push_back({i, i % 3, kAsOf.add_days(-230), kAsOf.add_days(-200 + i), amount});
    expected_total += amount;
    if (i % 4 == 0) {
      orders.push_back({i, i % 3, kAsOf.add_days(-30 + i / 4), (i % 5) * 15, amount * 2});
      expected_total += amount * 2;
    }
  }
  auto f = forecast(items, orders, delays, kAsOf, {});
  EXPECT_EQ(f.open_receivables_minor + f.open_orders_minor, expected_total);
  EXPECT_EQ(sum_of_buckets(f), expected_total);
  EXPECT_GT(f.overdue_unlikely.total_minor(), 0);
  EXPECT_GT(f.beyond_horizon.total_minor(), 0);
  EXPECT_GT(f.weeks[0].expected.total_minor(), 0);
}

TEST(ForecastActual, ReceiptsOfTheWeekNetOfReversalsAndRefunds) {
  const std::vector<CashMovement> m = {{d("2026-11-15"), 100},   // Sunday before
                                       {d("2026-11-16"), 1000},  // Monday
                                       {d("2026-11-18"), -300},  // a reversal
                                       {d("2026-11-22"), 50},    // Sunday: last day
                                       {d("2026-11-23"), 7}};    // next week
  EXPECT_EQ(actual_receipts(m, d("2026-11-16")), 750);
  EXPECT_EQ(actual_receipts(m, d("2026-11-09")), 100);
  EXPECT_EQ(actual_receipts({}, d("2026-11-16")), 0);
}

TEST(ForecastSettingsLimits, AtTheMaximumAndOnePast) {
  ForecastSettings s;
  EXPECT_TRUE(validate_settings(s).ok());
  s.lookback_days = kDelayLookbackDaysMax;
  s.unlikely_after_days = kUnlikelyAfterDaysMax;
  s.order_lead_days = kOrderLeadDaysMax;
  EXPECT_TRUE(validate_settings(s).ok());
  auto bad = [](ForecastSettings x) { return validate_settings(x).error().field; };
  ForecastSettings a = s;
  a.lookback_days = kDelayLookbackDaysMax + 1;
  EXPECT_EQ(bad(a), "lookback_days");
  a = s;
  a.lookback_days = 0;
  EXPECT_EQ(bad(a), "lookback_days");
  a = s;
  a.unlikely_after_days = kUnlikelyAfterDaysMax + 1;
  EXPECT_EQ(bad(a), "unlikely_after_days");
  a = s;
  a.order_lead_days = kOrderLeadDaysMax + 1;
  EXPECT_EQ(bad(a), "order_lead_days");
  a = s;
  a.order_lead_days = -1;
  EXPECT_EQ(validate_settings(a).error().code, "invalid_setting");
}

}  // namespace
}  // namespace o2c::reports
