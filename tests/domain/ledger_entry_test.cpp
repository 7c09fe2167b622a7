#include "domain/ledger/entry.h"

#include <gtest/gtest.h>

#include <limits>

#include "domain/inventory/stock.h"

namespace o2c::ledger {
namespace {

Currency eur() { return *Currency::of("EUR"); }

Entry sourced(Entry e) {
  e.entry_date = "2026-11-23";
  e.source_type = "shipment";
  e.source_id = "1";
  return e;
}

TEST(LedgerEntry, TransferBalances) {
  auto e = sourced(transfer(kCostOfGoodsSold, kInventory, Money(12345, eur())));
  ASSERT_TRUE(validate(e).ok());
  ASSERT_EQ(e.postings.size(), 2u);
  EXPECT_EQ(e.postings[0].account, kCostOfGoodsSold);
  EXPECT_EQ(e.postings[0].debit_minor, 12345);
  EXPECT_EQ(e.postings[1].credit_minor, 12345);
  EXPECT_EQ(e.currency, "EUR");
}

TEST(LedgerEntry, ZeroTransferHasNothingToPost) {
  EXPECT_TRUE(transfer(kCostOfGoodsSold, kInventory, Money(0, eur())).postings.empty());
}

TEST(LedgerEntry, RefusesEveryMalformedEntry) {
  auto good = sourced(transfer(kBank, kAccountsReceivable, Money(100, eur())));
  auto unbalanced = good;
  unbalanced.postings[1].credit_minor = 99;
  auto one_posting = good;
  one_posting.postings.pop_back();
  auto both_sides = good;
  both_sides.postings[0].credit_minor = 1;
  both_sides.postings.push_back({kRevenue, 1, 0});
  auto negative = good;
  negative.postings[0].debit_minor = -100;
  negative.postings[1].credit_minor = -100;
  auto no_source = good;
  no_source.source_id.clear();
  auto bad_currency = good;
  bad_currency.currency = "XXY";
  auto overflow = good;
  const int64_t big = std::numeric_limits<int64_t>::max();
  overflow.postings = {{kBank, big, 0}, {kBank, big, 0}, {kRevenue, 0, big}, {kRevenue, 0, big}};
  for (const auto* e : {&unbalanced, &one_posting, &both_sides, &negative, &no_source, &bad_currency, &overflow}) {
    EXPECT_FALSE(validate(*e).ok());
  }
  EXPECT_TRUE(validate(good).ok());
}

TEST(ExtendedCost, RoundsHalfAwayFromZeroToTheCurrency) {
  // 3 x 1.2346 = 3.7038 -> 3.70 EUR; 0.5 x 0.0001 = 0.00005 -> 0.00
  EXPECT_EQ(inventory::extended_cost(Quantity::units(3), 12346, eur())->minor(), 370);
  EXPECT_EQ(inventory::extended_cost(Quantity::from_milli(500), 1, eur())->minor(), 0);
  // 1 x 0.0050 EUR = half a cent -> 0.01
  EXPECT_EQ(inventory::extended_cost(Quantity::units(1), 50, eur())->minor(), 1);
  // JPY (no decimals): 2.5 x 100.2 = 250.5 -> 251; KWD (3): 1.5 x 1.2345 = 1.85175 -> 1.852
  EXPECT_EQ(inventory::extended_cost(Quantity::from_milli(2500), 1002000, *Currency::of("JPY"))->minor(), 251);
  EXPECT_EQ(inventory::extended_cost(Quantity::from_milli(1500), 12345, *Currency::of("KWD"))->minor(), 1852);
  EXPECT_FALSE(inventory::extended_cost(Quantity::units(-1), 1, eur()).ok());
  EXPECT_FALSE(inventory::extended_cost(Quantity::from_milli(std::numeric_limits<int64_t>::max()),
                                        std::numeric_limits<int64_t>::max(), eur())
                   .ok());
}

}  // namespace
}  // namespace o2c::ledger
