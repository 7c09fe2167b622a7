#include "store/forecast_repo.h"


namespace o2c::store::forecast {
namespace {

Date date_of(const std::string& text, const char* what) {
  auto d = Date::parse(text.substr(0, 10));
  if (!d.ok()) throw ErrorException(Error::internal(std::string("unreadable date in ") + what + ": '" + text + "'"));
  return *d;
}

reports::SettlementKind kind_of(const std::string& source_type) {
  using K = reports::SettlementKind;
  if (source_type == "payment") return K::cash;
  if (source_type == "customer_credit") return K::customer_credit;
  if (source_type == "credit_note") return K::credit_note;
  if (source_type == "payment_discount") return K::discount;
  if (source_type == "payment_write_off") return K::write_off;
  return K::other;
}

}  // namespace

o2c::reports::ReceivableHistory receivable_history(UnitOfWork& uow, const std::string& from, const std::string& to) {
  reports::ReceivableHistory h;
  for (const auto& r : uow.query("SELECT id, customer_id, issue_date, due_date, total_functional_minor FROM invoices "
                                 "WHERE kind = 'invoice' AND settled_on > ? AND issue_date <= ? ORDER BY id",
                                 {from, to})) {
    h.invoices.push_back({r.i64(0), r.i64(1), date_of(r.text(2), "invoices.issue_date"),
                          date_of(r.text(3), "invoices.due_date"), r.i64(4)});
  }
  for (const auto& r : uow.query(
           "SELECT a.invoice_id, a.source_type, a.applied_on, a.functional_minor, a.reversed_at, a.reversed_on "
           "FROM invoices i JOIN invoice_allocations a ON a.invoice_id = i.id "
           "WHERE i.kind = 'invoice' AND i.settled_on > ? AND i.issue_date <= ? AND a.applied_on <= ? ORDER BY a.id",
           {from, to, to})) {
    reports::SettlementRecord s{r.i64(0), kind_of(r.text(1)), date_of(r.text(2), "invoice_allocations.applied_on"),
                                r.i64(3), std::nullopt};
    if (!r.is_null(4)) {
      // Reversed without a business date would be a broken record; counting
      // it from its own day on keeps it out of every forecast.
      s.reversed_on = r.is_null(5) ? s.applied_on : date_of(r.text(5), "invoice_allocations.reversed_on");
    }
    h.settlements.push_back(s);
  }
  return h;
}

o2c::reports::DelaySums delay_sums(UnitOfWork& uow, Date as_of, int lookback_days) {
  const std::string day = as_of.to_string();
  reports::DelaySums out;
  // The conditions of reports::delay_sums: cash, applied in the window, not
  // reversed by as_of (a reversal without its day counts from the day it
  // was applied, as receivable_history reads it). The sums are BIGINT on
  // both engines: a customer's year of cash times its days late is far
  // below 9.2e18 minor units; past it the database refuses the sum.
  for (const auto& r : uow.query(
           "SELECT customer_id, SUM(functional_minor), SUM(functional_minor * days_after_due) "
           "FROM invoice_allocations WHERE source_type = 'payment' AND applied_on > ? AND applied_on <= ? "
           "AND functional_minor > 0 AND (reversed_at IS NULL OR reversed_on > ?) GROUP BY customer_id",
           {as_of.add_days(-lookback_days).to_string(), day, day})) {
    out[r.i64(0)] = {r.i64(1), r.i64(2)};
  }
  return out;
}

std::vector<o2c::reports::CashSample> cash_samples(UnitOfWork& uow, Date from_exclusive, Date to) {
  std::vector<o2c::reports::CashSample> out;
  for (const auto& r : uow.query("SELECT customer_id, days_after_due, applied_on, functional_minor, reversed_at, "
                                 "reversed_on FROM invoice_allocations WHERE source_type = 'payment' AND applied_on > ? "
                                 "AND applied_on <= ? AND functional_minor > 0",
                                 {from_exclusive.to_string(), to.to_string()})) {
    o2c::reports::CashSample s{r.i64(0), static_cast<int32_t>(r.i64(1)),
                               date_of(r.text(2), "invoice_allocations.applied_on"), r.i64(3), std::nullopt};
    // As receivable_history reads a reversal without its day.
    if (!r.is_null(4)) s.reversed_on = r.is_null(5) ? s.applied_on : date_of(r.text(5), "invoice_allocations.reversed_on");
    out.push_back(s);
  }
  return out;
}

std::vector<OrderValue> orders_as_of(UnitOfWork& uow, const std::string& as_of, bool current) {
  std::string sql =
      "SELECT o.id, o.customer_id, o.currency, o.total_minor, COALESCE(o.placed_on, o.created_at), t.net_days, l.quantity, "
      "l.line_net_minor, COALESCE((SELECT SUM(il.quantity) FROM invoice_lines il JOIN invoices i ON i.id = "
      "il.invoice_id WHERE il.order_line_id = l.id AND i.kind = 'invoice' AND i.issue_date <= ?), 0) "
      "FROM orders o JOIN customers c ON c.id = o.customer_id JOIN payment_terms t ON t.code = c.payment_terms "
      "JOIN order_lines l ON l.order_id = o.id WHERE ";
  std::vector<Value> params{as_of};
  if (current) {
    sql += "o.status IN ('open', 'partially_shipped', 'shipped')";
  } else {
    sql += "o.status NOT IN ('credit_hold', 'rejected') AND COALESCE(o.placed_on, SUBSTR(o.created_at, 1, 10)) <= ? "
           "AND (o.status <> 'cancelled' OR SUBSTR(o.updated_at, 1, 10) > ?)";
    params.emplace_back(as_of);
    params.emplace_back(as_of);
  }
  sql += " ORDER BY o.id, l.line_no";
  std::vector<OrderValue> out;
  for (const auto& r : uow.query(sql, params)) {
    if (out.empty() || out.back().order_id != r.i64(0)) {
      OrderValue o;
      o.order_id = r.i64(0);
      o.customer_id = r.i64(1);
      o.currency = r.text(2);
      o.total_minor = r.i64(3);
      o.placed_on = date_of(r.text(4), "orders.placed_on").to_string();
      o.net_days = static_cast<int>(r.i64(5));
      out.push_back(std::move(o));
    }
    out.back().lines.push_back({r.i64(6), r.i64(8), r.i64(7)});
  }
  return out;
}

std::vector<reports::CashMovement> cash_movements(UnitOfWork& uow, const std::string& from, const std::string& to) {
  std::vector<reports::CashMovement> out;
  for (const auto& r : uow.query("SELECT received_on, amount_functional_minor FROM payments "
                                 "WHERE received_on >= ? AND received_on <= ?",
                                 {from, to})) {
    out.push_back({date_of(r.text(0), "payments.received_on"), r.i64(1)});
  }
  for (const auto& r : uow.query("SELECT reversed_on, amount_functional_minor FROM payments "
                                 "WHERE status = 'reversed' AND reversed_on >= ? AND reversed_on <= ?",
                                 {from, to})) {
    out.push_back({date_of(r.text(0), "payments.reversed_on"), -r.i64(1)});
  }
  for (const auto& r : uow.query("SELECT refunded_on, amount_functional_minor FROM payment_refunds "
                                 "WHERE refunded_on >= ? AND refunded_on <= ?",
                                 {from, to})) {
    out.push_back({date_of(r.text(0), "payment_refunds.refunded_on"), -r.i64(1)});
  }
  return out;
}

}  // namespace o2c::store::forecast
