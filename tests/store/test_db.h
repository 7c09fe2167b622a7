#pragma once
// A fresh, empty database per test, on the engine the environment chooses:
//   O2C_TEST_DB=sqlite (or unset)  a new file in the temp directory
//   O2C_TEST_DB=postgres           a new database `o2c_t_<random>` on the
//                                  cluster whose URL is in the file named by
//                                  O2C_TEST_PG_URL_FILE (scripts/pg-test-cluster.sh)
// The destructor deletes it. Header-only so that any test binary (store,
// end-to-end) can use it without linking the store tests.
//
//   auto tdb = o2c::test::make_test_database();
//   o2c::store::migrate(tdb->db());     // in-process use, or
//   run_server("--db", tdb->target());  // another process opens the same target
#include <libpq-fe.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "store/db.h"

namespace o2c::test {

inline store::Engine test_engine() {
  const char* env = std::getenv("O2C_TEST_DB");
  const std::string name = env != nullptr ? env : "";
  if (name.empty() || name == "sqlite") return store::Engine::sqlite;
  if (name == "postgres" || name == "postgresql") return store::Engine::postgres;
  throw std::runtime_error("O2C_TEST_DB must be sqlite or postgres, not '" + name + "'");
}

namespace detail {

inline std::string random_suffix() {
  std::random_device rd;
  const uint64_t v = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// The URL of the test cluster (its maintenance database).
inline std::string cluster_url() {
  const char* file = std::getenv("O2C_TEST_PG_URL_FILE");
  if (file == nullptr || *file == '\0') {
    throw std::runtime_error(
        "O2C_TEST_DB=postgres needs O2C_TEST_PG_URL_FILE (see scripts/pg-test-cluster.sh)");
  }
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url))
    throw std::runtime_error(std::string("cannot read a URL from ") + file);
  while (!url.empty() && (url.back() == '\r' || url.back() == ' ')) url.pop_back();
  return url;
}

// `url` with its database name replaced: postgresql://u@h:p/old?x -> .../name?x
inline std::string with_database(const std::string& url, const std::string& name) {
  const size_t scheme = url.find("://");
  const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const size_t query = url.find('?', path == std::string::npos ? 0 : path);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  if (path == std::string::npos) {
    return url.substr(0, query) + "/" + name + tail;
  }
  return url.substr(0, path) + "/" + name + tail;
}

struct PgFinish {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct PgClear {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};

// CREATE/DROP DATABASE cannot run inside a transaction, which is all the
// store offers, so these go through libpq directly.
inline void admin_exec(const std::string& url, const std::string& sql) {
  std::unique_ptr<PGconn, PgFinish> conn(PQconnectdb(url.c_str()));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to the test cluster: " +
                             std::string(conn ? PQerrorMessage(conn.get()) : "out of memory"));
  }
  std::unique_ptr<PGresult, PgClear> res(PQexec(conn.get(), sql.c_str()));
  if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error(sql + ": " + PQerrorMessage(conn.get()));
  }
}

}  // namespace detail

class TestDatabase {
 public:
  TestDatabase(store::Engine engine, std::string target, std::string admin_url, std::string pg_name)
      : engine_(engine),
        target_(std::move(target)),
        admin_url_(std::move(admin_url)),
        pg_name_(std::move(pg_name)) {}

  ~TestDatabase() {
    db_.reset();
    try {
      if (engine_ == store::Engine::postgres) {
        // FORCE: a server process under test may still hold connections.
        detail::admin_exec(admin_url_, "DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
      } else {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
          std::filesystem::remove(target_ + suffix, ec);
        }
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "test database %s not removed: %s\n", target_.c_str(), e.what());
    }
  }

  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  store::Engine engine() const { return engine_; }

  // What open_database() or `o2c --db` takes: a file path or a postgresql:// URL.
  const std::string& target() const { return target_; }

  // This process's handle, opened on first use (with `opts` then).
  store::Database& db(const store::DatabaseOptions& opts = {}) {
    if (!db_) db_ = store::open_database(target_, opts);
    return *db_;
  }

  // Closes db(), e.g. before another process takes over the database.
  void close() { db_.reset(); }

 private:
  store::Engine engine_;
  std::string target_;
  std::string admin_url_;
  std::string pg_name_;
  std::unique_ptr<store::Database> db_;
};

inline std::unique_ptr<TestDatabase> make_test_database() {
  const store::Engine engine = test_engine();
  if (engine == store::Engine::postgres) {
    const std::string admin = detail::cluster_url();
    const std::string name = "o2c_t_" + detail::random_suffix();
    detail::admin_exec(admin, "CREATE DATABASE " + name);
    return std::make_unique<TestDatabase>(engine, detail::with_database(admin, name), admin, name);
  }
  const auto path =
      std::filesystem::temp_directory_path() / ("o2c_t_" + detail::random_suffix() + ".db");
  return std::make_unique<TestDatabase>(engine, path.string(), "", "");
}

}  // namespace o2c::test
