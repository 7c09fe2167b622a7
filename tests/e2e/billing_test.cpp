// Invoicing through HTTP: shipping issues the invoice (one per shipment),
// consolidated customers are billed by the billing run, numbers are gapless,
// payment terms set due and discount dates, tax follows the EN 16931
// categories and the currency's exponent, foreign-currency documents post to
// the ledger at the day's rate, credit notes reduce what is open, and the
// credit check sees open and overdue invoices. `o2c verify` closes every
// test (totals, open amounts, gapless numbering, AR control = open items).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"

namespace o2c::e2e {
namespace {

class Billing : public ShopSuite<Billing> {
 protected:
  static void SetUpTestSuite() { start({"--today", "2026-11-20"}); }

  static std::string customer(json overrides = json::object()) {
    json c = valid_customer("Bill Customer " + unique_suffix());
    c["credit_limit"] = "100000.00";
    for (auto& [k, v] : overrides.items()) c[k] = v;
    auto r = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  static std::string product(const std::string& price, const std::string& currency = "EUR",
                             const std::string& rate = "19", const std::string& category = "S") {
    std::string sku = "BIL-" + unique_suffix();
    auto r = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", "Item " + sku}, {"unit_price", price}, {"currency", currency},
                            {"tax_rate", rate}, {"tax_category", category}});
    EXPECT_EQ(r.status, 201) << r.raw;
    auto s = server_->post("/api/v1/stock/receipts", warehouse_,
                           {{"warehouse", wh_}, {"sku", sku}, {"quantity", "1000"}, {"unit_cost", "1.00"}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return sku;
  }
  static json order(const std::string& customer_id, const json& lines, const char* status = "open") {
    auto r = server_->post("/api/v1/orders", sales_, {{"customer_id", customer_id}, {"lines", lines}});
    EXPECT_EQ(r.status, 201) << r.raw;
    EXPECT_EQ(r.body.value("status", ""), status) << r.raw;
    return r.body;
  }
  static Response ship(const std::string& order_id, const std::string& as_of, json lines = nullptr) {
    json body = {{"order_id", order_id}, {"as_of", as_of}};
    if (!lines.is_null()) body["lines"] = lines;
    return server_->post("/api/v1/shipments", warehouse_, body);
  }
  static json invoice(const std::string& id) {
    auto r = server_->get("/api/v1/invoices/" + id, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }
  static json ledger_of(const std::string& source_type, const std::string& id) {
    auto r = server_->get("/api/v1/ledger/entries?source_type=" + source_type + "&source_id=" + id, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body["data"];
  }
  // The postings of one entry as account -> signed amount (debit positive).
  static std::map<std::string, std::string> postings(const json& entry) {
    std::map<std::string, std::string> out;
    for (const auto& p : entry["lines"]) {
      out[p["account"]] = p["debit"] != "0.00" && p["debit"] != "0" ? p["debit"].get<std::string>()
                                                                    : "-" + p["credit"].get<std::string>();
    }
    return out;
  }
  static int seq_of(const std::string& number) { return std::stoi(number.substr(number.rfind('-') + 1)); }

};

TEST_F(Billing, EachShipmentIssuesItsInvoiceWithTermsTaxAndLedgerPosting) {
  const auto cust = customer({{"payment_terms", "2/10NET30"}, {"vat_id", "DE123456789"}});
  const auto widget = product("10.00");
  const auto book = product("3.333", "EUR", "7");
  auto o = order(cust, json::array({{{"sku", widget}, {"quantity", "3"}}, {{"sku", book}, {"quantity", "7"}}}));
  const std::string oid = o["id"];

  auto s1 = ship(oid, "2026-03-02", json::array({{{"sku", widget}, {"quantity", "1"}}}));
  ASSERT_EQ(s1.status, 201) << s1.raw;
  auto s2 = ship(oid, "2026-03-05");
  ASSERT_EQ(s2.status, 201) << s2.raw;
  const std::string n1 = s1.body["invoice_number"], n2 = s2.body["invoice_number"];
  EXPECT_EQ(n1.rfind("INV-2026-", 0), 0u) << n1;
  EXPECT_EQ(seq_of(n2), seq_of(n1) + 1) << "consecutive shipments take consecutive numbers";

  auto i1 = invoice(s1.body["invoice_id"]);
  EXPECT_EQ(i1["kind"], "invoice");
  EXPECT_EQ(i1["order_id"], oid);
  EXPECT_EQ(i1["issue_date"], "2026-03-02");
  EXPECT_EQ(i1["due_date"], "2026-04-01");
  EXPECT_EQ(i1["discount_date"], "2026-03-12");
  EXPECT_EQ(i1["net_total"], "10.00");
  EXPECT_EQ(i1["tax_total"], "1.90");
  EXPECT_EQ(i1["total"], "11.90");
  EXPECT_EQ(i1["discount_amount"], "0.24");  // 2 % of 11.90 = 0.238
  EXPECT_EQ(i1["open_amount"], "11.90");
  EXPECT_EQ(i1["status"], "open");
  const std::string ref = i1["creditor_reference"];
  EXPECT_EQ(ref.rfind("RF", 0), 0u) << ref;

  // The rest: 2 widgets (20.00 at 19 %) and 7 books (7 x 3.333 = 23.331 -> 23.33 at 7 %).
  auto i2 = invoice(s2.body["invoice_id"]);
  ASSERT_EQ(i2["lines"].size(), 2u) << i2.dump();
  EXPECT_EQ(i2["net_total"], "43.33");
  ASSERT_EQ(i2["tax_breakdown"].size(), 2u);
  EXPECT_EQ(i2["tax_breakdown"][0]["tax_rate"], "7.00");
  EXPECT_EQ(i2["tax_breakdown"][0]["tax"], "1.63");  // 23.33 x 7 % = 1.6331
  EXPECT_EQ(i2["tax_breakdown"][1]["tax"], "3.80");
  EXPECT_EQ(i2["total"], "48.76");
  EXPECT_NE(i2["creditor_reference"], ref) << "each invoice has its own reference";

  // The order is fully shipped and fully invoiced.
  auto after = server_->get("/api/v1/orders/" + oid, sales_);
  EXPECT_EQ(after.body["status"], "invoiced") << after.raw;
  for (const auto& l : after.body["lines"]) EXPECT_EQ(l["invoiced"], l["quantity"]);

  // AR 48.76 / revenue 43.33 + tax payable per rate.
  auto entries = ledger_of("invoice", s2.body["invoice_id"]);
  ASSERT_EQ(entries.size(), 1u) << entries.dump();
  auto p = postings(entries[0]);
  EXPECT_EQ(p["1100"], "48.76");
  EXPECT_EQ(p["4000"], "-43.33");
  EXPECT_EQ(p["2200-S-700"], "-1.63");
  EXPECT_EQ(p["2200-S-1900"], "-3.80");

  // The customer's balance is the open items.
  auto c = server_->get("/api/v1/customers/" + cust, sales_);
  EXPECT_EQ(c.body["balance"], "60.66") << c.raw;
}

TEST_F(Billing, PaymentTermsAreDataNewOnesCanBeDefined) {
  const std::string code = "3/15NET45-" + unique_suffix();
  auto t = server_->post("/api/v1/payment-terms", admin(),
                         {{"code", code}, {"description", "3 % within 15 days, net 45"}, {"net_days", 45},
                          {"discount_days", 15}, {"discount_percent", "3"}});
  ASSERT_EQ(t.status, 201) << t.raw;
  EXPECT_EQ(server_->post("/api/v1/payment-terms", admin(), {{"code", code}, {"description", "x"}, {"net_days", 1}}).status,
            422);
  auto bad = server_->post("/api/v1/payment-terms", admin(),
                           {{"code", "X" + unique_suffix()}, {"description", "x"}, {"net_days", 10},
                            {"discount_days", 10}, {"discount_percent", "2"}});
  EXPECT_EQ(error_field(bad), "discount_days") << bad.raw;
  EXPECT_EQ(server_->post("/api/v1/payment-terms", accountant_, {{"code", "Y"}, {"description", "y"}, {"net_days", 1}}).status,
            403);
  const auto cust = customer({{"payment_terms", code}});
  auto s = ship(order(cust, json::array({{{"sku", product("100.00")}, {"quantity", "1"}}}))["id"], "2026-02-10");
  ASSERT_EQ(s.status, 201) << s.raw;
  auto inv = invoice(s.body["invoice_id"]);
  EXPECT_EQ(inv["payment_terms"], code);
  EXPECT_EQ(inv["due_date"], "2026-03-27");
  EXPECT_EQ(inv["discount_date"], "2026-02-25");
  EXPECT_EQ(inv["discount_amount"], "3.57");  // 3 % of 119.00
}

TEST_F(Billing, ConsolidatedCustomersAreBilledOnceByTheBillingRun) {
  const auto cust = customer({{"billing", "consolidated"}, {"payment_terms", "NET14"}});
  const auto sku = product("2.50");
  auto o1 = order(cust, json::array({{{"sku", sku}, {"quantity", "4"}}}));
  auto o2 = order(cust, json::array({{{"sku", sku}, {"quantity", "2"}}}));
  auto s1 = ship(o1["id"], "2026-04-01");
  auto s2 = ship(o2["id"], "2026-04-03");
  ASSERT_EQ(s1.status, 201) << s1.raw;
  ASSERT_EQ(s2.status, 201) << s2.raw;
  EXPECT_TRUE(s1.body["invoice_id"].is_null()) << "consolidated customers are not invoiced per shipment";

  auto run = server_->post("/api/v1/billing/run", accountant_, {{"as_of", "2026-04-30"}});
  ASSERT_EQ(run.status, 200) << run.raw;
  json mine;
  for (const auto& v : run.body["invoices"]) {
    if (v["customer_id"] == cust) mine = v;
  }
  ASSERT_TRUE(mine.is_object()) << run.raw;
  EXPECT_EQ(mine["issue_date"], "2026-04-30");
  EXPECT_EQ(mine["due_date"], "2026-05-14");
  EXPECT_EQ(mine["lines"].size(), 2u);
  EXPECT_EQ(mine["net_total"], "15.00");
  EXPECT_EQ(mine["total"], "17.85");
  EXPECT_TRUE(mine["order_id"].is_null()) << "the invoice spans two orders";
  EXPECT_EQ(server_->get("/api/v1/orders/" + o1["id"].get<std::string>(), sales_).body["status"], "invoiced");

  // Nothing left: a second run issues nothing for this customer.
  auto again = server_->post("/api/v1/billing/run", accountant_, {{"as_of", "2026-04-30"}});
  ASSERT_EQ(again.status, 200) << again.raw;
  for (const auto& v : again.body["invoices"]) EXPECT_NE(v["customer_id"], cust);
}

TEST_F(Billing, TaxCategoriesFollowTheRulesAndRefusalsChangeNothing) {
  // Reverse charge needs the buyer's VAT id: the shipment is refused whole.
  const auto no_vat = customer({{"country", "FR"}});
  const auto rc = product("100.00", "EUR", "0", "AE");
  auto o = order(no_vat, json::array({{{"sku", rc}, {"quantity", "1"}}}));
  auto before = state_snapshot(*server_);
  auto refused = ship(o["id"], "2026-05-01");
  EXPECT_EQ(refused.status, 422) << refused.raw;
  EXPECT_EQ(error_code(refused), "buyer_vat_id_required");
  EXPECT_EQ(state_snapshot(*server_), before) << "a refused shipment changes nothing";

  auto patched = server_->request("PATCH", "/api/v1/customers/" + no_vat, admin(), {{"vat_id", "FR40303265045"}});
  ASSERT_EQ(patched.status, 200) << patched.raw;
  auto shipped = ship(o["id"], "2026-05-01");
  ASSERT_EQ(shipped.status, 201) << shipped.raw;
  auto inv = invoice(shipped.body["invoice_id"]);
  ASSERT_EQ(inv["tax_breakdown"].size(), 1u);
  EXPECT_EQ(inv["tax_breakdown"][0]["tax_category"], "AE");
  EXPECT_EQ(inv["tax_breakdown"][0]["tax"], "0.00");
  EXPECT_EQ(inv["tax_breakdown"][0]["exemption_reason_code"], "VATEX-EU-AE");
  EXPECT_EQ(inv["total"], "100.00");

  // Exempt, zero-rated, export and intra-community lines on one invoice.
  const auto cust = customer({{"vat_id", "DE123456789"}});
  auto mixed = order(cust, json::array({{{"sku", product("10.00", "EUR", "0", "E")}, {"quantity", "1"}},
                                        {{"sku", product("20.00", "EUR", "0", "Z")}, {"quantity", "1"}},
                                        {{"sku", product("30.00", "EUR", "0", "G")}, {"quantity", "1"}},
                                        {{"sku", product("40.00", "EUR", "0", "K")}, {"quantity", "1"}}}));
  auto s = ship(mixed["id"], "2026-05-02");
  ASSERT_EQ(s.status, 201) << s.raw;
  auto mi = invoice(s.body["invoice_id"]);
  ASSERT_EQ(mi["tax_breakdown"].size(), 4u) << mi.dump();
  EXPECT_EQ(mi["total"], "100.00");
  for (const auto& g : mi["tax_breakdown"]) {
    if (g["tax_category"] == "Z") {
      EXPECT_TRUE(g["exemption_reason"].is_null());
    } else {
      EXPECT_FALSE(g["exemption_reason"].is_null()) << g.dump();
    }
  }
}

TEST_F(Billing, ForeignCurrencyDocumentsRoundToTheirExponentAndPostAtTheDaysRate) {
  // JPY has no minor unit, KWD has three.
  auto need_rate = customer({{"currency", "JPY"}, {"credit_limit", "10000000"}});
  const auto yen = product("333.3333", "JPY");
  auto o = order(need_rate, json::array({{{"sku", yen}, {"quantity", "3"}}}));
  EXPECT_EQ(o["total"], "1190") << o.dump();  // 3 x 333.3333 = 999.9999 -> 1000; tax 190
  auto before = state_snapshot(*server_);
  auto refused = ship(o["id"], "2026-06-01");
  EXPECT_EQ(refused.status, 422) << refused.raw;
  EXPECT_EQ(error_code(refused), "fx_rate_missing");
  EXPECT_EQ(state_snapshot(*server_), before);

  ASSERT_EQ(server_->post("/api/v1/fx-rates", accountant_, {{"currency", "JPY"}, {"date", "2026-05-29"},
                                                             {"rate", "0.0061234"}}).status,
            201);
  auto bad = server_->post("/api/v1/fx-rates", accountant_, {{"currency", "JPY"}, {"date", "2026-05-30"},
                                                              {"rate", "-1"}});
  EXPECT_EQ(bad.status, 422) << bad.raw;
  EXPECT_EQ(error_field(bad), "rate");
  auto self = server_->post("/api/v1/fx-rates", accountant_, {{"currency", "EUR"}, {"date", "2026-05-30"},
                                                               {"rate", "1"}});
  EXPECT_EQ(error_code(self), "functional_currency") << self.raw;

  auto shipped = ship(o["id"], "2026-06-01");  // uses the rate of 29 May, the latest before
  ASSERT_EQ(shipped.status, 201) << shipped.raw;
  auto inv = invoice(shipped.body["invoice_id"]);
  EXPECT_EQ(inv["currency"], "JPY");
  EXPECT_EQ(inv["net_total"], "1000");
  EXPECT_EQ(inv["tax_total"], "190");
  EXPECT_EQ(inv["total"], "1190");
  EXPECT_EQ(inv["fx_rate"], "0.0061234");
  EXPECT_EQ(inv["total_functional"], "7.29");  // 1190 x 0.0061234 = 7.286846
  auto p = postings(ledger_of("invoice", shipped.body["invoice_id"])[0]);
  EXPECT_EQ(p["1100"], "7.29");
  EXPECT_EQ(p["2200-S-1900"], "-1.16");  // 190 x 0.0061234 = 1.163446
  EXPECT_EQ(p["4000"], "-6.13");

  auto kwd = customer({{"currency", "KWD"}});
  ASSERT_EQ(server_->post("/api/v1/fx-rates", accountant_, {{"currency", "KWD"}, {"date", "2026-06-01"},
                                                             {"rate", "2.98"}}).status,
            201);
  auto ko = order(kwd, json::array({{{"sku", product("1.2345", "KWD")}, {"quantity", "3"}}}));
  auto ks = ship(ko["id"], "2026-06-02");
  ASSERT_EQ(ks.status, 201) << ks.raw;
  auto ki = invoice(ks.body["invoice_id"]);
  EXPECT_EQ(ki["net_total"], "3.704");  // 3.7035 -> 3.704
  EXPECT_EQ(ki["tax_total"], "0.704");  // 3.704 x 19 % = 0.70376
  EXPECT_EQ(ki["total"], "4.408");
  EXPECT_EQ(ki["total_functional"], "13.14");  // 4.408 x 2.98 = 13.13584
}

TEST_F(Billing, CreditNotesReduceTheOpenAmountWithTheirOwnGaplessSeries) {
  const auto cust = customer();
  const auto a = product("9.99");
  const auto b = product("0.335");
  auto o = order(cust, json::array({{{"sku", a}, {"quantity", "2"}}, {{"sku", b}, {"quantity", "3"}}}));
  auto s = ship(o["id"], "2026-07-01");
  ASSERT_EQ(s.status, 201) << s.raw;
  const std::string id = s.body["invoice_id"];
  auto inv = invoice(id);
  EXPECT_EQ(inv["net_total"], "20.99");  // 19.98 + 1.005 -> 1.01
  EXPECT_EQ(inv["total"], "24.98");      // tax 3.9881 -> 3.99

  const std::string path = "/api/v1/invoices/" + id + "/credit-notes";
  auto no_reason = server_->post(path, accountant_, {{"lines", json::array({{{"sku", b}, {"quantity", "1"}}})}});
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(error_field(no_reason), "reason");
  auto unknown = server_->post(path, accountant_, {{"reason", "x"}, {"lines", json::array({{{"sku", "NOPE"}, {"quantity", "1"}}})}});
  EXPECT_EQ(error_code(unknown), "unknown_sku");
  EXPECT_EQ(error_field(unknown), "lines[0].sku");
  auto too_many = server_->post(path, accountant_, {{"reason", "x"}, {"lines", json::array({{{"sku", a}, {"quantity", "3"}}})}});
  EXPECT_EQ(error_code(too_many), "quantity_exceeds_invoiced") << too_many.raw;
  auto forbidden = server_->post(path, sales_, {{"reason", "x"}});
  EXPECT_EQ(forbidden.status, 403);

  // One b at a time: each 0.335 -> 0.34; the last takes what is left (0.33),
  // so the credit notes never add up to more than the invoice line.
  std::vector<std::string> numbers;
  std::string last_total;
  for (int i = 0; i < 3; ++i) {
    auto cn = server_->post(path, accountant_, {{"reason", "returned"}, {"lines", json::array({{{"sku", b}, {"quantity", "1"}}})}});
    ASSERT_EQ(cn.status, 201) << cn.raw;
    EXPECT_EQ(cn.body["kind"], "credit_note");
    EXPECT_EQ(cn.body["credited_invoice_id"], id);
    numbers.push_back(cn.body["number"]);
    EXPECT_EQ(cn.body["lines"][0]["line_net"], i < 2 ? "0.34" : "0.33") << cn.raw;
  }
  EXPECT_EQ(numbers[0].rfind("CN-2026-", 0), 0u);
  EXPECT_EQ(seq_of(numbers[1]), seq_of(numbers[0]) + 1);
  EXPECT_EQ(seq_of(numbers[2]), seq_of(numbers[1]) + 1);
  auto partly = invoice(id);
  EXPECT_EQ(partly["status"], "open");
  EXPECT_EQ(partly["open_amount"], "23.79") << partly.dump();  // 24.98 - 0.40 - 0.40 - 0.39

  // The rest in full: everything left, to the cent; the invoice is credit_noted.
  auto full = server_->post(path, accountant_, {{"reason", "cancelled deal"}});
  ASSERT_EQ(full.status, 201) << full.raw;
  EXPECT_EQ(full.body["total"], "23.79");
  auto done = invoice(id);
  EXPECT_EQ(done["status"], "credit_noted");
  EXPECT_EQ(done["open_amount"], "0.00");
  auto nothing = server_->post(path, accountant_, {{"reason", "again"}});
  EXPECT_EQ(nothing.status, 409);
  EXPECT_EQ(error_code(nothing), "nothing_to_credit");

  auto list = server_->get("/api/v1/credit-notes?invoice_id=" + id, accountant_);
  EXPECT_EQ(list.body["data"].size(), 4u) << list.raw;
  auto p = postings(ledger_of("credit_note", full.body["id"])[0]);
  EXPECT_EQ(p["1100"], "-23.79");
}

TEST_F(Billing, InvoicesNeedACompleteCompanyProfile) {
  ServerProcess fresh({"--today", "2026-11-20"});
  const auto& admin = fresh.admin_token();
  const auto wh = fresh.add_user("w", "warehouse");
  const auto sales = fresh.add_user("s", "sales");
  ASSERT_EQ(fresh.put("/api/v1/company", admin, {{"name", "Half GmbH"}, {"currency", "EUR"}}).status, 200);
  auto c = fresh.post("/api/v1/customers", admin, valid_customer("C"));
  ASSERT_EQ(fresh.post("/api/v1/products", admin, {{"sku", "P"}, {"name", "P"}, {"unit_price", "1.00"},
                                                   {"currency", "EUR"}, {"tax_rate", "19"}, {"tax_category", "S"}})
                .status,
            201);
  ASSERT_EQ(fresh.post("/api/v1/warehouses", admin, {{"code", "W"}, {"name", "W"}}).status, 201);
  ASSERT_EQ(fresh.post("/api/v1/stock/receipts", wh, {{"warehouse", "W"}, {"sku", "P"}, {"quantity", "5"}, {"unit_cost", "0.50"}}).status, 201);
  auto o = fresh.post("/api/v1/orders", sales, {{"customer_id", c.body["id"]}, {"lines", json::array({{{"sku", "P"}, {"quantity", "1"}}})}});
  ASSERT_EQ(o.status, 201) << o.raw;
  auto before = state_snapshot(fresh);
  auto s = fresh.post("/api/v1/shipments", wh, {{"order_id", o.body["id"]}});
  EXPECT_EQ(s.status, 422) << s.raw;
  EXPECT_EQ(error_code(s), "company_incomplete");
  EXPECT_NE(s.body["error"]["message"].get<std::string>().find("iban"), std::string::npos) << s.raw;
  EXPECT_EQ(state_snapshot(fresh), before);
  ASSERT_EQ(fresh.put("/api/v1/company", admin, complete_company()).status, 200);
  EXPECT_EQ(fresh.post("/api/v1/shipments", wh, {{"order_id", o.body["id"]}}).status, 201);
  expect_verify_ok(fresh);
}

TEST_F(Billing, ConcurrentShipmentsTakeGaplessNumbers) {
  const auto cust = customer();
  const auto sku = product("1.00");
  constexpr int kOrders = 12;
  std::vector<std::string> orders;
  for (int i = 0; i < kOrders; ++i) orders.push_back(order(cust, json::array({{{"sku", sku}, {"quantity", "1"}}}))["id"]);
  std::vector<std::string> numbers(kOrders);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOrders; ++i) {
    threads.emplace_back([&, i] {
      auto r = ship(orders[i], "2026-08-01");
      if (r.status == 201) numbers[i] = r.body.value("invoice_number", "");
    });
  }
  for (auto& t : threads) t.join();
  std::set<int> seqs;
  for (const auto& n : numbers) {
    ASSERT_FALSE(n.empty());
    seqs.insert(seq_of(n));
  }
  EXPECT_EQ(seqs.size(), static_cast<size_t>(kOrders)) << "no number twice";
  // verify (TearDown) checks that the series has no gap.
}

TEST_F(Billing, PortalUsersSeeOnlyTheirOwnInvoices) {
  const auto mine = customer();
  const auto other = customer();
  const auto sku = product("5.00");
  auto s1 = ship(order(mine, json::array({{{"sku", sku}, {"quantity", "1"}}}))["id"], "2026-09-01");
  auto s2 = ship(order(other, json::array({{{"sku", sku}, {"quantity", "1"}}}))["id"], "2026-09-01");
  ASSERT_EQ(s1.status, 201);
  ASSERT_EQ(s2.status, 201);
  const auto portal = server_->add_user("bill-portal-" + unique_suffix(), "portal", mine);
  EXPECT_EQ(server_->get("/api/v1/invoices/" + s1.body["invoice_id"].get<std::string>(), portal).status, 200);
  auto theirs = server_->get("/api/v1/invoices/" + s2.body["invoice_id"].get<std::string>(), portal);
  EXPECT_EQ(theirs.status, 404) << theirs.raw;
  // The list is theirs alone; asking for the other customer's is as if it did not exist.
  auto list = server_->get("/api/v1/invoices?limit=200", portal);
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body["data"].size(), 1u) << list.raw;
  EXPECT_EQ(list.body["data"][0]["id"], s1.body["invoice_id"]);
  EXPECT_EQ(server_->get("/api/v1/invoices?customer_id=" + other, portal).status, 404);
}

TEST_F(Billing, OverdueInvoicesHoldNewOrdersAndACreditNoteReleasesThem) {
  // An invoice due on 2026-06-01 is 172 days overdue on 2026-11-20.
  const auto cust = customer({{"payment_terms", "DUE"}, {"credit_limit", "1000.00"}});
  const auto sku = product("100.00");
  auto first = order(cust, json::array({{{"sku", sku}, {"quantity", "1"}}}));
  auto s = ship(first["id"], "2026-06-01");
  ASSERT_EQ(s.status, 201) << s.raw;
  auto c = server_->get("/api/v1/customers/" + cust, credit_);
  EXPECT_EQ(c.body["overdue_amount"], "119.00") << c.raw;
  EXPECT_EQ(c.body["balance"], "119.00");

  auto held = order(cust, json::array({{{"sku", sku}, {"quantity", "1"}}}), "credit_hold");
  ASSERT_EQ(held["hold_reasons"].size(), 1u) << held.dump();
  EXPECT_EQ(held["hold_reasons"][0]["code"], "overdue_invoices");

  // The overdue invoice is credited in full: nothing is overdue, the held order passes.
  auto cn = server_->post("/api/v1/invoices/" + s.body["invoice_id"].get<std::string>() + "/credit-notes",
                          accountant_, {{"reason", "goods returned"}});
  ASSERT_EQ(cn.status, 201) << cn.raw;
  auto released = server_->get("/api/v1/orders/" + held["id"].get<std::string>(), credit_);
  EXPECT_EQ(released.body["status"], "open") << released.raw;

  // A longer grace lets a young overdue invoice through.
  auto s2 = ship(released.body["id"], "2026-11-01");  // due 2026-11-01: 19 days overdue
  ASSERT_EQ(s2.status, 201) << s2.raw;
  auto passes = order(cust, json::array({{{"sku", sku}, {"quantity", "1"}}}));
  EXPECT_EQ(passes["status"], "open") << "19 days overdue is within the 30-day grace";
  json company = complete_company();
  company["overdue_grace_days"] = 10;
  ASSERT_EQ(server_->put("/api/v1/company", admin(), company).status, 200);
  order(cust, json::array({{{"sku", sku}, {"quantity", "1"}}}), "credit_hold");
  company["overdue_grace_days"] = 30;
  ASSERT_EQ(server_->put("/api/v1/company", admin(), company).status, 200);
}

TEST_F(Billing, ExposureCountsOpenInvoicesAndOnlyTheUninvoicedRestOfOrders) {
  const auto cust = customer({{"credit_limit", "300.00"}});
  const auto sku = product("100.00", "EUR", "0", "Z");
  auto o = order(cust, json::array({{{"sku", sku}, {"quantity", "2"}}}));
  ASSERT_EQ(ship(o["id"], "2026-11-19", json::array({{{"sku", sku}, {"quantity", "1"}}})).status, 201);
  // 100 invoiced + 100 still on the order: 100 left of the limit.
  auto c = server_->get("/api/v1/customers/" + cust, credit_);
  EXPECT_EQ(c.body["balance"], "100.00") << c.raw;
  EXPECT_EQ(c.body["credit_available"], "100.00") << c.raw;
  order(cust, json::array({{{"sku", sku}, {"quantity", "1"}}}), "open");
  order(cust, json::array({{{"sku", sku}, {"quantity", "1"}}}), "credit_hold");
}

// What a PDF says, through poppler's pdftotext (installed by the test command).
std::string pdf_text(const std::string& bytes) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("o2c-pdf-" + unique_suffix());
  fs::create_directories(dir);
  { std::ofstream(dir / "doc.pdf", std::ios::binary) << bytes; }
  const std::string cmd = "pdftotext -layout '" + (dir / "doc.pdf").string() + "' '" + (dir / "doc.txt").string() + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << "pdftotext failed (apt-get install poppler-utils)";
  std::ifstream in(dir / "doc.txt");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove_all(dir);
  return text;
}

TEST_F(Billing, InvoicesAndCreditNotesDownloadAsPdf) {
  const auto cust = customer({{"vat_id", "DE123456789"}, {"address", "Kundenweg 5\n80331 München"}});
  auto s = ship(order(cust, json::array({{{"sku", product("1234.50")}, {"quantity", "1"}}}))["id"], "2026-10-05");
  ASSERT_EQ(s.status, 201) << s.raw;
  const std::string id = s.body["invoice_id"];
  auto inv = invoice(id);
  auto pdf = server_->get("/api/v1/invoices/" + id + ".pdf", accountant_);
  ASSERT_EQ(pdf.status, 200);
  ASSERT_EQ(pdf.raw.rfind("%PDF-", 0), 0u) << "not a PDF";
  const std::string text = pdf_text(pdf.raw);
  EXPECT_NE(text.find(inv["number"].get<std::string>()), std::string::npos) << text;
  EXPECT_NE(text.find("1,469.06"), std::string::npos) << "the total 1234.50 + 19 % " << text;
  // The reference is printed in groups of four for reading it out.
  std::string ref = inv["creditor_reference"], spaced;
  for (size_t i = 0; i < ref.size(); ++i) spaced += (i && i % 4 == 0 ? " " : "") + std::string(1, ref[i]);
  EXPECT_NE(text.find(spaced), std::string::npos) << spaced << "\n" << text;
  EXPECT_NE(text.find("München"), std::string::npos);

  auto cn = server_->post("/api/v1/invoices/" + id + "/credit-notes", accountant_, {{"reason", "price correction"}});
  ASSERT_EQ(cn.status, 201) << cn.raw;
  auto cn_pdf = server_->get("/api/v1/credit-notes/" + cn.body["id"].get<std::string>() + ".pdf", accountant_);
  ASSERT_EQ(cn_pdf.status, 200);
  const std::string cn_text = pdf_text(cn_pdf.raw);
  EXPECT_NE(cn_text.find(cn.body["number"].get<std::string>()), std::string::npos) << cn_text;
  EXPECT_NE(cn_text.find(inv["number"].get<std::string>()), std::string::npos) << "names the corrected invoice";
  EXPECT_EQ(server_->get("/api/v1/invoices/" + cn.body["id"].get<std::string>() + ".pdf", accountant_).status, 404)
      << "a credit note is not an invoice";
}

// Every e-invoice the server issues must pass the official rules: the UBL 2.1
// schema and the EN 16931 Schematron (../shared/conformance/validate-ubl.sh).
TEST_F(Billing, OrderAllowancesAndChargesAreBilledInProportionAndAddUpToTheOrder) {
  const auto cust = customer();
  const auto a = product("100.00");
  const auto b = product("50.00");
  auto placed = server_->post(
      "/api/v1/orders", sales_,
      {{"customer_id", cust},
       {"lines", json::array({{{"sku", a}, {"quantity", "2"}}, {{"sku", b}, {"quantity", "2"}}})},
       {"allowances", json::array({{{"amount", "30.01"}, {"reason", "Loyalty discount"}}})},
       {"charges", json::array({{{"amount", "9.95"}, {"reason", "Freight"}}})}});
  ASSERT_EQ(placed.status, 201) << placed.raw;
  // 300.00 - 30.01 + 9.95 = 279.94, tax 19 % = 53.19 (53.1886), total 333.13.
  EXPECT_EQ(placed.body["net_total"], "300.00");
  EXPECT_EQ(placed.body["allowance_total"], "30.01");
  EXPECT_EQ(placed.body["charge_total"], "9.95");
  EXPECT_EQ(placed.body["tax_total"], "53.19");
  EXPECT_EQ(placed.body["total"], "333.13");
  ASSERT_EQ(placed.body["allowances"][0]["tax_category"], "S");
  const std::string oid = placed.body["id"];

  auto s1 = ship(oid, "2026-10-12", json::array({{{"sku", a}, {"quantity", "2"}}}));  // 200.00 of 300.00
  ASSERT_EQ(s1.status, 201) << s1.raw;
  auto s2 = ship(oid, "2026-10-13");
  ASSERT_EQ(s2.status, 201) << s2.raw;
  auto i1 = invoice(s1.body["invoice_id"]);
  auto i2 = invoice(s2.body["invoice_id"]);
  EXPECT_EQ(i1["allowance_total"], "20.00");  // 30.01 x 2/3 = 20.006, rounded down
  EXPECT_EQ(i1["charge_total"], "6.63");      // 9.95 x 2/3 = 6.633
  EXPECT_EQ(i2["allowance_total"], "10.01");  // the rest, exactly
  EXPECT_EQ(i2["charge_total"], "3.32");
  EXPECT_EQ(i1["allowances"][0]["reason"], "Loyalty discount");
  EXPECT_EQ(i2["charges"][0]["reason"], "Freight");
  // 200 - 20 + 6.63 = 186.63 -> tax 35.46; 100 - 10.01 + 3.32 = 93.31 -> tax 17.73.
  EXPECT_EQ(i1["total"], "222.09");
  EXPECT_EQ(i2["total"], "111.04");
  auto o = server_->get("/api/v1/orders/" + oid, accountant_);
  EXPECT_EQ(o.body["status"], "invoiced");
  EXPECT_EQ(o.body["allowances"][0]["billed"], "30.01");
  EXPECT_EQ(o.body["charges"][0]["billed"], "9.95");

  auto bad = [&](json body, const char* code, const char* field) {
    body["customer_id"] = cust;
    if (!body.contains("lines")) body["lines"] = json::array({{{"sku", a}, {"quantity", "1"}}});
    auto r = server_->post("/api/v1/orders", sales_, body);
    EXPECT_EQ(r.status, 422) << r.raw;
    EXPECT_EQ(error_code(r), code) << r.raw;
    EXPECT_EQ(error_field(r), field) << r.raw;
  };
  bad({{"allowances", json::array({{{"amount", "100.01"}, {"reason", "too much"}}})}}, "allowances_exceed_lines",
      "allowances[0].amount");
  bad({{"allowances", json::array({{{"amount", "1.00"}}})}}, "required", "allowances[0].reason");
  bad({{"charges", json::array({{{"amount", "0"}, {"reason", "nothing"}}})}}, "invalid_amount", "charges[0].amount");
  bad({{"allowances", json::array({{{"amount", "1.00"}, {"reason", "x"}, {"tax_category", "Z"}}})}},
      "allowance_without_lines", "allowances[0].tax_category");
  bad({{"lines", json::array({{{"sku", a}, {"quantity", "1"}}, {{"sku", product("5.00", "EUR", "7")}, {"quantity", "1"}}})},
       {"charges", json::array({{{"amount", "1.00"}, {"reason", "Freight"}}})}},
      "required", "charges[0].tax_category");
  bad({{"charges", json::array({{{"amount", "1.00"}, {"reason", "Freight"}, {"tax_category", "Z"}, {"tax_rate", "7"}}})}},
      "invalid_tax_rate", "charges[0].tax_rate");
}

TEST_F(Billing, IssuedEInvoicesPassTheOfficialRules) {
  namespace fs = std::filesystem;
  const std::string validator = std::string(O2C_SOURCE_DIR) + "/../shared/conformance/validate-ubl.sh";
  ASSERT_TRUE(fs::exists(validator)) << validator << " is missing: the conformance material sits beside the checkout";
  std::vector<std::pair<std::string, std::string>> docs;  // (path, label)
  auto add = [&](const std::string& path, const std::string& label) { docs.emplace_back(path, label); };

  const auto de = customer({{"vat_id", "DE123456789"}, {"address", "Kundenweg 5\n80331 München"},
                            {"payment_terms", "2/10NET30"}, {"peppol_id", "9930:DE123456789"}});
  auto mixed = ship(order(de, json::array({{{"sku", product("19.99")}, {"quantity", "3"}},
                                           {{"sku", product("4.5555", "EUR", "7")}, {"quantity", "2.5"}},
                                           {{"sku", product("12.00", "EUR", "0", "Z")}, {"quantity", "1"}},
                                           {{"sku", product("30.00", "EUR", "0", "E")}, {"quantity", "1"}}}))["id"],
                    "2026-10-06");
  ASSERT_EQ(mixed.status, 201) << mixed.raw;
  add("/api/v1/invoices/" + mixed.body["invoice_id"].get<std::string>() + ".xml", "S 19 % + S 7 % + Z + E");
  auto with_charges = server_->post(
      "/api/v1/orders", sales_,
      {{"customer_id", de},
       {"lines", json::array({{{"sku", product("40.00")}, {"quantity", "3"}}, {{"sku", product("9.99", "EUR", "7")}, {"quantity", "2"}}})},
       {"allowances", json::array({{{"amount", "12.00"}, {"reason", "Discount"}, {"tax_category", "S"}, {"tax_rate", "19"}}})},
       {"charges", json::array({{{"amount", "7.50"}, {"reason", "Freight"}, {"tax_category", "S"}, {"tax_rate", "19"}}})}});
  ASSERT_EQ(with_charges.status, 201) << with_charges.raw;
  auto shipped_wc = ship(with_charges.body["id"], "2026-10-06");
  ASSERT_EQ(shipped_wc.status, 201) << shipped_wc.raw;
  add("/api/v1/invoices/" + shipped_wc.body["invoice_id"].get<std::string>() + ".xml", "order allowance and charge");
  auto cn = server_->post("/api/v1/invoices/" + mixed.body["invoice_id"].get<std::string>() + "/credit-notes",
                          accountant_, {{"reason", "returned"}, {"lines", json::array({{{"sku", "x"}, {"quantity", "1"}}})}});
  EXPECT_EQ(cn.status, 422);  // (unknown SKU) then a real partial credit note:
  auto first_sku = invoice(mixed.body["invoice_id"])["lines"][0]["sku"].get<std::string>();
  cn = server_->post("/api/v1/invoices/" + mixed.body["invoice_id"].get<std::string>() + "/credit-notes", accountant_,
                     {{"reason", "returned"}, {"lines", json::array({{{"sku", first_sku}, {"quantity", "1"}}})}});
  ASSERT_EQ(cn.status, 201) << cn.raw;
  add("/api/v1/credit-notes/" + cn.body["id"].get<std::string>() + ".xml", "credit note");

  const auto fr = customer({{"vat_id", "FR40303265045"}, {"country", "FR"}, {"address", "1 rue de la Paix\n75002 Paris"}});
  auto rc = ship(order(fr, json::array({{{"sku", product("250.00", "EUR", "0", "AE")}, {"quantity", "2"}}}))["id"],
                 "2026-10-07");
  ASSERT_EQ(rc.status, 201) << rc.raw;
  add("/api/v1/invoices/" + rc.body["invoice_id"].get<std::string>() + ".xml", "AE reverse charge");
  auto ic = ship(order(fr, json::array({{{"sku", product("80.00", "EUR", "0", "K")}, {"quantity", "1"}}}))["id"],
                 "2026-10-07");
  ASSERT_EQ(ic.status, 201) << ic.raw;
  add("/api/v1/invoices/" + ic.body["invoice_id"].get<std::string>() + ".xml", "K intra-community");

  const auto us = customer({{"currency", "USD"}, {"country", "US"}, {"address", "1 Main St\nSpringfield"},
                            {"peppol_id", "0060:123456789"}});
  ASSERT_EQ(server_->post("/api/v1/fx-rates", accountant_, {{"currency", "USD"}, {"date", "2026-10-01"}, {"rate", "0.9215"}}).status,
            201);
  auto ex = ship(order(us, json::array({{{"sku", product("99.95", "USD", "0", "G")}, {"quantity", "4"}}}))["id"],
                 "2026-10-08");
  ASSERT_EQ(ex.status, 201) << ex.raw;
  add("/api/v1/invoices/" + ex.body["invoice_id"].get<std::string>() + ".xml", "G export in USD");

  const fs::path dir = fs::temp_directory_path() / ("o2c-ubl-" + unique_suffix());
  fs::create_directories(dir);
  std::vector<std::thread> workers;
  std::vector<std::string> failures(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    auto r = server_->get(docs[i].first, accountant_);
    ASSERT_EQ(r.status, 200) << docs[i].first << ": " << r.raw;
    const fs::path file = dir / ("doc" + std::to_string(i) + ".xml");
    { std::ofstream(file, std::ios::binary) << r.raw; }
  }
  // Two validators at a time: each one is a JVM compiling the rules.
  for (size_t start = 0; start < docs.size(); start += 2) {
    for (size_t i = start; i < std::min(docs.size(), start + 2); ++i) {
      workers.emplace_back([&, i] {
        const fs::path file = dir / ("doc" + std::to_string(i) + ".xml");
        const fs::path out = dir / ("doc" + std::to_string(i) + ".txt");
        const std::string cmd = "bash '" + validator + "' -q '" + file.string() + "' > '" + out.string() + "' 2>&1";
        const int rc = std::system(cmd.c_str());
        if (rc != 0) {
          std::ifstream in(out);
          failures[i] = docs[i].second + " (" + docs[i].first + ") failed:\n" +
                        std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        }
      });
    }
    for (auto& w : workers) w.join();
    workers.clear();
  }
  for (const auto& f : failures) EXPECT_TRUE(f.empty()) << f;
  fs::remove_all(dir);
}

TEST_F(Billing, TrialBalanceSumsToZeroAndReadsThePast) {
  const auto cust = customer();
  ASSERT_EQ(ship(order(cust, json::array({{{"sku", product("3.00")}, {"quantity", "1"}}}))["id"], "2026-10-01").status,
            201);
  auto tb = server_->get("/api/v1/reports/trial-balance", accountant_);
  ASSERT_EQ(tb.status, 200) << tb.raw;
  EXPECT_TRUE(tb.body["balanced"].get<bool>());
  EXPECT_EQ(tb.body["total_debit"], tb.body["total_credit"]);
  bool has_tax_subaccount = false;
  for (const auto& a : tb.body["accounts"]) {
    if (a["code"].get<std::string>().rfind("2200-", 0) == 0) has_tax_subaccount = true;
  }
  EXPECT_TRUE(has_tax_subaccount);
  auto past = server_->get("/api/v1/reports/trial-balance?as_of=2000-01-01", accountant_);
  ASSERT_EQ(past.status, 200);
  EXPECT_EQ(past.body["total_debit"], "0.00") << "nothing was posted before 2000";
  EXPECT_EQ(server_->get("/api/v1/reports/trial-balance?as_of=yesterday", accountant_).status, 400);
  EXPECT_EQ(server_->get("/api/v1/reports/trial-balance", sales_).status, 403);
}

}  // namespace
}  // namespace o2c::e2e
