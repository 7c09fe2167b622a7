#include "app/payment_providers.h"

#include <cctype>

#include "security/crypto.h"
#include "security/stripe_signature.h"

namespace o2c::app {
namespace {

using nlohmann::json;

// 96 random bits: references of different checkouts (and of different
// databases sharing a Stripe account's event space) never meet.
constexpr size_t kReferenceBytes = 12;
constexpr std::string_view kIntentPrefix = "pi_test_";

class TestProvider final : public PaymentProvider {
 public:
  explicit TestProvider(TestProviderSettings s) : s_(std::move(s)) {}

  std::string name() const override { return kTestProvider; }

  Result<std::string> start(const CheckoutCharge&) override {
    return std::string(kIntentPrefix) + security::random_hex(kReferenceBytes);
  }

  Result<ProviderNotice> complete(const CheckoutCharge& charge) override {
    // The exact bytes signed are the bytes sent.
    const std::string body = test_payment_event(charge, s_.created_unix()).dump();
    const std::string signature = security::stripe_signature_header(s_.webhook_secret, s_.unix_now(), body);
    O2C_ASSIGN_OR_RETURN(auto response, s_.post(body, signature));
    return read_webhook_response(response);
  }

 private:
  TestProviderSettings s_;
};

}  // namespace

PaymentProvider* PaymentProviders::find(std::string_view name) const {
  for (const auto& p : all_) {
    if (p->name() == name) return p.get();
  }
  return nullptr;
}

std::string test_event_id(std::string_view reference) {
  if (reference.substr(0, kIntentPrefix.size()) == kIntentPrefix) reference.remove_prefix(kIntentPrefix.size());
  return "evt_test_" + std::string(reference);
}

json test_payment_event(const CheckoutCharge& c, int64_t created_unix) {
  std::string currency = c.currency;
  for (auto& ch : currency) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  // Stripe's amounts are integers in the currency's smallest unit, as ours.
  json intent = {{"id", c.reference},
                 {"object", "payment_intent"},
                 {"amount", c.amount_minor},
                 {"amount_received", c.amount_minor},
                 {"currency", currency},
                 {"status", "succeeded"},
                 {"created", created_unix},
                 {"livemode", false},
                 {"description", "Invoice " + c.invoice_number},
                 {"metadata",
                  {{"invoice_id", std::to_string(c.invoice_id)},
                   {"invoice_number", c.invoice_number},
                   {"checkout_id", std::to_string(c.checkout_id)}}}};
  return {{"id", test_event_id(c.reference)},
          {"object", "event"},
          {"api_version", "2024-06-20"},
          {"created", created_unix},
          {"livemode", false},
          {"pending_webhooks", 1},
          {"type", "payment_intent.succeeded"},
          {"data", {{"object", std::move(intent)}}}};
}

Result<ProviderNotice> read_webhook_response(const WebhookResponse& r) {
  const json body = json::parse(r.body, nullptr, false);
  if (r.status != 200) {
    std::string why = "HTTP " + std::to_string(r.status);
    if (body.is_object() && body.contains("error") && body["error"].is_object() &&
        body["error"].value("message", json()).is_string()) {
      why += ": " + body["error"]["message"].get<std::string>();
    }
    return Error{ErrorKind::unavailable, "provider_delivery_failed",
                 "the payment provider's event was refused by the webhook (" + why + "); nothing was paid", ""};
  }
  if (!body.is_object() || !body.value("event_id", json()).is_string() || !body.value("outcome", json()).is_string()) {
    return Error{ErrorKind::unavailable, "provider_delivery_failed",
                 "the webhook's answer to the payment provider's event could not be read", ""};
  }
  ProviderNotice n;
  n.event_id = body["event_id"].get<std::string>();
  n.duplicate = body.value("duplicate", false);
  n.outcome = body["outcome"].get<std::string>();
  return n;
}

std::shared_ptr<PaymentProvider> make_test_provider(TestProviderSettings settings) {
  return std::make_shared<TestProvider>(std::move(settings));
}

}  // namespace o2c::app
