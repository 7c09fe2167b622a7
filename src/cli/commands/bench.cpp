#include "cli/commands/bench.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "store/bench_store.h"
#include "store/db.h"

namespace o2c::cli {
namespace {

namespace fs = std::filesystem;

// A PostgreSQL cluster made for one run: initdb into a temp folder, pg_ctl
// start on a free loopback port, stop and delete in the destructor. As root
// the server runs as the `postgres` user, since PostgreSQL refuses root.
class ThrowawayPostgres {
 public:
  ThrowawayPostgres() {
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
  ~ThrowawayPostgres() {
    if (!stop_cmd_.empty()) (void)std::system(stop_cmd_.c_str());
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }
  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }

 private:
  static std::string find_bin() {
    std::string best;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
      fs::path p = e.path() / "bin" / "initdb";
      if (fs::exists(p) && e.path().string() > best) best = e.path().string();
    }
    return best.empty() ? "" : best + "/bin";
  }
  std::string dir_, url_, error_, stop_cmd_;
};

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
    char tmpl[] = "/tmp/o2c-bench-sqlite-XXXXXX";
    if (!mkdtemp(tmpl)) return 1;
    std::string dir = tmpl;
    {
      auto db = store::open_database(dir + "/bench.db", opts);
      print("sqlite", store::bench_store(*db, seconds, t));
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
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
