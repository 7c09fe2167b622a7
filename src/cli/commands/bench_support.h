#pragma once
// What the benchmarks (`o2c bench store`, `o2c bench orders`, `o2c bench
// billing`) share: scratch places for the databases they fill and throw
// away, a deterministic generator, seeding in batches, and concurrent
// clients that each take the next piece of work and time it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/context.h"
#include "core/error.h"
#include "core/result.h"
#include "store/db.h"
#include "store/postgres/pg_db.h"

namespace o2c::cli {

// A new folder under /tmp (prefix + random suffix), deleted with its contents
// by the destructor. path() is empty when it could not be made.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A PostgreSQL cluster made for one benchmark run: initdb into a temp folder,
// pg_ctl start on a free loopback port, stop and delete in the destructor.
// As root the server runs as the `postgres` user, since PostgreSQL refuses
// root. On failure error() says why and url() is empty.
class ThrowawayPostgres {
 public:
  ThrowawayPostgres();
  ~ThrowawayPostgres();
  ThrowawayPostgres(const ThrowawayPostgres&) = delete;
  ThrowawayPostgres& operator=(const ThrowawayPostgres&) = delete;

  // The cluster's maintenance database, as user o2c (trust auth, superuser).
  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }

 private:
  std::string dir_, url_, error_, stop_cmd_;
};

// splitmix64: a fixed, well-spread sequence without <random>'s per-platform
// variance, so that the same options give the same workload everywhere.
uint64_t mix(uint64_t x);

// 1234 -> "12.34": minor units as the decimal text the use cases take.
std::string cents_text(int64_t cents);

// Seeding is not what a benchmark measures, but a refusal there means the
// workload is wrong: stop with the use case's own words.
template <typename T>
void check_ok(const Result<T>& r, const std::string& what) {
  if (!r.ok()) {
    throw ErrorException(Error::internal("bench seeding: " + what + ": " + r.error().message +
                                         (r.error().field.empty() ? "" : " (" + r.error().field + ")")));
  }
}

// Records per unit of work while seeding: large enough that seeding costs a
// few COMMITs, small enough that no unit holds the writer for long.
constexpr int kSeedBatch = 250;

// Runs `fn(ctx, i)` for i in [0, n) in write units of kSeedBatch each, as an
// admin that is no user.
template <typename F>
void in_batches(store::Database& db, const app::Clock& clock, int n, F fn) {
  const app::Actor seeder{UserId(), "bench-seed", app::Role::admin, std::nullopt};
  for (int from = 0; from < n; from += kSeedBatch) {
    auto uow = db.begin(store::TxMode::write);
    app::Context ctx{*uow, seeder, clock};
    for (int i = from; i < std::min(n, from + kSeedBatch); ++i) fn(ctx, i);
    uow->commit();
  }
}

// As the API's Request::write: a unit that met a busy or deadlocked store is
// run again a few times before it counts as an error.
constexpr int kAttemptsMax = 5;

// What concurrent clients share while they work through n items.
struct ClientsRun {
  explicit ClientsRun(int clients) : latencies(static_cast<size_t>(clients)) {}
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> done{0}, errors{0}, retries{0};
  std::vector<std::vector<int64_t>> latencies;  // per client, ns
  std::mutex mu;
  std::string first_error;
  std::exception_ptr failure;  // a client that died, e.g. on bad_alloc

  void error(const std::string& what) {
    errors.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lk(mu);
    if (first_error.empty()) first_error = what;
  }
  // Every item's latency, ascending, and its 50th and 99th percentile in ms.
  std::vector<int64_t> sorted_latencies() const;
  double p50_ms() const;
  double p99_ms() const;
};

// Runs `clients` threads; each calls make_one(t) once for a callable `one`,
// then takes the next item k in [0, n) and calls one(k) -> bool (true: done)
// until none is left, so that the run ends when the work does, whatever the
// share of each client. Returns the wall time in seconds. A client that
// throws stops all of them and the exception is rethrown here.
template <typename MakeOne>
double run_clients(int64_t n, int clients, ClientsRun& p, MakeOne make_one) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      auto& mine = p.latencies[static_cast<size_t>(t)];
      mine.reserve(static_cast<size_t>(n / clients + 1));
      try {
        auto one = make_one(t);
        for (int64_t k; (k = p.next.fetch_add(1)) < n;) {
          const Clock::time_point t0 = Clock::now();
          if (one(k)) p.done.fetch_add(1, std::memory_order_relaxed);
          mine.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
        }
      } catch (...) {
        std::lock_guard lk(p.mu);
        if (!p.failure) p.failure = std::current_exception();
        p.next.store(n);
      }
    });
  }
  for (auto& t : threads) t.join();
  if (p.failure) std::rethrow_exception(p.failure);
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One item as its own durable unit of work: `fn(ctx)` returns a Result; an
// error result is counted (the unit rolls back), ok commits. A unit that
// throws ErrorKind::unavailable runs again up to kAttemptsMax times.
template <typename Fn>
bool write_unit(store::Database& db, const app::Actor& actor, const app::Clock& clock, ClientsRun& p, Fn fn) {
  for (int attempt = 1;; ++attempt) {
    try {
      auto uow = db.begin(store::TxMode::write);
      app::Context ctx{*uow, actor, clock};
      auto r = fn(ctx);
      if (!r.ok()) {
        p.error(r.error().code + ": " + r.error().message);
        return false;
      }
      uow->commit();
      return true;
    } catch (const ErrorException& e) {
      if (e.error.kind == ErrorKind::unavailable && attempt < kAttemptsMax) {
        p.retries.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      p.error(e.error.code + ": " + e.error.message);
      return false;
    }
  }
}

// SQLite: units committed per durable COMMIT between two readings of the
// writer's counters (group commit); 0 on other engines.
struct CommitCounter {
  explicit CommitCounter(store::Database& db);
  double units_per_commit() const;

 private:
  store::Database& db_;
  int64_t commits_ = -1, units_ = 0;
};

// Prints a run's errors and o2c verify's breaches under `what` ("sqlite 8
// client(s)"), or that verify passed; true when the run failed either way.
bool report_run(const std::string& what, int64_t errors, const std::string& first_error,
                const std::vector<std::string>& breaches);

// The table of a durable phase (bench billing's invoices, bench payments'
// payments): one row per engine and client count.
struct DurableRow {
  std::string engine, phase;
  int clients = 0;
  int64_t count = 0;
  double per_s = 0, p50_ms = 0, p99_ms = 0;
  int64_t errors = 0, retries = 0;
  double tx_per_commit = 0;  // 0: not measured (printed "-")
  double seed_seconds = 0;
  bool verified = false;
};
void print_durable_header(const char* threads_column);
void print_durable_row(const DurableRow& r);

// A database for one benchmark run, thrown away with this object (the
// database closes first, then its file or scratch database goes).
struct ScratchDb {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<store::PgScratchDatabase> pg;
  std::unique_ptr<store::Database> db;
};
using ScratchMaker = std::function<ScratchDb()>;

// Calls `runs(engine, make)` for "sqlite" (a temp file per made database)
// and, unless skip_pg, for "postgres" (a scratch database per made database,
// on pg_url or on a throwaway local cluster). False when that cluster cannot
// start (said on stderr); the SQLite runs have happened by then.
bool for_each_engine(const std::string& temp_prefix, bool skip_pg, const std::string& pg_url,
                     const std::function<void(const std::string& engine, const ScratchMaker& make)>& runs);

}  // namespace o2c::cli
