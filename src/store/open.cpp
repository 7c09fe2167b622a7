#include <string>

#include "store/db.h"
#include "store/postgres/pg_db.h"
#include "store/sqlite/sqlite_db.h"

namespace o2c::store {

std::unique_ptr<Database> open_database(const std::string& target, const DatabaseOptions& opts) {
  if (target.starts_with("postgres://") || target.starts_with("postgresql://")) {
    return open_postgres(target, opts);
  }
  return open_sqlite(target, opts);
}

}  // namespace o2c::store
