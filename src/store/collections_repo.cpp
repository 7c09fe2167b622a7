#include "store/collections_repo.h"

#include <map>

namespace o2c::store::collections {
namespace {

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : null(); }

constexpr const char* kDisputeCols =
    "d.id, d.invoice_id, i.number, d.customer_id, d.reason, d.status, d.outcome, d.resolution, d.credit_note_id, "
    "d.opened_on, d.resolved_on, d.opened_by, d.resolved_by, d.created_at, d.updated_at";

Dispute dispute_from(const Row& r) {
  Dispute d;
  d.id = r.i64(0);
  d.invoice_id = r.i64(1);
  d.invoice_number = r.text(2);
  d.customer_id = CustomerId(r.i64(3));
  d.reason = r.text(4);
  d.status = r.text(5);
  d.outcome = r.opt_text(6);
  d.resolution = r.opt_text(7);
  d.credit_note_id = r.opt_i64(8);
  d.opened_on = r.text(9);
  d.resolved_on = r.opt_text(10);
  if (auto u = r.opt_i64(11)) d.opened_by = UserId(*u);
  if (auto u = r.opt_i64(12)) d.resolved_by = UserId(*u);
  d.created_at = r.text(13);
  d.updated_at = r.text(14);
  return d;
}

}  // namespace

void insert_dispute(UnitOfWork& uow, Dispute& d) {
  d.id = uow.query_one(
                "INSERT INTO disputes (invoice_id, customer_id, reason, status, opened_on, opened_by, created_at, "
                "updated_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id",
                {d.invoice_id, d.customer_id.value(), d.reason, d.opened_on,
                 d.opened_by ? Value(d.opened_by->value()) : null(), d.created_at, d.updated_at})
             ->i64(0);
}

std::optional<Dispute> find_dispute(UnitOfWork& uow, int64_t id, bool for_update) {
  auto r = uow.query_one(std::string("SELECT ") + kDisputeCols +
                             " FROM disputes d JOIN invoices i ON i.id = d.invoice_id WHERE d.id = ?" +
                             (for_update ? std::string(uow.for_update()) : std::string()),
                         {id});
  if (!r) return std::nullopt;
  return dispute_from(*r);
}

std::optional<Dispute> open_dispute_of(UnitOfWork& uow, int64_t invoice_id) {
  auto r = uow.query_one(std::string("SELECT ") + kDisputeCols +
                             " FROM disputes d JOIN invoices i ON i.id = d.invoice_id WHERE d.invoice_id = ? AND "
                             "d.status = 'open'",
                         {invoice_id});
  if (!r) return std::nullopt;
  return dispute_from(*r);
}

void resolve_dispute(UnitOfWork& uow, const Dispute& d) {
  uow.exec("UPDATE disputes SET status = 'resolved', outcome = ?, resolution = ?, credit_note_id = ?, resolved_on = ?, "
           "resolved_by = ?, updated_at = ? WHERE id = ?",
           {opt(d.outcome), opt(d.resolution), d.credit_note_id ? Value(*d.credit_note_id) : null(), opt(d.resolved_on),
            d.resolved_by ? Value(d.resolved_by->value()) : null(), d.updated_at, d.id});
}

std::vector<Dispute> list_disputes(UnitOfWork& uow, const std::optional<std::string>& status,
                                   std::optional<CustomerId> customer, const PageRequest& page) {
  std::string sql = std::string("SELECT ") + kDisputeCols +
                    " FROM disputes d JOIN invoices i ON i.id = d.invoice_id WHERE d.id > ?";
  std::vector<Value> params{page.after};
  if (status) {
    sql += " AND d.status = ?";
    params.emplace_back(*status);
  }
  if (customer) {
    sql += " AND d.customer_id = ?";
    params.emplace_back(customer->value());
  }
  sql += " ORDER BY d.id LIMIT ?";
  params.emplace_back(int64_t{page.limit});
  std::vector<Dispute> out;
  for (const auto& r : uow.query(sql, params)) out.push_back(dispute_from(r));
  return out;
}

void add_promise(UnitOfWork& uow, int64_t invoice_id, const std::string& promised_on,
                 const std::optional<std::string>& note, std::optional<UserId> by, const std::string& at) {
  uow.exec("INSERT INTO payment_promises (invoice_id, promised_on, note, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
           {invoice_id, promised_on, opt(note), by ? Value(by->value()) : null(), at});
}

std::optional<o2c::collections::DunningPolicy> find_policy(UnitOfWork& uow, const std::string& code) {
  auto p = uow.query_one("SELECT code, name FROM dunning_policies WHERE code = ?", {code});
  if (!p) return std::nullopt;
  o2c::collections::DunningPolicy out;
  out.code = p->text(0);
  out.name = p->text(1);
  for (const auto& r : uow.query("SELECT level, days_after_due, fee_e4, interest_bp, template, action FROM "
                                 "dunning_levels WHERE policy_code = ? ORDER BY level",
                                 {code})) {
    out.levels.push_back({static_cast<int>(r.i64(0)), static_cast<int>(r.i64(1)), r.i64(2), r.i64(3), r.text(4),
                          r.text(5)});
  }
  return out;
}

std::vector<o2c::collections::DunningPolicy> list_policies(UnitOfWork& uow) {
  std::vector<o2c::collections::DunningPolicy> out;
  std::vector<std::string> codes;
  for (const auto& r : uow.query("SELECT code FROM dunning_policies ORDER BY code")) codes.push_back(r.text(0));
  for (const auto& c : codes) {
    if (auto p = find_policy(uow, c)) out.push_back(std::move(*p));
  }
  return out;
}

void put_policy(UnitOfWork& uow, const o2c::collections::DunningPolicy& p, const std::string& at) {
  uow.exec("INSERT INTO dunning_policies (code, name, created_at) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
           "name = excluded.name",
           {p.code, p.name, at});
  uow.exec("DELETE FROM dunning_levels WHERE policy_code = ?", {p.code});
  for (const auto& l : p.levels) {
    uow.exec("INSERT INTO dunning_levels (policy_code, level, days_after_due, fee_e4, interest_bp, template, action) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)",
             {p.code, int64_t{l.level}, int64_t{l.days_after_due}, l.fee_e4, l.interest_bp, l.message, l.action});
  }
}

std::vector<CustomerId> customers_overdue(UnitOfWork& uow, const std::string& as_of) {
  std::vector<CustomerId> out;
  for (const auto& r : uow.query("SELECT DISTINCT customer_id FROM invoices WHERE kind = 'invoice' AND series = 'INV' "
                                 "AND open_minor > 0 AND due_date < ? ORDER BY customer_id",
                                 {as_of})) {
    out.emplace_back(r.i64(0));
  }
  return out;
}

std::vector<o2c::collections::OverdueItem> overdue_items(UnitOfWork& uow, CustomerId customer,
                                                         const std::string& as_of) {
  std::vector<o2c::collections::OverdueItem> out;
  for (const auto& r : uow.query(
           "SELECT i.id, i.number, i.due_date, i.open_minor, "
           "(SELECT COALESCE(MAX(x.level), 0) FROM dunning_notice_items x WHERE x.invoice_id = i.id), "
           "(SELECT MAX(n.notice_date) FROM dunning_notice_items x JOIN dunning_notices n ON n.id = x.notice_id "
           "WHERE x.invoice_id = i.id AND x.interest_minor > 0), "
           "(SELECT COUNT(*) FROM disputes d WHERE d.invoice_id = i.id AND d.status = 'open'), "
           "(SELECT MAX(p.promised_on) FROM payment_promises p WHERE p.invoice_id = i.id) "
           "FROM invoices i WHERE i.customer_id = ? AND i.kind = 'invoice' AND i.series = 'INV' AND i.open_minor > 0 "
           "AND i.due_date < ? ORDER BY i.due_date, i.id",
           {customer.value(), as_of})) {
    auto due = Date::parse(r.text(2));
    if (!due.ok()) continue;
    o2c::collections::OverdueItem it;
    it.invoice_id = r.i64(0);
    it.number = r.text(1);
    it.due_date = *due;
    it.open_minor = r.i64(3);
    it.reached_level = static_cast<int>(r.i64(4));
    if (auto t = r.opt_text(5)) {
      if (auto d = Date::parse(*t); d.ok()) it.interest_charged_to = *d;
    }
    it.disputed = r.i64(6) > 0;
    if (auto t = r.opt_text(7)) {
      if (auto d = Date::parse(*t); d.ok()) it.promised_on = *d;
    }
    out.push_back(it);
  }
  return out;
}

void insert_notice(UnitOfWork& uow, Notice& n, const std::vector<o2c::collections::NoticeItem>& items) {
  n.id = uow.query_one("INSERT INTO dunning_notices (customer_id, level, notice_date, currency, overdue_minor, fee_minor, "
                       "interest_minor, fee_invoice_id, action, message, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       {n.customer_id.value(), int64_t{n.level}, n.notice_date, n.currency, n.overdue_minor,
                        n.fee_minor, n.interest_minor, n.fee_invoice_id ? Value(*n.fee_invoice_id) : null(), n.action,
                        n.message, n.created_at})
             ->i64(0);
  for (const auto& it : items) {
    uow.exec("INSERT INTO dunning_notice_items (notice_id, invoice_id, level, open_minor, days_overdue, interest_minor) "
             "VALUES (?, ?, ?, ?, ?, ?)",
             {n.id, it.invoice_id, int64_t{n.level}, it.open_minor, int64_t{it.days_overdue}, it.interest_minor});
  }
}

namespace {
constexpr const char* kNoticeCols =
    "id, customer_id, level, notice_date, currency, overdue_minor, fee_minor, interest_minor, fee_invoice_id, action, "
    "message, created_at";
Notice notice_from(const Row& r) {
  Notice n;
  n.id = r.i64(0);
  n.customer_id = CustomerId(r.i64(1));
  n.level = static_cast<int>(r.i64(2));
  n.notice_date = r.text(3);
  n.currency = r.text(4);
  n.overdue_minor = r.i64(5);
  n.fee_minor = r.i64(6);
  n.interest_minor = r.i64(7);
  n.fee_invoice_id = r.opt_i64(8);
  n.action = r.text(9);
  n.message = r.text(10);
  n.created_at = r.text(11);
  return n;
}
}  // namespace

std::optional<Notice> find_notice(UnitOfWork& uow, int64_t id) {
  auto r = uow.query_one(std::string("SELECT ") + kNoticeCols + " FROM dunning_notices WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return notice_from(*r);
}

std::vector<Notice> list_notices(UnitOfWork& uow, std::optional<CustomerId> customer, const PageRequest& page) {
  std::vector<Notice> out;
  for (const auto& r : customer_page(uow, std::string("SELECT ") + kNoticeCols + " FROM dunning_notices", customer, page)) {
    out.push_back(notice_from(r));
  }
  return out;
}

bool has_open_blocking_items(UnitOfWork& uow, CustomerId customer) {
  auto r = uow.query_one(
      "SELECT COUNT(*) FROM dunning_notice_items x JOIN dunning_notices n ON n.id = x.notice_id "
      "JOIN invoices i ON i.id = x.invoice_id WHERE n.customer_id = ? AND n.action = 'credit_block' "
      "AND i.open_minor > 0",
      {customer.value()});
  return r->i64(0) > 0;
}

std::vector<o2c::collections::Movement> statement_movements(UnitOfWork& uow, CustomerId customer,
                                                            const std::string& to) {
  std::vector<o2c::collections::Movement> out;
  // Within a day: documents first, then what settled them, then money going back.
  constexpr int64_t kRank = 1'000'000'000'000;
  auto add = [&](const std::string& date, const char* kind, std::string document, int64_t amount, int64_t rank,
                 int64_t id) {
    auto d = Date::parse(date);
    if (!d.ok()) return;
    out.push_back({*d, kind, std::move(document), amount, rank * kRank + id});
  };
  const Value c = customer.value();
  for (const auto& r : uow.query("SELECT id, kind, number, issue_date, total_minor FROM invoices WHERE customer_id = ? "
                                 "AND issue_date <= ?",
                                 {c, to})) {
    const bool invoice = r.text(1) == "invoice";
    add(r.text(3), invoice ? "invoice" : "credit_note", r.text(2), invoice ? r.i64(4) : -r.i64(4), invoice ? 0 : 1,
        r.i64(0));
  }
  for (const auto& r : uow.query("SELECT id, received_on, amount_minor, status, reversed_on FROM payments WHERE "
                                 "customer_id = ? AND received_on <= ?",
                                 {c, to})) {
    add(r.text(1), "payment", "payment " + r.text(0), -r.i64(2), 2, r.i64(0));
  }
  for (const auto& r : uow.query(
           "SELECT a.id, a.source_type, a.applied_on, a.amount_minor, i.number FROM invoice_allocations a JOIN invoices "
           "i ON i.id = a.invoice_id WHERE i.customer_id = ? AND a.source_type IN ('payment_discount', "
           "'payment_write_off') AND a.applied_on <= ?",
           {c, to})) {
    const bool discount = r.text(1) == "payment_discount";
    add(r.text(2), discount ? "discount" : "write_off", r.text(4), -r.i64(3), 3, r.i64(0));
  }
  for (const auto& r : uow.query("SELECT f.id, f.refunded_on, f.amount_minor, f.payment_id FROM payment_refunds f JOIN "
                                 "payments p ON p.id = f.payment_id WHERE p.customer_id = ? AND f.refunded_on <= ?",
                                 {c, to})) {
    add(r.text(1), "refund", "payment " + r.text(3), r.i64(2), 4, r.i64(0));
  }
  // A bounced payment gives back what it took off: its amount and the
  // discount or write-off it brought with it.
  for (const auto& r : uow.query(
           "SELECT p.id, p.reversed_on, p.amount_minor + (SELECT COALESCE(SUM(a.amount_minor), 0) FROM "
           "invoice_allocations a WHERE a.source_id = CAST(p.id AS TEXT) AND a.source_type IN ('payment_discount', "
           "'payment_write_off')) FROM payments p WHERE p.customer_id = ? AND p.status = 'reversed' AND p.reversed_on <= ?",
           {c, to})) {
    add(r.text(1), "reversal", "payment " + r.text(0), r.i64(2), 5, r.i64(0));
  }
  return out;
}

std::vector<std::string> breaches(UnitOfWork& uow) {
  std::vector<std::string> out;
  // Each level reaches an invoice once (the unique index says so; a missing
  // index would let a run send it twice), and levels are reached in order.
  for (const auto& r : uow.query("SELECT invoice_id, level, COUNT(*) FROM dunning_notice_items GROUP BY invoice_id, "
                                 "level HAVING COUNT(*) > 1")) {
    out.push_back("dunning: invoice " + r.text(0) + " got level " + r.text(1) + " " + r.text(2) + " times");
  }
  for (const auto& r : uow.query("SELECT invoice_id, MAX(level), COUNT(*) FROM dunning_notice_items GROUP BY invoice_id "
                                 "HAVING MAX(level) <> COUNT(*)")) {
    out.push_back("dunning: invoice " + r.text(0) + " reached level " + r.text(1) + " with " + r.text(2) +
                  " notices: a level was skipped");
  }
  for (const auto& r : uow.query("SELECT d.invoice_id, COUNT(*) FROM disputes d WHERE d.status = 'open' GROUP BY "
                                 "d.invoice_id HAVING COUNT(*) > 1")) {
    out.push_back("disputes: invoice " + r.text(0) + " has " + r.text(1) + " open disputes");
  }
  return out;
}

}  // namespace o2c::store::collections
