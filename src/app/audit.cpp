#include "app/audit.h"

#include "security/crypto.h"

namespace o2c::app {

std::string event_hash(const store::Event& e) {
  std::string in;
  auto put = [&](const std::string& s) {
    in += std::to_string(s.size());
    in += ':';
    in += s;
    in += ';';
  };
  put(e.prev_hash);
  put(std::to_string(e.seq));
  put(e.at);
  put(e.actor);
  put(e.entity);
  put(e.entity_id);
  put(e.action);
  put(e.payload);
  return security::sha256_hex(in);
}

void record_system_event(store::UnitOfWork& uow, const Clock& clock, const std::string& actor,
                         const std::string& entity, const std::string& entity_id,
                         const std::string& action, const nlohmann::json& payload) {
  store::AuditHead head = store::events::head_for_update(uow);
  store::Event e;
  e.seq = head.seq + 1;
  e.at = clock.now_rfc3339();
  e.actor = actor;
  e.entity = entity;
  e.entity_id = entity_id;
  e.action = action;
  e.payload = payload.dump();
  e.prev_hash = head.hash;
  e.hash = event_hash(e);
  store::events::append(uow, e);
}

void record_event(Context& ctx, const std::string& entity, const std::string& entity_id,
                  const std::string& action, const nlohmann::json& payload) {
  std::string actor = ctx.actor.id.valid() ? "user:" + ctx.actor.id.to_string() + ":" + ctx.actor.name
                                          : "system:" + ctx.actor.name;
  record_system_event(ctx.uow, ctx.clock, actor, entity, entity_id, action, payload);
}

std::vector<std::string> verify_chain(store::Database& db) {
  constexpr int kBatch = 1000;
  std::vector<std::string> breaches;
  auto uow = db.begin(store::TxMode::read);
  store::AuditHead head = store::events::head(*uow);
  std::string prev(64, '0');
  int64_t expected_seq = 1;
  int64_t after = 0;
  while (true) {
    auto batch = store::events::list(*uow, after, kBatch);
    for (const auto& e : batch) {
      if (e.seq != expected_seq) {
        breaches.push_back("audit: event " + std::to_string(expected_seq) +
                           (e.seq > expected_seq ? " is missing (deleted)" : " is out of order"));
        expected_seq = e.seq;
      }
      if (e.prev_hash != prev) {
        breaches.push_back("audit: event " + std::to_string(e.seq) +
                           " does not link to its predecessor (an earlier event was edited or deleted)");
      }
      if (event_hash(e) != e.hash) {
        breaches.push_back("audit: event " + std::to_string(e.seq) + " was edited (hash mismatch)");
      }
      prev = e.hash;
      after = e.seq;
      ++expected_seq;
      if (breaches.size() > 100) return breaches;
    }
    if (static_cast<int>(batch.size()) < kBatch) break;
  }
  if (head.seq != after || head.hash != prev) {
    breaches.push_back("audit: the chain ends at event " + std::to_string(after) +
                       " but its head records event " + std::to_string(head.seq) +
                       " (events were deleted from the end, or the head was altered)");
  }
  return breaches;
}

}  // namespace o2c::app
