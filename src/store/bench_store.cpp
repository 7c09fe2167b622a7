#include "store/bench_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "store/migrate.h"
#include "store/sqlite/sqlite_db.h"

namespace o2c::store {
namespace {

using Clock = std::chrono::steady_clock;

// A transaction that is still busy after this many attempts means the
// storage is stuck, not contended: report it rather than spin.
constexpr int kMaxAttempts = 100;

// On the shape of the real schema ({{ID}} keys, integer money and
// quantities, a foreign key from line to header) so that the engine does
// the same work per row as an order would cost it.
constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS bench_orders (
  id {{ID}},
  customer TEXT NOT NULL,
  total_minor BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bench_lines (
  id {{ID}},
  order_id BIGINT NOT NULL REFERENCES bench_orders(id),
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  price_e4 BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS bench_counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
)";

std::string counter_name(int thread) { return "bench_" + std::to_string(thread); }

int64_t counters_total(Database& db) {
  auto tx = db.begin(TxMode::read);
  auto row = tx->query_one("SELECT COALESCE(SUM(value), 0) FROM bench_counters");
  return row ? row->i64(0) : 0;
}

void one_order(UnitOfWork& tx, int thread, int64_t seq) {
  const std::string customer = "C" + std::to_string(thread);
  const auto header = tx.query_one(
      "INSERT INTO bench_orders (customer, total_minor, created_at) VALUES (?, ?, ?) RETURNING id",
      {customer, int64_t{35970}, std::string("2024-01-02T03:04:05Z")});
  if (!header) throw ErrorException(Error::internal("bench: INSERT ... RETURNING gave no row"));
  const int64_t order_id = header->i64(0);
  for (int64_t line = 1; line <= 3; ++line) {
    tx.exec(
        "INSERT INTO bench_lines (order_id, line_no, sku, quantity, price_e4) VALUES (?, ?, ?, ?, "
        "?)",
        {order_id, line, "SKU-" + std::to_string((seq + line) % 1000), line * 1000,
         int64_t{119900}});
  }
  tx.exec("UPDATE bench_counters SET value = value + 1 WHERE name = ?", {counter_name(thread)});
}

}  // namespace

double percentile_us(const std::vector<int64_t>& sorted_ns, double p) {
  if (sorted_ns.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted_ns.size())));
  return static_cast<double>(sorted_ns[std::clamp<size_t>(rank, 1, sorted_ns.size()) - 1]) / 1000.0;
}

BenchResult bench_store(Database& db, int seconds, int threads) {
  seconds = std::clamp(seconds, 1, 3600);
  threads = std::clamp(threads, 1, 256);

  {
    auto tx = db.begin(TxMode::write);
    tx->exec_script(render_for(db.engine(), kSchema));
    for (int t = 0; t < threads; ++t) {
      // Each thread updates its own counter: the run measures commits, not a
      // queue on one hot row lock (which PostgreSQL would have and SQLite not).
      tx->exec(
          "INSERT INTO bench_counters (name, value) VALUES (?, 0) ON CONFLICT (name) DO NOTHING",
          {counter_name(t)});
    }
    tx->commit();
  }
  const int64_t total_before = counters_total(db);
  const std::optional<SqliteWriterStats> stats_before = sqlite_writer_stats(db);

  std::vector<std::vector<int64_t>> latencies(static_cast<size_t>(threads));
  std::atomic<int64_t> retries{0};
  std::atomic<bool> stop{false};
  std::mutex failure_mu;
  std::exception_ptr failure;

  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + std::chrono::seconds(seconds);
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto& mine = latencies[static_cast<size_t>(t)];
      try {
        for (int64_t seq = 0; !stop.load(std::memory_order_relaxed) && Clock::now() < deadline;
             ++seq) {
          const Clock::time_point t0 = Clock::now();
          for (int attempt = 1;; ++attempt) {
            try {
              auto tx = db.begin(TxMode::write);
              one_order(*tx, t, seq);
              tx->commit();
              break;
            } catch (const ErrorException& e) {
              if (e.error.kind != ErrorKind::unavailable || attempt >= kMaxAttempts) throw;
              retries.fetch_add(1, std::memory_order_relaxed);
            }
          }
          mine.push_back(
              std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
        }
      } catch (...) {
        std::lock_guard lk(failure_mu);
        if (!failure) failure = std::current_exception();
        stop.store(true);
      }
    });
  }
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (failure) std::rethrow_exception(failure);

  std::vector<int64_t> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());

  BenchResult r;
  r.count = static_cast<int64_t>(all.size());
  r.retries = retries.load();
  r.seconds = elapsed;
  r.threads = threads;
  r.tx_per_s = elapsed > 0 ? static_cast<double>(r.count) / elapsed : 0;
  r.p50_us = percentile_us(all, 0.50);
  r.p99_us = percentile_us(all, 0.99);
  if (const auto stats_after = sqlite_writer_stats(db); stats_after && stats_before) {
    r.commits = stats_after->commits - stats_before->commits;
    r.tx_per_commit =
        r.commits > 0 ? static_cast<double>(r.count) / static_cast<double>(r.commits) : 0;
  }

  // A benchmark that loses writes measures nothing: every counted commit
  // must be in the database.
  const int64_t total_after = counters_total(db);
  if (total_after - total_before != r.count) {
    throw ErrorException(Error::internal("bench: " + std::to_string(r.count) +
                                         " commits counted but " +
                                         std::to_string(total_after - total_before) + " stored"));
  }
  return r;
}

}  // namespace o2c::store
