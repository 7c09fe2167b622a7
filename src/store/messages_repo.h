#pragma once
// Typed access to the notification tables (messages, webhook_endpoints) and
// the outbox's fan-out mark. Every function runs inside the caller's unit of
// work; none commits. All SQL of these tables is here.
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"
#include "store/repos.h"

namespace o2c::store::messages {

struct OutboxRow {
  int64_t id = 0;
  std::string topic;
  std::string payload;  // JSON text
  std::string created_at;
};
// Outbox rows not fanned out yet, oldest first, at most `limit`, locked; on
// PostgreSQL rows another node holds are skipped (SKIP LOCKED), so two nodes
// fan out different rows instead of waiting on each other.
std::vector<OutboxRow> lock_not_fanned_out(UnitOfWork& uow, int limit);
void mark_fanned_out(UnitOfWork& uow, int64_t outbox_id, const std::string& at);
std::optional<OutboxRow> outbox_row(UnitOfWork& uow, int64_t outbox_id);

struct NewMessage {
  int64_t outbox_id = 0;
  std::string channel;  // "email" | "webhook"
  std::string recipient;
  std::optional<int64_t> endpoint_id;
  std::optional<std::string> subject;
  std::string topic;
  int64_t next_attempt_at_ms = 0;
  std::optional<std::string> last_error;
  std::string created_at;
};
// false when (outbox_id, channel, recipient) has a message already.
bool insert(UnitOfWork& uow, const NewMessage& m);

struct Message {
  int64_t id = 0;
  int64_t outbox_id = 0;
  std::string channel;
  std::string recipient;
  std::optional<int64_t> endpoint_id;
  std::optional<std::string> subject;
  std::string topic;
  std::string status;
  int attempts = 0;
  int64_t next_attempt_at_ms = 0;
  std::optional<int64_t> lease_until_ms;
  std::optional<std::string> last_error;
  std::optional<std::string> sent_at;
  std::string created_at;
};

// Messages that may be sent now: pending and due, or 'sending' with an
// expired lease (their sender died). Only the given channels; oldest due
// first; locked, skipping rows another node holds (PostgreSQL).
std::vector<Message> due(UnitOfWork& uow, int64_t now_ms, bool email, bool webhook, int limit);
// Takes the message for one attempt if nobody took it since it was read
// (`seen_attempts` unchanged and still claimable): status 'sending',
// attempts + 1, leased until `lease_until_ms`. false = someone else has it.
bool claim(UnitOfWork& uow, int64_t id, int seen_attempts, int64_t now_ms, int64_t lease_until_ms);
// Outcomes of attempt `attempt` (the attempts value after the claim); each
// false when the lease was lost and another attempt owns the row now.
bool record_sent(UnitOfWork& uow, int64_t id, int attempt, const std::string& at);
bool record_retry(UnitOfWork& uow, int64_t id, int attempt, const std::string& error, int64_t next_attempt_at_ms);
bool record_failed(UnitOfWork& uow, int64_t id, int attempt, const std::string& error);
// Back to pending without counting an attempt (e.g. the sender shut down
// before it started).
bool release(UnitOfWork& uow, int64_t id, int attempt, const std::string& note);

struct ListFilter {
  std::optional<std::string> status;
  std::optional<std::string> topic;
};
std::vector<Message> list(UnitOfWork& uow, const ListFilter& f, const PageRequest& page);
std::optional<Message> find(UnitOfWork& uow, int64_t id);

}  // namespace o2c::store::messages

namespace o2c::store::webhook_endpoints {

struct Endpoint {
  int64_t id = 0;
  std::string url;
  std::string events;  // JSON array text
  std::string secret;
  bool active = true;
  std::optional<int64_t> created_by;
  std::string created_at;
};
int64_t insert(UnitOfWork& uow, const Endpoint& e);
std::optional<Endpoint> find(UnitOfWork& uow, int64_t id);
std::vector<Endpoint> list(UnitOfWork& uow, const PageRequest& page);
std::vector<Endpoint> active(UnitOfWork& uow);

}  // namespace o2c::store::webhook_endpoints
