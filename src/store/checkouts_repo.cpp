#include "store/checkouts_repo.h"

namespace o2c::store::checkouts {

int64_t insert(UnitOfWork& uow, const NewCheckout& c) {
  auto r = uow.query_one(
      "INSERT INTO checkouts (invoice_id, customer_id, provider, reference, status, amount_minor, currency, "
      "created_by, created_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id",
      {c.invoice_id, c.customer_id.value(), c.provider, c.reference, c.amount_minor, c.currency,
       c.created_by ? Value(c.created_by->value()) : null(), c.created_at});
  return r->i64(0);
}

std::optional<Checkout> find(UnitOfWork& uow, int64_t id, bool for_update) {
  std::string sql =
      "SELECT c.id, c.invoice_id, i.number, c.customer_id, c.provider, c.reference, c.status, c.amount_minor, "
      "c.currency, c.payment_id, c.created_at, c.completed_at "
      "FROM checkouts c JOIN invoices i ON i.id = c.invoice_id WHERE c.id = ?";
  if (for_update && uow.engine() == Engine::postgres) sql += " FOR UPDATE OF c";
  auto r = uow.query_one(sql, {id});
  if (!r) return std::nullopt;
  Checkout c;
  c.id = r->i64(0);
  c.invoice_id = r->i64(1);
  c.invoice_number = r->text(2);
  c.customer_id = CustomerId(r->i64(3));
  c.provider = r->text(4);
  c.reference = r->text(5);
  c.status = r->text(6);
  c.amount_minor = r->i64(7);
  c.currency = r->text(8);
  c.payment_id = r->opt_i64(9);
  c.created_at = r->text(10);
  c.completed_at = r->opt_text(11);
  return c;
}

bool complete(UnitOfWork& uow, int64_t id, int64_t payment_id, const std::string& at) {
  return uow.exec("UPDATE checkouts SET status = 'completed', payment_id = ?, completed_at = ? "
                  "WHERE id = ? AND status = 'open'",
                  {payment_id, at, id}) == 1;
}

}  // namespace o2c::store::checkouts
