// Web sign-in: POST /session opens a server-side session and sets its
// cookie, GET /session says who is signed in (and gives the page its CSRF
// token again after a reload), DELETE /session signs out. The session then
// authenticates every other route in place of a bearer token (router.cpp).
#include <algorithm>

#include "app/sessions.h"
#include "core/instant.h"
#include "security/attempt_limiter.h"
#include "http/routes.h"
#include "http/web.h"

namespace o2c::http {
namespace {

bool secure_cookie(const Request& req) {
  return web::over_tls(false, req.raw().get_header_value("X-Forwarded-Proto"));
}

// Who is signed in, as POST and GET /session answer it.
// The routes this actor's role may call, as "METHOD /path" below /api/v1
// ("POST /orders/{id}/approve"): the pages show an action only when the
// server would take it, from the same table the router checks.
json allowed_routes(const Router& r, const app::Actor& a) {
  constexpr std::string_view kBase = "/api/v1";
  json may = json::array();
  for (const auto& route : r.routes()) {
    if (!route.auth || route.path.compare(0, kBase.size(), kBase) != 0) continue;
    if (std::find(route.roles.begin(), route.roles.end(), a.role) == route.roles.end()) continue;
    may.push_back(route.method + " " + route.path.substr(kBase.size()));
  }
  return may;
}

json session_json(const Router& r, const app::Actor& a, const std::optional<std::string>& csrf_token,
                  const std::optional<std::string>& expires_at, Date business_date) {
  json j = {{"user", a.name}, {"user_id", a.id.to_string()}, {"role", std::string(app::to_string(a.role))}};
  j["customer_id"] = a.customer ? json(a.customer->to_string()) : json();
  j["csrf_token"] = csrf_token ? json(*csrf_token) : json();
  j["expires_at"] = expires_at ? json(*expires_at) : json();
  j["business_date"] = business_date.to_string();
  j["may"] = allowed_routes(r, a);
  return j;
}

json session_schema() {
  return {{"type", "object"},
          {"required", {"user", "role", "csrf_token"}},
          {"properties",
           {{"user", {{"type", "string"}, {"description", "the user's name"}}},
            {"user_id", {{"type", "string"}}},
            {"role", {{"type", "string"}}},
            {"customer_id", {{"type", "string"}, {"nullable", true}, {"description", "portal users only"}}},
            {"csrf_token",
             {{"type", "string"},
              {"nullable", true},
              {"description", "send as X-CSRF-Token with every signed-in request but GET and HEAD; null when "
                              "authenticated by a bearer token"}}},
            {"expires_at", {{"type", "string"}, {"nullable", true}, {"description", "RFC 3339 UTC"}}},
            {"business_date", {{"type", "string"}, {"description", "the server's today, YYYY-MM-DD"}}},
            {"may",
             {{"type", "array"},
              {"items", {{"type", "string"}}},
              {"description", "the routes this user's role may call, \"METHOD /path\" below /api/v1 "
                              "(\"POST /orders/{id}/approve\")"}}}}}};
}

// Failed sign-ins allowed per client address and per user name in
// kSignInWindowMs. The address limit stops one client guessing many names;
// the name limit stops many clients guessing one user's password (at the cost
// that a flood of wrong passwords holds that user off for the window).
constexpr int kFailuresPerAddress = 20;
constexpr int kFailuresPerName = 10;
constexpr int64_t kSignInWindowMs = 10 * 60 * 1000;

struct SignInBrake {
  security::AttemptLimiter by_address{kFailuresPerAddress, kSignInWindowMs};
  security::AttemptLimiter by_name{kFailuresPerName, kSignInWindowMs};
};

// A refusal with Retry-After, which an Error cannot carry: built as a reply.
Reply too_many_attempts(int64_t wait_ms) {
  const int64_t seconds = (wait_ms + 999) / 1000;
  const Error e{ErrorKind::too_many, "too_many_attempts",
                "too many failed sign-ins; try again in " + std::to_string(seconds) + " seconds", ""};
  Reply rep{status_of(e.kind), error_body(e), {}, {}, {}};
  rep.headers.emplace_back("Retry-After", std::to_string(seconds));
  return rep;
}

}  // namespace

void add_session_routes(Router& r) {
  auto brake = std::make_shared<SignInBrake>();
  std::vector<Role> everyone(std::begin(app::kAllRoles), std::end(app::kAllRoles));
  json error_ref = {{"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  json unauthorized = error_ref;
  unauthorized["description"] = "invalid_credentials: the same answer for an unknown name, a wrong password and an "
                                "unknown token";
  json too_many = error_ref;
  too_many["description"] = "too_many_attempts: more than 20 failed sign-ins from this address, or 10 for this "
                            "name, in 10 minutes; Retry-After says when to try again";

  r.add({"POST", "/api/v1/session", {}, false, true,
         "Sign in (the console, the portal) with an API token or a name and password: opens a session of "
         "8 hours and sets the HttpOnly, SameSite=Strict cookie o2c_session; every route then accepts the "
         "cookie in place of a bearer token, with the returned csrf_token as X-CSRF-Token on all but GET/HEAD",
         {},
         {{"type", "object"},
          {"properties",
           {{"token", {{"type", "string"}, {"description", "an API token; or name and password"}}},
            {"name", {{"type", "string"}}},
            {"password", {{"type", "string"}}}}}},
         session_schema(), 200,
         [&r, brake](Request& req) -> Result<Reply> {
           app::Credentials c;
           O2C_ASSIGN_OR_RETURN(c.token, text_field(req.body(), "token"));
           O2C_ASSIGN_OR_RETURN(c.name, text_field(req.body(), "name"));
           O2C_ASSIGN_OR_RETURN(c.password, text_field(req.body(), "password"));
           O2C_ASSIGN_OR_RETURN(const int64_t now_ms, parse_instant_ms(req.clock().now_rfc3339()));
           const std::string address = "address:" + req.raw().remote_addr;
           const std::string name = c.name ? "name:" + *c.name : std::string();
           // Asked before the password is checked: a blocked guesser costs no scrypt.
           if (auto wait = brake->by_address.blocked_for(address, now_ms)) return too_many_attempts(*wait);
           if (!name.empty()) {
             if (auto wait = brake->by_name.blocked_for(name, now_ms)) return too_many_attempts(*wait);
           }
           auto checked = app::check_credentials(req.db(), c);
           if (!checked.ok()) {
             if (checked.error().kind == ErrorKind::unauthorized) {
               brake->by_address.record_failure(address, now_ms);
               if (!name.empty()) brake->by_name.record_failure(name, now_ms);
             }
             return checked.take_error();
           }
           brake->by_address.record_success(address);
           if (!name.empty()) brake->by_name.record_success(name);
           app::Actor actor = *checked;
           req.act_as(actor);
           O2C_ASSIGN_OR_RETURN(auto reply, req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto s, app::open_session(ctx));
             Reply rep = Reply::ok(session_json(r, ctx.actor, s.csrf_token, s.expires_at, ctx.clock.today()));
             rep.headers.emplace_back("Set-Cookie", web::session_cookie(s.secret, secure_cookie(req)));
             return rep;
           }));
           return reply;
         },
         {{"responses", {{"401", unauthorized}, {"429", too_many}}}}});

  r.add({"GET", "/api/v1/session", everyone, true, false,
         "Who is signed in, with the session's CSRF token (for a page reloaded within its session)", {}, {},
         session_schema(), 200, [&r](Request& req) -> Result<Reply> {
           const auto& s = req.session();
           return Reply::ok(session_json(r, req.actor(), s ? std::optional(s->csrf_token) : std::nullopt,
                                         s ? std::optional(s->expires_at) : std::nullopt, req.clock().today()));
         }});

  r.add({"DELETE", "/api/v1/session", everyone, true, false,
         "Sign out: revokes the session the cookie belongs to and clears the cookie (with a bearer token there "
         "is no session to end, and nothing changes)",
         {}, {}, {}, 204, [](Request& req) -> Result<Reply> {
           Reply rep{204, nullptr, {}, {}, {}};
           rep.headers.emplace_back("Set-Cookie", web::cleared_session_cookie(secure_cookie(req)));
           if (!req.session()) return rep;
           const int64_t id = req.session()->id;
           O2C_TRY(req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_TRY(app::revoke_session(ctx, id));
             return rep;
           }));
           return rep;
         }});
}

}  // namespace o2c::http
