#include "app/billing.h"

#include <map>
#include <set>

#include "app/audit.h"
#include "app/collections.h"
#include "app/ledger.h"
#include "app/orders.h"
#include "core/decimal.h"
#include "core/money.h"
#include "domain/billing/order_charges.h"
#include "domain/ledger/entry.h"
#include "domain/masterdata/fields.h"
#include "store/ledger_repo.h"
#include "store/orders_repo.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

using billing::Invoice;

Result<std::optional<Date>> optional_date(const masterdata::Text& t, const char* field) {
  if (!t || masterdata::trim(*t).empty()) return std::optional<Date>();
  auto d = Date::parse(masterdata::trim(*t));
  if (!d.ok()) return Error::invalid("invalid_date", std::string(field) + " must be a date YYYY-MM-DD", field);
  return std::optional<Date>(*d);
}

billing::PartySnapshot seller_of(const masterdata::Company& c) {
  return {c.name, c.vat_id, c.country.value_or(""), c.address, c.peppol_id, c.email, c.phone, c.iban, c.bic};
}

billing::PartySnapshot buyer_of(const masterdata::Customer& c) {
  return {c.name, c.vat_id, c.country, c.address, c.peppol_id, c.email, std::nullopt, c.iban, std::nullopt};
}

nlohmann::json invoice_summary(const Invoice& v) {
  const int e = Currency::of(v.currency) ? Currency::of(v.currency)->exponent() : 2;
  return {{"invoice_id", std::to_string(v.id)},
          {"kind", std::string(billing::to_string(v.kind))},
          {"number", v.number},
          {"customer_id", v.customer_id.to_string()},
          {"order_id", v.order_id ? nlohmann::json(v.order_id->to_string()) : nlohmann::json()},
          {"issue_date", v.issue_date},
          {"due_date", v.due_date},
          {"currency", v.currency},
          {"net_total", format_scaled(v.net_total_minor, e)},
          {"tax_total", format_scaled(v.tax_total_minor, e)},
          {"total", format_scaled(v.total_minor, e)}};
}

struct ToInvoice {
  store::invoices::UninvoicedLine line;
  int64_t quantity = 0;  // thousandths to invoice now
};

struct Seller {
  masterdata::Company company;
  Currency functional;
};

Result<Seller> seller_for_invoicing(store::UnitOfWork& uow) {
  auto company = store::company::get(uow);
  if (!company) {
    return Error::invalid("company_incomplete",
                          "invoices cannot be issued before the company profile is set (PUT /company)");
  }
  auto missing = masterdata::company_missing_for_invoicing(*company);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return Error::invalid("company_incomplete",
                          "invoices cannot be issued until the company profile has " + list + " (PUT /company)");
  }
  auto functional = Currency::of(company->currency);
  if (!functional) return Error::internal("the company's currency " + company->currency + " is unknown");
  return Seller{*company, *functional};
}


// Lines already invoiced move the order: invoiced quantities, and a fully
// shipped order whose every line is now invoiced becomes `invoiced`.
Status mark_invoiced(Context& ctx, const std::vector<ToInvoice>& items, const std::string& invoice_number) {
  std::map<int64_t, std::vector<const ToInvoice*>> by_order;
  for (const auto& it : items) {
    if (it.line.order_id.valid()) by_order[it.line.order_id.value()].push_back(&it);
  }
  for (const auto& [order_id, its] : by_order) {
    auto o = store::orders::find(ctx.uow, OrderId(order_id), true);
    if (!o) return Error::internal("order " + std::to_string(order_id) + " vanished while invoicing");
    bool all = true;
    for (auto& l : o->lines) {
      for (const auto* it : its) {
        if (it->line.line_id == l.id) {
          l.invoiced += it->quantity;
          store::invoices::set_line_invoiced(ctx.uow, l.id, l.invoiced);
        }
      }
      if (l.invoiced < l.quantity) all = false;
    }
    if (all && o->status == order::OrderStatus::shipped) {
      O2C_ASSIGN_OR_RETURN(auto next, order::transition(o->status, order::OrderEvent::invoice));
      o->status = next;
      o->updated_at = ctx.clock.now_rfc3339();
      store::orders::update_status(ctx.uow, o->id, o->status, o->hold_reasons, o->updated_at);
      record_event(ctx, "order", o->id.to_string(), "invoiced", {{"invoice_number", invoice_number}});
      store::orders::outbox_append(ctx.uow, "order.invoiced",
                                   nlohmann::json{{"order_id", o->id.to_string()}, {"number", o->number}}.dump(),
                                   o->updated_at);
    }
  }
  return {};
}

// The invoice posting: AR / revenue + tax payable per category and rate, in
// the functional currency. Tax is converted per group and revenue takes the
// rest, so the entry balances to the cent whatever the rounding.
Result<std::optional<int64_t>> post_invoice(Context& ctx, const Invoice& v, Currency document, Currency functional,
                                            const char* revenue_account) {
  O2C_ASSIGN_OR_RETURN(auto total_f, billing::to_functional(Money(v.total_minor, document), v.fx_rate_e10, functional));
  ledger::Entry e;
  e.entry_date = v.issue_date;
  e.currency = std::string(functional.code());
  e.source_type = "invoice";
  e.source_id = std::to_string(v.id);
  e.memo = "Invoice " + v.number;
  int64_t tax_f_sum = 0;
  std::vector<ledger::Posting> tax_postings;
  for (const auto& t : v.taxes) {
    if (t.tax_minor == 0) continue;
    O2C_ASSIGN_OR_RETURN(auto tax_f, billing::to_functional(Money(t.tax_minor, document), v.fx_rate_e10, functional));
    if (tax_f.is_zero()) continue;
    ensure_tax_account(ctx.uow, t.tax_category, t.tax_rate_bp);
    tax_postings.push_back({tax_account(t.tax_category, t.tax_rate_bp), 0, tax_f.minor()});
    tax_f_sum += tax_f.minor();
  }
  if (total_f.is_zero()) return std::optional<int64_t>();
  e.postings.push_back({ledger::kAccountsReceivable, total_f.minor(), 0});
  if (total_f.minor() - tax_f_sum > 0) e.postings.push_back({revenue_account, 0, total_f.minor() - tax_f_sum});
  for (auto& p : tax_postings) e.postings.push_back(std::move(p));
  return post_entry(ctx, e);
}

struct BilledCharge {
  OrderId order_id;
  order::OrderCharge charge;
  int64_t share_minor = 0;
};

// The share of each order's allowances and charges that this invoice carries
// (billing/order_charges.h), added to `in`. An allowance never takes more
// than its tax group has on this invoice: what it cannot take now, a later
// invoice of the order takes.
Result<std::vector<BilledCharge>> order_charges_for(Context& ctx, const std::vector<ToInvoice>& items, Currency document,
                                                    billing::TotalsInput& in) {
  std::vector<BilledCharge> out;
  std::map<int64_t, std::map<int64_t, int64_t>> now;  // order -> line -> quantity invoiced now
  for (const auto& it : items) now[it.line.order_id.value()][it.line.line_id.value()] += it.quantity;
  std::map<std::pair<masterdata::TaxCategory, int64_t>, int64_t> room;
  bool room_known = false;
  for (const auto& [order_id, lines_now] : now) {
    auto o = store::orders::find(ctx.uow, OrderId(order_id));
    if (!o || o->charges.empty()) continue;
    if (!room_known) {
      billing::TotalsInput lines_only{document, in.lines, {}, {}};
      O2C_ASSIGN_OR_RETURN(auto t, billing::compute_totals(lines_only));
      for (const auto& g : t.groups) room[{g.category, g.rate_bp}] = g.taxable.minor();
      room_known = true;
    }
    std::vector<billing::BaseLine> base;
    for (const auto& l : o->lines) {
      auto n = lines_now.find(l.id.value());
      base.push_back({l.quantity, l.invoiced, l.invoiced + (n == lines_now.end() ? 0 : n->second), l.line_net_minor,
                      l.tax_category, l.tax_rate_bp});
    }
    // Charges first: they add room in their group for the allowances.
    for (const bool is_charge : {true, false}) {
      for (const auto& c : o->charges) {
        if (c.is_charge != is_charge) continue;
        int64_t share = billing::charge_share(c, base);
        const auto group = std::make_pair(c.tax_category, c.tax_rate_bp);
        if (is_charge) {
          room[group] += share;
        } else {
          share = std::min(share, room[group]);
          room[group] -= share;
        }
        if (share <= 0) continue;
        (is_charge ? in.charges : in.allowances).push_back({Money(share, document), c.tax_category, c.tax_rate_bp, c.reason});
        out.push_back({o->id, c, share});
      }
    }
  }
  return out;
}

// What kind of sale a document records: goods (INV series, revenue), or
// dunning fees and interest (FEE series, fee income).
struct IssueKind {
  const char* series = billing::kInvoiceSeries;
  const char* revenue_account = ledger::kRevenue;
};

// Issues one invoice for `items` (all of one customer, in its currency).
// Items without an order (fees) move no order.
Result<Invoice> issue_invoice(Context& ctx, const masterdata::Customer& customer, const std::vector<ToInvoice>& items,
                              std::optional<OrderId> order_id, std::optional<int64_t> shipment_id, Date issue_date,
                              std::optional<std::string> delivery_date, std::optional<std::string> buyer_reference,
                              IssueKind kind = {}) {
  O2C_ASSIGN_OR_RETURN(auto seller, seller_for_invoicing(ctx.uow));
  auto document = Currency::of(customer.currency);
  if (!document) return Error::internal("customer " + customer.id.to_string() + " has an unknown currency");
  auto terms = store::payment_terms::find(ctx.uow, customer.payment_terms);
  if (!terms) return Error::internal("customer " + customer.id.to_string() + " has unknown payment terms");

  billing::TotalsInput in{*document, {}, {}, {}};
  for (const auto& it : items) {
    in.lines.push_back({Quantity::from_milli(it.quantity), it.line.unit_price_e4, std::nullopt, it.line.tax_category,
                        it.line.tax_rate_bp});
  }
  O2C_ASSIGN_OR_RETURN(auto billed_charges, order_charges_for(ctx, items, *document, in));
  O2C_ASSIGN_OR_RETURN(auto totals, billing::compute_totals(in));
  O2C_TRY(billing::check_tax_parties(totals.groups, seller.company.vat_id.has_value(), customer.vat_id.has_value()));
  const std::string issue = issue_date.to_string();
  O2C_ASSIGN_OR_RETURN(auto rate, rate_for(ctx.uow, *document, seller.functional, issue));
  O2C_ASSIGN_OR_RETURN(auto due, billing::due_terms(*terms, issue_date, totals.total));

  // Locks in the order every writer takes them: the audit chain's head, then
  // the number counter. Shipping reaches here holding the head already (its
  // stock and COGS events); the billing run and the dunning run must not take
  // the counter first, or the two could deadlock on PostgreSQL.
  store::events::head_for_update(ctx.uow);
  Invoice v;
  v.kind = billing::DocumentKind::invoice;
  v.series = kind.series;
  v.year = issue_date.year();
  v.seq = store::orders::next_counter(ctx.uow, billing::counter_name(v.series, v.year));
  v.number = billing::document_number(v.series, v.year, v.seq);
  v.customer_id = customer.id;
  v.order_id = order_id;
  v.shipment_id = shipment_id;
  v.status = billing::InvoiceStatus::open;
  v.issue_date = issue;
  v.due_date = due.due_date.to_string();
  v.delivery_date = std::move(delivery_date);
  v.payment_terms = terms->code;
  if (due.discount_date) v.discount_date = due.discount_date->to_string();
  if (due.discount) v.discount_minor = due.discount->minor();
  v.currency = customer.currency;
  v.net_total_minor = totals.net_total.minor();
  v.allowance_total_minor = totals.allowance_total.minor();
  v.charge_total_minor = totals.charge_total.minor();
  v.tax_exclusive_minor = totals.tax_exclusive.minor();
  v.tax_total_minor = totals.tax_total.minor();
  v.total_minor = totals.total.minor();
  v.open_minor = v.total_minor;
  v.functional_currency = std::string(seller.functional.code());
  v.fx_rate_e10 = rate;
  O2C_ASSIGN_OR_RETURN(auto total_f, billing::to_functional(totals.total, rate, seller.functional));
  v.total_functional_minor = v.open_functional_minor = total_f.minor();
  v.creditor_reference = billing::creditor_reference(billing::creditor_reference_body(v.series, v.year, v.seq));
  v.buyer_reference = std::move(buyer_reference);
  v.seller = seller_of(seller.company);
  v.buyer = buyer_of(customer);
  if (ctx.actor.id.valid()) v.created_by = ctx.actor.id;
  v.created_at = v.updated_at = ctx.clock.now_rfc3339();
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& l = items[i].line;
    billing::InvoiceLine il;
    il.line_no = static_cast<int>(i) + 1;
    if (l.order_id.valid()) {
      il.order_id = l.order_id;
      il.order_number = l.order_number;
      il.order_line_id = l.line_id;
    }
    il.product_id = l.product_id;
    il.sku = l.sku;
    il.name = l.name;
    il.quantity = items[i].quantity;
    il.unit_price_e4 = l.unit_price_e4;
    il.tax_category = l.tax_category;
    il.tax_rate_bp = l.tax_rate_bp;
    il.line_net_minor = totals.line_nets[i].minor();
    v.lines.push_back(std::move(il));
  }
  for (const auto& b : billed_charges) {
    v.charges.push_back({b.charge.is_charge, b.share_minor, b.charge.reason, b.charge.tax_category, b.charge.tax_rate_bp});
  }
  for (const auto& g : totals.groups) {
    billing::InvoiceTax t{g.category, g.rate_bp, g.taxable.minor(), g.tax.minor(), std::nullopt, std::nullopt};
    if (auto ex = billing::default_exemption(g.category)) {
      t.exemption_code = ex->code;
      t.exemption_reason = ex->text;
    }
    v.taxes.push_back(std::move(t));
  }
  store::invoices::insert(ctx.uow, v);
  for (const auto& b : billed_charges) {
    store::orders::set_charge_billed(ctx.uow, b.order_id, b.charge.seq, b.charge.billed_minor + b.share_minor);
  }
  O2C_ASSIGN_OR_RETURN(auto entry_id, post_invoice(ctx, v, *document, seller.functional, kind.revenue_account));
  O2C_TRY(mark_invoiced(ctx, items, v.number));
  auto summary = invoice_summary(v);
  if (entry_id) summary["ledger_entry_id"] = std::to_string(*entry_id);
  record_event(ctx, "invoice", std::to_string(v.id), "issued", summary);
  store::orders::outbox_append(ctx.uow, "invoice.issued", summary.dump(), v.created_at);
  return v;
}

}  // namespace

Result<std::optional<Invoice>> invoice_shipment(Context& ctx, order::Order& o, const shipping::Shipment& s) {
  auto customer = store::customers::find(ctx.uow, o.customer_id);
  if (!customer) return Error::internal("order " + o.number + " has no customer");
  if (customer->billing == masterdata::Billing::consolidated) return std::optional<Invoice>();
  std::map<int64_t, int64_t> shipped_now;  // order line -> quantity
  for (const auto& sl : s.lines) shipped_now[sl.order_line_id.value()] += sl.quantity;
  std::vector<ToInvoice> items;
  for (const auto& l : o.lines) {
    auto it = shipped_now.find(l.id.value());
    if (it == shipped_now.end()) continue;
    auto product = store::products::find(ctx.uow, l.product_id);
    store::invoices::UninvoicedLine u;
    u.order_id = o.id;
    u.order_number = o.number;
    u.line_id = l.id;
    u.line_no = l.line_no;
    u.product_id = l.product_id;
    u.sku = l.sku;
    u.name = product ? product->name : l.sku;
    u.quantity = l.quantity;
    u.shipped = l.shipped;
    u.invoiced = l.invoiced;
    u.unit_price_e4 = l.unit_price_e4;
    u.tax_category = l.tax_category;
    u.tax_rate_bp = l.tax_rate_bp;
    u.line_net_minor = l.line_net_minor;
    items.push_back({u, it->second});
  }
  if (items.empty()) return std::optional<Invoice>();
  O2C_ASSIGN_OR_RETURN(auto date, Date::parse(s.shipped_on));
  O2C_ASSIGN_OR_RETURN(auto v, issue_invoice(ctx, *customer, items, o.id, s.id, date, s.shipped_on,
                                             o.external_ref ? o.external_ref : std::optional<std::string>(o.number)));
  return std::optional<Invoice>(std::move(v));
}

Result<Invoice> issue_fee_invoice(Context& ctx, const masterdata::Customer& customer, const std::vector<FeeLine>& lines,
                                  Date issue_date, const std::string& reference) {
  if (lines.empty()) return Error::internal("a fee invoice needs a line");
  auto currency = Currency::of(customer.currency);
  if (!currency) return Error::internal("customer " + customer.id.to_string() + " has an unknown currency");
  // Fees and interest are a service of their own: one product the system
  // keeps, outside the scope of VAT (damages for late payment, not a supply).
  constexpr const char* kFeeSku = "O2C-DUNNING-FEE";
  auto product = store::products::find_by_sku(ctx.uow, kFeeSku);
  if (!product) {
    masterdata::Product p;
    p.sku = kFeeSku;
    p.name = "Dunning fee and interest";
    p.unit_price_e4 = 0;
    p.currency = customer.currency;
    p.tax_category = masterdata::TaxCategory::O;
    p.tax_rate_bp = 0;
    p.created_at = ctx.clock.now_rfc3339();
    p.id = store::products::insert(ctx.uow, p);
    product = p;
  }
  Int128 scale = 1;
  for (int e = currency->exponent(); e < 4; ++e) scale *= 10;
  std::vector<ToInvoice> items;
  for (const auto& l : lines) {
    store::invoices::UninvoicedLine u;
    u.product_id = product->id;
    u.sku = kFeeSku;
    u.name = l.description;
    u.quantity = 1000;
    u.unit_price_e4 = static_cast<int64_t>(static_cast<Int128>(l.amount_minor) * scale);
    u.tax_category = masterdata::TaxCategory::O;
    u.tax_rate_bp = 0;
    items.push_back({u, 1000});
  }
  return issue_invoice(ctx, customer, items, std::nullopt, std::nullopt, issue_date, std::nullopt, reference,
                       IssueKind{billing::kFeeSeries, ledger::kFeeIncome});
}

Result<std::vector<Invoice>> run_billing(Context& ctx, const masterdata::Text& as_of_text) {
  O2C_ASSIGN_OR_RETURN(auto as_of, optional_date(as_of_text, "as_of"));
  const Date on = as_of.value_or(ctx.clock.today());
  std::vector<Invoice> issued;
  for (const auto& customer_id : store::invoices::consolidated_customers_to_bill(ctx.uow)) {
    store::orders::lock_customer(ctx.uow, customer_id);
    auto customer = store::customers::find(ctx.uow, customer_id);
    if (!customer) continue;
    std::vector<ToInvoice> items;
    std::set<int64_t> orders;
    std::string refs;
    for (auto& l : store::invoices::uninvoiced_lines_of_customer(ctx.uow, customer_id)) {
      const int64_t q = l.shipped - l.invoiced;
      if (orders.insert(l.order_id.value()).second) refs += (refs.empty() ? "" : ", ") + l.order_number;
      items.push_back({std::move(l), q});
    }
    if (items.empty()) continue;
    std::optional<OrderId> single;
    if (orders.size() == 1) single = OrderId(*orders.begin());
    O2C_ASSIGN_OR_RETURN(auto v, issue_invoice(ctx, *customer, items, single, std::nullopt, on, on.to_string(),
                                               refs.size() <= 200 ? refs : refs.substr(0, 200)));
    issued.push_back(std::move(v));
  }
  record_event(ctx, "billing_run", on.to_string(), "run", {{"as_of", on.to_string()}, {"invoices", issued.size()}});
  return issued;
}

Result<Invoice> issue_credit_note(Context& ctx, int64_t invoice_id, const CreditNoteDraft& d) {
  O2C_ASSIGN_OR_RETURN(auto reason, masterdata::required_text(d.reason, "reason", 500));
  O2C_ASSIGN_OR_RETURN(auto as_of, optional_date(d.as_of, "as_of"));
  std::optional<std::vector<billing::CreditRequestLine>> request;
  if (d.lines) {
    request.emplace();
    for (size_t i = 0; i < d.lines->size(); ++i) {
      const auto& l = (*d.lines)[i];
      const std::string prefix = "lines[" + std::to_string(i) + "].";
      O2C_ASSIGN_OR_RETURN(auto sku, masterdata::required_text(l.sku, prefix + "sku", masterdata::kCodeMax));
      if (!l.quantity) return Error::invalid("required", "quantity is required", prefix + "quantity");
      auto q = Quantity::parse(*l.quantity);
      if (!q.ok()) {
        Error e = q.take_error();
        e.field = prefix + "quantity";
        return e;
      }
      request->push_back({sku, *q});
    }
    if (request->empty()) return Error::invalid("required", "lines is empty; omit it to credit the whole invoice", "lines");
  }

  auto inv = store::invoices::find(ctx.uow, invoice_id, true);
  if (!inv) return Error::not_found("invoice_not_found", "no invoice " + std::to_string(invoice_id));
  if (inv->kind != billing::DocumentKind::invoice) {
    return Error::invalid("not_an_invoice", inv->number + " is a credit note; credit the invoice it corrects");
  }
  const Date issue_date = as_of.value_or(ctx.clock.today());
  if (issue_date.to_string() < inv->issue_date) {
    return Error::invalid("credit_note_before_invoice",
                          "invoice " + inv->number + " was issued on " + inv->issue_date +
                              "; a credit note cannot be dated earlier",
                          "as_of");
  }
  auto earlier = store::invoices::credit_notes_of(ctx.uow, invoice_id);
  O2C_ASSIGN_OR_RETURN(auto plan, billing::plan_credit_note(*inv, earlier, request));
  auto document = Currency::of(inv->currency);
  auto functional = Currency::of(inv->functional_currency);
  if (!document || !functional) return Error::internal("invoice " + inv->number + " has an unknown currency");
  auto customer = store::customers::find(ctx.uow, inv->customer_id);
  if (!customer) return Error::internal("invoice " + inv->number + " has no customer");
  auto company = store::company::get(ctx.uow);

  Invoice cn;
  cn.kind = billing::DocumentKind::credit_note;
  cn.series = billing::kCreditNoteSeries;
  cn.year = issue_date.year();
  store::events::head_for_update(ctx.uow);  // the head before the counter, as issue_invoice
  cn.seq = store::orders::next_counter(ctx.uow, billing::counter_name(cn.series, cn.year));
  cn.number = billing::document_number(cn.series, cn.year, cn.seq);
  cn.customer_id = inv->customer_id;
  cn.order_id = inv->order_id;
  cn.credited_invoice_id = inv->id;
  cn.credited_invoice_number = inv->number;
  cn.credited_invoice_date = inv->issue_date;
  cn.status = billing::InvoiceStatus::issued;
  cn.issue_date = cn.due_date = issue_date.to_string();
  cn.payment_terms = inv->payment_terms;
  cn.currency = inv->currency;
  cn.net_total_minor = plan.net_total_minor;
  cn.allowance_total_minor = plan.allowance_total_minor;
  cn.charge_total_minor = plan.charge_total_minor;
  cn.tax_exclusive_minor = plan.tax_exclusive_minor;
  cn.tax_total_minor = plan.tax_total_minor;
  cn.total_minor = plan.total_minor;
  cn.open_minor = 0;
  cn.functional_currency = inv->functional_currency;
  // At the invoice's rate: a credit note undoes the invoice, it is not a new
  // sale at today's rate.
  cn.fx_rate_e10 = inv->fx_rate_e10;
  O2C_ASSIGN_OR_RETURN(auto total_f, billing::to_functional(Money(cn.total_minor, *document), cn.fx_rate_e10, *functional));
  cn.total_functional_minor = total_f.minor();
  cn.open_functional_minor = 0;
  cn.reason = reason;
  cn.buyer_reference = inv->buyer_reference;
  cn.seller = company ? seller_of(*company) : inv->seller;
  cn.buyer = buyer_of(*customer);
  if (ctx.actor.id.valid()) cn.created_by = ctx.actor.id;
  cn.created_at = cn.updated_at = ctx.clock.now_rfc3339();
  cn.lines = std::move(plan.lines);
  cn.charges = std::move(plan.charges);
  cn.taxes = std::move(plan.taxes);
  store::invoices::insert(ctx.uow, cn);

  // Settle: first the invoice's open amount, the rest is customer credit.
  const int64_t applied = std::min(cn.total_minor, inv->open_minor);
  const int64_t excess = cn.total_minor - applied;
  int64_t applied_f = 0;
  if (applied == inv->open_minor) {
    applied_f = inv->open_functional_minor;  // clears the item exactly in the ledger too
  } else if (applied > 0) {
    O2C_ASSIGN_OR_RETURN(auto a, billing::to_functional(Money(applied, *document), inv->fx_rate_e10, *functional));
    applied_f = std::min(a.minor(), inv->open_functional_minor);
  }
  int64_t excess_f = 0;
  if (excess > 0) {
    O2C_ASSIGN_OR_RETURN(auto x, billing::to_functional(Money(excess, *document), inv->fx_rate_e10, *functional));
    excess_f = x.minor();
  }
  const std::string now = cn.created_at;
  if (applied > 0) {
    store::invoices::add_allocation(ctx.uow, inv->id, "credit_note", std::to_string(cn.id), applied, applied_f,
                                    cn.issue_date, now);
    const auto settled = store::invoices::settled(ctx.uow, inv->id);
    const int64_t open = inv->open_minor - applied;
    store::invoices::set_settlement(ctx.uow, inv->id, open, inv->open_functional_minor - applied_f,
                                    billing::invoice_status(inv->total_minor, open, settled.credited_minor,
                                                            settled.paid_minor),
                                    now);
  } else {
    const auto settled = store::invoices::settled(ctx.uow, inv->id);
    store::invoices::set_settlement(ctx.uow, inv->id, inv->open_minor, inv->open_functional_minor,
                                    billing::invoice_status(inv->total_minor, inv->open_minor,
                                                            settled.credited_minor + cn.total_minor,
                                                            settled.paid_minor),
                                    now);
  }
  if (excess > 0) {
    store::invoices::add_customer_credit(ctx.uow, cn.customer_id, cn.currency, excess, excess_f, "credit_note",
                                         std::to_string(cn.id), now);
  }

  // The reversal: revenue and tax back, AR (and customer credit) down; a
  // cent of rounding between the parts goes to FX.
  ledger::Entry e;
  e.entry_date = cn.issue_date;
  e.currency = cn.functional_currency;
  e.source_type = "credit_note";
  e.source_id = std::to_string(cn.id);
  e.memo = "Credit note " + cn.number + " for invoice " + inv->number;
  int64_t tax_f_sum = 0;
  for (const auto& t : cn.taxes) {
    if (t.tax_minor == 0) continue;
    O2C_ASSIGN_OR_RETURN(auto tf, billing::to_functional(Money(t.tax_minor, *document), cn.fx_rate_e10, *functional));
    if (tf.is_zero()) continue;
    ensure_tax_account(ctx.uow, t.tax_category, t.tax_rate_bp);
    e.postings.push_back({tax_account(t.tax_category, t.tax_rate_bp), tf.minor(), 0});
    tax_f_sum += tf.minor();
  }
  if (total_f.minor() - tax_f_sum > 0) e.postings.push_back({ledger::kRevenue, total_f.minor() - tax_f_sum, 0});
  if (applied_f > 0) e.postings.push_back({ledger::kAccountsReceivable, 0, applied_f});
  if (excess_f > 0) e.postings.push_back({ledger::kCustomerCredit, 0, excess_f});
  const int64_t diff = total_f.minor() - applied_f - excess_f;
  if (diff > 0) e.postings.push_back({ledger::kFxGainLoss, 0, diff});
  if (diff < 0) e.postings.push_back({ledger::kFxGainLoss, -diff, 0});
  O2C_ASSIGN_OR_RETURN(auto entry_id, post_entry(ctx, e));

  auto summary = invoice_summary(cn);
  summary["credited_invoice_id"] = std::to_string(inv->id);
  summary["reason"] = reason;
  if (entry_id) summary["ledger_entry_id"] = std::to_string(*entry_id);
  record_event(ctx, "credit_note", std::to_string(cn.id), "issued", summary);
  store::orders::outbox_append(ctx.uow, "credit_note.issued", summary.dump(), now);
  // The customer's exposure fell: a final-level dunning block may lift, and
  // held orders may pass now.
  O2C_TRY(lift_dunning_block_if_settled(ctx, cn.customer_id));
  O2C_TRY(reevaluate_credit_holds(ctx, cn.customer_id, "credit note " + cn.number));
  return cn;
}

Result<Invoice> get_invoice(store::UnitOfWork& uow, int64_t id) {
  auto v = store::invoices::find(uow, id);
  if (!v) return Error::not_found("invoice_not_found", "no invoice " + std::to_string(id));
  return *v;
}

std::vector<Invoice> list_invoices(store::UnitOfWork& uow, const store::invoices::ListFilter& f,
                                   const store::PageRequest& page) {
  return store::invoices::list(uow, f, page);
}

std::optional<std::pair<int64_t, std::string>> invoice_of_shipment(store::UnitOfWork& uow, int64_t shipment_id) {
  return store::invoices::of_shipment(uow, shipment_id);
}

Result<formats::InvoiceDocument> document_of(store::UnitOfWork& uow, const Invoice& v) {
  auto document = Currency::of(v.currency);
  auto functional = Currency::of(v.functional_currency);
  if (!document || !functional) return Error::internal("document " + v.number + " has an unknown currency");
  auto money = [&](int64_t minor) { return Money(minor, *document); };
  auto to_party = [](const billing::PartySnapshot& p) {
    return formats::Party{p.name, p.vat_id, p.country, p.address, p.peppol_id, p.email, p.phone};
  };
  formats::InvoiceDocument d;
  d.kind = v.kind == billing::DocumentKind::invoice ? formats::DocumentKind::invoice : formats::DocumentKind::credit_note;
  d.number = v.number;
  O2C_ASSIGN_OR_RETURN(d.issue_date, Date::parse(v.issue_date));
  if (v.kind == billing::DocumentKind::invoice) {
    O2C_ASSIGN_OR_RETURN(auto due, Date::parse(v.due_date));
    d.due_date = due;
  }
  d.currency = *document;
  if (!(*document == *functional)) {
    d.tax_currency = *functional;
    O2C_ASSIGN_OR_RETURN(auto tf, billing::to_functional(money(v.tax_total_minor), v.fx_rate_e10, *functional));
    d.tax_total_in_tax_currency = tf;
    d.fx_rate = billing::format_rate_e10(v.fx_rate_e10);
  }
  d.buyer_reference = v.buyer_reference;
  if (v.order_id) {
    if (auto o = store::orders::find(uow, *v.order_id)) d.order_reference = o->external_ref.value_or(o->number);
  }
  if (v.kind == billing::DocumentKind::credit_note) {
    d.preceding_invoice_number = v.credited_invoice_number;
    if (auto pd = Date::parse(v.credited_invoice_date); pd.ok()) d.preceding_invoice_date = *pd;
    d.note = v.reason;
  }
  d.seller = to_party(v.seller);
  d.buyer = to_party(v.buyer);
  if (v.delivery_date) {
    if (auto dd = Date::parse(*v.delivery_date); dd.ok()) d.delivery_date = *dd;
  }
  d.delivery_country = v.buyer.country;
  d.iban = v.seller.iban;
  d.bic = v.seller.bic;
  d.creditor_reference = v.creditor_reference;
  auto terms = store::payment_terms::find(uow, v.payment_terms);
  d.payment_terms = terms ? terms->description : v.payment_terms;
  if (v.discount_date) {
    if (auto dd = Date::parse(*v.discount_date); dd.ok()) d.discount_date = *dd;
  }
  if (v.discount_minor) d.discount_amount = money(*v.discount_minor);
  for (const auto& l : v.lines) {
    formats::DocumentLine dl;
    dl.id = std::to_string(l.line_no);
    dl.sku = l.sku;
    dl.name = l.name;
    dl.quantity = Quantity::from_milli(l.quantity);
    dl.unit_price_e4 = l.unit_price_e4;
    dl.line_net = money(l.line_net_minor);
    dl.tax_category = std::string(masterdata::to_string(l.tax_category));
    dl.tax_rate_bp = l.tax_rate_bp;
    if (!v.order_id && !l.order_number.empty()) dl.order_reference = l.order_number;
    d.lines.push_back(std::move(dl));
  }
  for (const auto& c : v.charges) {
    d.allowances_charges.push_back({c.is_charge, money(c.amount_minor), c.reason,
                                    std::string(masterdata::to_string(c.tax_category)), c.tax_rate_bp});
  }
  for (const auto& t : v.taxes) {
    d.tax_subtotals.push_back({std::string(masterdata::to_string(t.tax_category)), t.tax_rate_bp,
                               money(t.taxable_minor), money(t.tax_minor), t.exemption_code, t.exemption_reason});
  }
  d.net_total = money(v.net_total_minor);
  d.allowance_total = money(v.allowance_total_minor);
  d.charge_total = money(v.charge_total_minor);
  d.tax_exclusive = money(v.tax_exclusive_minor);
  d.tax_total = money(v.tax_total_minor);
  d.total = money(v.total_minor);
  const int64_t paid = v.kind == billing::DocumentKind::invoice ? v.total_minor - v.open_minor : 0;
  d.paid = money(paid);
  d.payable = money(v.total_minor - paid);
  return d;
}

Result<FxRateResult> put_fx_rate(Context& ctx, const FxRateDraft& d) {
  O2C_ASSIGN_OR_RETURN(auto currency, masterdata::parse_currency(d.currency, "currency"));
  if (!d.date || masterdata::trim(*d.date).empty()) return Error::invalid("required", "date is required", "date");
  auto date = Date::parse(masterdata::trim(*d.date));
  if (!date.ok()) return Error::invalid("invalid_date", "date must be a date YYYY-MM-DD", "date");
  if (!d.rate || masterdata::trim(*d.rate).empty()) return Error::invalid("required", "rate is required", "rate");
  auto rate = billing::parse_rate_e10(masterdata::trim(*d.rate));
  if (!rate.ok()) {
    Error e = rate.take_error();
    e.field = "rate";
    return e;
  }
  auto company = store::company::get(ctx.uow);
  const std::string functional = company ? company->currency : std::string();
  if (functional == currency.code()) {
    return Error::invalid("functional_currency",
                          std::string(currency.code()) + " is the functional currency; its rate is always 1",
                          "currency");
  }
  FxRateResult r;
  r.rate = {std::string(currency.code()), date->to_string(), *rate};
  r.replaced = store::invoices::put_rate(ctx.uow, r.rate.currency, r.rate.date, *rate,
                                         ctx.actor.id.valid() ? std::optional<UserId>(ctx.actor.id) : std::nullopt,
                                         ctx.clock.now_rfc3339());
  record_event(ctx, "fx_rate", r.rate.currency + "/" + r.rate.date, r.replaced ? "replaced" : "created",
               {{"currency", r.rate.currency},
                {"date", r.rate.date},
                {"rate", billing::format_rate_e10(*rate)},
                {"functional_currency", functional}});
  return r;
}

}  // namespace o2c::app
