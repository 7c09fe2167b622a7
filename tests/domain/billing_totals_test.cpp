#include "domain/billing/totals.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace o2c::billing {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

Currency cur(const char* code) { return *Currency::of(code); }
Money money(const char* text, const char* code) { return Money::parse(text, cur(code)).value(); }
Quantity qty(const char* text) { return Quantity::parse(text).value(); }

TotalsLine line(const char* quantity, int64_t price_e4, TaxCategory c = TaxCategory::S, int64_t rate_bp = 1900,
                std::optional<Money> discount = std::nullopt) {
  return TotalsLine{qty(quantity), price_e4, discount, c, rate_bp};
}

AllowanceCharge ac(const char* amount, const char* code, TaxCategory c, int64_t rate_bp, const char* reason = "r") {
  return AllowanceCharge{money(amount, code), c, rate_bp, reason};
}

// ---------------------------------------------------------------- line net

struct NetCase {
  const char* label;
  const char* currency;
  const char* quantity;
  int64_t price_e4;
  const char* discount;  // nullptr: none
  const char* net;
};

void PrintTo(const NetCase& c, std::ostream* os) { *os << c.label; }

class TotalsLineNet : public ::testing::TestWithParam<NetCase> {};

TEST_P(TotalsLineNet, RoundsOnceToTheCurrency) {
  const NetCase c = GetParam();
  std::optional<Money> d;
  if (c.discount) d = money(c.discount, c.currency);
  auto r = line_net(TotalsLine{qty(c.quantity), c.price_e4, d, TaxCategory::S, 1900}, cur(c.currency), "lines[0]");
  ASSERT_TRUE(r.ok()) << c.label << ": " << r.error().code;
  EXPECT_EQ(r->to_string(), c.net) << c.label;
  EXPECT_EQ(r->currency(), cur(c.currency)) << c.label;
}

INSTANTIATE_TEST_SUITE_P(
    Totals, TotalsLineNet,
    ::testing::Values(
        // 3 x 0.3333 = 0.9999: one rounding of the product, not of the price.
        NetCase{"EUR 3 x 0.3333", "EUR", "3", 3333, nullptr, "1.00"},
        NetCase{"JPY 3 x 0.3333", "JPY", "3", 3333, nullptr, "1"},
        // Three decimals: 0.9999 is nearer 1.000 than 0.999.
        NetCase{"KWD 3 x 0.3333", "KWD", "3", 3333, nullptr, "1.000"},
        NetCase{"EUR exact half up", "EUR", "0.005", 10000, nullptr, "0.01"},
        NetCase{"EUR below half", "EUR", "0.004", 10000, nullptr, "0.00"},
        NetCase{"JPY exact half", "JPY", "1", 5000, nullptr, "1"},
        NetCase{"JPY below half", "JPY", "1", 4999, nullptr, "0"},
        NetCase{"JPY 7 x 142.8571", "JPY", "7", 1428571, nullptr, "1000"},
        // 2.5 x 1.2345 = 3.08625: the fourth decimal 2 rounds down.
        NetCase{"KWD 2.5 x 1.2345", "KWD", "2.5", 12345, nullptr, "3.086"},
        NetCase{"KWD exact half", "KWD", "1", 5, nullptr, "0.001"},
        NetCase{"CLF keeps four decimals", "CLF", "0.001", 12345, nullptr, "0.0012"},
        NetCase{"EUR 1.5 x 19.9999", "EUR", "1.5", 199999, nullptr, "30.00"},
        NetCase{"EUR 10 x 12.3456", "EUR", "10", 123456, nullptr, "123.46"},
        NetCase{"EUR thousandth of a unit", "EUR", "0.001", 99999, nullptr, "0.01"},
        NetCase{"EUR free", "EUR", "4", 0, nullptr, "0.00"},
        NetCase{"EUR discount", "EUR", "10", 123456, "3.46", "120.00"},
        NetCase{"EUR discount on a rounded gross", "EUR", "3", 3333, "0.50", "0.50"},
        // The gross the customer sees is 1.00, so a discount of 1.00 is the whole line.
        NetCase{"EUR discount equals rounded gross", "EUR", "3", 3333, "1.00", "0.00"},
        NetCase{"EUR zero discount", "EUR", "2", 10000, "0.00", "2.00"},
        NetCase{"JPY discount", "JPY", "12", 1000000, "200", "1000"},
        NetCase{"KWD discount", "KWD", "2.5", 12345, "0.086", "3.000"}));

TEST(TotalsLineNet, LargestExactProduct) {
  // 10^15 units x 9.2233 EUR ~ 9.2e15 EUR = 9.2e17 cents: fits, exactly.
  auto r = line_net(TotalsLine{Quantity::units(1'000'000'000'000'000), 92233, std::nullopt, TaxCategory::S, 1900},
                    cur("EUR"), "lines[0]");
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->minor(), 922'330'000'000'000'000);
}

// ---------------------------------------------------------------- validation

struct ErrorCase {
  const char* label;
  TotalsInput input;
  const char* code;
  const char* field;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.label; }

class TotalsErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(TotalsErrors, RefusedWithFieldAtFault) {
  const ErrorCase& c = GetParam();
  auto r = compute_totals(c.input);
  ASSERT_FALSE(r.ok()) << c.label;
  EXPECT_EQ(r.error().code, c.code) << c.label << ": " << r.error().message;
  EXPECT_EQ(r.error().field, c.field) << c.label;
  EXPECT_EQ(r.error().kind, ErrorKind::unprocessable) << c.label;
  EXPECT_FALSE(r.error().message.empty()) << c.label;
}

TotalsInput eur(std::vector<TotalsLine> lines, std::vector<AllowanceCharge> allowances = {},
                std::vector<AllowanceCharge> charges = {}) {
  return TotalsInput{cur("EUR"), std::move(lines), std::move(allowances), std::move(charges)};
}

const TotalsLine kOk = line("1", 10000);

INSTANTIATE_TEST_SUITE_P(
    Totals, TotalsErrors,
    ::testing::Values(
        ErrorCase{"negative price", eur({kOk, line("1", -1)}), "negative_price", "lines[1].unit_price"},
        ErrorCase{"zero quantity", eur({line("0", 10000)}), "non_positive_quantity", "lines[0].quantity"},
        ErrorCase{"negative quantity", eur({kOk, kOk, line("-1", 10000)}), "non_positive_quantity",
                  "lines[2].quantity"},
        ErrorCase{"discount above gross", eur({line("3", 3333, TaxCategory::S, 1900, money("1.01", "EUR"))}),
                  "discount_exceeds_line", "lines[0].discount"},
        ErrorCase{"discount on a free line", eur({kOk, line("3", 0, TaxCategory::S, 1900, money("0.01", "EUR"))}),
                  "discount_exceeds_line", "lines[1].discount"},
        ErrorCase{"negative discount", eur({line("1", 10000, TaxCategory::S, 1900, money("-0.01", "EUR"))}),
                  "negative_discount", "lines[0].discount"},
        ErrorCase{"discount in another currency",
                  eur({line("1", 10000, TaxCategory::S, 1900, money("0.01", "USD"))}), "currency_mismatch",
                  "lines[0].discount"},
        ErrorCase{"line product overflows",
                  eur({TotalsLine{Quantity::from_milli(kMax), kMax, std::nullopt, TaxCategory::S, 1900}}),
                  "amount_overflow", "lines[0]"},
        // 10^9 thousandths x 5 x 10^14 ten-thousandths = 5 x 10^18 cents, twice.
        ErrorCase{"line sum overflows",
                  eur({TotalsLine{Quantity::from_milli(1'000'000'000), 500'000'000'000'000, std::nullopt,
                                  TaxCategory::S, 1900},
                       TotalsLine{Quantity::from_milli(1'000'000'000), 500'000'000'000'000, std::nullopt,
                                  TaxCategory::S, 1900}}),
                  "amount_overflow", "lines[1]"},
        ErrorCase{"S at zero", eur({line("1", 10000, TaxCategory::S, 0)}), "invalid_tax_rate",
                  "lines[0].tax_rate"},
        ErrorCase{"Z with a rate", eur({kOk, line("1", 10000, TaxCategory::Z, 700)}), "invalid_tax_rate",
                  "lines[1].tax_rate"},
        ErrorCase{"rate above 100 %", eur({line("1", 10000, TaxCategory::S, 10001)}), "invalid_tax_rate",
                  "lines[0].tax_rate"},
        ErrorCase{"negative rate", eur({line("1", 10000, TaxCategory::S, -1)}), "invalid_tax_rate",
                  "lines[0].tax_rate"},
        ErrorCase{"allowance rate", eur({kOk}, {ac("1.00", "EUR", TaxCategory::E, 1900)}), "invalid_tax_rate",
                  "allowances[0].tax_rate"},
        ErrorCase{"allowance currency",
                  eur({kOk}, {ac("0.10", "EUR", TaxCategory::S, 1900), ac("0.10", "USD", TaxCategory::S, 1900)}),
                  "currency_mismatch", "allowances[1].amount"},
        ErrorCase{"negative allowance", eur({kOk}, {ac("-0.10", "EUR", TaxCategory::S, 1900)}), "negative_amount",
                  "allowances[0].amount"},
        ErrorCase{"negative charge", eur({kOk}, {}, {ac("-0.10", "EUR", TaxCategory::S, 1900)}), "negative_amount",
                  "charges[0].amount"},
        ErrorCase{"charge currency", eur({kOk}, {}, {ac("5", "JPY", TaxCategory::S, 1900)}), "currency_mismatch",
                  "charges[0].amount"},
        ErrorCase{"allowance above its group", eur({kOk}, {ac("1.01", "EUR", TaxCategory::S, 1900)}),
                  "allowances_exceed_taxable", "allowances"},
        // The S 7 % group has no line: its allowance cannot borrow from S 19 %.
        ErrorCase{"allowance in an empty group", eur({kOk}, {ac("0.01", "EUR", TaxCategory::S, 700)}),
                  "allowances_exceed_taxable", "allowances"},
        ErrorCase{"allowance sum overflows",
                  eur({kOk}, {AllowanceCharge{Money(kMax, cur("EUR")), TaxCategory::S, 1900, "a"},
                              AllowanceCharge{Money(1, cur("EUR")), TaxCategory::S, 1900, "b"}}),
                  "amount_overflow", "allowances[1].amount"}));

TEST(TotalsErrors, TaxTotalOverflowIsReportedNotWrapped) {
  // 5 x 10^18 cents at 100 % tax: the total would be 10^19 cents.
  auto r = compute_totals(eur({TotalsLine{Quantity::from_milli(1'000'000'000), 500'000'000'000'000, std::nullopt,
                                          TaxCategory::S, 10000}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "amount_overflow");
}

// ---------------------------------------------------------------- documents

void expect_group(const TaxGroup& g, TaxCategory c, int64_t rate_bp, const char* taxable, const char* tax) {
  EXPECT_EQ(g.category, c);
  EXPECT_EQ(g.rate_bp, rate_bp);
  EXPECT_EQ(g.taxable.to_string(), taxable) << masterdata::to_string(c) << " " << rate_bp;
  EXPECT_EQ(g.tax.to_string(), tax) << masterdata::to_string(c) << " " << rate_bp;
}

TEST(TotalsDocument, MixedCategoriesWithAllowanceAndCharge) {
  TotalsInput in = eur(
      {
          line("1", 1000000, TaxCategory::Z, 0),   // 100.00
          line("10", 123456, TaxCategory::S, 1900),  // 123.46
          line("3", 3333, TaxCategory::S, 700),      // 1.00
          line("4", 25000, TaxCategory::E, 0),     // 10.00
          line("2", 50000, TaxCategory::S, 1900),  // 10.00
          line("1", 199900, TaxCategory::S, 700),  // 19.99
      },
      {ac("3.46", "EUR", TaxCategory::S, 1900, "loyalty")}, {ac("5.00", "EUR", TaxCategory::S, 1900, "freight")});
  auto r = compute_totals(in);
  ASSERT_TRUE(r.ok()) << r.error().code << " " << r.error().message;
  const Totals& t = *r;
  ASSERT_EQ(t.line_nets.size(), 6u);
  const char* nets[] = {"100.00", "123.46", "1.00", "10.00", "10.00", "19.99"};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(t.line_nets[i].to_string(), nets[i]) << i;
  EXPECT_EQ(t.net_total.to_string(), "264.45");
  EXPECT_EQ(t.allowance_total.to_string(), "3.46");
  EXPECT_EQ(t.charge_total.to_string(), "5.00");
  EXPECT_EQ(t.tax_exclusive.to_string(), "265.99");
  ASSERT_EQ(t.groups.size(), 4u);
  // S first, its rates ascending, then Z before E: TaxCategory's order.
  expect_group(t.groups[0], TaxCategory::S, 700, "20.99", "1.47");     // 1.4693
  expect_group(t.groups[1], TaxCategory::S, 1900, "135.00", "25.65");  // 133.46 + 5.00 - 3.46
  expect_group(t.groups[2], TaxCategory::Z, 0, "100.00", "0.00");
  expect_group(t.groups[3], TaxCategory::E, 0, "10.00", "0.00");
  EXPECT_EQ(t.tax_total.to_string(), "27.12");
  EXPECT_EQ(t.total.to_string(), "293.11");
}

// Per line: 0.50 x 19 % = 0.095 -> 0.10, twice = 0.20. Per group: 1.00 x 19 % = 0.19.
TEST(TotalsDocument, TaxRoundedOncePerGroupNotPerLine) {
  auto r = compute_totals(eur({line("1", 5000), line("1", 5000)}));
  ASSERT_TRUE(r.ok());
  Money per_line_sum = Money::zero(cur("EUR"));
  for (const Money& net : r->line_nets) per_line_sum = *per_line_sum.add(*net.mul_ratio(1900, 10000));
  EXPECT_EQ(per_line_sum.to_string(), "0.20");  // the case really does differ per line
  ASSERT_EQ(r->groups.size(), 1u);
  expect_group(r->groups[0], TaxCategory::S, 1900, "1.00", "0.19");
  EXPECT_EQ(r->tax_total.to_string(), "0.19");
  EXPECT_EQ(r->total.to_string(), "1.19");
}

struct GroupRoundingCase {
  const char* label;
  const char* currency;
  int lines;
  int64_t price_e4;  // quantity 1 each
  int64_t rate_bp;
  const char* per_line_sum;  // what rounding every line would give
  const char* group_tax;     // what we must give
};

void PrintTo(const GroupRoundingCase& c, std::ostream* os) { *os << c.label; }

class TotalsGroupRounding : public ::testing::TestWithParam<GroupRoundingCase> {};

TEST_P(TotalsGroupRounding, OnceOnTheGroup) {
  const auto& c = GetParam();
  TotalsInput in{cur(c.currency), {}, {}, {}};
  for (int i = 0; i < c.lines; ++i) in.lines.push_back(line("1", c.price_e4, TaxCategory::S, c.rate_bp));
  auto r = compute_totals(in);
  ASSERT_TRUE(r.ok()) << r.error().code;
  Money per_line = Money::zero(cur(c.currency));
  for (const Money& net : r->line_nets) per_line = *per_line.add(*net.mul_ratio(c.rate_bp, 10000));
  EXPECT_EQ(per_line.to_string(), c.per_line_sum) << c.label;
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(r->groups[0].tax.to_string(), c.group_tax) << c.label;
  EXPECT_EQ(r->tax_total.to_string(), c.group_tax) << c.label;
}

INSTANTIATE_TEST_SUITE_P(
    Totals, TotalsGroupRounding,
    ::testing::Values(
        // 0.10 x 5 % = 0.005 -> 0.01 each; 0.30 x 5 % = 0.015 -> 0.02.
        GroupRoundingCase{"EUR per line too high", "EUR", 3, 1000, 500, "0.03", "0.02"},
        // 0.02 x 19 % = 0.0038 -> 0.00 each; 0.20 x 19 % = 0.038 -> 0.04.
        GroupRoundingCase{"EUR per line too low", "EUR", 10, 200, 1900, "0.00", "0.04"},
        // 5 x 10 % = 0.5 -> 1 each; 15 x 10 % = 1.5 -> 2.
        GroupRoundingCase{"JPY", "JPY", 3, 50000, 1000, "3", "2"},
        // 0.010 x 5 % = 0.0005 -> 0.001 each; 0.040 x 5 % = 0.002.
        GroupRoundingCase{"KWD", "KWD", 4, 100, 500, "0.004", "0.002"}));

TEST(TotalsDocument, Yen) {
  auto r = compute_totals(TotalsInput{cur("JPY"),
                                      {line("1", 10000000, TaxCategory::S, 1000),  // 1000
                                       line("1", 9990000, TaxCategory::S, 800),    // 999
                                       line("3", 3333, TaxCategory::S, 1000)},     // 0.9999 -> 1
                                      {},
                                      {}});
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->net_total.to_string(), "2000");
  ASSERT_EQ(r->groups.size(), 2u);
  expect_group(r->groups[0], TaxCategory::S, 800, "999", "80");     // 79.92
  expect_group(r->groups[1], TaxCategory::S, 1000, "1001", "100");  // 100.1
  EXPECT_EQ(r->tax_total.to_string(), "180");
  EXPECT_EQ(r->total.to_string(), "2180");
}

TEST(TotalsDocument, Dinar) {
  auto r = compute_totals(TotalsInput{cur("KWD"),
                                      {line("2.5", 12345, TaxCategory::S, 500),   // 3.08625 -> 3.086
                                       line("1", 100005, TaxCategory::S, 500)},  // 10.0005 -> 10.001
                                      {ac("0.087", "KWD", TaxCategory::S, 500)},
                                      {}});
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->net_total.to_string(), "13.087");
  EXPECT_EQ(r->tax_exclusive.to_string(), "13.000");
  ASSERT_EQ(r->groups.size(), 1u);
  expect_group(r->groups[0], TaxCategory::S, 500, "13.000", "0.650");
  EXPECT_EQ(r->total.to_string(), "13.650");
}

TEST(TotalsDocument, ChargeAloneMakesAGroup) {
  auto r = compute_totals(eur({line("1", 100000, TaxCategory::S, 700)}, {},
                              {ac("10.00", "EUR", TaxCategory::S, 1900, "freight")}));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->groups.size(), 2u);
  expect_group(r->groups[0], TaxCategory::S, 700, "10.00", "0.70");
  expect_group(r->groups[1], TaxCategory::S, 1900, "10.00", "1.90");
  EXPECT_EQ(r->total.to_string(), "22.60");
}

TEST(TotalsDocument, AllowanceMayTakeTheWholeGroup) {
  auto r = compute_totals(eur({line("1", 100000)}, {ac("10.00", "EUR", TaxCategory::S, 1900)}));
  ASSERT_TRUE(r.ok()) << r.error().code;
  expect_group(r->groups[0], TaxCategory::S, 1900, "0.00", "0.00");
  EXPECT_EQ(r->total.to_string(), "0.00");
}

TEST(TotalsDocument, EmptyDocumentIsZero) {
  auto r = compute_totals(TotalsInput{cur("KWD"), {}, {}, {}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->groups.empty());
  EXPECT_TRUE(r->line_nets.empty());
  EXPECT_EQ(r->total.to_string(), "0.000");
  EXPECT_EQ(r->total.currency(), cur("KWD"));
}

TEST(TotalsDocument, DiscountedLinesFeedTheirGroup) {
  auto r = compute_totals(eur({line("10", 123456, TaxCategory::S, 1900, money("3.46", "EUR")),
                               line("1", 50000, TaxCategory::Z, 0, money("5.00", "EUR"))}));
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->line_nets[0].to_string(), "120.00");
  EXPECT_EQ(r->line_nets[1].to_string(), "0.00");
  expect_group(r->groups[0], TaxCategory::S, 1900, "120.00", "22.80");
  expect_group(r->groups[1], TaxCategory::Z, 0, "0.00", "0.00");
  EXPECT_EQ(r->total.to_string(), "142.80");
}

// ---------------------------------------------------------------- properties

// A reference model that shares no code with the implementation: every
// amount as an exact fraction over 10^7 of the major unit, rounded by
// (2v + d) / 2d, valid for v >= 0.
int64_t ref_round(Int128 v, Int128 d) { return static_cast<int64_t>((2 * v + d) / (2 * d)); }

struct RefGroup {
  int64_t lines = 0, allowances = 0, charges = 0;
};

struct Gen {
  std::mt19937_64 rng;
  explicit Gen(uint64_t seed) : rng(seed) {}
  int64_t below(int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); }
};

const std::pair<TaxCategory, int64_t> kRates[] = {
    {TaxCategory::S, 1900}, {TaxCategory::S, 700}, {TaxCategory::S, 2500}, {TaxCategory::S, 10000},
    {TaxCategory::S, 1},    {TaxCategory::Z, 0},   {TaxCategory::E, 0},    {TaxCategory::AE, 0},
    {TaxCategory::K, 0},    {TaxCategory::G, 0},   {TaxCategory::O, 0},
};

TotalsInput random_document(Gen& g) {
  static const char* codes[] = {"JPY", "EUR", "KWD", "CLF"};
  const Currency c = cur(codes[g.below(4)]);
  TotalsInput in{c, {}, {}, {}};
  const int n = static_cast<int>(1 + g.below(12));
  for (int i = 0; i < n; ++i) {
    const auto& [cat, rate] = kRates[g.below(std::size(kRates))];
    TotalsLine l{Quantity::from_milli(1 + g.below(g.below(2) ? 5'000 : 50'000'000)),
                 g.below(g.below(3) == 0 ? 100 : 100'000'000), std::nullopt, cat, rate};
    if (g.below(3) == 0) {
      const int64_t gross = line_net(l, c, "x")->minor();
      l.discount = Money(g.below(gross + 1), c);
    }
    in.lines.push_back(l);
  }
  // Small allowances, mostly in a group that has lines: most documents are
  // valid, a few have an allowance with nothing to reduce.
  for (int i = 0, k = static_cast<int>(g.below(3)); i < k; ++i) {
    auto [cat, rate] = kRates[g.below(std::size(kRates))];
    if (g.below(4) != 0) {
      const TotalsLine& target = in.lines[static_cast<std::size_t>(g.below(n))];
      cat = target.tax_category;
      rate = target.tax_rate_bp;
    }
    in.allowances.push_back({Money(g.below(50), c), cat, rate, "a"});
  }
  for (int i = 0, k = static_cast<int>(g.below(3)); i < k; ++i) {
    const auto& [cat, rate] = kRates[g.below(std::size(kRates))];
    in.charges.push_back({Money(g.below(5000), c), cat, rate, "c"});
  }
  return in;
}

TEST(TotalsProperty, MatchesReferenceModel) {
  Gen g(20260101);
  int checked = 0, refused = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    const TotalsInput in = random_document(g);
    Int128 per_minor = 1;  // 10^(7 - exponent): fractions of 10^-7 per minor unit
    for (int i = 0; i < 7 - in.currency.exponent(); ++i) per_minor *= 10;

    std::map<std::pair<int, int64_t>, RefGroup> ref;
    std::vector<int64_t> nets;
    int64_t net_total = 0, allowance_total = 0, charge_total = 0;
    for (const TotalsLine& l : in.lines) {
      const int64_t gross = ref_round(static_cast<Int128>(l.quantity.milli()) * l.unit_price_e4, per_minor);
      const int64_t net = gross - (l.discount ? l.discount->minor() : 0);
      nets.push_back(net);
      ref[{static_cast<int>(l.tax_category), l.tax_rate_bp}].lines += net;
      net_total += net;
    }
    for (const auto& a : in.allowances) {
      ref[{static_cast<int>(a.tax_category), a.tax_rate_bp}].allowances += a.amount.minor();
      allowance_total += a.amount.minor();
    }
    for (const auto& c : in.charges) {
      ref[{static_cast<int>(c.tax_category), c.tax_rate_bp}].charges += c.amount.minor();
      charge_total += c.amount.minor();
    }
    bool negative_group = false;
    for (const auto& [k, s] : ref) negative_group |= s.lines + s.charges - s.allowances < 0;

    auto r = compute_totals(in);
    if (negative_group) {
      ASSERT_FALSE(r.ok()) << iter;
      EXPECT_EQ(r.error().code, "allowances_exceed_taxable") << iter;
      ++refused;
      continue;
    }
    ASSERT_TRUE(r.ok()) << iter << ": " << r.error().code << " " << r.error().field;
    const Totals& t = *r;
    ASSERT_EQ(t.line_nets.size(), nets.size());
    for (std::size_t i = 0; i < nets.size(); ++i) {
      EXPECT_EQ(t.line_nets[i].minor(), nets[i]) << iter << " line " << i;
      EXPECT_GE(t.line_nets[i].minor(), 0);
    }
    EXPECT_EQ(t.net_total.minor(), net_total) << iter;
    EXPECT_EQ(t.allowance_total.minor(), allowance_total) << iter;
    EXPECT_EQ(t.charge_total.minor(), charge_total) << iter;
    EXPECT_EQ(t.tax_exclusive.minor(), net_total - allowance_total + charge_total) << iter;

    ASSERT_EQ(t.groups.size(), ref.size()) << iter;
    int64_t tax_total = 0, taxable_sum = 0;
    std::size_t gi = 0;
    for (const auto& [k, s] : ref) {  // std::map order: category enum value, then rate
      const TaxGroup& tg = t.groups[gi++];
      EXPECT_EQ(static_cast<int>(tg.category), k.first) << iter;
      EXPECT_EQ(tg.rate_bp, k.second) << iter;
      const int64_t taxable = s.lines + s.charges - s.allowances;
      EXPECT_EQ(tg.taxable.minor(), taxable) << iter;
      const int64_t tax = ref_round(static_cast<Int128>(taxable) * k.second, 10000);
      EXPECT_EQ(tg.tax.minor(), tax) << iter;
      tax_total += tax;
      taxable_sum += taxable;
    }
    EXPECT_EQ(taxable_sum, t.tax_exclusive.minor()) << iter;
    EXPECT_EQ(t.tax_total.minor(), tax_total) << iter;
    EXPECT_EQ(t.total.minor(), t.tax_exclusive.minor() + tax_total) << iter;
    ++checked;
  }
  EXPECT_GT(checked, 2000);  // the generator must mostly produce valid documents
  EXPECT_GT(refused, 0);     // and sometimes exercise the refusal
}

TEST(TotalsProperty, OrderOfLinesDoesNotMatter) {
  Gen g(7);
  for (int iter = 0; iter < 1000; ++iter) {
    TotalsInput in = random_document(g);
    auto a = compute_totals(in);
    std::shuffle(in.lines.begin(), in.lines.end(), g.rng);
    std::shuffle(in.allowances.begin(), in.allowances.end(), g.rng);
    std::shuffle(in.charges.begin(), in.charges.end(), g.rng);
    auto b = compute_totals(in);
    ASSERT_EQ(a.ok(), b.ok()) << iter;
    if (!a.ok()) continue;
    EXPECT_EQ(a->total, b->total) << iter;
    EXPECT_EQ(a->tax_total, b->tax_total) << iter;
    ASSERT_EQ(a->groups.size(), b->groups.size()) << iter;
    for (std::size_t i = 0; i < a->groups.size(); ++i) {
      EXPECT_EQ(a->groups[i].category, b->groups[i].category) << iter;
      EXPECT_EQ(a->groups[i].rate_bp, b->groups[i].rate_bp) << iter;
      EXPECT_EQ(a->groups[i].taxable, b->groups[i].taxable) << iter;
      EXPECT_EQ(a->groups[i].tax, b->groups[i].tax) << iter;
    }
  }
}

// Rounding per group can differ from the sum of per-line taxes, but never by
// more than half a minor unit per line: the error bound finance expects.
TEST(TotalsProperty, GroupTaxWithinHalfAUnitPerLineOfPerLineTax) {
  Gen g(99);
  for (int iter = 0; iter < 1000; ++iter) {
    TotalsInput in = random_document(g);
    in.allowances.clear();
    in.charges.clear();
    auto r = compute_totals(in);
    ASSERT_TRUE(r.ok()) << iter;
    std::map<std::pair<TaxCategory, int64_t>, std::pair<int64_t, int64_t>> per_line;  // sum, count
    for (std::size_t i = 0; i < in.lines.size(); ++i) {
      auto& [sum, count] = per_line[{in.lines[i].tax_category, in.lines[i].tax_rate_bp}];
      sum += r->line_nets[i].mul_ratio(in.lines[i].tax_rate_bp, 10000)->minor();
      ++count;
    }
    for (const TaxGroup& tg : r->groups) {
      const auto [sum, count] = per_line[{tg.category, tg.rate_bp}];
      EXPECT_LE(2 * std::abs(tg.tax.minor() - sum), count + 1) << iter;
    }
  }
}

}  // namespace
}  // namespace o2c::billing
