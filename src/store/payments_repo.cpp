#include "store/payments_repo.h"

#include <map>

namespace o2c::store::payments {
namespace {

using o2c::payments::Payment;

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : null(); }

constexpr const char* kCols =
    "id, customer_id, currency, amount_minor, method, reference, received_on, functional_currency, fx_rate_e10, "
    "amount_functional_minor, allocated_minor, unallocated_minor, refunded_minor, status, ledger_entry_id, "
    "created_by, created_at, updated_at, reversed_on, reversal_reason";

Payment from_row(const Row& r) {
  Payment p;
  p.id = r.i64(0);
  p.customer_id = CustomerId(r.i64(1));
  p.currency = r.text(2);
  p.amount_minor = r.i64(3);
  p.method = r.text(4);
  p.reference = r.opt_text(5);
  p.received_on = r.text(6);
  p.functional_currency = r.text(7);
  p.fx_rate_e10 = r.i64(8);
  p.amount_functional_minor = r.i64(9);
  p.allocated_minor = r.i64(10);
  p.unallocated_minor = r.i64(11);
  p.refunded_minor = r.i64(12);
  p.status = o2c::payments::payment_status_from(r.text(13)).value_or(o2c::payments::PaymentStatus::received);
  p.ledger_entry_id = r.opt_i64(14);
  if (auto u = r.opt_i64(15)) p.created_by = UserId(*u);
  p.created_at = r.text(16);
  p.updated_at = r.text(17);
  p.reversed_on = r.opt_text(18);
  p.reversal_reason = r.opt_text(19);
  return p;
}

void attach_allocations(UnitOfWork& uow, std::vector<Payment>& ps) {
  if (ps.empty()) return;
  std::map<std::string, size_t> index;
  std::string in = "(";
  std::vector<Value> ids;
  for (size_t i = 0; i < ps.size(); ++i) {
    index[std::to_string(ps[i].id)] = i;
    in += i ? ", ?" : "?";
    ids.emplace_back(std::to_string(ps[i].id));
  }
  in += ")";
  // One row per (payment, invoice) in the order the cash was applied.
  std::map<std::pair<size_t, int64_t>, size_t> at;
  for (const auto& r : uow.query(
           "SELECT a.source_id, a.invoice_id, i.number, a.source_type, a.amount_minor FROM invoice_allocations a "
           "JOIN invoices i ON i.id = a.invoice_id WHERE a.source_type IN ('payment', 'payment_discount', "
           "'payment_write_off') AND a.source_id IN " +
               in + " ORDER BY a.id",
           ids)) {
    auto pi = index.find(r.text(0));
    if (pi == index.end()) continue;
    auto& p = ps[pi->second];
    const auto key = std::make_pair(pi->second, r.i64(1));
    auto found = at.find(key);
    if (found == at.end()) {
      found = at.emplace(key, p.allocations.size()).first;
      o2c::payments::AppliedAllocation a;
      a.invoice_id = r.i64(1);
      a.invoice_number = r.text(2);
      p.allocations.push_back(a);
    }
    auto& a = p.allocations[found->second];
    const std::string type = r.text(3);
    if (type == kCash) a.cash_minor += r.i64(4);
    if (type == kDiscount) a.discount_minor += r.i64(4);
    if (type == kWriteOff) a.write_off_minor += r.i64(4);
  }
}

}  // namespace

void insert(UnitOfWork& uow, Payment& p) {
  auto r = uow.query_one(
      "INSERT INTO payments (customer_id, currency, amount_minor, method, reference, received_on, "
      "functional_currency, fx_rate_e10, amount_functional_minor, allocated_minor, unallocated_minor, "
      "refunded_minor, status, ledger_entry_id, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {p.customer_id.value(), p.currency, p.amount_minor, p.method, opt(p.reference), p.received_on,
       p.functional_currency, p.fx_rate_e10, p.amount_functional_minor, p.allocated_minor, p.unallocated_minor,
       p.refunded_minor, std::string(o2c::payments::to_string(p.status)),
       p.ledger_entry_id ? Value(*p.ledger_entry_id) : null(), p.created_by ? Value(p.created_by->value()) : null(),
       p.created_at, p.updated_at});
  p.id = r->i64(0);
}

std::optional<Payment> find(UnitOfWork& uow, int64_t id, bool for_update) {
  auto r = uow.query_one(std::string("SELECT ") + kCols + " FROM payments WHERE id = ?" +
                             (for_update ? std::string(uow.for_update()) : std::string()),
                         {id});
  if (!r) return std::nullopt;
  std::vector<Payment> one{from_row(*r)};
  attach_allocations(uow, one);
  return std::move(one.front());
}

std::vector<Payment> list(UnitOfWork& uow, std::optional<CustomerId> customer, const PageRequest& page) {
  std::vector<Payment> out;
  for (const auto& r : customer_page(uow, std::string("SELECT ") + kCols + " FROM payments", customer, page)) {
    out.push_back(from_row(r));
  }
  attach_allocations(uow, out);
  return out;
}

std::optional<Payment> find_by_reference(UnitOfWork& uow, const std::string& method, const std::string& reference) {
  auto r = uow.query_one("SELECT id FROM payments WHERE method = ? AND reference = ? ORDER BY id DESC LIMIT 1",
                         {method, reference});
  if (!r) return std::nullopt;
  return find(uow, r->i64(0));
}

void set_ledger_entry(UnitOfWork& uow, int64_t id, int64_t entry_id) {
  uow.exec("UPDATE payments SET ledger_entry_id = ? WHERE id = ?", {entry_id, id});
}

std::vector<OpenInvoice> open_invoices_of_customer(UnitOfWork& uow, CustomerId customer) {
  std::vector<OpenInvoice> out;
  std::map<int64_t, size_t> index;
  for (const auto& r : uow.query(
           "SELECT i.id, i.number, i.due_date, i.issue_date, i.open_minor, i.total_minor, i.discount_minor, "
           "i.discount_date, i.open_functional_minor, i.fx_rate_e10, "
           "(SELECT COALESCE(SUM(c.total_minor), 0) FROM invoices c WHERE c.credited_invoice_id = i.id), "
           "(SELECT COUNT(*) FROM disputes d WHERE d.invoice_id = i.id AND d.status = 'open') "
           "FROM invoices i WHERE i.customer_id = ? AND i.kind = 'invoice' AND i.open_minor > 0 ORDER BY i.id" +
               std::string(uow.for_update()),
           {customer.value()})) {
    OpenInvoice o;
    o.item.invoice_id = r.i64(0);
    o.item.number = r.text(1);
    auto due = Date::parse(r.text(2));
    auto issued = Date::parse(r.text(3));
    if (!due.ok() || !issued.ok()) continue;  // verify reports a malformed date; it cannot be settled by date
    o.item.due_date = *due;
    o.item.issue_date = *issued;
    o.item.open_minor = r.i64(4);
    o.total_minor = r.i64(5);
    if (auto d = r.opt_i64(6); d && *d > 0) {
      if (auto dd = r.opt_text(7)) {
        if (auto date = Date::parse(*dd); date.ok()) {
          o.item.discount_date = *date;
          o.item.discount_minor = o2c::payments::discount_available(*d, o.total_minor, r.i64(10));
        }
      }
    }
    o.item.disputed = r.i64(11) > 0;
    o.open_functional_minor = r.i64(8);
    o.fx_rate_e10 = r.i64(9);
    index[o.item.invoice_id] = out.size();
    out.push_back(std::move(o));
  }
  if (out.empty()) return out;
  std::string in = "(";
  std::vector<Value> ids;
  for (size_t i = 0; i < out.size(); ++i) {
    in += i ? ", ?" : "?";
    ids.emplace_back(out[i].item.invoice_id);
  }
  in += ")";
  for (const auto& r : uow.query("SELECT invoice_id, tax_category, tax_rate_bp, taxable_minor, tax_minor "
                                 "FROM invoice_taxes WHERE invoice_id IN " +
                                     in + " ORDER BY invoice_id, tax_category, tax_rate_bp",
                                 ids)) {
    auto cat = masterdata::tax_category_from(r.text(1));
    if (!cat) continue;
    out[index[r.i64(0)]].taxes.push_back({*cat, r.i64(2), r.i64(3), r.i64(4)});
  }
  return out;
}

std::vector<OrderId> orders_of_invoice(UnitOfWork& uow, int64_t invoice_id) {
  std::vector<OrderId> out;
  for (const auto& r : uow.query("SELECT DISTINCT order_id FROM invoice_lines WHERE invoice_id = ? AND order_id IS "
                                 "NOT NULL ORDER BY order_id",
                                 {invoice_id})) {
    out.emplace_back(r.i64(0));
  }
  return out;
}

bool order_fully_settled(UnitOfWork& uow, OrderId order) {
  auto r = uow.query_one(
      "SELECT COUNT(*) FROM invoices i WHERE i.kind = 'invoice' AND i.open_minor > 0 AND i.id IN "
      "(SELECT invoice_id FROM invoice_lines WHERE order_id = ?)",
      {order.value()});
  return r->i64(0) == 0;
}

void set_refunded(UnitOfWork& uow, int64_t id, int64_t refunded_minor, const std::string& at) {
  uow.exec("UPDATE payments SET refunded_minor = ?, updated_at = ? WHERE id = ?", {refunded_minor, at, id});
}

int64_t insert_refund(UnitOfWork& uow, const Refund& r) {
  return uow
      .query_one("INSERT INTO payment_refunds (payment_id, amount_minor, refunded_on, fx_rate_e10, "
                 "amount_functional_minor, reason, ledger_entry_id, created_by, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {r.payment_id, r.amount_minor, r.refunded_on, r.fx_rate_e10, r.amount_functional_minor,
                  opt(r.reason), r.ledger_entry_id ? Value(*r.ledger_entry_id) : null(),
                  r.created_by ? Value(r.created_by->value()) : null(), r.created_at})
      ->i64(0);
}

std::vector<Cleared> cleared_by(UnitOfWork& uow, const std::string& source_id) {
  std::vector<Cleared> out;
  for (const auto& r : uow.query(
           "SELECT invoice_id, SUM(amount_minor), SUM(functional_minor) FROM invoice_allocations WHERE source_id = ? "
           "AND source_type IN ('payment', 'payment_discount', 'payment_write_off') AND reversed_at IS NULL "
           "GROUP BY invoice_id ORDER BY invoice_id",
           {source_id})) {
    out.push_back({r.i64(0), r.i64(1), r.i64(2)});
  }
  return out;
}

void reverse_allocations(UnitOfWork& uow, const std::string& source_id, const std::string& on, const std::string& at) {
  uow.exec("UPDATE invoice_allocations SET reversed_at = ?, reversed_on = ? WHERE source_id = ? AND source_type IN "
           "('payment', 'payment_discount', 'payment_write_off') AND reversed_at IS NULL",
           {at, on, source_id});
}

void set_reversed(UnitOfWork& uow, int64_t id, const std::string& on, const std::string& reason, const std::string& at) {
  uow.exec("UPDATE payments SET status = 'reversed', reversed_on = ?, reversal_reason = ?, updated_at = ? WHERE id = ?",
           {on, reason, at, id});
}

std::pair<int64_t, int64_t> credit_from(UnitOfWork& uow, const std::string& source_type, const std::string& source_id) {
  auto r = uow.query_one("SELECT COALESCE(SUM(amount_minor), 0), COALESCE(SUM(functional_minor), 0) FROM "
                         "customer_credit WHERE source_type = ? AND source_id = ?",
                         {source_type, source_id});
  return {r->i64(0), r->i64(1)};
}

std::vector<std::string> breaches(UnitOfWork& uow) {
  std::vector<std::string> out;
  for (const auto& r : uow.query(
           // Summed once per table and joined: neither table has an index on its
           // source, so a subquery per payment scanned both for every payment
           // (hours for 100 000 payments on SQLite).
           "SELECT p.id, p.amount_minor, p.allocated_minor, p.unallocated_minor, "
           "COALESCE(a.total, 0), COALESCE(c.total, 0) FROM payments p "
           "LEFT JOIN (SELECT source_id, SUM(amount_minor) AS total FROM invoice_allocations "
           "WHERE source_type = 'payment' AND reversed_at IS NULL GROUP BY source_id) a "
           "ON a.source_id = CAST(p.id AS TEXT) "
           "LEFT JOIN (SELECT source_id, SUM(amount_minor) AS total FROM customer_credit "
           "WHERE source_type = 'payment' GROUP BY source_id) c ON c.source_id = CAST(p.id AS TEXT) "
           "WHERE p.status = 'received' ORDER BY p.id",
           {})) {
    const std::string id = std::to_string(r.i64(0));
    if (r.i64(2) + r.i64(3) != r.i64(1)) {
      out.push_back("payment " + id + ": allocated " + std::to_string(r.i64(2)) + " + unallocated " +
                    std::to_string(r.i64(3)) + " != amount " + std::to_string(r.i64(1)));
    }
    if (r.i64(4) != r.i64(2)) {
      out.push_back("payment " + id + ": allocations on invoices add up to " + std::to_string(r.i64(4)) +
                    ", the payment says " + std::to_string(r.i64(2)));
    }
    if (r.i64(4) > r.i64(1)) out.push_back("payment " + id + ": allocations exceed the payment");
    if (r.i64(5) != r.i64(3)) {
      out.push_back("payment " + id + ": customer credit from it is " + std::to_string(r.i64(5)) + ", unallocated is " +
                    std::to_string(r.i64(3)));
    }
  }
  for (const auto& r : uow.query(
           "SELECT p.id, p.status, p.amount_minor, p.refunded_minor, "
           "(SELECT COALESCE(SUM(f.amount_minor), 0) FROM payment_refunds f WHERE f.payment_id = p.id), "
           "(SELECT COUNT(*) FROM invoice_allocations a WHERE a.source_id = CAST(p.id AS TEXT) AND a.source_type IN "
           "('payment', 'payment_discount', 'payment_write_off') AND a.reversed_at IS NULL) "
           "FROM payments p WHERE p.refunded_minor > 0 OR p.status = 'reversed' ORDER BY p.id",
           {})) {
    const std::string id = std::to_string(r.i64(0));
    if (r.i64(3) != r.i64(4) || r.i64(3) > r.i64(2)) {
      out.push_back("payment " + id + ": refunded " + std::to_string(r.i64(3)) + " but its refunds add up to " +
                    std::to_string(r.i64(4)) + " of an amount of " + std::to_string(r.i64(2)));
    }
    if (r.text(1) == "reversed" && r.i64(5) != 0) {
      out.push_back("payment " + id + " is reversed but " + std::to_string(r.i64(5)) + " of its allocations still count");
    }
  }
  return out;
}

}  // namespace o2c::store::payments
