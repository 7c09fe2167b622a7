#pragma once
// The audit trail: every state change appends one event to a hash chain in
// the same transaction as the change itself.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/context.h"
#include "store/repos.h"

namespace o2c::app {

// Appends {actor, now, entity, id, action, payload}; serializes appenders
// through the chain head's row lock.
void record_event(Context& ctx, const std::string& entity, const std::string& entity_id,
                  const std::string& action, const nlohmann::json& payload);
// The same for work done by the system itself (migrations, seeding, CLI).
void record_system_event(store::UnitOfWork& uow, const Clock& clock, const std::string& actor,
                         const std::string& entity, const std::string& entity_id,
                         const std::string& action, const nlohmann::json& payload);

// The hash of an event from its fields and its predecessor's hash.
// Length-prefixed so that no two different events hash the same input.
std::string event_hash(const store::Event& e);

// Walks the whole chain; returns one line per breach (edited, deleted,
// reordered or appended-outside events). Empty when intact.
std::vector<std::string> verify_chain(store::Database& db);

}  // namespace o2c::app
