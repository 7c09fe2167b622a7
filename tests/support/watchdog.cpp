// A per-test time limit for the suites that talk to processes and databases.
// A hang (a lock never granted, a response never sent) would otherwise show
// only as CTest's whole-suite timeout, with no word of which test or why.
// Past the limit this prints the test's name, what each PostgreSQL session
// of the test cluster is waiting on, and the tail of every live server log,
// then aborts so that the suite fails at once.
//
// O2C_TEST_LIMIT_S overrides the limit (default 300 s, generous for a
// sanitizer build on two cores).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "watchdog.h"

namespace o2c::test {
namespace {

std::mutex g_mu;
std::set<std::string>& logs() {
  static std::set<std::string> s;
  return s;
}

void print_pg_activity() {
  const char* file = std::getenv("O2C_TEST_PG_URL_FILE");
  if (file == nullptr) return;
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) return;
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c,
                         "SELECT pid, datname, state, wait_event_type, wait_event, "
                         "now() - xact_start, left(query, 200) FROM pg_stat_activity "
                         "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      std::fprintf(stderr, "[watchdog] PostgreSQL sessions (%d):\n", PQntuples(r));
      for (int i = 0; i < PQntuples(r); ++i) {
        std::fprintf(stderr, "  ");
        for (int j = 0; j < PQnfields(r); ++j) std::fprintf(stderr, "%s | ", PQgetvalue(r, i, j));
        std::fprintf(stderr, "\n");
      }
    }
    PQclear(r);
  }
  PQfinish(c);
}

void print_server_logs() {
  std::lock_guard lk(g_mu);
  for (const auto& path : logs()) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.size() > 6000) text = "..." + text.substr(text.size() - 6000);
    std::fprintf(stderr, "[watchdog] server log %s:\n%s\n", path.c_str(), text.c_str());
  }
}

// The state lives for the whole process: GoogleTest deletes its listeners
// at exit, and destroying a condition variable the watcher thread still
// waits on would hang the exit itself.
struct WatchState {
  std::mutex mu;
  std::condition_variable cv;
  std::chrono::seconds limit{300};
  std::string name;
  std::chrono::steady_clock::time_point deadline{};
  bool running = false;
};

void watch(WatchState* st) {
  std::unique_lock lk(st->mu);
  for (;;) {
    if (!st->running) {
      st->cv.wait(lk);
      continue;
    }
    auto deadline = st->deadline;
    if (st->cv.wait_until(lk, deadline) == std::cv_status::timeout && st->running && st->deadline == deadline) {
      std::fprintf(stderr, "\n[watchdog] %s has run for more than %lld s: aborting\n", st->name.c_str(),
                   static_cast<long long>(st->limit.count()));
      lk.unlock();
      print_pg_activity();
      print_server_logs();
      std::fflush(stderr);
      std::abort();
    }
  }
}

WatchState* const g_state = new WatchState;

class Watchdog : public ::testing::EmptyTestEventListener {
 public:
  Watchdog() {
    const char* env = std::getenv("O2C_TEST_LIMIT_S");
    if (env != nullptr && std::atoi(env) > 0) g_state->limit = std::chrono::seconds(std::atoi(env));
    std::thread(watch, g_state).detach();
  }

  void OnTestStart(const ::testing::TestInfo& info) override {
    std::lock_guard lk(g_state->mu);
    g_state->name = std::string(info.test_suite_name()) + "." + info.name();
    g_state->deadline = std::chrono::steady_clock::now() + g_state->limit;
    g_state->running = true;
    g_state->cv.notify_all();
  }
  void OnTestEnd(const ::testing::TestInfo&) override {
    std::lock_guard lk(g_state->mu);
    g_state->running = false;
  }
};

// Registered before main(): gtest_main keeps listeners appended this early.
const bool registered = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new Watchdog);
  return true;
}();

}  // namespace

void watch_log(const std::string& path) {
  std::lock_guard lk(g_mu);
  logs().insert(path);
}
void unwatch_log(const std::string& path) {
  std::lock_guard lk(g_mu);
  logs().erase(path);
}

}  // namespace o2c::test
