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

class Watchdog : public ::testing::EmptyTestEventListener {
 public:
  Watchdog() {
    const char* env = std::getenv("O2C_TEST_LIMIT_S");
    if (env != nullptr && std::atoi(env) > 0) limit_ = std::chrono::seconds(std::atoi(env));
    thread_ = std::thread([this] { watch(); });
  }
  // gtest deletes its listeners at exit; destroying cv_ while the thread
  // still waits on it blocks forever in glibc, so the thread ends first.
  ~Watchdog() override {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  void OnTestStart(const ::testing::TestInfo& info) override {
    std::lock_guard lk(mu_);
    name_ = std::string(info.test_suite_name()) + "." + info.name();
    deadline_ = std::chrono::steady_clock::now() + limit_;
    running_ = true;
    cv_.notify_all();
  }
  void OnTestEnd(const ::testing::TestInfo&) override {
    std::lock_guard lk(mu_);
    running_ = false;
  }

 private:
  void watch() {
    std::unique_lock lk(mu_);
    while (!stop_) {
      if (!running_) {
        cv_.wait(lk);
        continue;
      }
      auto deadline = deadline_;
      if (cv_.wait_until(lk, deadline) == std::cv_status::timeout && !stop_ && running_ && deadline_ == deadline) {
        std::fprintf(stderr, "\n[watchdog] %s has run for more than %lld s: aborting\n", name_.c_str(),
                     static_cast<long long>(limit_.count()));
        lk.unlock();
        print_pg_activity();
        print_server_logs();
        std::fflush(stderr);
        std::abort();
      }
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::chrono::seconds limit_{300};
  std::string name_;
  std::chrono::steady_clock::time_point deadline_{};
  bool running_ = false;
  bool stop_ = false;
  std::thread thread_;
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
