// The test payment provider's pure pieces: the Stripe event it builds for a
// paid checkout, the signature it sends (which the webhook's own
// verification must accept unchanged), and how it reads the webhook's answer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/payment_providers.h"
#include "security/stripe_signature.h"

namespace o2c::app {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1790000000;
const std::string kSecret = "whsec_portal_test";

CheckoutCharge charge() {
  CheckoutCharge c;
  c.checkout_id = 7;
  c.reference = "pi_test_0123456789abcdef01234567";
  c.invoice_id = 42;
  c.invoice_number = "INV-2026-000042";
  c.amount_minor = 123456;
  c.currency = "EUR";
  return c;
}

TEST(TestPaymentProvider, EventIsAPaymentIntentSucceededForTheInvoice) {
  const json e = test_payment_event(charge(), kNow);
  EXPECT_EQ(e["type"], "payment_intent.succeeded");
  EXPECT_EQ(e["object"], "event");
  EXPECT_EQ(e["created"], kNow);
  EXPECT_EQ(e["livemode"], false);
  const json& pi = e["data"]["object"];
  EXPECT_EQ(pi["object"], "payment_intent");
  EXPECT_EQ(pi["id"], "pi_test_0123456789abcdef01234567");
  // Stripe's integers in the currency's smallest unit, and its lower-case currency.
  EXPECT_EQ(pi["amount_received"], 123456);
  EXPECT_EQ(pi["amount"], 123456);
  EXPECT_EQ(pi["currency"], "eur");
  EXPECT_EQ(pi["status"], "succeeded");
  EXPECT_EQ(pi["metadata"]["invoice_id"], "42");
  EXPECT_EQ(pi["metadata"]["checkout_id"], "7");
}

TEST(TestPaymentProvider, EventIdIsOnePerPaymentReference) {
  EXPECT_EQ(test_event_id("pi_test_abc"), "evt_test_abc");
  EXPECT_EQ(test_payment_event(charge(), kNow)["id"], "evt_test_0123456789abcdef01234567");
  // A repeated completion is a redelivery of the same event, whenever it is built.
  EXPECT_EQ(test_payment_event(charge(), kNow)["id"], test_payment_event(charge(), kNow + 3600)["id"]);
  auto other = charge();
  other.reference = "pi_test_ffff";
  EXPECT_NE(test_payment_event(other, kNow)["id"], test_payment_event(charge(), kNow)["id"]);
}

TEST(TestPaymentProvider, SignatureIsAcceptedByTheWebhooksVerification) {
  const std::string body = test_payment_event(charge(), kNow).dump();
  const std::string header = security::stripe_signature_header(kSecret, kNow, body);
  EXPECT_EQ(header.rfind("t=1790000000,v1=", 0), 0u) << header;
  EXPECT_TRUE(security::verify_stripe_signature(header, body, kSecret, kNow + 10).ok());
  // Another secret, or one byte of the body changed: refused.
  auto wrong_secret = security::verify_stripe_signature(header, body, "whsec_other", kNow);
  ASSERT_FALSE(wrong_secret.ok());
  EXPECT_EQ(wrong_secret.error().code, "invalid_signature");
  std::string tampered = body;
  tampered.replace(tampered.find("123456"), 6, "999999");
  EXPECT_FALSE(security::verify_stripe_signature(header, tampered, kSecret, kNow).ok());
}

TEST(TestPaymentProvider, CompleteSignsAndPostsTheEventAndReadsTheAnswer) {
  std::vector<std::pair<std::string, std::string>> posted;
  TestProviderSettings s;
  s.webhook_secret = kSecret;
  s.unix_now = [] { return kNow; };
  s.created_unix = [] { return kNow - 7200; };
  s.post = [&](const std::string& body, const std::string& signature) -> Result<WebhookResponse> {
    posted.emplace_back(body, signature);
    return WebhookResponse{200, R"({"received":true,"duplicate":false,"event_id":"evt_test_0123456789abcdef01234567",)"
                                R"("type":"payment_intent.succeeded","outcome":"processed: payment 9"})"};
  };
  auto provider = make_test_provider(s);
  EXPECT_EQ(provider->name(), "test");
  auto notice = provider->complete(charge());
  ASSERT_TRUE(notice.ok()) << notice.error().message;
  EXPECT_EQ(notice->outcome, "processed: payment 9");
  EXPECT_FALSE(notice->duplicate);
  ASSERT_EQ(posted.size(), 1u);
  EXPECT_TRUE(security::verify_stripe_signature(posted[0].second, posted[0].first, kSecret, kNow).ok());
  EXPECT_EQ(json::parse(posted[0].first)["created"], kNow - 7200);
}

TEST(TestPaymentProvider, StartGivesAFreshReferenceEachTime) {
  TestProviderSettings s;
  s.webhook_secret = kSecret;
  auto provider = make_test_provider(s);
  auto a = provider->start(charge());
  auto b = provider->start(charge());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rfind("pi_test_", 0), 0u);
  EXPECT_EQ(a->size(), std::string("pi_test_").size() + 24);
  EXPECT_NE(*a, *b);
}

TEST(TestPaymentProvider, AWebhookRefusalIsAClearErrorAndNoNotice) {
  auto refused = read_webhook_response({400, R"({"error":{"code":"invalid_signature","message":"no v1 matches"}})"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "provider_delivery_failed");
  EXPECT_NE(refused.error().message.find("no v1 matches"), std::string::npos);
  EXPECT_FALSE(read_webhook_response({200, "not json"}).ok());
  auto dup = read_webhook_response({200, R"({"event_id":"evt_x","duplicate":true,"outcome":"processed: payment 3"})"});
  ASSERT_TRUE(dup.ok());
  EXPECT_TRUE(dup->duplicate);
}

}  // namespace
}  // namespace o2c::app
