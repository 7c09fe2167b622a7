#pragma once
// The API's routing table. Every route declares who may call it; the router
// authenticates (a bearer token, or a web session's cookie plus its CSRF
// token on anything but GET/HEAD), checks the role, reads the body, runs the handler in a unit
// of work (storing the response of an Idempotency-Key with it), maps errors
// to status codes, counts and logs. Handlers hold no business rule: they
// translate JSON to use-case input and results back to JSON.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "app/context.h"
#include "app/sessions.h"
#include "http/json_io.h"
#include "http/metrics.h"
#include "store/db.h"

namespace o2c::http {

using app::Role;

constexpr size_t kBodyMaxBytes = 1 << 20;  // 1 MiB: a JSON request
// A file upload (a bank statement of a busy month); routes opt in.
constexpr size_t kUploadMaxBytes = 64 << 20;
constexpr int kPageDefault = 50;
constexpr int kPageMax = 200;
constexpr size_t kIdempotencyKeyMax = 255;
constexpr int kWriteAttemptsMax = 5;  // retries of a unit of work that met a busy or deadlocked store

struct Reply {
  int status = 200;
  json body;
  // A non-JSON reply (text/plain, application/pdf ...) sets both of these.
  std::string content_type;
  std::string raw;
  // Headers of this reply, replacing any default of the same name
  // (Set-Cookie, Cache-Control, the pages' security headers).
  std::vector<std::pair<std::string, std::string>> headers;

  static Reply ok(json b) { return Reply{200, std::move(b), {}, {}, {}}; }
  static Reply created(json b) { return Reply{201, std::move(b), {}, {}, {}}; }
};

struct Page {
  int limit = kPageDefault;
  std::optional<std::string> after;  // decoded cursor
};

class Request {
 public:
  Request(const httplib::Request& raw, store::Database& db, const app::Clock& clock)
      : raw_(raw), db_(db), clock_(clock) {}

  const httplib::Request& raw() const { return raw_; }
  const app::Actor& actor() const { return *actor_; }
  bool authenticated() const { return actor_.has_value(); }
  // The web session the caller signed in with; nullopt for a bearer token
  // (which wins when a request carries both) and for public routes.
  const std::optional<app::SessionAuth>& session() const { return session_; }
  const json& body() const { return body_; }
  const app::Clock& clock() const { return clock_; }
  store::Database& db() { return db_; }
  // For a route without a bearer token that authenticated its caller itself
  // (a provider's signature): who write() acts as, in the audit trail too.
  void act_as(app::Actor actor) { actor_ = std::move(actor); }

  // The n-th {placeholder} of the route's path.
  std::string param(size_t n) const;
  std::optional<std::string> query(const std::string& name) const;
  Result<Page> page() const;

  // Runs fn in a write unit of work; commits when it succeeds. With an
  // Idempotency-Key the first response is stored in the same commit and
  // replayed for every repeat of the same request.
  Result<Reply> write(const std::function<Result<Reply>(app::Context&)>& fn);
  // Runs fn on a consistent read snapshot.
  Result<Reply> read(const std::function<Result<Reply>(store::UnitOfWork&)>& fn);

 private:
  friend class Router;
  const httplib::Request& raw_;
  store::Database& db_;
  const app::Clock& clock_;
  std::optional<app::Actor> actor_;
  std::optional<app::SessionAuth> session_;
  json body_;
  std::optional<std::string> idempotency_key_;
  std::string request_hash_;
  bool replayed_ = false;
};

struct Param {
  std::string name;
  std::string description;
  bool required = false;
};

struct Route {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // "/api/v1/customers/{id}"
  std::vector<Role> roles;  // who may call; empty with auth=false means public
  bool auth = true;
  bool json_body = false;   // the body must be a JSON object
  std::string summary;
  std::vector<Param> query;
  json request_schema;   // OpenAPI schema of the body, or null
  json response_schema;  // OpenAPI schema of the success body, or null
  int success_status = 200;
  std::function<Result<Reply>(Request&)> handler;
  // Merged into the route's OpenAPI operation: what the fields above cannot
  // say (a required header, a raw body, more error statuses).
  json openapi_extra = nullptr;
  // Longest body this route takes; more is refused before the handler runs.
  size_t max_body = kBodyMaxBytes;
  // The path's last {placeholder} takes the rest of the path, '/' and '.'
  // included (a file below a folder: "/assets/{path}").
  bool rest_of_path = false;
};

std::vector<Role> staff_roles();

class Router {
 public:
  Router(store::Database& db, const app::Clock& clock, Metrics& metrics)
      : db_(db), clock_(clock), metrics_(metrics) {}

  void add(Route r);
  const std::vector<Route>& routes() const { return routes_; }
  // Registers every route on the server, plus JSON error pages for unknown paths.
  void mount(httplib::Server& server);
  // Whether each request is logged to stderr (default on); metrics count it either way.
  void set_request_log(bool on) { log_requests_ = on; }

 private:
  void handle(const Route& route, const httplib::Request& req, httplib::Response& res);
  store::Database& db_;
  const app::Clock& clock_;
  Metrics& metrics_;
  std::vector<Route> routes_;
  bool log_requests_ = true;
};

// Writes one structured log line per request to stderr.
void log_request(const httplib::Request& req, const std::string& route, int status, double seconds,
                 const std::string& user);

}  // namespace o2c::http
