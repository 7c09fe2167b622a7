#include "store/shipping_repo.h"

#include <map>

namespace o2c::store::shipments {
namespace {

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : null(); }

constexpr const char* kCols =
    "s.id, s.number, s.order_id, o.number, s.status, s.carrier, s.tracking_number, o.ship_to, s.shipped_on, "
    "s.delivered_on, s.cost_minor, s.cost_currency, s.created_by, s.created_at, s.updated_at";

shipping::Shipment from(const Row& r) {
  shipping::Shipment s;
  s.id = r.i64(0);
  s.number = r.text(1);
  s.order_id = OrderId(r.i64(2));
  s.order_number = r.text(3);
  s.status = r.text(4) == "delivered" ? shipping::ShipmentStatus::delivered : shipping::ShipmentStatus::shipped;
  s.carrier = r.opt_text(5);
  s.tracking_number = r.opt_text(6);
  s.ship_to = r.opt_text(7);
  s.shipped_on = r.text(8);
  s.delivered_on = r.opt_text(9);
  s.cost_minor = r.i64(10);
  s.cost_currency = r.text(11);
  if (auto u = r.opt_i64(12)) s.created_by = UserId(*u);
  s.created_at = r.text(13);
  s.updated_at = r.text(14);
  return s;
}

// The lines of every shipment in one query, in pick order: warehouse, bin, SKU.
void attach_lines(UnitOfWork& uow, std::vector<shipping::Shipment>& all) {
  if (all.empty()) return;
  std::string sql =
      "SELECT sl.shipment_id, sl.id, sl.order_line_id, sl.product_id, sl.sku, p.name, sl.warehouse_id, w.code, "
      "st.bin, sl.quantity, sl.unit_cost_e4, sl.cost_minor FROM shipment_lines sl "
      "JOIN products p ON p.id = sl.product_id JOIN warehouses w ON w.id = sl.warehouse_id "
      "LEFT JOIN stock st ON st.product_id = sl.product_id AND st.warehouse_id = sl.warehouse_id "
      "WHERE sl.shipment_id IN (";
  std::vector<Value> params;
  std::map<int64_t, size_t> index;
  for (size_t i = 0; i < all.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.emplace_back(all[i].id);
    index[all[i].id] = i;
  }
  sql += ") ORDER BY sl.shipment_id, w.code, st.bin, sl.sku, sl.id";
  for (const auto& r : uow.query(sql, params)) {
    shipping::ShipmentLine l;
    l.id = r.i64(1);
    l.order_line_id = OrderLineId(r.i64(2));
    l.product_id = ProductId(r.i64(3));
    l.sku = r.text(4);
    l.product_name = r.text(5);
    l.warehouse_id = WarehouseId(r.i64(6));
    l.warehouse_code = r.text(7);
    l.bin = r.opt_text(8);
    l.quantity = r.i64(9);
    l.unit_cost_e4 = r.i64(10);
    l.cost_minor = r.i64(11);
    all[index.at(r.i64(0))].lines.push_back(std::move(l));
  }
}

}  // namespace

void insert(UnitOfWork& uow, shipping::Shipment& s) {
  auto r = uow.query_one(
      "INSERT INTO shipments (number, order_id, status, carrier, tracking_number, shipped_on, delivered_on, "
      "cost_minor, cost_currency, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {s.number, s.order_id.value(), std::string(shipping::to_string(s.status)), opt(s.carrier),
       opt(s.tracking_number), s.shipped_on, opt(s.delivered_on), s.cost_minor, s.cost_currency,
       s.created_by ? Value(s.created_by->value()) : null(), s.created_at, s.updated_at});
  s.id = r->i64(0);
  for (auto& l : s.lines) {
    auto lr = uow.query_one(
        "INSERT INTO shipment_lines (shipment_id, order_line_id, product_id, sku, warehouse_id, quantity, "
        "unit_cost_e4, cost_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {s.id, l.order_line_id.value(), l.product_id.value(), l.sku, l.warehouse_id.value(), l.quantity,
         l.unit_cost_e4, l.cost_minor});
    l.id = lr->i64(0);
  }
}

std::optional<shipping::Shipment> find(UnitOfWork& uow, int64_t id, bool for_update) {
  auto r = uow.query_one(std::string("SELECT ") + kCols +
                             " FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = ?" +
                             std::string(for_update && !uow.for_update().empty() ? " FOR UPDATE OF s" : ""),
                         {id});
  if (!r) return std::nullopt;
  std::vector<shipping::Shipment> one{from(*r)};
  attach_lines(uow, one);
  return std::move(one.front());
}

std::vector<shipping::Shipment> list(UnitOfWork& uow, std::optional<OrderId> order, const PageRequest& page,
                                     std::optional<shipping::ShipmentStatus> status) {
  std::string sql = std::string("SELECT ") + kCols + " FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id > ?";
  std::vector<Value> params{page.after};
  if (order) {
    sql += " AND s.order_id = ?";
    params.emplace_back(order->value());
  }
  if (status) {
    sql += " AND s.status = ?";
    params.emplace_back(std::string(shipping::to_string(*status)));
  }
  sql += " ORDER BY s.id LIMIT ?";
  params.emplace_back(int64_t{page.limit});
  std::vector<shipping::Shipment> out;
  for (const auto& r : uow.query(sql, params)) out.push_back(from(r));
  attach_lines(uow, out);
  return out;
}

void set_delivered(UnitOfWork& uow, int64_t id, const std::string& on, const std::string& at) {
  uow.exec("UPDATE shipments SET status = 'delivered', delivered_on = ?, updated_at = ? WHERE id = ?", {on, at, id});
}

std::vector<std::string> shipped_mismatches(UnitOfWork& uow) {
  std::vector<std::string> out;
  for (const auto& r : uow.query(
           "SELECT l.id, l.shipped, COALESCE(x.total, 0) FROM order_lines l LEFT JOIN "
           "(SELECT order_line_id, SUM(quantity) AS total FROM shipment_lines GROUP BY order_line_id) x "
           "ON x.order_line_id = l.id WHERE l.shipped <> COALESCE(x.total, 0) ORDER BY l.id")) {
    out.push_back("order line " + r.text(0) + " has shipped " + r.text(1) + " but its shipment lines sum to " +
                  r.text(2));
  }
  return out;
}

}  // namespace o2c::store::shipments
