#include "app/orders.h"

#include <map>
#include <set>

#include "app/audit.h"
#include "app/backorders.h"
#include "app/credit.h"
#include "core/decimal.h"
#include "core/money.h"
#include "domain/billing/totals.h"
#include "domain/credit/check.h"
#include "domain/masterdata/fields.h"
#include "domain/order/reserve.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

std::string line_field(size_t i, const char* name) { return "lines[" + std::to_string(i) + "]." + name; }

Error with_field(Error e, std::string field) {
  e.field = std::move(field);
  return e;
}

std::string money_str(int64_t minor, const std::string& currency) {
  auto c = Currency::of(currency);
  return format_scaled(minor, c ? c->exponent() : 2);
}

nlohmann::json reasons_json(const std::vector<order::HoldReason>& reasons) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& r : reasons) a.push_back({{"code", r.code}, {"message", r.message}});
  return a;
}

nlohmann::json summary_json(const order::Order& o) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : o.lines) {
    lines.push_back({{"line_no", l.line_no},
                     {"sku", l.sku},
                     {"quantity", Quantity::from_milli(l.quantity).to_string()},
                     {"unit_price", format_scaled(l.unit_price_e4, masterdata::kPriceDecimals, true, 2)},
                     {"price_overridden", l.price_overridden},
                     {"line_net", money_str(l.line_net_minor, o.currency)},
                     {"reserved", Quantity::from_milli(l.reserved).to_string()}});
  }
  return {{"order_id", o.id.to_string()},
          {"number", o.number},
          {"customer_id", o.customer_id.to_string()},
          {"currency", o.currency},
          {"status", std::string(order::to_string(o.status))},
          {"net_total", money_str(o.net_total_minor, o.currency)},
          {"tax_total", money_str(o.tax_total_minor, o.currency)},
          {"total", money_str(o.total_minor, o.currency)},
          {"hold_reasons", reasons_json(o.hold_reasons)},
          {"lines", lines}};
}

void announce(Context& ctx, const std::string& topic, const nlohmann::json& payload) {
  store::orders::outbox_append(ctx.uow, topic, payload.dump(), ctx.clock.now_rfc3339());
}

// Reserves what each line still lacks, from every warehouse, under row locks
// taken in (product_id, warehouse_id) order. Updates `o.lines[*].reserved`.
Status reserve(Context& ctx, order::Order& o) {
  std::map<int64_t, std::vector<store::orders::LockedStock>> locked;  // ascending product id
  for (const auto& l : o.lines) locked[l.product_id.value()];
  std::map<int64_t, std::vector<inventory::WarehouseStock>> offers;
  for (auto& [product, rows] : locked) {
    rows = store::orders::lock_stock_of_product(ctx.uow, ProductId(product));
    for (const auto& s : rows) {
      offers[product].push_back({s.warehouse_id, s.priority, Quantity::from_milli(s.on_hand - s.reserved)});
    }
  }
  std::vector<order::LineWant> wants;
  for (const auto& l : o.lines) {
    wants.push_back({l.product_id, Quantity::from_milli(std::max<int64_t>(0, l.quantity - l.reserved - l.shipped))});
  }
  O2C_ASSIGN_OR_RETURN(auto plan, order::plan_order_reservation(wants, offers));
  for (const auto& [product, per_wh] : plan.taken_milli) {
    for (const auto& [wh, qty] : per_wh) {
      for (const auto& s : locked[product]) {
        if (s.warehouse_id.value() == wh) {
          store::orders::set_stock_reserved(ctx.uow, s.warehouse_id, ProductId(product), s.reserved + qty);
        }
      }
    }
  }
  for (size_t i = 0; i < o.lines.size(); ++i) {
    int64_t added = 0;
    for (const auto& r : plan.plans[i].reservations) {
      store::orders::add_reservation(ctx.uow, o.lines[i].id, r.warehouse_id, r.quantity.milli());
      added += r.quantity.milli();
    }
    if (added > 0) {
      o.lines[i].reserved += added;
      store::orders::set_line_reserved(ctx.uow, o.lines[i].id, o.lines[i].reserved);
    }
  }
  return {};
}

// Gives back every unit the order holds, locking stock rows in
// (product_id, warehouse_id) order. Returns the stock rows it freed units
// in, as they are now (still locked), by product id.
std::map<int64_t, std::vector<store::orders::LockedStock>> release(Context& ctx, order::Order& o) {
  auto rows = store::orders::reservations_of_order(ctx.uow, o.id);  // sorted by product, warehouse
  std::map<int64_t, std::map<int64_t, int64_t>> freed;
  for (const auto& r : rows) freed[r.product_id.value()][r.warehouse_id.value()] += r.quantity;
  std::map<int64_t, std::vector<store::orders::LockedStock>> touched;
  for (const auto& [product, per_wh] : freed) {
    for (auto s : store::orders::lock_stock_of_product(ctx.uow, ProductId(product))) {
      auto it = per_wh.find(s.warehouse_id.value());
      if (it == per_wh.end()) continue;
      s.reserved -= it->second;
      store::orders::set_stock_reserved(ctx.uow, s.warehouse_id, ProductId(product), s.reserved);
      touched[product].push_back(s);
    }
  }
  store::orders::delete_reservations_of_order(ctx.uow, o.id);
  for (auto& l : o.lines) {
    if (l.reserved != 0) {
      l.reserved = 0;
      store::orders::set_line_reserved(ctx.uow, l.id, 0);
    }
  }
  return touched;
}

Result<std::string> required_reason(const masterdata::Text& reason) {
  return masterdata::required_text(reason, "reason", masterdata::kAddressMax);
}

Result<order::Order> load_for_update(Context& ctx, OrderId id) {
  auto o = store::orders::find(ctx.uow, id, true);
  if (!o) return Error::not_found("order_not_found", "no order " + id.to_string());
  return *o;
}

// The order's allowances and charges: validated, given their tax group, and
// added to the totals input (which computes the lines' nets with them).
Status read_charges(const OrderDraft& d, order::Order& o, Currency currency, billing::TotalsInput& in) {
  using masterdata::TaxCategory;
  std::map<std::pair<TaxCategory, int64_t>, int64_t> group_net;  // from the lines, recomputed here
  {
    billing::TotalsInput lines_only{currency, in.lines, {}, {}};
    O2C_ASSIGN_OR_RETURN(auto t, billing::compute_totals(lines_only));
    for (size_t i = 0; i < in.lines.size(); ++i) {
      group_net[{in.lines[i].tax_category, in.lines[i].tax_rate_bp}] += t.line_nets[i].minor();
    }
  }
  std::map<std::pair<TaxCategory, int64_t>, int64_t> allowed;
  int seq = 0;
  for (const bool is_charge : {false, true}) {
    const auto& drafts = is_charge ? d.charges : d.allowances;
    const std::string list = is_charge ? "charges" : "allowances";
    for (size_t i = 0; i < drafts.size(); ++i) {
      const auto& cd = drafts[i];
      const std::string at = list + "[" + std::to_string(i) + "].";
      if (!cd.amount || masterdata::trim(*cd.amount).empty()) {
        return Error::invalid("required", "amount is required", at + "amount");
      }
      auto amount = Money::parse(masterdata::trim(*cd.amount), currency);
      if (!amount.ok()) return with_field(amount.take_error(), at + "amount");
      if (amount->minor() <= 0) return Error::invalid("invalid_amount", "the amount must be above zero", at + "amount");
      // EN 16931 BR-33 / BR-38: every allowance and charge says why.
      O2C_ASSIGN_OR_RETURN(auto reason, masterdata::required_text(cd.reason, at + "reason", 200));
      order::OrderCharge c;
      c.seq = ++seq;
      c.is_charge = is_charge;
      c.amount_minor = amount->minor();
      c.reason = reason;
      if (cd.tax_category && !masterdata::trim(*cd.tax_category).empty()) {
        auto cat = masterdata::tax_category_from(masterdata::trim(*cd.tax_category));
        if (!cat) {
          return Error::invalid("invalid_tax_category", "tax_category must be one of S, Z, E, AE, K, G, O",
                                at + "tax_category");
        }
        c.tax_category = *cat;
        if (cd.tax_rate && !masterdata::trim(*cd.tax_rate).empty()) {
          auto rate = parse_scaled(masterdata::trim(*cd.tax_rate), masterdata::kTaxRateDecimals);
          if (!rate.ok()) return with_field(rate.take_error(), at + "tax_rate");
          c.tax_rate_bp = *rate;
        } else if (c.tax_category == TaxCategory::S) {
          // The standard rate of the order's own S lines, when they have one.
          std::optional<int64_t> only;
          bool several = false;
          for (const auto& [g, _] : group_net) {
            if (g.first != TaxCategory::S) continue;
            if (only && *only != g.second) several = true;
            only = g.second;
          }
          if (!only || several) {
            return Error::invalid("required", "tax_rate is required for category S here", at + "tax_rate");
          }
          c.tax_rate_bp = *only;
        }
        if ((c.tax_category == TaxCategory::S) != (c.tax_rate_bp > 0) || c.tax_rate_bp > masterdata::kTaxRateMaxBp) {
          return Error::invalid("invalid_tax_rate",
                                "category S needs a rate above 0 and at most 100; every other category has rate 0",
                                at + "tax_rate");
        }
      } else {
        if (group_net.size() != 1) {
          return Error::invalid("required", "the order's lines are in several tax groups: name this one's",
                                at + "tax_category");
        }
        c.tax_category = group_net.begin()->first.first;
        c.tax_rate_bp = group_net.begin()->first.second;
      }
      const auto group = std::make_pair(c.tax_category, c.tax_rate_bp);
      if (!is_charge) {
        // An allowance lowers its group's goods, and invoices bill it with
        // them (billing/order_charges.h): the group needs lines that cover it.
        auto g = group_net.find(group);
        if (g == group_net.end()) {
          return Error::invalid("allowance_without_lines", "no line of the order is in this allowance's tax group",
                                at + "tax_category");
        }
        allowed[group] += c.amount_minor;
        if (allowed[group] > g->second) {
          return Error::invalid("allowances_exceed_lines",
                                "the allowances of a tax group exceed the net of its lines", at + "amount");
        }
        in.allowances.push_back({*amount, c.tax_category, c.tax_rate_bp, c.reason});
      } else {
        in.charges.push_back({*amount, c.tax_category, c.tax_rate_bp, c.reason});
      }
      o.charges.push_back(std::move(c));
    }
  }
  return {};
}

// Validates and prices the draft and takes the credit decision, reading only:
// what place_order writes and quote_order answers. The caller that writes
// has locked the customer row first, so that the position read here holds
// until its commit.
Result<order::Order> price_order(store::UnitOfWork& uow, const OrderDraft& d, Role role, Date today) {
  // The customer.
  O2C_ASSIGN_OR_RETURN(auto customer_ref, masterdata::required_text(d.customer_id, "customer_id", masterdata::kCodeMax));
  auto customer_id = CustomerId::parse(customer_ref);
  std::optional<masterdata::Customer> customer;
  if (customer_id) customer = store::customers::find(uow, *customer_id);
  if (!customer) return Error::invalid("unknown_customer", "no customer '" + customer_ref + "'", "customer_id");
  if (customer->blocked) {
    return Error::invalid("customer_blocked", "customer " + customer_ref + " is blocked and may not order",
                          "customer_id");
  }
  auto currency = Currency::of(customer->currency);
  if (!currency) return Error::internal("customer " + customer_ref + " has an unknown currency");
  if (d.currency && !masterdata::trim(*d.currency).empty() && masterdata::trim(*d.currency) != customer->currency) {
    return Error::invalid("currency_mismatch",
                          "orders of this customer are in " + customer->currency + ", not " + *d.currency,
                          "currency");
  }
  O2C_ASSIGN_OR_RETURN(auto external_ref, masterdata::optional_text(d.external_ref, "external_ref"));
  O2C_ASSIGN_OR_RETURN(auto ship_to, masterdata::optional_text(d.ship_to, "ship_to", masterdata::kAddressMax));

  // The lines.
  if (d.lines.empty()) return Error::invalid("required", "an order needs at least one line", "lines");
  order::Order o;
  o.customer_id = *customer_id;
  o.currency = customer->currency;
  o.external_ref = external_ref;
  o.ship_to = ship_to;
  billing::TotalsInput totals_in{*currency, {}, {}, {}};
  for (size_t i = 0; i < d.lines.size(); ++i) {
    const auto& ld = d.lines[i];
    O2C_ASSIGN_OR_RETURN(auto sku, masterdata::required_text(ld.sku, line_field(i, "sku"), masterdata::kCodeMax));
    auto product = store::products::find_by_sku(uow, sku);
    if (!product) return Error::invalid("unknown_sku", "no product with SKU '" + sku + "'", line_field(i, "sku"));
    if (!ld.quantity) return Error::invalid("required", "quantity is required", line_field(i, "quantity"));
    auto qty = Quantity::parse(*ld.quantity);
    if (!qty.ok()) return with_field(qty.take_error(), line_field(i, "quantity"));
    if (!qty->is_positive()) {
      return Error::invalid("non_positive_quantity", "the quantity must be greater than zero", line_field(i, "quantity"));
    }
    if (product->currency != o.currency) {
      return Error::invalid("currency_mismatch",
                            "product " + sku + " is priced in " + product->currency + ", the order is in " + o.currency,
                            line_field(i, "sku"));
    }
    order::OrderLine line;
    line.line_no = static_cast<int>(i + 1);
    line.product_id = product->id;
    line.sku = product->sku;
    line.quantity = qty->milli();
    line.unit_price_e4 = product->unit_price_e4;
    line.tax_category = product->tax_category;
    line.tax_rate_bp = product->tax_rate_bp;
    if (ld.unit_price) {
      if (role != Role::sales) {
        return Error{ErrorKind::forbidden, "forbidden", "only the sales role may set a unit price",
                     line_field(i, "unit_price")};
      }
      O2C_ASSIGN_OR_RETURN(line.unit_price_e4, masterdata::parse_price(ld.unit_price, line_field(i, "unit_price")));
      line.price_overridden = true;
    }
    totals_in.lines.push_back({*qty, line.unit_price_e4, std::nullopt, line.tax_category, line.tax_rate_bp});
    o.lines.push_back(std::move(line));
  }
  O2C_TRY(read_charges(d, o, *currency, totals_in));
  O2C_ASSIGN_OR_RETURN(auto totals, billing::compute_totals(totals_in));
  for (size_t i = 0; i < o.lines.size(); ++i) o.lines[i].line_net_minor = totals.line_nets[i].minor();
  o.net_total_minor = totals.net_total.minor();
  o.tax_total_minor = totals.tax_total.minor();
  o.total_minor = totals.total.minor();

  // Credit.
  O2C_ASSIGN_OR_RETURN(auto position, credit_position(uow, *customer, today));
  O2C_ASSIGN_OR_RETURN(auto ci, credit_input(*customer, position, totals.total.minor()));
  O2C_ASSIGN_OR_RETURN(auto decision, credit::check_credit(ci));
  o.status = decision.passed() ? order::OrderStatus::open : order::OrderStatus::credit_hold;
  for (const auto& r : decision.reasons) o.hold_reasons.push_back({r.code, r.message});
  return o;
}

}  // namespace

Result<order::Order> place_order(Context& ctx, const OrderDraft& d) {
  // Credit decisions for one customer are taken one after another: lock its
  // row before price_order reads its position.
  if (d.customer_id) {
    if (auto id = CustomerId::parse(masterdata::trim(*d.customer_id))) store::orders::lock_customer(ctx.uow, *id);
  }
  O2C_ASSIGN_OR_RETURN(auto o, price_order(ctx.uow, d, ctx.actor.role, ctx.clock.today()));

  // Write: number, order, lines, reservations, audit, outbox.
  o.placed_seq = store::orders::next_counter(ctx.uow, "order");
  o.number = order::order_number(o.placed_seq);
  o.created_at = o.updated_at = ctx.clock.now_rfc3339();
  o.placed_on = ctx.clock.today().to_string();
  if (ctx.actor.id.valid()) o.created_by = ctx.actor.id;
  store::orders::insert(ctx.uow, o);
  if (o.status == order::OrderStatus::open) O2C_TRY(reserve(ctx, o));
  auto summary = summary_json(o);
  record_event(ctx, "order", o.id.to_string(), "placed", summary);
  announce(ctx, "order.created", summary);
  announce(ctx, o.status == order::OrderStatus::open ? "order.released" : "order.credit_hold",
           {{"order_id", o.id.to_string()}, {"number", o.number}, {"hold_reasons", reasons_json(o.hold_reasons)}});
  return o;
}

Result<order::Order> approve_order(Context& ctx, OrderId id, const masterdata::Text& reason_text) {
  O2C_ASSIGN_OR_RETURN(auto reason, required_reason(reason_text));
  O2C_ASSIGN_OR_RETURN(auto o, load_for_update(ctx, id));
  O2C_ASSIGN_OR_RETURN(auto next, order::transition(o.status, order::OrderEvent::approve));
  auto held_for = o.hold_reasons;
  o.status = next;
  o.hold_reasons.clear();
  o.updated_at = ctx.clock.now_rfc3339();
  store::orders::update_status(ctx.uow, o.id, o.status, o.hold_reasons, o.updated_at);
  store::orders::record_hold_decision(ctx.uow, o.id, "approved", o.updated_at);
  O2C_TRY(reserve(ctx, o));
  auto summary = summary_json(o);
  record_event(ctx, "order", o.id.to_string(), "approved",
               {{"reason", reason}, {"hold_reasons", reasons_json(held_for)}, {"after", summary}});
  announce(ctx, "order.released", {{"order_id", o.id.to_string()}, {"number", o.number}, {"reason", reason}});
  return o;
}

Result<order::Order> reject_order(Context& ctx, OrderId id, const masterdata::Text& reason_text) {
  O2C_ASSIGN_OR_RETURN(auto reason, required_reason(reason_text));
  O2C_ASSIGN_OR_RETURN(auto o, load_for_update(ctx, id));
  O2C_ASSIGN_OR_RETURN(auto next, order::transition(o.status, order::OrderEvent::reject));
  auto held_for = o.hold_reasons;
  o.status = next;
  o.hold_reasons.clear();
  o.updated_at = ctx.clock.now_rfc3339();
  store::orders::update_status(ctx.uow, o.id, o.status, o.hold_reasons, o.updated_at);
  store::orders::record_hold_decision(ctx.uow, o.id, "rejected", o.updated_at);
  record_event(ctx, "order", o.id.to_string(), "rejected",
               {{"reason", reason}, {"hold_reasons", reasons_json(held_for)}});
  announce(ctx, "order.rejected", {{"order_id", o.id.to_string()}, {"number", o.number}, {"reason", reason}});
  return o;
}

Result<order::Order> cancel_order(Context& ctx, OrderId id, const masterdata::Text& reason_text) {
  O2C_ASSIGN_OR_RETURN(auto reason, masterdata::optional_text(reason_text, "reason", masterdata::kAddressMax));
  // Locks in the order every use case takes them: the customer row, then
  // its held orders with this one in ascending id order, then stock rows
  // (released below, reserved again by the re-evaluation).
  auto peek = store::orders::find(ctx.uow, id);
  if (!peek) return Error::not_found("order_not_found", "no order " + id.to_string());
  store::orders::lock_customer(ctx.uow, peek->customer_id);
  auto to_lock = store::orders::held_orders_of_customer(ctx.uow, peek->customer_id);
  to_lock.push_back(id);
  // The orders waiting for this order's products get the freed units.
  std::set<int64_t> waiting;
  for (const auto& l : peek->lines) {
    for (const auto& b : store::orders::backordered_lines_of_product(ctx.uow, l.product_id)) {
      if (b.order_id != id && waiting.insert(b.order_id.value()).second) to_lock.push_back(b.order_id);
    }
  }
  store::orders::lock_orders(ctx.uow, to_lock);
  O2C_ASSIGN_OR_RETURN(auto o, load_for_update(ctx, id));
  O2C_ASSIGN_OR_RETURN(auto next, order::transition(o.status, order::OrderEvent::cancel));
  auto before = std::string(order::to_string(o.status));
  const bool had_credit = o.status != order::OrderStatus::credit_hold;
  auto freed = release(ctx, o);
  o.status = next;
  o.hold_reasons.clear();
  o.updated_at = ctx.clock.now_rfc3339();
  store::orders::update_status(ctx.uow, o.id, o.status, o.hold_reasons, o.updated_at);
  if (!had_credit) store::orders::record_hold_decision(ctx.uow, o.id, "cancelled", o.updated_at);
  // Freed units go to the oldest backorders first, as a receipt's would.
  std::vector<BackorderFill> fills;
  for (const auto& [product_id, stock_rows] : freed) {
    if (waiting.empty()) break;
    auto product = store::products::find(ctx.uow, ProductId(product_id));
    if (!product) continue;
    for (const auto& s : stock_rows) {
      auto wh = store::warehouses::find(ctx.uow, s.warehouse_id);
      inventory::StockLevel level{s.warehouse_id, wh ? wh->code : "", product->id, product->sku,
                                  Quantity::from_milli(s.on_hand), Quantity::from_milli(s.reserved), s.avg_cost_e4};
      O2C_TRY(fill_backorders(ctx, s.warehouse_id, level.warehouse_code, *product, level, waiting,
                              {{"cancelled_order_id", o.id.to_string()}}, fills));
    }
  }
  nlohmann::json payload = {{"before", before}, {"reason", reason ? nlohmann::json(*reason) : nlohmann::json()}};
  record_event(ctx, "order", o.id.to_string(), "cancelled", payload);
  announce(ctx, "order.cancelled", {{"order_id", o.id.to_string()}, {"number", o.number}, {"reason", payload["reason"]}});
  // The customer's exposure fell by this order's total: held orders may pass now.
  if (had_credit) O2C_TRY(reevaluate_credit_holds(ctx, o.customer_id, "order " + o.number + " cancelled"));
  return o;
}

Result<std::vector<order::Order>> reevaluate_credit_holds(Context& ctx, CustomerId customer_id,
                                                          const std::string& trigger) {
  std::vector<order::Order> released;
  auto held = store::orders::held_orders_of_customer(ctx.uow, customer_id);
  if (held.empty()) return released;
  store::orders::lock_customer(ctx.uow, customer_id);
  store::orders::lock_orders(ctx.uow, held);
  auto customer = store::customers::find(ctx.uow, customer_id);
  if (!customer || customer->blocked) return released;  // a blocked customer's orders stay held
  auto currency = Currency::of(customer->currency);
  if (!currency) return Error::internal("customer " + customer_id.to_string() + " has an unknown currency");
  // Oldest first, and each release counts against the next: the order that
  // waited longest gets the room first.
  for (const auto& id : store::orders::held_orders_of_customer(ctx.uow, customer_id)) {
    auto o = store::orders::find(ctx.uow, id, true);
    if (!o || o->status != order::OrderStatus::credit_hold) continue;
    O2C_ASSIGN_OR_RETURN(auto position, credit_position(ctx.uow, *customer, ctx.clock.today(), o->id));
    O2C_ASSIGN_OR_RETURN(auto now, credit_input(*customer, position, o->total_minor));
    O2C_ASSIGN_OR_RETURN(bool passes, credit::would_release(now));
    if (!passes) continue;
    O2C_ASSIGN_OR_RETURN(auto next, order::transition(o->status, order::OrderEvent::release));
    auto held_for = o->hold_reasons;
    o->status = next;
    o->hold_reasons.clear();
    o->updated_at = ctx.clock.now_rfc3339();
    store::orders::update_status(ctx.uow, o->id, o->status, o->hold_reasons, o->updated_at);
    store::orders::record_hold_decision(ctx.uow, o->id, "released", o->updated_at);
    O2C_TRY(reserve(ctx, *o));
    record_event(ctx, "order", o->id.to_string(), "released",
                 {{"trigger", trigger}, {"hold_reasons", reasons_json(held_for)}, {"after", summary_json(*o)}});
    announce(ctx, "order.released", {{"order_id", o->id.to_string()}, {"number", o->number}, {"trigger", trigger}});
    released.push_back(std::move(*o));
  }
  return released;
}

Result<masterdata::Customer> set_credit_status(Context& ctx, CustomerId id, const CreditStatusChange& change) {
  if (!change.credit_block && !change.blocked) {
    return Error::invalid("nothing_to_change", "send credit_block, blocked or both", "credit_block");
  }
  O2C_ASSIGN_OR_RETURN(auto reason, required_reason(change.reason));
  if (!store::orders::lock_customer(ctx.uow, id)) {
    return Error::not_found("customer_not_found", "no customer " + id.to_string());
  }
  auto c = store::customers::find(ctx.uow, id);
  if (!c) return Error::not_found("customer_not_found", "no customer " + id.to_string());
  const bool credit_block = change.credit_block.value_or(c->credit_block);
  const bool blocked = change.blocked.value_or(c->blocked);
  if (credit_block == c->credit_block && blocked == c->blocked) return *c;  // nothing changes, nothing recorded
  nlohmann::json payload = {{"reason", reason},
                            {"before", {{"credit_block", c->credit_block}, {"blocked", c->blocked}}},
                            {"after", {{"credit_block", credit_block}, {"blocked", blocked}}}};
  const bool lifted = (c->credit_block && !credit_block) || (c->blocked && !blocked);
  c->credit_block = credit_block;
  c->blocked = blocked;
  c->updated_at = ctx.clock.now_rfc3339();
  store::customers::set_credit_status(ctx.uow, id, credit_block, blocked, c->updated_at);
  record_event(ctx, "customer", id.to_string(), "credit_status_changed", payload);
  announce(ctx, "customer.credit_status_changed", {{"customer_id", id.to_string()}, {"after", payload["after"]}});
  if (lifted) O2C_TRY(reevaluate_credit_holds(ctx, id, "credit status changed: " + reason));
  return *c;
}

Result<order::Order> quote_order(store::UnitOfWork& uow, const OrderDraft& draft, Role role, Date today) {
  return price_order(uow, draft, role, today);
}

Result<order::Order> get_order(store::UnitOfWork& uow, OrderId id) {
  auto o = store::orders::find(uow, id);
  if (!o) return Error::not_found("order_not_found", "no order " + id.to_string());
  return *o;
}

std::vector<order::Order> list_orders(store::UnitOfWork& uow, const store::orders::ListFilter& filter,
                                      const store::PageRequest& page) {
  return store::orders::list(uow, filter, page);
}

}  // namespace o2c::app
