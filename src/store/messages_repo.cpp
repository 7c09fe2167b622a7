#include "store/messages_repo.h"

namespace o2c::store::messages {
namespace {

// PostgreSQL's job-queue lock: rows another transaction holds are passed
// over instead of waited for. SQLite has one writer, which is the lock.
std::string skip_locked(UnitOfWork& uow) {
  return uow.engine() == Engine::postgres ? " FOR UPDATE SKIP LOCKED" : "";
}

constexpr const char* kColumns =
    "id, outbox_id, channel, recipient, endpoint_id, subject, topic, status, attempts, next_attempt_at_ms, "
    "lease_until_ms, last_error, sent_at, created_at";

Message read(const Row& r) {
  Message m;
  m.id = r.i64(0);
  m.outbox_id = r.i64(1);
  m.channel = r.text(2);
  m.recipient = r.text(3);
  m.endpoint_id = r.opt_i64(4);
  m.subject = r.opt_text(5);
  m.topic = r.text(6);
  m.status = r.text(7);
  m.attempts = static_cast<int>(r.i64(8));
  m.next_attempt_at_ms = r.i64(9);
  m.lease_until_ms = r.opt_i64(10);
  m.last_error = r.opt_text(11);
  m.sent_at = r.opt_text(12);
  m.created_at = r.text(13);
  return m;
}

Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : null(); }
Value opt(const std::optional<int64_t>& v) { return v ? Value(*v) : null(); }

}  // namespace

std::vector<OutboxRow> lock_not_fanned_out(UnitOfWork& uow, int limit) {
  std::vector<OutboxRow> out;
  for (const auto& r : uow.query("SELECT id, topic, payload, created_at FROM outbox WHERE fanned_out_at IS NULL "
                                 "ORDER BY id LIMIT ?" + skip_locked(uow),
                                 {int64_t{limit}})) {
    out.push_back({r.i64(0), r.text(1), r.text(2), r.text(3)});
  }
  return out;
}

void mark_fanned_out(UnitOfWork& uow, int64_t outbox_id, const std::string& at) {
  uow.exec("UPDATE outbox SET fanned_out_at = ? WHERE id = ?", {at, outbox_id});
}

std::optional<OutboxRow> outbox_row(UnitOfWork& uow, int64_t outbox_id) {
  auto r = uow.query_one("SELECT id, topic, payload, created_at FROM outbox WHERE id = ?", {outbox_id});
  if (!r) return std::nullopt;
  return OutboxRow{r->i64(0), r->text(1), r->text(2), r->text(3)};
}

bool insert(UnitOfWork& uow, const NewMessage& m) {
  return uow.exec(
             "INSERT INTO messages (outbox_id, channel, recipient, endpoint_id, subject, topic, status, attempts, "
             "next_attempt_at_ms, last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) "
             "ON CONFLICT (outbox_id, channel, recipient) DO NOTHING",
             {m.outbox_id, m.channel, m.recipient, opt(m.endpoint_id), opt(m.subject), m.topic, m.next_attempt_at_ms,
              opt(m.last_error), m.created_at}) == 1;
}

std::vector<Message> due(UnitOfWork& uow, int64_t now_ms, bool email, bool webhook, int limit) {
  std::vector<Message> out;
  if (!email && !webhook) return out;
  std::string channels = email && webhook ? "" : (email ? " AND channel = 'email'" : " AND channel = 'webhook'");
  for (const auto& r : uow.query(std::string("SELECT ") + kColumns +
                                     " FROM messages WHERE ((status = 'pending' AND next_attempt_at_ms <= ?) OR "
                                     "(status = 'sending' AND lease_until_ms <= ?))" +
                                     channels + " ORDER BY next_attempt_at_ms, id LIMIT ?" + skip_locked(uow),
                                 {now_ms, now_ms, int64_t{limit}})) {
    out.push_back(read(r));
  }
  return out;
}

bool claim(UnitOfWork& uow, int64_t id, int seen_attempts, int64_t now_ms, int64_t lease_until_ms) {
  return uow.exec("UPDATE messages SET status = 'sending', attempts = attempts + 1, lease_until_ms = ? "
                  "WHERE id = ? AND attempts = ? AND (status = 'pending' OR (status = 'sending' AND lease_until_ms <= ?))",
                  {lease_until_ms, id, int64_t{seen_attempts}, now_ms}) == 1;
}

bool record_sent(UnitOfWork& uow, int64_t id, int attempt, const std::string& at) {
  return uow.exec("UPDATE messages SET status = 'sent', sent_at = ?, last_error = NULL, lease_until_ms = NULL "
                  "WHERE id = ? AND attempts = ? AND status = 'sending'",
                  {at, id, int64_t{attempt}}) == 1;
}

bool record_retry(UnitOfWork& uow, int64_t id, int attempt, const std::string& error, int64_t next_attempt_at_ms) {
  return uow.exec("UPDATE messages SET status = 'pending', last_error = ?, next_attempt_at_ms = ?, "
                  "lease_until_ms = NULL WHERE id = ? AND attempts = ? AND status = 'sending'",
                  {error, next_attempt_at_ms, id, int64_t{attempt}}) == 1;
}

bool record_failed(UnitOfWork& uow, int64_t id, int attempt, const std::string& error) {
  return uow.exec("UPDATE messages SET status = 'failed', last_error = ?, lease_until_ms = NULL "
                  "WHERE id = ? AND attempts = ? AND status = 'sending'",
                  {error, id, int64_t{attempt}}) == 1;
}

bool release(UnitOfWork& uow, int64_t id, int attempt, const std::string& note) {
  return uow.exec("UPDATE messages SET status = 'pending', attempts = attempts - 1, last_error = ?, "
                  "lease_until_ms = NULL WHERE id = ? AND attempts = ? AND status = 'sending'",
                  {note, id, int64_t{attempt}}) == 1;
}

std::vector<Message> list(UnitOfWork& uow, const ListFilter& f, const PageRequest& page) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM messages WHERE id > ?";
  std::vector<Value> params{page.after};
  if (f.status) {
    sql += " AND status = ?";
    params.emplace_back(*f.status);
  }
  if (f.topic) {
    sql += " AND topic = ?";
    params.emplace_back(*f.topic);
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(int64_t{page.limit});
  std::vector<Message> out;
  for (const auto& r : uow.query(sql, params)) out.push_back(read(r));
  return out;
}

std::optional<Message> find(UnitOfWork& uow, int64_t id) {
  auto r = uow.query_one(std::string("SELECT ") + kColumns + " FROM messages WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return read(*r);
}

}  // namespace o2c::store::messages

namespace o2c::store::webhook_endpoints {
namespace {

constexpr const char* kColumns = "id, url, events, secret, active, created_by, created_at";

Endpoint read(const Row& r) {
  return {r.i64(0), r.text(1), r.text(2), r.text(3), r.i64(4) != 0, r.opt_i64(5), r.text(6)};
}

}  // namespace

int64_t insert(UnitOfWork& uow, const Endpoint& e) {
  auto r = uow.query_one(
      "INSERT INTO webhook_endpoints (url, events, secret, active, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {e.url, e.events, e.secret, int64_t{e.active ? 1 : 0}, e.created_by ? Value(*e.created_by) : null(),
       e.created_at});
  if (!r) throw ErrorException(Error::internal("webhook endpoint insert returned no id"));
  return r->i64(0);
}

std::optional<Endpoint> find(UnitOfWork& uow, int64_t id) {
  auto r = uow.query_one(std::string("SELECT ") + kColumns + " FROM webhook_endpoints WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return read(*r);
}

std::vector<Endpoint> list(UnitOfWork& uow, const PageRequest& page) {
  std::vector<Endpoint> out;
  for (const auto& r : uow.query(std::string("SELECT ") + kColumns +
                                     " FROM webhook_endpoints WHERE id > ? ORDER BY id LIMIT ?",
                                 {page.after, int64_t{page.limit}})) {
    out.push_back(read(r));
  }
  return out;
}

std::vector<Endpoint> active(UnitOfWork& uow) {
  std::vector<Endpoint> out;
  for (const auto& r :
       uow.query(std::string("SELECT ") + kColumns + " FROM webhook_endpoints WHERE active = 1 ORDER BY id")) {
    out.push_back(read(r));
  }
  return out;
}

}  // namespace o2c::store::webhook_endpoints
