#pragma once
// Payment providers: who takes a customer's card payment for an invoice.
// A provider starts a checkout (the provider's own reference for the payment
// to come) and completes it (the customer paid on the provider's page). It
// never records the payment itself: the provider announces it as a Stripe-
// style webhook event, and the webhook records it, once, through the same
// code as every real card payment (app/webhooks.h). So the server learns of
// a payment one way only, whichever provider took it (docs/decisions.md,
// "Payment providers").
//
// The built-in `test` provider (o2c serve --demo or --test-payments) takes
// no money: completing builds the payment_intent.succeeded event Stripe would
// send, signs it with the webhook secret exactly as Stripe does, and posts it
// to this server's own webhook over loopback HTTP.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace o2c::app {

// A checkout as a provider sees it.
struct CheckoutCharge {
  int64_t checkout_id = 0;
  std::string reference;  // the provider's id of the payment, from start()
  int64_t invoice_id = 0;
  std::string invoice_number;
  int64_t amount_minor = 0;
  std::string currency;  // ISO 4217, upper case
};

// What the server's webhook answered to the provider's announcement.
struct ProviderNotice {
  std::string event_id;
  bool duplicate = false;  // the webhook had applied this event before; nothing changed now
  std::string outcome;     // as the webhook recorded it: "processed: payment 12", "rejected: <code>", ...
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  // Stable: stored with every checkout ("test").
  virtual std::string name() const = 0;
  // The provider's reference for a new checkout of `charge` (checkout_id and
  // reference not yet set). Runs inside the unit of work that stores the
  // checkout, so it must not block on the network: a provider that has to
  // call out creates its payment on the checkout page instead.
  virtual Result<std::string> start(const CheckoutCharge& charge) = 0;
  // The customer paid: has the provider announce it to the server's webhook,
  // and answers what the webhook said. Runs outside any unit of work (the
  // webhook needs the writer). Completing the same checkout again sends the
  // same event id, which the webhook applies once.
  virtual Result<ProviderNotice> complete(const CheckoutCharge& charge) = 0;
};

// The providers this server offers, the first being the default.
class PaymentProviders {
 public:
  void add(std::shared_ptr<PaymentProvider> p) { all_.push_back(std::move(p)); }
  bool empty() const { return all_.empty(); }
  // nullptr when none of that name is on.
  PaymentProvider* find(std::string_view name) const;
  PaymentProvider* first() const { return all_.empty() ? nullptr : all_.front().get(); }

 private:
  std::vector<std::shared_ptr<PaymentProvider>> all_;
};

inline constexpr const char* kTestProvider = "test";

// The event id the test provider announces a checkout's payment under: one
// per payment reference ("pi_test_ab12" -> "evt_test_ab12"), so that a
// repeated completion is a redelivery of the same event.
std::string test_event_id(std::string_view reference);

// The payment_intent.succeeded event Stripe would send for `charge`, created
// at `created_unix` (the event's `created`, whose date becomes the payment's
// received_on). Pure.
nlohmann::json test_payment_event(const CheckoutCharge& charge, int64_t created_unix);

// How the test provider reaches the server: posts `body` with the
// Stripe-Signature header to POST /api/v1/webhooks/stripe; answers the
// HTTP status and body (or an error when nothing answered).
struct WebhookResponse {
  int status = 0;
  std::string body;
};
using WebhookPoster = std::function<Result<WebhookResponse>(const std::string& body, const std::string& signature)>;

struct TestProviderSettings {
  std::string webhook_secret;  // the one POST /webhooks/stripe verifies with
  WebhookPoster post;
  // Unix seconds now (the signature's timestamp: the webhook allows 5 minutes
  // either way), and the event's `created` (the business date's instant).
  std::function<int64_t()> unix_now;
  std::function<int64_t()> created_unix;
};

std::shared_ptr<PaymentProvider> make_test_provider(TestProviderSettings settings);

// The webhook's answer read back as a ProviderNotice; a refusal (a status
// other than 200) becomes a 503 provider_delivery_failed with the webhook's
// message. Pure.
Result<ProviderNotice> read_webhook_response(const WebhookResponse& r);

}  // namespace o2c::app
