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

}  // namespace o2c::store::reports
