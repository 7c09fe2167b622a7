#pragma once
// Card checkouts: a customer (or the accounts team for them) pays an
// invoice's open amount through a payment provider (app/payment_providers.h).
//
//   start_checkout     stores an open checkout for the invoice's open amount;
//   prepare_completion checks that an open checkout may still be paid;
//   the provider       takes the money and announces it to the webhook, which
//                      records the payment (outside any unit of work here);
//   finish_completion  marks the checkout completed by that payment.
//
// A portal user reaches only their own customer's invoices and checkouts:
// another customer's answer 404, as if they did not exist.
#include <optional>
#include <string>

#include "app/context.h"
#include "app/payment_providers.h"
#include "core/result.h"
#include "store/checkouts_repo.h"

namespace o2c::app {

struct CheckoutView {
  store::checkouts::Checkout checkout;
  std::string merchant;  // the company's name, as the checkout page shows it
};

// Errors: 404 invoice_not_found (none, a credit note, or another customer's
// for a portal user); 409 invoice_not_open (paid, credited: nothing open);
// 422 unknown_provider. Audited.
Result<CheckoutView> start_checkout(Context& ctx, PaymentProvider& provider, int64_t invoice_id);

// Errors: 404 checkout_not_found (none, or another customer's for a portal user).
Result<CheckoutView> get_checkout(store::UnitOfWork& uow, const Actor& actor, int64_t id);

// What the provider is asked to charge, once the checkout is known to be
// payable. Errors: 404 checkout_not_found; 409 checkout_completed (paid
// already: nothing is charged twice); 409 invoice_not_open (the invoice was
// settled another way meanwhile); 409 checkout_amount_changed (the open
// amount is no longer the checkout's: start a new one); 422
// provider_unavailable (the checkout's provider is not on in this server).
Result<CheckoutCharge> prepare_completion(store::UnitOfWork& uow, const Actor& actor, int64_t id);

// Marks the checkout completed by the card payment the webhook recorded
// under its reference. Errors: 409 checkout_completed (a concurrent
// completion got there first); 503 payment_not_recorded (the webhook did not
// record a payment: `notice.outcome` says why). Audited.
Result<CheckoutView> finish_completion(Context& ctx, int64_t id, const ProviderNotice& notice);

}  // namespace o2c::app
