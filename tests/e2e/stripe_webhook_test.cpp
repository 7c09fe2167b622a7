// POST /webhooks/stripe through HTTP, signed by the official `stripe` npm
// package (webhooks.generateTestHeaderString), not by code of ours: a signed
// payment_intent.succeeded pays its invoice once however often it is
// delivered, also when the deliveries race; a forged, stale or tampered one
// is refused and changes nothing. `o2c verify` closes every test.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "helpers.h"
#include "server_process.h"
#include "shop_suite.h"

namespace o2c::e2e {
namespace {

const std::string kSecret = "whsec_e2e_" + std::to_string(getpid());
const std::string kPath = "/api/v1/webhooks/stripe";

// The signer installed by scripts/install-stripe-signer.sh (a CTest fixture).
std::string signer_dir() {
  const char* env = std::getenv("O2C_STRIPE_SIGNER_DIR");
  return env && *env ? env : O2C_STRIPE_SIGNER_DIR;
}

// The Stripe-Signature header that Stripe's library makes for `payload`;
// `timestamp` 0: the library's own "now". Throws when the signer cannot run:
// a webhook test that cannot sign must fail, not skip.
std::string stripe_header(const std::string& payload, const std::string& secret, int64_t timestamp = 0) {
  const std::string dir = signer_dir();
  if (!std::filesystem::exists(dir + "/node_modules/stripe/package.json")) {
    throw std::runtime_error("the Stripe signer is not installed in " + dir +
                             ": run `bash scripts/install-stripe-signer.sh " + dir + "` (CTest does, needs npm)");
  }
  const std::string input = (std::filesystem::temp_directory_path() /
                             ("o2c_stripe_payload_" + std::to_string(getpid()) + "_" +
                              std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()))))
                                .string();
  {
    std::ofstream f(input, std::ios::binary);
    f << payload;
  }
  std::string cmd = "node '" + dir + "/sign.js' '" + secret + "'";
  if (timestamp != 0) cmd += " " + std::to_string(timestamp);
  cmd += " < '" + input + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + cmd);
  std::string out;
  char buf[512];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  std::filesystem::remove(input);
  if (rc != 0 || out.rfind("t=", 0) != 0) throw std::runtime_error("the Stripe signer failed: " + cmd + " -> " + out);
  return out;
}

int64_t now_unix() { return static_cast<int64_t>(std::time(nullptr)); }

class StripeWebhook : public ShopSuite<StripeWebhook> {
 protected:
  static void SetUpTestSuite() { start({}, {{"O2C_STRIPE_WEBHOOK_SECRET", kSecret}}); }

  // A new customer with one open invoice of 59.50 EUR; returns the invoice.
  static json open_invoice() {
    json c = valid_customer("Stripe Customer " + unique_suffix());
    auto cust = server_->post("/api/v1/customers", admin(), c);
    EXPECT_EQ(cust.status, 201) << cust.raw;
    const std::string sku = "STR-" + unique_suffix();
    auto p = server_->post("/api/v1/products", admin(),
                           {{"sku", sku}, {"name", "Item " + sku}, {"unit_price", "10.00"}, {"currency", "EUR"},
                            {"tax_rate", "19"}, {"tax_category", "S"}});
    EXPECT_EQ(p.status, 201) << p.raw;
    auto s = server_->post("/api/v1/stock/receipts", warehouse_,
                           {{"warehouse", wh_}, {"sku", sku}, {"quantity", "100"}, {"unit_cost", "1.00"}});
    EXPECT_EQ(s.status, 201) << s.raw;
    auto o = server_->post("/api/v1/orders", sales_,
                           {{"customer_id", cust.body["id"]}, {"lines", json::array({{{"sku", sku}, {"quantity", "5"}}})}});
    EXPECT_EQ(o.status, 201) << o.raw;
    auto sh = server_->post("/api/v1/shipments", warehouse_, {{"order_id", o.body["id"]}});
    EXPECT_EQ(sh.status, 201) << sh.raw;
    auto inv = invoice(sh.body.value("invoice_id", ""));
    EXPECT_EQ(inv.value("total", ""), "59.50") << inv;
    return inv;
  }
  static json invoice(const std::string& id) {
    auto r = server_->get("/api/v1/invoices/" + id, accountant_);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }
  static json payments_of(const std::string& customer_id) {
    return list_all(*server_, "/api/v1/payments?customer_id=" + customer_id, accountant_);
  }
  // Stripe's event envelope around a payment intent, as compact JSON text.
  static std::string payment_event(const std::string& event_id, const std::string& intent_id, int64_t amount,
                                   const std::string& invoice_id, const std::string& currency = "eur") {
    json e = {{"id", event_id},
              {"object", "event"},
              {"api_version", "2024-06-20"},
              {"created", now_unix()},
              {"livemode", false},
              {"type", "payment_intent.succeeded"},
              {"data",
               {{"object",
                 {{"id", intent_id},
                  {"object", "payment_intent"},
                  {"amount", amount},
                  {"amount_received", amount},
                  {"currency", currency},
                  {"status", "succeeded"},
                  {"metadata", {{"invoice_id", invoice_id}}}}}}}};
    return e.dump();
  }
  static Response deliver(const std::string& payload, const std::string& header) {
    return server_->post(kPath, "", json(payload), {{"Stripe-Signature", header}});
  }
  static Response deliver_signed(const std::string& payload) { return deliver(payload, stripe_header(payload, kSecret)); }

};

TEST_F(StripeWebhook, SignedPaymentPaysTheInvoiceOnceWhenDeliveredThreeTimes) {
  const json inv = open_invoice();
  const std::string customer = inv["customer_id"];
  const std::string pi = "pi_" + unique_suffix();
  const std::string evt = "evt_" + unique_suffix();
  const std::string payload = payment_event(evt, pi, 5950, inv["id"]);

  auto first = deliver_signed(payload);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["received"], true);
  EXPECT_EQ(first.body["duplicate"], false);
  EXPECT_EQ(first.body["event_id"], evt);
  EXPECT_EQ(first.body["outcome"].get<std::string>().rfind("processed: payment ", 0), 0u) << first.raw;
  EXPECT_EQ(invoice(inv["id"])["status"], "paid");
  EXPECT_EQ(invoice(inv["id"])["open_amount"], "0.00");
  json pays = payments_of(customer);
  ASSERT_EQ(pays.size(), 1u) << pays;
  EXPECT_EQ(pays[0]["reference"], pi);
  EXPECT_EQ(pays[0]["method"], "card");
  EXPECT_EQ(pays[0]["amount"], "59.50");
  EXPECT_EQ(pays[0]["currency"], "EUR");
  EXPECT_EQ(pays[0]["unallocated"], "0.00");
  EXPECT_EQ(first.body["payment"]["id"], pays[0]["id"]);

  // Stripe signs every redelivery anew; the event id is what repeats.
  const json after_first = state_snapshot(*server_);
  for (int i = 2; i <= 3; ++i) {
    SCOPED_TRACE("delivery " + std::to_string(i));
    auto again = deliver_signed(payload);
    ASSERT_EQ(again.status, 200) << again.raw;
    EXPECT_EQ(again.body["duplicate"], true);
    EXPECT_EQ(again.body["outcome"], first.body["outcome"]);
    EXPECT_FALSE(again.body.contains("payment")) << again.raw;
  }
  EXPECT_EQ(payments_of(customer).size(), 1u);
  EXPECT_EQ(state_snapshot(*server_), after_first) << "a redelivered event changed something";
}

TEST_F(StripeWebhook, ConcurrentDeliveriesOfOneEventApplyItOnce) {
  const json inv = open_invoice();
  const std::string payload = payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 5950, inv["id"]);
  const std::string header = stripe_header(payload, kSecret);
  constexpr int kDeliveries = 6;
  std::vector<Response> answers(kDeliveries);
  std::vector<std::thread> threads;
  for (int i = 0; i < kDeliveries; ++i) {
    threads.emplace_back([&, i] { answers[i] = deliver(payload, header); });
  }
  for (auto& t : threads) t.join();
  int applied = 0;
  for (const auto& a : answers) {
    ASSERT_EQ(a.status, 200) << a.raw;
    if (a.body["duplicate"] == false) ++applied;
  }
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(payments_of(inv["customer_id"]).size(), 1u);
  EXPECT_EQ(invoice(inv["id"])["status"], "paid");
}

TEST_F(StripeWebhook, OnePaymentIntentInTwoEventsIsRecordedOnce) {
  const json inv = open_invoice();
  const std::string pi = "pi_" + unique_suffix();
  auto first = deliver_signed(payment_event("evt_" + unique_suffix(), pi, 5950, inv["id"]));
  ASSERT_EQ(first.status, 200) << first.raw;
  const json after_first = state_snapshot(*server_);
  // A resend from Stripe's dashboard: the same intent under a new event id.
  auto resent = deliver_signed(payment_event("evt_" + unique_suffix(), pi, 5950, inv["id"]));
  ASSERT_EQ(resent.status, 200) << resent.raw;
  EXPECT_EQ(resent.body["duplicate"], false);
  EXPECT_EQ(resent.body["outcome"], "rejected: duplicate_payment_intent") << resent.raw;
  EXPECT_EQ(payments_of(inv["customer_id"]).size(), 1u);
  auto c = server_->get("/api/v1/customers/" + inv["customer_id"].get<std::string>(), accountant_);
  EXPECT_EQ(c.body["credit_balance"], "0.00") << c.raw;
  // The rejected event itself is on the audit trail; nothing else moved.
  json snapshot = state_snapshot(*server_);
  for (const char* k : {"invoices", "payments", "ledger", "customers", "orders"}) {
    EXPECT_EQ(snapshot[k], after_first[k]) << "a second event for one payment intent changed " << k;
  }
}

TEST_F(StripeWebhook, OverpaymentPaysTheInvoiceAndLeavesCustomerCredit) {
  const json inv = open_invoice();
  auto r = deliver_signed(payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 7000, inv["id"]));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(invoice(inv["id"])["status"], "paid");
  json pays = payments_of(inv["customer_id"]);
  ASSERT_EQ(pays.size(), 1u);
  EXPECT_EQ(pays[0]["amount"], "70.00");
  EXPECT_EQ(pays[0]["unallocated"], "10.50");
  auto c = server_->get("/api/v1/customers/" + inv["customer_id"].get<std::string>(), accountant_);
  EXPECT_EQ(c.body["credit_balance"], "10.50") << c.raw;
}

TEST_F(StripeWebhook, MoneyForASettledInvoiceIsBookedAsCredit) {
  const json inv = open_invoice();
  ASSERT_EQ(deliver_signed(payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 5950, inv["id"])).status, 200);
  auto twice = deliver_signed(payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 5950, inv["id"]));
  ASSERT_EQ(twice.status, 200) << twice.raw;
  EXPECT_EQ(twice.body["outcome"].get<std::string>().rfind("processed: payment", 0), 0u) << twice.raw;
  auto c = server_->get("/api/v1/customers/" + inv["customer_id"].get<std::string>(), accountant_);
  EXPECT_EQ(c.body["credit_balance"], "59.50") << c.raw;
}

TEST_F(StripeWebhook, PartialPaymentLeavesTheRestOpen) {
  const json inv = open_invoice();
  auto r = deliver_signed(payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 2000, inv["id"]));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(invoice(inv["id"])["status"], "partially_paid");
  EXPECT_EQ(invoice(inv["id"])["open_amount"], "39.50");
}

TEST_F(StripeWebhook, ForgedSignatureIsRefusedAndChangesNothing) {
  const json inv = open_invoice();
  const json before = state_snapshot(*server_);
  const std::string payload = payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 5950, inv["id"]);
  auto forged = deliver(payload, stripe_header(payload, "whsec_not_the_secret"));
  EXPECT_EQ(forged.status, 400) << forged.raw;
  EXPECT_EQ(error_code(forged), "invalid_signature");
  EXPECT_TRUE(is_error_body(forged));
  auto none = server_->post(kPath, "", json(payload));
  EXPECT_EQ(none.status, 400) << none.raw;
  EXPECT_EQ(error_code(none), "invalid_signature");
  // A bearer token is no substitute for the signature.
  auto bearer = server_->post(kPath, admin(), json(payload));
  EXPECT_EQ(bearer.status, 400) << bearer.raw;
  EXPECT_EQ(state_snapshot(*server_), before) << "a forged event changed something";
  EXPECT_EQ(invoice(inv["id"])["status"], "open");
}

TEST_F(StripeWebhook, StaleOrFutureTimestampIsRefusedAndChangesNothing) {
  const json inv = open_invoice();
  const json before = state_snapshot(*server_);
  const std::string payload = payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 5950, inv["id"]);
  auto stale = deliver(payload, stripe_header(payload, kSecret, now_unix() - 600));
  EXPECT_EQ(stale.status, 400) << stale.raw;
  EXPECT_EQ(error_code(stale), "stale_signature");
  EXPECT_TRUE(is_error_body(stale));
  auto future = deliver(payload, stripe_header(payload, kSecret, now_unix() + 600));
  EXPECT_EQ(future.status, 400) << future.raw;
  EXPECT_EQ(error_code(future), "stale_signature");
  EXPECT_EQ(state_snapshot(*server_), before) << "a stale event changed something";
  // Within the five minutes it is fine.
  auto recent = deliver(payload, stripe_header(payload, kSecret, now_unix() - 120));
  EXPECT_EQ(recent.status, 200) << recent.raw;
  EXPECT_EQ(invoice(inv["id"])["status"], "paid");
}

TEST_F(StripeWebhook, TamperedBodyIsRefusedAndChangesNothing) {
  const json inv = open_invoice();
  const json before = state_snapshot(*server_);
  const std::string payload = payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 100, inv["id"]);
  const std::string header = stripe_header(payload, kSecret);
  std::string tampered = payload;
  const auto at = tampered.find("\"amount_received\":100");
  ASSERT_NE(at, std::string::npos);
  tampered.replace(at, 21, "\"amount_received\":5950");
  auto r = deliver(tampered, header);
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(error_code(r), "invalid_signature");
  // Even a change that means the same JSON: the signature is over the bytes.
  auto spaced = deliver(payload + "\n", header);
  EXPECT_EQ(spaced.status, 400) << spaced.raw;
  EXPECT_EQ(state_snapshot(*server_), before) << "a tampered event changed something";
}

TEST_F(StripeWebhook, SignedEventThatCannotApplyIsRecordedAsRejectedOnce) {
  const json inv = open_invoice();
  const json before = state_snapshot(*server_);
  const std::string unknown = payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 5950, "999999999");
  auto r = deliver_signed(unknown);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["outcome"], "rejected: unknown_invoice");
  EXPECT_EQ(r.body["duplicate"], false);
  auto again = deliver_signed(unknown);
  EXPECT_EQ(again.body["duplicate"], true) << again.raw;
  EXPECT_EQ(again.body["outcome"], "rejected: unknown_invoice");

  auto usd = deliver_signed(payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 5950, inv["id"], "usd"));
  ASSERT_EQ(usd.status, 200) << usd.raw;
  EXPECT_EQ(usd.body["outcome"], "rejected: currency_mismatch");

  json no_invoice = json::parse(payment_event("evt_" + unique_suffix(), "pi_" + unique_suffix(), 5950, ""));
  no_invoice["data"]["object"]["metadata"] = json::object();
  auto missing = deliver_signed(no_invoice.dump());
  ASSERT_EQ(missing.status, 200) << missing.raw;
  EXPECT_EQ(missing.body["outcome"], "rejected: missing_invoice_id");

  // Nothing but the audit trail moved: no payment, the invoice still open.
  json after = state_snapshot(*server_);
  EXPECT_EQ(after["payments"], before["payments"]);
  EXPECT_EQ(after["invoices"], before["invoices"]);
  EXPECT_EQ(after["ledger"], before["ledger"]);
  EXPECT_EQ(after["events"].size(), before["events"].size() + 3);
}

// A charge.refunded event around a payment intent; amount_refunded is the running total.
std::string refund_event(const std::string& event_id, const std::string& intent_id, int64_t refunded) {
  json e = {{"id", event_id},
            {"object", "event"},
            {"created", now_unix()},
            {"type", "charge.refunded"},
            {"data",
             {{"object",
               {{"id", "ch_" + unique_suffix()}, {"object", "charge"}, {"payment_intent", intent_id},
                {"amount_refunded", refunded}, {"currency", "eur"}}}}}};
  return e.dump();
}

TEST_F(StripeWebhook, ARefundGoesBackOutOfCreditAndAFullRefundOfAnInvoicePaymentReversesIt) {
  // Overpaid by card: the refund of the excess comes out of the customer's credit.
  const json inv = open_invoice();
  const std::string pi = "pi_" + unique_suffix();
  ASSERT_EQ(deliver_signed(payment_event("evt_" + unique_suffix(), pi, 7000, inv["id"])).status, 200);
  const std::string evt = "evt_" + unique_suffix();
  auto r = deliver_signed(refund_event(evt, pi, 1050));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["outcome"].get<std::string>().rfind("processed: refund of payment", 0), 0u) << r.raw;
  auto c = server_->get("/api/v1/customers/" + inv["customer_id"].get<std::string>(), accountant_);
  EXPECT_EQ(c.body["credit_balance"], "0.00") << c.raw;
  EXPECT_EQ(payments_of(inv["customer_id"])[0]["refunded"], "10.50");
  auto again = deliver_signed(refund_event(evt, pi, 1050));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body["duplicate"], true) << again.raw;
  auto same_total = deliver_signed(refund_event("evt_" + unique_suffix(), pi, 1050));
  EXPECT_EQ(same_total.body["outcome"], "rejected: nothing_new") << same_total.raw;

  // Refunded in full while the money sits on the invoice: the payment is undone.
  const json inv2 = open_invoice();
  const std::string pi2 = "pi_" + unique_suffix();
  ASSERT_EQ(deliver_signed(payment_event("evt_" + unique_suffix(), pi2, 5950, inv2["id"])).status, 200);
  ASSERT_EQ(invoice(inv2["id"])["status"], "paid");
  auto full = deliver_signed(refund_event("evt_" + unique_suffix(), pi2, 5950));
  ASSERT_EQ(full.status, 200) << full.raw;
  EXPECT_EQ(full.body["outcome"].get<std::string>().rfind("processed: reversed payment", 0), 0u) << full.raw;
  EXPECT_EQ(invoice(inv2["id"])["status"], "open");
  EXPECT_EQ(payments_of(inv2["customer_id"])[0]["status"], "reversed");
}

TEST_F(StripeWebhook, UnknownRefundsAndOtherEventsAreAcknowledgedAndChangeNothing) {
  const json before = state_snapshot(*server_);
  auto r = deliver_signed(refund_event("evt_" + unique_suffix(), "pi_unknown_" + unique_suffix(), 100));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["outcome"], "rejected: unknown_payment");
  json other = {{"id", "evt_" + unique_suffix()},
                {"object", "event"},
                {"created", now_unix()},
                {"type", "customer.created"},
                {"data", {{"object", {{"id", "cus_1"}}}}}};
  auto o = deliver_signed(other.dump());
  ASSERT_EQ(o.status, 200) << o.raw;
  EXPECT_EQ(o.body["outcome"], "ignored");
  json after = state_snapshot(*server_);
  EXPECT_EQ(after["payments"], before["payments"]);
  EXPECT_EQ(after["ledger"], before["ledger"]);
}

TEST_F(StripeWebhook, SignedButUnreadableEventIs400) {
  const json before = state_snapshot(*server_);
  auto not_json = deliver_signed("{not json");
  EXPECT_EQ(not_json.status, 400) << not_json.raw;
  EXPECT_TRUE(is_error_body(not_json));
  auto no_id = deliver_signed(json{{"type", "payment_intent.succeeded"}, {"created", now_unix()}}.dump());
  EXPECT_EQ(no_id.status, 400) << no_id.raw;
  EXPECT_EQ(error_code(no_id), "invalid_event");
  EXPECT_EQ(state_snapshot(*server_), before);
}

}  // namespace
}  // namespace o2c::e2e
