#include <set>

#include "app/masterdata.h"
#include "domain/masterdata/fields.h"
#include "http/paging.h"
#include "http/routes.h"
#include "http/views.h"

namespace o2c::http {
namespace {

using masterdata::Text;

// Reads the named text fields of the body into a draft, in order.
#define O2C_FIELD(draft, name) O2C_ASSIGN_OR_RETURN(draft.name, text_field(req.body(), #name))

// Longest search text a list takes in `q`: a name or SKU, not a document.
constexpr size_t kSearchTextMax = 100;

// The list's `q`, trimmed; nullopt when absent or blank (the whole list).
Result<std::optional<std::string>> search_text(const Request& req) {
  auto q = req.query("q");
  if (!q) return std::optional<std::string>();
  std::string t = masterdata::trim(*q);
  if (t.empty()) return std::optional<std::string>();
  if (t.size() > kSearchTextMax) {
    return Error::malformed("too_long", "q is longer than " + std::to_string(kSearchTextMax) + " characters", "q");
  }
  return std::optional<std::string>(t);
}

json money_schema(const char* example) {
  return {{"type", "string"}, {"pattern", "^-?[0-9]+(\\.[0-9]+)?$"}, {"example", example}};
}

json company_schema() {
  return {{"type", "object"},
          {"required", {"name", "currency"}},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"vat_id", {{"type", "string"}}},
            {"country", {{"type", "string"}, {"description", "ISO 3166-1 alpha-2"}}},
            {"address", {{"type", "string"}}},
            {"iban", {{"type", "string"}}},
            {"bic", {{"type", "string"}}},
            {"currency", {{"type", "string"}, {"description", "functional currency, ISO 4217"}}},
            {"peppol_id", {{"type", "string"}, {"example", "9930:DE811907980"}}},
            {"time_zone", {{"type", "string"}, {"example", "Europe/Berlin"}}},
            {"email", {{"type", "string"}, {"description", "contact on invoices"}}},
            {"phone", {{"type", "string"}, {"description", "contact on invoices"}}},
            {"write_off_tolerance",
             {{"type", "string"},
              {"example", "0.05"},
              {"description", "a short payment within this (functional currency) closes the invoice; the rest is "
                              "written off"}}},
            {"overdue_grace_days",
             {{"type", "integer"},
              {"default", 30},
              {"description", "days an invoice may be overdue before new orders of the customer are held"}}},
            {"reconcile_auto_threshold",
             {{"type", "integer"},
              {"minimum", 1},
              {"maximum", 100},
              {"default", 90},
              {"description", "matcher score from which a bank line is booked without a person (absent: 90); "
                              "POST /reconciliation/run may override it per run"}}}}}};
}

json customer_schema() {
  return {{"type", "object"},
          {"required", {"name", "email", "currency", "credit_limit", "payment_terms", "country"}},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"email", {{"type", "string"}}},
            {"currency", {{"type", "string"}}},
            {"credit_limit", money_schema("25000.00")},
            {"payment_terms", {{"type", "string"}, {"example", "NET30"}}},
            {"vat_id", {{"type", "string"}}},
            {"country", {{"type", "string"}}},
            {"address", {{"type", "string"}}},
            {"iban", {{"type", "string"}}},
            {"peppol_id", {{"type", "string"}}},
            {"billing", {{"type", "string"}, {"enum", {"per_shipment", "consolidated"}}}},
            {"dunning_policy", {{"type", "string"}, {"default", "STANDARD"}}}}}};
}

json product_schema() {
  return {{"type", "object"},
          {"required", {"sku", "name", "unit_price", "currency", "tax_rate", "tax_category"}},
          {"properties",
           {{"sku", {{"type", "string"}}},
            {"name", {{"type", "string"}}},
            {"unit_price", money_schema("18.90")},
            {"currency", {{"type", "string"}}},
            {"tax_rate", money_schema("19")},
            {"tax_category", {{"type", "string"}, {"enum", {"S", "Z", "E", "AE", "K", "G", "O"}}}},
            {"unit_cost", money_schema("11.20")}}}};
}

Result<Reply> list_reply(json data, std::optional<std::string> next) {
  return Reply::ok(page_json(std::move(data), next));
}

}  // namespace

void add_masterdata_routes(Router& r) {
  const auto staff = staff_roles();

  r.add({"GET", "/api/v1/company", staff, true, false, "The seller's company profile", {}, {},
         company_schema(), 200, [](Request& req) {
           return req.read([](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto c, app::get_company(uow));
             return Reply::ok(to_json(c));
           });
         }});

  r.add({"PUT", "/api/v1/company", {Role::admin}, true, true, "Set the seller's company profile", {},
         company_schema(), company_schema(), 200, [](Request& req) -> Result<Reply> {
           masterdata::CompanyDraft d;
           O2C_FIELD(d, name);
           O2C_FIELD(d, vat_id);
           O2C_FIELD(d, country);
           O2C_FIELD(d, address);
           O2C_FIELD(d, iban);
           O2C_FIELD(d, bic);
           O2C_FIELD(d, currency);
           O2C_FIELD(d, peppol_id);
           O2C_FIELD(d, time_zone);
           O2C_FIELD(d, email);
           O2C_FIELD(d, phone);
           O2C_FIELD(d, write_off_tolerance);
           O2C_ASSIGN_OR_RETURN(d.overdue_grace_days, int_field(req.body(), "overdue_grace_days"));
           O2C_ASSIGN_OR_RETURN(d.reconcile_auto_threshold, int_field(req.body(), "reconcile_auto_threshold"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto c, app::put_company(ctx, d));
             return Reply::ok(to_json(c));
           });
         }});

  r.add({"POST", "/api/v1/customers", {Role::sales, Role::admin}, true, true, "Create a customer", {},
         customer_schema(), customer_schema(), 201, [](Request& req) -> Result<Reply> {
           masterdata::CustomerDraft d;
           O2C_FIELD(d, name);
           O2C_FIELD(d, email);
           O2C_FIELD(d, currency);
           O2C_FIELD(d, credit_limit);
           O2C_FIELD(d, payment_terms);
           O2C_FIELD(d, vat_id);
           O2C_FIELD(d, country);
           O2C_FIELD(d, address);
           O2C_FIELD(d, iban);
           O2C_FIELD(d, peppol_id);
           O2C_FIELD(d, billing);
           O2C_FIELD(d, dunning_policy);
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto c, app::create_customer(ctx, d));
             return Reply::created(to_json(c));
           });
         }});

  r.add({"GET", "/api/v1/customers", staff, true, false, "List customers",
         {{"q", "only customers whose name contains this (case-insensitive)"},
          {"limit", "page size (1..200)"}, {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           const Date today = req.clock().today();
           O2C_ASSIGN_OR_RETURN(auto q, search_text(req));
           return list_by_id<CustomerId>(req,
                                         [today, &q](store::UnitOfWork& uow, const store::PageRequest& page) {
                                           return q ? app::search_customers(uow, *q, page, today)
                                                    : app::list_customers(uow, page, today);
                                         },
                                         [](const app::CustomerView& c) { return to_json(c); },
                                         [](const app::CustomerView& c) { return c.customer.id.to_string(); });
         }});

  auto staff_and_portal = staff;
  staff_and_portal.push_back(Role::portal);
  r.add({"GET", "/api/v1/customers/{id}", staff_and_portal, true, false,
         "A customer with balance and credit (a portal user: their own customer only, without the credit "
         "desk's fields; another customer answers 404)",
         {}, {}, customer_schema(), 200, [](Request& req) -> Result<Reply> {
           auto id = CustomerId::parse(req.param(0));
           const auto& a = req.actor();
           if (!id || (!a.is_staff() && (!a.customer || *a.customer != *id))) {
             return Error::not_found("customer_not_found", "no customer '" + req.param(0) + "'");
           }
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto c, app::get_customer(uow, *id, req.clock().today()));
             json body = to_json(c);
             if (a.is_staff()) return Reply::ok(body);
             // Credit limits and blocks are the seller's internal decisions.
             json own = json::object();
             for (const char* k : {"id", "name", "email", "currency", "payment_terms", "vat_id", "country", "address",
                                   "balance", "credit_balance", "overdue_amount"}) {
               own[k] = body[k];
             }
             return Reply::ok(own);
           });
         }});

  r.add({"PATCH", "/api/v1/customers/{id}", {Role::sales, Role::admin}, true, true,
         "Change a customer: only the fields sent change (null clears an optional one)", {},
         {{"type", "object"}, {"properties", customer_schema()["properties"]}}, customer_schema(), 200,
         [](Request& req) -> Result<Reply> {
           auto id = CustomerId::parse(req.param(0));
           if (!id) return Error::not_found("customer_not_found", "no customer '" + req.param(0) + "'");
           app::CustomerChanges ch;
           const json& b = req.body();
           auto take = [&](const char* name, std::optional<Text>& out) -> Status {
             if (!b.contains(name)) return {};
             O2C_ASSIGN_OR_RETURN(auto v, text_field(b, name));
             out = v;
             return {};
           };
           for (const auto& [name, slot] : std::initializer_list<std::pair<const char*, std::optional<Text>*>>{
                    {"name", &ch.name}, {"email", &ch.email}, {"currency", &ch.currency},
                    {"credit_limit", &ch.credit_limit}, {"payment_terms", &ch.payment_terms},
                    {"vat_id", &ch.vat_id}, {"country", &ch.country}, {"address", &ch.address},
                    {"iban", &ch.iban}, {"peppol_id", &ch.peppol_id}, {"billing", &ch.billing},
                    {"dunning_policy", &ch.dunning_policy}}) {
             O2C_TRY(take(name, *slot));
           }
           for (const auto& item : b.items()) {
             static const std::set<std::string> known = {"name", "email", "currency", "credit_limit", "payment_terms",
                                                         "vat_id", "country", "address", "iban", "peppol_id", "billing",
                                                         "dunning_policy"};
             if (!known.count(item.key())) {
               return Error::invalid("unknown_field", "customers have no field '" + item.key() + "' to change", item.key());
             }
           }
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto c, app::update_customer(ctx, *id, ch));
             return Reply::ok(to_json(c));
           });
         }});

  r.add({"GET", "/api/v1/payment-terms", staff, true, false, "Payment terms defined", {}, {}, {}, 200,
         [](Request& req) {
           return req.read([](store::UnitOfWork& uow) -> Result<Reply> {
             json data = json::array();
             for (const auto& t : store::payment_terms::list(uow)) data.push_back(to_json(t));
             return Reply::ok(page_json(std::move(data), std::nullopt));
           });
         }});

  r.add({"POST", "/api/v1/payment-terms", {Role::admin}, true, true,
         "Define payment terms (net days, optional early-payment discount)", {},
         {{"type", "object"},
          {"required", {"code", "description", "net_days"}},
          {"properties",
           {{"code", {{"type", "string"}, {"example", "3/15NET45"}}},
            {"description", {{"type", "string"}}},
            {"net_days", {{"type", "integer"}}},
            {"discount_days", {{"type", "integer"}}},
            {"discount_percent", {{"type", "string"}, {"example", "3"}}}}}},
         {{"type", "object"}}, 201, [](Request& req) -> Result<Reply> {
           masterdata::PaymentTermsDraft d;
           O2C_FIELD(d, code);
           O2C_FIELD(d, description);
           O2C_FIELD(d, discount_percent);
           O2C_ASSIGN_OR_RETURN(d.net_days, int_field(req.body(), "net_days"));
           O2C_ASSIGN_OR_RETURN(d.discount_days, int_field(req.body(), "discount_days"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto t, app::create_payment_terms(ctx, d));
             return Reply::created(to_json(t));
           });
         }});

  r.add({"POST", "/api/v1/products", {Role::admin}, true, true, "Create a product", {}, product_schema(),
         product_schema(), 201, [](Request& req) -> Result<Reply> {
           masterdata::ProductDraft d;
           O2C_FIELD(d, sku);
           O2C_FIELD(d, name);
           O2C_FIELD(d, unit_price);
           O2C_FIELD(d, currency);
           O2C_FIELD(d, tax_rate);
           O2C_FIELD(d, tax_category);
           O2C_FIELD(d, unit_cost);
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto p, app::create_product(ctx, d));
             return Reply::created(to_json(p));
           });
         }});

  r.add({"GET", "/api/v1/products", staff, true, false, "List products",
         {{"q", "only products whose SKU or name contains this (case-insensitive)"},
          {"limit", "page size"}, {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto q, search_text(req));
           return list_by_id<ProductId>(
               req,
               [&q](store::UnitOfWork& uow, const store::PageRequest& page) {
                 return q ? store::products::search(uow, *q, page) : store::products::list(uow, page);
               },
               [](const auto& row) { return to_json(row); });
         }});

  r.add({"GET", "/api/v1/products/{id}", staff, true, false, "A product", {}, {}, product_schema(), 200,
         [](Request& req) -> Result<Reply> {
           auto id = ProductId::parse(req.param(0));
           if (!id) return Error::not_found("product_not_found", "no product '" + req.param(0) + "'");
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto p, app::get_product(uow, *id));
             return Reply::ok(to_json(p));
           });
         }});

  r.add({"POST", "/api/v1/warehouses", {Role::admin}, true, true, "Create a warehouse", {},
         {{"type", "object"},
          {"required", {"code", "name"}},
          {"properties", {{"code", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                          {"priority", {{"type", "integer"}, {"description", "lower is reserved from first"}}}}}},
         {}, 201, [](Request& req) -> Result<Reply> {
           masterdata::WarehouseDraft d;
           O2C_FIELD(d, code);
           O2C_FIELD(d, name);
           O2C_ASSIGN_OR_RETURN(d.priority, int_field(req.body(), "priority"));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto w, app::create_warehouse(ctx, d));
             return Reply::created(to_json(w));
           });
         }});

  r.add({"GET", "/api/v1/warehouses", staff, true, false, "List warehouses", {{"limit", "page size"}, {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) {
           return list_by_id<WarehouseId>(req, store::warehouses::list, [](const auto& row) { return to_json(row); });
         }});

  r.add({"POST", "/api/v1/stock/receipts", {Role::warehouse}, true, true, "Receive stock into a warehouse", {},
         {{"type", "object"},
          {"required", {"warehouse", "sku", "quantity", "unit_cost"}},
          {"properties", {{"warehouse", {{"type", "string"}, {"description", "warehouse code or id"}}},
                          {"sku", {{"type", "string"}}},
                          {"quantity", money_schema("10")},
                          {"unit_cost", money_schema("11.20")},
                          {"received_on", {{"type", "string"}, {"format", "date"}}},
                          {"bin", {{"type", "string"}, {"description", "storage bin, shown on pick lists"}}}}}},
         {}, 201, [](Request& req) -> Result<Reply> {
           app::ReceiptDraft d;
           O2C_FIELD(d, bin);
           O2C_FIELD(d, warehouse);
           O2C_FIELD(d, sku);
           O2C_FIELD(d, quantity);
           O2C_FIELD(d, unit_cost);
           O2C_FIELD(d, received_on);
           if (!d.received_on) {
             O2C_ASSIGN_OR_RETURN(d.received_on, text_field(req.body(), "as_of"));
           }
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto r, app::receive_stock(ctx, d));
             json filled = json::array();
             for (const auto& f : r.allocated_to_backorders) {
               filled.push_back({{"order_id", f.order_id.to_string()},
                                 {"order_number", f.order_number},
                                 {"sku", f.sku},
                                 {"quantity", f.quantity.to_string()}});
             }
             json j = {{"id", std::to_string(r.receipt_id)}, {"stock", to_json(r.level)},
                       {"allocated_to_backorders", filled},
                       {"ledger_entry_id", r.ledger_entry_id ? json(std::to_string(*r.ledger_entry_id)) : json()}};
             return Reply::created(j);
           });
         }});

  r.add({"GET", "/api/v1/stock", staff, true, false, "Stock per product and warehouse",
         {{"sku", "only this product (every warehouse, also where it has none)"}, {"limit", "page size"}, {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto page, req.page());
           store::stock::Cursor after;
           if (page.after) {
             auto colon = page.after->find(':');
             auto p = ProductId::parse(page.after->substr(0, colon));
             auto w = colon == std::string::npos ? std::nullopt : WarehouseId::parse(page.after->substr(colon + 1));
             if (!p || !w) return Error::malformed("invalid_cursor", "the cursor is not one this server issued", "cursor");
             after = {p->value(), w->value()};
           }
           auto sku = req.query("sku");
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             std::optional<ProductId> product;
             if (sku) {
               auto p = store::products::find_by_sku(uow, *sku);
               if (!p) return Error::not_found("product_not_found", "no product with SKU '" + *sku + "'", "sku");
               product = p->id;
             }
             auto rows = store::stock::list(uow, product, after, page.limit + 1);
             std::optional<std::string> next;
             if (static_cast<int>(rows.size()) > page.limit) {
               rows.pop_back();
               next = rows.back().product_id.to_string() + ":" + rows.back().warehouse_id.to_string();
             }
             json data = json::array();
             for (const auto& l : rows) data.push_back(to_json(l));
             return list_reply(std::move(data), next);
           });
         }});
}

}  // namespace o2c::http
