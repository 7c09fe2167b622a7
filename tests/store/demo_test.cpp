#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "app/demo_simulation.h"
#include "app/verify.h"
#include "security/crypto.h"
#include "store/migrate.h"
#include "test_db.h"

namespace o2c::app {
namespace {

const Date kEnd = *Date::parse("2026-03-20");

// A short history: 20 business days of a company of 30 customers, enough
// for every kind of event the demo promises to show.
DemoOptions short_run() {
  DemoOptions o;
  o.days = 20;
  o.customers = 30;
  o.products = 120;
  o.end = kEnd;
  return o;
}

int64_t count(store::Database& db, const std::string& sql) {
  auto uow = db.begin(store::TxMode::read);
  auto r = uow->query_one(sql);
  return r ? r->i64(0) : -1;
}

// The business data as text: invoices, their lines and allocations,
// payments, the journal, stock and bank lines, in id order. Two databases
// with the same history give the same text.
std::string business_digest(store::Database& db) {
  auto uow = db.begin(store::TxMode::read);
  std::string all;
  const char* queries[] = {
      "SELECT id, number, kind, customer_id, status, issue_date, due_date, currency, total_minor, open_minor, "
      "tax_total_minor, fx_rate_e10 FROM invoices ORDER BY id",
      "SELECT invoice_id, line_no, sku, quantity, unit_price_e4, line_net_minor FROM invoice_lines "
      "ORDER BY invoice_id, line_no",
      "SELECT * FROM invoice_allocations ORDER BY 1, 2",
      "SELECT id, customer_id, currency, amount_minor, method, received_on, allocated_minor, unallocated_minor, "
      "status FROM payments ORDER BY id",
      "SELECT id, entry_date, currency, source_type, source_id FROM ledger_entries ORDER BY id",
      "SELECT entry_id, line_no, account_code, debit_minor, credit_minor FROM ledger_lines ORDER BY entry_id, line_no",
      "SELECT warehouse_id, product_id, on_hand, reserved, avg_cost_e4 FROM stock ORDER BY 1, 2",
      "SELECT id, amount_minor, booking_date, status, payment_id FROM bank_lines ORDER BY id",
      "SELECT id, number, status, total_minor FROM orders ORDER BY id",
  };
  for (const char* q : queries) {
    for (const auto& row : uow->query(q)) {
      for (size_t i = 0; i < row.size(); ++i) all += row.text(i) + "|";
      all += "\n";
    }
    all += "--\n";
  }
  return all;
}

// Runs the short simulation, checks every invariant, and that each kind of
// event happened, counted in the database rather than by the simulation.
TEST(DemoSimulation, ShortRunVerifiesAndShowsEveryKindOfEvent) {
  auto tdb = test::make_test_database();
  auto& db = tdb->db();
  store::migrate(db);
  auto r = run_demo(db, short_run());
  ASSERT_TRUE(r.ok()) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(r->business_days, 20);
  EXPECT_EQ(r->last_day, kEnd);
  EXPECT_EQ(r->first_day, *Date::parse("2026-02-23"));

  auto report = verify(db);
  for (const auto& b : report.breaches) ADD_FAILURE() << b;
  EXPECT_TRUE(report.ok());

  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM customers"), 30);
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM events WHERE entity = 'order' AND action = 'approved'"), 0)
      << "a credit hold approved";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM orders WHERE status = 'rejected'"), 0) << "a credit hold rejected";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM events WHERE entity = 'order' AND action = 'reserved_from_stock'"), 0)
      << "a backorder filled by a receipt";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM (SELECT order_id FROM shipments GROUP BY order_id "
                      "HAVING COUNT(*) > 1) t"),
            0)
      << "an order shipped in parts";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM bank_lines WHERE status = 'matched' AND payment_id IS NOT NULL"), 0)
      << "a bank line matched to invoices";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM bank_lines WHERE ledger_entry_id IS NOT NULL"), 0)
      << "a bank line posted by a rule";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM dunning_notices"), 0) << "a dunning notice";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM disputes"), 0) << "a dispute";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM invoices WHERE kind = 'credit_note'"), 0) << "a credit note";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM invoices WHERE kind = 'invoice' AND currency = 'USD'"), 0)
      << "an invoice in USD";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM payments WHERE method = 'card'"), 0) << "a card payment";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM invoices WHERE kind = 'invoice' AND status = 'paid'"), 0);
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM invoices WHERE kind = 'invoice' AND status IN ('open', "
                      "'partially_paid') AND due_date < '2026-03-20'"),
            0)
      << "an overdue invoice at the end";
  EXPECT_GT(count(db, "SELECT COUNT(*) FROM invoices WHERE kind = 'invoice' AND status = 'open' AND "
                      "due_date >= '2026-03-20'"),
            0)
      << "an invoice not yet due at the end";
  // The summary counts what the database holds.
  EXPECT_EQ(r->counts.customers, 30);
  EXPECT_EQ(r->counts.credit_notes, count(db, "SELECT COUNT(*) FROM invoices WHERE kind = 'credit_note'"));
  EXPECT_FALSE(demo_summary_text(*r).empty());
}

// Same seed, same business data; another seed, another company. Two SQLite
// files, whatever engine the suite runs on: ids of a PostgreSQL sequence may
// skip after a rolled-back savepoint, which is no difference in the business.
TEST(DemoSimulation, SameSeedGivesTheSameBusinessData) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("o2c-demo-" + std::to_string(std::random_device{}()) + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  auto digest = [&](const std::string& name, uint64_t seed) {
    auto db = store::open_database((dir / name).string());
    store::migrate(*db);
    DemoOptions o;
    o.seed = seed;
    o.days = 8;
    o.customers = 20;
    o.products = 60;
    o.end = kEnd;
    auto r = run_demo(*db, o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return business_digest(*db);
  };
  const std::string a = digest("a.db", 7), b = digest("b.db", 7), c = digest("c.db", 8);
  std::filesystem::remove_all(dir);
  EXPECT_GT(a.size(), 10000u);
  EXPECT_EQ(security::sha256_hex(a), security::sha256_hex(b));
  EXPECT_NE(security::sha256_hex(a), security::sha256_hex(c));
}

TEST(DemoSimulation, RefusesBadOptionsAndADatabaseWithACompany) {
  auto tdb = test::make_test_database();
  auto& db = tdb->db();
  store::migrate(db);
  DemoOptions o = short_run();
  o.days = 0;
  auto r = run_demo(db, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_demo_option");
  EXPECT_EQ(r.error().field, "days");
  o = short_run();
  o.customers = kDemoCustomersMin - 1;
  r = run_demo(db, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "customers");
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM events"), 0) << "a refused demo writes nothing";

  o = short_run();
  o.days = 1;
  ASSERT_TRUE(run_demo(db, o).ok());
  const int64_t events = count(db, "SELECT COUNT(*) FROM events");
  r = run_demo(db, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "demo_needs_empty_database");
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM events"), events);
}

}  // namespace
}  // namespace o2c::app
