#include "store/reports_fixture.h"

#include <algorithm>
#include <vector>

namespace o2c::store::fixture {
namespace {

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : null(); }
Value opt(const std::optional<int64_t>& v) { return v ? Value(*v) : null(); }

// Both engines cap a statement's parameters (SQLite 32 766, PostgreSQL
// 65 535); rows per statement are chosen per table to stay below 10 000.
constexpr size_t kParamsPerStatement = 10000;

// INSERT INTO table (columns) VALUES (...), (...): `put` appends one row's
// values to the parameters, exactly `columns` of them.
template <typename Row, typename Put>
void insert_rows(UnitOfWork& uow, const char* head, size_t columns, std::span<const Row> rows, Put put) {
  std::string one = "(";
  for (size_t c = 0; c < columns; ++c) one += c ? ", ?" : "?";
  one += ")";
  const size_t per = std::max<size_t>(1, kParamsPerStatement / columns);
  std::vector<Value> params;
  for (size_t at = 0; at < rows.size(); at += per) {
    const size_t n = std::min(per, rows.size() - at);
    std::string sql = head;
    sql.reserve(sql.size() + n * (one.size() + 2));
    params.clear();
    params.reserve(n * columns);
    for (size_t i = 0; i < n; ++i) {
      if (i) sql += ", ";
      sql += one;
      put(params, rows[at + i]);
    }
    uow.exec(sql, params);
  }
}

}  // namespace

void insert_company(UnitOfWork& uow, const std::string& name, const std::string& at) {
  uow.exec("INSERT INTO company (id, name, country, address, currency, time_zone, updated_at) VALUES (1, ?, 'DE', "
           "'Hafenstrasse 1, 20457 Hamburg', 'EUR', 'UTC', ?)",
           {name, at});
  uow.exec("INSERT INTO payment_terms (code, description, net_days) VALUES ('NET60', 'Net 60 days', 60) "
           "ON CONFLICT (code) DO NOTHING");
}

void insert_customers(UnitOfWork& uow, std::span<const CustomerRow> rows) {
  insert_rows(uow,
              "INSERT INTO customers (id, name, email, currency, credit_limit_minor, payment_terms, country, "
              "billing, created_at, updated_at) VALUES ",
              10, rows, [](std::vector<Value>& p, const CustomerRow& c) {
                p.insert(p.end(), {c.id, c.name, c.email, c.currency, c.credit_limit_minor, c.payment_terms,
                                   c.country, std::string("per_shipment"), c.created_at, c.created_at});
              });
}

void insert_invoices(UnitOfWork& uow, std::span<const InvoiceRow> rows) {
  insert_rows(uow,
              "INSERT INTO invoices (id, kind, number, series, year, seq, customer_id, credited_invoice_id, status, "
              "issue_date, due_date, payment_terms, currency, net_total_minor, allowance_total_minor, "
              "charge_total_minor, tax_exclusive_minor, tax_total_minor, total_minor, open_minor, "
              "functional_currency, fx_rate_e10, total_functional_minor, open_functional_minor, reason, seller, "
              "buyer, created_at, updated_at, settled_on) VALUES ",
              30, rows, [](std::vector<Value>& p, const InvoiceRow& v) {
                p.insert(p.end(), {v.id, v.kind, v.number, v.series, int64_t{v.year}, v.seq, v.customer_id,
                                   opt(v.credited_invoice_id), v.status, v.issue_date, v.due_date, v.payment_terms,
                                   v.currency, v.net_total_minor, int64_t{0}, int64_t{0}, v.net_total_minor,
                                   v.tax_total_minor, v.total_minor, v.open_minor, std::string("EUR"),
                                   v.fx_rate_e10, v.total_functional_minor, v.open_functional_minor, opt(v.reason),
                                   v.seller, v.buyer, v.created_at, v.created_at, v.settled_on});
              });
}

void insert_payments(UnitOfWork& uow, std::span<const PaymentRow> rows) {
  insert_rows(uow,
              "INSERT INTO payments (id, customer_id, currency, amount_minor, method, reference, received_on, "
              "functional_currency, fx_rate_e10, amount_functional_minor, allocated_minor, unallocated_minor, "
              "refunded_minor, status, created_at, updated_at, reversed_on, reversal_reason) VALUES ",
              18, rows, [](std::vector<Value>& p, const PaymentRow& r) {
                p.insert(p.end(), {r.id, r.customer_id, r.currency, r.amount_minor, r.method, r.reference,
                                   r.received_on, std::string("EUR"), r.fx_rate_e10, r.amount_functional_minor,
                                   r.amount_minor, int64_t{0}, int64_t{0}, r.status, r.created_at, r.created_at,
                                   opt(r.reversed_on), opt(r.reversal_reason)});
              });
}

void insert_allocations(UnitOfWork& uow, std::span<const AllocationRow> rows) {
  insert_rows(uow,
              "INSERT INTO invoice_allocations (id, invoice_id, source_type, source_id, amount_minor, "
              "functional_minor, applied_on, created_at, reversed_at, reversed_on, customer_id, days_after_due) "
              "VALUES ",
              12, rows, [](std::vector<Value>& p, const AllocationRow& a) {
                p.insert(p.end(), {a.id, a.invoice_id, a.source_type, a.source_id, a.amount_minor,
                                   a.functional_minor, a.applied_on, a.created_at,
                                   a.reversed_on ? Value(*a.reversed_on + "T12:00:00Z") : null(),
                                   opt(a.reversed_on), a.customer_id, a.days_after_due});
              });
}

void continue_ids(UnitOfWork& uow) {
  if (uow.engine() != Engine::postgres) return;
  for (const char* table : {"customers", "invoices", "payments", "invoice_allocations"}) {
    // setval(seq, 0) is out of range: an empty table keeps its sequence.
    uow.query(std::string("SELECT setval(pg_get_serial_sequence('") + table + "', 'id'), MAX(id)) FROM " + table +
              " HAVING MAX(id) IS NOT NULL");
  }
}

}  // namespace o2c::store::fixture
