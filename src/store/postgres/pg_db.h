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

// A new, empty database on the cluster that `cluster_url` reaches, named
// `prefix` plus a unique suffix; the destructor drops it, ending any session
// still connected. CREATE/DROP DATABASE cannot run inside a transaction, the
// only thing a UnitOfWork offers, hence a connection of its own. For runs
// (benchmarks) that each need a fresh database. `prefix` is lower-case
// letters, digits and '_'. Throws ErrorException when the database cannot be
// created (e.g. the role lacks CREATEDB).
class PgScratchDatabase {
 public:
  PgScratchDatabase(const std::string& cluster_url, const std::string& prefix);
  ~PgScratchDatabase();
  PgScratchDatabase(const PgScratchDatabase&) = delete;
  PgScratchDatabase& operator=(const PgScratchDatabase&) = delete;

  const std::string& url() const { return url_; }    // what open_database() takes
  const std::string& name() const { return name_; }
  // Leave the database behind when destroyed (to look into it afterwards).
  void keep() { keep_ = true; }

 private:
  std::string cluster_url_, name_, url_;
  bool keep_ = false;
};

// VACUUM (ANALYZE) of the whole database at `url`, on a connection of its
// own (VACUUM cannot run inside a transaction). What autovacuum does by
// itself a while after a bulk load; a benchmark that loads and then
// measures at once runs it so as to measure the plans a live database has.
void pg_vacuum_analyze(const std::string& url);

// `url` with its database replaced: postgresql://u@h:p/old?x -> postgresql://u@h:p/name?x
std::string pg_url_with_database(const std::string& url, const std::string& name);

}  // namespace o2c::store
