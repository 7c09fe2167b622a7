#include "store/reports_repo.h"

namespace o2c::store::reports {
namespace {

Date date_of(const Row& r, size_t i) {
  auto d = Date::parse(r.text(i));
  return d.ok() ? *d : Date();
}

}  // namespace

std::vector<OpenItemRow> open_items(UnitOfWork& uow, Date as_of, std::optional<CustomerId> customer) {
  const std::string d = as_of.to_string();
  std::string sql =
      "SELECT i.id, i.customer_id, i.issue_date, i.due_date, i.number, i.currency, i.total_minor, "
      "i.total_functional_minor, COALESCE(SUM(a.amount_minor), 0), COALESCE(SUM(a.functional_minor), 0) "
      "FROM invoices i LEFT JOIN invoice_allocations a ON a.invoice_id = i.id AND a.applied_on <= ? "
      "AND (a.reversed_at IS NULL OR a.reversed_on > ?) "
      "WHERE i.kind = 'invoice' AND i.settled_on > ? AND i.issue_date <= ?";
  std::vector<Value> params = {d, d, d, d};
  if (customer) {
    sql += " AND i.customer_id = ?";
    params.emplace_back(customer->value());
  }
  sql += " GROUP BY i.id, i.customer_id, i.issue_date, i.due_date, i.number, i.currency, i.total_minor, "
         "i.total_functional_minor ORDER BY i.customer_id, i.due_date, i.id";
  std::vector<OpenItemRow> out;
  for (const auto& r : uow.query(sql, params)) {
    OpenItemRow row;
    row.item.invoice_id = r.i64(0);
    row.item.customer_id = r.i64(1);
    row.item.issue_date = date_of(r, 2);
    row.item.due_date = date_of(r, 3);
    row.number = r.text(4);
    row.currency = r.text(5);
    row.total_minor = r.i64(6);
    row.total_functional_minor = r.i64(7);
    row.open_document_minor = row.total_minor - r.i64(8);
    row.item.open_minor = row.total_functional_minor - r.i64(9);
    if (row.open_document_minor == 0 && row.item.open_minor == 0) continue;
    out.push_back(std::move(row));
  }
  return out;
}

int64_t credit_sales(UnitOfWork& uow, Date from_exclusive, Date to_inclusive) {
  auto r = uow.query_one(
      "SELECT COALESCE(SUM(CASE WHEN kind = 'invoice' THEN total_functional_minor ELSE -total_functional_minor END), 0) "
      "FROM invoices WHERE kind IN ('invoice', 'credit_note') AND issue_date > ? AND issue_date <= ?",
      {from_exclusive.to_string(), to_inclusive.to_string()});
  return r ? r->i64(0) : 0;
}

std::optional<Date> first_issue_date(UnitOfWork& uow) {
  auto r = uow.query_one("SELECT MIN(issue_date) FROM invoices WHERE kind = 'invoice'");
  if (!r || r->is_null(0)) return std::nullopt;
  auto d = Date::parse(r->text(0));
  if (!d.ok()) return std::nullopt;
  return *d;
}

std::vector<std::pair<int64_t, std::string>> customer_names(UnitOfWork& uow) {
  std::vector<std::pair<int64_t, std::string>> out;
  for (const auto& r : uow.query("SELECT id, name FROM customers ORDER BY id")) out.emplace_back(r.i64(0), r.text(1));
  return out;
}

std::vector<DisputeRow> disputes_open_on(UnitOfWork& uow, Date as_of) {
  const std::string d = as_of.to_string();
  std::vector<DisputeRow> out;
  for (const auto& r : uow.query("SELECT invoice_id, opened_on FROM disputes WHERE opened_on <= ? AND (resolved_on IS "
                                 "NULL OR resolved_on > ?) ORDER BY id",
                                 {d, d})) {
    out.push_back({r.i64(0), date_of(r, 1)});
  }
  return out;
}

Placed orders_placed(UnitOfWork& uow, Date from_exclusive, Date to_inclusive) {
  auto r = uow.query_one("SELECT COUNT(*), COALESCE(SUM(CASE WHEN held_at IS NULL THEN 0 ELSE 1 END), 0) FROM orders "
                         "WHERE placed_on > ? AND placed_on <= ?",
                         {from_exclusive.to_string(), to_inclusive.to_string()});
  if (!r) return {};
  return {r->i64(0), r->i64(1)};
}

std::vector<std::pair<std::string, std::string>> holds_decided(UnitOfWork& uow, Date from_exclusive,
                                                               Date to_inclusive) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : uow.query("SELECT held_at, hold_decided_at FROM orders WHERE hold_decided_at >= ? AND "
                                 "hold_decided_at < ? AND held_at IS NOT NULL ORDER BY id",
                                 {from_exclusive.add_days(1).to_string(), to_inclusive.add_days(1).to_string()})) {
    out.emplace_back(r.text(0), r.text(1));
  }
  return out;
}

std::vector<o2c::reports::OrderFacts> orders_paid(UnitOfWork& uow, Date from_exclusive, Date to_inclusive) {
  std::vector<o2c::reports::OrderFacts> out;
  for (const auto& r : uow.query(
           "SELECT o.placed_on, (SELECT MAX(s.shipped_on) FROM shipments s WHERE s.order_id = o.id), "
           "(SELECT COUNT(*) FROM shipments s WHERE s.order_id = o.id), MIN(i.issue_date), MAX(i.settled_on), "
           "MAX(CASE WHEN EXISTS (SELECT 1 FROM invoices c WHERE c.credited_invoice_id = i.id) THEN 1 ELSE 0 END), "
           "MAX(CASE WHEN EXISTS (SELECT 1 FROM disputes d WHERE d.invoice_id = i.id) THEN 1 ELSE 0 END) "
           "FROM orders o JOIN (SELECT DISTINCT invoice_id, order_id FROM invoice_lines) il ON il.order_id = o.id "
           "JOIN invoices i ON i.id = il.invoice_id AND i.kind = 'invoice' "
           "WHERE o.status IN ('paid', 'closed') GROUP BY o.id, o.placed_on "
           "HAVING MAX(i.settled_on) > ? AND MAX(i.settled_on) <= ?",
           {from_exclusive.to_string(), to_inclusive.to_string()})) {
    o2c::reports::OrderFacts f;
    f.placed = date_of(r, 0);
    if (!r.is_null(1)) f.last_shipped = date_of(r, 1);
    f.shipments = r.i64(2);
    f.first_invoiced = date_of(r, 3);
    f.paid = date_of(r, 4);
    f.credit_noted = r.i64(5) != 0;
    f.disputed = r.i64(6) != 0;
    out.push_back(f);
  }
  return out;
}

BankLines bank_lines_booked(UnitOfWork& uow, Date from_exclusive, Date to_inclusive) {
  auto r = uow.query_one("SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'matched' AND matched_rule <> 'manual' "
                         "THEN 1 ELSE 0 END), 0) FROM bank_lines WHERE booking_date > ? AND booking_date <= ?",
                         {from_exclusive.to_string(), to_inclusive.to_string()});
  if (!r) return {};
  return {r->i64(0), r->i64(1)};
}

}  // namespace o2c::store::reports
