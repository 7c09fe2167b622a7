#include "app/masterdata.h"

#include <map>
#include <set>

#include "app/audit.h"
#include "app/credit.h"
#include "app/backorders.h"
#include "app/ledger.h"
#include "app/orders.h"
#include "store/ledger_repo.h"
#include "core/decimal.h"
#include "domain/inventory/reservation.h"
#include "domain/masterdata/fields.h"
#include "store/orders_repo.h"

namespace o2c::app {
namespace {

nlohmann::json company_json(const masterdata::Company& c) {
  auto o = [](const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(); };
  return {{"name", c.name},          {"vat_id", o(c.vat_id)},   {"country", o(c.country)},
          {"address", o(c.address)}, {"iban", o(c.iban)},       {"bic", o(c.bic)},
          {"currency", c.currency},  {"peppol_id", o(c.peppol_id)}, {"time_zone", c.time_zone},
          {"overdue_grace_days", c.overdue_grace_days}, {"email", o(c.email)}, {"phone", o(c.phone)},
          {"write_off_tolerance_minor", c.write_off_tolerance_minor},
          {"reconcile_auto_threshold", c.reconcile_auto_threshold}};
}

// A unique index can still fire under a race the pre-check did not see.
template <typename F>
auto translate_duplicate(F&& f, const char* code, const char* field, const std::string& message)
    -> decltype(f()) {
  try {
    return f();
  } catch (const ErrorException& e) {
    if (e.error.code == "duplicate") return Error::invalid(code, message, field);
    throw;
  }
}

}  // namespace

Result<CompanyView> get_company(store::UnitOfWork& uow) {
  auto c = store::company::get(uow);
  if (!c) {
    return Error::not_found("company_not_configured",
                            "the seller's company profile is not set yet (PUT /company)");
  }
  return CompanyView{*c, masterdata::company_missing_for_invoicing(*c)};
}

Result<CompanyView> put_company(Context& ctx, const masterdata::CompanyDraft& draft) {
  O2C_ASSIGN_OR_RETURN(auto c, masterdata::validate_company(draft));
  auto before = store::company::get(ctx.uow);
  // The ledger is kept in one functional currency: once entries exist in
  // it, changing it would leave the books in two.
  for (const auto& used : store::ledger::currencies_in_use(ctx.uow)) {
    if (used != c.currency) {
      return Error::conflict("functional_currency_locked",
                             "the ledger already has entries in " + used + "; the company currency cannot become " +
                                 c.currency,
                             "currency");
    }
  }
  c.updated_at = ctx.clock.now_rfc3339();
  store::company::put(ctx.uow, c);
  nlohmann::json payload = {{"after", company_json(c)}};
  if (before) payload["before"] = company_json(*before);
  record_event(ctx, "company", "1", before ? "updated" : "created", payload);
  return CompanyView{c, masterdata::company_missing_for_invoicing(c)};
}

static CustomerView view_of(store::UnitOfWork& uow, const masterdata::Customer& c, Date today) {
  CustomerView v;
  v.customer = c;
  auto pos = credit_position(uow, c, today);
  if (!pos.ok()) throw ErrorException(pos.take_error());
  v.balance_minor = pos->invoices_open_minor;
  v.credit_balance_minor = pos->credit_balance_minor;
  v.overdue_minor = pos->overdue_minor;
  // What the customer may still order: the limit less everything the credit
  // check counts (open receivable net of credit, and orders not yet invoiced).
  v.credit_available_minor = c.credit_limit_minor - pos->open_receivable_minor - pos->open_orders_minor;
  return v;
}

namespace {
Status check_dunning_policy(store::UnitOfWork& uow, const std::string& code) {
  auto r = uow.query_one("SELECT 1 FROM dunning_policies WHERE code = ?", {code});
  if (!r) {
    return Error::invalid("unknown_dunning_policy",
                          "dunning policy '" + code + "' is not defined (POST /dunning-policies)", "dunning_policy");
  }
  return {};
}
}  // namespace

Result<CustomerView> create_customer(Context& ctx, const masterdata::CustomerDraft& draft) {
  O2C_ASSIGN_OR_RETURN(auto c, masterdata::validate_customer(draft));
  O2C_TRY(check_dunning_policy(ctx.uow, c.dunning_policy));
  if (!store::payment_terms::find(ctx.uow, c.payment_terms)) {
    std::string known;
    for (const auto& t : store::payment_terms::list(ctx.uow)) known += (known.empty() ? "" : ", ") + t.code;
    return Error::invalid("unknown_payment_terms",
                          "payment terms '" + c.payment_terms + "' are not defined (known: " + known + ")",
                          "payment_terms");
  }
  c.created_at = c.updated_at = ctx.clock.now_rfc3339();
  c.id = store::customers::insert(ctx.uow, c);
  record_event(ctx, "customer", c.id.to_string(), "created",
               {{"name", c.name},
                {"currency", c.currency},
                {"credit_limit_minor", c.credit_limit_minor},
                {"payment_terms", c.payment_terms},
                {"country", c.country},
                {"billing", std::string(masterdata::to_string(c.billing))}});
  return view_of(ctx.uow, c, ctx.clock.today());
}

namespace {
nlohmann::json customer_json(const masterdata::Customer& c) {
  auto o = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"name", c.name},
          {"email", c.email},
          {"currency", c.currency},
          {"credit_limit_minor", c.credit_limit_minor},
          {"payment_terms", c.payment_terms},
          {"vat_id", o(c.vat_id)},
          {"country", c.country},
          {"address", o(c.address)},
          {"iban", o(c.iban)},
          {"peppol_id", o(c.peppol_id)},
          {"billing", std::string(masterdata::to_string(c.billing))},
          {"dunning_policy", c.dunning_policy}};
}
}  // namespace

Result<CustomerView> update_customer(Context& ctx, CustomerId id, const CustomerChanges& ch) {
  auto before = store::customers::find(ctx.uow, id);
  if (!before) return Error::not_found("customer_not_found", "no customer " + id.to_string());
  masterdata::CustomerDraft d;
  d.name = before->name;
  d.email = before->email;
  d.currency = before->currency;
  d.credit_limit = format_scaled(before->credit_limit_minor, Currency::of(before->currency)->exponent());
  d.payment_terms = before->payment_terms;
  d.vat_id = before->vat_id;
  d.country = before->country;
  d.address = before->address;
  d.iban = before->iban;
  d.peppol_id = before->peppol_id;
  d.billing = std::string(masterdata::to_string(before->billing));
  d.dunning_policy = before->dunning_policy;
  auto overlay = [](masterdata::Text& field, const std::optional<masterdata::Text>& change) {
    if (change) field = *change;
  };
  overlay(d.name, ch.name);
  overlay(d.email, ch.email);
  overlay(d.currency, ch.currency);
  overlay(d.credit_limit, ch.credit_limit);
  overlay(d.payment_terms, ch.payment_terms);
  overlay(d.vat_id, ch.vat_id);
  overlay(d.country, ch.country);
  overlay(d.address, ch.address);
  overlay(d.iban, ch.iban);
  overlay(d.peppol_id, ch.peppol_id);
  overlay(d.billing, ch.billing);
  overlay(d.dunning_policy, ch.dunning_policy);
  // A new currency with the old limit would silently revalue it: both must come together.
  if (ch.currency && !ch.credit_limit && d.currency != std::optional<std::string>(before->currency)) {
    return Error::invalid("credit_limit_required", "changing the currency needs the credit_limit in the new currency",
                          "credit_limit");
  }
  O2C_ASSIGN_OR_RETURN(auto c, masterdata::validate_customer(d));
  if (!store::payment_terms::find(ctx.uow, c.payment_terms)) {
    return Error::invalid("unknown_payment_terms", "payment terms '" + c.payment_terms + "' are not defined",
                          "payment_terms");
  }
  O2C_TRY(check_dunning_policy(ctx.uow, c.dunning_policy));
  c.id = id;
  c.credit_block = before->credit_block;
  c.blocked = before->blocked;
  c.dunning_block = before->dunning_block;
  c.created_at = before->created_at;
  // Nothing changed: no write, no event, the record stays as it was.
  if (customer_json(c) == customer_json(*before)) return view_of(ctx.uow, *before, ctx.clock.today());
  c.updated_at = ctx.clock.now_rfc3339();
  store::customers::update(ctx.uow, c);
  record_event(ctx, "customer", id.to_string(), "updated",
               {{"before", customer_json(*before)}, {"after", customer_json(c)}});
  // A higher limit (or new terms) may let held orders through now.
  if (c.currency == before->currency && c.credit_limit_minor > before->credit_limit_minor) {
    O2C_TRY(reevaluate_credit_holds(ctx, id, "customer updated"));
  }
  return view_of(ctx.uow, c, ctx.clock.today());
}

Result<CustomerView> get_customer(store::UnitOfWork& uow, CustomerId id, Date today) {
  auto c = store::customers::find(uow, id);
  if (!c) return Error::not_found("customer_not_found", "no customer " + id.to_string());
  return view_of(uow, *c, today);
}

std::vector<CustomerView> list_customers(store::UnitOfWork& uow, const store::PageRequest& page, Date today) {
  std::vector<CustomerView> out;
  for (const auto& c : store::customers::list(uow, page)) out.push_back(view_of(uow, c, today));
  return out;
}

std::vector<CustomerView> search_customers(store::UnitOfWork& uow, const std::string& text,
                                           const store::PageRequest& page, Date today) {
  std::vector<CustomerView> out;
  for (const auto& c : store::customers::search(uow, text, page)) out.push_back(view_of(uow, c, today));
  return out;
}

Result<masterdata::PaymentTerms> create_payment_terms(Context& ctx, const masterdata::PaymentTermsDraft& draft) {
  O2C_ASSIGN_OR_RETURN(auto t, masterdata::validate_payment_terms(draft));
  const std::string dup = "payment terms '" + t.code + "' already exist";
  if (store::payment_terms::find(ctx.uow, t.code)) return Error::invalid("duplicate_code", dup, "code");
  O2C_TRY(translate_duplicate([&]() -> Status {
    store::payment_terms::insert(ctx.uow, t);
    return {};
  }, "duplicate_code", "code", dup));
  record_event(ctx, "payment_terms", t.code, "created",
               {{"code", t.code},
                {"description", t.description},
                {"net_days", t.net_days},
                {"discount_days", t.discount_days ? nlohmann::json(*t.discount_days) : nlohmann::json()},
                {"discount_bp", t.discount_bp ? nlohmann::json(*t.discount_bp) : nlohmann::json()}});
  return t;
}

Result<masterdata::Product> create_product(Context& ctx, const masterdata::ProductDraft& draft) {
  O2C_ASSIGN_OR_RETURN(auto p, masterdata::validate_product(draft));
  std::string dup = "a product with SKU '" + p.sku + "' already exists";
  if (store::products::find_by_sku(ctx.uow, p.sku)) return Error::invalid("duplicate_sku", dup, "sku");
  p.created_at = ctx.clock.now_rfc3339();
  O2C_ASSIGN_OR_RETURN(p.id, translate_duplicate([&]() -> Result<ProductId> {
    return store::products::insert(ctx.uow, p);
  }, "duplicate_sku", "sku", dup));
  record_event(ctx, "product", p.id.to_string(), "created",
               {{"sku", p.sku},
                {"name", p.name},
                {"unit_price", format_scaled(p.unit_price_e4, masterdata::kPriceDecimals, true, 2)},
                {"currency", p.currency},
                {"tax_rate", format_scaled(p.tax_rate_bp, masterdata::kTaxRateDecimals)},
                {"tax_category", std::string(masterdata::to_string(p.tax_category))}});
  return p;
}

Result<masterdata::Product> get_product(store::UnitOfWork& uow, ProductId id) {
  auto p = store::products::find(uow, id);
  if (!p) return Error::not_found("product_not_found", "no product " + id.to_string());
  return *p;
}

Result<masterdata::Warehouse> create_warehouse(Context& ctx, const masterdata::WarehouseDraft& draft) {
  O2C_ASSIGN_OR_RETURN(auto w, masterdata::validate_warehouse(draft));
  std::string dup = "a warehouse with code '" + w.code + "' already exists";
  if (store::warehouses::find_by_code(ctx.uow, w.code)) return Error::invalid("duplicate_code", dup, "code");
  w.created_at = ctx.clock.now_rfc3339();
  O2C_ASSIGN_OR_RETURN(w.id, translate_duplicate([&]() -> Result<WarehouseId> {
    return store::warehouses::insert(ctx.uow, w);
  }, "duplicate_code", "code", dup));
  record_event(ctx, "warehouse", w.id.to_string(), "created",
               {{"code", w.code}, {"name", w.name}, {"priority", w.priority}});
  return w;
}

Result<ReceiptResult> receive_stock(Context& ctx, const ReceiptDraft& d) {
  O2C_ASSIGN_OR_RETURN(auto wh_ref, masterdata::required_text(d.warehouse, "warehouse", masterdata::kCodeMax));
  auto wh = store::warehouses::find_by_code(ctx.uow, wh_ref);
  if (!wh) {
    if (auto id = WarehouseId::parse(wh_ref)) wh = store::warehouses::find(ctx.uow, *id);
  }
  if (!wh) return Error::invalid("unknown_warehouse", "no warehouse '" + wh_ref + "'", "warehouse");
  O2C_ASSIGN_OR_RETURN(auto sku, masterdata::required_text(d.sku, "sku", masterdata::kCodeMax));
  auto product = store::products::find_by_sku(ctx.uow, sku);
  if (!product) return Error::invalid("unknown_sku", "no product with SKU '" + sku + "'", "sku");
  if (!d.quantity) return Error::invalid("required", "quantity is required", "quantity");
  if (!d.unit_cost) return Error::invalid("required", "unit_cost is required", "unit_cost");
  O2C_ASSIGN_OR_RETURN(auto receipt, inventory::validate_receipt(*d.quantity, *d.unit_cost));
  O2C_ASSIGN_OR_RETURN(auto bin, masterdata::optional_text(d.bin, "bin", masterdata::kCodeMax));
  const Currency ledger_currency = functional_currency(ctx.uow, *Currency::of(product->currency));
  O2C_ASSIGN_OR_RETURN(auto value, inventory::extended_cost(receipt.quantity, receipt.unit_cost_e4, ledger_currency));
  Date received_on = ctx.clock.today();
  if (d.received_on) {
    auto parsed = Date::parse(*d.received_on);
    if (!parsed.ok()) {
      return Error::invalid("invalid_date", "received_on must be a date YYYY-MM-DD", "received_on");
    }
    received_on = *parsed;
  }
  // The receipt fills backorders of the product in this unit of work
  // (below). Lock order on PostgreSQL: cancel and approve lock the order row
  // and then the product's stock rows; placement locks stock rows only for an
  // order nobody else can see yet. So the orders waiting for this product are
  // locked first, in ascending id order, and only then the stock row: order
  // rows before stock rows, as everywhere, so no cycle. An order that starts
  // waiting between this read and the stock lock is not filled now (we hold
  // no lock on it, and a concurrent cancel may already have read its
  // reservations); the next receipt fills it.
  std::set<int64_t> locked_orders;
  {
    std::vector<OrderId> ids;
    for (const auto& b : store::orders::backordered_lines_of_product(ctx.uow, product->id)) {
      ids.push_back(b.order_id);
      locked_orders.insert(b.order_id.value());
    }
    store::orders::lock_orders(ctx.uow, ids);
  }
  auto level = store::stock::get_for_update(ctx.uow, wh->id, product->id);
  level.warehouse_code = wh->code;
  level.sku = product->sku;
  O2C_ASSIGN_OR_RETURN(auto next, inventory::receive(level, receipt));
  store::stock::upsert(ctx.uow, next);
  std::string now = ctx.clock.now_rfc3339();
  int64_t id = store::stock::insert_receipt(ctx.uow, wh->id, product->id, receipt.quantity.milli(),
                                            receipt.unit_cost_e4, received_on.to_string(),
                                            ctx.actor.id.valid() ? std::optional<UserId>(ctx.actor.id) : std::nullopt, now);
  record_event(ctx, "stock_receipt", std::to_string(id), "received",
               {{"warehouse", wh->code},
                {"bin", bin ? nlohmann::json(*bin) : nlohmann::json()},
                {"sku", product->sku},
                {"quantity", receipt.quantity.to_string()},
                {"unit_cost", format_scaled(receipt.unit_cost_e4, masterdata::kPriceDecimals, true, 2)},
                {"received_on", received_on.to_string()},
                {"on_hand_after", next.on_hand.to_string()}});
  if (bin) store::stock::set_bin(ctx.uow, wh->id, product->id, *bin);
  auto entry = ledger::transfer(ledger::kInventory, ledger::kGoodsReceivedNotInvoiced, value);
  entry.entry_date = received_on.to_string();
  entry.source_type = "stock_receipt";
  entry.source_id = std::to_string(id);
  entry.memo = "Stock receipt " + std::to_string(id) + ": " + receipt.quantity.to_string() + " x " + product->sku +
               " into " + wh->code;
  O2C_ASSIGN_OR_RETURN(auto entry_id, post_entry(ctx, entry));
  ReceiptResult result{id, entry_id, next, {}};
  O2C_TRY(fill_backorders(ctx, wh->id, wh->code, *product, result.level, locked_orders,
                          {{"receipt_id", std::to_string(id)}}, result.allocated_to_backorders));
  return result;
}

}  // namespace o2c::app
