#include "http/router.h"

#include <chrono>
#include <cstdio>
#include <regex>
#include <thread>

#include "app/sessions.h"
#include "app/users.h"
#include "http/web.h"
#include "security/crypto.h"
#include "store/repos.h"

namespace o2c::http {
namespace {

// What the logger needs about the request this thread is serving; httplib
// runs pre-routing, the handler and the logger on one thread per request.
struct RequestInfo {
  std::chrono::steady_clock::time_point start;
  std::string route = "unmatched";
  std::string user;
};
thread_local RequestInfo t_info;

void send(httplib::Response& res, const Reply& r) {
  res.status = r.status;
  for (const auto& [name, value] : r.headers) {
    res.headers.erase(name);
    res.set_header(name.c_str(), value);
  }
  if (!r.content_type.empty()) {
    res.set_content(r.raw, r.content_type.c_str());
  } else if (r.status == 204) {
    res.body.clear();
  } else {
    res.set_content(dump_json(r.body), "application/json");
  }
}

void send_error(httplib::Response& res, const Error& e) {
  res.status = status_of(e.kind);
  res.set_content(dump_json(error_body(e)), "application/json");
  if (e.kind == ErrorKind::unauthorized) res.set_header("WWW-Authenticate", "Bearer");
}

std::string path_regex(const std::string& path, bool rest_of_path) {
  // "{name}" matches one path segment (up to '/' or '.': "/invoices/{id}.pdf").
  static const std::regex placeholder(R"(\{[a-z_]+\})");
  static const std::regex last_placeholder(R"(\{[a-z_]+\}$)");
  std::string escaped;
  for (char c : path) {
    if (c == '.') {
      escaped += "\\.";
    } else {
      escaped.push_back(c);
    }
  }
  // The rest of the path: no empty segment, none that is "." or ".." (the
  // files are looked up by exact name, but such a path is never a file's).
  if (rest_of_path) escaped = std::regex_replace(escaped, last_placeholder, "((?:[^/.][^/]*/)*[^/.][^/]*)");
  return std::regex_replace(escaped, placeholder, "([^/.]+)");
}

bool has_role(const std::vector<Role>& roles, Role r) {
  for (Role x : roles) {
    if (x == r) return true;
  }
  return false;
}

}  // namespace

std::vector<Role> staff_roles() {
  return {Role::admin, Role::sales, Role::credit, Role::warehouse, Role::accountant, Role::viewer};
}

std::string Request::param(size_t n) const {
  return n + 1 < raw_.matches.size() ? std::string(raw_.matches[n + 1]) : std::string();
}

std::optional<std::string> Request::query(const std::string& name) const {
  if (!raw_.has_param(name.c_str())) return std::nullopt;
  return raw_.get_param_value(name.c_str());
}

Result<Page> Request::page() const {
  Page p;
  if (auto l = query("limit")) {
    int v = 0;
    try {
      size_t used = 0;
      v = std::stoi(*l, &used);
      if (used != l->size()) v = 0;
    } catch (...) {
      v = 0;
    }
    if (v < 1 || v > kPageMax) {
      return Error::malformed("invalid_limit", "limit is an integer from 1 to " + std::to_string(kPageMax),
                              "limit");
    }
    p.limit = v;
  }
  if (auto c = query("cursor"); c && !c->empty()) {
    p.after = decode_cursor(*c);
    if (!p.after) return Error::malformed("invalid_cursor", "the cursor is not one this server issued", "cursor");
  }
  return p;
}

Result<Reply> Request::write(const std::function<Result<Reply>(app::Context&)>& fn) {
  for (int attempt = 1;; ++attempt) {
    try {
      auto uow = db_.begin(store::TxMode::write);
      if (idempotency_key_) {
        if (auto stored = store::idempotency::find(*uow, actor_->id, *idempotency_key_)) {
          if (stored->request_hash != request_hash_) {
            return Error::invalid("idempotency_key_reused",
                                  "this Idempotency-Key was used with a different request");
          }
          replayed_ = true;
          Reply r;
          r.status = stored->status;
          r.body = json::parse(stored->body, nullptr, false);
          // The stored response may belong to a unit of this very group-commit
          // batch: committing (with no writes of our own) waits until it is durable.
          uow->commit();
          return r;
        }
      }
      app::Context ctx{*uow, *actor_, clock_};
      auto result = fn(ctx);
      if (!result.ok()) return result;  // the unit of work rolls back
      if (idempotency_key_) {
        store::idempotency::save(*uow, actor_->id, *idempotency_key_,
                                 {raw_.method, raw_.path, request_hash_, result->status, dump_json(result->body)},
                                 clock_.now_rfc3339());
      }
      uow->commit();
      return result;
    } catch (const ErrorException& e) {
      // Busy/deadlock: the whole unit of work is retried. A duplicate key here
      // means a concurrent twin stored its response first: retrying replays it.
      bool retry = e.error.kind == ErrorKind::unavailable ||
                   (e.error.code == "duplicate" && idempotency_key_.has_value());
      if (!retry || attempt >= kWriteAttemptsMax) return e.error;
      std::this_thread::sleep_for(std::chrono::milliseconds(2 << attempt));
    }
  }
}

Result<Reply> Request::read(const std::function<Result<Reply>(store::UnitOfWork&)>& fn) {
  for (int attempt = 1;; ++attempt) {
    try {
      auto uow = db_.begin(store::TxMode::read);
      return fn(*uow);
    } catch (const ErrorException& e) {
      if (e.error.kind != ErrorKind::unavailable || attempt >= kWriteAttemptsMax) return e.error;
      std::this_thread::sleep_for(std::chrono::milliseconds(2 << attempt));
    }
  }
}

void Router::add(Route r) { routes_.push_back(std::move(r)); }

void Router::handle(const Route& route, const httplib::Request& req, httplib::Response& res) {
  t_info.route = route.path;
  Request request(req, db_, clock_);
  auto fail = [&](const Error& e) { send_error(res, e); };

  if (route.auth) {
    // A bearer token wins over a session cookie: an API client that happens
    // to hold a console cookie acts as its token says.
    const bool bearer = req.has_header("Authorization");
    const auto cookie = bearer ? std::nullopt : web::cookie_value(req.get_header_value("Cookie"), web::kSessionCookie);
    if (bearer) {
      std::string header = req.get_header_value("Authorization");
      constexpr std::string_view kBearer = "Bearer ";
      if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
        return fail(Error{ErrorKind::unauthorized, "unauthorized",
                          "send 'Authorization: Bearer <token>'", ""});
      }
      std::string token = header.substr(kBearer.size());
      auto actor = request.read([&](store::UnitOfWork& uow) -> Result<Reply> {
        auto a = app::authenticate(uow, token);
        if (!a.ok()) return a.take_error();
        request.actor_ = *a;
        return Reply{};
      });
      if (!actor.ok()) return fail(actor.error());
    } else if (cookie) {
      auto session = request.read([&](store::UnitOfWork& uow) -> Result<Reply> {
        auto s = app::authenticate_session(uow, *cookie, clock_.now_rfc3339());
        if (!s.ok()) return s.take_error();
        request.actor_ = s->actor;
        request.session_ = std::move(s).value();
        return Reply{};
      });
      if (!session.ok()) return fail(session.error());
      // The cookie goes with every request the browser makes to us, also
      // one another site's page starts; only our pages know the token.
      if (web::needs_csrf(req.method) &&
          !security::constant_time_equal(req.get_header_value(std::string(web::kCsrfHeader).c_str()),
                                         request.session_->csrf_token)) {
        return fail(Error{ErrorKind::forbidden, "csrf_failed",
                          "a signed-in browser request that may change something must carry the session's "
                          "X-CSRF-Token header",
                          ""});
      }
    } else {
      return fail(Error{ErrorKind::unauthorized, "unauthorized",
                        "send 'Authorization: Bearer <token>', or sign in (POST /api/v1/session)", ""});
    }
    t_info.user = request.actor_->name;
    if (!has_role(route.roles, request.actor_->role)) {
      return fail(Error{ErrorKind::forbidden, "forbidden",
                        "role '" + std::string(app::to_string(request.actor_->role)) +
                            "' may not " + route.method + " " + route.path,
                        ""});
    }
  }

  if (req.body.size() > route.max_body) {
    return fail(Error::malformed("body_too_large", "the request body is larger than " +
                                                       std::to_string(route.max_body) + " bytes"));
  }
  if (route.json_body) {
    auto body = parse_object(req.body);
    if (!body.ok()) return fail(body.error());
    request.body_ = std::move(body).value();
  }

  std::string key = req.get_header_value("Idempotency-Key");
  if (!key.empty() && request.actor_ && route.method != "GET") {
    if (key.size() > kIdempotencyKeyMax) {
      return fail(Error::malformed("invalid_idempotency_key",
                                   "an Idempotency-Key has at most " + std::to_string(kIdempotencyKeyMax) +
                                       " characters"));
    }
    request.idempotency_key_ = key;
    request.request_hash_ = security::sha256_hex(req.method + " " + req.path + "\n" + req.body);
  }

  Result<Reply> result = Error::internal("no reply");
  try {
    result = route.handler(request);
  } catch (const ErrorException& e) {
    result = e.error;
  }
  if (!result.ok()) return fail(result.error());
  send(res, *result);
  if (request.replayed_) res.set_header("Idempotent-Replayed", "true");
}

void Router::mount(httplib::Server& server) {
  for (const auto& route : routes_) {
    std::string pattern = path_regex(route.path, route.rest_of_path);
    auto handler = [this, &route](const httplib::Request& req, httplib::Response& res) {
      handle(route, req, res);
    };
    if (route.method == "GET") {
      server.Get(pattern, handler);
    } else if (route.method == "POST") {
      server.Post(pattern, handler);
    } else if (route.method == "PUT") {
      server.Put(pattern, handler);
    } else if (route.method == "PATCH") {
      server.Patch(pattern, handler);
    } else if (route.method == "DELETE") {
      server.Delete(pattern, handler);
    }
  }
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_info = RequestInfo{std::chrono::steady_clock::now(), "unmatched", ""};
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // httplib calls this for every status >= 400; only responses that no
  // handler wrote (unknown path, body too large) get a JSON error here.
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    Error e;
    switch (res.status) {
      case 404: e = Error::not_found("not_found", "no route for " + req.method + " " + req.path); break;
      // Only a body over the server's read limit gets here (a route's own,
      // smaller limit is checked in dispatch): that is the largest upload.
      case 413:
        e = Error::malformed("payload_too_large",
                             "the request body is larger than " + std::to_string(kUploadMaxBytes >> 20) +
                                 " MiB, the most the server reads; a larger bank statement is imported with "
                                 "'o2c import statement FILE'");
        break;
      case 405: e = Error::malformed("method_not_allowed", req.method + " is not allowed here"); break;
      default: e = Error::malformed("bad_request", "the request could not be read"); break;
    }
    res.set_content(dump_json(error_body(e)), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"unhandled exception\",\"what\":%s}\n",
                 dump_json(json(what)).c_str());
    res.status = 500;
    res.set_content(dump_json(error_body(Error::internal("an internal error occurred; it has been logged"))),
                    "application/json");
  });
  server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_info.start).count();
    metrics_.observe(req.method, t_info.route, res.status, seconds);
    if (log_requests_) log_request(req, t_info.route, res.status, seconds, t_info.user);
  });
}

void log_request(const httplib::Request& req, const std::string& route, int status, double seconds,
                 const std::string& user) {
  json line = {{"level", "info"},       {"msg", "request"},  {"method", req.method},
               {"path", req.path},      {"route", route},    {"status", status},
               {"ms", static_cast<double>(static_cast<int64_t>(seconds * 1e6)) / 1000.0}};
  if (!user.empty()) line["user"] = user;
  std::string rid = req.get_header_value("X-Request-Id");
  if (!rid.empty()) line["request_id"] = rid.substr(0, 100);
  std::string text = dump_json(line) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace o2c::http
