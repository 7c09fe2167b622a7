// Payments through HTTP: partial and final payments, oldest due first,
// overpayment as customer credit applied later, the early-payment discount
// inside its window (with its tax) and not outside, write-off within the
// company's tolerance, foreign-currency payments with realized FX, the order
// that becomes paid, and a held order released by a payment. Bad input is
// refused and changes nothing. `o2c verify` closes every test.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"

namespace o2c::e2e {
namespace {

class Payments : public ShopSuite<Payments> {
 protected:
  static void SetUpTestSuite() {
    start({"--today", "2026-11-20"});
  }

  // Places and ships an order; returns the invoice it issued.
  static json invoiced(const std::string& customer_id, const std::string& sku, const std::string& qty,
                       const std::string& on) {
    return ship(place(customer_id, sku, qty, "open"), on);
  }
  static json order(const std::string& id) {
    auto r = server_->get("/api/v1/orders/" + id, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }
  static json customer_view(const std::string& id) {
    auto r = server_->get("/api/v1/customers/" + id, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }
  static Response pay(const std::string& customer_id, const std::string& amount, const std::string& on,
                      json allocations = nullptr, const std::string& currency = "EUR") {
    json body = {{"customer_id", customer_id}, {"amount", amount},   {"currency", currency},
                 {"method", "bank_transfer"},  {"received_on", on}, {"reference", "stmt " + unique_suffix()}};
    if (!allocations.is_null()) body["allocations"] = allocations;
    return server_->post("/api/v1/payments", accountant_, body);
  }
  // The payment's journal entry as account -> signed amount (debit positive).
  static std::map<std::string, std::string> postings_of(const std::string& source_type, const std::string& id) {
    auto r = server_->get("/api/v1/ledger/entries?source_type=" + source_type + "&source_id=" + id, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    std::map<std::string, std::string> out;
    if (r.body["data"].size() != 1) {
      ADD_FAILURE() << "expected one entry for " << source_type << " " << id << ": " << r.raw;
      return out;
    }
    for (const auto& p : r.body["data"][0]["lines"]) {
      const std::string d = p["debit"], c = p["credit"];
      out[p["account"]] = (d != "0.00" && d != "0") ? d : "-" + c;
    }
    return out;
  }

};

TEST_F(Payments, PartialThenFinalPaymentSettleTheInvoiceAndTheOrderBecomesPaid) {
  const auto cust = customer();
  const auto sku = product("10.00");
  auto inv = invoiced(cust, sku, "5", "2026-03-02");  // 50.00 + 9.50
  const std::string id = inv["id"];
  ASSERT_EQ(inv["total"], "59.50");
  EXPECT_EQ(order(inv["order_id"])["status"], "invoiced");

  auto p1 = pay(cust, "20.00", "2026-03-20", json::array({{{"invoice_id", id}, {"amount", "20.00"}}}));
  ASSERT_EQ(p1.status, 201) << p1.raw;
  EXPECT_EQ(p1.body["status"], "received");
  EXPECT_EQ(p1.body["unallocated"], "0.00");
  ASSERT_EQ(p1.body["allocations"].size(), 1u);
  EXPECT_EQ(p1.body["allocations"][0]["invoice_number"], inv["number"]);
  EXPECT_EQ(p1.body["allocations"][0]["amount"], "20.00");
  auto after1 = invoice(id);
  EXPECT_EQ(after1["status"], "partially_paid");
  EXPECT_EQ(after1["open_amount"], "39.50");
  EXPECT_EQ(order(inv["order_id"])["status"], "invoiced");
  auto e1 = postings_of("payment", p1.body["id"]);
  EXPECT_EQ(e1["1000"], "20.00");
  EXPECT_EQ(e1["1100"], "-20.00");
  EXPECT_EQ(e1.size(), 2u);

  auto p2 = pay(cust, "39.50", "2026-03-25");  // no allocations: oldest due first
  ASSERT_EQ(p2.status, 201) << p2.raw;
  EXPECT_EQ(p2.body["allocations"][0]["amount"], "39.50");
  auto after2 = invoice(id);
  EXPECT_EQ(after2["status"], "paid");
  EXPECT_EQ(after2["open_amount"], "0.00");
  EXPECT_EQ(order(inv["order_id"])["status"], "paid");
  auto v = customer_view(cust);
  EXPECT_EQ(v["balance"], "0.00");
  EXPECT_EQ(v["credit_balance"], "0.00");

  auto got = server_->get("/api/v1/payments/" + p2.body["id"].get<std::string>(), accountant_);
  ASSERT_EQ(got.status, 200) << got.raw;
  EXPECT_EQ(got.body["allocations"], p2.body["allocations"]);
  auto listed = server_->get("/api/v1/payments?customer_id=" + cust, accountant_);
  ASSERT_EQ(listed.status, 200) << listed.raw;
  EXPECT_EQ(listed.body["data"].size(), 2u);
}

TEST_F(Payments, WithoutAllocationsTheOldestDueInvoiceIsPaidFirst) {
  const auto cust = customer({{"payment_terms", "NET14"}});
  const auto sku = product("10.00");
  auto o1 = place(cust, sku, "1", "open");
  auto o2 = place(cust, sku, "2", "open");
  auto later = ship(o1, "2026-04-10");  // 11.90, due 04-24
  auto older = ship(o2, "2026-04-01");  // 23.80, due 04-15
  auto p = pay(cust, "30.00", "2026-04-30");
  ASSERT_EQ(p.status, 201) << p.raw;
  ASSERT_EQ(p.body["allocations"].size(), 2u) << p.raw;
  EXPECT_EQ(p.body["allocations"][0]["invoice_id"], older["id"]);
  EXPECT_EQ(p.body["allocations"][0]["amount"], "23.80");
  EXPECT_EQ(p.body["allocations"][1]["invoice_id"], later["id"]);
  EXPECT_EQ(p.body["allocations"][1]["amount"], "6.20");
  EXPECT_EQ(invoice(older["id"])["status"], "paid");
  EXPECT_EQ(invoice(later["id"])["open_amount"], "5.70");
}

TEST_F(Payments, OverpaymentBecomesCustomerCreditAppliedToTheNextInvoice) {
  const auto cust = customer();
  const auto sku = product("10.00");
  auto first = invoiced(cust, sku, "5", "2026-05-04");  // 59.50
  auto p = pay(cust, "100.00", "2026-05-10");
  ASSERT_EQ(p.status, 201) << p.raw;
  EXPECT_EQ(p.body["unallocated"], "40.50");
  EXPECT_EQ(invoice(first["id"])["status"], "paid");
  EXPECT_EQ(customer_view(cust)["credit_balance"], "40.50");
  auto e = postings_of("payment", p.body["id"]);
  EXPECT_EQ(e["1000"], "100.00");
  EXPECT_EQ(e["1100"], "-59.50");
  EXPECT_EQ(e["2100"], "-40.50");

  auto next = invoiced(cust, sku, "5", "2026-05-20");
  auto applied = server_->post("/api/v1/customers/" + cust + "/apply-credit", accountant_, json::object());
  ASSERT_EQ(applied.status, 200) << applied.raw;
  EXPECT_EQ(applied.body["applied"], "40.50");
  EXPECT_EQ(applied.body["credit_balance"], "0.00");
  ASSERT_EQ(applied.body["allocations"].size(), 1u);
  EXPECT_EQ(applied.body["allocations"][0]["invoice_id"], next["id"]);
  auto n = invoice(next["id"]);
  EXPECT_EQ(n["status"], "partially_paid");
  EXPECT_EQ(n["open_amount"], "19.00");
  auto v = customer_view(cust);
  EXPECT_EQ(v["credit_balance"], "0.00");
  EXPECT_EQ(v["balance"], "19.00");

  auto again = server_->post("/api/v1/customers/" + cust + "/apply-credit", accountant_, json::object());
  EXPECT_EQ(again.status, 409) << again.raw;
  EXPECT_EQ(error_code(again), "no_credit");
}

TEST_F(Payments, EarlyPaymentDiscountIsTakenInsideTheWindowWithItsTaxAndRefusedOutside) {
  const auto cust = customer({{"payment_terms", "2/10NET30"}});
  const auto sku = product("10.00");
  auto inside = invoiced(cust, sku, "10", "2026-03-02");  // 119.00; 2 % = 2.38 until 03-12
  ASSERT_EQ(inside["discount_date"], "2026-03-12");
  ASSERT_EQ(inside["discount_amount"], "2.38");
  auto p = pay(cust, "116.62", "2026-03-12", json::array({{{"invoice_id", inside["id"]}, {"amount", "116.62"}}}));
  ASSERT_EQ(p.status, 201) << p.raw;
  EXPECT_EQ(p.body["allocations"][0]["discount"], "2.38");
  EXPECT_EQ(invoice(inside["id"])["status"], "paid");
  auto e = postings_of("payment", p.body["id"]);
  EXPECT_EQ(e["1000"], "116.62");
  EXPECT_EQ(e["1100"], "-119.00");
  EXPECT_EQ(e["4100"], "2.00");
  EXPECT_EQ(e["2200-S-1900"], "0.38") << "the discount lowers the tax due";

  auto outside = invoiced(cust, sku, "10", "2026-03-02");
  auto late = pay(cust, "116.62", "2026-03-13", json::array({{{"invoice_id", outside["id"]}, {"amount", "116.62"}}}));
  ASSERT_EQ(late.status, 201) << late.raw;
  EXPECT_EQ(late.body["allocations"][0]["discount"], "0.00");
  auto o = invoice(outside["id"]);
  EXPECT_EQ(o["status"], "partially_paid");
  EXPECT_EQ(o["open_amount"], "2.38");
}

TEST_F(Payments, AShortPaymentWithinTheToleranceIsWrittenOff) {
  json company = complete_company();
  company["write_off_tolerance"] = "0.05";
  ASSERT_EQ(server_->put("/api/v1/company", admin(), company).status, 200);
  const auto cust = customer();
  const auto sku = product("10.00");
  auto oa = place(cust, sku, "5", "open");
  auto ob = place(cust, sku, "5", "open");
  auto a = ship(oa, "2026-06-01");  // 59.50
  auto b = ship(ob, "2026-06-01");
  auto within = pay(cust, "59.46", "2026-06-10", json::array({{{"invoice_id", a["id"]}, {"amount", "59.46"}}}));
  auto beyond = pay(cust, "59.40", "2026-06-10", json::array({{{"invoice_id", b["id"]}, {"amount", "59.40"}}}));
  ASSERT_EQ(server_->put("/api/v1/company", admin(), complete_company()).status, 200);
  ASSERT_EQ(within.status, 201) << within.raw;
  ASSERT_EQ(beyond.status, 201) << beyond.raw;
  EXPECT_EQ(within.body["allocations"][0]["write_off"], "0.04");
  EXPECT_EQ(invoice(a["id"])["status"], "paid");
  auto e = postings_of("payment", within.body["id"]);
  EXPECT_EQ(e["6100"], "0.04");
  EXPECT_EQ(e["1100"], "-59.50");
  EXPECT_EQ(beyond.body["allocations"][0]["write_off"], "0.00");
  EXPECT_EQ(invoice(b["id"])["open_amount"], "0.10");
}

TEST_F(Payments, AForeignCurrencyPaymentPostsRealizedFx) {
  ASSERT_EQ(server_->post("/api/v1/fx-rates", accountant_, {{"currency", "USD"}, {"date", "2026-07-01"}, {"rate", "0.9"}}).status, 201);
  ASSERT_EQ(server_->post("/api/v1/fx-rates", accountant_, {{"currency", "USD"}, {"date", "2026-07-20"}, {"rate", "0.95"}}).status, 201);
  const auto cust = customer({{"currency", "USD"}});
  const auto sku = product("100.00", "USD");
  auto inv = invoiced(cust, sku, "1", "2026-07-02");  // 119.00 USD = 107.10 EUR
  ASSERT_EQ(inv["total"], "119.00");
  auto p = pay(cust, "119.00", "2026-07-21", nullptr, "USD");  // 113.05 EUR at 0.95
  ASSERT_EQ(p.status, 201) << p.raw;
  EXPECT_EQ(p.body["amount_functional"], "113.05");
  auto e = postings_of("payment", p.body["id"]);
  EXPECT_EQ(e["1000"], "113.05");
  EXPECT_EQ(e["1100"], "-107.10");
  EXPECT_EQ(e["6200"], "-5.95") << "a gain: the dollar rose between invoice and payment";
  EXPECT_EQ(invoice(inv["id"])["status"], "paid");
}

// Issue 3: a held order is released when a payment lowers the exposure.
TEST_F(Payments, AHeldOrderIsReleasedWhenAPaymentLowersTheExposure) {
  const auto cust = customer({{"credit_limit", "100.00"}});
  const auto sku = product("10.00");
  auto inv = invoiced(cust, sku, "5", "2026-08-03");  // 59.50 open
  auto held = place(cust, sku, "5", "credit_hold");   // 59.50 more: 119.00 > 100.00
  ASSERT_FALSE(held["hold_reasons"].empty()) << held.dump();
  auto p = pay(cust, "59.50", "2026-08-10");
  ASSERT_EQ(p.status, 201) << p.raw;
  auto o = order(held["id"]);
  EXPECT_EQ(o["status"], "open") << o.dump();
  EXPECT_EQ(o["lines"][0]["reserved"], "5");
  const json events = list_all(*server_, "/api/v1/events", admin());
  bool released = false;
  for (const auto& ev : events) {
    if (ev.value("entity", "") == "order" && ev.value("entity_id", "") == held["id"] && ev["action"] == "released" &&
        ev["payload"]["trigger"] == "payment " + p.body["id"].get<std::string>()) {
      released = true;
    }
  }
  EXPECT_TRUE(released) << "no release event triggered by the payment";
}

TEST_F(Payments, AnIdempotentRepeatRecordsThePaymentOnce) {
  const auto cust = customer();
  const auto sku = product("10.00");
  auto inv = invoiced(cust, sku, "1", "2026-09-01");
  json body = {{"customer_id", cust}, {"amount", "5.00"}, {"currency", "EUR"}, {"method", "card"},
               {"received_on", "2026-09-02"}};
  auto a = server_->post("/api/v1/payments", accountant_, body);  // no key: a payment of its own
  ASSERT_EQ(a.status, 201) << a.raw;
  const std::string key = "pay-" + unique_suffix();
  auto c1 = server_->post("/api/v1/payments", accountant_, body, {{"Idempotency-Key", key}});
  auto c2 = server_->post("/api/v1/payments", accountant_, body, {{"Idempotency-Key", key}});
  ASSERT_EQ(c1.status, 201) << c1.raw;
  EXPECT_EQ(c2.status, 201) << c2.raw;
  EXPECT_EQ(c1.body["id"], c2.body["id"]);
  EXPECT_NE(a.body["id"], c1.body["id"]);
  // 11.90 less two payments of 5.00 (a, and c once): 1.90 open, no credit.
  EXPECT_EQ(invoice(inv["id"])["open_amount"], "1.90");
  EXPECT_EQ(customer_view(cust)["credit_balance"], "0.00");
}

TEST_F(Payments, ARefundPaysBackCustomerCreditAndNoMore) {
  const auto cust = customer();
  const auto sku = product("10.00");
  auto inv = invoiced(cust, sku, "5", "2026-11-02");  // 59.50
  auto p = pay(cust, "100.00", "2026-11-05");
  ASSERT_EQ(p.status, 201) << p.raw;
  const std::string pid = p.body["id"];
  auto refund = [&](const std::string& amount) {
    return server_->post("/api/v1/payments/" + pid + "/refund", accountant_, {{"amount", amount}, {"reason", "overpaid"}});
  };
  auto r1 = refund("15.00");
  ASSERT_EQ(r1.status, 200) << r1.raw;
  EXPECT_EQ(r1.body["refunded"], "15.00");
  EXPECT_EQ(customer_view(cust)["credit_balance"], "25.50");
  auto e = postings_of("payment_refund", pid);
  EXPECT_EQ(e["2100"], "15.00");
  EXPECT_EQ(e["1000"], "-15.00");
  EXPECT_EQ(e.size(), 2u);

  const json before = state_snapshot(*server_);
  auto too_much = refund("30.00");
  EXPECT_EQ(too_much.status, 409) << too_much.raw;
  EXPECT_EQ(error_code(too_much), "refund_exceeds_credit");
  auto beyond = refund("85.01");
  EXPECT_EQ(beyond.status, 422) << beyond.raw;
  EXPECT_EQ(error_code(beyond), "exceeds_payment");
  EXPECT_EQ(error_field(beyond), "amount");
  auto zero = refund("0");
  EXPECT_EQ(zero.status, 422) << zero.raw;
  EXPECT_EQ(server_->post("/api/v1/payments/999999/refund", accountant_, {{"amount", "1.00"}}).status, 404);
  EXPECT_EQ(state_snapshot(*server_), before) << "a refused refund changed something";

  // A credit note on the paid invoice frees credit that can be refunded too.
  auto cn = server_->post("/api/v1/invoices/" + inv["id"].get<std::string>() + "/credit-notes", accountant_,
                          {{"reason", "returned"}, {"as_of", "2026-11-06"}});
  ASSERT_EQ(cn.status, 201) << cn.raw;
  EXPECT_EQ(customer_view(cust)["credit_balance"], "85.00");
  auto r2 = refund("85.00");
  ASSERT_EQ(r2.status, 200) << r2.raw;
  EXPECT_EQ(r2.body["refunded"], "100.00");
  EXPECT_EQ(customer_view(cust)["credit_balance"], "0.00");
}

TEST_F(Payments, ABouncedPaymentReopensWhatItPaid) {
  const auto cust = customer();
  const auto sku = product("10.00");
  auto inv = invoiced(cust, sku, "5", "2026-11-09");  // 59.50
  auto p = pay(cust, "70.00", "2026-11-10");           // 10.50 left as credit
  ASSERT_EQ(p.status, 201) << p.raw;
  const std::string pid = p.body["id"];
  ASSERT_EQ(order(inv["order_id"])["status"], "paid");

  auto bounced = server_->post("/api/v1/payments/" + pid + "/reverse", accountant_,
                               {{"reason", "returned by the bank: account closed"}, {"as_of", "2026-11-14"}});
  ASSERT_EQ(bounced.status, 200) << bounced.raw;
  EXPECT_EQ(bounced.body["status"], "reversed");
  EXPECT_EQ(bounced.body["reversed_on"], "2026-11-14");
  auto reopened = invoice(inv["id"]);
  EXPECT_EQ(reopened["status"], "open");
  EXPECT_EQ(reopened["open_amount"], "59.50");
  EXPECT_EQ(order(inv["order_id"])["status"], "invoiced");
  auto v = customer_view(cust);
  EXPECT_EQ(v["balance"], "59.50");
  EXPECT_EQ(v["credit_balance"], "0.00");
  auto e = postings_of("payment_reversal", pid);
  EXPECT_EQ(e["1000"], "-70.00");
  EXPECT_EQ(e["1100"], "59.50");
  EXPECT_EQ(e["2100"], "10.50");

  auto twice = server_->post("/api/v1/payments/" + pid + "/reverse", accountant_, {{"reason", "again"}});
  EXPECT_EQ(twice.status, 409) << twice.raw;
  EXPECT_EQ(error_code(twice), "already_reversed");
  auto no_reason = server_->post("/api/v1/payments/" + pid + "/reverse", accountant_, json::object());
  EXPECT_EQ(no_reason.status, 422) << no_reason.raw;

  // Paid again: the invoice and the order settle as before.
  auto again = pay(cust, "59.50", "2026-11-16");
  ASSERT_EQ(again.status, 201) << again.raw;
  EXPECT_EQ(invoice(inv["id"])["status"], "paid");
  EXPECT_EQ(order(inv["order_id"])["status"], "paid");
}

TEST_F(Payments, APaymentWhoseCreditWasAppliedCannotBounceUntilThatIsUndone) {
  const auto cust = customer();
  const auto sku = product("10.00");
  auto o1 = place(cust, sku, "5", "open");
  auto o2 = place(cust, sku, "1", "open");
  ship(o1, "2026-11-02");
  auto p = pay(cust, "70.00", "2026-11-03");  // 10.50 credit
  ASSERT_EQ(p.status, 201) << p.raw;
  ship(o2, "2026-11-04");  // 11.90
  ASSERT_EQ(server_->post("/api/v1/customers/" + cust + "/apply-credit", accountant_, json::object()).status, 200);
  auto r = server_->post("/api/v1/payments/" + p.body["id"].get<std::string>() + "/reverse", accountant_,
                         {{"reason", "bounced"}});
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(error_code(r), "credit_already_applied");
}

TEST_F(Payments, BadPaymentsAreRefusedAndChangeNothing) {
  const auto cust = customer();
  const auto other = customer();
  const auto sku = product("10.00");
  auto inv = invoiced(cust, sku, "1", "2026-11-01");  // 11.90
  auto others = invoiced(other, sku, "1", "2026-11-01");
  const json before = state_snapshot(*server_);
  const std::string id = inv["id"];
  struct Case {
    json body;
    int status;
    const char* code;
    const char* field;
  };
  const json base = {{"customer_id", cust}, {"amount", "10.00"}, {"currency", "EUR"}, {"method", "bank_transfer"},
                     {"received_on", "2026-10-05"}};
  auto with = [&](json patch) {
    json b = base;
    for (auto& [k, v] : patch.items()) {
      if (v.is_null()) {
        b.erase(k);
      } else {
        b[k] = v;
      }
    }
    return b;
  };
  const std::vector<Case> cases = {
      {with({{"customer_id", "999999"}}), 422, "unknown_customer", "customer_id"},
      {with({{"customer_id", nullptr}}), 422, "required", "customer_id"},
      {with({{"currency", "USD"}}), 422, "currency_mismatch", "currency"},
      {with({{"amount", "-1.00"}}), 422, "invalid_amount", "amount"},
      {with({{"amount", "0"}}), 422, "invalid_amount", "amount"},
      {with({{"amount", "1.001"}}), 422, "too_many_decimals", "amount"},
      {with({{"method", "barter"}}), 422, "invalid_method", "method"},
      {with({{"received_on", "2026-13-01"}}), 422, "invalid_date", "received_on"},
      {with({{"method", nullptr}}), 422, "required", "method"},
      {with({{"allocations", json::array({{{"invoice_id", others["id"]}, {"amount", "1.00"}}})}}), 422,
       "invoice_not_open", "allocations[0].invoice_id"},
      {with({{"allocations", json::array({{{"invoice_id", id}, {"amount", "12.00"}}})}}), 422, "exceeds_open",
       "allocations[0].amount"},
      {with({{"allocations", json::array({{{"invoice_id", id}, {"amount", "1.00"}}, {{"invoice_id", id}, {"amount", "1.00"}}})}}),
       422, "duplicate_invoice", "allocations[1].invoice_id"},
      {with({{"amount", "5.00"}, {"allocations", json::array({{{"invoice_id", id}, {"amount", "6.00"}}})}}), 422,
       "allocations_exceed_payment", "allocations"},
      {with({{"allocations", json::array({{{"invoice_id", id}, {"amount", "0.00"}}})}}), 422, "invalid_amount",
       "allocations[0].amount"},
      {with({{"allocations", json::array()}}), 422, "required", "allocations"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body.dump());
    auto r = server_->post("/api/v1/payments", accountant_, c.body);
    EXPECT_EQ(r.status, c.status) << r.raw;
    EXPECT_TRUE(is_error_body(r));
    EXPECT_EQ(error_code(r), c.code) << r.raw;
    EXPECT_EQ(error_field(r), c.field) << r.raw;
  }
  auto forbidden = server_->post("/api/v1/payments", sales_, base);
  EXPECT_EQ(forbidden.status, 403) << forbidden.raw;
  EXPECT_EQ(server_->get("/api/v1/payments/999999", accountant_).status, 404);
  EXPECT_EQ(state_snapshot(*server_), before) << "a refused payment changed something";
}

}  // namespace
}  // namespace o2c::e2e
