// `o2c bench reports`' history at a small size, on the suite's engine: the
// rows are what the use cases would have left, and the aging the app
// computes from them equals what the raw rows say, recomputed here by brute
// force, today, in the past and in the far future.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "app/reports.h"
#include "domain/reports/forecast.h"
#include "cli/commands/bench_reports.h"
#include "store/forecast_repo.h"
#include "store/invoices_repo.h"
#include "store/migrate.h"
#include "test_db.h"

namespace o2c::cli {
namespace {

const Date kToday = *Date::parse("2026-11-20");

repgen::Options small(int64_t invoices = 2000, int customers = 100) {
  repgen::Options o;
  o.invoices = invoices;
  o.customers = customers;
  o.seed = 42;
  o.today = kToday;
  return o;
}

// Every chunk of a run, concatenated.
repgen::Chunk whole(const repgen::Options& o, int64_t chunk) {
  repgen::History h(o);
  repgen::Chunk all, part;
  while (h.next(chunk, part)) {
    all.invoices.insert(all.invoices.end(), part.invoices.begin(), part.invoices.end());
    all.credit_notes.insert(all.credit_notes.end(), part.credit_notes.begin(), part.credit_notes.end());
    all.payments.insert(all.payments.end(), part.payments.begin(), part.payments.end());
    all.allocations.insert(all.allocations.end(), part.allocations.begin(), part.allocations.end());
  }
  return all;
}

TEST(BenchReportsGen, DeterministicWhateverTheChunkSize) {
  const auto a = whole(small(), 2000);
  const auto b = whole(small(), 37);
  ASSERT_EQ(a.invoices.size(), 2000u);
  ASSERT_EQ(a.invoices.size(), b.invoices.size());
  ASSERT_EQ(a.allocations.size(), b.allocations.size());
  ASSERT_EQ(a.payments.size(), b.payments.size());
  ASSERT_EQ(a.credit_notes.size(), b.credit_notes.size());
  for (size_t i = 0; i < a.invoices.size(); ++i) {
    EXPECT_EQ(a.invoices[i].number, b.invoices[i].number);
    EXPECT_EQ(a.invoices[i].open_minor, b.invoices[i].open_minor);
    EXPECT_EQ(a.invoices[i].settled_on, b.invoices[i].settled_on);
  }
  for (size_t i = 0; i < a.allocations.size(); ++i) {
    EXPECT_EQ(a.allocations[i].applied_on, b.allocations[i].applied_on);
    EXPECT_EQ(a.allocations[i].amount_minor, b.allocations[i].amount_minor);
  }
  auto other = small();
  other.seed = 43;
  const auto c = whole(other, 2000);
  int differ = 0;
  for (size_t i = 0; i < 10; ++i) differ += a.invoices[i].total_minor != c.invoices[i].total_minor;
  EXPECT_GT(differ, 0) << "another seed gives the same amounts";
}

TEST(BenchReportsGen, EveryFateOccursAndDatesStayInTheHistory) {
  const auto a = whole(small(), 500);
  std::set<std::string> statuses;
  int64_t reversed = 0, paid = 0, open = 0;
  for (const auto& v : a.invoices) {
    statuses.insert(v.status);
    EXPECT_LE(v.issue_date, kToday.to_string());
    EXPECT_GE(v.issue_date, kToday.add_days(-(repgen::kHistoryDays - 1)).to_string());
    (v.open_minor == 0 ? paid : open) += 1;
  }
  for (const auto& al : a.allocations) {
    EXPECT_LE(al.applied_on, kToday.to_string());
    if (al.reversed_on) {
      ++reversed;
      EXPECT_LE(*al.reversed_on, kToday.to_string());
      EXPECT_GT(*al.reversed_on, al.applied_on);
    }
  }
  EXPECT_EQ(statuses, (std::set<std::string>{"open", "partially_paid", "paid", "credit_noted"}));
  EXPECT_GT(reversed, 0);
  EXPECT_GT(a.credit_notes.size(), 0u);
  // ~90 % paid in full; recent invoices and bad payers are the rest.
  EXPECT_GT(paid, 1700);
  EXPECT_GT(open, 100);
}

int64_t count(store::UnitOfWork& uow, const std::string& sql) { return uow.query_one(sql)->i64(0); }

struct Raw {
  struct Invoice {
    int64_t id = 0, customer = 0, total = 0, total_f = 0, open = 0, open_f = 0;
    Date issue, due;
    std::string settled_on;
  };
  struct Allocation {
    int64_t invoice = 0, amount = 0, functional = 0;
    Date applied;
    std::optional<Date> reversed;
    bool cash = false;
  };
  std::vector<Invoice> invoices;
  std::vector<Allocation> allocations;
};

Date day(const std::string& s) { return *Date::parse(s); }

Raw read_raw(store::UnitOfWork& uow) {
  Raw raw;
  for (const auto& r : uow.query("SELECT id, customer_id, total_minor, total_functional_minor, open_minor, "
                                 "open_functional_minor, issue_date, due_date, settled_on FROM invoices "
                                 "WHERE kind = 'invoice' ORDER BY id")) {
    raw.invoices.push_back({r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.i64(4), r.i64(5), day(r.text(6)),
                            day(r.text(7)), r.text(8)});
  }
  for (const auto& r : uow.query("SELECT invoice_id, amount_minor, functional_minor, applied_on, reversed_on, "
                                 "reversed_at, source_type FROM invoice_allocations ORDER BY id")) {
    Raw::Allocation a{r.i64(0), r.i64(1), r.i64(2), day(r.text(3)), std::nullopt, r.text(6) == "payment"};
    EXPECT_EQ(r.is_null(4), r.is_null(5)) << "reversed_at and reversed_on go together";
    if (!r.is_null(4)) a.reversed = day(r.text(4));
    raw.allocations.push_back(a);
  }
  return raw;
}

// The aging by due date as of `d`, from the raw rows alone: what each
// invoice issued by then had open in the functional currency, counting an
// allocation from its day until the day it was reversed.
struct Expected {
  std::map<int64_t, std::array<int64_t, 5>> by_customer;
  std::array<int64_t, 5> total{};
  int64_t items = 0;
};

Expected brute_force_aging(const Raw& raw, Date d) {
  std::map<int64_t, std::pair<int64_t, int64_t>> applied;  // invoice -> (document, functional) live on d
  for (const auto& a : raw.allocations) {
    if (a.applied > d || (a.reversed && *a.reversed <= d)) continue;
    applied[a.invoice].first += a.amount;
    applied[a.invoice].second += a.functional;
  }
  Expected e;
  for (const auto& v : raw.invoices) {
    if (v.issue > d) continue;
    const auto& [doc, fun] = applied[v.id];
    const int64_t open = v.total - doc, open_f = v.total_f - fun;
    if (open == 0 && open_f == 0) continue;
    if (open_f == 0) {
      ++e.items;  // open in its currency only: an item, nothing to add
      continue;
    }
    const int32_t late = Date::days_between(v.due, d);
    const int b = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
    e.by_customer[v.customer][static_cast<size_t>(b)] += open_f;
    e.total[static_cast<size_t>(b)] += open_f;
    ++e.items;
  }
  return e;
}

// The whole history as the cash forecast's pure functions take it, from the
// raw rows (credit notes stand for every settlement that is not cash).
reports::ReceivableHistory history_of(const Raw& raw) {
  reports::ReceivableHistory h;
  for (const auto& v : raw.invoices) h.invoices.push_back({v.id, v.customer, v.issue, v.due, v.total_f});
  for (const auto& a : raw.allocations) {
    h.settlements.push_back({a.invoice,
                             a.cash ? reports::SettlementKind::cash : reports::SettlementKind::credit_note,
                             a.applied, a.functional, a.reversed});
  }
  return h;
}

using ItemKey = std::tuple<int64_t, int64_t, int32_t, int32_t, int64_t>;
std::vector<ItemKey> keys(const std::vector<reports::OpenItem>& items) {
  std::vector<ItemKey> out;
  for (const auto& i : items) {
    out.emplace_back(i.invoice_id, i.customer_id, i.issue_date.days(), i.due_date.days(), i.open_minor);
  }
  return out;
}

class BenchReportsStore : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb_ = test::make_test_database();
    load_ = load_history(tdb_->db(), small());
  }
  store::Database& db() { return tdb_->db(); }

  std::unique_ptr<test::TestDatabase> tdb_;
  LoadRun load_;
};

TEST_F(BenchReportsStore, RowsAreWhatTheUseCasesLeave) {
  auto uow = db().begin(store::TxMode::read);
  const auto& c = load_.counts;
  EXPECT_EQ(c.invoices, 2000);
  EXPECT_EQ(count(*uow, "SELECT COUNT(*) FROM invoices WHERE kind = 'invoice'"), c.invoices);
  EXPECT_EQ(count(*uow, "SELECT COUNT(*) FROM invoices WHERE kind = 'credit_note'"), c.credit_notes);
  EXPECT_EQ(count(*uow, "SELECT COUNT(*) FROM payments"), c.payments);
  EXPECT_EQ(count(*uow, "SELECT COUNT(*) FROM payments WHERE status = 'reversed'"), c.reversed_payments);
  EXPECT_EQ(count(*uow, "SELECT COUNT(*) FROM invoice_allocations"), c.allocations);
  EXPECT_EQ(count(*uow, "SELECT COUNT(*) FROM customers"), 100);
  EXPECT_EQ(count(*uow, "SELECT COALESCE(SUM(open_functional_minor), 0) FROM invoices WHERE kind = 'invoice'"),
            c.open_minor);

  // settled_on as set_settlement computes it, and the allocations' copies of
  // their invoices: `o2c verify`'s own checks.
  EXPECT_EQ(store::invoices::settlement_breaches(*uow), std::vector<std::string>{});
  EXPECT_EQ(store::invoices::allocation_copy_breaches(*uow), std::vector<std::string>{});

  // open = total - live allocations, in both currencies; each payment is its
  // one allocation, reversed with it.
  const Raw raw = read_raw(*uow);
  std::map<int64_t, std::pair<int64_t, int64_t>> live;
  for (const auto& a : raw.allocations) {
    if (a.reversed) continue;
    live[a.invoice].first += a.amount;
    live[a.invoice].second += a.functional;
  }
  for (const auto& v : raw.invoices) {
    EXPECT_EQ(v.open, v.total - live[v.id].first) << "invoice " << v.id;
    EXPECT_EQ(v.open_f, v.total_f - live[v.id].second) << "invoice " << v.id;
    EXPECT_GE(v.open, 0);
    EXPECT_GE(v.open_f, 0);
  }
  EXPECT_EQ(count(*uow, "SELECT COUNT(*) FROM invoice_allocations a JOIN payments p ON a.source_type = 'payment' "
                        "AND a.source_id = CAST(p.id AS TEXT) WHERE a.amount_minor = p.amount_minor AND "
                        "a.applied_on = p.received_on AND (a.reversed_on IS NULL) = (p.status = 'received') AND "
                        "(a.reversed_on IS NULL OR a.reversed_on = p.reversed_on)"),
            c.payments);
  EXPECT_EQ(count(*uow, "SELECT COUNT(*) FROM invoice_allocations a JOIN invoices n ON a.source_type = "
                        "'credit_note' AND a.source_id = CAST(n.id AS TEXT) WHERE n.kind = 'credit_note' AND "
                        "n.credited_invoice_id = a.invoice_id AND n.total_minor = a.amount_minor AND "
                        "n.issue_date = a.applied_on"),
            c.credit_notes);
}

// settled_on is the one column the aging trusts to skip an invoice:
// verify names an invoice whose settled_on disagrees with its allocations,
// either way.
TEST_F(BenchReportsStore, VerifyNamesAWrongSettledOn) {
  {
    auto uow = db().begin(store::TxMode::write);
    auto paid = uow->query_one("SELECT MIN(id) FROM invoices WHERE kind = 'invoice' AND open_minor = 0");
    auto open = uow->query_one("SELECT MIN(id) FROM invoices WHERE kind = 'invoice' AND open_minor > 0");
    ASSERT_TRUE(paid && open);
    uow->exec("UPDATE invoices SET settled_on = '9999-12-31' WHERE id = ?", {paid->i64(0)});
    uow->exec("UPDATE invoices SET settled_on = issue_date WHERE id = ?", {open->i64(0)});
    uow->commit();
  }
  auto uow = db().begin(store::TxMode::read);
  const auto breaches = store::invoices::settlement_breaches(*uow);
  ASSERT_EQ(breaches.size(), 2u);
  auto said = [&](const std::string& text) {
    return std::count_if(breaches.begin(), breaches.end(),
                         [&](const std::string& b) { return b.find(text) != std::string::npos; });
  };
  EXPECT_EQ(said("settled_on 9999-12-31 but its open amount is 0 and its last allocation is dated 20"), 1)
      << breaches[0] << "\n" << breaches[1];
  EXPECT_EQ(said("last allocation"), 1) << breaches[0] << "\n" << breaches[1];
}

TEST_F(BenchReportsStore, AgingEqualsTheRecomputationFromTheRows) {
  auto uow = db().begin(store::TxMode::read);
  const Raw raw = read_raw(*uow);

  // The far future: everything that happened counts, so the aging holds
  // exactly the invoices' stored open amounts.
  {
    app::ReportQuery q;
    q.as_of = "2999-12-31";
    auto r = app::aging_report(*uow, q, kToday);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->aging.total.total(),
              count(*uow, "SELECT COALESCE(SUM(open_functional_minor), 0) FROM invoices WHERE kind = 'invoice'"));
    EXPECT_EQ(r->aging.total.total(), load_.counts.open_minor);
    EXPECT_GT(r->aging.total.total(), 0);
  }

  // Today, 18 months back, and days around the history's edges.
  for (const Date d : {kToday, kToday.add_months(-18), kToday.add_days(-45), kToday.add_months(-30),
                       kToday.add_days(-(repgen::kHistoryDays - 1)), kToday.add_days(-repgen::kHistoryDays)}) {
    SCOPED_TRACE(d.to_string());
    app::ReportQuery q;
    q.as_of = d.to_string();
    auto r = app::aging_report(*uow, q, kToday);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const Expected e = brute_force_aging(raw, d);
    std::array<int64_t, 5> got{};
    for (size_t b = 0; b < 5; ++b) got[b] = r->aging.total[reports::kBuckets[b]];
    EXPECT_EQ(got, e.total);
    std::map<int64_t, std::array<int64_t, 5>> by_customer;
    for (const auto& c : r->aging.customers) {
      for (size_t b = 0; b < 5; ++b) by_customer[c.customer_id][b] = c.buckets[reports::kBuckets[b]];
    }
    EXPECT_EQ(by_customer, e.by_customer);
    auto items = app::open_items_report(*uow, q, kToday);
    ASSERT_TRUE(items.ok());
    EXPECT_EQ(static_cast<int64_t>(items->items.size()), e.items);
    if (d > kToday.add_days(-repgen::kHistoryDays + 60)) EXPECT_GT(e.items, 0);
  }
}

// The cash forecast reads only what may be open in the days asked about,
// and sums delays from the allocations' copies: both equal the pure
// functions over the whole history, on every day and window tried.
TEST_F(BenchReportsStore, ForecastReadsEqualTheRecomputationFromTheRows) {
  auto uow = db().begin(store::TxMode::read);
  const auto full = history_of(read_raw(*uow));
  const std::vector<Date> days = {kToday, kToday.add_days(-1), kToday.add_days(-45), kToday.add_months(-18),
                                  kToday.add_days(-(repgen::kHistoryDays - 1)), kToday.add_days(-repgen::kHistoryDays),
                                  kToday.add_days(400)};
  for (const Date d : days) {
    for (int lookback : {1, 30, 365, 3650}) {
      SCOPED_TRACE(d.to_string() + " lookback " + std::to_string(lookback));
      const auto sums = store::forecast::delay_sums(*uow, d, lookback);
      EXPECT_EQ(sums, reports::delay_sums(full, d, lookback));
      // The samples read once for a forecast and its 13 past weeks serve
      // every day of them.
      const Date first = d.add_days(-7 * 13);
      const auto samples = store::forecast::cash_samples(*uow, first.add_days(-lookback), d);
      for (const Date day : {first, first.add_days(45), d}) {
        EXPECT_EQ(reports::delay_sums(samples, day, lookback), reports::delay_sums(full, day, lookback))
            << day.to_string();
      }
      if (d == kToday && lookback >= 30) EXPECT_GT(sums.size(), lookback >= 365 ? 50u : 10u);
    }
  }
  for (const Date to : days) {
    for (int back : {0, 1, 7 * 13, 7 * 52}) {
      const Date from = to.add_days(-back);
      SCOPED_TRACE(from.to_string() + " to " + to.to_string());
      const auto narrow = store::forecast::receivable_history(*uow, from.to_string(), to.to_string());
      EXPECT_LE(narrow.invoices.size(), full.invoices.size());
      for (const Date d : {from, from.add_days(back / 2), to}) {
        const auto expected = keys(reports::open_items_as_of(full, d));
        EXPECT_EQ(keys(reports::open_items_as_of(narrow, d)), expected) << d.to_string();
        if (d > kToday.add_days(-repgen::kHistoryDays + 60)) EXPECT_FALSE(expected.empty());
      }
    }
  }
}

// The copies are filled for allocations made before migration 0019 by the
// migration itself; verify names a copy that disagrees with its invoice.
TEST_F(BenchReportsStore, AllocationCopiesAreBackfilledAndVerified) {
  std::string backfill;
  for (const auto& m : store::embedded_migrations()) {
    if (m.version != 19) continue;
    const size_t at = m.sql.find("UPDATE invoice_allocations SET");
    ASSERT_NE(at, std::string::npos);
    backfill = m.sql.substr(at, m.sql.find(';', at) - at);
  }
  ASSERT_FALSE(backfill.empty());
  {
    auto uow = db().begin(store::TxMode::write);
    uow->exec("UPDATE invoice_allocations SET customer_id = NULL, days_after_due = NULL");
    EXPECT_EQ(store::invoices::allocation_copy_breaches(*uow).size(), static_cast<size_t>(load_.counts.allocations));
    uow->exec(store::render_for(uow->engine(), backfill));
    EXPECT_EQ(store::invoices::allocation_copy_breaches(*uow), std::vector<std::string>{});
    uow->exec("UPDATE invoice_allocations SET days_after_due = days_after_due + 1 WHERE id = (SELECT MIN(id) FROM "
              "invoice_allocations)");
    uow->commit();
  }
  auto uow = db().begin(store::TxMode::read);
  const auto breaches = store::invoices::allocation_copy_breaches(*uow);
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_NE(breaches[0].find("days after due, but the invoice is customer"), std::string::npos) << breaches[0];
}

}  // namespace
}  // namespace o2c::cli
