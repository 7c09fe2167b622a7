#pragma once
// Use cases of cash: a payment received from a customer settles open
// invoices (explicitly, or oldest due first), takes an early-payment discount
// when it is due, writes off a short difference within the company's
// tolerance, and leaves the rest as customer credit; customer credit is
// later applied to invoices. Each runs in the caller's unit of work and
// moves invoices, orders, customer credit, the ledger, audit and outbox
// together, then lets held orders of the customer pass if they now do.
#include <optional>
#include <vector>

#include "app/context.h"
#include "core/result.h"
#include "domain/masterdata/rules.h"
#include "domain/payments/payment.h"
#include "store/repos.h"

namespace o2c::app {

struct AllocationDraft {
  masterdata::Text invoice_id;
  masterdata::Text amount;
};

struct PaymentDraft {
  masterdata::Text customer_id, amount, currency, method, reference, received_on;
  std::optional<std::vector<AllocationDraft>> allocations;  // nullopt: oldest due first
};

// received_on defaults to the business date.
// Errors (422 unless noted), each with its field: required (customer_id,
// amount, currency, method), unknown_customer, currency_mismatch
// (currency: must be the customer's), invalid_method, invalid_date, the
// amount parser's codes, fx_rate_missing (a foreign currency without a rate
// on or before received_on), and plan_payment's (payments/allocation.h).
Result<payments::Payment> record_payment(Context& ctx, const PaymentDraft& draft);

struct ApplyCreditDraft {
  std::optional<std::vector<AllocationDraft>> allocations;  // nullopt: oldest due first
  masterdata::Text amount;                                  // at most this much; default all of it
  masterdata::Text as_of;
};
struct CreditApplication {
  CustomerId customer_id;
  std::string currency;
  int64_t applied_minor = 0;
  int64_t credit_left_minor = 0;
  std::vector<payments::AppliedAllocation> allocations;
};
// Applies the customer's unapplied credit to open invoices. Errors: 404
// customer_not_found; 409 no_credit (nothing to apply); 422 exceeds_credit
// (amount or allocations above the credit balance), invalid_date, and
// plan_payment's allocation errors.
Result<CreditApplication> apply_customer_credit(Context& ctx, CustomerId customer, const ApplyCreditDraft& draft);

struct RefundDraft {
  masterdata::Text amount, reason, as_of;
};
// Pays `amount` of a payment back to the customer out of the customer's
// unapplied credit (an overpayment, or what a credit note freed on a paid
// invoice). The bank pays at the rate of the refund date; the credit leaves
// at what the ledger holds for it; the difference is realized FX. Errors:
// 404 payment_not_found; 409 payment_reversed, refund_exceeds_credit (the
// credit is smaller: credit the invoice first, or reverse the payment);
// 422 required / invalid_amount (amount), exceeds_payment (more than the
// payment less earlier refunds), invalid_date, fx_rate_missing.
Result<payments::Payment> refund_payment(Context& ctx, int64_t payment_id, const RefundDraft& draft);

struct ReversalDraft {
  masterdata::Text reason, as_of;
};
// A payment that bounced: everything it did is undone. Its allocations stop
// counting and the invoices reopen (a paid order goes back to invoiced), the
// credit it left is taken back, and the ledger gets the exact reverse of its
// entry. Errors: 404 payment_not_found; 409 already_reversed,
// payment_refunded (money already went back), credit_already_applied (its
// credit was used on other invoices: undo that first); 422 required (reason),
// invalid_date.
Result<payments::Payment> reverse_payment(Context& ctx, int64_t payment_id, const ReversalDraft& draft);

// 404 payment_not_found.
Result<payments::Payment> get_payment(store::UnitOfWork& uow, int64_t id);
std::vector<payments::Payment> list_payments(store::UnitOfWork& uow, std::optional<CustomerId> customer,
                                             const store::PageRequest& page);

}  // namespace o2c::app
