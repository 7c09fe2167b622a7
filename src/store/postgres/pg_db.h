#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "store/db.h"

namespace o2c::store {

// Opens a pool of up to opts.pool_size libpq connections to `url`
// ("postgresql://user@host:port/db"). One connection is made at once so that
// a wrong URL or a server that is down fails here; the rest are made when
// first needed. Throws ErrorException (unavailable "storage_unavailable" when
// the server cannot be reached, internal for an unreadable URL).
std::unique_ptr<Database> open_postgres(const std::string& url, const DatabaseOptions& opts);

// The PostgreSQL text of `sql`: each `?` outside quotes and comments becomes
// $1, $2, ... in order. `count` is the number of placeholders. Exposed for tests.
struct NumberedSql {
  std::string text;
  int count = 0;
};
NumberedSql number_placeholders(std::string_view sql);

}  // namespace o2c::store
