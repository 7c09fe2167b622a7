#include "app/audit.h"
#include "app/users.h"
#include "http/routes.h"
#include "http/views.h"

namespace o2c::http {

void add_system_routes(Router& r, Metrics& metrics) {
  std::vector<Role> everyone(std::begin(app::kAllRoles), std::end(app::kAllRoles));

  r.add({"GET", "/healthz", {}, false, false, "Liveness and database reachability", {}, {}, {}, 200,
         [](Request& req) -> Result<Reply> {
           auto r = req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             uow.query("SELECT 1");
             return Reply::ok({{"status", "ok"}, {"database", req.db().describe()}});
           });
           if (!r.ok()) {
             return Reply{503, {{"status", "unavailable"}, {"error", r.error().message}}, {}, {}};
           }
           return r;
         }});

  r.add({"GET", "/metrics", {}, false, false, "Prometheus metrics", {}, {}, {}, 200,
         [&metrics](Request&) -> Result<Reply> {
           Reply rep;
           rep.content_type = "text/plain; version=0.0.4";
           rep.raw = metrics.render();
           return rep;
         }});

  r.add({"GET", "/api/v1/openapi.json", {}, false, false, "This OpenAPI document", {}, {}, {}, 200,
         [&r](Request&) -> Result<Reply> { return Reply::ok(openapi_document(r.routes())); }});

  r.add({"GET", "/api/v1/me", everyone, true, false, "The signed-in user", {}, {}, {}, 200,
         [](Request& req) -> Result<Reply> { return Reply::ok(to_json(req.actor())); }});

  r.add({"POST", "/api/v1/users", {Role::admin}, true, true, "Create a user; the token is shown once", {},
         {{"type", "object"},
          {"required", {"name", "role"}},
          {"properties", {{"name", {{"type", "string"}}},
                          {"role", {{"type", "string"}, {"enum", {"admin", "sales", "credit", "warehouse", "accountant", "viewer", "portal"}}}},
                          {"customer_id", {{"type", "string"}, {"description", "portal users only"}}},
                          {"password", {{"type", "string"}, {"minLength", app::kPasswordMin}}}}}},
         {}, 201, [](Request& req) -> Result<Reply> {
           app::NewUser u;
           O2C_ASSIGN_OR_RETURN(u.name, text_field(req.body(), "name"));
           O2C_ASSIGN_OR_RETURN(u.role, text_field(req.body(), "role"));
           O2C_ASSIGN_OR_RETURN(u.customer_id, text_field(req.body(), "customer_id"));
           O2C_ASSIGN_OR_RETURN(u.password, text_field(req.body(), "password"));
           O2C_TRY(app::prepare_password(u));
           return req.write([&](app::Context& ctx) -> Result<Reply> {
             O2C_ASSIGN_OR_RETURN(auto created, app::create_user(ctx, u));
             json j = to_json(created.user);
             j["token"] = created.token;
             return Reply::created(j);
           });
         }});

  r.add({"GET", "/api/v1/users", {Role::admin}, true, false, "List users", {}, {}, {}, 200,
         [](Request& req) {
           return req.read([](store::UnitOfWork& uow) -> Result<Reply> {
             json data = json::array();
             for (const auto& u : store::users::list(uow)) {
               data.push_back(to_json(app::Actor{u.id, u.name, app::role_from(u.role).value_or(Role::viewer), u.customer_id}));
             }
             return Reply::ok(page_json(std::move(data), std::nullopt));
           });
         }});

  r.add({"GET", "/api/v1/events", {Role::admin}, true, false, "The audit trail, hash-chained, oldest first",
         {{"after", "only events with seq greater than this"}, {"limit", "page size"}, {"cursor", "from next_cursor"}},
         {}, {}, 200, [](Request& req) -> Result<Reply> {
           O2C_ASSIGN_OR_RETURN(auto page, req.page());
           auto parse_seq = [](const std::string& text) -> std::optional<int64_t> {
             if (text.empty() || text.size() > 18) return std::nullopt;
             int64_t v = 0;
             for (char c : text) {
               if (c < '0' || c > '9') return std::nullopt;
               v = v * 10 + (c - '0');
             }
             return v;
           };
           int64_t after = 0;
           if (page.after) {
             auto seq = parse_seq(*page.after);
             if (!seq) return Error::malformed("invalid_cursor", "the cursor is not one this server issued", "cursor");
             after = *seq;
           } else if (auto a = req.query("after"); a && !a->empty()) {
             auto seq = parse_seq(*a);
             if (!seq) return Error::malformed("invalid_after", "after is an event sequence number", "after");
             after = *seq;
           }
           return req.read([&](store::UnitOfWork& uow) -> Result<Reply> {
             auto rows = store::events::list(uow, after, page.limit + 1);
             std::optional<std::string> next;
             if (static_cast<int>(rows.size()) > page.limit) {
               rows.pop_back();
               next = std::to_string(rows.back().seq);
             }
             json data = json::array();
             for (const auto& e : rows) data.push_back(to_json(e));
             return Reply::ok(page_json(std::move(data), next));
           });
         }});
}

json openapi_document(const std::vector<Route>& routes) {
  json paths = json::object();
  for (const auto& r : routes) {
    json op = {{"summary", r.summary}};
    std::string id = r.method;
    for (char c : r.path) id.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    op["operationId"] = id;
    json roles = json::array();
    for (Role role : r.roles) roles.push_back(std::string(app::to_string(role)));
    op["x-roles"] = roles;
    op["security"] = r.auth ? json::array({{{"bearer", json::array()}}}) : json::array();
    json params = json::array();
    size_t pos = 0;
    while ((pos = r.path.find('{', pos)) != std::string::npos) {
      size_t end = r.path.find('}', pos);
      params.push_back({{"name", r.path.substr(pos + 1, end - pos - 1)}, {"in", "path"}, {"required", true},
                        {"schema", {{"type", "string"}}}});
      pos = end;
    }
    for (const auto& q : r.query) {
      params.push_back({{"name", q.name}, {"in", "query"}, {"required", q.required}, {"description", q.description},
                        {"schema", {{"type", "string"}}}});
    }
    if (r.method != "GET") {
      params.push_back({{"name", "Idempotency-Key"}, {"in", "header"}, {"required", false},
                        {"description", "a repeat with the same key returns the first response"},
                        {"schema", {{"type", "string"}, {"maxLength", kIdempotencyKeyMax}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (r.json_body) {
      json schema = r.request_schema.is_null() ? json{{"type", "object"}} : r.request_schema;
      op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    json ok = {{"description", "success"}};
    if (!r.response_schema.is_null()) ok["content"] = {{"application/json", {{"schema", r.response_schema}}}};
    json responses = {{std::to_string(r.success_status), ok}};
    auto err = [](const char* d) {
      return json{{"description", d},
                  {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    };
    if (r.auth) {
      responses["401"] = err("no valid bearer token");
      responses["403"] = err("the role may not do this");
    }
    if (r.json_body) {
      responses["400"] = err("malformed request");
      responses["422"] = err("breaks a business rule; nothing was written");
    }
    op["responses"] = responses;
    if (r.openapi_extra.is_object()) op.merge_patch(r.openapi_extra);
    std::string method = r.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[r.path][method] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info", {{"title", "o2c order-to-cash API"}, {"version", "1"}}},
          {"servers", json::array({{{"url", "/"}}})},
          {"paths", paths},
          {"components",
           {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas",
             {{"Error",
               {{"type", "object"},
                {"required", {"error"}},
                {"properties",
                 {{"error",
                   {{"type", "object"},
                    {"required", {"code", "message"}},
                    {"properties",
                     {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}, {"field", {{"type", "string"}}}}}}}}}}}}}}}};
}

}  // namespace o2c::http
