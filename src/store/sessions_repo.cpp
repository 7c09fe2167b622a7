#include "store/sessions_repo.h"

namespace o2c::store::sessions {

int64_t insert(UnitOfWork& uow, const NewSession& s) {
  auto r = uow.query_one(
      "INSERT INTO sessions (secret_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?) "
      "RETURNING id",
      {s.secret_hash, s.user.value(), s.csrf_token, s.created_at, s.expires_at});
  return r->i64(0);
}

std::optional<Session> by_secret_hash(UnitOfWork& uow, const std::string& secret_hash) {
  auto r = uow.query_one(
      "SELECT s.id, u.id, u.name, u.role, u.customer_id, s.csrf_token, s.created_at, s.expires_at, s.revoked_at "
      "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.secret_hash = ?",
      {secret_hash});
  if (!r) return std::nullopt;
  Session s;
  s.id = r->i64(0);
  s.user.id = UserId(r->i64(1));
  s.user.name = r->text(2);
  s.user.role = r->text(3);
  if (auto c = r->opt_i64(4)) s.user.customer_id = CustomerId(*c);
  s.csrf_token = r->text(5);
  s.created_at = r->text(6);
  s.expires_at = r->text(7);
  s.revoked_at = r->opt_text(8);
  return s;
}

bool revoke(UnitOfWork& uow, int64_t id, const std::string& at) {
  return uow.exec("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {at, id}) == 1;
}

}  // namespace o2c::store::sessions
