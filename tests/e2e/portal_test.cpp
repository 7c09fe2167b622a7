// The customer portal's API: a portal user sees and acts on their own
// customer's documents only (another customer's answer 404, and a refused
// request changes nothing), and pays an invoice by card through the test
// payment provider, whose signed event reaches the real Stripe webhook over
// loopback HTTP: the invoice turns paid, the payment is recorded once, and a
// repeated completion changes nothing. `o2c verify` (ledger balanced, open
// items = AR, audit chain) closes every test.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"

namespace o2c::e2e {
namespace {

constexpr const char* kToday = "2026-03-02";

// Two customers, each with invoices; a portal user of the first.
template <typename Suite>
struct TwoCustomers : ShopSuite<Suite> {
  using Base = ShopSuite<Suite>;
  static inline std::string mine_, theirs_, portal_, sku_;

  static void set_up(std::vector<std::string> args) {
    args.insert(args.end(), {"--today", kToday});
    Base::start(std::move(args));
    // With what an e-invoice between German parties needs of the buyer.
    mine_ = Base::customer({{"name", "Portal Own Customer " + unique_suffix()},
                            {"address", "Kundenweg 5\n80331 München"},
                            {"vat_id", "DE123456789"}});
    theirs_ = Base::customer({{"name", "Portal Other Customer " + unique_suffix()}});
    portal_ = Base::server_->add_user("portal-" + unique_suffix(), "portal", mine_);
    sku_ = Base::product("10.00");
  }
  // A new open invoice of `customer` (59.50 EUR: 5 x 10.00 + 19 % tax).
  static json open_invoice(const std::string& customer) {
    return Base::ship(Base::place(customer, sku_, "5", "open"), kToday);
  }
};

class Portal : public TwoCustomers<Portal> {
 protected:
  static void SetUpTestSuite() { set_up({"--test-payments"}); }

  static Response as_portal(const std::string& method, const std::string& path, const json& body = nullptr) {
    return server_->request(method, path, portal_, body);
  }
  static json payments_of(const std::string& customer) {
    return list_all(*server_, "/api/v1/payments?customer_id=" + customer, accountant_);
  }
};

TEST_F(Portal, ListsOnlyItsOwnCustomersInvoices) {
  const json a = open_invoice(mine_);
  const json b = open_invoice(theirs_);
  const json listed = list_all(*server_, "/api/v1/invoices", portal_);
  ASSERT_FALSE(listed.empty());
  bool saw_own = false;
  for (const auto& v : listed) {
    EXPECT_EQ(v["customer_id"], mine_) << v;
    EXPECT_NE(v["id"], b["id"]);
    if (v["id"] == a["id"]) saw_own = true;
  }
  EXPECT_TRUE(saw_own);
  // The same list when it names its own customer; another customer's: 404, as their documents.
  EXPECT_EQ(list_all(*server_, "/api/v1/invoices?customer_id=" + mine_, portal_), listed);
  auto other = as_portal("GET", "/api/v1/invoices?customer_id=" + theirs_);
  EXPECT_EQ(other.status, 404) << other.raw;
  EXPECT_EQ(error_code(other), "customer_not_found");
  EXPECT_TRUE(is_error_body(other));
  for (const auto& v : list_all(*server_, "/api/v1/invoices?status=unpaid", portal_)) {
    EXPECT_EQ(v["customer_id"], mine_);
    EXPECT_TRUE(v["status"] == "open" || v["status"] == "partially_paid") << v;
  }
  // Staff still see every customer's invoices, filtered as they ask.
  const json staff_theirs = list_all(*server_, "/api/v1/invoices?customer_id=" + theirs_, accountant_);
  ASSERT_FALSE(staff_theirs.empty());
  EXPECT_EQ(staff_theirs.back()["id"], b["id"]);
}

TEST_F(Portal, SeesItsOwnAccountButNoOtherCustomers) {
  const json a = open_invoice(mine_);
  auto own = as_portal("GET", "/api/v1/customers/" + mine_);
  ASSERT_EQ(own.status, 200) << own.raw;
  EXPECT_EQ(own.body["id"], mine_);
  EXPECT_TRUE(own.body.contains("balance") && own.body.contains("overdue_amount")) << own.raw;
  // The credit desk's figures are the seller's own business.
  EXPECT_FALSE(own.body.contains("credit_limit")) << own.raw;
  EXPECT_FALSE(own.body.contains("credit_block")) << own.raw;
  auto staff_view = server_->get("/api/v1/customers/" + mine_, accountant_);
  ASSERT_EQ(staff_view.status, 200);
  EXPECT_EQ(own.body["balance"], staff_view.body["balance"]);
  EXPECT_TRUE(staff_view.body.contains("credit_limit"));
  auto other = as_portal("GET", "/api/v1/customers/" + theirs_);
  EXPECT_EQ(other.status, 404) << other.raw;
  EXPECT_EQ(error_code(other), "customer_not_found");
  auto statement = as_portal("GET", "/api/v1/customers/" + mine_ + "/statement");
  ASSERT_EQ(statement.status, 200) << statement.raw;
  EXPECT_TRUE(statement.body.contains("opening_balance") && statement.body.contains("closing_balance"));
  auto pdf = as_portal("GET", "/api/v1/invoices/" + a["id"].get<std::string>() + ".pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.raw.rfind("%PDF", 0), 0u);
  auto xml = as_portal("GET", "/api/v1/invoices/" + a["id"].get<std::string>() + ".xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_NE(xml.raw.find("<Invoice"), std::string::npos);
}

TEST_F(Portal, AnotherCustomersDocumentsAnswer404AndChangeNothing) {
  const json b = open_invoice(theirs_);
  const std::string bid = b["id"];
  auto dispute = server_->post("/api/v1/invoices/" + open_invoice(theirs_)["id"].get<std::string>() + "/disputes",
                               accountant_, {{"reason", "theirs"}});
  ASSERT_EQ(dispute.status, 201) << dispute.raw;
  auto their_checkout = server_->post("/api/v1/invoices/" + bid + "/checkout", accountant_, json::object());
  ASSERT_EQ(their_checkout.status, 201) << their_checkout.raw;
  const std::string cid = their_checkout.body["id"];

  const json before = state_snapshot(*server_);
  struct Try {
    const char* method;
    std::string path;
    json body;
  };
  const std::vector<Try> tries = {
      {"GET", "/api/v1/invoices/" + bid, nullptr},
      {"GET", "/api/v1/invoices/" + bid + ".pdf", nullptr},
      {"GET", "/api/v1/invoices/" + bid + ".xml", nullptr},
      {"GET", "/api/v1/customers/" + theirs_ + "/statement", nullptr},
      {"GET", "/api/v1/customers/" + theirs_ + "/statement?format=pdf", nullptr},
      {"GET", "/api/v1/disputes?customer_id=" + theirs_, nullptr},
      {"GET", "/api/v1/disputes/" + dispute.body["id"].get<std::string>(), nullptr},
      {"POST", "/api/v1/invoices/" + bid + "/disputes", {{"reason", "not mine to dispute"}}},
      {"POST", "/api/v1/invoices/" + bid + "/checkout", json::object()},
      {"GET", "/api/v1/checkouts/" + cid, nullptr},
      {"POST", "/api/v1/checkouts/" + cid + "/complete", nullptr},
  };
  for (const auto& t : tries) {
    SCOPED_TRACE(std::string(t.method) + " " + t.path);
    auto r = as_portal(t.method, t.path, t.body);
    EXPECT_EQ(r.status, 404) << r.raw;
    EXPECT_TRUE(is_error_body(r));
    // Nothing of the document in the answer.
    EXPECT_EQ(r.raw.find(b["number"].get<std::string>()), std::string::npos) << r.raw;
  }
  for (const auto& d : list_all(*server_, "/api/v1/disputes", portal_)) EXPECT_EQ(d["customer_id"], mine_);
  EXPECT_EQ(state_snapshot(*server_), before) << "a refused portal request changed something";
  EXPECT_EQ(invoice(bid)["status"], "open");
}

TEST_F(Portal, OpensADisputeOnItsOwnInvoice) {
  const json a = open_invoice(mine_);
  auto d = as_portal("POST", "/api/v1/invoices/" + a["id"].get<std::string>() + "/disputes", {{"reason", "broken mug"}});
  ASSERT_EQ(d.status, 201) << d.raw;
  EXPECT_EQ(d.body["invoice_id"], a["id"]);
  auto read = as_portal("GET", "/api/v1/disputes/" + d.body["id"].get<std::string>());
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["reason"], "broken mug");
  bool listed = false;
  for (const auto& x : list_all(*server_, "/api/v1/disputes?status=open", portal_)) listed |= x["id"] == d.body["id"];
  EXPECT_TRUE(listed);
}

TEST_F(Portal, CheckoutPaysTheInvoiceThroughTheWebhookOnce) {
  const json a = open_invoice(mine_);
  const std::string aid = a["id"];
  const size_t payments_before = payments_of(mine_).size();

  auto started = as_portal("POST", "/api/v1/invoices/" + aid + "/checkout", json::object());
  ASSERT_EQ(started.status, 201) << started.raw;
  const json& c = started.body;
  EXPECT_EQ(c["status"], "open");
  EXPECT_EQ(c["provider"], "test");
  EXPECT_EQ(c["amount"], a["open_amount"]);
  EXPECT_EQ(c["currency"], "EUR");
  EXPECT_EQ(c["invoice_id"], aid);
  EXPECT_EQ(c["url"], "/portal#/checkout/" + c["id"].get<std::string>());
  EXPECT_TRUE(c["payment_id"].is_null());
  const std::string cid = c["id"];
  auto page = as_portal("GET", "/api/v1/checkouts/" + cid);
  ASSERT_EQ(page.status, 200) << page.raw;
  EXPECT_EQ(page.body["merchant"], "Seller GmbH");
  EXPECT_EQ(page.body["invoice_number"], a["number"]);
  // Starting a checkout moves no money.
  EXPECT_EQ(invoice(aid)["status"], "open");

  auto done = as_portal("POST", "/api/v1/checkouts/" + cid + "/complete");
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_EQ(done.body["status"], "completed");
  ASSERT_TRUE(done.body["payment_id"].is_string()) << done.raw;
  EXPECT_EQ(done.body["webhook"]["outcome"], "processed: payment " + done.body["payment_id"].get<std::string>());
  EXPECT_EQ(done.body["webhook"]["duplicate"], false);
  const json paid = invoice(aid);
  EXPECT_EQ(paid["status"], "paid") << paid;
  EXPECT_EQ(paid["open_amount"], "0.00");

  // One card payment, under the checkout's reference, dated the business date.
  const json payments = payments_of(mine_);
  ASSERT_EQ(payments.size(), payments_before + 1);
  const json& p = payments.back();
  EXPECT_EQ(p["id"], done.body["payment_id"]);
  EXPECT_EQ(p["method"], "card");
  EXPECT_EQ(p["reference"], c["reference"]);
  EXPECT_EQ(p["amount"], "59.50");
  EXPECT_EQ(p["received_on"], kToday);

  // Audited: the webhook's event, the checkout started and completed.
  const json events = list_all(*server_, "/api/v1/events", admin());
  int started_seen = 0, completed_seen = 0;
  for (const auto& e : events) {
    if (e.value("entity", "") != "checkout" || e.value("entity_id", "") != cid) continue;
    started_seen += e.value("action", "") == "started";
    completed_seen += e.value("action", "") == "completed";
  }
  EXPECT_EQ(started_seen, 1);
  EXPECT_EQ(completed_seen, 1);

  // Again: refused, nothing charged, nothing changed.
  const json before = state_snapshot(*server_);
  auto again = as_portal("POST", "/api/v1/checkouts/" + cid + "/complete");
  EXPECT_EQ(again.status, 409) << again.raw;
  EXPECT_EQ(error_code(again), "checkout_completed");
  auto new_checkout = as_portal("POST", "/api/v1/invoices/" + aid + "/checkout", json::object());
  EXPECT_EQ(new_checkout.status, 409) << new_checkout.raw;
  EXPECT_EQ(error_code(new_checkout), "invoice_not_open");
  EXPECT_EQ(state_snapshot(*server_), before);
  EXPECT_EQ(payments_of(mine_).size(), payments_before + 1);
}

TEST_F(Portal, TwoCompletionsAtOnceChargeOnce) {
  const json a = open_invoice(mine_);
  auto started = as_portal("POST", "/api/v1/invoices/" + a["id"].get<std::string>() + "/checkout", json::object());
  ASSERT_EQ(started.status, 201) << started.raw;
  const std::string cid = started.body["id"];
  const size_t payments_before = payments_of(mine_).size();
  std::vector<std::future<Response>> racers;
  for (int i = 0; i < 4; ++i) {
    racers.push_back(std::async(std::launch::async, [&] { return as_portal("POST", "/api/v1/checkouts/" + cid + "/complete"); }));
  }
  int ok = 0, refused = 0;
  for (auto& f : racers) {
    auto r = f.get();
    if (r.status == 200) ++ok;
    if (r.status == 409 && error_code(r) == "checkout_completed") ++refused;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(payments_of(mine_).size(), payments_before + 1);
  EXPECT_EQ(invoice(a["id"].get<std::string>())["status"], "paid");
}

TEST_F(Portal, ACheckoutWhoseInvoiceChangedIsRefused) {
  const json a = open_invoice(mine_);
  const std::string aid = a["id"];
  auto started = as_portal("POST", "/api/v1/invoices/" + aid + "/checkout", json::object());
  ASSERT_EQ(started.status, 201) << started.raw;
  // Part of it is paid by bank transfer before the customer pays the checkout.
  auto part = server_->post("/api/v1/payments", accountant_,
                            {{"customer_id", mine_}, {"amount", "10.00"}, {"currency", "EUR"}, {"method", "bank_transfer"},
                             {"received_on", kToday}, {"allocations", json::array({{{"invoice_id", aid}, {"amount", "10.00"}}})}});
  ASSERT_EQ(part.status, 201) << part.raw;
  const json before = state_snapshot(*server_);
  auto r = as_portal("POST", "/api/v1/checkouts/" + started.body["id"].get<std::string>() + "/complete");
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(error_code(r), "checkout_amount_changed");
  EXPECT_EQ(state_snapshot(*server_), before);
  // A new checkout takes what is open now.
  auto fresh = as_portal("POST", "/api/v1/invoices/" + aid + "/checkout", json::object());
  ASSERT_EQ(fresh.status, 201) << fresh.raw;
  EXPECT_EQ(fresh.body["amount"], "49.50");
  auto paid = as_portal("POST", "/api/v1/checkouts/" + fresh.body["id"].get<std::string>() + "/complete");
  ASSERT_EQ(paid.status, 200) << paid.raw;
  EXPECT_EQ(invoice(aid)["status"], "paid");
}

TEST_F(Portal, AccountsStaffMayStartACheckoutForACustomer) {
  const json b = open_invoice(theirs_);
  auto started = server_->post("/api/v1/invoices/" + b["id"].get<std::string>() + "/checkout", accountant_, json::object());
  ASSERT_EQ(started.status, 201) << started.raw;
  EXPECT_EQ(started.body["customer_id"], theirs_);
  auto unknown = server_->post("/api/v1/invoices/" + b["id"].get<std::string>() + "/checkout", accountant_,
                               {{"provider", "paypal"}});
  EXPECT_EQ(unknown.status, 422) << unknown.raw;
  EXPECT_EQ(error_code(unknown), "unknown_provider");
  // Sales take no payments.
  auto sales = server_->post("/api/v1/invoices/" + b["id"].get<std::string>() + "/checkout", sales_, json::object());
  EXPECT_EQ(sales.status, 403) << sales.raw;
}

TEST_F(Portal, PortalPageIsServedWithTheSecurityHeaders) {
  auto page = server_->get("/portal", "");
  ASSERT_EQ(page.status, 200) << page.raw;
  EXPECT_NE(page.header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_EQ(page.header("Content-Security-Policy"), server_->get("/", "").header("Content-Security-Policy"));
  EXPECT_NE(page.header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(page.raw.find("/assets/portal/portal.js"), std::string::npos);
  for (const char* path : {"/assets/portal/portal.js", "/assets/portal/screens.js", "/assets/portal/portal.css"}) {
    SCOPED_TRACE(path);
    auto f = server_->get(path, "");
    ASSERT_EQ(f.status, 200);
    EXPECT_EQ(f.header("Content-Security-Policy"), page.header("Content-Security-Policy"));
    const bool css = std::string(path).ends_with(".css");
    EXPECT_EQ(f.header("Content-Type"), css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
    // Data goes into the page as text only.
    EXPECT_EQ(f.raw.find("innerHTML"), std::string::npos);
  }
}

// Without --test-payments (or --demo) no provider is on: a checkout is a
// clear refusal and changes nothing.
class PortalPaymentsOff : public TwoCustomers<PortalPaymentsOff> {
 protected:
  static void SetUpTestSuite() { set_up({}); }
};

TEST_F(PortalPaymentsOff, CheckoutIsRefusedClearly) {
  const json a = open_invoice(mine_);
  const json before = state_snapshot(*server_);
  for (const std::string& token : {portal_, accountant_}) {
    auto r = server_->post("/api/v1/invoices/" + a["id"].get<std::string>() + "/checkout", token, json::object());
    EXPECT_EQ(r.status, 503) << r.raw;
    EXPECT_EQ(error_code(r), "payments_not_configured");
    EXPECT_NE(r.body["error"]["message"].get<std::string>().find("--test-payments"), std::string::npos) << r.raw;
  }
  EXPECT_EQ(state_snapshot(*server_), before);
  EXPECT_EQ(invoice(a["id"].get<std::string>())["status"], "open");
}

}  // namespace
}  // namespace o2c::e2e
