#pragma once
// Typed access to webhook_events: which provider events were received, and
// what came of each. Every function runs in the caller's unit of work.
#include <optional>
#include <string>

#include "store/db.h"

namespace o2c::store::webhooks {

struct ReceivedEvent {
  std::string provider;
  std::string event_id;
  std::string type;
  std::string received_at;
  std::string outcome;
};

std::optional<ReceivedEvent> find(UnitOfWork& uow, const std::string& provider, const std::string& event_id);
// Throws conflict/duplicate when the event is already recorded, or being
// recorded by a concurrent unit of work (PostgreSQL waits for that one to end).
void insert(UnitOfWork& uow, const ReceivedEvent& e);
void set_outcome(UnitOfWork& uow, const std::string& provider, const std::string& event_id,
                 const std::string& outcome);

}  // namespace o2c::store::webhooks
