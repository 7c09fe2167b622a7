// The authorization matrix, read from the server's own OpenAPI document:
// every operation x every role. The document is the source of truth for who
// may call what (x-roles), so the test cannot drift from the routing table;
// and every write operation needs a valid example body here, so an endpoint
// cannot be added without being covered.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/date.h"
#include "helpers.h"
#include "server_process.h"

namespace o2c::e2e {
namespace {

const std::vector<std::string> kRoles = {"admin", "sales", "credit", "warehouse", "accountant", "viewer", "portal"};
// Routes anyone may call. A new public route fails the suite until it is
// added here: opening a route to the world should be a deliberate act.
const std::set<std::string> kPublicPaths = {"/healthz", "/metrics", "/api/v1/openapi.json",
                                            // The web console's page and files (no data in them), and
                                            // the sign-in, whose body carries the credentials.
                                            "/", "/portal", "/assets/{path}", "/api/v1/session",
                                            // No bearer token, but not open: Stripe's signature over the body is
                                            // its authentication (stripe_webhook_test.cpp tests that side).
                                            "/api/v1/webhooks/stripe"};
// Public routes that authenticate by a signature instead of a token: without
// one they refuse everybody, and a bearer token does not let anyone in.
const std::set<std::string> kSignedPaths = {"/api/v1/webhooks/stripe"};

// Records made once for the whole suite, so that placeholders and bodies can
// point at things that exist.
struct World {
  std::string customer_id;
  std::string product_id;
  std::string sku;
  std::string warehouse_code;
  // Orders made once: one to read, two on credit hold (one approved, one
  // rejected by the matrix's single allowed call), one open to cancel.
  std::string order_id;
  std::string held_order_to_approve;
  std::string held_order_to_reject;
  std::string order_to_cancel;
  std::string order_to_ship;        // open, with stock reserved
  std::string shipment_to_deliver;  // shipped in set-up
  std::string invoice_id;           // issued by that shipment
  std::string credit_note_id;       // credits a little of it
  std::string sku_of_invoice;
  std::string payment_id;  // leaves the customer credit for apply-credit
  // Payments a reversal may take, one per call (a payment bounces once).
  std::vector<std::string> payments_to_reverse;
  // Invoices each allowed role may dispute once, and open disputes to resolve.
  std::vector<std::string> invoices_to_dispute;
  std::vector<std::string> disputes_to_resolve;
  std::string notice_id;  // a dunning notice to print
  std::string bank_line_id;  // a bank line to read
  std::string other_customer_id;  // not the portal user's
  // Card checkouts (test provider) of the portal user's customer, one per
  // completion, each on an invoice of its own.
  std::vector<std::string> checkouts_to_complete;
  // Lines the allowed roles match by hand once each, and matched ones to unmatch.
  std::vector<std::string> bank_lines_to_match, bank_lines_to_unmatch;
  std::map<std::string, std::string> tokens;  // role -> token
};

struct Example {
  // The concrete path (placeholders filled); empty function = the template itself.
  std::function<std::string(const World&)> path;
  // A valid body, different on every call so that repeats do not collide.
  std::function<json(const World&)> body;
  // A raw body's type (a file upload: `body` returns the file as a string).
  std::string content_type = {};
};

// One entry for every operation that has a request body, a path placeholder
// or a required query parameter. A new route of that kind fails
// EveryOperationHasAnExample until it gets an entry here.
const std::map<std::string, Example>& examples() {
  static const std::map<std::string, Example> table = {
      {"GET /assets/{path}", {[](const World&) { return std::string("/assets/console/app.js"); }, nullptr}},
      {"POST /api/v1/session", {nullptr, [](const World& w) { return json{{"token", w.tokens.at("viewer")}}; }}},
      {"DELETE /api/v1/session", {nullptr, nullptr}},
      {"PUT /api/v1/company",
       {nullptr,
        [](const World&) {
          json c = complete_company();
          c["time_zone"] = "Europe/Berlin";
          return c;
        }}},
      {"POST /api/v1/customers",
       {nullptr, [](const World&) { return valid_customer("Authz Customer " + unique_suffix()); }}},
      {"GET /api/v1/customers/{id}",
       {[](const World& w) { return "/api/v1/customers/" + w.customer_id; }, nullptr}},
      {"PATCH /api/v1/customers/{id}",
       {[](const World& w) { return "/api/v1/customers/" + w.customer_id; },
        [](const World&) { return json{{"address", "Authz Str. " + unique_suffix()}}; }}},
      {"POST /api/v1/products",
       {nullptr,
        [](const World&) {
          return json{{"sku", "AZ-" + unique_suffix()}, {"name", "Authz product"}, {"unit_price", "10.00"},
                      {"currency", "EUR"},             {"tax_rate", "19"},       {"tax_category", "S"}};
        }}},
      {"GET /api/v1/products/{id}",
       {[](const World& w) { return "/api/v1/products/" + w.product_id; }, nullptr}},
      {"POST /api/v1/warehouses",
       {nullptr, [](const World&) { return json{{"code", "WZ" + unique_suffix()}, {"name", "Authz warehouse"}}; }}},
      {"POST /api/v1/stock/receipts",
       {nullptr,
        [](const World& w) {
          return json{{"warehouse", w.warehouse_code}, {"sku", w.sku}, {"quantity", "1"}, {"unit_cost", "2.00"}};
        }}},
      {"POST /api/v1/orders",
       {nullptr,
        [](const World& w) {
          return json{{"customer_id", w.customer_id}, {"lines", json::array({{{"sku", w.sku}, {"quantity", "1"}}})}};
        }}},
      {"POST /api/v1/orders/quote",
       {nullptr,
        [](const World& w) {
          return json{{"customer_id", w.customer_id}, {"lines", json::array({{{"sku", w.sku}, {"quantity", "1"}}})}};
        }}},
      {"GET /api/v1/orders/{id}", {[](const World& w) { return "/api/v1/orders/" + w.order_id; }, nullptr}},
      {"GET /api/v1/orders/{id}/pick-list",
       {[](const World& w) { return "/api/v1/orders/" + w.order_id + "/pick-list"; }, nullptr}},
      {"POST /api/v1/orders/{id}/approve",
       {[](const World& w) { return "/api/v1/orders/" + w.held_order_to_approve + "/approve"; },
        [](const World&) { return json{{"reason", "authz approve"}}; }}},
      {"POST /api/v1/orders/{id}/reject",
       {[](const World& w) { return "/api/v1/orders/" + w.held_order_to_reject + "/reject"; },
        [](const World&) { return json{{"reason", "authz reject"}}; }}},
      {"POST /api/v1/orders/{id}/cancel",
       {[](const World& w) { return "/api/v1/orders/" + w.order_to_cancel + "/cancel"; },
        [](const World&) { return json{{"reason", "authz cancel"}}; }}},
      {"POST /api/v1/customers/{id}/credit-status",
       {[](const World& w) { return "/api/v1/customers/" + w.customer_id + "/credit-status"; },
        [](const World&) { return json{{"blocked", false}, {"reason", "authz: already unblocked, a no-op"}}; }}},
      {"POST /api/v1/shipments", {nullptr, [](const World& w) { return json{{"order_id", w.order_to_ship}}; }}},
      {"GET /api/v1/shipments/{id}",
       {[](const World& w) { return "/api/v1/shipments/" + w.shipment_to_deliver; }, nullptr}},
      {"GET /api/v1/shipments/{id}/pick-list",
       {[](const World& w) { return "/api/v1/shipments/" + w.shipment_to_deliver + "/pick-list"; }, nullptr}},
      {"POST /api/v1/shipments/{id}/deliver",
       {[](const World& w) { return "/api/v1/shipments/" + w.shipment_to_deliver + "/deliver"; },
        [](const World&) { return json::object(); }}},
      {"GET /api/v1/invoices/{id}", {[](const World& w) { return "/api/v1/invoices/" + w.invoice_id; }, nullptr}},
      {"POST /api/v1/invoices/{id}/credit-notes",
       {[](const World& w) { return "/api/v1/invoices/" + w.invoice_id + "/credit-notes"; },
        [](const World& w) {
          return json{{"reason", "authz"}, {"lines", json::array({{{"sku", w.sku}, {"quantity", "0.01"}}})}};
        }}},
      {"GET /api/v1/invoices/{id}.pdf", {[](const World& w) { return "/api/v1/invoices/" + w.invoice_id + ".pdf"; }, nullptr}},
      {"GET /api/v1/invoices/{id}.xml", {[](const World& w) { return "/api/v1/invoices/" + w.invoice_id + ".xml"; }, nullptr}},
      {"GET /api/v1/credit-notes/{id}.xml",
       {[](const World& w) { return "/api/v1/credit-notes/" + w.credit_note_id + ".xml"; }, nullptr}},
      {"GET /api/v1/credit-notes/{id}.pdf",
       {[](const World& w) { return "/api/v1/credit-notes/" + w.credit_note_id + ".pdf"; }, nullptr}},
      {"GET /api/v1/credit-notes/{id}",
       {[](const World& w) { return "/api/v1/credit-notes/" + w.credit_note_id; }, nullptr}},
      {"POST /api/v1/billing/run", {nullptr, [](const World&) { return json{{"as_of", "2026-01-15"}}; }}},
      {"POST /api/v1/fx-rates",
       {nullptr,
        [](const World&) {
          static std::atomic<int> day{0};
          return json{{"currency", "USD"}, {"date", Date::from_days(20000 + day++).to_string()}, {"rate", "0.9215"}};
        }}},
      {"POST /api/v1/payment-terms",
       {nullptr,
        [](const World&) {
          return json{{"code", "AZ" + unique_suffix()}, {"description", "Authz terms"}, {"net_days", 45},
                      {"discount_days", 15}, {"discount_percent", "3"}};
        }}},
      {"POST /api/v1/payments",
       {nullptr,
        [](const World& w) {
          return json{{"customer_id", w.customer_id}, {"amount", "0.01"},     {"currency", "EUR"},
                      {"method", "bank_transfer"},    {"received_on", "2026-01-20"}};
        }}},
      {"GET /api/v1/payments/{id}", {[](const World& w) { return "/api/v1/payments/" + w.payment_id; }, nullptr}},
      {"POST /api/v1/payments/{id}/refund",
       {[](const World& w) { return "/api/v1/payments/" + w.payment_id + "/refund"; },
        [](const World&) { return json{{"amount", "0.01"}, {"reason", "authz"}}; }}},
      {"POST /api/v1/payments/{id}/reverse",
       {[](const World& w) {
          static std::atomic<size_t> next{0};
          return "/api/v1/payments/" + w.payments_to_reverse[next++ % w.payments_to_reverse.size()] + "/reverse";
        },
        [](const World&) { return json{{"reason", "authz: bounced"}}; }}},
      {"POST /api/v1/invoices/{id}/disputes",
       {[](const World& w) {
          static std::atomic<size_t> next{0};
          return "/api/v1/invoices/" + w.invoices_to_dispute[next++ % w.invoices_to_dispute.size()] + "/disputes";
        },
        [](const World&) { return json{{"reason", "authz: damaged"}}; }}},
      {"POST /api/v1/disputes/{id}/resolve",
       {[](const World& w) {
          static std::atomic<size_t> next{0};
          return "/api/v1/disputes/" + w.disputes_to_resolve[next++ % w.disputes_to_resolve.size()] + "/resolve";
        },
        [](const World&) { return json{{"outcome", "rejected"}, {"resolution", "authz"}}; }}},
      {"GET /api/v1/disputes/{id}",
       {[](const World& w) { return "/api/v1/disputes/" + w.disputes_to_resolve.front(); }, nullptr}},
      {"POST /api/v1/invoices/{id}/checkout",
       {[](const World& w) { return "/api/v1/invoices/" + w.invoices_to_dispute.back() + "/checkout"; },
        [](const World&) { return json::object(); }}},
      {"GET /api/v1/checkouts/{id}",
       {[](const World& w) { return "/api/v1/checkouts/" + w.checkouts_to_complete.front(); }, nullptr}},
      {"POST /api/v1/checkouts/{id}/complete",
       {[](const World& w) {
          static std::atomic<size_t> next{0};
          return "/api/v1/checkouts/" + w.checkouts_to_complete[next++ % w.checkouts_to_complete.size()] + "/complete";
        },
        nullptr}},
      {"POST /api/v1/invoices/{id}/promise-to-pay",
       {[](const World& w) { return "/api/v1/invoices/" + w.invoices_to_dispute.back() + "/promise-to-pay"; },
        [](const World&) { return json{{"promised_on", "2099-01-01"}}; }}},
      {"POST /api/v1/dunning-policies",
       {nullptr,
        [](const World&) {
          static std::atomic<int> n{0};
          return json{{"code", "AZ" + std::to_string(++n)},
                      {"name", "Authz policy"},
                      {"levels", json::array({{{"days_after_due", 3}, {"message", "Please pay."}}})}};
        }}},
      {"GET /api/v1/dunning/notices/{id}.pdf",
       {[](const World& w) { return "/api/v1/dunning/notices/" + w.notice_id + ".pdf"; }, nullptr}},
      {"GET /api/v1/customers/{id}/statement",
       {[](const World& w) { return "/api/v1/customers/" + w.customer_id + "/statement"; }, nullptr}},
      {"POST /api/v1/customers/{id}/statement/send",
       {[](const World& w) { return "/api/v1/customers/" + w.customer_id + "/statement/send"; },
        [](const World&) { return json::object(); }}},
      {"POST /api/v1/dunning/run", {nullptr, [](const World&) { return json{{"as_of", "2026-01-15"}}; }}},
      {"POST /api/v1/customers/{id}/apply-credit",
       {[](const World& w) { return "/api/v1/customers/" + w.customer_id + "/apply-credit"; },
        [](const World&) { return json{{"amount", "0.01"}}; }}},
      {"POST /api/v1/users",
       {nullptr, [](const World&) { return json{{"name", "authz-user-" + unique_suffix()}, {"role", "viewer"}}; }}},
      {"POST /api/v1/webhooks/stripe",
       {nullptr,
        [](const World& w) {
          return json{{"id", "evt_authz_" + unique_suffix()},
                      {"object", "event"},
                      {"created", 1768910400},
                      {"type", "payment_intent.succeeded"},
                      {"data",
                       {{"object",
                         {{"id", "pi_authz"},
                          {"amount_received", 1},
                          {"currency", "eur"},
                          {"metadata", {{"invoice_id", w.invoice_id}}}}}}}};
        }}},
      {"POST /api/v1/bank-statements",
       {nullptr,
        [](const World&) {
          // A new statement on every call: one booked credit nobody can place.
          const std::string id = "AZ" + unique_suffix();
          return json(":20:" + id + "\r\n:25:DE89370400440532013000\r\n:28C:1/1\r\n:60F:C260110EUR0,00\r\n"
                      ":61:2601100110C0,01NTRF" + id + "//" + id + "\r\n:86:authz " + id +
                      "\r\n:62F:C260110EUR0,01\r\n-\r\n");
        },
        "text/plain"}},
      {"POST /api/v1/reconciliation/run", {nullptr, [](const World&) { return json::object(); }}},
      {"GET /api/v1/bank-lines/{id}", {[](const World& w) { return "/api/v1/bank-lines/" + w.bank_line_id; }, nullptr}},
      // Posted to fees by one allowed role, then unmatched by the next: the
      // match and unmatch examples alternate on the same lines.
      {"POST /api/v1/bank-lines/{id}/match",
       {[](const World& w) {
          static std::atomic<size_t> next{0};
          return "/api/v1/bank-lines/" + w.bank_lines_to_match[next++ % w.bank_lines_to_match.size()] + "/match";
        },
        [](const World&) { return json{{"account", "fees"}}; }}},
      {"POST /api/v1/bank-lines/{id}/unmatch",
       {[](const World& w) {
          static std::atomic<size_t> next{0};
          return "/api/v1/bank-lines/" + w.bank_lines_to_unmatch[next++ % w.bank_lines_to_unmatch.size()] + "/unmatch";
        },
        [](const World&) { return json::object(); }}},
      {"POST /api/v1/bank-posting-rules",
       {nullptr,
        [](const World&) {
          return json{{"name", "Authz rule " + unique_suffix()}, {"text_contains", "authz-never-" + unique_suffix()},
                      {"direction", "out"}, {"account", "fees"}};
        }}},
      {"POST /api/v1/bank-csv-profiles",
       {nullptr,
        [](const World&) {
          return json{{"name", "Authz bank " + unique_suffix()}, {"booking_date", "Date"}, {"amount", "Amount"},
                      {"default_currency", "EUR"}, {"account", "DE89370400440532013000"}};
        }}},
      // Port 9 (discard) on loopback: nothing listens, deliveries fail and are
      // retried in the background without reaching anything.
      {"POST /api/v1/webhook-endpoints",
       {nullptr,
        [](const World&) {
          return json{{"url", "http://127.0.0.1:9/authz-" + unique_suffix()}, {"events", json::array({"invoice.paid"})}};
        }}},
  };
  return table;
}

struct Operation {
  std::string method;  // upper case
  std::string path;    // the template, as in the document
  json op;
  std::string key() const { return method + " " + path; }
  bool is_public() const { return op["security"].empty(); }
  bool allows(const std::string& role) const {
    for (const auto& r : op["x-roles"]) {
      if (r == role) return true;
    }
    return false;
  }
  bool needs_example() const {
    if (method != "GET" || op.contains("requestBody") || path.find('{') != std::string::npos) return true;
    for (const auto& p : op.value("parameters", json::array())) {
      if (p.value("in", "") == "query" && p.value("required", false)) return true;
    }
    return false;
  }
  std::set<int> success_statuses() const {
    std::set<int> out;
    for (const auto& [code, _] : op["responses"].items()) {
      if (code.size() == 3 && code[0] == '2') out.insert(std::stoi(code));
    }
    return out;
  }
};

class AuthzMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // With the test payment provider, so that the checkout routes can succeed
    // for the roles allowed (it makes the webhook secret of its own).
    server_ = new ServerProcess({"--test-payments"});
    world_ = new World();
    const std::string& admin = server_->admin_token();

    json portal_customer = valid_customer("Authz Portal Customer");
    // What an e-invoice between German parties needs of the buyer.
    portal_customer["address"] = "Kundenweg 5\n80331 München";
    portal_customer["vat_id"] = "DE123456789";
    auto customer = server_->post("/api/v1/customers", admin, portal_customer);
    ASSERT_EQ(customer.status, 201) << customer.raw;
    world_->customer_id = customer.body["id"];
    world_->sku = "AZ-BASE-" + unique_suffix();
    auto product = server_->post("/api/v1/products", admin,
                                 {{"sku", world_->sku}, {"name", "Base"}, {"unit_price", "5.00"},
                                  {"currency", "EUR"}, {"tax_rate", "19"}, {"tax_category", "S"}});
    ASSERT_EQ(product.status, 201) << product.raw;
    world_->product_id = product.body["id"];
    world_->warehouse_code = "WZBASE" + unique_suffix();
    auto wh = server_->post("/api/v1/warehouses", admin, {{"code", world_->warehouse_code}, {"name", "Base"}});
    ASSERT_EQ(wh.status, 201) << wh.raw;
    // GET /company answers 404 until a profile exists; the matrix wants a
    // 2xx from every allowed role, so the profile is set up front.
    auto company = server_->put("/api/v1/company", admin, examples().at("PUT /api/v1/company").body(*world_));
    ASSERT_EQ(company.status, 200) << company.raw;

    for (const auto& role : kRoles) {
      world_->tokens[role] = server_->add_user("authz-" + role, role, role == "portal" ? world_->customer_id : "");
    }

    // Orders the order routes act on: held ones belong to a customer without credit.
    json no_credit = valid_customer("Authz No Credit");
    no_credit["credit_limit"] = "0.00";
    auto held_customer = server_->post("/api/v1/customers", admin, no_credit);
    ASSERT_EQ(held_customer.status, 201) << held_customer.raw;
    world_->other_customer_id = held_customer.body["id"];
    auto place = [&](const std::string& customer, const char* expected_status) -> std::string {
      auto o = server_->post("/api/v1/orders", world_->tokens.at("sales"),
                             {{"customer_id", customer}, {"lines", json::array({{{"sku", world_->sku}, {"quantity", "1"}}})}});
      EXPECT_EQ(o.status, 201) << o.raw;
      EXPECT_EQ(o.body.value("status", ""), expected_status) << o.raw;
      return o.body.value("id", "");
    };
    auto stocked = server_->post("/api/v1/stock/receipts", world_->tokens.at("warehouse"),
                                 {{"warehouse", world_->warehouse_code}, {"sku", world_->sku}, {"quantity", "10"},
                                  {"unit_cost", "2.00"}, {"bin", "Z-9"}});
    ASSERT_EQ(stocked.status, 201) << stocked.raw;
    world_->order_id = place(world_->customer_id, "open");
    world_->order_to_ship = place(world_->customer_id, "open");
    auto shipped = server_->post("/api/v1/shipments", world_->tokens.at("warehouse"),
                                 {{"order_id", place(world_->customer_id, "open")}});
    ASSERT_EQ(shipped.status, 201) << shipped.raw;
    world_->shipment_to_deliver = shipped.body["id"];
    world_->invoice_id = shipped.body.value("invoice_id", "");
    ASSERT_FALSE(world_->invoice_id.empty()) << shipped.raw;
    auto cn = server_->post("/api/v1/invoices/" + world_->invoice_id + "/credit-notes", world_->tokens.at("accountant"),
                            {{"reason", "authz set-up"}, {"lines", json::array({{{"sku", world_->sku}, {"quantity", "0.1"}}})}});
    ASSERT_EQ(cn.status, 201) << cn.raw;
    world_->credit_note_id = cn.body["id"];
    // A payment that leaves most of itself as customer credit, for apply-credit to use.
    auto pay = server_->post("/api/v1/payments", world_->tokens.at("accountant"),
                             {{"customer_id", world_->customer_id},
                              {"amount", "20.00"},
                              {"currency", "EUR"},
                              {"method", "bank_transfer"},
                              {"received_on", "2026-01-20"},
                              {"allocations", json::array({{{"invoice_id", world_->invoice_id}, {"amount", "0.01"}}})}});
    ASSERT_EQ(pay.status, 201) << pay.raw;
    world_->payment_id = pay.body["id"];
    // Invoices to dispute (the portal user's own customer's) and disputes to resolve.
    ASSERT_EQ(server_->post("/api/v1/stock/receipts", world_->tokens.at("warehouse"),
                            {{"warehouse", world_->warehouse_code}, {"sku", world_->sku}, {"quantity", "40"},
                             {"unit_cost", "2.00"}})
                  .status,
              201);
    for (int i = 0; i < 24; ++i) {
      auto s = server_->post("/api/v1/shipments", world_->tokens.at("warehouse"),
                             {{"order_id", place(world_->customer_id, "open")}});
      ASSERT_EQ(s.status, 201) << s.raw;
      const std::string inv = s.body.value("invoice_id", "");
      if (i < 12) {
        world_->invoices_to_dispute.push_back(inv);
        continue;
      }
      auto d = server_->post("/api/v1/invoices/" + inv + "/disputes", world_->tokens.at("accountant"),
                             {{"reason", "authz set-up"}});
      ASSERT_EQ(d.status, 201) << d.raw;
      world_->disputes_to_resolve.push_back(d.body["id"]);
    }
    // Checkouts to complete, each on a fresh invoice paid by nothing else.
    for (int i = 0; i < 6; ++i) {
      auto s = server_->post("/api/v1/shipments", world_->tokens.at("warehouse"),
                             {{"order_id", place(world_->customer_id, "open")}});
      ASSERT_EQ(s.status, 201) << s.raw;
      auto c = server_->post("/api/v1/invoices/" + s.body.value("invoice_id", "") + "/checkout",
                             world_->tokens.at("accountant"), json::object());
      ASSERT_EQ(c.status, 201) << c.raw;
      world_->checkouts_to_complete.push_back(c.body["id"]);
    }
    // Far in the future every open invoice is overdue: a first reminder to print.
    auto dunned = server_->post("/api/v1/dunning/run", world_->tokens.at("accountant"), {{"as_of", "2099-01-01"}});
    ASSERT_EQ(dunned.status, 200) << dunned.raw;
    ASSERT_FALSE(dunned.body["notices"].empty()) << dunned.raw;
    world_->notice_id = dunned.body["notices"][0]["id"];
    for (int i = 0; i < 16; ++i) {
      auto small = server_->post(
          "/api/v1/payments", world_->tokens.at("accountant"),
          {{"customer_id", world_->customer_id}, {"amount", "0.01"}, {"currency", "EUR"}, {"method", "direct_debit"},
           {"received_on", "2026-01-21"},
           {"allocations", json::array({{{"invoice_id", world_->invoice_id}, {"amount", "0.01"}}})}});
      ASSERT_EQ(small.status, 201) << small.raw;
      world_->payments_to_reverse.push_back(small.body["id"]);
    }
    // Bank lines of one cent nobody can place: half to match by hand, half
    // matched (to fees) already, to unmatch.
    std::string mt = ":20:AZSETUP\r\n:25:DE89370400440532013000\r\n:28C:1/1\r\n:60F:C260109EUR0,00\r\n";
    for (int i = 0; i < 16; ++i) {
      mt += ":61:2601090109C0,01NTRFAZ" + std::to_string(i) + "//AZSETUP" + std::to_string(i) + "\r\n:86:authz set-up " +
            std::to_string(i) + "\r\n";
    }
    mt += ":62F:C260109EUR0,16\r\n-\r\n";
    auto stmt = server_->upload("/api/v1/bank-statements", world_->tokens.at("accountant"), mt, "text/plain");
    ASSERT_EQ(stmt.status, 201) << stmt.raw;
    auto bank_lines = list_all(*server_, "/api/v1/bank-lines?statement_id=" + stmt.body["statements"][0]["id"].get<std::string>(),
                               world_->tokens.at("accountant"));
    ASSERT_EQ(bank_lines.size(), 16u);
    world_->bank_line_id = bank_lines[0]["id"];
    for (size_t i = 0; i < bank_lines.size(); ++i) {
      const std::string id = bank_lines[i]["id"];
      if (i % 2 == 0) {
        world_->bank_lines_to_match.push_back(id);
        continue;
      }
      auto m = server_->post("/api/v1/bank-lines/" + id + "/match", world_->tokens.at("accountant"), {{"account", "fees"}});
      ASSERT_EQ(m.status, 200) << m.raw;
      world_->bank_lines_to_unmatch.push_back(id);
    }
    world_->order_to_cancel = place(world_->customer_id, "open");
    world_->held_order_to_approve = place(held_customer.body["id"], "credit_hold");
    world_->held_order_to_reject = place(held_customer.body["id"], "credit_hold");
    ASSERT_FALSE(world_->order_id.empty() || world_->order_to_cancel.empty() ||
                 world_->held_order_to_approve.empty() || world_->held_order_to_reject.empty());

    auto doc = server_->get("/api/v1/openapi.json", "");
    ASSERT_EQ(doc.status, 200) << doc.raw;
    ASSERT_TRUE(doc.body.is_object() && doc.body["paths"].is_object()) << doc.raw;
    ops_ = new std::vector<Operation>();
    for (const auto& [path, methods] : doc.body["paths"].items()) {
      for (const auto& [method, op] : methods.items()) {
        std::string m = method;
        std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        ops_->push_back({m, path, op});
      }
    }
  }

  static void TearDownTestSuite() {
    delete ops_;
    delete world_;
    delete server_;
    ops_ = nullptr;
    world_ = nullptr;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(ops_, nullptr) << "suite set-up failed";
  }
  void TearDown() override { expect_verify_ok(*server_); }

  // One call of op: the example's path and a fresh example body.
  static Response call(const Operation& o, const std::string& token, const httplib::Headers& headers = {}) {
    auto it = examples().find(o.key());
    std::string path = o.path;
    json body = nullptr;
    httplib::Headers h = headers;
    if (it != examples().end()) {
      if (it->second.path) path = it->second.path(*world_);
      if (it->second.body) body = it->second.body(*world_);
      if (!it->second.content_type.empty()) h.emplace("Content-Type", it->second.content_type);
    }
    return server_->request(o.method, path, token, body, h);
  }

  static ServerProcess* server_;
  static World* world_;
  static std::vector<Operation>* ops_;
};

ServerProcess* AuthzMatrix::server_ = nullptr;
World* AuthzMatrix::world_ = nullptr;
std::vector<Operation>* AuthzMatrix::ops_ = nullptr;

TEST_F(AuthzMatrix, DocumentDeclaresRolesForEveryOperation) {
  ASSERT_FALSE(ops_->empty());
  std::set<std::string> public_seen;
  for (const auto& o : *ops_) {
    SCOPED_TRACE(o.key());
    ASSERT_TRUE(o.op.contains("x-roles") && o.op["x-roles"].is_array());
    ASSERT_TRUE(o.op.contains("security") && o.op["security"].is_array());
    for (const auto& r : o.op["x-roles"]) {
      EXPECT_TRUE(r.is_string() && std::find(kRoles.begin(), kRoles.end(), r.get<std::string>()) != kRoles.end())
          << "unknown role " << r;
    }
    if (o.is_public()) {
      public_seen.insert(o.path);
      EXPECT_TRUE(o.op["x-roles"].empty()) << "a public route lists roles";
      EXPECT_TRUE(kPublicPaths.count(o.path)) << "a public route nobody expected; is it meant to be?";
    } else {
      EXPECT_FALSE(o.op["x-roles"].empty()) << "an authenticated route nobody may call";
    }
    EXPECT_FALSE(o.success_statuses().empty()) << "no 2xx response documented";
  }
  EXPECT_EQ(public_seen, kPublicPaths);
}

TEST_F(AuthzMatrix, EveryOperationHasAnExample) {
  std::set<std::string> in_doc;
  for (const auto& o : *ops_) {
    in_doc.insert(o.key());
    if (o.needs_example()) {
      EXPECT_TRUE(examples().count(o.key()))
          << o.key() << " has a body, a placeholder or a required query parameter but no entry in examples() "
          << "of authz_matrix_test.cpp: add a valid example so that its authorization is tested";
    }
  }
  for (const auto& [key, _] : examples()) {
    EXPECT_TRUE(in_doc.count(key)) << "examples() has " << key << ", which the server does not document";
  }
}

TEST_F(AuthzMatrix, PublicRoutesAnswerWithoutToken) {
  for (const auto& o : *ops_) {
    if (!o.is_public() || kSignedPaths.count(o.path)) continue;
    SCOPED_TRACE(o.key());
    auto r = call(o, "");
    EXPECT_EQ(r.status, 200) << r.raw;
    // A token, even a wrong one, must not turn a public route away.
    auto with_token = call(o, "o2c_not_a_token");
    EXPECT_EQ(with_token.status, 200) << with_token.raw;
  }
}

// This server signs with a secret of its own (made at start-up for the test
// payment provider) that no caller knows: the signed routes refuse every
// unsigned call, whatever token comes with it, and change nothing.
TEST_F(AuthzMatrix, SignedRoutesRefuseUnsignedCallsEvenWithAnAdminToken) {
  json before = state_snapshot(*server_);
  int checked = 0;
  for (const auto& o : *ops_) {
    if (!kSignedPaths.count(o.path)) continue;
    SCOPED_TRACE(o.key());
    for (const std::string& token : {std::string(), world_->tokens.at("admin")}) {
      auto r = call(o, token);
      EXPECT_EQ(r.status, 400) << r.raw;
      EXPECT_EQ(error_code(r), "invalid_signature") << r.raw;
      EXPECT_TRUE(is_error_body(r));
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(kSignedPaths.size()));
  EXPECT_EQ(state_snapshot(*server_), before) << "an unsigned webhook changed something";
}

TEST_F(AuthzMatrix, NoTokenOrWrongTokenIs401AndWritesNothing) {
  json before = state_snapshot(*server_);
  const std::string unknown = "o2c_" + std::string(64, '0');
  for (const auto& o : *ops_) {
    if (o.is_public()) continue;
    SCOPED_TRACE(o.key());
    auto none = call(o, "");
    EXPECT_EQ(none.status, 401) << "no token: " << none.raw;
    EXPECT_TRUE(is_error_body(none));
    auto wrong = call(o, unknown);
    EXPECT_EQ(wrong.status, 401) << "unknown token: " << wrong.raw;
    EXPECT_TRUE(is_error_body(wrong));
    auto garbage = call(o, "not even close");
    EXPECT_EQ(garbage.status, 401) << "garbage token: " << garbage.raw;
    // A real token under another scheme is not a bearer token.
    auto basic = call(o, "", {{"Authorization", "Basic " + world_->tokens.at("admin")}});
    EXPECT_EQ(basic.status, 401) << "Basic scheme: " << basic.raw;
  }
  EXPECT_EQ(state_snapshot(*server_), before) << "a request without a valid token changed something";
}

TEST_F(AuthzMatrix, RolesNotListedAre403AndWriteNothing) {
  json before = state_snapshot(*server_);
  int checked = 0;
  for (const auto& o : *ops_) {
    if (o.is_public()) continue;
    for (const auto& role : kRoles) {
      if (o.allows(role)) continue;
      SCOPED_TRACE(o.key() + " as " + role);
      auto r = call(o, world_->tokens.at(role));
      EXPECT_EQ(r.status, 403) << r.raw;
      EXPECT_EQ(error_code(r), "forbidden") << r.raw;
      EXPECT_TRUE(is_error_body(r));
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
  EXPECT_EQ(state_snapshot(*server_), before) << "a forbidden request changed something";
}

TEST_F(AuthzMatrix, ListedRolesSucceed) {
  int checked = 0;
  for (const auto& o : *ops_) {
    if (o.is_public()) continue;
    auto ok = o.success_statuses();
    for (const auto& role : kRoles) {
      if (!o.allows(role)) continue;
      SCOPED_TRACE(o.key() + " as " + role);
      auto r = call(o, world_->tokens.at(role));
      EXPECT_NE(r.status, 401) << r.raw;
      EXPECT_NE(r.status, 403) << r.raw;
      // A valid request from an allowed role gets the documented success.
      EXPECT_TRUE(ok.count(r.status)) << "status " << r.status << ": " << r.raw;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

// The portal role is the one that reaches the API from outside: pin down
// that it sees nothing of the staff surface, whatever x-roles says, and of
// the customer routes it may call only its own customer's records (another
// customer's answer 404, as if they did not exist).
TEST_F(AuthzMatrix, PortalUserReachesOnlyItsOwnCustomer) {
  const std::string& portal = world_->tokens.at("portal");
  auto me = server_->get("/api/v1/me", portal);
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body["role"], "portal");
  EXPECT_EQ(me.body["customer_id"], world_->customer_id);
  for (const char* path : {"/api/v1/customers", "/api/v1/events", "/api/v1/users", "/api/v1/orders",
                           "/api/v1/payments", "/api/v1/credit-notes"}) {
    auto r = server_->get(path, portal);
    EXPECT_EQ(r.status, 403) << path << ": " << r.raw;
  }
  auto own = server_->get("/api/v1/customers/" + world_->customer_id, portal);
  EXPECT_EQ(own.status, 200) << own.raw;
  const std::string other = world_->other_customer_id;
  for (const std::string& path : {"/api/v1/customers/" + other, "/api/v1/customers/" + other + "/statement",
                                  "/api/v1/invoices?customer_id=" + other, "/api/v1/disputes?customer_id=" + other}) {
    auto r = server_->get(path, portal);
    EXPECT_EQ(r.status, 404) << path << ": " << r.raw;
  }
  for (const char* path : {"/api/v1/invoices", "/api/v1/disputes"}) {
    for (const auto& item : list_all(*server_, path, portal)) EXPECT_EQ(item["customer_id"], world_->customer_id) << path;
  }
}

}  // namespace
}  // namespace o2c::e2e
