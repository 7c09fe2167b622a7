// Collections through HTTP: a customer walked through three dunning levels
// on three dates (fees and interest on FEE invoices, the final level
// blocking credit until paid), the run idempotent per day, disputes that
// keep an invoice out of dunning and out of oldest-first payments, promises
// to pay, and dunning policies as data. `o2c verify` closes every test.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"

namespace o2c::e2e {
namespace {

class Collections : public ShopSuite<Collections> {
 protected:
  static void SetUpTestSuite() {
    start({"--today", "2026-01-05"});
    sku_ = "COL-" + unique_suffix();
    ASSERT_EQ(server_->post("/api/v1/products", admin(),
                            {{"sku", sku_}, {"name", "Item"}, {"unit_price", "10.00"}, {"currency", "EUR"},
                             {"tax_rate", "19"}, {"tax_category", "S"}})
                  .status,
              201);
    ASSERT_EQ(server_->post("/api/v1/stock/receipts", warehouse_,
                            {{"warehouse", wh_}, {"sku", sku_}, {"quantity", "10000"}, {"unit_cost", "1.00"}})
                  .status,
              201);
  }

  static std::string customer(json overrides = json::object()) {
    json c = valid_customer("Col Customer " + unique_suffix());
    c["credit_limit"] = "100000.00";
    c["payment_terms"] = "NET14";
    for (auto& [k, v] : overrides.items()) c[k] = v;
    auto r = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }
  // An invoice of `qty` x 10.00 + 19 % issued on `on` (NET14).
  static json invoice_for(const std::string& cust, const std::string& qty, const std::string& on) {
    auto o = server_->post("/api/v1/orders", sales_,
                           {{"customer_id", cust}, {"lines", json::array({{{"sku", sku_}, {"quantity", qty}}})}});
    EXPECT_EQ(o.status, 201) << o.raw;
    auto s = server_->post("/api/v1/shipments", warehouse_, {{"order_id", o.body["id"]}, {"as_of", on}});
    EXPECT_EQ(s.status, 201) << s.raw;
    return get("/api/v1/invoices/" + s.body.value("invoice_id", ""));
  }
  static json get(const std::string& path) {
    auto r = server_->get(path, accountant_);
    EXPECT_EQ(r.status, 200) << path << ": " << r.raw;
    return r.body;
  }
  static json run(const std::string& as_of) {
    auto r = server_->post("/api/v1/dunning/run", accountant_, {{"as_of", as_of}});
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }
  // The notices of one customer in a run's answer.
  static json notices_of(const json& run_answer, const std::string& cust) {
    json out = json::array();
    for (const auto& n : run_answer["notices"]) {
      if (n["customer_id"] == cust) out.push_back(n);
    }
    return out;
  }

  static inline std::string sku_;
};

TEST_F(Collections, ACustomerIsWalkedThroughThreeLevelsAndUnblockedByPayment) {
  const auto cust = customer();
  auto inv = invoice_for(cust, "5", "2026-01-05");  // 59.50, due 01-19
  ASSERT_EQ(inv["due_date"], "2026-01-19");

  EXPECT_TRUE(notices_of(run("2026-01-25"), cust).empty()) << "6 days overdue: too early";
  auto first = notices_of(run("2026-01-26"), cust);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0]["level"], 1);
  EXPECT_EQ(first[0]["fee"], "0.00");
  EXPECT_TRUE(first[0]["fee_invoice_id"].is_null());
  auto again = run("2026-01-26");
  EXPECT_TRUE(notices_of(again, cust).empty()) << "the same day twice adds nothing";

  auto second = notices_of(run("2026-02-09"), cust);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0]["level"], 2);
  EXPECT_EQ(second[0]["fee"], "5.00");
  auto fee2 = get("/api/v1/invoices/" + second[0]["fee_invoice_id"].get<std::string>());
  EXPECT_EQ(fee2["number"].get<std::string>().rfind("FEE-2026-", 0), 0u) << fee2.dump();
  EXPECT_EQ(fee2["total"], "5.00");
  EXPECT_EQ(fee2["tax_total"], "0.00");

  auto third = notices_of(run("2026-02-24"), cust);
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0]["level"], 3);
  EXPECT_EQ(third[0]["action"], "credit_block");
  EXPECT_EQ(third[0]["fee"], "10.00");
  EXPECT_EQ(third[0]["interest"], "0.53");  // 59.50 x 9 % x 36 / 365
  auto fee3 = get("/api/v1/invoices/" + third[0]["fee_invoice_id"].get<std::string>());
  EXPECT_EQ(fee3["total"], "10.53");
  auto blocked = get("/api/v1/customers/" + cust);
  EXPECT_EQ(blocked["credit_block"], true);
  EXPECT_EQ(blocked["dunning_block"], true);
  EXPECT_EQ(blocked["balance"], "75.03");
  auto held = server_->post("/api/v1/orders", sales_,
                            {{"customer_id", cust}, {"lines", json::array({{{"sku", sku_}, {"quantity", "1"}}})}});
  ASSERT_EQ(held.status, 201) << held.raw;
  EXPECT_EQ(held.body["status"], "credit_hold");
  EXPECT_TRUE(notices_of(run("2026-03-30"), cust).empty()) << "the last level was sent";
  auto listed = get("/api/v1/dunning/notices?customer_id=" + cust);
  ASSERT_EQ(listed["data"].size(), 3u);
  EXPECT_EQ(listed["data"][2]["level"], 3);
  auto letter = server_->get("/api/v1/dunning/notices/" + third[0]["id"].get<std::string>() + ".pdf", accountant_);
  ASSERT_EQ(letter.status, 200);
  EXPECT_EQ(letter.raw.rfind("%PDF", 0), 0u) << "the final notice prints as a letter";
  EXPECT_EQ(server_->get("/api/v1/dunning/notices/999999.pdf", accountant_).status, 404);

  // Fees post to fee income; the fee invoices are receivable like any other.
  auto entries = get("/api/v1/ledger/entries?source_type=invoice&source_id=" + fee3["id"].get<std::string>());
  ASSERT_EQ(entries["data"].size(), 1u);
  bool fee_income = false;
  for (const auto& l : entries["data"][0]["lines"]) fee_income |= l["account"] == "4200" && l["credit"] == "10.53";
  EXPECT_TRUE(fee_income) << entries.dump();

  auto paid = server_->post("/api/v1/payments", accountant_,
                            {{"customer_id", cust}, {"amount", "75.03"}, {"currency", "EUR"},
                             {"method", "bank_transfer"}, {"received_on", "2026-03-02"}});
  ASSERT_EQ(paid.status, 201) << paid.raw;
  auto after = get("/api/v1/customers/" + cust);
  EXPECT_EQ(after["dunning_block"], false);
  EXPECT_EQ(after["credit_block"], false);
  EXPECT_EQ(after["balance"], "0.00");
  // The held order passes once the block is gone... if nothing else holds it:
  // the business date here is 2026-01-05, so no invoice is overdue for it.
  EXPECT_EQ(get("/api/v1/orders/" + held.body["id"].get<std::string>())["status"], "open");
}

TEST_F(Collections, ADisputedInvoiceIsNotDunnedNorPaidOldestFirstUntilResolved) {
  const auto cust = customer();
  auto disputed = invoice_for(cust, "1", "2026-01-05");  // 11.90, due 01-19
  auto other = invoice_for(cust, "2", "2026-01-06");     // 23.80, due 01-20
  const std::string did = disputed["id"];
  auto d = server_->post("/api/v1/invoices/" + did + "/disputes", accountant_,
                         {{"reason", "goods arrived damaged"}, {"as_of", "2026-01-20"}});
  ASSERT_EQ(d.status, 201) << d.raw;
  EXPECT_EQ(d.body["status"], "open");
  const std::string dispute_id = d.body["id"];
  auto twice = server_->post("/api/v1/invoices/" + did + "/disputes", accountant_, {{"reason", "again"}});
  EXPECT_EQ(twice.status, 409) << twice.raw;
  EXPECT_EQ(error_code(twice), "already_disputed");

  auto open = get("/api/v1/disputes?status=open&customer_id=" + cust);
  ASSERT_EQ(open["data"].size(), 1u);
  EXPECT_EQ(open["data"][0]["invoice_id"], did);
  EXPECT_GE(open["data"][0]["age_days"].get<int>(), 0);

  auto notices = notices_of(run("2026-01-28"), cust);
  ASSERT_EQ(notices.size(), 1u) << "only the undisputed invoice is dunned";
  EXPECT_EQ(notices[0]["overdue_amount"], "23.80");

  auto p = server_->post("/api/v1/payments", accountant_,
                         {{"customer_id", cust}, {"amount", "20.00"}, {"currency", "EUR"}, {"method", "bank_transfer"},
                          {"received_on", "2026-01-29"}});
  ASSERT_EQ(p.status, 201) << p.raw;
  ASSERT_EQ(p.body["allocations"].size(), 1u);
  EXPECT_EQ(p.body["allocations"][0]["invoice_id"], other["id"]) << "oldest-first passes the disputed invoice by";

  auto bad = server_->post("/api/v1/disputes/" + dispute_id + "/resolve", accountant_, {{"outcome", "maybe"}});
  EXPECT_EQ(bad.status, 422) << bad.raw;
  EXPECT_EQ(error_code(bad), "invalid_outcome");
  auto rejected = server_->post("/api/v1/disputes/" + dispute_id + "/resolve", accountant_,
                                {{"outcome", "rejected"}, {"resolution", "photos show intact goods"}, {"as_of", "2026-02-01"}});
  ASSERT_EQ(rejected.status, 200) << rejected.raw;
  EXPECT_EQ(rejected.body["status"], "resolved");
  EXPECT_EQ(rejected.body["age_days"], 12);
  auto resolved_twice = server_->post("/api/v1/disputes/" + dispute_id + "/resolve", accountant_, {{"outcome", "upheld"}});
  EXPECT_EQ(resolved_twice.status, 409) << resolved_twice.raw;
  auto now_dunned = notices_of(run("2026-02-02"), cust);
  ASSERT_EQ(now_dunned.size(), 1u);
  EXPECT_EQ(now_dunned[0]["level"], 1);
  EXPECT_EQ(now_dunned[0]["overdue_amount"], "11.90");

  // Another dispute, upheld with a credit note in the same commit.
  auto d2 = server_->post("/api/v1/invoices/" + did + "/disputes", accountant_, {{"reason", "wrong item"}});
  ASSERT_EQ(d2.status, 201) << d2.raw;
  auto upheld = server_->post("/api/v1/disputes/" + d2.body["id"].get<std::string>() + "/resolve", accountant_,
                              {{"outcome", "upheld"}, {"credit_note", {{"reason", "wrong item shipped"}}}});
  ASSERT_EQ(upheld.status, 200) << upheld.raw;
  ASSERT_FALSE(upheld.body["credit_note_id"].is_null());
  EXPECT_EQ(get("/api/v1/invoices/" + did)["status"], "credit_noted");
}

TEST_F(Collections, APromiseToPaySuspendsDunningUntilItsDate) {
  const auto cust = customer();
  auto inv = invoice_for(cust, "1", "2026-01-05");  // due 01-19
  auto past = server_->post("/api/v1/invoices/" + inv["id"].get<std::string>() + "/promise-to-pay", accountant_,
                            {{"promised_on", "2026-01-01"}});
  EXPECT_EQ(past.status, 422) << past.raw;
  EXPECT_EQ(error_code(past), "promise_in_past");
  auto promise = server_->post("/api/v1/invoices/" + inv["id"].get<std::string>() + "/promise-to-pay", accountant_,
                               {{"promised_on", "2026-02-15"}, {"note", "phone call with AP"}});
  ASSERT_EQ(promise.status, 201) << promise.raw;
  EXPECT_TRUE(notices_of(run("2026-02-01"), cust).empty());
  EXPECT_TRUE(notices_of(run("2026-02-15"), cust).empty());
  EXPECT_EQ(notices_of(run("2026-02-16"), cust).size(), 1u);
}

TEST_F(Collections, PoliciesAreDataAndAssignedPerCustomer) {
  std::string code = "STRICT" + unique_suffix();
  for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto bad = server_->post("/api/v1/dunning-policies", admin(),
                           {{"code", code}, {"name", "Strict"},
                            {"levels", json::array({{{"days_after_due", 5}, {"message", "a"}},
                                                    {{"days_after_due", 5}, {"message", "b"}}})}});
  EXPECT_EQ(bad.status, 422) << bad.raw;
  EXPECT_EQ(error_code(bad), "days_not_increasing");
  EXPECT_EQ(error_field(bad), "levels[1].days_after_due");
  auto made = server_->post("/api/v1/dunning-policies", admin(),
                            {{"code", code}, {"name", "Strict"},
                             {"levels", json::array({{{"days_after_due", 1}, {"fee", "2.50"}, {"message", "Pay now."},
                                                      {"action", "credit_block"}}})}});
  ASSERT_EQ(made.status, 201) << made.raw;
  auto unknown = server_->post("/api/v1/customers", admin(), [&] {
    json c = valid_customer("Unknown policy");
    c["dunning_policy"] = "NOPE";
    return c;
  }());
  EXPECT_EQ(unknown.status, 422) << unknown.raw;
  EXPECT_EQ(error_code(unknown), "unknown_dunning_policy");
  const auto cust = customer({{"dunning_policy", code}});
  EXPECT_EQ(get("/api/v1/customers/" + cust)["dunning_policy"], code);
  invoice_for(cust, "1", "2026-01-05");  // due 01-19
  auto n = notices_of(run("2026-01-20"), cust);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0]["fee"], "2.50");
  EXPECT_EQ(n[0]["action"], "credit_block");
  EXPECT_EQ(get("/api/v1/customers/" + cust)["dunning_block"], true);
  auto policies = get("/api/v1/dunning-policies");
  bool listed = false;
  for (const auto& p : policies["data"]) {
    if (p["code"] != code) continue;
    listed = true;
    EXPECT_EQ(p["levels"][0]["fee"], "2.50");
    EXPECT_EQ(p["levels"][0]["interest_rate"], "0.00");
  }
  EXPECT_TRUE(listed);
}

TEST_F(Collections, AStatementRunsTheBalanceAndIsSentToTheCustomer) {
  const auto cust = customer();
  auto inv = invoice_for(cust, "5", "2026-01-05");  // 59.50
  auto p = server_->post("/api/v1/payments", accountant_,
                         {{"customer_id", cust}, {"amount", "100.00"}, {"currency", "EUR"}, {"method", "bank_transfer"},
                          {"received_on", "2026-01-10"}});
  ASSERT_EQ(p.status, 201) << p.raw;
  ASSERT_EQ(server_->post("/api/v1/payments/" + p.body["id"].get<std::string>() + "/refund", accountant_,
                          {{"amount", "10.00"}, {"as_of", "2026-01-12"}})
                .status,
            200);
  auto s = get("/api/v1/customers/" + cust + "/statement?from=2026-01-06&to=2026-01-31");
  EXPECT_EQ(s["opening_balance"], "59.50");
  ASSERT_EQ(s["movements"].size(), 2u) << s.dump();
  EXPECT_EQ(s["movements"][0]["kind"], "payment");
  EXPECT_EQ(s["movements"][0]["amount"], "-100.00");
  EXPECT_EQ(s["movements"][0]["balance"], "-40.50");
  EXPECT_EQ(s["movements"][1]["kind"], "refund");
  EXPECT_EQ(s["closing_balance"], "-30.50");
  // The closing balance is what the customer view says: open invoices less credit.
  auto v = get("/api/v1/customers/" + cust);
  EXPECT_EQ(v["balance"], "0.00");
  EXPECT_EQ(v["credit_balance"], "30.50");
  auto whole = get("/api/v1/customers/" + cust + "/statement?from=2026-01-01&to=2026-01-31");
  EXPECT_EQ(whole["opening_balance"], "0.00");
  EXPECT_EQ(whole["movements"][0]["document"], inv["number"]);
  EXPECT_EQ(whole["closing_balance"], "-30.50");
  auto bad = server_->get("/api/v1/customers/" + cust + "/statement?from=2026-02-01&to=2026-01-01", accountant_);
  EXPECT_EQ(bad.status, 422) << bad.raw;

  const std::string portal = server_->add_user("col-stmt-" + unique_suffix(), "portal", cust);
  EXPECT_EQ(server_->get("/api/v1/customers/" + cust + "/statement", portal).status, 200);
  EXPECT_EQ(server_->get("/api/v1/customers/" + customer() + "/statement", portal).status, 404);

  auto sent = server_->post("/api/v1/customers/" + cust + "/statement/send", accountant_,
                            {{"from", "2026-01-01"}, {"to", "2026-01-31"}});
  ASSERT_EQ(sent.status, 202) << sent.raw;
  const std::string email = v["email"];
  EXPECT_EQ(sent.body["sent_to"], email);
  bool queued = false;
  for (int i = 0; i < 100 && !queued; ++i) {
    for (const auto& m : list_all(*server_, "/api/v1/messages?topic=statement.sent", admin())) {
      queued |= m["recipient"] == email && m["subject"] == "Statement of account 2026-01-31";
    }
    if (!queued) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(queued) << "the statement e-mail is a message to the customer";
}

TEST_F(Collections, APortalUserDisputesOnlyTheirOwnInvoices) {
  const auto mine = customer();
  const auto theirs = customer();
  auto own = invoice_for(mine, "1", "2026-01-05");
  auto foreign = invoice_for(theirs, "1", "2026-01-05");
  const std::string portal = server_->add_user("col-portal-" + unique_suffix(), "portal", mine);
  auto ok = server_->post("/api/v1/invoices/" + own["id"].get<std::string>() + "/disputes", portal,
                          {{"reason", "quantity short"}});
  EXPECT_EQ(ok.status, 201) << ok.raw;
  auto hidden = server_->post("/api/v1/invoices/" + foreign["id"].get<std::string>() + "/disputes", portal,
                              {{"reason", "not mine"}});
  EXPECT_EQ(hidden.status, 404) << hidden.raw;
  auto no_reason = server_->post("/api/v1/invoices/" + own["id"].get<std::string>() + "/disputes", accountant_,
                                 json::object());
  EXPECT_EQ(no_reason.status, 422) << no_reason.raw;
}

}  // namespace
}  // namespace o2c::e2e
