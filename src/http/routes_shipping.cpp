// Shipments (the warehouse's side of an order) and the journal they post to.
#include "app/ledger.h"
#include "app/shipping.h"
#include "core/decimal.h"
#include "http/paging.h"
#include "http/routes.h"
#include "http/views.h"

namespace o2c::http {
namespace {

json qty_schema(const char* example) {
  return {{"type", "string"}, {"pattern", "^[0-9]+(\\.[0-9]+)?$"}, {"example", example}};
}

json shipment_request_schema() {
  return {{"type", "object"},
          {"required", {"order_id"}},
          {"properties",
           {{"order_id", {{"type", "string"}}},
            {"lines",
             {{"type", "array"},
              {"description", "omitted: everything the order has reserved"},
              {"items",
               {{"type", "object"},
                {"required", {"sku", "quantity"}},
                {"properties", {{"sku", {{"type", "string"}}}, {"quantity", qty_schema("2")}}}}}}},
            {"carrier", {{"type", "string"}}},
            {"tracking_number", {{"type", "string"}}},
            {"as_of", {{"type", "string"}, {"format", "date"}, {"description", "shipping date"}}}}}};
}

json shipment_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "string"}}},
            {"number", {{"type", "string"}, {"example", "SH-000001"}}},
            {"order_id", {{"type", "string"}}},
            {"status", {{"type", "string"}, {"enum", {"shipped", "delivered"}}}},
            {"carrier", {{"type", "string"}}},
            {"tracking_number", {{"type", "string"}}},
            {"shipped_on", {{"type", "string"}, {"format", "date"}}},
            {"delivered_on", {{"type", "string"}, {"format", "date"}}},
            {"lines", {{"type", "array"}}}}}};
}

Result<int64_t> shipment_id_param(const Request& req) {
  auto id = ShipmentId::parse(req.param(0));
  if (!id) return Error::not_found("shipment_not_found", "no shipment '" + req.param(0) + "'");
  return id->value();
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The pick list as a page to print and carry through the warehouse: lines
// grouped by warehouse and sorted by bin, a tick box per line.
std::string pick_list_html(const shipping::Shipment& s) {
  std::string h =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Pick list " + html_escape(s.number) +
      "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
      "th,td{border:1px solid #444;padding:.4em;text-align:left}td.q{text-align:right}"
      "@media print{body{margin:0}}</style></head><body>";
  h += "<h1>Pick list " + html_escape(s.number) + "</h1>";
  h += "<p>Order " + html_escape(s.order_number) + " &middot; shipped on " + html_escape(s.shipped_on);
  if (s.carrier) h += " &middot; carrier " + html_escape(*s.carrier);
  if (s.tracking_number) h += " &middot; tracking " + html_escape(*s.tracking_number);
  h += "</p>";
  if (s.ship_to) h += "<p>Ship to: " + html_escape(*s.ship_to) + "</p>";
  h += "<table><thead><tr><th>Warehouse</th><th>Bin</th><th>SKU</th><th>Product</th><th>Quantity</th>"
       "<th>Picked</th></tr></thead><tbody>";
  for (const auto& l : s.lines) {
    h += "<tr><td>" + html_escape(l.warehouse_code) + "</td><td>" + html_escape(l.bin.value_or("")) + "</td><td>" +
         html_escape(l.sku) + "</td><td>" + html_escape(l.product_name) + "</td><td class=\"q\">" +
         Quantity::from_milli(l.quantity).to_string() + "</td><td>&#9744;</td></tr>";
  }
  h += "</tbody></table></body></html>\n";
  return h;
}

std::string pick_list_text(const shipping::Shipment& s) {
  std::string t = "PICK LIST " + s.number + "  order " + s.order_number + "  shipped on " + s.shipped_on + "\n";
  if (s.carrier) t += "carrier: " + *s.carrier + "\n";
  if (s.tracking_number) t += "tracking: " + *s.tracking_number + "\n";
  if (s.ship_to) t += "ship to: " + *s.ship_to + "\n";
  t += "warehouse\tbin\tsku\tquantity\tproduct\n";
  for (const auto& l : s.lines) {
    t += l.warehouse_code + "\t" + l.bin.value_or("-") + "\t" + l.sku + "\t" +
         Quantity::from_milli(l.quantity).to_string() + "\t" + l.product_name + "\n";
  }
  return t;
}

json pick_list_json(const shipping::Shipment& s) {
  json lines = json::array();
  for (const auto& l : s.lines) {
    lines.push_back({{"warehouse", l.warehouse_code},
                     {"bin", l.bin ? json(*l.bin) : json()},
                     {"sku", l.sku},
                     {"name", l.product_name},
                     {"quantity", Quantity::from_milli(l.quantity).to_string()}});
  }
  return {{"shipment_id", std::to_string(s.id)},
          {"number", s.number},
          {"order_id", s.order_id.to_string()},
          {"order_number", s.order_number},
          {"ship_to", s.ship_to ? json(*s.ship_to) : json()},
          {"carrier", s.carrier ? json(*s.carrier) : json()},
          {"tracking_number", s.tracking_number ? json(*s.tracking_number) : json()},
          {"lines", lines}};
}

Result<app::ShipmentDraft> read_draft(const json& b) {
  app::ShipmentDraft d;
  O2C_ASSIGN_OR_RETURN(d.order_id, text_field(b, "order_id"));
  O2C_ASSIGN_OR_RETURN(d.carrier, text_field(b, "carrier"));
  O2C_ASSIGN_OR_RETURN(d.tracking_number, text_field(b, "tracking_number"));
  O2C_ASSIGN_OR_RETURN(d.as_of, text_field(b, "as_of"));
  auto it = b.find("lines");
  if (it != b.end() && !it->is_null()) {
    if (!it->is_array()) return Error::malformed("invalid_type", "lines must be an array", "lines");
    d.lines.emplace();
    for (size_t i = 0; i < it->size(); ++i) {
      const json& l = (*it)[i];
      std::string prefix = "lines[" + std::to_string(i) + "]";
      if (!l.is_object()) return Error::malformed("invalid_type", prefix + " must be an object", prefix);
      app::ShipmentLineDraft ld;
      O2C_ASSIGN_OR_RETURN(ld.sku, text_field(l, "sku", prefix + "."));
      O2C_ASSIGN_OR_RETURN(ld.quantity, text_field(l, "quantity", prefix + "."));
      d.lines->push_back(std::move(ld));
    }
  }
  return d;
}

json entry_json(const ledger::Entry& e) {
  auto c = Currency::of(e.currency);
  const int exp = c ? c->exponent() : 2;
  json postings = json::array();
  int64_t total = 0;
  for (const auto& p : e.postings) {
    postings.push_back({{"account", p.account},
                        {"debit", format_scaled(p.debit_minor, exp)},
                        {"credit", format_scaled(p.credit_minor, exp)}});
    total += p.debit_minor;
  }
  return {{"id", std::to_string(e.id)},
          {"entry_date", e.entry_date},
          {"currency", e.currency},
          {"source_type", e.source_type},
          {"source_id", e.source_id},
          {"memo", e.memo},
          {"total", format_scaled(total, exp)},
          {"lines", postings}};
}

}  // namespace

void add_shipping_routes(Router& r) {
  const auto staff = staff_roles();

  r.add({"POST", "/api/v1/shipments", {Role::warehouse}, true, true,
         "Ship all (no lines) or part of what an order has reserved; posts cost of goods sold",
         {}, shipment_request_schema(), shipment_schema(), 201, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto d, read_draft(req.body()));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto s, app::create_shipment(ctx, d));
             return Reply::created(to_json(s));
           });
         }});

  r.add({"GET", "/api/v1/shipments", staff, true, false, "List shipments",
         {{"order_id", "only this order's shipments"},
          {"status", "shipped (not yet delivered) or delivered"},
          {"limit", "page size (1..200)"},
          {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           std::optional<OrderId> order;
           if (auto o = req.query("order_id"); o && !o->empty()) {
             order = OrderId::parse(*o);
             if (!order) return Error::malformed("invalid_order_id", "order_id must be an order id", "order_id");
           }
           std::optional<shipping::ShipmentStatus> status;
           if (auto s = req.query("status"); s && !s->empty()) {
             if (*s == "shipped") status = shipping::ShipmentStatus::shipped;
             else if (*s == "delivered") status = shipping::ShipmentStatus::delivered;
             else return Error::malformed("invalid_status", "status must be shipped or delivered", "status");
           }
           return list_by_id<ShipmentId>(
               req,
               [&](store::UnitOfWork& uow, const store::PageRequest& pr) { return app::list_shipments(uow, order, pr, status); },
               [](const auto& s) { return to_json(s); });
         }});

  r.add({"GET", "/api/v1/shipments/{id}", staff, true, false, "A shipment with its lines", {}, {}, shipment_schema(),
         200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, shipment_id_param(req));
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto s, app::get_shipment(uow, id));
             return Reply::ok(to_json(s));
           });
         }});

  r.add({"GET", "/api/v1/shipments/{id}/pick-list", staff, true, false,
         "The pick list: warehouse, bin, SKU, quantity (format=html for a printable page, text for plain text)",
         {{"format", "json (default), html or text"}}, {}, {}, 200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, shipment_id_param(req));
           std::string format = req.query("format").value_or("json");
           if (format.empty()) format = "json";
           if (format != "json" && format != "html" && format != "text") {
             return Error::malformed("invalid_format", "format must be json, html or text", "format");
           }
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto s, app::get_shipment(uow, id));
             if (format == "html") return Reply{200, nullptr, "text/html; charset=utf-8", pick_list_html(s)};
             if (format == "text") return Reply{200, nullptr, "text/plain; charset=utf-8", pick_list_text(s)};
             return Reply::ok(pick_list_json(s));
           });
         }});

  r.add({"POST", "/api/v1/shipments/{id}/deliver", {Role::warehouse}, true, false,
         "Mark a shipment delivered (as_of: the delivery date, default today)", {},
         {{"type", "object"}, {"properties", {{"as_of", {{"type", "string"}, {"format", "date"}}}}}},
         shipment_schema(), 200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto id, shipment_id_param(req));
           // The body is optional here (no body: delivered today), so the
           // route does not demand one; when sent it must be a JSON object.
           masterdata::Text as_of;
           const std::string& raw = req.raw().body;
           if (raw.find_first_not_of(" \t\r\n") != std::string::npos) {
             O2C_ASSIGN_OR_RETURN(auto body, parse_object(raw));
             O2C_ASSIGN_OR_RETURN(as_of, text_field(body, "as_of"));
           }
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto s, app::deliver_shipment(ctx, id, as_of));
             return Reply::ok(to_json(s));
           });
         }});

  r.add({"GET", "/api/v1/ledger/entries", {Role::accountant, Role::admin}, true, false,
         "Journal entries with their postings, oldest first",
         {{"source_type", "e.g. shipment, stock_receipt"},
          {"source_id", "with source_type: one document's entries"},
          {"account", "entries posting to this account code"},
          {"limit", "page size (1..200)"},
          {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           store::ledger::Filter f;
           if (auto v = req.query("source_type"); v && !v->empty()) f.source_type = *v;
           if (auto v = req.query("source_id"); v && !v->empty()) f.source_id = *v;
           if (auto v = req.query("account"); v && !v->empty()) f.account = *v;
           return list_by_id<LedgerEntryId>(
               req, [&](store::UnitOfWork& uow, const store::PageRequest& pr) { return app::list_entries(uow, f, pr); },
               [](const ledger::Entry& e) { return entry_json(e); });
         }});
}

}  // namespace o2c::http
