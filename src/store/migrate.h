#pragma once
#include <string>
#include <vector>

#include "store/db.h"

namespace o2c::store {

struct Migration {
  int version;
  std::string name;  // file name, e.g. "0001_foundation.sql"
  std::string sql;   // engine-neutral text with {{ID}} / {{BLOB}} macros
};

// The migrations compiled into the binary from migrations/*.sql, in order.
const std::vector<Migration>& embedded_migrations();

// The SQL of a migration for one engine: {{ID}} becomes the engine's
// auto-assigned 64-bit primary key, {{BLOB}} its byte-string type.
std::string render_for(Engine engine, const std::string& sql);

// Applies every migration not yet recorded in schema_migrations, each in its
// own transaction. Safe to run concurrently and repeatedly (idempotent).
// Returns the versions applied by this call.
std::vector<int> migrate(Database& db);

}  // namespace o2c::store
