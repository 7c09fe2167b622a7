#include "core/money.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace o2c {

// Readable failures instead of a byte dump. static: each test file may have
// its own printer without clashing at link time.
[[maybe_unused]] static void PrintTo(const Money& m, std::ostream* os) {
  *os << m.to_string() << ' ' << m.currency().code();
}

namespace {

__extension__ typedef unsigned __int128 UInt128;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Currency cur(const char* code) { return Currency::of(code).value(); }

bool fits(Int128 v) { return v >= kMin && v <= kMax; }

// ---------------------------------------------------------------- parse

struct ParseOk {
  const char* currency;
  const char* text;
  int64_t minor;
};

class MoneyParseOk : public ::testing::TestWithParam<ParseOk> {};

TEST_P(MoneyParseOk, ParsesExactly) {
  const ParseOk p = GetParam();
  auto r = Money::parse(p.text, cur(p.currency));
  ASSERT_TRUE(r.ok()) << p.currency << " '" << p.text << "': " << r.error().code;
  EXPECT_EQ(r->minor(), p.minor);
  EXPECT_EQ(r->currency(), cur(p.currency));
}

INSTANTIATE_TEST_SUITE_P(
    Table, MoneyParseOk,
    ::testing::Values(
        ParseOk{"EUR", "0", 0}, ParseOk{"EUR", "7", 700}, ParseOk{"EUR", "-12.5", -1250},
        ParseOk{"EUR", "1234.50", 123450}, ParseOk{"EUR", "-0.50", -50}, ParseOk{"EUR", "0.05", 5},
        ParseOk{"EUR", "-0.05", -5}, ParseOk{"EUR", "-0", 0}, ParseOk{"EUR", "-0.00", 0}, ParseOk{"EUR", "0.0", 0},
        ParseOk{"EUR", "92233720368547758.07", kMax}, ParseOk{"EUR", "-92233720368547758.08", kMin},
        ParseOk{"USD", "10.1", 1010}, ParseOk{"JPY", "100", 100}, ParseOk{"JPY", "-100", -100},
        ParseOk{"JPY", "0", 0}, ParseOk{"JPY", "9223372036854775807", kMax},
        ParseOk{"JPY", "-9223372036854775808", kMin}, ParseOk{"KWD", "1.25", 1250}, ParseOk{"KWD", "1.250", 1250},
        ParseOk{"KWD", "-0.001", -1}, ParseOk{"KWD", "9223372036854775.807", kMax},
        ParseOk{"KWD", "-9223372036854775.808", kMin}, ParseOk{"CLF", "1.2345", 12345}, ParseOk{"CLF", "1", 10000},
        ParseOk{"CLF", "-0.0001", -1}, ParseOk{"CLF", "922337203685477.5807", kMax},
        ParseOk{"CLF", "-922337203685477.5808", kMin},
        // Leading zeros are accepted (as parse_scaled does): unambiguous.
        ParseOk{"EUR", "01", 100}, ParseOk{"EUR", "00.50", 50}, ParseOk{"EUR", "-007.5", -750},
        ParseOk{"JPY", "000", 0}));

struct ParseErr {
  const char* currency;
  const char* text;
  const char* code;
};

class MoneyParseErr : public ::testing::TestWithParam<ParseErr> {};

TEST_P(MoneyParseErr, RefusesWithCode) {
  const ParseErr p = GetParam();
  auto r = Money::parse(p.text, cur(p.currency));
  ASSERT_FALSE(r.ok()) << p.currency << " '" << p.text << "' parsed as " << r->minor();
  EXPECT_EQ(r.error().code, p.code) << p.currency << " '" << p.text << "'";
  EXPECT_EQ(r.error().kind, ErrorKind::unprocessable);
  EXPECT_TRUE(r.error().field.empty());
  EXPECT_FALSE(r.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, MoneyParseErr,
    ::testing::Values(
        ParseErr{"EUR", "", "invalid_amount"}, ParseErr{"EUR", "-", "invalid_amount"},
        ParseErr{"EUR", "1.", "invalid_amount"}, ParseErr{"EUR", ".5", "invalid_amount"},
        ParseErr{"EUR", "-.5", "invalid_amount"}, ParseErr{"EUR", "+1", "invalid_amount"},
        ParseErr{"EUR", "1e3", "invalid_amount"}, ParseErr{"EUR", "1E3", "invalid_amount"},
        ParseErr{"EUR", " 1", "invalid_amount"}, ParseErr{"EUR", "1 ", "invalid_amount"},
        ParseErr{"EUR", "1,000", "invalid_amount"}, ParseErr{"EUR", "1,5", "invalid_amount"},
        ParseErr{"EUR", "1_000", "invalid_amount"}, ParseErr{"EUR", "--1", "invalid_amount"},
        ParseErr{"EUR", "-+1", "invalid_amount"}, ParseErr{"EUR", "1-", "invalid_amount"},
        ParseErr{"EUR", "1.2.3", "invalid_amount"}, ParseErr{"EUR", "1..2", "invalid_amount"},
        ParseErr{"EUR", "abc", "invalid_amount"}, ParseErr{"EUR", "0x10", "invalid_amount"},
        ParseErr{"EUR", "NaN", "invalid_amount"}, ParseErr{"EUR", "inf", "invalid_amount"},
        ParseErr{"EUR", "1.-5", "invalid_amount"},
        ParseErr{"EUR", "\xd9\xa1", "invalid_amount"},  // ARABIC-INDIC DIGIT ONE
        ParseErr{"EUR", "1.5\n", "invalid_amount"}, ParseErr{"EUR", "1.234x", "invalid_amount"},
        ParseErr{"JPY", "100.", "invalid_amount"}));

INSTANTIATE_TEST_SUITE_P(
    Decimals, MoneyParseErr,
    ::testing::Values(ParseErr{"EUR", "1.500", "too_many_decimals"}, ParseErr{"EUR", "1.001", "too_many_decimals"},
                      ParseErr{"EUR", "-0.000", "too_many_decimals"}, ParseErr{"JPY", "100.0", "too_many_decimals"},
                      ParseErr{"JPY", "1.5", "too_many_decimals"}, ParseErr{"KWD", "1.2345", "too_many_decimals"},
                      ParseErr{"CLF", "1.23456", "too_many_decimals"},
                      ParseErr{"EUR", "99999999999999999999999.123", "too_many_decimals"}));

INSTANTIATE_TEST_SUITE_P(
    Range, MoneyParseErr,
    ::testing::Values(ParseErr{"EUR", "92233720368547758.08", "amount_out_of_range"},
                      ParseErr{"EUR", "-92233720368547758.09", "amount_out_of_range"},
                      ParseErr{"EUR", "92233720368547759", "amount_out_of_range"},
                      ParseErr{"JPY", "9223372036854775808", "amount_out_of_range"},
                      ParseErr{"JPY", "-9223372036854775809", "amount_out_of_range"},
                      ParseErr{"JPY", "18446744073709551616", "amount_out_of_range"},
                      ParseErr{"KWD", "9223372036854775.808", "amount_out_of_range"},
                      ParseErr{"CLF", "-922337203685477.5809", "amount_out_of_range"},
                      ParseErr{"EUR", "99999999999999999999999999999999999999999999999999", "amount_out_of_range"}));

TEST(MoneyParse, VeryLongNumbersAreOutOfRangeNotWrapped) {
  const std::string huge = "1" + std::string(1000, '0');
  auto r = Money::parse(huge, cur("JPY"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "amount_out_of_range");
  EXPECT_LT(r.error().message.size(), 200u);  // the input is quoted, not copied whole
  auto garbage = Money::parse(std::string(100000, 'x'), cur("EUR"));
  ASSERT_FALSE(garbage.ok());
  EXPECT_LT(garbage.error().message.size(), 200u);
  // 2^64 and 2^128 would wrap to small numbers in a naive accumulator.
  auto r2 = Money::parse("340282366920938463463374607431768211456", cur("JPY"));
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, "amount_out_of_range");
}

TEST(MoneyParse, LongRunsOfLeadingZerosDoNotCountTowardsTheRange) {
  auto r = Money::parse(std::string(1000, '0') + "92233720368547758.07", cur("EUR"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->minor(), kMax);
}

TEST(MoneyParse, RefusesEmbeddedNul) {
  auto r = Money::parse(std::string_view("1\0", 2), cur("EUR"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_amount");
}

// ---------------------------------------------------------------- format

struct Format {
  const char* currency;
  int64_t minor;
  const char* text;
};

class MoneyFormat : public ::testing::TestWithParam<Format> {};

TEST_P(MoneyFormat, AlwaysExactlyExponentDecimals) {
  const Format f = GetParam();
  EXPECT_EQ(Money(f.minor, cur(f.currency)).to_string(), f.text);
}

INSTANTIATE_TEST_SUITE_P(
    Table, MoneyFormat,
    ::testing::Values(Format{"EUR", 123450, "1234.50"}, Format{"EUR", -5, "-0.05"}, Format{"EUR", 0, "0.00"},
                      Format{"EUR", 1, "0.01"}, Format{"EUR", -100, "-1.00"}, Format{"EUR", 700, "7.00"},
                      Format{"EUR", kMax, "92233720368547758.07"}, Format{"EUR", kMin, "-92233720368547758.08"},
                      Format{"JPY", 100, "100"}, Format{"JPY", 0, "0"}, Format{"JPY", -1, "-1"},
                      Format{"JPY", kMax, "9223372036854775807"}, Format{"JPY", kMin, "-9223372036854775808"},
                      Format{"KWD", 1250, "1.250"}, Format{"KWD", -1, "-0.001"}, Format{"KWD", 0, "0.000"},
                      Format{"KWD", kMin, "-9223372036854775.808"}, Format{"CLF", 12345, "1.2345"},
                      Format{"CLF", 1, "0.0001"}, Format{"CLF", kMin, "-922337203685477.5808"},
                      Format{"CLF", kMax, "922337203685477.5807"}));

TEST(MoneyParse, MinusZeroFormatsWithoutSign) {
  auto r = Money::parse("-0", cur("EUR"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->to_string(), "0.00");
  EXPECT_FALSE(r->is_negative());
  EXPECT_TRUE(r->is_zero());
}

// ---------------------------------------------------------------- arithmetic

TEST(MoneyArithmetic, AddSubNegateTimes) {
  const Currency eur = cur("EUR");
  EXPECT_EQ(Money(150, eur).add(Money(-200, eur))->minor(), -50);
  EXPECT_EQ(Money(150, eur).sub(Money(200, eur))->minor(), -50);
  EXPECT_EQ(Money(150, eur).negate()->minor(), -150);
  EXPECT_EQ(Money(150, eur).times(-3)->minor(), -450);
  EXPECT_EQ(Money(kMax, eur).add(Money(kMin, eur))->minor(), -1);
  EXPECT_EQ(Money(kMax, eur).negate()->minor(), -kMax);
  EXPECT_EQ(Money(kMin, eur).times(1)->minor(), kMin);
  EXPECT_EQ(Money(kMin + 1, eur).times(-1)->minor(), kMax);
}

TEST(MoneyArithmetic, OverflowIsReportedNotWrapped) {
  const Currency eur = cur("EUR");
  for (auto r : {Money(kMax, eur).add(Money(1, eur)), Money(kMin, eur).add(Money(-1, eur)),
                 Money(kMin, eur).sub(Money(1, eur)), Money(kMax, eur).sub(Money(-1, eur)),
                 Money(0, eur).sub(Money(kMin, eur)), Money(kMin, eur).negate(), Money(kMin, eur).times(-1),
                 Money(kMax, eur).times(2), Money(kMin, eur).times(kMin), Money(4611686018427387904, eur).times(2)}) {
    ASSERT_FALSE(r.ok()) << r->minor();
    EXPECT_EQ(r.error().code, "amount_overflow");
    EXPECT_EQ(r.error().kind, ErrorKind::unprocessable);
  }
  EXPECT_EQ(Money(-4611686018427387904, eur).times(2)->minor(), kMin);
}

TEST(MoneyArithmetic, MixingCurrenciesIsAnError) {
  const Money eur(100, cur("EUR"));
  const Money usd(100, cur("USD"));
  for (auto r : {eur.add(usd), eur.sub(usd), usd.add(eur)}) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "currency_mismatch");
  }
  // Currency is checked before overflow: the more useful diagnosis.
  auto r = Money(kMax, cur("EUR")).add(Money(kMax, cur("USD")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "currency_mismatch");
}

TEST(MoneyEquality, ComparesAmountAndCurrency) {
  EXPECT_EQ(Money(1, cur("EUR")), Money(1, cur("EUR")));
  EXPECT_FALSE(Money(1, cur("EUR")) == Money(1, cur("USD")));
  EXPECT_FALSE(Money(1, cur("EUR")) == Money(2, cur("EUR")));
  EXPECT_EQ(Money::zero(cur("JPY")).minor(), 0);
}

// ---------------------------------------------------------------- rounding

struct Rounding {
  Int128 value;
  Int128 den;
  std::optional<int64_t> expected;  // nullopt: overflow
};

TEST(RoundHalfAway, Table) {
  const Int128 max = kMax;
  const Int128 min = kMin;
  const Rounding cases[] = {
      {5, 2, 3},          {-5, 2, -3},       {25, 10, 3},   {-25, 10, -3},  {24, 10, 2},
      {-24, 10, -2},      {26, 10, 3},       {-26, 10, -3}, {1, 3, 0},      {2, 3, 1},
      {-2, 3, -1},        {-1, 3, 0},        {0, 7, 0},     {7, 1, 7},      {-7, 1, -7},
      {15, 10, 2},        {-15, 10, -2},     {149, 100, 1}, {-150, 100, -2}, {max, 1, kMax},
      {min, 1, kMin},     {max + 1, 1, {}},  {min - 1, 1, {}},
      {min * 2 + 1, 2, kMin},   // -2^63 + 0.5 rounds away to -2^63
      {min * 2 - 1, 2, {}},     // -2^63 - 0.5 rounds away to -2^63 - 1
      {max * 2 + 1, 2, {}},     // 2^63 - 0.5 rounds up to 2^63
      {max * 2 - 1, 2, kMax},   // 2^63 - 1.5 rounds to 2^63 - 1
      {max * max, max, kMax},
      {Int128(1) << 126, Int128(1) << 126, 1},
      {-(Int128(1) << 126), (Int128(1) << 126) + 1, -1},
      {Int128(1) << 125, Int128(1) << 126, 1},  // exactly one half, huge denominator
  };
  for (const Rounding& c : cases) {
    int64_t out = 12345;
    const bool ok = round_half_away(c.value, c.den, &out);
    ASSERT_EQ(ok, c.expected.has_value()) << static_cast<int64_t>(c.value) << "/" << static_cast<int64_t>(c.den);
    if (ok) {
      EXPECT_EQ(out, *c.expected) << static_cast<int64_t>(c.value) << "/" << static_cast<int64_t>(c.den);
    }
  }
}

TEST(RoundHalfAway, RefusesNonPositiveDenominator) {
  int64_t out = 0;
  EXPECT_FALSE(round_half_away(1, 0, &out));
  EXPECT_FALSE(round_half_away(1, -2, &out));
}

TEST(MoneyMulRatio, RoundsHalfAwayFromZero) {
  const Currency eur = cur("EUR");
  EXPECT_EQ(Money(1000, eur).mul_ratio(19, 100)->minor(), 190);
  EXPECT_EQ(Money(105, eur).mul_ratio(1, 2)->minor(), 53);
  EXPECT_EQ(Money(-105, eur).mul_ratio(1, 2)->minor(), -53);
  EXPECT_EQ(Money(105, eur).mul_ratio(-1, 2)->minor(), -53);
  EXPECT_EQ(Money(104, eur).mul_ratio(1, 2)->minor(), 52);
  EXPECT_EQ(Money(1, eur).mul_ratio(1, 3)->minor(), 0);
  EXPECT_EQ(Money(-1, eur).mul_ratio(2, 3)->minor(), -1);
  // 12.99 at 7.5% VAT = 0.97425 -> 0.97
  EXPECT_EQ(Money(1299, eur).mul_ratio(75, 1000)->minor(), 97);
  // 3 x 33.33 / 3 is exact.
  EXPECT_EQ(Money(3333, eur).mul_ratio(3, 3)->minor(), 3333);
  EXPECT_EQ(Money(kMax, eur).mul_ratio(kMax, kMax)->minor(), kMax);
  EXPECT_EQ(Money(kMin, eur).mul_ratio(kMax, kMax)->minor(), kMin);
  EXPECT_EQ(Money(kMin, eur).mul_ratio(1, 2)->minor(), kMin / 2);
  EXPECT_EQ(Money(7, eur).mul_ratio(0, 5)->minor(), 0);
  EXPECT_EQ(Money(7, eur).mul_ratio(0, 5)->currency(), eur);
}

TEST(MoneyMulRatio, OverflowAndBadDenominator) {
  const Currency eur = cur("EUR");
  for (auto r : {Money(kMax, eur).mul_ratio(2, 1), Money(kMin, eur).mul_ratio(-1, 1),
                 Money(kMax, eur).mul_ratio(kMax, kMax - 1), Money(kMin, eur).mul_ratio(kMin, 1)}) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "amount_overflow");
  }
  for (auto r : {Money(1, eur).mul_ratio(1, 0), Money(1, eur).mul_ratio(1, -1), Money(1, eur).mul_ratio(1, kMin)}) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "invalid_ratio");
  }
}

// ---------------------------------------------------------------- split and allocate

std::vector<int64_t> minors(const std::vector<Money>& parts) {
  std::vector<int64_t> out;
  for (const Money& m : parts) out.push_back(m.minor());
  return out;
}

TEST(MoneySplit, Table) {
  const Currency eur = cur("EUR");
  EXPECT_EQ(minors(*Money(100, eur).split(3)), (std::vector<int64_t>{34, 33, 33}));
  EXPECT_EQ(minors(*Money(-100, eur).split(3)), (std::vector<int64_t>{-34, -33, -33}));
  EXPECT_EQ(minors(*Money(2, eur).split(5)), (std::vector<int64_t>{1, 1, 0, 0, 0}));
  EXPECT_EQ(minors(*Money(-2, eur).split(5)), (std::vector<int64_t>{-1, -1, 0, 0, 0}));
  EXPECT_EQ(minors(*Money(0, eur).split(2)), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(minors(*Money(99, eur).split(1)), (std::vector<int64_t>{99}));
  EXPECT_EQ(minors(*Money(kMax, eur).split(2)), (std::vector<int64_t>{kMax / 2 + 1, kMax / 2}));
  EXPECT_EQ(minors(*Money(kMin, eur).split(2)), (std::vector<int64_t>{kMin / 2, kMin / 2}));
  EXPECT_EQ(minors(*Money(kMin, eur).split(3)),
            (std::vector<int64_t>{kMin / 3 - 1, kMin / 3 - 1, kMin / 3}));
  // Kept in a variable: a range-for over *temporary.split() would dangle.
  const auto parts = Money(100, eur).split(4);
  for (const Money& m : *parts) EXPECT_EQ(m.currency(), eur);
}

TEST(MoneySplit, RefusesFewerThanOnePart) {
  for (int n : {0, -1, std::numeric_limits<int>::min()}) {
    auto r = Money(100, cur("EUR")).split(n);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "invalid_split");
  }
}

TEST(MoneyAllocate, Table) {
  const Currency eur = cur("EUR");
  const auto alloc = [&](int64_t minor, std::vector<int64_t> w) { return minors(*Money(minor, eur).allocate(w)); };
  EXPECT_EQ(alloc(100, {1, 1, 1}), (std::vector<int64_t>{34, 33, 33}));
  EXPECT_EQ(alloc(100, {1, 2}), (std::vector<int64_t>{33, 67}));
  EXPECT_EQ(alloc(-100, {1, 2}), (std::vector<int64_t>{-33, -67}));
  // Six equal remainders, four units left: the four lowest indexes win.
  EXPECT_EQ(alloc(100, {1, 1, 1, 1, 1, 1}), (std::vector<int64_t>{17, 17, 17, 17, 16, 16}));
  EXPECT_EQ(alloc(-100, {1, 1, 1, 1, 1, 1}), (std::vector<int64_t>{-17, -17, -17, -17, -16, -16}));
  // Largest remainder, not lowest index: 10 x {3,3,4}/10 -> remainders 0,0,0.
  EXPECT_EQ(alloc(10, {3, 3, 4}), (std::vector<int64_t>{3, 3, 4}));
  // 5 x {1,3}/4 = 1.25, 3.75 -> the second share has the larger remainder.
  EXPECT_EQ(alloc(5, {1, 3}), (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(alloc(-5, {1, 3}), (std::vector<int64_t>{-1, -4}));
  EXPECT_EQ(alloc(100, {0, 1, 0}), (std::vector<int64_t>{0, 100, 0}));
  EXPECT_EQ(alloc(1, {0, 1, 1}), (std::vector<int64_t>{0, 1, 0}));
  EXPECT_EQ(alloc(0, {5, 7}), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(alloc(kMax, {kMax, kMax}), (std::vector<int64_t>{kMax / 2 + 1, kMax / 2}));
  EXPECT_EQ(alloc(kMin, {1, 1}), (std::vector<int64_t>{kMin / 2, kMin / 2}));
  EXPECT_EQ(alloc(kMin, {kMax, kMax, kMax}), (std::vector<int64_t>{kMin / 3 - 1, kMin / 3 - 1, kMin / 3}));
  EXPECT_EQ(alloc(kMax, {1}), (std::vector<int64_t>{kMax}));
}

TEST(MoneyAllocate, RefusesBadWeights) {
  const Money m(100, cur("EUR"));
  for (const std::vector<int64_t>& w : std::vector<std::vector<int64_t>>{{}, {0}, {0, 0, 0}, {1, -1}, {-1}, {kMin, 5}}) {
    auto r = m.allocate(w);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "invalid_split");
  }
}

// ---------------------------------------------------------------- properties

constexpr uint64_t kSeed = 0x6f3263'20240601;
constexpr int kIterations = 20000;

// Random int64 spread over all magnitudes: uniform bits alone would almost
// never produce small numbers, and small numbers alone never reach the edges.
int64_t random_minor(std::mt19937_64& rng) {
  switch (rng() % 6) {
    case 0:
      return static_cast<int64_t>(rng());  // full range
    case 1:
      return kMax - static_cast<int64_t>(rng() % 1000);
    case 2:
      return kMin + static_cast<int64_t>(rng() % 1000);
    case 3:
      return static_cast<int64_t>(rng() % 2001) - 1000;
    default: {
      const auto bits = static_cast<unsigned>(1 + rng() % 64);
      const auto mag = static_cast<int64_t>(rng() >> (64 - bits) >> 1);  // [0, 2^(bits-1))
      return rng() % 2 ? mag : -mag;
    }
  }
}

const char* const kOneOfEachExponent[] = {"JPY", "EUR", "KWD", "CLF", "ISK", "USD", "BHD", "UYW"};

TEST(MoneyProperty, ParseOfFormatIsIdentity) {
  std::mt19937_64 rng(kSeed);
  for (int i = 0; i < kIterations; ++i) {
    const Currency c = cur(kOneOfEachExponent[rng() % std::size(kOneOfEachExponent)]);
    const Money m(random_minor(rng), c);
    const std::string text = m.to_string();
    const auto dot = text.find('.');
    if (c.exponent() == 0) {
      ASSERT_EQ(dot, std::string::npos) << text;
    } else {
      ASSERT_EQ(text.size() - dot - 1, static_cast<std::size_t>(c.exponent())) << text;
    }
    auto back = Money::parse(text, c);
    ASSERT_TRUE(back.ok()) << text << ": " << back.error().code;
    ASSERT_EQ(*back, m) << text;
  }
}

TEST(MoneyProperty, ParseOfShortDecimalsIsExact) {
  // A random decimal with fewer decimals than the exponent parses to the same
  // value as its zero-padded form.
  std::mt19937_64 rng(kSeed + 1);
  for (int i = 0; i < kIterations; ++i) {
    const Currency c = cur(kOneOfEachExponent[rng() % std::size(kOneOfEachExponent)]);
    const auto whole = static_cast<int64_t>(rng() % 1000000000);
    const int decimals = c.exponent() == 0 ? 0 : static_cast<int>(rng() % static_cast<uint64_t>(c.exponent() + 1));
    int64_t frac = 0;
    std::string frac_text;
    for (int d = 0; d < decimals; ++d) {
      const auto digit = static_cast<int>(rng() % 10);
      frac = frac * 10 + digit;
      frac_text += static_cast<char>('0' + digit);
    }
    for (int d = decimals; d < c.exponent(); ++d) frac *= 10;
    const bool negative = rng() % 2;
    std::string text = (negative ? "-" : "") + std::to_string(whole) + (decimals ? "." + frac_text : "");
    const int64_t magnitude = whole * c.scale() + frac;
    auto r = Money::parse(text, c);
    ASSERT_TRUE(r.ok()) << text;
    ASSERT_EQ(r->minor(), negative ? -magnitude : magnitude) << text;
  }
}

TEST(MoneyProperty, SplitPartsSumExactlyAndDifferByAtMostOne) {
  std::mt19937_64 rng(kSeed + 2);
  const Currency eur = cur("EUR");
  for (int i = 0; i < kIterations; ++i) {
    const Money m(random_minor(rng), eur);
    const int n = 1 + static_cast<int>(rng() % 50);
    auto parts = m.split(n);
    ASSERT_TRUE(parts.ok());
    ASSERT_EQ(parts->size(), static_cast<std::size_t>(n));
    Int128 sum = 0;
    for (std::size_t k = 0; k < parts->size(); ++k) {
      const int64_t p = (*parts)[k].minor();
      sum += p;
      ASSERT_TRUE(m.minor() >= 0 ? p >= 0 : p <= 0);
      ASSERT_LE(static_cast<Int128>(p) - (*parts)[n - 1].minor(), 1);
      ASSERT_GE(static_cast<Int128>(p) - (*parts)[n - 1].minor(), -1);
      // Larger magnitudes first.
      if (k > 0) {
        ASSERT_GE(m.minor() >= 0 ? (*parts)[k - 1].minor() - p : p - (*parts)[k - 1].minor(), 0);
      }
    }
    ASSERT_EQ(sum, static_cast<Int128>(m.minor())) << m.minor() << " / " << n;
  }
}

int64_t random_weight(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0:
      return 0;
    case 1:
      return static_cast<int64_t>(rng() % 10);
    case 2:
      return static_cast<int64_t>(rng() >> 1);  // up to INT64_MAX
    default:
      return kMax - static_cast<int64_t>(rng() % 3);
  }
}

TEST(MoneyProperty, AllocateSumsExactlyByLargestRemainder) {
  std::mt19937_64 rng(kSeed + 3);
  const Currency kwd = cur("KWD");
  for (int i = 0; i < kIterations; ++i) {
    const Money m(random_minor(rng), kwd);
    std::vector<int64_t> weights(1 + rng() % 20);
    for (int64_t& w : weights) w = random_weight(rng);
    if (std::all_of(weights.begin(), weights.end(), [](int64_t w) { return w == 0; })) weights[0] = 1;
    Int128 total = 0;
    for (int64_t w : weights) total += w;

    auto parts = m.allocate(weights);
    ASSERT_TRUE(parts.ok());
    ASSERT_EQ(parts->size(), weights.size());
    Int128 sum = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
      const Int128 p = (*parts)[k].minor();
      sum += p;
      if (weights[k] == 0) {
        ASSERT_EQ(p, 0);
      }
      // |p - minor*w/total| < 1, multiplied through by total.
      const Int128 diff = p * total - static_cast<Int128>(m.minor()) * weights[k];
      ASSERT_LT(diff < 0 ? -diff : diff, total);
    }
    ASSERT_EQ(sum, static_cast<Int128>(m.minor()));

    // Largest remainder: a share that got an extra unit never has a smaller
    // remainder than one that did not, and on a tie it has the lower index.
    const auto remainder = [&](std::size_t k) {
      const Int128 r = static_cast<Int128>(m.minor()) * weights[k] % total;
      return r < 0 ? -r : r;
    };
    const auto got_extra = [&](std::size_t k) {
      return static_cast<Int128>((*parts)[k].minor()) != static_cast<Int128>(m.minor()) * weights[k] / total;
    };
    for (std::size_t a = 0; a < weights.size(); ++a) {
      for (std::size_t b = 0; b < weights.size(); ++b) {
        if (!got_extra(a) || got_extra(b)) continue;
        ASSERT_TRUE(remainder(a) > remainder(b) || (remainder(a) == remainder(b) && a < b)) << a << " vs " << b;
      }
    }
  }
}

// Independent reference for mul_ratio: sign and magnitude in unsigned 128-bit.
std::optional<int64_t> reference_mul_ratio(int64_t minor, int64_t num, int64_t den) {
  const Int128 p = static_cast<Int128>(minor) * num;
  const bool negative = p < 0;
  const UInt128 mag = negative ? UInt128(0) - static_cast<UInt128>(p) : static_cast<UInt128>(p);
  const auto d = static_cast<UInt128>(den);
  UInt128 q = mag / d;
  if (2 * (mag % d) >= d) ++q;  // den < 2^63, so doubling the remainder fits
  const Int128 signed_q = negative ? -static_cast<Int128>(q) : static_cast<Int128>(q);
  if (!fits(signed_q)) return std::nullopt;
  return static_cast<int64_t>(signed_q);
}

template <typename T>
void expect_exact_or_overflow(const Result<Money>& r, Int128 exact, const T& context) {
  if (fits(exact)) {
    ASSERT_TRUE(r.ok()) << context << ": " << r.error().code;
    ASSERT_EQ(static_cast<Int128>(r->minor()), exact) << context;
  } else {
    ASSERT_FALSE(r.ok()) << context << " gave " << r->minor();
    ASSERT_EQ(r.error().code, "amount_overflow") << context;
  }
}

TEST(MoneyProperty, NoSilentOverflow) {
  std::mt19937_64 rng(kSeed + 4);
  const Currency eur = cur("EUR");
  int overflows = 0;
  for (int i = 0; i < kIterations; ++i) {
    const int64_t a = random_minor(rng);
    const int64_t b = random_minor(rng);
    const std::string ctx = std::to_string(a) + ", " + std::to_string(b);
    const Money ma(a, eur);
    const Money mb(b, eur);
    expect_exact_or_overflow(ma.add(mb), Int128(a) + b, "add " + ctx);
    expect_exact_or_overflow(ma.sub(mb), Int128(a) - b, "sub " + ctx);
    expect_exact_or_overflow(ma.negate(), -Int128(a), "negate " + ctx);
    // Small factors too, or nearly every product would overflow.
    const int64_t factor = rng() % 2 ? b : static_cast<int64_t>(rng() % 201) - 100;
    expect_exact_or_overflow(ma.times(factor), Int128(a) * factor, "times " + ctx);
    overflows += !fits(Int128(a) + b);

    const int64_t num = rng() % 2 ? b : static_cast<int64_t>(rng() % 2001) - 1000;
    int64_t den = random_minor(rng);
    if (den == kMin) den = kMax;
    if (den < 0) den = -den;
    if (den == 0) den = 1;
    auto r = ma.mul_ratio(num, den);
    const auto expected = reference_mul_ratio(a, num, den);
    const std::string rctx = "mul_ratio " + std::to_string(a) + " * " + std::to_string(num) + "/" + std::to_string(den);
    if (expected) {
      ASSERT_TRUE(r.ok()) << rctx << ": " << r.error().code;
      ASSERT_EQ(r->minor(), *expected) << rctx;
    } else {
      ASSERT_FALSE(r.ok()) << rctx << " gave " << r->minor();
      ASSERT_EQ(r.error().code, "amount_overflow") << rctx;
    }
  }
  // The generator must actually exercise the overflow path.
  EXPECT_GT(overflows, kIterations / 20);
}

}  // namespace
}  // namespace o2c
