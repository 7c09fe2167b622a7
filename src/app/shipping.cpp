#include "app/shipping.h"

#include <algorithm>
#include <map>

#include "app/audit.h"
#include "app/billing.h"
#include "app/ledger.h"
#include "core/decimal.h"
#include "domain/inventory/stock.h"
#include "domain/masterdata/fields.h"
#include "domain/shipping/plan.h"
#include "store/orders_repo.h"

namespace o2c::app {
namespace {

Result<std::optional<Date>> optional_date(const masterdata::Text& t, const char* field) {
  if (!t || masterdata::trim(*t).empty()) return std::optional<Date>();
  auto d = Date::parse(masterdata::trim(*t));
  if (!d.ok()) return Error::invalid("invalid_date", std::string(field) + " must be a date YYYY-MM-DD", field);
  return std::optional<Date>(*d);
}

nlohmann::json shipment_json(const shipping::Shipment& s) {
  auto cur = Currency::of(s.cost_currency);
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : s.lines) {
    lines.push_back({{"sku", l.sku},
                     {"warehouse_id", l.warehouse_id.to_string()},
                     {"quantity", Quantity::from_milli(l.quantity).to_string()},
                     {"cost", format_scaled(l.cost_minor, cur ? cur->exponent() : 2)}});
  }
  return {{"shipment_id", std::to_string(s.id)},
          {"number", s.number},
          {"order_id", s.order_id.to_string()},
          {"status", shipping::to_string(s.status)},
          {"carrier", s.carrier ? nlohmann::json(*s.carrier) : nlohmann::json()},
          {"tracking_number", s.tracking_number ? nlohmann::json(*s.tracking_number) : nlohmann::json()},
          {"shipped_on", s.shipped_on},
          {"cost", format_scaled(s.cost_minor, cur ? cur->exponent() : 2)},
          {"cost_currency", s.cost_currency},
          {"lines", lines}};
}

Error with_field(Error e, std::string field) {
  e.field = std::move(field);
  return e;
}

}  // namespace

Result<shipping::Shipment> create_shipment(Context& ctx, const ShipmentDraft& d) {
  // Everything that can be checked without the order, first.
  O2C_ASSIGN_OR_RETURN(auto order_ref, masterdata::required_text(d.order_id, "order_id", masterdata::kCodeMax));
  O2C_ASSIGN_OR_RETURN(auto carrier, masterdata::optional_text(d.carrier, "carrier"));
  O2C_ASSIGN_OR_RETURN(auto tracking, masterdata::optional_text(d.tracking_number, "tracking_number"));
  O2C_ASSIGN_OR_RETURN(auto as_of, optional_date(d.as_of, "as_of"));
  const Date shipped_on = as_of.value_or(ctx.clock.today());
  std::optional<std::vector<shipping::Requested>> requested;
  if (d.lines) {
    requested.emplace();
    for (size_t i = 0; i < d.lines->size(); ++i) {
      const auto& l = (*d.lines)[i];
      const std::string prefix = "lines[" + std::to_string(i) + "].";
      O2C_ASSIGN_OR_RETURN(auto sku, masterdata::required_text(l.sku, prefix + "sku", masterdata::kCodeMax));
      if (!l.quantity) return Error::invalid("required", "quantity is required", prefix + "quantity");
      auto q = Quantity::parse(*l.quantity);
      if (!q.ok()) return with_field(q.take_error(), prefix + "quantity");
      requested->push_back({sku, *q});
    }
  }

  // The order, locked: its row first, then its products' stock rows in
  // (product, warehouse) order, as every other use case locks them.
  auto order_id = OrderId::parse(order_ref);
  std::optional<order::Order> o;
  if (order_id) o = store::orders::find(ctx.uow, *order_id, true);
  if (!o) return Error::invalid("unknown_order", "no order '" + order_ref + "'", "order_id");
  switch (o->status) {
    case order::OrderStatus::open:
    case order::OrderStatus::partially_shipped:
      break;
    case order::OrderStatus::credit_hold:
      return Error::conflict("order_on_credit_hold", "order " + o->number + " is on credit hold; it cannot ship");
    case order::OrderStatus::rejected:
    case order::OrderStatus::cancelled:
      return Error::conflict("order_not_shippable",
                             "order " + o->number + " is " + std::string(order::to_string(o->status)));
    default:
      return Error::conflict("nothing_to_ship", "order " + o->number + " has shipped in full");
  }

  std::map<int64_t, const order::OrderLine*> line_of;
  std::vector<std::string> order_skus;
  for (const auto& l : o->lines) {
    line_of[l.id.value()] = &l;
    order_skus.push_back(l.sku);
  }
  auto rows = store::orders::reservations_of_order(ctx.uow, o->id);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.line_no, a.warehouse_priority, a.warehouse_id) <
           std::tie(b.line_no, b.warehouse_priority, b.warehouse_id);
  });
  std::vector<shipping::Reserved> reserved;
  for (const auto& r : rows) {
    reserved.push_back({r.line_id, r.line_no, line_of.at(r.line_id.value())->sku, r.warehouse_id,
                        Quantity::from_milli(r.quantity)});
  }
  O2C_ASSIGN_OR_RETURN(auto picks, shipping::plan_shipment(reserved, order_skus, requested));

  const Currency order_currency = *Currency::of(o->currency);
  const Currency cost_currency = functional_currency(ctx.uow, order_currency);
  shipping::Shipment s;
  s.order_id = o->id;
  s.order_number = o->number;
  s.carrier = carrier;
  s.tracking_number = tracking;
  s.ship_to = o->ship_to;
  s.shipped_on = shipped_on.to_string();
  s.cost_currency = std::string(cost_currency.code());

  // Stock out, per product in ascending id order.
  std::map<int64_t, std::vector<const shipping::Pick*>> by_product;
  for (const auto& p : picks) by_product[line_of.at(p.line_id.value())->product_id.value()].push_back(&p);
  Money total_cost = Money::zero(cost_currency);
  for (const auto& [product, product_picks] : by_product) {
    auto stock = store::orders::lock_stock_of_product(ctx.uow, ProductId(product));
    for (const auto* p : product_picks) {
      auto it = std::find_if(stock.begin(), stock.end(),
                             [&](const auto& st) { return st.warehouse_id == p->warehouse_id; });
      if (it == stock.end() || it->reserved < p->quantity.milli() || it->on_hand < p->quantity.milli()) {
        return Error::internal("stock of product " + std::to_string(product) + " in warehouse " +
                               p->warehouse_id.to_string() + " does not hold the reserved units");
      }
      it->on_hand -= p->quantity.milli();
      it->reserved -= p->quantity.milli();
      store::orders::set_stock_out(ctx.uow, it->warehouse_id, ProductId(product), it->on_hand, it->reserved);
      O2C_ASSIGN_OR_RETURN(auto cost, inventory::extended_cost(p->quantity, it->avg_cost_e4, cost_currency));
      O2C_ASSIGN_OR_RETURN(total_cost, total_cost.add(cost));
      shipping::ShipmentLine sl;
      sl.order_line_id = p->line_id;
      sl.product_id = ProductId(product);
      sl.sku = p->sku;
      sl.warehouse_id = p->warehouse_id;
      sl.quantity = p->quantity.milli();
      sl.unit_cost_e4 = it->avg_cost_e4;
      sl.cost_minor = cost.minor();
      s.lines.push_back(std::move(sl));
    }
  }
  s.cost_minor = total_cost.minor();

  // Reservations and lines.
  std::map<std::pair<int64_t, int64_t>, int64_t> held;  // (line, warehouse) -> reserved
  for (const auto& r : rows) held[{r.line_id.value(), r.warehouse_id.value()}] = r.quantity;
  std::map<int64_t, int64_t> shipped_now;  // line -> quantity
  for (const auto& p : picks) {
    auto& h = held[{p.line_id.value(), p.warehouse_id.value()}];
    h -= p.quantity.milli();
    store::orders::set_reservation(ctx.uow, p.line_id, p.warehouse_id, h);
    shipped_now[p.line_id.value()] += p.quantity.milli();
  }
  bool complete = true;
  for (auto& l : o->lines) {
    if (auto it = shipped_now.find(l.id.value()); it != shipped_now.end()) {
      l.reserved -= it->second;
      l.shipped += it->second;
      store::orders::set_line_shipped(ctx.uow, l.id, l.reserved, l.shipped);
    }
    if (l.shipped < l.quantity) complete = false;
  }
  O2C_ASSIGN_OR_RETURN(auto next, order::transition(o->status, complete ? order::OrderEvent::ship_complete
                                                                         : order::OrderEvent::ship_partial));
  const std::string now = ctx.clock.now_rfc3339();
  o->status = next;
  o->updated_at = now;
  store::orders::update_status(ctx.uow, o->id, o->status, o->hold_reasons, now);

  // The shipment, its ledger entry, audit and outbox.
  s.number = shipping::shipment_number(store::orders::next_counter(ctx.uow, "shipment"));
  s.created_at = s.updated_at = now;
  if (ctx.actor.id.valid()) s.created_by = ctx.actor.id;
  store::shipments::insert(ctx.uow, s);
  auto entry = ledger::transfer(ledger::kCostOfGoodsSold, ledger::kInventory, total_cost);
  entry.entry_date = s.shipped_on;
  entry.source_type = "shipment";
  entry.source_id = std::to_string(s.id);
  entry.memo = "Cost of goods sold, shipment " + s.number + " of order " + o->number;
  O2C_ASSIGN_OR_RETURN(auto entry_id, post_entry(ctx, entry));
  auto summary = shipment_json(s);
  if (entry_id) summary["ledger_entry_id"] = std::to_string(*entry_id);
  record_event(ctx, "shipment", std::to_string(s.id), "shipped", summary);
  record_event(ctx, "order", o->id.to_string(), complete ? "shipped" : "partially_shipped",
               {{"shipment_id", std::to_string(s.id)}, {"status", std::string(order::to_string(o->status))}});
  store::orders::outbox_append(ctx.uow, "shipment.created", summary.dump(), now);
  store::orders::outbox_append(ctx.uow, complete ? "order.shipped" : "order.partially_shipped",
                               nlohmann::json{{"order_id", o->id.to_string()},
                                              {"number", o->number},
                                              {"shipment_id", std::to_string(s.id)},
                                              {"carrier", summary["carrier"]},
                                              {"tracking_number", summary["tracking_number"]}}
                                   .dump(),
                               now);
  // The invoice for what shipped, in the same commit: a shipment is never
  // left unbilled, and a failure to invoice (e.g. the company profile is
  // incomplete) ships nothing.
  O2C_ASSIGN_OR_RETURN(auto invoice, invoice_shipment(ctx, *o, s));
  // Read back for warehouse codes, bins and names (the pick list's view).
  auto stored = store::shipments::find(ctx.uow, s.id);
  shipping::Shipment out = stored ? *stored : s;
  if (invoice) {
    out.invoice_id = invoice->id;
    out.invoice_number = invoice->number;
  }
  return out;
}

Result<shipping::Shipment> deliver_shipment(Context& ctx, int64_t id, const masterdata::Text& as_of_text) {
  O2C_ASSIGN_OR_RETURN(auto as_of, optional_date(as_of_text, "as_of"));
  auto s = store::shipments::find(ctx.uow, id, true);
  if (!s) return Error::not_found("shipment_not_found", "no shipment " + std::to_string(id));
  if (s->status == shipping::ShipmentStatus::delivered) {
    return Error::conflict("already_delivered", "shipment " + s->number + " was delivered on " + *s->delivered_on);
  }
  const std::string on = as_of.value_or(ctx.clock.today()).to_string();
  if (on < s->shipped_on) {
    return Error::invalid("delivered_before_shipped",
                          "shipment " + s->number + " shipped on " + s->shipped_on + "; it cannot arrive on " + on,
                          "as_of");
  }
  const std::string now = ctx.clock.now_rfc3339();
  store::shipments::set_delivered(ctx.uow, id, on, now);
  s->status = shipping::ShipmentStatus::delivered;
  s->delivered_on = on;
  s->updated_at = now;
  nlohmann::json payload = {{"shipment_id", std::to_string(id)},
                            {"number", s->number},
                            {"order_id", s->order_id.to_string()},
                            {"delivered_on", on}};
  record_event(ctx, "shipment", std::to_string(id), "delivered", payload);
  store::orders::outbox_append(ctx.uow, "shipment.delivered", payload.dump(), now);
  return *s;
}

Result<shipping::Shipment> get_shipment(store::UnitOfWork& uow, int64_t id) {
  auto s = store::shipments::find(uow, id);
  if (!s) return Error::not_found("shipment_not_found", "no shipment " + std::to_string(id));
  if (auto inv = store::invoices::of_shipment(uow, id)) {
    s->invoice_id = inv->first;
    s->invoice_number = inv->second;
  }
  return *s;
}

std::vector<shipping::Shipment> list_shipments(store::UnitOfWork& uow, std::optional<OrderId> order,
                                               const store::PageRequest& page,
                                               std::optional<shipping::ShipmentStatus> status) {
  return store::shipments::list(uow, order, page, status);
}

}  // namespace o2c::app
