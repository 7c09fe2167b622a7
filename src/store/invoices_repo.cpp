#include "store/invoices_repo.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

namespace o2c::store::invoices {
namespace {

using billing::Invoice;

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : null(); }
Value opt(const std::optional<int64_t>& v) { return v ? Value(*v) : null(); }

std::string party_json(const billing::PartySnapshot& p) {
  nlohmann::json j = {{"name", p.name}, {"country", p.country}};
  auto put = [&](const char* k, const std::optional<std::string>& v) {
    if (v) j[k] = *v;
  };
  put("vat_id", p.vat_id);
  put("address", p.address);
  put("peppol_id", p.peppol_id);
  put("email", p.email);
  put("phone", p.phone);
  put("iban", p.iban);
  put("bic", p.bic);
  return j.dump();
}

billing::PartySnapshot party_from(const std::string& text) {
  billing::PartySnapshot p;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return p;
  p.name = j.value("name", "");
  p.country = j.value("country", "");
  auto get = [&](const char* k) -> std::optional<std::string> {
    if (j.contains(k) && j[k].is_string()) return j[k].get<std::string>();
    return std::nullopt;
  };
  p.vat_id = get("vat_id");
  p.address = get("address");
  p.peppol_id = get("peppol_id");
  p.email = get("email");
  p.phone = get("phone");
  p.iban = get("iban");
  p.bic = get("bic");
  return p;
}

masterdata::TaxCategory category(const std::string& s) {
  return masterdata::tax_category_from(s).value_or(masterdata::TaxCategory::S);
}

constexpr const char* kCols =
    "i.id, i.kind, i.number, i.series, i.year, i.seq, i.customer_id, i.order_id, i.shipment_id, "
    "i.credited_invoice_id, i.status, i.issue_date, i.due_date, i.delivery_date, i.payment_terms, i.discount_date, "
    "i.discount_minor, i.currency, i.net_total_minor, i.allowance_total_minor, i.charge_total_minor, "
    "i.tax_exclusive_minor, i.tax_total_minor, i.total_minor, i.open_minor, i.functional_currency, i.fx_rate_e10, "
    "i.total_functional_minor, i.open_functional_minor, i.creditor_reference, i.reason, i.buyer_reference, "
    "i.seller, i.buyer, i.created_by, i.created_at, i.updated_at, c.number, c.issue_date";
constexpr const char* kFrom = " FROM invoices i LEFT JOIN invoices c ON c.id = i.credited_invoice_id";

Invoice from_row(const Row& r) {
  Invoice v;
  v.id = r.i64(0);
  v.kind = r.text(1) == "credit_note" ? billing::DocumentKind::credit_note : billing::DocumentKind::invoice;
  v.number = r.text(2);
  v.series = r.text(3);
  v.year = static_cast<int>(r.i64(4));
  v.seq = r.i64(5);
  v.customer_id = CustomerId(r.i64(6));
  if (auto o = r.opt_i64(7)) v.order_id = OrderId(*o);
  v.shipment_id = r.opt_i64(8);
  v.credited_invoice_id = r.opt_i64(9);
  v.status = billing::invoice_status_from(r.text(10)).value_or(billing::InvoiceStatus::open);
  v.issue_date = r.text(11);
  v.due_date = r.text(12);
  v.delivery_date = r.opt_text(13);
  v.payment_terms = r.text(14);
  v.discount_date = r.opt_text(15);
  v.discount_minor = r.opt_i64(16);
  v.currency = r.text(17);
  v.net_total_minor = r.i64(18);
  v.allowance_total_minor = r.i64(19);
  v.charge_total_minor = r.i64(20);
  v.tax_exclusive_minor = r.i64(21);
  v.tax_total_minor = r.i64(22);
  v.total_minor = r.i64(23);
  v.open_minor = r.i64(24);
  v.functional_currency = r.text(25);
  v.fx_rate_e10 = r.i64(26);
  v.total_functional_minor = r.i64(27);
  v.open_functional_minor = r.i64(28);
  v.creditor_reference = r.opt_text(29);
  v.reason = r.opt_text(30);
  v.buyer_reference = r.opt_text(31);
  v.seller = party_from(r.text(32));
  v.buyer = party_from(r.text(33));
  if (auto u = r.opt_i64(34)) v.created_by = UserId(*u);
  v.created_at = r.text(35);
  v.updated_at = r.text(36);
  v.credited_invoice_number = r.text(37);
  v.credited_invoice_date = r.text(38);
  return v;
}

std::string in_list(size_t n) {
  std::string s = "(";
  for (size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s + ")";
}

// Lines, charges and taxes of the documents, three queries for the batch.
void attach_details(UnitOfWork& uow, std::vector<Invoice>& docs) {
  if (docs.empty()) return;
  std::map<int64_t, size_t> index;
  std::vector<Value> ids;
  for (size_t i = 0; i < docs.size(); ++i) {
    index[docs[i].id] = i;
    ids.emplace_back(docs[i].id);
  }
  const std::string in = in_list(ids.size());
  for (const auto& r : uow.query(
           "SELECT l.invoice_id, l.line_no, l.order_id, o.number, l.order_line_id, l.credited_line_no, l.product_id, "
           "l.sku, l.name, l.quantity, l.unit_price_e4, l.tax_category, l.tax_rate_bp, l.line_net_minor "
           "FROM invoice_lines l LEFT JOIN orders o ON o.id = l.order_id WHERE l.invoice_id IN " +
               in + " ORDER BY l.invoice_id, l.line_no",
           ids)) {
    billing::InvoiceLine l;
    l.line_no = static_cast<int>(r.i64(1));
    if (auto o = r.opt_i64(2)) l.order_id = OrderId(*o);
    l.order_number = r.text(3);
    if (auto ol = r.opt_i64(4)) l.order_line_id = OrderLineId(*ol);
    if (auto c = r.opt_i64(5)) l.credited_line_no = static_cast<int>(*c);
    l.product_id = ProductId(r.i64(6));
    l.sku = r.text(7);
    l.name = r.text(8);
    l.quantity = r.i64(9);
    l.unit_price_e4 = r.i64(10);
    l.tax_category = category(r.text(11));
    l.tax_rate_bp = r.i64(12);
    l.line_net_minor = r.i64(13);
    docs[index.at(r.i64(0))].lines.push_back(std::move(l));
  }
  for (const auto& r : uow.query(
           "SELECT invoice_id, is_charge, amount_minor, reason, tax_category, tax_rate_bp FROM invoice_charges "
           "WHERE invoice_id IN " + in + " ORDER BY invoice_id, seq",
           ids)) {
    docs[index.at(r.i64(0))].charges.push_back(
        {r.i64(1) != 0, r.i64(2), r.text(3), category(r.text(4)), r.i64(5)});
  }
  for (const auto& r : uow.query(
           "SELECT invoice_id, tax_category, tax_rate_bp, taxable_minor, tax_minor, exemption_code, exemption_reason "
           "FROM invoice_taxes WHERE invoice_id IN " + in,
           ids)) {
    docs[index.at(r.i64(0))].taxes.push_back(
        {category(r.text(1)), r.i64(2), r.i64(3), r.i64(4), r.opt_text(5), r.opt_text(6)});
  }
  // The breakdown in the domain's order (category, then rate), as totals.h builds it.
  for (auto& d : docs) {
    std::sort(d.taxes.begin(), d.taxes.end(), [](const auto& a, const auto& b) {
      return std::pair(static_cast<int>(a.tax_category), a.tax_rate_bp) <
             std::pair(static_cast<int>(b.tax_category), b.tax_rate_bp);
    });
  }
}

}  // namespace

void insert(UnitOfWork& uow, Invoice& v) {
  auto r = uow.query_one(
      "INSERT INTO invoices (kind, number, series, year, seq, customer_id, order_id, shipment_id, "
      "credited_invoice_id, status, issue_date, due_date, delivery_date, payment_terms, discount_date, "
      "discount_minor, currency, net_total_minor, allowance_total_minor, charge_total_minor, tax_exclusive_minor, "
      "tax_total_minor, total_minor, open_minor, functional_currency, fx_rate_e10, total_functional_minor, "
      "open_functional_minor, creditor_reference, reason, buyer_reference, seller, buyer, created_by, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?) RETURNING id",
      {std::string(billing::to_string(v.kind)), v.number, v.series, int64_t{v.year}, v.seq, v.customer_id.value(),
       v.order_id ? Value(v.order_id->value()) : null(), opt(v.shipment_id), opt(v.credited_invoice_id),
       std::string(billing::to_string(v.status)), v.issue_date, v.due_date, opt(v.delivery_date), v.payment_terms,
       opt(v.discount_date), opt(v.discount_minor), v.currency, v.net_total_minor, v.allowance_total_minor,
       v.charge_total_minor, v.tax_exclusive_minor, v.tax_total_minor, v.total_minor, v.open_minor,
       v.functional_currency, v.fx_rate_e10, v.total_functional_minor, v.open_functional_minor,
       opt(v.creditor_reference), opt(v.reason), opt(v.buyer_reference), party_json(v.seller), party_json(v.buyer),
       v.created_by ? Value(v.created_by->value()) : null(), v.created_at, v.updated_at});
  v.id = r->i64(0);
  for (const auto& l : v.lines) {
    uow.exec(
        "INSERT INTO invoice_lines (invoice_id, line_no, order_id, order_line_id, credited_line_no, product_id, sku, "
        "name, quantity, unit_price_e4, tax_category, tax_rate_bp, line_net_minor) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {v.id, int64_t{l.line_no}, l.order_id ? Value(l.order_id->value()) : null(),
         l.order_line_id ? Value(l.order_line_id->value()) : null(),
         l.credited_line_no ? Value(int64_t{*l.credited_line_no}) : null(), l.product_id.value(), l.sku, l.name,
         l.quantity, l.unit_price_e4, std::string(masterdata::to_string(l.tax_category)), l.tax_rate_bp,
         l.line_net_minor});
  }
  int64_t seq = 0;
  for (const auto& c : v.charges) {
    uow.exec("INSERT INTO invoice_charges (invoice_id, seq, is_charge, amount_minor, reason, tax_category, "
             "tax_rate_bp) VALUES (?, ?, ?, ?, ?, ?, ?)",
             {v.id, ++seq, int64_t{c.is_charge ? 1 : 0}, c.amount_minor, c.reason,
              std::string(masterdata::to_string(c.tax_category)), c.tax_rate_bp});
  }
  for (const auto& t : v.taxes) {
    uow.exec("INSERT INTO invoice_taxes (invoice_id, tax_category, tax_rate_bp, taxable_minor, tax_minor, "
             "exemption_code, exemption_reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
             {v.id, std::string(masterdata::to_string(t.tax_category)), t.tax_rate_bp, t.taxable_minor, t.tax_minor,
              opt(t.exemption_code), opt(t.exemption_reason)});
  }
}

std::optional<Invoice> find(UnitOfWork& uow, int64_t id, bool for_update) {
  std::vector<Invoice> one;
  if (for_update && !uow.for_update().empty()) {
    uow.query("SELECT id FROM invoices WHERE id = ? FOR UPDATE", {id});
  }
  for (const auto& r : uow.query(std::string("SELECT ") + kCols + kFrom + " WHERE i.id = ?", {id})) {
    one.push_back(from_row(r));
  }
  if (one.empty()) return std::nullopt;
  attach_details(uow, one);
  return std::move(one.front());
}

std::vector<Invoice> list(UnitOfWork& uow, const ListFilter& f, const PageRequest& page) {
  std::string sql = std::string("SELECT ") + kCols + kFrom + " WHERE i.id > ?";
  std::vector<Value> params{page.after};
  if (f.kind) {
    sql += " AND i.kind = ?";
    params.emplace_back(std::string(billing::to_string(*f.kind)));
  }
  if (f.customer) {
    sql += " AND i.customer_id = ?";
    params.emplace_back(f.customer->value());
  }
  if (f.status) {
    sql += " AND i.status = ?";
    params.emplace_back(std::string(billing::to_string(*f.status)));
  }
  if (f.open_only) sql += " AND i.status IN ('open', 'partially_paid')";
  if (f.order) {
    sql += " AND (i.order_id = ? OR EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id AND "
           "l.order_id = ?))";
    params.emplace_back(f.order->value());
    params.emplace_back(f.order->value());
  }
  if (f.credited_invoice) {
    sql += " AND i.credited_invoice_id = ?";
    params.emplace_back(*f.credited_invoice);
  }
  sql += " ORDER BY i.id LIMIT ?";
  params.emplace_back(int64_t{page.limit});
  std::vector<Invoice> out;
  for (const auto& r : uow.query(sql, params)) out.push_back(from_row(r));
  attach_details(uow, out);
  return out;
}

std::optional<std::pair<int64_t, std::string>> of_shipment(UnitOfWork& uow, int64_t shipment_id) {
  auto r = uow.query_one("SELECT id, number FROM invoices WHERE shipment_id = ? AND kind = 'invoice'", {shipment_id});
  if (!r) return std::nullopt;
  return std::pair<int64_t, std::string>(r->i64(0), r->text(1));
}

std::vector<Invoice> credit_notes_of(UnitOfWork& uow, int64_t invoice_id) {
  std::vector<Invoice> out;
  for (const auto& r :
       uow.query(std::string("SELECT ") + kCols + kFrom + " WHERE i.credited_invoice_id = ? ORDER BY i.id",
                 {invoice_id})) {
    out.push_back(from_row(r));
  }
  attach_details(uow, out);
  return out;
}

void set_settlement(UnitOfWork& uow, int64_t id, int64_t open_minor, int64_t open_functional_minor,
                    billing::InvoiceStatus status, const std::string& at) {
  // settled_on: see migration 0015. The allocations are written before the
  // settlement, so the latest live one is the day the invoice closed.
  uow.exec("UPDATE invoices SET open_minor = ?, open_functional_minor = ?, status = ?, updated_at = ?, settled_on = "
           "CASE WHEN ? = 0 THEN COALESCE((SELECT MAX(a.applied_on) FROM invoice_allocations a WHERE a.invoice_id = "
           "invoices.id AND a.reversed_at IS NULL), issue_date) ELSE '9999-12-31' END WHERE id = ?",
           {open_minor, open_functional_minor, std::string(billing::to_string(status)), at, open_minor, id});
}

void add_allocation(UnitOfWork& uow, int64_t invoice_id, const std::string& source_type, const std::string& source_id,
                    int64_t amount_minor, int64_t functional_minor, const std::string& applied_on,
                    const std::string& at) {
  // Whose invoice and how late, copied for the cash forecast (migration 0019).
  auto inv = uow.query_one("SELECT customer_id, due_date FROM invoices WHERE id = ?", {invoice_id});
  if (!inv) throw ErrorException(Error::internal("allocation to invoice " + std::to_string(invoice_id) + ", not found"));
  auto due = Date::parse(inv->text(1));
  auto applied = Date::parse(applied_on);
  if (!due.ok() || !applied.ok()) {
    throw ErrorException(Error::internal("allocation dated '" + applied_on + "' to an invoice due '" + inv->text(1) +
                                         "': not dates"));
  }
  uow.exec("INSERT INTO invoice_allocations (invoice_id, source_type, source_id, amount_minor, functional_minor, "
           "applied_on, created_at, customer_id, days_after_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
           {invoice_id, source_type, source_id, amount_minor, functional_minor, applied_on, at, inv->i64(0),
            int64_t{Date::days_between(*due, *applied)}});
}

Settled settled(UnitOfWork& uow, int64_t invoice_id) {
  Settled s;
  for (const auto& r : uow.query("SELECT source_type, SUM(amount_minor) FROM invoice_allocations WHERE invoice_id = ? "
                                 "AND reversed_at IS NULL GROUP BY source_type",
                                 {invoice_id})) {
    if (r.text(0) == "credit_note") {
      s.credited_minor += r.i64(1);
    } else {
      s.paid_minor += r.i64(1);
    }
  }
  return s;
}

int64_t add_customer_credit(UnitOfWork& uow, CustomerId customer, const std::string& currency, int64_t amount_minor,
                            int64_t functional_minor, const std::string& source_type, const std::string& source_id,
                            const std::string& at) {
  return uow
      .query_one("INSERT INTO customer_credit (customer_id, currency, amount_minor, functional_minor, source_type, "
                 "source_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {customer.value(), currency, amount_minor, functional_minor, source_type, source_id, at})
      ->i64(0);
}

CreditBalance customer_credit_balance(UnitOfWork& uow, CustomerId customer) {
  auto r = uow.query_one("SELECT COALESCE(SUM(amount_minor), 0), COALESCE(SUM(functional_minor), 0) "
                         "FROM customer_credit WHERE customer_id = ?",
                         {customer.value()});
  return {r->i64(0), r->i64(1)};
}

int64_t customer_credit_minor(UnitOfWork& uow, CustomerId customer) {
  return uow.query_one("SELECT COALESCE(SUM(amount_minor), 0) FROM customer_credit WHERE customer_id = ?",
                       {customer.value()})
      ->i64(0);
}

Receivable receivable_of(UnitOfWork& uow, CustomerId customer, const std::string& as_of) {
  Receivable out;
  auto r = uow.query_one(
      "SELECT COALESCE(SUM(open_minor), 0), COALESCE(SUM(CASE WHEN due_date < ? THEN open_minor ELSE 0 END), 0), "
      "MIN(CASE WHEN due_date < ? THEN due_date END) FROM invoices "
      "WHERE customer_id = ? AND kind = 'invoice' AND status IN ('open', 'partially_paid')",
      {as_of, as_of, customer.value()});
  out.open_minor = r->i64(0);
  out.overdue_minor = r->i64(1);
  out.oldest_overdue_due_date = r->opt_text(2);
  return out;
}

bool put_rate(UnitOfWork& uow, const std::string& currency, const std::string& date, int64_t rate_e10,
              std::optional<UserId> by, const std::string& at) {
  const bool existed =
      uow.query_one("SELECT 1 FROM fx_rates WHERE currency = ? AND rate_date = ?", {currency, date}).has_value();
  uow.exec("INSERT INTO fx_rates (currency, rate_date, rate_e10, created_by, created_at) VALUES (?, ?, ?, ?, ?) "
           "ON CONFLICT (currency, rate_date) DO UPDATE SET rate_e10 = excluded.rate_e10, "
           "created_by = excluded.created_by, created_at = excluded.created_at",
           {currency, date, rate_e10, by ? Value(by->value()) : null(), at});
  return existed;
}

std::optional<Rate> rate_on(UnitOfWork& uow, const std::string& currency, const std::string& date) {
  auto r = uow.query_one("SELECT currency, rate_date, rate_e10 FROM fx_rates WHERE currency = ? AND rate_date <= ? "
                         "ORDER BY rate_date DESC LIMIT 1",
                         {currency, date});
  if (!r) return std::nullopt;
  return Rate{r->text(0), r->text(1), r->i64(2)};
}

std::vector<Rate> rates(UnitOfWork& uow, const std::optional<std::string>& currency, int limit) {
  std::string sql = "SELECT currency, rate_date, rate_e10 FROM fx_rates";
  std::vector<Value> params;
  if (currency) {
    sql += " WHERE currency = ?";
    params.emplace_back(*currency);
  }
  sql += " ORDER BY currency, rate_date DESC LIMIT ?";
  params.emplace_back(int64_t{limit});
  std::vector<Rate> out;
  for (const auto& r : uow.query(sql, params)) out.push_back({r.text(0), r.text(1), r.i64(2)});
  return out;
}

std::vector<UninvoicedLine> uninvoiced_lines_of_customer(UnitOfWork& uow, CustomerId customer) {
  std::vector<UninvoicedLine> out;
  for (const auto& r : uow.query(
           "SELECT o.id, o.number, l.id, l.line_no, l.product_id, l.sku, p.name, l.quantity, l.shipped, l.invoiced, "
           "l.unit_price_e4, l.tax_category, l.tax_rate_bp, l.line_net_minor FROM order_lines l "
           "JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id "
           "WHERE o.customer_id = ? AND o.status IN ('partially_shipped', 'shipped') AND l.shipped > l.invoiced "
           "ORDER BY o.id, l.line_no",
           {customer.value()})) {
    UninvoicedLine u;
    u.order_id = OrderId(r.i64(0));
    u.order_number = r.text(1);
    u.line_id = OrderLineId(r.i64(2));
    u.line_no = static_cast<int>(r.i64(3));
    u.product_id = ProductId(r.i64(4));
    u.sku = r.text(5);
    u.name = r.text(6);
    u.quantity = r.i64(7);
    u.shipped = r.i64(8);
    u.invoiced = r.i64(9);
    u.unit_price_e4 = r.i64(10);
    u.tax_category = category(r.text(11));
    u.tax_rate_bp = r.i64(12);
    u.line_net_minor = r.i64(13);
    out.push_back(std::move(u));
  }
  return out;
}

void set_line_invoiced(UnitOfWork& uow, OrderLineId line, int64_t invoiced) {
  uow.exec("UPDATE order_lines SET invoiced = ? WHERE id = ?", {invoiced, line.value()});
}

std::vector<CustomerId> consolidated_customers_to_bill(UnitOfWork& uow) {
  std::vector<CustomerId> out;
  for (const auto& r : uow.query(
           "SELECT DISTINCT c.id FROM customers c JOIN orders o ON o.customer_id = c.id "
           "JOIN order_lines l ON l.order_id = o.id WHERE c.billing = 'consolidated' "
           "AND o.status IN ('partially_shipped', 'shipped') AND l.shipped > l.invoiced ORDER BY c.id")) {
    out.push_back(CustomerId(r.i64(0)));
  }
  return out;
}

std::vector<credit::ExposureLine> exposure_lines(UnitOfWork& uow, CustomerId customer,
                                                std::optional<OrderId> excluding) {
  std::vector<credit::ExposureLine> out;
  for (const auto& r : uow.query(
           "SELECT o.id, o.total_minor, l.quantity, l.invoiced, l.line_net_minor, l.tax_rate_bp FROM orders o "
           "JOIN order_lines l ON l.order_id = o.id WHERE o.customer_id = ? "
           "AND o.status IN ('open', 'partially_shipped', 'shipped') AND o.id <> ? "
           // What invoices have not billed yet of the order's charges (+) and
           // allowances (-), as one unit each.
           "UNION ALL SELECT o.id, o.total_minor, 1000, 0, CASE WHEN c.is_charge = 1 THEN c.amount_minor - "
           "c.billed_minor ELSE c.billed_minor - c.amount_minor END, c.tax_rate_bp FROM orders o "
           "JOIN order_charges c ON c.order_id = o.id WHERE o.customer_id = ? "
           "AND o.status IN ('open', 'partially_shipped', 'shipped') AND o.id <> ? AND c.billed_minor < c.amount_minor "
           "ORDER BY 1",
           {customer.value(), excluding ? excluding->value() : int64_t{0}, customer.value(),
            excluding ? excluding->value() : int64_t{0}})) {
    out.push_back({OrderId(r.i64(0)), r.i64(1), r.i64(2), r.i64(3), r.i64(4), r.i64(5)});
  }
  return out;
}

std::vector<std::string> settlement_breaches(UnitOfWork& uow) {
  std::vector<std::string> out;
  // settled_on (migration 0015), which the reports trust to skip settled
  // invoices, is the day the invoice last reached zero, or far future while open.
  for (const auto& r : uow.query(
           "SELECT i.number, i.open_minor, i.settled_on, COALESCE((SELECT MAX(a.applied_on) FROM invoice_allocations "
           "a WHERE a.invoice_id = i.id AND a.reversed_at IS NULL), i.issue_date) FROM invoices i "
           "WHERE i.kind = 'invoice' AND ((i.open_minor > 0 AND i.settled_on <> '9999-12-31') OR (i.open_minor = 0 "
           "AND i.settled_on <> COALESCE((SELECT MAX(a.applied_on) FROM invoice_allocations a WHERE a.invoice_id = "
           "i.id AND a.reversed_at IS NULL), i.issue_date))) ORDER BY i.id")) {
    out.push_back("invoice " + r.text(0) + ": settled_on " + r.text(2) + " but its open amount is " + r.text(1) +
                  (r.i64(1) == 0 ? " and its last allocation is dated " + r.text(3) : std::string()));
  }
  return out;
}

std::vector<std::string> allocation_copy_breaches(UnitOfWork& uow) {
  std::vector<std::string> out;
  // The cash forecast sums delays from these copies (migration 0019).
  for (const auto& r : uow.query("SELECT a.id, i.number, a.customer_id, i.customer_id, a.days_after_due, i.due_date, "
                                 "a.applied_on FROM invoice_allocations a JOIN invoices i ON i.id = a.invoice_id "
                                 "ORDER BY a.id")) {
    const auto due = Date::parse(r.text(5));
    const auto applied = Date::parse(r.text(6));
    const bool dated = due.ok() && applied.ok();
    const int64_t days = dated ? Date::days_between(*due, *applied) : 0;
    if (!dated || r.is_null(2) || r.is_null(4) || r.i64(2) != r.i64(3) || r.i64(4) != days) {
      out.push_back("allocation " + r.text(0) + " to invoice " + r.text(1) + ": customer " + r.text(2) + ", " +
                    r.text(4) + " days after due, but the invoice is customer " + r.text(3) + "'s, due " + r.text(5) +
                    ", and the allocation is dated " + r.text(6));
    }
  }
  return out;
}

std::vector<std::string> breaches(UnitOfWork& uow) {
  std::vector<std::string> out;
  // Each document's total = lines + charges - allowances + tax, and its
  // breakdown sums to its tax total.
  for (const auto& r : uow.query(
           "SELECT i.number, i.net_total_minor, i.allowance_total_minor, i.charge_total_minor, i.tax_total_minor, "
           "i.total_minor, "
           "(SELECT COALESCE(SUM(line_net_minor), 0) FROM invoice_lines l WHERE l.invoice_id = i.id), "
           "(SELECT COALESCE(SUM(CASE WHEN is_charge = 1 THEN amount_minor ELSE 0 END), 0) FROM invoice_charges c "
           "WHERE c.invoice_id = i.id), "
           "(SELECT COALESCE(SUM(CASE WHEN is_charge = 0 THEN amount_minor ELSE 0 END), 0) FROM invoice_charges c "
           "WHERE c.invoice_id = i.id), "
           "(SELECT COALESCE(SUM(tax_minor), 0) FROM invoice_taxes t WHERE t.invoice_id = i.id) "
           "FROM invoices i ORDER BY i.id")) {
    const int64_t net = r.i64(1), allow = r.i64(2), charge = r.i64(3), tax = r.i64(4), total = r.i64(5);
    if (r.i64(6) != net || r.i64(7) != charge || r.i64(8) != allow || r.i64(9) != tax ||
        net - allow + charge + tax != total) {
      out.push_back("invoice " + r.text(0) + ": total " + std::to_string(total) + " != lines " + r.text(6) +
                    " + charges " + r.text(7) + " - allowances " + r.text(8) + " + tax " + r.text(9) +
                    " (minor units), or its stored subtotals differ from them");
    }
  }
  // open = total - allocations, and never below zero.
  for (const auto& r : uow.query(
           "SELECT i.number, i.total_minor, i.open_minor, COALESCE(SUM(a.amount_minor), 0) FROM invoices i "
           "LEFT JOIN invoice_allocations a ON a.invoice_id = i.id AND a.reversed_at IS NULL WHERE i.kind = 'invoice' "
           "GROUP BY i.id, i.number, i.total_minor, i.open_minor "
           "HAVING i.open_minor <> i.total_minor - COALESCE(SUM(a.amount_minor), 0) ORDER BY i.id")) {
    out.push_back("invoice " + r.text(0) + ": open amount " + r.text(2) + " != total " + r.text(1) +
                  " - allocations " + r.text(3) + " (minor units)");
  }
  for (auto& b : settlement_breaches(uow)) out.push_back(std::move(b));
  for (auto& b : allocation_copy_breaches(uow)) out.push_back(std::move(b));
  // The aging adds up functional amounts from the allocations: they must
  // leave exactly the invoice's open functional amount.
  for (const auto& r : uow.query(
           "SELECT i.number, i.open_functional_minor, i.total_functional_minor - COALESCE(SUM(a.functional_minor), 0) "
           "FROM invoices i LEFT JOIN invoice_allocations a ON a.invoice_id = i.id AND a.reversed_at IS NULL "
           "WHERE i.kind = 'invoice' GROUP BY i.id, i.number, i.open_functional_minor, i.total_functional_minor "
           "HAVING i.open_functional_minor <> i.total_functional_minor - COALESCE(SUM(a.functional_minor), 0) "
           "ORDER BY i.id")) {
    out.push_back("invoice " + r.text(0) + ": open functional amount " + r.text(1) + " but its allocations leave " +
                  r.text(2) + " (functional minor units)");
  }
  // Gapless numbering per series and year.
  for (const auto& r : uow.query("SELECT series, year, COUNT(*), MIN(seq), MAX(seq) FROM invoices GROUP BY series, "
                                 "year ORDER BY series, year")) {
    if (r.i64(3) != 1 || r.i64(4) != r.i64(2)) {
      out.push_back("numbering " + r.text(0) + "-" + r.text(1) + " has " + r.text(2) + " documents numbered " +
                    r.text(3) + " to " + r.text(4) + ": a gap");
    }
  }
  // AR control (1100) = the open items, in the functional currency.
  auto ar = uow.query_one(
      "SELECT COALESCE(SUM(l.debit_minor) - SUM(l.credit_minor), 0) FROM ledger_lines l WHERE l.account_code = '1100'");
  auto open = uow.query_one(
      "SELECT COALESCE(SUM(open_functional_minor), 0) FROM invoices WHERE kind = 'invoice'");
  if (ar->i64(0) != open->i64(0)) {
    out.push_back("AR control 1100 has balance " + ar->text(0) + " but open invoices sum to " + open->text(0) +
                  " (functional minor units)");
  }
  // Customer credit (2100) = the customers' credit balances.
  auto cc = uow.query_one(
      "SELECT COALESCE(SUM(l.credit_minor) - SUM(l.debit_minor), 0) FROM ledger_lines l WHERE l.account_code = '2100'");
  auto credits = uow.query_one("SELECT COALESCE(SUM(functional_minor), 0) FROM customer_credit");
  if (cc->i64(0) != credits->i64(0)) {
    out.push_back("customer credit 2100 has balance " + cc->text(0) + " but customer credit movements sum to " +
                  credits->text(0) + " (functional minor units)");
  }
  // An order's allowances and charges: never billed beyond their amount, and
  // billed in full once every line of the order is invoiced.
  for (const auto& r : uow.query(
           "SELECT o.number, c.seq, c.amount_minor, c.billed_minor, "
           "(SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id AND l.invoiced < l.quantity) "
           "FROM order_charges c JOIN orders o ON o.id = c.order_id WHERE o.status NOT IN ('cancelled', 'rejected') "
           "ORDER BY o.id, c.seq")) {
    const bool complete = r.i64(4) == 0;
    if (r.i64(3) > r.i64(2) || (complete && r.i64(3) != r.i64(2))) {
      out.push_back("order " + r.text(0) + " allowance/charge " + r.text(1) + " of " + r.text(2) + " is billed " +
                    r.text(3) + (complete ? " though the order is fully invoiced" : "") + " (minor units)");
    }
  }
  return out;
}

}  // namespace o2c::store::invoices
