#include <gtest/gtest.h>

#include <set>

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
