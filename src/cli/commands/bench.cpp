#include "cli/commands/bench.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "cli/commands/bench_support.h"
#include "store/bench_store.h"
#include "store/db.h"

namespace o2c::cli {
namespace {

void print(const char* engine, const store::BenchResult& r) {
  std::printf("%-10s %3d thread(s) %10.0f tx/s   p50 %8.0f us   p99 %8.0f us   %lld tx in %.1f s, %lld retries",
              engine, r.threads, r.tx_per_s, r.p50_us, r.p99_us, static_cast<long long>(r.count), r.seconds,
              static_cast<long long>(r.retries));
  if (r.commits > 0) std::printf(", %.1f tx/COMMIT", r.tx_per_commit);
  std::printf("\n");
  std::fflush(stdout);
}

}  // namespace

int bench_store_command(int seconds, const std::vector<int>& threads, const std::string& pg_url,
                        bool group_commit) {
  std::printf("o2c bench store: durable write transactions (order header + 3 lines + counter update),\n"
              "each answered only once durable (SQLite synchronous=FULL, group commit %s;\n"
              "PostgreSQL synchronous_commit=on)\n",
              group_commit ? "on" : "off");
  store::DatabaseOptions opts;
  opts.group_commit = group_commit;
  for (int t : threads) {
    TempDir dir("o2c-bench-sqlite");
    if (dir.path().empty()) return 1;
    auto db = store::open_database(dir.path() + "/bench.db", opts);
    print("sqlite", store::bench_store(*db, seconds, t));
  }
  std::string url = pg_url;
  std::optional<ThrowawayPostgres> cluster;
  if (url.empty()) {
    cluster.emplace();
    if (!cluster->error().empty()) {
      std::fprintf(stderr, "postgres: skipped: %s\n", cluster->error().c_str());
      return 1;
    }
    url = cluster->url();
  }
  auto db = store::open_database(url, opts);
  for (int t : threads) print("postgres", store::bench_store(*db, seconds, t));
  return 0;
}

}  // namespace o2c::cli
