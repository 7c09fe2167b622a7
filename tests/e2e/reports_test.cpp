// Receivables reports through HTTP, on a small history whose figures were
// worked out by hand: aging by due date and by invoice date, the open items,
// the DSO family, CSV output, and the as-of reproduction: what happens after
// a date (payments, a credit note, a bounce, new invoices) does not change
// the reports as of that date. Bad parameters are refused.
#include <gtest/gtest.h>

#include <string>

#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"
#include "store/db.h"

namespace o2c::e2e {
namespace {

class Reports : public ShopSuite<Reports> {
 protected:
  static void SetUpTestSuite() { start({"--today", "2026-11-20"}); }

  static std::string customer(const std::string& name) {
    json c = valid_customer(name + " " + unique_suffix());
    auto r = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  static std::string product() {
    std::string sku = "REP-" + unique_suffix();
    auto r = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", "Item " + sku}, {"unit_price", "10.00"}, {"currency", "EUR"},
                            {"tax_rate", "19"}, {"tax_category", "S"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    auto s = server_->post("/api/v1/stock/receipts", warehouse_,
                           {{"warehouse", wh_}, {"sku", sku}, {"quantity", "1000"}, {"unit_cost", "1.00"}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return sku;
  }
  static std::string place(const std::string& cust, const std::string& sku, const std::string& qty) {
    auto r = server_->post("/api/v1/orders", sales_,
                           {{"customer_id", cust}, {"lines", json::array({{{"sku", sku}, {"quantity", qty}}})}});
    EXPECT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body.value("status", ""), "open") << r.raw;
    return r.body.value("id", "");
  }
  static std::string ship(const std::string& order, const std::string& on) {
    auto s = server_->post("/api/v1/shipments", warehouse_, {{"order_id", order}, {"as_of", on}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return s.body.value("invoice_id", "");
  }
  static std::string pay(const std::string& cust, const std::string& invoice, const std::string& amount,
                         const std::string& on) {
    auto r = server_->post("/api/v1/payments", accountant_,
                           {{"customer_id", cust}, {"amount", amount}, {"currency", "EUR"},
                            {"method", "bank_transfer"}, {"received_on", on},
                            {"allocations", json::array({{{"invoice_id", invoice}, {"amount", amount}}})}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  static json report(const std::string& path) {
    auto r = server_->get(path, accountant_);
    EXPECT_EQ(r.status, 200) << path << ": " << r.raw;
    return r.body;
  }
  static json customer_row(const json& aging, const std::string& id) {
    for (const auto& c : aging["customers"]) {
      if (c["customer_id"] == id) return c;
    }
    return nullptr;
  }
};

// The whole story in one test: the suite's server holds only this history,
// so every total below is exact.
TEST_F(Reports, AgingOpenItemsAndDsoAsOfAnyDateAreRebuiltFromHistory) {
  const auto a = customer("Aging A");
  const auto b = customer("Aging B");
  const auto sku = product();
  // Orders first, shipments after: an old overdue invoice would hold the next order.
  const auto o1 = place(a, sku, "10"), o2 = place(a, sku, "20"), o3 = place(a, sku, "5"), o4 = place(a, sku, "1");
  const auto o5 = place(b, sku, "100");
  const auto inv1 = ship(o1, "2026-06-01");  // 119.00, due 2026-07-01
  const auto inv5 = ship(o5, "2026-09-01");  // 1190.00, due 2026-10-01
  const auto inv2 = ship(o2, "2026-08-15");  // 238.00, due 2026-09-14
  const auto inv3 = ship(o3, "2026-10-10");  // 59.50, due 2026-11-09
  pay(a, inv1, "50.00", "2026-07-10");
  const auto p2 = pay(a, inv2, "100.00", "2026-09-20");

  const std::string d1 = "2026-10-15";
  auto aging = report("/api/v1/reports/aging?as_of=" + d1);
  EXPECT_EQ(aging["as_of"], d1);
  EXPECT_EQ(aging["basis"], "due_date");
  EXPECT_EQ(aging["currency"], "EUR");
  EXPECT_EQ(aging["total"]["current"], "59.50");   // inv3, not yet due
  EXPECT_EQ(aging["total"]["1_30"], "1190.00");    // inv5, 14 days late
  EXPECT_EQ(aging["total"]["31_60"], "138.00");    // inv2, 31 days late, 100.00 paid
  EXPECT_EQ(aging["total"]["61_90"], "0.00");
  EXPECT_EQ(aging["total"]["over_90"], "69.00");   // inv1, 106 days late, 50.00 paid
  EXPECT_EQ(aging["total"]["total"], "1456.50");
  ASSERT_EQ(aging["customers"].size(), 2u) << aging.dump();
  auto ra = customer_row(aging, a);
  ASSERT_TRUE(ra.is_object()) << aging.dump();
  EXPECT_EQ(ra["current"], "59.50");
  EXPECT_EQ(ra["31_60"], "138.00");
  EXPECT_EQ(ra["over_90"], "69.00");
  EXPECT_EQ(ra["1_30"], "0.00");
  EXPECT_EQ(ra["items"], 3);
  EXPECT_EQ(customer_row(aging, b)["1_30"], "1190.00");

  auto by_issue = report("/api/v1/reports/aging?basis=invoice_date&as_of=" + d1);
  EXPECT_EQ(by_issue["basis"], "invoice_date");
  EXPECT_EQ(by_issue["total"]["current"], "0.00");
  EXPECT_EQ(by_issue["total"]["1_30"], "59.50");     // inv3, issued 5 days before
  EXPECT_EQ(by_issue["total"]["31_60"], "1190.00");  // inv5, 44 days
  EXPECT_EQ(by_issue["total"]["61_90"], "138.00");   // inv2, 61 days
  EXPECT_EQ(by_issue["total"]["over_90"], "69.00");  // inv1, 136 days

  // Before the first payment, on the first invoice's due date: all of it current.
  auto early = report("/api/v1/reports/aging?as_of=2026-07-01");
  EXPECT_EQ(early["total"]["current"], "119.00");
  EXPECT_EQ(early["total"]["total"], "119.00");
  auto before_any = report("/api/v1/reports/aging?as_of=2026-05-31");
  EXPECT_EQ(before_any["total"]["total"], "0.00");
  EXPECT_TRUE(before_any["customers"].empty());

  auto items = report("/api/v1/reports/open-items?as_of=" + d1 + "&customer_id=" + a);
  ASSERT_EQ(items["items"].size(), 3u) << items.dump();
  EXPECT_EQ(items["items"][0]["invoice_id"], inv1);
  EXPECT_EQ(items["items"][0]["open_amount"], "69.00");
  EXPECT_EQ(items["items"][0]["days_overdue"], 106);
  EXPECT_EQ(items["items"][0]["bucket"], "over_90");
  EXPECT_EQ(items["items"][1]["invoice_id"], inv2);
  EXPECT_EQ(items["items"][2]["invoice_id"], inv3);
  EXPECT_EQ(items["items"][2]["days_overdue"], 0);
  EXPECT_EQ(items["total"], "266.50");

  // DSO over the 90 days to d1: credit sales 238.00 + 1190.00 + 59.50 = 1487.50.
  auto dso = report("/api/v1/reports/dso?as_of=" + d1 + "&days=90");
  EXPECT_EQ(dso["credit_sales"], "1487.50");
  EXPECT_EQ(dso["receivables"], "1456.50");
  EXPECT_EQ(dso["current_receivables"], "59.50");
  EXPECT_EQ(dso["beginning_receivables"], "69.00");  // on 2026-07-17: inv1 less 50.00
  EXPECT_DOUBLE_EQ(dso["dso"].get<double>(), 88.12);              // 1456.50 / 1487.50 x 90 = 88.124
  EXPECT_DOUBLE_EQ(dso["best_possible_dso"].get<double>(), 3.60);  // 59.50 / 1487.50 x 90
  EXPECT_DOUBLE_EQ(dso["average_days_delinquent"].get<double>(), 84.52);
  // (69.00 + 1487.50 - 1456.50) / (69.00 + 1487.50 - 59.50) = 100 / 1497
  EXPECT_DOUBLE_EQ(dso["cei"].get<double>(), 6.68);
  // Count-back: 30 days (59.50), 31 days (1190.00), then 207.00 of August's 238.00 x 31 days.
  EXPECT_DOUBLE_EQ(dso["countback_dso"].get<double>(), 87.96);
  EXPECT_DOUBLE_EQ(dso["percent_over_90"].get<double>(), 4.74);  // 69.00 / 1456.50

  auto csv = server_->get("/api/v1/reports/aging?format=csv&as_of=" + d1, accountant_);
  ASSERT_EQ(csv.status, 200) << csv.raw;
  EXPECT_NE(csv.headers.find("Content-Type")->second.find("text/csv"), std::string::npos);
  EXPECT_EQ(csv.raw.substr(0, csv.raw.find('\n')), "customer_id,name,current,1_30,31_60,61_90,over_90,total,currency,as_of,basis");
  EXPECT_NE(csv.raw.find(",Total,59.50,1190.00,138.00,0.00,69.00,1456.50,EUR,2026-10-15,due_date\n"), std::string::npos)
      << csv.raw;

  // Everything after d1: a new invoice, B pays in full, A's September payment
  // bounces, inv3 is credited in full, A pays inv2.
  const auto inv4 = ship(o4, "2026-11-15");  // 11.90
  pay(b, inv5, "1190.00", "2026-11-18");
  auto bounce = server_->post("/api/v1/payments/" + p2 + "/reverse", accountant_,
                              {{"reason", "returned by the bank"}, {"as_of", "2026-11-19"}});
  ASSERT_EQ(bounce.status, 200) << bounce.raw;
  auto cn = server_->post("/api/v1/invoices/" + inv3 + "/credit-notes", accountant_, {{"reason", "damaged"}});
  ASSERT_EQ(cn.status, 201) << cn.raw;
  pay(a, inv2, "238.00", "2026-11-20");

  EXPECT_EQ(report("/api/v1/reports/aging?as_of=" + d1), aging);
  EXPECT_EQ(report("/api/v1/reports/aging?basis=invoice_date&as_of=" + d1), by_issue);
  EXPECT_EQ(report("/api/v1/reports/dso?as_of=" + d1 + "&days=90"), dso);
  EXPECT_EQ(report("/api/v1/reports/open-items?as_of=" + d1 + "&customer_id=" + a), items);

  // Between the bounce and the new payment, inv2 was open in full again.
  auto bounced = report("/api/v1/reports/aging?as_of=2026-11-19");
  EXPECT_EQ(customer_row(bounced, a)["61_90"], "238.00");  // due 09-14: 66 days late
  auto now = report("/api/v1/reports/aging");
  EXPECT_EQ(now["as_of"], "2026-11-20");
  EXPECT_EQ(now["total"]["over_90"], "69.00");
  EXPECT_EQ(now["total"]["61_90"], "0.00");
  EXPECT_EQ(now["total"]["1_30"], "0.00");
  EXPECT_EQ(now["total"]["current"], "11.90");
  EXPECT_EQ(now["total"]["total"], "80.90");
  EXPECT_TRUE(customer_row(now, b).is_null()) << now.dump();
  (void)inv4;

  // The same reports from the CLI, as of d1, equal the API's.
  std::string out;
  ASSERT_EQ(server_->cli({"report", "aging", "--as-of", d1}, &out), 0) << out;
  EXPECT_EQ(json::parse(out), aging);
  ASSERT_EQ(server_->cli({"report", "dso", "--as-of", d1, "--days", "90", "--format", "csv"}, &out), 0) << out;
  EXPECT_NE(out.find("\ndso,88.12,days\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\ncountback_dso,87.96,days\n"), std::string::npos) << out;
  ASSERT_EQ(server_->cli({"report", "trial-balance", "--as-of", d1, "--format", "csv"}, &out), 0) << out;
  EXPECT_EQ(out.substr(0, out.find('\n')), "code,name,type,debit,credit,balance,currency,as_of");
  EXPECT_NE(out.find("\n1100,Accounts receivable (control),asset,"), std::string::npos) << out;
  EXPECT_NE(server_->cli({"report", "aging", "--as-of", "yesterday"}, &out), 0);
  EXPECT_NE(server_->cli({"report", "ageing"}, &out), 0);

  // A's statement over the whole history: JSON, CSV and PDF agree on the closing balance.
  const std::string q = "/api/v1/customers/" + a + "/statement?from=2026-06-01&to=2026-11-20";
  auto st = report(q);
  EXPECT_EQ(st["opening_balance"], "0.00");
  EXPECT_EQ(st["closing_balance"], "80.90");
  auto st_csv = server_->get(q + "&format=csv", accountant_);
  ASSERT_EQ(st_csv.status, 200) << st_csv.raw;
  EXPECT_EQ(st_csv.raw.substr(0, st_csv.raw.find('\n')), "date,kind,document,amount,balance,currency");
  EXPECT_NE(st_csv.raw.find("2026-11-20,closing_balance,,,80.90,EUR\n"), std::string::npos) << st_csv.raw;
  auto st_pdf = server_->get(q + "&format=pdf", accountant_);
  ASSERT_EQ(st_pdf.status, 200) << st_pdf.raw.substr(0, 200);
  EXPECT_EQ(st_pdf.raw.substr(0, 5), "%PDF-");
  EXPECT_EQ(server_->get(q + "&format=docx", accountant_).status, 422);
}

TEST_F(Reports, BadParametersAreRefused) {
  auto r = server_->get("/api/v1/reports/aging?as_of=2026-13-01", accountant_);
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body["error"]["field"], "as_of") << r.raw;
  r = server_->get("/api/v1/reports/aging?basis=posting_date", accountant_);
  EXPECT_EQ(r.status, 422) << r.raw;
  r = server_->get("/api/v1/reports/aging?format=xlsx", accountant_);
  EXPECT_EQ(r.status, 422) << r.raw;
  r = server_->get("/api/v1/reports/aging?customer_id=999999", accountant_);
  EXPECT_EQ(r.status, 422) << r.raw;
  for (const char* days : {"0", "-5", "abc", "3661", "1.5"}) {
    r = server_->get(std::string("/api/v1/reports/dso?days=") + days, accountant_);
    EXPECT_EQ(r.status, 422) << days << ": " << r.raw;
  }
  r = server_->get("/api/v1/reports/aging", sales_);
  EXPECT_EQ(r.status, 403) << r.raw;
}

}  // namespace
}  // namespace o2c::e2e

namespace o2c::e2e {
namespace {

// The process measures on their own server: holds approved and rejected,
// orders through the whole cycle at known dates, a dispute resolved and one
// still open. Figures worked out by hand in the comments.
class ReportMeasures : public ShopSuite<ReportMeasures> {
 protected:
  static void SetUpTestSuite() { start({"--today", "2026-11-20"}); }
};

TEST_F(ReportMeasures, HoldsCycleTimesPerfectOrdersAndDisputes) {
  auto customer = [&](const std::string& limit) {
    json c = valid_customer("Measures " + unique_suffix());
    c["credit_limit"] = limit;
    auto r = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  };
  const std::string sku = "MEA-" + unique_suffix();
  ASSERT_EQ(server_->post("/api/v1/products", admin(),
                          {{"sku", sku}, {"name", "Item"}, {"unit_price", "10.00"}, {"currency", "EUR"},
                           {"tax_rate", "19"}, {"tax_category", "S"}})
                .status,
            201);
  ASSERT_EQ(server_->post("/api/v1/stock/receipts", warehouse_,
                          {{"warehouse", wh_}, {"sku", sku}, {"quantity", "1000"}, {"unit_cost", "1.00"}})
                .status,
            201);
  auto place = [&](const std::string& cust, const char* status) {
    auto r = server_->post("/api/v1/orders", sales_,
                           {{"customer_id", cust}, {"lines", json::array({{{"sku", sku}, {"quantity", "10"}}})}});
    EXPECT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body.value("status", ""), status) << r.raw;
    return r.body.value("id", "");
  };
  auto ship = [&](const std::string& order, const std::string& on) {
    auto s = server_->post("/api/v1/shipments", warehouse_, {{"order_id", order}, {"as_of", on}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return s.body.value("invoice_id", "");
  };
  auto pay = [&](const std::string& cust, const std::string& inv, const std::string& on) {
    auto r = server_->post("/api/v1/payments", accountant_,
                           {{"customer_id", cust}, {"amount", "119.00"}, {"currency", "EUR"},
                            {"method", "bank_transfer"}, {"received_on", on},
                            {"allocations", json::array({{{"invoice_id", inv}, {"amount", "119.00"}}})}});
    EXPECT_EQ(r.status, 201) << r.raw;
  };
  const auto a = customer("100.00"), b = customer("100.00"), c = customer("100000.00");
  const auto a1 = place(a, "credit_hold"), b1 = place(b, "credit_hold");
  auto ok = server_->post("/api/v1/orders/" + a1 + "/approve", credit_, {{"reason", "known customer"}});
  ASSERT_EQ(ok.status, 200) << ok.raw;
  auto no = server_->post("/api/v1/orders/" + b1 + "/reject", credit_, {{"reason", "no history"}});
  ASSERT_EQ(no.status, 200) << no.raw;
  const auto c1 = place(c, "open"), c2 = place(c, "open"), c3 = place(c, "open"), c4 = place(c, "open");

  const auto ia1 = ship(a1, "2026-11-21");  // 1 day to ship
  const auto ic1 = ship(c1, "2026-11-20");
  const auto ic2 = ship(c2, "2026-11-25");  // 5 days: late
  const auto ic3 = ship(c3, "2026-11-20");
  const auto ic4 = ship(c4, "2026-11-20");
  auto d3 = server_->post("/api/v1/invoices/" + ic3 + "/disputes", accountant_, {{"reason", "wrong colour"}});
  ASSERT_EQ(d3.status, 201) << d3.raw;
  auto r3 = server_->post("/api/v1/disputes/" + d3.body["id"].get<std::string>() + "/resolve", accountant_,
                          {{"outcome", "rejected"}, {"resolution", "colour as ordered"}});
  ASSERT_EQ(r3.status, 200) << r3.raw;
  auto d4 = server_->post("/api/v1/invoices/" + ic4 + "/disputes", accountant_, {{"reason", "never arrived"}});
  ASSERT_EQ(d4.status, 201) << d4.raw;
  pay(a, ia1, "2026-11-30");
  pay(c, ic1, "2026-12-10");
  pay(c, ic2, "2026-12-20");
  pay(c, ic3, "2026-12-05");

  auto r = server_->get("/api/v1/reports/measures?as_of=2026-12-31&days=90", accountant_);
  ASSERT_EQ(r.status, 200) << r.raw;
  const json& m = r.body;
  EXPECT_EQ(m["orders_placed"], 6);
  EXPECT_EQ(m["orders_held"], 2);
  EXPECT_DOUBLE_EQ(m["credit_hold_rate"].get<double>(), 33.33);
  EXPECT_EQ(m["holds_decided"], 2);
  EXPECT_GE(m["average_hold_hours"].get<double>(), 0.0);
  EXPECT_EQ(m["orders_completed"], 4);
  // Days: order->shipped 1, 0, 5, 0; invoiced->paid 9, 20, 25, 15; order->paid 10, 20, 30, 15.
  EXPECT_DOUBLE_EQ(m["cycle_time"]["order_to_shipped"]["median_days"].get<double>(), 0.5);
  EXPECT_EQ(m["cycle_time"]["order_to_shipped"]["p90_days"], 5);
  EXPECT_DOUBLE_EQ(m["cycle_time"]["shipped_to_invoiced"]["median_days"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(m["cycle_time"]["invoiced_to_paid"]["median_days"].get<double>(), 17.5);
  EXPECT_EQ(m["cycle_time"]["invoiced_to_paid"]["p90_days"], 25);
  EXPECT_DOUBLE_EQ(m["cycle_time"]["order_to_paid"]["median_days"].get<double>(), 17.5);
  EXPECT_EQ(m["cycle_time"]["order_to_paid"]["p90_days"], 30);
  // Perfect: a1 and c1; c2 shipped late, c3 was disputed.
  EXPECT_EQ(m["perfect_orders"], 2);
  EXPECT_DOUBLE_EQ(m["perfect_order_rate"].get<double>(), 50.0);
  // c4's dispute, opened on 2026-11-20, is still open.
  EXPECT_EQ(m["open_disputes"], 1);
  EXPECT_EQ(m["disputed_amount"], "119.00");
  EXPECT_DOUBLE_EQ(m["average_dispute_age_days"].get<double>(), 41.0);
  EXPECT_EQ(m["bank_lines"], 0);
  EXPECT_TRUE(m["auto_match_rate"].is_null());
  // The DSO family is part of it: receivables 119.00 (c4), sales 5 x 119.00.
  EXPECT_EQ(m["receivables"], "119.00");
  EXPECT_EQ(m["credit_sales"], "595.00");
  EXPECT_DOUBLE_EQ(m["dso"].get<double>(), 18.0);

  auto csv = server_->get("/api/v1/reports/measures?as_of=2026-12-31&format=csv", accountant_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.raw.find("\nperfect_order_rate,50.00,percent\n"), std::string::npos) << csv.raw;
  EXPECT_NE(csv.raw.find("\ncredit_hold_rate,33.33,percent\n"), std::string::npos) << csv.raw;
}

// The summary the aging trusts (an invoice's settled_on) is checked by
// `o2c verify` against the allocations it summarises: a wrong one is a breach.
TEST_F(ReportMeasures, VerifyCatchesASettledDateThatDisagreesWithTheAllocations) {
  json c = valid_customer("Summary " + unique_suffix());
  c["credit_limit"] = "100000.00";
  auto cust = server_->post("/api/v1/customers", admin(), c);
  ASSERT_EQ(cust.status, 201) << cust.raw;
  const std::string sku = "SUM-" + unique_suffix();
  ASSERT_EQ(server_->post("/api/v1/products", admin(),
                          {{"sku", sku}, {"name", "Item"}, {"unit_price", "10.00"}, {"currency", "EUR"},
                           {"tax_rate", "19"}, {"tax_category", "S"}}).status, 201);
  ASSERT_EQ(server_->post("/api/v1/stock/receipts", warehouse_,
                          {{"warehouse", wh_}, {"sku", sku}, {"quantity", "10"}, {"unit_cost", "1.00"}}).status, 201);
  auto o = server_->post("/api/v1/orders", sales_,
                         {{"customer_id", cust.body["id"]}, {"lines", json::array({{{"sku", sku}, {"quantity", "1"}}})}});
  ASSERT_EQ(o.status, 201) << o.raw;
  auto s = server_->post("/api/v1/shipments", warehouse_, {{"order_id", o.body["id"]}, {"as_of", "2026-11-20"}});
  ASSERT_EQ(s.status, 201) << s.raw;
  const std::string inv = s.body["invoice_id"];
  auto p = server_->post("/api/v1/payments", accountant_,
                         {{"customer_id", cust.body["id"]}, {"amount", "11.90"}, {"currency", "EUR"},
                          {"method", "bank_transfer"}, {"received_on", "2026-11-20"}});
  ASSERT_EQ(p.status, 201) << p.raw;

  auto run = [&](const std::string& sql) {
    auto db = store::open_database(server_->db_target());
    auto uow = db->begin(store::TxMode::write);
    EXPECT_EQ(uow->exec(sql), 1) << sql;
    uow->commit();
  };
  run("UPDATE invoices SET settled_on = '2026-01-01' WHERE id = " + inv);
  std::string out;
  EXPECT_EQ(server_->cli({"verify"}, &out), 1) << out;
  EXPECT_NE(out.find("settled_on 2026-01-01"), std::string::npos) << out;
  run("UPDATE invoices SET settled_on = '2026-11-20' WHERE id = " + inv);
  EXPECT_EQ(server_->cli({"verify"}, &out), 0) << out;
}

}  // namespace
}  // namespace o2c::e2e
