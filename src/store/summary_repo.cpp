#include "store/summary_repo.h"

namespace o2c::store::summary {
namespace {

int64_t scalar(UnitOfWork& uow, std::string_view sql, const std::vector<Value>& params = {}) {
  auto r = uow.query_one(sql, params);
  return r && !r->is_null(0) ? r->i64(0) : 0;
}

std::map<std::string, int64_t> grouped(UnitOfWork& uow, std::string_view sql) {
  std::map<std::string, int64_t> out;
  for (const auto& r : uow.query(sql)) out[r.text(0)] = r.i64(1);
  return out;
}

}  // namespace

Counts counts(UnitOfWork& uow, const std::string& as_of) {
  Counts c;
  c.customers = scalar(uow, "SELECT COUNT(*) FROM customers");
  c.customers_usd = scalar(uow, "SELECT COUNT(*) FROM customers WHERE currency = 'USD'");
  c.products = scalar(uow, "SELECT COUNT(*) FROM products");
  c.warehouses = scalar(uow, "SELECT COUNT(*) FROM warehouses");
  c.orders_by_status = grouped(uow, "SELECT status, COUNT(*) FROM orders GROUP BY status");
  c.stock_receipts = scalar(uow, "SELECT COUNT(*) FROM stock_receipts");
  c.shipments = scalar(uow, "SELECT COUNT(*) FROM shipments");
  c.orders_shipped_in_parts =
      scalar(uow, "SELECT COUNT(*) FROM (SELECT order_id FROM shipments GROUP BY order_id HAVING COUNT(*) > 1) t");
  c.invoices_by_status = grouped(uow, "SELECT status, COUNT(*) FROM invoices WHERE kind = 'invoice' GROUP BY status");
  c.invoices_usd = scalar(uow, "SELECT COUNT(*) FROM invoices WHERE kind = 'invoice' AND currency = 'USD'");
  c.fee_invoices = scalar(uow, "SELECT COUNT(*) FROM invoices WHERE kind = 'invoice' AND series = 'FEE'");
  c.invoices_overdue = scalar(uow,
                              "SELECT COUNT(*) FROM invoices WHERE kind = 'invoice' AND status IN ('open', "
                              "'partially_paid') AND due_date < ?",
                              {as_of});
  c.credit_notes = scalar(uow, "SELECT COUNT(*) FROM invoices WHERE kind = 'credit_note'");
  c.payments_by_method = grouped(uow, "SELECT method, COUNT(*) FROM payments GROUP BY method");
  c.bank_statements = scalar(uow, "SELECT COUNT(*) FROM bank_statements");
  c.bank_lines_by_status = grouped(uow, "SELECT status, COUNT(*) FROM bank_lines GROUP BY status");
  c.bank_lines_posted = scalar(uow, "SELECT COUNT(*) FROM bank_lines WHERE ledger_entry_id IS NOT NULL");
  for (const auto& r : uow.query("SELECT level, COUNT(*) FROM dunning_notices GROUP BY level ORDER BY level")) {
    c.notices_by_level[r.i64(0)] = r.i64(1);
  }
  c.disputes_by_status = grouped(uow, "SELECT status, COUNT(*) FROM disputes GROUP BY status");
  c.promises = scalar(uow, "SELECT COUNT(*) FROM payment_promises");
  c.ledger_entries = scalar(uow, "SELECT COUNT(*) FROM ledger_entries");
  c.audit_events = scalar(uow, "SELECT COUNT(*) FROM events");
  return c;
}

}  // namespace o2c::store::summary
