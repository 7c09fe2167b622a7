#include "store/webhooks_repo.h"

namespace o2c::store::webhooks {

std::optional<ReceivedEvent> find(UnitOfWork& uow, const std::string& provider, const std::string& event_id) {
  auto r = uow.query_one(
      "SELECT provider, event_id, type, received_at, outcome FROM webhook_events WHERE provider = ? AND event_id = ?",
      {provider, event_id});
  if (!r) return std::nullopt;
  return ReceivedEvent{r->text(0), r->text(1), r->text(2), r->text(3), r->text(4)};
}

void insert(UnitOfWork& uow, const ReceivedEvent& e) {
  uow.exec("INSERT INTO webhook_events (provider, event_id, type, received_at, outcome) VALUES (?, ?, ?, ?, ?)",
           {e.provider, e.event_id, e.type, e.received_at, e.outcome});
}

void set_outcome(UnitOfWork& uow, const std::string& provider, const std::string& event_id,
                 const std::string& outcome) {
  uow.exec("UPDATE webhook_events SET outcome = ? WHERE provider = ? AND event_id = ?", {outcome, provider, event_id});
}

}  // namespace o2c::store::webhooks
