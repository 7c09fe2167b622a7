#include "cli/commands/bench_support.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "store/bench_store.h"
#include "store/sqlite/sqlite_db.h"

namespace o2c::cli {
namespace {

namespace fs = std::filesystem;

// The newest installed server version's bin folder, or "" when none is.
std::string find_bin() {
  std::string best;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path p = e.path() / "bin" / "initdb";
    if (fs::exists(p) && e.path().string() > best) best = e.path().string();
  }
  return best.empty() ? "" : best + "/bin";
}

}  // namespace

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
  if (mkdtemp(tmpl.data())) path_ = tmpl;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

ThrowawayPostgres::ThrowawayPostgres() {
  std::string bin = find_bin();
  if (bin.empty()) {
    error_ = "PostgreSQL server binaries not found (apt-get install postgresql), or pass --pg URL";
    return;
  }
  char tmpl[] = "/tmp/o2c-bench-pg-XXXXXX";
  if (!mkdtemp(tmpl)) {
    error_ = "mkdtemp failed";
    return;
  }
  // Not a TempDir: the folder must outlive pg_ctl stop, which the destructor runs first.
  dir_ = tmpl;
  std::string as = "";
  if (geteuid() == 0) {
    struct passwd* pw = getpwnam("postgres");
    if (!pw) {
      error_ = "running as root needs the 'postgres' user to start PostgreSQL";
      return;
    }
    if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      error_ = "chown of the temp folder failed";
      return;
    }
    as = "runuser -u postgres -- ";
  }
  std::string init = as + bin + "/initdb -D " + dir_ + "/data -U o2c --auth=trust -E UTF8 --locale=C >" +
                     dir_ + "/initdb.log 2>&1";
  if (std::system(init.c_str()) != 0) {
    error_ = "initdb failed, see " + dir_ + "/initdb.log";
    return;
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    int port = 20000 + static_cast<int>((getpid() * 7919 + attempt * 104729) % 30000);
    std::string start = as + bin + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/server.log -w -t 60 -o \"" +
                        "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(port) +
                        " -c unix_socket_directories='" + dir_ + "'\" start >/dev/null 2>&1";
    if (std::system(start.c_str()) == 0) {
      url_ = "postgresql://o2c@127.0.0.1:" + std::to_string(port) + "/postgres";
      stop_cmd_ = as + bin + "/pg_ctl -D " + dir_ + "/data -m fast -w stop >/dev/null 2>&1";
      return;
    }
  }
  error_ = "pg_ctl start failed, see " + dir_ + "/server.log";
}

ThrowawayPostgres::~ThrowawayPostgres() {
  if (!stop_cmd_.empty()) (void)std::system(stop_cmd_.c_str());
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string cents_text(int64_t cents) {
  char b[32];
  std::snprintf(b, sizeof b, "%lld.%02lld", static_cast<long long>(cents / 100), static_cast<long long>(cents % 100));
  return b;
}

std::vector<int64_t> ClientsRun::sorted_latencies() const {
  std::vector<int64_t> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  return all;
}

double ClientsRun::p50_ms() const { return store::percentile_us(sorted_latencies(), 0.50) / 1000.0; }

double ClientsRun::p99_ms() const { return store::percentile_us(sorted_latencies(), 0.99) / 1000.0; }

CommitCounter::CommitCounter(store::Database& db) : db_(db) {
  if (const auto s = store::sqlite_writer_stats(db_)) {
    commits_ = s->commits;
    units_ = s->units_committed;
  }
}

double CommitCounter::units_per_commit() const {
  if (commits_ < 0) return 0;
  const auto s = store::sqlite_writer_stats(db_);
  if (!s || s->commits <= commits_) return 0;
  return static_cast<double>(s->units_committed - units_) / static_cast<double>(s->commits - commits_);
}

bool report_run(const std::string& what, int64_t errors, const std::string& first_error,
                const std::vector<std::string>& breaches) {
  if (errors > 0) {
    std::printf("%s: %lld error(s), the first: %s\n", what.c_str(), static_cast<long long>(errors), first_error.c_str());
  }
  if (breaches.empty()) {
    std::printf("%s: verify: ok\n", what.c_str());
    return errors > 0;
  }
  std::printf("%s: verify: %zu breach(es)\n", what.c_str(), breaches.size());
  for (const auto& b : breaches) std::printf("  BREACH: %s\n", b.c_str());
  return true;
}

void print_durable_header(const char* threads_column) {
  std::printf("%-9s %-8s %7s %8s %9s %8s %8s %7s %7s %8s %7s  %s\n", "engine", "phase", threads_column, "count",
              "per s", "p50 ms", "p99 ms", "errors", "retries", "tx/COMM", "seed s", "check");
  std::fflush(stdout);
}

void print_durable_row(const DurableRow& r) {
  char commit[16] = "-";
  if (r.tx_per_commit > 0) std::snprintf(commit, sizeof commit, "%.1f", r.tx_per_commit);
  std::printf("%-9s %-8s %7d %8lld %9.0f %8.2f %8.2f %7lld %7lld %8s %7.1f  %s\n", r.engine.c_str(), r.phase.c_str(),
              r.clients, static_cast<long long>(r.count), r.per_s, r.p50_ms, r.p99_ms,
              static_cast<long long>(r.errors), static_cast<long long>(r.retries), commit, r.seed_seconds,
              r.verified ? "verify ok" : "BREACH");
  std::fflush(stdout);
}

bool for_each_engine(const std::string& temp_prefix, bool skip_pg, const std::string& pg_url,
                     const std::function<void(const std::string& engine, const ScratchMaker& make)>& runs) {
  runs("sqlite", [&] {
    ScratchDb s;
    s.dir = std::make_unique<TempDir>(temp_prefix);
    if (s.dir->path().empty()) throw ErrorException(Error::internal("bench: cannot make a temp folder"));
    s.db = store::open_database(s.dir->path() + "/bench.db");
    return s;
  });
  if (skip_pg) return true;
  std::string cluster_url = pg_url;
  std::optional<ThrowawayPostgres> cluster;
  if (cluster_url.empty()) {
    cluster.emplace();
    if (!cluster->error().empty()) {
      std::fprintf(stderr, "postgres: skipped: %s\n", cluster->error().c_str());
      return false;
    }
    cluster_url = cluster->url();
  }
  runs("postgres", [&] {
    ScratchDb s;
    s.pg = std::make_unique<store::PgScratchDatabase>(cluster_url, "o2c_bench");
    s.db = store::open_database(s.pg->url());
    return s;
  });
  return true;
}

}  // namespace o2c::cli
