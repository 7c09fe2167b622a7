#pragma once
// Runs a real `o2c serve` process for end-to-end tests: a fresh database
// (SQLite file, or a fresh PostgreSQL database when O2C_TEST_DB=postgres), a
// free port, an admin token; the process is stopped and the database
// removed when the object goes away.
#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace o2c::e2e {

using json = nlohmann::json;

struct Response {
  int status = 0;
  json body;        // parsed when JSON, null otherwise
  std::string raw;
  std::string header(const std::string& name) const;
  httplib::Headers headers;
};

class ServerProcess {
 public:
  // extra_args are appended to `o2c serve` (e.g. "--today", "2026-01-15");
  // env is added to (or overrides) the inherited environment of the server
  // process only (e.g. O2C_STRIPE_WEBHOOK_SECRET), never of this test process.
  explicit ServerProcess(std::vector<std::string> extra_args = {},
                         std::vector<std::pair<std::string, std::string>> env = {});
  // A second `o2c serve` process on `first`'s database (which `first` owns
  // and removes), with the same admin token: several nodes, one database.
  ServerProcess(const ServerProcess& first, std::vector<std::string> extra_args);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  const std::string& db_target() const;
  const std::string& admin_token() const { return admin_token_; }

  // Runs `o2c ARGS... --db <this database>`; returns exit code, stdout in *out.
  int cli(const std::vector<std::string>& args, std::string* out = nullptr) const;
  // `o2c user add NAME --role ROLE [--customer ID]`: the token it prints.
  std::string add_user(const std::string& name, const std::string& role, const std::string& customer = "") const;

  Response request(const std::string& method, const std::string& path, const std::string& token,
                   const json& body = nullptr, const httplib::Headers& extra = {}) const;
  Response get(const std::string& path, const std::string& token) const { return request("GET", path, token); }
  Response post(const std::string& path, const std::string& token, const json& body,
                const httplib::Headers& extra = {}) const {
    return request("POST", path, token, body, extra);
  }
  // A raw body of another type than JSON (a statement file).
  Response upload(const std::string& path, const std::string& token, const std::string& content,
                  const std::string& content_type) const;
  Response put(const std::string& path, const std::string& token, const json& body) const {
    return request("PUT", path, token, body);
  }

 private:
  void start(std::vector<std::string> extra_args, const std::vector<std::pair<std::string, std::string>>& env = {});
  struct Db;
  std::unique_ptr<Db> db_;
  std::string shared_target_;  // set when the database belongs to another process object
  pid_t pid_ = -1;
  int port_ = 0;
  std::string admin_token_;
  std::string log_path_;
};

// The o2c binary under test (env O2C_BIN, set by CTest).
std::string o2c_binary();

}  // namespace o2c::e2e
