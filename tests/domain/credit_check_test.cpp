#include "domain/credit/check.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace o2c::credit {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Currency cur(const char* code) { return *Currency::of(code); }
Money eur(const char* text) { return Money::parse(text, cur("EUR")).value(); }

CreditInput input(const char* limit, const char* receivable, const char* open_orders, const char* order) {
  return CreditInput{eur(limit), eur(receivable), eur(open_orders), eur(order)};
}

std::vector<std::string> codes(const CreditDecision& d) {
  std::vector<std::string> out;
  for (const auto& r : d.reasons) out.push_back(r.code);
  return out;
}

// ---------------------------------------------------------------- table

struct Case {
  const char* label;
  const char* limit;
  const char* receivable;
  const char* open_orders;
  const char* order;
  bool block;
  std::optional<int> overdue_days;
  int grace_days;
  std::vector<std::string> reasons;  // empty: pass
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

class CreditTable : public ::testing::TestWithParam<Case> {};

TEST_P(CreditTable, Decides) {
  const Case& c = GetParam();
  CreditInput in = input(c.limit, c.receivable, c.open_orders, c.order);
  in.credit_block = c.block;
  in.oldest_overdue_days = c.overdue_days;
  in.grace_days = c.grace_days;
  auto r = check_credit(in);
  ASSERT_TRUE(r.ok()) << c.label << ": " << r.error().code;
  EXPECT_EQ(codes(*r), c.reasons) << c.label;
  EXPECT_EQ(r->passed(), c.reasons.empty()) << c.label;
  EXPECT_EQ(r->outcome, c.reasons.empty() ? Outcome::pass : Outcome::hold) << c.label;
  for (const auto& reason : r->reasons) EXPECT_FALSE(reason.message.empty()) << c.label;
  auto again = would_release(in);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, c.reasons.empty()) << c.label;
}

const std::vector<std::string> kNone;
const std::vector<std::string> kLimit{"credit_limit_exceeded"};
const std::vector<std::string> kOverdue{"overdue_invoices"};
const std::vector<std::string> kBlocked{"credit_blocked"};

INSTANTIATE_TEST_SUITE_P(
    Credit, CreditTable,
    ::testing::Values(
        Case{"well within", "1000.00", "0.00", "0.00", "100.00", false, std::nullopt, 30, kNone},
        Case{"exactly at the limit", "1000.00", "500.00", "300.00", "200.00", false, std::nullopt, 30, kNone},
        Case{"one cent over", "1000.00", "500.00", "300.00", "200.01", false, std::nullopt, 30, kLimit},
        Case{"open orders count", "1000.00", "0.00", "950.00", "50.01", false, std::nullopt, 30, kLimit},
        Case{"receivable counts", "1000.00", "1000.00", "0.00", "0.01", false, std::nullopt, 30, kLimit},
        Case{"no credit at all", "0.00", "0.00", "0.00", "0.01", false, std::nullopt, 30, kLimit},
        Case{"no credit, free order", "0.00", "0.00", "0.00", "0.00", false, std::nullopt, 30, kNone},
        Case{"customer credit lowers exposure", "100.00", "-50.00", "0.00", "150.00", false, std::nullopt, 30,
             kNone},
        Case{"overdue within grace", "1000.00", "0.00", "0.00", "1.00", false, 30, 30, kNone},
        Case{"overdue one day past grace", "1000.00", "0.00", "0.00", "1.00", false, 31, 30, kOverdue},
        Case{"longer grace", "1000.00", "0.00", "0.00", "1.00", false, 45, 60, kNone},
        Case{"no grace", "1000.00", "0.00", "0.00", "1.00", false, 1, 0, kOverdue},
        Case{"due today, no grace", "1000.00", "0.00", "0.00", "1.00", false, 0, 0, kNone},
        Case{"not yet due", "1000.00", "0.00", "0.00", "1.00", false, -5, 0, kNone},
        Case{"blocked", "1000.00", "0.00", "0.00", "1.00", true, std::nullopt, 30, kBlocked},
        Case{"blocked and overdue", "1000.00", "0.00", "0.00", "1.00", true, 90, 30,
             {"overdue_invoices", "credit_blocked"}},
        Case{"over the limit and blocked", "10.00", "0.00", "0.00", "10.01", true, std::nullopt, 30,
             {"credit_limit_exceeded", "credit_blocked"}},
        Case{"every reason", "10.00", "20.00", "0.00", "1.00", true, 31, 30,
             {"credit_limit_exceeded", "overdue_invoices", "credit_blocked"}}));

// ---------------------------------------------------------------- messages

TEST(CreditMessages, LimitStatesExposureLimitAndExcess) {
  auto r = check_credit(input("1000.00", "500.00", "300.00", "400.00"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->reasons.size(), 1u);
  EXPECT_EQ(r->exposure, eur("1200.00"));
  const std::string& m = r->reasons[0].message;
  EXPECT_NE(m.find("1200.00 EUR"), std::string::npos) << m;
  EXPECT_NE(m.find("credit limit 1000.00 EUR"), std::string::npos) << m;
  EXPECT_NE(m.find("by 200.00 EUR"), std::string::npos) << m;
  EXPECT_NE(m.find("open receivable 500.00"), std::string::npos) << m;
}

TEST(CreditMessages, YenWithoutDecimals) {
  const Currency jpy = cur("JPY");
  auto r = check_credit(CreditInput{Money(100000, jpy), Money(0, jpy), Money(0, jpy), Money(100001, jpy)});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->reasons.size(), 1u);
  EXPECT_NE(r->reasons[0].message.find("by 1 JPY"), std::string::npos) << r->reasons[0].message;
}

TEST(CreditMessages, OverdueStatesDaysAndGrace) {
  CreditInput in = input("1000.00", "0.00", "0.00", "1.00");
  in.oldest_overdue_days = 45;
  auto r = check_credit(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->reasons.size(), 1u);
  const std::string& m = r->reasons[0].message;
  EXPECT_NE(m.find("45 days"), std::string::npos) << m;
  EXPECT_NE(m.find("30 days"), std::string::npos) << m;
}

TEST(CreditMessages, PassHasExposureAndNoReasons) {
  auto r = check_credit(input("1000.00", "100.00", "200.00", "300.00"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->reasons.empty());
  EXPECT_EQ(r->exposure, eur("600.00"));
}

// ---------------------------------------------------------------- errors

struct ErrorCase {
  const char* label;
  CreditInput input;
  const char* code;
  const char* field;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.label; }

class CreditErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(CreditErrors, Refused) {
  const ErrorCase& c = GetParam();
  auto r = check_credit(c.input);
  ASSERT_FALSE(r.ok()) << c.label;
  EXPECT_EQ(r.error().code, c.code) << c.label << ": " << r.error().message;
  EXPECT_EQ(r.error().field, c.field) << c.label;
  auto again = would_release(c.input);
  ASSERT_FALSE(again.ok()) << c.label;
  EXPECT_EQ(again.error().code, c.code) << c.label;
}

CreditInput with_grace(int days) {
  CreditInput in = input("1.00", "0.00", "0.00", "0.00");
  in.grace_days = days;
  return in;
}

INSTANTIATE_TEST_SUITE_P(
    Credit, CreditErrors,
    ::testing::Values(
        ErrorCase{"receivable in USD",
                  CreditInput{eur("1.00"), Money(0, cur("USD")), eur("0.00"), eur("0.00")}, "currency_mismatch",
                  "open_receivable"},
        ErrorCase{"open orders in JPY",
                  CreditInput{eur("1.00"), eur("0.00"), Money(0, cur("JPY")), eur("0.00")}, "currency_mismatch",
                  "open_orders"},
        ErrorCase{"order in KWD", CreditInput{eur("1.00"), eur("0.00"), eur("0.00"), Money(1, cur("KWD"))},
                  "currency_mismatch", "order_total"},
        ErrorCase{"negative limit", input("-0.01", "0.00", "0.00", "0.00"), "negative_amount", "credit_limit"},
        ErrorCase{"negative open orders", input("1.00", "0.00", "-0.01", "0.00"), "negative_amount",
                  "open_orders"},
        ErrorCase{"negative order", input("1.00", "0.00", "0.00", "-0.01"), "negative_amount", "order_total"},
        ErrorCase{"negative grace", with_grace(-1), "invalid_grace_days", "grace_days"},
        ErrorCase{"grace past its limit", with_grace(kMaxGraceDays + 1), "invalid_grace_days", "grace_days"},
        ErrorCase{"exposure overflows",
                  CreditInput{Money(kMax, cur("EUR")), Money(kMax, cur("EUR")), eur("0.00"), eur("0.01")},
                  "amount_overflow", ""}));

TEST(CreditErrors, GraceAtItsLimitIsAccepted) {
  auto r = check_credit(with_grace(kMaxGraceDays));
  EXPECT_TRUE(r.ok());
}

TEST(CreditErrors, LargeTermsThatCancelDoNotOverflow) {
  // kMin + kMax + 1 = 0: an intermediate left-to-right sum would still fit,
  // but so must the other order of terms.
  auto r = check_credit(
      CreditInput{eur("0.00"), Money(kMin, cur("EUR")), Money(kMax, cur("EUR")), Money(1, cur("EUR"))});
  ASSERT_TRUE(r.ok()) << r.error().code;
  EXPECT_EQ(r->exposure.minor(), 0);
  EXPECT_TRUE(r->passed());
}

// ---------------------------------------------------------------- release

TEST(CreditRelease, PaymentLowersExposure) {
  CreditInput held = input("1000.00", "900.00", "0.00", "200.00");
  EXPECT_FALSE(*would_release(held));
  held.open_receivable = eur("800.00");  // a payment of 100.00 arrived
  EXPECT_TRUE(*would_release(held));
}

TEST(CreditRelease, CancelledOrderLowersExposure) {
  CreditInput held = input("1000.00", "0.00", "900.00", "200.00");
  EXPECT_FALSE(*would_release(held));
  held.open_orders = eur("500.00");
  EXPECT_TRUE(*would_release(held));
}

TEST(CreditRelease, LowerExposureDoesNotClearOtherReasons) {
  CreditInput held = input("1000.00", "900.00", "0.00", "200.00");
  held.oldest_overdue_days = 40;
  held.open_receivable = eur("0.00");
  EXPECT_FALSE(*would_release(held));
  held.oldest_overdue_days = std::nullopt;
  held.credit_block = true;
  EXPECT_FALSE(*would_release(held));
  held.credit_block = false;
  EXPECT_TRUE(*would_release(held));
}

// ---------------------------------------------------------------- properties

TEST(CreditProperty, MatchesTheRulesAndReleaseAgrees) {
  std::mt19937_64 rng(424242);
  const auto below = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
  const Currency c = cur("EUR");
  for (int iter = 0; iter < 5000; ++iter) {
    CreditInput in{Money(below(100000), c), Money(below(100000) - 20000, c), Money(below(50000), c),
                   Money(below(50000), c)};
    in.credit_block = below(5) == 0;
    if (below(2) == 0) in.oldest_overdue_days = static_cast<int>(below(120) - 10);
    in.grace_days = static_cast<int>(below(61));

    auto r = check_credit(in);
    ASSERT_TRUE(r.ok()) << iter;
    const int64_t exposure = in.open_receivable.minor() + in.open_orders.minor() + in.order_total.minor();
    const bool over = exposure > in.credit_limit.minor();
    const bool overdue = in.oldest_overdue_days && *in.oldest_overdue_days > in.grace_days;
    std::vector<std::string> expected;
    if (over) expected.emplace_back("credit_limit_exceeded");
    if (overdue) expected.emplace_back("overdue_invoices");
    if (in.credit_block) expected.emplace_back("credit_blocked");
    EXPECT_EQ(codes(*r), expected) << iter;
    EXPECT_EQ(r->exposure.minor(), exposure) << iter;
    EXPECT_EQ(*would_release(in), expected.empty()) << iter;

    // Exposure only falling (payment, cancellation) never turns a pass into a hold.
    if (r->passed()) {
      CreditInput lower = in;
      lower.open_receivable = Money(in.open_receivable.minor() - below(1000), c);
      lower.open_orders = Money(in.open_orders.minor() - below(in.open_orders.minor() + 1), c);
      EXPECT_TRUE(*would_release(lower)) << iter;
    }
  }
}

}  // namespace
}  // namespace o2c::credit
