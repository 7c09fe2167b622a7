#include "store/orders_repo.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

namespace o2c::store::orders {
namespace {

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : null(); }

std::string reasons_json(const std::vector<order::HoldReason>& reasons) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& r : reasons) a.push_back({{"code", r.code}, {"message", r.message}});
  return a.dump();
}

std::vector<order::HoldReason> reasons_from(const std::string& text) {
  std::vector<order::HoldReason> out;
  auto a = nlohmann::json::parse(text, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& r : a) {
    if (r.is_object()) out.push_back({r.value("code", ""), r.value("message", "")});
  }
  return out;
}

constexpr const char* kOrderCols =
    "id, number, customer_id, currency, status, external_ref, ship_to, net_total_minor, tax_total_minor, "
    "total_minor, hold_reasons, placed_seq, created_by, created_at, updated_at";

order::Order order_from(const Row& r) {
  order::Order o;
  o.id = OrderId(r.i64(0));
  o.number = r.text(1);
  o.customer_id = CustomerId(r.i64(2));
  o.currency = r.text(3);
  o.status = order::status_from_string(r.text(4)).value_or(order::OrderStatus::open);
  o.external_ref = r.opt_text(5);
  o.ship_to = r.opt_text(6);
  o.net_total_minor = r.i64(7);
  o.tax_total_minor = r.i64(8);
  o.total_minor = r.i64(9);
  o.hold_reasons = reasons_from(r.text(10));
  o.placed_seq = r.i64(11);
  if (auto u = r.opt_i64(12)) o.created_by = UserId(*u);
  o.created_at = r.text(13);
  o.updated_at = r.text(14);
  return o;
}

constexpr const char* kLineCols =
    "id, order_id, line_no, product_id, sku, quantity, unit_price_e4, price_overridden, tax_category, "
    "tax_rate_bp, line_net_minor, reserved, shipped, invoiced";

order::OrderLine line_from(const Row& r) {
  order::OrderLine l;
  l.id = OrderLineId(r.i64(0));
  l.line_no = static_cast<int>(r.i64(2));
  l.product_id = ProductId(r.i64(3));
  l.sku = r.text(4);
  l.quantity = r.i64(5);
  l.unit_price_e4 = r.i64(6);
  l.price_overridden = r.i64(7) != 0;
  l.tax_category = masterdata::tax_category_from(r.text(8)).value_or(masterdata::TaxCategory::S);
  l.tax_rate_bp = r.i64(9);
  l.line_net_minor = r.i64(10);
  l.reserved = r.i64(11);
  l.shipped = r.i64(12);
  l.invoiced = r.i64(13);
  return l;
}

// Attaches the lines and the allowances/charges of every order, a query each (no N+1).
void attach_lines(UnitOfWork& uow, std::vector<order::Order>& orders) {
  if (orders.empty()) return;
  std::string in = " IN (";
  std::vector<Value> params;
  std::map<int64_t, size_t> index;
  for (size_t i = 0; i < orders.size(); ++i) {
    in += i ? ", ?" : "?";
    params.emplace_back(orders[i].id.value());
    index[orders[i].id.value()] = i;
  }
  in += ")";
  for (const auto& r : uow.query(std::string("SELECT ") + kLineCols + " FROM order_lines WHERE order_id" + in +
                                     " ORDER BY order_id, line_no",
                                 params)) {
    orders[index.at(r.i64(1))].lines.push_back(line_from(r));
  }
  for (const auto& r : uow.query("SELECT order_id, seq, is_charge, amount_minor, reason, tax_category, tax_rate_bp, "
                                 "billed_minor FROM order_charges WHERE order_id" +
                                     in + " ORDER BY order_id, seq",
                                 params)) {
    order::OrderCharge c;
    c.seq = static_cast<int>(r.i64(1));
    c.is_charge = r.i64(2) != 0;
    c.amount_minor = r.i64(3);
    c.reason = r.text(4);
    c.tax_category = masterdata::tax_category_from(r.text(5)).value_or(masterdata::TaxCategory::S);
    c.tax_rate_bp = r.i64(6);
    c.billed_minor = r.i64(7);
    orders[index.at(r.i64(0))].charges.push_back(std::move(c));
  }
}

}  // namespace

int64_t next_counter(UnitOfWork& uow, const std::string& name) {
  // The row is created on first use; ON CONFLICT makes a concurrent first use
  // wait for the other's insert instead of failing on the primary key.
  uow.exec("INSERT INTO counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING", {name});
  auto r = uow.query_one("SELECT value FROM counters WHERE name = ?" + std::string(uow.for_update()), {name});
  int64_t next = r->i64(0) + 1;
  uow.exec("UPDATE counters SET value = ? WHERE name = ?", {next, name});
  return next;
}

std::optional<bool> lock_customer(UnitOfWork& uow, CustomerId id) {
  auto r = uow.query_one("SELECT blocked FROM customers WHERE id = ?" + std::string(uow.for_update()),
                         {id.value()});
  if (!r) return std::nullopt;
  return r->i64(0) != 0;
}

void insert(UnitOfWork& uow, order::Order& o) {
  auto r = uow.query_one(
      "INSERT INTO orders (number, customer_id, currency, status, external_ref, ship_to, net_total_minor, "
      "tax_total_minor, total_minor, hold_reasons, placed_seq, created_by, created_at, updated_at, placed_on, held_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {o.number, o.customer_id.value(), o.currency, std::string(order::to_string(o.status)), opt(o.external_ref),
       opt(o.ship_to), o.net_total_minor, o.tax_total_minor, o.total_minor, reasons_json(o.hold_reasons),
       o.placed_seq, o.created_by ? Value(o.created_by->value()) : null(), o.created_at, o.updated_at,
       o.placed_on.empty() ? o.created_at.substr(0, 10) : o.placed_on,
       o.status == order::OrderStatus::credit_hold ? Value(o.created_at) : null()});
  o.id = OrderId(r->i64(0));
  for (auto& l : o.lines) {
    auto lr = uow.query_one(
        "INSERT INTO order_lines (order_id, line_no, product_id, sku, quantity, unit_price_e4, price_overridden, "
        "tax_category, tax_rate_bp, line_net_minor, reserved, shipped, invoiced) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {o.id.value(), int64_t{l.line_no}, l.product_id.value(), l.sku, l.quantity, l.unit_price_e4,
         int64_t{l.price_overridden ? 1 : 0}, std::string(masterdata::to_string(l.tax_category)), l.tax_rate_bp,
         l.line_net_minor, l.reserved, l.shipped, l.invoiced});
    l.id = OrderLineId(lr->i64(0));
  }
  for (const auto& c : o.charges) {
    uow.exec("INSERT INTO order_charges (order_id, seq, is_charge, amount_minor, reason, tax_category, tax_rate_bp, "
             "billed_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             {o.id.value(), int64_t{c.seq}, int64_t{c.is_charge ? 1 : 0}, c.amount_minor, c.reason,
              std::string(masterdata::to_string(c.tax_category)), c.tax_rate_bp, c.billed_minor});
  }
}

void set_charge_billed(UnitOfWork& uow, OrderId order, int seq, int64_t billed_minor) {
  uow.exec("UPDATE order_charges SET billed_minor = ? WHERE order_id = ? AND seq = ?",
           {billed_minor, order.value(), int64_t{seq}});
}

std::optional<order::Order> find(UnitOfWork& uow, OrderId id, bool for_update) {
  auto r = uow.query_one(std::string("SELECT ") + kOrderCols + " FROM orders WHERE id = ?" +
                             std::string(for_update ? uow.for_update() : ""),
                         {id.value()});
  if (!r) return std::nullopt;
  std::vector<order::Order> one{order_from(*r)};
  attach_lines(uow, one);
  return std::move(one.front());
}

std::optional<order::Order> find_by_external_ref(UnitOfWork& uow, CustomerId customer,
                                                 const std::string& external_ref) {
  auto r = uow.query_one(std::string("SELECT ") + kOrderCols +
                             " FROM orders WHERE customer_id = ? AND external_ref = ? ORDER BY id LIMIT 1",
                         {customer.value(), external_ref});
  if (!r) return std::nullopt;
  std::vector<order::Order> one{order_from(*r)};
  attach_lines(uow, one);
  return std::move(one.front());
}

std::vector<order::Order> list(UnitOfWork& uow, const ListFilter& f, const PageRequest& page) {
  std::string sql = std::string("SELECT ") + kOrderCols + " FROM orders WHERE id > ?";
  std::vector<Value> params{page.after};
  if (f.status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(order::to_string(*f.status)));
  }
  if (f.customer) {
    sql += " AND customer_id = ?";
    params.emplace_back(f.customer->value());
  }
  if (f.to_ship) {
    sql += " AND status IN ('open', 'partially_shipped') AND EXISTS (SELECT 1 FROM order_lines l "
           "WHERE l.order_id = orders.id AND l.reserved > 0)";
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(int64_t{page.limit});
  std::vector<order::Order> out;
  for (const auto& r : uow.query(sql, params)) out.push_back(order_from(r));
  attach_lines(uow, out);
  return out;
}

void update_status(UnitOfWork& uow, OrderId id, order::OrderStatus status,
                   const std::vector<order::HoldReason>& hold_reasons, const std::string& at) {
  uow.exec("UPDATE orders SET status = ?, hold_reasons = ?, updated_at = ? WHERE id = ?",
           {std::string(order::to_string(status)), reasons_json(hold_reasons), at, id.value()});
}

void set_line_reserved(UnitOfWork& uow, OrderLineId line, int64_t reserved) {
  uow.exec("UPDATE order_lines SET reserved = ? WHERE id = ?", {reserved, line.value()});
}

std::vector<LockedStock> lock_stock_of_product(UnitOfWork& uow, ProductId product) {
  std::vector<LockedStock> out;
  for (const auto& r : uow.query(
           "SELECT s.warehouse_id, w.priority, s.on_hand, s.reserved, s.avg_cost_e4 FROM stock s "
           "JOIN warehouses w ON w.id = s.warehouse_id WHERE s.product_id = ? ORDER BY s.warehouse_id" +
               std::string(uow.for_update().empty() ? "" : " FOR UPDATE OF s"),
           {product.value()})) {
    out.push_back({WarehouseId(r.i64(0)), static_cast<int>(r.i64(1)), r.i64(2), r.i64(3), r.i64(4)});
  }
  return out;
}

void set_stock_reserved(UnitOfWork& uow, WarehouseId w, ProductId p, int64_t reserved) {
  uow.exec("UPDATE stock SET reserved = ? WHERE warehouse_id = ? AND product_id = ?",
           {reserved, w.value(), p.value()});
}

void set_stock_out(UnitOfWork& uow, WarehouseId w, ProductId p, int64_t on_hand, int64_t reserved) {
  uow.exec("UPDATE stock SET on_hand = ?, reserved = ? WHERE warehouse_id = ? AND product_id = ?",
           {on_hand, reserved, w.value(), p.value()});
}

void set_reservation(UnitOfWork& uow, OrderLineId line, WarehouseId w, int64_t quantity) {
  if (quantity <= 0) {
    uow.exec("DELETE FROM reservations WHERE order_line_id = ? AND warehouse_id = ?", {line.value(), w.value()});
  } else {
    uow.exec("UPDATE reservations SET quantity = ? WHERE order_line_id = ? AND warehouse_id = ?",
             {quantity, line.value(), w.value()});
  }
}

void set_line_shipped(UnitOfWork& uow, OrderLineId line, int64_t reserved, int64_t shipped) {
  uow.exec("UPDATE order_lines SET reserved = ?, shipped = ? WHERE id = ?", {reserved, shipped, line.value()});
}

void add_reservation(UnitOfWork& uow, OrderLineId line, WarehouseId w, int64_t quantity) {
  uow.exec("INSERT INTO reservations (order_line_id, warehouse_id, quantity) VALUES (?, ?, ?) "
           "ON CONFLICT (order_line_id, warehouse_id) DO UPDATE SET quantity = reservations.quantity + excluded.quantity",
           {line.value(), w.value(), quantity});
}

std::vector<ReservationRow> reservations_of_order(UnitOfWork& uow, OrderId order) {
  std::vector<ReservationRow> out;
  for (const auto& r : uow.query(
           "SELECT r.order_line_id, l.product_id, r.warehouse_id, r.quantity, l.line_no, w.priority "
           "FROM reservations r JOIN order_lines l ON l.id = r.order_line_id "
           "JOIN warehouses w ON w.id = r.warehouse_id WHERE l.order_id = ? "
           "ORDER BY l.product_id, r.warehouse_id, r.order_line_id",
           {order.value()})) {
    out.push_back({OrderLineId(r.i64(0)), ProductId(r.i64(1)), WarehouseId(r.i64(2)), r.i64(3),
                   static_cast<int>(r.i64(4)), static_cast<int>(r.i64(5))});
  }
  return out;
}

std::vector<PickRow> pick_rows_of_order(UnitOfWork& uow, OrderId order) {
  std::vector<PickRow> out;
  // COALESCE: the engines sort NULL bins differently; without a bin, first.
  for (const auto& r : uow.query(
           "SELECT l.line_no, l.sku, p.name, w.code, st.bin, r.quantity "
           "FROM reservations r JOIN order_lines l ON l.id = r.order_line_id "
           "JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = r.warehouse_id "
           "LEFT JOIN stock st ON st.warehouse_id = r.warehouse_id AND st.product_id = l.product_id "
           "WHERE l.order_id = ? AND r.quantity > 0 "
           "ORDER BY w.priority, w.code, COALESCE(st.bin, ''), l.sku, l.line_no",
           {order.value()})) {
    out.push_back({static_cast<int>(r.i64(0)), r.text(1), r.text(2), r.text(3), r.opt_text(4), r.i64(5)});
  }
  return out;
}

std::vector<BackorderRow> backorders(UnitOfWork& uow, const BackorderCursor& after, int limit) {
  std::vector<BackorderRow> out;
  for (const auto& r : uow.query(
           "SELECT o.id, o.number, o.placed_seq, COALESCE(o.placed_on, SUBSTR(o.created_at, 1, 10)), o.customer_id, "
           "c.name, l.id, l.line_no, l.sku, p.name, l.quantity, l.reserved, l.shipped, "
           "l.quantity - l.reserved - l.shipped, "
           "COALESCE((SELECT SUM(s.on_hand) FROM stock s WHERE s.product_id = l.product_id), 0), "
           "COALESCE((SELECT SUM(s.on_hand - s.reserved) FROM stock s WHERE s.product_id = l.product_id), 0) "
           "FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers c ON c.id = o.customer_id "
           "JOIN products p ON p.id = l.product_id "
           "WHERE o.status IN ('open', 'partially_shipped') AND l.quantity - l.reserved - l.shipped > 0 "
           "AND (o.placed_seq > ? OR (o.placed_seq = ? AND l.id > ?)) "
           "ORDER BY o.placed_seq, l.id LIMIT ?",
           {after.placed_seq, after.placed_seq, after.line_id, int64_t{limit}})) {
    BackorderRow b;
    b.order_id = OrderId(r.i64(0));
    b.order_number = r.text(1);
    b.placed_seq = r.i64(2);
    b.placed_on = r.text(3);
    b.customer_id = CustomerId(r.i64(4));
    b.customer_name = r.text(5);
    b.line_id = OrderLineId(r.i64(6));
    b.line_no = static_cast<int>(r.i64(7));
    b.sku = r.text(8);
    b.product_name = r.text(9);
    b.quantity = r.i64(10);
    b.reserved = r.i64(11);
    b.shipped = r.i64(12);
    b.backordered = r.i64(13);
    b.on_hand = r.i64(14);
    b.available = r.i64(15);
    out.push_back(std::move(b));
  }
  return out;
}

void delete_reservations_of_order(UnitOfWork& uow, OrderId order) {
  uow.exec("DELETE FROM reservations WHERE order_line_id IN (SELECT id FROM order_lines WHERE order_id = ?)",
           {order.value()});
}

std::vector<BackorderedLineRow> backordered_lines_of_product(UnitOfWork& uow, ProductId product) {
  std::vector<BackorderedLineRow> out;
  for (const auto& r : uow.query(
           "SELECT o.id, o.number, l.id, o.placed_seq, l.reserved, l.quantity - l.reserved - l.shipped "
           "FROM order_lines l JOIN orders o ON o.id = l.order_id "
           "WHERE l.product_id = ? AND o.status IN ('open', 'partially_shipped') "
           "AND l.quantity - l.reserved - l.shipped > 0 "
           "ORDER BY o.placed_seq, o.id, l.id",
           {product.value()})) {
    out.push_back({OrderId(r.i64(0)), r.text(1), OrderLineId(r.i64(2)), r.i64(3), r.i64(4), r.i64(5)});
  }
  return out;
}

std::vector<OrderId> held_orders_of_customer(UnitOfWork& uow, CustomerId customer) {
  std::vector<OrderId> out;
  for (const auto& r : uow.query("SELECT id FROM orders WHERE customer_id = ? AND status = 'credit_hold' "
                                 "ORDER BY placed_seq, id",
                                 {customer.value()})) {
    out.emplace_back(r.i64(0));
  }
  return out;
}

void lock_orders(UnitOfWork& uow, const std::vector<OrderId>& ids) {
  std::vector<int64_t> sorted;
  for (const auto& id : ids) sorted.push_back(id.value());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  // One statement per row: the locks are taken exactly in this order.
  for (int64_t id : sorted) uow.query_one("SELECT id FROM orders WHERE id = ?" + std::string(uow.for_update()), {id});
}

void outbox_append(UnitOfWork& uow, const std::string& topic, const std::string& payload, const std::string& at) {
  uow.exec("INSERT INTO outbox (topic, payload, created_at) VALUES (?, ?, ?)", {topic, payload, at});
}

std::vector<OutboxMessage> outbox_list(UnitOfWork& uow, int64_t after, int limit) {
  std::vector<OutboxMessage> out;
  for (const auto& r : uow.query("SELECT id, topic, payload FROM outbox WHERE id > ? ORDER BY id LIMIT ?",
                                 {after, int64_t{limit}})) {
    out.push_back({r.i64(0), r.text(1), r.text(2)});
  }
  return out;
}

std::vector<std::string> reservations_not_on_live_orders(UnitOfWork& uow) {
  std::vector<std::string> out;
  for (const auto& r : uow.query(
           "SELECT r.order_line_id, r.warehouse_id, o.number, o.status FROM reservations r "
           "LEFT JOIN order_lines l ON l.id = r.order_line_id LEFT JOIN orders o ON o.id = l.order_id "
           "WHERE o.id IS NULL OR o.status NOT IN ('open', 'partially_shipped') "
           "ORDER BY r.order_line_id, r.warehouse_id")) {
    out.push_back("reservation of order line " + r.text(0) + " in warehouse " + r.text(1) + " belongs to " +
                  (r.is_null(2) ? std::string("no order") : "order " + r.text(2) + " in status " + r.text(3)));
  }
  return out;
}

std::vector<std::string> stock_reserved_mismatches(UnitOfWork& uow) {
  std::vector<std::string> out;
  // Stock rows against the sum of their reservations ...
  for (const auto& r : uow.query(
           "SELECT s.product_id, s.warehouse_id, s.reserved, COALESCE(x.total, 0) FROM stock s "
           "LEFT JOIN (SELECT l.product_id AS product_id, r.warehouse_id AS warehouse_id, SUM(r.quantity) AS total "
           "FROM reservations r JOIN order_lines l ON l.id = r.order_line_id "
           "GROUP BY l.product_id, r.warehouse_id) x ON x.product_id = s.product_id AND x.warehouse_id = s.warehouse_id "
           "WHERE s.reserved <> COALESCE(x.total, 0) ORDER BY s.product_id, s.warehouse_id")) {
    out.push_back("stock of product " + r.text(0) + " in warehouse " + r.text(1) + " has reserved " + r.text(2) +
                  " (thousandths) but its reservations sum to " + r.text(3));
  }
  // ... and reservations without a stock row.
  for (const auto& r : uow.query(
           "SELECT l.product_id, r.warehouse_id FROM reservations r JOIN order_lines l ON l.id = r.order_line_id "
           "LEFT JOIN stock s ON s.product_id = l.product_id AND s.warehouse_id = r.warehouse_id "
           "WHERE s.product_id IS NULL")) {
    out.push_back("reservation of product " + r.text(0) + " in warehouse " + r.text(1) + " has no stock row");
  }
  // Each line's reserved against its reservations.
  for (const auto& r : uow.query(
           "SELECT l.id, l.reserved, COALESCE(x.total, 0) FROM order_lines l LEFT JOIN "
           "(SELECT order_line_id, SUM(quantity) AS total FROM reservations GROUP BY order_line_id) x "
           "ON x.order_line_id = l.id WHERE l.reserved <> COALESCE(x.total, 0) ORDER BY l.id")) {
    out.push_back("order line " + r.text(0) + " has reserved " + r.text(1) + " but its reservations sum to " +
                  r.text(2));
  }
  return out;
}

std::vector<std::string> line_quantity_breaches(UnitOfWork& uow) {
  std::vector<std::string> out;
  for (const auto& r : uow.query(
           "SELECT l.id, l.quantity, l.reserved, l.shipped FROM order_lines l "
           "WHERE l.reserved < 0 OR l.shipped < 0 OR l.reserved + l.shipped > l.quantity ORDER BY l.id")) {
    out.push_back("order line " + r.text(0) + ": reserved " + r.text(2) + " + shipped " + r.text(3) +
                  " exceed quantity " + r.text(1));
  }
  return out;
}

std::vector<order::Order> all_after(UnitOfWork& uow, int64_t after_id, int limit) {
  return list(uow, {}, PageRequest{after_id, limit});
}

void record_hold_decision(UnitOfWork& uow, OrderId id, const std::string& outcome, const std::string& at) {
  uow.exec("UPDATE orders SET hold_decided_at = ?, hold_outcome = ? WHERE id = ? AND held_at IS NOT NULL AND "
           "hold_decided_at IS NULL",
           {at, outcome, id.value()});
}

}  // namespace o2c::store::orders
