#include "server_process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "../store/test_db.h"
#include "../support/watchdog.h"

namespace o2c::e2e {

struct ServerProcess::Db {
  std::unique_ptr<test::TestDatabase> tdb;
};

std::string o2c_binary() {
  const char* bin = std::getenv("O2C_BIN");
  if (!bin || !*bin) throw std::runtime_error("O2C_BIN is not set (run the tests through ctest)");
  return bin;
}

std::string Response::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

namespace {

// Reads what fd has until EOF or the deadline; false on the deadline.
bool read_until(int fd, std::string& into, std::chrono::steady_clock::time_point deadline,
                const std::function<bool(const std::string&)>& enough = nullptr) {
  std::array<char, 4096> buf{};
  for (;;) {
    if (enough && enough(into)) return true;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) return true;
    if (ready <= 0) continue;
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n <= 0) return true;
    into.append(buf.data(), static_cast<size_t>(n));
  }
}

// Runs argv, capturing stdout; returns the exit code. A command that has not
// finished after two minutes is killed and reported, never waited on forever.
int run(const std::vector<std::string>& argv, std::string* out) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], STDOUT_FILENO);
    close(pipefd[0]);
    close(pipefd[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipefd[1]);
  std::string captured;
  const bool finished = read_until(pipefd[0], captured, std::chrono::steady_clock::now() + std::chrono::minutes(2));
  close(pipefd[0]);
  int status = 0;
  if (!finished) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    throw std::runtime_error("command did not finish in 2 minutes: " + cmd + "\nstdout so far: " + captured);
  }
  waitpid(pid, &status, 0);
  if (out) *out = captured;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> extra_args, std::vector<std::pair<std::string, std::string>> env)
    : db_(std::make_unique<Db>()) {
  db_->tdb = test::make_test_database();
  // The first admin is made with the CLI, as an operator would.
  admin_token_ = add_user("admin", "admin");
  start(std::move(extra_args), env);
}

ServerProcess::ServerProcess(const ServerProcess& first, std::vector<std::string> extra_args)
    : db_(std::make_unique<Db>()), shared_target_(first.db_target()), admin_token_(first.admin_token()) {
  start(std::move(extra_args));
}

void ServerProcess::start(std::vector<std::string> extra_args,
                          const std::vector<std::pair<std::string, std::string>>& env) {
  log_path_ = (std::filesystem::temp_directory_path() / ("o2c_e2e_" + std::to_string(getpid()) + "_" +
                                                         std::to_string(reinterpret_cast<uintptr_t>(this)) + ".log"))
                  .string();
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> argv = {o2c_binary(), "serve", "--db", db_target(), "--port", "0", "--threads", "16"};
  for (auto& a : extra_args) argv.push_back(a);
  // Built before fork: the child only calls async-signal-safe functions.
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    bool overridden = false;
    for (const auto& [k, v] : env) overridden = overridden || entry.substr(0, k.size() + 1) == k + "=";
    if (!overridden) envs.emplace_back(entry);
  }
  for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipefd[1], STDOUT_FILENO);
    int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) dup2(log, STDERR_FILENO);
    close(pipefd[0]);
    close(pipefd[1]);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(pipefd[1]);
  // The server prints "o2c serving ... on http://127.0.0.1:PORT" once it listens.
  std::string seen;
  read_until(pipefd[0], seen, std::chrono::steady_clock::now() + std::chrono::seconds(60),
             [this](const std::string& text) {
               auto pos = text.find("http://127.0.0.1:");
               if (pos == std::string::npos) return false;
               auto end = text.find_first_not_of("0123456789", pos + 17);
               if (end == std::string::npos) return false;
               port_ = std::stoi(text.substr(pos + 17, end - pos - 17));
               return true;
             });
  // Keep draining stdout so that the server never blocks on a full pipe.
  std::thread([fd = pipefd[0]] {
    std::array<char, 1024> b{};
    while (read(fd, b.data(), b.size()) > 0) {
    }
    close(fd);
  }).detach();
  if (port_ == 0) {
    std::ifstream log(log_path_);
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    int status = 0;
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    throw std::runtime_error("o2c serve did not start; stdout: " + seen + "\nstderr: " + text);
  }
  test::watch_log(log_path_);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  test::unwatch_log(log_path_);
  std::error_code ec;
  std::filesystem::remove(log_path_, ec);
}

const std::string& ServerProcess::db_target() const {
  return shared_target_.empty() ? db_->tdb->target() : shared_target_;
}

int ServerProcess::cli(const std::vector<std::string>& args, std::string* out) const {
  std::vector<std::string> argv = {o2c_binary()};
  for (const auto& a : args) argv.push_back(a);
  argv.push_back("--db");
  argv.push_back(db_target());
  return run(argv, out);
}

std::string ServerProcess::add_user(const std::string& name, const std::string& role,
                                    const std::string& customer) const {
  std::vector<std::string> args = {"user", "add", name, "--role", role};
  if (!customer.empty()) {
    args.push_back("--customer");
    args.push_back(customer);
  }
  std::string out;
  int rc = cli(args, &out);
  if (rc != 0) throw std::runtime_error("o2c user add " + name + " failed with exit code " + std::to_string(rc));
  return trim(out);
}

Response ServerProcess::request(const std::string& method, const std::string& path, const std::string& token,
                                const json& body, const httplib::Headers& extra) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(10, 0);
  client.set_read_timeout(30, 0);
  client.set_write_timeout(10, 0);
  httplib::Headers headers = extra;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  // A Content-Type among the extra headers replaces JSON's (a raw upload).
  std::string content_type = "application/json";
  if (auto ct = headers.find("Content-Type"); ct != headers.end()) {
    content_type = ct->second;
    headers.erase(ct);
  }
  httplib::Result res(nullptr, httplib::Error::Unknown);
  std::string payload = body.is_null() ? "" : (body.is_string() ? body.get<std::string>() : body.dump());
  if (method == "GET") {
    res = client.Get(path, headers);
  } else if (method == "POST") {
    res = client.Post(path, headers, payload, content_type.c_str());
  } else if (method == "PUT") {
    res = client.Put(path, headers, payload, "application/json");
  } else if (method == "PATCH") {
    res = client.Patch(path, headers, payload, "application/json");
  } else if (method == "DELETE") {
    res = client.Delete(path, headers, payload, "application/json");
  }
  if (!res) throw std::runtime_error(method + " " + path + ": no response (" + httplib::to_string(res.error()) + ")");
  Response r;
  r.status = res->status;
  r.raw = res->body;
  r.headers = res->headers;
  r.body = json::parse(res->body, nullptr, false);
  if (r.body.is_discarded()) r.body = nullptr;
  return r;
}

Response ServerProcess::upload(const std::string& path, const std::string& token, const std::string& content,
                              const std::string& content_type) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(10, 0);
  client.set_read_timeout(60, 0);
  client.set_write_timeout(30, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto res = client.Post(path, headers, content, content_type);
  if (!res) throw std::runtime_error("POST " + path + ": no response (" + httplib::to_string(res.error()) + ")");
  Response r;
  r.status = res->status;
  r.raw = res->body;
  r.headers = res->headers;
  r.body = json::parse(res->body, nullptr, false);
  if (r.body.is_discarded()) r.body = nullptr;
  return r;
}

}  // namespace o2c::e2e
