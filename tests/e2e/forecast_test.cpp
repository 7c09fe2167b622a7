// The cash forecast over HTTP and from the command line, on a small business
// whose every figure is computed by hand below. The business date is Friday
// 2026-11-20: the first week starts Monday 2026-11-16, week n 7n days later.
//
//   A  NET30  INV shipped 09-01 (due 10-01) 119.00, paid 10-11 (10 days late)
//             INV shipped 11-02 (due 12-02) 119.00, open
//   F  NET30  INV shipped 10-01 (due 10-31) 119.00, paid 11-10 (10 days late)
//   B  NET30  INV shipped 11-10 (due 12-10)  59.50, credit note 11.90 on 11-12: 47.60 open
//   D  NET30  INV shipped 07-01 (due 07-31)  11.90, open: 112 days past due
//   C  NET14  order 23.80 not shipped
//   E  USD    order 119.00 USD not shipped, 0.9 EUR per USD: 107.10
//   G  no invoices: 20.00 received 11-11 and reversed 11-13; 30.00 received 11-12, 10.00 refunded 11-13
//   H  NET30  INV shipped 10-01 (due 10-31)  11.90, paid 11-03, the payment bounced 11-06: open
//
// Every delay observed and not bounced is 10 days, so every customer's delay is 10.
#include <gtest/gtest.h>

#include <string>

#include "formats/csv/csv.h"
#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"

namespace o2c::e2e {
namespace {

class CashForecast : public ShopSuite<CashForecast> {
 protected:
  static void SetUpTestSuite() { start({"--today", "2026-11-20"}); }

  static std::string customer(const std::string& terms, const std::string& currency = "EUR") {
    json c = valid_customer("Forecast " + unique_suffix());
    c["payment_terms"] = terms;
    c["currency"] = currency;
    auto r = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  static std::string product(const std::string& currency = "EUR") {
    std::string sku = "FC-" + unique_suffix();
    auto r = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", "Item " + sku}, {"unit_price", currency == "EUR" ? "10.00" : "100.00"},
                            {"currency", currency}, {"tax_rate", "19"}, {"tax_category", "S"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    auto s = server_->post("/api/v1/stock/receipts", warehouse_,
                           {{"warehouse", wh_}, {"sku", sku}, {"quantity", "1000"}, {"unit_cost", "1.00"}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return sku;
  }
  static std::string place(const std::string& customer_id, const std::string& sku, const std::string& qty) {
    auto r = server_->post("/api/v1/orders", sales_,
                           {{"customer_id", customer_id}, {"lines", json::array({{{"sku", sku}, {"quantity", qty}}})}});
    EXPECT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body.value("status", ""), "open") << r.raw;
    return r.body.value("id", "");
  }
  // Ships the order on `on`; returns the invoice id.
  static std::string ship(const std::string& order_id, const std::string& on) {
    auto s = server_->post("/api/v1/shipments", warehouse_, {{"order_id", order_id}, {"as_of", on}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return s.body.value("invoice_id", "");
  }
  static std::string pay(const std::string& customer_id, const std::string& amount, const std::string& on) {
    auto r = server_->post("/api/v1/payments", accountant_,
                           {{"customer_id", customer_id}, {"amount", amount}, {"currency", "EUR"},
                            {"method", "bank_transfer"}, {"received_on", on}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  static json forecast(const std::string& query, const std::string& token) {
    auto r = server_->get("/api/v1/reports/cash-forecast" + query, token);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }

  // Built once, by the first test; the others read it.
  static void build_business() {
    ASSERT_EQ(server_->post("/api/v1/fx-rates", accountant_, {{"currency", "USD"}, {"date", "2026-07-01"}, {"rate", "0.9"}})
                  .status,
              201);
    const auto sku = product();
    const auto usd_sku = product("USD");
    const auto a = customer("NET30"), f = customer("NET30"), b = customer("NET30"), d = customer("NET30"),
               c = customer("NET14"), e = customer("NET30", "USD"), g = customer("NET30"), h = customer("NET30");
    // Orders first: an invoice dated months back is overdue and would hold the next order.
    const auto a1 = place(a, sku, "10"), a2 = place(a, sku, "10"), f1 = place(f, sku, "10"), b1 = place(b, sku, "5"),
               d1 = place(d, sku, "1"), h1 = place(h, sku, "1");
    place(c, sku, "2");
    place(e, usd_sku, "1");
    ship(d1, "2026-07-01");
    ship(a1, "2026-09-01");
    ship(f1, "2026-10-01");
    ship(h1, "2026-10-01");
    ship(a2, "2026-11-02");
    const auto b_inv = ship(b1, "2026-11-10");
    pay(a, "119.00", "2026-10-11");
    pay(f, "119.00", "2026-11-10");
    const auto h_paid = pay(h, "11.90", "2026-11-03");
    auto h_rev = server_->post("/api/v1/payments/" + h_paid + "/reverse", accountant_,
                               {{"reason", "returned"}, {"as_of", "2026-11-06"}});
    ASSERT_EQ(h_rev.status, 200) << h_rev.raw;
    auto cn = server_->post("/api/v1/invoices/" + b_inv + "/credit-notes", accountant_,
                            {{"reason", "damaged"}, {"lines", json::array({{{"sku", sku}, {"quantity", "1"}}})},
                             {"as_of", "2026-11-12"}});
    ASSERT_EQ(cn.status, 201) << cn.raw;
    const auto bounced = pay(g, "20.00", "2026-11-11");
    auto rev = server_->post("/api/v1/payments/" + bounced + "/reverse", accountant_,
                             {{"reason", "returned"}, {"as_of", "2026-11-13"}});
    ASSERT_EQ(rev.status, 200) << rev.raw;
    const auto refunded = pay(g, "30.00", "2026-11-12");
    auto ref = server_->post("/api/v1/payments/" + refunded + "/refund", accountant_,
                             {{"amount", "10.00"}, {"as_of", "2026-11-13"}});
    ASSERT_EQ(ref.status, 200) << ref.raw;
  }
};

TEST_F(CashForecast, WeeksFromDueDatesDelaysAndOrdersAddUpToReceivablesAndOrders) {
  ASSERT_NO_FATAL_FAILURE(build_business());
  auto f = forecast("", accountant_);  // as of the business date
  EXPECT_EQ(f["as_of"], "2026-11-20");
  EXPECT_EQ(f["currency"], "EUR");
  ASSERT_EQ(f["weeks"].size(), 13u);
  EXPECT_EQ(f["weeks"][0]["week_start"], "2026-11-16");
  EXPECT_EQ(f["weeks"][12]["week_start"], "2027-02-08");
  EXPECT_EQ(f["delays"]["default_days"], 10);
  EXPECT_TRUE(f["delays"]["default_observed"].get<bool>());

  std::map<int, std::pair<std::string, std::string>> expected = {
      {0, {"11.90", "0.00"}},    // H: 10-31 + 10 = 11-10, late: this week
      {3, {"119.00", "0.00"}},   // A: 12-02 + 10 = Sat 12-12
      {4, {"47.60", "0.00"}},    // B: 12-10 + 10 = Sun 12-20
      {5, {"0.00", "23.80"}},    // C: invoiced 11-27, + 14 + 10 = Mon 12-21
      {7, {"0.00", "107.10"}}};  // E: invoiced 11-27, + 30 + 10 = Wed 2027-01-06
  for (int w = 0; w < 13; ++w) {
    const auto& got = f["weeks"][w]["expected"];
    const auto want = expected.count(w) ? expected[w] : std::pair<std::string, std::string>{"0.00", "0.00"};
    EXPECT_EQ(got["from_invoices"], want.first) << "week " << w;
    EXPECT_EQ(got["from_orders"], want.second) << "week " << w;
  }
  EXPECT_EQ(f["overdue_unlikely"]["from_invoices"], "11.90");  // D
  EXPECT_EQ(f["beyond_horizon"]["total"], "0.00");
  EXPECT_EQ(f["open_receivables"], "190.40");
  EXPECT_EQ(f["open_orders"], "130.90");
  EXPECT_EQ(f["total"], "321.30");
  // The bounced payment says nothing about H: H takes the default.
  for (const auto& c : f["delays"]["customers"]) EXPECT_EQ(c["delay_days"], 10) << c.dump();
  EXPECT_TRUE(f["not_converted"].empty());

  // The receivable the forecast starts from is the invoices' own open amounts.
  int64_t open_cents = 0;
  for (const auto& inv : list_all(*server_, "/api/v1/invoices", accountant_)) {
    if (inv.value("kind", "invoice") != "invoice") continue;
    const std::string open = inv["open_amount"];
    open_cents += std::stoll(open.substr(0, open.find('.'))) * 100 + std::stoll(open.substr(open.find('.') + 1));
  }
  EXPECT_EQ(open_cents, 19040);
}

TEST_F(CashForecast, PastWeeksCompareTheForecastMadeOnMondayWithTheCashReceived) {
  auto f = forecast("?weeks_back=2", accountant_);
  ASSERT_EQ(f["past_weeks"].size(), 2u) << f.dump();
  const auto& w1 = f["past_weeks"][0];
  EXPECT_EQ(w1["week_start"], "2026-11-02");
  // F and H were expected 10-31 + 10 = 11-10, the week after.
  EXPECT_EQ(w1["forecast"]["total"], "0.00");
  EXPECT_EQ(w1["actual"], "0.00");  // H's 11.90, and back out with the bounce
  const auto& w2 = f["past_weeks"][1];
  EXPECT_EQ(w2["week_start"], "2026-11-09");
  EXPECT_EQ(w2["forecast"]["from_invoices"], "130.90");  // F 119.00 + H 11.90
  // Orders are read from their placement day: none was placed by then.
  EXPECT_EQ(w2["forecast"]["from_orders"], "0.00");
  // F's 119.00, G's 20.00 and its reversal, G's 30.00 less 10.00 refunded.
  EXPECT_EQ(w2["actual"], "139.00");
  EXPECT_EQ(w2["difference"], "8.10");
  EXPECT_EQ(f["settings"]["weeks_back"], 2);

  // As of a past day the receivable is the one of that day: on 11-09 B was
  // not invoiced, F not yet paid and H's payment had bounced; D was already
  // long overdue.
  auto then = forecast("?as_of=2026-11-09", accountant_);
  EXPECT_EQ(then["open_receivables"], "261.80");  // A 119.00 + F 119.00 + D 11.90 + H 11.90
  EXPECT_EQ(then["weeks"][0]["expected"]["from_invoices"], "130.90");
  // Between the payment and its bounce H had paid, 3 days late: the mean of
  // all is (10 x 119.00 + 3 x 11.90) / 130.90 = 9.36 -> 9.
  auto paid = forecast("?as_of=2026-11-04", accountant_);
  EXPECT_EQ(paid["open_receivables"], "249.90");  // A + F + D
  EXPECT_EQ(paid["delays"]["default_days"], 9);
  EXPECT_EQ(then["overdue_unlikely"]["from_invoices"], "11.90");
  EXPECT_EQ(then["open_orders"], "0.00");
}

TEST_F(CashForecast, CsvHoldsTheSameFiguresAsJson) {
  auto json_body = forecast("?weeks_back=2", accountant_);
  auto r = server_->get("/api/v1/reports/cash-forecast?weeks_back=2&format=csv", accountant_);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.header("Content-Type").rfind("text/csv", 0), 0u) << r.header("Content-Type");
  auto parsed = csv::parse(r.raw);
  ASSERT_TRUE(parsed.ok());
  const auto& rows = parsed.records;
  ASSERT_EQ(rows.size(), 1u + 2 + 13 + 3);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"row", "week_start", "currency", "from_invoices", "from_orders",
                                                      "total", "actual", "difference"}));
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"past_week", "2026-11-09", "EUR", "130.90", "0.00", "130.90",
                                                      "139.00", "8.10"}));
  for (int w = 0; w < 13; ++w) {
    const auto& row = rows[3 + w].fields;
    EXPECT_EQ(row[0], "week");
    EXPECT_EQ(row[1], json_body["weeks"][w]["week_start"]);
    EXPECT_EQ(row[5], json_body["weeks"][w]["expected"]["total"]);
  }
  EXPECT_EQ(rows[16].fields[0], "overdue_unlikely");
  EXPECT_EQ(rows[16].fields[3], "11.90");
  EXPECT_EQ(rows[18].fields, (std::vector<std::string>{"total", "", "EUR", "190.40", "130.90", "321.30", "", ""}));
}

TEST_F(CashForecast, TheCommandLinePrintsWhatTheApiAnswers) {
  auto api = forecast("?as_of=2026-11-20&weeks_back=2", accountant_);
  std::string out;
  ASSERT_EQ(server_->cli({"report", "cash-forecast", "--as-of", "2026-11-20", "--weeks-back", "2", "--today",
                          "2026-11-20"},
                         &out),
            0)
      << out;
  EXPECT_EQ(json::parse(out), api);
  auto csv = server_->get("/api/v1/reports/cash-forecast?as_of=2026-11-20&format=csv", accountant_);
  ASSERT_EQ(server_->cli({"report", "cash-forecast", "--as-of", "2026-11-20", "--format", "csv", "--today",
                          "2026-11-20"},
                         &out),
            0);
  EXPECT_EQ(out, csv.raw);
  EXPECT_NE(server_->cli({"report", "cash-forecast", "--as-of", "2026-13-01"}, &out), 0);
  EXPECT_NE(server_->cli({"report", "cash-forecast", "--weeks-back", "53"}, &out), 0);
}

TEST_F(CashForecast, ReportRolesAndBadParameters) {
  const std::string viewer = server_->add_user("forecast-viewer", "viewer");
  EXPECT_EQ(server_->get("/api/v1/reports/cash-forecast", viewer).status, 200);
  EXPECT_EQ(server_->get("/api/v1/reports/cash-forecast", admin()).status, 200);
  EXPECT_EQ(server_->get("/api/v1/reports/cash-forecast", sales_).status, 403);
  EXPECT_EQ(server_->get("/api/v1/reports/cash-forecast", "").status, 401);
  auto bad = [&](const std::string& q) { return server_->get("/api/v1/reports/cash-forecast" + q, accountant_); };
  auto r = bad("?as_of=2026-02-30");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_field(r), "as_of");
  r = bad("?weeks_back=two");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_code(r), "invalid_number");
  EXPECT_EQ(bad("?weeks_back=52").status, 200);
  r = bad("?weeks_back=53");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_code(r), "invalid_setting");
  EXPECT_EQ(error_field(r), "weeks_back");
  EXPECT_EQ(bad("?order_lead_days=365").status, 200);
  EXPECT_EQ(error_field(bad("?order_lead_days=366")), "order_lead_days");
  EXPECT_EQ(error_field(bad("?lookback_days=0")), "lookback_days");
  EXPECT_EQ(bad("?format=xml").status, 400);
  EXPECT_TRUE(is_error_body(bad("?format=xml")));
  // A longer lead time moves C's and E's orders, nothing else.
  auto later = forecast("?order_lead_days=14", accountant_);
  EXPECT_EQ(later["weeks"][6]["expected"]["from_orders"], "23.80");   // 12-04 + 14 + 10 = Mon 12-28
  EXPECT_EQ(later["weeks"][8]["expected"]["from_orders"], "107.10");  // 12-04 + 30 + 10 = Wed 2027-01-13
  EXPECT_EQ(later["total"], "321.30");
}

}  // namespace
}  // namespace o2c::e2e
