#pragma once
// Events from payment providers. A Stripe event whose signature the entry
// point has verified is recorded once per event id (webhook_events), in the
// same unit of work as its effect:
//   payment_intent.succeeded  a card payment of the invoice in
//                             data.object.metadata.invoice_id (the rest of
//                             the amount, if any, becomes customer credit);
//   charge.refunded           the newly refunded part (amount_refunded is a
//                             running total) of the card payment with that
//                             payment intent as reference goes back out of
//                             the customer's credit; a full refund of a
//                             payment whose money sits on invoices reverses it;
//   anything else             recorded as ignored.
// A signed event that cannot apply (unknown invoice, another currency, the
// invoice already settled ...) is recorded as `rejected: <code>` and is not an
// error: a redelivery could not change it (docs/decisions.md, "Stripe webhooks").
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/context.h"
#include "core/result.h"
#include "domain/payments/payment.h"

namespace o2c::app {

inline constexpr const char* kStripeProvider = "stripe";
inline constexpr size_t kWebhookEventIdMax = 255;
inline constexpr size_t kWebhookEventTypeMax = 100;

struct WebhookReceipt {
  std::string event_id;
  std::string type;
  bool duplicate = false;  // recorded by an earlier delivery; nothing changed now
  std::string outcome;     // as stored: processed: payment <id> | ignored[: why] | rejected: <code>
  std::optional<payments::Payment> payment;  // recorded by this delivery
};

// REQUIRES: the event's signature was verified (it is Stripe's).
// Errors: 400 invalid_event (no string id or type, or no plausible `created`:
// nothing to record it under). Errors of record_payment that a later retry
// may clear (e.g. 422 fx_rate_missing) are returned as they are, and nothing
// is recorded, so that the provider's redelivery can still succeed.
// Throws conflict/duplicate when a concurrent delivery of the same event
// recorded it first: the unit of work must be dropped, and the event then
// reads as a duplicate.
Result<WebhookReceipt> receive_stripe_event(Context& ctx, const nlohmann::json& event);

// The stored outcome of an event received before, if any.
std::optional<WebhookReceipt> find_webhook_event(store::UnitOfWork& uow, const std::string& provider,
                                                 const std::string& event_id);

}  // namespace o2c::app
