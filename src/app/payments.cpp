#include "app/payments.h"

#include <map>

#include "app/audit.h"
#include "app/collections.h"
#include "app/ledger.h"
#include "app/orders.h"
#include "core/decimal.h"
#include "core/money.h"
#include "domain/billing/invoice.h"
#include "domain/ledger/entry.h"
#include "domain/masterdata/fields.h"
#include "domain/payments/allocation.h"
#include "store/invoices_repo.h"
#include "store/orders_repo.h"
#include "store/ledger_repo.h"
#include "store/payments_repo.h"

namespace o2c::app {
namespace {

using payments::Payment;
using store::payments::OpenInvoice;

Result<Money> amount_in(const masterdata::Text& t, Currency c, const std::string& field) {
  if (!t || masterdata::trim(*t).empty()) return Error::invalid("required", field + " is required", field);
  auto m = Money::parse(masterdata::trim(*t), c);
  if (!m.ok()) {
    Error e = m.take_error();
    e.field = field;
    return e;
  }
  return *m;
}

Result<Date> date_in(const masterdata::Text& t, const char* field, std::optional<Date> fallback) {
  if (!t || masterdata::trim(*t).empty()) {
    if (fallback) return *fallback;
    return Error::invalid("required", std::string(field) + " is required", field);
  }
  auto d = Date::parse(masterdata::trim(*t));
  if (!d.ok()) return Error::invalid("invalid_date", std::string(field) + " must be a date YYYY-MM-DD", field);
  return *d;
}

Result<std::optional<std::vector<payments::RequestedAllocation>>> requested_of(
    const std::optional<std::vector<AllocationDraft>>& drafts, Currency c) {
  std::optional<std::vector<payments::RequestedAllocation>> out;
  if (!drafts) return out;
  out.emplace();
  for (size_t i = 0; i < drafts->size(); ++i) {
    const auto& d = (*drafts)[i];
    const std::string prefix = "allocations[" + std::to_string(i) + "].";
    O2C_ASSIGN_OR_RETURN(auto ref, masterdata::required_text(d.invoice_id, prefix + "invoice_id", masterdata::kCodeMax));
    auto id = InvoiceId::parse(ref);
    if (!id) return Error::invalid("invoice_not_open", "no invoice '" + ref + "'", prefix + "invoice_id");
    O2C_ASSIGN_OR_RETURN(auto amount, amount_in(d.amount, c, prefix + "amount"));
    out->push_back({id->value(), amount.minor()});
  }
  if (out->empty()) return Error::invalid("required", "allocations is empty; omit it to pay oldest due first", "allocations");
  return out;
}

// `minor` of the document currency at `rate_e10`, in the functional currency.
Result<int64_t> functional_of(int64_t minor, int64_t rate_e10, Currency document, Currency functional) {
  if (minor == 0) return int64_t{0};
  O2C_ASSIGN_OR_RETURN(auto m, billing::to_functional(Money(minor, document), rate_e10, functional));
  return m.minor();
}

// A tolerance in the functional currency as document minor units at
// `rate_e10`, rounded down so that it never grows in the conversion.
int64_t tolerance_in(int64_t functional_minor, int64_t rate_e10, Currency document, Currency functional) {
  if (functional_minor <= 0) return 0;
  Int128 num = static_cast<Int128>(functional_minor) * billing::kRateOne;
  Int128 den = rate_e10;
  for (int e = document.exponent(); e > functional.exponent(); --e) num *= 10;
  for (int e = functional.exponent(); e > document.exponent(); --e) den *= 10;
  const Int128 v = num / den;
  return v > INT64_MAX ? INT64_MAX : static_cast<int64_t>(v);
}

// Carries a plan out on the invoices: allocation rows (cash under
// `cash_source`, plus discount and write-off), open amounts and statuses,
// and the entry's postings for them (AR cleared at each invoice's own rate;
// discount to sales discounts with its tax back; write-off). Returns what
// the API shows per invoice; `closed` gets the invoices settled in full.
Result<std::vector<payments::AppliedAllocation>> settle(Context& ctx, const payments::Plan& plan,
                                                         const std::map<int64_t, const OpenInvoice*>& open,
                                                         const std::string& cash_source, const std::string& source_id,
                                                         const std::string& applied_on, Currency document,
                                                         Currency functional, ledger::Entry& e,
                                                         std::vector<int64_t>& closed) {
  std::vector<payments::AppliedAllocation> out;
  const std::string now = ctx.clock.now_rfc3339();
  for (const auto& a : plan.allocations) {
    const OpenInvoice& inv = *open.at(a.invoice_id);
    const int64_t cleared = a.settled_minor();
    const int64_t open_after = inv.item.open_minor - cleared;
    int64_t cleared_f = inv.open_functional_minor;  // clearing it all clears its functional amount exactly
    if (open_after > 0) {
      O2C_ASSIGN_OR_RETURN(auto f, functional_of(cleared, inv.fx_rate_e10, document, functional));
      cleared_f = std::min(f, inv.open_functional_minor);
    }
    O2C_ASSIGN_OR_RETURN(int64_t discount_f, functional_of(a.discount_minor, inv.fx_rate_e10, document, functional));
    O2C_ASSIGN_OR_RETURN(int64_t write_off_f, functional_of(a.write_off_minor, inv.fx_rate_e10, document, functional));
    discount_f = std::min(discount_f, cleared_f);
    write_off_f = std::min(write_off_f, cleared_f - discount_f);
    const int64_t cash_f = cleared_f - discount_f - write_off_f;

    if (a.cash_minor > 0) {
      store::invoices::add_allocation(ctx.uow, a.invoice_id, cash_source, source_id, a.cash_minor, cash_f, applied_on,
                                      now);
    }
    if (a.discount_minor > 0) {
      store::invoices::add_allocation(ctx.uow, a.invoice_id, store::payments::kDiscount, source_id, a.discount_minor,
                                      discount_f, applied_on, now);
    }
    if (a.write_off_minor > 0) {
      store::invoices::add_allocation(ctx.uow, a.invoice_id, store::payments::kWriteOff, source_id,
                                      a.write_off_minor, write_off_f, applied_on, now);
    }
    const auto s = store::invoices::settled(ctx.uow, a.invoice_id);
    store::invoices::set_settlement(ctx.uow, a.invoice_id, open_after, inv.open_functional_minor - cleared_f,
                                    billing::invoice_status(inv.total_minor, open_after, s.credited_minor, s.paid_minor),
                                    now);
    if (open_after == 0) closed.push_back(a.invoice_id);

    if (cleared_f > 0) e.postings.push_back({ledger::kAccountsReceivable, 0, cleared_f});
    if (discount_f > 0) {
      // The discount lowers the taxable amount: its tax share comes off tax
      // payable, the rest is a sales discount (payments/allocation.h).
      O2C_ASSIGN_OR_RETURN(auto shares, payments::split_discount(a.discount_minor, inv.taxes));
      int64_t tax_f_sum = 0;
      for (const auto& sh : shares) {
        O2C_ASSIGN_OR_RETURN(int64_t tax_f, functional_of(sh.tax_minor, inv.fx_rate_e10, document, functional));
        tax_f = std::min(tax_f, discount_f - tax_f_sum);
        if (tax_f <= 0) continue;
        ensure_tax_account(ctx.uow, sh.category, sh.rate_bp);
        e.postings.push_back({tax_account(sh.category, sh.rate_bp), tax_f, 0});
        tax_f_sum += tax_f;
      }
      if (discount_f - tax_f_sum > 0) e.postings.push_back({ledger::kSalesDiscounts, discount_f - tax_f_sum, 0});
    }
    if (write_off_f > 0) e.postings.push_back({ledger::kWriteOff, write_off_f, 0});

    payments::AppliedAllocation applied;
    applied.invoice_id = a.invoice_id;
    applied.invoice_number = inv.item.number;
    applied.cash_minor = a.cash_minor;
    applied.discount_minor = a.discount_minor;
    applied.write_off_minor = a.write_off_minor;
    out.push_back(applied);
    const int exp = document.exponent();
    const nlohmann::json payload = {{"invoice_id", std::to_string(a.invoice_id)},
                                    {"number", inv.item.number},
                                    {"settled_by", cash_source},
                                    {"source_id", source_id},
                                    {"amount", format_scaled(cleared, exp)},
                                    {"open_amount", format_scaled(open_after, exp)}};
    record_event(ctx, "invoice", std::to_string(a.invoice_id), open_after == 0 ? "paid" : "partially_paid", payload);
    if (open_after == 0) store::orders::outbox_append(ctx.uow, "invoice.paid", payload.dump(), now);
  }
  return out;
}

// Rounding between the payment's rate and the invoices' rates (and between
// parts converted separately) is realized FX gain or loss: it balances the
// entry.
void balance_with_fx(ledger::Entry& e) {
  int64_t debit = 0, credit = 0;
  for (const auto& p : e.postings) {
    debit += p.debit_minor;
    credit += p.credit_minor;
  }
  if (debit > credit) e.postings.push_back({ledger::kFxGainLoss, 0, debit - credit});
  if (credit > debit) e.postings.push_back({ledger::kFxGainLoss, credit - debit, 0});
}

// Orders whose invoices are now all settled move from invoiced to paid.
Status mark_orders_paid(Context& ctx, const std::vector<int64_t>& closed_invoices) {
  std::map<int64_t, bool> seen;
  for (int64_t inv : closed_invoices) {
    for (const auto& oid : store::payments::orders_of_invoice(ctx.uow, inv)) {
      if (!seen.emplace(oid.value(), true).second) continue;
      auto o = store::orders::find(ctx.uow, oid, true);
      if (!o || o->status != order::OrderStatus::invoiced) continue;
      if (!store::payments::order_fully_settled(ctx.uow, oid)) continue;
      O2C_ASSIGN_OR_RETURN(auto next, order::transition(o->status, order::OrderEvent::pay));
      o->status = next;
      o->updated_at = ctx.clock.now_rfc3339();
      store::orders::update_status(ctx.uow, o->id, o->status, o->hold_reasons, o->updated_at);
      record_event(ctx, "order", o->id.to_string(), "paid", {{"invoice_id", std::to_string(inv)}});
      store::orders::outbox_append(ctx.uow, "order.paid",
                                   nlohmann::json{{"order_id", o->id.to_string()}, {"number", o->number}}.dump(),
                                   o->updated_at);
    }
  }
  return {};
}

nlohmann::json allocations_json(const std::vector<payments::AppliedAllocation>& as, int exp) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : as) {
    out.push_back({{"invoice_id", std::to_string(a.invoice_id)},
                   {"invoice_number", a.invoice_number},
                   {"amount", format_scaled(a.cash_minor, exp)},
                   {"discount", format_scaled(a.discount_minor, exp)},
                   {"write_off", format_scaled(a.write_off_minor, exp)}});
  }
  return out;
}

struct Open {
  std::vector<OpenInvoice> rows;
  std::map<int64_t, const OpenInvoice*> by_id;
  std::vector<payments::OpenItem> items;
};
Open load_open(store::UnitOfWork& uow, CustomerId customer) {
  Open o;
  o.rows = store::payments::open_invoices_of_customer(uow, customer);
  for (const auto& r : o.rows) {
    o.by_id[r.item.invoice_id] = &r;
    o.items.push_back(r.item);
  }
  return o;
}

}  // namespace

Result<Payment> record_payment(Context& ctx, const PaymentDraft& d) {
  O2C_ASSIGN_OR_RETURN(auto customer_ref, masterdata::required_text(d.customer_id, "customer_id", masterdata::kCodeMax));
  auto customer_id = CustomerId::parse(customer_ref);
  if (!customer_id || !store::orders::lock_customer(ctx.uow, *customer_id)) {
    return Error::invalid("unknown_customer", "no customer '" + customer_ref + "'", "customer_id");
  }
  auto customer = store::customers::find(ctx.uow, *customer_id);
  if (!customer) return Error::invalid("unknown_customer", "no customer '" + customer_ref + "'", "customer_id");
  auto document = Currency::of(customer->currency);
  if (!document) return Error::internal("customer " + customer_ref + " has an unknown currency");
  O2C_ASSIGN_OR_RETURN(auto currency, masterdata::required_text(d.currency, "currency", 3));
  if (currency != customer->currency) {
    return Error::invalid("currency_mismatch",
                          "customer " + customer_ref + " is invoiced in " + customer->currency + ", not " + currency,
                          "currency");
  }
  O2C_ASSIGN_OR_RETURN(auto amount, amount_in(d.amount, *document, "amount"));
  if (amount.minor() <= 0) return Error::invalid("invalid_amount", "a payment's amount must be above zero", "amount");
  O2C_ASSIGN_OR_RETURN(auto method, masterdata::required_text(d.method, "method", 32));
  if (!payments::is_method(method)) {
    return Error::invalid("invalid_method",
                          "method must be bank_transfer, card, cash, cheque, direct_debit or other", "method");
  }
  O2C_ASSIGN_OR_RETURN(auto reference, masterdata::optional_text(d.reference, "reference", 200));
  // Like every time-dependent POST (API.md): the business date by default.
  O2C_ASSIGN_OR_RETURN(auto received_on, date_in(d.received_on, "received_on", ctx.clock.today()));
  O2C_ASSIGN_OR_RETURN(auto requested, requested_of(d.allocations, *document));

  const Currency functional = functional_currency(ctx.uow, *document);
  O2C_ASSIGN_OR_RETURN(auto rate, rate_for(ctx.uow, *document, functional, received_on.to_string()));
  auto company = store::company::get(ctx.uow);
  const int64_t tolerance =
      tolerance_in(company ? company->write_off_tolerance_minor : 0, rate, *document, functional);

  Open open = load_open(ctx.uow, *customer_id);
  O2C_ASSIGN_OR_RETURN(auto plan, payments::plan_payment(amount.minor(), received_on, open.items, requested, tolerance));

  Payment p;
  p.customer_id = *customer_id;
  p.currency = customer->currency;
  p.amount_minor = amount.minor();
  p.method = method;
  p.reference = reference;
  p.received_on = received_on.to_string();
  p.functional_currency = std::string(functional.code());
  p.fx_rate_e10 = rate;
  O2C_ASSIGN_OR_RETURN(p.amount_functional_minor, functional_of(p.amount_minor, rate, *document, functional));
  for (const auto& a : plan.allocations) p.allocated_minor += a.cash_minor;
  p.unallocated_minor = plan.unallocated_minor;
  if (ctx.actor.id.valid()) p.created_by = ctx.actor.id;
  p.created_at = p.updated_at = ctx.clock.now_rfc3339();
  store::payments::insert(ctx.uow, p);
  const std::string pid = std::to_string(p.id);

  ledger::Entry e;
  e.entry_date = p.received_on;
  e.currency = p.functional_currency;
  e.source_type = "payment";
  e.source_id = pid;
  e.memo = "Payment " + pid + " from " + customer->name + (reference ? " (" + *reference + ")" : "");
  e.postings.push_back({ledger::kBank, p.amount_functional_minor, 0});
  std::vector<int64_t> closed;
  O2C_ASSIGN_OR_RETURN(p.allocations, settle(ctx, plan, open.by_id, store::payments::kCash, pid, p.received_on,
                                             *document, functional, e, closed));
  if (p.unallocated_minor > 0) {
    O2C_ASSIGN_OR_RETURN(auto credit_f, functional_of(p.unallocated_minor, rate, *document, functional));
    store::invoices::add_customer_credit(ctx.uow, p.customer_id, p.currency, p.unallocated_minor, credit_f, "payment",
                                         pid, p.created_at);
    if (credit_f > 0) e.postings.push_back({ledger::kCustomerCredit, 0, credit_f});
  }
  balance_with_fx(e);
  O2C_ASSIGN_OR_RETURN(auto entry_id, post_entry(ctx, e));
  if (entry_id) {
    p.ledger_entry_id = *entry_id;
    store::payments::set_ledger_entry(ctx.uow, p.id, *entry_id);
  }
  O2C_TRY(mark_orders_paid(ctx, closed));

  const int exp = document->exponent();
  nlohmann::json summary = {{"payment_id", pid},
                            {"customer_id", p.customer_id.to_string()},
                            {"amount", format_scaled(p.amount_minor, exp)},
                            {"currency", p.currency},
                            {"method", p.method},
                            {"received_on", p.received_on},
                            {"allocations", allocations_json(p.allocations, exp)},
                            {"unallocated", format_scaled(p.unallocated_minor, exp)}};
  record_event(ctx, "payment", pid, "received", summary);
  store::orders::outbox_append(ctx.uow, "payment.received", summary.dump(), p.created_at);
  // The customer's exposure fell: a final-level dunning block may lift, and
  // held orders may pass now.
  O2C_TRY(lift_dunning_block_if_settled(ctx, p.customer_id));
  O2C_TRY(reevaluate_credit_holds(ctx, p.customer_id, "payment " + pid));
  return p;
}

Result<CreditApplication> apply_customer_credit(Context& ctx, CustomerId customer_id, const ApplyCreditDraft& d) {
  if (!store::orders::lock_customer(ctx.uow, customer_id)) {
    return Error::not_found("customer_not_found", "no customer " + customer_id.to_string());
  }
  auto customer = store::customers::find(ctx.uow, customer_id);
  if (!customer) return Error::not_found("customer_not_found", "no customer " + customer_id.to_string());
  auto document = Currency::of(customer->currency);
  if (!document) return Error::internal("customer " + customer_id.to_string() + " has an unknown currency");
  O2C_ASSIGN_OR_RETURN(auto on, date_in(d.as_of, "as_of", ctx.clock.today()));
  O2C_ASSIGN_OR_RETURN(auto requested, requested_of(d.allocations, *document));
  const auto balance = store::invoices::customer_credit_balance(ctx.uow, customer_id);
  if (balance.minor <= 0) {
    return Error::conflict("no_credit", "customer " + customer_id.to_string() + " has no unapplied credit");
  }
  int64_t budget = balance.minor;
  if (d.amount && !masterdata::trim(*d.amount).empty()) {
    O2C_ASSIGN_OR_RETURN(auto a, amount_in(d.amount, *document, "amount"));
    if (a.minor() <= 0) return Error::invalid("invalid_amount", "amount must be above zero", "amount");
    if (a.minor() > balance.minor) {
      return Error::invalid("exceeds_credit", "the customer's credit is only " + format_scaled(balance.minor, document->exponent()),
                            "amount");
    }
    budget = a.minor();
  }
  if (requested) {
    int64_t sum = 0;
    for (const auto& r : *requested) sum += r.amount_minor;
    if (sum > budget) {
      return Error::invalid("exceeds_credit", "the allocations add up to more than the credit to apply", "allocations");
    }
  }
  const Currency functional = functional_currency(ctx.uow, *document);
  Open open = load_open(ctx.uow, customer_id);
  // Credit is applied on the business date: a discount window is judged then
  // too, and no write-off is taken (the customer's own credit is exact).
  O2C_ASSIGN_OR_RETURN(auto plan, payments::plan_payment(budget, on, open.items, requested, 0));
  int64_t used = 0;
  for (const auto& a : plan.allocations) used += a.cash_minor;
  if (used == 0) return Error::conflict("nothing_to_settle", "the customer has no open invoice to apply credit to");

  // The credit's functional value goes in proportion: all of it when all is used.
  int64_t used_f = balance.functional_minor;
  if (used < balance.minor) {
    int64_t v = 0;
    if (!round_half_away(static_cast<Int128>(balance.functional_minor) * used, balance.minor, &v)) {
      return Error::internal("customer credit too large to convert");
    }
    used_f = v;
  }
  const std::string now = ctx.clock.now_rfc3339();
  // Named apart from payment ids: allocation rows are found by source id.
  const std::string source_id =
      "cc-" + std::to_string(store::invoices::add_customer_credit(ctx.uow, customer_id, customer->currency, -used,
                                                                 -used_f, "credit_application", "", now));

  ledger::Entry e;
  e.entry_date = on.to_string();
  e.currency = std::string(functional.code());
  e.source_type = "credit_application";
  e.source_id = source_id;
  e.memo = "Customer credit applied for " + customer->name;
  if (used_f > 0) e.postings.push_back({ledger::kCustomerCredit, used_f, 0});
  std::vector<int64_t> closed;
  O2C_ASSIGN_OR_RETURN(auto applied, settle(ctx, plan, open.by_id, "customer_credit", source_id, on.to_string(),
                                            *document, functional, e, closed));
  balance_with_fx(e);
  O2C_TRY(post_entry(ctx, e));
  O2C_TRY(mark_orders_paid(ctx, closed));
  O2C_TRY(lift_dunning_block_if_settled(ctx, customer_id));

  CreditApplication out;
  out.customer_id = customer_id;
  out.currency = customer->currency;
  out.applied_minor = used;
  out.credit_left_minor = balance.minor - used;
  out.allocations = std::move(applied);
  const int exp = document->exponent();
  record_event(ctx, "customer", customer_id.to_string(), "credit_applied",
               {{"applied", format_scaled(used, exp)},
                {"credit_left", format_scaled(out.credit_left_minor, exp)},
                {"allocations", allocations_json(out.allocations, exp)}});
  return out;
}

Result<Payment> refund_payment(Context& ctx, int64_t payment_id, const RefundDraft& d) {
  auto p = store::payments::find(ctx.uow, payment_id, true);
  if (!p) return Error::not_found("payment_not_found", "no payment " + std::to_string(payment_id));
  if (p->status == payments::PaymentStatus::reversed) {
    return Error::conflict("payment_reversed", "payment " + std::to_string(payment_id) + " was reversed; nothing to refund");
  }
  auto document = Currency::of(p->currency);
  if (!document) return Error::internal("payment " + std::to_string(payment_id) + " has an unknown currency");
  O2C_ASSIGN_OR_RETURN(auto amount, amount_in(d.amount, *document, "amount"));
  if (amount.minor() <= 0) return Error::invalid("invalid_amount", "a refund must be above zero", "amount");
  const int exp = document->exponent();
  if (amount.minor() > p->amount_minor - p->refunded_minor) {
    return Error::invalid("exceeds_payment",
                          "at most " + format_scaled(p->amount_minor - p->refunded_minor, exp) +
                              " of this payment is left to refund",
                          "amount");
  }
  O2C_ASSIGN_OR_RETURN(auto reason, masterdata::optional_text(d.reason, "reason", 500));
  O2C_ASSIGN_OR_RETURN(auto on, date_in(d.as_of, "as_of", ctx.clock.today()));
  store::orders::lock_customer(ctx.uow, p->customer_id);
  const auto balance = store::invoices::customer_credit_balance(ctx.uow, p->customer_id);
  if (amount.minor() > balance.minor) {
    return Error::conflict("refund_exceeds_credit",
                           "the customer's unapplied credit is " + format_scaled(std::max<int64_t>(0, balance.minor), exp) +
                               "; what paid invoices must be credited first (credit note), or the payment reversed");
  }
  const Currency functional = functional_currency(ctx.uow, *document);
  O2C_ASSIGN_OR_RETURN(auto rate, rate_for(ctx.uow, *document, functional, on.to_string()));
  O2C_ASSIGN_OR_RETURN(int64_t bank_f, functional_of(amount.minor(), rate, *document, functional));
  int64_t used_f = balance.functional_minor;
  if (amount.minor() < balance.minor &&
      !round_half_away(static_cast<Int128>(balance.functional_minor) * amount.minor(), balance.minor, &used_f)) {
    return Error::internal("customer credit too large to convert");
  }
  const std::string now = ctx.clock.now_rfc3339();
  const std::string pid = std::to_string(p->id);
  store::invoices::add_customer_credit(ctx.uow, p->customer_id, p->currency, -amount.minor(), -used_f, "payment_refund",
                                       pid, now);

  ledger::Entry e;
  e.entry_date = on.to_string();
  e.currency = std::string(functional.code());
  e.source_type = "payment_refund";
  e.source_id = pid;
  e.memo = "Refund of payment " + pid + (reason ? ": " + *reason : "");
  if (used_f > 0) e.postings.push_back({ledger::kCustomerCredit, used_f, 0});
  if (bank_f > 0) e.postings.push_back({ledger::kBank, 0, bank_f});
  balance_with_fx(e);
  O2C_ASSIGN_OR_RETURN(auto entry_id, post_entry(ctx, e));

  store::payments::Refund r;
  r.payment_id = p->id;
  r.amount_minor = amount.minor();
  r.refunded_on = on.to_string();
  r.fx_rate_e10 = rate;
  r.amount_functional_minor = bank_f;
  r.reason = reason;
  r.ledger_entry_id = entry_id;
  if (ctx.actor.id.valid()) r.created_by = ctx.actor.id;
  r.created_at = now;
  const int64_t refund_id = store::payments::insert_refund(ctx.uow, r);
  p->refunded_minor += amount.minor();
  p->updated_at = now;
  store::payments::set_refunded(ctx.uow, p->id, p->refunded_minor, now);

  const nlohmann::json summary = {{"payment_id", pid},
                                  {"refund_id", std::to_string(refund_id)},
                                  {"customer_id", p->customer_id.to_string()},
                                  {"amount", format_scaled(amount.minor(), exp)},
                                  {"currency", p->currency},
                                  {"refunded_on", r.refunded_on}};
  record_event(ctx, "payment", pid, "refunded", summary);
  store::orders::outbox_append(ctx.uow, "payment.refunded", summary.dump(), now);
  return *p;
}

Result<Payment> reverse_payment(Context& ctx, int64_t payment_id, const ReversalDraft& d) {
  O2C_ASSIGN_OR_RETURN(auto reason, masterdata::required_text(d.reason, "reason", 500));
  O2C_ASSIGN_OR_RETURN(auto on, date_in(d.as_of, "as_of", ctx.clock.today()));
  auto p = store::payments::find(ctx.uow, payment_id, true);
  if (!p) return Error::not_found("payment_not_found", "no payment " + std::to_string(payment_id));
  const std::string pid = std::to_string(p->id);
  if (p->status == payments::PaymentStatus::reversed) {
    return Error::conflict("already_reversed", "payment " + pid + " was reversed on " + p->received_on);
  }
  if (p->refunded_minor > 0) {
    return Error::conflict("payment_refunded", "part of payment " + pid + " was refunded; it cannot bounce");
  }
  store::orders::lock_customer(ctx.uow, p->customer_id);
  const auto credit = store::payments::credit_from(ctx.uow, "payment", pid);
  if (credit.first > 0 && store::invoices::customer_credit_balance(ctx.uow, p->customer_id).minor < credit.first) {
    return Error::conflict("credit_already_applied",
                           "the credit payment " + pid + " left was applied to other invoices since");
  }
  const std::string now = ctx.clock.now_rfc3339();

  // Reopen what it settled, at exactly the amounts it took off.
  std::vector<int64_t> reopened;
  const auto cleared = store::payments::cleared_by(ctx.uow, pid);
  store::payments::reverse_allocations(ctx.uow, pid, on.to_string(), now);
  for (const auto& c : cleared) {
    auto inv = store::invoices::find(ctx.uow, c.invoice_id, true);
    if (!inv) return Error::internal("payment " + pid + " settled a missing invoice");
    const int64_t open = inv->open_minor + c.amount_minor;
    const auto s = store::invoices::settled(ctx.uow, inv->id);
    store::invoices::set_settlement(ctx.uow, inv->id, open, inv->open_functional_minor + c.functional_minor,
                                    billing::invoice_status(inv->total_minor, open, s.credited_minor, s.paid_minor), now);
    record_event(ctx, "invoice", std::to_string(inv->id), "reopened",
                 {{"payment_id", pid}, {"reason", reason}, {"open_amount_minor", open}});
    reopened.push_back(inv->id);
  }
  if (credit.first != 0) {
    store::invoices::add_customer_credit(ctx.uow, p->customer_id, p->currency, -credit.first, -credit.second,
                                         "payment_reversal", pid, now);
  }
  // Orders that were paid are not any more.
  std::map<int64_t, bool> seen;
  for (int64_t inv : reopened) {
    for (const auto& oid : store::payments::orders_of_invoice(ctx.uow, inv)) {
      if (!seen.emplace(oid.value(), true).second) continue;
      auto o = store::orders::find(ctx.uow, oid, true);
      if (!o || o->status != order::OrderStatus::paid) continue;
      O2C_ASSIGN_OR_RETURN(auto next, order::transition(o->status, order::OrderEvent::unpay));
      o->status = next;
      o->updated_at = now;
      store::orders::update_status(ctx.uow, o->id, o->status, o->hold_reasons, o->updated_at);
      record_event(ctx, "order", o->id.to_string(), "unpaid", {{"payment_id", pid}, {"reason", reason}});
    }
  }

  // The ledger: the exact reverse of the payment's entry.
  store::ledger::Filter f;
  f.source_type = "payment";
  f.source_id = pid;
  ledger::Entry e;
  e.entry_date = on.to_string();
  e.source_type = "payment_reversal";
  e.source_id = pid;
  e.memo = "Reversal of payment " + pid + ": " + reason;
  for (const auto& original : list_entries(ctx.uow, f, {0, 10})) {
    e.currency = original.currency;
    for (const auto& po : original.postings) e.postings.push_back({po.account, po.credit_minor, po.debit_minor});
  }
  if (!e.postings.empty()) O2C_TRY(post_entry(ctx, e));

  store::payments::set_reversed(ctx.uow, p->id, on.to_string(), reason, now);
  const nlohmann::json summary = {{"payment_id", pid}, {"customer_id", p->customer_id.to_string()},
                                  {"reason", reason}, {"reversed_on", on.to_string()}};
  record_event(ctx, "payment", pid, "reversed", summary);
  store::orders::outbox_append(ctx.uow, "payment.reversed", summary.dump(), now);
  auto after = store::payments::find(ctx.uow, p->id);
  if (!after) return Error::internal("payment " + pid + " vanished");
  return *after;
}

Result<Payment> get_payment(store::UnitOfWork& uow, int64_t id) {
  auto p = store::payments::find(uow, id);
  if (!p) return Error::not_found("payment_not_found", "no payment " + std::to_string(id));
  return *p;
}

std::vector<Payment> list_payments(store::UnitOfWork& uow, std::optional<CustomerId> customer,
                                   const store::PageRequest& page) {
  return store::payments::list(uow, customer, page);
}

}  // namespace o2c::app
