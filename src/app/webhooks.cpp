#include "app/webhooks.h"

#include <cctype>
#include <cstdint>
#include <limits>
#include <variant>

#include "app/audit.h"
#include "app/payments.h"
#include "core/currency.h"
#include "core/date.h"
#include "core/decimal.h"
#include "store/invoices_repo.h"
#include "store/orders_repo.h"
#include "store/payments_repo.h"
#include "store/webhooks_repo.h"

namespace o2c::app {
namespace {

using nlohmann::json;

// 9999-12-31T23:59:59Z: the last instant a Date can hold.
constexpr int64_t kUnixSecondsMax = 253402300799;

// A signed event that cannot apply: recorded, never retried.
struct Rejection {
  std::string code;
  std::string message;
};

std::optional<std::string> string_at(const json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<int64_t> integer_at(const json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned()) {
    const auto u = it->get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  return it->get<int64_t>();
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// What a payment_intent.succeeded does: a card payment of its invoice, or why not.
struct PaymentOutcome {
  std::optional<payments::Payment> payment;
  std::optional<Rejection> rejection;
};

Result<PaymentOutcome> apply_payment_intent(Context& ctx, const json& object, int64_t created) {
  auto reject = [](std::string code, std::string message) -> Result<PaymentOutcome> {
    return PaymentOutcome{std::nullopt, Rejection{std::move(code), std::move(message)}};
  };
  const auto intent_id = string_at(object, "id");
  if (!intent_id || intent_id->empty()) return reject("invalid_event", "data.object has no payment intent id");
  const auto invoice_ref = string_at(object.is_object() ? object.value("metadata", json::object()) : json(),
                                     "invoice_id");
  if (!invoice_ref) return reject("missing_invoice_id", "the payment intent has no metadata.invoice_id");
  const auto amount = integer_at(object, "amount_received");
  if (!amount || *amount <= 0) return reject("invalid_amount", "amount_received is not a positive integer");
  const auto currency_code = string_at(object, "currency");
  const auto currency = Currency::of(upper(currency_code.value_or("")));
  if (!currency) return reject("unknown_currency", "'" + currency_code.value_or("") + "' is not a currency");

  auto invoice_id = InvoiceId::parse(*invoice_ref);
  auto invoice = invoice_id ? store::invoices::find(ctx.uow, invoice_id->value()) : std::nullopt;
  if (!invoice || invoice->kind != billing::DocumentKind::invoice) {
    return reject("unknown_invoice", "no invoice '" + *invoice_ref + "'");
  }
  // The customer's lock orders this payment after any other of theirs, so
  // the open amount read next is the one record_payment will see.
  store::orders::lock_customer(ctx.uow, invoice->customer_id);
  invoice = store::invoices::find(ctx.uow, invoice->id);
  // Stripe may announce one payment intent in more than one event (a resend
  // from the dashboard gets a new event id): the money arrived once.
  if (auto earlier = store::payments::find_by_reference(ctx.uow, "card", *intent_id)) {
    return reject("duplicate_payment_intent",
                  "payment intent " + *intent_id + " is recorded already as payment " + std::to_string(earlier->id));
  }
  if (invoice->currency != currency->code()) {
    return reject("currency_mismatch", "invoice " + invoice->number + " is in " + invoice->currency + ", the payment in " +
                                           std::string(currency->code()));
  }

  const int exp = currency->exponent();
  PaymentDraft d;
  d.customer_id = invoice->customer_id.to_string();
  d.amount = format_scaled(*amount, exp);
  d.currency = std::string(currency->code());
  d.method = "card";
  d.reference = *intent_id;
  d.received_on = Date::from_days(static_cast<int32_t>(created / 86400)).to_string();
  // What the invoice does not take becomes customer credit (record_payment).
  // Money for an invoice that is settled already (paid twice, or credited)
  // is still money received: it goes oldest due first, the rest to credit.
  if (invoice->open_minor > 0) {
    d.allocations = std::vector<AllocationDraft>{
        {std::to_string(invoice->id), format_scaled(std::min(*amount, invoice->open_minor), exp)}};
  }
  O2C_ASSIGN_OR_RETURN(auto p, record_payment(ctx, d));
  return PaymentOutcome{std::move(p), std::nullopt};
}

// What a charge.refunded does: the newly refunded part of the card payment
// goes back out of the customer's credit; a full refund of a payment whose
// money sits on invoices undoes the payment (the invoices reopen: the
// customer owes again until a credit note says otherwise).
Result<std::variant<payments::Payment, Rejection>> apply_refund(Context& ctx, const json& object, int64_t created) {
  using Out = std::variant<payments::Payment, Rejection>;
  const auto intent_id = string_at(object, "payment_intent");
  if (!intent_id || intent_id->empty()) return Out{Rejection{"invalid_event", "the charge has no payment_intent"}};
  const auto refunded = integer_at(object, "amount_refunded");
  if (!refunded || *refunded <= 0) return Out{Rejection{"invalid_amount", "amount_refunded is not a positive integer"}};
  auto p = store::payments::find_by_reference(ctx.uow, "card", *intent_id);
  if (!p) return Out{Rejection{"unknown_payment", "no card payment with reference " + *intent_id}};
  const auto currency = Currency::of(upper(string_at(object, "currency").value_or("")));
  if (!currency || currency->code() != p->currency) {
    return Out{Rejection{"currency_mismatch", "the refund is not in the payment's currency " + p->currency}};
  }
  if (p->status == payments::PaymentStatus::reversed) return Out{Rejection{"payment_reversed", "already reversed"}};
  // amount_refunded is the charge's running total: only what is new applies.
  const int64_t delta = *refunded - p->refunded_minor;
  if (delta <= 0) return Out{Rejection{"nothing_new", "no refund beyond what was recorded"}};
  const std::string on = Date::from_days(static_cast<int32_t>(created / 86400)).to_string();
  const auto credit = store::invoices::customer_credit_balance(ctx.uow, p->customer_id);
  if (delta > credit.minor && delta == p->amount_minor && p->refunded_minor == 0) {
    O2C_ASSIGN_OR_RETURN(auto r, reverse_payment(ctx, p->id, {std::string("refunded by the card provider"), on}));
    return Out{std::move(r)};
  }
  auto r = refund_payment(ctx, p->id, {format_scaled(delta, currency->exponent()), std::string("card refund"), on});
  if (!r.ok()) {
    if (r.error().kind == ErrorKind::unavailable || r.error().kind == ErrorKind::internal) return r.take_error();
    return Out{Rejection{r.error().code, r.error().message}};
  }
  return Out{std::move(*r)};
}

}  // namespace

std::optional<WebhookReceipt> find_webhook_event(store::UnitOfWork& uow, const std::string& provider,
                                                 const std::string& event_id) {
  auto e = store::webhooks::find(uow, provider, event_id);
  if (!e) return std::nullopt;
  WebhookReceipt r;
  r.event_id = e->event_id;
  r.type = e->type;
  r.duplicate = true;
  r.outcome = e->outcome;
  return r;
}

Result<WebhookReceipt> receive_stripe_event(Context& ctx, const json& event) {
  auto invalid = [](const std::string& message, const char* field) {
    return Error::malformed("invalid_event", message, field);
  };
  const auto id = string_at(event, "id");
  if (!id || id->empty() || id->size() > kWebhookEventIdMax) {
    return invalid("an event has a string id of 1 to " + std::to_string(kWebhookEventIdMax) + " characters", "id");
  }
  const auto type = string_at(event, "type");
  if (!type || type->empty() || type->size() > kWebhookEventTypeMax) {
    return invalid("an event has a string type of 1 to " + std::to_string(kWebhookEventTypeMax) + " characters",
                   "type");
  }
  const auto created = integer_at(event, "created");
  if (!created || *created < 0 || *created > kUnixSecondsMax) {
    return invalid("an event has its creation time in unix seconds", "created");
  }

  if (auto seen = find_webhook_event(ctx.uow, kStripeProvider, *id)) return *seen;
  // Inserted before the effect: a concurrent delivery of the same event
  // waits on this row (PostgreSQL) and then fails on the primary key
  // instead of applying the effect a second time.
  store::webhooks::insert(ctx.uow, {kStripeProvider, *id, *type, ctx.clock.now_rfc3339(), "received"});

  WebhookReceipt out;
  out.event_id = *id;
  out.type = *type;
  json audit = {{"provider", kStripeProvider}, {"event_id", *id}, {"type", *type}};
  const json object = event.contains("data") && event["data"].is_object() ? event["data"].value("object", json())
                                                                          : json();
  if (*type == "payment_intent.succeeded") {
    O2C_ASSIGN_OR_RETURN(auto applied, apply_payment_intent(ctx, object, *created));
    if (applied.rejection) {
      out.outcome = "rejected: " + applied.rejection->code;
      audit["reason"] = applied.rejection->message;
    } else {
      out.outcome = "processed: payment " + std::to_string(applied.payment->id);
      audit["payment_id"] = std::to_string(applied.payment->id);
      out.payment = std::move(applied.payment);
    }
  } else if (*type == "charge.refunded") {
    O2C_ASSIGN_OR_RETURN(auto applied, apply_refund(ctx, object, *created));
    if (auto* rej = std::get_if<Rejection>(&applied)) {
      out.outcome = "rejected: " + rej->code;
      audit["reason"] = rej->message;
    } else {
      const auto& pay = std::get<payments::Payment>(applied);
      out.outcome = std::string(pay.status == payments::PaymentStatus::reversed ? "processed: reversed payment "
                                                                                 : "processed: refund of payment ") +
                    std::to_string(pay.id);
      audit["payment_id"] = std::to_string(pay.id);
      out.payment = pay;
    }
  } else {
    out.outcome = "ignored";
  }
  audit["outcome"] = out.outcome;
  store::webhooks::set_outcome(ctx.uow, kStripeProvider, *id, out.outcome);
  record_event(ctx, "webhook_event", std::string(kStripeProvider) + ":" + *id, "received", audit);
  return out;
}

}  // namespace o2c::app
