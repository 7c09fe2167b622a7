#include "app/checkouts.h"

#include "app/audit.h"
#include "core/currency.h"
#include "core/decimal.h"
#include "store/invoices_repo.h"
#include "store/orders_repo.h"
#include "store/payments_repo.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

std::string merchant_name(store::UnitOfWork& uow) {
  auto c = store::company::get(uow);
  return c ? c->name : std::string();
}

bool may_see(const Actor& actor, CustomerId customer) {
  return actor.is_staff() || (actor.customer && *actor.customer == customer);
}

std::string amount_text(int64_t minor, const std::string& currency) {
  auto c = Currency::of(currency);
  return format_scaled(minor, c ? c->exponent() : 2);
}

Error checkout_not_found(int64_t id) {
  return Error::not_found("checkout_not_found", "no checkout '" + std::to_string(id) + "'");
}

}  // namespace

Result<CheckoutView> start_checkout(Context& ctx, PaymentProvider& provider, int64_t invoice_id) {
  auto not_found = Error::not_found("invoice_not_found", "no invoice '" + std::to_string(invoice_id) + "'");
  auto invoice = store::invoices::find(ctx.uow, invoice_id);
  if (!invoice || invoice->kind != billing::DocumentKind::invoice || !may_see(ctx.actor, invoice->customer_id)) {
    return not_found;
  }
  // Ordered after any payment of this customer in flight, so that the open
  // amount read next is the one a payment now would see.
  store::orders::lock_customer(ctx.uow, invoice->customer_id);
  invoice = store::invoices::find(ctx.uow, invoice_id);
  if (invoice->open_minor <= 0) {
    return Error::conflict("invoice_not_open", "invoice " + invoice->number + " is " +
                                                   std::string(billing::to_string(invoice->status)) +
                                                   ": nothing is left to pay");
  }
  CheckoutCharge charge;
  charge.invoice_id = invoice->id;
  charge.invoice_number = invoice->number;
  charge.amount_minor = invoice->open_minor;
  charge.currency = invoice->currency;
  O2C_ASSIGN_OR_RETURN(auto reference, provider.start(charge));

  store::checkouts::NewCheckout n;
  n.invoice_id = invoice->id;
  n.customer_id = invoice->customer_id;
  n.provider = provider.name();
  n.reference = reference;
  n.amount_minor = invoice->open_minor;
  n.currency = invoice->currency;
  if (ctx.actor.id.value() > 0) n.created_by = ctx.actor.id;
  n.created_at = ctx.clock.now_rfc3339();
  const int64_t id = store::checkouts::insert(ctx.uow, n);
  record_event(ctx, "checkout", std::to_string(id), "started",
               {{"invoice_id", std::to_string(invoice->id)},
                {"invoice_number", invoice->number},
                {"provider", n.provider},
                {"reference", reference},
                {"amount", amount_text(n.amount_minor, n.currency)},
                {"currency", n.currency}});
  return CheckoutView{*store::checkouts::find(ctx.uow, id), merchant_name(ctx.uow)};
}

Result<CheckoutView> get_checkout(store::UnitOfWork& uow, const Actor& actor, int64_t id) {
  auto c = store::checkouts::find(uow, id);
  if (!c || !may_see(actor, c->customer_id)) return checkout_not_found(id);
  return CheckoutView{*c, merchant_name(uow)};
}

Result<CheckoutCharge> prepare_completion(store::UnitOfWork& uow, const Actor& actor, int64_t id) {
  auto c = store::checkouts::find(uow, id);
  if (!c || !may_see(actor, c->customer_id)) return checkout_not_found(id);
  if (c->status == "completed") {
    return Error::conflict("checkout_completed",
                           "checkout " + std::to_string(id) + " was paid already (payment " +
                               std::to_string(c->payment_id.value_or(0)) + "); nothing was charged again");
  }
  // A concurrent completion may have been paid through the webhook and not
  // yet marked the checkout: its payment under our reference says so, and the
  // invoice, paid by it, must not read as "settled another way".
  if (auto paid = store::payments::find_by_reference(uow, "card", c->reference)) {
    return Error::conflict("checkout_completed", "checkout " + std::to_string(id) + " was paid already (payment " +
                                                     std::to_string(paid->id) + "); nothing was charged again");
  }
  auto invoice = store::invoices::find(uow, c->invoice_id);
  if (!invoice || invoice->open_minor <= 0) {
    return Error::conflict("invoice_not_open", "invoice " + c->invoice_number +
                                                   " has nothing left to pay; nothing was charged");
  }
  if (invoice->open_minor != c->amount_minor || invoice->currency != c->currency) {
    return Error::conflict("checkout_amount_changed",
                           "invoice " + c->invoice_number + "'s open amount changed since this checkout started; "
                           "start a new checkout (nothing was charged)");
  }
  CheckoutCharge charge;
  charge.checkout_id = c->id;
  charge.reference = c->reference;
  charge.invoice_id = c->invoice_id;
  charge.invoice_number = c->invoice_number;
  charge.amount_minor = c->amount_minor;
  charge.currency = c->currency;
  return charge;
}

Result<CheckoutView> finish_completion(Context& ctx, int64_t id, const ProviderNotice& notice) {
  auto c = store::checkouts::find(ctx.uow, id, /*for_update=*/true);
  if (!c) return checkout_not_found(id);
  if (c->status == "completed") {
    return Error::conflict("checkout_completed", "checkout " + std::to_string(id) + " was paid already (payment " +
                                                     std::to_string(c->payment_id.value_or(0)) +
                                                     "); nothing was charged again");
  }
  // The payment is found by the provider's reference, whatever the outcome
  // text says: the webhook records a card payment under it, once.
  auto payment = store::payments::find_by_reference(ctx.uow, "card", c->reference);
  if (!payment) {
    return Error{ErrorKind::unavailable, "payment_not_recorded",
                 "the payment provider announced the payment, but the webhook did not record it (" + notice.outcome +
                     ")",
                 ""};
  }
  const std::string at = ctx.clock.now_rfc3339();
  if (!store::checkouts::complete(ctx.uow, id, payment->id, at)) {
    return Error::conflict("checkout_completed", "checkout " + std::to_string(id) + " was paid already");
  }
  record_event(ctx, "checkout", std::to_string(id), "completed",
               {{"invoice_id", std::to_string(c->invoice_id)},
                {"payment_id", std::to_string(payment->id)},
                {"event_id", notice.event_id},
                {"webhook_outcome", notice.outcome},
                {"duplicate_delivery", notice.duplicate}});
  return CheckoutView{*store::checkouts::find(ctx.uow, id), merchant_name(ctx.uow)};
}

}  // namespace o2c::app
