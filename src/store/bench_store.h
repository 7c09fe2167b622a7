#pragma once
#include <cstdint>
#include <vector>

#include "store/db.h"

namespace o2c::store {

struct BenchResult {
  double tx_per_s = 0;  // committed transactions per second of wall time
  double p50_us = 0;    // latency of one transaction, begin() to commit() returned
  double p99_us = 0;
  int64_t count = 0;    // committed transactions
  int64_t retries = 0;  // attempts that failed with ErrorKind::unavailable and were run again
  double seconds = 0;   // measured wall time
  int threads = 0;
  // SQLite only (0 elsewhere): durable COMMITs run during the measurement,
  // and committed transactions per COMMIT (1 without group commit).
  int64_t commits = 0;
  double tx_per_commit = 0;
};

// Runs write transactions shaped like a small order (a header row, 3 lines
// and an UPDATE of a counter row) on `threads` threads for about `seconds`,
// each committed on its own (commit() returns once durable), with the
// durability and group-commit setting `db` was opened with.
// Creates its tables (bench_orders, bench_lines, bench_counters) when missing,
// so give it a throwaway database. Checks afterwards that the counters add up
// to `count`. seconds is clamped to [1, 3600], threads to [1, 256]. Throws
// ErrorException on a storage failure other than a retryable busy.
BenchResult bench_store(Database& db, int seconds, int threads);

// The p-quantile (0 < p <= 1, nearest rank) of latencies in nanoseconds,
// sorted ascending, in microseconds; 0 when there are none.
double percentile_us(const std::vector<int64_t>& sorted_ns, double p);

}  // namespace o2c::store
