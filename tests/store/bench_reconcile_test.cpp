#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "cli/commands/bench_reconcile.h"
#include "test_db.h"

namespace o2c::cli {
namespace {

constexpr uint64_t kSeed = 42;
constexpr int64_t kLines = 2000;
// Below what the default seed reaches (~94 % over all lines at 100 000):
// a floor that catches a matcher or generator gone wrong, not a target.
constexpr double kAutoRateFloor = 0.85;

const Date kToday = *Date::parse("2026-11-20");

// The generator alone: deterministic, every line has a truth, each invoice
// is paid by at most one line, and every kind of noise occurs.
TEST(BenchReconcileGen, DeterministicAndEveryNoiseOccurs) {
  const auto co = recgen::make_company(kSeed, bench_customers_for(kLines), bench_invoices_for(kLines), kToday);
  const auto a = recgen::make_statement(kSeed, co, kLines, kToday, recgen::Format::camt053);
  const auto b = recgen::make_statement(kSeed, co, kLines, kToday, recgen::Format::camt053);
  EXPECT_EQ(a.text, b.text);
  ASSERT_EQ(a.truth.size(), static_cast<size_t>(kLines));
  EXPECT_EQ(a.overlap_lines, kLines / 10);
  std::set<int64_t> paid;
  std::set<recgen::Noise> kinds;
  for (const auto& t : a.truth) {
    kinds.insert(t.noise);
    for (int64_t id : t.invoice_ids) EXPECT_TRUE(paid.insert(id).second) << "invoice " << id << " paid twice";
  }
  EXPECT_EQ(kinds.size(), static_cast<size_t>(recgen::kNoiseKinds));
}

// Parse and match in memory, both formats: no wrong automatic match, and
// the rate above the floor.
TEST(BenchReconcile, MatchesWithoutAWrongAutoMatch) {
  for (auto format : {recgen::Format::camt053, recgen::Format::mt940}) {
    const auto co = recgen::make_company(kSeed, bench_customers_for(kLines), bench_invoices_for(kLines), kToday);
    const auto st = recgen::make_statement(kSeed, co, kLines, kToday, format);
    auto parsed = format == recgen::Format::camt053 ? formats::bank::parse_camt(st.text)
                                                    : formats::bank::parse_mt940(st.text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message << " " << parsed.error().field;
    const MatchScore m = score_matches(co, *parsed, st.truth);
    EXPECT_EQ(m.lines, kLines);
    EXPECT_EQ(m.auto_wrong, 0) << (m.wrong_examples.empty() ? "" : m.wrong_examples.front());
    EXPECT_GT(static_cast<double>(m.auto_applied), kAutoRateFloor * static_cast<double>(m.lines))
        << "format " << static_cast<int>(format);
    EXPECT_EQ(m.auto_applied + m.suggested + m.unmatched, m.lines);
  }
}

// match_in_order on several threads decides every line exactly as match()
// line by line does, settling what it auto-applies in between (each line
// sees what the lines before it booked).
TEST(BenchReconcile, MatchingOnSeveralThreadsDecidesLikeOneLineAtATime) {
  const auto co = recgen::make_company(kSeed, bench_customers_for(kLines), bench_invoices_for(kLines), kToday);
  const auto st = recgen::make_statement(kSeed, co, kLines, kToday, recgen::Format::camt053);
  auto parsed = formats::bank::parse_camt(st.text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  std::vector<reconcile::BankLine> lines;
  for (const auto& s : parsed->statements) {
    for (const auto& l : s.lines) {
      reconcile::BankLine b;
      b.amount_minor = l.amount_minor;
      b.currency = s.currency;
      b.booking_date = *Date::parse(l.booking_date);
      b.counterparty_name = l.details.at(0).counterparty_name;
      b.counterparty_iban = l.details.at(0).counterparty_iban;
      b.reference = l.details.at(0).structured_reference;
      b.remittance = l.details.at(0).remittance;
      lines.push_back(std::move(b));
    }
  }
  ASSERT_GT(lines.size(), 1024u) << "too few lines for more than one block";
  auto summary = [](const reconcile::Decision& d) {
    std::string out = std::to_string(d.auto_apply) + " " + d.why_not;
    for (const auto& c : d.candidates) {
      out += " | " + std::to_string(c.score) + " " + reconcile::rule_name(c.rule) + " c" + std::to_string(c.customer_id);
      for (const auto& a : c.allocations) out += " " + std::to_string(a.invoice_id) + ":" + std::to_string(a.amount_minor);
      for (const auto& r : c.reasons) out += " / " + r;
    }
    return out;
  };
  const reconcile::Settings settings;
  std::vector<std::string> one;
  {
    reconcile::Index index(co.invoices, co.customers);
    for (const auto& l : lines) {
      const auto d = index.match(l, settings);
      one.push_back(summary(d));
      if (d.auto_apply) {
        for (const auto& a : d.candidates.front().allocations) index.settle(a.invoice_id, a.amount_minor);
      }
    }
  }
  int settled = 0;
  for (int threads : {2, 3}) {
    SCOPED_TRACE(threads);
    reconcile::Index index(co.invoices, co.customers);
    std::vector<std::string> many(lines.size());
    size_t next = 0;
    reconcile::match_in_order(index, lines, settings, threads, [&](size_t k, reconcile::Decision&& d) {
      EXPECT_EQ(k, next++) << "decisions out of line order";
      many[k] = summary(d);
      if (d.auto_apply) {
        ++settled;
        for (const auto& a : d.candidates.front().allocations) index.settle(a.invoice_id, a.amount_minor);
      }
    });
    EXPECT_EQ(next, lines.size());
    for (size_t k = 0; k < lines.size(); ++k) ASSERT_EQ(many[k], one[k]) << "line " << k;
  }
  EXPECT_GT(settled, 0);
}

// The durable phases on the suite's engine: the overlapping file is skipped
// whole, the booking books what the matcher is sure of and verifies.
TEST(BenchReconcile, ImportsOnceAndBooksAndVerifies) {
  const auto co = recgen::make_company(kSeed, bench_customers_for(kLines), bench_invoices_for(kLines), kToday);
  const auto st = recgen::make_statement(kSeed, co, kLines, kToday, recgen::Format::camt053);
  {
    auto tdb = test::make_test_database();
    const ImportRun r = run_import(tdb->db(), "test", st);
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.imported, kLines);
    EXPECT_EQ(r.skipped, 0);
    EXPECT_EQ(r.overlap_imported, 0);
    EXPECT_EQ(r.overlap_skipped, st.overlap_lines);
  }
  {
    auto tdb = test::make_test_database();
    const BookRun r = run_book(tdb->db(), "test", kSeed, 200, recgen::Format::camt053);
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.lines, 200);
    EXPECT_EQ(r.expected_wrong, 0);
    EXPECT_GT(static_cast<double>(r.matched), kAutoRateFloor * 200);
    EXPECT_EQ(r.matched + r.suggested + r.unmatched, r.lines);
    EXPECT_EQ(r.payments, r.matched);
    EXPECT_TRUE(r.breaches.empty()) << (r.breaches.empty() ? "" : r.breaches.front());
  }
}

}  // namespace
}  // namespace o2c::cli
