#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "store/db.h"

namespace o2c::store {

// Opens (creating when missing) the SQLite file at `path` in WAL mode: one
// writer connection handed to the write units in the order they asked for it
// (with group commit, see DatabaseOptions::group_commit), plus up to
// opts.pool_size reader connections opened on demand. ":memory:" is refused:
// the readers could not see the writer's database. Throws ErrorException on
// failure.
std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& opts);

// What the SQLite writer has done since the database was opened.
struct SqliteWriterStats {
  int64_t commits = 0;          // outer COMMITs run, one per batch of write units
  int64_t failed_commits = 0;   // of those, batches not stored (every unit in them got the error)
  int64_t units_committed = 0;  // write units made durable
  int64_t largest_batch = 0;    // most units made durable by one COMMIT
  int queued = 0;               // threads waiting for the writer right now
};

// The writer's figures when `db` is a SQLite database, nullopt otherwise.
std::optional<SqliteWriterStats> sqlite_writer_stats(Database& db);

// Test hook: replaces the batch caps (by default 128 units, and 2 ms since
// the batch's first unit committed into it), e.g. so that a test can line up
// writers one by one without the batch closing meanwhile.
void sqlite_set_batch_limits_for_testing(Database& db, int max_units,
                                         std::chrono::microseconds max_wait);

// Test hook: the next `n` COMMITs of `db`'s writer fail (SQLite's commit hook
// turns them into rollbacks), to exercise a batch whose COMMIT fails. Throws
// ErrorException when `db` is not SQLite.
void sqlite_fail_next_commits_for_testing(Database& db, int n);

}  // namespace o2c::store
