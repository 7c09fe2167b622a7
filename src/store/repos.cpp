#include "store/repos.h"

namespace o2c::store {
namespace {

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : null(); }
Value opt(const std::optional<int64_t>& v) { return v ? Value(*v) : null(); }

masterdata::Billing billing_from(const std::string& s) {
  return s == "consolidated" ? masterdata::Billing::consolidated : masterdata::Billing::per_shipment;
}

constexpr const char* kCustomerCols =
    "id, name, email, currency, credit_limit_minor, payment_terms, vat_id, country, address, iban, "
    "peppol_id, billing, credit_block, created_at, updated_at, blocked, dunning_policy, dunning_block";

masterdata::Customer customer_from(const Row& r) {
  masterdata::Customer c;
  c.id = CustomerId(r.i64(0));
  c.name = r.text(1);
  c.email = r.text(2);
  c.currency = r.text(3);
  c.credit_limit_minor = r.i64(4);
  c.payment_terms = r.text(5);
  c.vat_id = r.opt_text(6);
  c.country = r.text(7);
  c.address = r.opt_text(8);
  c.iban = r.opt_text(9);
  c.peppol_id = r.opt_text(10);
  c.billing = billing_from(r.text(11));
  c.credit_block = r.i64(12) != 0;
  c.created_at = r.text(13);
  c.updated_at = r.text(14);
  c.blocked = r.i64(15) != 0;
  c.dunning_policy = r.text(16);
  c.dunning_block = r.i64(17) != 0;
  return c;
}

constexpr const char* kProductCols =
    "id, sku, name, unit_price_e4, currency, tax_rate_bp, tax_category, unit_cost_e4, created_at";

masterdata::Product product_from(const Row& r) {
  masterdata::Product p;
  p.id = ProductId(r.i64(0));
  p.sku = r.text(1);
  p.name = r.text(2);
  p.unit_price_e4 = r.i64(3);
  p.currency = r.text(4);
  p.tax_rate_bp = r.i64(5);
  p.tax_category = masterdata::tax_category_from(r.text(6)).value_or(masterdata::TaxCategory::S);
  p.unit_cost_e4 = r.opt_i64(7);
  p.created_at = r.text(8);
  return p;
}

// A LIKE pattern matching `text` anywhere, case-insensitively for ASCII
// (compared with LOWER(column)); % _ and the escape character are literal.
// Folding only ASCII keeps SQLite's LOWER and PostgreSQL's lower() agreeing.
std::string contains_pattern(const std::string& text) {
  std::string p = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return p + "%";
}

masterdata::Warehouse warehouse_from(const Row& r) {
  masterdata::Warehouse w;
  w.id = WarehouseId(r.i64(0));
  w.code = r.text(1);
  w.name = r.text(2);
  w.priority = static_cast<int>(r.i64(3));
  w.created_at = r.text(4);
  return w;
}

}  // namespace

Rows customer_page(UnitOfWork& uow, const std::string& select_from, std::optional<CustomerId> customer,
                   const PageRequest& page) {
  std::string sql = select_from + " WHERE id > ?";
  std::vector<Value> params{page.after};
  if (customer) {
    sql += " AND customer_id = ?";
    params.emplace_back(customer->value());
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(int64_t{page.limit});
  return uow.query(sql, params);
}

// --- company ---------------------------------------------------------------

std::optional<masterdata::Company> company::get(UnitOfWork& uow) {
  auto r = uow.query_one(
      "SELECT name, vat_id, country, address, iban, bic, currency, peppol_id, time_zone, updated_at, "
      "overdue_grace_days, email, phone, write_off_tolerance_minor, reconcile_auto_threshold FROM company WHERE id = 1");
  if (!r) return std::nullopt;
  masterdata::Company c;
  c.name = r->text(0);
  c.vat_id = r->opt_text(1);
  c.country = r->opt_text(2);
  c.address = r->opt_text(3);
  c.iban = r->opt_text(4);
  c.bic = r->opt_text(5);
  c.currency = r->text(6);
  c.peppol_id = r->opt_text(7);
  c.time_zone = r->text(8);
  c.updated_at = r->text(9);
  c.overdue_grace_days = static_cast<int>(r->i64(10));
  c.email = r->opt_text(11);
  c.phone = r->opt_text(12);
  c.write_off_tolerance_minor = r->i64(13);
  c.reconcile_auto_threshold = static_cast<int>(r->i64(14));
  return c;
}

void company::put(UnitOfWork& uow, const masterdata::Company& c) {
  std::vector<Value> p = {c.name, opt(c.vat_id), opt(c.country), opt(c.address), opt(c.iban),
                          opt(c.bic), c.currency, opt(c.peppol_id), c.time_zone, c.updated_at,
                          int64_t{c.overdue_grace_days}, opt(c.email), opt(c.phone),
                          c.write_off_tolerance_minor, int64_t{c.reconcile_auto_threshold}};
  if (uow.exec("UPDATE company SET name = ?, vat_id = ?, country = ?, address = ?, iban = ?, bic = ?, "
               "currency = ?, peppol_id = ?, time_zone = ?, updated_at = ?, overdue_grace_days = ?, email = ?, phone = ?, "
               "write_off_tolerance_minor = ?, reconcile_auto_threshold = ? WHERE id = 1",
               p) == 0) {
    uow.exec("INSERT INTO company (name, vat_id, country, address, iban, bic, currency, peppol_id, "
             "time_zone, updated_at, overdue_grace_days, email, phone, write_off_tolerance_minor, "
             "reconcile_auto_threshold, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
             p);
  }
}

// --- payment terms ---------------------------------------------------------

namespace {
masterdata::PaymentTerms terms_from(const Row& r) {
  masterdata::PaymentTerms t;
  t.code = r.text(0);
  t.description = r.text(1);
  t.net_days = static_cast<int>(r.i64(2));
  if (auto d = r.opt_i64(3)) t.discount_days = static_cast<int>(*d);
  if (auto b = r.opt_i64(4)) t.discount_bp = static_cast<int>(*b);
  return t;
}
}  // namespace

std::optional<masterdata::PaymentTerms> payment_terms::find(UnitOfWork& uow, const std::string& code) {
  auto r = uow.query_one(
      "SELECT code, description, net_days, discount_days, discount_bp FROM payment_terms WHERE code = ?",
      {code});
  if (!r) return std::nullopt;
  return terms_from(*r);
}

std::vector<masterdata::PaymentTerms> payment_terms::list(UnitOfWork& uow) {
  std::vector<masterdata::PaymentTerms> out;
  for (const auto& r : uow.query(
           "SELECT code, description, net_days, discount_days, discount_bp FROM payment_terms ORDER BY code")) {
    out.push_back(terms_from(r));
  }
  return out;
}

void payment_terms::insert(UnitOfWork& uow, const masterdata::PaymentTerms& t) {
  uow.exec("INSERT INTO payment_terms (code, description, net_days, discount_days, discount_bp) VALUES (?, ?, ?, ?, ?)",
           {t.code, t.description, int64_t{t.net_days},
            t.discount_days ? Value(int64_t{*t.discount_days}) : null(),
            t.discount_bp ? Value(int64_t{*t.discount_bp}) : null()});
}

// --- customers -------------------------------------------------------------

CustomerId customers::insert(UnitOfWork& uow, const masterdata::Customer& c) {
  auto r = uow.query_one(
      "INSERT INTO customers (name, email, currency, credit_limit_minor, payment_terms, vat_id, "
      "country, address, iban, peppol_id, billing, credit_block, created_at, updated_at, dunning_policy) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {c.name, c.email, c.currency, c.credit_limit_minor, c.payment_terms, opt(c.vat_id), c.country,
       opt(c.address), opt(c.iban), opt(c.peppol_id), std::string(masterdata::to_string(c.billing)),
       int64_t{c.credit_block ? 1 : 0}, c.created_at, c.updated_at, c.dunning_policy});
  return CustomerId(r->i64(0));
}

void customers::update(UnitOfWork& uow, const masterdata::Customer& c) {
  uow.exec("UPDATE customers SET name = ?, email = ?, currency = ?, credit_limit_minor = ?, payment_terms = ?, "
           "vat_id = ?, country = ?, address = ?, iban = ?, peppol_id = ?, billing = ?, credit_block = ?, "
           "updated_at = ?, dunning_policy = ? WHERE id = ?",
           {c.name, c.email, c.currency, c.credit_limit_minor, c.payment_terms, opt(c.vat_id), c.country,
            opt(c.address), opt(c.iban), opt(c.peppol_id), std::string(masterdata::to_string(c.billing)),
            int64_t{c.credit_block ? 1 : 0}, c.updated_at, c.dunning_policy, c.id.value()});
}

void customers::set_dunning_block(UnitOfWork& uow, CustomerId id, bool on, const std::string& at) {
  uow.exec("UPDATE customers SET dunning_block = ?, updated_at = ? WHERE id = ?", {int64_t{on ? 1 : 0}, at, id.value()});
}

void customers::set_credit_status(UnitOfWork& uow, CustomerId id, bool credit_block, bool blocked,
                                  const std::string& at) {
  uow.exec("UPDATE customers SET credit_block = ?, blocked = ?, updated_at = ? WHERE id = ?",
           {int64_t{credit_block ? 1 : 0}, int64_t{blocked ? 1 : 0}, at, id.value()});
}

std::optional<masterdata::Customer> customers::find(UnitOfWork& uow, CustomerId id) {
  auto r = uow.query_one(std::string("SELECT ") + kCustomerCols + " FROM customers WHERE id = ?",
                         {id.value()});
  if (!r) return std::nullopt;
  return customer_from(*r);
}

std::vector<masterdata::Customer> customers::list(UnitOfWork& uow, const PageRequest& page) {
  std::vector<masterdata::Customer> out;
  for (const auto& r : uow.query(std::string("SELECT ") + kCustomerCols +
                                     " FROM customers WHERE id > ? ORDER BY id LIMIT ?",
                                 {page.after, int64_t{page.limit}})) {
    out.push_back(customer_from(r));
  }
  return out;
}

std::vector<masterdata::Customer> customers::search(UnitOfWork& uow, const std::string& text,
                                                    const PageRequest& page) {
  std::vector<masterdata::Customer> out;
  for (const auto& r : uow.query(std::string("SELECT ") + kCustomerCols +
                                     " FROM customers WHERE id > ? AND LOWER(name) LIKE ? ESCAPE '\\' "
                                     "ORDER BY id LIMIT ?",
                                 {page.after, contains_pattern(text), int64_t{page.limit}})) {
    out.push_back(customer_from(r));
  }
  return out;
}

int64_t customers::count(UnitOfWork& uow) {
  return uow.query_one("SELECT COUNT(*) FROM customers")->i64(0);
}

// --- products --------------------------------------------------------------

ProductId products::insert(UnitOfWork& uow, const masterdata::Product& p) {
  auto r = uow.query_one(
      "INSERT INTO products (sku, name, unit_price_e4, currency, tax_rate_bp, tax_category, "
      "unit_cost_e4, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.sku, p.name, p.unit_price_e4, p.currency, p.tax_rate_bp,
       std::string(masterdata::to_string(p.tax_category)), opt(p.unit_cost_e4), p.created_at});
  return ProductId(r->i64(0));
}

std::optional<masterdata::Product> products::find(UnitOfWork& uow, ProductId id) {
  auto r = uow.query_one(std::string("SELECT ") + kProductCols + " FROM products WHERE id = ?",
                         {id.value()});
  if (!r) return std::nullopt;
  return product_from(*r);
}

std::optional<masterdata::Product> products::find_by_sku(UnitOfWork& uow, const std::string& sku) {
  auto r = uow.query_one(std::string("SELECT ") + kProductCols + " FROM products WHERE sku = ?", {sku});
  if (!r) return std::nullopt;
  return product_from(*r);
}

std::vector<masterdata::Product> products::list(UnitOfWork& uow, const PageRequest& page) {
  std::vector<masterdata::Product> out;
  for (const auto& r : uow.query(std::string("SELECT ") + kProductCols +
                                     " FROM products WHERE id > ? ORDER BY id LIMIT ?",
                                 {page.after, int64_t{page.limit}})) {
    out.push_back(product_from(r));
  }
  return out;
}

std::vector<masterdata::Product> products::search(UnitOfWork& uow, const std::string& text,
                                                  const PageRequest& page) {
  std::vector<masterdata::Product> out;
  const std::string pattern = contains_pattern(text);
  for (const auto& r : uow.query(std::string("SELECT ") + kProductCols +
                                     " FROM products WHERE id > ? AND (LOWER(sku) LIKE ? ESCAPE '\\' OR "
                                     "LOWER(name) LIKE ? ESCAPE '\\') ORDER BY id LIMIT ?",
                                 {page.after, pattern, pattern, int64_t{page.limit}})) {
    out.push_back(product_from(r));
  }
  return out;
}

// --- warehouses ------------------------------------------------------------

WarehouseId warehouses::insert(UnitOfWork& uow, const masterdata::Warehouse& w) {
  auto r = uow.query_one(
      "INSERT INTO warehouses (code, name, priority, created_at) VALUES (?, ?, ?, ?) RETURNING id",
      {w.code, w.name, int64_t{w.priority}, w.created_at});
  return WarehouseId(r->i64(0));
}

std::optional<masterdata::Warehouse> warehouses::find(UnitOfWork& uow, WarehouseId id) {
  auto r = uow.query_one("SELECT id, code, name, priority, created_at FROM warehouses WHERE id = ?",
                         {id.value()});
  if (!r) return std::nullopt;
  return warehouse_from(*r);
}

std::optional<masterdata::Warehouse> warehouses::find_by_code(UnitOfWork& uow, const std::string& code) {
  auto r = uow.query_one("SELECT id, code, name, priority, created_at FROM warehouses WHERE code = ?",
                         {code});
  if (!r) return std::nullopt;
  return warehouse_from(*r);
}

std::vector<masterdata::Warehouse> warehouses::list(UnitOfWork& uow, const PageRequest& page) {
  std::vector<masterdata::Warehouse> out;
  for (const auto& r : uow.query(
           "SELECT id, code, name, priority, created_at FROM warehouses WHERE id > ? ORDER BY id LIMIT ?",
           {page.after, int64_t{page.limit}})) {
    out.push_back(warehouse_from(r));
  }
  return out;
}

// --- stock -----------------------------------------------------------------

namespace {
constexpr const char* kStockSelect =
    "SELECT s.warehouse_id, w.code, s.product_id, p.sku, s.on_hand, s.reserved, s.avg_cost_e4 "
    "FROM stock s JOIN warehouses w ON w.id = s.warehouse_id JOIN products p ON p.id = s.product_id ";

inventory::StockLevel level_from(const Row& r) {
  inventory::StockLevel l;
  l.warehouse_id = WarehouseId(r.i64(0));
  l.warehouse_code = r.text(1);
  l.product_id = ProductId(r.i64(2));
  l.sku = r.text(3);
  l.on_hand = Quantity::from_milli(r.i64(4));
  l.reserved = Quantity::from_milli(r.i64(5));
  l.avg_cost_e4 = r.i64(6);
  return l;
}
}  // namespace

inventory::StockLevel stock::get_for_update(UnitOfWork& uow, WarehouseId w, ProductId p) {
  auto r = uow.query_one(std::string(kStockSelect) + "WHERE s.warehouse_id = ? AND s.product_id = ?" +
                             std::string(uow.for_update().empty() ? "" : " FOR UPDATE OF s"),
                         {w.value(), p.value()});
  if (r) return level_from(*r);
  inventory::StockLevel l;
  l.warehouse_id = w;
  l.product_id = p;
  return l;
}

void stock::upsert(UnitOfWork& uow, const inventory::StockLevel& l) {
  if (uow.exec("UPDATE stock SET on_hand = ?, reserved = ?, avg_cost_e4 = ? "
               "WHERE warehouse_id = ? AND product_id = ?",
               {l.on_hand.milli(), l.reserved.milli(), l.avg_cost_e4, l.warehouse_id.value(),
                l.product_id.value()}) == 0) {
    uow.exec("INSERT INTO stock (warehouse_id, product_id, on_hand, reserved, avg_cost_e4) "
             "VALUES (?, ?, ?, ?, ?)",
             {l.warehouse_id.value(), l.product_id.value(), l.on_hand.milli(), l.reserved.milli(),
              l.avg_cost_e4});
  }
}

std::vector<inventory::StockLevel> stock::list(UnitOfWork& uow, std::optional<ProductId> product,
                                               const Cursor& after, int limit) {
  std::vector<inventory::StockLevel> out;
  Rows rows;
  if (product) {
    // Every warehouse, also those that never held the product: "none here" is an answer.
    rows = uow.query(
        "SELECT w.id, w.code, p.id, p.sku, COALESCE(s.on_hand, 0), COALESCE(s.reserved, 0), "
        "COALESCE(s.avg_cost_e4, 0) FROM warehouses w CROSS JOIN products p "
        "LEFT JOIN stock s ON s.warehouse_id = w.id AND s.product_id = p.id "
        "WHERE p.id = ? AND w.id > ? ORDER BY w.id LIMIT ?",
        {product->value(), after.warehouse_id, int64_t{limit}});
  } else {
    rows = uow.query(std::string(kStockSelect) +
                         "WHERE s.product_id > ? OR (s.product_id = ? AND s.warehouse_id > ?) "
                         "ORDER BY s.product_id, s.warehouse_id LIMIT ?",
                     {after.product_id, after.product_id, after.warehouse_id, int64_t{limit}});
  }
  for (const auto& r : rows) out.push_back(level_from(r));
  return out;
}

int64_t stock::insert_receipt(UnitOfWork& uow, WarehouseId w, ProductId p, int64_t quantity_milli,
                              int64_t unit_cost_e4, const std::string& received_on,
                              std::optional<UserId> by, const std::string& at) {
  auto r = uow.query_one(
      "INSERT INTO stock_receipts (warehouse_id, product_id, quantity, unit_cost_e4, received_on, "
      "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {w.value(), p.value(), quantity_milli, unit_cost_e4, received_on,
       by ? Value(by->value()) : null(), at});
  return r->i64(0);
}

void stock::set_bin(UnitOfWork& uow, WarehouseId w, ProductId p, const std::string& bin) {
  uow.exec("UPDATE stock SET bin = ? WHERE warehouse_id = ? AND product_id = ?", {bin, w.value(), p.value()});
}

std::vector<inventory::StockLevel> stock::breaches(UnitOfWork& uow) {
  std::vector<inventory::StockLevel> out;
  for (const auto& r :
       uow.query(std::string(kStockSelect) + "WHERE s.reserved < 0 OR s.reserved > s.on_hand")) {
    out.push_back(level_from(r));
  }
  return out;
}

// --- users and tokens ------------------------------------------------------

namespace {
User user_from(const Row& r) {
  User u;
  u.id = UserId(r.i64(0));
  u.name = r.text(1);
  u.role = r.text(2);
  if (auto c = r.opt_i64(3)) u.customer_id = CustomerId(*c);
  return u;
}
}  // namespace

UserId users::insert(UnitOfWork& uow, const std::string& name, const std::string& role,
                     std::optional<CustomerId> customer, const std::optional<std::string>& password_hash,
                     const std::string& at) {
  auto r = uow.query_one(
      "INSERT INTO users (name, role, customer_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?) "
      "RETURNING id",
      {name, role, customer ? Value(customer->value()) : null(), opt(password_hash), at});
  return UserId(r->i64(0));
}

std::optional<User> users::find_by_name(UnitOfWork& uow, const std::string& name) {
  auto r = uow.query_one("SELECT id, name, role, customer_id FROM users WHERE name = ?", {name});
  if (!r) return std::nullopt;
  return user_from(*r);
}

std::optional<std::string> users::password_hash(UnitOfWork& uow, UserId id) {
  auto r = uow.query_one("SELECT password_hash FROM users WHERE id = ?", {id.value()});
  if (!r) return std::nullopt;
  return r->opt_text(0);
}

std::vector<User> users::list(UnitOfWork& uow) {
  std::vector<User> out;
  for (const auto& r : uow.query("SELECT id, name, role, customer_id FROM users ORDER BY id")) {
    out.push_back(user_from(r));
  }
  return out;
}

int64_t users::count(UnitOfWork& uow) { return uow.query_one("SELECT COUNT(*) FROM users")->i64(0); }

void users::add_token(UnitOfWork& uow, UserId user, const std::string& token_hash, const std::string& at) {
  uow.exec("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)",
           {user.value(), token_hash, at});
}

std::optional<User> users::by_token_hash(UnitOfWork& uow, const std::string& token_hash) {
  auto r = uow.query_one(
      "SELECT u.id, u.name, u.role, u.customer_id FROM api_tokens t JOIN users u ON u.id = t.user_id "
      "WHERE t.token_hash = ? AND t.revoked_at IS NULL",
      {token_hash});
  if (!r) return std::nullopt;
  return user_from(*r);
}

// --- audit events ----------------------------------------------------------

AuditHead events::head_for_update(UnitOfWork& uow) {
  auto r = uow.query_one(std::string("SELECT seq, hash FROM audit_head WHERE id = 1") +
                         std::string(uow.for_update()));
  return AuditHead{r->i64(0), r->text(1)};
}

AuditHead events::head(UnitOfWork& uow) {
  auto r = uow.query_one("SELECT seq, hash FROM audit_head WHERE id = 1");
  return AuditHead{r->i64(0), r->text(1)};
}

void events::append(UnitOfWork& uow, const Event& e) {
  uow.exec("INSERT INTO events (seq, at, actor, entity, entity_id, action, payload, prev_hash, hash) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
           {e.seq, e.at, e.actor, e.entity, e.entity_id, e.action, e.payload, e.prev_hash, e.hash});
  uow.exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", {e.seq, e.hash});
}

std::vector<Event> events::list(UnitOfWork& uow, int64_t after_seq, int limit) {
  std::vector<Event> out;
  for (const auto& r : uow.query(
           "SELECT seq, at, actor, entity, entity_id, action, payload, prev_hash, hash FROM events "
           "WHERE seq > ? ORDER BY seq LIMIT ?",
           {after_seq, int64_t{limit}})) {
    out.push_back(Event{r.i64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6),
                        r.text(7), r.text(8)});
  }
  return out;
}

int64_t events::count(UnitOfWork& uow) { return uow.query_one("SELECT COUNT(*) FROM events")->i64(0); }

// --- idempotency -----------------------------------------------------------

std::optional<StoredResponse> idempotency::find(UnitOfWork& uow, UserId user, const std::string& key) {
  auto r = uow.query_one(
      "SELECT method, path, request_hash, status, body FROM idempotency_keys "
      "WHERE user_id = ? AND idem_key = ?",
      {user.value(), key});
  if (!r) return std::nullopt;
  return StoredResponse{r->text(0), r->text(1), r->text(2), static_cast<int>(r->i64(3)), r->text(4)};
}

void idempotency::save(UnitOfWork& uow, UserId user, const std::string& key, const StoredResponse& s,
                       const std::string& at) {
  uow.exec("INSERT INTO idempotency_keys (user_id, idem_key, method, path, request_hash, status, body, "
           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
           {user.value(), key, s.method, s.path, s.request_hash, int64_t{s.status}, s.body, at});
}

}  // namespace o2c::store
