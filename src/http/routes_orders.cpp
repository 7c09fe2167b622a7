// Orders: place (and quote), read, list, approve/reject (credit team), cancel (sales), the
// pick list of what an order has reserved, and the backorder queue.
#include "app/orders.h"
#include "core/quantity.h"
#include "http/paging.h"
#include "http/routes.h"
#include "http/views.h"
#include "store/orders_repo.h"

namespace o2c::http {
namespace {

json amount_schema(const char* example) {
  return {{"type", "string"}, {"pattern", "^-?[0-9]+(\\.[0-9]+)?$"}, {"example", example}};
}

json charge_list_schema(const char* description) {
  return {{"type", "array"},
          {"description", description},
          {"items",
           {{"type", "object"},
            {"required", {"amount", "reason"}},
            {"properties",
             {{"amount", amount_schema("25.00")},
              {"reason", {{"type", "string"}}},
              {"tax_category", {{"type", "string"}, {"description", "default: the lines' one tax group"}}},
              {"tax_rate", {{"type", "string"}}}}}}}};
}

json order_request_schema() {
  return {{"type", "object"},
          {"required", {"customer_id", "lines"}},
          {"properties",
           {{"customer_id", {{"type", "string"}}},
            {"currency", {{"type", "string"}, {"description", "must be the customer's currency"}}},
            {"external_ref", {{"type", "string"}}},
            {"ship_to", {{"type", "string"}}},
            {"lines",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"required", {"sku", "quantity"}},
                {"properties",
                 {{"sku", {{"type", "string"}}},
                  {"quantity", amount_schema("2")},
                  {"unit_price", amount_schema("18.90")}}}}}}},
            {"allowances", charge_list_schema("an order-wide discount, billed with the invoices in proportion")},
            {"charges", charge_list_schema("freight, packing: billed with the invoices in proportion")}}}};
}

json order_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "string"}}},
            {"number", {{"type", "string"}, {"example", "SO-000001"}}},
            {"status", {{"type", "string"},
                        {"enum", {"credit_hold", "open", "partially_shipped", "shipped", "invoiced", "paid", "closed",
                                  "rejected", "cancelled"}}}},
            {"customer_id", {{"type", "string"}}},
            {"currency", {{"type", "string"}}},
            {"lines", {{"type", "array"}}},
            {"allowances", {{"type", "array"}}},
            {"charges", {{"type", "array"}}},
            {"net_total", amount_schema("100.00")},
            {"allowance_total", amount_schema("0.00")},
            {"charge_total", amount_schema("0.00")},
            {"tax_total", amount_schema("19.00")},
            {"total", amount_schema("119.00")},
            {"hold_reasons", {{"type", "array"}}}}}};
}

json quote_schema() {
  json s = order_schema();
  s["properties"].erase("id");
  s["properties"].erase("number");
  s["properties"]["status"]["enum"] = {"open", "credit_hold"};
  s["properties"]["status"]["description"] = "what the order would be placed in now";
  s["properties"]["credit_hold"] = {{"type", "boolean"}};
  s["properties"]["hold_reasons"]["description"] = "why it would go to credit hold";
  return s;
}

// A quote is the order as it would be placed, less what only placing gives
// it: no id, number, dates or stock figures.
json quote_json(const order::Order& o) {
  json j = to_json(o);
  for (const char* k : {"id", "number", "created_at", "updated_at"}) j.erase(k);
  for (auto& l : j["lines"]) {
    for (const char* k : {"id", "reserved", "backordered", "shipped", "invoiced"}) l.erase(k);
  }
  j["credit_hold"] = o.status == order::OrderStatus::credit_hold;
  return j;
}

json reason_schema(bool required) {
  json s = {{"type", "object"}, {"properties", {{"reason", {{"type", "string"}}}}}};
  if (required) s["required"] = {"reason"};
  return s;
}

Result<OrderId> order_id_param(const Request& req) {
  auto id = OrderId::parse(req.param(0));
  if (!id) return Error::not_found("order_not_found", "no order '" + req.param(0) + "'");
  return *id;
}

Result<app::OrderDraft> read_draft(const json& b) {
  app::OrderDraft d;
  O2C_ASSIGN_OR_RETURN(d.customer_id, text_field(b, "customer_id"));
  O2C_ASSIGN_OR_RETURN(d.currency, text_field(b, "currency"));
  O2C_ASSIGN_OR_RETURN(d.external_ref, text_field(b, "external_ref"));
  O2C_ASSIGN_OR_RETURN(d.ship_to, text_field(b, "ship_to"));
  auto it = b.find("lines");
  if (it != b.end() && !it->is_null()) {
    if (!it->is_array()) return Error::malformed("invalid_type", "lines must be an array", "lines");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& l = (*it)[i];
      std::string prefix = "lines[" + std::to_string(i) + "]";
      if (!l.is_object()) return Error::malformed("invalid_type", prefix + " must be an object", prefix);
      app::OrderLineDraft ld;
      O2C_ASSIGN_OR_RETURN(ld.sku, text_field(l, "sku", prefix + "."));
      O2C_ASSIGN_OR_RETURN(ld.quantity, text_field(l, "quantity", prefix + "."));
      O2C_ASSIGN_OR_RETURN(ld.unit_price, text_field(l, "unit_price", prefix + "."));
      d.lines.push_back(std::move(ld));
    }
  }
  for (const bool is_charge : {false, true}) {
    const char* name = is_charge ? "charges" : "allowances";
    auto c = b.find(name);
    if (c == b.end() || c->is_null()) continue;
    if (!c->is_array()) return Error::malformed("invalid_type", std::string(name) + " must be an array", name);
    for (size_t i = 0; i < c->size(); ++i) {
      const json& x = (*c)[i];
      std::string prefix = std::string(name) + "[" + std::to_string(i) + "]";
      if (!x.is_object()) return Error::malformed("invalid_type", prefix + " must be an object", prefix);
      app::ChargeDraft cd;
      O2C_ASSIGN_OR_RETURN(cd.amount, text_field(x, "amount", prefix + "."));
      O2C_ASSIGN_OR_RETURN(cd.reason, text_field(x, "reason", prefix + "."));
      O2C_ASSIGN_OR_RETURN(cd.tax_category, text_field(x, "tax_category", prefix + "."));
      O2C_ASSIGN_OR_RETURN(cd.tax_rate, text_field(x, "tax_rate", prefix + "."));
      (is_charge ? d.charges : d.allowances).push_back(std::move(cd));
    }
  }
  return d;
}

}  // namespace

void add_order_routes(Router& r) {
  const auto staff = staff_roles();

  r.add({"POST", "/api/v1/customers/{id}/credit-status", {Role::credit, Role::admin}, true, true,
         "Set a customer's credit block (new orders are held) or block (no orders); lifting one re-evaluates held "
         "orders",
         {},
         {{"type", "object"},
          {"required", {"reason"}},
          {"properties",
           {{"credit_block", {{"type", "boolean"}}}, {"blocked", {{"type", "boolean"}}}, {"reason", {{"type", "string"}}}}}},
         {}, 200, [](Request& req) -> Result<Reply> {
           auto id = CustomerId::parse(req.param(0));
           if (!id) return Error::not_found("customer_not_found", "no customer '" + req.param(0) + "'");
           app::CreditStatusChange ch;
           for (const char* name : {"credit_block", "blocked"}) {
             auto it = req.body().find(name);
             if (it == req.body().end() || it->is_null()) continue;
             if (!it->is_boolean()) return Error::malformed("invalid_type", std::string(name) + " must be true or false", name);
             (std::string_view(name) == "blocked" ? ch.blocked : ch.credit_block) = it->get<bool>();
           }
           O2C_ASSIGN_OR_RETURN(ch.reason, text_field(req.body(), "reason"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto c, app::set_credit_status(ctx, *id, ch));
             return Reply::ok({{"id", c.id.to_string()}, {"credit_block", c.credit_block}, {"blocked", c.blocked}});
           });
         }});

  r.add({"POST", "/api/v1/orders", {Role::sales}, true, true,
         "Place an order: priced, credit-checked, and reserved when it passes", {}, order_request_schema(),
         order_schema(), 201, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto d, read_draft(req.body()));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto o, app::place_order(ctx, d));
             return Reply::created(to_json(o));
           });
         }});

  r.add({"POST", "/api/v1/orders/quote", {Role::sales}, true, true,
         "Price an order as POST /orders would, and say whether it would go to credit hold; saves nothing (no "
         "number, reservation or audit event)",
         {}, order_request_schema(), quote_schema(), 200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto d, read_draft(req.body()));
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto o, app::quote_order(uow, d, req.actor().role, req.clock().today()));
             return Reply::ok(quote_json(o));
           });
         }});

  r.add({"GET", "/api/v1/orders", staff, true, false, "List orders",
         {{"status", "only orders in this status"}, {"customer_id", "only this customer's orders"},
          {"to_ship", "true: only orders with stock reserved and not yet shipped (open or partially_shipped)"},
          {"limit", "page size (1..200)"}, {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           store::orders::ListFilter f;
           if (auto s = req.query("status"); s && !s->empty()) {
             f.status = order::status_from_string(*s);
             if (!f.status) return Error::malformed("invalid_status", "no order status '" + *s + "'", "status");
           }
           if (auto c = req.query("customer_id"); c && !c->empty()) {
             auto id = CustomerId::parse(*c);
             if (!id) return Error::malformed("invalid_customer_id", "customer_id must be a customer id", "customer_id");
             f.customer = *id;
           }
           if (auto t = req.query("to_ship"); t && !t->empty()) {
             if (*t != "true" && *t != "false") {
               return Error::malformed("invalid_to_ship", "to_ship must be true or false", "to_ship");
             }
             f.to_ship = *t == "true";
           }
           return list_by_id<OrderId>(
               req, [&](store::UnitOfWork& uow, const store::PageRequest& pr) { return app::list_orders(uow, f, pr); },
               [](const auto& o) { return to_json(o); });
         }});

  r.add({"GET", "/api/v1/orders/{id}", staff, true, false, "An order with its lines", {}, {}, order_schema(), 200,
         [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, order_id_param(req));
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto o, app::get_order(uow, id));
             return Reply::ok(to_json(o));
           });
         }});

  r.add({"GET", "/api/v1/orders/{id}/pick-list", staff, true, false,
         "What to pick for the order's reserved stock: warehouse, bin, SKU, quantity, in walking order", {}, {},
         {{"type", "object"},
          {"properties",
           {{"order_id", {{"type", "string"}}},
            {"number", {{"type", "string"}}},
            {"ship_to", {{"type", "string"}}},
            {"lines", {{"type", "array"},
                       {"items", {{"type", "object"},
                                  {"properties", {{"warehouse", {{"type", "string"}}},
                                                  {"bin", {{"type", "string"}}},
                                                  {"sku", {{"type", "string"}}},
                                                  {"name", {{"type", "string"}}},
                                                  {"line_no", {{"type", "integer"}}},
                                                  {"quantity", amount_schema("2")}}}}}}}}}},
         200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, order_id_param(req));
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto o, app::get_order(uow, id));
             json lines = json::array();
             for (const auto& p : store::orders::pick_rows_of_order(uow, id)) {
               lines.push_back({{"line_no", p.line_no},
                                {"sku", p.sku},
                                {"name", p.product_name},
                                {"warehouse", p.warehouse_code},
                                {"bin", p.bin ? json(*p.bin) : json()},
                                {"quantity", Quantity::from_milli(p.quantity).to_string()}});
             }
             return Reply::ok({{"order_id", o.id.to_string()},
                               {"number", o.number},
                               {"status", std::string(order::to_string(o.status))},
                               {"ship_to", o.ship_to ? json(*o.ship_to) : json()},
                               {"lines", lines}});
           });
         }});

  r.add({"GET", "/api/v1/backorders", staff, true, false,
         "Order lines waiting for stock (open and partially shipped orders), oldest order first, with the "
         "product's stock on hand and available over all warehouses",
         {{"limit", "page size (1..200)"}, {"cursor", "from next_cursor"}}, {}, {}, 200,
         [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto page, req.page());
           store::orders::BackorderCursor after;
           if (page.after) {
             auto colon = page.after->find(':');
             // The placement sequence parses as any positive id does.
             auto seq = OrderId::parse(page.after->substr(0, colon));
             auto line = colon == std::string::npos ? std::nullopt : OrderLineId::parse(page.after->substr(colon + 1));
             if (!seq || !line) return Error::malformed("invalid_cursor", "the cursor is not one this server issued", "cursor");
             after = {seq->value(), line->value()};
           }
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             auto rows = store::orders::backorders(uow, after, page.limit + 1);
             std::optional<std::string> next;
             if (static_cast<int>(rows.size()) > page.limit) {
               rows.pop_back();
               next = std::to_string(rows.back().placed_seq) + ":" + rows.back().line_id.to_string();
             }
             auto qty = [](int64_t milli) { return Quantity::from_milli(milli).to_string(); };
             json data = json::array();
             for (const auto& b : rows) {
               data.push_back({{"order_id", b.order_id.to_string()},
                               {"order_number", b.order_number},
                               {"placed_on", b.placed_on},
                               {"customer_id", b.customer_id.to_string()},
                               {"customer_name", b.customer_name},
                               {"line_id", b.line_id.to_string()},
                               {"line_no", b.line_no},
                               {"sku", b.sku},
                               {"name", b.product_name},
                               {"quantity", qty(b.quantity)},
                               {"reserved", qty(b.reserved)},
                               {"shipped", qty(b.shipped)},
                               {"backordered", qty(b.backordered)},
                               {"on_hand", qty(b.on_hand)},
                               {"available", qty(b.available)}});
             }
             return Reply::ok(page_json(std::move(data), next));
           });
         }});

  r.add({"POST", "/api/v1/orders/{id}/approve", {Role::credit}, true, true,
         "Release an order on credit hold (then reserves stock)", {}, reason_schema(true), order_schema(), 200,
         [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, order_id_param(req));
           O2C_ASSIGN_OR_RETURN(auto reason, text_field(req.body(), "reason"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto o, app::approve_order(ctx, id, reason));
             return Reply::ok(to_json(o));
           });
         }});

  r.add({"POST", "/api/v1/orders/{id}/reject", {Role::credit}, true, true, "Refuse an order on credit hold", {},
         reason_schema(true), order_schema(), 200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, order_id_param(req));
           O2C_ASSIGN_OR_RETURN(auto reason, text_field(req.body(), "reason"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto o, app::reject_order(ctx, id, reason));
             return Reply::ok(to_json(o));
           });
         }});

  r.add({"POST", "/api/v1/orders/{id}/cancel", {Role::sales}, true, true,
         "Cancel an order before shipment; frees its reservations", {}, reason_schema(false), order_schema(), 200,
         [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, order_id_param(req));
           O2C_ASSIGN_OR_RETURN(auto reason, text_field(req.body(), "reason"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto o, app::cancel_order(ctx, id, reason));
             return Reply::ok(to_json(o));
           });
         }});
}

}  // namespace o2c::http
